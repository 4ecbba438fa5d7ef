// One credit, one use, attacked as an auditor and a crowd would: the same credit sent to two targets,
// an award and a transfer of one credit, a retake, two awards approved at once, a cap at its edge
// decided twice at once, a decision sent twice, an Idempotency-Key burst. On PostgreSQL the parallel
// requests come from two connection pools, as from two server processes. The invariants are
// counted by SQL afterwards (src/test/integrity.ts): every count must be 0.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeApp, signIn } from '../../test/fixture.js';
import { breaches, makeIntegrityBank } from '../../test/integrity.js';
import { recordCourseResult } from '../outcomes/service.js';

describe.each(backends)('one credit, one use on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let other: App; // a second server (process) on the same database, where there can be one
  let bank: Awaited<ReturnType<typeof makeIntegrityBank>>;
  type Caller = ReturnType<typeof as>;
  const callers = new Map<string, [Caller, Caller]>();
  const rows = async <T>(q: ReturnType<typeof sql>) => ((await database.db.execute(q)) as unknown as { rows: T[] }).rows;

  /** The user's two callers: one on each server. */
  const user = async (username: string) => {
    if (!callers.has(username)) callers.set(username, [as(app, { cookie: await signIn(app, username) }), as(other, { cookie: await signIn(other, username) })]);
    return callers.get(username)!;
  };
  const post = async (username: string, url: string, payload: object, server = 0, headers?: Record<string, string>) => (await user(username))[server]!({ method: 'POST', url, payload, headers });
  const outcomeIds = async (username: string) => {
    const [me] = await rows<{ id: string }>(sql`select l.id from learners l join users u on u.id = l.user_id where u.username = ${username}`);
    const list = await rows<{ id: string; code: string }>(sql`select o.id, c.code from outcomes o join courses c on c.id = o.course_id where o.learner_id = ${me!.id} and o.status = 'recorded' order by o.created_at`);
    return { learnerId: me!.id, CS101: list.find((o) => o.code === 'CS101')!.id, MA101: list.find((o) => o.code === 'MA101')!.id };
  };
  const apply = (username: string, target: string, ids: string[], server = 0) => post(username, '/api/v1/me/transfers', { targetInstitutionId: target, outcomeIds: ids }, server);
  const substitute = (id: string, server = 0, credits = '3') =>
    post('registrar.b', `/api/v1/transfers/${id}/decide`, { lines: [{ lineNo: 1, decision: 'substitute', target: { kind: 'elective', category: 'general' }, credits, reason: 'counts as general elective credit' }] }, server);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    bank = await makeIntegrityBank(database.db, 8);
    app = await makeApp(database);
    other = backend === 'postgres' ? await makeApp(await database.reopen()) : app;
  });
  afterAll(async () => {
    expect(await breaches(database.db)).toEqual({ doubleUses: 0, awardAndTransfer: 0, doubleAwards: 0, doubleDeposits: 0, capsExceeded: 0, badBalances: 0, seqGaps: 0 });
    if (other !== app) await other?.close();
    await app?.close();
    await database?.drop();
  });

  it('refuses a credit at a second target, naming the first, until the first lets go', async () => {
    const { CS101 } = await outcomeIds('l0000');
    const first = await apply('l0000', bank.fx.b.id, [CS101]);
    expect(first.statusCode).toBe(201);
    const second = await apply('l0000', bank.c.id, [CS101]);
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({
      code: 'credit_already_used',
      errors: [{ path: 'body.outcomeIds' }],
      uses: [{ label: 'UNIA CS101', useType: 'transfer', useId: `${first.json().id}:1`, institution: { code: 'COLB', nameZh: '乙职业学院', nameEn: 'College B' } }],
    });
    expect(await rows(sql`select 1 from transfer_applications where target_institution_id = ${bank.c.id}`)).toEqual([]);
    // decided, then withdrawn by the registrar: the postings are reversed and the credit is free
    expect((await substitute(first.json().id)).statusCode).toBe(200);
    expect((await apply('l0000', bank.c.id, [CS101])).statusCode).toBe(409);
    expect((await post('l0000', `/api/v1/transfers/${first.json().id}/withdraw`, { reason: 'changed my mind' })).statusCode).toBe(403);
    const withdrawn = await post('registrar.b', `/api/v1/transfers/${first.json().id}/withdraw`, { reason: 'the learner moves to College C' });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', lines: [{ status: 'withdrawn', credits: '3' }] });
    expect(withdrawn.json().postings.map((p: { kind: string }) => p.kind)).toEqual(['use', 'transfer_in', 'reversal', 'reversal']);
    expect((await apply('l0000', bank.c.id, [CS101])).statusCode).toBe(201);
  });

  it('counts a retake as the same credit: passed twice, deposited once, transferred once', async () => {
    const { learnerId, MA101 } = await outcomeIds('l0001');
    const retake = await recordCourseResult(database.db, bank.fx.admin, bank.fx.a.id, { learnerId, courseCode: 'MA101', term: '2023-2024-2', attempt: 2, grade: '95', completedOn: '2024-07-01' });
    expect(retake).toMatchObject({ passed: true, counted: false, postings: [] });
    const both = await apply('l0001', bank.fx.b.id, [MA101, retake.id]);
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0]).toMatchObject({ path: 'body.outcomeIds.1', message: expect.stringMatching(/^MA101 is in the application twice/) });
    expect((await apply('l0001', bank.fx.b.id, [MA101])).statusCode).toBe(201);
    const again = await apply('l0001', bank.c.id, [retake.id]);
    expect(again.statusCode).toBe(409);
    expect(again.json().uses[0]).toMatchObject({ label: 'UNIA MA101', institution: { code: 'COLB' } });
    // the learner withdraws the waiting application: the retake may go now
    const mine = (await (await user('l0001'))[0]({ method: 'GET', url: '/api/v1/me/transfers' })).json().items[0];
    expect((await post('l0001', `/api/v1/transfers/${mine.id}/withdraw`, { reason: 'I will use the retake' })).statusCode).toBe(200);
    expect((await apply('l0001', bank.c.id, [retake.id])).statusCode).toBe(201);
  });

  it('refuses to transfer a credit an approved award counts, and audits a transferred credit out of an award', async () => {
    const { MA101, CS101 } = await outcomeIds('l0002');
    const award = await post('l0002', '/api/v1/me/awards', { programmeId: bank.programmes['CERT-A'] });
    expect(award.statusCode).toBe(201);
    expect((await post('registrar.a', `/api/v1/awards/${award.json().id}/approve`, {})).statusCode).toBe(200);
    const t = await apply('l0002', bank.fx.b.id, [MA101]);
    expect(t.statusCode).toBe(409);
    expect(t.json().uses[0]).toMatchObject({ useType: 'award', useId: award.json().id, institution: { code: 'UNIA' } });

    // the other way round: a credit held by a transfer does not count toward an award
    const other = await outcomeIds('l0003');
    expect((await apply('l0003', bank.fx.b.id, [other.CS101])).statusCode).toBe(201);
    const refused = await post('l0003', '/api/v1/me/awards', { programmeId: bank.programmes['CERT-A'] });
    expect(refused.statusCode).toBe(409);
    expect(CS101).not.toBe(other.CS101);
  });

  it('approves one of two awards of one level racing for the same credits', async () => {
    const a = await post('l0004', '/api/v1/me/awards', { programmeId: bank.programmes['CERT-A'] });
    const b = await post('l0004', '/api/v1/me/awards', { programmeId: bank.programmes['CERT-B'] });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const results = await Promise.all([
      post('registrar.a', `/api/v1/awards/${a.json().id}/approve`, {}, 0),
      post('registrar.a', `/api/v1/awards/${b.json().id}/approve`, {}, 1),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it('holds the transfer cap when two decisions at its edge arrive at once, and decides an application once', async () => {
    const { CS101, MA101 } = await outcomeIds('l0005');
    const one = (await apply('l0005', bank.fx.b.id, [CS101])).json().id;
    const two = (await apply('l0005', bank.fx.b.id, [MA101])).json().id;
    const results = await Promise.all([substitute(one, 0), substitute(two, 1)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 422]);
    expect(results.find((r) => r.statusCode === 422)!.json().detail).toMatch(/^Cap reached: at most 4 credits may be transferred into COLB in all; this learner holds 3/);
    const { CS101: c2 } = await outcomeIds('l0006');
    const three = (await apply('l0006', bank.fx.b.id, [c2])).json().id;
    const twice = await Promise.all([substitute(three, 0), substitute(three, 1)]);
    expect(twice.map((r) => r.statusCode).sort()).toEqual([200, 409]);

    // what the transfer brought counts toward an award at COLB: the transfer cannot be reversed under it
    const award = await post('l0006', '/api/v1/me/awards', { programmeId: bank.programmes['CERT-T'] });
    expect(award.statusCode).toBe(201);
    expect((await post('registrar.b', `/api/v1/awards/${award.json().id}/approve`, {})).statusCode).toBe(200);
    const reverse = await post('registrar.b', `/api/v1/transfers/${three}/withdraw`, { reason: 'entered by mistake' });
    expect(reverse.statusCode).toBe(409);
    expect(reverse.json()).toMatchObject({ code: 'credit_already_used', uses: [{ label: 'CS101 → COLB', useType: 'award', useId: award.json().id }] });
    expect((await post('registrar.b', `/api/v1/awards/${award.json().id}/withdraw`, { reason: 'the transfer was entered by mistake' })).statusCode).toBe(200);
    expect((await post('registrar.b', `/api/v1/transfers/${three}/withdraw`, { reason: 'entered by mistake' })).statusCode).toBe(200);
  });

  it('runs a request once for an Idempotency-Key sent many times at once; replays its answer; refuses the key for another body', async () => {
    const { learnerId, CS101 } = await outcomeIds('l0007');
    const body = { targetInstitutionId: bank.fx.b.id, outcomeIds: [CS101] };
    const headers = { 'idempotency-key': `burst-${backend}` };
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => post('l0007', '/api/v1/me/transfers', body, i % 2, headers)));
    expect(burst.map((r) => r.statusCode)).toEqual(Array(12).fill(201));
    expect(new Set(burst.map((r) => r.json().id)).size).toBe(1);
    expect(burst.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(11);
    expect(await rows(sql`select id from transfer_applications where learner_id = ${learnerId}`)).toHaveLength(1);
    const other = await post('l0007', '/api/v1/me/transfers', { ...body, targetInstitutionId: bank.c.id }, 0, headers);
    expect(other.statusCode).toBe(422);
    // a refusal is an answer too: replayed, not run again
    const refusedKey = { 'idempotency-key': `refused-${backend}` };
    const r1 = await post('l0007', '/api/v1/me/transfers', { ...body, targetInstitutionId: bank.c.id }, 0, refusedKey);
    const r2 = await post('l0007', '/api/v1/me/transfers', { ...body, targetInstitutionId: bank.c.id }, 1, refusedKey);
    expect([r1.statusCode, r2.statusCode]).toEqual([409, 409]);
    expect(r2.headers['idempotent-replayed']).toBe('true');
    expect(r2.json()).toEqual(r1.json());
    // decisions honour it as well
    const decision = { lines: [{ lineNo: 1, decision: 'reject', reason: 'no equivalent course' }] };
    const key = { 'idempotency-key': `decide-${backend}` };
    const d = await Promise.all([0, 1, 0].map((s) => post('registrar.b', `/api/v1/transfers/${burst[0]!.json().id}/decide`, decision, s, key)));
    expect(d.map((r) => r.statusCode)).toEqual([200, 200, 200]);
  });
});
