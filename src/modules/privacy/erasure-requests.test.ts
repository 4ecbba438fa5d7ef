// A learner's own erasure request: one open at a time (a partial unique index decides between two at
// once), withdrawn while open, decided by an administrator: declined with a reason the learner sees, or
// approved, which runs the same erasure as POST /learners/{id}/erase in the same transaction.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, PASSWORD, signIn, type Alliance } from '../../test/fixture.js';
import { sequence, verifyLog } from '../log/service.js';
import { sendDue } from '../notifications/sender.js';

describe.each(backends)('erasure requests on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let admin: ReturnType<typeof as>;
  let registrar: ReturnType<typeof as>;
  let n = 0;

  /** A learner of institution A with a sign-in, an e-mail on record and one result. */
  async function newLearner(fullName: string, email: string) {
    n++;
    const externalId = `E${String(n).padStart(3, '0')}`;
    const username = `erase.${n}`;
    const made = await registrar({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/learners`,
      payload: { fullName, fullNameLatin: `Latin ${fullName}`, birthDate: '1998-02-03', email, externalId, login: { username, password: PASSWORD } },
    });
    expect(made.statusCode, made.body).toBe(201);
    const result = { externalId, courseCode: 'CS101', term: '2023-2024-1', grade: '88', completedOn: '2024-01-15' };
    expect((await registrar({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/outcomes`, payload: result })).statusCode).toBe(201);
    return { id: made.json().id as string, username, call: as(app, { cookie: await signIn(app, username) }) };
  }

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    admin = as(app, { cookie: await signIn(app, 'admin') });
    registrar = as(app, { cookie: await signIn(app, 'registrar.a') });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('lets a learner ask, see, withdraw and ask again; one open request at a time; administrators are told', async () => {
    const me = await newLearner('钱请求', 'qian@example.cn');
    const made = await me.call({ method: 'POST', url: '/api/v1/me/erasure-requests', payload: { reason: 'I am moving abroad' } });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ status: 'open', learnerId: me.id, reason: 'I am moving abroad', decidedAt: null, decisionNote: null });
    const id: string = made.json().id;

    const again = await me.call({ method: 'POST', url: '/api/v1/me/erasure-requests', payload: {} });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json()).toMatchObject({ code: 'erasure_request_open' });
    expect(again.json().detail).toContain('open erasure request');

    const mine = await me.call({ method: 'GET', url: '/api/v1/me/erasure-requests' });
    expect(mine.json().items).toEqual([expect.objectContaining({ id, status: 'open' })]);
    const open = await admin({ method: 'GET', url: '/api/v1/erasure-requests?status=open' });
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json().items).toEqual(expect.arrayContaining([expect.objectContaining({ id, learnerName: '钱请求', accountNo: expect.any(String) })]));
    const inbox = (await admin({ method: 'GET', url: '/api/v1/me/notifications' })).json().items as { kind: string; body: string }[];
    const told = inbox.find((i) => i.kind === 'queue.erasure');
    expect(told).toBeDefined();
    expect(told!.body).not.toContain('钱请求'); // nothing of the person in a message to staff

    const withdrawn = await me.call({ method: 'POST', url: `/api/v1/me/erasure-requests/${id}/withdraw` });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', decidedAt: expect.any(String) });
    expect((await me.call({ method: 'POST', url: `/api/v1/me/erasure-requests/${id}/withdraw` })).statusCode).toBe(409);
    expect((await admin({ method: 'POST', url: `/api/v1/erasure-requests/${id}/decide`, payload: { decision: 'approve' } })).statusCode).toBe(409);
    // a new one may be made once none is open
    expect((await me.call({ method: 'POST', url: '/api/v1/me/erasure-requests', payload: { reason: null } })).statusCode).toBe(201);

    const trail = (await admin({ method: 'GET', url: `/api/v1/audit-events?entityType=learner&entityId=${me.id}&limit=100` })).json().items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['erasure.request', 'erasure.withdraw']));
    // the learner's words are not in the audit trail
    expect(JSON.stringify(trail)).not.toContain('moving abroad');
  });

  it('accepts exactly one of two requests made at once', async () => {
    const me = await newLearner('孙并发', 'sun@example.cn');
    const both = await Promise.all([0, 1].map(() => me.call({ method: 'POST', url: '/api/v1/me/erasure-requests', payload: {} })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const rows = await database.db.execute(sql`select count(*)::int as n from erasure_requests where learner_id = ${me.id} and status = 'open'`);
    expect((rows as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
  });

  it("keeps a learner's requests their own and decisions the administrators'; bad input is 400, not 500", async () => {
    const me = await newLearner('周自己', 'zhou@example.cn');
    const id: string = (await me.call({ method: 'POST', url: '/api/v1/me/erasure-requests', payload: {} })).json().id;
    const alice = as(app, { cookie: await signIn(app, 'alice') });
    expect((await alice({ method: 'POST', url: `/api/v1/me/erasure-requests/${id}/withdraw` })).statusCode).toBe(404);
    expect((await alice({ method: 'GET', url: '/api/v1/me/erasure-requests' })).json().items.map((r: { id: string }) => r.id)).not.toContain(id);

    for (const who of [me.call, alice, registrar]) {
      expect((await who({ method: 'GET', url: '/api/v1/erasure-requests?status=open' })).statusCode).toBe(403);
      expect((await who({ method: 'POST', url: `/api/v1/erasure-requests/${id}/decide`, payload: { decision: 'approve' } })).statusCode).toBe(403);
    }
    expect((await as(app)({ method: 'POST', url: '/api/v1/me/erasure-requests', payload: {} })).statusCode).toBe(401);
    // staff have no learning account of their own to ask for
    expect((await registrar({ method: 'POST', url: '/api/v1/me/erasure-requests', payload: {} })).statusCode).toBe(404);

    const noReason = await admin({ method: 'POST', url: `/api/v1/erasure-requests/${id}/decide`, payload: { decision: 'decline', note: '  ' } });
    expect(noReason.statusCode, noReason.body).toBe(400);
    expect(noReason.json().errors).toEqual([expect.objectContaining({ path: 'body.note' })]);

    for (const [url, payload] of [
      ['/api/v1/erasure-requests/not-a-uuid/decide', { decision: 'approve' }],
      ['/api/v1/me/erasure-requests/123/withdraw', undefined],
      [`/api/v1/erasure-requests/${id}/decide`, { decision: 'maybe' }],
      ['/api/v1/me/erasure-requests', { reason: 'x'.repeat(2001) }],
    ] as const) {
      const caller = url.startsWith('/api/v1/me') ? me.call : admin;
      const res = await caller({ method: 'POST', url, payload });
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
    }
    expect((await admin({ method: 'GET', url: '/api/v1/erasure-requests?status=closed' })).statusCode).toBe(400);
    expect((await admin({ method: 'POST', url: `/api/v1/erasure-requests/${crypto.randomUUID()}/decide`, payload: { decision: 'approve' } })).statusCode).toBe(
      404,
    );
    expect((await me.call({ method: 'POST', url: `/api/v1/me/erasure-requests/${crypto.randomUUID()}/withdraw` })).statusCode).toBe(404);

    const declined = await admin({
      method: 'POST',
      url: `/api/v1/erasure-requests/${id}/decide`,
      payload: { decision: 'decline', note: 'An appeal on your transfer is still open; ask again once it is decided.' },
    });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ status: 'declined', decisionNote: 'An appeal on your transfer is still open; ask again once it is decided.' });
    const seen = (await me.call({ method: 'GET', url: '/api/v1/me/erasure-requests' })).json().items;
    expect(seen[0]).toMatchObject({ id, status: 'declined', decisionNote: expect.stringContaining('appeal') });
    const inbox = (await me.call({ method: 'GET', url: '/api/v1/me/notifications', headers: { 'accept-language': 'en' } })).json().items as {
      kind: string;
      body: string;
    }[];
    expect(inbox.find((i) => i.kind === 'decision.erasure')?.body).toContain('appeal on your transfer');
    const trail = (await admin({ method: 'GET', url: `/api/v1/audit-events?entityType=learner&entityId=${me.id}&limit=100` })).json().items;
    expect(trail.map((e: { action: string }) => e.action)).toContain('erasure.decline');
  });

  it("approves: the learner's personal data goes, their sign-in ends, one last e-mail is queued, the log still verifies", async () => {
    const me = await newLearner('吴删除', 'wu.delete@example.cn');
    const made = await me.call({ method: 'POST', url: '/api/v1/me/erasure-requests', payload: { reason: 'please forget me' } });
    expect(made.statusCode, made.body).toBe(201);
    const id: string = made.json().id;
    await sequence(database.db);

    const approved = await admin({ method: 'POST', url: `/api/v1/erasure-requests/${id}/decide`, payload: { decision: 'approve' } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', reason: null, decidedAt: expect.any(String) });
    expect((await admin({ method: 'POST', url: `/api/v1/erasure-requests/${id}/decide`, payload: { decision: 'approve' } })).statusCode).toBe(409);

    // the learner's session and sign-in are gone
    expect((await me.call({ method: 'GET', url: '/api/v1/me/erasure-requests' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: me.username, password: PASSWORD } })).statusCode).toBe(401);

    const account = await admin({ method: 'GET', url: `/api/v1/learners/${me.id}/account` });
    expect(account.statusCode).toBe(200);
    expect(account.json().learner).toMatchObject({ fullName: expect.stringMatching(/^已删除-/), fullNameLatin: null, birthDate: null });
    expect(account.json().outcomes).toHaveLength(1); // the credits stay
    const dump = JSON.stringify(
      await database.db.execute(sql`select (select row_to_json(l) from learners l where id = ${me.id}) as l,
        (select json_agg(r) from erasure_requests r where learner_id = ${me.id}) as r,
        (select json_agg(payload) from log_entries) as log`),
    );
    for (const personal of ['吴删除', 'Latin 吴删除', '1998-02-03', 'wu.delete@example.cn', 'please forget me']) expect(dump, personal).not.toContain(personal);
    // one last e-mail, to be sent to the address on record; the outbox forgets the address once sent
    const mail = await database.db.execute(sql`select subject, body, user_id from mail_outbox where to_address = 'wu.delete@example.cn'`);
    const mails = (mail as unknown as { rows: { subject: string; body: string; user_id: string | null }[] }).rows;
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ user_id: null, subject: expect.stringContaining('个人信息已删除') });
    const sent: string[] = [];
    await sendDue(database.db, { sendMail: async (m: { to?: unknown }) => void sent.push(String(m.to)) } as never, {
      from: 'bank@example.cn',
      publicUrl: 'http://localhost',
      retryBaseSeconds: 1,
      retryMaxSeconds: 1,
      maxAttempts: 1,
    });
    expect(sent).toContain('wu.delete@example.cn');
    const left = await database.db.execute(sql`select count(*)::int as n from mail_outbox where to_address = 'wu.delete@example.cn'`);
    expect((left as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);

    const listed = (await admin({ method: 'GET', url: '/api/v1/erasure-requests?status=approved' })).json().items;
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ id, learnerName: expect.stringMatching(/^已删除-/) })]));
    const trail = (await admin({ method: 'GET', url: `/api/v1/audit-events?entityType=learner&entityId=${me.id}&limit=100` })).json().items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['erasure.request', 'erasure.approve', 'learner.erase']));

    await sequence(database.db);
    const verified = await verifyLog(database.db);
    expect(verified.findings).toEqual([]);
    expect(verified.entries).toBeGreaterThan(0);
  });

  it("closes a learner's open request when an administrator erases them directly", async () => {
    const me = await newLearner('郑直接', 'zheng@example.cn');
    const id: string = (await me.call({ method: 'POST', url: '/api/v1/me/erasure-requests', payload: {} })).json().id;
    expect((await admin({ method: 'POST', url: `/api/v1/learners/${me.id}/erase`, payload: { reason: 'by letter 2026-12-06' } })).statusCode).toBe(200);
    const listed = (await admin({ method: 'GET', url: '/api/v1/erasure-requests?status=approved' })).json().items;
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ id, decisionNote: 'by letter 2026-12-06' })]));
  });
});
