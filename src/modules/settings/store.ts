// Bank-wide and per-institution settings, stored as JSON under a key; each module names its keys.
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { bankSettings } from '../../db/schema.js';

export async function setting(db: Executor, key: string): Promise<unknown> {
  const [row] = await db.select().from(bankSettings).where(eq(bankSettings.key, key));
  return row?.value;
}

export async function putSetting(db: Executor, key: string, value: unknown, updatedBy: string | null) {
  await db
    .insert(bankSettings)
    .values({ key, value, updatedBy })
    .onConflictDoUpdate({ target: bankSettings.key, set: { value, updatedBy, updatedAt: new Date() } });
}

/** Stores the value unless the key is already set (by anyone, in any process); returns what is stored now. */
export async function settingOnce(db: Executor, key: string, value: unknown): Promise<unknown> {
  await db.insert(bankSettings).values({ key, value, updatedBy: null }).onConflictDoNothing();
  return setting(db, key);
}

/** Replaces the value only if it is still `expected`; returns what is stored now. */
export async function replaceSetting(db: Executor, key: string, expected: unknown, value: unknown): Promise<unknown> {
  await db
    .update(bankSettings)
    .set({ value, updatedAt: new Date() })
    .where(and(eq(bankSettings.key, key), sql`${bankSettings.value} = ${JSON.stringify(expected)}::jsonb`));
  return setting(db, key);
}
