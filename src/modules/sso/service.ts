// Single sign-on use cases: administrators configure an institution's identity providers; people
// sign in through them (CAS, OIDC, SAML), are mapped to a bank user (an existing link, a staff account
// made just in time where allowed, or the learner enrolled under the student number), and link an
// institution's sign-in to the account they have.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.js';
import { conflict, invalid, notFound } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, requireSignedIn, type Principal, type Role } from '../auth/principal.js';
import { ADMIN_ONLY, authorized } from '../../policies/authorize.js';
import { insertUserWithGrants, startSession } from '../auth/service.js';
import { seal, unseal, type Trust } from '../credentials/trust.js';
import { institutionSummaries } from '../institutions/service.js';
import { findEnrolledLearner } from '../learners/service.js';
import { casLoginUrl, casValidate } from './cas.js';
import { oidcBegin, oidcFinish } from './oidc.js';
import { samlBegin, samlFinish, samlMetadata, type RequestStore } from './saml.js';
import { casSettings, oidcSettings, samlSettings } from './settings.js';
import * as store from './store.js';
import { SsoError, type ExternalIdentity } from './types.js';

export { SsoError } from './types.js';

const SSO_ROLES = ['learner', 'registrar', 'reviewer'] as const;
type SsoRole = (typeof SSO_ROLES)[number];

export const mappingSchema = z.object({
  subject: z.string().min(1).max(100).optional().describe("attribute holding the user id; by default the protocol's own (CAS user, OIDC sub, SAML NameID)"),
  name: z.string().min(1).max(100).optional().describe('attribute holding the display name (default: name, cn, displayName)'),
  email: z.string().min(1).max(100).optional().describe('attribute holding the e-mail address (default: email, mail)'),
  studentNumber: z.string().min(1).max(100).optional().describe("attribute holding a learner's student number (学号); by default the user id"),
  affiliation: z.string().min(1).max(100).optional().describe('attribute whose values decide the roles, e.g. eduPersonAffiliation or userType'),
  roles: z
    .record(z.string().max(200), z.array(z.enum(SSO_ROLES)).max(3))
    .default({})
    .describe('affiliation value → roles, e.g. {"staff": ["registrar"], "student": ["learner"]}'),
  defaultRoles: z.array(z.enum(SSO_ROLES)).max(3).default([]).describe('roles when no affiliation value matches'),
});
export type Mapping = z.infer<typeof mappingSchema>;

export const providerInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cas'), settings: casSettings }),
  z.object({
    kind: z.literal('oidc'),
    settings: oidcSettings,
    clientSecret: z.string().min(1).max(500).optional().describe('sealed at rest; omitted on update: kept'),
  }),
  z.object({ kind: z.literal('saml'), settings: samlSettings }),
]);

export interface ProviderBody {
  slug: string;
  nameZh: string;
  nameEn: string;
  enabled?: boolean;
  jitStaff?: boolean;
  mapping?: Mapping;
  protocol: z.infer<typeof providerInput>;
}

export interface Ctx {
  trust: Trust;
  publicUrl: string;
  sessionTtlHours: number;
  /** In production an identity provider is reached over https only (plain http is for a provider on this machine). */
  production: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
function requireHttps(ctx: Ctx, protocol: z.infer<typeof providerInput>) {
  if (!ctx.production) return;
  const urls: [string, string][] =
    protocol.kind === 'cas'
      ? [['serverUrl', protocol.settings.serverUrl]]
      : protocol.kind === 'oidc'
        ? [['issuer', protocol.settings.issuer]]
        : [['entryPoint', protocol.settings.entryPoint]];
  for (const [field, url] of urls) {
    const u = new URL(url);
    if (u.protocol !== 'https:' && !LOOPBACK.has(u.hostname)) throw invalid(`body.protocol.settings.${field}`, 'must be an https URL');
  }
}

const REQUEST_MINUTES = 10;
const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');
const sealContext = (providerId: string) => `sso:${providerId}`;
export const callbackUrl = (ctx: Ctx, slug: string) => `${ctx.publicUrl}/api/v1/auth/sso/${slug}/callback`;
export const metadataUrl = (ctx: Ctx, slug: string) => `${ctx.publicUrl}/api/v1/auth/sso/${slug}/metadata`;

function view(p: store.ProviderRow) {
  return {
    id: p.id,
    institutionId: p.institutionId,
    slug: p.slug,
    kind: p.kind,
    nameZh: p.nameZh,
    nameEn: p.nameEn,
    enabled: p.enabled,
    jitStaff: p.jitStaff,
    settings: p.settings,
    hasSecret: p.secretSealed !== null,
    mapping: mappingSchema.parse(p.mapping),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

// ---- administration ----------------------------------------------------------------------------

export async function listProviders(db: Db, p: Principal, institutionId: string) {
  authorized(p, 'sso.manage', undefined, ADMIN_ONLY);
  return (await store.providersOfInstitution(db, institutionId)).map(view);
}

export async function createProvider(db: Db, ctx: Ctx, p: Principal, institutionId: string, body: ProviderBody) {
  const actor = authorized(p, 'sso.manage', undefined, ADMIN_ONLY);
  requireHttps(ctx, body.protocol);
  if ((await institutionSummaries(db, [institutionId])).size === 0) throw notFound('Institution', institutionId);
  if (await store.providerBySlug(db, body.slug))
    throw conflict(`The provider name ${body.slug} is taken`, 'body.slug', { code: 'code_taken', value: body.slug });
  const id = randomUUID();
  const secret = body.protocol.kind === 'oidc' && body.protocol.clientSecret ? seal(ctx.trust, body.protocol.clientSecret, sealContext(id)) : null;
  return db.transaction(async (tx) => {
    const row = await store.insertProvider(tx, {
      id,
      institutionId,
      slug: body.slug,
      kind: body.protocol.kind,
      nameZh: body.nameZh,
      nameEn: body.nameEn,
      enabled: body.enabled ?? true,
      jitStaff: body.jitStaff ?? false,
      settings: body.protocol.settings,
      secretSealed: secret,
      mapping: mappingSchema.parse(body.mapping ?? {}),
    });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId,
        action: 'sso.provider_create',
        entityType: 'sso_provider',
        entityId: id,
        details: { slug: body.slug, kind: body.protocol.kind },
      },
    ]);
    return view(row);
  });
}

export async function updateProvider(db: Db, ctx: Ctx, p: Principal, id: string, body: ProviderBody) {
  const actor = authorized(p, 'sso.manage', undefined, ADMIN_ONLY);
  requireHttps(ctx, body.protocol);
  const old = await store.providerById(db, id);
  if (!old) throw notFound('Identity provider', id);
  if (body.protocol.kind !== old.kind) throw invalid('body.protocol.kind', 'a provider keeps its protocol; add a new provider instead');
  const other = await store.providerBySlug(db, body.slug);
  if (other && other.id !== id) throw conflict(`The provider name ${body.slug} is taken`, 'body.slug', { code: 'code_taken', value: body.slug });
  const secret = body.protocol.kind === 'oidc' && body.protocol.clientSecret ? seal(ctx.trust, body.protocol.clientSecret, sealContext(id)) : old.secretSealed;
  return db.transaction(async (tx) => {
    const row = await store.updateProvider(tx, id, {
      slug: body.slug,
      nameZh: body.nameZh,
      nameEn: body.nameEn,
      enabled: body.enabled ?? old.enabled,
      jitStaff: body.jitStaff ?? old.jitStaff,
      settings: body.protocol.settings,
      secretSealed: secret,
      mapping: mappingSchema.parse(body.mapping ?? old.mapping),
    });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: old.institutionId,
        action: 'sso.provider_update',
        entityType: 'sso_provider',
        entityId: id,
        details: { slug: body.slug, secretChanged: secret !== old.secretSealed },
      },
    ]);
    return view(row!);
  });
}

/** The sign-in buttons of the login page: enabled providers, with their institutions' names. */
export async function publicProviders(db: Db) {
  const rows = await store.enabledProviders(db);
  const names = await institutionSummaries(db, [...new Set(rows.map((r) => r.institutionId))]);
  return rows.map((r) => {
    const inst = names.get(r.institutionId);
    return { slug: r.slug, kind: r.kind, nameZh: r.nameZh, nameEn: r.nameEn, institutionId: r.institutionId, institutionCode: inst?.code ?? null };
  });
}

// ---- signing in ----------------------------------------------------------------------------------

async function enabledProvider(db: Executor, slug: string) {
  const p = await store.providerBySlug(db, slug);
  if (!p || !p.enabled) throw new SsoError('unknown_provider', `No identity provider ${slug}`);
  return p;
}

const secretOf = (ctx: Ctx, p: store.ProviderRow) => (p.secretSealed ? unseal(ctx.trust, p.secretSealed, sealContext(p.id)) : null);
const oidcKey = (p: store.ProviderRow) => `${p.id}:${p.updatedAt.getTime()}`;
const spEntityOf = (ctx: Ctx, p: store.SamlProviderRow) => p.settings.spEntityId || metadataUrl(ctx, p.slug);

function samlRequests(db: Executor, providerId: string, extra: { browserHash: string | null; data: Record<string, unknown> }): RequestStore {
  return {
    save: (id) =>
      store.insertRequest(db, { id, providerId, browserHash: extra.browserHash, data: extra.data, expiresAt: new Date(Date.now() + REQUEST_MINUTES * 60_000) }),
    createdAt: async (id) => {
      const row = await store.findRequest(db, id, providerId);
      return row ? new Date(row.expiresAt.getTime() - REQUEST_MINUTES * 60_000).toISOString() : null;
    },
    take: async (id) => (await store.consumeRequest(db, id, providerId)) ?? null,
  };
}

/** A relative path in the web app to go back to (never another site). */
export const safeReturnTo = (v: unknown) => (typeof v === 'string' && /^\/(?![/\\])[^\s]*$/.test(v) ? v : '/');

/**
 * Begins a sign-in: where to send the browser. `browserToken` (a cookie the route sets) binds the
 * sign-in to this browser; with `link`, the finished sign-in is linked to the signed-in user instead.
 */
export async function beginSignIn(db: Db, ctx: Ctx, slug: string, opts: { browserToken: string; principal: Principal; link: boolean; returnTo?: string }) {
  const p = await enabledProvider(db, slug);
  let linkUserId: string | null = null;
  if (opts.link) {
    const actor = requireSignedIn(opts.principal);
    if (actor.kind !== 'user') throw new SsoError('not_linked', 'Only a person can link a sign-in');
    linkUserId = actor.userId;
  }
  const id = randomBytes(24).toString('base64url');
  const data: Record<string, unknown> = { linkUserId, returnTo: safeReturnTo(opts.returnTo) };
  const browserHash = sha256(opts.browserToken);
  const expiresAt = new Date(Date.now() + REQUEST_MINUTES * 60_000);
  if (p.kind === 'cas') {
    await store.insertRequest(db, { id, providerId: p.id, browserHash, data, expiresAt });
    return casLoginUrl(p.settings, `${callbackUrl(ctx, p.slug)}?state=${id}`);
  }
  if (p.kind === 'oidc') {
    const begun = await oidcBegin(oidcKey(p), p.settings, secretOf(ctx, p), callbackUrl(ctx, p.slug), id);
    await store.insertRequest(db, { id, providerId: p.id, browserHash, data: { ...data, nonce: begun.nonce, codeVerifier: begun.codeVerifier }, expiresAt });
    return begun.url;
  }
  // SAML: the response comes back in a cross-site POST, which carries no SameSite=Lax cookie: the
  // request's single-use ID (InResponseTo) is what binds it.
  return samlBegin(p.settings, callbackUrl(ctx, p.slug), spEntityOf(ctx, p), samlRequests(db, p.id, { browserHash: null, data }), `_${id}`);
}

export type SignInResult = { kind: 'session'; token: string; expiresAt: Date; returnTo: string } | { kind: 'linked'; returnTo: string };

/**
 * Finishes a sign-in: `query` (CAS ticket / OIDC code, with state) for a GET callback, or `form`
 * (SAMLResponse) for the POST one. Refusals are SsoError with a code, recorded in the audit trail.
 */
export async function finishSignIn(
  db: Db,
  ctx: Ctx,
  slug: string,
  input: { query?: Record<string, string>; rawQuery?: string; form?: Record<string, string>; browserToken?: string; from?: string },
): Promise<SignInResult> {
  let providerId: string | null = null;
  let linkReturnTo: string | undefined;
  try {
    const p = await enabledProvider(db, slug);
    providerId = p.id;
    let identity: ExternalIdentity;
    let data: Record<string, unknown>;
    if (p.kind === 'saml') {
      if (!input.form?.['SAMLResponse']) throw new SsoError('bad_assertion', 'No SAMLResponse was posted');
      const done = await samlFinish(p.settings, callbackUrl(ctx, p.slug), spEntityOf(ctx, p), samlRequests(db, p.id, { browserHash: null, data: {} }), {
        SAMLResponse: input.form['SAMLResponse'],
      });
      identity = done.identity;
      data = ((done.request as { data?: unknown }).data ?? {}) as Record<string, unknown>;
    } else {
      const state = input.query?.['state'];
      if (!state) throw new SsoError('bad_state', 'The callback has no state');
      const req = await store.consumeRequest(db, state, p.id);
      if (!req) throw new SsoError('bad_state', 'The sign-in is unknown, expired or finished already');
      if (req.browserHash && (!input.browserToken || sha256(input.browserToken) !== req.browserHash)) {
        throw new SsoError('bad_state', 'The sign-in was begun in another browser');
      }
      data = req.data;
      if (p.kind === 'cas') {
        const ticket = input.query?.['ticket'];
        if (!ticket) throw new SsoError('bad_ticket', 'The callback has no ticket');
        identity = await casValidate(p.settings, `${callbackUrl(ctx, p.slug)}?state=${state}`, ticket);
      } else {
        identity = await oidcFinish(oidcKey(p), p.settings, secretOf(ctx, p), `${callbackUrl(ctx, p.slug)}?${input.rawQuery ?? ''}`, {
          state,
          nonce: String(data['nonce']),
          codeVerifier: String(data['codeVerifier']),
        });
      }
    }
    const returnTo = safeReturnTo(data['returnTo']);
    const linkUserId = typeof data['linkUserId'] === 'string' ? data['linkUserId'] : null;
    if (linkUserId) linkReturnTo = returnTo === '/' ? '/account' : returnTo;
    return await db.transaction(async (tx) => {
      if (linkUserId) {
        await linkIdentity(tx, p, identity, linkUserId);
        return { kind: 'linked' as const, returnTo };
      }
      const userId = await userFor(tx, p, identity);
      if (await store.userDisabled(tx, userId)) throw new SsoError('disabled', 'This account is disabled');
      const s = await startSession(tx, userId, ctx.sessionTtlHours);
      await recordAudit(tx, [
        {
          actorUserId: userId,
          actorTokenId: null,
          institutionId: p.institutionId,
          action: 'sso.login',
          entityType: 'user',
          entityId: userId,
          details: { provider: p.slug, kind: p.kind },
        },
      ]);
      return { kind: 'session' as const, token: s.token, expiresAt: s.expiresAt, returnTo };
    });
  } catch (e) {
    if (e instanceof SsoError) {
      if (linkReturnTo) e.returnTo = linkReturnTo;
      await recordAudit(db, [
        {
          actorUserId: null,
          actorTokenId: null,
          institutionId: null,
          action: 'sso.refused',
          entityType: 'sso_provider',
          entityId: providerId ?? slug,
          details: { code: e.code, reason: e.message.slice(0, 300), ...(input.from ? { from: input.from } : {}) },
        },
      ]);
    }
    throw e;
  }
}

/** The subject and the mapped attributes of an identity under a provider's mapping. */
export function mapIdentity(mapping: Mapping, identity: ExternalIdentity) {
  const first = (...names: (string | undefined)[]) => {
    for (const n of names) if (n && identity.attributes[n]?.[0]) return identity.attributes[n][0];
    return undefined;
  };
  const subject = (mapping.subject ? first(mapping.subject) : identity.subject) ?? identity.subject;
  const roles = new Set<SsoRole>();
  for (const value of mapping.affiliation ? (identity.attributes[mapping.affiliation] ?? []) : []) for (const r of mapping.roles[value] ?? []) roles.add(r);
  if (roles.size === 0) for (const r of mapping.defaultRoles) roles.add(r);
  return {
    subject,
    name: first(mapping.name, 'name', 'cn', 'displayName') ?? subject,
    email: first(mapping.email, 'email', 'mail') ?? null,
    studentNumber: (mapping.studentNumber ? first(mapping.studentNumber) : subject) ?? subject,
    roles: [...roles],
  };
}

async function freeUsername(tx: Executor, wanted: string) {
  const base = wanted
    .replace(/[^A-Za-z0-9._@-]/g, '_')
    .slice(0, 50)
    .padEnd(3, '_');
  if (!(await store.usernameTaken(tx, base))) return base;
  for (;;) {
    const candidate = `${base.slice(0, 45)}.${randomBytes(3).toString('hex')}`;
    if (!(await store.usernameTaken(tx, candidate))) return candidate;
  }
}

async function userFor(tx: Executor, p: store.ProviderRow, identity: ExternalIdentity): Promise<string> {
  const m = mapIdentity(mappingSchema.parse(p.mapping), identity);
  const known = await store.identity(tx, p.id, m.subject);
  if (known) {
    await store.touchIdentity(tx, p.id, m.subject);
    return known.userId;
  }
  const audit = (userId: string, action: string, details: Record<string, unknown>) =>
    recordAudit(tx, [
      {
        actorUserId: userId,
        actorTokenId: null,
        institutionId: p.institutionId,
        action,
        entityType: 'user',
        entityId: userId,
        details: { provider: p.slug, subject: m.subject, ...details },
      },
    ]);
  const staff = m.roles.filter((r): r is 'registrar' | 'reviewer' => r !== 'learner');
  if (staff.length) {
    if (!p.jitStaff)
      throw new SsoError('not_linked', `${m.subject} has no account at the bank; an administrator makes one, or the person links this sign-in to theirs`);
    const user = await insertUserWithGrants(tx, {
      username: await freeUsername(tx, `${m.subject}@${p.slug}`),
      password: randomBytes(32).toString('base64url'), // never told to anyone: this account signs in through its institution
      displayName: m.name,
      grants: staff.map((role): { role: Role; institutionId: string } => ({ role, institutionId: p.institutionId })),
    });
    await store.insertIdentity(tx, { providerId: p.id, subject: m.subject, userId: user.id });
    await audit(user.id, 'sso.staff_created', { roles: staff });
    return user.id;
  }
  if (m.roles.includes('learner')) {
    const learnerId = await findEnrolledLearner(tx, p.institutionId, { externalId: m.studentNumber });
    if (!learnerId) throw new SsoError('no_enrolment', `No learner is enrolled under student number ${m.studentNumber}`);
    let userId = await store.userOfLearner(tx, learnerId);
    if (userId && (await store.identityOfUser(tx, userId, p.id)))
      throw new SsoError('identity_taken', 'The learner is linked to another sign-in of this provider');
    if (!userId) {
      const user = await insertUserWithGrants(tx, {
        username: await freeUsername(tx, `${m.studentNumber}@${p.slug}`),
        password: randomBytes(32).toString('base64url'),
        displayName: m.name,
        grants: [{ role: 'learner', institutionId: null }],
      });
      if (!(await store.attachUserToLearner(tx, learnerId, user.id))) throw new SsoError('identity_taken', 'The learner got a sign-in meanwhile; try again');
      userId = user.id;
    }
    await store.insertIdentity(tx, { providerId: p.id, subject: m.subject, userId });
    await audit(userId, 'sso.learner_linked', { learnerId, studentNumber: m.studentNumber });
    return userId;
  }
  throw new SsoError('no_role', `The attributes of ${m.subject} give no role at the bank`);
}

async function linkIdentity(tx: Executor, p: store.ProviderRow, identity: ExternalIdentity, userId: string) {
  const m = mapIdentity(mappingSchema.parse(p.mapping), identity);
  const known = await store.identity(tx, p.id, m.subject);
  if (known && known.userId !== userId) throw new SsoError('identity_taken', 'This sign-in is linked to another account');
  if (known) return;
  if (await store.identityOfUser(tx, userId, p.id))
    throw new SsoError('identity_taken', 'Your account is linked to another sign-in of this provider; unlink it first');
  await store.insertIdentity(tx, { providerId: p.id, subject: m.subject, userId });
  await recordAudit(tx, [
    {
      actorUserId: userId,
      actorTokenId: null,
      institutionId: p.institutionId,
      action: 'sso.link',
      entityType: 'user',
      entityId: userId,
      details: { provider: p.slug, subject: m.subject },
    },
  ]);
}

// ---- the signed-in user's links --------------------------------------------------------------------

export async function myIdentities(db: Db, p: Principal) {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') return [];
  return (await store.identitiesOfUser(db, actor.userId)).map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    lastLoginAt: r.lastLoginAt?.toISOString() ?? null,
  }));
}

export async function unlink(db: Db, p: Principal, providerId: string) {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') throw notFound('Linked sign-in', providerId);
  await db.transaction(async (tx) => {
    const gone = await store.deleteIdentity(tx, actor.userId, providerId);
    if (!gone) throw notFound('Linked sign-in', providerId);
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: null,
        action: 'sso.unlink',
        entityType: 'user',
        entityId: actor.userId,
        details: { providerId, subject: gone.subject },
      },
    ]);
  });
}

export async function spMetadata(db: Db, ctx: Ctx, slug: string) {
  const p = await store.providerBySlug(db, slug);
  if (!p || p.kind !== 'saml') throw notFound('SAML provider', slug);
  return samlMetadata(p.settings, callbackUrl(ctx, p.slug), spEntityOf(ctx, p));
}
