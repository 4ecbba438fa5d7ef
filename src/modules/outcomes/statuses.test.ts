// Course-result statuses through the API (缺考, 缓考, 免修, 免考, 补考, 重修 …): what each stores,
// whether it passes and earns credits, the institution's exemption rule, and the 400s naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { createCourses } from '../catalog/service.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';

describe.each(backends)('result statuses through the API on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let registrarA: ReturnType<typeof as>;
  let registrarB: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  let alice: ReturnType<typeof as>;
  const record = (body: Record<string, unknown>) =>
    registrarA({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/outcomes`, payload: { externalId: 'A001', completedOn: '2025-01-15', ...body } });
  const available = async () =>
    (await alice({ method: 'GET', url: '/api/v1/me/account' })).json().balances.find((b: { unit: string }) => b.unit === 'credit')?.available ?? '0';
  const setRule = (exemptionEarnsCredit: boolean) => admin({ method: 'PATCH', url: `/api/v1/institutions/${fx.a.id}`, payload: { exemptionEarnsCredit } });

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
    registrarB = as(app, { cookie: await signIn(app, 'registrar.b') });
    admin = as(app, { cookie: await signIn(app, 'admin') });
    alice = as(app, { cookie: await signIn(app, 'alice') });
    await createCourses(database.db, fx.admin, fx.a.id, [
      { code: 'PE101', titleZh: '体育', titleEn: 'Physical Education', credits: '1', hours: 32, iscedCode: '1014' },
      { code: 'EN101', titleZh: '大学英语', titleEn: 'College English', credits: '4', hours: 64, iscedCode: '0231' },
      { code: 'EN102', titleZh: '大学英语二', titleEn: 'College English 2', credits: '4', hours: 64, iscedCode: '0231' },
      { code: 'HI101', titleZh: '中国近现代史纲要', titleEn: 'Modern Chinese History', credits: '2', hours: 32, iscedCode: '0222' },
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('records 缺考 with no grade, not passed, no credits; in the status field or in the grade itself', async () => {
    const absent = await record({ courseCode: 'CS101', term: '2024-2025-1', resultStatus: '缺考' });
    expect(absent.statusCode).toBe(201);
    expect(absent.json()).toMatchObject({ grade: null, resultStatus: 'absent', passed: false, counted: false, postings: [] });
    const inGrade = await record({ courseCode: 'MA101', term: '2024-2025-1', grade: '作弊' });
    expect(inGrade.json()).toMatchObject({ grade: null, resultStatus: 'misconduct', passed: false, postings: [] });
    const english = await record({ courseCode: 'PE101', term: '2024-2025-1', resultStatus: 'Deferred' });
    expect(english.json()).toMatchObject({ grade: null, resultStatus: 'deferred', passed: false });
    expect(await available()).toBe('0');
    // the learner's account lists the status where there is no grade
    const outcomes = (await alice({ method: 'GET', url: '/api/v1/me/account' })).json().outcomes;
    expect(
      outcomes.map((o: { courseCode: string; grade: string | null; resultStatus: string }) => `${o.courseCode} ${o.grade} ${o.resultStatus}`).sort(),
    ).toEqual(['CS101 null absent', 'MA101 null misconduct', 'PE101 null deferred']);
  });

  it('answers 400 naming the field, with the status in both languages', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ courseCode: 'CS101', term: '2024-2025-2', resultStatus: '迟到' }, 'body.resultStatus', /not a result status/],
      [{ courseCode: 'CS101', term: '2024-2025-2', resultStatus: '补考' }, 'body.grade', /补考.*resit/],
      [{ courseCode: 'CS101', term: '2024-2025-2', grade: '重修' }, 'body.grade', /重修.*retake/],
      [{ courseCode: 'CS101', term: '2024-2025-2', grade: '88', resultStatus: '缺考' }, 'body.grade', /缺考.*absent/],
      [{ courseCode: 'CS101', term: '2024-2025-2', grade: '45', resultStatus: '免修' }, 'body.grade', /免修.*exemption must pass/],
      [{ courseCode: 'CS101', term: '2024-2025-2', grade: '免修', resultStatus: '缓考' }, 'body.resultStatus', /exempted.*deferred/],
      [{ courseCode: 'CS101', term: '2024-2025-2' }, 'body.grade', /required/],
    ];
    for (const [body, path, message] of cases) {
      const res = await record(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors[0].path, JSON.stringify(body)).toBe(path);
      expect(res.json().errors[0].message, JSON.stringify(body)).toMatch(message);
    }
  });

  it('takes 补考 and 重修 with their grade; a retake passed again deposits nothing more', async () => {
    const resit = await record({ courseCode: 'CS101', term: '2024-2025-2', attempt: 2, grade: '75', resultStatus: '补考' });
    expect(resit.json()).toMatchObject({ grade: '75', resultStatus: 'resit', passed: true, counted: true, postings: [{ kind: 'deposit', amount: '3.5' }] });
    const retake = await record({ courseCode: 'CS101', term: '2025-2026-1', attempt: 3, grade: '90', resultStatus: 'retake' });
    expect(retake.json()).toMatchObject({ grade: '90', resultStatus: 'retake', passed: true, counted: false, postings: [] });
    const failed = await record({ courseCode: 'MA101', term: '2024-2025-2', attempt: 2, grade: '40', resultStatus: '重修' });
    expect(failed.json()).toMatchObject({ resultStatus: 'retake', passed: false, postings: [] });
    expect(await available()).toBe('3.5');
  });

  it('gives 免修 the course’s credits when the institution’s rule says so, and not otherwise; 免考 with a grade counts as that grade', async () => {
    expect((await registrarA({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}` })).json().exemptionEarnsCredit).toBe(true);
    const earned = await record({ courseCode: 'EN101', term: '2024-2025-1', resultStatus: '免修' });
    expect(earned.json()).toMatchObject({ grade: null, resultStatus: 'exempted', passed: true, counted: true, postings: [{ kind: 'deposit', amount: '4' }] });
    expect(await available()).toBe('7.5');

    // an institution's own registrar, or an administrator, sets the rule; nobody else
    expect((await registrarB({ method: 'PATCH', url: `/api/v1/institutions/${fx.a.id}`, payload: { exemptionEarnsCredit: false } })).statusCode).toBe(403);
    const set = await setRule(false);
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ code: 'UNIA', exemptionEarnsCredit: false });
    const kept = await record({ courseCode: 'EN102', term: '2024-2025-1', grade: '90', resultStatus: 'exempted' });
    expect(kept.json()).toMatchObject({ grade: '90', resultStatus: 'exempted', passed: false, counted: false, postings: [] });
    const examExempt = await record({ courseCode: 'HI101', term: '2024-2025-1', grade: '82', resultStatus: '免考' });
    expect(examExempt.json()).toMatchObject({ grade: '82', resultStatus: 'exam_exempted', passed: true, postings: [{ kind: 'deposit', amount: '2' }] });
    expect(await available()).toBe('9.5');
    expect((await setRule(true)).json().exemptionEarnsCredit).toBe(true);
  });

  it('corrects a result’s status: 缓考 sat later becomes a normal grade, and a grade marked 缺考 loses its credits', async () => {
    const outcomes = (await alice({ method: 'GET', url: '/api/v1/me/account' })).json().outcomes;
    const deferred = outcomes.find((o: { courseCode: string }) => o.courseCode === 'PE101');
    const sat = await registrarA({
      method: 'POST',
      url: `/api/v1/outcomes/${deferred.id}/correct`,
      payload: { grade: '81', reason: '缓考后参加考试 sat the deferred exam' },
    });
    expect(sat.statusCode).toBe(201);
    expect(sat.json()).toMatchObject({ grade: '81', resultStatus: 'normal', passed: true, postings: [{ kind: 'deposit', amount: '1' }] });
    expect(await available()).toBe('10.5');

    const absent = await registrarA({
      method: 'POST',
      url: `/api/v1/outcomes/${sat.json().id}/correct`,
      payload: { resultStatus: '缺考', reason: 'recorded in error: was absent' },
    });
    expect(absent.json()).toMatchObject({ grade: null, resultStatus: 'absent', passed: false, counted: false, postings: [] });
    expect(await available()).toBe('9.5');
    const same = await registrarA({
      method: 'POST',
      url: `/api/v1/outcomes/${absent.json().id}/correct`,
      payload: { resultStatus: 'absent', reason: 'again' },
    });
    expect(same.statusCode).toBe(400);
    expect(same.json().errors[0].path).toBe('body.resultStatus');
    const nothing = await registrarA({ method: 'POST', url: `/api/v1/outcomes/${absent.json().id}/correct`, payload: { reason: 'no change given' } });
    expect(nothing.statusCode).toBe(400);
    // a resit whose grade is corrected stays a resit
    const resit = outcomes.find(
      (o: { courseCode: string; resultStatus: string; status: string }) => o.courseCode === 'CS101' && o.resultStatus === 'resit' && o.status === 'recorded',
    );
    const remarked = await registrarA({ method: 'POST', url: `/api/v1/outcomes/${resit.id}/correct`, payload: { grade: '78', reason: '复核 re-marked' } });
    expect(remarked.json()).toMatchObject({ grade: '78', resultStatus: 'resit', passed: true });
    expect(await available()).toBe('9.5');
  });
});
