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
import { breaches, makeIntegrityBank, NONE_BROKEN } from '../../test/integrity.js';
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
  const post = async (username: string, url: string, payload: object, server = 0, headers?: Record<string, string>) =>
    (await user(username))[server]!({ method: 'POST', url, payload, headers });
  const outcomeIds = async (username: string) => {
    const [me] = await rows<{ id: string }>(sql`select l.id from learners l join users u on u.id = l.user_id where u.username = ${username}`);
    const list = await rows<{ id: string; code: string }>(
      sql`select o.id, c.code from outcomes o join courses c on c.id = o.course_id where o.learner_id = ${me!.id} and o.status = 'recorded' order by o.created_at`,
    );
    return { learnerId: me!.id, CS101: list.find((o) => o.code === 'CS101')!.id, MA101: list.find((o) => o.code === 'MA101')!.id };
  };
  const apply = (username: string, target: string, ids: string[], server = 0) =>
    post(username, '/api/v1/me/transfers', { targetInstitutionId: target, outcomeIds: ids }, server);
  const substitute = (id: string, server = 0, credits = '3') =>
    post(
      'registrar.b',
      `/api/v1/transfers/${id}/decide`,
      {
        lines: [{ lineNo: 1, decision: 'substitute', target: { kind: 'elective', category: 'general' }, credits, reason: 'counts as general elective credit' }],
      },
      server,
    );

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    bank = await makeIntegrityBank(database.db, 15);
    app = await makeApp(database);
    other = backend === 'postgres' ? await makeApp(await database.reopen()) : app;
  });
  afterAll(async () => {
    expect(await breaches(database.db)).toEqual(NONE_BROKEN);
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
      uses: [
        { label: 'UNIA CS101', useType: 'transfer', useId: `${first.json().id}:1`, institution: { code: 'COLB', nameZh: '乙职业学院', nameEn: 'College B' } },
      ],
    });
    expect(await rows(sql`select 1 from transfer_applications where target_institution_id = ${bank.c.id}`)).toEqual([]);
    // decided, then withdrawn by the registrar: the postings are reversed and the credit is free
    expect((await substitute(first.json().id)).statusCode).toBe(200);
    expect((await apply('l0000', bank.c.id, [CS101])).statusCode).toBe(409);
    expect((await post('l0000', `/api/v1/transfers/${first.json().id}/withdraw`, { reason: 'changed my mind' })).statusCode).toBe(409);
    const withdrawn = await post('registrar.b', `/api/v1/transfers/${first.json().id}/withdraw`, { reason: 'the learner moves to College C' });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', lines: [{ status: 'withdrawn', credits: '3' }] });
    expect(withdrawn.json().postings.map((p: { kind: string }) => p.kind)).toEqual(['use', 'transfer_in', 'reversal', 'reversal']);
    expect((await apply('l0000', bank.c.id, [CS101])).statusCode).toBe(201);
  });

  it('counts a retake as the same credit: passed twice, deposited once, transferred once', async () => {
    const { learnerId, MA101 } = await outcomeIds('l0001');
    const retake = await recordCourseResult(database.db, bank.fx.admin, bank.fx.a.id, {
      learnerId,
      courseCode: 'MA101',
      term: '2023-2024-2',
      attempt: 2,
      grade: '95',
      completedOn: '2024-07-01',
    });
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
    expect(results.find((r) => r.statusCode === 422)!.json().detail).toMatch(
      /^Cap reached: at most 4 credits may be transferred into COLB in all; this learner holds 3/,
    );
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

  it('lets exactly one of a learner’s withdrawal and the registrar’s decision racing on one application win', async () => {
    const get = async (username: string, url: string) => (await user(username))[0]({ method: 'GET', url });
    for (const [i, username] of ['l0008', 'l0009', 'l0010', 'l0011'].entries()) {
      const { learnerId, CS101 } = await outcomeIds(username);
      const id = (await apply(username, bank.fx.b.id, [CS101])).json().id as string;
      // each on its own server, first one then the other sent first
      const withdraw = () => post(username, `/api/v1/transfers/${id}/withdraw`, { reason: 'I found a better programme' }, i % 2);
      const decide = () => substitute(id, 1 - (i % 2));
      const [w, d] = i < 2 ? await Promise.all([withdraw(), decide()]) : (await Promise.all([decide(), withdraw()])).reverse();
      expect([w!.statusCode, d!.statusCode].sort()).toEqual([200, 409]);
      const app = (await get(username, `/api/v1/transfers/${id}`)).json();
      const uses = await rows<{ n: string }>(sql`select count(*) as n from credit_uses where learner_id = ${learnerId} and ended_at is null`);
      if (w!.statusCode === 200) {
        // the withdrawal won: nothing posted, the credit is free, the transition says who, when, why
        expect(d!.json().detail).toBe('The application is already withdrawn');
        expect(app).toMatchObject({
          status: 'withdrawn',
          withdrawal: { by: 'learner', reason: 'I found a better programme' },
          lines: [{ status: 'withdrawn', credits: null }],
          postings: [],
        });
        expect(Number(uses[0]!.n)).toBe(0);
      } else {
        // the decision won: the learner is told it is decided; its credit stays used by the transfer
        expect(w!.json().detail).toMatch(/already decided|was decided meanwhile/);
        expect(app).toMatchObject({ status: 'decided', withdrawal: null, lines: [{ status: 'substituted', credits: '3' }] });
        expect(app.postings.map((p: { kind: string }) => p.kind)).toEqual(['use', 'transfer_in']);
        expect(Number(uses[0]!.n)).toBe(1);
      }
    }
  });

  it('refuses to correct a result whose credits a transfer or an award uses, naming the use; corrects a free one with its reason', async () => {
    const correct = (id: string, payload: object, username = 'registrar.a') => post(username, `/api/v1/outcomes/${id}/correct`, payload);
    // l0003's CS101 is held by a waiting transfer into COLB; l0002's MA101 by an approved award at UNIA (test 3)
    const held = await outcomeIds('l0003');
    const inTransfer = await correct(held.CS101, { grade: '90', reason: 're-marked after review' });
    expect(inTransfer.statusCode).toBe(409);
    expect(inTransfer.json()).toMatchObject({
      code: 'credit_already_used',
      uses: [{ label: 'UNIA CS101', useType: 'transfer', institution: { code: 'COLB' } }],
    });
    expect(inTransfer.json().detail).toMatch(
      /^This result cannot be corrected while its credits are used\. UNIA CS101 is already used: transfer application [0-9a-f-]{36} to COLB holds it since/,
    );
    const awarded = await outcomeIds('l0002');
    const inAward = await correct(awarded.MA101, { grade: '90', reason: 're-marked after review' });
    expect(inAward.statusCode).toBe(409);
    expect(inAward.json()).toMatchObject({ code: 'credit_already_used', uses: [{ label: 'UNIA MA101', useType: 'award', institution: { code: 'UNIA' } }] });
    expect(await rows(sql`select id from outcomes where supersedes in (${held.CS101}, ${awarded.MA101})`)).toEqual([]);
    // the bad requests: no reason (400 naming the field), another institution's registrar (403), a superseded result (409)
    const noReason = await correct(held.MA101, { grade: '90' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([expect.objectContaining({ path: 'body.reason' })]);
    expect((await correct(held.MA101, { grade: '90', reason: 'not mine' }, 'registrar.b')).statusCode).toBe(403);
    // a free one is corrected through the ledger: a reversing entry and a new deposit, the reason in both and in the audit trail
    const ok = await correct(held.MA101, { grade: '90', reason: 're-marked after review' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ grade: '90', supersedes: held.MA101, postings: [{ kind: 'deposit' }] });
    expect((await correct(held.MA101, { grade: '91', reason: 'again' })).statusCode).toBe(409);
    const [reversal] = await rows<{ memo: string }>(
      sql`select memo from ledger_postings where learner_id = ${held.learnerId} and cause_id = ${held.MA101} and kind = 'reversal'`,
    );
    expect(reversal!.memo).toBe('re-marked after review');
    const [audit] = await rows<{ details: { reason: string; from: string; to: string } }>(
      sql`select details from audit_events where action = 'outcome.correct' and entity_id = ${held.MA101}`,
    );
    expect(audit!.details).toMatchObject({ from: '80', to: '90', reason: 're-marked after review' });
  });

  it('lets exactly one of a grade correction and a transfer of the same result win when they race', async () => {
    for (const [n, learner] of ['l0012', 'l0013', 'l0014'].entries()) {
      const { CS101 } = await outcomeIds(learner);
      const [corrected, applied] = await Promise.all([
        post('registrar.a', `/api/v1/outcomes/${CS101}/correct`, { grade: '95', reason: 'marking error' }, n % 2),
        apply(learner, bank.fx.b.id, [CS101], 1 - (n % 2)),
      ]);
      const answers = `${learner}: ${corrected.statusCode} ${corrected.body} / ${applied.statusCode} ${applied.body}`;
      // the loser is refused: a correction of a used result (409), a transfer of a superseded one (400 checked before, 409 under the lock)
      if (applied.statusCode === 201) expect(corrected.statusCode, answers).toBe(409);
      else expect([corrected.statusCode, applied.statusCode], answers).toEqual([201, expect.toSatisfy((s: number) => s === 400 || s === 409)]);
    }
    // a live transfer line never holds a superseded result (counted in afterAll too)
    expect((await breaches(database.db)).usedAfterCorrection).toBe(0);
  });

  it('refuses a withdrawal in the wrong state, by the wrong person, or without a reason', async () => {
    // l0000's application was reversed by the registrar in the first test
    const mine = (await (await user('l0000'))[0]({ method: 'GET', url: '/api/v1/me/transfers' })).json().items as {
      id: string;
      status: string;
      withdrawal: unknown;
    }[];
    const reversed = mine.find((a) => a.status === 'withdrawn')!;
    expect(reversed.withdrawal).toMatchObject({ by: 'registrar', reason: 'the learner moves to College C' });
    const waiting = mine.find((a) => a.status === 'submitted')!;
    const again = await post('l0000', `/api/v1/transfers/${reversed.id}/withdraw`, { reason: 'once more' });
    expect(again.statusCode).toBe(409);
    expect((await post('l0001', `/api/v1/transfers/${waiting.id}/withdraw`, { reason: 'not mine' })).statusCode).toBe(404);
    // the target's registrar decides a waiting application, and does not withdraw it; another institution's does not see it
    expect((await post('registrar.c', `/api/v1/transfers/${waiting.id}/withdraw`, { reason: 'the registrar decides it' })).statusCode).toBe(403);
    expect((await post('registrar.b', `/api/v1/transfers/${waiting.id}/withdraw`, { reason: 'another institution' })).statusCode).toBe(404);
    const noReason = await post('l0000', `/api/v1/transfers/${waiting.id}/withdraw`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].path).toBe('body.reason');
    expect((await post('l0000', `/api/v1/transfers/${waiting.id}/withdraw`, { reason: ' ' })).json().errors[0].path).toBe('body.reason');
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
