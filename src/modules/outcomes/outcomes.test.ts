// Course results and the credit ledger through the API: deposits, corrections as reversals,
// balances derived from postings, and no double posting under concurrency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { createCourses } from '../catalog/service.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';

describe.each(backends)('outcomes and the ledger on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let registrarA: ReturnType<typeof as>;
  let registrarB: ReturnType<typeof as>;
  let alice: ReturnType<typeof as>;
  const record = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    registrarA({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/outcomes`, payload: body, headers });
  const account = async () => (await alice({ method: 'GET', url: '/api/v1/me/account' })).json();
  const ledger = async () => (await alice({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ledger` })).json();

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
    registrarB = as(app, { cookie: await signIn(app, 'registrar.b') });
    alice = as(app, { cookie: await signIn(app, 'alice') });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('starts with an empty account and a checkable account number', async () => {
    const view = await account();
    expect(view.learner.accountNo).toMatch(/^CB\d{12}$/);
    expect(view.balances).toEqual([]);
    expect(view.outcomes).toEqual([]);
    expect(view.enrolments).toEqual([expect.objectContaining({ institutionCode: 'UNIA', externalId: 'A001' })]);
  });

  it('deposits the credits of a passed course in the same step as the record', async () => {
    const res = await record({ externalId: 'A001', courseCode: 'CS101', term: '2023-2024-1', grade: '86', completedOn: '2024-01-15' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      grade: '86',
      passed: true,
      credits: '3.5',
      unit: 'credit',
      status: 'recorded',
      postings: [{ seq: 1, kind: 'deposit', amount: '3.5' }],
    });
    const view = await account();
    expect(view.balances).toEqual([{ unit: 'credit', available: '3.5', used: '0' }]);
    expect(view.outcomes[0]).toMatchObject({ courseCode: 'CS101', courseTitleZh: '程序设计基础', term: '2023-2024-1', credits: '3.5' });
  });

  it('records a failed course without credits, and refuses the same result twice', async () => {
    const fail = await record({ learnerId: fx.alice.id, courseCode: 'MA101', term: '2023-2024-1', grade: '52', completedOn: '2024-01-15' });
    expect(fail.statusCode).toBe(201);
    expect(fail.json()).toMatchObject({ passed: false, postings: [] });
    const dup = await record({ learnerId: fx.alice.id, courseCode: 'MA101', term: '2023-2024-1', grade: '55', completedOn: '2024-01-15' });
    expect(dup.statusCode).toBe(409);
    const retake = await record({ learnerId: fx.alice.id, courseCode: 'MA101', term: '2024-2025-1', attempt: 2, grade: '71', completedOn: '2025-01-15' });
    expect(retake.statusCode).toBe(201);
    expect((await account()).balances[0]).toMatchObject({ available: '8.5' });
  });

  it('validates grades against the institution’s scale and names the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ externalId: 'A001', courseCode: 'CS101', term: '2023-2024-2', grade: '101', completedOn: '2024-07-01' }, 'body.grade'],
      [{ externalId: 'A001', courseCode: 'CS101', term: '2023-2024-2', grade: '优', completedOn: '2024-07-01' }, 'body.grade'],
      [{ externalId: 'A001', courseCode: 'CS101', term: '2023/24', grade: '80', completedOn: '2024-07-01' }, 'body.term'],
      [{ externalId: 'A001', courseCode: 'CS101', term: '2023-2024-2', grade: '80', completedOn: '2024-02-30' }, 'body.completedOn'],
      [{ externalId: 'Z999', courseCode: 'CS101', term: '2023-2024-2', grade: '80', completedOn: '2024-07-01' }, 'body.externalId'],
      [{ externalId: 'A001', courseCode: 'NOPE', term: '2023-2024-2', grade: '80', completedOn: '2024-07-01' }, 'body.courseCode'],
      [{ courseCode: 'CS101', term: '2023-2024-2', grade: '80', completedOn: '2024-07-01' }, 'body.learnerId'],
      [{ externalId: 'B001', courseCode: 'CS101', term: '2023-2024-2', grade: '80', completedOn: '2024-07-01' }, 'body.externalId'],
    ];
    for (const [body, path] of cases) {
      const res = await record(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors[0].path, JSON.stringify(body)).toBe(path);
    }
    const five = await registrarB({
      method: 'POST',
      url: `/api/v1/institutions/${fx.b.id}/outcomes`,
      payload: { externalId: 'B001', courseCode: 'SW101', term: '2023-2024-1', grade: '86', completedOn: '2024-01-15' },
    });
    expect(five.statusCode).toBe(400);
    expect(five.json().errors[0].message).toContain('优');
    expect((await account()).balances[0]).toMatchObject({ available: '8.5' });
  });

  it('reads a grade as 教务系统 export it (full-width, trailing zeros) and refuses a fraction on a whole-number scale', async () => {
    await createCourses(database.db, fx.admin, fx.a.id, [
      { code: 'HI101', titleZh: '中国近现代史纲要', titleEn: 'Modern Chinese History', credits: '2', hours: 32, iscedCode: '0222' },
    ]);
    const fraction = await record({ externalId: 'A001', courseCode: 'HI101', term: '2024-2025-1', grade: '85.5', completedOn: '2025-01-15' });
    expect(fraction.statusCode).toBe(400);
    expect(fraction.json().errors[0]).toEqual({
      path: 'body.grade',
      message: '百分制成绩须为整数，85.5 有小数部分 / percentage grade must be a whole number on this scale; 85.5 has a fraction',
    });
    const wide = await record({ externalId: 'A001', courseCode: 'HI101', term: '2024-2025-1', grade: '８５．０', completedOn: '2025-01-15' });
    expect(wide.statusCode).toBe(201);
    expect(wide.json()).toMatchObject({ grade: '85', passed: true, counted: true });
    await registrarA({ method: 'POST', url: `/api/v1/outcomes/${wide.json().id}/revoke`, payload: { reason: 'test clean-up' } });
  });

  it('corrects a grade by reversal and a new posting, never an edit', async () => {
    const original = (await account()).outcomes.find((o: { courseCode: string }) => o.courseCode === 'CS101');
    const res = await registrarA({ method: 'POST', url: `/api/v1/outcomes/${original.id}/correct`, payload: { grade: '59', reason: '复核后更正 re-marked' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ grade: '59', passed: false, supersedes: original.id, postings: [] });
    const view = await account();
    expect(view.balances[0]).toMatchObject({ available: '5' });
    const old = view.outcomes.find((o: { id: string }) => o.id === original.id);
    expect(old).toMatchObject({ status: 'superseded', grade: '86', reason: '复核后更正 re-marked' });
    const history = await ledger();
    const reversal = history.items.find((p: { kind: string }) => p.kind === 'reversal');
    expect(reversal).toMatchObject({ amount: '3.5', fromState: 'available', toState: null, reversesSeq: 1, memo: '复核后更正 re-marked' });
    expect(history.items.find((p: { seq: number }) => p.seq === 1)).toMatchObject({ reversedBySeq: reversal.seq, kind: 'deposit' });
    expect(history.items[0].balanceAfter).toEqual({ available: '5', used: '0' });

    const again = await registrarA({ method: 'POST', url: `/api/v1/outcomes/${original.id}/correct`, payload: { grade: '90', reason: 'second try' } });
    expect(again.statusCode).toBe(409);
    const other = await registrarB({ method: 'POST', url: `/api/v1/outcomes/${res.json().id}/correct`, payload: { grade: '90', reason: 'not mine' } });
    expect(other.statusCode).toBe(403);
    const back = await registrarA({
      method: 'POST',
      url: `/api/v1/outcomes/${res.json().id}/correct`,
      payload: { grade: '90', reason: '再次复核 second review' },
    });
    expect(back.statusCode).toBe(201);
    expect((await account()).balances[0]).toMatchObject({ available: '8.5' });
  });

  it('revokes a record entered in error and reverses its credits', async () => {
    await createCourses(database.db, fx.admin, fx.a.id, [
      { code: 'PH101', titleZh: '大学物理', titleEn: 'Physics', credits: '2', hours: 32, iscedCode: '0533' },
    ]);
    const made = (await record({ externalId: 'A001', courseCode: 'PH101', term: '2024-2025-2', grade: '77', completedOn: '2025-07-01' })).json();
    expect(made).toMatchObject({ counted: true, postings: [{ kind: 'deposit', amount: '2' }] });
    expect((await account()).balances[0]).toMatchObject({ available: '10.5' });
    const res = await registrarA({ method: 'POST', url: `/api/v1/outcomes/${made.id}/revoke`, payload: { reason: 'entered for the wrong learner' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'revoked', postings: [{ kind: 'reversal', amount: '2' }] });
    expect((await account()).balances[0]).toMatchObject({ available: '8.5' });
    expect((await registrarA({ method: 'POST', url: `/api/v1/outcomes/${made.id}/revoke`, payload: { reason: 'twice' } })).statusCode).toBe(409);
  });

  it('counts a course passed twice once; revoking the attempt that holds its credits passes them to the other', async () => {
    const holder = (await account()).outcomes.find((o: { courseCode: string; status: string }) => o.courseCode === 'CS101' && o.status === 'recorded');
    const retake = await record({ externalId: 'A001', courseCode: 'CS101', term: '2024-2025-2', attempt: 2, grade: '95', completedOn: '2025-07-01' });
    expect(retake.statusCode).toBe(201);
    expect(retake.json()).toMatchObject({ passed: true, counted: false, postings: [] });
    expect((await account()).balances[0]).toMatchObject({ available: '8.5' });
    // the attempt holding the credits is revoked: the retake takes them over, the balance stays
    const res = await registrarA({ method: 'POST', url: `/api/v1/outcomes/${holder.id}/revoke`, payload: { reason: 'recorded twice by mistake' } });
    expect(res.statusCode).toBe(200);
    expect((await account()).balances[0]).toMatchObject({ available: '8.5' });
    const history = (await ledger()).items;
    expect(history[0]).toMatchObject({ kind: 'deposit', amount: '3.5', causeId: retake.json().id });
    expect(history[1]).toMatchObject({ kind: 'reversal', amount: '3.5', causeId: holder.id });
  });

  it('pages the ledger newest first with balances after each posting', async () => {
    const first = (await alice({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ledger?limit=2` })).json();
    expect(first.items.map((p: { seq: number }) => p.seq)).toEqual([...first.items.map((p: { seq: number }) => p.seq)].sort((a, b) => b - a));
    const rest = (await alice({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ledger?limit=100&cursor=${first.nextCursor}` })).json();
    const all = [...first.items, ...rest.items];
    expect(all.at(-1).seq).toBe(1);
    expect(rest.nextCursor).toBeNull();
    // the running balance is the sum of the signed moves
    let available = 0;
    for (const p of [...all].reverse()) {
      const amount = Math.round(Number(p.amount) * 100);
      if (p.toState === 'available') available += amount;
      if (p.fromState === 'available') available -= amount;
      expect(Math.round(Number(p.balanceAfter.available) * 100)).toBe(available);
    }
  });

  it('honours Idempotency-Key: a retry gets the first answer, another body is refused', async () => {
    const body = { externalId: 'A001', courseCode: 'MA101', term: '2025-2026-1', attempt: 3, grade: '80', completedOn: '2026-01-15' };
    const one = await record(body, { 'idempotency-key': 'nightly-2026-01-16-0001' });
    const two = await record(body, { 'idempotency-key': 'nightly-2026-01-16-0001' });
    expect(one.statusCode).toBe(201);
    expect(two.statusCode).toBe(201);
    expect(two.json().id).toBe(one.json().id);
    const other = await record({ ...body, grade: '81' }, { 'idempotency-key': 'nightly-2026-01-16-0001' });
    expect(other.statusCode).toBe(422);
  });

  it('never double-posts when the same result arrives twice at once', async () => {
    await createCourses(database.db, fx.admin, fx.a.id, [
      { code: 'EN101', titleZh: '大学英语', titleEn: 'College English', credits: '3.5', hours: 56, iscedCode: '0231' },
    ]);
    const body = { externalId: 'A001', courseCode: 'EN101', term: '2025-2026-2', grade: '70', completedOn: '2026-07-01' };
    const second = backend === 'postgres' ? as(await makeApp(await database.reopen()), { cookie: await signIn(app, 'registrar.a') }) : registrarA;
    const before = (await account()).balances[0].available;
    const results = await Promise.all([record(body), second({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/outcomes`, payload: body }), record(body)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    const after = (await account()).balances[0].available;
    expect(Number(after) - Number(before)).toBe(3.5);
    const seqs = (await ledger()).items.map((p: { seq: number }) => p.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it.skipIf(backend !== 'postgres')('keeps postings of two processes in one sequence per account', async () => {
    const other = await makeApp(await database.reopen());
    const r2 = as(other, { cookie: await signIn(other, 'registrar.a') });
    const terms = ['2026-2027-1', '2026-2027-2', '2027-2028-1', '2027-2028-2'];
    const results = await Promise.all(
      terms.map((term, i) =>
        (i % 2 ? r2 : registrarA)({
          method: 'POST',
          url: `/api/v1/institutions/${fx.a.id}/outcomes`,
          payload: { externalId: 'A001', courseCode: 'MA101', term, attempt: 9, grade: '90', completedOn: '2026-01-01' },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    const seqs = (await ledger()).items.map((p: { seq: number }) => p.seq).sort((a: number, b: number) => a - b);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    await other.close();
  });
});
