// The credentials module's queries: issuer keys, issued credentials, their status events and shares.
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { credentialEvents, credentials, credentialShares, institutions, issuerKeys } from '../../db/schema.js';

export type KeyRow = typeof issuerKeys.$inferSelect;
export type CredentialRow = typeof credentials.$inferSelect;
export type EventRow = typeof credentialEvents.$inferSelect;
export type ShareRow = typeof credentialShares.$inferSelect;

export async function keysOf(db: Executor, institutionId: string): Promise<KeyRow[]> {
  return db.select().from(issuerKeys).where(eq(issuerKeys.institutionId, institutionId)).orderBy(asc(issuerKeys.createdAt));
}

export async function currentKey(db: Executor, institutionId: string): Promise<KeyRow | undefined> {
  const [k] = await db
    .select()
    .from(issuerKeys)
    .where(and(eq(issuerKeys.institutionId, institutionId), isNull(issuerKeys.retiredAt)));
  return k;
}

/** Inserts a key unless the institution already has a current one (another request made it first). */
export async function insertKey(db: Executor, k: typeof issuerKeys.$inferInsert): Promise<boolean> {
  const rows = await db.insert(issuerKeys).values(k).onConflictDoNothing().returning({ id: issuerKeys.id });
  return rows.length === 1;
}

export async function retireKey(db: Executor, id: string, by: string | null, reason: string) {
  const rows = await db
    .update(issuerKeys)
    .set({ retiredAt: new Date(), retiredBy: by, retireReason: reason })
    .where(and(eq(issuerKeys.id, id), isNull(issuerKeys.retiredAt)))
    .returning({ id: issuerKeys.id });
  return rows.length === 1;
}

/** The institution's next free place in its status lists; the caller holds the institution's lock. */
export async function nextStatusIndex(db: Executor, institutionId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`coalesce(max(${credentials.statusIndex}) + 1, 0)::int` })
    .from(credentials)
    .where(eq(credentials.institutionId, institutionId));
  return r!.n;
}

export async function lockInstitution(db: Executor, institutionId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(7263002, hashtext(${institutionId}))`);
}

export async function insertCredential(db: Executor, c: typeof credentials.$inferInsert): Promise<CredentialRow> {
  const [row] = await db.insert(credentials).values(c).returning();
  return row!;
}

export async function credentialById(db: Executor, id: string): Promise<CredentialRow | undefined> {
  const [c] = await db.select().from(credentials).where(eq(credentials.id, id));
  return c;
}

export async function credentialsOfLearner(db: Executor, learnerId: string): Promise<CredentialRow[]> {
  return db.select().from(credentials).where(eq(credentials.learnerId, learnerId)).orderBy(desc(credentials.issuedAt));
}

export async function credentialsAt(db: Executor, institutionId: string, limit: number): Promise<CredentialRow[]> {
  return db.select().from(credentials).where(eq(credentials.institutionId, institutionId)).orderBy(desc(credentials.issuedAt)).limit(limit);
}

export async function setStatus(db: Executor, id: string, from: CredentialRow['status'][], to: CredentialRow['status']) {
  const rows = await db
    .update(credentials)
    .set({ status: to })
    .where(and(eq(credentials.id, id), inArray(credentials.status, from)))
    .returning({ id: credentials.id, learnerId: credentials.learnerId, institutionId: credentials.institutionId, kind: credentials.kind });
  return rows[0]; // undefined: not in a state it may leave
}

export async function insertEvent(db: Executor, e: typeof credentialEvents.$inferInsert): Promise<EventRow> {
  const [row] = await db.insert(credentialEvents).values(e).returning();
  return row!;
}

export async function eventsOf(db: Executor, credentialIds: string[]): Promise<EventRow[]> {
  if (credentialIds.length === 0) return [];
  return db.select().from(credentialEvents).where(inArray(credentialEvents.credentialId, credentialIds)).orderBy(asc(credentialEvents.id));
}

/** The places of an institution's credentials with `status`, within one list of `size` entries. */
export async function indexesWithStatus(db: Executor, institutionId: string, status: CredentialRow['status'], list: number, size: number): Promise<number[]> {
  const rows = await db
    .select({ i: credentials.statusIndex })
    .from(credentials)
    .where(
      and(
        eq(credentials.institutionId, institutionId),
        eq(credentials.status, status),
        sql`${credentials.statusIndex} >= ${list * size} and ${credentials.statusIndex} < ${(list + 1) * size}`,
      ),
    );
  return rows.map((r) => r.i - list * size);
}

export async function insertShare(db: Executor, s: typeof credentialShares.$inferInsert) {
  const [row] = await db.insert(credentialShares).values(s).returning();
  return row!;
}

export async function shareById(db: Executor, id: string): Promise<ShareRow | undefined> {
  const [s] = await db.select().from(credentialShares).where(eq(credentialShares.id, id));
  return s;
}

export async function sharesOf(db: Executor, credentialId: string): Promise<ShareRow[]> {
  return sharesOfMany(db, [credentialId]);
}

/** The share links of several credentials (a page of a list), newest first, in one query. */
export async function sharesOfMany(db: Executor, credentialIds: string[]): Promise<ShareRow[]> {
  if (credentialIds.length === 0) return [];
  return db.select().from(credentialShares).where(inArray(credentialShares.credentialId, credentialIds)).orderBy(desc(credentialShares.createdAt));
}

export async function revokeShare(db: Executor, id: string) {
  await db
    .update(credentialShares)
    .set({ revokedAt: new Date() })
    .where(and(eq(credentialShares.id, id), isNull(credentialShares.revokedAt)));
}

/** Erasure: hashed shares' variants go too (their salts would let anyone confirm a guessed name). */
export async function eraseShareDocuments(db: Executor, credentialId: string) {
  await db.update(credentialShares).set({ document: null }).where(eq(credentialShares.credentialId, credentialId));
}

export async function credentialsOfSubject(db: Executor, subjectId: string): Promise<CredentialRow[]> {
  return db.select().from(credentials).where(eq(credentials.subjectId, subjectId));
}

export async function credentialAt(db: Executor, institutionId: string, statusIndex: number): Promise<CredentialRow | undefined> {
  const [c] = await db
    .select()
    .from(credentials)
    .where(and(eq(credentials.institutionId, institutionId), eq(credentials.statusIndex, statusIndex)));
  return c;
}

export async function keyByPublicKey(db: Executor, publicKeyMultibase: string): Promise<KeyRow | undefined> {
  const [k] = await db.select().from(issuerKeys).where(eq(issuerKeys.publicKeyMultibase, publicKeyMultibase));
  return k;
}

/** The places of an institution's revoked and suspended credentials, by institution code; undefined for an unknown code. */
export async function flaggedAt(db: Executor, code: string) {
  const [inst] = await db.select({ id: institutions.id }).from(institutions).where(eq(institutions.code, code));
  if (!inst) return undefined;
  return db
    .select({ statusIndex: credentials.statusIndex, status: credentials.status })
    .from(credentials)
    .where(and(eq(credentials.institutionId, inst.id), sql`${credentials.status} <> 'active'`));
}

/** Erasure: the document keeps only what names no one, and the digest of what was signed (the log's). */
export async function eraseDocument(db: Executor, id: string, documentSha256: string, document: Record<string, unknown>) {
  await db
    .update(credentials)
    .set({ document, documentSha256 })
    .where(and(eq(credentials.id, id), isNull(credentials.documentSha256)));
}
