// The browser-facing defences every route shares: security headers (CSP and the rest), refusal of
// cross-site state-changing requests made with the session cookie, and per-address rate limits on
// sign-in and on the public endpoints that cost work. Register after @fastify/cookie, before routes.
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { AppError, tooManyRequests } from '../errors.js';
import { recordAudit } from '../modules/audit/service.js';
import { SESSION_COOKIE, type App, type Deps } from './types.js';

const LOGIN = '/api/v1/auth/login';
const SAML_CALLBACK = '/api/v1/auth/sso/:provider/callback';
/** Public account routes (accounts-lifecycle) that mail, hash or guess: limited per address as signing in is. */
const LOGIN_LIKE = new Set([
  '/api/v1/auth/signup',
  '/api/v1/auth/verify-email',
  '/api/v1/auth/password-reset',
  '/api/v1/auth/password-reset/complete',
  '/api/v1/auth/login/second-factor',
  '/api/v1/auth/activate',
]);

/**
 * Public routes that cost work (signature checks, rule evaluation, searches): limited per client
 * address. A listing counts only when it searches (`q`): browsing the catalogue stays free.
 */
const PUBLIC_COSTLY = new Map<string, 'always' | 'search'>([
  ['POST /api/v1/credentials/verify', 'always'],
  ['POST /api/v1/presentations/verify', 'always'],
  ['POST /api/v1/transfer-checks', 'always'],
  ['GET /api/v1/shares/:id', 'always'],
  // single sign-on: each start writes a sign-in under way; each callback asks the identity provider
  ['GET /api/v1/auth/sso/:provider/login', 'always'],
  ['GET /api/v1/auth/sso/:provider/callback', 'always'],
  ['POST /api/v1/auth/sso/:provider/callback', 'always'],
  ['GET /api/v1/institutions/:id/courses', 'search'],
  ['GET /api/v1/standards', 'search'],
]);
const notSearching = (req: FastifyRequest) => !(req.query as { q?: unknown } | undefined)?.q;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    rateLimited?: boolean;
  }
}

/**
 * Why a request made by a browser on another site's behalf is refused, or undefined when it is not.
 * Sec-Fetch-Site (sent by every current browser) is believed first; without it the Origin must be
 * the bank's own (PUBLIC_URL's, or the one the request was addressed to). A request with neither
 * header did not come from a browser's cross-site form or script, and passes.
 */
export function crossSiteReason(req: FastifyRequest, publicOrigin: string): { path: string; message: string } | undefined {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') {
    return site === 'same-origin' || site === 'none'
      ? undefined
      : { path: 'headers.sec-fetch-site', message: `a ${site} request may not use the session cookie` };
  }
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return undefined;
  if (origin === publicOrigin || origin === `${req.protocol}://${req.host}`) return undefined;
  return { path: 'headers.origin', message: `requests from ${origin === 'null' ? 'an opaque origin' : origin} may not use the session cookie` };
}

export async function security(app: App, { config, database: { db } }: Deps) {
  const https = config.publicUrl.startsWith('https:');
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // Ant Design writes its styles at run time (CSS-in-JS): inline styles, never inline scripts
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // only where the bank is reached over https: on plain http the header would be ignored or, worse, remembered
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });

  // CSRF: SameSite=Lax still sends the cookie with a form POST from a sibling subdomain (same site).
  // Bearer-token calls carry no ambient credential and are exempt; signing in is checked too (login CSRF).
  const publicOrigin = new URL(config.publicUrl).origin;
  app.addHook('onRequest', async (req) => {
    if (!STATE_CHANGING.has(req.method) || req.headers.authorization?.startsWith('Bearer ')) return;
    if (!req.cookies[SESSION_COOKIE] && req.routeOptions.url !== LOGIN) return;
    // the SAML POST binding is cross-site by design: that route acts on nothing but a signed assertion answering a request of this bank, never on the cookie
    if (req.routeOptions.url === SAML_CALLBACK) return;
    const reason = crossSiteReason(req, publicOrigin);
    if (reason) {
      throw new AppError('forbidden', `Cross-site request refused: ${reason.message}`, [reason], { code: 'cross_site_request' });
    }
  });

  // Per-address limits, attached to the routes above as they are declared (before the plugin's own onRoute).
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const costly = PUBLIC_COSTLY.get(`${method} ${route.url}`);
      if ((route.url === LOGIN || LOGIN_LIKE.has(route.url)) && method === 'POST')
        route.config = { ...route.config, rateLimit: { max: config.login.perAddressPerMinute, timeWindow: 60_000 } };
      else if (costly) {
        route.config = {
          ...route.config,
          rateLimit: { max: config.publicRateLimitPerMinute, timeWindow: 60_000, ...(costly === 'search' ? { allowList: notSearching } : {}) },
        };
      }
    }
  });
  await app.register(rateLimit, {
    global: false,
    onExceeded: (req) => {
      req.rateLimited = true;
    },
    errorResponseBuilder: (_req, ctx) => tooManyRequests(`Too many requests from this address; try again in ${ctx.after}`, ctx.ttl / 1000),
  });

  // A sign-in flood from one address goes into the audit trail, once per address per minute per process.
  const audited = new Map<string, number>();
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.rateLimited || reply.statusCode !== 429 || req.routeOptions.url !== LOGIN) return payload;
    const now = Date.now();
    if ((audited.get(req.ip) ?? 0) > now) return payload;
    if (audited.size > 10_000) for (const [ip, until] of audited) if (until <= now) audited.delete(ip);
    audited.set(req.ip, now + 60_000);
    await recordAudit(db, [
      {
        actorUserId: null,
        actorTokenId: null,
        institutionId: null,
        action: 'auth.login_rate_limited',
        entityType: 'address',
        entityId: req.ip,
        details: { limitPerMinute: config.login.perAddressPerMinute },
      },
    ]);
    return payload;
  });
}
