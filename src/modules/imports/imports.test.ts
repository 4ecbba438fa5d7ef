// Bulk imports through the API: JSON batches and file uploads, dry runs, all-or-nothing and
// partial commits, re-imports, identity matching, reports, templates and exports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import { residentIdCheckChar } from '../../core/identity.js';
import { verifyLog } from '../log/service.js';

/** A valid made-up resident ID for a birth date. */
const residentId = (birth: string, seq = '123', region = '110105') => {
  const first17 = `${region}${birth.replace(/-/g, '')}${seq}`;
  return `${first17}${residentIdCheckChar(first17)}`;
};

function multipart(filename: string, content: Buffer, contentType = 'application/octet-stream') {
  const boundary = '----cbtest' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(backends)('imports on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let registrarA: ReturnType<typeof as>;
  let registrarB: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  let alice: ReturnType<typeof as>;

  const rows = (kind: string, body: Record<string, unknown>, caller = registrarA, inst = fx.a.id) =>
    caller({ method: 'POST', url: `/api/v1/institutions/${inst}/imports/${kind}/rows`, payload: body });
  const upload = (kind: string, filename: string, content: Buffer, query = 'mode=commit', caller = registrarA) => {
    const m = multipart(filename, content);
    return caller({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/imports/${kind}?${query}&wait=true`, payload: m.payload, headers: m.headers });
  };
  const balance = async (learnerId: string) => {
    const view = (await admin({ method: 'GET', url: `/api/v1/learners/${learnerId}/account` })).json();
    return view.balances.find((b: { unit: string }) => b.unit === 'credit')?.available ?? '0';
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
    registrarB = as(app, { cookie: await signIn(app, 'registrar.b') });
    admin = as(app, { cookie: await signIn(app, 'admin') });
    alice = as(app, { cookie: await signIn(app, 'alice') });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  describe('learners', () => {
    const carol = {
      学号: 'A100',
      姓名: '陈可乐',
      姓名拼音: 'Chen Kele',
      出生日期: '2003-04-05',
      证件类型: '居民身份证',
      证件号码: residentId('2003-04-05'),
      入学日期: '2022-09-01',
    };
    it('creates learners with checked identity documents', async () => {
      const res = await rows('learners', {
        mode: 'all_or_nothing',
        rows: [
          carol,
          {
            studentNumber: 'x',
            externalId: 'A101',
            fullName: 'Dirk Jansen',
            birthDate: '2001/2/3',
            idType: 'passport',
            idNumber: 'nx 123456',
            idCountry: 'NLD',
          },
        ],
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'done', committed: true, created: 2, rejected: 0 });
      const list = (await registrarA({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners?q=A10` })).json();
      expect(list.items.map((l: { externalId: string }) => l.externalId).sort()).toEqual(['A100', 'A101']);
    });

    it('refuses bad identity data and names row, column, value and reason', async () => {
      const bad = residentId('2003-04-05').slice(0, 17) + (residentId('2003-04-05').endsWith('0') ? '1' : '0');
      const res = await rows('learners', {
        mode: 'all_or_nothing',
        rows: [
          { ...carol, 学号: 'A200', 证件号码: bad },
          { ...carol, 学号: 'A201', 出生日期: '2003-04-06', 证件号码: residentId('2003-04-05', '124') },
          { ...carol, 学号: 'A202', 出生日期: '2003-02-30', 证件号码: residentId('2003-03-02', '125') },
          { ...carol, 学号: 'A203', 证件类型: '驾照', 证件号码: residentId('2003-04-05', '126') },
        ],
      });
      const body = res.json();
      expect(body).toMatchObject({ committed: false, rejected: 4, created: 0 });
      const byRow = Object.fromEntries(body.issues.map((i: { rowNumber: number }) => [i.rowNumber, i]));
      expect(byRow[1]).toMatchObject({
        column: '证件号码 ID number',
        value: expect.stringMatching(/^110\*+\d{3}[\dX]$/),
        reason: expect.stringMatching(/check/i),
      });
      expect(byRow[2].reason).toMatch(/birth date/);
      expect(byRow[3]).toMatchObject({ column: '出生日期 Date of birth', value: '2003-02-30' });
      expect(byRow[4].column).toBe('证件类型 ID type');
    });

    it('recognises the same person at another institution by identity document', async () => {
      const res = await rows('learners', { rows: [{ ...carol, 学号: 'B900' }] }, registrarB, fx.b.id);
      expect(res.json()).toMatchObject({ committed: true, created: 1 });
      const view = (await admin({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/learners?q=B900` })).json();
      const a = (await admin({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners?q=A100` })).json();
      expect(view.items[0].id).toBe(a.items[0].id);
    });

    it('flags a conflict instead of merging silently, and lets an administrator decide', async () => {
      const res = await rows('learners', { rows: [{ ...carol, 学号: 'B901', 姓名: '陈可可' }] }, registrarB, fx.b.id);
      expect(res.json()).toMatchObject({ committed: false, rejected: 1 });
      expect(res.json().issues[0].reason).toMatch(/identity conflict/);
      expect((await registrarB({ method: 'GET', url: '/api/v1/identity-conflicts' })).statusCode).toBe(403);
      const open = (await admin({ method: 'GET', url: '/api/v1/identity-conflicts' })).json().items;
      expect(open).toHaveLength(1);
      expect(open[0].submitted).toMatchObject({ fullName: '陈可可', externalId: 'B901' });
      const decided = await admin({
        method: 'POST',
        url: `/api/v1/identity-conflicts/${open[0].id}/resolve`,
        payload: { decision: 'different', note: '证件号录入错误 typo at the college' },
      });
      expect(decided.json().status).toBe('different');
      expect(
        (await admin({ method: 'POST', url: `/api/v1/identity-conflicts/${open[0].id}/resolve`, payload: { decision: 'same_person', note: 'again' } }))
          .statusCode,
      ).toBe(409);
    });

    it('logs an identity merge, and log verify names one changed behind its back', async () => {
      const dan = { ...carol, 学号: 'A300', 姓名: '丁一', 姓名拼音: 'Ding Yi', 出生日期: '2004-06-07', 证件号码: residentId('2004-06-07', '131') };
      expect((await rows('learners', { rows: [dan] })).json()).toMatchObject({ committed: true, created: 1 });
      await rows('learners', { rows: [{ ...dan, 学号: 'B902', 姓名: '丁壹' }] }, registrarB, fx.b.id);
      const open = (await admin({ method: 'GET', url: '/api/v1/identity-conflicts' })).json().items;
      expect(open).toHaveLength(1);
      const merged = await admin({
        method: 'POST',
        url: `/api/v1/identity-conflicts/${open[0].id}/resolve`,
        payload: { decision: 'same_person', note: '同一人，曾用名 former name' },
      });
      expect(merged.statusCode, merged.body).toBe(200);
      await app.inject({ method: 'GET', url: '/api/v1/log/checkpoint' });
      const entries = (await database.db.execute(
        sql`select idx, payload from log_entries where kind = 'identity_merge' and ref = ${open[0].id}`,
      )) as unknown as { rows: { idx: number | null; payload: string }[] };
      expect(entries.rows).toHaveLength(1);
      expect(entries.rows[0]!.idx).not.toBeNull();
      expect(JSON.parse(entries.rows[0]!.payload)).toMatchObject({
        type: 'identity.merge',
        conflictId: open[0].id,
        institutionId: fx.b.id,
        externalId: 'B902',
      });
      expect((await verifyLog(database.db)).findings).toEqual([]);
      await database.db.execute(sql`update identity_conflicts set existing_learner_id = ${fx.bob.id} where id = ${open[0].id}`);
      expect((await verifyLog(database.db)).findings).toEqual([expect.objectContaining({ what: 'altered', ref: open[0].id })]);
      await database.db.execute(
        sql`update identity_conflicts set existing_learner_id = ${JSON.parse(entries.rows[0]!.payload).learnerId} where id = ${open[0].id}`,
      );
    });

    it('stores a name normalised and matches its other spellings: no conflict, no change, no refused result', async () => {
      const ayi = {
        ...carol,
        学号: 'A310',
        姓名: '阿依古丽•买买提',
        姓名拼音: 'Ayiguli  Maimaiti',
        出生日期: '2001-02-03',
        证件号码: residentId('2001-02-03', '141'),
      };
      expect((await rows('learners', { rows: [ayi] })).json()).toMatchObject({ committed: true, created: 1 });
      const stored = (await admin({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners?q=A310` })).json().items[0];
      expect(stored).toMatchObject({ fullName: '阿依古丽·买买提', fullNameLatin: 'Ayiguli Maimaiti' });
      const again = (await rows('learners', { rows: [{ ...ayi, 姓名: '阿依古丽・买买提', 姓名拼音: 'ayiguli maimaiti' }] })).json();
      expect(again).toMatchObject({ rejected: 0, created: 0 });
      const result = await rows('results', { rows: [{ 学号: 'A310', 姓名: '阿依古丽.买买提', 课程代码: 'CS101', 学期: '2024-2025-1', 成绩: '88' }] });
      expect(result.json()).toMatchObject({ rejected: 0, created: 1 });
      const other = await rows('results', { rows: [{ 学号: 'A310', 姓名: '阿依古丽', 课程代码: 'MA101', 学期: '2024-2025-1', 成绩: '88' }] });
      expect(other.json()).toMatchObject({
        rejected: 1,
        issues: [{ column: expect.stringMatching(/^姓名/), reason: expect.stringContaining('belongs to 阿依古丽·买买提') }],
      });
    });

    it('shows the ID number whole only to the learner', async () => {
      const a = (await registrarA({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners?q=A100` })).json().items[0];
      const staff = (await registrarA({ method: 'GET', url: `/api/v1/learners/${a.id}/account` })).json();
      expect(staff.learner.idNumber).toMatch(/^110\*+\d{3}[\dX]$/);
      expect(staff.learner.idNumber).not.toContain('20030405');
      const csv = (await registrarA({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/export/learners.csv` })).body;
      expect(csv).not.toContain(residentId('2003-04-05'));
      expect(csv).toContain('陈可乐');
    });
  });

  describe('course results', () => {
    const r = (grade: string, extra: Record<string, unknown> = {}) => ({ externalId: 'A001', courseCode: 'CS101', term: '2023-2024-1', grade, ...extra });

    it('checks in a dry run and changes nothing', async () => {
      const res = await rows('results', { mode: 'dry_run', rows: [r('88'), r('75', { courseCode: 'MA101' })] });
      expect(res.json()).toMatchObject({ mode: 'dry_run', committed: false, created: 2, rejected: 0, message: expect.stringMatching(/nothing was changed/) });
      expect(await balance(fx.alice.id)).toBe('0');
    });

    it('refuses the whole file when any row is bad (all or nothing), reporting every bad row', async () => {
      const res = await rows('results', {
        mode: 'all_or_nothing',
        rows: [
          r('88'),
          r('105', { courseCode: 'MA101' }),
          r('70', { courseCode: 'NOPE' }),
          r('70', { term: '2023秋' }),
          r('70', { completedOn: '2024-02-30' }),
          r('88'),
          r('70', { externalId: 'ZZZ' }),
          r('70', { courseCode: 'MA101', term: '2022-2023-2', fullName: '王五' }),
        ],
      });
      const body = res.json();
      // the counts say what the check found; nothing was written
      expect(body).toMatchObject({ committed: false, rejected: 7, created: 1, message: expect.stringMatching(/nothing was imported/) });
      const reasons = body.issues.map((i: { rowNumber: number; column: string; reason: string }) => `${i.rowNumber} ${i.column} ${i.reason}`);
      expect(reasons).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^2 成绩 Grade .*between 0 and 100/),
          expect.stringMatching(/^3 课程代码 Course code .*no course NOPE/),
          expect.stringMatching(/^4 学期 Term /),
          expect.stringMatching(/^5 完成日期 Completion date /),
          expect.stringMatching(/^6 null .*duplicate of row 1/),
          expect.stringMatching(/^7 学号 Student number .*import the learners first/),
          expect.stringMatching(/^8 姓名 Full name .*belongs to 张爱丽/),
        ]),
      );
      expect(await balance(fx.alice.id)).toBe('0');
    });

    it('imports the valid rows only when asked (partial)', async () => {
      const res = await rows('results', { mode: 'partial', rows: [r('88'), r('105', { courseCode: 'MA101' })] });
      expect(res.json()).toMatchObject({ committed: true, created: 1, rejected: 1 });
      expect(await balance(fx.alice.id)).toBe('3.5');
    });

    it('creates no duplicates on re-import; a changed grade is a correction through the ledger', async () => {
      const same = await rows('results', { rows: [r('88'), r('75', { courseCode: 'MA101' })] });
      expect(same.json()).toMatchObject({ committed: true, created: 1, skipped: 1, updated: 0 });
      expect(await balance(fx.alice.id)).toBe('8.5');
      const changed = await rows('results', { rows: [r('55'), r('75', { courseCode: 'MA101' })] });
      expect(changed.json()).toMatchObject({ committed: true, updated: 1, skipped: 1 });
      // the report says which row changed what
      const said = (await registrarA({ method: 'GET', url: `/api/v1/imports/${changed.json().id}/issues?level=change` })).json().items;
      expect(said).toEqual([{ rowNumber: 1, column: null, value: null, reason: 'grade 88 → 55' }]);
      expect(await balance(fx.alice.id)).toBe('5');
      const ledger = (await alice({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ledger` })).json();
      expect(ledger.items.filter((p: { kind: string }) => p.kind === 'reversal')).toHaveLength(1);
      const outcomes = (await alice({ method: 'GET', url: '/api/v1/me/account' })).json().outcomes;
      expect(
        outcomes
          .filter((o: { courseCode: string }) => o.courseCode === 'CS101')
          .map((o: { status: string; grade: string }) => `${o.grade} ${o.status}`)
          .sort(),
      ).toEqual(['55 recorded', '88 superseded']);
      // every posting the imports made is in the transparency log, as the log itself would write it
      expect((await verifyLog(database.db)).findings).toEqual([]);
    });

    it('takes five-level grades at a vocational college', async () => {
      const ok = await rows('results', { rows: [{ 学号: 'B001', 课程代码: 'SW101', 学期: '2023-2024-1', 成绩: '良' }] }, registrarB, fx.b.id);
      expect(ok.json()).toMatchObject({ committed: true, created: 1 });
      const bad = await rows('results', { rows: [{ 学号: 'B001', 课程代码: 'SW101', 学期: '2023-2024-2', 成绩: '86' }] }, registrarB, fx.b.id);
      expect(bad.json().issues[0]).toMatchObject({ column: '成绩 Grade', value: '86', reason: expect.stringContaining('优, 良, 中, 及格, 不及格') });
    });

    it('lets an institution system push with its API token, and only for itself', async () => {
      const token = (await registrarA({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/api-tokens`, payload: { name: 'nightly' } })).json().token;
      const system = as(app, { token });
      expect((await rows('results', { mode: 'dry_run', rows: [r('90')] }, system)).statusCode).toBe(200);
      expect((await rows('results', { mode: 'dry_run', rows: [r('90')] }, system, fx.b.id)).statusCode).toBe(403);
      expect((await rows('results', { mode: 'dry_run', rows: [r('90')] }, registrarB)).statusCode).toBe(403);
      expect((await rows('results', { mode: 'dry_run', rows: [] })).statusCode).toBe(400);
    });
  });

  describe('files', () => {
    it('serves bilingual templates with an example row', async () => {
      const csv = await app.inject({ method: 'GET', url: '/api/v1/imports/templates/results.csv' });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-disposition']).toContain('template-results.csv');
      expect(csv.body.startsWith('\uFEFF学号 Student number,')).toBe(true);
      expect(csv.body.split('\r\n')[1]).toContain('2024-2025-1');
      const xlsx = await app.inject({ method: 'GET', url: '/api/v1/imports/templates/learners.xlsx' });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as never);
      expect(wb.worksheets[0]!.getRow(1).getCell(1).value).toBe('学号 Student number');
      expect(wb.worksheets[1]!.name).toBe('说明 Notes');
    });

    it('imports a GB18030 CSV file as Chinese Excel writes it, and reports by row', async () => {
      const text = ['学号,课程代码,学期,成绩', 'A001,MA101,２０２４-2025-1,９０', 'A001,CS101,2024-2025-1,abc', ',,,', ''].join('\r\n');
      const res = await upload('results', '成绩.csv', iconv.encode(text, 'gb18030'), 'mode=commit&partial=true');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'done', committed: true, created: 1, rejected: 1, filename: '成绩.csv' });
      const issues = (await registrarA({ method: 'GET', url: `/api/v1/imports/${res.json().id}/issues` })).json().items;
      expect(issues).toEqual([{ rowNumber: 3, column: '成绩 Grade', value: 'abc', reason: expect.any(String) }]);
      const report = await registrarA({ method: 'GET', url: `/api/v1/imports/${res.json().id}/report.csv` });
      expect(report.body).toContain('abc');
      expect(report.body).toContain('行号 Row');
    });

    it('imports an XLSX with a title row, dates and numbers', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('成绩');
      ws.addRow(['甲大学 2024 学年成绩']);
      ws.mergeCells('A1:E1');
      ws.addRow(['学号 Student number', '课程代码 Course code', '学期 Term', '成绩 Grade', '完成日期 Completion date']);
      ws.addRow(['A001', 'MA101', '2025-2026-1', 92, new Date(Date.UTC(2026, 0, 20))]);
      const buf = Buffer.from(await wb.xlsx.writeBuffer());
      const res = await upload('results', 'grades.xlsx', buf);
      expect(res.json()).toMatchObject({ status: 'done', committed: true, created: 1 });
      const outcome = (await alice({ method: 'GET', url: '/api/v1/me/account' })).json().outcomes.find((o: { term: string }) => o.term === '2025-2026-1');
      expect(outcome).toMatchObject({ grade: '92', completedOn: '2026-01-20' });
    });

    it('fails a file with wrong headers, an empty file, a corrupt workbook, with a clear message', async () => {
      const wrong = await upload('results', 'x.csv', Buffer.from('name,score\nA,1\n'));
      expect(wrong.json()).toMatchObject({ status: 'failed', committed: false, message: expect.stringMatching(/学号 Student number/) });
      const empty = await upload('results', 'x.csv', Buffer.alloc(0));
      expect(empty.json()).toMatchObject({ status: 'failed' });
      const corrupt = await upload('results', 'x.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]));
      expect(corrupt.json()).toMatchObject({ status: 'failed', message: expect.stringMatching(/Excel|workbook|zip/i) });
    });

    it('refuses a request without a file, and a file over the limit', async () => {
      const none = await registrarA({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/imports/results`, payload: { rows: [] } });
      expect(none.statusCode).toBe(400);
      const big = Buffer.alloc(300_000, 'a');
      const small = await makeApp(database, { UPLOAD_LIMIT_BYTES: '100000' });
      const cookie = await signIn(small, 'registrar.a');
      const m = multipart('big.csv', big);
      const res = await small.inject({
        method: 'POST',
        url: `/api/v1/institutions/${fx.a.id}/imports/results?mode=commit&wait=true`,
        payload: m.payload,
        headers: { ...m.headers, cookie },
      });
      expect(res.statusCode).toBe(413);
      await small.close();
    });

    it('exports results in the import columns, and the export imports back unchanged', async () => {
      const csv = (await registrarA({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/export/results.csv` })).body;
      expect(csv.split('\r\n')[0]).toBe(
        '\uFEFF学号 Student number,姓名 Full name,课程代码 Course code,学期 Term,修读次数 Attempt,成绩 Grade,完成日期 Completion date,成绩标志 Result status',
      );
      const back = await upload('results', 'export.csv', Buffer.from(csv));
      expect(back.json()).toMatchObject({ status: 'done', rejected: 0, created: 0, updated: 0 });
      expect(back.json().skipped).toBeGreaterThan(0);
    });

    it('exports a learner’s record for the learner, not for other learners', async () => {
      const own = await alice({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/export.xlsx` });
      expect(own.statusCode).toBe(200);
      expect(own.headers['content-type']).toContain('spreadsheetml');
      expect((await alice({ method: 'GET', url: `/api/v1/learners/${fx.bob.id}/export.csv` })).statusCode).toBe(404);
    });
  });

  describe('what the review found', () => {
    it('stores nothing from an upload the caller may not make', async () => {
      const uploads = path.join(os.tmpdir(), 'cb-uploads-probe');
      const m = multipart('x.csv', Buffer.from('学号,课程代码,学期,成绩\nA001,CS101,2023-2024-1,90\n'));
      const anon = await app.inject({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/imports/results`, payload: m.payload, headers: m.headers });
      expect(anon.statusCode).toBe(401);
      const other = await registrarB({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/imports/results`, payload: m.payload, headers: m.headers });
      expect(other.statusCode).toBe(403);
      expect(fs.existsSync(uploads)).toBe(false);
    });

    it('refuses rows that would break the database instead of failing the whole import', async () => {
      const long = await rows('learners', {
        mode: 'partial',
        rows: [{ 学号: 'A300', 姓名: '长号', 出生日期: '2001-01-01', 证件类型: '其他', 证件号码: 'x'.repeat(8000) }],
      });
      expect(long.statusCode).toBe(200);
      expect(long.json()).toMatchObject({ status: 'done', rejected: 1 });
      const credits = await rows('courses', {
        mode: 'partial',
        rows: [
          { code: 'NEG1', titleZh: '负', titleEn: 'Neg', credits: '-1', hours: '16', iscedCode: '0613' },
          { code: 'BIG1', titleZh: '大', titleEn: 'Big', credits: '123456789', hours: '16', iscedCode: '0613' },
        ],
      });
      expect(credits.json()).toMatchObject({ status: 'done', rejected: 2 });
    });

    it('refuses a second student number for a learner already enrolled here, and an ID held by someone else', async () => {
      const id = residentId('2000-01-01', '321');
      expect(
        (await rows('learners', { rows: [{ 学号: 'A400', 姓名: '钱多', 出生日期: '2000-01-01', 证件类型: '居民身份证', 证件号码: id }] })).json(),
      ).toMatchObject({ created: 1 });
      const again = await rows('learners', {
        mode: 'partial',
        rows: [{ 学号: 'A401', 姓名: '钱多', 出生日期: '2000-01-01', 证件类型: '居民身份证', 证件号码: id }],
      });
      expect(again.json()).toMatchObject({ rejected: 1, created: 0 });
      expect(again.json().issues[0].reason).toMatch(/another student number/);
      // alice (A001) has no identity document on record yet: claiming another learner's for her is a conflict
      const zhao = residentId('2002-05-01', '322');
      expect(
        (await rows('learners', { rows: [{ 学号: 'A402', 姓名: '赵某', 出生日期: '2002-05-01', 证件类型: '居民身份证', 证件号码: zhao }] })).json(),
      ).toMatchObject({ created: 1 });
      const claim = await rows('learners', {
        mode: 'partial',
        rows: [{ 学号: 'A001', 姓名: '张爱丽', 出生日期: '2002-05-01', 证件类型: '居民身份证', 证件号码: zhao }],
      });
      expect(claim.json()).toMatchObject({ rejected: 1, updated: 0 });
      expect(claim.json().issues[0]).toMatchObject({ value: expect.stringMatching(/^\d{3}\*+/), reason: expect.stringMatching(/identity conflict/) });
    });

    it('masks identity numbers in reports', async () => {
      const bad = residentId('2003-04-05').slice(0, 17) + (residentId('2003-04-05').endsWith('1') ? '2' : '1');
      const res = await rows('learners', {
        mode: 'dry_run',
        rows: [{ 学号: 'A500', 姓名: '孙某', 出生日期: '2003-04-05', 证件类型: '居民身份证', 证件号码: bad }],
      });
      expect(res.json().issues[0].value).toMatch(/^110\*+/);
      expect(JSON.stringify(res.json())).not.toContain(bad);
    });

    it('records a pass in a course of no credits without a posting', async () => {
      await rows('courses', { rows: [{ code: 'LAB0', titleZh: '劳动教育', titleEn: 'Labour Education', credits: '0', hours: '16', iscedCode: '0031' }] });
      const res = await rows('results', {
        rows: [
          { externalId: 'A001', courseCode: 'LAB0', term: '2023-2024-1', grade: '90' },
          { externalId: 'A001', courseCode: 'CS101', term: '2025-2026-1', grade: '90' },
        ],
      });
      expect(res.json()).toMatchObject({ committed: true, created: 2 });
      const api = await registrarA({
        method: 'POST',
        url: `/api/v1/institutions/${fx.a.id}/outcomes`,
        payload: { externalId: 'A001', courseCode: 'LAB0', term: '2024-2025-1', grade: '80', completedOn: '2025-01-10' },
      });
      expect(api.statusCode).toBe(201);
      expect(api.json().postings).toEqual([]);
    });

    it('pages issues by whole rows', async () => {
      const res = await rows('results', {
        mode: 'dry_run',
        rows: [
          { externalId: '', courseCode: '', term: 'x', grade: '' },
          { externalId: '', courseCode: '', term: 'y', grade: '' },
        ],
      });
      const first = (await registrarA({ method: 'GET', url: `/api/v1/imports/${res.json().id}/issues?limit=2` })).json().items;
      expect(first.every((i: { rowNumber: number }) => i.rowNumber === 1)).toBe(true);
      const perRow = first.length;
      const next = (await registrarA({ method: 'GET', url: `/api/v1/imports/${res.json().id}/issues?limit=2&afterRow=1` })).json().items;
      expect(next).toHaveLength(perRow);
    });
  });

  it('imports courses: creates, updates what changed, skips what did not', async () => {
    const c = { code: 'PH201', titleZh: '大学物理', titleEn: 'University Physics', credits: '4', hours: '64', iscedCode: '0533' };
    expect((await rows('courses', { rows: [c] })).json()).toMatchObject({ created: 1 });
    expect((await rows('courses', { rows: [c, { ...c, code: 'PH202', credits: '3.555' }], mode: 'partial' })).json()).toMatchObject({
      skipped: 1,
      rejected: 1,
    });
    const upd = (await rows('courses', { rows: [{ ...c, hours: '72' }] })).json();
    expect(upd).toMatchObject({ updated: 1 });
    const list = (await app.inject({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/courses?q=PH201` })).json();
    expect(list.items[0]).toMatchObject({ hours: 72, version: 2 });
  });
});

describe('creditbank import (CLI)', () => {
  it('imports a file into an institution from the command line', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const run = promisify(execFile);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-import-cli-'));
    const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '', DEMO_PASSWORD: 'cli-demo-pass' };
    await run(process.execPath, ['bin/creditbank.js', 'seed'], { env });
    const file = path.join(dir, 'courses.csv');
    fs.writeFileSync(file, '课程代码,课程名称,英文名称,学分,学时,ISCED-F代码\nNEW101,新课程,New Course,2,32,0613\nBAD,坏,Bad,x,32,0613\n');
    const dry = await run(process.execPath, ['bin/creditbank.js', 'import', 'courses', file, '--institution', 'HXU', '--dry-run'], { env }).catch((e) => e);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toMatch(/row 3, 学分 Credits = "x"/);
    const ok = await run(process.execPath, ['bin/creditbank.js', 'import', 'courses', file, '--institution', 'HXU', '--partial'], { env });
    expect(ok.stdout).toMatch(/created 1/);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
