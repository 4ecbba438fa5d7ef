import { and, asc, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { identityConflicts, importIssues, importJobs } from '../../db/schema.js';

export type JobRow = typeof importJobs.$inferSelect;

export async function insertJob(db: Executor, v: typeof importJobs.$inferInsert) {
  const [row] = await db.insert(importJobs).values(v).returning();
  return row!;
}

export async function updateJob(db: Executor, id: string, v: Partial<typeof importJobs.$inferInsert>) {
  const [row] = await db.update(importJobs).set(v).where(eq(importJobs.id, id)).returning();
  return row!;
}

export async function jobById(db: Executor, id: string) {
  const [row] = await db.select().from(importJobs).where(eq(importJobs.id, id));
  return row;
}

export async function jobsOf(db: Executor, institutionId: string, limit: number) {
  return db.select().from(importJobs).where(eq(importJobs.institutionId, institutionId)).orderBy(desc(importJobs.createdAt)).limit(limit);
}

export async function insertIssues(db: Executor, rows: (typeof importIssues.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 2000) await db.insert(importIssues).values(rows.slice(i, i + 2000));
}

export async function issuesOf(db: Executor, jobId: string, level: 'error' | 'change', afterRow: number, limit: number) {
  return db
    .select()
    .from(importIssues)
    .where(and(eq(importIssues.jobId, jobId), eq(importIssues.level, level), gt(importIssues.rowNumber, afterRow)))
    .orderBy(asc(importIssues.rowNumber))
    .limit(limit);
}

export async function insertConflicts(db: Executor, rows: (typeof identityConflicts.$inferInsert)[]) {
  if (rows.length) await db.insert(identityConflicts).values(rows);
}

export async function conflictsByStatus(db: Executor, status: 'open' | 'same_person' | 'different', limit: number) {
  return db.select().from(identityConflicts).where(eq(identityConflicts.status, status)).orderBy(desc(identityConflicts.createdAt)).limit(limit);
}

export async function conflictById(db: Executor, id: string) {
  const [row] = await db.select().from(identityConflicts).where(eq(identityConflicts.id, id));
  return row;
}

export async function closeConflict(db: Executor, id: string, v: { status: 'same_person' | 'different'; resolvedBy: string | null; note: string }) {
  const [row] = await db
    .update(identityConflicts)
    .set({ ...v, resolvedAt: new Date() })
    .where(and(eq(identityConflicts.id, id), eq(identityConflicts.status, 'open')))
    .returning();
  return row;
}

/** Marks every unfinished job failed with a message; returns how many. */
export async function failUnfinishedJobs(db: Executor, message: string) {
  const rows = await db
    .update(importJobs)
    .set({ status: 'failed', committed: false, message, finishedAt: new Date() })
    .where(inArray(importJobs.status, ['queued', 'running']))
    .returning({ id: importJobs.id });
  return rows.length;
}
