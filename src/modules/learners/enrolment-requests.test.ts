// Issue 17: a registrar who enrols one person with an identity document held at another institution
// learns nothing of the learner on record unless they prove they know the person (name and birth
// date match: linked, audited); otherwise the enrolment is held until the learner confirms it in
// their account (or declines it), or an administrator decides.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../core/identity.js';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, PASSWORD, signIn, type Alliance } from '../../test/fixture.js';

const residentId = (birth: string, seq: string) => {
  const first17 = `110105${birth.replace(/-/g, '')}${seq}`;
  return `${first17}${residentIdCheckChar(first17)}`;
};
const rowsOf = <T>(res: unknown) => (res as { rows: T[] }).rows;

describe.each(backends)('enrolling a person on record elsewhere on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let registrarA: ReturnType<typeof as>;
  let registrarB: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  let han: ReturnType<typeof as>;
  let hanId: string;
  const birth = '2003-08-09';
  const real = residentId(birth, '411');
  const person = { fullName: '韩梅梅', birthDate: birth, idType: 'resident_id', idNumber: real };

  const enrolAtB = (body: Record<string, unknown>) => registrarB({ method: 'POST', url: `/api/v1/institutions/${fx.b.id}/learners`, payload: body });
  const listedAtB = async (externalId: string) =>
    (await registrarB({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/learners?q=${externalId}` }))
      .json()
      .items.some((l: { externalId: string }) => l.externalId === externalId);
  const requestsOfHan = async () =>
    (await han({ method: 'GET', url: '/api/v1/me/enrolment-requests' })).json().items as { id: string; externalId: string; institution: { code: string } }[];
  const answer = (id: string, decision: string, caller = han) => caller({ method: 'POST', url: `/api/v1/me/enrolment-requests/${id}`, payload: { decision } });
  const merges = async (ref: string) =>
    rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from log_entries where kind = 'identity_merge' and ref = ${ref}`))[0]!.n;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
    registrarB = as(app, { cookie: await signIn(app, 'registrar.b') });
    admin = as(app, { cookie: await signIn(app, 'admin') });
    const made = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/learners`,
      payload: { ...person, externalId: 'A-HAN', login: { username: 'han', password: PASSWORD } },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().outcome).toBe('created');
    hanId = made.json().id;
    han = as(app, { cookie: await signIn(app, 'han') });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('holds the enrolment without proof, answering nothing about the learner on record', async () => {
    const held = await enrolAtB({
      fullName: '韩美美',
      birthDate: birth,
      idType: 'resident_id',
      idNumber: real,
      externalId: 'B-H1',
      login: { username: 'b-h1', password: PASSWORD },
    });
    expect(held.statusCode, held.body).toBe(202);
    expect(Object.keys(held.json()).sort()).toEqual(['enrolledOn', 'externalId', 'fullName', 'outcome', 'requestId']);
    expect(held.json()).toMatchObject({ outcome: 'held', externalId: 'B-H1', fullName: '韩美美' });
    expect(held.body).not.toContain(hanId);
    expect(held.body).not.toContain('韩梅梅');
    // not enrolled, no account opened, no sign-in made, nothing readable
    expect(await listedAtB('B-H1')).toBe(false);
    expect((await registrarB({ method: 'GET', url: `/api/v1/learners/${hanId}/account` })).statusCode).toBe(404);
    expect(rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from users where username = 'b-h1'`))[0]!.n).toBe(0);
    // the registrar sees what it sent, waiting; the other institution does not
    const mine = (await registrarB({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/held-enrolments` })).json().items;
    expect(mine).toEqual([expect.objectContaining({ id: held.json().requestId, externalId: 'B-H1', fullName: '韩美美', status: 'open', resolvedAt: null })]);
    expect(JSON.stringify(mine)).not.toContain(hanId);
    expect((await registrarA({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/held-enrolments` })).statusCode).toBe(403);
    // audited, with the request, and seen by the administrator with the number masked
    const audit = (await admin({ method: 'GET', url: `/api/v1/audit-events?entityType=identity_conflict&limit=50` })).json().items;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'learner.enrolment_held', entityId: held.json().requestId }));
    const open = (await admin({ method: 'GET', url: '/api/v1/identity-conflicts' })).json().items.find((c: { id: string }) => c.id === held.json().requestId);
    expect(open.submitted).toMatchObject({ externalId: 'B-H1', fullName: '韩美美', institutionCode: fx.b.code });
    expect(JSON.stringify(open.submitted)).not.toContain(real);
    expect(open.submitted).not.toHaveProperty('login');
  });

  it('the learner sees the request in their account and confirms it: enrolled, audited and logged, once', async () => {
    const requests = await requestsOfHan();
    expect(requests).toEqual([expect.objectContaining({ externalId: 'B-H1', institution: expect.objectContaining({ code: fx.b.code }) })]);
    // no one else answers for the learner
    expect((await answer(requests[0]!.id, 'accept', registrarB)).statusCode).toBe(403);
    expect((await answer(requests[0]!.id, 'accept', admin)).statusCode).toBe(403);
    const alice = as(app, { cookie: await signIn(app, 'alice') });
    expect((await alice({ method: 'GET', url: '/api/v1/me/enrolment-requests' })).json().items).toEqual([]);
    expect((await answer(requests[0]!.id, 'accept', alice)).statusCode).toBe(404);
    // two answers at once: one takes effect
    const both = await Promise.all([answer(requests[0]!.id, 'accept'), answer(requests[0]!.id, 'accept')]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.statusCode === 200)!.json()).toEqual({ id: requests[0]!.id, status: 'same_person' });
    expect(await listedAtB('B-H1')).toBe(true);
    expect(await merges(requests[0]!.id)).toBe(1);
    expect(await requestsOfHan()).toEqual([]);
    const audit = (await admin({ method: 'GET', url: `/api/v1/audit-events?entityType=identity_conflict&limit=50` })).json().items;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'identity_conflict.learner_accepted', entityId: requests[0]!.id }));
    // B reads only its own part of the account now: nothing A recorded
    const account = await registrarB({ method: 'GET', url: `/api/v1/learners/${hanId}/account` });
    expect(account.statusCode).toBe(200);
    expect(JSON.stringify(account.json())).not.toContain('A-HAN');
  });

  it('links at once on proof (name and birth date match), audited', async () => {
    const other = residentId('1999-01-02', '233');
    const madeA = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/learners`,
      payload: { fullName: '李雷', birthDate: '1999-01-02', idType: 'resident_id', idNumber: other, externalId: 'A-LI' },
    });
    expect(madeA.statusCode, madeA.body).toBe(201);
    const linked = await enrolAtB({ fullName: '李 雷', idType: 'resident_id', idNumber: other, externalId: 'B-LI' });
    expect(linked.statusCode, linked.body).toBe(201);
    expect(linked.json()).toMatchObject({ outcome: 'linked', id: madeA.json().id, accountNo: madeA.json().accountNo, externalId: 'B-LI' });
    expect(await listedAtB('B-LI')).toBe(true);
    const audit = (await admin({ method: 'GET', url: `/api/v1/audit-events?entityType=learner&entityId=${madeA.json().id}&limit=50` })).json().items;
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'learner.link', details: expect.objectContaining({ matched: ['fullName', 'birthDate', 'idDocument'] }) }),
    );
    // a fresh document opens a new account, as before
    const fresh = await enrolAtB({ fullName: '王芳', idType: 'resident_id', idNumber: residentId('2001-02-03', '118'), externalId: 'B-WF' });
    expect(fresh.statusCode, fresh.body).toBe(201);
    expect(fresh.json().outcome).toBe('created');
  });

  it('a declined request is closed and the institution is told; a student number taken meanwhile is refused on accepting', async () => {
    const lucyId = residentId('2000-10-10', '527');
    const made = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/learners`,
      payload: {
        fullName: '陈露',
        birthDate: '2000-10-10',
        idType: 'resident_id',
        idNumber: lucyId,
        externalId: 'A-LU',
        login: { username: 'lucy', password: PASSWORD },
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const lucy = as(app, { cookie: await signIn(app, 'lucy') });
    const first = (await enrolAtB({ fullName: '陈路', idType: 'resident_id', idNumber: lucyId, externalId: 'B-L1' })).json();
    expect(first.outcome).toBe('held');
    expect((await answer(first.requestId, 'decline', lucy)).json()).toEqual({ id: first.requestId, status: 'declined' });
    expect((await answer(first.requestId, 'accept', lucy)).statusCode).toBe(409);
    expect(await listedAtB('B-L1')).toBe(false);
    expect(await merges(first.requestId)).toBe(0);
    const mine = (await registrarB({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/held-enrolments` })).json().items;
    expect(mine).toContainEqual(expect.objectContaining({ id: first.requestId, status: 'declined', resolvedAt: expect.any(String) }));

    const second = (await enrolAtB({ fullName: '陈路', idType: 'resident_id', idNumber: lucyId, externalId: 'B-L2' })).json();
    expect(second.outcome).toBe('held');
    expect((await enrolAtB({ fullName: '别人', externalId: 'B-L2' })).statusCode).toBe(201);
    const taken = await answer(second.requestId, 'accept', lucy);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().detail).toMatch(/student number B-L2 is taken/);
    expect(await merges(second.requestId)).toBe(0);
  });

  it('refuses a bad answer with the field named, and an unknown request as not found', async () => {
    const bad = await han({ method: 'POST', url: `/api/v1/me/enrolment-requests/${hanId}`, payload: { decision: 'maybe' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.decision');
    expect((await answer(hanId, 'accept')).statusCode).toBe(404);
  });
});
