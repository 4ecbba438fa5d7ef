// Shapes of the mutual-recognition JSON (src/modules/recognition/schema.ts): agreements (互认协议),
// equivalences (课程对应规则), evaluation tasks, ECTS grading tables and "will it transfer?" checks.
import type { Body, Res } from './client';

export type InstitutionRef = Res<'/standards/{id}'>['institution'];

export type CourseRef = Res<'/transfers/{id}'>['lines'][number]['course'];

export type GradePolicy = 'min' | 'max' | 'average' | 'largest-overlap';
export const GRADE_POLICIES: GradePolicy[] = ['largest-overlap', 'min', 'max', 'average'];

export type RoundingMode = 'half_up' | 'half_even' | 'down' | 'up';
export const ROUNDING_MODES: RoundingMode[] = ['half_up', 'half_even', 'down', 'up'];

export type Rounding = Res<'/agreements/{id}'>['rounding'];

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
export type GradeTableFrom = Res<'/agreements/{id}'>['gradeTables'][number];

export type Agreement = Res<'/agreements/{id}'>;

export type NewAgreement = Body<'/agreements'>;

export type EquivalenceTarget = { kind: 'courses'; courses: CourseRef[] } | { kind: 'elective'; category: string; iscedCode: string | null };

export type Equivalence = Res<'/equivalences'>['items'][number];

export type TargetInput = { kind: 'courses'; courseIds: string[] } | { kind: 'elective'; category: string; iscedCode: string | null };

export type NewEquivalence = Body<'/equivalences'>;

export type TaskStatus = 'open' | 'match' | 'no_match';

export type EvaluationTask = Res<'/institutions/{id}/evaluation-tasks'>['items'][number];

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

export type GradingTable = Res<'/institutions/{id}/grading-tables'>['items'][number];

export type VerdictStatus = 'match' | 'maybe' | 'miss';

export type Verdict = Res<'/transfers/{id}'>['lines'][number]['proposal'];

export type TransferCheckRequest = Body<'/transfer-checks'>;

export type TransferCheckResult = Res<'/transfer-checks', 'post'>;

export type Programme = Res<'/institutions/{id}/programmes'>['items'][number];

// ---- learning agreements (exchange mobility): learner, home and host agree which host courses
// replace which home courses; each version binds once all three have accepted it.

export type LearningAgreementPart = 'learner' | 'home' | 'host';
export const LA_PARTS: LearningAgreementPart[] = ['learner', 'home', 'host'];

export interface LearningAgreementLineInput {
  hostCourseIds: string[];
  homeCourseIds: string[];
}

export type LearningAgreementVersion = Res<'/learning-agreements/{id}'>['versions'][number];

export type LearningAgreement = Res<'/learning-agreements/{id}'>;

export type NewLearningAgreement = Body<'/learning-agreements'>;

export type LearningAgreementChange = Body<'/learning-agreements/{id}/changes'>;
