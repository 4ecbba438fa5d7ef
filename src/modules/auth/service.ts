// Sign-in, sessions, API tokens and user accounts.
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db, Executor } from '../../db/connection.js';
import { conflict, forbidden, notFound, unauthorized } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { institutionSummaries } from '../institutions/service.js';
import { actorIds, ANONYMOUS, requireAdmin, requireRegistrarOf, requireSignedIn, type Principal, type Role } from './principal.js';
import * as store from './store.js';

/** argon2id with the OWASP-recommended minimum: 19 MiB, 2 passes. */
const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

// Verifying against this when the user does not exist keeps the answer time the same.
let dummyHash: Promise<string> | undefined;

export async function login(db: Db, username: string, password: string, ttlHours: number) {
  const user = await store.findUserByUsername(db, username);
  const ok = user
    ? !user.disabledAt && (await verify(user.passwordHash, password))
    : (await verify(await (dummyHash ??= hashPassword(newSecret())), password), false);
  if (!user || !ok) throw unauthorized('Wrong username or password');
  const token = newSecret();
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await store.insertSession(db, sha256(token), user.id, expiresAt);
  await recordAudit(db, [{ actorUserId: user.id, actorTokenId: null, institutionId: null, action: 'auth.login', entityType: 'user', entityId: user.id }]);
  return { token, expiresAt, userId: user.id };
}

export async function logout(db: Db, token: string | undefined) {
  if (token) await store.deleteSession(db, sha256(token));
}

export async function principalFromSession(db: Executor, token: string): Promise<Principal> {
  const s = await store.findSession(db, sha256(token));
  if (!s) return ANONYMOUS;
  const [grants, learnerId] = await Promise.all([store.grantsOf(db, s.userId), store.learnerIdOfUser(db, s.userId)]);
  return { kind: 'user', userId: s.userId, username: s.username, displayName: s.displayName, learnerId, grants };
}

/** The principal of a user by name, as if they had signed in (the demo seed acts as its people). */
export async function principalOfUser(db: Executor, username: string): Promise<Principal> {
  const u = await store.findUserByUsername(db, username);
  if (!u) throw notFound('User', username);
  const [grants, learnerId] = await Promise.all([store.grantsOf(db, u.id), store.learnerIdOfUser(db, u.id)]);
  return { kind: 'user', userId: u.id, username: u.username, displayName: u.displayName, learnerId, grants };
}

export async function principalFromApiToken(db: Executor, token: string): Promise<Principal> {
  const row = await store.findApiToken(db, sha256(token));
  if (!row) throw unauthorized('The API token is unknown or revoked');
  await store.touchApiToken(db, row.id);
  return { kind: 'token', tokenId: row.id, institutionId: row.institutionId };
}

/** The signed-in user, with the institutions of their roles named. */
export async function me(db: Db, p: Principal) {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') throw unauthorized('An API token is not a person; use a session');
  const user = await store.findUser(db, actor.userId);
  const names = await institutionSummaries(db, actor.grants.flatMap((g) => (g.institutionId ? [g.institutionId] : [])));
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    locale: user?.locale ?? 'zh-CN',
    learnerId: actor.learnerId,
    roles: actor.grants.map((g) => {
      const inst = g.institutionId ? names.get(g.institutionId) : undefined;
      return {
        role: g.role,
        institutionId: g.institutionId,
        institutionCode: inst?.code ?? null,
        institutionNameZh: inst?.nameZh ?? null,
        institutionNameEn: inst?.nameEn ?? null,
      };
    }),
  };
}

export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  locale?: string;
  grants: { role: Role; institutionId: string | null }[];
}

/** Creates a user with roles. Used by administrators, and inside other use cases' transactions. */
export async function insertUserWithGrants(db: Executor, u: NewUser) {
  if (await store.findUserByUsername(db, u.username)) throw conflict(`The username ${u.username} is taken`, 'body.username');
  const row = await store.insertUser(db, {
    username: u.username,
    passwordHash: await hashPassword(u.password),
    displayName: u.displayName,
    locale: u.locale,
  });
  await store.insertGrants(db, row.id, u.grants);
  return row;
}

export async function createUser(db: Db, p: Principal, u: NewUser) {
  const actor = requireAdmin(p);
  const ids = u.grants.flatMap((g) => (g.institutionId ? [g.institutionId] : []));
  const known = await institutionSummaries(db, ids);
  const missing = ids.find((id) => !known.has(id));
  if (missing) throw notFound('Institution', missing);
  return db.transaction(async (tx) => {
    const row = await insertUserWithGrants(tx, u);
    await recordAudit(tx, [{ ...actorIds(actor), institutionId: null, action: 'user.create', entityType: 'user', entityId: row.id, details: { username: u.username, grants: u.grants } }]);
    return { id: row.id, username: row.username, displayName: row.displayName, grants: u.grants };
  });
}

/** Issues an API token for an institution's system; the secret is shown once and stored hashed. */
/** API tokens are managed by people: a token cannot mint or revoke tokens. */
function requireRegistrarInPerson(p: Principal, institutionId: string) {
  if (p.kind === 'token') throw forbidden('An API token cannot manage API tokens; a registrar must sign in');
  return requireRegistrarOf(p, institutionId);
}

export async function createApiToken(db: Db, p: Principal, institutionId: string, name: string) {
  const actor = requireRegistrarInPerson(p, institutionId);
  if ((await institutionSummaries(db, [institutionId])).size === 0) throw notFound('Institution', institutionId);
  const prefix = randomBytes(4).toString('hex');
  const token = `cbk_${prefix}_${newSecret()}`;
  return db.transaction(async (tx) => {
    const row = await store.insertApiToken(tx, { institutionId, name, prefix, tokenHash: sha256(token), createdBy: actor.kind === 'user' ? actor.userId : null });
    await recordAudit(tx, [{ ...actorIds(actor), institutionId, action: 'api_token.create', entityType: 'api_token', entityId: row.id, details: { name, prefix } }]);
    return { id: row.id, name, prefix, token, createdAt: row.createdAt.toISOString() };
  });
}

export async function listApiTokens(db: Db, p: Principal, institutionId: string) {
  requireRegistrarInPerson(p, institutionId);
  const rows = await store.listApiTokens(db, institutionId);
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}

export async function revokeApiToken(db: Db, p: Principal, tokenId: string) {
  const row = await store.getApiToken(db, tokenId);
  if (!row) throw notFound('API token', tokenId);
  const actor = requireRegistrarInPerson(p, row.institutionId);
  await db.transaction(async (tx) => {
    await store.revokeApiTokenRow(tx, tokenId);
    await recordAudit(tx, [{ ...actorIds(actor), institutionId: row.institutionId, action: 'api_token.revoke', entityType: 'api_token', entityId: tokenId }]);
  });
}
