// Shapes of the certification API (src/modules/certification/schema.ts), as the web app reads them.
import type { Body, Res } from '../../api/client';

export { OUTCOME_KINDS, type OutcomeKind, type Standard } from '../../api/standards';

export const CERT_STATUSES = ['draft', 'submitted', 'more_info', 'committee', 'approved', 'rejected', 'appealed', 'withdrawn', 'revoked'] as const;
export type CertStatus = (typeof CERT_STATUSES)[number];

export const CERT_ACTIONS = ['submit', 'resubmit', 'withdraw', 'request_info', 'approve', 'reject', 'vote', 'appeal', 'revoke'] as const;
export type CertAction = (typeof CERT_ACTIONS)[number];

/** Statuses in which the application waits for someone other than the learner... or the learner. */
export const OPEN_STATUSES: CertStatus[] = ['draft', 'submitted', 'more_info', 'committee', 'appealed'];

export type InstitutionRef = Res<'/standards/{id}'>['institution'];

export type Application = Res<'/certifications'>['items'][number];

export type EvidenceItem = Res<'/certifications/{id}'>['evidence'][number];

export type CertEvent = Res<'/certifications/{id}'>['events'][number];

export type Votes = NonNullable<Res<'/certifications/{id}'>['votes']>;

export type ApplicationDetail = Res<'/certifications/{id}'>;

export type NewApplication = Body<'/me/certifications'>;

export type ActionBody = Body<'/certifications/{id}/{action}'>;

export const EVIDENCE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp'];
export const EVIDENCE_EXTENSIONS = /\.(pdf|png|jpe?g|webp)$/i;
export const EVIDENCE_LIMIT_BYTES = 10 * 1024 * 1024;
