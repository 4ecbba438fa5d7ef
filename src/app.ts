// Builds the Fastify app from the modules. No listen here: tests use app.inject.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { problem, sendProblem, toProblem } from './http/problem.js';
import { SESSION_COOKIE, type App, type Deps } from './http/types.js';
import { accountRoutes } from './modules/accounts/routes.js';
import { accountLifecycleRoutes } from './modules/accounts-lifecycle/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { idempotency } from './modules/idempotency/hooks.js';
import { ops, requestId } from './http/ops.js';
import { redactedLogger } from './http/logging.js';
import { guards, PUBLIC } from './http/guards.js';
import { security } from './http/security.js';
import { trustOf } from './modules/credentials/trust.js';
import { openLog } from './modules/log/service.js';
import { sweepOldUploads, watchInterruptedImports } from './modules/imports/jobs.js';
import { ANONYMOUS, requireTokenScope } from './modules/auth/principal.js';
import { authRoutes } from './modules/auth/routes.js';
import { principalFromApiToken, principalFromSession } from './modules/auth/service.js';
import { SessionCache } from './modules/auth/session-cache.js';
import { listen } from './db/listen.js';
import { catalogRoutes } from './modules/catalog/routes.js';
import { certificationRoutes } from './modules/certification/routes.js';
import { credentialRoutes } from './modules/credentials/routes.js';
import { europeRoutes } from './modules/europe/routes.js';
import { institutionRoutes } from './modules/institutions/routes.js';
import { learnerRoutes } from './modules/learners/routes.js';
import { importRoutes } from './modules/imports/routes.js';
import { invitationRoutes } from './modules/invitations/routes.js';
import { outcomeRoutes } from './modules/outcomes/routes.js';
import { logRoutes } from './modules/log/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { startMailWorker } from './modules/notifications/sender.js';
import { privacyRoutes } from './modules/privacy/routes.js';
import { qualificationRoutes } from './modules/qualifications/routes.js';
import { startQualityJobs } from './modules/quality/jobs.js';
import { qualityRoutes } from './modules/quality/routes.js';
import { recognitionRoutes } from './modules/recognition/routes.js';
import { ssoRoutes } from './modules/sso/routes.js';
import { workbenchRoutes } from './modules/workbench/routes.js';
import { permissionRoutes } from './policies/http.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built web app: beside the compiled server (dist/web) or, from source, in ../dist/web. */
const webDir = [path.join(here, 'web'), path.join(here, '../dist/web')].find((d) => fs.existsSync(path.join(d, 'index.html')));

const version: string = JSON.parse(fs.readFileSync(path.join(here, '..', 'package.json'), 'utf8')).version;

export async function buildApp(deps: Deps, options: { logger?: FastifyServerOptions['logger'] } = {}): Promise<App> {
  const app = Fastify({
    logger: redactedLogger(options.logger ?? false), // no share ids, tokens or cookies in the log
    bodyLimit: deps.config.bodyLimit,
    // X-Forwarded-* is believed only from the proxies TRUST_PROXY names (none by default)
    trustProxy: deps.config.trustProxy,
    // every log line of a request carries its id (reqId), sent back as X-Request-Id
    genReqId: requestId,
    requestIdHeader: false,
    // one line per request, when it is answered (ops.ts), instead of Fastify's two
    logController: new LogController({ disableRequestLogging: true }),
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.removeContentTypeParser('text/plain'); // JSON only: other bodies get 415
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err, req, reply) => {
    const { problem: p, unexpected } = toProblem(err, req);
    if (unexpected) req.log.error({ err }, 'unexpected error');
    if (typeof p.retryAfter === 'number') reply.header('retry-after', String(p.retryAfter));
    return sendProblem(reply, { ...p, instance: req.url });
  });
  app.setNotFoundHandler((req, reply) => {
    // The web app's own routes (no file extension) get index.html; a missing asset or API route is a 404.
    const pathname = req.url.split('?')[0]!;
    if (req.method === 'GET' && webDir && !pathname.startsWith('/api/') && !pathname.startsWith('/issuers/') && !/\.[a-z0-9]+$/i.test(pathname)) {
      return reply.type('text/html').sendFile('index.html', webDir);
    }
    return sendProblem(reply, { ...problem(404, `No route ${req.method} ${pathname}`, [], 'no_route'), instance: req.url });
  });

  await ops(app, deps); // first: X-Request-Id on every answer; /api/ready and /metrics
  await app.register(cookie);
  await security(app, deps);
  await app.register(multipart, { limits: { fileSize: deps.config.uploadLimitBytes, files: 1, fields: 5 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Credit Bank API (学分银行)',
        version,
        description: 'Lifelong learning accounts, the credit ledger, the catalogue, and institution data exchange. Errors are application/problem+json.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          apiToken: { type: 'http', scheme: 'bearer', description: "An institution's API token (cbk_…)" },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject, // named (recursive) schemas become components
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const { db } = deps.database;
  // Sessions are held for a few seconds; the database's principal_changed notifications (migration
  // 0030) drop a user's at once. A change this process made is heard before its answer goes out, so
  // the caller's next request sees it; other processes hear it within milliseconds.
  const sessions = new SessionCache();
  const changes = await listen(deps.database, 'principal_changed', {
    message: (userId) => sessions.dropUser(userId),
    ready: () => sessions.start(),
    lost: () => sessions.stop(),
  });
  app.addHook('onClose', () => changes.close());
  app.addHook('onSend', async (req, _reply, payload) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') await changes.sync();
    return payload;
  });
  app.decorateRequest('principal', { getter: () => ANONYMOUS, setter: () => {} } as never);
  app.addHook('onRequest', async (req) => {
    // the caller matters to the API alone: the web app's files, /metrics (its bearer token is
    // METRICS_TOKEN, not an API token) and did:web documents cost no session look-up
    if (!req.url.startsWith('/api/')) return;
    const auth = req.headers.authorization;
    let principal = ANONYMOUS;
    if (auth?.startsWith('Bearer ')) principal = await principalFromApiToken(db, auth.slice(7).trim());
    else if (req.cookies[SESSION_COOKIE]) principal = await principalFromSession(db, req.cookies[SESSION_COOKIE], deps.config.sessionIdleMinutes, sessions);
    requireTokenScope(principal, req.method, req.routeOptions.url); // an API token's scopes, decided here for every route
    Object.defineProperty(req, 'principal', { value: principal, writable: false, configurable: true });
  });
  guards(app); // after the principal is known: private routes refuse anonymous callers before parsing anything
  idempotency(app, db);
  await openLog(db, trustOf(deps.config));

  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        security: PUBLIC,
        response: { 200: z.object({ status: z.literal('ok'), version: z.string(), database: z.enum(['pglite', 'postgres']) }) },
      },
    },
    async () => {
      await db.execute(sql`select 1`);
      return { status: 'ok' as const, version, database: deps.database.backend };
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const routes of [
    authRoutes,
    accountLifecycleRoutes,
    institutionRoutes,
    catalogRoutes,
    learnerRoutes,
    invitationRoutes,
    accountRoutes,
    outcomeRoutes,
    auditRoutes,
    importRoutes,
    certificationRoutes,
    recognitionRoutes,
    qualificationRoutes,
    logRoutes,
    credentialRoutes,
    europeRoutes,
    qualityRoutes,
    privacyRoutes,
    notificationRoutes,
    ssoRoutes,
    workbenchRoutes,
    permissionRoutes,
  ]) {
    await routes(app, deps);
  }
  startQualityJobs(app, deps);
  startMailWorker(app, deps);
  watchInterruptedImports(app, deps);
  sweepOldUploads(app, deps);

  // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
  if (webDir) await app.register(fastifyStatic, { root: webDir, wildcard: true, index: ['index.html'] });
  return app;
}
