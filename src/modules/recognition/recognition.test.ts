// Mutual recognition through the API: agreements approved by every party, equivalences kept by the
// receiving institution, evaluation tasks with ranked candidates, grading tables from recorded
// grades, and "will it transfer?" putting them together; with the bad cases, which store nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { createCourses } from '../catalog/service.js';
import { createLearner, enrolLearner } from '../learners/service.js';
import { recordCourseResult } from '../outcomes/service.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';

describe('POST /api/v1/grade-conversions', () => {
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
  const daad = {
    grades: [
      { label: '10', count: 50 },
      { label: '9', count: 100 },
      { label: '8', count: 350 },
      { label: '7', count: 300 },
      { label: '6', count: 200 },
    ],
  };
  const ects = { grades: ['A', 'B', 'C', 'D', 'E'].map((label, i) => ({ label, percentage: [10, 25, 30, 20, 15][i]! })) };
  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/api/v1/grade-conversions', payload: payload as object });

  it('converts by band overlap without signing in', async () => {
    const res = await post({ from: daad, to: ects, grade: '8', policy: 'largest-overlap' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      grade: 'B',
      candidates: [
        { label: 'B', overlap: 20 },
        { label: 'C', overlap: 15 },
      ],
      band: [15, 50],
      policy: 'largest-overlap',
      smallGroup: { from: false, to: false },
    });
  });

  it('names what is wrong with a table or a grade', async () => {
    const cases: [unknown, string][] = [
      [{ from: { grades: [] }, to: ects, grade: '8' }, 'body.from.grades'],
      [{ from: daad, to: { grades: [{ label: 'A', count: -1 }] }, grade: 'A' }, 'body.to.grades.0.count'],
      [
        {
          from: daad,
          to: {
            grades: [
              { label: 'A', percentage: 50 },
              { label: 'B', percentage: 20 },
            ],
          },
          grade: '8',
        },
        'body.to.grades',
      ],
      [{ from: { grades: [{ label: 'A', count: 0 }] }, to: ects, grade: 'A' }, 'body.from.grades'],
      [{ from: daad, to: ects, grade: '11' }, 'body.grade'],
      [{ from: daad, to: ects, grade: '8', policy: 'median' }, 'body.policy'],
    ];
    for (const [payload, path] of cases) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().errors[0].path).toBe(path);
    }
  });
});

describe.each(backends)('mutual recognition on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  const c: Record<string, ReturnType<typeof as>> = {};
  let cs201: string;
  let agreementId: string;
  const cs101 = () => fx.courseA[0]!.id;
  const ma101 = () => fx.courseA[1]!.id;
  const sw101 = () => fx.courseB[0]!.id;
  const check = (who: string | null, body: Record<string, unknown>) =>
    (who ? c[who]! : as(app))({ method: 'POST', url: '/api/v1/transfer-checks', payload: body });

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    const [made] = await createCourses(database.db, fx.admin, fx.a.id, [
      {
        code: 'CS201',
        titleZh: '软件工程',
        titleEn: 'Software Engineering',
        credits: '3',
        hours: 48,
        iscedCode: '0613',
        outcomesZh: '掌握软件开发过程与需求分析',
        outcomesEn: 'Software process and requirements analysis',
      },
    ]);
    cs201 = made!.id;
    for (const name of ['admin', 'registrar.a', 'registrar.b', 'reviewer.a', 'reviewer.b', 'alice']) c[name] = as(app, { cookie: await signIn(app, name) });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  describe('agreements', () => {
    const body = () => ({
      code: 'A-B-2025',
      titleZh: '甲乙学分互认协议',
      titleEn: 'A–B credit recognition agreement',
      kind: 'bilateral',
      partyIds: [fx.a.id, fx.b.id],
      iscedScope: ['06'],
      validFrom: '2025-01-01',
      validTo: '2030-12-31',
    });
    it('refuses bad agreements, naming the field', async () => {
      const post = (who: string, payload: object) => c[who]!({ method: 'POST', url: '/api/v1/agreements', payload });
      expect((await post('registrar.a', { ...body(), validTo: '2024-01-01' })).json().errors[0].path).toBe('body.validTo');
      expect((await post('registrar.a', { ...body(), partyIds: [fx.a.id] })).json().errors[0].path).toBe('body.partyIds');
      expect((await post('registrar.a', { ...body(), partyIds: [fx.a.id, fx.a.id] })).json().errors[0].path).toBe('body.partyIds');
      expect((await post('registrar.a', { ...body(), ratio: { from: fx.a.id, num: 0, den: 1 } })).json().errors[0].path).toBe('body.ratio.num');
      expect(
        (await post('registrar.a', { ...body(), ratio: { from: fx.admin.kind === 'user' ? fx.admin.userId : '', num: 3, den: 2 } })).json().errors[0].path,
      ).toBe('body.ratio.from');
      expect((await post('reviewer.a', body())).statusCode).toBe(403);
      expect((await as(app)({ method: 'GET', url: '/api/v1/agreements' })).json().items).toEqual([]);
    });

    it('is in force once every party’s registrar has approved', async () => {
      const res = await c['registrar.a']!({ method: 'POST', url: '/api/v1/agreements', payload: body() });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        status: 'proposed',
        parties: [expect.objectContaining({ code: 'UNIA', approvedAt: expect.any(String) }), expect.objectContaining({ code: 'COLB', approvedAt: null })],
      });
      agreementId = res.json().id;
      expect((await c['registrar.a']!({ method: 'POST', url: `/api/v1/agreements/${agreementId}/approve` })).statusCode).toBe(409);
      expect((await c['reviewer.b']!({ method: 'POST', url: `/api/v1/agreements/${agreementId}/approve` })).statusCode).toBe(403);
      const ok = await c['registrar.b']!({ method: 'POST', url: `/api/v1/agreements/${agreementId}/approve` });
      expect(ok.json()).toMatchObject({ status: 'in_force' });
      expect((await c['registrar.a']!({ method: 'POST', url: '/api/v1/agreements', payload: body() })).statusCode).toBe(409);
    });
  });

  describe('equivalences', () => {
    const rule = (over: Record<string, unknown> = {}) => ({
      sourceInstitutionId: fx.a.id,
      targetInstitutionId: fx.b.id,
      sourceCourseIds: [cs101()],
      target: { kind: 'courses', courseIds: [sw101()] },
      minGrade: '70',
      effectiveFrom: '2020-09-01',
      publicNote: '需达到 70 分 / needs 70 or better',
      ...over,
    });
    it('are kept by the receiving institution and checked against both catalogues and the source scale', async () => {
      const post = (who: string, payload: object) => c[who]!({ method: 'POST', url: '/api/v1/equivalences', payload });
      expect((await post('registrar.a', rule())).statusCode).toBe(403);
      expect((await post('reviewer.b', rule({ sourceCourseIds: [sw101()] }))).json().errors[0].path).toBe('body.sourceCourseIds.0');
      expect((await post('reviewer.b', rule({ target: { kind: 'courses', courseIds: [cs101()] } }))).json().errors[0].path).toBe('body.target.courseIds.0');
      expect((await post('reviewer.b', rule({ minGrade: '优' }))).json().errors[0].path).toBe('body.minGrade');
      expect((await post('reviewer.b', rule({ minGrade: '50' }))).json().errors[0].path).toBe('body.minGrade');
      expect((await post('reviewer.b', rule({ effectiveTo: '2019-01-01' }))).json().errors[0].path).toBe('body.effectiveTo');
      const ok = await post('reviewer.b', rule());
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).toMatchObject({
        sourceCourses: [{ code: 'CS101' }],
        target: { kind: 'courses', courses: [{ code: 'SW101', credits: '4' }] },
        version: 1,
      });
      const clash = await post('reviewer.b', rule({ minGrade: null }));
      expect(clash.statusCode).toBe(409);
      expect(clash.json().errors[0].path).toBe('body.sourceCourseIds');
      // a new version replaces the old from its start; the old one ends the day before (dates are inclusive)
      const v2 = await post('reviewer.b', rule({ minGrade: '65', effectiveFrom: '2024-09-01', replaces: ok.json().id }));
      expect(v2.json()).toMatchObject({ version: 2, minGrade: '65' });
      const all = (await as(app)({ method: 'GET', url: `/api/v1/equivalences?courseId=${cs101()}` })).json().items;
      expect(all.map((e: { version: number; effectiveTo: string | null; privateNote: string | null }) => [e.version, e.effectiveTo, e.privateNote])).toEqual([
        [2, null, null],
        [1, '2024-08-31', null],
      ]);
    });
  });

  describe('will it transfer?', () => {
    it('answers Match, Maybe and Miss without an account', async () => {
      const res = await check(null, {
        sourceInstitutionId: fx.a.id,
        targetInstitutionId: fx.b.id,
        courses: [
          { courseId: cs101(), grade: '88', completedOn: '2025-01-15' },
          { courseId: cs201 },
          { courseId: ma101() },
          { courseId: cs101(), grade: '61', completedOn: '2025-01-15' },
        ],
      });
      expect(res.statusCode).toBe(200);
      const [match, maybe, field, low] = res.json().items;
      expect(match).toMatchObject({
        status: 'match',
        target: { kind: 'courses', courses: [{ code: 'SW101' }] },
        credits: '4',
        unit: 'credit',
        agreement: { code: 'A-B-2025' },
        publicNote: expect.stringContaining('70'),
      });
      expect(maybe).toMatchObject({ status: 'maybe', course: { code: 'CS201' }, evaluationTaskId: null });
      expect(field).toMatchObject({ status: 'miss', reason: expect.stringMatching(/no recognition agreement .* covers field 0541/) });
      expect(low).toMatchObject({ status: 'miss', reason: 'grade 61 in CS101 is below the 65 required' });
    });

    it('refuses questions it cannot answer, naming the field', async () => {
      expect((await check(null, { targetInstitutionId: fx.b.id })).json().errors[0].path).toBe('body.courses');
      expect((await check(null, { sourceInstitutionId: fx.b.id, targetInstitutionId: fx.b.id, courses: [{ courseId: sw101() }] })).json().errors[0].path).toBe(
        'body.courses.0.courseId',
      );
      expect((await check(null, { sourceInstitutionId: fx.b.id, targetInstitutionId: fx.a.id, courses: [{ courseId: cs101() }] })).json().errors[0].path).toBe(
        'body.courses.0.courseId',
      );
      expect((await check(null, { targetInstitutionId: fx.b.id, mine: true })).statusCode).toBe(401);
      expect(
        (await check(null, { sourceInstitutionId: fx.a.id, targetInstitutionId: fx.b.id, courses: [{ courseId: cs101(), grade: '优' }] })).json().errors[0]
          .path,
      ).toBe('body.courses.0.grade');
      const failed = await check(null, { sourceInstitutionId: fx.a.id, targetInstitutionId: fx.b.id, courses: [{ courseId: cs101(), grade: '45' }] });
      expect(failed.json().items[0]).toMatchObject({ status: 'miss', reason: 'CS101 was not passed' });
    });
  });

  describe('evaluation tasks', () => {
    let taskId: string;
    it('route an unevaluated course to the target’s reviewers, once, with ranked candidates', async () => {
      await recordCourseResult(database.db, fx.admin, fx.a.id, {
        externalId: 'A001',
        courseCode: 'CS201',
        term: '2024-2025-1',
        attempt: 1,
        grade: '80',
        completedOn: '2025-01-15',
      });
      const res = await check('alice', { targetInstitutionId: fx.b.id, mine: true, requestEvaluation: true });
      const maybe = res.json().items.find((v: { course: { code: string } }) => v.course.code === 'CS201');
      expect(maybe).toMatchObject({ status: 'maybe', evaluationTaskId: expect.any(String) });
      taskId = maybe.evaluationTaskId;
      const again = await c.alice!({ method: 'POST', url: '/api/v1/evaluation-tasks', payload: { sourceCourseId: cs201, targetInstitutionId: fx.b.id } });
      expect(again.json().id).toBe(taskId);
      expect((await c['reviewer.a']!({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/evaluation-tasks` })).statusCode).toBe(403);
      const list = (await c['reviewer.b']!({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/evaluation-tasks` })).json().items;
      expect(list.map((t: { id: string }) => t.id)).toEqual([taskId]);
      const detail = (await c['reviewer.b']!({ method: 'GET', url: `/api/v1/evaluation-tasks/${taskId}` })).json();
      expect(detail.sourceCourse).toMatchObject({ code: 'CS201', outcomesZh: expect.stringContaining('软件') });
      expect(detail.candidates[0]).toMatchObject({ code: 'SW101', score: expect.any(Number) });
    });

    it('record a match as an equivalence, after which the course transfers', async () => {
      const bad = await c['reviewer.b']!({
        method: 'POST',
        url: `/api/v1/evaluation-tasks/${taskId}/decide`,
        payload: { decision: 'match', target: { kind: 'courses', courseIds: [cs101()] }, effectiveFrom: '2020-01-01' },
      });
      expect(bad.json().errors[0].path).toBe('body.target.courseIds.0');
      const ok = await c['reviewer.b']!({
        method: 'POST',
        url: `/api/v1/evaluation-tasks/${taskId}/decide`,
        payload: { decision: 'match', target: { kind: 'elective', category: '专业选修 Major elective', iscedCode: '0613' }, effectiveFrom: '2020-01-01' },
      });
      expect(ok.json()).toMatchObject({ status: 'match', equivalenceId: expect.any(String) });
      expect(
        (
          await c['reviewer.b']!({
            method: 'POST',
            url: `/api/v1/evaluation-tasks/${taskId}/decide`,
            payload: { decision: 'no_match', reason: 'changed my mind' },
          })
        ).statusCode,
      ).toBe(409);
      const verdict = (await check('alice', { targetInstitutionId: fx.b.id, mine: true }))
        .json()
        .items.find((v: { course: { code: string } }) => v.course.code === 'CS201');
      expect(verdict).toMatchObject({ status: 'match', target: { kind: 'elective', category: '专业选修 Major elective' }, credits: '3' });
    });

    it('record a no-match with the reason learners then read', async () => {
      const t = await c.alice!({ method: 'POST', url: '/api/v1/evaluation-tasks', payload: { sourceCourseId: cs101(), targetInstitutionId: fx.a.id } });
      expect(t.json().errors[0].path).toBe('body.targetInstitutionId');
      const task = (
        await c.alice!({ method: 'POST', url: '/api/v1/evaluation-tasks', payload: { sourceCourseId: sw101(), targetInstitutionId: fx.a.id } })
      ).json();
      expect(
        (await c['reviewer.a']!({ method: 'POST', url: `/api/v1/evaluation-tasks/${task.id}/decide`, payload: { decision: 'no_match', reason: 'x' } })).json()
          .errors[0].path,
      ).toBe('body.reason');
      await c['reviewer.a']!({
        method: 'POST',
        url: `/api/v1/evaluation-tasks/${task.id}/decide`,
        payload: { decision: 'no_match', reason: '内容深度不足 / not deep enough for CS101' },
      });
      const res = await check(null, { sourceInstitutionId: fx.b.id, targetInstitutionId: fx.a.id, courses: [{ courseId: sw101(), grade: '优' }] });
      expect(res.json().items[0]).toMatchObject({ status: 'miss', reason: '内容深度不足 / not deep enough for CS101' });
    });
  });

  describe('grading tables', () => {
    beforeAll(async () => {
      // passing grades over two years at each institution, in their own scales
      const marks = ['95', '91', '88', '85', '85', '82', '78', '76', '72', '68', '64', '55'];
      const levels = ['优', '良', '良', '中', '中', '中', '及格', '不及格'];
      for (const [i, m] of marks.entries()) {
        await createLearner(database.db, fx.admin, fx.a.id, { fullName: `学生${i}`, externalId: `GA${i}` });
        await recordCourseResult(database.db, fx.admin, fx.a.id, {
          externalId: `GA${i}`,
          courseCode: 'CS101',
          term: i % 2 ? '2023-2024-1' : '2024-2025-1',
          attempt: 1,
          grade: m,
          completedOn: i % 2 ? '2024-01-15' : '2025-01-15',
        });
      }
      for (const [i, g] of levels.entries()) {
        await createLearner(database.db, fx.admin, fx.b.id, { fullName: `学员${i}`, externalId: `GB${i}` });
        await recordCourseResult(database.db, fx.admin, fx.b.id, {
          externalId: `GB${i}`,
          courseCode: 'SW101',
          term: '2024-2025-1',
          attempt: 1,
          grade: g,
          completedOn: '2025-01-15',
        });
      }
    });

    it('are built from the recorded passing grades, best first, and flagged when small', async () => {
      const res = await c['registrar.a']!({
        method: 'POST',
        url: `/api/v1/institutions/${fx.a.id}/grading-tables`,
        payload: { iscedCode: '0613', fromYear: 2024, toYear: 2025 },
      });
      expect(res.statusCode).toBe(200);
      const t = res.json();
      // eleven passing marks here, and alice's 80 in CS201 (same field) recorded above; the 55 fails
      expect(t).toMatchObject({ id: null, total: 12, small: true, publishedAt: null });
      expect(t.rows.map((r: { label: string; count: number }) => `${r.label}×${r.count}`)).toEqual([
        '95×1',
        '91×1',
        '88×1',
        '85×2',
        '82×1',
        '80×1',
        '78×1',
        '76×1',
        '72×1',
        '68×1',
        '64×1',
      ]);
      expect(t.rows.at(-1).cumulative).toBe(100);
      expect(t.ewp.gradeFrequencies[0]).toEqual({ label: '95', percentage: expect.any(String) });
    });

    it('refuse a group of one year or without grades, and strangers', async () => {
      const post = (who: string, id: string, payload: object) => c[who]!({ method: 'POST', url: `/api/v1/institutions/${id}/grading-tables`, payload });
      expect((await post('registrar.a', fx.a.id, { iscedCode: '0613', fromYear: 2025, toYear: 2025 })).json().errors[0].path).toBe('body.toYear');
      expect((await post('registrar.a', fx.a.id, { iscedCode: '0111', fromYear: 2024, toYear: 2025 })).statusCode).toBe(422);
      expect((await post('registrar.b', fx.a.id, { iscedCode: '0613', fromYear: 2024, toYear: 2025 })).statusCode).toBe(403);
    });

    it('once published, convert grades in transfer checks by band overlap', async () => {
      expect(
        (
          await c['registrar.a']!({
            method: 'POST',
            url: `/api/v1/institutions/${fx.a.id}/grading-tables`,
            payload: { iscedCode: '0613', fromYear: 2024, toYear: 2025, publish: true },
          })
        ).statusCode,
      ).toBe(201);
      expect(
        (
          await c['registrar.b']!({
            method: 'POST',
            url: `/api/v1/institutions/${fx.b.id}/grading-tables`,
            payload: { iscedCode: '0613', fromYear: 2024, toYear: 2025, publish: true },
          })
        ).statusCode,
      ).toBe(201);
      expect(
        (await as(app)({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/grading-tables` })).json().items[0].rows.map((r: { label: string }) => r.label),
      ).toEqual(['优', '良', '中', '及格']);
      const res = await check(null, {
        sourceInstitutionId: fx.a.id,
        targetInstitutionId: fx.b.id,
        courses: [{ courseId: cs101(), grade: '95', completedOn: '2025-01-15' }],
      });
      expect(res.json().items[0]).toMatchObject({
        status: 'match',
        convertedGrade: { grade: '优', method: 'grading table, largest-overlap', candidates: [{ label: '优' }], note: expect.stringMatching(/fewer than 30/) },
      });
    });
  });

  describe('transfer applications', () => {
    let transferId: string;
    let ids: Record<string, string>;
    const balances = async () => {
      const v = (await c.alice!({ method: 'GET', url: '/api/v1/me/account' })).json();
      return Object.fromEntries(
        v.balances.map((b: { unit: string; available: string; used: string }) => [b.unit, { available: Number(b.available), used: Number(b.used) }]),
      );
    };
    const decide = (who: string, id: string, lines: unknown[]) => c[who]!({ method: 'POST', url: `/api/v1/transfers/${id}/decide`, payload: { lines } });

    beforeAll(async () => {
      for (const [course, grade] of [
        ['CS101', '88'],
        ['MA101', '75'],
      ]) {
        await recordCourseResult(database.db, fx.admin, fx.a.id, {
          externalId: 'A001',
          courseCode: course!,
          term: '2024-2025-2',
          attempt: 1,
          grade: grade!,
          completedOn: '2025-07-10',
        });
      }
      const view = (await c.alice!({ method: 'GET', url: '/api/v1/me/account' })).json();
      ids = Object.fromEntries(view.outcomes.map((o: { courseCode: string; id: string }) => [o.courseCode, o.id]));
    });

    it('proposes each line from the rules, and refuses a credit already applied', async () => {
      expect(
        (await c.alice!({ method: 'POST', url: '/api/v1/me/transfers', payload: { targetInstitutionId: fx.b.id, outcomeIds: [fx.b.id] } })).json().errors[0]
          .path,
      ).toBe('body.outcomeIds.0');
      const res = await c.alice!({
        method: 'POST',
        url: '/api/v1/me/transfers',
        payload: { targetInstitutionId: fx.b.id, outcomeIds: [ids.CS101, ids.CS201, ids.MA101] },
      });
      expect(res.statusCode).toBe(201);
      const t = res.json();
      transferId = t.id;
      expect(t.lines.map((l: { proposal: { status: string }; status: string }) => `${l.proposal.status}/${l.status}`)).toEqual([
        'match/pending',
        'match/pending',
        'miss/pending',
      ]);
      expect(t.lines[0].proposal).toMatchObject({ target: { courses: [{ code: 'SW101' }] }, credits: '4' });
      const again = await c.alice!({ method: 'POST', url: '/api/v1/me/transfers', payload: { targetInstitutionId: fx.b.id, outcomeIds: [ids.CS101] } });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({
        code: 'credit_already_used',
        uses: [{ label: 'UNIA CS101', useType: 'transfer', useId: `${transferId}:1`, institution: { code: 'COLB' } }],
      });
      expect(again.json().detail).toMatch(/UNIA CS101 is already used: transfer application .* to COLB holds it since/);
      expect((await c['registrar.a']!({ method: 'GET', url: `/api/v1/transfers/${transferId}` })).statusCode).toBe(404);
      expect(
        (await c['registrar.b']!({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/transfers` })).json().items.map((x: { id: string }) => x.id),
      ).toEqual([transferId]);
    });

    it('refuses incomplete or inconsistent decisions, posting nothing', async () => {
      const before = await balances();
      expect((await decide('registrar.a', transferId, [{ lineNo: 1, decision: 'accept' }])).statusCode).toBe(404);
      expect((await decide('registrar.b', transferId, [{ lineNo: 1, decision: 'accept' }])).json().errors[0].path).toBe('body.lines');
      expect(
        (
          await decide('registrar.b', transferId, [
            { lineNo: 1, decision: 'accept' },
            { lineNo: 2, decision: 'accept' },
            { lineNo: 3, decision: 'accept' },
          ])
        ).json().errors[0].path,
      ).toBe('body.lines.2.decision');
      expect(
        (
          await decide('registrar.b', transferId, [
            { lineNo: 1, decision: 'accept' },
            { lineNo: 2, decision: 'accept' },
            { lineNo: 3, decision: 'reject' },
          ])
        ).json().errors[0].path,
      ).toBe('body.lines.2.reason');
      expect(
        (
          await decide('registrar.b', transferId, [
            { lineNo: 1, decision: 'accept' },
            { lineNo: 2, decision: 'substitute', reason: 'counts as a core course' },
            { lineNo: 3, decision: 'reject', reason: 'not our field' },
          ])
        ).json().errors[0].path,
      ).toBe('body.lines.1.target');
      // a cap set by the target institution, named in the refusal
      expect(
        (await c['registrar.b']!({ method: 'PUT', url: `/api/v1/institutions/${fx.b.id}/transfer-policy`, payload: { capPerSource: null, capTotal: '5' } }))
          .statusCode,
      ).toBe(200);
      const capped = await decide('registrar.b', transferId, [
        { lineNo: 1, decision: 'accept' },
        { lineNo: 2, decision: 'accept' },
        { lineNo: 3, decision: 'reject', reason: 'not our field' },
      ]);
      expect(capped.statusCode).toBe(422);
      expect(capped.json().detail).toMatch(/at most 5 credits may be transferred into COLB in all/);
      await c['registrar.b']!({ method: 'PUT', url: `/api/v1/institutions/${fx.b.id}/transfer-policy`, payload: { capPerSource: null, capTotal: null } });
      expect(await balances()).toEqual(before);
      expect(
        (await c.alice!({ method: 'GET', url: `/api/v1/transfers/${transferId}` })).json().lines.every((l: { status: string }) => l.status === 'pending'),
      ).toBe(true);
    });

    it('grants accepted lines as an exchange in the ledger, with one line rejected', async () => {
      const before = await balances();
      const res = await decide('registrar.b', transferId, [
        { lineNo: 1, decision: 'accept' },
        { lineNo: 2, decision: 'accept' },
        { lineNo: 3, decision: 'reject', reason: '数学不在协议范围内 / mathematics is outside the agreement' },
      ]);
      expect(res.statusCode).toBe(200);
      const t = res.json();
      expect(t).toMatchObject({ status: 'decided' });
      expect(t.lines.map((l: { status: string; credits: string | null }) => `${l.status}:${l.credits}`)).toEqual(['accepted:4', 'accepted:3', 'rejected:null']);
      expect(t.postings.map((p: { kind: string; amount: string }) => `${p.kind} ${p.amount}`)).toEqual(['use 3.5', 'transfer_in 4', 'use 3', 'transfer_in 3']);
      const after = await balances();
      expect(after.credit.available).toBeCloseTo(before.credit.available - 3.5 - 3 + 4 + 3, 5);
      expect(after.credit.used).toBeCloseTo(before.credit.used + 6.5, 5);
      expect((await decide('registrar.b', transferId, [{ lineNo: 1, decision: 'accept' }])).statusCode).toBe(409);
    });

    it('posts once when fifty decisions arrive at the same moment', async () => {
      const t = (await c.alice!({ method: 'POST', url: '/api/v1/me/transfers', payload: { targetInstitutionId: fx.b.id, outcomeIds: [ids.MA101] } })).json();
      const line = {
        lineNo: 1,
        decision: 'substitute',
        target: { kind: 'elective', category: '公共选修 General elective' },
        credits: '2',
        reason: 'accepted as general elective',
      };
      const answers = await Promise.all(Array.from({ length: 50 }, () => decide('registrar.b', t.id, [line])));
      expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(1);
      expect(answers.filter((r) => r.statusCode === 409)).toHaveLength(49);
      const done = (await c.alice!({ method: 'GET', url: `/api/v1/transfers/${t.id}` })).json();
      expect(done.postings.map((p: { kind: string }) => p.kind)).toEqual(['use', 'transfer_in']);
    });
  });

  describe('learning agreements', () => {
    let la: { id: string };
    const sw101ToMa101 = () => [{ hostCourseIds: [sw101()], homeCourseIds: [ma101()] }];
    const aliceCheck = async () =>
      (await check('alice', { targetInstitutionId: fx.a.id, mine: true })).json().items.find((v: { course: { code: string } }) => v.course.code === 'SW101');

    beforeAll(async () => {
      await enrolLearner(database.db, fx.admin, fx.b.id, { learnerId: fx.alice.id, externalId: 'X-A001', enrolledOn: '2025-09-01' });
      await recordCourseResult(database.db, fx.admin, fx.b.id, {
        externalId: 'X-A001',
        courseCode: 'SW101',
        term: '2025-2026-1',
        attempt: 1,
        grade: '良',
        completedOn: '2026-01-20',
      });
    });

    it('are proposed by the learner or the home registrar, with both catalogues checked', async () => {
      const body = { homeInstitutionId: fx.a.id, hostInstitutionId: fx.b.id, periodFrom: '2025-09-01', periodTo: '2026-01-31', lines: sw101ToMa101() };
      const post = (who: string, payload: object) => c[who]!({ method: 'POST', url: '/api/v1/learning-agreements', payload });
      expect((await post('alice', { ...body, lines: [{ hostCourseIds: [ma101()], homeCourseIds: [ma101()] }] })).json().errors[0].path).toBe(
        'body.lines.0.hostCourseIds.0',
      );
      expect((await post('alice', { ...body, periodTo: '2025-01-01' })).json().errors[0].path).toBe('body.periodTo');
      expect((await post('registrar.b', { ...body, learnerId: fx.alice.id })).statusCode).toBe(403);
      const res = await post('alice', body);
      expect(res.statusCode).toBe(201);
      la = res.json();
      expect(res.json()).toMatchObject({
        current: null,
        pending: { version: 1, accepted: { learner: expect.any(String), home: null, host: null }, binding: false },
      });
    });

    it('bind once all three have accepted, and make the host course a Match at home', async () => {
      expect((await aliceCheck()).status).not.toBe('match');
      await c['registrar.a']!({ method: 'POST', url: `/api/v1/learning-agreements/${la.id}/accept`, payload: { version: 1 } });
      expect((await c['registrar.a']!({ method: 'POST', url: `/api/v1/learning-agreements/${la.id}/accept`, payload: { version: 1 } })).statusCode).toBe(409);
      expect((await aliceCheck()).status).not.toBe('match');
      const bound = (await c['registrar.b']!({ method: 'POST', url: `/api/v1/learning-agreements/${la.id}/accept`, payload: { version: 1 } })).json();
      expect(bound).toMatchObject({ current: { version: 1, binding: true }, pending: null });
      expect(await aliceCheck()).toMatchObject({
        status: 'match',
        target: { courses: [{ code: 'MA101' }] },
        credits: '5',
        reason: 'pre-approved in your learning agreement',
      });
    });

    it('change only when all three accept the new version; the old one stands meanwhile', async () => {
      const change = await c['registrar.b']!({
        method: 'POST',
        url: `/api/v1/learning-agreements/${la.id}/changes`,
        payload: { lines: [{ hostCourseIds: [sw101()], homeCourseIds: [cs101()] }], reason: 'MA101 is not taught in the exchange term' },
      });
      expect(change.json()).toMatchObject({ current: { version: 1 }, pending: { version: 2, accepted: { host: expect.any(String), learner: null } } });
      expect(
        (
          await c.alice!({
            method: 'POST',
            url: `/api/v1/learning-agreements/${la.id}/changes`,
            payload: { lines: sw101ToMa101(), reason: 'keep it as it was' },
          })
        ).statusCode,
      ).toBe(409);
      expect(await aliceCheck()).toMatchObject({ target: { courses: [{ code: 'MA101' }] } });
      expect((await c.alice!({ method: 'POST', url: `/api/v1/learning-agreements/${la.id}/accept`, payload: { version: 1 } })).json().errors[0].path).toBe(
        'body.version',
      );
      await c.alice!({ method: 'POST', url: `/api/v1/learning-agreements/${la.id}/accept`, payload: { version: 2 } });
      await c['registrar.a']!({ method: 'POST', url: `/api/v1/learning-agreements/${la.id}/accept`, payload: { version: 2 } });
      expect(await aliceCheck()).toMatchObject({ status: 'match', target: { courses: [{ code: 'CS101' }] } });
      expect((await c['reviewer.a']!({ method: 'GET', url: `/api/v1/learning-agreements/${la.id}` })).statusCode).toBe(404);
      expect(
        (await c['registrar.b']!({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/learning-agreements` })).json().items.map((x: { id: string }) => x.id),
      ).toEqual([la.id]);
      expect((await c['reviewer.b']!({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/learning-agreements` })).statusCode).toBe(403);
    });
  });

  it('converts grades by the agreement’s fixed table when it chooses one', async () => {
    const bands = [
      { min: 90, to: '优' },
      { min: 80, to: '良' },
      { min: 70, to: '中' },
      { min: 60, to: '及格' },
    ];
    const propose = (over: object) =>
      c['registrar.a']!({
        method: 'POST',
        url: '/api/v1/agreements',
        payload: {
          code: 'A-B-MATH',
          titleZh: '数学课程互认',
          titleEn: 'Mathematics',
          kind: 'bilateral',
          partyIds: [fx.a.id, fx.b.id],
          iscedScope: ['0541'],
          validFrom: '2025-01-01',
          gradeMethod: 'fixed',
          ...over,
        },
      });
    expect((await propose({})).json().errors[0].path).toBe('body.gradeTables');
    expect((await propose({ gradeTables: [{ from: fx.alice.id, table: { type: 'ranges', bands } }] })).json().errors[0].path).toBe('body.gradeTables.0.from');
    const math = (await propose({ gradeTables: [{ from: fx.a.id, table: { type: 'ranges', bands } }] })).json();
    await c['registrar.b']!({ method: 'POST', url: `/api/v1/agreements/${math.id}/approve` });
    await c['reviewer.b']!({
      method: 'POST',
      url: '/api/v1/equivalences',
      payload: {
        sourceInstitutionId: fx.a.id,
        targetInstitutionId: fx.b.id,
        sourceCourseIds: [ma101()],
        target: { kind: 'elective', category: '数学 Mathematics', iscedCode: '0541' },
        effectiveFrom: '2020-01-01',
      },
    });
    const res = await check(null, {
      sourceInstitutionId: fx.a.id,
      targetInstitutionId: fx.b.id,
      courses: [{ courseId: ma101(), grade: '85', completedOn: '2025-07-10' }],
    });
    expect(res.json().items[0]).toMatchObject({
      status: 'match',
      credits: '5',
      agreement: { code: 'A-B-MATH' },
      convertedGrade: { grade: '良', method: 'fixed table' },
    });
  });

  it('stops applying a terminated agreement to new checks', async () => {
    expect(
      (
        await c['registrar.b']!({ method: 'POST', url: `/api/v1/agreements/${agreementId}/terminate`, payload: { reason: 'the alliance was reorganised' } })
      ).json().status,
    ).toBe('terminated');
    const res = await check(null, { sourceInstitutionId: fx.a.id, targetInstitutionId: fx.b.id, courses: [{ courseId: cs101(), grade: '95' }] });
    expect(res.json().items[0]).toMatchObject({ status: 'miss', reason: expect.stringMatching(/no recognition agreement/) });
  });
});
