// Quality indicators of a period (质量指标; src/modules/quality/routes.ts): each figure with its
// definition, the commonest reasons for rejection and the transfer figures per institution pair.
// Cells about fewer learners than `minCell` come back `suppressed` for institution staff.
import { useQueries, useQuery } from '@tanstack/react-query';
import { api, apiUrl } from './client';

export type IndicatorUnit = 'count' | 'ratio' | 'days' | 'credits' | 'score' | 'semesters';

export type IndicatorId =
  | 'certification.submitted'
  | 'certification.decided'
  | 'certification.acceptance_rate'
  | 'certification.days_p50'
  | 'certification.days_p90'
  | 'certification.backlog'
  | 'certification.appeals'
  | 'certification.overturn_rate'
  | 'certification.credits'
  | 'transfer.decided'
  | 'transfer.acceptance_rate'
  | 'transfer.credits'
  | 'satisfaction.ratings'
  | 'satisfaction.mean'
  | 'ledger.credits_in'
  | 'ledger.credits_used'
  | 'awards.approved'
  | 'awards.nonformal_share'
  | 'awards.recognised_share'
  | 'awards.semesters_saved';

export interface Indicator {
  id: IndicatorId | (string & {});
  unit: IndicatorUnit | (string & {});
  titleZh: string;
  titleEn: string;
  formulaZh: string;
  formulaEn: string;
  /** null: nothing to compute it from in the period (no decisions, no ratings). */
  value: number | null;
}

export interface RejectionReason {
  /** null when withheld. */
  reason: string | null;
  count: number;
  learners: number;
  suppressed: boolean;
}

export interface PairInstitution {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface InstitutionPair {
  source: PairInstitution;
  target: PairInstitution;
  decided: number | null;
  accepted: number | null;
  credits: number | null;
  learners: number | null;
  suppressed: boolean;
}

/** Credits that entered accounts and were marked used in the period, by cause and unit. */
export interface LedgerRow {
  cause: 'outcome' | 'certification' | 'transfer' | 'award' | (string & {});
  unit: 'credit' | 'ects' | (string & {});
  credited: number;
  used: number;
  postings: number;
}

export interface Ledger {
  /** The instant up to which pre-aggregated figures are complete (the rest is read live). */
  through: string | null;
  rows: LedgerRow[];
}

export interface FunnelStage {
  id: string;
  labelZh: string;
  labelEn: string;
  /** null: withheld (too few learners). */
  count: number | null;
}

export interface Funnel {
  workflow: 'certification' | 'transfer' | 'award' | (string & {});
  stages: FunnelStage[];
}

/** How converted grades sit against the source grades for one institution pair (percentage points of the passing range). */
export interface GradeSpread {
  source: PairInstitution;
  target: PairInstitution;
  lines: number | null;
  meanShift: number | null;
  sd: number | null;
  lower: number | null;
  same: number | null;
  higher: number | null;
  suppressed: boolean;
}

/** Certification (and, by field, transfer) figures of one kind of outcome or one ISCED-F broad field. */
export interface BreakdownRow {
  dimension: 'kind' | 'field';
  /** The outcome kind (vocational_certificate …) or the broad field ('06'; '99' unknown). */
  key: string;
  /** The field's name; null for kinds (translated in the UI). */
  labelZh: string | null;
  labelEn: string | null;
  /** null with `suppressed`: withheld (too few learners). */
  certification: { submitted: number; decided: number; acceptanceRate: number | null; credits: number } | null;
  /** null for kinds; null with `suppressed`: withheld. */
  transfer: { decided: number; acceptanceRate: number | null; credits: number } | null;
  suppressed: boolean;
}

/** An ISCED-F broad field ('06'; '99' field unknown) with its names. */
export interface BroadField {
  key: string;
  labelZh: string;
  labelEn: string;
}

export interface QualityReport {
  period: { from: string; to: string };
  /** The field the figures are narrowed to; null (or absent, from an older server): every field. */
  field?: BroadField | null;
  scope: 'alliance' | 'institutions';
  institutionIds: string[];
  /** Cells about fewer learners than this are withheld from institution staff. */
  minCell: number;
  indicators: Indicator[];
  rejectionReasons: RejectionReason[];
  pairs: InstitutionPair[];
  /** Part 2 of the indicators (absent from a server without them). */
  ledger?: Ledger;
  funnels?: Funnel[];
  spread?: GradeSpread[];
  /** By kind of outcome and by field (absent from a server without it). */
  breakdown?: BreakdownRow[];
}

/** A period [from, to) as the API takes it, with an optional institution (none: the caller's whole scope) and broad field (none: all; the indicators only). */
export interface QualityQuery {
  from: string;
  to: string;
  institution?: string | null;
  field?: string | null;
}

const query = (q: QualityQuery) => ({ from: q.from, to: q.to, institution: q.institution ?? undefined });
const indicatorQuery = (q: QualityQuery) => ({ ...query(q), field: q.field ?? undefined });
const key = (q: QualityQuery) => ['quality', 'indicators', q.from, q.to, q.institution ?? '', q.field ?? ''] as const;

const fetchReport = (q: QualityQuery, signal?: AbortSignal) => api<QualityReport>('/quality/indicators', { query: indicatorQuery(q), signal });

/** The broad fields the indicators can be narrowed to. */
export function useBroadFields() {
  return useQuery({ queryKey: ['quality', 'fields'], queryFn: ({ signal }) => api<{ items: BroadField[] }>('/quality/fields', { signal }), staleTime: Infinity });
}

export function useQualityReport(q: QualityQuery | null) {
  return useQuery({
    queryKey: q ? key(q) : ['quality', 'indicators', 'none'],
    queryFn: ({ signal }) => fetchReport(q!, signal),
    enabled: q !== null,
    staleTime: 60_000,
  });
}

/** One report per month, fetched in parallel; `data` once every month has arrived. */
export function useMonthlyReports(months: QualityQuery[]) {
  return useQueries({
    queries: months.map((m) => ({ queryKey: key(m), queryFn: ({ signal }: { signal: AbortSignal }) => fetchReport(m, signal), staleTime: 60_000 })),
    combine: (results) => ({
      data: results.every((r) => r.data) ? results.map((r) => r.data!) : undefined,
      isPending: results.some((r) => r.isPending),
      error: results.find((r) => r.error)?.error ?? null,
      loaded: results.filter((r) => r.data).length,
    }),
  });
}

/** The server's files: XLSX with every table, or one table as CSV. */
export type QualityTable = 'indicators' | 'reasons' | 'pairs' | 'breakdown' | 'ledger' | 'funnels' | 'spread';

export function qualityFileUrl(q: QualityQuery, format: 'xlsx' | 'csv', table?: QualityTable): string {
  return apiUrl(`/quality/indicators.${format}`, { ...indicatorQuery(q), table });
}

// ---- the rule audit (src/modules/quality/rules.ts)

export interface RuleChange {
  ruleId: string;
  at: string;
  /** e.g. standard.draft, standard.approve, standard.retire, equivalence.create, equivalence.retire */
  action: string;
  /** username; null for the system */
  actor: string | null;
  why: string | null;
}

export interface RuleReviewer {
  reviewer: string;
  uses: number;
  acceptanceRate: number;
}

export interface AuditedRule {
  id: string;
  kind: 'standard' | 'equivalence';
  /** One line naming the rule (what the files carry). */
  label: string;
  /** The owner: the standard's institution, the equivalence's receiving institution. */
  institution: PairInstitution;
  /** The standard's code; null for equivalences. */
  code: string | null;
  version: number;
  /** The standard's names; null for equivalences. */
  nameZh: string | null;
  nameEn: string | null;
  /** Equivalences: the sending institution's code and its courses ('A+B'); null for standards. */
  source: { institution: string; courses: string } | null;
  /** Equivalences: the receiving institution's code and its courses ('X+Y'), or an elective category; null for standards. */
  target: { institution: string; courses: string | null; elective: string | null } | null;
  status: string;
  uses: number;
  approved: number;
  acceptanceRate: number | null;
  reviewers: RuleReviewer[];
  /** The widest gap between two reviewers' acceptance rates (0–1), when it exceeds the threshold; else null. */
  disagreement: number | null;
  changes: RuleChange[];
}

export interface RuleAudit {
  period: { from: string; to: string };
  computedAt: string;
  /** The transparency log's checkpoint the report was computed at. */
  checkpoint: { origin: string; size: number; root: string };
  /** The disagreement flag's thresholds: reviewers with at least this many decisions are compared; a gap above this many points is flagged. */
  thresholds: { minDecisionsPerReviewer: number; gapPoints: number };
  rules: AuditedRule[];
}

export function useRuleAudit(q: QualityQuery | null) {
  return useQuery({
    queryKey: q ? ['quality', 'rule-audit', q.from, q.to, q.institution ?? ''] : ['quality', 'rule-audit', 'none'],
    queryFn: ({ signal }) => api<RuleAudit>('/quality/rule-audit', { query: query(q!), signal }),
    enabled: q !== null,
    staleTime: 60_000,
  });
}

export function ruleAuditFileUrl(q: QualityQuery, format: 'xlsx' | 'csv'): string {
  return apiUrl(`/quality/rule-audit.${format}`, query(q));
}

// ---- monthly reports, kept with their history

export interface MonthlyReport {
  id: string;
  scope: 'alliance' | 'institution';
  institution: PairInstitution | null;
  /** YYYY-MM */
  month: string;
  status: 'pending' | 'ready' | 'failed';
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** username; null = the scheduler */
  requestedBy: string | null;
  pdfBytes: number | null;
  xlsxBytes: number | null;
  /** The newest ready report of its scope and month (older ones are superseded). */
  latest: boolean;
}

export const REPORTS_KEY = ['quality', 'reports'] as const;

/** The reports the viewer may see, newest first; polled while one is being generated. */
export function useMonthlyReportList(institution: string | null) {
  return useQuery({
    queryKey: [...REPORTS_KEY, institution ?? ''],
    queryFn: ({ signal }) => api<{ items: MonthlyReport[] }>('/quality/reports', { query: { institution: institution ?? undefined }, signal }),
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'pending') ? 1500 : false),
  });
}

export const requestMonthlyReport = (body: { month: string; institution?: string }) => api<MonthlyReport>('/quality/reports', { method: 'POST', body });

export const monthlyReportFileUrl = (id: string, format: 'pdf' | 'xlsx') => apiUrl(`/quality/reports/${id}.${format}`);
