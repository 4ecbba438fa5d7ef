// Shapes of degree audits, plans and award applications (qualifications, issue 6; the web contract
// in src/modules/qualifications). Credits are decimal strings ("140", "3.5").
import type { Body, Res } from './client';

export type Qualification = 'bachelor' | 'associate' | 'master' | 'diploma' | 'certificate';
export type ItemOrigin = 'home' | 'transfer' | 'external' | 'certificate' | 'nonformal';

export type ProgrammeRef = Res<'/me/plan'>['programme'];

export interface ProgrammeListItem extends ProgrammeRef {
  catalogueYears: number[];
}

/** One piece of learning the audit was offered. */
export type AuditItem = Res<'/me/audits'>['audits'][number]['items'][number];

/** What a requirement still lacks: credits, and/or courses (all of them, or `pick` of them). */
export type Missing = Res<'/me/plan'>['requirements'][number]['missing'];

export type AuditNode = Res<'/me/audits'>['audits'][number]['nodes'][number];

export const EXCLUSION_REASONS = [
  'too_old',
  'below_level',
  'not_transferred',
  'retake',
  'duplicate',
  'other_unit',
  'used',
  'cap_certificates',
  'cap_nonformal',
  'cap_transferred',
  'cap_source',
  'cap_year',
  'cap_semester',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export type AwardStatus = 'applied' | 'approved' | 'rejected' | 'withdrawn';

export type AwardView = Res<'/me/awards'>['items'][number];

export type CreditsCheck = Res<'/me/audits'>['audits'][number]['total'];

export type AuditView = Res<'/me/audits'>['audits'][number];

export type AuditsResponse = Res<'/me/audits'>;

export type PlanOption = Res<'/me/plan'>['requirements'][number]['options'][number];

export type PlanRequirement = Res<'/me/plan'>['requirements'][number];

export type PlanView = Res<'/me/plan'>;

export type ExpectedStatement = Res<'/me/expected-graduation'>;

/** A registrar's waiver of a requirement, or a substitution letting one item count as a course, for one learner. */
export type AuditException = Res<'/learners/{id}/audit-exceptions'>['items'][number];

export type NewAuditException = Body<'/learners/{id}/audit-exceptions'>;
