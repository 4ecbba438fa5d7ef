// Issue 17: a registrar's learners import is no oracle for identity numbers held at other
// institutions. Dry run and commit read the same for a number on record elsewhere and a fresh one;
// a learner of another institution is linked only when name, birth date and document all match
// (audited), else held for the administrator; a linked institution reads only its own part of the
// account; identity look-ups are logged and throttled.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskId, residentIdCheckChar } from '../../core/identity.js';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';

const residentId = (birth: string, seq: string, region = '110105') => {
  const first17 = `${region}${birth.replace(/-/g, '')}${seq}`;
  return `${first17}${residentIdCheckChar(first17)}`;
};

describe.each(backends)('linking learners across institutions on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let registrarA: ReturnType<typeof as>;
  let registrarB: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;

  const rows = (body: Record<string, unknown>, caller = registrarB, inst = fx.b.id) =>
    caller({ method: 'POST', url: `/api/v1/institutions/${inst}/imports/learners/rows`, payload: body });
  const birth = '2003-08-09';
  // a learner of institution A, with a result there
  const real = residentId(birth, '411');
  const person = { fullName: '韩梅梅', fullNameLatin: 'Han Meimei', birthDate: birth, idType: 'resident_id', idNumber: real };
  let hanId: string;

  /** The job's whole answer, its report as CSV and its change list, with what names the job (id, times) taken out. */
  const report = async (body: Record<string, unknown>) => {
    const res = await rows(body);
    expect(res.statusCode, res.body).toBe(200);
    const job = res.json();
    const csv = (await registrarB({ method: 'GET', url: `/api/v1/imports/${job.id}/report.csv` })).body;
    const changes = (await registrarB({ method: 'GET', url: `/api/v1/imports/${job.id}/issues?level=change` })).json();
    const errors = (await registrarB({ method: 'GET', url: `/api/v1/imports/${job.id}/issues?level=error` })).json();
    const scrub = (s: string) =>
      s
        .replaceAll(job.id, 'JOB')
        .replaceAll(job.id.slice(0, 8), 'JOB8')
        .replace(/"(createdAt|finishedAt)":"[^"]*"/g, '"$1":"T"');
    return scrub(JSON.stringify({ job, changes, errors })) + '\n' + scrub(csv);
  };
  const row = (externalId: string, idNumber: string, fullName = person.fullName) => ({
    学号: externalId,
    姓名: fullName,
    出生日期: birth,
    证件类型: '居民身份证',
    证件号码: idNumber,
  });
  const enrolledAtB = async (externalId: string) =>
    (await admin({ method: 'GET', url: `/api/v1/institutions/${fx.b.id}/learners?q=${externalId}` }))
      .json()
      .items.find((l: { externalId: string }) => l.externalId === externalId) as { id: string } | undefined;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
    registrarB = as(app, { cookie: await signIn(app, 'registrar.b') });
    admin = as(app, { cookie: await signIn(app, 'admin') });
    // A opens the account by hand (no import: registrar A makes no identity look-ups here) and records a result
    const made = await registrarA({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/learners`, payload: { ...person, externalId: 'A-HAN' } });
    expect(made.statusCode, made.body).toBe(201);
    hanId = made.json().id;
    const result = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/outcomes`,
      payload: { externalId: 'A-HAN', courseCode: 'CS101', term: '2023-2024-1', grade: '88', completedOn: '2024-01-15' },
    });
    expect(result.statusCode, result.body).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('answers a dry run the same for a number on record at another institution and a fresh one (JSON, change list, CSV report)', async () => {
    const fresh = residentId(birth, '413');
    const base = await report({ mode: 'dry_run', rows: [row('B-X1', fresh)] });
    // the same person (would link), another name (would be held): both read as a new learner
    expect(await report({ mode: 'dry_run', rows: [row('B-X1', real)] })).toBe(base);
    expect(await report({ mode: 'dry_run', rows: [row('B-X1', real, '韩美美')] })).toBe(base);
  });

  it("reads the same when a file gives one of the registrar's own learners a number held elsewhere, and does not record it", async () => {
    // bob (B001, no document on record) and a learner of A born the same day
    const taken = residentId('2001-01-09', '421');
    const other = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/learners`,
      payload: { fullName: '周强', birthDate: '2001-01-09', idType: 'resident_id', idNumber: taken, externalId: 'A-ZHOU' },
    });
    expect(other.statusCode, other.body).toBe(201);
    const bob = (number: string) => ({ 学号: 'B001', 姓名: '李博', 出生日期: '2001-01-09', 证件类型: '居民身份证', 证件号码: number });
    const free = residentId('2001-01-09', '423');
    // the change note shows each file's own number, masked: compared with that taken out
    const dry = async (number: string) => (await report({ mode: 'dry_run', rows: [bob(number)] })).replaceAll(maskId(number), 'MASKED');
    expect(await dry(taken)).toBe(await dry(free));
    expect(await dry(taken)).toContain('idNumber (empty) → MASKED');
    const committed = await rows({ rows: [bob(taken)] });
    expect(committed.json()).toMatchObject({ committed: true, updated: 1, rejected: 0 });
    const stored = (await database.db.execute(sql`select id_number from learners where id = ${fx.bob.id}`)) as unknown as {
      rows: { id_number: string | null }[];
    };
    expect(stored.rows).toEqual([{ id_number: null }]);
    const open = (await admin({ method: 'GET', url: '/api/v1/identity-conflicts' })).json().items;
    expect(open).toEqual([expect.objectContaining({ existingLearnerId: other.json().id, submitted: expect.objectContaining({ externalId: 'B001' }) })]);
    await admin({ method: 'POST', url: `/api/v1/identity-conflicts/${open[0].id}/resolve`, payload: { decision: 'different', note: 'test' } });
  });

  it('commits the same report for both, links nothing on a mismatching name, and keeps the account closed to the registrar', async () => {
    const fresh = residentId(birth, '415');
    const other = await report({ mode: 'all_or_nothing', rows: [row('B-Y1', fresh, '韩美美')] });
    const mismatch = await report({ mode: 'all_or_nothing', rows: [row('B-Y2', real, '韩美美')] });
    expect(mismatch.replaceAll('B-Y2', 'B-Y1')).toBe(other);
    expect(mismatch).toContain('"committed":true');
    // nothing linked: B has no enrolment of Han's, and cannot read her account
    expect(
      ((await database.db.execute(sql`select count(*)::int as n from enrolments where learner_id = ${hanId}`)) as unknown as { rows: { n: number }[] }).rows,
    ).toEqual([{ n: 1 }]);
    expect((await registrarB({ method: 'GET', url: `/api/v1/learners/${hanId}/account` })).statusCode).toBe(404);
    expect((await registrarB({ method: 'GET', url: `/api/v1/learners/${hanId}/export.csv` })).statusCode).toBe(404);
    // held for the administrator, who alone sees it
    const open = (await admin({ method: 'GET', url: '/api/v1/identity-conflicts' })).json().items;
    expect(open).toEqual([
      expect.objectContaining({ existingLearnerId: hanId, submitted: expect.objectContaining({ fullName: '韩美美', externalId: 'B-Y2' }) }),
    ]);
    expect((await registrarB({ method: 'GET', url: '/api/v1/identity-conflicts' })).statusCode).toBe(403);
  });

  it('links on name, birth date and document all matching, audits it, and shows the registrar only their part of the account', async () => {
    const res = await rows({ rows: [row('B-HAN', real)] });
    expect(res.json()).toMatchObject({ committed: true, created: 1, rejected: 0 });
    expect((await enrolledAtB('B-HAN'))?.id).toBe(hanId);
    const audit = (await admin({ method: 'GET', url: `/api/v1/audit-events?entityType=learner&entityId=${hanId}` })).json().items;
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'learner.link',
          institutionId: fx.b.id,
          details: expect.objectContaining({ externalId: 'B-HAN', matched: ['fullName', 'birthDate', 'idDocument'] }),
        }),
      ]),
    );

    // B's registrar: the account opens, with B's enrolment and none of A's results or postings
    const view = await registrarB({ method: 'GET', url: `/api/v1/learners/${hanId}/account` });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().enrolments.map((e: { institutionId: string }) => e.institutionId)).toEqual([fx.b.id]);
    expect(view.json().outcomes).toEqual([]);
    expect(view.json().balances).toEqual([]);
    expect(view.json().byInstitution).toEqual([]);
    expect((await registrarB({ method: 'GET', url: `/api/v1/learners/${hanId}/ledger` })).json().items).toEqual([]);
    const csv = (await registrarB({ method: 'GET', url: `/api/v1/learners/${hanId}/export.csv` })).body;
    expect(csv).not.toContain('CS101');

    // A's registrar sees A's part; the administrator sees all of it
    const atA = (await registrarA({ method: 'GET', url: `/api/v1/learners/${hanId}/account` })).json();
    expect(atA.outcomes.map((o: { courseCode: string }) => o.courseCode)).toEqual(['CS101']);
    expect(atA.enrolments.map((e: { institutionId: string }) => e.institutionId)).toEqual([fx.a.id]);
    expect(atA.balances).toEqual([expect.objectContaining({ unit: 'credit', available: '3.5' })]);
    expect(atA.byInstitution).toEqual([expect.objectContaining({ institutionId: fx.a.id, unit: 'credit', available: '3.5', used: '0' })]);
    expect((await registrarA({ method: 'GET', url: `/api/v1/learners/${hanId}/ledger` })).json().items).toHaveLength(1);
    const all = (await admin({ method: 'GET', url: `/api/v1/learners/${hanId}/account` })).json();
    expect(all.enrolments).toHaveLength(2);
    expect(all.outcomes.map((o: { courseCode: string }) => o.courseCode)).toEqual(['CS101']);
  });

  it('logs the identity look-ups of every learners import, and refuses past the hourly budget with 429', async () => {
    const logged = (await admin({ method: 'GET', url: '/api/v1/audit-events?entityType=import_job&limit=100' }))
      .json()
      .items.filter((e: { action: string }) => e.action === 'import.identity_lookups');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged[0].details).toMatchObject({ lookups: 1 });

    const strict = await makeApp(database, { IDENTITY_LOOKUPS_PER_HOUR: '5' });
    try {
      const registrar = as(strict, { cookie: await signIn(strict, 'registrar.a') });
      // registrar A has opened two accounts with documents above (A-HAN, A-ZHOU): 2 of 5 used
      const batch = (n: number, from: number) => ({
        mode: 'dry_run',
        rows: Array.from({ length: n }, (_, i) => row(`A-T${from + i}`, residentId(birth, String(500 + from + i)))),
      });
      const post = (body: Record<string, unknown>) =>
        registrar({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/imports/learners/rows`, payload: body });
      expect((await post(batch(2, 0))).statusCode).toBe(200);
      const refused = await post(batch(2, 2));
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({
        status: 429,
        code: 'identity_lookups_throttled',
        detail: expect.stringMatching(/too many identity look-ups: at most 5 per user per hour/),
      });
      expect((await post(batch(1, 4))).statusCode).toBe(200);
      expect((await post(batch(1, 5))).statusCode).toBe(429);
      // enrolling one person with a document is a look-up too: counted, so refused now
      const open = (body: Record<string, unknown>) =>
        registrar({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/learners`, payload: { fullName: '测', ...body } });
      expect((await open({ externalId: 'A-T9', idType: 'resident_id', idNumber: residentId(birth, '599') })).statusCode).toBe(429);
      expect((await open({ externalId: 'A-T9' })).statusCode).toBe(201);
      // other kinds are not counted
      expect(
        (
          await registrar({
            method: 'POST',
            url: `/api/v1/institutions/${fx.a.id}/imports/courses/rows`,
            payload: { mode: 'dry_run', rows: [{ code: 'T1', titleZh: '测', titleEn: 'T', credits: '1', hours: '16', iscedCode: '0613' }] },
          })
        ).statusCode,
      ).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
