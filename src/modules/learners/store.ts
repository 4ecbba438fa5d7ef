import { and, asc, desc, eq, gt, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import { idDocumentKey, idDocumentKeys, type IdDocument } from '../../core/identity.js';
import type { Executor } from '../../db/connection.js';
import { submittedEnrolment } from '../../db/json.js';
import { enrolments, identityConflicts, institutions, learners, learningAccounts } from '../../db/schema.js';

export async function insertLearner(db: Executor, v: typeof learners.$inferInsert) {
  const [row] = await db.insert(learners).values(v).returning();
  return row!;
}

export async function insertAccount(db: Executor, learnerId: string, accountNo: string) {
  const [row] = await db.insert(learningAccounts).values({ learnerId, accountNo }).returning();
  return row!;
}

export async function accountNoTaken(db: Executor, accountNo: string) {
  const [row] = await db.select({ id: learningAccounts.learnerId }).from(learningAccounts).where(eq(learningAccounts.accountNo, accountNo));
  return !!row;
}

export async function insertEnrolment(db: Executor, v: typeof enrolments.$inferInsert) {
  await db.insert(enrolments).values(v);
}

export async function learnerWithAccount(db: Executor, learnerId: string) {
  const [row] = await db
    .select({ learner: learners, account: learningAccounts })
    .from(learners)
    .innerJoin(learningAccounts, eq(learningAccounts.learnerId, learners.id))
    .where(eq(learners.id, learnerId));
  return row;
}

export async function enrolmentsOf(db: Executor, learnerId: string) {
  return db
    .select({
      institutionId: enrolments.institutionId,
      institutionCode: institutions.code,
      institutionNameZh: institutions.nameZh,
      institutionNameEn: institutions.nameEn,
      externalId: enrolments.externalId,
      programmeId: enrolments.programmeId,
      enrolledOn: enrolments.enrolledOn,
    })
    .from(enrolments)
    .innerJoin(institutions, eq(institutions.id, enrolments.institutionId))
    .where(eq(enrolments.learnerId, learnerId))
    .orderBy(asc(enrolments.enrolledOn));
}

export async function enrolmentByExternalId(db: Executor, institutionId: string, externalId: string) {
  const [row] = await db
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.institutionId, institutionId), eq(enrolments.externalId, externalId)));
  return row;
}

export async function enrolment(db: Executor, learnerId: string, institutionId: string) {
  const [row] = await db
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.learnerId, learnerId), eq(enrolments.institutionId, institutionId)));
  return row;
}

export async function listEnrolled(db: Executor, institutionId: string, q: { search?: string; afterExternalId?: string; limit: number }) {
  const like = q.search ? `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return db
    .select({
      id: learners.id,
      accountNo: learningAccounts.accountNo,
      fullName: learners.fullName,
      fullNameLatin: learners.fullNameLatin,
      externalId: enrolments.externalId,
      enrolledOn: enrolments.enrolledOn,
      hasSignIn: sql<boolean>`${learners.userId} is not null`,
    })
    .from(enrolments)
    .innerJoin(learners, eq(learners.id, enrolments.learnerId))
    .innerJoin(learningAccounts, eq(learningAccounts.learnerId, learners.id))
    .where(
      and(
        eq(enrolments.institutionId, institutionId),
        like
          ? or(ilike(learners.fullName, like), ilike(learners.fullNameLatin, like), ilike(enrolments.externalId, like), ilike(learningAccounts.accountNo, like))
          : undefined,
        q.afterExternalId ? gt(enrolments.externalId, q.afterExternalId) : undefined,
      ),
    )
    .orderBy(asc(enrolments.externalId))
    .limit(q.limit);
}

export type LearnerRow = typeof learners.$inferSelect;

/** Learners enrolled at the institution under the given student numbers. */
export async function enrolledByExternalIds(db: Executor, institutionId: string, externalIds: string[]) {
  if (externalIds.length === 0) return [];
  return db
    .select({ enrolment: enrolments, learner: learners })
    .from(enrolments)
    .innerJoin(learners, eq(learners.id, enrolments.learnerId))
    .where(and(eq(enrolments.institutionId, institutionId), inArray(enrolments.externalId, externalIds)));
}

/**
 * Learners holding any of the given identity documents (canonical forms, core/identity.ts): type,
 * country, type name and number all match, or the document as recorded before its country or type
 * name was asked for (idDocumentKeys). A flat IN list on the number, matched here; see outcomes/store.
 */
export async function learnersByIdentity(db: Executor, docs: IdDocument[]) {
  if (docs.length === 0) return [];
  const wanted = new Set(docs.flatMap(idDocumentKeys));
  const rows = await db
    .select()
    .from(learners)
    .where(inArray(learners.idNumber, [...new Set(docs.map((d) => d.number))]));
  return rows.filter(
    (l) => l.idType && l.idNumber && wanted.has(idDocumentKey({ type: l.idType, number: l.idNumber, country: l.idCountry, typeName: l.idTypeName })),
  );
}

export async function institutionsOfLearners(db: Executor, learnerIds: string[]) {
  if (learnerIds.length === 0) return [];
  return db
    .select({ learnerId: enrolments.learnerId, institutionId: enrolments.institutionId })
    .from(enrolments)
    .where(inArray(enrolments.learnerId, learnerIds));
}

export async function insertLearnersBulk(
  tx: Executor,
  rows: { learner: typeof learners.$inferInsert & { id: string }; accountNo: string; enrolment: Omit<typeof enrolments.$inferInsert, 'learnerId'> | null }[],
) {
  for (let i = 0; i < rows.length; i += 1000) {
    const part = rows.slice(i, i + 1000);
    await tx.insert(learners).values(part.map((r) => r.learner));
    await tx.insert(learningAccounts).values(part.map((r) => ({ learnerId: r.learner.id, accountNo: r.accountNo })));
    const enrols = part.flatMap((r) => (r.enrolment ? [{ ...r.enrolment, learnerId: r.learner.id }] : []));
    if (enrols.length) await tx.insert(enrolments).values(enrols);
  }
}

export async function updateLearnerRow(tx: Executor, id: string, v: Partial<typeof learners.$inferInsert>) {
  await tx.update(learners).set(v).where(eq(learners.id, id));
}

export async function updateEnrolmentRow(tx: Executor, learnerId: string, institutionId: string, v: Partial<typeof enrolments.$inferInsert>) {
  await tx
    .update(enrolments)
    .set(v)
    .where(and(eq(enrolments.learnerId, learnerId), eq(enrolments.institutionId, institutionId)));
}

export async function enrolledPage(db: Executor, institutionId: string, afterExternalId: string | undefined, limit: number) {
  return db
    .select({ enrolment: enrolments, learner: learners })
    .from(enrolments)
    .innerJoin(learners, eq(learners.id, enrolments.learnerId))
    .where(and(eq(enrolments.institutionId, institutionId), afterExternalId ? gt(enrolments.externalId, afterExternalId) : undefined))
    .orderBy(asc(enrolments.externalId))
    .limit(limit);
}

// ---------------------------------------------------------------- identity conflicts (held enrolments)

export type ConflictStatus = (typeof identityConflicts.$inferSelect)['status'];

/** The names of several learners, in one query. */
export async function learnerNames(db: Executor, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: learners.id, fullName: learners.fullName })
    .from(learners)
    .where(inArray(learners.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.fullName]));
}

/** Several learners' names and learning-account numbers, in one query: what a list of their records shows. */
export async function learnerCards(db: Executor, ids: string[]) {
  if (ids.length === 0) return new Map<string, { fullName: string; accountNo: string }>();
  const rows = await db
    .select({ id: learners.id, fullName: learners.fullName, accountNo: learningAccounts.accountNo })
    .from(learners)
    .innerJoin(learningAccounts, eq(learningAccounts.learnerId, learners.id))
    .where(inArray(learners.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, { fullName: r.fullName, accountNo: r.accountNo }]));
}

/** `submitted` comes from outside (an import row, a registrar's form): it is checked to be an enrolment here. */
export async function insertConflicts(
  db: Executor,
  rows: (Omit<typeof identityConflicts.$inferInsert, 'submitted'> & { submitted: Record<string, unknown> })[],
) {
  if (rows.length === 0) return [];
  return db
    .insert(identityConflicts)
    .values(rows.map((r) => ({ ...r, submitted: submittedEnrolment.parse(r.submitted) })))
    .returning();
}

export async function conflictsByStatus(db: Executor, status: ConflictStatus, limit: number) {
  return db.select().from(identityConflicts).where(eq(identityConflicts.status, status)).orderBy(desc(identityConflicts.createdAt)).limit(limit);
}

/** What one institution submitted and is waiting on (or was answered), newest first. */
export async function conflictsOfInstitution(db: Executor, institutionId: string, limit: number) {
  return db.select().from(identityConflicts).where(eq(identityConflicts.institutionId, institutionId)).orderBy(desc(identityConflicts.createdAt)).limit(limit);
}

/** The open requests to enrol this learner elsewhere, with the institution asking. */
export async function openConflictsOfLearner(db: Executor, learnerId: string) {
  return db
    .select({
      conflict: identityConflicts,
      institution: { id: institutions.id, code: institutions.code, nameZh: institutions.nameZh, nameEn: institutions.nameEn },
    })
    .from(identityConflicts)
    .innerJoin(institutions, eq(institutions.id, identityConflicts.institutionId))
    .where(and(eq(identityConflicts.existingLearnerId, learnerId), eq(identityConflicts.status, 'open')))
    .orderBy(desc(identityConflicts.createdAt));
}

export async function conflictById(db: Executor, id: string) {
  const [row] = await db.select().from(identityConflicts).where(eq(identityConflicts.id, id));
  return row;
}

/** Decides an open conflict; undefined when it was decided meanwhile (the row is no longer open). */
export async function closeConflict(db: Executor, id: string, v: { status: Exclude<ConflictStatus, 'open'>; resolvedBy: string | null; note: string }) {
  const [row] = await db
    .update(identityConflicts)
    .set({ ...v, resolvedAt: new Date() })
    .where(and(eq(identityConflicts.id, id), eq(identityConflicts.status, 'open')))
    .returning();
  return row;
}

/**
 * Erasure: decided identity conflicts about the learner keep only the student number (the identity
 * merge's log entry is built from it); the submitted name, birth date and document go. Open ones are
 * left for an administrator to decide.
 */
export async function scrubDecidedConflictsOf(db: Executor, learnerId: string) {
  await db
    .update(identityConflicts)
    .set({ submitted: sql`jsonb_build_object('externalId', ${identityConflicts.submitted}->'externalId', 'erased', true)` })
    .where(and(eq(identityConflicts.existingLearnerId, learnerId), sql`${identityConflicts.status} <> 'open'`));
}

/** The sign-in moves from one learner to another; the first one's (empty) account is closed. */
export async function moveUserOfLearner(db: Executor, fromLearnerId: string, toLearnerId: string, userId: string) {
  await db.update(learners).set({ userId: null }).where(eq(learners.id, fromLearnerId));
  await db.update(learningAccounts).set({ status: 'closed' }).where(eq(learningAccounts.learnerId, fromLearnerId));
  await db.update(learners).set({ userId }).where(eq(learners.id, toLearnerId));
}

/**
 * The institution's enrolled learners to invite to sign in (accounts-lifecycle invitations): the
 * given ones, or (null) every one without a sign-in, by student number, at most `limit`.
 */
export async function enrolledForInvitation(db: Executor, institutionId: string, learnerIds: string[] | null, limit: number) {
  return db
    .select({
      id: learners.id,
      fullName: learners.fullName,
      fullNameLatin: learners.fullNameLatin,
      email: learners.email,
      userId: learners.userId,
      erasedAt: learners.erasedAt,
      accountNo: learningAccounts.accountNo,
      externalId: enrolments.externalId,
    })
    .from(enrolments)
    .innerJoin(learners, eq(learners.id, enrolments.learnerId))
    .innerJoin(learningAccounts, eq(learningAccounts.learnerId, learners.id))
    .where(
      and(
        eq(enrolments.institutionId, institutionId),
        learnerIds ? inArray(enrolments.learnerId, learnerIds) : and(isNull(learners.userId), isNull(learners.erasedAt)),
      ),
    )
    .orderBy(asc(enrolments.externalId))
    .limit(limit);
}

/** Gives a learner without a sign-in this one; false when the learner has one already (a conditional update: two at once, one wins). */
export async function attachSignIn(db: Executor, learnerId: string, userId: string): Promise<boolean> {
  const rows = await db
    .update(learners)
    .set({ userId })
    .where(and(eq(learners.id, learnerId), isNull(learners.userId)))
    .returning({ id: learners.id });
  return rows.length === 1;
}
