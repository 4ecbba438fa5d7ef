// The HTTP contract every route keeps: problem+json errors naming the field, 4xx for anything a
// client can send, OpenAPI generated from the schemas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './types.js';
import { backends, openTestDatabase, type TestDatabase } from '../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../test/fixture.js';

describe.each(backends)('HTTP contract on %s', (backend) => {
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

  const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json() as { status: number; title: string; detail: string; type: string };
    expect(body.status).toBe(status);
    expect(body.title).toBeTruthy();
    expect(body.detail).toBeTruthy();
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack traces
    return body as typeof body & { errors?: { path: string; message: string }[] };
  };

  it('answers health with the backend', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: backend });
  });

  it('publishes OpenAPI 3.1 generated from the schemas, and the docs page', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/me/account', '/api/v1/institutions/{id}/outcomes']));
    const body = doc.paths['/api/v1/institutions/{id}/outcomes'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['term', 'grade', 'completedOn']));
    const docs = await app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await registrar({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/courses`,
      headers: { 'content-type': 'application/json' },
      payload: '{"code": "X1",',
    });
    expect(expectProblem(res, 400).detail).toMatch(/JSON/);
  });

  it('names the failing field on wrong types', async () => {
    const res = await registrar({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/courses`,
      payload: { code: 'X1', titleZh: '甲', titleEn: 'A', credits: 3, hours: 'many', iscedCode: '0613' },
    });
    const body = expectProblem(res, 400);
    expect(body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['body.credits', 'body.hours']));
  });

  it('answers unknown ids with 404 and malformed ids with 400', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/institutions/00000000-0000-4000-8000-000000000000' }), 404);
    const bad = expectProblem(await app.inject({ method: 'GET', url: '/api/v1/institutions/not-a-uuid' }), 400);
    expect(bad.errors?.[0]?.path).toBe('params.id');
    expectProblem(
      await registrar({ method: 'POST', url: '/api/v1/outcomes/00000000-0000-4000-8000-000000000000/revoke', payload: { reason: 'entered twice' } }),
      404,
    );
  });

  it('refuses oversized bodies with 413 and other media types with 415', async () => {
    const huge = JSON.stringify({ code: 'X', titleZh: 'x'.repeat(100_000) });
    expectProblem(
      await registrar({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/courses`, headers: { 'content-type': 'application/json' }, payload: huge }),
      413,
    );
    expectProblem(
      await registrar({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/courses`, headers: { 'content-type': 'text/plain' }, payload: 'hello' }),
      415,
    );
  });

  it('answers unknown API routes with a 404 problem', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/nothing-here' }), 404);
  });

  it('rejects a bad cursor and a bad If-Match', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/courses?cursor=%%%` });
    expect(expectProblem(res, 400).errors?.[0]?.path).toBe('query.cursor');
    const course = fx.courseA[0]!;
    const im = await registrar({ method: 'PATCH', url: `/api/v1/courses/${course.id}`, headers: { 'if-match': 'yesterday' }, payload: { titleEn: 'X' } });
    expect(expectProblem(im, 400).errors?.[0]?.path).toBe('headers.if-match');
  });
});
