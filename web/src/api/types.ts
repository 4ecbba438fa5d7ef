// Shapes of the JSON the server returns under /api/v1. Credits are decimal strings ("3.5").

export type Role = 'learner' | 'registrar' | 'reviewer' | 'committee' | 'admin';

export interface RoleGrant {
  role: Role;
  institutionId: string | null;
  institutionCode: string | null;
  institutionNameZh: string | null;
  institutionNameEn: string | null;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  locale: string;
  learnerId: string | null;
  roles: RoleGrant[];
}

export type InstitutionKind =
  | 'university'
  | 'vocational_college'
  | 'open_university'
  | 'training_provider'
  | 'enterprise'
  | 'certification_body';

export interface CreditSystem {
  unit: 'credit' | 'ects';
  hoursPerCredit: string;
  hourType: 'contact' | 'workload';
  effectiveFrom: string;
}

export interface GradingScale {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  definition: Record<string, unknown>;
}

export interface Institution {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: InstitutionKind;
  country: string;
  website: string | null;
  /** The exemption rule: whether a result marked 免修 (exempted) earns the course's credits here. */
  exemptionEarnsCredit: boolean;
  creditSystem: CreditSystem | null;
  gradingScales: GradingScale[];
}

export interface Course {
  id: string;
  institutionId: string;
  code: string;
  titleZh: string;
  titleEn: string;
  credits: string;
  hours: number | string;
  hourType: 'contact' | 'workload';
  iscedCode: string;
  level: number | null;
  outcomesZh: string;
  outcomesEn: string;
  status: 'active' | 'retired';
  version: number;
}

export interface EnrolledLearner {
  id: string;
  accountNo: string;
  fullName: string;
  fullNameLatin: string | null;
  externalId: string;
  enrolledOn: string | null;
}

/** What enrolling one person gives: a new account, the proven holder of the document linked, or the enrolment held (202). */
export type EnrolResult =
  | (EnrolledLearner & { outcome: 'created' | 'linked' })
  | { outcome: 'held'; requestId: string; externalId: string; fullName: string; enrolledOn: string | null };

/** An enrolment the institution submitted that waits on the learner or an administrator, or was answered. */
export interface HeldEnrolment {
  id: string;
  externalId: string;
  fullName: string | null;
  status: ConflictStatus;
  createdAt: string;
  resolvedAt: string | null;
}

/** An institution asking to enrol the learner, waiting on their answer. */
export interface EnrolmentRequest {
  id: string;
  institution: { id: string; code: string; nameZh: string; nameEn: string };
  externalId: string;
  fullName: string | null;
  enrolledOn: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** credit = an institution's own credits (学分); ects = ECTS credits. Units are never added together. */
export type CreditUnit = 'credit' | 'ects';

/** The balances of one unit of credit. */
export interface UnitBalance {
  unit: CreditUnit;
  available: string;
  used: string;
  total: string;
}

export type OutcomeStatus = 'recorded' | 'superseded' | 'revoked';

/** How a course result came about, as 教务系统 mark it (src/core/grades/status.ts). */
export const RESULT_STATUSES = ['normal', 'resit', 'retake', 'exempted', 'exam_exempted', 'absent', 'deferred', 'absent_unexcused', 'barred', 'misconduct'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export interface Outcome {
  id: string;
  institutionId: string;
  institutionCode: string;
  institutionNameZh: string;
  institutionNameEn: string;
  courseId: string;
  courseCode: string;
  courseTitleZh: string;
  courseTitleEn: string;
  term: string;
  attempt: number;
  /** Null when the result has no grade (缺考, 缓考, …, or 免修 without one). */
  grade: string | null;
  resultStatus: ResultStatus;
  passed: boolean;
  credits: string;
  unit: CreditUnit;
  hours: number | string;
  completedOn: string;
  status: OutcomeStatus;
  reason: string | null;
  createdAt: string;
}

export interface Enrolment {
  institutionId: string;
  institutionCode: string;
  institutionNameZh: string;
  institutionNameEn: string;
  externalId: string;
  enrolledOn: string | null;
}

export interface AccountView {
  learner: {
    id: string;
    fullName: string;
    fullNameLatin: string | null;
    birthDate: string | null;
    /** Absent from older servers. */
    idType?: IdType | null;
    /** Masked (110***********001X) for staff; whole in the learner's own view. */
    idNumber?: string | null;
    /** A passport's issuing country, ISO 3166-1 alpha-3 (XXX: recorded before it was asked for). */
    idCountry?: string | null;
    /** What an `other` document is (e.g. 军官证). */
    idTypeName?: string | null;
    accountNo: string;
    accountStatus: 'open' | 'frozen' | 'closed';
    openedAt: string;
  };
  /** One entry per unit the learner holds (credit first); empty for a new account. */
  balances: UnitBalance[];
  enrolments: Enrolment[];
  outcomes: Outcome[];
}

export type PostingKind = 'deposit' | 'transfer_in' | 'use' | 'reversal';
export type CreditState = 'available' | 'used';

export interface LedgerPosting {
  seq: number;
  kind: PostingKind;
  amount: string;
  unit: CreditUnit;
  fromState: CreditState | null;
  toState: CreditState | null;
  causeType: string;
  causeId: string;
  reversesSeq: number | null;
  reversedBySeq: number | null;
  memo: string | null;
  createdAt: string;
  /** Balances of the posting's unit after it. */
  balanceAfter: { available: string; used: string };
  /** What the posting came from, by name: a result's course, a certificate, a transfer's source course, an award's programme. */
  source?: LedgerSource | null;
}

export interface LedgerSource {
  code: string | null;
  titleZh: string;
  titleEn: string;
  institutionNameZh: string | null;
  institutionNameEn: string | null;
}

export interface AuditEvent {
  id: number;
  at: string;
  action: string;
  entityType: string;
  entityId: string;
  institutionId: string | null;
  actorUserId: string | null;
  actorTokenId?: string | null;
  actorName: string | null;
  actorTokenName?: string | null;
  /** What the entity is called (a person, an institution, a course …); null when it has no name. */
  entityNameZh?: string | null;
  entityNameEn?: string | null;
  details: Record<string, unknown>;
}

/** The identity documents people in China hold (src/core/identity.ts ID_TYPES). */
export type IdType = 'resident_id' | 'hk_macao_permit' | 'taiwan_permit' | 'residence_permit' | 'foreign_permanent' | 'passport' | 'other';

/** What a bulk import brings in. */
export type ImportKind = 'courses' | 'programmes' | 'learners' | 'results' | 'certifications';

/** dry_run checks and reports only; all_or_nothing writes only when every row is valid; partial writes the valid rows. */
export type ImportMode = 'dry_run' | 'all_or_nothing' | 'partial';
export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';
export type ImportPhase = 'queued' | 'checking' | 'writing' | 'done';

export interface ImportJob {
  id: string;
  institutionId: string;
  kind: ImportKind;
  source: 'upload' | 'api' | 'cli';
  filename: string | null;
  sizeBytes: number | null;
  mode: ImportMode;
  status: ImportStatus;
  committed: boolean;
  rowsRead: number;
  accepted: number;
  rejected: number;
  created: number;
  updated: number;
  skipped: number;
  message: string | null;
  /** 0–1 */
  progress: number;
  phase: ImportPhase;
  createdAt: string;
  finishedAt: string | null;
}

/** A refused row (or, with rowNumber 0, a problem with the whole file). */
export interface ImportIssue {
  rowNumber: number;
  column: string | null;
  value: string | null;
  reason: string;
}

export type ConflictStatus = 'open' | 'same_person' | 'different' | 'declined';

/** The same ID number submitted under another name or birth date; an administrator decides. */
export interface IdentityConflict {
  id: string;
  institutionId: string;
  existingLearnerId: string;
  submitted: {
    externalId?: string;
    fullName?: string;
    fullNameLatin?: string | null;
    birthDate?: string | null;
    idType?: IdType | null;
    idNumber?: string | null;
    idCountry?: string | null;
    idTypeName?: string | null;
    institutionCode?: string;
    [key: string]: unknown;
  };
  importJobId: string | null;
  status: ConflictStatus;
  note: string | null;
  createdAt: string;
}

/** RFC 9457 problem details, as the server sends them. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  /** A stable code, when the server gives one; its parameters stand beside it (e.g. `uses`). */
  code?: string;
  uses?: CreditUse[];
}

/** A live use of a credit, as a refusal names it (code credit_already_used). */
export interface CreditUse {
  credit: string;
  label: string;
  useType: 'transfer' | 'award';
  useId: string;
  institution: { code: string; nameZh: string; nameEn: string };
  since: string;
}

export type ErasureRequestStatus = 'open' | 'approved' | 'declined' | 'withdrawn';

/** A learner's request to erase their personal data (GET /me/erasure-requests). */
export interface ErasureRequest {
  id: string;
  learnerId: string;
  reason: string | null;
  status: ErasureRequestStatus;
  createdAt: string;
  decidedAt: string | null;
  /** The administrator's reason for a decline (shown to the learner). */
  decisionNote: string | null;
}

/** The same, as administrators list it (GET /erasure-requests), with who asked. */
export interface AdminErasureRequest extends ErasureRequest {
  learnerName: string;
  accountNo: string | null;
}
