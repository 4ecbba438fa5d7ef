// The invitations module's queries: the only code that touches learner_invitations.
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { learnerInvitations } from '../../db/schema.js';

export type NewInvitation = typeof learnerInvitations.$inferInsert;

/** Marks the learners' unused invitations replaced: their codes stop working. */
export async function replaceLive(db: Executor, learnerIds: string[]) {
  if (learnerIds.length === 0) return;
  await db
    .update(learnerInvitations)
    .set({ replacedAt: sql`now()` })
    .where(and(inArray(learnerInvitations.learnerId, learnerIds), isNull(learnerInvitations.usedAt), isNull(learnerInvitations.replacedAt)));
}

export async function insertInvitations(db: Executor, rows: NewInvitation[]) {
  if (rows.length === 0) return;
  for (let i = 0; i < rows.length; i += 500) await db.insert(learnerInvitations).values(rows.slice(i, i + 500));
}

/** The learner's live invitation (unused, not replaced; perhaps expired), if any. */
export async function liveInvitation(db: Executor, learnerId: string) {
  const [row] = await db
    .select()
    .from(learnerInvitations)
    .where(and(eq(learnerInvitations.learnerId, learnerId), isNull(learnerInvitations.usedAt), isNull(learnerInvitations.replacedAt)));
  return row;
}

/**
 * Spends a code: one conditional update, so of two requests with the same code exactly one gets the
 * row (the other waits for the first to commit and then finds it used). Undefined when the code is
 * unknown, used, replaced or expired.
 */
export async function spend(db: Executor, codeHash: string, userId: string) {
  const [row] = await db
    .update(learnerInvitations)
    .set({ usedAt: sql`now()`, usedBy: userId })
    .where(
      and(
        eq(learnerInvitations.codeHash, codeHash),
        isNull(learnerInvitations.usedAt),
        isNull(learnerInvitations.replacedAt),
        gt(learnerInvitations.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return row;
}

/** The invitation a code opens, if it still works (read first, so a bad code is refused before anything else is looked at). */
export async function byCode(db: Executor, codeHash: string) {
  const [row] = await db
    .select()
    .from(learnerInvitations)
    .where(
      and(
        eq(learnerInvitations.codeHash, codeHash),
        isNull(learnerInvitations.usedAt),
        isNull(learnerInvitations.replacedAt),
        gt(learnerInvitations.expiresAt, sql`now()`),
      ),
    );
  return row;
}
