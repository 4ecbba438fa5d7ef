// Shapes of the certification API (src/modules/certification/schema.ts), as the web app reads them.
import type { OutcomeKind } from '../../api/standards';
import type { CreditUnit } from '../../api/types';

export { OUTCOME_KINDS, type OutcomeKind, type Standard } from '../../api/standards';

export const CERT_STATUSES = ['draft', 'submitted', 'more_info', 'committee', 'approved', 'rejected', 'appealed', 'withdrawn', 'revoked'] as const;
export type CertStatus = (typeof CERT_STATUSES)[number];

export const CERT_ACTIONS = ['submit', 'resubmit', 'withdraw', 'request_info', 'approve', 'reject', 'vote', 'appeal', 'revoke'] as const;
export type CertAction = (typeof CERT_ACTIONS)[number];

/** Statuses in which the application waits for someone other than the learner... or the learner. */
export const OPEN_STATUSES: CertStatus[] = ['draft', 'submitted', 'more_info', 'committee', 'appealed'];

export interface InstitutionRef {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface Application {
  id: string;
  learnerId: string;
  learnerName: string;
  accountNo: string;
  standard: { id: string; code: string; version: number; nameZh: string; nameEn: string; credits: string; unit: CreditUnit; evidence: string[] } | null;
  outcomeKind: OutcomeKind;
  title: string;
  issuingBody: string;
  certificateNo: string | null;
  issuedOn: string;
  expiresOn: string | null;
  statement: string;
  route: 'reviewer' | 'committee';
  institution: InstitutionRef | null;
  level: number | null;
  iscedCode: string | null;
  creditsRequested: string | null;
  creditsGranted: string | null;
  unit: CreditUnit;
  status: CertStatus;
  version: number;
  appealed: boolean;
  decidedAt: string | null;
  appealDeadline: string | null;
  waitingSince: string;
  evidenceCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface EvidenceItem {
  id: string;
  filename: string;
  label: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  uploadedAt: string;
}

export interface CertEvent {
  seq: number;
  at: string;
  actorName: string | null;
  actorRole: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  reason: string | null;
  /** decide: { approve, reject, decision, creditsGranted }; vote (committee only): { decision, credits }. */
  details: Record<string, unknown>;
  waitedMs: number;
}

export interface Votes {
  stage: 'assessment' | 'appeal';
  quorum: number;
  approve: number;
  reject: number;
  mine: 'approve' | 'reject' | null;
  list: { voterName: string; decision: 'approve' | 'reject'; credits: string | null; reason: string; at: string }[] | null;
}

export interface ApplicationDetail extends Application {
  evidence: EvidenceItem[];
  events: CertEvent[];
  votes: Votes | null;
  allowedActions: CertAction[];
  postings: { seq: number; kind: string; amount: string; unit: CreditUnit }[];
}

export interface NewApplication {
  standardId?: string;
  outcomeKind?: OutcomeKind;
  title?: string;
  issuingBody?: string;
  certificateNo?: string;
  issuedOn: string;
  expiresOn?: string;
  statement?: string;
  creditsRequested?: string;
  level?: number;
  iscedCode?: string;
}

export interface ActionBody {
  reason?: string;
  decision?: 'approve' | 'reject';
  credits?: string;
  expectedVersion?: number;
}

export const EVIDENCE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp'];
export const EVIDENCE_EXTENSIONS = /\.(pdf|png|jpe?g|webp)$/i;
export const EVIDENCE_LIMIT_BYTES = 10 * 1024 * 1024;
