import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { correctionRequests, erasureRequests, learners, learningAccounts } from '../../db/schema.js';

export type CorrectionRow = typeof correctionRequests.$inferSelect;
export type CorrectionSubject = CorrectionRow['subject'];

export async function insertCorrection(db: Executor, v: typeof correctionRequests.$inferInsert) {
  const [row] = await db.insert(correctionRequests).values(v).returning();
  return row!;
}

export async function getCorrection(db: Executor, id: string) {
  const [row] = await db.select().from(correctionRequests).where(eq(correctionRequests.id, id));
  return row;
}

export async function correctionsOfLearner(db: Executor, learnerId: string) {
  return db.select().from(correctionRequests).where(eq(correctionRequests.learnerId, learnerId)).orderBy(desc(correctionRequests.createdAt)).limit(200);
}

export async function correctionsOfInstitution(db: Executor, institutionId: string, status?: CorrectionRow['status']) {
  return db
    .select()
    .from(correctionRequests)
    .where(and(eq(correctionRequests.institutionId, institutionId), status ? eq(correctionRequests.status, status) : undefined))
    .orderBy(desc(correctionRequests.createdAt))
    .limit(500);
}

/** Answers an open request; undefined when it was answered already (two registrars at once: one wins). */
export async function answerCorrection(db: Executor, id: string, v: { status: 'accepted' | 'rejected'; answeredBy: string | null; note: string }) {
  const [row] = await db
    .update(correctionRequests)
    .set({ ...v, answeredAt: new Date() })
    .where(and(eq(correctionRequests.id, id), eq(correctionRequests.status, 'open')))
    .returning();
  return row;
}

/** Erasure: the requests keep their decision, not what the learner wrote. */
export async function scrubCorrectionsOf(db: Executor, learnerId: string) {
  await db.update(correctionRequests).set({ requested: '[erased]', reason: null }).where(eq(correctionRequests.learnerId, learnerId));
}

// ---- erasure requests

export type ErasureRow = typeof erasureRequests.$inferSelect;
export type ErasureStatus = ErasureRow['status'];

/** A new open request; the partial unique index erasure_requests_open_key refuses a second open one. */
export async function insertErasureRequest(db: Executor, v: { learnerId: string; reason: string | null; createdBy: string | null }) {
  const [row] = await db.insert(erasureRequests).values(v).returning();
  return row!;
}

export async function getErasureRequest(db: Executor, id: string) {
  const [row] = await db.select().from(erasureRequests).where(eq(erasureRequests.id, id));
  return row;
}

export async function erasureRequestsOfLearner(db: Executor, learnerId: string) {
  return db.select().from(erasureRequests).where(eq(erasureRequests.learnerId, learnerId)).orderBy(desc(erasureRequests.createdAt)).limit(100);
}

/** The requests in a status with who asked (name and account number), for the bank's administrators. */
export async function erasureRequestsByStatus(db: Executor, status: ErasureStatus | undefined, limit: number) {
  return db
    .select({ request: erasureRequests, fullName: learners.fullName, accountNo: learningAccounts.accountNo })
    .from(erasureRequests)
    .innerJoin(learners, eq(learners.id, erasureRequests.learnerId))
    .leftJoin(learningAccounts, eq(learningAccounts.learnerId, erasureRequests.learnerId))
    .where(status ? eq(erasureRequests.status, status) : undefined)
    .orderBy(desc(erasureRequests.createdAt))
    .limit(limit);
}

/** Closes an open request; undefined when it is no longer open (decided or withdrawn meanwhile: one wins). */
export async function closeErasureRequest(
  db: Executor,
  id: string,
  v: { status: 'approved' | 'declined' | 'withdrawn'; decidedBy: string | null; decisionNote: string | null },
) {
  const [row] = await db
    .update(erasureRequests)
    .set({ ...v, decidedAt: new Date() })
    .where(and(eq(erasureRequests.id, id), eq(erasureRequests.status, 'open')))
    .returning();
  return row;
}

/** Erasure by an administrator directly: a request still open is answered by it. */
export async function closeOpenErasureRequestsOf(db: Executor, learnerId: string, v: { decidedBy: string | null; decisionNote: string }) {
  await db
    .update(erasureRequests)
    .set({ status: 'approved', decidedBy: v.decidedBy, decisionNote: v.decisionNote, decidedAt: new Date() })
    .where(and(eq(erasureRequests.learnerId, learnerId), eq(erasureRequests.status, 'open')));
}

/** Erasure: the requests keep their status and dates, not what the learner wrote. */
export async function scrubErasureRequestsOf(db: Executor, learnerId: string) {
  await db.update(erasureRequests).set({ reason: null }).where(eq(erasureRequests.learnerId, learnerId));
}
