import { and, desc, eq, gt, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { apiTokens, auditEvents, users } from '../../db/schema.js';

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
      actorTokenName: apiTokens.name,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .leftJoin(apiTokens, eq(apiTokens.id, auditEvents.actorTokenId))
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(filter.limit);
}

/** The sum of a numeric detail over one actor's events of some actions since a time (e.g. identity look-ups in the last hour). */
export async function sumOfActorSince(
  db: Executor,
  q: { actions: string[]; actorUserId: string | null; actorTokenId: string | null; since: Date; detail: string },
): Promise<number> {
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
export async function insertAuditWithin(
  db: Executor,
  entry: AuditEntry,
  budget: { actions: string[]; detail: string; since: Date; limit: number },
): Promise<boolean> {
  const actor = entry.actorUserId
    ? sql`actor_user_id = ${entry.actorUserId}::uuid`
    : entry.actorTokenId
      ? sql`actor_token_id = ${entry.actorTokenId}::uuid`
      : sql`actor_user_id is null and actor_token_id is null`;
  const actions = sql.join(
    budget.actions.map((a) => sql`${a}`),
    sql`, `,
  );
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

export interface EntityName {
  zh: string;
  en: string;
}

/**
 * What each audited entity is called, for the people reading the log: a learner's or a user's name,
 * an institution's, a course's or programme's code and title, a standard's, an agreement's, a
 * token's; a certification's title, an award's programme, the learner of a transfer, credential,
 * learning agreement or link request. One statement for a page of events (keyed `type:id`); an
 * entity that has no name, or is gone, is left out.
 */
export async function entityNames(db: Executor, refs: { entityType: string; entityId: string }[]): Promise<Map<string, EntityName>> {
  const unique = [...new Map(refs.map((r) => [`${r.entityType}:${r.entityId}`, r])).values()];
  if (unique.length === 0) return new Map();
  const types = sql.join(
    unique.map((r) => sql`${r.entityType}`),
    sql`, `,
  );
  const ids = sql.join(
    unique.map((r) => sql`${r.entityId}`),
    sql`, `,
  );
  // the id as a uuid for the entity types that have one (an index look-up), null for any other text
  const u = (type: string) =>
    sql.raw(`(case when e.type = '${type}' and e.id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then e.id::uuid end)`);
  const res = await db.execute(sql`
    select e.type, e.id, n.zh, n.en
    from unnest(array[${types}]::text[], array[${ids}]::text[]) as e(type, id)
    join lateral (
      select l.full_name as zh, coalesce(l.full_name_latin, l.full_name) as en from learners l where l.id = ${u('learner')}
      union all select u.display_name, u.display_name from users u where u.id = ${u('user')}
      union all select i.name_zh, i.name_en from institutions i where i.id = ${u('institution')}
      union all select c.code || ' ' || c.title_zh, c.code || ' ' || c.title_en from courses c where c.id = ${u('course')}
      union all select p.code || ' ' || p.title_zh, p.code || ' ' || p.title_en from programmes p where p.id = ${u('programme')}
      union all select s.code || ' ' || s.name_zh, s.code || ' ' || s.name_en from conversion_standards s where s.id = ${u('standard')}
      union all select a.code || ' ' || a.title_zh, a.code || ' ' || a.title_en from agreements a where a.id = ${u('agreement')}
      union all select t.name, t.name from api_tokens t where t.id = ${u('api_token')}
      union all select g.name_zh, g.name_en from grading_scales g where g.id = ${u('grading_scale')}
      union all select s.name_zh, s.name_en from sso_providers s where s.id = ${u('sso_provider')}
      union all select c.title, c.title from certification_applications c where c.id = ${u('certification')}
      union all select c.code || ' ' || c.title_zh, c.code || ' ' || c.title_en from outcomes o join courses c on c.id = o.course_id where o.id = ${u('outcome')}
      union all select c.code || ' ' || c.title_zh, c.code || ' ' || c.title_en from evaluation_tasks t join courses c on c.id = t.source_course_id where t.id = ${u('evaluation_task')}
      union all select p.code || ' ' || p.title_zh, p.code || ' ' || p.title_en from awards a join programmes p on p.id = a.programme_id where a.id = ${u('award')}
      union all select l.full_name, coalesce(l.full_name_latin, l.full_name) from transfer_applications t join learners l on l.id = t.learner_id where t.id = ${u('transfer')}
      union all select l.full_name, coalesce(l.full_name_latin, l.full_name) from credentials c join learners l on l.id = c.learner_id where c.id = ${u('credential')}
      union all select l.full_name, coalesce(l.full_name_latin, l.full_name) from learning_agreements a join learners l on l.id = a.learner_id where a.id = ${u('learning_agreement')}
      union all select l.full_name, coalesce(l.full_name_latin, l.full_name) from link_requests r join learners l on l.id = r.learner_id where r.id = ${u('link_request')}
      limit 1
    ) n on true`);
  const rows = (res as unknown as { rows: { type: string; id: string; zh: string | null; en: string | null }[] }).rows;
  return new Map(rows.filter((r) => r.zh || r.en).map((r) => [`${r.type}:${r.id}`, { zh: r.zh ?? r.en!, en: r.en ?? r.zh! }]));
}
