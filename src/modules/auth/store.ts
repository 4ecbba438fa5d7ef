import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { apiTokens, learners, loginThrottles, roleGrants, sessions, users, type API_TOKEN_SCOPES } from '../../db/schema.js';
import type { Role } from './principal.js';

type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export async function findUserByUsername(db: Executor, username: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`);
  return row;
}

export async function grantsOf(db: Executor, userId: string) {
  return db.select({ role: roleGrants.role, institutionId: roleGrants.institutionId }).from(roleGrants).where(eq(roleGrants.userId, userId));
}

export async function learnerIdOfUser(db: Executor, userId: string): Promise<string | null> {
  const [row] = await db.select({ id: learners.id }).from(learners).where(eq(learners.userId, userId));
  return row?.id ?? null;
}

export async function insertUser(db: Executor, u: { username: string; passwordHash: string; displayName: string; locale?: string }) {
  const [row] = await db.insert(users).values(u).returning();
  return row!;
}

export async function insertGrants(db: Executor, userId: string, grants: { role: Role; institutionId: string | null }[]) {
  if (grants.length) await db.insert(roleGrants).values(grants.map((g) => ({ userId, ...g })));
}

export async function insertSession(db: Executor, tokenHash: string, userId: string, expiresAt: Date) {
  await db.insert(sessions).values({ tokenHash, userId, expiresAt });
}

/**
 * A session that has neither reached its absolute end nor been idle since `idleSince`, with its user's
 * grants and learning account: one statement, as every signed-in request asks it.
 */
export async function findSession(db: Executor, tokenHash: string, idleSince: Date) {
  const [row] = await db
    .select({
      userId: users.id,
      username: users.username,
      displayName: users.displayName,
      locale: users.locale,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      grants: sql<{ role: Role; institutionId: string | null }[]>`coalesce((
        select json_agg(json_build_object('role', g.role, 'institutionId', g.institution_id)) from role_grants g where g.user_id = ${users.id}), '[]'::json)`,
      learnerId: sql<string | null>`(select l.id from learners l where l.user_id = ${users.id})`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date()), gt(sessions.lastSeenAt, idleSince), isNull(users.disabledAt)));
  return row;
}

export async function touchSession(db: Executor, tokenHash: string) {
  await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSessionsOfUser(db: Executor, userId: string) {
  const rows = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ tokenHash: sessions.tokenHash });
  return rows.length;
}

export async function findLoginThrottle(db: Executor, username: string) {
  const [row] = await db.select().from(loginThrottles).where(eq(loginThrottles.username, username));
  return row;
}

/** Counts a failed sign-in (starting again when the last failure is older than `staleBefore`); returns the count. */
export async function countLoginFailure(db: Executor, username: string, staleBefore: Date) {
  const now = new Date();
  const [row] = await db
    .insert(loginThrottles)
    .values({ username, failures: 1, lastFailureAt: now })
    .onConflictDoUpdate({
      target: loginThrottles.username,
      set: { failures: sql`case when ${loginThrottles.lastFailureAt} < ${staleBefore} then 1 else ${loginThrottles.failures} + 1 end`, lastFailureAt: now },
    })
    .returning({ failures: loginThrottles.failures });
  return row!.failures;
}

export async function lockLogin(db: Executor, username: string, until: Date) {
  await db.update(loginThrottles).set({ lockedUntil: until }).where(eq(loginThrottles.username, username));
}

export async function clearLoginThrottle(db: Executor, username: string) {
  await db.delete(loginThrottles).where(eq(loginThrottles.username, username));
}

/** Forgets names whose last failure is older than `staleBefore` and that are not locked now. */
export async function pruneLoginThrottles(db: Executor, staleBefore: Date) {
  await db
    .delete(loginThrottles)
    .where(and(lt(loginThrottles.lastFailureAt, staleBefore), or(isNull(loginThrottles.lockedUntil), lt(loginThrottles.lockedUntil, new Date()))));
}

export async function deleteSession(db: Executor, tokenHash: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function findUser(db: Executor, userId: string) {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row;
}

export async function insertApiToken(
  db: Executor,
  t: { institutionId: string; name: string; prefix: string; tokenHash: string; createdBy: string | null; expiresAt: Date; scopes: ApiTokenScope[] },
) {
  const [row] = await db.insert(apiTokens).values(t).returning();
  return row!;
}

export async function findApiToken(db: Executor, tokenHash: string) {
  const [row] = await db
    .select({
      id: apiTokens.id,
      institutionId: apiTokens.institutionId,
      scopes: apiTokens.scopes,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    // a token stops while the person who issued it is disabled (accounts-lifecycle)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), isNull(users.disabledAt)));
  return row;
}

export async function touchLastLogin(db: Executor, userId: string) {
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, userId));
}

/** Records a use, at most once a minute per token (the condition keeps two processes from both writing). */
export async function touchApiToken(db: Executor, id: string) {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiTokens.id, id), sql`(${apiTokens.lastUsedAt} is null or ${apiTokens.lastUsedAt} < now() - interval '1 minute')`));
}

export async function listApiTokens(db: Executor, institutionId: string) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      expiresAt: apiTokens.expiresAt,
      scopes: apiTokens.scopes,
    })
    .from(apiTokens)
    .where(eq(apiTokens.institutionId, institutionId))
    .orderBy(apiTokens.createdAt);
}

export async function getApiToken(db: Executor, id: string) {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
  return row;
}

export async function revokeApiTokenRow(db: Executor, id: string) {
  await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
}

/** Erasure: the sign-in keeps no name and is closed. */
export async function eraseUserRow(db: Executor, userId: string, pseudonym: string) {
  await db.update(users).set({ username: pseudonym, displayName: pseudonym, disabledAt: new Date() }).where(eq(users.id, userId));
}
