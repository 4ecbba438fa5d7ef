// The degree audit at scale, pure: one 150-credit record against a 40-requirement programme, and a
// cohort of records, beside a floor that only sums each record's credits per requirement filter.
import { mulberry32 } from '../src/core/random.js';
import { audit } from '../src/core/requirements/audit.js';
import type { CreditItem, Leaf, Requirements } from '../src/core/requirements/model.js';

const FIELDS = ['0611', '0612', '0613', '0541', '0542', '0533', '0223', '0231', '0311', '0413'];

/** A programme of 40 requirements in 6 blocks: required courses, choose-N lists and credit minimums, with ACBS caps. */
export function programme(): Requirements {
  const nodes: Requirements['nodes'] = [];
  const root: string[] = [];
  let course = 0;
  for (let b = 0; b < 6; b++) {
    const children: string[] = [];
    for (let k = 0; k < 6; k++) {
      const id = `b${b}n${k}`;
      children.push(id);
      if (k < 3) nodes.push({ id, kind: 'courses', titleZh: id, titleEn: id, courses: [`C${course++}`, `C${course++}`] });
      else if (k < 5) nodes.push({ id, kind: 'courses', titleZh: id, titleEn: id, courses: [`C${course++}`, `C${course++}`, `C${course++}`], pick: 2 });
      else nodes.push({ id, kind: 'credits', titleZh: id, titleEn: id, minCredits: 600, filter: { fields: [FIELDS[b]!] } });
    }
    nodes.push({ id: `b${b}`, kind: 'block', titleZh: `b${b}`, titleEn: `b${b}`, children, minCredits: 1800 });
    root.push(`b${b}`);
  }
  // 36 leaves in blocks, 6 blocks: 42 nodes; plus two programme-wide credit requirements.
  nodes.push({ id: 'general', kind: 'credits', titleZh: 'g', titleEn: 'g', minCredits: 1200, filter: { fields: ['02', '03', '04'] } });
  nodes.push({ id: 'major', kind: 'credits', titleZh: 'm', titleEn: 'm', minCredits: 1500, filter: { fields: ['06'] } });
  root.push('general', 'major');
  return {
    totalCredits: 14000,
    root,
    nodes,
    yearStartMonth: 3,
    countExternal: true,
    caps: { perYear: 4200, perSemester: 2400, perSource: 10500, certificates: { count: 3 } },
  };
}

/**
 * A record of about 150 credits, as a learner who follows the programme leaves it: its courses and
 * electives in each block's field and in general education, each missed now and then, a few of
 * them certificates, eight courses a semester.
 */
export function record(seed: number, courseCount: number): CreditItem[] {
  const rand = mulberry32(seed);
  const planned = [
    ...Array.from({ length: courseCount }, (_, i) => ({ code: `C${i}` as string | null, credits: 130, field: FIELDS[Math.floor(rand() * FIELDS.length)]! })),
    ...FIELDS.slice(0, 6).flatMap((field) => [0, 1, 2].map(() => ({ code: null, credits: 300, field }))),
    ...['0223', '0231', '0311', '0413', '0223'].map((field) => ({ code: null, credits: 300, field })),
  ].filter(() => rand() < 0.97);
  return planned.map((c, i) => {
    const half = Math.floor(i / 8);
    const cert = c.code === null && rand() < 0.15;
    return {
      id: `${seed}-${i}`,
      courseCode: c.code,
      category: null,
      source: cert ? `BODY${i}` : i % 3 === 0 ? 'JNVC' : 'HXU',
      origin: cert ? 'certificate' : 'home',
      credits: c.credits,
      completedOn: `${2019 + Math.floor(half / 2)}-${half % 2 === 0 ? '07-10' : '12-20'}`,
      level: 6,
      field: c.field,
    };
  });
}

function floorSum(r: Requirements, items: CreditItem[]) {
  const leaves = r.nodes.filter((n): n is Leaf => n.kind !== 'block');
  const sums = new Array<number>(leaves.length).fill(0);
  for (const it of items)
    leaves.forEach((l, j) => {
      if (l.kind === 'courses' ? it.courseCode !== null && l.courses.includes(it.courseCode) : l.filter.fields!.some((f) => it.field.startsWith(f)))
        sums[j]! += it.credits;
    });
  return sums;
}

export function benchAudits(scale: number) {
  const r = programme();
  const courseCount = r.nodes.reduce((n, x) => n + (x.kind === 'courses' ? x.courses.length : 0), 0);
  const records = Array.from({ length: 1000 }, (_, i) => record(i + 1, courseCount));
  const time = (f: () => unknown) => {
    const t = performance.now();
    f();
    return performance.now() - t;
  };
  for (let i = 0; i < 200; i++) audit(r, records[i % records.length]!, { asOf: '2026-11-22' });
  const one = records.map((items) => time(() => audit(r, items, { asOf: '2026-11-22' })));
  const floor = records.map((items) => time(() => floorSum(r, items)));
  const results = records.map((items) => audit(r, items, { asOf: '2026-11-22' }));
  const complete = results.filter((a) => a.complete).length;
  const cutShort = results.filter((a) => !a.exhaustive).length;
  const cohort = Math.round(100_000 * scale);
  const started = performance.now();
  for (let i = 0; i < cohort; i++) audit(r, records[i % records.length]!, { asOf: '2026-11-22' });
  const perSecond = cohort / ((performance.now() - started) / 1000);
  const floorStarted = performance.now();
  for (let i = 0; i < cohort; i++) floorSum(r, records[i % records.length]!);
  const floorPerSecond = cohort / ((performance.now() - floorStarted) / 1000);
  const credits = records.map((items) => items.reduce((t, i) => t + i.credits, 0) / 100);
  return {
    one,
    floor,
    perSecond,
    floorPerSecond,
    cohort,
    complete,
    cutShort,
    records: records.length,
    requirements: r.nodes.length,
    items: records.reduce((t, x) => t + x.length, 0) / records.length,
    credits: credits.reduce((a, b) => a + b, 0) / credits.length,
  };
}
