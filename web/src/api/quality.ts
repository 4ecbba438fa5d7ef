// Quality indicators of a period (质量指标; src/modules/quality/routes.ts): each figure with its
// definition, the commonest reasons for rejection and the transfer figures per institution pair.
// Cells about fewer learners than `minCell` come back `suppressed` for institution staff.
import { useQueries, useQuery } from '@tanstack/react-query';
import { api, apiUrl } from './client';

export type IndicatorUnit = 'count' | 'ratio' | 'days' | 'credits' | 'score';

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
  | 'satisfaction.mean';

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

export interface QualityReport {
  period: { from: string; to: string };
  scope: 'alliance' | 'institutions';
  institutionIds: string[];
  /** Cells about fewer learners than this are withheld from institution staff. */
  minCell: number;
  indicators: Indicator[];
  rejectionReasons: RejectionReason[];
  pairs: InstitutionPair[];
}

/** A period [from, to) as the API takes it, with an optional institution (none: the caller's whole scope). */
export interface QualityQuery {
  from: string;
  to: string;
  institution?: string | null;
}

const query = (q: QualityQuery) => ({ from: q.from, to: q.to, institution: q.institution ?? undefined });
const key = (q: QualityQuery) => ['quality', 'indicators', q.from, q.to, q.institution ?? ''] as const;

const fetchReport = (q: QualityQuery, signal?: AbortSignal) => api<QualityReport>('/quality/indicators', { query: query(q), signal });

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
export function qualityFileUrl(q: QualityQuery, format: 'xlsx' | 'csv', table?: 'indicators' | 'reasons' | 'pairs'): string {
  return apiUrl(`/quality/indicators.${format}`, { ...query(q), table });
}
