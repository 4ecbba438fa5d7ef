import { describe, expect, it } from 'vitest';
import { accepts, audit, countedTwice, periodOf, type AuditResult } from './audit.js';
import { checkRequirements, RequirementsError, type CreditItem, type Leaf, type Requirements } from './model.js';

let seq = 0;
function item(over: Partial<CreditItem> & { credits: number }): CreditItem {
  seq++;
  return { id: `i${seq}`, courseCode: null, category: null, source: 'HXU', origin: 'home', completedOn: '2023-01-15', level: 6, field: '0613', ...over };
}
const asOf = '2026-11-22';

/** The ACBS bachelor of DOMAIN.md. */
const acbs: Requirements = {
  totalCredits: 14000,
  root: ['major', 'general'],
  nodes: [
    { id: 'major', kind: 'credits', titleZh: '专业', titleEn: 'Major', minCredits: 6000, filter: { fields: ['06'] } },
    { id: 'general', kind: 'credits', titleZh: '通识', titleEn: 'General education', minCredits: 3000, filter: { fields: ['00', '02', '03', '05'] } },
  ],
  countExternal: true,
  yearStartMonth: 3,
  caps: { perYear: 4200, perSemester: 2400, perSource: 10500, certificates: { count: 3 } },
};

/** A learner's record: `n` 3-credit courses per semester, from `fromYear` on, at `source`. */
function semesters(fromYear: number, count: number, perSemester: number, field: string, source: string) {
  const out: CreditItem[] = [];
  for (let k = 0; k < count; k++) {
    const year = fromYear + Math.floor(k / 2);
    const day = k % 2 === 0 ? `${year}-07-10` : `${year + 1}-01-15`;
    for (let c = 0; c < perSemester; c++) out.push(item({ credits: 300, field, source, completedOn: day, origin: 'external' }));
  }
  return out;
}

describe('academic periods', () => {
  it('starts the ACBS year on 1 March: semesters March–August and September–February', () => {
    expect(periodOf('2024-03-01', 3)).toEqual({ year: 2024, semester: 1 });
    expect(periodOf('2024-08-31', 3)).toEqual({ year: 2024, semester: 1 });
    expect(periodOf('2024-09-01', 3)).toEqual({ year: 2024, semester: 2 });
    expect(periodOf('2025-02-28', 3)).toEqual({ year: 2024, semester: 2 });
    expect(periodOf('2025-01-15', 9)).toEqual({ year: 2024, semester: 1 });
  });
});

describe('ACBS caps', () => {
  it('counts at most 24 credits a semester and 42 a year, and says which credits did not count and why', () => {
    // Ten 3-credit courses ending in one semester: 30 credits, of which 24 count.
    const heavy = Array.from({ length: 10 }, (_, k) => item({ credits: 300, completedOn: '2024-07-10', field: k < 5 ? '0613' : '0231', origin: 'external' }));
    const res = audit(acbs, heavy, { asOf });
    expect(res.total.credits).toBe(2400);
    expect(res.excluded.map((e) => e.reason)).toEqual(['cap_semester', 'cap_semester']);
    // 24 in the spring semester and 24 in the autumn one are 48 in one academic year: 42 count.
    const year = [...heavy.slice(0, 8), ...Array.from({ length: 8 }, () => item({ credits: 300, completedOn: '2024-12-20', origin: 'external' }))];
    const res2 = audit(acbs, year, { asOf });
    expect(res2.total.credits).toBe(4200);
    expect(res2.excluded.filter((e) => e.reason === 'cap_year')).toHaveLength(2);
  });

  it('counts at most 105 credits from one institution and three certificates', () => {
    // Seven years at HXU, 18 credits a semester: 252 credits, 105 count; 42 more from JNVC count.
    const hxu = semesters(2010, 14, 6, '0613', 'HXU');
    const jnvc = semesters(2018, 4, 4, '0231', 'JNVC');
    const certs = Array.from({ length: 4 }, (_, k) =>
      item({ credits: 200, origin: 'certificate', source: `BODY${k}`, field: '0231', completedOn: `2023-0${k + 3}-01` }),
    );
    const res = audit(acbs, [...hxu, ...jnvc, ...certs], { asOf });
    const counted = new Set(res.counted);
    const from = (s: CreditItem[]) => s.filter((i) => counted.has(i.id)).reduce((t, i) => t + i.credits, 0);
    expect(from(hxu)).toBe(10500);
    expect(from(jnvc)).toBe(4800);
    expect(certs.filter((c) => counted.has(c.id))).toHaveLength(3);
    expect(res.excluded.filter((e) => e.reason === 'cap_certificates')).toHaveLength(1);
    expect(res.excluded.filter((e) => e.reason === 'cap_source').length).toBeGreaterThan(0);
    expect(res.total.credits).toBe(10500 + 4800 + 600);
    expect(res.complete).toBe(true);
  });

  it('is incomplete below 140 credits and says how much is missing where', () => {
    const res = audit(acbs, [...semesters(2019, 6, 6, '0613', 'HXU'), ...semesters(2019, 2, 2, '0231', 'JNVC')], { asOf });
    expect(res.complete).toBe(false);
    const general = res.nodes.find((n) => n.id === 'general')!;
    expect(general.satisfied).toBe(false);
    expect(general.missing).toEqual({ credits: 3000 - 1200 });
    expect(res.nodes.find((n) => n.id === 'major')!.satisfied).toBe(true);
    // 48 credits end in the academic year 2019/20: 42 count.
    expect(res.total).toEqual({ credits: 10800 + 1200 - 600, required: 14000, satisfied: false });
  });
});

const ROUNDS = Number(process.env.AUDIT_ROUNDS ?? 250);
const SEED = Number(process.env.AUDIT_SEED ?? 7);

describe('assignment', () => {
  it('finds the assignment first-fit greedy misses: a course that two requirements accept goes where only it can', () => {
    // First-fit in transcript order puts CS101 into "one of CS101/CS102" and leaves "CS101" unmet.
    const r: Requirements = {
      totalCredits: 0,
      root: ['either', 'cs101'],
      nodes: [
        { id: 'either', kind: 'courses', titleZh: '二选一', titleEn: 'One of', courses: ['CS101', 'CS102'], pick: 1 },
        { id: 'cs101', kind: 'courses', titleZh: '必修', titleEn: 'Required', courses: ['CS101'] },
      ],
    };
    const res = audit(r, [item({ credits: 300, courseCode: 'CS101' }), item({ credits: 300, courseCode: 'CS102' })], { asOf });
    expect(res.complete).toBe(true);
    expect(res.nodes[0]!.items).toHaveLength(1);
    expect(res.nodes[1]!.items).toHaveLength(1);
  });

  it('with credits that cannot be split: the 3-credit course fills the narrow requirement, the small ones the wide one', () => {
    const r: Requirements = {
      totalCredits: 0,
      root: ['wide', 'narrow'],
      nodes: [
        { id: 'wide', kind: 'credits', titleZh: '专业', titleEn: 'Major', minCredits: 400, filter: { fields: ['06'] } },
        { id: 'narrow', kind: 'credits', titleZh: '软件', titleEn: 'Software', minCredits: 300, filter: { fields: ['0613'] } },
      ],
    };
    const items = [
      item({ credits: 300, field: '0613' }),
      item({ credits: 300, field: '0613' }),
      item({ credits: 200, field: '0612' }),
      item({ credits: 200, field: '0612' }),
    ];
    const res = audit(r, items, { asOf });
    expect(res.complete).toBe(true);
  });

  it('meets every requirement whenever some assignment does (checked against brute force on random records)', () => {
    let rand = SEED;
    const next = (n: number) => {
      rand = (rand * 1103515245 + 12345) % 2 ** 31;
      return rand % n;
    };
    let feasible = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const codes = ['A', 'B', 'C', 'D'];
      const fields = ['0611', '0612', '0613', '0541'];
      const leaves: Leaf[] = [];
      const nLeaves = 2 + next(2);
      for (let l = 0; l < nLeaves; l++) {
        if (next(3) === 0) {
          const courses = codes.filter(() => next(2) === 0);
          if (courses.length === 0) courses.push('A');
          leaves.push({ id: `L${l}`, kind: 'courses', titleZh: '', titleEn: '', courses, pick: 1 + next(courses.length) });
        } else {
          leaves.push({
            id: `L${l}`,
            kind: 'credits',
            titleZh: '',
            titleEn: '',
            minCredits: 100 * (1 + next(4)),
            filter: { fields: fields.filter(() => next(2) === 0).concat(next(2) ? ['06'] : []) },
          });
        }
      }
      const r: Requirements = {
        totalCredits: 100 * next(8),
        root: leaves.map((l) => l.id),
        nodes: leaves,
        caps: next(2) ? { perSemester: 100 * (4 + next(6)) } : undefined,
        yearStartMonth: 9,
      };
      const items = Array.from({ length: 3 + next(4) }, (_, k) =>
        item({
          id: `x${k}`,
          credits: 100 * (1 + next(4)),
          courseCode: next(2) ? codes[next(4)]! : null,
          field: fields[next(4)]!,
          completedOn: next(2) ? '2024-01-10' : '2024-07-10',
        }),
      );
      const res = audit(r, items, { asOf });
      const brute = bruteForce(r, leaves, items);
      expect(res.complete, JSON.stringify({ r, items })).toBe(brute);
      if (brute) {
        feasible++;
        expectValid(res, items);
      }
    }
    expect(feasible).toBeGreaterThan(20);
  });

  it('splits 3+3+2+2 credits into two requirements of 5 each, which the greedy pass alone cannot', () => {
    const r: Requirements = {
      totalCredits: 1000,
      root: ['a', 'b'],
      nodes: [
        { id: 'a', kind: 'credits', titleZh: '', titleEn: 'A', minCredits: 500, filter: { fields: ['06'] } },
        { id: 'b', kind: 'credits', titleZh: '', titleEn: 'B', minCredits: 500, filter: { fields: ['06'] } },
      ],
    };
    const items = [300, 300, 200, 200].map((credits) => item({ credits }));
    expect(audit(r, items, { asOf, budget: 0 })).toMatchObject({ complete: false, exhaustive: false });
    const res = audit(r, items, { asOf });
    expect(res).toMatchObject({ complete: true, exhaustive: true });
    expect(res.nodes.map((n) => n.credits)).toEqual([500, 500]);
  });
});

/** Whether any assignment (each item to one leaf, free, or not counted) meets everything. */
function bruteForce(r: Requirements, leaves: Leaf[], items: CreditItem[]): boolean {
  const options = leaves.length + 2;
  const choice = items.map(() => 0);
  for (;;) {
    if (meets(r, leaves, items, choice)) return true;
    let k = 0;
    while (k < items.length && ++choice[k]! === options) choice[k++] = 0;
    if (k === items.length) return false;
  }
}

function meets(r: Requirements, leaves: Leaf[], items: CreditItem[], choice: number[]): boolean {
  const sem = new Map<string, number>();
  let total = 0;
  const leafCredits = leaves.map(() => 0);
  const leafCodes = leaves.map(() => new Set<string>());
  for (let i = 0; i < items.length; i++) {
    const c = choice[i]!;
    if (c === leaves.length + 1) continue; // not counted
    const it = items[i]!;
    total += it.credits;
    sem.set(it.completedOn, (sem.get(it.completedOn) ?? 0) + it.credits);
    if (c < leaves.length) {
      const leaf = leaves[c]!;
      const ok =
        leaf.kind === 'courses' ? it.courseCode !== null && leaf.courses.includes(it.courseCode) : leaf.filter.fields!.some((f) => it.field.startsWith(f));
      if (!ok) return false;
      leafCredits[c]! += it.credits;
      if (it.courseCode) leafCodes[c]!.add(it.courseCode);
    }
  }
  if (r.caps?.perSemester !== undefined && [...sem.values()].some((v) => v > r.caps!.perSemester!)) return false;
  if (total < r.totalCredits) return false;
  return leaves.every((l, j) => (l.kind === 'courses' ? leafCodes[j]!.size >= (l.pick ?? l.courses.length) : leafCredits[j]! >= l.minCredits));
}

/** The audit's own answer obeys the rules: no item twice, every leaf's items acceptable. */
function expectValid(res: AuditResult, items: CreditItem[]) {
  const used = res.nodes.flatMap((n) => n.items);
  expect(new Set(used).size).toBe(used.length);
  for (const n of res.nodes) for (const id of n.items) expect(res.counted).toContain(id);
  expect(res.total.credits).toBe(items.filter((i) => res.counted.includes(i.id)).reduce((t, i) => t + i.credits, 0));
}

describe('blocks, sharing, waivers, substitutions', () => {
  const programme: Requirements = {
    totalCredits: 1200,
    residency: 600,
    root: ['core', 'electives'],
    nodes: [
      { id: 'core', kind: 'block', titleZh: '专业核心', titleEn: 'Core', children: ['req', 'pick'], minCredits: 900 },
      { id: 'req', kind: 'courses', titleZh: '必修', titleEn: 'Required', courses: ['CS1', 'CS2'] },
      { id: 'pick', kind: 'courses', titleZh: '选一', titleEn: 'One of', courses: ['CS3', 'CS4'], pick: 1 },
      { id: 'electives', kind: 'credits', titleZh: '选修', titleEn: 'Electives', minCredits: 300, maxCredits: 300, filter: { fields: ['02'] } },
    ],
  };
  const cs = (code: string, credits = 300, origin: CreditItem['origin'] = 'home') => item({ credits, courseCode: code, origin });

  it('a block needs its credits as well as its requirements', () => {
    const res = audit(programme, [cs('CS1'), cs('CS2'), cs('CS3'), item({ credits: 300, field: '0231' })], { asOf });
    expect(res.nodes[0]!.satisfied).toBe(true);
    expect(res.nodes[0]!.credits).toBe(900);
    expect(res.complete).toBe(true);
    const short = audit(programme, [cs('CS1', 200), cs('CS2'), cs('CS3'), item({ credits: 300, field: '0231' })], { asOf });
    expect(short.nodes[0]!.children!.every((c) => c.satisfied)).toBe(true);
    expect(short.nodes[0]).toMatchObject({ satisfied: false, missing: { credits: 100 } });
  });

  it('names the courses still to take', () => {
    const res = audit(programme, [cs('CS2')], { asOf });
    const [req, pick] = res.nodes[0]!.children!;
    expect(req!.missing).toEqual({ courses: ['CS1'] });
    expect(pick!.missing).toEqual({ courses: ['CS3', 'CS4'], pick: 1 });
    expect(res.residency).toEqual({ credits: 300, required: 600, satisfied: false });
  });

  it('a waived requirement passes; a substitution lets another course count for a required one', () => {
    const items = [cs('CS1'), cs('OTHER'), cs('CS3'), item({ credits: 300, field: '0231' })];
    expect(audit(programme, items, { asOf }).complete).toBe(false);
    expect(audit(programme, items, { asOf, substitutions: new Map([[items[1]!.id, 'CS2']]) }).complete).toBe(true);
    const waived = audit(programme, [cs('CS1'), cs('CS3'), cs('CS4'), item({ credits: 300, field: '0231' })], { asOf, waived: new Set(['req']) });
    expect(waived.nodes[0]!.children![0]).toMatchObject({ satisfied: true, waived: true });
  });

  it('without sharing an item counts once; with sharing it counts everywhere it is accepted', () => {
    const r: Requirements = {
      totalCredits: 0,
      root: ['a', 'b'],
      nodes: [
        { id: 'a', kind: 'credits', titleZh: '', titleEn: 'A', minCredits: 300, filter: { fields: ['06'] } },
        { id: 'b', kind: 'credits', titleZh: '', titleEn: 'B', minCredits: 300, filter: { fields: ['0613'] } },
      ],
    };
    const one = [item({ credits: 300 })];
    expect(audit(r, one, { asOf }).complete).toBe(false);
    expect(audit({ ...r, sharing: true }, one, { asOf }).complete).toBe(true);
  });

  it('flags credits counted in two programmes audited together', () => {
    const items = [cs('CS1'), cs('CS2'), cs('CS3'), item({ credits: 300, field: '0231' })];
    const minor: Requirements = { totalCredits: 0, root: ['m'], nodes: [{ id: 'm', kind: 'courses', titleZh: '', titleEn: '', courses: ['CS1'] }] };
    const twice = countedTwice([audit(programme, items, { asOf }), audit(minor, items, { asOf })]);
    expect(twice).toEqual([items[0]!.id]);
  });

  it('leaves out old credits, low levels and (for a university) courses not transferred in', () => {
    const r = { ...programme, recentYears: 10, minLevel: 5 };
    const res = audit(
      r,
      [cs('CS1'), item({ credits: 300, completedOn: '2010-01-01' }), item({ credits: 300, level: 3 }), item({ credits: 300, origin: 'external' })],
      { asOf },
    );
    expect(res.excluded.map((e) => e.reason).sort()).toEqual(['below_level', 'not_transferred', 'too_old']);
  });

  it('never throws on odd records: empty, all at zero credits, only certificates', () => {
    for (const items of [[], [item({ credits: 0 })], [item({ credits: 200, origin: 'certificate' }), item({ credits: 200, origin: 'certificate' })]]) {
      const res = audit(programme, items, { asOf });
      expect(res.complete).toBe(false);
      expect(res.nodes).toHaveLength(2);
    }
    expect(audit(acbs, [], { asOf }).total).toEqual({ credits: 0, required: 14000, satisfied: false });
  });
});

describe('checking requirements', () => {
  const base = (): Requirements => JSON.parse(JSON.stringify(acbs));
  const fails = (r: Requirements, path: string, known?: Set<string>) => {
    try {
      checkRequirements(r, known);
    } catch (e) {
      expect(e).toBeInstanceOf(RequirementsError);
      expect((e as RequirementsError).path).toBe(path);
      return;
    }
    throw new Error('accepted');
  };

  it('accepts the ACBS bachelor', () => expect(() => checkRequirements(acbs)).not.toThrow());

  it('rejects cycles, unknown and unreachable nodes with the path of the bad node', () => {
    const r = base();
    r.nodes.push(
      { id: 'b1', kind: 'block', titleZh: '', titleEn: '', children: ['b2'] },
      { id: 'b2', kind: 'block', titleZh: '', titleEn: '', children: ['b1'] },
    );
    r.root.push('b1');
    fails(r, 'nodes[3].children[0]');
    const unknown = base();
    unknown.root.push('nope');
    fails(unknown, 'root[2]');
    const stray = base();
    stray.nodes.push({ id: 'x', kind: 'credits', titleZh: '', titleEn: '', minCredits: 0, filter: {} });
    fails(stray, 'nodes[2]');
  });

  it('rejects unknown courses, caps below minimums and negative numbers', () => {
    const r = base();
    r.nodes.push({ id: 'c', kind: 'courses', titleZh: '', titleEn: '', courses: ['CS1', 'NOPE'] });
    r.root.push('c');
    fails(r, 'nodes[2].courses[1]', new Set(['CS1']));
    const cap = base();
    cap.nodes[0] = { ...(cap.nodes[0] as Leaf & { kind: 'credits' }), maxCredits: 100 };
    fails(cap, 'nodes[0].maxCredits');
    const sem = base();
    sem.caps!.perSemester = 5000;
    fails(sem, 'caps.perSemester');
    const neg = base();
    neg.totalCredits = -1;
    fails(neg, 'totalCredits');
    const nf = base();
    nf.caps!.nonFormal = { credits: 500 };
    nf.nodes.push({ id: 'nf', kind: 'credits', titleZh: '', titleEn: '', minCredits: 600, filter: { origins: ['nonformal'] } });
    nf.root.push('nf');
    fails(nf, 'nodes[2].minCredits');
  });
});

describe('planning', () => {
  it('finds the earliest term under the semester and yearly caps', async () => {
    const { earliestTerm, termOf } = await import('./plan.js');
    expect(termOf('2026-11-22')).toEqual({ startYear: 2026, semester: 1 });
    expect(termOf('2027-01-10')).toEqual({ startYear: 2026, semester: 1 });
    expect(termOf('2027-03-01')).toEqual({ startYear: 2026, semester: 2 });
    const from = { startYear: 2027, semester: 1 as const };
    expect(earliestTerm(0, from, { perSemester: 2400 })).toBeNull();
    expect(earliestTerm(2400, from, { perSemester: 2400, perYear: 4200 })).toEqual(from);
    // 24 + 18 in 2027/28 (the yearly cap), 24 + 18 in 2028/29, 20 in the first semester of 2029/30.
    expect(earliestTerm(10400, from, { perSemester: 2400, perYear: 4200 })).toEqual({ startYear: 2029, semester: 1 });
    expect(earliestTerm(10400, from, {})).toEqual(from);
  });
});

describe('the flow bound', () => {
  it('says whether credits split freely could meet every demand', async () => {
    const { demandsFit } = await import('./flow.js');
    // Two items of 3 credits; A accepts both, B only the second.
    expect(demandsFit([300, 300], [[0], [0, 1]], [300, 300])).toBe(true);
    expect(demandsFit([300, 300], [[0], [0, 1]], [400, 300])).toBe(false);
    expect(demandsFit([300, 300], [[0], [0, 1]], [100, 500])).toBe(false);
    expect(demandsFit([], [], [0, 0])).toBe(true);
    expect(demandsFit([500], [[]], [100])).toBe(false);
  });
});

describe('the search bounds', () => {
  it('draws certificates through their count cap in the flow', async () => {
    const { demandsFit } = await import('./flow.js');
    // Two 3-credit certificates, of which one may count: 6 credits cannot be met, 3 can.
    expect(demandsFit([300, 300], [[0], [0]], [600])).toBe(true);
    expect(demandsFit([300, 300], [[0], [0]], [600], [{ cap: 300 }], [0, 0])).toBe(false);
    expect(demandsFit([300, 300], [[0], [0]], [300], [{ cap: 300 }], [0, 0])).toBe(true);
    // A pool inside a pool: the outer one binds.
    expect(demandsFit([300, 300, 300], [[0], [0], [0]], [600], [{ cap: 300 }, { cap: 600, parent: 0 }], [1, 1, -1])).toBe(true);
    expect(demandsFit([300, 300, 300], [[0], [0], [0]], [700], [{ cap: 300 }, { cap: 600, parent: 0 }], [1, 1, -1])).toBe(false);
  });

  it('proves at once that capped certificates cannot meet a requirement the items alone could', () => {
    const r: Requirements = {
      totalCredits: 0,
      root: ['skills', 'other'],
      nodes: [
        { id: 'skills', kind: 'credits', titleZh: '', titleEn: 'Skills', minCredits: 600, filter: { fields: ['0613'] } },
        { id: 'other', kind: 'credits', titleZh: '', titleEn: 'Other', minCredits: 300, filter: { fields: ['06'] } },
      ],
      caps: { certificates: { count: 2 } },
    };
    const certs = [0, 1, 2].map((k) => item({ credits: 300, origin: 'certificate', source: `BODY${k}` }));
    // Three certificates offer 9 credits for the 6 + 3 needed, but only two may count.
    const res = audit(r, certs, { asOf, budget: 20 });
    expect(res).toMatchObject({ complete: false, exhaustive: true });
    expect(audit({ ...r, caps: { certificates: { count: 3 } } }, certs, { asOf, budget: 5 })).toMatchObject({ complete: true, exhaustive: true });
  });

  it('proves at once that the yearly cap keeps the total out of reach', () => {
    const r: Requirements = { ...acbs, totalCredits: 5000, nodes: acbs.nodes.map((n) => ({ ...n, minCredits: 300 }) as Leaf), caps: { perYear: 4200 } };
    // 18 three-credit courses in one academic year: 54 credits, of which 42 may count.
    const items = Array.from({ length: 18 }, (_, k) => item({ credits: 300, completedOn: '2024-07-10', field: k % 2 ? '0613' : '0231' }));
    expect(audit(r, items, { asOf, budget: 1 })).toMatchObject({ complete: false, exhaustive: true });
  });

  it('never declares impossible what brute force completes, with caps, certificates, blocks and residency (random records)', () => {
    let rand = SEED * 7919 + 17;
    const next = (n: number) => {
      rand = (rand * 1103515245 + 12345) % 2 ** 31;
      return rand % n;
    };
    const codes = ['A', 'B', 'C'];
    const fields = ['0611', '0612', '0231'];
    let feasible = 0;
    let infeasible = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const leaves: Leaf[] = [];
      const nLeaves = 2 + next(2);
      for (let l = 0; l < nLeaves; l++) {
        if (next(3) === 0) {
          const courses = codes.filter(() => next(2) === 0);
          if (courses.length === 0) courses.push('A');
          leaves.push({ id: `L${l}`, kind: 'courses', titleZh: '', titleEn: '', courses, pick: 1 + next(courses.length) });
        } else {
          const minCredits = 100 * (1 + next(4));
          const max = next(3) === 0 ? { maxCredits: minCredits + 100 * next(3) } : {};
          leaves.push({
            id: `L${l}`,
            kind: 'credits',
            titleZh: '',
            titleEn: '',
            minCredits,
            ...max,
            filter: { fields: fields.filter(() => next(2) === 0).concat(next(2) ? ['06'] : []) },
          });
        }
      }
      const inBlock = leaves.slice(0, 2).map((l) => l.id);
      const block = { id: 'B', kind: 'block' as const, titleZh: '', titleEn: '', children: inBlock, minCredits: next(2) ? 100 * (2 + next(5)) : undefined };
      const caps: Requirements['caps'] = {};
      if (next(2)) caps.perSemester = 100 * (4 + next(5));
      if (next(3) === 0) caps.perYear = Math.max(caps.perSemester ?? 0, 100 * (5 + next(5)));
      if (next(3) === 0) caps.perSource = 100 * (3 + next(6));
      if (next(2)) caps.certificates = { count: next(3) };
      if (next(3) === 0) caps.nonFormal = { credits: 100 * (1 + next(5)) };
      const r: Requirements = {
        totalCredits: 100 * next(10),
        residency: next(3) === 0 ? 100 * next(5) : undefined,
        root: ['B', ...leaves.slice(2).map((l) => l.id)],
        nodes: [block, ...leaves],
        caps,
        yearStartMonth: 9,
      };
      const days = ['2023-10-10', '2024-01-10', '2024-07-10'];
      const origins: CreditItem['origin'][] = ['home', 'home', 'certificate', 'nonformal', 'transfer'];
      const items = Array.from({ length: 3 + next(3) }, (_, k) =>
        item({
          id: `y${k}`,
          credits: 100 * (1 + next(4)),
          courseCode: next(2) ? codes[next(3)]! : null,
          field: fields[next(3)]!,
          completedOn: days[next(3)]!,
          origin: origins[next(origins.length)]!,
          source: next(2) ? 'HXU' : 'JNVC',
        }),
      );
      const res = audit(r, items, { asOf });
      const brute = bruteForceFull(r, leaves, items);
      const context = JSON.stringify({ r, items });
      expect(res.exhaustive, context).toBe(true);
      expect(res.complete, context).toBe(brute);
      if (brute) {
        feasible++;
        expectValid(res, items);
      } else infeasible++;
    }
    expect(feasible).toBeGreaterThan(20);
    expect(infeasible).toBeGreaterThan(20);
  });
});

/**
 * Brute force over every assignment (each item to one leaf, free, or not counted) with the whole
 * rule set the search must respect: caps, certificates and non-formal learning, blocks with their
 * minimums and the leaves' maximums, the total and residency. A course list takes each course once.
 */
function bruteForceFull(r: Requirements, leaves: Leaf[], items: CreditItem[]): boolean {
  const options = leaves.length + 2;
  const choice = items.map(() => 0);
  const caps = r.caps ?? {};
  const blocks = r.nodes.filter((n) => n.kind === 'block');
  const ok = (): boolean => {
    const sums = new Map<string, number>();
    const add = (key: string, v: number) => sums.set(key, (sums.get(key) ?? 0) + v);
    let total = 0;
    let home = 0;
    const leafCredits = leaves.map(() => 0);
    const leafCodes = leaves.map(() => new Set<string>());
    for (let i = 0; i < items.length; i++) {
      const c = choice[i]!;
      if (c === leaves.length + 1) continue;
      const it = items[i]!;
      const p = periodOf(it.completedOn, r.yearStartMonth ?? 9);
      total += it.credits;
      if (it.origin === 'home') home += it.credits;
      add(`sem${p.year}-${p.semester}`, it.credits);
      add(`year${p.year}`, it.credits);
      add(`src${it.source}`, it.credits);
      if (it.origin === 'certificate') add('certN', 1);
      if (it.origin === 'certificate' || it.origin === 'nonformal') add('nf', it.credits);
      if (c < leaves.length) {
        const leaf = leaves[c]!;
        if (!accepts(leaf, it)) return false;
        if (leaf.kind === 'courses') {
          if (leafCodes[c]!.has(it.courseCode!)) return false;
          leafCodes[c]!.add(it.courseCode!);
        }
        leafCredits[c]! += it.credits;
      }
    }
    for (const [key, v] of sums) {
      const cap = key.startsWith('sem')
        ? caps.perSemester
        : key.startsWith('year')
          ? caps.perYear
          : key.startsWith('src')
            ? caps.perSource
            : key === 'certN'
              ? caps.certificates?.count
              : caps.nonFormal?.credits;
      if (cap !== undefined && v > cap) return false;
    }
    if (total < r.totalCredits || (r.residency !== undefined && home < r.residency)) return false;
    if (!leaves.every((l, j) => (l.kind === 'courses' ? leafCodes[j]!.size >= (l.pick ?? l.courses.length) : leafCredits[j]! >= l.minCredits))) return false;
    const up = (j: number) => {
      const l = leaves[j]!;
      return l.kind === 'credits' && l.maxCredits !== undefined ? Math.min(leafCredits[j]!, l.maxCredits) : leafCredits[j]!;
    };
    return blocks.every((b) => b.kind !== 'block' || b.children.reduce((t, id) => t + up(leaves.findIndex((l) => l.id === id)), 0) >= (b.minCredits ?? 0));
  };
  for (;;) {
    if (ok()) return true;
    let k = 0;
    while (k < items.length && ++choice[k]! === options) choice[k++] = 0;
    if (k === items.length) return false;
  }
}
