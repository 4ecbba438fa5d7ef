import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { idempotencyKeys } from '../../db/schema.js';

export async function findKey(db: Executor, principal: string, key: string) {
  const [row] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key)));
  return row;
}

export async function saveKey(db: Executor, v: typeof idempotencyKeys.$inferInsert) {
  await db.insert(idempotencyKeys).values(v).onConflictDoNothing();
}
