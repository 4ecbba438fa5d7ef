// Quality indicators of credit recognition, each defined once: its name, its formula in words (shown
// beside every figure) and the function that computes it from the facts of a period. Pure: the
// facts come from the database; the definitions and arithmetic are here.

export interface Definition {
  id: string;
  titleZh: string;
  titleEn: string;
  formulaZh: string;
  formulaEn: string;
  unit: 'count' | 'ratio' | 'days' | 'credits' | 'score';
}

const def = (id: string, unit: Definition['unit'], titleZh: string, titleEn: string, formulaZh: string, formulaEn: string): Definition => ({ id, unit, titleZh, titleEn, formulaZh, formulaEn });

export const DEFINITIONS = [
  def('certification.submitted', 'count', '认定申请数', 'Certification applications', '期内首次提交的认定申请数', 'Applications first submitted in the period'),
  def('certification.decided', 'count', '认定决定数', 'Certification decisions', '期内作出首次决定（通过或不通过）的申请数', 'Applications whose first decision (approve or reject) fell in the period'),
  def('certification.acceptance_rate', 'ratio', '认定通过率', 'Certification acceptance rate', '期内首次决定为通过的数 ÷ 期内首次决定数', 'First decisions in the period that approved ÷ all first decisions in the period'),
  def('certification.days_p50', 'days', '认定办理时长（中位数）', 'Days to a certification decision (median)', '期内首次决定的申请，从首次提交到首次决定的天数的中位数', 'Median of days from first submission to first decision, over first decisions in the period'),
  def('certification.days_p90', 'days', '认定办理时长（第90百分位）', 'Days to a certification decision (90th percentile)', '同上，第90百分位（最近秩法）', 'As above, 90th percentile (nearest rank)'),
  def('certification.backlog', 'count', '待办认定申请', 'Certification backlog', '期末处于待审、待补材料、委员会审议或申诉中的申请数', 'Applications submitted, awaiting more information, with the committee or appealed at the end of the period'),
  def('certification.appeals', 'count', '申诉数', 'Appeals', '期内提出的申诉数', 'Appeals lodged in the period'),
  def('certification.overturn_rate', 'ratio', '申诉改判率', 'Appeal overturn rate', '期内申诉决定中改为通过的数 ÷ 期内申诉决定数', 'Appeal decisions in the period that approved ÷ all appeal decisions in the period'),
  def('certification.credits', 'credits', '认定学分', 'Credits certified', '期内获得通过（含申诉改判）的申请所认定的学分之和', 'Sum of credits granted by approvals in the period, appeals included'),
  def('transfer.decided', 'count', '转换决定数', 'Transfer decisions', '期内作出决定的学分转换条目数', 'Transfer lines decided in the period'),
  def('transfer.acceptance_rate', 'ratio', '转换接受率', 'Transfer acceptance rate', '期内接受或替代的条目数 ÷ 期内决定的条目数', 'Lines accepted or substituted in the period ÷ lines decided in the period'),
  def('transfer.credits', 'credits', '转入学分', 'Credits transferred', '期内接受或替代的条目所转入的学分之和', 'Sum of credits given by lines accepted or substituted in the period'),
  def('satisfaction.ratings', 'count', '满意度评价数', 'Satisfaction ratings', '期内学习者对决定给出（或修改）的评价数', 'Ratings learners gave (or changed) in the period about decisions on their applications'),
  def('satisfaction.mean', 'score', '平均满意度（1–5）', 'Mean satisfaction (1–5)', '期内评价分数（1至5）的平均值', 'Mean of the ratings (1 to 5) given in the period'),
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
  creditsGranted: number | null;
  /** The application's events in order. */
  events: CertificationEvent[];
}

export interface Figures {
  values: Partial<Record<IndicatorId, number | null>>;
  /** The commonest reasons for rejection, with how many decisions gave each. */
  rejectionReasons: { reason: string; count: number; learners: number }[];
}

const PENDING = new Set(['submitted', 'more_info', 'committee', 'appealed']);
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
  const pairs = new Map<string, PairFigures & { who: Set<string> }>();
  for (const l of decided) {
    const key = `${l.sourceInstitutionId}>${l.targetInstitutionId}`;
    const pair = pairs.get(key) ?? { source: l.sourceInstitutionId, target: l.targetInstitutionId, decided: 0, accepted: 0, credits: 0, learners: 0, who: new Set<string>() };
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
    } as Partial<Record<IndicatorId, number | null>>,
    pairs: [...pairs.values()].map(({ who, ...pair }) => ({ ...pair, learners: who.size })),
  };
}

/** A cell about fewer than `min` learners is withheld from shared reports: its figures could point at a person. */
export const suppressed = (learners: number, min: number) => learners > 0 && learners < min;

/** Satisfaction of a period: how many ratings and their mean. */
export function satisfactionFigures(ratings: { rating: number; at: Date }[], p: Period): Partial<Record<IndicatorId, number | null>> {
  const inPeriod = ratings.filter((r) => within(r.at, p));
  return { 'satisfaction.ratings': inPeriod.length, 'satisfaction.mean': inPeriod.length ? inPeriod.reduce((t, r) => t + r.rating, 0) / inPeriod.length : null };
}
