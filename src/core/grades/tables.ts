// ECTS grading tables (ECTS Users' Guide 2015; EGRACONS): the distribution of passing grades of a
// reference group, and conversion between two tables by the overlap of the grades' bands.
// Percentages are shares of a whole, not money: they are computed in floating point and rounded for
// display, while every comparison is made on exact counts where counts are known.

export interface TableGrade {
  label: string;
  /** How many passing grades of this label the group gave; or its share as a percentage. */
  count?: number;
  percentage?: number;
}

export interface TableRow {
  label: string;
  count: number | null;
  percentage: number;
  cumulative: number;
  /** The grade's band, measured from the top in percent: [cumulative − percentage, cumulative]. */
  band: [number, number];
}

export interface GradingTable {
  rows: TableRow[];
  total: number | null;
  /** Fewer grades than the reliability floor: conversions from it are only indicative. */
  small: boolean;
}

export class TableError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** The floor under which a table is flagged as too small to be reliable (institutions use 30–50). */
export const SMALL_GROUP = 30;

/**
 * Builds a table from grades listed best first, with counts or with percentages (one or the other
 * for the whole table). Throws TableError naming the offending entry.
 */
export function buildTable(grades: TableGrade[], smallBelow = SMALL_GROUP): GradingTable {
  if (grades.length === 0) throw new TableError('a grading table needs at least one passing grade', 'grades');
  const seen = new Set<string>();
  grades.forEach((g, i) => {
    const label = g.label.trim();
    if (!label) throw new TableError('a grade needs a label', `grades.${i}.label`);
    if (seen.has(label)) throw new TableError(`grade ${label} is listed twice`, `grades.${i}.label`);
    seen.add(label);
    if ((g.count === undefined) === (g.percentage === undefined)) throw new TableError('give a count or a percentage', `grades.${i}`);
  });
  const byCount = grades[0]!.count !== undefined;
  if (grades.some((g) => (g.count !== undefined) !== byCount))
    throw new TableError('give counts for every grade or percentages for every grade, not a mix', 'grades');
  let shares: number[];
  let total: number | null = null;
  if (byCount) {
    grades.forEach((g, i) => {
      if (!Number.isInteger(g.count) || g.count! < 0) throw new TableError('a count is a whole number, 0 or more', `grades.${i}.count`);
    });
    total = grades.reduce((s, g) => s + g.count!, 0);
    if (total === 0) throw new TableError('the table has no passing grades (every count is 0)', 'grades');
    shares = grades.map((g) => (100 * g.count!) / total!);
  } else {
    grades.forEach((g, i) => {
      if (!Number.isFinite(g.percentage) || g.percentage! < 0 || g.percentage! > 100)
        throw new TableError('a percentage is between 0 and 100', `grades.${i}.percentage`);
    });
    const sum = grades.reduce((s, g) => s + g.percentage!, 0);
    if (Math.abs(sum - 100) > 0.5) throw new TableError(`the percentages add up to ${Math.round(sum * 100) / 100}, not 100`, 'grades');
    // rounding in the published table is spread over the grades, so the bands end at exactly 100
    shares = grades.map((g) => (100 * g.percentage!) / sum);
  }
  let cumulative = 0;
  const rows = grades.map((g, i): TableRow => {
    const lo = cumulative;
    cumulative = i === grades.length - 1 ? 100 : cumulative + shares[i]!;
    return { label: g.label.trim(), count: byCount ? g.count! : null, percentage: shares[i]!, cumulative, band: [lo, cumulative] };
  });
  return { rows, total, small: total !== null && total < smallBelow };
}

export type Policy = 'min' | 'max' | 'average' | 'largest-overlap';

export interface Conversion {
  /** The suggested grade of the receiving table; a board confirms it. */
  grade: string;
  /** Every grade of the receiving table whose band overlaps, best first, with the overlap in percentage points. */
  candidates: { label: string; overlap: number }[];
  band: [number, number];
}

const EPS = 1e-9;

/**
 * Converts `grade` of table `from` into table `to`: the grades of `to` whose bands overlap the band of
 * `grade` are its candidates; the receiving institution's policy picks one. `min` and `max` take the
 * worst and best candidate; `largest-overlap` the one sharing the most (ties to the better grade);
 * `average` the candidate nearest the overlap-weighted mean position (ties to the better grade).
 */
export function convertByTable(from: GradingTable, to: GradingTable, grade: string, policy: Policy): Conversion {
  const source = from.rows.find((r) => r.label === grade.trim());
  if (!source) throw new TableError(`grade ${grade} is not in the sending table (its grades: ${from.rows.map((r) => r.label).join(', ')})`, 'grade');
  // one passing grade (a Pass, 合格) spans the whole distribution: it would overlap every grade of a
  // finer table and pick one for no reason; it says the course was passed, not how well
  if (from.rows.length === 1 && to.rows.length > 1) {
    throw new TableError(
      `the sending table has one passing grade (${source.label}, as pass/fail scales do): it says nothing about how well, so it does not convert into a table of ${to.rows.length} grades`,
      'from.grades',
    );
  }
  const [lo, hi] = source.band;
  const candidates = to.rows
    .map((r, position) => ({ label: r.label, position, overlap: Math.min(hi, r.band[1]) - Math.max(lo, r.band[0]) }))
    .filter((c) => c.overlap > EPS);
  if (candidates.length === 0) {
    // a grade with a share of 0 has an empty band: it sits at a point, inside one receiving band
    const at = to.rows.findIndex((r) => r.band[1] >= lo - EPS && r.band[1] > r.band[0]);
    const r = to.rows[Math.max(0, at)]!;
    return { grade: r.label, candidates: [{ label: r.label, overlap: 0 }], band: [lo, hi] };
  }
  let chosen = candidates[0]!;
  if (policy === 'min') chosen = candidates[candidates.length - 1]!;
  if (policy === 'largest-overlap') for (const c of candidates) if (c.overlap > chosen.overlap + EPS) chosen = c;
  if (policy === 'average') {
    const weight = candidates.reduce((s, c) => s + c.overlap, 0);
    const mean = candidates.reduce((s, c) => s + c.position * c.overlap, 0) / weight;
    for (const c of candidates) if (Math.abs(c.position - mean) < Math.abs(chosen.position - mean) - EPS) chosen = c;
  }
  const round = (x: number) => Math.round(x * 100) / 100;
  return { grade: chosen.label, candidates: candidates.map((c) => ({ label: c.label, overlap: round(c.overlap) })), band: [round(lo), round(hi)] };
}
