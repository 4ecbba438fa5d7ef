// Reading ECTS grading tables exchanged in the Erasmus Without Paper shape: per ISCED-F field code
// and cycle, each grade's label and the percentage of the reference group that got it (EGRACONS).
// Three spellings are read: EWP XML (`iscedTable iscedCode=…` with `gradeFrequency label=…
// percentage=…`, alone, inside `gradeConversionTable` or inside a whole Transcripts of Records
// response), CSV (one row per grade) and JSON. EWP gives no cycle: it comes with the request, or from a
// `cycle` / `eqfLevel` attribute or column. Every problem is reported with where it is (row, table,
// line, field); nothing is returned unless the whole file is good. Pure.
import { parse as parseCsv } from 'csv-parse/sync';
import { SaxesParser } from 'saxes';
import { buildTable, TableError } from '../grades/tables.js';

export const CYCLES = ['short', 'first', 'second', 'third'] as const;
export type Cycle = (typeof CYCLES)[number];
/** The EQF level of each cycle (short cycle EQF 5 … doctorate EQF 8). */
export const EQF_OF_CYCLE: Record<Cycle, number> = { short: 5, first: 6, second: 7, third: 8 };

export interface ImportedTable {
  iscedCode: string;
  cycle: Cycle;
  /** Best grade first, as the file lists them. */
  grades: { label: string; percentage: number }[];
  /** Where the table is in the file, for messages. */
  where: string;
}

export interface ImportProblem {
  path: string;
  message: string;
}

export class GradingImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(
      problems.length === 1
        ? `${problems[0]!.path}: ${problems[0]!.message}`
        : `${problems.length} problems in the grading table file; the first: ${problems[0]!.path}: ${problems[0]!.message}`,
    );
  }
}

export type ImportFormat = 'xml' | 'csv' | 'json';

const ISCED = /^\d{2}(\d{1,2})?$/;
const PERCENT = /^\d{1,3}(\.\d+)?$/;
const MAX_PROBLEMS = 50;
const MAX_TABLES = 500;
const MAX_GRADES = 100;

/** Guesses the format from the file name, else from its first character. */
export function detectFormat(filename: string | undefined, content: string): ImportFormat {
  const ext = filename?.toLowerCase().match(/\.(xml|csv|json)$/)?.[1] as ImportFormat | undefined;
  if (ext) return ext;
  const first = content.trimStart()[0];
  return first === '<' ? 'xml' : first === '{' || first === '[' ? 'json' : 'csv';
}

/** A cycle from a cycle name or an EQF level (5–8), or undefined. */
export function cycleOf(value: string | number | undefined | null): Cycle | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const v = String(value).trim().toLowerCase();
  if ((CYCLES as readonly string[]).includes(v)) return v as Cycle;
  const byLevel = CYCLES.find((c) => String(EQF_OF_CYCLE[c]) === v);
  return byLevel;
}

interface RawGrade {
  label: string | undefined;
  percentage: string | number | undefined;
  where: string;
}
interface RawTable {
  iscedCode: string | undefined;
  cycle: string | number | undefined;
  grades: RawGrade[];
  where: string;
}

class Problems {
  readonly list: ImportProblem[] = [];
  add(path: string, message: string) {
    if (this.list.length < MAX_PROBLEMS) this.list.push({ path, message });
  }
}

function readXml(content: string, problems: Problems): RawTable[] {
  const tables: RawTable[] = [];
  const parser = new SaxesParser({ xmlns: true, position: true });
  let current: RawTable | undefined;
  let n = 0;
  parser.on('opentag', (tag) => {
    const attr = (name: string) => Object.values(tag.attributes).find((a) => a.local === name)?.value;
    if (tag.local === 'iscedTable') {
      n++;
      current = { iscedCode: attr('iscedCode'), cycle: attr('cycle') ?? attr('eqfLevel'), grades: [], where: `iscedTable ${n} (line ${parser.line})` };
      tables.push(current);
    } else if (tag.local === 'gradeFrequency') {
      if (!current) problems.add(`line ${parser.line}`, 'a gradeFrequency outside any iscedTable');
      else
        current.grades.push({
          label: attr('label'),
          percentage: attr('percentage'),
          where: `${current.where.replace(/ \(line \d+\)$/, '')}, gradeFrequency ${current.grades.length + 1} (line ${parser.line})`,
        });
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.local === 'iscedTable') current = undefined;
  });
  try {
    parser.write(content).close();
  } catch (e) {
    problems.add(`line ${parser.line}`, `not well-formed XML: ${(e as Error).message.replace(/^[^:]*:\d+:\d+: /, '')}`);
    return [];
  }
  if (tables.length === 0)
    problems.add('file', 'no iscedTable element: an EWP grading table lists iscedTable elements with gradeFrequency label/percentage inside');
  return tables;
}

function readCsv(content: string, problems: Problems): RawTable[] {
  let records: string[][];
  try {
    records = parseCsv(content.replace(/^\ufeff/, ''), { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (e) {
    problems.add('file', `not a CSV file: ${(e as Error).message}`);
    return [];
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase().replace(/[\s_-]/g, ''));
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const cols = {
    isced: col('iscedcode', 'isced', 'iscedf'),
    cycle: col('cycle', 'eqflevel', 'eqf'),
    label: col('label', 'grade'),
    percentage: col('percentage', 'percent', '%'),
  };
  const missing = (['isced', 'label', 'percentage'] as const).filter((k) => cols[k] < 0);
  if (records.length === 0 || missing.length > 0) {
    problems.add(
      'row 1',
      `the header must name the columns iscedCode, label and percentage (and cycle or eqfLevel, unless the request gives the cycle)${missing.length ? `; missing: ${missing.map((m) => (m === 'isced' ? 'iscedCode' : m)).join(', ')}` : ''}`,
    );
    return [];
  }
  const tables = new Map<string, RawTable>();
  records.slice(1).forEach((r, i) => {
    const row = i + 2;
    const isced = r[cols.isced] ?? '';
    const cycle = cols.cycle >= 0 ? (r[cols.cycle] ?? '') : '';
    const key = `${isced}\u0000${cycle}`;
    let t = tables.get(key);
    if (!t) {
      t = { iscedCode: isced, cycle: cycle || undefined, grades: [], where: `row ${row}` };
      tables.set(key, t);
    }
    t.grades.push({ label: r[cols.label], percentage: r[cols.percentage], where: `row ${row}` });
  });
  if (tables.size === 0) problems.add('row 2', 'the file has a header but no grades');
  return [...tables.values()];
}

function readJson(content: string, problems: Problems): RawTable[] {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (e) {
    problems.add('file', `not JSON: ${(e as Error).message}`);
    return [];
  }
  const list = Array.isArray(data)
    ? data
    : ((data as { tables?: unknown; iscedTables?: unknown } | null)?.tables ?? (data as { iscedTables?: unknown } | null)?.iscedTables);
  if (!Array.isArray(list)) {
    problems.add('file', 'give {"tables": [{"iscedCode", "cycle", "gradeFrequencies": [{"label", "percentage"}]}]} or a list of such tables');
    return [];
  }
  return list.map((t: unknown, i): RawTable => {
    const o = (t && typeof t === 'object' ? t : {}) as Record<string, unknown>;
    const freq = o.gradeFrequencies ?? o.gradeFrequency ?? o.grades;
    const where = `tables.${i}`;
    if (!Array.isArray(freq)) problems.add(`${where}.gradeFrequencies`, 'a list of {label, percentage} is required');
    const scalar = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? v : undefined);
    return {
      iscedCode: typeof o.iscedCode === 'string' ? o.iscedCode : undefined,
      cycle: scalar(o.cycle ?? o.eqfLevel),
      where,
      grades: (Array.isArray(freq) ? freq : []).map((g: unknown, j) => {
        const go = (g && typeof g === 'object' ? g : {}) as Record<string, unknown>;
        return { label: typeof go.label === 'string' ? go.label : undefined, percentage: scalar(go.percentage), where: `${where}.gradeFrequencies.${j}` };
      }),
    };
  });
}

/**
 * Reads and checks a grading table file: ISCED-F codes of 2–4 digits, a cycle for each table, labels
 * present and not repeated, percentages between 0 and 100 adding up to 100 (±0.5, the rounding of a
 * published table), one table per field and cycle. Throws GradingImportError with every problem.
 */
export function readGradingTables(content: string, format: ImportFormat, defaults: { cycle?: Cycle } = {}): ImportedTable[] {
  const problems = new Problems();
  const raw = format === 'xml' ? readXml(content, problems) : format === 'csv' ? readCsv(content, problems) : readJson(content, problems);
  if (raw.length > MAX_TABLES) problems.add('file', `at most ${MAX_TABLES} tables in one file (this one has ${raw.length})`);
  const out: ImportedTable[] = [];
  const seen = new Map<string, string>();
  for (const t of raw) {
    const code = t.iscedCode?.trim() ?? '';
    const isRow = t.where.startsWith('row ');
    const at = (field: string) => (isRow ? `${t.where}, column ${field}` : t.where.startsWith('tables.') ? `${t.where}.${field}` : `${t.where}, ${field}`);
    let ok = true;
    if (!ISCED.test(code)) {
      problems.add(at('iscedCode'), code ? `"${code}" is not an ISCED-F code (2, 3 or 4 digits, e.g. 0613)` : 'the ISCED-F field code is missing');
      ok = false;
    }
    const cycle = t.cycle !== undefined ? cycleOf(t.cycle) : defaults.cycle;
    if (!cycle) {
      problems.add(
        at(isRow ? 'cycle' : 'cycle'),
        t.cycle !== undefined
          ? `"${t.cycle}" is not a cycle (short, first, second, third) or an EQF level (5–8)`
          : 'no cycle: give one with the file (cycle) or for each table (cycle or eqfLevel)',
      );
      ok = false;
    }
    if (t.grades.length === 0) {
      problems.add(t.where, 'the table lists no grades');
      ok = false;
    }
    if (t.grades.length > MAX_GRADES) {
      problems.add(t.where, `at most ${MAX_GRADES} grades in a table`);
      ok = false;
    }
    const grades: { label: string; percentage: number }[] = [];
    const labels = new Set<string>();
    for (const g of t.grades) {
      const gAt = (field: string) => (isRow ? `${g.where}, column ${field}` : g.where.startsWith('tables.') ? `${g.where}.${field}` : `${g.where}, ${field}`);
      const label = g.label?.trim() ?? '';
      if (!label) {
        problems.add(gAt('label'), 'the grade label is missing');
        ok = false;
      } else if (label.length > 40) {
        problems.add(gAt('label'), 'a grade label is at most 40 characters');
        ok = false;
      } else if (labels.has(label)) {
        problems.add(gAt('label'), `grade "${label}" is listed twice in this table`);
        ok = false;
      }
      labels.add(label);
      const p = String(g.percentage ?? '').trim();
      if (!PERCENT.test(p) || Number(p) > 100) {
        problems.add(gAt('percentage'), p ? `"${p}" is not a percentage between 0 and 100` : 'the percentage is missing');
        ok = false;
      }
      grades.push({ label, percentage: Number(p) });
    }
    if (ok) {
      const key = `${code} ${cycle}`;
      if (seen.has(key)) {
        problems.add(t.where, `a second table for field ${code}, ${cycle} cycle (the first is at ${seen.get(key)})`);
        continue;
      }
      seen.set(key, t.where);
      try {
        buildTable(grades);
      } catch (e) {
        if (!(e instanceof TableError)) throw e;
        problems.add(t.where, `field ${code}, ${cycle} cycle: ${e.message}`);
        continue;
      }
      out.push({ iscedCode: code, cycle: cycle!, grades, where: t.where });
    }
  }
  if (problems.list.length > 0) throw new GradingImportError(problems.list);
  return out;
}
