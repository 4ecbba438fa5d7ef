// The browser-facing defences through the API: sign-in throttling (per account in the database, per
// address in the process), security headers, cross-site request refusal, proxies, cookies and sessions.
// The limits here are the real defaults: the fixture's raised ones are reset by passing ''.
import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { auditEvents, loginThrottles, sessions, users } from '../db/schema.js';
import type { App } from './types.js';
import { backends, openTestDatabase, type TestDatabase } from '../test/db.js';
import { as, makeAlliance, makeApp, PASSWORD, signIn, type Alliance } from '../test/fixture.js';

const REAL_LIMITS = { LOGIN_RATE_LIMIT_PER_MINUTE: '', PUBLIC_RATE_LIMIT_PER_MINUTE: '' };
const defaults = loadConfig({});

describe.each(backends)('browser-facing defences on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let address = 0;
  /** A fresh client address, so that one test's per-address count does not reach into another's. */
  const nextAddress = () => `192.0.2.${++address}`;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database, REAL_LIMITS);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const login = (username: string, password: string, remoteAddress = nextAddress(), headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress, headers });

  const audit = (action: string, entityId: string) =>
    database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, action), eq(auditEvents.entityId, entityId)));

  describe('sign-in throttling', () => {
    it('answers 429 with Retry-After once an account has had too many failures, known and unknown names alike', async () => {
      const max = defaults.login.maxFailures;
      expect(max).toBe(5);
      const answers: Record<string, { status: number; retryAfter: unknown; body: Record<string, unknown> }> = {};
      for (const name of ['bob', 'nobody-at-all']) {
        for (let i = 0; i < max; i++) expect((await login(name, 'wrong-password')).statusCode).toBe(401); // each from another address
        const locked = await login(name, name === 'bob' ? PASSWORD : 'wrong-password');
        expect(locked.headers['content-type']).toMatch(/^application\/problem\+json/);
        answers[name] = { status: locked.statusCode, retryAfter: locked.headers['retry-after'], body: locked.json() };
      }
      for (const a of Object.values(answers)) {
        expect(a.status).toBe(429);
        expect(Number(a.retryAfter)).toBeGreaterThan(0);
        expect(Number(a.retryAfter)).toBeLessThanOrEqual(defaults.login.lockSeconds);
        expect(a.body).toMatchObject({ status: 429, code: 'login_throttled' });
      }
      // nothing tells a known name from an unknown one
      const { retryAfter: _1, ...bob } = answers.bob!.body;
      const { retryAfter: _2, ...nobody } = answers['nobody-at-all']!.body;
      expect(bob).toEqual(nobody);

      for (const name of ['bob', 'nobody-at-all']) {
        const [event] = await audit('auth.login_locked', name);
        expect(event, name).toBeDefined();
        expect(event!.details).toMatchObject({ failures: max, seconds: defaults.login.lockSeconds });
      }

      // the lock holds in the database: once it has passed, the right password works and clears the count
      await database.db
        .update(loginThrottles)
        .set({ lockedUntil: new Date(Date.now() - 1000) })
        .where(eq(loginThrottles.username, 'bob'));
      expect((await login('bob', PASSWORD)).statusCode).toBe(200);
      expect(await database.db.select().from(loginThrottles).where(eq(loginThrottles.username, 'bob'))).toEqual([]);

      // a further failure after a lock locks again, for twice as long
      await database.db
        .update(loginThrottles)
        .set({ lockedUntil: new Date(Date.now() - 1000) })
        .where(eq(loginThrottles.username, 'nobody-at-all'));
      expect((await login('nobody-at-all', 'wrong-password')).statusCode).toBe(401);
      const again = await login('NOBODY-AT-ALL', 'wrong-password');
      expect(again.statusCode).toBe(429);
      expect(Number(again.headers['retry-after'])).toBeGreaterThan(defaults.login.lockSeconds);

      // names tried long ago and not locked now are forgotten; a locked one is kept
      const { pruneLoginThrottles } = await import('../modules/auth/store.js');
      const old = new Date(Date.now() - 60 * 60_000);
      await database.db.insert(loginThrottles).values({ username: 'long-ago', failures: 1, lastFailureAt: old });
      await database.db.update(loginThrottles).set({ lastFailureAt: old }).where(eq(loginThrottles.username, 'nobody-at-all'));
      await pruneLoginThrottles(database.db, new Date(Date.now() - 15 * 60_000));
      const left = (await database.db.select().from(loginThrottles)).map((r) => r.username);
      expect(left).toContain('nobody-at-all');
      expect(left).not.toContain('long-ago');
    });

    it('limits sign-in attempts per client address, and records it', async () => {
      const from = nextAddress();
      const limit = defaults.login.perAddressPerMinute;
      expect(limit).toBe(30);
      for (let i = 0; i < limit; i++) expect((await login(`spray-${i}`, 'wrong-password', from)).statusCode).toBe(401);
      const refused = await login('alice', PASSWORD, from);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ status: 429, code: 'rate_limited' });
      expect((await login('alice', PASSWORD)).statusCode).toBe(200); // another address is not affected
      expect(await audit('auth.login_rate_limited', from)).toHaveLength(1);
      expect((await login('alice', PASSWORD, from)).statusCode).toBe(429);
      expect(await audit('auth.login_rate_limited', from)).toHaveLength(1); // once per address per minute
    });

    it('limits the public endpoints that cost work per client address', async () => {
      const limit = defaults.publicRateLimitPerMinute;
      for (const [method, url] of [
        ['POST', '/api/v1/credentials/verify'],
        ['POST', '/api/v1/presentations/verify'],
        ['POST', '/api/v1/transfer-checks'],
        ['GET', '/api/v1/standards?q=x'],
        ['GET', `/api/v1/institutions/${fx.a.id}/courses?q=x`],
        ['GET', '/api/v1/shares/not-a-real-share'],
      ] as const) {
        const res = await app.inject({ method, url, payload: method === 'POST' ? {} : undefined, remoteAddress: nextAddress() });
        expect(res.headers['x-ratelimit-limit'], url).toBe(String(limit));
      }
      const browsing = await app.inject({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/courses`, remoteAddress: nextAddress() });
      expect(browsing.headers['x-ratelimit-limit']).toBeUndefined(); // a listing counts only when it searches
      const from = nextAddress();
      for (let i = 0; i < limit; i++)
        expect((await app.inject({ method: 'POST', url: '/api/v1/credentials/verify', payload: {}, remoteAddress: from })).statusCode).toBe(400);
      const refused = await app.inject({ method: 'POST', url: '/api/v1/credentials/verify', payload: {}, remoteAddress: from });
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await app.inject({ method: 'GET', url: '/api/health', remoteAddress: from })).statusCode).toBe(200); // other routes are not limited
    });
  });

  describe('security headers', () => {
    const expectHeaders = (headers: Record<string, unknown>) => {
      const csp = String(headers['content-security-policy']);
      const directives = Object.fromEntries(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([k, ...v]) => [k, v]),
      );
      expect(directives['default-src']).toEqual(["'self'"]);
      expect(directives['script-src']).toEqual(["'self'"]);
      expect(directives['frame-ancestors']).toEqual(["'none'"]);
      expect(directives['object-src']).toEqual(["'none'"]);
      expect(directives['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['referrer-policy']).toBe('no-referrer');
    };

    it('sends them on API answers, errors included, and HSTS only when the bank is reached over https', async () => {
      for (const url of ['/api/health', '/api/v1/auth/me', '/api/v1/nothing-here']) {
        const res = await app.inject({ method: 'GET', url });
        expectHeaders(res.headers);
        expect(res.headers['strict-transport-security']).toBeUndefined();
      }
      const tls = await makeApp(database, { PUBLIC_URL: 'https://bank.example.edu.cn' });
      try {
        const res = await tls.inject({ method: 'GET', url: '/api/health' });
        expectHeaders(res.headers);
        expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
        expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      } finally {
        await tls.close();
      }
    });

    const built = path.resolve('dist/web/index.html');
    it.skipIf(!fs.existsSync(built))('sends them on the web app, whose page has no inline script', async () => {
      for (const url of ['/', '/learner/account']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/text\/html/);
        expectHeaders(res.headers);
      }
      const html = fs.readFileSync(built, 'utf8');
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc=/);
      expect(html).not.toMatch(/\son[a-z]+=/i);
    });
  });

  describe('cross-site requests', () => {
    let cookie: string;
    let registrar: ReturnType<typeof as>;
    let n = 0;
    const newCourse = () => ({ code: `CSRF${++n}`, titleZh: '课程', titleEn: 'Course', credits: '1', hours: 16, iscedCode: '0613' });
    beforeAll(async () => {
      cookie = await signIn(app, 'registrar.a');
      registrar = as(app, { cookie });
    });

    it('refuses a state-changing request made with the session cookie from another site, naming why', async () => {
      for (const headers of [
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site', origin: 'https://other.example.edu.cn' },
        { origin: 'https://evil.example' },
        { origin: 'null' },
      ]) {
        const res = await registrar({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/courses`, headers, payload: newCourse() });
        expect(res.statusCode, JSON.stringify(headers)).toBe(403);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        const body = res.json();
        expect(body.code).toBe('cross_site_request');
        expect(body.errors[0].path).toBe(headers['sec-fetch-site'] ? 'headers.sec-fetch-site' : 'headers.origin');
        expect(body.detail).toMatch(/Cross-site request refused/);
      }
      // nor may another site sign a browser in (login CSRF) or out
      expect((await login('alice', PASSWORD, undefined, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
      expect((await registrar({ method: 'POST', url: '/api/v1/auth/logout', headers: { origin: 'https://evil.example' } })).statusCode).toBe(403);
      expect((await registrar({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    });

    it('accepts same-origin requests, reads, and bearer-token calls', async () => {
      const publicUrl = loadConfig({ NODE_ENV: 'test' }).publicUrl;
      for (const headers of [
        { 'sec-fetch-site': 'same-origin', origin: publicUrl },
        { origin: publicUrl },
        { origin: 'http://localhost:80', host: 'localhost:80' },
        {},
      ]) {
        const res = await registrar({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/courses`, headers, payload: newCourse() });
        expect(res.statusCode, JSON.stringify(headers)).toBe(201);
      }
      expect((await registrar({ method: 'GET', url: '/api/v1/auth/me', headers: { 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(200);
      const { token } = (await registrar({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/api-tokens`, payload: { name: 'csrf test' } })).json();
      const system = as(app, { token });
      const result = { externalId: 'A001', courseCode: 'MA101', term: '2023-2024-1', grade: '75', completedOn: '2024-01-15' };
      const res = await system({
        method: 'POST',
        url: `/api/v1/institutions/${fx.a.id}/outcomes`,
        headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example', cookie },
        payload: result,
      });
      expect(res.statusCode).toBe(201);
    });
  });

  describe('proxies and cookies', () => {
    const lockFrom = async (target: App, name: string) => {
      for (let i = 0; i < defaults.login.maxFailures; i++) {
        await target.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: name, password: 'wrong-password' },
          remoteAddress: '10.1.2.3',
          headers: { 'x-forwarded-for': '203.0.113.9' },
        });
      }
      const [event] = await audit('auth.login_locked', name);
      return event!.details as { from: string };
    };

    it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
      expect((await lockFrom(app, 'proxy-untrusted')).from).toBe('10.1.2.3');
      const behind = await makeApp(database, { ...REAL_LIMITS, TRUST_PROXY: '10.0.0.0/8' });
      try {
        expect((await lockFrom(behind, 'proxy-trusted')).from).toBe('203.0.113.9');
      } finally {
        await behind.close();
      }
      expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
      expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
      expect(loadConfig({}).trustProxy).toBe(false);
    });

    it('makes the session cookie Secure when the bank is reached over https', async () => {
      const plain = (await login('alice', PASSWORD)).cookies.find((c) => c.name === 'cb_session')!;
      expect(plain.secure).toBeFalsy();
      const tls = await makeApp(database, { PUBLIC_URL: 'https://bank.example.edu.cn' });
      try {
        const res = await tls.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'alice', password: PASSWORD } });
        const cookie = res.cookies.find((c) => c.name === 'cb_session')!;
        expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
      } finally {
        await tls.close();
      }
    });
  });

  describe('sessions', () => {
    const userId = async (username: string) => (await database.db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;

    it('end after inactivity, and are kept alive by use', async () => {
      expect(defaults.sessionIdleMinutes).toBe(30);
      const reviewer = as(app, { cookie: await signIn(app, 'reviewer.b') });
      const id = await userId('reviewer.b');
      await database.db
        .update(sessions)
        .set({ lastSeenAt: new Date(Date.now() - 29 * 60_000) })
        .where(eq(sessions.userId, id));
      expect((await reviewer({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
      const [touched] = await database.db.select().from(sessions).where(eq(sessions.userId, id));
      expect(Date.now() - touched!.lastSeenAt.getTime()).toBeLessThan(60_000); // the use renewed it
      await database.db
        .update(sessions)
        .set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) })
        .where(eq(sessions.userId, id));
      expect((await reviewer({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    });

    it('end absolutely after SESSION_TTL_HOURS, however active', async () => {
      const reviewer = as(app, { cookie: await signIn(app, 'reviewer.a') });
      const id = await userId('reviewer.a');
      const [s] = await database.db.select().from(sessions).where(eq(sessions.userId, id));
      expect(s!.expiresAt.getTime() - s!.createdAt.getTime()).toBeCloseTo(defaults.sessionTtlHours * 3_600_000, -4);
      await database.db
        .update(sessions)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(sessions.userId, id));
      expect((await reviewer({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    });

    it('all end with "log out everywhere"', async () => {
      const first = as(app, { cookie: await signIn(app, 'committee') });
      const second = as(app, { cookie: await signIn(app, 'committee') });
      const other = as(app, { cookie: await signIn(app, 'registrar.b') });
      const res = await second({ method: 'POST', url: '/api/v1/auth/logout-all' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ sessionsEnded: 2 });
      expect(res.cookies.find((c) => c.name === 'cb_session')?.value).toBe('');
      expect((await first({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
      expect((await second({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
      expect((await other({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
      expect(await audit('auth.logout_all', await userId('committee'))).toHaveLength(1);
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout-all' })).statusCode).toBe(401);
    });
  });
});
