// Identity documents through the API: every document people in China hold, in a learners import
// file and on the learners route; bad documents refused by row and field; canonical forms matched
// (an old 15-digit resident ID = its 18 characters, H12345678 = H1234567801); passports by country.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../core/identity.js';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import { COLUMNS, headerText } from '../imports/columns.js';

/** A valid made-up 18-character number (resident ID, residence permit, 2023 permanent resident card). */
const gb11643 = (first17: string) => `${first17}${residentIdCheckChar(first17)}`;
const residentId = (birth: string, seq: string, region = '110105') => gb11643(`${region}${birth.replace(/-/g, '')}${seq}`);

function multipart(filename: string, content: Buffer) {
  const boundary = '----cbtest' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A learners file as the template writes it (every column, bilingual headers), one row per object. */
function learnersCsv(rows: Record<string, string>[]): Buffer {
  const cols = COLUMNS.learners;
  const line = (cells: string[]) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
  return Buffer.from(['\uFEFF' + line(cols.map(headerText)), ...rows.map((r) => line(cols.map((c) => r[c.key] ?? '')))].join('\r\n'));
}

describe.each(backends)('identity documents on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let registrarA: ReturnType<typeof as>;
  let registrarB: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;

  const rows = (body: Record<string, unknown>, caller = registrarA, inst = fx.a.id) =>
    caller({ method: 'POST', url: `/api/v1/institutions/${inst}/imports/learners/rows`, payload: body });
  const stored = async (idNumber: string) =>
    (
      (await database.db.execute(
        sql`select id, id_type, id_number, id_country, id_type_name, birth_date::text as birth_date from learners where id_number = ${idNumber} order by id_country`,
      )) as unknown as {
        rows: { id: string; id_type: string; id_number: string; id_country: string | null; id_type_name: string | null; birth_date: string | null }[];
      }
    ).rows;
  const learnerAt = async (inst: string, externalId: string) =>
    (await admin({ method: 'GET', url: `/api/v1/institutions/${inst}/learners?q=${encodeURIComponent(externalId)}` }))
      .json()
      .items.find((l: { externalId: string }) => l.externalId === externalId) as { id: string } | undefined;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
    registrarB = as(app, { cookie: await signIn(app, 'registrar.b') });
    admin = as(app, { cookie: await signIn(app, 'admin') });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const old15 = '110105680712031'; // 1968-07-12
  const new18 = gb11643('11010519680712031');
  const residence = residentId('1999-01-02', '017', '820000');
  const permanent2023 = gb11643('93184019850101007');

  it('imports a file with every document type, each stored in its canonical form', async () => {
    const file = learnersCsv([
      { externalId: 'D001', fullName: '王小明', birthDate: '2003-04-05', idType: '居民身份证', idNumber: residentId('2003-04-05', '201') },
      { externalId: 'D002', fullName: '赵老师', birthDate: '1968-07-12', idType: '身份证', idNumber: old15 },
      { externalId: 'D003', fullName: '陈家乐', birthDate: '2002-02-02', idType: '回乡证', idNumber: 'H1234567801' },
      {
        externalId: 'D004',
        fullName: '林怡君',
        birthDate: '2001-03-03',
        idType: '台湾居民来往大陆通行证 Mainland Travel Permit for Taiwan Residents',
        idNumber: '01234567',
      },
      { externalId: 'D005', fullName: '何嘉欣', birthDate: '1999-01-02', idType: '港澳台居民居住证', idNumber: residence },
      { externalId: 'D006', fullName: 'John Smith', birthDate: '1980-05-05', idType: '永居证', idNumber: 'USA110099030012' },
      { externalId: 'D007', fullName: 'Anna Müller', birthDate: '1985-01-01', idType: 'foreign permanent resident ID', idNumber: permanent2023 },
      { externalId: 'D008', fullName: 'Emma Jones', birthDate: '2000-06-06', idType: '护照', idNumber: 'e 1234 5678', idCountry: 'USA' },
      { externalId: 'D009', fullName: '刘强', birthDate: '1990-09-09', idType: '其他', idNumber: '军字第2001988号', idTypeName: '军官证' },
    ]);
    const m = multipart('学生.csv', file);
    const res = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/imports/learners?mode=commit&wait=true`,
      payload: m.payload,
      headers: m.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'done', committed: true, created: 9, rejected: 0 });

    expect(await stored(new18)).toEqual([expect.objectContaining({ id_type: 'resident_id', id_country: null, birth_date: '1968-07-12' })]);
    expect(await stored(old15)).toEqual([]);
    expect(await stored('H12345678')).toEqual([expect.objectContaining({ id_type: 'hk_macao_permit' })]);
    expect(await stored('01234567')).toEqual([expect.objectContaining({ id_type: 'taiwan_permit' })]);
    expect(await stored(residence)).toEqual([expect.objectContaining({ id_type: 'residence_permit' })]);
    expect(await stored('USA110099030012')).toEqual([expect.objectContaining({ id_type: 'foreign_permanent' })]);
    expect(await stored(permanent2023)).toEqual([expect.objectContaining({ id_type: 'foreign_permanent' })]);
    expect(await stored('E12345678')).toEqual([expect.objectContaining({ id_type: 'passport', id_country: 'USA', id_type_name: null })]);
    expect(await stored('军字第2001988号')).toEqual([expect.objectContaining({ id_type: 'other', id_country: null, id_type_name: '军官证' })]);

    // the report says what became of the numbers changed on the way in (row numbers count the header line)
    const said = (await registrarA({ method: 'GET', url: `/api/v1/imports/${res.json().id}/issues?level=change` })).json().items;
    expect(said).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rowNumber: 3, reason: expect.stringMatching(/old 15-digit number was converted to its 18-character form/) }),
        expect.objectContaining({ rowNumber: 4, reason: expect.stringMatching(/issue count 01 is not part of the number/) }),
      ]),
    );
  });

  it('exports every document type by its Chinese name, with the passport country, masked', async () => {
    const csv = (await registrarA({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/export/learners.csv` })).body;
    const [header, ...lines] = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe(COLUMNS.learners.map(headerText).join(','));
    const d = (no: string) => lines.find((l) => l.startsWith(`${no},`))!;
    expect(d('D003')).toContain(',港澳居民来往内地通行证,');
    expect(d('D004')).toContain(',台湾居民来往大陆通行证,');
    expect(d('D005')).toContain(',港澳台居民居住证,');
    expect(d('D006')).toContain(',外国人永久居留身份证,');
    expect(d('D008')).toMatch(/,护照,E12\*\*5678,USA,,/);
    expect(d('D009')).toContain(',其他,');
    expect(d('D009')).toContain(',军官证,');
    expect(csv).not.toContain(new18);
  });

  it('refuses bad documents, naming the row and the field', async () => {
    const base = { 姓名: '测试', 出生日期: '1968-07-12' };
    const res = await rows({
      mode: 'all_or_nothing',
      rows: [
        { ...base, 学号: 'E01', 证件类型: '回乡证', 证件号码: 'H123' },
        { ...base, 学号: 'E02', 证件类型: '护照', 证件号码: 'E7654321' },
        { ...base, 学号: 'E03', 证件类型: '护照', 证件号码: 'E7654321', 证件签发国家: 'ZZZ' },
        { ...base, 学号: 'E04', 证件类型: '其他', 证件号码: 'AB-123' },
        { ...base, 学号: 'E05', 证件类型: '港澳台居民居住证', 证件号码: residentId('1968-07-12', '031') },
        { ...base, 学号: 'E06', 证件类型: '台胞证', 证件号码: '1234567' },
        { ...base, 学号: 'E07', 证件类型: '港澳通行证', 证件号码: 'C12345678' },
        { ...base, 学号: 'E08', 证件类型: '永居证', 证件号码: 'US110099030012' },
        { ...base, 学号: 'E09', 出生日期: '1968-07-13', 证件类型: '居民身份证', 证件号码: old15 },
        { ...base, 学号: 'E10', 证件类型: '居民身份证', 证件号码: '110105680230031' },
        { ...base, 学号: 'E11', 证件类型: '其他', 证件号码: 'AB-123', 证件名称: '护照' },
        { ...base, 学号: 'E12', 证件类型: '居民身份证', 证件号码: residence },
      ],
    });
    const body = res.json();
    expect(body).toMatchObject({ committed: false, rejected: 12, created: 0 });
    const byRow = Object.fromEntries(body.issues.map((i: { rowNumber: number }) => [i.rowNumber, i]));
    const number = '证件号码 ID number';
    expect(byRow[1]).toMatchObject({ column: number, reason: expect.stringMatching(/H or M followed by 8 digits/) });
    expect(byRow[2]).toMatchObject({ column: '证件签发国家 ID country', value: null, reason: expect.stringMatching(/needs its issuing country/) });
    expect(byRow[3]).toMatchObject({ column: '证件签发国家 ID country', value: 'ZZZ', reason: expect.stringMatching(/ZZZ is not a known country/) });
    expect(byRow[4]).toMatchObject({ column: '证件名称 ID type name', reason: expect.stringMatching(/give its name/) });
    expect(byRow[5]).toMatchObject({ column: number, reason: expect.stringMatching(/begins 810000/) });
    expect(byRow[6]).toMatchObject({ column: number, reason: expect.stringMatching(/is 8 digits/) });
    expect(byRow[7]).toMatchObject({ column: '证件类型 ID type', value: '港澳通行证', reason: expect.stringMatching(/give the Home Return Permit/) });
    expect(byRow[8]).toMatchObject({ column: number, reason: expect.stringMatching(/3 letters and 12 digits/) });
    expect(byRow[9]).toMatchObject({
      column: number,
      value: expect.stringMatching(/^110\*+/),
      reason: expect.stringMatching(/birth date in the ID number \(1968-07-12\) differs .*1968-07-13/),
    });
    expect(byRow[10]).toMatchObject({ column: number, reason: expect.stringMatching(/old 15-digit number \(19680230\) is not valid/) });
    expect(byRow[11]).toMatchObject({ column: '证件名称 ID type name', value: '护照', reason: expect.stringMatching(/give the type as passport/) });
    expect(byRow[12]).toMatchObject({ column: number, reason: expect.stringMatching(/this is a residence permit number/) });
  });

  it('takes a passport with the same number from two countries as two people', async () => {
    const res = await rows({
      rows: [
        { 学号: 'P001', 姓名: 'Li Wei', 出生日期: '1995-03-03', 证件类型: 'passport', 证件号码: 'K9876543', 证件签发国家: 'SGP' },
        { 学号: 'P002', 姓名: 'Lee Wei', 出生日期: '1996-04-04', 证件类型: 'passport', 证件号码: 'K9876543', 证件签发国家: 'Malaysia' },
      ],
    });
    expect(res.json()).toMatchObject({ committed: true, created: 2, rejected: 0 });
    const [p1, p2] = [await learnerAt(fx.a.id, 'P001'), await learnerAt(fx.a.id, 'P002')];
    expect(p1!.id).not.toBe(p2!.id);
    expect((await stored('K9876543')).map((l) => l.id_country)).toEqual(['MYS', 'SGP']);
    // the same number and country is the same passport: matched at another institution
    const again = await rows(
      { rows: [{ 学号: 'B-P1', 姓名: 'Li Wei', 出生日期: '1995-03-03', 证件类型: '护照', 证件号码: 'k9876543', 证件签发国家: 'sg' }] },
      registrarB,
      fx.b.id,
    );
    expect(again.json()).toMatchObject({ committed: true, created: 1, rejected: 0 });
    expect((await learnerAt(fx.b.id, 'B-P1'))!.id).toBe(p1!.id);
  });

  it('matches an old 15-digit resident ID with the learner stored under the 18 characters, and an older Home Return Permit number', async () => {
    const res = await rows(
      {
        rows: [
          { 学号: 'B-D2', 姓名: '赵老师', 出生日期: '1968-07-12', 证件类型: '居民身份证', 证件号码: new18.slice(0, 6) + new18.slice(8, 17) },
          { 学号: 'B-D3', 姓名: '陈家乐', 出生日期: '2002-02-02', 证件类型: '港澳居民来往内地通行证', 证件号码: 'H12345678(02)' },
        ],
      },
      registrarB,
      fx.b.id,
    );
    expect(res.json()).toMatchObject({ committed: true, created: 2, rejected: 0 });
    expect((await learnerAt(fx.b.id, 'B-D2'))!.id).toBe((await learnerAt(fx.a.id, 'D002'))!.id);
    expect((await learnerAt(fx.b.id, 'B-D3'))!.id).toBe((await learnerAt(fx.a.id, 'D003'))!.id);
    expect((await admin({ method: 'GET', url: '/api/v1/identity-conflicts' })).json().items).toEqual([]);
    // re-importing the 18-character number at A changes nothing; the 15-digit one neither
    const same = await rows({ rows: [{ 学号: 'D002', 姓名: '赵老师', 出生日期: '1968-07-12', 证件类型: '居民身份证', 证件号码: new18 }] });
    expect(same.json()).toMatchObject({ rejected: 0, created: 0, updated: 0, skipped: 1 });
    // the old and the new number of one person in one file: one is a duplicate of the other
    const twice = await rows({
      mode: 'dry_run',
      rows: [
        { 学号: 'Z1', 姓名: '孙一', 出生日期: '1970-01-01', 证件类型: '居民身份证', 证件号码: '110105700101123' },
        { 学号: 'Z2', 姓名: '孙一', 出生日期: '1970-01-01', 证件类型: '居民身份证', 证件号码: gb11643('11010519700101123') },
      ],
    });
    expect(twice.json().issues).toEqual([expect.objectContaining({ rowNumber: 2, reason: expect.stringMatching(/duplicate of row 1/) })]);
  });

  it('completes a passport recorded before its country was asked for (XXX), instead of refusing it', async () => {
    await database.db.execute(sql`update learners set id_country = 'XXX' where id_number = 'E12345678'`);
    const emma = { 学号: 'D008', 姓名: 'Emma Jones', 出生日期: '2000-06-06', 证件类型: '护照', 证件号码: 'E12345678', 证件签发国家: 'USA' };
    const res = await rows({ rows: [emma] });
    expect(res.json()).toMatchObject({ committed: true, updated: 1, rejected: 0 });
    const said = (await registrarA({ method: 'GET', url: `/api/v1/imports/${res.json().id}/issues?level=change` })).json().items;
    expect(said).toEqual([expect.objectContaining({ reason: 'idCountry XXX → USA' })]);
    await database.db.execute(sql`update learners set id_country = 'XXX' where id_number = 'E12345678'`);
    const atB = await rows({ rows: [{ ...emma, 学号: 'B-D8' }] }, registrarB, fx.b.id);
    expect(atB.json()).toMatchObject({ committed: true, created: 1, rejected: 0 });
    expect(await stored('E12345678')).toEqual([expect.objectContaining({ id_country: 'USA' })]);
    expect((await learnerAt(fx.b.id, 'B-D8'))!.id).toBe((await learnerAt(fx.a.id, 'D008'))!.id);
  });

  describe('the learners route', () => {
    const create = (body: Record<string, unknown>) =>
      registrarA({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/learners`, payload: { fullName: '周一', ...body } });

    it('stores the canonical form and the birth date the number carries', async () => {
      const res = await create({ externalId: 'R001', idType: 'resident_id', idNumber: '110105750505044' });
      expect(res.statusCode, res.body).toBe(201);
      const eighteen = gb11643('11010519750505044');
      expect(await stored(eighteen)).toEqual([expect.objectContaining({ id: res.json().id, id_type: 'resident_id', birth_date: '1975-05-05' })]);
      const passport = await create({ externalId: 'R002', fullName: 'Hans Weber', idType: 'passport', idNumber: 'c01x00t47', idCountry: 'de' });
      expect(passport.statusCode, passport.body).toBe(201);
      const view = (await admin({ method: 'GET', url: `/api/v1/learners/${passport.json().id}/account` })).json();
      expect(view.learner).toMatchObject({ idType: 'passport', idNumber: 'C01**0T47', idCountry: 'DEU', idTypeName: null });
      const other = await create({ externalId: 'R003', idType: 'other', idNumber: 'S-778899', idTypeName: '士兵证' });
      expect(other.statusCode, other.body).toBe(201);
      expect((await admin({ method: 'GET', url: `/api/v1/learners/${other.json().id}/account` })).json().learner).toMatchObject({
        idType: 'other',
        idTypeName: '士兵证',
        idCountry: null,
      });
    });

    it('refuses a bad document with the failing field, and a document already on record', async () => {
      const field = async (body: Record<string, unknown>) => {
        const res = await create({ externalId: 'R100', ...body });
        return [res.statusCode, res.json().errors?.[0]?.path, res.json().errors?.[0]?.message];
      };
      expect(await field({ idType: 'passport', idNumber: 'E7654321' })).toEqual([400, 'body.idCountry', expect.stringMatching(/issuing country/)]);
      expect(await field({ idType: 'passport', idNumber: 'E7654321', idCountry: 'ZZZ' })).toEqual([
        400,
        'body.idCountry',
        expect.stringMatching(/not a known country/),
      ]);
      expect(await field({ idType: 'other', idNumber: 'AB-123' })).toEqual([400, 'body.idTypeName', expect.stringMatching(/give its name/)]);
      expect(await field({ idType: 'hk_macao_permit', idNumber: 'X12345678' })).toEqual([400, 'body.idNumber', expect.stringMatching(/H or M/)]);
      expect(await field({ idNumber: 'H12345678' })).toEqual([400, 'body.idType', expect.any(String)]);
      expect(await field({ idType: 'resident_id', idNumber: old15, birthDate: '1968-07-13' })).toEqual([
        400,
        'body.idNumber',
        expect.stringMatching(/differs/),
      ]);
      // already on record, under its 18 characters or an older permit number
      expect(await field({ idType: 'resident_id', idNumber: old15 })).toEqual([409, 'body.idNumber', expect.stringMatching(/already enrolled here/)]);
      expect(await field({ idType: 'hk_macao_permit', idNumber: 'H1234567803' })).toEqual([
        409,
        'body.idNumber',
        expect.stringMatching(/already enrolled here/),
      ]);
      // a passport number of another country is another person
      expect((await create({ externalId: 'R101', idType: 'passport', idNumber: 'E12345678', idCountry: 'CAN' })).statusCode).toBe(201);
    });
  });
});
