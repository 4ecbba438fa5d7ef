// Sign-in, sessions, API tokens, and who may do what: the authorisation matrix through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, PASSWORD, signIn, type Alliance } from '../../test/fixture.js';

describe.each(backends)('authentication and authorisation on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  const callers: Record<string, ReturnType<typeof as>> = {};

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    for (const u of ['admin', 'registrar.a', 'registrar.b', 'reviewer.a', 'committee', 'alice', 'bob']) callers[u] = as(app, { cookie: await signIn(app, u) });
    callers.anonymous = as(app);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('signs in with the right password only, and says nothing about which part was wrong', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'alice', password: 'nope-nope-nope' } });
    const nobody = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: PASSWORD } });
    expect(wrong.statusCode).toBe(401);
    expect(nobody.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(nobody.json().detail);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ALICE', password: PASSWORD } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ username: 'alice', learnerId: fx.alice.id, roles: [{ role: 'learner' }] });
    const cookie = ok.cookies.find((c) => c.name === 'cb_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
  });

  it('stores passwords as argon2id hashes', async () => {
    const { findUserByUsername } = await import('./store.js');
    const u = await findUserByUsername(database.db, 'alice');
    expect(u!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('ends the session on logout', async () => {
    const cookie = await signIn(app, 'bob');
    const bob = as(app, { cookie });
    expect((await bob({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    expect((await bob({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    expect((await bob({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });

  it('gives an anonymous caller 401 on private routes and 200 on public ones', async () => {
    const anon = callers.anonymous!;
    for (const url of [
      '/api/v1/auth/me',
      '/api/v1/me/account',
      `/api/v1/learners/${fx.alice.id}/account`,
      `/api/v1/learners/${fx.alice.id}/ledger`,
      `/api/v1/institutions/${fx.a.id}/learners`,
      '/api/v1/audit-events',
    ]) {
      const res = await anon({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    const post = await anon({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/outcomes`,
      payload: { externalId: 'A001', courseCode: 'CS101', term: '2023-2024-1', grade: '90', completedOn: '2024-01-15' },
    });
    expect(post.statusCode).toBe(401);
    expect((await anon({ method: 'GET', url: '/api/v1/institutions' })).statusCode).toBe(200);
    expect((await anon({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/courses` })).statusCode).toBe(200);
  });

  it('does not let a learner read another learner’s account (not even learn that it exists)', async () => {
    const own = await callers.alice!({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/account` });
    expect(own.statusCode).toBe(200);
    for (const url of [`/api/v1/learners/${fx.bob.id}/account`, `/api/v1/learners/${fx.bob.id}/ledger`]) {
      expect((await callers.alice!({ method: 'GET', url })).statusCode).toBe(404);
    }
  });

  it('lets staff read the accounts of their own institution’s learners only', async () => {
    expect((await callers['registrar.a']!({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/account` })).statusCode).toBe(200);
    expect((await callers['reviewer.a']!({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/account` })).statusCode).toBe(200);
    expect((await callers['registrar.a']!({ method: 'GET', url: `/api/v1/learners/${fx.bob.id}/account` })).statusCode).toBe(404);
    expect((await callers.admin!({ method: 'GET', url: `/api/v1/learners/${fx.bob.id}/account` })).statusCode).toBe(200);
    expect((await callers['registrar.a']!({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/learners` })).statusCode).toBe(403);
    expect((await callers.alice!({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners` })).statusCode).toBe(403);
  });

  it('does not let a registrar change another institution’s catalogue', async () => {
    const course = { code: 'NEW1', titleZh: '新课', titleEn: 'New', credits: '2', hours: 32, iscedCode: '0613' };
    expect((await callers['registrar.a']!({ method: 'POST', url: `/api/v1/institutions/${fx.b.id}/courses`, payload: course })).statusCode).toBe(403);
    expect((await callers['registrar.a']!({ method: 'PATCH', url: `/api/v1/courses/${fx.courseB[0]!.id}`, payload: { titleEn: 'Hacked' } })).statusCode).toBe(
      403,
    );
    expect((await callers['reviewer.a']!({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/courses`, payload: course })).statusCode).toBe(403);
    expect((await callers.alice!({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/courses`, payload: course })).statusCode).toBe(403);
    const made = await callers['registrar.a']!({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/courses`, payload: course });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ code: 'NEW1', credits: '2', hourType: 'contact', version: 1 });
    const again = await callers['registrar.a']!({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/courses`, payload: course });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].path).toBe('body.code');
  });

  it('only lets administrators admit institutions and create users', async () => {
    const inst = { code: 'NEWU', nameZh: '新大学', nameEn: 'New University', kind: 'university', country: 'CN' };
    expect((await callers['registrar.a']!({ method: 'POST', url: '/api/v1/institutions', payload: inst })).statusCode).toBe(403);
    expect((await callers.committee!({ method: 'POST', url: '/api/v1/institutions', payload: inst })).statusCode).toBe(403);
    expect((await callers.admin!({ method: 'POST', url: '/api/v1/institutions', payload: inst })).statusCode).toBe(201);
    const user = { username: 'newstaff', password: 'long-enough-pw', displayName: 'New', grants: [{ role: 'registrar', institutionId: fx.a.id }] };
    expect((await callers['registrar.a']!({ method: 'POST', url: '/api/v1/users', payload: user })).statusCode).toBe(403);
    expect((await callers.admin!({ method: 'POST', url: '/api/v1/users', payload: user })).statusCode).toBe(201);
    const dup = await callers.admin!({ method: 'POST', url: '/api/v1/users', payload: user });
    expect(dup.statusCode).toBe(409);
    const scopeless = await callers.admin!({
      method: 'POST',
      url: '/api/v1/users',
      payload: { ...user, username: 'x-staff', grants: [{ role: 'registrar', institutionId: null }] },
    });
    expect(scopeless.statusCode).toBe(400);
  });

  it('issues institution API tokens that act only for their institution, until revoked', async () => {
    const made = await callers['registrar.a']!({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/api-tokens`, payload: { name: '教务系统 nightly' } });
    expect(made.statusCode).toBe(201);
    const { token, id } = made.json();
    expect(token).toMatch(/^cbk_[0-9a-f]{8}_/);
    expect((await callers['registrar.b']!({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/api-tokens`, payload: { name: 'x' } })).statusCode).toBe(403);

    const system = as(app, { token });
    const result = { externalId: 'A001', courseCode: 'CS101', term: '2023-2024-1', grade: '88', completedOn: '2024-01-15' };
    const ok = await system({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/outcomes`, payload: result });
    expect(ok.statusCode).toBe(201);
    const elsewhere = await system({
      method: 'POST',
      url: `/api/v1/institutions/${fx.b.id}/outcomes`,
      payload: { ...result, externalId: 'B001', courseCode: 'SW101', grade: '优' },
    });
    expect(elsewhere.statusCode).toBe(403);

    const list = await callers['registrar.a']!({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/api-tokens` });
    expect(JSON.stringify(list.json())).not.toContain(token);
    expect(list.json().items[0].lastUsedAt).not.toBeNull();

    // a token cannot mint, list or revoke tokens: a leaked one cannot outlive its revocation
    expect((await system({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/api-tokens`, payload: { name: 'spawn' } })).statusCode).toBe(403);
    expect((await system({ method: 'DELETE', url: `/api/v1/api-tokens/${id}` })).statusCode).toBe(403);
    // only administrators link an existing learner to another institution (it opens the whole account)
    expect(
      (
        await callers['registrar.b']!({
          method: 'POST',
          url: `/api/v1/institutions/${fx.b.id}/enrolments`,
          payload: { learnerId: fx.alice.id, externalId: 'B777' },
        })
      ).statusCode,
    ).toBe(403);
    expect((await callers['registrar.a']!({ method: 'DELETE', url: `/api/v1/api-tokens/${id}` })).statusCode).toBe(204);
    const after = await system({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/outcomes`, payload: { ...result, courseCode: 'MA101' } });
    expect(after.statusCode).toBe(401);
    expect((await as(app, { token: 'cbk_00000000_forged' })({ method: 'GET', url: '/api/v1/institutions' })).statusCode).toBe(401);
  });

  it('gives API tokens an expiry, scopes and a last use, and refuses a revoked one at once', async () => {
    const { apiTokens } = await import('../../db/schema.js');
    const { eq } = await import('drizzle-orm');
    const result = { externalId: 'A001', courseCode: 'CS101', term: '2023-2024-1', grade: '86', completedOn: '2024-01-15' };
    const issue = async (body: object) => {
      const res = await callers['registrar.a']!({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/api-tokens`, payload: { name: 'scoped', ...body } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; token: string; expiresAt: string; scopes: string[] };
    };
    // by default: a year, read and import
    const plain = await issue({});
    expect(plain.scopes).toEqual(['read', 'import']);
    expect(Math.round((Date.parse(plain.expiresAt) - Date.now()) / 86_400_000)).toBe(365);
    expect(
      (
        await callers['registrar.a']!({
          method: 'POST',
          url: `/api/v1/institutions/${fx.a.id}/api-tokens`,
          payload: { name: 'old', expiresAt: '2001-01-01T00:00:00Z' },
        })
      ).statusCode,
    ).toBe(400);

    // a read-only token reads but cannot write (403), nor issue credentials
    const reader = await issue({ scopes: ['read'], expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() });
    const readerCalls = as(app, { token: reader.token });
    expect((await readerCalls({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners` })).statusCode).toBe(200);
    const refused = await readerCalls({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/outcomes`, payload: result });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/import scope/);
    expect(
      (await readerCalls({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/imports/courses/rows`, payload: { mode: 'dry_run', rows: [{ code: 'X1' }] } }))
        .statusCode,
    ).toBe(403);
    expect((await as(app, { token: plain.token })({ method: 'POST', url: '/api/v1/credentials/issue', payload: {} })).statusCode).toBe(403);
    // an import token writes
    expect(
      (await as(app, { token: plain.token })({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/outcomes`, payload: { ...result, courseCode: 'MA101' } }))
        .statusCode,
    ).toBe(201);

    // the list shows expiry, scopes and last use (written at most once a minute)
    const listed = (await callers['registrar.a']!({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/api-tokens` })).json().items as {
      id: string;
      lastUsedAt: string | null;
      expiresAt: string;
      scopes: string[];
    }[];
    const seen = listed.find((t) => t.id === reader.id)!;
    expect(seen).toMatchObject({ scopes: ['read'], expiresAt: reader.expiresAt });
    expect(seen.lastUsedAt).not.toBeNull();
    await readerCalls({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners` });
    const [again] = await database.db.select({ lastUsedAt: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, reader.id));
    expect(again!.lastUsedAt!.toISOString()).toBe(seen.lastUsedAt);

    // expired: 401
    await database.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.id, reader.id));
    const expired = await readerCalls({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners` });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().detail).toMatch(/expired/);

    // revoked: the very next request is refused
    const importer = as(app, { token: plain.token });
    expect((await importer({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners` })).statusCode).toBe(200);
    expect((await callers['registrar.a']!({ method: 'DELETE', url: `/api/v1/api-tokens/${plain.id}` })).statusCode).toBe(204);
    expect((await importer({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners` })).statusCode).toBe(401);
  });

  it('keeps an audit trail that registrars see for their own institution only', async () => {
    const mine = (await callers['registrar.a']!({ method: 'GET', url: '/api/v1/audit-events?limit=200' })).json();
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((e: { institutionId: string }) => e.institutionId === fx.a.id)).toBe(true);
    expect(mine.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['api_token.create', 'outcome.record']));
    expect((await callers.alice!({ method: 'GET', url: '/api/v1/audit-events' })).statusCode).toBe(403);
    const all = (await callers.admin!({ method: 'GET', url: '/api/v1/audit-events?limit=2' })).json();
    expect(all.items).toHaveLength(2);
    const next = (await callers.admin!({ method: 'GET', url: `/api/v1/audit-events?limit=2&cursor=${all.nextCursor}` })).json();
    expect(next.items[0].id).toBeLessThan(all.items[1].id);
  });
});
