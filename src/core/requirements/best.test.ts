// The audit against brute force: on random small records, in every mode (one credit per requirement
// or shared, complete or not, with and without caps), the engine finds an assignment as good as the
// best of all assignments: it meets every requirement if any assignment does, counts the most
// credits, then leaves the fewest courses and the fewest credits missing. The brute force below
// knows nothing of the engine: it tries every assignment and scores it from the rules themselves.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audit, periodOf, type AuditResult, type NodeResult } from './audit.js';
import { ORIGINS, type CreditItem, type Kind, type Leaf, type Requirements, type RequirementNode } from './model.js';

/** Cases per run: 10,000 in CI; PROPERTY_RUNS sets more (or fewer) for a longer hunt. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000);

type Score = [number, number, number, number];

const beats = (a: Score, b: Score) => {
  const k = a.findIndex((v, j) => v !== b[j]);
  return k >= 0 && a[k]! > b[k]!;
};

/** Complete, credits counted, − courses missing, − credits missing: as an audit result reports them. */
function scoreOfResult(res: AuditResult): Score {
  let courses = 0;
  let short = 0;
  const walk = (n: NodeResult) => {
    if (n.kind === 'courses' && !n.satisfied) courses += n.missing.pick ?? n.missing.courses?.length ?? 0;
    else short += n.missing.credits ?? 0;
    n.children?.forEach(walk);
  };
  res.nodes.forEach(walk);
  if (res.residency) short += Math.max(0, res.residency.required - res.residency.credits);
  return [res.complete ? 1 : 0, res.total.credits, -courses, -short];
}

const kindOf = (it: CreditItem): Kind => it.kind ?? (it.origin === 'certificate' || it.origin === 'nonformal' ? it.origin : 'course');

/** Whether leaf accepts item, from the filter's words. */
function takes(leaf: Leaf, it: CreditItem): boolean {
  if (leaf.kind === 'courses') return it.courseCode !== null && leaf.courses.includes(it.courseCode);
  const f = leaf.filter;
  return (!f.fields || f.fields.some((p) => it.field.startsWith(p))) && (!f.origins || f.origins.includes(it.origin));
}

/** Whether the items counted keep within every cap. */
function withinCaps(r: Requirements, counted: CreditItem[]): boolean {
  const caps = r.caps ?? {};
  const sums = new Map<string, { credits: number; count: number; cap?: number; most?: number }>();
  const add = (key: string, it: CreditItem, cap?: number, most?: number) => {
    const g = sums.get(key) ?? { credits: 0, count: 0, cap, most };
    g.credits += it.credits;
    g.count++;
    sums.set(key, g);
  };
  for (const it of counted) {
    const kind = kindOf(it);
    const p = periodOf(it.completedOn, r.yearStartMonth ?? 9);
    if (caps.perSemester !== undefined && kind === 'course') add(`s${p.year}-${p.semester}`, it, caps.perSemester);
    if (caps.perYear !== undefined && kind === 'course') add(`y${p.year}`, it, caps.perYear);
    if (caps.perSource !== undefined && (kind === 'course' || kind === 'transcript')) add(`src${it.source}`, it, caps.perSource);
    if (caps.transferred !== undefined && it.origin === 'transfer') add('t', it, caps.transferred);
    if (caps.certificates && it.origin === 'certificate') add('c', it, caps.certificates.credits, caps.certificates.count);
    if (caps.nonFormal && (it.origin === 'certificate' || it.origin === 'nonformal')) add('n', it, caps.nonFormal.credits, caps.nonFormal.count);
  }
  return [...sums.values()].every((g) => (g.cap === undefined || g.credits <= g.cap) && (g.most === undefined || g.count <= g.most));
}

/** The best score of every assignment: each item left out, or counted (in one accepting leaf, or in all of them with sharing). */
function bruteForce(r: Requirements, items: CreditItem[]): Score {
  const nodes = new Map(r.nodes.map((n) => [n.id, n]));
  const leaves = r.nodes.filter((n): n is Leaf => n.kind !== 'block');
  const choices = items.map((it) => {
    const ls = leaves.filter((l) => takes(l, it)).map((l) => l.id);
    return r.sharing || ls.length === 0 ? ['out', 'in'] : ['out', ...ls];
  });
  let best: Score = [-1, -1, -Infinity, -Infinity];
  const pick = new Array<string>(items.length);
  const score = (): Score | null => {
    const counted = items.filter((_, i) => pick[i] !== 'out');
    if (!withinCaps(r, counted)) return null;
    const credits = new Map<string, number>();
    const codes = new Map<string, Set<string>>();
    items.forEach((it, i) => {
      if (pick[i] === 'out') return;
      const into = r.sharing ? leaves.filter((l) => takes(l, it)).map((l) => l.id) : pick[i] === 'in' ? [] : [pick[i]!];
      for (const id of into) {
        const have = codes.get(id) ?? new Set();
        if (r.sharing && it.courseCode !== null && have.has(it.courseCode)) continue; // a course counts once in a requirement
        credits.set(id, (credits.get(id) ?? 0) + it.credits);
        if (it.courseCode !== null) have.add(it.courseCode);
        codes.set(id, have);
      }
    });
    let courses = 0;
    let short = 0;
    const visit = (id: string): { met: boolean; up: number } => {
      const n = nodes.get(id)!;
      if (n.kind === 'block') {
        const parts = n.children.map(visit);
        const up = parts.reduce((t, x) => t + x.up, 0);
        short += Math.max(0, (n.minCredits ?? 0) - up);
        return { met: parts.every((x) => x.met) && up >= (n.minCredits ?? 0), up };
      }
      const c = credits.get(id) ?? 0;
      if (n.kind === 'courses') {
        const lack = Math.max(0, (n.pick ?? n.courses.length) - (codes.get(id)?.size ?? 0));
        courses += lack;
        return { met: lack === 0, up: c };
      }
      short += Math.max(0, n.minCredits - c);
      return { met: c >= n.minCredits, up: n.maxCredits === undefined ? c : Math.min(c, n.maxCredits) };
    };
    const met = r.root.map(visit).every((x) => x.met);
    const total = counted.reduce((t, it) => t + it.credits, 0);
    const home = counted.filter((it) => it.origin === 'home').reduce((t, it) => t + it.credits, 0);
    if (r.residency !== undefined) short += Math.max(0, r.residency - home);
    const complete = met && total >= r.totalCredits && (r.residency === undefined || home >= r.residency);
    return [complete ? 1 : 0, total, -courses, -short];
  };
  const go = (i: number) => {
    if (i === items.length) {
      const s = score();
      if (s && beats(s, best)) best = s;
      return;
    }
    for (const c of choices[i]!) {
      pick[i] = c;
      go(i + 1);
    }
  };
  go(0);
  return best;
}

const CODES = ['C0', 'C1', 'C2', 'C3'];
/** Credits by course: one course always has the same credits. */
const COURSE_CREDITS: Record<string, number> = { C0: 100, C1: 200, C2: 300, C3: 200 };

const itemArb = fc.record({
  code: fc.constantFrom<string | null>(null, null, ...CODES),
  credits: fc.constantFrom(100, 150, 200, 300),
  origin: fc.constantFrom(...ORIGINS.filter((o) => o !== 'external'), 'home' as const),
  transcript: fc.boolean(),
  day: fc.constantFrom('2023-01-15', '2023-07-10', '2024-01-15', '2024-07-10'),
  source: fc.constantFrom('A', 'B'),
  field: fc.constantFrom('0611', '0613', '0231'),
});

const leafArb = fc.oneof(
  fc.record({
    kind: fc.constant('courses' as const),
    courses: fc.uniqueArray(fc.constantFrom(...CODES), { minLength: 1, maxLength: 3 }),
    pick: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('credits' as const),
    minCredits: fc.constantFrom(0, 100, 200, 300, 600),
    maxCredits: fc.option(fc.constantFrom(300, 600), { nil: undefined }),
    fields: fc.option(fc.constantFrom(['06'], ['0613'], ['02']), { nil: undefined }),
    origins: fc.option(fc.constantFrom<CreditItem['origin'][]>(['home'], ['certificate', 'nonformal'], ['home', 'transfer']), { nil: undefined }),
  }),
);

const capsArb = fc.record(
  {
    perSemester: fc.constantFrom(200, 300, 400),
    perYear: fc.constantFrom(300, 500),
    perSource: fc.constantFrom(300, 500),
    transferred: fc.constantFrom(100, 300),
    certificates: fc.record({
      count: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
      credits: fc.option(fc.constantFrom(100, 300), { nil: undefined }),
    }),
    nonFormal: fc.record({
      count: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
      credits: fc.option(fc.constantFrom(200, 400), { nil: undefined }),
    }),
  },
  { requiredKeys: [] },
);

const caseArb = fc.record({
  leaves: fc.array(leafArb, { minLength: 1, maxLength: 3 }),
  block: fc.option(fc.constantFrom(0, 300, 500), { nil: undefined }),
  total: fc.constantFrom(0, 0, 300, 600, 900),
  residency: fc.option(fc.constantFrom(100, 300), { nil: undefined, freq: 3 }),
  caps: capsArb,
  sharing: fc.boolean(),
  items: fc.array(itemArb, { minLength: 1, maxLength: 7 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function build(c: Case): { r: Requirements; items: CreditItem[] } {
  const nodes: RequirementNode[] = c.leaves.map((l, k): RequirementNode =>
    l.kind === 'courses'
      ? {
          id: `l${k}`,
          kind: 'courses',
          titleZh: '',
          titleEn: '',
          courses: l.courses,
          ...(l.pick !== undefined && l.pick <= l.courses.length ? { pick: l.pick } : {}),
        }
      : {
          id: `l${k}`,
          kind: 'credits',
          titleZh: '',
          titleEn: '',
          minCredits: l.minCredits,
          ...(l.maxCredits !== undefined && l.maxCredits >= l.minCredits ? { maxCredits: l.maxCredits } : {}),
          filter: { ...(l.fields ? { fields: [...l.fields] } : {}), ...(l.origins ? { origins: l.origins } : {}) },
        },
  );
  // with a block, the first two leaves sit in it
  let root = nodes.map((n) => n.id);
  if (c.block !== undefined && nodes.length >= 2) {
    nodes.push({ id: 'b', kind: 'block', titleZh: '', titleEn: '', children: ['l0', 'l1'], minCredits: c.block });
    root = ['b', ...root.slice(2)];
  }
  const caps = { ...c.caps };
  if (caps.perSemester !== undefined && caps.perYear !== undefined && caps.perSemester > caps.perYear) delete caps.perSemester;
  const r: Requirements = { totalCredits: c.total, root, nodes, sharing: c.sharing, residency: c.residency, yearStartMonth: 3, caps };
  // a course at most once (attempts of one course are the retakes once.ts chooses among, tested there)
  const used = new Set<string>();
  const items = c.items.map((x, i): CreditItem => ({
    id: `i${i}`,
    courseCode: x.origin === 'certificate' || x.origin === 'nonformal' || x.code === null || used.has(x.code) ? null : (used.add(x.code), x.code),
    category: null,
    source: x.source,
    origin: x.origin,
    ...(x.transcript && x.origin === 'home' ? { kind: 'transcript' as const } : {}),
    credits: x.code && x.origin !== 'certificate' && x.origin !== 'nonformal' ? COURSE_CREDITS[x.code]! : x.credits,
    completedOn: x.day,
    level: null,
    field: x.field,
  }));
  return { r, items };
}

describe('the audit is the best of all assignments', () => {
  it(`in every mode, on ${RUNS.toLocaleString('en')} random small records checked against brute force`, () => {
    const seen = { sharing: 0, complete: 0, incomplete: 0, capped: 0 };
    fc.assert(
      fc.property(caseArb, (c) => {
        const { r, items } = build(c);
        const res = audit(r, items, { asOf: '2026-11-22' });
        const want = bruteForce(r, items);
        expect(res.exhaustive).toBe(true);
        expect(scoreOfResult(res)).toEqual(want);
        seen.sharing += r.sharing ? 1 : 0;
        seen[res.complete ? 'complete' : 'incomplete']++;
        seen.capped += res.excluded.length > 0 ? 1 : 0;
      }),
      { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20261206) },
    );
    // every mode was tried, and often
    for (const n of Object.values(seen)) expect(n).toBeGreaterThan(RUNS / 20);
  });
});
