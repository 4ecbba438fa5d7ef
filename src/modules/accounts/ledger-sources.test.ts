// Issue 22 (names instead of identifiers): each posting of the ledger history names what it came
// from — the course of a result, the certificate of a certification, the source course of a
// transfer line, the programme of an award — joined in the page's one query, for the learner and for
// staff of limited scope alike; a cause with nothing to name has no source.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCredits } from '../../core/credits.js';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import * as ledger from '../ledger/service.js';

type Caller = ReturnType<typeof as>;
type Posting = {
  seq: number;
  kind: string;
  causeType: string;
  source: {
    code: string | null;
    titleZh: string;
    titleEn: string;
    institutionNameZh: string | null;
    institutionNameEn: string | null;
    targetInstitutionNameZh: string | null;
    targetInstitutionNameEn: string | null;
  } | null;
};

describe.each(backends)('ledger sources on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let registrarA: Caller;
  let registrarB: Caller;
  let alice: Caller;
  const history = async (caller: Caller, limit = 50) => {
    const res = await caller({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ledger?limit=${limit}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Posting[]; nextCursor: string | null };
  };

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

  it('names the course of each result, the reversal of a revoked one too', async () => {
    for (const [courseCode, grade] of [
      ['CS101', '86'],
      ['MA101', '75'],
    ] as const) {
      const res = await registrarA({
        method: 'POST',
        url: `/api/v1/institutions/${fx.a.id}/outcomes`,
        payload: { externalId: 'A001', courseCode, term: '2023-2024-1', grade, completedOn: '2024-01-15' },
      });
      expect(res.statusCode, res.body).toBe(201);
      if (courseCode === 'MA101') {
        const revoked = await registrarA({
          method: 'POST',
          url: `/api/v1/outcomes/${res.json().id}/revoke`,
          payload: { reason: 'recorded for the wrong learner' },
        });
        expect(revoked.statusCode, revoked.body).toBe(200);
      }
    }
    const { items } = await history(alice);
    expect(items.map((p) => [p.seq, p.kind, p.source?.code])).toEqual([
      [3, 'reversal', 'MA101'],
      [2, 'deposit', 'MA101'],
      [1, 'deposit', 'CS101'],
    ]);
    expect(items[2]!.source).toEqual({
      code: 'CS101',
      titleZh: '程序设计基础',
      titleEn: 'Programming Fundamentals',
      institutionNameZh: '甲大学',
      institutionNameEn: 'University A',
      targetInstitutionNameZh: null,
      targetInstitutionNameEn: null,
    });
    expect(items[0]!.source).toMatchObject({ titleZh: '高等数学', titleEn: 'Calculus' });
  });

  it('names the certificate, the transferred course and the awarded programme; nothing for a cause without one', async () => {
    const { db } = database;
    const cs101 = (await db.execute(sql`select id from outcomes where learner_id = ${fx.alice.id} and course_id = ${fx.courseA[0]!.id}`)) as unknown as {
      rows: { id: string }[];
    };
    const outcomeId = cs101.rows[0]!.id;
    const certification = (await db.execute(sql`
      insert into certification_applications (learner_id, outcome_kind, title, issuing_body, certificate_no, issued_on, route, institution_id, status, credits_granted)
      values (${fx.alice.id}, 'vocational_certificate', '计算机技术与软件专业技术资格（中级）', '人力资源和社会保障部', 'RK-2024-001', '2024-05-01', 'committee', null, 'approved', '2')
      returning id`)) as unknown as { rows: { id: string }[] };
    const application = (await db.execute(sql`
      insert into transfer_applications (learner_id, target_institution_id, status) values (${fx.alice.id}, ${fx.b.id}, 'decided') returning id`)) as unknown as {
      rows: { id: string }[];
    };
    const applicationId = application.rows[0]!.id;
    await db.execute(sql`
      insert into transfer_lines (learner_id, application_id, line_no, target_institution_id, outcome_id, source_institution_id, source_credits, source_unit, proposal, status, credits, unit)
      values (${fx.alice.id}, ${applicationId}, 1, ${fx.b.id}, ${outcomeId}, ${fx.a.id}, '3.5', 'credit', '{}'::jsonb, 'accepted', '3', 'credit')`);
    const programme = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/programmes`,
      payload: { code: 'P-CS', titleZh: '计算机应用', titleEn: 'Applied Computing', qualification: 'associate', totalCredits: '2', iscedCode: '0613' },
    });
    expect(programme.statusCode, programme.body).toBe(201);
    const award = (await db.execute(sql`
      insert into awards (learner_id, programme_id, catalogue_year, status, credits, unit, items, audit)
      values (${fx.alice.id}, ${programme.json().id}, 2023, 'approved', '2', 'credit', '[]'::jsonb, '{}'::jsonb) returning id`)) as unknown as {
      rows: { id: string }[];
    };

    await db.transaction(async (tx) => {
      const cause = (causeType: string, causeId: string) => ({ causeType, causeId, memo: null, createdBy: null });
      await ledger.post(tx, fx.alice.id, 'deposit', 'credit', [{ ...cause('certification', certification.rows[0]!.id), amount: parseCredits('2') }]);
      await ledger.post(tx, fx.alice.id, 'use', 'credit', [{ ...cause('transfer', `${applicationId}:1`), amount: parseCredits('3.5') }]);
      await ledger.post(tx, fx.alice.id, 'transfer_in', 'credit', [{ ...cause('transfer', `${applicationId}:1`), amount: parseCredits('3') }]);
      await ledger.post(tx, fx.alice.id, 'use', 'credit', [{ ...cause('award', award.rows[0]!.id), amount: parseCredits('2') }]);
      await ledger.post(tx, fx.alice.id, 'deposit', 'credit', [{ ...cause('adjustment', 'ticket 42'), amount: parseCredits('1') }]);
    });

    const { items } = await history(alice);
    const byCause = (type: string) => items.filter((p) => p.causeType === type).map((p) => p.source);
    expect(byCause('certification')).toEqual([
      {
        code: 'RK-2024-001',
        titleZh: '计算机技术与软件专业技术资格（中级）',
        titleEn: '计算机技术与软件专业技术资格（中级）',
        institutionNameZh: '人力资源和社会保障部',
        institutionNameEn: '人力资源和社会保障部',
        targetInstitutionNameZh: null,
        targetInstitutionNameEn: null,
      },
    ]);
    // a transfer is a move: both its postings name where the credits came from and where they went
    const move = { code: 'CS101', titleEn: 'Programming Fundamentals', institutionNameEn: 'University A', targetInstitutionNameEn: 'College B' };
    expect(byCause('transfer')).toEqual([expect.objectContaining(move), expect.objectContaining(move)]);
    expect(byCause('award')).toEqual([
      {
        code: 'P-CS',
        titleZh: '计算机应用',
        titleEn: 'Applied Computing',
        institutionNameZh: '甲大学',
        institutionNameEn: 'University A',
        targetInstitutionNameZh: null,
        targetInstitutionNameEn: null,
      },
    ]);
    expect(byCause('adjustment')).toEqual([null]);

    // pages keep their sources (the join runs over each page), and staff of limited scope see them too
    const first = await history(alice, 2);
    expect(first.items.map((p) => p.causeType)).toEqual(['adjustment', 'award']);
    const rest = await alice({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ledger?limit=50&cursor=${encodeURIComponent(first.nextCursor!)}` });
    expect((rest.json() as { items: Posting[] }).items.filter((p) => p.source === null)).toEqual([]);
    const atA = await history(registrarA);
    expect(atA.items.find((p) => p.causeType === 'outcome')?.source?.code).toBeDefined();
    // enrolled at B too (how is not what this tests), B sees the transfer into it, named; not A's results
    await db.execute(
      sql`insert into enrolments (learner_id, institution_id, external_id, enrolled_on) values (${fx.alice.id}, ${fx.b.id}, 'B-ALICE', '2024-09-01')`,
    );
    const atB = await history(registrarB);
    expect(atB.items.map((p) => p.causeType).sort()).toEqual(['transfer', 'transfer']);
    expect(atB.items.every((p) => p.source?.code === 'CS101')).toBe(true);
  });

  it('holds the credits where they are: a transfer moves them from the source (used) to the target (available), never summed', async () => {
    type Held = { institutionId: string | null; nameEn: string | null; unit: string; available: string; used: string };
    const view = (await alice({ method: 'GET', url: '/api/v1/me/account' })).json() as {
      balances: { unit: string; available: string; used: string }[];
      byInstitution: Held[];
    };
    const at = (name: string | null) => view.byInstitution.find((b) => b.nameEn === name);
    // the transferred course (3.5) is used at A, with the award's 2; its 3 recognised credits are available at B
    expect(at('University A')).toMatchObject({ institutionId: fx.a.id, unit: 'credit', used: '5.5' });
    expect(at('College B')).toEqual({ institutionId: fx.b.id, nameZh: '乙职业学院', nameEn: 'College B', unit: 'credit', available: '3', used: '0' });
    // a certificate of a body outside the bank is held under its name; a cause with nothing on record, unnamed
    expect(at('人力资源和社会保障部')).toMatchObject({ institutionId: null, available: '2', used: '0' });
    expect(at(null)).toMatchObject({ institutionId: null, available: '1', used: '0' });
    // every posting is held somewhere, once: the rows add up to the unit's balances
    const sum = (k: 'available' | 'used') => view.byInstitution.reduce((t, b) => t + parseCredits(b[k]), 0);
    expect([sum('available'), sum('used')]).toEqual([parseCredits(view.balances[0]!.available), parseCredits(view.balances[0]!.used)]);
    expect(view.balances).toEqual([{ unit: 'credit', available: expect.any(String), used: expect.any(String) }]);

    // staff of B (limited scope) see B's row alone
    const atB = (await registrarB({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/account` })).json() as { byInstitution: Held[] };
    expect(atB.byInstitution.map((b) => b.nameEn)).toEqual(['College B']);
  });
});
