// Europe on both backends: a learner's passing results leave the bank as a signed Europass ELM 3
// credential and as an EMREX ELMO transcript of records (ECTS where the credits convert); the learner
// and the institution's registrar may have them, nobody else; EWP grading tables come in as the
// institution's conversion tables, all or nothing, and a bad file is refused naming the row.
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import { createCourses } from '../catalog/service.js';
import { recordCourseResult } from '../outcomes/service.js';
import { convertWithTables, tablesForFields } from '../recognition/tables.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function multipart(filename: string, content: string | Buffer) {
  const boundary = '----cbtest' + Math.random().toString(16).slice(2);
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), Buffer.isBuffer(content) ? content : Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** The names of the elements of an XML document, in order; throws when it is not well-formed. */
function elementsOf(xml: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const parser = new SaxesParser({ xmlns: true });
  let open: { name: string; text: string } | undefined;
  parser.on('opentag', (t) => {
    open = { name: t.local, text: '' };
    out.push(open);
  });
  parser.on('text', (t) => {
    if (open) open.text += t;
  });
  parser.on('closetag', () => (open = undefined));
  parser.write(xml).close();
  return out;
}

const EWP_XML = `<?xml version="1.0" encoding="UTF-8"?>
<gradeConversionTable xmlns="https://github.com/erasmus-without-paper/ewp-specs-api-imobility-tors/blob/stable-v3/endpoints/get-response.xsd">
  <iscedTable iscedCode="0613">
    <gradeFrequency label="A" percentage="12.5"/>
    <gradeFrequency label="B" percentage="27.5"/>
    <gradeFrequency label="C" percentage="35"/>
    <gradeFrequency label="D" percentage="25"/>
  </iscedTable>
  <iscedTable iscedCode="0541" eqfLevel="7">
    <gradeFrequency label="10" percentage="5"/>
    <gradeFrequency label="9" percentage="10"/>
    <gradeFrequency label="8" percentage="35"/>
    <gradeFrequency label="7" percentage="30"/>
    <gradeFrequency label="6" percentage="20"/>
  </iscedTable>
</gradeConversionTable>
`;

describe.each(backends)('Europe on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  const callers: Record<string, ReturnType<typeof as>> = {};
  const anonymous = () => as(app);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database, { PUBLIC_URL: 'https://bank.example.edu' });
    // a course counted in workload hours converts to ECTS (60 h = 2 ECTS); contact-hour courses do not
    await createCourses(database.db, fx.admin, fx.a.id, [
      {
        code: 'EU101',
        titleZh: '欧洲研究导论',
        titleEn: 'Introduction to European Studies',
        credits: '2',
        hours: 60,
        hourType: 'workload',
        iscedCode: '0312',
        level: 6,
      },
    ]);
    const rec = (code: string, grade: string) =>
      recordCourseResult(database.db, fx.admin, fx.a.id, {
        externalId: 'A001',
        courseCode: code,
        term: '2023-2024-1',
        attempt: 1,
        grade,
        completedOn: '2024-01-15',
      });
    await rec('CS101', '88');
    await rec('MA101', '41'); // a fail: on neither export
    await rec('EU101', '92');
    for (const u of ['alice', 'bob', 'registrar.a', 'registrar.b', 'reviewer.a', 'admin']) callers[u] = as(app, { cookie: await signIn(app, u) });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const europass = (who: string | null, learnerId: string, institutionId: string) =>
    (who ? callers[who]! : anonymous())({ method: 'POST', url: '/api/v1/credentials/europass', payload: { learnerId, institutionId } });

  it('signs the learner’s passing results as an ELM 3 European Digital Credential, ECTS where the credits convert', async () => {
    const res = await europass('alice', fx.alice.id, fx.a.id);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="europass-UNIA-.+\.jsonld"/);
    const vc = res.json() as Json;
    expect(vc['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'http://data.europa.eu/snb/model/context/edc-ap']);
    expect(vc.type).toEqual(['VerifiableCredential', 'EuropeanDigitalCredential']);
    expect(vc.issuer).toMatchObject({ id: 'did:web:bank.example.edu:issuers:UNIA', type: 'Organisation', legalName: { zh: '甲大学', en: 'University A' } });
    expect(vc.issuer.location[0].address[0].countryCode.id).toBe('http://publications.europa.eu/resource/authority/country/CHN');
    expect(vc.credentialSchema[0]).toEqual({ id: 'http://data.europa.eu/snb/model/ap/edc-generic-full', type: 'ShaclValidator2017' });
    expect(vc.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022' });
    expect(vc.credentialStatus).toBeDefined();
    const subject = vc.credentialSubject as Json;
    expect(subject).toMatchObject({ type: 'Person', fullName: { zh: '张爱丽', en: 'Zhang Aili' }, dateOfBirth: '2002-05-01T00:00:00Z' });
    const claims = subject.hasClaim as Json[];
    expect(claims.map((c) => c.specifiedBy.identifier[0].notation).sort()).toEqual(['CS101', 'EU101']);
    for (const c of claims) {
      expect(c.type).toBe('LearningAchievement');
      expect(c.specifiedBy.type).toBe('LearningAchievementSpecification');
      expect(c.awardedBy.awardingBody[0]).toMatchObject({ id: vc.issuer.id, type: 'Organisation' });
    }
    const eu = claims.find((c) => c.specifiedBy.identifier[0].notation === 'EU101')!;
    expect(eu.specifiedBy.creditPoint).toEqual([
      expect.objectContaining({
        type: 'CreditPoint',
        point: '2',
        framework: expect.objectContaining({ id: 'http://data.europa.eu/snb/education-credit/6fcec5c5af' }),
      }),
    ]);
    expect(eu.specifiedBy.ISCEDFCode[0].id).toBe('http://data.europa.eu/snb/isced-f/0312');
    expect(eu.specifiedBy.EQFLevel.id).toBe('http://data.europa.eu/snb/eqf/6');
    expect(eu.specifiedBy.volumeOfLearning).toBe('PT60H');
    expect(eu.wasDerivedFrom[0].grade.noteLiteral.en).toBe('92');
    const cs = claims.find((c) => c.specifiedBy.identifier[0].notation === 'CS101')!;
    expect(cs.specifiedBy.creditPoint).toBeUndefined(); // contact hours: no ECTS is made up
    expect(cs.specifiedBy.additionalNote[0].noteLiteral.en).toMatch(/3\.5 credits \(contact hours: not converted to ECTS\)/);

    // the bank's verifier checks the signature and the status entry
    const verified = await anonymous()({ method: 'POST', url: '/api/v1/credentials/verify', payload: { verifiableCredential: vc } });
    expect(verified.json().errors, verified.body).toEqual([]);
    expect(verified.statusCode).toBe(200);
    // a changed grade no longer verifies
    const altered = structuredClone(vc);
    altered.credentialSubject.hasClaim[0].wasDerivedFrom[0].grade.noteLiteral.en = '100';
    expect((await anonymous()({ method: 'POST', url: '/api/v1/credentials/verify', payload: { verifiableCredential: altered } })).statusCode).toBe(400);
    // kept among the learner's credentials, where it can be shared and revoked like the others
    const mine = (await callers.alice!({ method: 'GET', url: '/api/v1/me/credentials' })).json().items as Json[];
    expect(mine.some((c) => c.document.id === vc.id && c.kind === 'transcript')).toBe(true);
  });

  it('lets the institution’s registrar have it signed, and nobody else', async () => {
    expect((await europass('registrar.a', fx.alice.id, fx.a.id)).statusCode).toBe(201);
    expect((await europass('admin', fx.alice.id, fx.a.id)).statusCode).toBe(201);
    expect((await europass(null, fx.alice.id, fx.a.id)).statusCode).toBe(401);
    // another learner and another institution's registrar do not learn that the learner exists
    expect((await europass('bob', fx.alice.id, fx.a.id)).statusCode).toBe(404);
    expect((await europass('registrar.b', fx.alice.id, fx.a.id)).statusCode).toBe(404);
    expect((await europass('registrar.b', fx.alice.id, fx.b.id)).statusCode).toBe(404);
    // the institution's reviewer reads the record but does not sign for it
    expect((await europass('reviewer.a', fx.alice.id, fx.a.id)).statusCode).toBe(403);
    // a learner's own credential from an institution with no results of theirs: nothing to state
    const none = await europass('alice', fx.alice.id, fx.b.id);
    expect(none.statusCode).toBe(409);
    expect(none.json().detail).toMatch(/no passing results at COLB/);
  });

  it('writes the transcript of records as EMREX ELMO XML, as EWP exchanges it', async () => {
    const res = await callers.alice!({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ewp-transcript` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="elmo-.+\.xml"/);
    expect(res.body).toContain('<elmo xmlns="https://github.com/emrex-eu/elmo-schemas/tree/v1">');
    const els = elementsOf(res.body);
    const names = els.map((e) => e.name);
    // the order the ELMO schema requires
    expect(names.slice(0, 2)).toEqual(['elmo', 'generatedDate']);
    expect(names.indexOf('learner')).toBeLessThan(names.indexOf('report'));
    expect(names.indexOf('issuer')).toBeLessThan(names.indexOf('learningOpportunitySpecification'));
    expect(names.lastIndexOf('learningOpportunitySpecification')).toBeLessThan(names.indexOf('issueDate'));
    expect(names.indexOf('issueDate')).toBeLessThan(names.indexOf('gradingScheme'));
    expect(els.filter((e) => e.name === 'learningOpportunitySpecification')).toHaveLength(2); // the fail is not on it
    expect(res.body).toMatch(
      /<identifier type="local">EU101<\/identifier>[\s\S]*<credit>\s*<scheme>ects<\/scheme>\s*<level>Bachelor<\/level>\s*<value>2<\/value>\s*<\/credit>/,
    );
    expect(res.body).toMatch(/<resultLabel>88<\/resultLabel>[\s\S]*<scheme>unia-credit<\/scheme>\s*<value>3\.5<\/value>/);
    expect(res.body).toContain('<academicTerm>');
    expect(res.body).toContain('<start>2023-09-01</start>');
    expect(res.body).not.toContain('MA101');
    expect(els.find((e) => e.name === 'bday')?.text).toBe('2002-05-01');

    expect((await callers['registrar.a']!({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ewp-transcript?institutionId=${fx.a.id}` })).statusCode).toBe(
      200,
    );
    expect((await callers['reviewer.a']!({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ewp-transcript` })).statusCode).toBe(200);
    expect((await callers['registrar.b']!({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ewp-transcript` })).statusCode).toBe(404);
    expect((await callers.bob!({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ewp-transcript` })).statusCode).toBe(404);
    expect((await anonymous()({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ewp-transcript` })).statusCode).toBe(401);
  });

  describe('EWP grading table import', () => {
    const upload = (who: string, institutionId: string, filename: string, content: string, query = 'cycle=first&fromYear=2022&toYear=2024') =>
      callers[who]!({ method: 'POST', url: `/api/v1/institutions/${institutionId}/grading-tables/import?${query}`, ...multipart(filename, content) });
    const tablesOf = async (institutionId: string) =>
      (await anonymous()({ method: 'GET', url: `/api/v1/institutions/${institutionId}/grading-tables` })).json().items as Json[];

    it('imports EWP iscedTables into the institution’s conversion tables', async () => {
      const res = await upload('registrar.a', fx.a.id, 'tables.xml', EWP_XML);
      expect(res.statusCode, res.body).toBe(201);
      const items = res.json().items as Json[];
      expect(items.map((t) => [t.iscedCode, t.cycle, t.source, t.total])).toEqual([
        ['0613', 'first', 'ewp', null],
        ['0541', 'second', 'ewp', null],
      ]);
      expect(items[0]!.rows).toEqual([
        { label: 'A', count: null, percentage: 12.5, cumulative: 12.5 },
        { label: 'B', count: null, percentage: 27.5, cumulative: 40 },
        { label: 'C', count: null, percentage: 35, cumulative: 75 },
        { label: 'D', count: null, percentage: 25, cumulative: 100 },
      ]);
      expect(items[1]!.ewp.gradeFrequencies[0]).toEqual({ label: '10', percentage: '5.0' });
      expect((await tablesOf(fx.a.id)).filter((t) => t.source === 'ewp')).toHaveLength(2);
      // the conversion method reads them like any table: A's C (band 40–75) against the DAAD example
      const conv = await anonymous()({
        method: 'POST',
        url: '/api/v1/grade-conversions',
        payload: {
          from: { grades: items[0]!.rows.map((r: Json) => ({ label: r.label, percentage: r.percentage })) },
          to: { grades: items[1]!.rows.map((r: Json) => ({ label: r.label, percentage: r.percentage })) },
          grade: 'C',
          policy: 'largest-overlap',
        },
      });
      expect(conv.statusCode, conv.body).toBe(200);
      // and the bank's own conversion of transfers finds them as the institution's published tables
      const lookup = await tablesForFields(database.db, [fx.a.id]);
      expect(convertWithTables(lookup(fx.a.id, '0613'), lookup(fx.a.id, '0541'), 'C', 'largest-overlap')).toMatchObject({
        grade: '7',
        method: 'grading table, largest-overlap',
        note: null,
      });
      expect(conv.json().grade).toBe('7'); // 8 overlaps 40–50, 7 overlaps 50–75
    });

    it('reads CSV and JSON too', async () => {
      const csv = 'iscedCode,eqfLevel,label,percentage\n0714,6,优,20\n0714,6,良,45\n0714,6,中,25\n0714,6,及格,10\n';
      const r1 = await upload('registrar.b', fx.b.id, 'table.csv', csv, 'fromYear=2021&toYear=2024');
      expect(r1.statusCode, r1.body).toBe(201);
      expect(r1.json().items.map((t: Json) => [t.iscedCode, t.cycle, t.rows.length])).toEqual([['0714', 'first', 4]]);
      const json = JSON.stringify({ tables: [{ iscedCode: '0715', cycle: 'short', gradeFrequencies: [{ label: 'P', percentage: '100' }] }] });
      const r2 = await upload('registrar.b', fx.b.id, 'table.json', json, 'fromYear=2021&toYear=2024');
      expect(r2.statusCode, r2.body).toBe(201);
    });

    it('refuses a bad file naming the row, and writes nothing of it', async () => {
      const before = (await tablesOf(fx.a.id)).length;
      // row 2 is good, row 3 has a bad percentage, row 5 an unknown cycle
      const csv = 'iscedCode,cycle,label,percentage\n0611,first,A,50\n0611,first,B,fifty\n0611,first,C,50\n0612,fourth,A,100\n';
      const res = await upload('registrar.a', fx.a.id, 'bad.csv', csv);
      expect(res.statusCode).toBe(400);
      const problem = res.json();
      expect(problem.errors).toEqual(
        expect.arrayContaining([
          { path: 'row 3, column percentage', message: '"fifty" is not a percentage between 0 and 100' },
          expect.objectContaining({ path: 'row 5, column cycle', message: expect.stringMatching(/"fourth" is not a cycle/) }),
        ]),
      );
      expect(problem.detail).toMatch(/row 3, column percentage/);
      expect((await tablesOf(fx.a.id)).length).toBe(before);

      // percentages that do not add up: the table is named; the good table beside it is not written either
      const sum = EWP_XML.replace('percentage="35"', 'percentage="30"');
      const r2 = await upload('registrar.a', fx.a.id, 'sum.xml', sum);
      expect(r2.statusCode).toBe(400);
      expect(r2.json().errors[0].path).toBe('iscedTable 1 (line 3)');
      expect(r2.json().errors[0].message).toMatch(/add up to 95/);
      expect((await tablesOf(fx.a.id)).length).toBe(before);

      const noCycle = await upload('registrar.a', fx.a.id, 'tables.xml', EWP_XML, 'fromYear=2022&toYear=2024');
      expect(noCycle.statusCode).toBe(400);
      expect(noCycle.json().errors).toEqual([{ path: 'iscedTable 1 (line 3), cycle', message: expect.stringMatching(/no cycle/) }]);

      const broken = await upload(
        'registrar.a',
        fx.a.id,
        'broken.xml',
        '<gradeConversionTable><iscedTable iscedCode="0613">\n<gradeFrequency label="A" percentage="100">\n</gradeConversionTable>',
      );
      expect(broken.statusCode).toBe(400);
      expect(broken.json().errors[0].path).toMatch(/^line \d+$/);

      const dup = await upload(
        'registrar.a',
        fx.a.id,
        'dup.json',
        JSON.stringify({
          tables: [
            {
              iscedCode: '0613',
              cycle: 'first',
              gradeFrequencies: [
                { label: 'A', percentage: 60 },
                { label: 'A', percentage: 40 },
              ],
            },
          ],
        }),
      );
      expect(dup.statusCode).toBe(400);
      expect(dup.json().errors).toEqual([{ path: 'tables.0.gradeFrequencies.1.label', message: 'grade "A" is listed twice in this table' }]);

      const latin1 = await callers['registrar.a']!({
        method: 'POST',
        url: `/api/v1/institutions/${fx.a.id}/grading-tables/import?cycle=first&fromYear=2022&toYear=2024`,
        ...multipart('t.csv', Buffer.from([0x69, 0x73, 0xe9, 0xff, 0x0a])),
      });
      expect(latin1.statusCode).toBe(400);
      expect(latin1.json().errors).toEqual([{ path: 'body.file', message: 'the file is not UTF-8 text' }]);
      const notMultipart = await callers['registrar.a']!({
        method: 'POST',
        url: `/api/v1/institutions/${fx.a.id}/grading-tables/import?cycle=first&fromYear=2022&toYear=2024`,
        payload: { tables: [] },
      });
      expect(notMultipart.statusCode).toBe(400);
      expect(notMultipart.json().errors[0].path).toBe('body.file');
      const years = await upload('registrar.a', fx.a.id, 'tables.xml', EWP_XML, 'cycle=first&fromYear=2024&toYear=2024');
      expect(years.statusCode).toBe(400);
      expect((await tablesOf(fx.a.id)).length).toBe(before);
    });

    it('lets only the institution’s registrar import', async () => {
      expect((await upload('registrar.b', fx.a.id, 'tables.xml', EWP_XML)).statusCode).toBe(403);
      expect((await upload('reviewer.a', fx.a.id, 'tables.xml', EWP_XML)).statusCode).toBe(403);
      expect((await upload('alice', fx.a.id, 'tables.xml', EWP_XML)).statusCode).toBe(403);
      expect(
        (
          await anonymous()({
            method: 'POST',
            url: `/api/v1/institutions/${fx.a.id}/grading-tables/import?cycle=first&fromYear=2022&toYear=2024`,
            ...multipart('t.xml', EWP_XML),
          })
        ).statusCode,
      ).toBe(401);
    });
  });
});
