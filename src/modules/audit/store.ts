import { and, desc, eq, gt, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { auditEvents, users } from '../../db/schema.js';

export interface AuditEntry {
  actorUserId: string | null;
  actorTokenId: string | null;
  institutionId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  details?: Record<string, unknown>;
}

export async function insertAudit(db: Executor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditEvents).values(entries.map((e) => ({ ...e, details: e.details ?? {} })));
}

export async function listAudit(
  db: Executor,
  filter: { institutionIds?: string[]; entityType?: string; entityId?: string; action?: string; before?: number; limit: number },
) {
  const where: SQL[] = [];
  if (filter.action) where.push(eq(auditEvents.action, filter.action));
  if (filter.institutionIds) where.push(inArray(auditEvents.institutionId, filter.institutionIds));
  if (filter.entityType) where.push(eq(auditEvents.entityType, filter.entityType));
  if (filter.entityId) where.push(eq(auditEvents.entityId, filter.entityId));
  if (filter.before) where.push(lt(auditEvents.id, filter.before));
  return db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      action: auditEvents.action,
      entityType: auditEvents.entityType,
      entityId: auditEvents.entityId,
      institutionId: auditEvents.institutionId,
      actorUserId: auditEvents.actorUserId,
      actorTokenId: auditEvents.actorTokenId,
      actorName: users.displayName,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(filter.limit);
}

/** The sum of a numeric detail over one actor's events of some actions since a time (e.g. identity look-ups in the last hour). */
export async function sumOfActorSince(db: Executor, q: { actions: string[]; actorUserId: string | null; actorTokenId: string | null; since: Date; detail: string }): Promise<number> {
  const [row] = await db
    .select({ n: sql<string | null>`sum((${auditEvents.details}->>${q.detail})::bigint)` })
    .from(auditEvents)
    .where(
      and(
        inArray(auditEvents.action, q.actions),
        q.actorUserId ? eq(auditEvents.actorUserId, q.actorUserId) : isNull(auditEvents.actorUserId),
        q.actorTokenId ? eq(auditEvents.actorTokenId, q.actorTokenId) : isNull(auditEvents.actorTokenId),
        gt(auditEvents.at, q.since),
      ),
    );
  return Number(row?.n ?? 0);
}

/**
 * Records `entry` only if the sum of `detail` over its actor's events of `actions` since `since`, with
 * the entry's own, stays within `limit` (e.g. identity look-ups per hour); true when recorded. One
 * INSERT … SELECT guarded by the sum, under a transaction lock on the actor: two requests of one actor
 * at once, from any process, cannot both pass on the same remainder.
 */
export async function insertAuditWithin(db: Executor, entry: AuditEntry, budget: { actions: string[]; detail: string; since: Date; limit: number }): Promise<boolean> {
  const actor = entry.actorUserId ? sql`actor_user_id = ${entry.actorUserId}::uuid` : entry.actorTokenId ? sql`actor_token_id = ${entry.actorTokenId}::uuid` : sql`actor_user_id is null and actor_token_id is null`;
  const actions = sql.join(budget.actions.map((a) => sql`${a}`), sql`, `);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7263005, hashtext(${`${entry.actorUserId ?? ''}/${entry.actorTokenId ?? ''}`}))`);
    const res = await tx.execute(sql`
      insert into audit_events (actor_user_id, actor_token_id, institution_id, action, entity_type, entity_id, details)
      select ${entry.actorUserId}::uuid, ${entry.actorTokenId}::uuid, ${entry.institutionId}::uuid, ${entry.action}, ${entry.entityType}, ${entry.entityId}, ${JSON.stringify(entry.details ?? {})}::jsonb
      where coalesce((select sum((details->>${budget.detail})::bigint) from audit_events where ${actor} and action in (${actions}) and at > ${budget.since.toISOString()}::timestamptz), 0)
        + coalesce((${JSON.stringify(entry.details ?? {})}::jsonb->>${budget.detail})::bigint, 0) <= ${budget.limit}
      returning id`);
    return (res as unknown as { rows: unknown[] }).rows.length === 1;
  });
}
