// Quality indicators of a period (质量指标; src/modules/quality/routes.ts): each figure with its
// definition, the commonest reasons for rejection and the transfer figures per institution pair.
// Cells about fewer learners than `minCell` come back `suppressed` for institution staff.
import type { QueryOf, Res } from './client';
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

export type Indicator = Res<'/quality/indicators'>['indicators'][number];

export type RejectionReason = Res<'/quality/indicators'>['rejectionReasons'][number];

export type PairInstitution = Res<'/standards/{id}'>['institution'];

export type InstitutionPair = Res<'/quality/indicators'>['pairs'][number];

/** Credits that entered accounts and were marked used in the period, by cause and unit. */
export type LedgerRow = Res<'/quality/indicators'>['ledger']['rows'][number];

export type Ledger = Res<'/quality/indicators'>['ledger'];

export type FunnelStage = Res<'/quality/indicators'>['funnels'][number]['stages'][number];

export type Funnel = Res<'/quality/indicators'>['funnels'][number];

/** How converted grades sit against the source grades for one institution pair (percentage points of the passing range). */
export type GradeSpread = Res<'/quality/indicators'>['spread'][number];

/** Certification (and, by field, transfer) figures of one kind of outcome or one ISCED-F broad field. */
export type BreakdownRow = Res<'/quality/indicators'>['breakdown'][number];

/** An ISCED-F broad field ('06'; '99' field unknown) with its names. */
export type BroadField = Res<'/quality/fields'>['items'][number];

export type QualityReport = Res<'/quality/indicators'>;

/** A period [from, to) as the API takes it, with an optional institution (none: the caller's whole scope) and broad field (none: all; the indicators only). */
export interface QualityQuery {
  from: string;
  to: string;
  institution?: string | null;
  field?: FieldCode | null;
}

/** An ISCED-F broad field as the indicators take it (00–10, 99 unknown). */
export type FieldCode = Exclude<NonNullable<QueryOf<'/quality/indicators'>['field']>, ''>;
export const isFieldCode = (v: string | null | undefined): v is FieldCode => typeof v === 'string' && /^(0\d|10|99)$/.test(v);

const query = (q: QualityQuery) => ({ from: q.from, to: q.to, institution: q.institution ?? undefined });
const indicatorQuery = (q: QualityQuery) => ({ ...query(q), field: q.field ?? undefined });
const key = (q: QualityQuery) => ['quality', 'indicators', q.from, q.to, q.institution ?? '', q.field ?? ''] as const;

const fetchReport = (q: QualityQuery, signal?: AbortSignal) => api.get('/quality/indicators', { query: indicatorQuery(q), signal });

/** The broad fields the indicators can be narrowed to. */
export function useBroadFields() {
  return useQuery({ queryKey: ['quality', 'fields'], queryFn: ({ signal }) => api.get('/quality/fields', { signal }), staleTime: Infinity });
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

export type RuleChange = Res<'/quality/rule-audit'>['rules'][number]['changes'][number];

export type RuleReviewer = Res<'/quality/rule-audit'>['rules'][number]['reviewers'][number];

export type AuditedRule = Res<'/quality/rule-audit'>['rules'][number];

export type RuleAudit = Res<'/quality/rule-audit'>;

export function useRuleAudit(q: QualityQuery | null) {
  return useQuery({
    queryKey: q ? ['quality', 'rule-audit', q.from, q.to, q.institution ?? ''] : ['quality', 'rule-audit', 'none'],
    queryFn: ({ signal }) => api.get('/quality/rule-audit', { query: query(q!), signal }),
    enabled: q !== null,
    staleTime: 60_000,
  });
}

export function ruleAuditFileUrl(q: QualityQuery, format: 'xlsx' | 'csv'): string {
  return apiUrl(`/quality/rule-audit.${format}`, query(q));
}

// ---- monthly reports, kept with their history

export type MonthlyReport = Res<'/quality/reports'>['items'][number];

export const REPORTS_KEY = ['quality', 'reports'] as const;

/** The reports the viewer may see, newest first; polled while one is being generated. */
export function useMonthlyReportList(institution: string | null) {
  return useQuery({
    queryKey: [...REPORTS_KEY, institution ?? ''],
    queryFn: ({ signal }) => api.get('/quality/reports', { query: { institution: institution ?? undefined }, signal }),
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'pending') ? 1500 : false),
  });
}

export const requestMonthlyReport = (body: { month: string; institution?: string }) => api.post('/quality/reports', { body });

export const monthlyReportFileUrl = (id: string, format: 'pdf' | 'xlsx') => apiUrl(`/quality/reports/${id}.${format}`);
