// Every problem+json answer carries a code from the documented list (src/error-codes.ts, docs/errors.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './types.js';
import { ERROR_CODES, isErrorCode, type ErrorCode } from '../error-codes.js';
import { backends, openTestDatabase, type TestDatabase } from '../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../test/fixture.js';

describe.each(backends)('problem codes on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let registrar: ReturnType<typeof as>;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    registrar = as(app, { cookie: await signIn(app, 'registrar.a') });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** The answer is a problem with the given status and code, and the code is documented with that status. */
  const expectCode = (res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, code: ErrorCode) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json() as { status: number; code: unknown; detail: string; errors?: { path: string }[] } & Record<string, unknown>;
    expect({ status: res.statusCode, code: body.code }, body.detail).toEqual({ status, code });
    expect(isErrorCode(body.code)).toBe(true);
    expect(ERROR_CODES[code].status).toBe(status);
    expect(body.status).toBe(status);
    return body;
  };

  const courses = () => `/api/v1/institutions/${fx.a.id}/courses`;
  const course = { code: 'EC101', titleZh: '错误码', titleEn: 'Error codes', credits: '2', hours: 32, iscedCode: '0613' };

  it('codes bad JSON, schema validation and media types', async () => {
    expectCode(
      await registrar({ method: 'POST', url: courses(), headers: { 'content-type': 'application/json' }, payload: '{"code": "X1",' }),
      400,
      'invalid_json',
    );
    const v = expectCode(await registrar({ method: 'POST', url: courses(), payload: { ...course, hours: 'many' } }), 400, 'validation_failed');
    expect(v.errors?.map((e) => e.path)).toContain('body.hours');
    expectCode(await registrar({ method: 'POST', url: courses(), headers: { 'content-type': 'text/plain' }, payload: 'hello' }), 415, 'unsupported_media_type');
    const cursor = expectCode(await app.inject({ method: 'GET', url: `${courses()}?cursor=%%%` }), 400, 'invalid');
    expect(cursor.errors?.[0]?.path).toBe('query.cursor');
  });

  it('codes 401, 403 and 404', async () => {
    expectCode(await app.inject({ method: 'POST', url: courses(), payload: course }), 401, 'unauthorized');
    expectCode(
      await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'registrar.a', password: 'not-the-password' } }),
      401,
      'invalid_credentials',
    );
    expectCode(await registrar({ method: 'POST', url: `/api/v1/institutions/${fx.b.id}/courses`, payload: course }), 403, 'forbidden');
    expectCode(await app.inject({ method: 'GET', url: '/api/v1/institutions/00000000-0000-4000-8000-000000000000' }), 404, 'not_found');
    expectCode(await app.inject({ method: 'GET', url: '/api/v1/nothing-here' }), 404, 'no_route');
  });

  it('codes a duplicate with its field and value, and a stale version with the version now stored', async () => {
    const first = await registrar({ method: 'POST', url: courses(), payload: course });
    expect(first.statusCode, first.body).toBeLessThan(300);
    const again = expectCode(await registrar({ method: 'POST', url: courses(), payload: course }), 409, 'code_taken');
    expect(again).toMatchObject({ value: 'EC101' });
    expect(again.errors?.[0]?.path).toMatch(/code/);
    const c = fx.courseA[0]!;
    const stale = expectCode(
      await registrar({ method: 'PATCH', url: `/api/v1/courses/${c.id}`, headers: { 'if-match': '"v999"' }, payload: { titleEn: 'Stale' } }),
      412,
      'precondition_failed',
    );
    expect(stale.currentVersion).toEqual(expect.any(Number));
  });

  it('codes a result already recorded, and work on a result no longer current, with their parameters', async () => {
    const body = { externalId: 'A001', courseCode: 'MA101', term: '2024-2025-1', grade: '81', completedOn: '2025-01-10' };
    const made = await registrar({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/outcomes`, payload: body });
    expect(made.statusCode, made.body).toBe(201);
    const twice = expectCode(
      await registrar({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/outcomes`, payload: body }),
      409,
      'outcome_already_recorded',
    );
    expect(twice).toMatchObject({ course: 'MA101', term: '2024-2025-1' });
    expect(twice.errors?.[0]?.path).toBe('body.term');
    const id = (made.json() as { id: string }).id;
    expect((await registrar({ method: 'POST', url: `/api/v1/outcomes/${id}/revoke`, payload: { reason: 'entered in error' } })).statusCode).toBe(200);
    const again = expectCode(
      await registrar({ method: 'POST', url: `/api/v1/outcomes/${id}/revoke`, payload: { reason: 'entered in error' } }),
      409,
      'outcome_superseded',
    );
    expect(again).toMatchObject({ state: 'revoked' });
  });

  it('answers in Chinese to a caller who reads Chinese: title, detail and each field, the code and paths unchanged (issue 22)', async () => {
    const zh = { 'accept-language': 'zh-CN, zh;q=0.9, en;q=0.5' };
    const han = /\p{Script=Han}/u;
    const latinWords = /[A-Za-z]{3,} [A-Za-z]{3,}/; // an English phrase (a code or a path is one word)
    const checkZh = (body: { title: string; detail: string; errors?: { path: string; message: string }[] }) => {
      for (const text of [body.title, body.detail, ...(body.errors ?? []).map((e) => e.message)]) {
        expect(text, JSON.stringify(body)).toMatch(han);
        expect(text, JSON.stringify(body)).not.toMatch(latinWords);
      }
    };
    // the schema's refusal: Zod's own words in Chinese, the field's path as sent
    const res = await registrar({ method: 'POST', url: courses(), headers: zh, payload: { ...course, hours: 'many' } });
    expect(res.headers['content-language']).toBe('zh-CN');
    const v = expectCode(res, 400, 'validation_failed') as never as { title: string; detail: string; errors: { path: string; message: string }[] };
    checkZh(v);
    expect(v.errors.map((e) => e.path)).toContain('body.hours');
    // refusals written in English where they arose: generic and specific codes, with their parameters kept
    checkZh(
      expectCode(await app.inject({ method: 'GET', url: '/api/v1/institutions/00000000-0000-4000-8000-000000000000', headers: zh }), 404, 'not_found') as never,
    );
    checkZh(expectCode(await app.inject({ method: 'GET', url: `${courses()}?cursor=%%%`, headers: zh }), 400, 'invalid') as never);
    checkZh(expectCode(await app.inject({ method: 'POST', url: courses(), headers: zh, payload: course }), 401, 'unauthorized') as never);
    checkZh(
      expectCode(await registrar({ method: 'POST', url: `/api/v1/institutions/${fx.b.id}/courses`, headers: zh, payload: course }), 403, 'forbidden') as never,
    );
    checkZh(expectCode(await app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: zh }), 404, 'no_route') as never);
    const wrong = {
      method: 'POST' as const,
      url: '/api/v1/auth/login',
      remoteAddress: '10.8.0.1',
      payload: { username: 'registrar.a', password: 'not-the-password' },
    };
    checkZh(expectCode(await app.inject({ ...wrong, headers: zh }), 401, 'invalid_credentials') as never);
    // an English page gets English; a client that names no language gets the problem as written
    const en = expectCode(await app.inject({ ...wrong, headers: { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.8' } }), 401, 'invalid_credentials');
    expect(en.detail).not.toMatch(han);
    const plain = await registrar({ method: 'POST', url: courses(), payload: { ...course, hours: 'many' } });
    expect(plain.headers['content-language']).toBeUndefined();
    expect(plain.json().detail).toMatch(/^body\.hours: /);
  });

  it('codes a throttled sign-in with the seconds to wait', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: `10.9.0.${i + 1}`,
        payload: { username: 'nobody-for-codes', password: 'wrong-password' },
      });
      expectCode(res, 401, 'invalid_credentials');
    }
    const locked = expectCode(
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.9.0.9',
        payload: { username: 'nobody-for-codes', password: 'wrong-password' },
      }),
      429,
      'login_throttled',
    );
    expect(locked.retryAfter).toEqual(expect.any(Number));
  });
});
