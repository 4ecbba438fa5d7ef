// Single sign-on's tables: identity providers, external identities and sign-ins under way.
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { externalIdentities, learners, ssoProviders, ssoRequests, users } from '../../db/schema.js';
import { kindSettings, type KindSettings } from './settings.js';

/** A provider as stored, its settings typed by its kind (checked as it is read). */
export type ProviderRow = Omit<typeof ssoProviders.$inferSelect, 'kind' | 'settings'> & KindSettings;
export type SamlProviderRow = ProviderRow & { kind: 'saml' };

const typed = (r: typeof ssoProviders.$inferSelect): ProviderRow => ({ ...r, ...kindSettings.parse({ kind: r.kind, settings: r.settings }) });

export async function insertProvider(db: Executor, v: typeof ssoProviders.$inferInsert) {
  const [row] = await db.insert(ssoProviders).values(v).returning();
  return typed(row!);
}

export async function updateProvider(db: Executor, id: string, v: Partial<typeof ssoProviders.$inferInsert>) {
  const [row] = await db
    .update(ssoProviders)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(ssoProviders.id, id))
    .returning();
  return row && typed(row);
}

export async function providerById(db: Executor, id: string) {
  const [row] = await db.select().from(ssoProviders).where(eq(ssoProviders.id, id));
  return row && typed(row);
}

export async function providerBySlug(db: Executor, slug: string) {
  const [row] = await db.select().from(ssoProviders).where(eq(ssoProviders.slug, slug.toLowerCase()));
  return row && typed(row);
}

export async function providersOfInstitution(db: Executor, institutionId: string) {
  return (await db.select().from(ssoProviders).where(eq(ssoProviders.institutionId, institutionId)).orderBy(ssoProviders.createdAt)).map(typed);
}

export async function enabledProviders(db: Executor) {
  return (await db.select().from(ssoProviders).where(eq(ssoProviders.enabled, true)).orderBy(ssoProviders.createdAt)).map(typed);
}

export async function insertRequest(db: Executor, v: typeof ssoRequests.$inferInsert) {
  await db.insert(ssoRequests).values(v);
  // sign-ins begun and never finished are forgotten now and then
  if (Math.random() < 0.05) await db.delete(ssoRequests).where(lt(ssoRequests.expiresAt, new Date()));
}

export async function findRequest(db: Executor, id: string, providerId: string) {
  const [row] = await db
    .select()
    .from(ssoRequests)
    .where(and(eq(ssoRequests.id, id), eq(ssoRequests.providerId, providerId), gt(ssoRequests.expiresAt, new Date())));
  return row;
}

/** Takes a sign-in under way, once: a second caller (a replay) gets nothing. */
export async function consumeRequest(db: Executor, id: string, providerId: string) {
  const [row] = await db
    .delete(ssoRequests)
    .where(and(eq(ssoRequests.id, id), eq(ssoRequests.providerId, providerId), gt(ssoRequests.expiresAt, new Date())))
    .returning();
  return row;
}

export async function identity(db: Executor, providerId: string, subject: string) {
  const [row] = await db
    .select()
    .from(externalIdentities)
    .where(and(eq(externalIdentities.providerId, providerId), eq(externalIdentities.subject, subject)));
  return row;
}

export async function identityOfUser(db: Executor, userId: string, providerId: string) {
  const [row] = await db
    .select()
    .from(externalIdentities)
    .where(and(eq(externalIdentities.userId, userId), eq(externalIdentities.providerId, providerId)));
  return row;
}

export async function insertIdentity(db: Executor, v: { providerId: string; subject: string; userId: string }) {
  await db.insert(externalIdentities).values({ ...v, lastLoginAt: new Date() });
}

export async function touchIdentity(db: Executor, providerId: string, subject: string) {
  await db
    .update(externalIdentities)
    .set({ lastLoginAt: new Date() })
    .where(and(eq(externalIdentities.providerId, providerId), eq(externalIdentities.subject, subject)));
}

export async function identitiesOfUser(db: Executor, userId: string) {
  return db
    .select({
      providerId: ssoProviders.id,
      slug: ssoProviders.slug,
      kind: ssoProviders.kind,
      nameZh: ssoProviders.nameZh,
      nameEn: ssoProviders.nameEn,
      institutionId: ssoProviders.institutionId,
      subject: externalIdentities.subject,
      createdAt: externalIdentities.createdAt,
      lastLoginAt: externalIdentities.lastLoginAt,
    })
    .from(externalIdentities)
    .innerJoin(ssoProviders, eq(ssoProviders.id, externalIdentities.providerId))
    .where(eq(externalIdentities.userId, userId))
    .orderBy(externalIdentities.createdAt);
}

export async function deleteIdentity(db: Executor, userId: string, providerId: string) {
  const rows = await db
    .delete(externalIdentities)
    .where(and(eq(externalIdentities.userId, userId), eq(externalIdentities.providerId, providerId)))
    .returning({ subject: externalIdentities.subject });
  return rows[0];
}

// The two questions about learners' sign-ins that single sign-on asks (the learners module has no
// use case for them): whose sign-in a learner is, and giving a learner without one a sign-in.
export async function userOfLearner(db: Executor, learnerId: string) {
  const [row] = await db.select({ userId: learners.userId }).from(learners).where(eq(learners.id, learnerId));
  return row?.userId ?? null;
}

/** Attaches a sign-in to a learner who has none (false when another process did meanwhile). */
export async function attachUserToLearner(db: Executor, learnerId: string, userId: string) {
  const rows = await db
    .update(learners)
    .set({ userId })
    .where(and(eq(learners.id, learnerId), sql`${learners.userId} is null`))
    .returning({ id: learners.id });
  return rows.length === 1;
}

export async function usernameTaken(db: Executor, username: string) {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`);
  return Boolean(row);
}

/** Whether a user is disabled (or gone): no session for them. */
export async function userDisabled(db: Executor, userId: string) {
  const [row] = await db.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId));
  return !row || row.disabledAt !== null;
}
