// Shapes of the JSON the server returns under /api/v1. Credits are decimal strings ("3.5").

import type { Res } from './client';
export type Role = RoleGrant['role'];

export type RoleGrant = Res<'/auth/me'>['roles'][number];

export type Me = Res<'/auth/me'>;

export type InstitutionKind = Institution['kind'];

export type CreditSystem = NonNullable<Res<'/institutions/{id}'>['creditSystem']>;

export type GradingScale = Res<'/institutions/{id}'>['gradingScales'][number];

export type Institution = Res<'/institutions/{id}'>;

export type Course = Res<'/courses/{id}'>;

export type EnrolledLearner = Res<'/institutions/{id}/learners'>['items'][number];

/** What enrolling one person gives: a new account, the proven holder of the document linked, or the enrolment held (202). */
export type EnrolResult = Res<'/institutions/{id}/learners', 'post'>;

/** An enrolment the institution submitted that waits on the learner or an administrator, or was answered. */
export type HeldEnrolment = Res<'/institutions/{id}/held-enrolments'>['items'][number];

/** An institution asking to enrol the learner, waiting on their answer. */
export type EnrolmentRequest = Res<'/me/enrolment-requests'>['items'][number];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** credit = an institution's own credits (学分); ects = ECTS credits. Units are never added together. */
export type CreditUnit = UnitBalance['unit'];

/** The balances of one unit of credit. */
export type UnitBalance = Res<'/me/account'>['balances'][number];

/** The credits held at one institution, in one unit (a transfer moves credits between two of these). */
export type InstitutionBalance = Res<'/me/account'>['byInstitution'][number];

export type OutcomeStatus = Outcome['status'];

/** How a course result came about, as 教务系统 mark it (src/core/grades/status.ts). */
export const RESULT_STATUSES = [
  'normal',
  'resit',
  'retake',
  'exempted',
  'exam_exempted',
  'absent',
  'deferred',
  'absent_unexcused',
  'barred',
  'misconduct',
] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export type Outcome = Res<'/me/account'>['outcomes'][number];

export type Enrolment = Res<'/me/account'>['enrolments'][number];

export type AccountView = Res<'/me/account'>;

export type PostingKind = 'deposit' | 'transfer_in' | 'use' | 'reversal';
export type CreditState = 'available' | 'used';

export type LedgerPosting = Res<'/learners/{id}/ledger'>['items'][number];

export type LedgerSource = NonNullable<Res<'/learners/{id}/ledger'>['items'][number]['source']>;

export type AuditEvent = Res<'/audit-events'>['items'][number];

/** The identity documents people in China hold (src/core/identity.ts ID_TYPES). */
export type IdType = 'resident_id' | 'hk_macao_permit' | 'taiwan_permit' | 'residence_permit' | 'foreign_permanent' | 'passport' | 'other';

/** What a bulk import brings in. */
export type ImportKind = 'courses' | 'programmes' | 'learners' | 'results' | 'certifications';

/** dry_run checks and reports only; all_or_nothing writes only when every row is valid; partial writes the valid rows. */
export type ImportMode = 'dry_run' | 'all_or_nothing' | 'partial';
export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';
export type ImportPhase = 'queued' | 'checking' | 'writing' | 'done';

export type ImportJob = Res<'/imports/{id}'>;

/** A refused row (or, with rowNumber 0, a problem with the whole file). */
export type ImportIssue = Res<'/imports/{id}/issues'>['items'][number];

export type ConflictStatus = 'open' | 'same_person' | 'different' | 'declined';

/** The same ID number submitted under another name or birth date; an administrator decides. */
export type IdentityConflict = Res<'/identity-conflicts'>['items'][number];

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
export type ErasureRequest = Res<'/me/erasure-requests'>['items'][number];

/** The same, as administrators list it (GET /erasure-requests), with who asked. */
export interface AdminErasureRequest extends ErasureRequest {
  learnerName: string;
  accountNo: string | null;
}
