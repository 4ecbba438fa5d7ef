// The notifications module's queries: the inbox, the preferences and the mail outbox. Finding whom to
// tell reads the users, their role grants and the learners' e-mail (read only, never written here).
import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { learners, mailOutbox, notificationPreferences, notifications, roleGrants, users } from '../../db/schema.js';

export type NotificationRow = typeof notifications.$inferSelect;
export type MailRow = typeof mailOutbox.$inferSelect;
export type Channel = (typeof notificationPreferences.$inferSelect)['channel'];
type Role = (typeof roleGrants.$inferSelect)['role'];

export interface Contact {
  userId: string;
  email: string | null;
  locale: string;
}

/** The enabled users holding one of `roles` at the institution (null: the bank-wide roles, committee and admin). */
export async function staffOf(db: Executor, institutionId: string | null, roles: Role[]): Promise<Contact[]> {
  if (roles.length === 0) return [];
  return db
    .selectDistinct({ userId: users.id, email: users.email, locale: users.locale })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(
      and(
        inArray(roleGrants.role, roles),
        institutionId === null ? isNull(roleGrants.institutionId) : eq(roleGrants.institutionId, institutionId),
        isNull(users.disabledAt),
      ),
    );
}

/** The learner's account (if they have one) and e-mail: the account's, else the one on record. */
export async function learnerContact(db: Executor, learnerId: string) {
  const [row] = await db
    .select({
      userId: users.id,
      userEmail: users.email,
      locale: users.locale,
      disabledAt: users.disabledAt,
      learnerEmail: learners.email,
      erasedAt: learners.erasedAt,
    })
    .from(learners)
    .leftJoin(users, eq(users.id, learners.userId))
    .where(eq(learners.id, learnerId));
  if (!row || row.erasedAt) return undefined;
  return { userId: row.disabledAt ? null : row.userId, email: row.userEmail ?? row.learnerEmail, locale: row.locale ?? 'zh-CN' };
}

export async function userContact(db: Executor, userId: string): Promise<Contact | undefined> {
  const [row] = await db
    .select({ userId: users.id, email: sql<string | null>`coalesce(${users.email}, ${learners.email})`, locale: users.locale })
    .from(users)
    .leftJoin(learners, eq(learners.userId, users.id))
    .where(and(eq(users.id, userId), isNull(users.disabledAt)));
  return row;
}

export async function channelsOf(db: Executor, userIds: string[], kind: string) {
  if (userIds.length === 0) return new Map<string, Channel>();
  const rows = await db
    .select({ userId: notificationPreferences.userId, channel: notificationPreferences.channel })
    .from(notificationPreferences)
    .where(and(inArray(notificationPreferences.userId, userIds), eq(notificationPreferences.kind, kind)));
  return new Map(rows.map((r) => [r.userId, r.channel]));
}

export async function preferencesOf(db: Executor, userId: string) {
  return db
    .select({ kind: notificationPreferences.kind, channel: notificationPreferences.channel })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
}

export async function setPreferences(db: Executor, userId: string, prefs: { kind: string; channel: Channel }[]) {
  if (prefs.length === 0) return;
  await db
    .insert(notificationPreferences)
    .values(prefs.map((p) => ({ userId, ...p })))
    .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { channel: sql`excluded.channel` } });
}

export async function insertNotifications(db: Executor, rows: (typeof notifications.$inferInsert)[]) {
  if (rows.length === 0) return [];
  return db.insert(notifications).values(rows).returning({ id: notifications.id });
}

export async function insertMails(db: Executor, rows: (typeof mailOutbox.$inferInsert)[]) {
  if (rows.length === 0) return;
  await db.insert(mailOutbox).values(rows);
}

// ---- the inbox

export async function inbox(db: Executor, userId: string, o: { before?: [string, string]; limit: number; unread: boolean }) {
  return db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        o.unread ? isNull(notifications.readAt) : undefined,
        o.before ? sql`(${notifications.createdAt}, ${notifications.id}) < (${o.before[0]}::timestamptz, ${o.before[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(o.limit);
}

export async function unreadCount(db: Executor, userId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks the user's notifications read (the ones named, or all); returns how many changed. */
export async function markRead(db: Executor, userId: string, ids: string[] | 'all') {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), ids === 'all' ? undefined : inArray(notifications.id, ids)))
    .returning({ id: notifications.id });
  return rows.length;
}

// ---- the outbox

/**
 * Claims up to `limit` messages that are due (or whose claim lapsed: the process sending them died):
 * on PostgreSQL, FOR UPDATE SKIP LOCKED gives each message to one process only, and the claim lasts
 * `leaseSeconds` so no other process takes it while it is being sent.
 */
export async function claimDue(db: Executor, limit: number, leaseSeconds: number) {
  const res = await db.execute(sql`
    update mail_outbox m
       set status = 'sending', attempts = m.attempts + 1, claimed_until = now() + make_interval(secs => ${leaseSeconds})
     where m.id in (
       select id from mail_outbox
        where (status = 'pending' and next_attempt_at <= now()) or (status = 'sending' and claimed_until < now())
        order by next_attempt_at
        limit ${limit}
        for update skip locked)
    returning m.id, m.user_id, m.to_address, m.language, m.kind, m.params, m.subject, m.body, m.attempts,
              (select u.locale from users u where u.id = m.user_id) as locale`);
  return (res as unknown as { rows: ClaimedRow[] }).rows;
}

export interface ClaimedRow {
  id: string;
  user_id: string | null;
  to_address: string;
  language: string | null;
  kind: string;
  params: Record<string, unknown>;
  subject: string | null;
  body: string | null;
  attempts: number;
  locale: string | null;
}

/** Sent: only the claim that is still this process's own is marked (a lapsed claim another took stays theirs). */
export async function markSent(db: Executor, id: string) {
  await db
    .update(mailOutbox)
    .set({ status: 'sent', sentAt: sql`now()`, claimedUntil: null, lastError: null, toAddress: forgetAddress() })
    .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'sending')));
}

/** The last e-mail to an erased learner (service.farewellLearner) keeps its address only until it is sent or given up. */
const forgetAddress = () => sql`case when ${mailOutbox.params} ->> '_forget' is not null then '' else ${mailOutbox.toAddress} end`;

export async function markRetry(db: Executor, id: string, error: string, delaySeconds: number, giveUp: boolean) {
  await db
    .update(mailOutbox)
    .set({
      status: giveUp ? 'failed' : 'pending',
      nextAttemptAt: sql`now() + make_interval(secs => ${delaySeconds})`,
      claimedUntil: null,
      lastError: error.slice(0, 500),
      ...(giveUp ? { toAddress: forgetAddress() } : {}),
    })
    .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'sending')));
}

// ---- the daily digest

/** Users with notifications waiting for a digest made before `cutoff`. */
export async function digestDue(db: Executor, cutoff: Date) {
  const rows = await db
    .selectDistinct({ userId: notifications.userId })
    .from(notifications)
    .where(and(eq(notifications.digest, true), isNull(notifications.digestedAt), lt(notifications.createdAt, cutoff)))
    .limit(500);
  return rows.map((r) => r.userId);
}

/** Takes the user's waiting digest items (another process taking them at once gets none: the row locks decide). */
export async function takeDigest(db: Executor, userId: string, cutoff: Date) {
  return db
    .update(notifications)
    .set({ digestedAt: sql`now()` })
    .where(and(eq(notifications.userId, userId), eq(notifications.digest, true), isNull(notifications.digestedAt), lt(notifications.createdAt, cutoff)))
    .returning({ kind: notifications.kind, params: notifications.params, link: notifications.link, createdAt: notifications.createdAt });
}

/** A user erased: their inbox, preferences and every e-mail to them (sent or waiting, with its address) go. */
export async function deleteAllOf(db: Executor, userId: string) {
  await db.delete(notifications).where(eq(notifications.userId, userId));
  await db.delete(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  await db.delete(mailOutbox).where(eq(mailOutbox.userId, userId));
}
