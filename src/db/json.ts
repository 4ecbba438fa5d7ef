// The shapes of the jsonb columns in schema.ts (`.$type<…>()`), so that a row reads typed with no
// cast. Shapes that come from outside (a learner's or an import's submission, what a registrar
// drafts) also have a zod schema here: their store parses them on write, so what lands in the
// column is what the type says. Shapes of core/ (scales, rounding, grade tables, audits) are
// core's own types and are imported from there.
import { z } from 'zod';
import type { FixedTable } from '../core/grades/formulas.js';
import type { PassFailRule } from '../core/grades/passfail.js';

/** Free-form details of an audit or certification event: small, written by our own code. */
export type Details = Record<string, unknown>;

/** An enrolment a learner, a registrar or an import submitted for a learner already on record. */
export const submittedEnrolment = z.looseObject({
  externalId: z.string(),
  fullName: z.string().optional(),
  enrolledOn: z.string().nullable().optional(),
  programmeId: z.string().nullable().optional(),
});
export type SubmittedEnrolment = z.infer<typeof submittedEnrolment>;

/** What a certification standard accepts instead of itself: a course or a category of an institution. */
export const standardSubstitute = z.object({ institutionId: z.string(), courseId: z.string().optional(), category: z.string().optional() });
export type StandardSubstitute = z.infer<typeof standardSubstitute>;

/** What an equivalence grants: named courses of the target, or elective credits in a category. */
export const equivalenceTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('courses'), courseIds: z.array(z.string()) }),
  z.object({ kind: z.literal('elective'), category: z.string(), iscedCode: z.string().nullable() }),
]);
export type EquivalenceTarget = z.infer<typeof equivalenceTarget>;

/** What a decided transfer line's credit became: named courses of the target, or elective credits in a category. */
export type TransferLineTarget = { kind: 'courses'; courseIds: string[] } | { kind: 'elective'; category: string | null };

/** A grading table's grades: counts when built from recorded grades; percentages when imported. */
export const gradeDistribution = z.array(z.object({ label: z.string(), count: z.number().optional(), percentage: z.number().optional() }));
export type GradeDistribution = z.infer<typeof gradeDistribution>;

/** A line of a learning agreement: host courses taken abroad for home courses. */
export const learningAgreementLine = z.object({ hostCourseIds: z.array(z.string()), homeCourseIds: z.array(z.string()) });
export type LearningAgreementLine = z.infer<typeof learningAgreementLine>;

/** The parameters a notification or mail is rendered from. */
export type MessageParams = Record<string, unknown>;

/** An entry of an agreement's gradeTables: a fixed table, or the rule for a pass/fail party's Pass. */
export type GradeTableEntry = { from: string; table: FixedTable | PassFailRule };
