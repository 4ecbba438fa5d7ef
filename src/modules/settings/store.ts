// Bank-wide and per-institution settings, stored as JSON under a key; each module names its keys.
import { eq } from 'drizzle-orm';
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
