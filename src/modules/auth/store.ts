import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { apiTokens, learners, roleGrants, sessions, users } from '../../db/schema.js';
import type { Role } from './principal.js';

export async function findUserByUsername(db: Executor, username: string) {
  const [row] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
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

export async function findSession(db: Executor, tokenHash: string) {
  const [row] = await db
    .select({ userId: users.id, username: users.username, displayName: users.displayName, locale: users.locale })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date()), isNull(users.disabledAt)));
  return row;
}

export async function deleteSession(db: Executor, tokenHash: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function findUser(db: Executor, userId: string) {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row;
}

export async function insertApiToken(db: Executor, t: { institutionId: string; name: string; prefix: string; tokenHash: string; createdBy: string | null }) {
  const [row] = await db.insert(apiTokens).values(t).returning();
  return row!;
}

export async function findApiToken(db: Executor, tokenHash: string) {
  const [row] = await db
    .select({ id: apiTokens.id, institutionId: apiTokens.institutionId })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
  return row;
}

export async function touchApiToken(db: Executor, id: string) {
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, id));
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
  await db.update(apiTokens).set({ revokedAt: new Date() }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
}
