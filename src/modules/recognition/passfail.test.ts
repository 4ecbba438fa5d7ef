// Pass/fail is its own kind of scale in transfers: a Pass (合格) from a pass/fail institution never
// becomes a number of a graded one by way of grading tables. Without the agreement's pass/fail rule
// the line goes to the target's registrar to decide; with one, the Pass becomes the named grade.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { insertUserWithGrants } from '../auth/service.js';
import { createCourses } from '../catalog/service.js';
import { addScale, createInstitution } from '../institutions/service.js';
import { createLearner } from '../learners/service.js';
import { recordCourseResult } from '../outcomes/service.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, PASSWORD, signIn, type Alliance } from '../../test/fixture.js';

type Verdict = {
  course: { code: string };
  status: string;
  reason: string | null;
  convertedGrade: { grade: string; method: string } | null;
  target: unknown;
  credits: string | null;
  evaluationTaskId: string | null;
  equivalenceId: string | null;
};

describe('POST /api/v1/grade-conversions with a one-grade table', () => {
  let database: TestDatabase;
  let app: App;
  beforeAll(async () => {
    database = await openTestDatabase('pglite'); // stateless: one backend is enough
    app = await makeApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('does not turn a Pass into the top band of a graded table', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/grade-conversions',
      payload: {
        from: { grades: [{ label: 'Pass', count: 40 }] },
        to: {
          grades: [
            { label: '80', count: 10 },
            { label: '70', count: 20 },
          ],
        },
        grade: 'Pass',
        policy: 'max',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ path: 'body.from.grades', message: expect.stringMatching(/one passing grade/) });
  });
});

describe.each(backends)('pass/fail results in transfers on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let p: { id: string };
  let pf: Record<string, string>;
  let outcomeIds: Record<string, string>;
  let firstAgreement: string;
  const c: Record<string, ReturnType<typeof as>> = {};
  const check = async (who: string) =>
    (await c[who]!({ method: 'POST', url: '/api/v1/transfer-checks', payload: { targetInstitutionId: fx.a.id, mine: true, requestEvaluation: true } })).json()
      .items as Verdict[];
  const agree = async (code: string, extra: Record<string, unknown>) => {
    const res = await c['registrar.a']!({
      method: 'POST',
      url: '/api/v1/agreements',
      payload: {
        code,
        titleZh: '甲丙学分互认协议',
        titleEn: 'A–P recognition',
        kind: 'bilateral',
        partyIds: [fx.a.id, p.id],
        validFrom: '2024-01-01',
        gradeMethod: 'table',
        ...extra,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await c['registrar.p']!({ method: 'POST', url: `/api/v1/agreements/${res.json().id}/approve` })).json().status).toBe('in_force');
    return res.json().id as string;
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    const { db } = database;
    // a training centre that grades pass/fail only
    p = await createInstitution(db, fx.admin, {
      code: 'PFTC',
      nameZh: '丙培训中心',
      nameEn: 'Pass-Fail Training Centre',
      kind: 'training_provider',
      country: 'CN',
      creditSystem: { unit: 'credit', hoursPerCredit: '16', hourType: 'contact', effectiveFrom: '2015-09-01' },
    });
    await addScale(db, fx.admin, p.id, { code: 'pf', nameZh: '合格制', nameEn: 'Pass/fail', definition: { type: 'pass_fail' }, effectiveFrom: '2015-09-01' });
    const made = (await createCourses(db, fx.admin, p.id, [
      { code: 'PF101', titleZh: '编程实训', titleEn: 'Programming Workshop', credits: '3', hours: 48, iscedCode: '0613' },
      { code: 'PF102', titleZh: '数据实训', titleEn: 'Data Workshop', credits: '2', hours: 32, iscedCode: '0613' },
    ]))!;
    pf = Object.fromEntries(made.map((x) => [x.code, x.id]));
    await insertUserWithGrants(db, {
      username: 'registrar.p',
      password: PASSWORD,
      displayName: 'Registrar P',
      grants: [{ role: 'registrar', institutionId: p.id }],
    });
    await createLearner(db, fx.admin, p.id, { fullName: '王合格', externalId: 'P001', login: { username: 'pat', password: PASSWORD } });
    for (const [course, term, on] of [
      ['PF101', '2023-2024-2', '2024-07-01'],
      ['PF102', '2024-2025-1', '2025-01-15'],
    ] as const) {
      await recordCourseResult(db, fx.admin, p.id, { externalId: 'P001', courseCode: course, term, attempt: 1, grade: '合格', completedOn: on });
    }
    // graded marks at A in the same field over two years, for A's grading table
    for (const [i, m] of ['95', '88', '82', '76', '71', '64'].entries()) {
      await createLearner(db, fx.admin, fx.a.id, { fullName: `学生${i}`, externalId: `GA${i}` });
      await recordCourseResult(db, fx.admin, fx.a.id, {
        externalId: `GA${i}`,
        courseCode: 'CS101',
        term: i % 2 ? '2023-2024-1' : '2024-2025-1',
        attempt: 1,
        grade: m,
        completedOn: i % 2 ? '2024-01-15' : '2025-01-15',
      });
    }
    for (const name of ['registrar.a', 'reviewer.a', 'registrar.p', 'pat']) c[name] = as(app, { cookie: await signIn(app, name) });
    outcomeIds = Object.fromEntries(
      (await c.pat!({ method: 'GET', url: '/api/v1/me/account' })).json().outcomes.map((o: { courseCode: string; id: string }) => [o.courseCode, o.id]),
    );
    // both institutions publish their tables: P's has the one grade Pass
    for (const [who, id] of [
      ['registrar.a', fx.a.id],
      ['registrar.p', p.id],
    ] as const) {
      const t = await c[who]!({
        method: 'POST',
        url: `/api/v1/institutions/${id}/grading-tables`,
        payload: { iscedCode: '0613', fromYear: 2024, toYear: 2025, publish: true },
      });
      expect(t.statusCode, t.body).toBe(201);
    }
    const equivalences = [
      {
        sourceInstitutionId: p.id,
        targetInstitutionId: fx.a.id,
        sourceCourseIds: [pf.PF101],
        target: { kind: 'courses', courseIds: [fx.courseA[0]!.id] },
        effectiveFrom: '2020-09-01',
      },
      {
        sourceInstitutionId: p.id,
        targetInstitutionId: fx.a.id,
        sourceCourseIds: [pf.PF102],
        target: { kind: 'elective', category: '专业选修 Major elective', iscedCode: '0613' },
        effectiveFrom: '2020-09-01',
      },
    ];
    for (const e of equivalences) expect((await c['reviewer.a']!({ method: 'POST', url: '/api/v1/equivalences', payload: e })).statusCode).toBe(201);
    expect(
      (
        await c['registrar.p']!({
          method: 'POST',
          url: '/api/v1/equivalences',
          payload: {
            sourceInstitutionId: fx.a.id,
            targetInstitutionId: p.id,
            sourceCourseIds: [fx.courseA[0]!.id],
            target: { kind: 'courses', courseIds: [pf.PF101] },
            effectiveFrom: '2020-09-01',
          },
        })
      ).statusCode,
    ).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('validates a pass/fail rule against the parties’ scales, naming the field', async () => {
    const post = (gradeTables: unknown) =>
      c['registrar.a']!({
        method: 'POST',
        url: '/api/v1/agreements',
        payload: { code: 'A-P-BAD', titleZh: '甲丙', titleEn: 'A–P', kind: 'bilateral', partyIds: [fx.a.id, p.id], validFrom: '2024-01-01', gradeTables },
      });
    const path = async (gradeTables: unknown) => (await post(gradeTables)).json().errors[0].path;
    expect(await path([{ from: fx.a.id, table: { type: 'pass_fail', pass: '75' } }])).toBe('body.gradeTables.0.table');
    expect(await path([{ from: p.id, table: { type: 'pass_fail', pass: '50' } }])).toBe('body.gradeTables.0.table.pass');
    expect(await path([{ from: p.id, table: { type: 'pass_fail', pass: '良' } }])).toBe('body.gradeTables.0.table.pass');
    expect(await path([{ from: p.id, table: { type: 'pass_fail', pass: '' } }])).toBe('body.gradeTables.0.table.pass');
    expect(
      await path([
        { from: p.id, table: { type: 'pass_fail', pass: '75' } },
        { from: p.id, table: { type: 'pass_fail', pass: '80' } },
      ]),
    ).toBe('body.gradeTables.1.from');
  });

  it('without a rule: a Pass is not converted to a number; the line waits for the target’s registrar, who decides it', async () => {
    firstAgreement = await agree('A-P-2024', {});
    const items = await check('pat');
    const line = items.find((v) => v.course.code === 'PF101')!;
    expect(line).toMatchObject({
      status: 'maybe',
      convertedGrade: null,
      target: { kind: 'courses', courses: [{ code: 'CS101' }] },
      credits: '3.5',
      reason: expect.stringMatching(/pass\/fail result \(Pass\) has no grade on the receiving scale and the agreement sets no pass\/fail rule/),
      equivalenceId: expect.any(String),
      evaluationTaskId: null,
    });
    // the course is evaluated already: no evaluation task is opened for it
    const tasks = (await c['reviewer.a']!({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/evaluation-tasks?status=all` })).json().items;
    expect(tasks).toEqual([]);
    // a public question about the course, without a grade, is a Pass and gets the same answer
    const asked = (
      await as(app)({
        method: 'POST',
        url: '/api/v1/transfer-checks',
        payload: { sourceInstitutionId: p.id, targetInstitutionId: fx.a.id, courses: [{ courseId: pf.PF101 }] },
      })
    ).json().items[0];
    expect(asked).toMatchObject({ status: 'maybe', convertedGrade: null });

    // applied for, the line cannot be accepted as a Match; substituted, it carries no grade
    const applied = await c.pat!({ method: 'POST', url: '/api/v1/me/transfers', payload: { targetInstitutionId: fx.a.id, outcomeIds: [outcomeIds.PF101] } });
    expect(applied.statusCode).toBe(201);
    const transfer = applied.json();
    expect(transfer.lines[0].proposal).toMatchObject({ status: 'maybe', convertedGrade: null });
    const decide = (lines: unknown[]) => c['registrar.a']!({ method: 'POST', url: `/api/v1/transfers/${transfer.id}/decide`, payload: { lines } });
    expect((await decide([{ lineNo: 1, decision: 'accept' }])).json().errors[0].path).toBe('body.lines.0.decision');
    const decided = await decide([
      {
        lineNo: 1,
        decision: 'substitute',
        target: { kind: 'courses', courseIds: [fx.courseA[0]!.id] },
        credits: '3.5',
        reason: '合格计入，不折算分数 / the pass counts, without a mark',
      },
    ]);
    expect(decided.statusCode).toBe(200);
    expect(decided.json().lines[0]).toMatchObject({ status: 'substituted', credits: '3.5', convertedGrade: null });
  });

  it('with the agreement’s rule: a Pass becomes the grade it names', async () => {
    expect(
      (
        await c['registrar.a']!({
          method: 'POST',
          url: `/api/v1/agreements/${firstAgreement}/terminate`,
          payload: { reason: 'replaced by the version with a pass/fail rule' },
        })
      ).statusCode,
    ).toBe(200);
    const id = await agree('A-P-2025', { gradeTables: [{ from: p.id, table: { type: 'pass_fail', pass: '75' } }] });
    expect((await as(app)({ method: 'GET', url: `/api/v1/agreements/${id}` })).json().gradeTables).toEqual([
      { from: p.id, table: { type: 'pass_fail', pass: '75' } },
    ]);
    const line = (await check('pat')).find((v) => v.course.code === 'PF102')!;
    expect(line).toMatchObject({ status: 'match', convertedGrade: { grade: '75', method: 'pass/fail rule' }, credits: '2' });
    const applied = (
      await c.pat!({ method: 'POST', url: '/api/v1/me/transfers', payload: { targetInstitutionId: fx.a.id, outcomeIds: [outcomeIds.PF102] } })
    ).json();
    const decided = await c['registrar.a']!({
      method: 'POST',
      url: `/api/v1/transfers/${applied.id}/decide`,
      payload: { lines: [{ lineNo: 1, decision: 'accept' }] },
    });
    expect(decided.json().lines[0]).toMatchObject({ status: 'accepted', credits: '2', convertedGrade: '75' });
  });

  it('a passing grade sent to a pass/fail institution is a Pass there', async () => {
    const res = await as(app)({
      method: 'POST',
      url: '/api/v1/transfer-checks',
      payload: { sourceInstitutionId: fx.a.id, targetInstitutionId: p.id, courses: [{ courseId: fx.courseA[0]!.id, grade: '88', completedOn: '2025-01-15' }] },
    });
    expect(res.json().items[0]).toMatchObject({ status: 'match', convertedGrade: { grade: 'Pass', method: 'pass/fail' } });
  });
});
