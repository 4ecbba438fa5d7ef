import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { idempotencyKeys } from '../../db/schema.js';

/**
 * Claims a key for a request about to run (one statement: of two concurrent claims one wins). A key
 * whose answer is older than 24 hours, or whose running request has not renewed its claim for three
 * minutes (its process died), is claimed anew.
 */
export async function claimKey(db: Executor, principal: string, key: string, requestHash: string): Promise<boolean> {
  const rows = await db
    .insert(idempotencyKeys)
    .values({ principal, key, requestHash, state: 'running' })
    .onConflictDoUpdate({
      target: [idempotencyKeys.principal, idempotencyKeys.key],
      set: { requestHash, state: 'running', statusCode: null, body: null, createdAt: sql`now()` },
      setWhere: sql`${idempotencyKeys.createdAt} < now() - case when ${idempotencyKeys.state} = 'done' then interval '24 hours' else interval '3 minutes' end`,
    })
    .returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

export async function findKey(db: Executor, principal: string, key: string) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key)));
  return row;
}

export async function finishKey(db: Executor, principal: string, key: string, statusCode: number, body: unknown) {
  await db
    .update(idempotencyKeys)
    .set({ state: 'done', statusCode, body })
    .where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'running')));
}

/** The request holding the claim is still running. */
export async function renewKey(db: Executor, principal: string, key: string) {
  await db
    .update(idempotencyKeys)
    .set({ createdAt: sql`now()` })
    .where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'running')));
}

export async function releaseKey(db: Executor, principal: string, key: string) {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'running')));
}
