// Quality indicators of credit recognition, each defined once: its name, its formula in words (shown
// beside every figure) and the function that computes it from the facts of a period. Pure: the
// facts come from the database; the definitions and arithmetic are here.

export interface Definition {
  id: string;
  titleZh: string;
  titleEn: string;
  formulaZh: string;
  formulaEn: string;
  unit: 'count' | 'ratio' | 'days' | 'credits' | 'score' | 'semesters';
}

const def = (id: string, unit: Definition['unit'], titleZh: string, titleEn: string, formulaZh: string, formulaEn: string): Definition => ({
  id,
  unit,
  titleZh,
  titleEn,
  formulaZh,
  formulaEn,
});

export const DEFINITIONS = [
  def('certification.submitted', 'count', '认定申请数', 'Certification applications', '期内首次提交的认定申请数', 'Applications first submitted in the period'),
  def(
    'certification.decided',
    'count',
    '认定决定数',
    'Certification decisions',
    '期内作出首次决定（通过或不通过）的申请数',
    'Applications whose first decision (approve or reject) fell in the period',
  ),
  def(
    'certification.acceptance_rate',
    'ratio',
    '认定通过率',
    'Certification acceptance rate',
    '期内首次决定为通过的数 ÷ 期内首次决定数',
    'First decisions in the period that approved ÷ all first decisions in the period',
  ),
  def(
    'certification.days_p50',
    'days',
    '认定办理时长（中位数）',
    'Days to a certification decision (median)',
    '期内首次决定的申请，从首次提交到首次决定的天数的中位数',
    'Median of days from first submission to first decision, over first decisions in the period',
  ),
  def(
    'certification.days_p90',
    'days',
    '认定办理时长（第90百分位）',
    'Days to a certification decision (90th percentile)',
    '同上，第90百分位（最近秩法）',
    'As above, 90th percentile (nearest rank)',
  ),
  def(
    'certification.backlog',
    'count',
    '待办认定申请',
    'Certification backlog',
    '期末处于待审、待补材料、委员会审议或申诉中的申请数',
    'Applications submitted, awaiting more information, with the committee or appealed at the end of the period',
  ),
  def('certification.appeals', 'count', '申诉数', 'Appeals', '期内提出的申诉数', 'Appeals lodged in the period'),
  def(
    'certification.overturn_rate',
    'ratio',
    '申诉改判率',
    'Appeal overturn rate',
    '期内申诉决定中改为通过的数 ÷ 期内申诉决定数',
    'Appeal decisions in the period that approved ÷ all appeal decisions in the period',
  ),
  def(
    'certification.credits',
    'credits',
    '认定学分',
    'Credits certified',
    '期内获得通过（含申诉改判）的申请所认定的学分之和',
    'Sum of credits granted by approvals in the period, appeals included',
  ),
  def('transfer.decided', 'count', '转换决定数', 'Transfer decisions', '期内作出决定的学分转换条目数', 'Transfer lines decided in the period'),
  def(
    'transfer.acceptance_rate',
    'ratio',
    '转换接受率',
    'Transfer acceptance rate',
    '期内接受或替代的条目数 ÷ 期内决定的条目数',
    'Lines accepted or substituted in the period ÷ lines decided in the period',
  ),
  def(
    'transfer.credits',
    'credits',
    '转入学分',
    'Credits transferred',
    '期内接受或替代的条目所转入的学分之和',
    'Sum of credits given by lines accepted or substituted in the period',
  ),
  def(
    'transfer.days_p50',
    'days',
    '转换办理时长（中位数）',
    'Days to a transfer decision (median)',
    '期内决定的条目，从提出转换申请到决定的天数的中位数',
    'Median of days from the transfer application to the decision, over lines decided in the period',
  ),
  def(
    'transfer.days_p90',
    'days',
    '转换办理时长（第90百分位）',
    'Days to a transfer decision (90th percentile)',
    '同上，第90百分位（最近秩法）',
    'As above, 90th percentile (nearest rank)',
  ),
  def(
    'transfer.backlog',
    'count',
    '待办转换条目',
    'Transfer backlog',
    '期末已申请、尚未决定的转换条目数',
    'Transfer lines applied for and not yet decided at the end of the period',
  ),
  def(
    'ledger.credits_in',
    'credits',
    '入账学分',
    'Credits deposited',
    '期内存入学习账户的学分（课程成绩、认定、转换），减去期内冲销的；仅计学分制（ECTS 见账务表）',
    'Credits deposited into learning accounts in the period (course results, certification, transfer) less those reversed in the period; Chinese credits only (ECTS in the ledger table)',
  ),
  def(
    'ledger.credits_used',
    'credits',
    '授予使用学分',
    'Credits used for awards',
    '期内因授予学历学位标记为已使用的学分，减去期内因撤销授予恢复的；仅计学分制',
    'Credits marked used by awards in the period less those restored by withdrawn awards in the period; Chinese credits only',
  ),
  def('awards.approved', 'count', '授予数', 'Awards approved', '期内批准且未撤销的学历学位授予数', 'Awards approved in the period and not withdrawn'),
  def(
    'awards.days_p50',
    'days',
    '授予办理时长（中位数）',
    'Days to an award decision (median)',
    '期内作出决定（批准或不批准）的授予申请，从申请到决定的天数的中位数',
    'Median of days from applying to the decision, over award applications decided (approved or rejected) in the period',
  ),
  def(
    'awards.recognised_share',
    'ratio',
    '授予中外来学分占比',
    'Share of recognised credit in awards',
    '期内批准的授予所计学分中，来自转换、认定及其他机构成绩的学分 ÷ 所计学分',
    'Of the credits counted by awards approved in the period: those from transfers, certifications and other institutions’ results ÷ all credits counted',
  ),
  def(
    'awards.nonformal_share',
    'ratio',
    '授予中非学历学习学分占比',
    'Share of non-formal credit in awards',
    '期内批准的授予所计学分中，经认定的证书、培训、微证书与工作经历的学分 ÷ 所计学分',
    'Of the credits counted by awards approved in the period: those certified from certificates, training, micro-credentials and work experience ÷ all credits counted',
  ),
  def(
    'awards.semesters_saved',
    'semesters',
    '节省学期（每项授予平均）',
    'Semesters saved (mean per award)',
    '期内批准的每项授予中，经转换和认定计入的学分 ÷ 一个全日制学期的学分（学分制 20，ECTS 30），取平均',
    'For each award approved in the period: credits counted from transfers and certifications ÷ a full-time semester’s credits (20 Chinese credits, 30 ECTS); the mean over awards',
  ),
  def(
    'satisfaction.ratings',
    'count',
    '满意度评价数',
    'Satisfaction ratings',
    '期内学习者对决定给出（或修改）的评价数',
    'Ratings learners gave (or changed) in the period about decisions on their applications',
  ),
  def(
    'satisfaction.mean',
    'score',
    '平均满意度（1–5）',
    'Mean satisfaction (1–5)',
    '期内评价分数（1至5）的平均值',
    'Mean of the ratings (1 to 5) given in the period',
  ),
] as const;

export type IndicatorId = (typeof DEFINITIONS)[number]['id'];

export interface Period {
  from: Date;
  to: Date;
}
const within = (d: Date | null | undefined, p: Period) => !!d && d >= p.from && d < p.to;

/** The p-th percentile by nearest rank (p in 0…100); undefined for no values. */
export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);
const DAY = 86_400_000;

export interface CertificationEvent {
  at: Date;
  action: string;
  toStatus: string;
  reason: string | null;
}

export interface CertificationFacts {
  id: string;
  learnerId: string;
  status: string;
  /** The kind of outcome (vocational certificate, micro-credential, work experience, …) and its ISCED-F field. */
  kind?: string;
  field?: string | null;
  creditsGranted: number | null;
  /** The application's events in order. */
  events: CertificationEvent[];
}

export interface Figures {
  values: Partial<Record<IndicatorId, number | null>>;
  /** The commonest reasons for rejection, with how many decisions gave each. */
  rejectionReasons: { reason: string; count: number; learners: number }[];
}

/** Statuses of an application that waits for someone to act. */
export const PENDING = new Set(['submitted', 'more_info', 'committee', 'appealed']);
const DECISIONS = new Set(['approved', 'rejected']);

/** Certification indicators of a period, from each application's events. */
export function certificationFigures(apps: CertificationFacts[], p: Period, asOf: Date = p.to): Figures {
  let submitted = 0;
  let appeals = 0;
  let backlog = 0;
  let credits = 0;
  const firstDecisions: { approved: boolean; days: number }[] = [];
  const appealDecisions: boolean[] = [];
  const reasons = new Map<string, Set<string>>();
  const reasonCounts = new Map<string, number>();
  for (const a of apps) {
    const submit = a.events.find((e) => e.action === 'submit');
    if (within(submit?.at, p)) submitted++;
    const decisions = a.events.filter((e) => DECISIONS.has(e.toStatus) && e.action !== 'submit');
    const first = decisions[0];
    if (first && submit && within(first.at, p)) {
      const approved = first.toStatus === 'approved';
      firstDecisions.push({ approved, days: (first.at.getTime() - submit.at.getTime()) / DAY });
      if (!approved) {
        const reason = (first.reason ?? '').trim() || '(no reason given)';
        reasonCounts.set(reason, (reasonCounts.get(reason) ?? 0) + 1);
        reasons.set(reason, (reasons.get(reason) ?? new Set()).add(a.learnerId));
      }
    }
    const approval = decisions.find((d) => d.toStatus === 'approved');
    if (within(approval?.at, p)) credits += a.creditsGranted ?? 0;
    // An appeal is decided by the first decision after it.
    a.events.forEach((e, i) => {
      if (e.action !== 'appeal') return;
      if (within(e.at, p)) appeals++;
      const decided = a.events.slice(i + 1).find((d) => DECISIONS.has(d.toStatus));
      if (decided && within(decided.at, p)) appealDecisions.push(decided.toStatus === 'approved');
    });
    // The status at the end of the period: that of the last event before it.
    const last = [...a.events].reverse().find((e) => e.at < asOf);
    if (last && PENDING.has(last.toStatus)) backlog++;
  }
  const days = firstDecisions.map((d) => d.days);
  return {
    values: {
      'certification.submitted': submitted,
      'certification.decided': firstDecisions.length,
      'certification.acceptance_rate': ratio(firstDecisions.filter((d) => d.approved).length, firstDecisions.length),
      'certification.days_p50': percentile(days, 50) ?? null,
      'certification.days_p90': percentile(days, 90) ?? null,
      'certification.backlog': backlog,
      'certification.appeals': appeals,
      'certification.overturn_rate': ratio(appealDecisions.filter(Boolean).length, appealDecisions.length),
      'certification.credits': credits,
    },
    rejectionReasons: [...reasonCounts]
      .map(([reason, count]) => ({ reason, count, learners: reasons.get(reason)!.size }))
      .sort((x, y) => y.count - x.count || x.reason.localeCompare(y.reason))
      .slice(0, 5),
  };
}

export interface TransferLineFacts {
  /** The ISCED-F field of the source course. */
  field?: string | null;
  /** When the learner applied. */
  appliedAt?: Date;
  sourceInstitutionId: string;
  targetInstitutionId: string;
  learnerId: string;
  status: string;
  credits: number | null;
  decidedAt: Date | null;
}

export interface PairFigures {
  source: string;
  target: string;
  decided: number;
  accepted: number;
  credits: number;
  learners: number;
}

/** Transfer indicators of a period, overall and per institution pair (source → target). */
export function transferFigures(lines: TransferLineFacts[], p: Period) {
  const decided = lines.filter((l) => l.status !== 'pending' && within(l.decidedAt, p));
  const accepted = decided.filter((l) => l.status === 'accepted' || l.status === 'substituted');
  const days = decided.flatMap((l) => (l.appliedAt ? [(l.decidedAt!.getTime() - l.appliedAt.getTime()) / DAY] : []));
  const pairs = new Map<string, PairFigures & { who: Set<string> }>();
  for (const l of decided) {
    const key = `${l.sourceInstitutionId}>${l.targetInstitutionId}`;
    const pair = pairs.get(key) ?? {
      source: l.sourceInstitutionId,
      target: l.targetInstitutionId,
      decided: 0,
      accepted: 0,
      credits: 0,
      learners: 0,
      who: new Set<string>(),
    };
    pair.decided++;
    if (l.status === 'accepted' || l.status === 'substituted') {
      pair.accepted++;
      pair.credits += l.credits ?? 0;
    }
    pair.who.add(l.learnerId);
    pairs.set(key, pair);
  }
  return {
    values: {
      'transfer.decided': decided.length,
      'transfer.acceptance_rate': ratio(accepted.length, decided.length),
      'transfer.credits': accepted.reduce((t, l) => t + (l.credits ?? 0), 0),
      'transfer.days_p50': percentile(days, 50) ?? null,
      'transfer.days_p90': percentile(days, 90) ?? null,
    } as Partial<Record<IndicatorId, number | null>>,
    pairs: [...pairs.values()].map(({ who, ...pair }) => ({ ...pair, learners: who.size })),
  };
}

/** A cell about fewer than `min` learners is withheld from shared reports: its figures could point at a person. */
export const suppressed = (learners: number, min: number) => learners > 0 && learners < min;

/** Satisfaction of a period: how many ratings and their mean. */
export function satisfactionFigures(ratings: { rating: number; at: Date }[], p: Period): Partial<Record<IndicatorId, number | null>> {
  const inPeriod = ratings.filter((r) => within(r.at, p));
  return {
    'satisfaction.ratings': inPeriod.length,
    'satisfaction.mean': inPeriod.length ? inPeriod.reduce((t, r) => t + r.rating, 0) / inPeriod.length : null,
  };
}

export interface LedgerSum {
  causeType: string;
  kind: string;
  /** '' for none: a deposit comes from nowhere, a reversed deposit goes nowhere. */
  fromState: string;
  toState: string;
  unit: string;
  postings: number;
  credits: number;
}

/** Ledger figures of a period by cause and unit: credits that came in (net of reversals) and credits used (net of restorations). */
export function ledgerFigures(sums: LedgerSum[]) {
  const rows = new Map<string, { cause: string; unit: string; credited: number; used: number; postings: number }>();
  for (const s of sums) {
    const key = `${s.causeType} ${s.unit}`;
    const row = rows.get(key) ?? { cause: s.causeType, unit: s.unit, credited: 0, used: 0, postings: 0 };
    if (s.fromState === '' && s.toState === 'available') row.credited += s.credits;
    if (s.fromState === 'available' && s.toState === '') row.credited -= s.credits;
    if (s.toState === 'used') row.used += s.credits;
    if (s.fromState === 'used') row.used -= s.credits;
    row.postings += s.postings;
    rows.set(key, row);
  }
  const table = [...rows.values()]
    .map((r) => ({ ...r, credited: round2(r.credited), used: round2(r.used) }))
    .sort((a, b) => a.cause.localeCompare(b.cause) || a.unit.localeCompare(b.unit));
  const credit = table.filter((r) => r.unit === 'credit');
  return {
    values: {
      'ledger.credits_in': round2(credit.filter((r) => r.cause !== 'award').reduce((t, r) => t + r.credited, 0)),
      'ledger.credits_used': round2(credit.filter((r) => r.cause === 'award').reduce((t, r) => t + r.used, 0)),
    } as Partial<Record<IndicatorId, number | null>>,
    rows: table,
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Credits of a full-time semester: ECTS has 30; for Chinese credits, a 140-credit bachelor over seven semesters gives 20. */
export const SEMESTER_CREDITS: Record<string, number> = { credit: 20, ects: 30 };

export interface AwardFacts {
  id: string;
  learnerId: string;
  status: string;
  appliedAt: Date;
  decidedAt: Date | null;
  unit: string;
  /** Credits of the counted items by origin: home, external (another institution's results), transfer, certification. */
  credits: Partial<Record<'home' | 'external' | 'transfer' | 'certification', number>>;
}

/** Award figures of a period: approvals, the shares of recognised and non-formal credit, and the semesters recognition saved. */
export function awardFigures(awards: AwardFacts[], p: Period): Partial<Record<IndicatorId, number | null>> {
  const approved = awards.filter((a) => a.status === 'approved' && within(a.decidedAt, p));
  const sum = (a: AwardFacts, origins: (keyof AwardFacts['credits'])[]) => origins.reduce((t, o) => t + (a.credits[o] ?? 0), 0);
  const all = approved.reduce((t, a) => t + sum(a, ['home', 'external', 'transfer', 'certification']), 0);
  const recognised = approved.reduce((t, a) => t + sum(a, ['external', 'transfer', 'certification']), 0);
  const nonformal = approved.reduce((t, a) => t + sum(a, ['certification']), 0);
  const saved = approved.map((a) => sum(a, ['transfer', 'certification']) / (SEMESTER_CREDITS[a.unit] ?? SEMESTER_CREDITS.credit!));
  const decided = awards.filter((a) => (a.status === 'approved' || a.status === 'rejected') && within(a.decidedAt, p));
  return {
    'awards.approved': approved.length,
    'awards.days_p50':
      percentile(
        decided.map((a) => (a.decidedAt!.getTime() - a.appliedAt.getTime()) / DAY),
        50,
      ) ?? null,
    'awards.recognised_share': ratio(recognised, all),
    'awards.nonformal_share': ratio(nonformal, all),
    'awards.semesters_saved': saved.length ? round2(saved.reduce((t, x) => t + x, 0) / saved.length) : null,
  };
}

export interface FunnelStage {
  id: string;
  labelZh: string;
  labelEn: string;
  count: number;
  learners: number;
}

const stage = (id: string, labelZh: string, labelEn: string, who: string[]): FunnelStage => ({
  id,
  labelZh,
  labelEn,
  count: who.length,
  learners: new Set(who).size,
});

/**
 * How far what entered each workflow in the period got (by now): certification applications first
 * submitted, transfer lines applied for, awards applied for.
 */
export function funnels(
  input: { certification: CertificationFacts[]; transferLines: { learnerId: string; appliedAt: Date; status: string }[]; awards: AwardFacts[] },
  p: Period,
): { workflow: 'certification' | 'transfer' | 'award'; stages: FunnelStage[] }[] {
  const apps = input.certification.filter((a) => within(a.events.find((e) => e.action === 'submit')?.at, p));
  const decided = apps.filter((a) => a.events.some((e) => DECISIONS.has(e.toStatus) && e.action !== 'submit'));
  const approved = decided.filter((a) => a.events.some((e) => e.toStatus === 'approved'));
  const lines = input.transferLines.filter((l) => within(l.appliedAt, p));
  const linesDecided = lines.filter((l) => l.status !== 'pending');
  const awards = input.awards.filter((a) => within(a.appliedAt, p));
  const awardsDecided = awards.filter((a) => a.status !== 'applied');
  const who = <T extends { learnerId: string }>(xs: T[]) => xs.map((x) => x.learnerId);
  return [
    {
      workflow: 'certification',
      stages: [
        stage('submitted', '提交', 'Submitted', who(apps)),
        stage('decided', '已决定', 'Decided', who(decided)),
        stage('approved', '通过（含申诉改判）', 'Approved (appeals included)', who(approved)),
      ],
    },
    {
      workflow: 'transfer',
      stages: [
        stage('submitted', '申请转换的条目', 'Lines applied for', who(lines)),
        stage('decided', '已决定', 'Decided', who(linesDecided)),
        stage('accepted', '接受或替代', 'Accepted or substituted', who(linesDecided.filter((l) => l.status === 'accepted' || l.status === 'substituted'))),
      ],
    },
    {
      workflow: 'award',
      stages: [
        stage('applied', '申请授予', 'Applied', who(awards)),
        stage('decided', '已决定', 'Decided', who(awardsDecided)),
        stage('approved', '批准', 'Approved', who(awardsDecided.filter((a) => a.status === 'approved'))),
      ],
    },
  ];
}

export interface ConversionFacts {
  source: string;
  target: string;
  learnerId: string;
  decidedAt: Date;
  /** Positions of the source grade and of the converted grade in their passing ranges (0 lowest pass … 1 best). */
  from: number;
  to: number;
}

/** Shifts within ±this many points count as "same". */
export const SAME_SHIFT = 5;

/**
 * Grade-conversion spread of each institution pair over conversions decided in the period: the mean
 * and standard deviation of the shift (converted position − source position, in points of 100), and
 * how many conversions moved the grade down, kept it, or moved it up.
 */
export function conversionSpread(facts: ConversionFacts[], p: Period) {
  const pairs = new Map<string, { source: string; target: string; shifts: number[]; who: Set<string> }>();
  for (const f of facts) {
    if (!within(f.decidedAt, p)) continue;
    const key = `${f.source}>${f.target}`;
    const pair = pairs.get(key) ?? { source: f.source, target: f.target, shifts: [], who: new Set<string>() };
    pair.shifts.push((f.to - f.from) * 100);
    pair.who.add(f.learnerId);
    pairs.set(key, pair);
  }
  return [...pairs.values()].map(({ source, target, shifts, who }) => {
    const mean = shifts.reduce((t, x) => t + x, 0) / shifts.length;
    const sd = Math.sqrt(shifts.reduce((t, x) => t + (x - mean) ** 2, 0) / shifts.length);
    return {
      source,
      target,
      lines: shifts.length,
      learners: who.size,
      meanShift: Math.round(mean * 10) / 10,
      sd: Math.round(sd * 10) / 10,
      lower: shifts.filter((x) => x < -SAME_SHIFT).length,
      same: shifts.filter((x) => Math.abs(x) <= SAME_SHIFT).length,
      higher: shifts.filter((x) => x > SAME_SHIFT).length,
    };
  });
}

export interface BreakdownRow {
  dimension: 'kind' | 'field';
  key: string;
  certification: { submitted: number; decided: number; acceptanceRate: number | null; credits: number };
  transfer: { decided: number; acceptanceRate: number | null; credits: number } | null;
  learners: number;
}

/**
 * Certification by kind of outcome, and certification and transfer by broad field (ISCED-F), for the
 * period: the same definitions as the headline figures, group by group.
 */
export function breakdown(
  apps: CertificationFacts[],
  lines: TransferLineFacts[],
  p: Period,
  fieldOf: (code: string | null | undefined) => string,
): BreakdownRow[] {
  const groups = <T>(xs: T[], key: (x: T) => string) => {
    const m = new Map<string, T[]>();
    for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
    return m;
  };
  const cert = (group: CertificationFacts[]) => {
    const v = certificationFigures(group, p).values;
    return {
      submitted: v['certification.submitted'] ?? 0,
      decided: v['certification.decided'] ?? 0,
      acceptanceRate: v['certification.acceptance_rate'] ?? null,
      credits: v['certification.credits'] ?? 0,
    };
  };
  const active = (group: CertificationFacts[]) => group.filter((a) => a.events.some((e) => within(e.at, p)));
  const out: BreakdownRow[] = [];
  for (const [key, group] of groups(active(apps), (a) => a.kind ?? 'unknown')) {
    out.push({ dimension: 'kind', key, certification: cert(group), transfer: null, learners: new Set(group.map((a) => a.learnerId)).size });
  }
  const byField = groups(active(apps), (a) => fieldOf(a.field));
  const linesByField = groups(
    lines.filter((l) => l.status !== 'pending' && within(l.decidedAt, p)),
    (l) => fieldOf(l.field),
  );
  for (const key of [...new Set([...byField.keys(), ...linesByField.keys()])].sort()) {
    const g = byField.get(key) ?? [];
    const ls = linesByField.get(key) ?? [];
    const t = transferFigures(ls, p).values;
    out.push({
      dimension: 'field',
      key,
      certification: cert(g),
      transfer: { decided: t['transfer.decided'] ?? 0, acceptanceRate: t['transfer.acceptance_rate'] ?? null, credits: t['transfer.credits'] ?? 0 },
      learners: new Set([...g.map((a) => a.learnerId), ...ls.map((l) => l.learnerId)]).size,
    });
  }
  return out.sort((a, b) => a.dimension.localeCompare(b.dimension) || a.key.localeCompare(b.key));
}
