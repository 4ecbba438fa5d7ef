import { z } from 'zod';
import { PUBLIC } from '../../http/guards.js';
import { SESSION_COOKIE, type App, type Deps } from '../../http/types.js';
import { idParams } from '../institutions/schema.js';
import { me } from './schema.js';
import * as service from './service.js';

const scope = z.enum(['read', 'import', 'issue']);

export async function authRoutes(app: App, { database: { db }, config }: Deps) {
  // Secure whenever the bank is reached over https (and always in production)
  const secureCookie = config.publicUrl.startsWith('https:') || config.production;
  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        security: PUBLIC,
        tags: ['auth'],
        summary: 'Sign in; sets the session cookie',
        body: z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) }),
        response: {
          200: z.union([
            z.object({ user: me }),
            // staff with a second factor: POST the code with this challenge to /api/v1/auth/login/second-factor
            z.object({ secondFactor: z.object({ challenge: z.string(), expiresAt: z.string() }) }),
          ]),
        },
      },
    },
    async (req, reply) => {
      const s = await service.login(db, req.body.username, req.body.password, config.sessionTtlHours, config.login, req.ip);
      if ('secondFactor' in s) return { secondFactor: s.secondFactor };
      reply.setCookie(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie, expires: s.expiresAt });
      const principal = await service.principalFromSession(db, s.token, config.sessionIdleMinutes);
      return { user: await service.me(db, principal) };
    },
  );

  app.post('/api/v1/auth/logout', { schema: { security: PUBLIC, tags: ['auth'], summary: 'Sign out' } }, async (req, reply) => {
    await service.logout(db, req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie });
    return reply.code(204).send();
  });

  app.post(
    '/api/v1/auth/logout-all',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out everywhere: ends every session of the signed-in user',
        response: { 200: z.object({ sessionsEnded: z.number().int() }) },
      },
    },
    async (req, reply) => {
      const sessionsEnded = await service.logoutEverywhere(db, req.principal);
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie });
      return { sessionsEnded };
    },
  );

  app.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: me } } }, async (req) =>
    service.me(db, req.principal),
  );

  // POST /api/v1/users (creating a sign-in) lives with the other administrators' user routes, in accounts-lifecycle.

  const tokenView = z.object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    expiresAt: z.string(),
    scopes: z.array(scope),
  });

  app.get(
    '/api/v1/institutions/:id/api-tokens',
    {
      schema: {
        tags: ['auth'],
        summary: "An institution's API tokens (never their secrets)",
        params: idParams,
        response: { 200: z.object({ items: z.array(tokenView) }) },
      },
    },
    async (req) => ({ items: await service.listApiTokens(db, req.principal, req.params.id) }),
  );

  app.post(
    '/api/v1/institutions/:id/api-tokens',
    {
      schema: {
        tags: ['auth'],
        summary: "Issue an API token for the institution's academic-affairs system; the token is shown once",
        params: idParams,
        body: z.object({
          name: z.string().trim().min(1).max(100),
          expiresAt: z.iso.datetime({ offset: true }).optional().describe('when the token stops working; a year from now if not given'),
          scopes: z
            .array(scope)
            .min(1)
            .optional()
            .describe('read: GET routes; import: imports and the other data-exchange writes; issue: issuing and revoking credentials. Default read and import'),
        }),
        response: {
          201: z.object({
            id: z.uuid(),
            name: z.string(),
            prefix: z.string(),
            token: z.string(),
            createdAt: z.string(),
            expiresAt: z.string(),
            scopes: z.array(scope),
          }),
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await service.createApiToken(db, req.principal, req.params.id, req.body.name, {
          expiresAt: req.body.expiresAt ? new Date(req.body.expiresAt) : undefined,
          scopes: req.body.scopes,
        }),
      ),
  );

  app.delete('/api/v1/api-tokens/:id', { schema: { tags: ['auth'], summary: 'Revoke an API token', params: idParams } }, async (req, reply) => {
    await service.revokeApiToken(db, req.principal, req.params.id);
    return reply.code(204).send();
  });
}
