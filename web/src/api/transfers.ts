// Shapes of credit transfer applications (学分转换申请; src/modules/recognition/schema.ts:
// newTransfer, transferDecision, transferApplication, transferLine, transferPolicy).
import type { CourseRef, InstitutionRef, Verdict } from './recognition';
import type { CreditUnit } from './types';

export type TransferStatus = 'submitted' | 'decided' | 'withdrawn';
export type LineStatus = 'pending' | 'accepted' | 'substituted' | 'rejected' | 'withdrawn';

export interface LineTarget {
  kind: 'courses' | 'elective';
  courses: CourseRef[];
  category: string | null;
}

export interface TransferLine {
  lineNo: number;
  /** What a credential of this credit is filed under (its subjectId). */
  credentialSubject: string;
  outcomeId: string;
  sourceInstitution: InstitutionRef;
  course: CourseRef;
  /** The source credits, used up when the line is granted. */
  sourceCredits: string;
  sourceUnit: CreditUnit;
  grade: string | null;
  /** What the rules proposed when the learner applied. */
  proposal: Verdict;
  status: LineStatus;
  /** What was granted (accepted or substituted lines). */
  target: LineTarget | null;
  credits: string | null;
  unit: CreditUnit | null;
  convertedGrade: string | null;
  reason: string | null;
  decidedAt: string | null;
}

export interface TransferPosting {
  seq: number;
  kind: string;
  amount: string;
  unit: CreditUnit;
  /** For a reversal: the kind of posting it undid (use or transfer_in). */
  reverses: string | null;
}

export interface TransferApplication {
  id: string;
  learnerId: string;
  learnerName: string;
  targetInstitution: InstitutionRef;
  programmeId: string | null;
  status: TransferStatus;
  createdAt: string;
  decidedAt: string | null;
  /** The transition to withdrawn: by the learner while it waited, or by the target's registrar reversing the decision. */
  withdrawal: { at: string; by: 'learner' | 'registrar'; reason: string } | null;
  lines: TransferLine[];
  postings: TransferPosting[];
}

export interface NewTransfer {
  targetInstitutionId: string;
  programmeId?: string;
  outcomeIds: string[];
}

export type LineDecisionTarget = { kind: 'courses'; courseIds: string[] } | { kind: 'elective'; category: string };

export interface LineDecision {
  lineNo: number;
  decision: 'accept' | 'substitute' | 'reject';
  target?: LineDecisionTarget;
  credits?: string;
  reason?: string;
}

/** Caps on credits transferred into an institution, per learner; null: no cap. */
export interface TransferPolicy {
  capPerSource: string | null;
  capTotal: string | null;
}
