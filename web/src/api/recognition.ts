// Shapes of the mutual-recognition JSON (src/modules/recognition/schema.ts): agreements (互认协议),
// equivalences (课程对应规则), evaluation tasks, ECTS grading tables and "will it transfer?" checks.
import type { CreditUnit } from './types';

export interface InstitutionRef {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface CourseRef {
  id: string;
  code: string;
  titleZh: string;
  titleEn: string;
  credits: string;
}

export type GradePolicy = 'min' | 'max' | 'average' | 'largest-overlap';
export const GRADE_POLICIES: GradePolicy[] = ['largest-overlap', 'min', 'max', 'average'];

export type RoundingMode = 'half_up' | 'half_even' | 'down' | 'up';
export const ROUNDING_MODES: RoundingMode[] = ['half_up', 'half_even', 'down', 'up'];

export interface Rounding {
  mode: RoundingMode;
  /** Results land on multiples of this many hundredths: 1 = 0.01, 50 = 0.5, 100 = whole credits. */
  step: number;
}

export type AgreementStatus = 'proposed' | 'in_force' | 'terminated';

/**
 * How an agreement converts grades: `table` by the two institutions' ECTS grading tables (band
 * overlap); `fixed` by the agreement's own tables, one per direction; `bavarian` by the modified
 * Bavarian formula onto German grades (numeric scales); `none` not at all.
 */
export type GradeMethod = 'none' | 'table' | 'fixed' | 'bavarian';
export const GRADE_METHODS: GradeMethod[] = ['table', 'fixed', 'bavarian', 'none'];

/** A fixed table: numeric grades from `min` up become `to`, or each source grade label its target. */
export type FixedTable = { type: 'ranges'; bands: { min: number; to: string }[] } | { type: 'labels'; map: Record<string, string> };

/**
 * For a party whose scale is pass/fail, under any grade method: its Pass becomes `pass` on the other
 * parties' graded scales. Without one, a Pass is never made a number: the line goes to an evaluator.
 */
export type PassFailRule = { type: 'pass_fail'; pass: string };

/** One direction of an agreement's grade rules: `from` is the party whose grades the table (or rule) reads. */
export interface GradeTableFrom {
  from: string;
  table: FixedTable | PassFailRule;
}

export interface Agreement {
  id: string;
  code: string;
  titleZh: string;
  titleEn: string;
  kind: 'bilateral' | 'alliance';
  parties: (InstitutionRef & { approvedAt: string | null })[];
  iscedScope: string[];
  programmeScope: string[];
  validFrom: string;
  validTo: string | null;
  capCredits: string | null;
  /** Credits of the other party per credit of `from` (num/den), the inverse the other way; null: by the institutions' hours per credit. */
  ratio: { from: string; num: number; den: number } | null;
  rounding: Rounding;
  gradeMethod: GradeMethod;
  gradeTables: GradeTableFrom[];
  gradePolicy: GradePolicy;
  status: AgreementStatus;
  createdAt: string;
}

export interface NewAgreement {
  code: string;
  titleZh: string;
  titleEn: string;
  kind: 'bilateral' | 'alliance';
  partyIds: string[];
  iscedScope: string[];
  programmeScope: string[];
  validFrom: string;
  validTo: string | null;
  capCredits: string | null;
  ratio: { from: string; num: number; den: number } | null;
  rounding: Rounding;
  gradeMethod: GradeMethod;
  /** Required (non-empty) for `fixed`. */
  gradeTables: GradeTableFrom[];
  gradePolicy: GradePolicy;
}

export type EquivalenceTarget =
  | { kind: 'courses'; courses: CourseRef[] }
  | { kind: 'elective'; category: string; iscedCode: string | null };

export interface Equivalence {
  id: string;
  sourceInstitution: InstitutionRef;
  targetInstitution: InstitutionRef;
  sourceCourses: CourseRef[];
  target: EquivalenceTarget;
  minGrade: string | null;
  maxYears: number | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  publicNote: string;
  /** Staff of the two institutions only. */
  privateNote: string | null;
  status: 'active' | 'retired';
  version: number;
  replaces: string | null;
  createdAt: string;
}

export type TargetInput = { kind: 'courses'; courseIds: string[] } | { kind: 'elective'; category: string; iscedCode: string | null };

export interface NewEquivalence {
  sourceInstitutionId: string;
  targetInstitutionId: string;
  sourceCourseIds: string[];
  target: TargetInput;
  minGrade: string | null;
  maxYears: number | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  publicNote: string;
  privateNote: string;
  replaces?: string;
}

export type TaskStatus = 'open' | 'match' | 'no_match';

export interface EvaluationTask {
  id: string;
  status: TaskStatus;
  sourceInstitution: InstitutionRef;
  targetInstitution: InstitutionRef;
  sourceCourse: CourseRef & { hours: number; iscedCode: string; level: number | null; outcomesZh: string; outcomesEn: string };
  equivalenceId: string | null;
  reason: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface Candidate extends CourseRef {
  hours: number;
  iscedCode: string;
  outcomesZh: string;
  outcomesEn: string;
  /** BM25 similarity of titles and learning outcomes. */
  score: number;
}

export interface EvaluationTaskDetail extends EvaluationTask {
  candidates: Candidate[];
}

export type TaskDecision =
  | {
      decision: 'match';
      target: TargetInput;
      minGrade: string | null;
      maxYears: number | null;
      effectiveFrom: string;
      publicNote: string;
      privateNote: string;
    }
  | { decision: 'no_match'; reason: string };

export type Cycle = 'short' | 'first' | 'second' | 'third';
export const CYCLES: Cycle[] = ['short', 'first', 'second', 'third'];

export interface GradingTable {
  /** null for a preview. */
  id: string | null;
  institution: InstitutionRef;
  iscedCode: string;
  cycle: Cycle;
  fromYear: number;
  toYear: number;
  /** Null for a table imported with percentages only (EWP gives no counts). */
  total: number | null;
  /** Fewer than 30 grades: conversions from it are only indicative. */
  small: boolean;
  /** recorded: built from recorded grades; ewp: imported from an Erasmus Without Paper file. Absent from older servers. */
  source?: 'recorded' | 'ewp';
  rows: { label: string; count: number | null; percentage: number; cumulative: number }[];
  publishedAt: string | null;
  ewp: { iscedCode: string; gradeFrequencies: { label: string; percentage: string }[] };
}

export type VerdictStatus = 'match' | 'maybe' | 'miss';

export interface Verdict {
  outcomeId: string | null;
  sourceInstitution: InstitutionRef;
  course: CourseRef;
  grade: string | null;
  status: VerdictStatus;
  reason: string | null;
  target: { kind: 'courses' | 'elective'; courses: CourseRef[]; category: string | null } | null;
  credits: string | null;
  unit: CreditUnit | null;
  convertedGrade: { grade: string; method: string; candidates: { label: string; overlap: number }[]; note: string | null } | null;
  agreement: { id: string; code: string; titleZh: string; titleEn: string } | null;
  equivalenceId: string | null;
  publicNote: string | null;
  evaluationTaskId: string | null;
}

export interface TransferCheckRequest {
  targetInstitutionId: string;
  programmeId?: string;
  mine?: boolean;
  sourceInstitutionId?: string;
  courses?: { courseId: string; grade?: string; completedOn?: string }[];
  requestEvaluation?: boolean;
}

export interface TransferCheckResult {
  target: InstitutionRef;
  on: string;
  items: Verdict[];
}

export interface Programme {
  id: string;
  institutionId: string;
  code: string;
  titleZh: string;
  titleEn: string;
  qualification: string;
  totalCredits: string;
  iscedCode: string;
}

// ---- learning agreements (exchange mobility): learner, home and host agree which host courses
// replace which home courses; each version binds once all three have accepted it.

export type LearningAgreementPart = 'learner' | 'home' | 'host';
export const LA_PARTS: LearningAgreementPart[] = ['learner', 'home', 'host'];

export interface LearningAgreementLineInput {
  hostCourseIds: string[];
  homeCourseIds: string[];
}

export interface LearningAgreementVersion {
  version: number;
  lines: { hostCourses: CourseRef[]; homeCourses: CourseRef[] }[];
  /** Why it changed (null for the first version). */
  reason: string | null;
  /** When each party accepted, or null. */
  accepted: Record<LearningAgreementPart, string | null>;
  /** All three have accepted. */
  binding: boolean;
}

export interface LearningAgreement {
  id: string;
  learnerId: string;
  learnerName: string;
  homeInstitution: InstitutionRef;
  hostInstitution: InstitutionRef;
  periodFrom: string;
  periodTo: string;
  status: 'active' | 'withdrawn';
  /** The version in force: the newest one all three have accepted. */
  current: LearningAgreementVersion | null;
  /** A version waiting for acceptance, if any. */
  pending: LearningAgreementVersion | null;
  versions: LearningAgreementVersion[];
}

export interface NewLearningAgreement {
  /** A home registrar proposing for a learner; learners omit it. */
  learnerId?: string;
  homeInstitutionId: string;
  hostInstitutionId: string;
  periodFrom: string;
  periodTo: string;
  lines: LearningAgreementLineInput[];
}

export interface LearningAgreementChange {
  lines: LearningAgreementLineInput[];
  reason: string;
}
