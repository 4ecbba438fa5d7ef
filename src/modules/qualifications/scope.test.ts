// Issue 17: staff of one of a learner's several institutions read their institution's part of the
// account (learners/service.ts readScope), here in what the first pass left open: the ledger's
// inclusion proofs, the audit exceptions, and degree audits. A registrar auditing their own
// programme sees the other institution's credits that count toward it (what each is, its credits,
// where it was earned), not the rest of the learner's record there.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import type { Json } from '../credentials/loader.js';

type Caller = ReturnType<typeof as>;

describe.each(backends)('what staff of one of several institutions read on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let registrarA: Caller;
  let registrarB: Caller;
  let admin: Caller;
  let learnerId: string;
  const programmes: Record<'a' | 'b', string> = { a: '', b: '' };

  const requirements = (courses: string[]) => ({
    totalCredits: '20',
    root: ['core', 'computing'],
    nodes: [
      { id: 'core', kind: 'courses', titleZh: '核心', titleEn: 'Core', courses },
      { id: 'computing', kind: 'credits', titleZh: '计算', titleEn: 'Computing', minCredits: '3', filter: { fields: ['0613'] } },
    ],
    countExternal: true,
  });

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
    registrarB = as(app, { cookie: await signIn(app, 'registrar.b') });
    admin = as(app, { cookie: await signIn(app, 'admin') });
    for (const [key, caller, inst, core] of [
      ['a', registrarA, fx.a.id, 'MA101'],
      ['b', registrarB, fx.b.id, 'SW101'],
    ] as const) {
      const made = await caller({
        method: 'POST',
        url: `/api/v1/institutions/${inst}/programmes`,
        payload: { code: `P-${key}`, titleZh: `专业${key}`, titleEn: `Programme ${key}`, qualification: 'associate', totalCredits: '20', iscedCode: '0613' },
      });
      expect(made.statusCode, made.body).toBe(201);
      programmes[key] = made.json().id;
      const put = await caller({ method: 'PUT', url: `/api/v1/programmes/${programmes[key]}/requirements/2023`, payload: requirements([core]) });
      expect(put.statusCode, put.body).toBe(200);
    }
    // a learner of A (two passing attempts at CS101: the better counts, the other is a retake) …
    const made = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/learners`,
      payload: { fullName: '孙两校', birthDate: '2002-03-04', externalId: 'A-SUN', enrolledOn: '2023-09-01' },
    });
    expect(made.statusCode, made.body).toBe(201);
    learnerId = made.json().id;
    for (const [attempt, term, grade, completedOn] of [
      [1, '2023-2024-1', '65', '2024-01-15'],
      [2, '2023-2024-2', '90', '2024-06-30'],
    ] as const) {
      const r = await registrarA({
        method: 'POST',
        url: `/api/v1/institutions/${fx.a.id}/outcomes`,
        payload: { externalId: 'A-SUN', courseCode: 'CS101', term, attempt, grade, completedOn },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    // … enrolled at B as well (linked: how is not what this tests), in B's programme, with a result there
    await database.db.execute(
      sql`insert into enrolments (learner_id, institution_id, external_id, programme_id, enrolled_on) values (${learnerId}, ${fx.b.id}, 'B-SUN', ${programmes.b}, '2023-09-01')`,
    );
    await database.db.execute(sql`update enrolments set programme_id = ${programmes.a} where learner_id = ${learnerId} and institution_id = ${fx.a.id}`);
    const r = await registrarB({
      method: 'POST',
      url: `/api/v1/institutions/${fx.b.id}/outcomes`,
      payload: { externalId: 'B-SUN', courseCode: 'SW101', term: '2023-2024-1', grade: '优', completedOn: '2024-01-10' },
    });
    expect(r.statusCode, r.body).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("gives a posting's inclusion proof to staff of the institution it belongs to, not to the other's", async () => {
    const seqsOf = async (caller: Caller) =>
      ((await caller({ method: 'GET', url: `/api/v1/learners/${learnerId}/ledger` })).json().items as { seq: number }[]).map((p) => p.seq);
    const [atA, atB] = [await seqsOf(registrarA), await seqsOf(registrarB)];
    expect(atA.length).toBeGreaterThan(0);
    expect(atB.length).toBeGreaterThan(0);
    const proof = (caller: Caller, seq: number) => caller({ method: 'GET', url: `/api/v1/learners/${learnerId}/ledger/${seq}/proof` });
    for (const seq of atA) {
      expect((await proof(registrarA, seq)).statusCode).toBe(200);
      const refused = await proof(registrarB, seq);
      expect(refused.statusCode, refused.body).toBe(404);
      expect(refused.body).not.toContain('CS101');
      expect((await proof(admin, seq)).statusCode).toBe(200);
    }
    for (const seq of atB) {
      expect((await proof(registrarB, seq)).statusCode).toBe(200);
      expect((await proof(registrarA, seq)).statusCode).toBe(404);
    }
  });

  it("lists the waivers of an institution's own programmes to its staff, all of them to the administrator", async () => {
    const waive = (caller: Caller, programmeId: string, reason: string) =>
      caller({ method: 'POST', url: `/api/v1/learners/${learnerId}/audit-exceptions`, payload: { programmeId, kind: 'waive', nodeId: 'core', reason } });
    expect((await waive(registrarA, programmes.a, 'A: medical exemption from calculus')).statusCode).toBe(201);
    expect((await waive(registrarB, programmes.b, 'B: prior industry work')).statusCode).toBe(201);
    const list = async (caller: Caller) => {
      const res = await caller({ method: 'GET', url: `/api/v1/learners/${learnerId}/audit-exceptions` });
      expect(res.statusCode, res.body).toBe(200);
      return res;
    };
    const atB = await list(registrarB);
    expect(atB.json().items.map((e: Json) => e.programmeId)).toEqual([programmes.b]);
    expect(atB.body).not.toContain('medical');
    expect((await list(registrarA)).json().items.map((e: Json) => e.programmeId)).toEqual([programmes.a]);
    expect((await list(admin)).json().items).toHaveLength(2);
    // naming the other's programme gives nothing either
    expect((await registrarB({ method: 'GET', url: `/api/v1/learners/${learnerId}/audit-exceptions?programme=${programmes.a}` })).json().items).toEqual([]);
  });

  it("shows B's registrar, in B's audit, A's credits that count (course, credits, where), not A's retake", async () => {
    const whole = (await admin({ method: 'GET', url: `/api/v1/learners/${learnerId}/audits?programmes=${programmes.b}` })).json().audits[0];
    const cs101 = whole.items.filter((i: Json) => i.source === 'UNIA');
    expect(cs101).toHaveLength(2); // both attempts, as the learner and the administrator see them
    const retake = whole.excluded.find((e: Json) => e.reason === 'retake' || e.reason === 'duplicate');
    expect(retake).toBeDefined();

    const res = await registrarB({ method: 'GET', url: `/api/v1/learners/${learnerId}/audits` });
    expect(res.statusCode, res.body).toBe(200);
    const [audit] = res.json().audits;
    expect(audit.programme.id).toBe(programmes.b);
    // the credit that counts is there, with what it is and where it was earned
    const counted = audit.items.filter((i: Json) => i.source === 'UNIA');
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({ origin: 'external', titleEn: 'CS101 Programming Fundamentals', credits: '3.5' });
    expect(audit.counted).toContain(counted[0].id);
    // the same figures as the whole audit: nothing that counts is hidden
    expect(audit.total).toEqual(whole.total);
    expect(audit.complete).toBe(whole.complete);
    // the retake at A counts for nothing here: not shown
    expect(JSON.stringify(audit)).not.toContain(retake.id);
    expect(audit.excluded.filter((e: Json) => e.id.startsWith('outcome:') && !audit.items.some((i: Json) => i.id === e.id))).toEqual([]);

    // a what-if against A's programme: A's records that count toward it, the retake no more
    const whatIf = (await registrarB({ method: 'GET', url: `/api/v1/learners/${learnerId}/audits?programmes=${programmes.a}` })).json().audits[0];
    expect(whatIf.items.filter((i: Json) => i.source === 'UNIA')).toHaveLength(1);
    expect(JSON.stringify(whatIf)).not.toContain(retake.id);
  });
});
