// Shapes of degree audits, plans and award applications (qualifications, issue 6; the web contract
// in src/modules/qualifications). Credits are decimal strings ("140", "3.5").
import type { CreditUnit } from './types';

export type Qualification = 'bachelor' | 'associate' | 'master' | 'diploma' | 'certificate';
export type ItemOrigin = 'home' | 'transfer' | 'external' | 'certificate' | 'nonformal';

export interface ProgrammeRef {
  id: string;
  code: string;
  titleZh: string;
  titleEn: string;
  qualification: Qualification;
  institution: { id: string; code: string; nameZh: string; nameEn: string };
}

export interface ProgrammeListItem extends ProgrammeRef {
  catalogueYears: number[];
}

/** One piece of learning the audit was offered. */
export interface AuditItem {
  id: string;
  origin: ItemOrigin;
  courseCode: string | null;
  titleZh: string;
  titleEn: string;
  /** The institution code or issuing body. */
  source: string;
  credits: string;
  unit: CreditUnit;
  completedOn: string;
  /** ISCED-F code. */
  field: string;
  level: number | null;
}

/** What a requirement still lacks: credits, and/or courses (all of them, or `pick` of them). */
export interface Missing {
  credits?: string;
  courses?: string[];
  pick?: number;
}

export interface AuditNode {
  id: string;
  kind: 'block' | 'courses' | 'credits';
  titleZh: string;
  titleEn: string;
  satisfied: boolean;
  waived: boolean;
  /** Credits counted here (under it, for a block). */
  credits: string;
  required: string | null;
  items: string[];
  missing: Missing;
  children?: AuditNode[];
}

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

export interface AwardView {
  id: string;
  status: AwardStatus;
  programme: ProgrammeRef;
  catalogueYear: number;
  learner: { id: string; fullName: string; accountNo: string };
  credits: string;
  unit: CreditUnit;
  items: string[];
  appliedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
}

export interface CreditsCheck {
  credits: string;
  required: string;
  satisfied: boolean;
}

export interface AuditView {
  programme: ProgrammeRef;
  catalogueYear: number;
  /** Why the audit uses the requirements of `catalogueYear`: the year of entry and the rule that chose the version. */
  catalogueChoice?: { entryYear: number; from: 'enrolment' | 'today'; versions: number[]; rule: 'latest_not_after_entry' | 'earliest' };
  complete: boolean;
  /** False when the search for the best assignment ran out of steps. */
  exhaustive: boolean;
  total: CreditsCheck;
  residency: CreditsCheck | null;
  nodes: AuditNode[];
  /** Every item offered to the audit. */
  items: AuditItem[];
  counted: string[];
  /** Counted toward the total but in no requirement: free electives. */
  unassigned: string[];
  /** `of`: for a retake or duplicate, the items that count instead. */
  excluded: { id: string; reason: ExclusionReason; of?: string[] }[];
  expected: { threshold: string; credits: string; eligible: boolean } | null;
  /** The learner's latest award application for this programme. */
  award: AwardView | null;
}

export interface AuditsResponse {
  audits: AuditView[];
  /** Items counted in two or more of the audits. */
  countedTwice: string[];
}

export interface PlanOption {
  via: 'home' | 'partner';
  course: {
    id: string;
    code: string;
    titleZh: string;
    titleEn: string;
    credits: string;
    unit: CreditUnit;
    institution: { code: string; nameZh: string; nameEn: string };
  };
  /** The home course a partner course counts as, through an equivalence. */
  countsAs: string | null;
}

export interface PlanRequirement {
  nodeId: string;
  titleZh: string;
  titleEn: string;
  missing: Missing;
  options: PlanOption[];
}

export interface PlanView {
  programme: ProgrammeRef;
  complete: boolean;
  /** Credits short of the total. */
  remaining: string;
  /** "2027-2028-1"; null when complete. */
  earliestTerm: string | null;
  perSemester: string | null;
  perYear: string | null;
  requirements: PlanRequirement[];
}

export interface ExpectedStatement {
  learner: { fullName: string; accountNo: string };
  programme: ProgrammeRef;
  credits: string;
  threshold: string;
  issuedOn: string;
}

/** A registrar's waiver of a requirement, or a substitution letting one item count as a course, for one learner. */
export interface AuditException {
  id: string;
  programmeId: string;
  nodeId: string;
  kind: 'waive' | 'substitute';
  /** The item that counts instead (substitutions). */
  itemId: string | null;
  /** The course it counts as (substitutions). */
  courseCode: string | null;
  reason: string;
  status: 'active' | 'revoked';
  createdAt: string;
  /** Usernames of who granted and who revoked it. */
  createdBy: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

export interface NewAuditException {
  programmeId: string;
  nodeId: string;
  kind: 'waive' | 'substitute';
  itemId?: string;
  courseCode?: string;
  reason: string;
}
