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

/** The conversion standards (every version) and equivalences of the institutions (all when null), with what names them. */
export async function ruleRows(db: Executor, institutionIds: string[] | null) {
  const standards = rowsOf<{ id: string; code: string; version: number; name_zh: string; name_en: string; status: string; institution_id: string }>(
    await db.execute(sql`select id, code, version, name_zh, name_en, status, institution_id from conversion_standards where ${scope('institution_id', institutionIds)} and status <> 'draft' order by code, version`),
  );
  const equivalences = rowsOf<{ id: string; status: string; version: number; target_institution_id: string; source_code: string; target_code: string; courses: string; target: { kind: string; courseIds?: string[]; category?: string } }>(
    await db.execute(sql`
      select e.id, e.status, e.version, e.target_institution_id, s.code as source_code, t.code as target_code, e.target,
             (select string_agg(c.code, '+' order by c.code) from courses c where c.id::text in (select jsonb_array_elements_text(e.source_course_ids))) as courses
      from equivalences e join institutions s on s.id = e.source_institution_id join institutions t on t.id = e.target_institution_id
      where ${scope('target_institution_id', institutionIds)}
      order by s.code, t.code, courses`),
  );
  return { standards, equivalences };
}

export async function courseCodes(db: Executor, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = rowsOf<{ id: string; code: string }>(await db.execute(sql`select id, code from courses where id = any(${`{${ids.join(',')}}`}::uuid[])`));
  return new Map(rows.map((r) => [r.id, r.code]));
}

/** Each decision that applied a standard (an application's first decision) or an equivalence (a decided transfer line), with its reviewer. */
export async function ruleUses(db: Executor) {
  const standards = rowsOf<{ rule_id: string; at: Date | string; approved: boolean; reviewer: string | null }>(
    await db.execute(sql`
      select distinct on (a.id) a.standard_id as rule_id, e.at, e.to_status = 'approved' as approved, u.username as reviewer
      from certification_applications a
      join certification_events e on e.learner_id = a.learner_id and e.application_id = a.id and e.to_status in ('approved','rejected') and e.action <> 'submit'
      left join users u on u.id = e.actor_user_id
      where a.standard_id is not null
      order by a.id, e.seq`),
  );
  const equivalences = rowsOf<{ rule_id: string; at: Date | string; approved: boolean; reviewer: string | null }>(
    await db.execute(sql`
      select l.equivalence_id as rule_id, l.decided_at as at, l.status in ('accepted','substituted') as approved, u.username as reviewer
      from transfer_lines l
      join transfer_applications t on t.learner_id = l.learner_id and t.id = l.application_id
      left join users u on u.id = t.decided_by
      where l.equivalence_id is not null and l.status <> 'pending' and l.decided_at is not null`),
  );
  return [...standards, ...equivalences];
}

/** Changes to standards and equivalences from the audit trail: who, when, what and why. */
export async function ruleChanges(db: Executor) {
  return rowsOf<{ entity_id: string; at: Date | string; action: string; actor: string | null; details: Record<string, unknown> }>(
    await db.execute(sql`
      select a.entity_id, a.at, a.action, u.username as actor, a.details
      from audit_events a left join users u on u.id = a.actor_user_id
      where a.entity_type in ('standard', 'equivalence')
      order by a.at`),
  );
}
