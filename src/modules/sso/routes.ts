// Single sign-on over HTTP: the login redirect and the callbacks (GET for CAS and OIDC, a form POST
// for SAML), SP metadata, the login page's buttons, administrators' provider settings, and a user's
// linked sign-ins. A callback ends in the bank's ordinary session cookie, or back at the login page
// with ?sso_error=<code>.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PUBLIC } from '../../http/guards.js';
import { SESSION_COOKIE, type App, type Deps } from '../../http/types.js';
import { trustOf } from '../credentials/trust.js';
import { idParams } from '../institutions/schema.js';
import * as service from './service.js';

/** The cookie that binds a sign-in under way to the browser that began it. */
export const SSO_BROWSER_COOKIE = 'cb_sso';
const slugParams = z.object({ provider: z.string().min(1).max(63) });
const slug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and -, 2–63 characters');

const providerView = z.object({
  id: z.uuid(),
  institutionId: z.uuid(),
  slug: z.string(),
  kind: z.enum(['cas', 'oidc', 'saml']),
  nameZh: z.string(),
  nameEn: z.string(),
  enabled: z.boolean(),
  jitStaff: z.boolean(),
  settings: z.record(z.string(), z.string()),
  hasSecret: z.boolean(),
  mapping: service.mappingSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
const providerBody = z.object({
  slug,
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  enabled: z.boolean().optional(),
  jitStaff: z.boolean().optional().describe('make staff accounts on first sign-in, with the roles the mapping gives (default false)'),
  mapping: service.mappingSchema.optional(),
  protocol: service.providerInput,
});

export async function ssoRoutes(app: App, { database: { db }, config }: Deps) {
  const ctx: service.Ctx = { trust: trustOf(config), publicUrl: config.publicUrl, sessionTtlHours: config.sessionTtlHours, production: config.production };
  const secureCookie = config.publicUrl.startsWith('https:') || config.production;
  const loginPage = (code: string) => `/login?sso_error=${encodeURIComponent(code)}`;

  const finish = async (
    req: { ip: string; cookies: Record<string, string | undefined>; url: string },
    reply: import('fastify').FastifyReply,
    provider: string,
    input: { query?: Record<string, string>; form?: Record<string, string> },
  ) => {
    try {
      const rawQuery = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      const r = await service.finishSignIn(db, ctx, provider, { ...input, rawQuery, browserToken: req.cookies[SSO_BROWSER_COOKIE], from: req.ip });
      reply.clearCookie(SSO_BROWSER_COOKIE, { path: '/api/v1/auth/sso', httpOnly: true, sameSite: 'lax', secure: secureCookie });
      if (r.kind === 'session') {
        reply.setCookie(SESSION_COOKIE, r.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie, expires: r.expiresAt });
        return reply.redirect(r.returnTo, 303);
      }
      const to = new URL(r.returnTo === '/' ? '/account' : r.returnTo, 'http://x');
      to.searchParams.set('sso_linked', provider);
      return reply.redirect(`${to.pathname}${to.search}`, 303);
    } catch (e) {
      if (e instanceof service.SsoError) {
        if (!e.returnTo) return reply.redirect(loginPage(e.code), 303);
        const to = new URL(e.returnTo, 'http://x');
        to.searchParams.set('sso_error', e.code);
        return reply.redirect(`${to.pathname}${to.search}`, 303);
      }
      throw e;
    }
  };

  // Everything under this plugin shares a form-body parser (the SAML POST binding); the rest of the app stays JSON only.
  await app.register(async (sso: App) => {
    sso.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1_000_000 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    sso.get(
      '/api/v1/auth/sso/providers',
      {
        schema: {
          security: PUBLIC,
          tags: ['sso'],
          summary: "Institutions' sign-in buttons: the enabled identity providers",
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  slug: z.string(),
                  kind: z.enum(['cas', 'oidc', 'saml']),
                  nameZh: z.string(),
                  nameEn: z.string(),
                  institutionId: z.uuid(),
                  institutionCode: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async () => ({ items: await service.publicProviders(db) }),
    );

    sso.get(
      '/api/v1/auth/sso/:provider/login',
      {
        schema: {
          security: PUBLIC,
          tags: ['sso'],
          summary: 'Begin signing in through an identity provider: redirects there (with link=1, links it to the signed-in account instead)',
          params: slugParams,
          querystring: z.object({ link: z.enum(['0', '1']).optional(), returnTo: z.string().max(500).optional() }),
        },
      },
      async (req, reply) => {
        const browserToken = randomBytes(24).toString('base64url');
        try {
          const url = await service.beginSignIn(db, ctx, req.params.provider, {
            browserToken,
            principal: req.principal,
            link: req.query.link === '1',
            returnTo: req.query.returnTo,
          });
          reply.setCookie(SSO_BROWSER_COOKIE, browserToken, { path: '/api/v1/auth/sso', httpOnly: true, sameSite: 'lax', secure: secureCookie, maxAge: 600 });
          return reply.redirect(url, 302);
        } catch (e) {
          if (e instanceof service.SsoError) return reply.redirect(loginPage(e.code), 303);
          throw e;
        }
      },
    );

    sso.get(
      '/api/v1/auth/sso/:provider/callback',
      {
        schema: {
          security: PUBLIC,
          tags: ['sso'],
          summary: 'Where CAS (ticket) and OpenID Connect (code) send the browser back; ends in a session and a redirect',
          params: slugParams,
          // any parameters a provider sends back (an object, not a record: OpenAPI lists no bogus parameters)
          querystring: z.object({}).catchall(z.string()),
        },
      },
      async (req, reply) => finish(req, reply, req.params.provider, { query: req.query }),
    );

    sso.post(
      '/api/v1/auth/sso/:provider/callback',
      {
        schema: {
          security: PUBLIC,
          tags: ['sso'],
          summary: 'SAML assertion consumer (HTTP-POST binding): a signed assertion answering a request of this bank ends in a session',
          params: slugParams,
          body: z.record(z.string(), z.string()),
        },
      },
      async (req, reply) => finish(req, reply, req.params.provider, { form: req.body }),
    );

    sso.get(
      '/api/v1/auth/sso/:provider/metadata',
      { schema: { security: PUBLIC, tags: ['sso'], summary: "A SAML provider's service-provider metadata, to give the IdP", params: slugParams } },
      async (req, reply) => reply.type('application/samlmetadata+xml').send(await service.spMetadata(db, ctx, req.params.provider)),
    );
  });

  const identityView = z.object({
    providerId: z.uuid(),
    slug: z.string(),
    kind: z.enum(['cas', 'oidc', 'saml']),
    nameZh: z.string(),
    nameEn: z.string(),
    institutionId: z.uuid(),
    subject: z.string(),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
  });
  app.get(
    '/api/v1/auth/sso/identities',
    { schema: { tags: ['sso'], summary: "The signed-in user's linked institution sign-ins", response: { 200: z.object({ items: z.array(identityView) }) } } },
    async (req) => ({ items: await service.myIdentities(db, req.principal) }),
  );
  app.delete(
    '/api/v1/auth/sso/identities/:id',
    { schema: { tags: ['sso'], summary: "Unlink one of the signed-in user's institution sign-ins (by provider id)", params: idParams } },
    async (req, reply) => {
      await service.unlink(db, req.principal, req.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/institutions/:id/sso-providers',
    {
      schema: {
        tags: ['sso'],
        summary: "An institution's identity providers (administrators; never the secrets)",
        params: idParams,
        response: { 200: z.object({ items: z.array(providerView) }) },
      },
    },
    async (req) => ({ items: await service.listProviders(db, req.principal, req.params.id) }),
  );
  app.post(
    '/api/v1/institutions/:id/sso-providers',
    {
      schema: {
        tags: ['sso'],
        summary: 'Add an identity provider (CAS, OIDC or SAML) for an institution (administrators)',
        params: idParams,
        body: providerBody,
        response: { 201: providerView },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await service.createProvider(db, ctx, req.principal, req.params.id, { ...req.body, protocol: req.body.protocol })),
  );
  app.put(
    '/api/v1/sso-providers/:id',
    {
      schema: {
        tags: ['sso'],
        summary: 'Change an identity provider (administrators); a client secret left out is kept',
        params: idParams,
        body: providerBody,
        response: { 200: providerView },
      },
    },
    async (req) => service.updateProvider(db, ctx, req.principal, req.params.id, req.body),
  );
}
