// This module's queries: single-use account tokens, recovery codes, identity claims, link requests,
// and the account columns of users.
import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { accountTokens, identityClaims, institutions, learners, linkRequests, recoveryCodes, roleGrants, sessions, users } from '../../db/schema.js';

export type TokenPurpose = 'verify_email' | 'reset_password' | 'mfa_login';

export async function insertToken(db: Executor, t: { tokenHash: string; userId: string; purpose: TokenPurpose; expiresAt: Date }) {
  await db.insert(accountTokens).values(t);
}

/** Uses a token once: the user it was for, or undefined when unknown, used, expired or of another purpose. */
export async function consumeToken(db: Executor, tokenHash: string, purpose: TokenPurpose) {
  const [row] = await db
    .update(accountTokens)
    .set({ usedAt: new Date() })
    .where(
      and(eq(accountTokens.tokenHash, tokenHash), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, new Date())),
    )
    .returning({ userId: accountTokens.userId });
  return row?.userId;
}

/** Ends the user's unused tokens of a purpose (a new password makes the older reset links useless). */
export async function expireTokens(db: Executor, userId: string, purpose: TokenPurpose) {
  await db
    .update(accountTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)));
}

export async function findUser(db: Executor, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** Users a reset may be asked for by: the username, or the e-mail address. */
export async function usersByLogin(db: Executor, login: string) {
  return db
    .select()
    .from(users)
    .where(sql`(lower(${users.username}) = lower(${login}) or lower(${users.email}) = lower(${login})) and ${users.disabledAt} is null`)
    .limit(5);
}

export async function updateUser(db: Executor, id: string, set: Partial<typeof users.$inferInsert>) {
  await db.update(users).set(set).where(eq(users.id, id));
}

/** Accepts a TOTP step only once, across processes: false when this step (or a later one) was used. */
export async function claimTotpStep(db: Executor, userId: string, step: number) {
  const rows = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), sql`(${users.totpLastStep} is null or ${users.totpLastStep} < ${step})`))
    .returning({ id: users.id });
  return rows.length === 1;
}

export async function replaceRecoveryCodes(db: Executor, userId: string, hashes: string[]) {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  if (hashes.length) await db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash })));
}

export async function useRecoveryCode(db: Executor, userId: string, codeHash: string) {
  const rows = await db
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ userId: recoveryCodes.userId });
  return rows.length === 1;
}

export async function unusedRecoveryCodes(db: Executor, userId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}

export async function deleteSessionsExcept(db: Executor, userId: string, keepHash: string | undefined) {
  const rows = await db
    .delete(sessions)
    .where(keepHash ? and(eq(sessions.userId, userId), sql`${sessions.tokenHash} <> ${keepHash}`) : eq(sessions.userId, userId))
    .returning({ h: sessions.tokenHash });
  return rows.length;
}

export async function grantsOf(db: Executor, userId: string) {
  return db.select({ role: roleGrants.role, institutionId: roleGrants.institutionId }).from(roleGrants).where(eq(roleGrants.userId, userId));
}

export async function listUsers(db: Executor, q: string | undefined, limit: number) {
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      email: users.email,
      emailVerifiedAt: users.emailVerifiedAt,
      disabledAt: users.disabledAt,
      lastLoginAt: users.lastLoginAt,
      createdAt: users.createdAt,
      passwordResetRequired: users.passwordResetRequired,
      totpEnabledAt: users.totpEnabledAt,
      roles: sql<string[]>`coalesce((select array_agg(distinct ${roleGrants.role}) from ${roleGrants} where ${roleGrants.userId} = ${users.id}), '{}')`,
    })
    .from(users)
    .where(q ? sql`(${users.username} ilike ${`%${q}%`} or ${users.displayName} ilike ${`%${q}%`} or ${users.email} ilike ${`%${q}%`})` : undefined)
    .orderBy(users.username)
    .limit(limit);
  return rows;
}

export async function insertClaim(db: Executor, c: typeof identityClaims.$inferInsert) {
  await db.insert(identityClaims).values(c);
}

export async function claimsOf(db: Executor, learnerId: string) {
  return db.select().from(identityClaims).where(eq(identityClaims.learnerId, learnerId)).orderBy(desc(identityClaims.createdAt));
}

export async function closeClaims(db: Executor, learnerId: string, status: 'confirmed' | 'closed') {
  await db
    .update(identityClaims)
    .set({ status })
    .where(and(eq(identityClaims.learnerId, learnerId), eq(identityClaims.status, 'open')));
}

export async function insertLinkRequest(db: Executor, r: typeof linkRequests.$inferInsert) {
  const [row] = await db.insert(linkRequests).values(r).returning();
  return row!;
}

export async function openLinkRequest(db: Executor, learnerId: string, institutionId: string) {
  const [row] = await db
    .select()
    .from(linkRequests)
    .where(and(eq(linkRequests.learnerId, learnerId), eq(linkRequests.institutionId, institutionId), eq(linkRequests.status, 'open')));
  return row;
}

export async function linkRequestById(db: Executor, id: string) {
  const [row] = await db.select().from(linkRequests).where(eq(linkRequests.id, id));
  return row;
}

export async function linkRequestsOfLearner(db: Executor, learnerId: string) {
  return db
    .select({ request: linkRequests, institution: { id: institutions.id, code: institutions.code, nameZh: institutions.nameZh, nameEn: institutions.nameEn } })
    .from(linkRequests)
    .innerJoin(institutions, eq(institutions.id, linkRequests.institutionId))
    .where(eq(linkRequests.learnerId, learnerId))
    .orderBy(desc(linkRequests.createdAt))
    .limit(100);
}

export async function linkRequestsOfInstitution(db: Executor, institutionId: string) {
  return db
    .select({ request: linkRequests, learner: { fullName: learners.fullName, birthDate: learners.birthDate, email: learners.email } })
    .from(linkRequests)
    .innerJoin(learners, eq(learners.id, linkRequests.learnerId))
    .where(eq(linkRequests.institutionId, institutionId))
    .orderBy(desc(linkRequests.createdAt))
    .limit(200);
}

export async function decideLinkRequest(
  db: Executor,
  id: string,
  v: { status: 'accepted' | 'rejected' | 'withdrawn'; decidedBy: string | null; decisionNote: string | null },
) {
  const [row] = await db
    .update(linkRequests)
    .set({ ...v, decidedAt: new Date() })
    .where(and(eq(linkRequests.id, id), eq(linkRequests.status, 'open')))
    .returning();
  return row;
}

export async function learnerRow(db: Executor, id: string) {
  const [row] = await db.select().from(learners).where(eq(learners.id, id));
  return row;
}

/** A sign-in moved to another learner: its link requests and identity claims go with it. */
export async function moveLearnerRows(db: Executor, fromLearnerId: string, toLearnerId: string) {
  await db.update(linkRequests).set({ learnerId: toLearnerId }).where(eq(linkRequests.learnerId, fromLearnerId));
  await db.update(identityClaims).set({ learnerId: toLearnerId }).where(eq(identityClaims.learnerId, fromLearnerId));
}

// ---------------------------------------------------------------- roles (administrators)

/** Every user's grants, for the users list (one statement whatever the number of users). */
export async function grantsOfUsers(db: Executor, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db
    .select({ userId: roleGrants.userId, role: roleGrants.role, institutionId: roleGrants.institutionId })
    .from(roleGrants)
    .where(inArray(roleGrants.userId, userIds));
}

/** Locks the user's row for the rest of the transaction (two role changes of one user queue). */
export async function lockUser(db: Executor, userId: string) {
  const [row] = await db.select({ id: users.id, disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId)).for('update');
  return row;
}

/**
 * The users holding the administrator role whose sign-in is not disabled. The admin grants are locked
 * (FOR UPDATE) so that two administrators taking the role from each other at once cannot both pass
 * the "another administrator remains" check: the second waits and then sees the first one's removal.
 */
export async function activeAdminsForUpdate(db: Executor) {
  const rows = await db
    .select({ userId: roleGrants.userId })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(and(eq(roleGrants.role, 'admin'), isNull(users.disabledAt)))
    .for('update', { of: roleGrants });
  return [...new Set(rows.map((r) => r.userId))];
}

/** Replaces the user's staff grants (every role but learner, which comes with a learning account). */
export async function replaceStaffGrants(
  db: Executor,
  userId: string,
  grants: { role: 'registrar' | 'reviewer' | 'committee' | 'admin'; institutionId: string | null }[],
) {
  await db.delete(roleGrants).where(and(eq(roleGrants.userId, userId), sql`${roleGrants.role} <> 'learner'`));
  if (grants.length) await db.insert(roleGrants).values(grants.map((g) => ({ userId, role: g.role, institutionId: g.institutionId })));
}
