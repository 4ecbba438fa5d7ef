import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { correctionRequests } from '../../db/schema.js';

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
