// The database schema, one place for drizzle-kit to read. Each module's store.ts is the only code
// that queries its own tables. Tables that belong to one learner carry learner_id first in their keys
// so that they can later be distributed by learner; catalogue and institution tables stay small.
import { sql } from 'drizzle-orm';
import { RESULT_STATUSES } from '../core/grades/status.js';
import type { ScaleDefinition } from '../core/grades/scales.js';
import { ID_TYPES } from '../core/identity.js';
import type { AuditResult } from '../core/requirements/audit.js';
import type { Rounding } from '../core/transfer/credits.js';
// a type only: the requirements document is the qualifications module's API shape (credits as text)
import type { RequirementsDoc as RequirementsDocument } from '../modules/qualifications/schema.js';
// a type only: a transfer line's proposal is the verdict the recognition module answered the learner with
import type { TransferVerdict } from '../modules/recognition/schema.js';
import type {
  Details,
  EquivalenceTarget,
  GradeTableEntry,
  GradeDistribution,
  LearningAgreementLine,
  MessageParams,
  StandardSubstitute,
  SubmittedEnrolment,
  TransferLineTarget,
} from './json.js';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});
/** Credits are exact decimals in SQL (integer hundredths in code). */
const credits = (name: string) => numeric(name, { precision: 10, scale: 2 });

export const INSTITUTION_KINDS = ['university', 'vocational_college', 'open_university', 'training_provider', 'enterprise', 'certification_body'] as const;
export const ROLES = ['learner', 'registrar', 'reviewer', 'committee', 'admin'] as const;
export const HOUR_TYPES = ['contact', 'workload'] as const;
export const LEDGER_STATES = ['available', 'used'] as const;
export const POSTING_KINDS = ['deposit', 'transfer_in', 'use', 'reversal'] as const;
/** Credits of different systems are never added together: Chinese credits and ECTS credits are kept apart. */
export const CREDIT_UNITS = ['credit', 'ects'] as const;

export const institutions = pgTable(
  'institutions',
  {
    id: id(),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    kind: text('kind', { enum: INSTITUTION_KINDS }).notNull(),
    country: text('country').notNull(),
    website: text('website'),
    /** Whether a course result marked 免修 (exempted) earns the course's credits here. */
    exemptionEarnsCredit: boolean('exemption_earns_credit').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('institutions_code_key').on(t.code),
    check(
      'institutions_kind_check',
      sql`${t.kind} in ('university','vocational_college','open_university','training_provider','enterprise','certification_body')`,
    ),
  ],
);

/** How an institution counts credits: hours per credit and which hours. Data with effective dates. */
export const creditSystems = pgTable(
  'credit_systems',
  {
    id: id(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    unit: text('unit', { enum: CREDIT_UNITS }).notNull(),
    hoursPerCredit: numeric('hours_per_credit', { precision: 6, scale: 2 }).notNull(),
    hourType: text('hour_type', { enum: HOUR_TYPES }).notNull(),
    effectiveFrom: date('effective_from').notNull(),
    effectiveTo: date('effective_to'),
    createdAt: createdAt(),
  },
  (t) => [
    index('credit_systems_institution_idx').on(t.institutionId, t.effectiveFrom),
    check('credit_systems_hours_check', sql`${t.hoursPerCredit} > 0`),
    check('credit_systems_dates_check', sql`${t.effectiveTo} is null or ${t.effectiveTo} > ${t.effectiveFrom}`),
  ],
);

/** A grading scale as data: percentage, named levels, a numeric range, or pass/fail. */
export const gradingScales = pgTable(
  'grading_scales',
  {
    id: id(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    definition: jsonb('definition').$type<ScaleDefinition>().notNull(),
    effectiveFrom: date('effective_from').notNull(),
    effectiveTo: date('effective_to'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('grading_scales_code_key').on(t.institutionId, t.code)],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    locale: text('locale').notNull().default('zh-CN'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: createdAt(),
    /** Where password resets (and, for learners, verification) are sent; verified when the link in the mail was followed. */
    email: text('email'),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    /** Set by an administrator: the user must choose a new password (by the e-mailed link) before signing in again. */
    passwordResetRequired: boolean('password_reset_required').notNull().default(false),
    /** TOTP second factor (RFC 6238): the base32 secret, set when enrolment starts, in use from totp_enabled_at. */
    totpSecret: text('totp_secret'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
    /** The last 30-second step a code was accepted for: a code is not accepted twice. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  },
  (t) => [uniqueIndex('users_username_key').on(sql`lower(${t.username})`), index('users_email_idx').on(sql`lower(${t.email})`)],
);

export const roleGrants = pgTable(
  'role_grants',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: ROLES }).notNull(),
    institutionId: uuid('institution_id').references(() => institutions.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('role_grants_key').on(t.userId, t.role, sql`coalesce(${t.institutionId}, '00000000-0000-0000-0000-000000000000'::uuid)`),
    check('role_grants_role_check', sql`${t.role} in ('learner','registrar','reviewer','committee','admin')`),
    check('role_grants_scope_check', sql`(${t.role} in ('registrar','reviewer')) = (${t.institutionId} is not null)`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie's token: a stolen table does not give working cookies. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    /** The absolute end: created_at plus SESSION_TTL_HOURS, however active the session. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** The last request made with it (renewed at most once a minute); idle longer than SESSION_IDLE_MINUTES, it has ended. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Failed sign-ins per account name (lower-cased, whether or not such an account exists, so a lock
 * says nothing about existence): after LOGIN_MAX_FAILURES, each within LOGIN_FAILURE_WINDOW_MINUTES
 * of the last, the name is locked for a time that doubles with each further failure. In the
 * database, so the lock holds across processes.
 */
export const loginThrottles = pgTable('login_throttles', {
  username: text('username').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

/** What an API token may do: read (GET), import (the institution's data exchange), issue (credentials). */
export const API_TOKEN_SCOPES = ['read', 'import', 'issue'] as const;

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** After this the token is refused (401); set when issued, a year by default. */
    expiresAt: timestamp('expires_at', { withTimezone: true })
      .notNull()
      .default(sql`now() + interval '1 year'`),
    /** What the token may do (auth/scopes.ts): read, import, issue. */
    scopes: text('scopes', { enum: API_TOKEN_SCOPES })
      .array()
      .notNull()
      .default(sql`'{read,import}'::text[]`),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.tokenHash), index('api_tokens_institution_idx').on(t.institutionId)],
);

export const learners = pgTable(
  'learners',
  {
    id: id(),
    userId: uuid('user_id').references(() => users.id),
    fullName: text('full_name').notNull(),
    fullNameLatin: text('full_name_latin'),
    birthDate: date('birth_date'),
    email: text('email'),
    /** The identity document (core/identity.ts ID_TYPES); with the number, how one person is recognised across institutions. */
    idType: text('id_type', { enum: ID_TYPES }),
    idNumber: text('id_number'),
    /** For a passport, the issuing country (ISO 3166-1 alpha-3): the same number from two countries is two people. */
    idCountry: text('id_country'),
    /** For `other`, what the document is, as written (e.g. 军官证). */
    idTypeName: text('id_type_name'),
    createdAt: createdAt(),
    /** When an administrator erased the learner's personal data (name pseudonymised; birth date, e-mail, ID removed). */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('learners_user_key').on(t.userId),
    uniqueIndex('learners_identity_key')
      .on(t.idType, sql`coalesce(${t.idCountry}, '')`, sql`coalesce(${t.idTypeName}, '')`, t.idNumber)
      .where(sql`${t.idNumber} is not null`),
    check('learners_id_country_check', sql`(${t.idType} = 'passport') = (${t.idCountry} is not null) or ${t.idNumber} is null`),
  ],
);

/**
 * An institution's enrolment held back because the identity document it gave belongs to a learner on
 * record (elsewhere without proof, or here under another name or birth date). Never merged silently:
 * the learner confirms or declines it in their account, or an administrator decides.
 */
export const identityConflicts = pgTable(
  'identity_conflicts',
  {
    id: id(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    existingLearnerId: uuid('existing_learner_id')
      .notNull()
      .references(() => learners.id),
    /** What the institution submitted: student number, name, birth date, identity document, enrolment. */
    submitted: jsonb('submitted').$type<SubmittedEnrolment>().notNull(),
    importJobId: uuid('import_job_id'),
    status: text('status', { enum: ['open', 'same_person', 'different', 'declined'] })
      .notNull()
      .default('open'),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('identity_conflicts_status_idx').on(t.status, t.createdAt),
    index('identity_conflicts_learner_idx').on(t.existingLearnerId, t.status),
    index('identity_conflicts_institution_idx').on(t.institutionId, t.createdAt),
  ],
);

/** A bulk import: one file or batch, its mode, progress and counts; rejected rows are in import_issues. */
/**
 * A learner's request to correct their personal data or a record (PIPL art. 46, GDPR art. 16), answered
 * by a registrar of the institution named: accepted or rejected, with a note.
 */
export const correctionRequests = pgTable(
  'correction_requests',
  {
    id: id(),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    /** What is wrong: a field of the learner's record, a result, or something else. */
    subject: text('subject', { enum: ['fullName', 'fullNameLatin', 'birthDate', 'email', 'idDocument', 'result', 'other'] }).notNull(),
    /** What it should be, in the learner's words. */
    requested: text('requested').notNull(),
    reason: text('reason'),
    status: text('status', { enum: ['open', 'accepted', 'rejected'] })
      .notNull()
      .default('open'),
    answeredBy: uuid('answered_by').references(() => users.id),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('correction_requests_learner_idx').on(t.learnerId, t.createdAt),
    index('correction_requests_institution_idx').on(t.institutionId, t.status, t.createdAt),
  ],
);

/** A learner asks the bank to erase their personal data; an administrator approves (the erasure runs) or declines with a reason. */
export const erasureRequests = pgTable(
  'erasure_requests',
  {
    id: id(),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    /** Why, in the learner's words (optional; removed when the erasure runs). */
    reason: text('reason'),
    status: text('status', { enum: ['open', 'approved', 'declined', 'withdrawn'] })
      .notNull()
      .default('open'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The administrator's reason for a decline (shown to the learner), or a note on an approval. */
    decisionNote: text('decision_note'),
  },
  (t) => [
    index('erasure_requests_learner_idx').on(t.learnerId, t.createdAt),
    // one open request per learner: two at once, one of them fails here
    uniqueIndex('erasure_requests_open_key')
      .on(t.learnerId)
      .where(sql`${t.status} = 'open'`),
    index('erasure_requests_status_idx').on(t.status, t.createdAt),
    check('erasure_requests_status_check', sql`${t.status} in ('open','approved','declined','withdrawn')`),
  ],
);

export const importJobs = pgTable(
  'import_jobs',
  {
    id: id(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    kind: text('kind', { enum: ['courses', 'programmes', 'learners', 'results', 'certifications'] }).notNull(),
    source: text('source', { enum: ['upload', 'api', 'cli'] }).notNull(),
    filename: text('filename'),
    sha256: text('sha256'),
    sizeBytes: integer('size_bytes'),
    mode: text('mode', { enum: ['dry_run', 'all_or_nothing', 'partial'] }).notNull(),
    status: text('status', { enum: ['queued', 'running', 'done', 'failed'] })
      .notNull()
      .default('queued'),
    /** done: whether anything was written (false for dry runs and refused all-or-nothing files). */
    committed: boolean('committed').notNull().default(false),
    rowsRead: integer('rows_read').notNull().default(0),
    accepted: integer('accepted').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    message: text('message'),
    createdBy: uuid('created_by').references(() => users.id),
    createdByToken: uuid('created_by_token'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** The process running the job says it is alive every few seconds; a job whose process died is failed. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('import_jobs_institution_idx').on(t.institutionId, t.createdAt)],
);

export const importIssues = pgTable(
  'import_issues',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => importJobs.id),
    /** error: the row was refused; change: the row updates a stored record (what changes is in reason); note: what a row with a result status (缺考, 免修 …) records. */
    level: text('level', { enum: ['error', 'change', 'note'] })
      .notNull()
      .default('error'),
    rowNumber: integer('row_number').notNull(),
    column: text('column'),
    value: text('value'),
    reason: text('reason').notNull(),
  },
  (t) => [index('import_issues_job_idx').on(t.jobId, t.level, t.rowNumber)],
);

/**
 * The lifelong learning account: one per learner, for life. `lastSeq` numbers the account's
 * postings; locking this row serialises postings to one account across processes.
 */
export const learningAccounts = pgTable(
  'learning_accounts',
  {
    learnerId: uuid('learner_id')
      .primaryKey()
      .references(() => learners.id),
    accountNo: text('account_no').notNull(),
    status: text('status', { enum: ['open', 'frozen', 'closed'] })
      .notNull()
      .default('open'),
    lastSeq: integer('last_seq').notNull().default(0),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('learning_accounts_no_key').on(t.accountNo)],
);

/** A learner's standing at an institution, under that institution's own student number. */
export const enrolments = pgTable(
  'enrolments',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    externalId: text('external_id').notNull(),
    programmeId: uuid('programme_id').references(() => programmes.id),
    enrolledOn: date('enrolled_on'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.institutionId] }),
    uniqueIndex('enrolments_external_key').on(t.institutionId, t.externalId),
    // a programme's cohort, page by page (the cohort audit)
    index('enrolments_programme_idx').on(t.programmeId, t.learnerId),
  ],
);

export const courses = pgTable(
  'courses',
  {
    id: id(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    code: text('code').notNull(),
    titleZh: text('title_zh').notNull(),
    titleEn: text('title_en').notNull(),
    credits: credits('credits').notNull(),
    hours: integer('hours').notNull(),
    hourType: text('hour_type', { enum: HOUR_TYPES }).notNull(),
    iscedCode: text('isced_code').notNull(),
    level: integer('level'),
    outcomesZh: text('outcomes_zh').notNull().default(''),
    outcomesEn: text('outcomes_en').notNull().default(''),
    status: text('status', { enum: ['active', 'retired'] })
      .notNull()
      .default('active'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('courses_code_key').on(t.institutionId, t.code),
    check('courses_credits_check', sql`${t.credits} >= 0`),
    check('courses_hours_check', sql`${t.hours} >= 0`),
    check('courses_isced_check', sql`${t.iscedCode} ~ '^[0-9]{2}([0-9]{1,2})?$'`),
  ],
);

/** Programmes are shells for now: requirements arrive with the degree audit. */
export const programmes = pgTable(
  'programmes',
  {
    id: id(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    code: text('code').notNull(),
    titleZh: text('title_zh').notNull(),
    titleEn: text('title_en').notNull(),
    qualification: text('qualification', { enum: ['bachelor', 'associate', 'master', 'diploma', 'certificate'] }).notNull(),
    totalCredits: credits('total_credits').notNull(),
    iscedCode: text('isced_code').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('programmes_code_key').on(t.institutionId, t.code)],
);

/**
 * A learning outcome: for now a course result, in the institution's own grade scale.
 * A corrected result is a new row that supersedes the old one; nothing is edited in place.
 */
export const outcomes = pgTable(
  'outcomes',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    id: uuid('id').notNull().defaultRandom(),
    kind: text('kind', { enum: ['course_result'] }).notNull(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id),
    term: text('term').notNull(),
    attempt: integer('attempt').notNull().default(1),
    scaleId: uuid('scale_id')
      .notNull()
      .references(() => gradingScales.id),
    /** As the scale writes it; null when the status has no grade (缺考, 缓考, …, and 免修 without one). */
    grade: text('grade'),
    /** How the result came about, as 教务系统 mark it (core/grades/status.ts): normal, 补考, 重修, 免修, 缺考, … */
    resultStatus: text('result_status', { enum: RESULT_STATUSES }).notNull().default('normal'),
    passed: boolean('passed').notNull(),
    credits: credits('credits').notNull(),
    unit: text('unit', { enum: CREDIT_UNITS }).notNull(),
    hours: integer('hours').notNull(),
    completedOn: date('completed_on').notNull(),
    status: text('status', { enum: ['recorded', 'superseded', 'revoked'] })
      .notNull()
      .default('recorded'),
    /**
     * Whether this attempt holds the course's credits: of a learner's recorded passing attempts of one
     * course, exactly one does (the first to pass); the others are history. Only it deposits.
     */
    counted: boolean('counted').notNull().default(false),
    supersedes: uuid('supersedes'),
    reason: text('reason'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    /** The bulk import that brought the record, if any. */
    importJobId: uuid('import_job_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.id] }),
    uniqueIndex('outcomes_id_key').on(t.id),
    uniqueIndex('outcomes_natural_key')
      .on(t.learnerId, t.institutionId, t.courseId, t.term, t.attempt)
      .where(sql`${t.status} = 'recorded'`),
    // one credit per course however often it is taken: at most one recorded attempt holds it
    uniqueIndex('outcomes_counted_key')
      .on(t.learnerId, t.courseId)
      .where(sql`${t.counted} and ${t.status} = 'recorded'`),
    check('outcomes_attempt_check', sql`${t.attempt} >= 1`),
    check('outcomes_counted_check', sql`not ${t.counted} or ${t.passed}`),
    check('outcomes_grade_check', sql`${t.grade} is not null or ${t.resultStatus} not in ('normal', 'resit', 'retake')`),
    check('outcomes_ungraded_check', sql`not ${t.passed} or ${t.resultStatus} in ('normal', 'resit', 'retake', 'exempted', 'exam_exempted')`),
  ],
);

/**
 * The credit ledger: append-only. A posting moves `amount` credits from one state to another;
 * null is the world outside the account. Balances are sums over postings; a correction is a
 * reversing posting, never an UPDATE.
 */
export const ledgerPostings = pgTable(
  'ledger_postings',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    seq: integer('seq').notNull(),
    kind: text('kind', { enum: POSTING_KINDS }).notNull(),
    amount: credits('amount').notNull(),
    unit: text('unit', { enum: CREDIT_UNITS }).notNull(),
    fromState: text('from_state', { enum: LEDGER_STATES }),
    toState: text('to_state', { enum: LEDGER_STATES }),
    causeType: text('cause_type').notNull(),
    causeId: text('cause_id').notNull(),
    reversesSeq: integer('reverses_seq'),
    memo: text('memo'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    /**
     * The writing transaction (a 64-bit xid): every posting of a transaction below the oldest one
     * still running is final, which is how the quality figures' daily totals know what they hold.
     */
    xact: bigint('xact', { mode: 'number' })
      .notNull()
      .default(sql`(pg_current_xact_id()::text::bigint)`),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.seq] }),
    index('ledger_postings_xact_idx').using('brin', t.xact),
    uniqueIndex('ledger_postings_reversal_key').on(t.learnerId, t.reversesSeq),
    index('ledger_postings_cause_idx').on(t.learnerId, t.causeType, t.causeId),
    check('ledger_postings_amount_check', sql`${t.amount} > 0`),
    check('ledger_postings_states_check', sql`${t.fromState} is distinct from ${t.toState}`),
    check('ledger_postings_reversal_check', sql`(${t.kind} = 'reversal') = (${t.reversesSeq} is not null)`),
  ],
);

/** Who did what, when: every change a person or a system makes. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id'),
    actorTokenId: uuid('actor_token_id'),
    institutionId: uuid('institution_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    details: jsonb('details').$type<Details>().notNull().default({}),
  },
  (t) => [
    index('audit_events_entity_idx').on(t.entityType, t.entityId),
    index('audit_events_institution_idx').on(t.institutionId, t.at),
    // an actor's recent events of an action (the identity look-ups budget sums them)
    index('audit_events_actor_user_idx')
      .on(t.actorUserId, t.action, t.at)
      .where(sql`${t.actorUserId} is not null`),
    index('audit_events_actor_token_idx')
      .on(t.actorTokenId, t.action, t.at)
      .where(sql`${t.actorTokenId} is not null`),
  ],
);

/**
 * Requests that carried an Idempotency-Key: claimed (state running) before the request runs, so a
 * concurrent duplicate finds the claim; the answer is kept once it is known, for replays.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    state: text('state', { enum: ['running', 'done'] })
      .notNull()
      .default('running'),
    statusCode: integer('status_code'),
    /** The answer's JSON body (problem+json included), once done. */
    body: jsonb('body').$type<unknown>(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

/**
 * One credit, one use: each live use of a learner's credit (a course's credits, a certification's,
 * credits that arrived by transfer) by a transfer line or an approved award. A use ends (ended_at)
 * only when what used it is withdrawn, rejected or reversed; the unique index allows one live use.
 */
export const creditUses = pgTable(
  'credit_uses',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    /** course:<course id> (every attempt of a course is one credit), certification:<id>, transfer:<application id>:<line>. */
    credit: text('credit').notNull(),
    useType: text('use_type', { enum: ['transfer', 'award'] }).notNull(),
    /** transfer: <application id>:<line no>; award: <award id>. */
    useId: text('use_id').notNull(),
    /** Where the credit went: the transfer's target, the award's institution. */
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason'),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.credit, t.useType, t.useId] }),
    uniqueIndex('credit_uses_live_key')
      .on(t.learnerId, t.credit)
      .where(sql`${t.endedAt} is null`),
    index('credit_uses_use_idx').on(t.learnerId, t.useType, t.useId),
  ],
);

// ---- Certification of learning outcomes (认定) ----

/** A qualification framework (资历框架): its levels are data, each aligned to an EQF level. */
export const qualificationFrameworks = pgTable(
  'qualification_frameworks',
  {
    id: id(),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('qualification_frameworks_code_key').on(t.code)],
);

export const frameworkLevels = pgTable(
  'framework_levels',
  {
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => qualificationFrameworks.id),
    level: integer('level').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    descriptorZh: text('descriptor_zh').notNull().default(''),
    descriptorEn: text('descriptor_en').notNull().default(''),
    /** The EQF level this level is referenced to: how levels of different frameworks compare. */
    eqfLevel: integer('eqf_level').notNull(),
  },
  (t) => [primaryKey({ columns: [t.frameworkId, t.level] }), check('framework_levels_eqf_check', sql`${t.eqfLevel} between 1 and 8`)],
);

export const OUTCOME_KINDS = ['vocational_certificate', 'skill_certificate', 'training', 'mooc', 'micro_credential', 'work_experience', 'award'] as const;

/**
 * A conversion standard (转换标准), one row per version. `code` names the standard across versions;
 * a version certifies outcomes dated inside [effective_from, effective_to). Drafts become approved by
 * the committee; a retired version certifies nothing new.
 */
export const conversionStandards = pgTable(
  'conversion_standards',
  {
    id: id(),
    code: text('code').notNull(),
    version: integer('version').notNull(),
    status: text('status', { enum: ['draft', 'approved', 'retired'] })
      .notNull()
      .default('draft'),
    outcomeKind: text('outcome_kind', { enum: OUTCOME_KINDS }).notNull(),
    issuingBody: text('issuing_body').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    /** The certificate's own level words, e.g. 中级 / Intermediate, 1+X 初级. */
    certificateLevel: text('certificate_level').notNull().default(''),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => qualificationFrameworks.id),
    level: integer('level').notNull(),
    iscedCode: text('isced_code').notNull(),
    credits: credits('credits').notNull(),
    unit: text('unit', { enum: CREDIT_UNITS }).notNull().default('credit'),
    /** Whose reviewers certify outcomes under this standard. */
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    /** Which courses or credit category it may substitute, at which institutions: [{institutionId, courseId?|category?}]. */
    substitutes: jsonb('substitutes').$type<StandardSubstitute[]>().notNull().default([]),
    /** How old the outcome may be when the application is submitted; null: no limit. */
    validityMonths: integer('validity_months'),
    capStandard: credits('cap_standard'),
    capKind: credits('cap_kind'),
    capTotal: credits('cap_total'),
    /** The evidence an application must carry, one label per item. */
    evidence: jsonb('evidence').$type<string[]>().notNull().default([]),
    descriptionZh: text('description_zh').notNull().default(''),
    descriptionEn: text('description_en').notNull().default(''),
    effectiveFrom: date('effective_from').notNull(),
    effectiveTo: date('effective_to'),
    createdBy: uuid('created_by').references(() => users.id),
    approvedBy: uuid('approved_by').references(() => users.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('conversion_standards_version_key').on(t.code, t.version),
    index('conversion_standards_status_idx').on(t.status, t.outcomeKind),
    check('conversion_standards_credits_check', sql`${t.credits} > 0`),
    check('conversion_standards_isced_check', sql`${t.iscedCode} ~ '^[0-9]{2}([0-9]{1,2})?$'`),
    check('conversion_standards_dates_check', sql`${t.effectiveTo} is null or ${t.effectiveTo} > ${t.effectiveFrom}`),
    check(
      'conversion_standards_kind_check',
      sql`${t.outcomeKind} in ('vocational_certificate','skill_certificate','training','mooc','micro_credential','work_experience','award')`,
    ),
  ],
);

export const APPLICATION_STATUSES = ['draft', 'submitted', 'more_info', 'committee', 'approved', 'rejected', 'appealed', 'withdrawn', 'revoked'] as const;

/**
 * A learner's application to have an outcome certified: under a standard version (reviewed by the
 * standard's institution) or, without one, an individual assessment by the expert committee.
 */
export const certificationApplications = pgTable(
  'certification_applications',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    id: uuid('id').notNull().defaultRandom(),
    standardId: uuid('standard_id').references(() => conversionStandards.id),
    outcomeKind: text('outcome_kind', { enum: OUTCOME_KINDS }).notNull(),
    title: text('title').notNull(),
    issuingBody: text('issuing_body').notNull(),
    /** The certificate's number, as printed, normalised (trimmed, upper case); null for a portfolio. */
    certificateNo: text('certificate_no'),
    issuedOn: date('issued_on').notNull(),
    expiresOn: date('expires_on'),
    statement: text('statement').notNull().default(''),
    /** Who reviews: a standard's institution, or the committee for an individual assessment. */
    route: text('route', { enum: ['reviewer', 'committee'] }).notNull(),
    institutionId: uuid('institution_id').references(() => institutions.id),
    level: integer('level'),
    iscedCode: text('isced_code'),
    /** What is asked (individual assessments) and what was granted. */
    creditsRequested: credits('credits_requested'),
    creditsGranted: credits('credits_granted'),
    unit: text('unit', { enum: CREDIT_UNITS }).notNull().default('credit'),
    status: text('status', { enum: APPLICATION_STATUSES }).notNull().default('draft'),
    /** Bumped by every transition: a decision names the version it saw, so two decisions cannot both land. */
    version: integer('version').notNull().default(1),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    appealed: boolean('appealed').notNull().default(false),
    importJobId: uuid('import_job_id'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.id] }),
    uniqueIndex('certification_applications_id_key').on(t.id),
    // The same certificate is certified once: a live application holds its number.
    uniqueIndex('certification_applications_certificate_key')
      .on(t.issuingBody, t.certificateNo)
      .where(sql`${t.certificateNo} is not null and ${t.status} not in ('draft','rejected','withdrawn','revoked')`),
    index('certification_applications_queue_idx').on(t.route, t.status, t.institutionId, t.updatedAt),
    check('certification_applications_route_check', sql`(${t.route} = 'reviewer') = (${t.standardId} is not null)`),
  ],
);

/** Every step of an application: who, when, from which state to which, and why. */
export const certificationEvents = pgTable(
  'certification_events',
  {
    learnerId: uuid('learner_id').notNull(),
    applicationId: uuid('application_id').notNull(),
    seq: integer('seq').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    actorRole: text('actor_role').notNull(),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    reason: text('reason'),
    details: jsonb('details').$type<Details>().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.applicationId, t.seq] }), index('certification_events_at_idx').on(t.at)],
);

/** Committee votes on an individual assessment or an appeal; one per member and round. */
export const committeeVotes = pgTable(
  'committee_votes',
  {
    learnerId: uuid('learner_id').notNull(),
    applicationId: uuid('application_id').notNull(),
    stage: text('stage', { enum: ['assessment', 'appeal'] }).notNull(),
    round: integer('round').notNull(),
    voterId: uuid('voter_id')
      .notNull()
      .references(() => users.id),
    decision: text('decision', { enum: ['approve', 'reject'] }).notNull(),
    credits: credits('credits'),
    reason: text('reason').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.applicationId, t.stage, t.round, t.voterId] })],
);

/** Evidence files, stored once by their SHA-256 and never replaced. */
export const evidenceBlobs = pgTable('evidence_blobs', {
  sha256: text('sha256').primaryKey(),
  mediaType: text('media_type').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  content: bytea('content').notNull(),
  createdAt: createdAt(),
});

export const applicationEvidence = pgTable(
  'application_evidence',
  {
    learnerId: uuid('learner_id').notNull(),
    applicationId: uuid('application_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    sha256: text('sha256')
      .notNull()
      .references(() => evidenceBlobs.sha256),
    filename: text('filename').notNull(),
    label: text('label').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.applicationId, t.id] }), uniqueIndex('application_evidence_id_key').on(t.id)],
);

/** Bank-wide settings an administrator changes (committee quorum, appeal window …); changes are audited. */
export const bankSettings = pgTable('bank_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// ---- Mutual recognition (互认): agreements, equivalences, evaluation tasks, grading tables ----

/**
 * A recognition agreement (互认协议) between two or more institutions: its scope (fields, programmes),
 * validity, caps and how credits and grades convert. In force once every party's registrar approves.
 */
export const agreements = pgTable(
  'agreements',
  {
    id: id(),
    code: text('code').notNull(),
    titleZh: text('title_zh').notNull(),
    titleEn: text('title_en').notNull(),
    kind: text('kind', { enum: ['bilateral', 'alliance'] }).notNull(),
    /** ISCED-F codes or prefixes it covers; empty: every field. */
    iscedScope: jsonb('isced_scope').$type<string[]>().notNull().default([]),
    /** Target programmes it covers; empty: every programme. */
    programmeScope: jsonb('programme_scope').$type<string[]>().notNull().default([]),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    /** Most credits one learner may transfer under this agreement. */
    capCredits: credits('cap_credits'),
    /** Credits of the other party per credit of `ratio_from` (num/den), and the inverse the other way; null: by hours per credit. */
    ratioFrom: uuid('ratio_from').references(() => institutions.id),
    ratioNum: integer('ratio_num'),
    ratioDen: integer('ratio_den'),
    rounding: jsonb('rounding').$type<Rounding>().notNull().default({ mode: 'half_up', step: 50 }),
    /** How grades convert: ECTS grading tables, the agreement's fixed tables, the modified Bavarian formula, or not at all. */
    gradeMethod: text('grade_method', { enum: ['none', 'table', 'fixed', 'bavarian'] })
      .notNull()
      .default('table'),
    /** For `fixed`: [{from: institution, table: {type:'ranges', bands} | {type:'labels', map}}], one per direction. */
    gradeTables: jsonb('grade_tables').$type<GradeTableEntry[]>().notNull().default([]),
    gradePolicy: text('grade_policy', { enum: ['min', 'max', 'average', 'largest-overlap'] })
      .notNull()
      .default('largest-overlap'),
    status: text('status', { enum: ['proposed', 'in_force', 'terminated'] })
      .notNull()
      .default('proposed'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('agreements_code_key').on(t.code),
    check('agreements_dates_check', sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
    check(
      'agreements_ratio_check',
      sql`(${t.ratioNum} is null) = (${t.ratioDen} is null) and (${t.ratioNum} is null) = (${t.ratioFrom} is null) and (${t.ratioNum} is null or (${t.ratioNum} > 0 and ${t.ratioDen} > 0))`,
    ),
  ],
);

export const agreementParties = pgTable(
  'agreement_parties',
  {
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    approvedBy: uuid('approved_by').references(() => users.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.agreementId, t.institutionId] }), index('agreement_parties_institution_idx').on(t.institutionId)],
);

/**
 * An equivalence (课程对应规则): source course(s) of one institution → target course(s) of another,
 * or unassigned elective credit; with conditions and effective dates. Versions replace each other.
 */
export const equivalences = pgTable(
  'equivalences',
  {
    id: id(),
    sourceInstitutionId: uuid('source_institution_id')
      .notNull()
      .references(() => institutions.id),
    targetInstitutionId: uuid('target_institution_id')
      .notNull()
      .references(() => institutions.id),
    /** Sorted source course ids: all are needed. */
    sourceCourseIds: jsonb('source_course_ids').$type<string[]>().notNull(),
    /** {kind:'courses', courseIds:[…]} or {kind:'elective', category, iscedCode}. */
    target: jsonb('target').$type<EquivalenceTarget>().notNull(),
    minGrade: text('min_grade'),
    maxYears: integer('max_years'),
    effectiveFrom: date('effective_from').notNull(),
    effectiveTo: date('effective_to'),
    publicNote: text('public_note').notNull().default(''),
    privateNote: text('private_note').notNull().default(''),
    status: text('status', { enum: ['active', 'retired'] })
      .notNull()
      .default('active'),
    version: integer('version').notNull().default(1),
    replaces: uuid('replaces'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('equivalences_pair_idx').on(t.targetInstitutionId, t.sourceInstitutionId, t.status),
    // inclusive dates: a version in force until 2026-06-30 covers that day (a one-day version has from = to)
    check('equivalences_dates_check', sql`${t.effectiveTo} is null or ${t.effectiveTo} >= ${t.effectiveFrom}`),
  ],
);

/** A course nobody has evaluated yet for a target institution, routed to that institution's reviewer. */
export const evaluationTasks = pgTable(
  'evaluation_tasks',
  {
    id: id(),
    sourceCourseId: uuid('source_course_id')
      .notNull()
      .references(() => courses.id),
    targetInstitutionId: uuid('target_institution_id')
      .notNull()
      .references(() => institutions.id),
    status: text('status', { enum: ['open', 'match', 'no_match'] })
      .notNull()
      .default('open'),
    equivalenceId: uuid('equivalence_id').references(() => equivalences.id),
    reason: text('reason'),
    requestedBy: uuid('requested_by').references(() => users.id),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('evaluation_tasks_open_key')
      .on(t.sourceCourseId, t.targetInstitutionId)
      .where(sql`${t.status} = 'open'`),
    index('evaluation_tasks_queue_idx').on(t.targetInstitutionId, t.status, t.createdAt),
  ],
);

/** An ECTS grading table: passing grades of a reference group (institution, ISCED-F field, cycle, years). */
export const gradingTables = pgTable(
  'grading_tables',
  {
    id: id(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    iscedCode: text('isced_code').notNull(),
    cycle: text('cycle', { enum: ['short', 'first', 'second', 'third'] }).notNull(),
    fromYear: integer('from_year').notNull(),
    toYear: integer('to_year').notNull(),
    /** Passing grades best first: [{label, count}] when built from recorded grades, [{label, percentage}] when imported. */
    grades: jsonb('grades').$type<GradeDistribution>().notNull(),
    /** How many grades the table counts; unknown (null) for an imported table, which gives percentages only. */
    total: integer('total'),
    /** recorded: built from the institution's recorded grades; ewp: imported from an Erasmus Without Paper grading table. */
    source: text('source', { enum: ['recorded', 'ewp'] })
      .notNull()
      .default('recorded'),
    createdBy: uuid('created_by').references(() => users.id),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('grading_tables_group_idx').on(t.institutionId, t.iscedCode, t.cycle, t.publishedAt),
    check('grading_tables_years_check', sql`${t.toYear} - ${t.fromYear} >= 1`),
    check('grading_tables_source_check', sql`${t.source} in ('recorded', 'ewp')`),
    check('grading_tables_total_check', sql`(${t.source} = 'recorded') = (${t.total} is not null)`),
  ],
);

/** A learner's application to have credits recognised by a target institution (and programme). */
export const transferApplications = pgTable(
  'transfer_applications',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    id: uuid('id').notNull().defaultRandom(),
    targetInstitutionId: uuid('target_institution_id')
      .notNull()
      .references(() => institutions.id),
    programmeId: uuid('programme_id').references(() => programmes.id),
    status: text('status', { enum: ['submitted', 'decided', 'withdrawn'] })
      .notNull()
      .default('submitted'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The transition to withdrawn: who (the learner, or the target's registrar reversing a decision), when, why. */
    withdrawnBy: uuid('withdrawn_by').references(() => users.id),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnAs: text('withdrawn_as', { enum: ['learner', 'registrar'] }),
    withdrawReason: text('withdraw_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.id] }),
    uniqueIndex('transfer_applications_id_key').on(t.id),
    check(
      'transfer_applications_withdrawn_check',
      sql`${t.withdrawnAt} is null or (${t.status} = 'withdrawn' and ${t.withdrawnAs} in ('learner','registrar') and ${t.withdrawReason} is not null)`,
    ),
    index('transfer_applications_queue_idx').on(t.targetInstitutionId, t.status, t.createdAt),
    index('transfer_applications_created_idx').on(t.createdAt),
  ],
);

/**
 * One source credit (a recorded course result) in a transfer application: what the rules proposed,
 * and what the target registrar decided. A credit is on one live line per target institution.
 */
export const transferLines = pgTable(
  'transfer_lines',
  {
    learnerId: uuid('learner_id').notNull(),
    applicationId: uuid('application_id').notNull(),
    lineNo: integer('line_no').notNull(),
    targetInstitutionId: uuid('target_institution_id')
      .notNull()
      .references(() => institutions.id),
    outcomeId: uuid('outcome_id').notNull(),
    sourceInstitutionId: uuid('source_institution_id')
      .notNull()
      .references(() => institutions.id),
    sourceCredits: credits('source_credits').notNull(),
    sourceUnit: text('source_unit', { enum: CREDIT_UNITS }).notNull(),
    /** The verdict of the rules when the learner applied: Match / Maybe / Miss, with its target and credits. */
    proposal: jsonb('proposal').$type<TransferVerdict>().notNull(),
    /** withdrawn: the application was withdrawn (a granted line keeps what it had granted, as history). */
    status: text('status', { enum: ['pending', 'accepted', 'substituted', 'rejected', 'withdrawn'] })
      .notNull()
      .default('pending'),
    /** What the credit became: target courses or elective category. */
    target: jsonb('target').$type<TransferLineTarget>(),
    credits: credits('credits'),
    unit: text('unit', { enum: CREDIT_UNITS }),
    grade: text('grade'),
    reason: text('reason'),
    agreementId: uuid('agreement_id').references(() => agreements.id),
    equivalenceId: uuid('equivalence_id'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.applicationId, t.lineNo] }),
    uniqueIndex('transfer_lines_credit_key')
      .on(t.learnerId, t.targetInstitutionId, t.outcomeId)
      .where(sql`${t.status} in ('pending','accepted','substituted')`),
    check('transfer_lines_decided_check', sql`${t.status} not in ('accepted','substituted') or ${t.credits} is not null`),
    index('transfer_lines_decided_idx').on(t.decidedAt),
  ],
);

/**
 * A learning agreement for exchange mobility (learner, home and host institution): which host courses
 * will replace which home courses. Each change is a new version; a version binds once all three accept.
 */
export const learningAgreements = pgTable(
  'learning_agreements',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    id: uuid('id').notNull().defaultRandom(),
    homeInstitutionId: uuid('home_institution_id')
      .notNull()
      .references(() => institutions.id),
    hostInstitutionId: uuid('host_institution_id')
      .notNull()
      .references(() => institutions.id),
    periodFrom: date('period_from').notNull(),
    periodTo: date('period_to').notNull(),
    status: text('status', { enum: ['active', 'withdrawn'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.id] }),
    uniqueIndex('learning_agreements_id_key').on(t.id),
    check('learning_agreements_period_check', sql`${t.periodTo} > ${t.periodFrom}`),
  ],
);

export const learningAgreementVersions = pgTable(
  'learning_agreement_versions',
  {
    learnerId: uuid('learner_id').notNull(),
    agreementId: uuid('agreement_id').notNull(),
    version: integer('version').notNull(),
    /** [{hostCourseIds: […], homeCourseIds: […]}]: these host courses, passed, replace those home courses. */
    lines: jsonb('lines').$type<LearningAgreementLine[]>().notNull(),
    proposedBy: uuid('proposed_by').references(() => users.id),
    reason: text('reason'),
    learnerAcceptedAt: timestamp('learner_accepted_at', { withTimezone: true }),
    homeAcceptedBy: uuid('home_accepted_by').references(() => users.id),
    homeAcceptedAt: timestamp('home_accepted_at', { withTimezone: true }),
    hostAcceptedBy: uuid('host_accepted_by').references(() => users.id),
    hostAcceptedAt: timestamp('host_accepted_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.agreementId, t.version] })],
);

/**
 * A programme's requirements (毕业/授予要求) for one catalogue year: a learner is audited against
 * the year they entered. The document is the rule tree of core/requirements, credits as decimal text.
 */
export const programmeRequirements = pgTable(
  'programme_requirements',
  {
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id),
    catalogueYear: integer('catalogue_year').notNull(),
    requirements: jsonb('requirements').$type<RequirementsDocument>().notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.programmeId, t.catalogueYear] }), check('programme_requirements_year_check', sql`${t.catalogueYear} between 1950 and 2100`)],
);

/** A registrar's exception to one learner's audit: a requirement waived, or an item counted as another course. */
export const auditExceptions = pgTable(
  'audit_exceptions',
  {
    id: id(),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id),
    nodeId: text('node_id').notNull(),
    kind: text('kind', { enum: ['waive', 'substitute'] }).notNull(),
    itemId: text('item_id'),
    courseCode: text('course_code'),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['active', 'revoked'] })
      .notNull()
      .default('active'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    revokedBy: uuid('revoked_by').references(() => users.id),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokeReason: text('revoke_reason'),
  },
  (t) => [
    index('audit_exceptions_learner_idx').on(t.learnerId, t.programmeId),
    check('audit_exceptions_kind_check', sql`(${t.kind} = 'substitute') = (${t.itemId} is not null and ${t.courseCode} is not null)`),
  ],
);

/**
 * A qualification awarded from an account: the learner applies when the audit passes, a registrar
 * approves, and the credits it used move to "used" in the ledger. Withdrawing reverses them.
 */
export const awards = pgTable(
  'awards',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    id: uuid('id').notNull().defaultRandom(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id),
    catalogueYear: integer('catalogue_year').notNull(),
    status: text('status', { enum: ['applied', 'approved', 'rejected', 'withdrawn'] })
      .notNull()
      .default('applied'),
    credits: credits('credits').notNull(),
    unit: text('unit', { enum: CREDIT_UNITS }).notNull(),
    /** The item ids the audit counted, and the audit itself as the learner applied. */
    items: jsonb('items').$type<string[]>().notNull(),
    audit: jsonb('audit').$type<AuditResult>().notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reason: text('reason'),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.id] }),
    uniqueIndex('awards_id_key').on(t.id),
    uniqueIndex('awards_live_key')
      .on(t.learnerId, t.programmeId)
      .where(sql`${t.status} in ('applied','approved')`),
    index('awards_queue_idx').on(t.programmeId, t.status, t.appliedAt),
  ],
);

/**
 * The transparency log (RFC 9162): every ledger posting, appended in the posting's own transaction
 * (unsequenced), then given its place `idx` in the Merkle tree by the sequencer, which signs a
 * checkpoint. The leaf is `idx` and the payload; the payload is the record as canonical JSON.
 */
export const logEntries = pgTable(
  'log_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    ref: text('ref').notNull(),
    payload: text('payload').notNull(),
    idx: bigint('idx', { mode: 'number' }),
    leafHash: bytea('leaf_hash'),
    /** Why the sequencer refused a pending entry (it did not match its source row): never sequenced. */
    rejected: text('rejected'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('log_entries_idx_key')
      .on(t.idx)
      .where(sql`${t.idx} is not null`),
    index('log_entries_unsequenced_idx')
      .on(t.id)
      .where(sql`${t.idx} is null and ${t.rejected} is null`),
    // an entry stands for one fact: a second entry for the same fact cannot be appended
    uniqueIndex('log_entries_ref_key').on(t.kind, t.ref),
  ],
);

/** Signed checkpoints of the log, one per sequencing: tree size, root, the signed note, the frontier to append from. */
export const logCheckpoints = pgTable('log_checkpoints', {
  size: bigint('size', { mode: 'number' }).primaryKey(),
  root: bytea('root').notNull(),
  note: text('note').notNull(),
  frontier: jsonb('frontier').$type<string[]>().notNull(),
  createdAt: createdAt(),
});

/**
 * Each institution signs credentials with its own Ed25519 key. Rotation retires the current key and
 * makes a new one; retired keys stay in the institution's DID document so that what they signed
 * still verifies. The secret key is sealed (AES-256-GCM) under the bank's master key.
 */
export const issuerKeys = pgTable(
  'issuer_keys',
  {
    id: id(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    publicKeyMultibase: text('public_key_multibase').notNull(),
    secretKeySealed: text('secret_key_sealed').notNull(),
    createdAt: createdAt(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    retiredBy: uuid('retired_by').references(() => users.id),
    retireReason: text('retire_reason'),
  },
  (t) => [
    uniqueIndex('issuer_keys_public_key').on(t.publicKeyMultibase),
    uniqueIndex('issuer_keys_current_key')
      .on(t.institutionId)
      .where(sql`${t.retiredAt} is null`),
  ],
);

export const CREDENTIAL_KINDS = ['award', 'outcome', 'certification', 'transfer', 'transcript', 'external'] as const;
export const CREDENTIAL_STATUSES = ['active', 'suspended', 'revoked'] as const;

/**
 * Verifiable credentials the bank issued, as signed. `statusIndex` is the credential's place in its
 * institution's status lists (revocation and suspension share the index).
 */
export const credentials = pgTable(
  'credentials',
  {
    id: id(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    learnerId: uuid('learner_id').references(() => learners.id),
    kind: text('kind', { enum: CREDENTIAL_KINDS }).notNull(),
    /** The award or outcome the credential states; null for credentials issued through the VC-API. */
    subjectId: uuid('subject_id'),
    keyId: uuid('key_id')
      .notNull()
      .references(() => issuerKeys.id),
    cryptosuite: text('cryptosuite', { enum: ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] }).notNull(),
    /** The signed document; after the learner's erasure, only what names no one (credentials/erasure.ts). */
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
    /** Set at erasure: the digest of the document as signed, which the transparency log recorded. */
    documentSha256: text('document_sha256'),
    statusIndex: integer('status_index').notNull(),
    status: text('status', { enum: CREDENTIAL_STATUSES }).notNull().default('active'),
    issuedAt: createdAt(),
    issuedBy: uuid('issued_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('credentials_status_index_key').on(t.institutionId, t.statusIndex),
    index('credentials_learner_idx').on(t.learnerId, t.issuedAt),
    index('credentials_subject_idx').on(t.subjectId),
  ],
);

/** Each change of a credential's status, with who and why; the log records each. */
export const credentialEvents = pgTable(
  'credential_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    credentialId: uuid('credential_id')
      .notNull()
      .references(() => credentials.id),
    status: text('status', { enum: CREDENTIAL_STATUSES }).notNull(),
    reason: text('reason').notNull(),
    actor: uuid('actor').references(() => users.id),
    at: createdAt(),
  },
  (t) => [index('credential_events_credential_idx').on(t.credentialId, t.id)],
);

/** A learner's share link: an unguessable id, an expiry, and whether the learner took it back. */
export const credentialShares = pgTable(
  'credential_shares',
  {
    id: text('id').primaryKey(),
    credentialId: uuid('credential_id')
      .notNull()
      .references(() => credentials.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** The variant signed for this link with the subject as salted hashes (OB 3.0 `hashed: true`); null: the credential as issued. */
    document: jsonb('document').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('credential_shares_credential_idx').on(t.credentialId)],
);

/** A learner's rating of a decision on their application (1–5, with a comment): it feeds the quality indicators. */
export const decisionRatings = pgTable(
  'decision_ratings',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    subjectType: text('subject_type', { enum: ['certification', 'transfer'] }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    /** Who decided: the institution whose indicators the rating counts in (null: the committee). */
    institutionId: uuid('institution_id').references(() => institutions.id),
    rating: integer('rating').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.subjectType, t.subjectId] }),
    check('decision_ratings_rating_check', sql`${t.rating} between 1 and 5`),
    index('decision_ratings_institution_idx').on(t.institutionId, t.updatedAt),
  ],
);

/**
 * Ledger postings summed by day (in REPORT_UTC_OFFSET), institution, cause and direction: the quality
 * figures read these and only the postings written since (`ledger_daily_state`), so they stay quick
 * over tens of millions of postings. Rebuilt from the postings at any time; never the record.
 */
export const ledgerDaily = pgTable(
  'ledger_daily',
  {
    day: date('day').notNull(),
    institutionId: uuid('institution_id').notNull(),
    causeType: text('cause_type').notNull(),
    kind: text('kind').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    unit: text('unit').notNull(),
    /** The ISCED-F broad field ('06'; '99' unknown): the course's for results and transfers, the certificate's, the programme's for awards. */
    field: text('field').notNull(),
    postings: integer('postings').notNull(),
    credits: numeric('credits', { precision: 14, scale: 2 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.institutionId, t.field, t.causeType, t.kind, t.fromState, t.toState, t.unit] })],
);

/** How far `ledger_daily` reaches: every posting of a transaction below `through_xact` is in it. */
export const ledgerDailyState = pgTable('ledger_daily_state', {
  id: integer('id').primaryKey().default(1),
  throughXact: bigint('through_xact', { mode: 'number' }).notNull(),
  utcOffset: text('utc_offset').notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Monthly quality reports, for the alliance (no institution) or one institution, kept with their history. */
export const qualityReports = pgTable(
  'quality_reports',
  {
    id: id(),
    institutionId: uuid('institution_id').references(() => institutions.id),
    month: text('month').notNull(),
    status: text('status', { enum: ['pending', 'ready', 'failed'] })
      .notNull()
      .default('pending'),
    error: text('error'),
    pdf: bytea('pdf'),
    xlsx: bytea('xlsx'),
    requestedBy: uuid('requested_by').references(() => users.id),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('quality_reports_scope_idx').on(t.institutionId, t.month)],
);

/**
 * An institution's identity provider (统一身份认证): CAS 3.0, OpenID Connect or SAML 2.0. `settings` holds
 * what is not secret (server URL, issuer, client id, IdP certificate); `secret_sealed` the OIDC client
 * secret sealed under the master key; `mapping` which attributes give the user id, name, e-mail,
 * student number and roles. `slug` names it in /api/v1/auth/sso/:provider/….
 */
export const ssoProviders = pgTable(
  'sso_providers',
  {
    id: id(),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    slug: text('slug').notNull(),
    kind: text('kind', { enum: ['cas', 'oidc', 'saml'] }).notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    settings: jsonb('settings').notNull().default({}),
    secretSealed: text('secret_sealed'),
    mapping: jsonb('mapping').$type<Record<string, unknown>>().notNull().default({}),
    /** Whether a staff member unknown to the bank gets an account (with the mapped roles) on first sign-in. */
    jitStaff: boolean('jit_staff').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sso_providers_slug_key').on(t.slug),
    index('sso_providers_institution_idx').on(t.institutionId),
    check('sso_providers_kind_check', sql`${t.kind} in ('cas','oidc','saml')`),
    check('sso_providers_slug_check', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{1,62}$'`),
  ],
);

/** A sign-in at an identity provider (provider + subject) and the bank user it signs in as. */
export const externalIdentities = pgTable(
  'external_identities',
  {
    providerId: uuid('provider_id')
      .notNull()
      .references(() => ssoProviders.id),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.subject] }), uniqueIndex('external_identities_user_key').on(t.userId, t.providerId)],
);

/** A sign-in under way: the state (CAS, OIDC) or AuthnRequest ID (SAML), used once, bound to the browser that began it. */
export const ssoRequests = pgTable(
  'sso_requests',
  {
    id: text('id').primaryKey(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => ssoProviders.id, { onDelete: 'cascade' }),
    browserHash: text('browser_hash'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sso_requests_expires_idx').on(t.expiresAt)],
);

/** Single-use secrets sent to a user (e-mail verification, password reset) or held between sign-in steps (second factor): stored as SHA-256. */
export const accountTokens = pgTable(
  'account_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    purpose: text('purpose', { enum: ['verify_email', 'reset_password', 'mfa_login'] }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('account_tokens_user_idx').on(t.userId, t.purpose),
    check('account_tokens_purpose_check', sql`${t.purpose} in ('verify_email','reset_password','mfa_login')`),
  ],
);

/** One-time recovery codes for a user's second factor, stored as SHA-256. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/**
 * The identity document a learner declared when signing up: never written to the learner's record
 * (which would let a stranger claim someone's document, issue 17), kept as a claim until an
 * institution links the learner's records or an administrator confirms it.
 */
export const identityClaims = pgTable(
  'identity_claims',
  {
    id: id(),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    idType: text('id_type', { enum: ID_TYPES }).notNull(),
    idNumber: text('id_number').notNull(),
    idCountry: text('id_country'),
    idTypeName: text('id_type_name'),
    status: text('status', { enum: ['open', 'confirmed', 'closed'] })
      .notNull()
      .default('open'),
    createdAt: createdAt(),
  },
  (t) => [
    index('identity_claims_learner_idx').on(t.learnerId, t.status),
    check('identity_claims_status_check', sql`${t.status} in ('open','confirmed','closed')`),
  ],
);

/** A signed-up learner asks an institution to link their records there (by student number); a registrar answers. */
export const linkRequests = pgTable(
  'link_requests',
  {
    id: id(),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    externalId: text('external_id').notNull(),
    note: text('note'),
    status: text('status', { enum: ['open', 'accepted', 'rejected', 'withdrawn'] })
      .notNull()
      .default('open'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('link_requests_learner_idx').on(t.learnerId, t.createdAt),
    index('link_requests_institution_idx').on(t.institutionId, t.status, t.createdAt),
    check('link_requests_status_check', sql`${t.status} in ('open','accepted','rejected','withdrawn')`),
  ],
);

// ---------------------------------------------------------------- notifications (issue 20)

export const NOTIFICATION_CHANNELS = ['inbox', 'email', 'digest', 'off'] as const;

/** A user's inbox: what happened (a kind and its values, rendered in the reader's language when read). */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    params: jsonb('params').$type<MessageParams>().notNull().default({}),
    link: text('link'),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
    /** Waits for the user's daily digest e-mail (their preference for the kind is `digest`). */
    digest: boolean('digest').notNull().default(false),
    digestedAt: timestamp('digested_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_unread_idx')
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
    index('notifications_digest_idx')
      .on(t.createdAt)
      .where(sql`${t.digest} and ${t.digestedAt} is null`),
  ],
);

/** How a user wants to be told of each kind; a kind without a row uses its default. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    channel: text('channel', { enum: NOTIFICATION_CHANNELS }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] }), check('notification_preferences_channel_check', sql`${t.channel} in ('inbox','email','digest','off')`)],
);

/**
 * E-mail to send, written in the transaction of the event (the outbox); a worker claims, sends and
 * marks each. The id is the message's Message-ID: a resend after a crash carries the same one.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: id(),
    userId: uuid('user_id').references(() => users.id),
    toAddress: text('to_address').notNull(),
    /** For an address without an account; a user's own language is read when the message is sent. */
    language: text('language'),
    /** A notification kind (rendered from params), `digest`, or `plain` (subject and body as given). */
    kind: text('kind').notNull(),
    params: jsonb('params').$type<MessageParams>().notNull().default({}),
    subject: text('subject'),
    body: text('body'),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('mail_outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending','sending')`),
    index('mail_outbox_user_idx').on(t.userId, t.createdAt),
    check('mail_outbox_status_check', sql`${t.status} in ('pending','sending','sent','failed')`),
  ],
);

/**
 * An invitation to sign in (issue 22): a registrar hands a learner enrolled without a sign-in a
 * single-use activation code (only its SHA-256 is kept). A new invitation replaces the learner's
 * earlier unused one (at most one live, by the partial unique index); redeeming it is a conditional
 * update of `used_at`, so a code is spent once even by two requests at the same moment.
 */
export const learnerInvitations = pgTable(
  'learner_invitations',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learners.id),
    codeHash: text('code_hash').notNull(),
    /** The institution whose registrar invited the learner: named on the letter and in the audit trail. */
    institutionId: uuid('institution_id')
      .notNull()
      .references(() => institutions.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** The learner's address of record the code was mailed to; the new sign-in takes it as verified. */
    mailedTo: text('mailed_to'),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedBy: uuid('used_by').references(() => users.id),
    replacedAt: timestamp('replaced_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.codeHash] }),
    index('learner_invitations_code_idx').on(t.codeHash),
    uniqueIndex('learner_invitations_live_key')
      .on(t.learnerId)
      .where(sql`${t.usedAt} is null and ${t.replacedAt} is null`),
    check('learner_invitations_used_check', sql`(${t.usedAt} is null) = (${t.usedBy} is null)`),
  ],
);
