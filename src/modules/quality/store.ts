// The facts quality indicators are computed from: certification applications with their events,
// and transfer lines. Read only.
import { desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { decisionRatings } from '../../db/schema.js';

export type RatingRow = typeof decisionRatings.$inferSelect;

export async function upsertRating(db: Executor, r: typeof decisionRatings.$inferInsert): Promise<RatingRow> {
  const [row] = await db
    .insert(decisionRatings)
    .values(r)
    .onConflictDoUpdate({ target: [decisionRatings.learnerId, decisionRatings.subjectType, decisionRatings.subjectId], set: { rating: r.rating, comment: r.comment, updatedAt: new Date() } })
    .returning();
  return row!;
}

export async function ratingsOf(db: Executor, learnerId: string): Promise<RatingRow[]> {
  return db.select().from(decisionRatings).where(eq(decisionRatings.learnerId, learnerId)).orderBy(desc(decisionRatings.updatedAt));
}

/** Ratings given in the period about decisions of the institutions (all when null). */
export async function ratingRows(db: Executor, institutionIds: string[] | null) {
  return rowsOf<{ rating: number; updated_at: Date | string }>(await db.execute(sql`select rating, updated_at from decision_ratings where ${scope('institution_id', institutionIds)}`));
}

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
const scope = (column: string, ids: string[] | null) => (ids === null ? sql`true` : sql`${sql.identifier(column)} = any(${`{${ids.join(',')}}`}::uuid[])`);

export async function certificationRows(db: Executor, institutionIds: string[] | null) {
  return rowsOf<{ id: string; learner_id: string; status: string; credits_granted: string | null; at: Date | string | null; action: string | null; to_status: string | null; reason: string | null }>(
    await db.execute(sql`
      select a.id, a.learner_id, a.status, a.credits_granted::text as credits_granted, e.at, e.action, e.to_status, e.reason
      from certification_applications a
      left join certification_events e on e.learner_id = a.learner_id and e.application_id = a.id
      where ${scope('institution_id', institutionIds)}
      order by a.id, e.seq`),
  );
}

/** Transfer lines where either side is one of the institutions (all when null). */
export async function transferRows(db: Executor, institutionIds: string[] | null) {
  const either = institutionIds === null ? sql`true` : sql`(${scope('source_institution_id', institutionIds)} or ${scope('target_institution_id', institutionIds)})`;
  return rowsOf<{ source_institution_id: string; target_institution_id: string; learner_id: string; status: string; credits: string | null; decided_at: Date | string | null }>(
    await db.execute(sql`select source_institution_id, target_institution_id, learner_id, status, credits::text as credits, decided_at from transfer_lines where ${either}`),
  );
}
