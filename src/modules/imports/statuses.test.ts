// Course results with statuses (缺考, 缓考, 免修, 免考, 补考, 重修, 作弊 …) imported from 教务系统 files:
// each row is reported by number, column and status (in both languages), dry run and commit alike;
// what is stored, and the credits each earns under the institution's exemption rule.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { createCourses } from '../catalog/service.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';

function multipart(filename: string, content: Buffer) {
  const boundary = '----cbtest' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

type Issue = { rowNumber: number; column: string | null; value: string | null; reason: string };

describe.each(backends)('imports of result statuses on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let registrarA: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  let alice: ReturnType<typeof as>;

  const upload = (lines: string[], mode: string) => {
    const m = multipart('成绩.csv', Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`));
    return registrarA({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/imports/results?${mode}&wait=true`, payload: m.payload, headers: m.headers });
  };
  const issues = async (jobId: string, level: 'error' | 'note' | 'change') =>
    (await registrarA({ method: 'GET', url: `/api/v1/imports/${jobId}/issues?level=${level}` })).json().items as Issue[];
  const account = async () => (await alice({ method: 'GET', url: '/api/v1/me/account' })).json();
  const available = async () => (await account()).balances.find((b: { unit: string }) => b.unit === 'credit')?.available ?? '0';

  // one course per status, so that each row's credits show on their own
  const COURSES = ['S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08', 'S09', 'S10', 'S11', 'S12'];
  const HEADER = '学号,课程代码,学期,成绩,考试性质';
  const FILE = [
    HEADER,
    'A001,S01,2024-2025-1,缺考,', //                2: absent, in the grade cell
    'A001,S02,2024-2025-1,,缓考', //                3: deferred, in the status column
    'A001,S03,2024-2025-1,0,旷考', //               4: absent without leave, the 0 set aside
    'A001,S04,2024-2025-1,,取消考试资格', //         5: barred
    'A001,S05,2024-2025-1,作弊,补考', //             6: misconduct at a resit
    'A001,S06,2024-2025-1,72,补考', //              7: resit with its grade
    'A001,S07,2024-2025-1,88,重修', //              8: retake with its grade
    'A001,S08,2024-2025-1,,免修', //                9: exempted, no grade
    'A001,S09,2024-2025-1,91,免考', //              10: exam exempted, with a grade
    'A001,S10,2024-2025-1,86,正常', //              11: normal
    'A001,S11,2024-2025-1,,补考', //                12: refused: a resit needs a grade
    'A001,S12,2024-2025-1,免修,缺考', //             13: refused: contradictory
    'A001,S12,2024-2025-2,95,作弊', //              14: refused: a passing grade with misconduct
  ];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
    admin = as(app, { cookie: await signIn(app, 'admin') });
    alice = as(app, { cookie: await signIn(app, 'alice') });
    await createCourses(
      database.db,
      fx.admin,
      fx.a.id,
      COURSES.map((code, i) => ({ code, titleZh: `课程${i + 1}`, titleEn: `Course ${i + 1}`, credits: '1', hours: 16, iscedCode: '0613' })),
    );
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('dry run: names every row with a status, by row, column and status in both languages, and refuses the bad ones', async () => {
    const res = await upload(FILE, 'mode=dry_run');
    expect(res.statusCode).toBe(200);
    const job = res.json();
    expect(job).toMatchObject({ mode: 'dry_run', committed: false, created: 10, rejected: 3 });
    const refused = await issues(job.id, 'error');
    expect(refused).toEqual([
      { rowNumber: 12, column: '成绩 Grade', value: null, reason: expect.stringMatching(/补考.*resit.*needs a grade/) },
      { rowNumber: 13, column: '成绩标志 Result status', value: '缺考', reason: expect.stringMatching(/免修.*缺考.*exempted.*absent/) },
      { rowNumber: 14, column: '成绩 Grade', value: '95', reason: expect.stringMatching(/作弊.*misconduct.*no passing grade/) },
    ]);
    const notes = await issues(job.id, 'note');
    const byRow = new Map(notes.map((n) => [n.rowNumber, n]));
    // every accepted row with a status, and only those (rows are numbered as the sheet shows them,
    // the header being row 1; row 11 is a plain 正常 result)
    expect([...byRow.keys()]).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(byRow.get(2)).toEqual({ rowNumber: 2, column: '成绩 Grade', value: '缺考', reason: expect.stringMatching(/^缺考（absent）.*no credits/) });
    expect(byRow.get(3)).toMatchObject({ column: '成绩标志 Result status', value: '缓考', reason: expect.stringMatching(/^缓考（deferred）/) });
    expect(byRow.get(4)).toMatchObject({
      column: '成绩标志 Result status',
      value: '旷考',
      reason: expect.stringMatching(/旷考（absent without leave）.*0 set aside/),
    });
    expect(byRow.get(5)!.reason).toMatch(/^取消考试资格（barred from the exam）/);
    expect(byRow.get(6)).toMatchObject({ column: '成绩 Grade', value: '作弊', reason: expect.stringMatching(/^作弊（misconduct）（补考 resit）/) });
    expect(byRow.get(7)).toMatchObject({ column: '成绩标志 Result status', value: '补考', reason: expect.stringMatching(/补考（resit）.*grade 72, passed/) });
    expect(byRow.get(8)!.reason).toMatch(/重修（retake）.*grade 88, passed/);
    expect(byRow.get(9)!.reason).toMatch(/免修（exempted from the course）.*passed with the course's credits under this institution's exemption rule/);
    expect(byRow.get(10)!.reason).toMatch(/免考（exempted from the exam）.*counts as grade 91/);
    // the downloadable report carries them too
    const xlsx = await registrarA({ method: 'GET', url: `/api/v1/imports/${job.id}/report.xlsx` });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const sheet = wb.getWorksheet('成绩标志 Statuses')!;
    expect(sheet.rowCount).toBe(10);
    expect(String(sheet.getRow(2).getCell(4).value)).toMatch(/^缺考（absent）/);
    expect(await available()).toBe('0');
  });

  it('commit: stores each status; no credits for 缺考 and the like; 免修 earns them under the exemption rule', async () => {
    const res = await upload(FILE, 'mode=commit&partial=true');
    const job = res.json();
    expect(job).toMatchObject({ committed: true, created: 10, rejected: 3 });
    // the same notes as the dry run said
    expect((await issues(job.id, 'note')).map((n) => n.rowNumber)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const outcomes = (await account()).outcomes as { courseCode: string; grade: string | null; resultStatus: string; passed: boolean; credits: string }[];
    const got = Object.fromEntries(outcomes.map((o) => [o.courseCode, `${o.grade} ${o.resultStatus} ${o.passed ? 'pass' : 'no'}`]));
    expect(got).toEqual({
      S01: 'null absent no',
      S02: 'null deferred no',
      S03: 'null absent_unexcused no',
      S04: 'null barred no',
      S05: 'null misconduct no',
      S06: '72 resit pass',
      S07: '88 retake pass',
      S08: 'null exempted pass',
      S09: '91 exam_exempted pass',
      S10: '86 normal pass',
    });
    // S06–S10 earn their credit; the five without a result none
    expect(await available()).toBe('5');
    const deposits = (await alice({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ledger?limit=100` }))
      .json()
      .items.filter((p: { kind: string }) => p.kind === 'deposit');
    expect(deposits).toHaveLength(5);
  });

  it('keeps 免修 without credits when the institution’s rule says so', async () => {
    expect(
      (await admin({ method: 'PATCH', url: `/api/v1/institutions/${fx.a.id}`, payload: { exemptionEarnsCredit: false } })).json().exemptionEarnsCredit,
    ).toBe(false);
    const res = await upload([HEADER, 'A001,S11,2024-2025-2,,免修', 'A001,S12,2024-2025-2,,免考'], 'mode=commit');
    const job = res.json();
    expect(job).toMatchObject({ committed: true, created: 2, rejected: 0 });
    const notes = await issues(job.id, 'note');
    expect(notes.map((n) => n.reason)).toEqual([
      expect.stringMatching(/免修（exempted from the course）.*not passed, no credits under this institution's exemption rule/),
      expect.stringMatching(/免考（exempted from the exam）.*no credits/),
    ]);
    const outcomes = (await account()).outcomes as { courseCode: string; resultStatus: string; passed: boolean }[];
    expect(
      outcomes
        .filter((o) => o.courseCode === 'S11' || o.courseCode === 'S12')
        .map((o) => `${o.courseCode} ${o.resultStatus} ${o.passed}`)
        .sort(),
    ).toEqual(['S11 exempted false', 'S12 exam_exempted false']);
    expect(await available()).toBe('5');
    await admin({ method: 'PATCH', url: `/api/v1/institutions/${fx.a.id}`, payload: { exemptionEarnsCredit: true } });
  });

  it('takes statuses in English from a JSON batch, and answers with the notes beside the refused rows', async () => {
    const res = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/imports/results/rows`,
      payload: {
        mode: 'dry_run',
        rows: [
          { externalId: 'A001', courseCode: 'S10', term: '2025-2026-1', attempt: 2, grade: null, status: 'absent without leave' },
          { externalId: 'A001', courseCode: 'S10', term: '2025-2026-2', attempt: 3, grade: 'Absent', resultStatus: 'resit' },
          { externalId: 'A001', courseCode: 'S11', term: '2025-2026-1', 成绩: '', 成绩标志: 'Exempted' },
          { externalId: 'A001', courseCode: 'S12', term: '2025-2026-1', grade: 77, status: 'late' },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ committed: false, created: 3, rejected: 1 });
    expect(body.issues).toEqual([{ rowNumber: 4, column: '成绩标志 Result status', value: 'late', reason: expect.stringContaining('not a result status') }]);
    expect(body.notes.map((n: Issue) => `${n.rowNumber} ${n.column} ${n.value} ${n.reason.split('：')[0]}`)).toEqual([
      '1 成绩标志 Result status absent without leave 旷考（absent without leave）',
      '2 成绩 Grade Absent 缺考（absent）（补考 resit）',
      '3 成绩标志 Result status Exempted 免修（exempted from the course）',
    ]);
  });

  it('re-imports a changed status as a correction, and says what changed', async () => {
    // the deferred exam sat: 缓考 becomes 84
    const res = await upload([HEADER, 'A001,S02,2024-2025-1,84,', 'A001,S01,2024-2025-1,缺考,'], 'mode=commit');
    expect(res.json()).toMatchObject({ committed: true, updated: 1, skipped: 1 });
    const changes = await issues(res.json().id, 'change');
    expect(changes).toEqual([{ rowNumber: 2, column: null, value: null, reason: 'grade (empty) → 84; resultStatus 缓考 deferred → 正常 normal' }]);
    expect(await available()).toBe('6');
    // exported, the results read back in as they are
    const exported = await registrarA({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/export/results.csv` });
    expect(exported.body.split('\r\n')[0]).toContain('成绩标志 Result status');
    expect(exported.body).toMatch(/S01,2024-2025-1,1,,2025-01-31,缺考\r\n/);
  });
});
