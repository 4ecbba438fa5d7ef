// The indicators against values computed by hand on a small month of applications and transfers.
import { describe, expect, it } from 'vitest';
import { ruleAudit } from './rules.js';
import { passingPosition } from '../grades/scales.js';
import { broadField } from '../isced.js';
import {
  awardFigures,
  breakdown,
  certificationFigures,
  conversionSpread,
  DEFINITIONS,
  funnels,
  ledgerFigures,
  percentile,
  satisfactionFigures,
  suppressed,
  transferFigures,
  type AwardFacts,
  type CertificationFacts,
  type TransferLineFacts,
} from './indicators.js';

const d = (s: string) => new Date(`${s}T09:00:00Z`);
const jan = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') };
const ev = (at: string, action: string, toStatus: string, reason: string | null = null) => ({ at: d(at), action, toStatus, reason });

const apps: CertificationFacts[] = [
  {
    id: 'A',
    learnerId: 'l1',
    status: 'approved',
    creditsGranted: 4,
    events: [ev('2025-01-02', 'submit', 'submitted'), ev('2025-01-12', 'approve', 'approved')],
  },
  {
    id: 'B',
    learnerId: 'l2',
    status: 'approved',
    creditsGranted: 3,
    events: [
      ev('2025-01-05', 'submit', 'submitted'),
      ev('2025-01-08', 'reject', 'rejected', 'expired certificate'),
      ev('2025-01-10', 'appeal', 'appealed'),
      ev('2025-01-15', 'vote', 'appealed'),
      ev('2025-01-20', 'vote', 'approved'),
    ],
  },
  {
    id: 'C',
    learnerId: 'l3',
    status: 'rejected',
    creditsGranted: null,
    events: [ev('2024-12-20', 'submit', 'submitted'), ev('2025-01-03', 'reject', 'rejected', ' expired certificate ')],
  },
  {
    id: 'D',
    learnerId: 'l4',
    status: 'more_info',
    creditsGranted: null,
    events: [ev('2025-01-25', 'submit', 'submitted'), ev('2025-01-28', 'request_info', 'more_info')],
  },
  {
    id: 'E',
    learnerId: 'l5',
    status: 'approved',
    creditsGranted: 6,
    events: [ev('2024-12-01', 'submit', 'submitted'), ev('2024-12-05', 'approve', 'approved')],
  },
  { id: 'F', learnerId: 'l6', status: 'submitted', creditsGranted: null, events: [ev('2025-01-30', 'submit', 'submitted')] },
  { id: 'G', learnerId: 'l7', status: 'draft', creditsGranted: null, events: [] },
];

describe('quality indicators', () => {
  it('defines each indicator once, with a formula in both languages', () => {
    expect(new Set(DEFINITIONS.map((x) => x.id)).size).toBe(DEFINITIONS.length);
    for (const x of DEFINITIONS) expect(x.formulaZh.length * x.formulaEn.length).toBeGreaterThan(0);
  });

  it('computes the certification figures of a month by hand', () => {
    const f = certificationFigures(apps, jan);
    expect(f.values).toEqual({
      'certification.submitted': 4, // A, B, D, F (C and E were submitted in December)
      'certification.decided': 3, // first decisions in January: A approve, B reject, C reject
      'certification.acceptance_rate': 1 / 3,
      'certification.days_p50': 10, // days 3, 10, 14
      'certification.days_p90': 14,
      'certification.backlog': 2, // D awaiting information, F awaiting review
      'certification.appeals': 1,
      'certification.overturn_rate': 1, // B's appeal approved
      'certification.credits': 7, // A 4 and B 3 on appeal; E was approved in December
    });
    expect(f.rejectionReasons).toEqual([{ reason: 'expired certificate', count: 2, learners: 2 }]);
  });

  it('has no rate where nothing was decided, and counts the backlog as it stood', () => {
    const dec = { from: new Date('2024-12-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') };
    const f = certificationFigures(apps, dec);
    expect(f.values['certification.submitted']).toBe(2);
    expect(f.values['certification.acceptance_rate']).toBe(1); // E only
    expect(f.values['certification.backlog']).toBe(1); // C, submitted 20 December, undecided until 3 January
    expect(certificationFigures([], jan).values['certification.acceptance_rate']).toBeNull();
    expect(certificationFigures([], jan).values['certification.days_p50']).toBeNull();
  });

  it('computes transfer figures overall and per institution pair', () => {
    const line = (source: string, target: string, learnerId: string, status: string, credits: number | null, at: string | null): TransferLineFacts => ({
      sourceInstitutionId: source,
      targetInstitutionId: target,
      learnerId,
      status,
      credits,
      decidedAt: at ? d(at) : null,
      appliedAt: d('2025-01-01'),
    });
    const lines = [
      line('UNIA', 'COLB', 'x', 'accepted', 3, '2025-01-05'),
      line('UNIA', 'COLB', 'x', 'rejected', null, '2025-01-06'),
      line('UNIA', 'COLB', 'y', 'substituted', 2, '2025-01-07'),
      line('COLB', 'UNIA', 'z', 'accepted', 4, '2024-12-30'),
      line('COLB', 'UNIA', 'z', 'pending', null, null),
    ];
    const f = transferFigures(lines, jan);
    // days from applying (1 January) to the decisions in January: 4, 5, 6
    expect(f.values).toEqual({
      'transfer.decided': 3,
      'transfer.acceptance_rate': 2 / 3,
      'transfer.credits': 5,
      'transfer.days_p50': 5,
      'transfer.days_p90': 6,
    });
    expect(f.pairs).toEqual([{ source: 'UNIA', target: 'COLB', decided: 3, accepted: 2, credits: 5, learners: 2 }]);
  });

  it('averages the ratings of the period', () => {
    const r = (rating: number, at: string) => ({ rating, at: d(at) });
    expect(satisfactionFigures([r(5, '2025-01-03'), r(2, '2025-01-20'), r(4, '2025-01-31'), r(1, '2024-12-31')], jan)).toEqual({
      'satisfaction.ratings': 3,
      'satisfaction.mean': 11 / 3,
    });
    expect(satisfactionFigures([], jan)).toEqual({ 'satisfaction.ratings': 0, 'satisfaction.mean': null });
  });

  it('takes percentiles by nearest rank and withholds cells about few learners', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([], 50)).toBeUndefined();
    expect(suppressed(3, 5)).toBe(true);
    expect(suppressed(5, 5)).toBe(false);
    expect(suppressed(0, 5)).toBe(false);
  });
});

describe('rule audit', () => {
  const period = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') };
  const at = (s: string) => new Date(`${s}T12:00:00Z`);
  const rules = [
    { id: 'S1', kind: 'standard' as const, label: 'ICPC-REGIONAL v1', institutionId: 'hxu', status: 'approved' },
    { id: 'E1', kind: 'equivalence' as const, label: 'JNVC SW101 → HXU CS101', institutionId: 'hxu', status: 'active' },
    { id: 'E2', kind: 'equivalence' as const, label: 'JNVC SW102 → HXU CS102', institutionId: 'hxu', status: 'retired' },
  ];
  const use = (ruleId: string, day: string, approved: boolean, reviewer: string) => ({ ruleId, at: at(day), approved, reviewer });
  const uses = [
    // S1: reviewer a approves 3 of 3, reviewer b approves 0 of 3: they disagree by 1.
    use('S1', '2025-01-02', true, 'a'),
    use('S1', '2025-01-03', true, 'a'),
    use('S1', '2025-01-04', true, 'a'),
    use('S1', '2025-01-05', false, 'b'),
    use('S1', '2025-01-06', false, 'b'),
    use('S1', '2025-01-07', false, 'b'),
    // E1: 2 of 3, one reviewer only; and one use in December that does not count.
    use('E1', '2025-01-10', true, 'c'),
    use('E1', '2025-01-11', true, 'c'),
    use('E1', '2025-01-12', false, 'c'),
    use('E1', '2024-12-30', true, 'c'),
  ];
  const changes = [
    { ruleId: 'E2', at: at('2025-01-20'), action: 'equivalence.retire', actor: 'registrar.hxu', why: 'course withdrawn' },
    { ruleId: 'S1', at: at('2024-11-01'), action: 'standard.approve', actor: 'committee', why: null },
  ];

  it('counts uses, acceptance, reviewers’ disagreement and changes of each rule in the period', () => {
    const rows = ruleAudit(rules, uses, changes, period);
    expect(rows[0]).toMatchObject({ id: 'S1', uses: 6, approved: 3, acceptanceRate: 0.5, disagreement: 1, changes: [] });
    expect(rows[0]!.reviewers).toEqual([
      { reviewer: 'a', uses: 3, acceptanceRate: 1 },
      { reviewer: 'b', uses: 3, acceptanceRate: 0 },
    ]);
    expect(rows[1]).toMatchObject({ id: 'E1', uses: 3, approved: 2, acceptanceRate: 2 / 3, disagreement: null });
    expect(rows[2]).toMatchObject({ id: 'E2', uses: 0, acceptanceRate: null, changes: [{ action: 'equivalence.retire', why: 'course withdrawn' }] });
  });

  it('does not compare reviewers with too few decisions', () => {
    const rows = ruleAudit(rules, uses, changes, period, { minPerReviewer: 4, spread: 0.5 });
    expect(rows[0]!.disagreement).toBeNull();
  });
});

describe('ledger, award, funnel and conversion figures', () => {
  const sum = (causeType: string, kind: string, fromState: string, toState: string, credits: number, unit = 'credit') => ({
    causeType,
    kind,
    fromState,
    toState,
    unit,
    postings: 1,
    credits,
  });

  it('nets deposits against their reversals and uses against withdrawn awards, Chinese credits in the cards', () => {
    const f = ledgerFigures([
      sum('outcome', 'deposit', '', 'available', 30),
      sum('outcome', 'reversal', 'available', '', 3), // a corrected grade reversed 3 credits…
      sum('outcome', 'deposit', '', 'available', 3), // …and deposited them again
      sum('transfer', 'use', 'available', 'used', 5, 'ects'), // the source credits moved away
      sum('transfer', 'transfer_in', '', 'available', 4),
      sum('certification', 'deposit', '', 'available', 2),
      sum('award', 'use', 'available', 'used', 25),
      sum('award', 'reversal', 'used', 'available', 10), // a withdrawn award
      sum('outcome', 'deposit', '', 'available', 12, 'ects'),
    ]);
    expect(f.values).toEqual({ 'ledger.credits_in': 36, 'ledger.credits_used': 15 }); // 30 − 3 + 3 + 4 + 2; 25 − 10
    expect(f.rows).toEqual([
      { cause: 'award', unit: 'credit', credited: 0, used: 15, postings: 2 },
      { cause: 'certification', unit: 'credit', credited: 2, used: 0, postings: 1 },
      { cause: 'outcome', unit: 'credit', credited: 30, used: 0, postings: 3 },
      { cause: 'outcome', unit: 'ects', credited: 12, used: 0, postings: 1 },
      { cause: 'transfer', unit: 'credit', credited: 4, used: 0, postings: 1 },
      { cause: 'transfer', unit: 'ects', credited: 0, used: 5, postings: 1 },
    ]);
  });

  const award = (id: string, status: string, applied: string, decided: string | null, credits: AwardFacts['credits'], unit = 'credit'): AwardFacts => ({
    id,
    learnerId: `l${id}`,
    status,
    appliedAt: d(applied),
    decidedAt: decided ? d(decided) : null,
    unit,
    credits,
  });
  const awards = [
    award('1', 'approved', '2025-01-03', '2025-01-10', { home: 100, transfer: 30, certification: 10 }),
    award('2', 'approved', '2024-12-20', '2025-01-04', { home: 120, external: 20 }),
    award('3', 'withdrawn', '2025-01-02', '2025-01-20', { home: 140 }),
    award('4', 'rejected', '2025-01-05', '2025-01-06', { home: 90 }),
    award('5', 'applied', '2025-01-25', null, { home: 140 }),
    award('6', 'approved', '2024-11-01', '2024-12-01', { home: 10, transfer: 130 }),
  ];

  it('computes award shares and the semesters recognition saved, by hand', () => {
    expect(awardFigures(awards, jan)).toEqual({
      'awards.approved': 2, // 1 and 2; 3 was withdrawn, 6 was approved in December
      'awards.recognised_share': 60 / 280, // (30 + 10 + 20) of (140 + 140)
      'awards.nonformal_share': 10 / 280,
      'awards.semesters_saved': 1, // award 1: 40 / 20 = 2 semesters; award 2: none; mean 1
      'awards.days_p50': 7, // decided in January: 1 after 7 days, 2 after 15, 4 (rejected) after 1; 3's date is its withdrawal
    });
  });

  it('follows what entered each workflow in the period through its stages', () => {
    const f = funnels(
      {
        certification: apps,
        transferLines: [
          { learnerId: 'l1', appliedAt: d('2025-01-02'), status: 'accepted' },
          { learnerId: 'l1', appliedAt: d('2025-01-02'), status: 'rejected' },
          { learnerId: 'l2', appliedAt: d('2025-01-09'), status: 'pending' },
          { learnerId: 'l3', appliedAt: d('2024-12-09'), status: 'accepted' },
        ],
        awards,
      },
      jan,
    );
    const counts = Object.fromEntries(f.map((w) => [w.workflow, w.stages.map((s) => [s.id, s.count, s.learners])]));
    expect(counts).toEqual({
      certification: [
        ['submitted', 4, 4],
        ['decided', 2, 2],
        ['approved', 2, 2],
      ], // A, B, D, F submitted; A and B decided; A approved, B on appeal
      transfer: [
        ['submitted', 3, 2],
        ['decided', 2, 1],
        ['accepted', 1, 1],
      ],
      award: [
        ['applied', 4, 4],
        ['decided', 3, 3],
        ['approved', 1, 1],
      ], // 1, 3, 4, 5 applied in January; 3 withdrawn since
    });
  });

  it('measures how far conversions moved grades between two institutions', () => {
    const five = {
      type: 'levels' as const,
      levels: ['优', '良', '中', '及格', '不及格'].map((code, i) => ({ code, labelZh: code, labelEn: code, passing: i < 4 })),
    };
    const pct = { type: 'percentage' as const, passMin: 60, decimals: 0 };
    const german = { type: 'numeric' as const, best: 1, worst: 5, pass: 4, decimals: 1 };
    expect(passingPosition(five, '良')).toBeCloseTo(2 / 3);
    expect(passingPosition(pct, '90')).toBeCloseTo(0.75);
    expect(passingPosition(german, '2.5')).toBeCloseTo(0.5);
    expect(passingPosition(pct, '59')).toBeNull();
    expect(passingPosition({ type: 'pass_fail' }, 'Pass')).toBeNull();
    const at = d('2025-01-10');
    const spread = conversionSpread(
      [
        { source: 'A', target: 'B', learnerId: 'l1', decidedAt: at, from: 0.75, to: 2 / 3 }, // 90 → 良: down 8.3
        { source: 'A', target: 'B', learnerId: 'l2', decidedAt: at, from: 1, to: 1 }, // 100 → 优: same
        { source: 'A', target: 'B', learnerId: 'l2', decidedAt: at, from: 0.5, to: 2 / 3 }, // 80 → 良: up 16.7
        { source: 'A', target: 'B', learnerId: 'l3', decidedAt: d('2024-12-10'), from: 0, to: 1 }, // December: not counted
      ],
      jan,
    );
    expect(spread).toEqual([{ source: 'A', target: 'B', lines: 3, learners: 2, meanShift: 2.8, sd: 10.4, lower: 1, same: 1, higher: 1 }]);
  });
});

describe('breakdown by kind of outcome and by field', () => {
  it('applies the headline definitions group by group, by hand', () => {
    const kinded: CertificationFacts[] = [
      { ...apps[0]!, kind: 'vocational_certificate', field: '0613' }, // A: submitted, approved in January, 4 credits
      { ...apps[1]!, kind: 'vocational_certificate', field: '0714' }, // B: submitted, rejected, approved on appeal, 3 credits
      { ...apps[4]!, kind: 'micro_credential', field: '06' }, // E: all in December: not in January's groups
      { ...apps[5]!, kind: 'work_experience', field: null }, // F: submitted in January, waiting
    ];
    const lines = [
      { field: '0612', sourceInstitutionId: 'S', targetInstitutionId: 'T', learnerId: 'l9', status: 'accepted', credits: 3, decidedAt: d('2025-01-10') },
      { field: '0612', sourceInstitutionId: 'S', targetInstitutionId: 'T', learnerId: 'l9', status: 'rejected', credits: null, decidedAt: d('2025-01-10') },
      { field: null, sourceInstitutionId: 'S', targetInstitutionId: 'T', learnerId: 'l8', status: 'pending', credits: null, decidedAt: null },
    ];
    const rows = breakdown(kinded, lines, jan, broadField);
    const brief = rows.map((r) => [
      r.dimension,
      r.key,
      r.certification.submitted,
      r.certification.decided,
      r.certification.credits,
      r.transfer?.decided ?? null,
      r.transfer?.credits ?? null,
      r.learners,
    ]);
    expect(brief).toEqual([
      ['field', '06', 1, 1, 4, 2, 3, 2], // A (0613) and the two ICT lines of learner l9
      ['field', '07', 1, 1, 3, 0, 0, 1], // B
      ['field', '99', 1, 0, 0, 0, 0, 1], // F, no field
      ['kind', 'vocational_certificate', 2, 2, 7, null, null, 2],
      ['kind', 'work_experience', 1, 0, 0, null, null, 1],
    ]);
    expect(rows.find((r) => r.key === 'vocational_certificate')!.certification.acceptanceRate).toBe(0.5); // A approved, B's first decision rejected
  });
});
