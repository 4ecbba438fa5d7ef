// Sign-in, sessions, API tokens and user accounts.
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db, Executor } from '../../db/connection.js';
import { AppError, conflict, forbidden, invalid, notFound, tooManyRequests, unauthorized } from '../../errors.js';
import { issueSecondFactorChallenge } from '../accounts-lifecycle/tokens.js';
import { recordAudit } from '../audit/service.js';
import { institutionSummaries } from '../institutions/service.js';
import { actorIds, ANONYMOUS, requireSignedIn, type ApiTokenScope, type Principal, type Role } from './principal.js';
import { authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import * as store from './store.js';
import type { SessionCache } from './session-cache.js';

/** argon2id with the OWASP-recommended minimum: 19 MiB, 2 passes. */
const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

// Verifying against this when the user does not exist keeps the answer time the same.
let dummyHash: Promise<string> | undefined;

export interface LoginLimits {
  maxFailures: number;
  failureWindowMinutes: number;
  lockSeconds: number;
}

/** The longest a name is locked for, however many failures. */
const MAX_LOCK_SECONDS = 3600;

/**
 * Signs in. A name (known or not: the answers are the same) with `maxFailures` failed attempts, each
 * within the window of the last, is locked for `lockSeconds`, doubled for each further failure; while
 * locked every attempt is answered 429 without looking at the password.
 */
export async function login(db: Db, username: string, password: string, ttlHours: number, limits: LoginLimits, from?: string) {
  const name = username.toLowerCase();
  const throttle = await store.findLoginThrottle(db, name);
  if (throttle?.lockedUntil && throttle.lockedUntil.getTime() > Date.now()) {
    throw tooManyRequests('Too many failed sign-ins; wait before trying again', (throttle.lockedUntil.getTime() - Date.now()) / 1000, 'login_throttled');
  }
  const user = await store.findUserByUsername(db, username);
  const ok = user
    ? !user.disabledAt && (await verify(user.passwordHash, password))
    : (await verify(await (dummyHash ??= hashPassword(newSecret())), password), false);
  if (!user || !ok) {
    const staleBefore = new Date(Date.now() - limits.failureWindowMinutes * 60_000);
    const failures = await store.countLoginFailure(db, name, staleBefore);
    // names tried once and never again (a spray of made-up names) are forgotten now and then
    if (failures === 1 && Math.random() < 0.01) await store.pruneLoginThrottles(db, staleBefore);
    if (failures >= limits.maxFailures) {
      const seconds = Math.min(MAX_LOCK_SECONDS, limits.lockSeconds * 2 ** Math.min(20, failures - limits.maxFailures));
      const until = new Date(Date.now() + seconds * 1000);
      await store.lockLogin(db, name, until);
      await recordAudit(db, [
        {
          actorUserId: null,
          actorTokenId: null,
          institutionId: null,
          action: 'auth.login_locked',
          entityType: 'login',
          entityId: name,
          details: { failures, lockedUntil: until.toISOString(), seconds, ...(from ? { from } : {}) },
        },
      ]);
    }
    throw unauthorized('Wrong username or password', { code: 'invalid_credentials' });
  }
  if (throttle) await store.clearLoginThrottle(db, name);
  // only someone who knows the password hears these (accounts-lifecycle)
  if (user.passwordResetRequired)
    throw new AppError('forbidden', '管理员要求您重设密码，请使用“忘记密码” / an administrator asked you to choose a new password: use "Forgot password"', [], {
      code: 'password_reset_required',
    });
  if (user.email && !user.emailVerifiedAt)
    throw new AppError('forbidden', '请先点击邮件中的链接验证您的邮箱 / verify your e-mail address first: follow the link in the mail we sent', [], {
      code: 'email_not_verified',
    });
  if (user.totpEnabledAt) return { secondFactor: await issueSecondFactorChallenge(db, user.id) };
  return startSession(db, user.id, ttlHours);
}

/** A new session for a user whose sign-in is complete; records the sign-in. */
export async function startSession(db: Executor, userId: string, ttlHours: number) {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await store.insertSession(db, sha256(token), userId, expiresAt);
  await store.touchLastLogin(db, userId);
  await recordAudit(db, [{ actorUserId: userId, actorTokenId: null, institutionId: null, action: 'auth.login', entityType: 'user', entityId: userId }]);
  return { token, expiresAt, userId };
}

export async function logout(db: Db, token: string | undefined) {
  if (token) await store.deleteSession(db, sha256(token));
}

/** Ends every session of the signed-in user (on every device); returns how many there were. */
export async function logoutEverywhere(db: Db, p: Principal) {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') throw forbidden('An API token has no sessions; revoke the token instead');
  return db.transaction(async (tx) => {
    const ended = await store.deleteSessionsOfUser(tx, actor.userId);
    await recordAudit(tx, [
      {
        actorUserId: actor.userId,
        actorTokenId: null,
        institutionId: null,
        action: 'auth.logout_all',
        entityType: 'user',
        entityId: actor.userId,
        details: { sessions: ended },
      },
    ]);
    return ended;
  });
}

/**
 * A session's principal; a session idle for `idleMinutes` (or past its absolute end) is no more.
 * With a cache (the server's), a session read in the last few seconds is not read again.
 */
export async function principalFromSession(db: Executor, token: string, idleMinutes = 30, cache?: SessionCache): Promise<Principal> {
  const tokenHash = sha256(token);
  const idleMs = idleMinutes * 60_000;
  const held = cache?.get(tokenHash, Date.now(), idleMs);
  if (held) return held;
  const mark = cache?.mark() ?? 0;
  const s = await store.findSession(db, tokenHash, new Date(Date.now() - idleMs));
  if (!s) return ANONYMOUS;
  // last use is written at most once a minute, not on every request
  let lastSeenAt = s.lastSeenAt.getTime();
  if (Date.now() - lastSeenAt >= 60_000) {
    await store.touchSession(db, tokenHash);
    lastSeenAt = Date.now();
  }
  const principal = { kind: 'user' as const, userId: s.userId, username: s.username, displayName: s.displayName, learnerId: s.learnerId, grants: s.grants };
  cache?.set(tokenHash, { principal, expiresAt: s.expiresAt.getTime(), lastSeenAt }, mark, Date.now());
  return principal;
}

/** The principal of a user by name, as if they had signed in (the demo seed acts as its people). */
export async function principalOfUser(db: Executor, username: string): Promise<Principal> {
  const u = await store.findUserByUsername(db, username);
  if (!u) throw notFound('User', username);
  const [grants, learnerId] = await Promise.all([store.grantsOf(db, u.id), store.learnerIdOfUser(db, u.id)]);
  return { kind: 'user', userId: u.id, username: u.username, displayName: u.displayName, learnerId, grants };
}

export async function principalFromApiToken(db: Executor, token: string): Promise<Principal> {
  // Looked up on every request (no cache): a revocation takes effect at once.
  const row = await store.findApiToken(db, sha256(token));
  if (!row) throw unauthorized('The API token is unknown or revoked', { code: 'api_token_invalid' });
  if (row.expiresAt.getTime() <= Date.now()) throw unauthorized('The API token has expired', { code: 'api_token_invalid' });
  // last use is written at most once a minute, not on every request
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= 60_000) await store.touchApiToken(db, row.id);
  return { kind: 'token', tokenId: row.id, institutionId: row.institutionId, scopes: row.scopes };
}

/** The signed-in user, with the institutions of their roles named. */
export async function me(db: Db, p: Principal) {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') throw unauthorized('An API token is not a person; use a session');
  const user = await store.findUser(db, actor.userId);
  const names = await institutionSummaries(
    db,
    actor.grants.flatMap((g) => (g.institutionId ? [g.institutionId] : [])),
  );
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
export async function insertUserWithGrants(db: Executor, u: NewUser, passwordHash?: string) {
  if (await store.findUserByUsername(db, u.username))
    throw conflict(`The username ${u.username} is taken`, 'body.username', { code: 'code_taken', value: u.username });
  const row = await store.insertUser(db, {
    username: u.username,
    passwordHash: passwordHash ?? (await hashPassword(u.password)),
    displayName: u.displayName,
    locale: u.locale,
  });
  await store.insertGrants(db, row.id, u.grants);
  return row;
}

/** Issues an API token for an institution's system; the secret is shown once and stored hashed. */
/** API tokens are managed by people: a token cannot mint or revoke tokens. */
function requireRegistrarInPerson(p: Principal, institutionId: string) {
  if (p.kind === 'token') throw forbidden('An API token cannot manage API tokens; a registrar must sign in');
  return authorized(p, 'apiToken.manage', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
}

/** A token lives a year unless the registrar says otherwise. */
export const API_TOKEN_DEFAULT_DAYS = 365;
/** Scopes a token gets when none are asked for: issuing credentials must be asked for. */
export const API_TOKEN_DEFAULT_SCOPES: ApiTokenScope[] = ['read', 'import'];

export async function createApiToken(db: Db, p: Principal, institutionId: string, name: string, options: { expiresAt?: Date; scopes?: ApiTokenScope[] } = {}) {
  const actor = requireRegistrarInPerson(p, institutionId);
  const expiresAt = options.expiresAt ?? new Date(Date.now() + API_TOKEN_DEFAULT_DAYS * 86_400_000);
  if (expiresAt.getTime() <= Date.now()) throw invalid('body.expiresAt', 'must be in the future');
  const scopes = [...new Set(options.scopes ?? API_TOKEN_DEFAULT_SCOPES)];
  if ((await institutionSummaries(db, [institutionId])).size === 0) throw notFound('Institution', institutionId);
  const prefix = randomBytes(4).toString('hex');
  const token = `cbk_${prefix}_${newSecret()}`;
  return db.transaction(async (tx) => {
    const row = await store.insertApiToken(tx, {
      institutionId,
      name,
      prefix,
      tokenHash: sha256(token),
      createdBy: actor.kind === 'user' ? actor.userId : null,
      expiresAt,
      scopes,
    });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId,
        action: 'api_token.create',
        entityType: 'api_token',
        entityId: row.id,
        details: { name, prefix, scopes, expiresAt: expiresAt.toISOString() },
      },
    ]);
    return { id: row.id, name, prefix, token, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString(), scopes: row.scopes };
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
    expiresAt: r.expiresAt.toISOString(),
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

/** Erases a person's sign-in (in the caller's transaction): name and username pseudonymised, disabled, signed out. */
export async function eraseUser(tx: Executor, userId: string, pseudonym: string) {
  await store.eraseUserRow(tx, userId, pseudonym);
  await store.deleteSessionsOfUser(tx, userId);
}
