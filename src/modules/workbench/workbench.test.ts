// The staff workbench (issue 22): each person's work queues with what waits there for them, counted
// within their institutions; it moves when an item is submitted and when it is decided.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, PASSWORD, signIn, type Alliance } from '../../test/fixture.js';
import { insertUserWithGrants } from '../auth/service.js';
import { recordCourseResult } from '../outcomes/service.js';

interface Entry {
  queue: string;
  count: number;
  oldestSince: string | null;
  path: string;
}

describe.each(backends)('workbench on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  const c: Record<string, ReturnType<typeof as>> = {};

  const bench = async (who: string): Promise<Entry[]> => {
    const res = await c[who]!({ method: 'GET', url: '/api/v1/me/workbench' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  };
  const entry = async (who: string, queue: string) => (await bench(who)).find((e) => e.queue === queue);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    await insertUserWithGrants(database.db, {
      username: 'committee2',
      password: PASSWORD,
      displayName: 'Committee 2',
      grants: [{ role: 'committee', institutionId: null }],
    });
    for (const who of ['admin', 'registrar.a', 'registrar.b', 'reviewer.a', 'reviewer.b', 'committee', 'committee2', 'alice', 'bob']) {
      c[who] = as(app, { cookie: await signIn(app, who) });
    }
    await recordCourseResult(database.db, fx.admin, fx.a.id, {
      externalId: 'A001',
      courseCode: 'MA101',
      term: '2024-2025-2',
      attempt: 1,
      grade: '75',
      completedOn: '2025-07-10',
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('lists the queues each role works, in a fixed order, with nothing waiting at first', async () => {
    const queues = async (who: string) => (await bench(who)).map((e) => e.queue);
    expect(await queues('registrar.a')).toEqual([
      'transfer.decide',
      'evaluation.open',
      'award.decide',
      'learningAgreement.sign',
      'linkRequest.open',
      'correction.open',
    ]);
    expect(await queues('reviewer.a')).toEqual(['certification.review', 'evaluation.open']);
    expect(await queues('committee')).toEqual(['certification.committee']);
    expect(await queues('admin')).toEqual(['erasure.open', 'identityConflict.open']);
    for (const e of await bench('registrar.a')) expect(e).toMatchObject({ count: 0, oldestSince: null, path: expect.stringMatching(/^\/institution\//) });
    expect(await entry('registrar.a', 'transfer.decide')).toEqual({ queue: 'transfer.decide', count: 0, oldestSince: null, path: '/institution/transfers' });
  });

  it('gives a learner an empty list and an anonymous caller a 401', async () => {
    expect(await bench('alice')).toEqual([]);
    const anonymous = await as(app)({ method: 'GET', url: '/api/v1/me/workbench' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
  });

  it('counts a transfer when it is submitted to the institution, for its registrar only, and not once it is decided', async () => {
    const account = (await c.alice!({ method: 'GET', url: '/api/v1/me/account' })).json();
    const ma101 = account.outcomes.find((o: { courseCode: string }) => o.courseCode === 'MA101').id;
    const before = Date.now();
    const made = await c.alice!({ method: 'POST', url: '/api/v1/me/transfers', payload: { targetInstitutionId: fx.b.id, outcomeIds: [ma101] } });
    expect(made.statusCode, made.body).toBe(201);

    const waiting = await entry('registrar.b', 'transfer.decide');
    expect(waiting).toMatchObject({ count: 1, path: '/institution/transfers' });
    expect(Date.parse(waiting!.oldestSince!)).toBeGreaterThanOrEqual(before - 5_000);
    expect(Date.parse(waiting!.oldestSince!)).toBeLessThanOrEqual(Date.now() + 1_000);
    // another institution's registrar does not see it; reviewers do not decide transfers
    expect(await entry('registrar.a', 'transfer.decide')).toMatchObject({ count: 0, oldestSince: null });
    expect(await entry('reviewer.b', 'transfer.decide')).toBeUndefined();
    // the count is what the queue page lists as waiting
    const listed = (await c['registrar.b']!({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/transfers?status=submitted` })).json().items;
    expect(listed).toHaveLength(1);

    const line = { lineNo: 1, decision: 'substitute', target: { kind: 'elective', category: '公共选修 General elective' }, credits: '2', reason: 'elective' };
    const decided = await c['registrar.b']!({ method: 'POST', url: `/api/v1/transfers/${made.json().id}/decide`, payload: { lines: [line] } });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(await entry('registrar.b', 'transfer.decide')).toMatchObject({ count: 0, oldestSince: null });
  });

  it('counts link requests for the institution asked, and administrators’ erasure requests, until they are decided', async () => {
    const asked = await c.bob!({ method: 'POST', url: '/api/v1/me/link-requests', payload: { institutionId: fx.a.id, externalId: 'A-900' } });
    expect(asked.statusCode, asked.body).toBe(201);
    expect(await entry('registrar.a', 'linkRequest.open')).toMatchObject({ count: 1, path: '/institution/link-requests' });
    expect(await entry('registrar.b', 'linkRequest.open')).toMatchObject({ count: 0 });
    const rejected = await c['registrar.a']!({
      method: 'POST',
      url: `/api/v1/link-requests/${asked.json().id}/decision`,
      payload: { decision: 'reject', note: 'unknown' },
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(await entry('registrar.a', 'linkRequest.open')).toMatchObject({ count: 0, oldestSince: null });

    const erasure = await c.bob!({ method: 'POST', url: '/api/v1/me/erasure-requests', payload: { reason: 'moving' } });
    expect(erasure.statusCode, erasure.body).toBe(201);
    expect(await entry('admin', 'erasure.open')).toMatchObject({ count: 1, path: '/admin/erasure-requests' });
    expect(await entry('registrar.b', 'erasure.open')).toBeUndefined();
    const declined = await c.admin!({
      method: 'POST',
      url: `/api/v1/erasure-requests/${erasure.json().id}/decide`,
      payload: { decision: 'decline', note: 'records kept by law' },
    });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(await entry('admin', 'erasure.open')).toMatchObject({ count: 0 });
  });

  it('counts a correction request for the registrars of the institution asked, until one answers it', async () => {
    const made = await c.alice!({
      method: 'POST',
      url: '/api/v1/me/corrections',
      payload: { institutionId: fx.a.id, subject: 'birthDate', requested: '2002-05-10', reason: 'typo' },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(await entry('registrar.a', 'correction.open')).toMatchObject({ count: 1, path: '/institution/learners', oldestSince: expect.any(String) });
    expect(await entry('registrar.b', 'correction.open')).toMatchObject({ count: 0 });
    // a reviewer does not answer corrections
    expect(await entry('reviewer.a', 'correction.open')).toBeUndefined();
    const answered = await c['registrar.a']!({
      method: 'POST',
      url: `/api/v1/corrections/${made.json().id}/answer`,
      payload: { decision: 'accept', note: 'ok' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(await entry('registrar.a', 'correction.open')).toMatchObject({ count: 0, oldestSince: null });
  });

  it('counts an individual assessment for each committee member until that member has voted on it', async () => {
    const made = await c.alice!({
      method: 'POST',
      url: '/api/v1/me/certifications',
      payload: {
        outcomeKind: 'work_experience',
        title: '三年网站运维',
        issuingBody: '某科技有限公司',
        issuedOn: '2025-12-31',
        creditsRequested: '4',
        statement: 'Ran the company web servers for three years: Linux, nginx, backups, monitoring.',
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    const boundary = 'cbworkbench';
    const file = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const attached = await c.alice!({
      method: 'POST',
      url: `/api/v1/certifications/${id}/evidence?label=${encodeURIComponent('作品集 Portfolio')}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
        file,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(attached.statusCode, attached.body).toBeLessThan(300);
    const submitted = await c.alice!({ method: 'POST', url: `/api/v1/certifications/${id}/submit`, payload: {} });
    expect(submitted.json().status, submitted.body).toBe('committee');
    expect(await entry('committee', 'certification.committee')).toMatchObject({ count: 1 });
    expect(await entry('committee2', 'certification.committee')).toMatchObject({ count: 1 });

    // one member votes: it no longer waits for them, it still waits for the other
    const vote = await c.committee!({
      method: 'POST',
      url: `/api/v1/certifications/${id}/vote`,
      payload: { decision: 'reject', reason: 'no evidence of depth' },
    });
    expect(vote.statusCode, vote.body).toBe(200);
    expect(await entry('committee', 'certification.committee')).toMatchObject({ count: 0, oldestSince: null });
    expect(await entry('committee2', 'certification.committee')).toMatchObject({ count: 1 });
  });

  it('counts the same twice in a row and refuses bad methods', async () => {
    expect(await bench('registrar.b')).toEqual(await bench('registrar.b'));
    expect((await c['registrar.b']!({ method: 'POST', url: '/api/v1/me/workbench', payload: {} })).statusCode).toBe(404);
  });
});
