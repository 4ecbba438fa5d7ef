// Queries of mutual recognition: agreements and their parties, equivalences, evaluation tasks, grading tables.
import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import {
  agreementParties,
  agreements,
  equivalences,
  evaluationTasks,
  gradingTables,
  institutions,
  learners,
  learningAgreements,
  learningAgreementVersions,
  transferApplications,
  transferLines,
} from '../../db/schema.js';

export type AgreementRow = typeof agreements.$inferSelect;
export type PartyRow = typeof agreementParties.$inferSelect;
export type EquivalenceRow = typeof equivalences.$inferSelect;
export type TaskRow = typeof evaluationTasks.$inferSelect;
export type TableRow = typeof gradingTables.$inferSelect;

// ---- agreements

export async function insertAgreement(db: Executor, a: typeof agreements.$inferInsert, parties: (typeof agreementParties.$inferInsert)[]) {
  const [row] = await db.insert(agreements).values(a).returning();
  await db.insert(agreementParties).values(parties.map((p) => ({ ...p, agreementId: row!.id })));
  return row!;
}

export async function agreementByCode(db: Executor, code: string) {
  const [row] = await db.select().from(agreements).where(eq(agreements.code, code));
  return row;
}

export async function agreementById(db: Executor, id: string, lock = false) {
  const q = db.select().from(agreements).where(eq(agreements.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function partiesOf(db: Executor, agreementIds: string[]) {
  if (agreementIds.length === 0) return [];
  return db.select().from(agreementParties).where(inArray(agreementParties.agreementId, agreementIds));
}

export async function approveParty(db: Executor, agreementId: string, institutionId: string, by: string | null) {
  const rows = await db
    .update(agreementParties)
    .set({ approvedBy: by, approvedAt: new Date() })
    .where(and(eq(agreementParties.agreementId, agreementId), eq(agreementParties.institutionId, institutionId), isNull(agreementParties.approvedAt)))
    .returning();
  return rows.length === 1;
}

export async function setAgreementStatus(db: Executor, id: string, status: AgreementRow['status']) {
  const [row] = await db.update(agreements).set({ status }).where(eq(agreements.id, id)).returning();
  return row!;
}

/** Agreements an institution is party to (all of them when none is named). */
export async function listAgreements(db: Executor, institutionId?: string) {
  const where: SQL | undefined = institutionId
    ? sql`${agreements.id} in (select agreement_id from ${agreementParties} where institution_id = ${institutionId})`
    : undefined;
  return db.select().from(agreements).where(where).orderBy(desc(agreements.validFrom), asc(agreements.code));
}

/** Agreements in force on a date with both institutions among their parties. */
export async function agreementsBetween(db: Executor, a: string, b: string, on: string) {
  return db
    .select()
    .from(agreements)
    .where(
      and(
        eq(agreements.status, 'in_force'),
        sql`${agreements.validFrom} <= ${on} and (${agreements.validTo} is null or ${agreements.validTo} >= ${on})`, // inclusive: in force on its last day
        sql`${agreements.id} in (select agreement_id from ${agreementParties} where institution_id = ${a})`,
        sql`${agreements.id} in (select agreement_id from ${agreementParties} where institution_id = ${b})`,
      ),
    )
    .orderBy(desc(agreements.validFrom));
}

// ---- equivalences

export async function insertEquivalence(db: Executor, e: typeof equivalences.$inferInsert) {
  const [row] = await db.insert(equivalences).values(e).returning();
  return row!;
}

export async function equivalenceById(db: Executor, id: string, lock = false) {
  const q = db.select().from(equivalences).where(eq(equivalences.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function listEquivalences(
  db: Executor,
  f: { sourceInstitutionId?: string; targetInstitutionId?: string; courseId?: string; status?: EquivalenceRow['status'] },
) {
  return db
    .select()
    .from(equivalences)
    .where(
      and(
        f.sourceInstitutionId ? eq(equivalences.sourceInstitutionId, f.sourceInstitutionId) : undefined,
        f.targetInstitutionId ? eq(equivalences.targetInstitutionId, f.targetInstitutionId) : undefined,
        f.courseId ? sql`${equivalences.sourceCourseIds} @> ${JSON.stringify([f.courseId])}::jsonb` : undefined,
        f.status ? eq(equivalences.status, f.status) : undefined,
      ),
    )
    .orderBy(desc(equivalences.createdAt))
    .limit(2000);
}

/** Locks the target institution's active rules for one source institution while a new one is checked against them. */
export async function activeRulesForUpdate(db: Executor, source: string, target: string) {
  return db
    .select()
    .from(equivalences)
    .where(and(eq(equivalences.sourceInstitutionId, source), eq(equivalences.targetInstitutionId, target), eq(equivalences.status, 'active')))
    .for('update');
}

export async function updateEquivalence(db: Executor, id: string, v: Partial<typeof equivalences.$inferInsert>) {
  const [row] = await db.update(equivalences).set(v).where(eq(equivalences.id, id)).returning();
  return row!;
}

// ---- evaluation tasks

/** Inserts the tasks not already waiting; returns the new ones. */
export async function insertTasks(db: Executor, rows: (typeof evaluationTasks.$inferInsert)[]) {
  if (rows.length === 0) return [];
  return db.insert(evaluationTasks).values(rows).onConflictDoNothing().returning({ id: evaluationTasks.id, sourceCourseId: evaluationTasks.sourceCourseId });
}

export async function openTasksFor(db: Executor, targetInstitutionId: string, courseIds: string[]) {
  if (courseIds.length === 0) return [];
  return db
    .select()
    .from(evaluationTasks)
    .where(
      and(eq(evaluationTasks.targetInstitutionId, targetInstitutionId), inArray(evaluationTasks.sourceCourseId, courseIds), eq(evaluationTasks.status, 'open')),
    );
}

/** The latest no-match decision for each course, with its reason. */
export async function noMatchDecisions(db: Executor, targetInstitutionId: string, courseIds: string[]) {
  if (courseIds.length === 0) return [];
  return db
    .select()
    .from(evaluationTasks)
    .where(
      and(
        eq(evaluationTasks.targetInstitutionId, targetInstitutionId),
        inArray(evaluationTasks.sourceCourseId, courseIds),
        eq(evaluationTasks.status, 'no_match'),
      ),
    )
    .orderBy(desc(evaluationTasks.decidedAt));
}

export async function tasksOf(db: Executor, targetInstitutionId: string, status: TaskRow['status'] | 'all') {
  return db
    .select()
    .from(evaluationTasks)
    .where(and(eq(evaluationTasks.targetInstitutionId, targetInstitutionId), status === 'all' ? undefined : eq(evaluationTasks.status, status)))
    .orderBy(asc(evaluationTasks.createdAt))
    .limit(500);
}

export async function taskById(db: Executor, id: string, lock = false) {
  const q = db.select().from(evaluationTasks).where(eq(evaluationTasks.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function closeTask(
  db: Executor,
  id: string,
  v: { status: 'match' | 'no_match'; equivalenceId?: string | null; reason?: string | null; decidedBy: string | null },
) {
  const [row] = await db
    .update(evaluationTasks)
    .set({ ...v, decidedAt: new Date() })
    .where(and(eq(evaluationTasks.id, id), eq(evaluationTasks.status, 'open')))
    .returning();
  return row;
}

// ---- grading tables

export async function insertTable(db: Executor, t: typeof gradingTables.$inferInsert) {
  const [row] = await db.insert(gradingTables).values(t).returning();
  return row!;
}

export async function tablesOf(db: Executor, institutionIds: string[]) {
  if (institutionIds.length === 0) return [];
  return db.select().from(gradingTables).where(inArray(gradingTables.institutionId, institutionIds)).orderBy(desc(gradingTables.publishedAt));
}

// ---- transfer applications

export type TransferRow = typeof transferApplications.$inferSelect;
export type LineRow = typeof transferLines.$inferSelect;

export async function insertTransfer(
  db: Executor,
  a: typeof transferApplications.$inferInsert,
  lines: Omit<typeof transferLines.$inferInsert, 'applicationId'>[],
) {
  const [row] = await db.insert(transferApplications).values(a).returning();
  await db.insert(transferLines).values(lines.map((l) => ({ ...l, applicationId: row!.id })));
  return row!;
}

export async function transferById(db: Executor, id: string, lock = false) {
  const q = db.select().from(transferApplications).where(eq(transferApplications.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function linesOf(db: Executor, learnerId: string, applicationId: string) {
  return db
    .select()
    .from(transferLines)
    .where(and(eq(transferLines.learnerId, learnerId), eq(transferLines.applicationId, applicationId)))
    .orderBy(asc(transferLines.lineNo));
}

/** The lines of several applications (a page of a list), in one query. */
/** The target courses a line names, in its order, as the page shows them (numeric credits as text). */
export type TargetCourse = { id: string; code: string; titleZh: string; titleEn: string; credits: string };

/**
 * The lines of the applications, each with the target courses it names (read in the same statement:
 * a page of applications costs the same whatever its lines name).
 */
export async function linesOfMany(db: Executor, apps: { learnerId: string; id: string }[]) {
  if (apps.length === 0) return [];
  return db
    .select({
      line: transferLines,
      targetCourses: sql<TargetCourse[]>`coalesce((
        select json_agg(json_build_object('id', c.id, 'code', c.code, 'titleZh', c.title_zh, 'titleEn', c.title_en, 'credits', c.credits::text) order by x.ord)
        from jsonb_array_elements_text(case when ${transferLines.target}->>'kind' = 'courses' then ${transferLines.target}->'courseIds' else '[]'::jsonb end)
          with ordinality as x(id, ord)
        join courses c on c.id = x.id::uuid), '[]'::json)`,
    })
    .from(transferLines)
    .where(
      and(
        inArray(transferLines.learnerId, [...new Set(apps.map((a) => a.learnerId))]),
        inArray(
          transferLines.applicationId,
          apps.map((a) => a.id),
        ),
      ),
    )
    .orderBy(asc(transferLines.applicationId), asc(transferLines.lineNo))
    .then((rows) => rows.map((r) => ({ ...r.line, targetCourses: r.targetCourses })));
}

export async function grantedLines(db: Executor, learnerId: string, targetInstitutionId: string) {
  return db
    .select()
    .from(transferLines)
    .where(
      and(
        eq(transferLines.learnerId, learnerId),
        eq(transferLines.targetInstitutionId, targetInstitutionId),
        inArray(transferLines.status, ['accepted', 'substituted']),
      ),
    );
}

export async function decideLine(db: Executor, k: { learnerId: string; applicationId: string; lineNo: number }, v: Partial<typeof transferLines.$inferInsert>) {
  await db
    .update(transferLines)
    .set({ ...v, decidedAt: new Date() })
    .where(
      and(
        eq(transferLines.learnerId, k.learnerId),
        eq(transferLines.applicationId, k.applicationId),
        eq(transferLines.lineNo, k.lineNo),
        eq(transferLines.status, 'pending'),
      ),
    );
}

export async function closeTransfer(db: Executor, learnerId: string, id: string, status: 'decided' | 'withdrawn', by: string | null) {
  const [row] = await db
    .update(transferApplications)
    .set({ status, decidedBy: by, decidedAt: new Date() })
    .where(and(eq(transferApplications.learnerId, learnerId), eq(transferApplications.id, id), eq(transferApplications.status, 'submitted')))
    .returning();
  return row;
}

export async function withdrawTransfer(
  db: Executor,
  learnerId: string,
  id: string,
  from: 'submitted' | 'decided',
  by: { userId: string | null; as: 'learner' | 'registrar' },
  reason: string,
) {
  await db
    .update(transferLines)
    .set({ status: 'withdrawn' })
    .where(and(eq(transferLines.learnerId, learnerId), eq(transferLines.applicationId, id)));
  const [row] = await db
    .update(transferApplications)
    .set({
      status: 'withdrawn',
      withdrawnBy: by.userId,
      withdrawnAs: by.as,
      withdrawnAt: new Date(),
      withdrawReason: reason,
      ...(from === 'submitted' ? { decidedBy: by.userId, decidedAt: new Date() } : {}),
    })
    .where(and(eq(transferApplications.learnerId, learnerId), eq(transferApplications.id, id), eq(transferApplications.status, from)))
    .returning();
  return row;
}

/** A listed application: the row, its learner's name and its target institution, read together. */
const listed = {
  app: transferApplications,
  learnerName: learners.fullName,
  target: { id: institutions.id, code: institutions.code, nameZh: institutions.nameZh, nameEn: institutions.nameEn },
};
export type ListedTransfer = TransferRow & { learnerName: string; target: { id: string; code: string; nameZh: string; nameEn: string } };

export async function transfersOfLearner(db: Executor, learnerId: string): Promise<ListedTransfer[]> {
  return listTransfers(db, eq(transferApplications.learnerId, learnerId), desc(transferApplications.createdAt), undefined);
}

export async function transfersInto(db: Executor, institutionId: string, status: TransferRow['status'] | 'all'): Promise<ListedTransfer[]> {
  return listTransfers(
    db,
    and(eq(transferApplications.targetInstitutionId, institutionId), status === 'all' ? undefined : eq(transferApplications.status, status)),
    asc(transferApplications.createdAt),
    500,
  );
}

async function listTransfers(db: Executor, where: SQL | undefined, order: SQL, limit: number | undefined) {
  const rows = await db
    .select(listed)
    .from(transferApplications)
    .innerJoin(learners, eq(learners.id, transferApplications.learnerId))
    .innerJoin(institutions, eq(institutions.id, transferApplications.targetInstitutionId))
    .where(where)
    .orderBy(order)
    .limit(limit ?? Number.MAX_SAFE_INTEGER);
  return rows.map((r) => ({ ...r.app, learnerName: r.learnerName, target: r.target }));
}

// ---- learning agreements

export type LearningAgreementRow = typeof learningAgreements.$inferSelect;
export type LaVersionRow = typeof learningAgreementVersions.$inferSelect;

export async function insertLearningAgreement(db: Executor, a: typeof learningAgreements.$inferInsert) {
  const [row] = await db.insert(learningAgreements).values(a).returning();
  return row!;
}

export async function learningAgreementById(db: Executor, id: string, lock = false) {
  const q = db.select().from(learningAgreements).where(eq(learningAgreements.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function learningAgreementsOf(db: Executor, learnerId: string) {
  return db.select().from(learningAgreements).where(eq(learningAgreements.learnerId, learnerId)).orderBy(desc(learningAgreements.createdAt));
}

/** Learning agreements in which the institution is home or host. */
export async function learningAgreementsAt(db: Executor, institutionId: string) {
  return db
    .select()
    .from(learningAgreements)
    .where(or(eq(learningAgreements.homeInstitutionId, institutionId), eq(learningAgreements.hostInstitutionId, institutionId)))
    .orderBy(desc(learningAgreements.createdAt))
    .limit(500);
}

export async function laVersions(db: Executor, learnerId: string, agreementId: string) {
  return db
    .select()
    .from(learningAgreementVersions)
    .where(and(eq(learningAgreementVersions.learnerId, learnerId), eq(learningAgreementVersions.agreementId, agreementId)))
    .orderBy(asc(learningAgreementVersions.version));
}

export async function insertLaVersion(db: Executor, v: typeof learningAgreementVersions.$inferInsert) {
  await db.insert(learningAgreementVersions).values(v);
}

export async function acceptLaVersion(
  db: Executor,
  k: { learnerId: string; agreementId: string; version: number },
  v: Partial<typeof learningAgreementVersions.$inferInsert>,
) {
  await db
    .update(learningAgreementVersions)
    .set(v)
    .where(
      and(
        eq(learningAgreementVersions.learnerId, k.learnerId),
        eq(learningAgreementVersions.agreementId, k.agreementId),
        eq(learningAgreementVersions.version, k.version),
      ),
    );
}
