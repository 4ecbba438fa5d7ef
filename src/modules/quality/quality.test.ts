// Quality indicators through the API on the demo data, on both backends: who sees what, small cells
// withheld from staff, bad periods refused, and figures that agree with the records.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeApp, signIn } from '../../test/fixture.js';
import { seedDemo } from '../demo/seed.js';
import { refreshLedgerDaily } from './ledger.js';
import { lastMonth, reportsIdle, scheduleReports } from './reports.js';

const PASSWORD = 'demo-password-1';
const ALL = 'from=2000-01-01&to=2100-01-01';

describe.each(backends)('quality indicators on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  const rows = async <T>(q: ReturnType<typeof sql>) => ((await database.db.execute(q)) as unknown as { rows: T[] }).rows;
  const value = (body: { indicators: { id: string; value: number | null }[] }, id: string) => body.indicators.find((i) => i.id === id)!.value;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await seedDemo(database.db, { password: PASSWORD, today: '2026-09-01' });
    app = await makeApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('gives administrators the alliance’s figures, each with its definition, agreeing with the records', async () => {
    const admin = as(app, { cookie: await signIn(app, 'admin', PASSWORD) });
    const res = await admin({ method: 'GET', url: `/api/v1/quality/indicators?${ALL}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.scope).toBe('alliance');
    for (const i of body.indicators) expect(i.formulaEn.length).toBeGreaterThan(10);
    const [{ n }] = (await rows<{ n: number }>(
      sql`select count(distinct application_id)::int as n from certification_events where to_status in ('approved','rejected') and action <> 'submit'`,
    )) as [{ n: number }];
    expect(value(body, 'certification.decided')).toBe(n);
    const [{ submitted }] = (await rows<{ submitted: number }>(
      sql`select count(distinct application_id)::int as submitted from certification_events where action = 'submit'`,
    )) as [{ submitted: number }];
    expect(value(body, 'certification.submitted')).toBe(submitted);
    const [{ pending }] = (await rows<{ pending: number }>(
      sql`select count(*)::int as pending from certification_applications where status in ('submitted','more_info','committee','appealed')`,
    )) as [{ pending: number }];
    expect(value(body, 'certification.backlog')).toBe(pending);
    const [{ lines }] = (await rows<{ lines: number }>(sql`select count(*)::int as lines from transfer_lines where status <> 'pending'`)) as [
      { lines: number },
    ];
    expect(value(body, 'transfer.decided')).toBe(lines);
    expect(body.rejectionReasons.every((r: { suppressed: boolean }) => !r.suppressed)).toBe(true);

    // The same as files for the auditor: every table in XLSX, one in CSV.
    const xlsx = await admin({ method: 'GET', url: `/api/v1/quality/indicators.xlsx?${ALL}` });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const csv = await admin({ method: 'GET', url: `/api/v1/quality/indicators.csv?${ALL}&table=pairs` });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toMatch(/from 转出/);
    const decided = (await admin({ method: 'GET', url: `/api/v1/quality/indicators.csv?${ALL}` })).body;
    expect(decided).toContain(`certification.decided,认定决定数,Certification decisions,${n},`);
  });

  it('reads only what a period can count, and agrees month by month with the whole and with the records', async () => {
    const admin = as(app, { cookie: await signIn(app, 'admin', PASSWORD) });
    const get = async (from: string, to: string) => (await admin({ method: 'GET', url: `/api/v1/quality/indicators?from=${from}&to=${to}` })).json();
    const year = await get('2025-09-01', '2026-09-01');
    let decided = 0;
    let transfers = 0;
    for (let m = 0; m < 12; m++) {
      const start = new Date(Date.UTC(2025, 8 + m, 1)).toISOString().slice(0, 10);
      const end = new Date(Date.UTC(2025, 9 + m, 1)).toISOString().slice(0, 10);
      const month = await get(start, end);
      decided += value(month, 'certification.decided')!;
      transfers += value(month, 'transfer.decided')!;
    }
    expect(decided).toBe(value(year, 'certification.decided'));
    expect(transfers).toBe(value(year, 'transfer.decided'));
    expect(decided).toBeGreaterThan(10); // the demo's year of work
    // the backlog at the end of a past period: applications whose last event before then left them waiting
    const end = '2026-03-01';
    const [{ waiting }] = (await rows<{ waiting: number }>(sql`
      select count(*)::int as waiting from (
        select distinct on (application_id) to_status from certification_events
        where at < ${`${end}T00:00:00+08:00`}::timestamptz order by application_id, at desc, seq desc) s
      where to_status in ('submitted','more_info','committee','appealed')`)) as [{ waiting: number }];
    expect(value(await get('2026-02-01', end), 'certification.backlog')).toBe(waiting);
  });

  it('shows a registrar their own institution, withholding cells about fewer learners than the minimum', async () => {
    const registrar = as(app, { cookie: await signIn(app, 'registrar.hxu', PASSWORD) });
    const [hxu] = await rows<{ id: string }>(sql`select id from institutions where code = 'HXU'`);
    const [jnvc] = await rows<{ id: string }>(sql`select id from institutions where code = 'JNVC'`);
    const own = await registrar({ method: 'GET', url: `/api/v1/quality/indicators?${ALL}` });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ scope: 'institutions', institutionIds: [hxu!.id], minCell: 5 });
    for (const p of own.json().pairs) {
      expect([p.source.code, p.target.code]).toContain('HXU');
      if (p.suppressed) expect(p.decided).toBeNull();
      else expect(p.learners).toBeGreaterThanOrEqual(5);
    }
    for (const r of own.json().rejectionReasons) if (r.learners < 5) expect(r).toMatchObject({ reason: null, suppressed: true });
    expect((await registrar({ method: 'GET', url: `/api/v1/quality/indicators?${ALL}&institution=${jnvc!.id}` })).statusCode).toBe(403);
  });

  it('takes learners’ ratings of decided applications and counts them in the indicators', async () => {
    const learner = as(app, { cookie: await signIn(app, 'learner03', PASSWORD) });
    const apps = (await learner({ method: 'GET', url: '/api/v1/me/certifications' })).json();
    const decided = (apps.items ?? apps).find((a: { status: string }) => a.status === 'approved');
    const rate = (payload: object) => learner({ method: 'POST', url: '/api/v1/me/ratings', payload });
    expect((await rate({ subjectType: 'certification', subjectId: decided.id, rating: 2, comment: '太慢 Too slow' })).statusCode).toBe(200);
    const again = await rate({ subjectType: 'certification', subjectId: decided.id, rating: 4, comment: '后来很快 Quick in the end' });
    expect(again.json()).toMatchObject({ rating: 4 });
    expect((await learner({ method: 'GET', url: '/api/v1/me/ratings' })).json().items).toHaveLength(1);
    expect((await rate({ subjectType: 'certification', subjectId: decided.id, rating: 6 })).statusCode).toBe(400);
    const pending = await rows<{ id: string; learner_id: string }>(
      sql`select id, learner_id from certification_applications where status = 'submitted' limit 1`,
    );
    const other = await rows<{ username: string }>(
      sql`select u.username from learners l join users u on u.id = l.user_id where l.id = ${pending[0]!.learner_id}`,
    );
    const owner = as(app, { cookie: await signIn(app, other[0]!.username, PASSWORD) });
    expect(
      (await owner({ method: 'POST', url: '/api/v1/me/ratings', payload: { subjectType: 'certification', subjectId: pending[0]!.id, rating: 3 } })).statusCode,
    ).toBe(409);
    expect(
      (await owner({ method: 'POST', url: '/api/v1/me/ratings', payload: { subjectType: 'certification', subjectId: decided.id, rating: 3 } })).statusCode,
    ).toBe(404);

    const admin = as(app, { cookie: await signIn(app, 'admin', PASSWORD) });
    const body = (await admin({ method: 'GET', url: `/api/v1/quality/indicators?${ALL}` })).json();
    expect(value(body, 'satisfaction.ratings')).toBe(1);
    expect(value(body, 'satisfaction.mean')).toBe(4);
  });

  it('audits every standard and equivalence for an auditor, at a log checkpoint', async () => {
    const admin = as(app, { cookie: await signIn(app, 'admin', PASSWORD) });
    const res = await admin({ method: 'GET', url: `/api/v1/quality/rule-audit?${ALL}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.checkpoint.size).toBeGreaterThan(0);
    const [{ standards }] = (await rows<{ standards: number }>(sql`select count(*)::int as standards from conversion_standards where status <> 'draft'`)) as [
      { standards: number },
    ];
    expect(body.rules.filter((r: { kind: string }) => r.kind === 'standard')).toHaveLength(standards);
    const icpc = body.rules.find((r: { label: string }) => r.label.startsWith('ICPC-REGIONAL'));
    expect(icpc).toMatchObject({
      code: 'ICPC-REGIONAL',
      version: 1,
      institution: { code: 'HXU' },
      approved: icpc.uses,
      reviewers: [{ reviewer: 'reviewer.hxu' }],
    });
    expect(body.thresholds).toEqual({ minDecisionsPerReviewer: 3, gapPoints: 50 });
    const equivalence = body.rules.find((r: { kind: string; uses: number }) => r.kind === 'equivalence' && r.uses > 0);
    expect(equivalence).toMatchObject({ code: null, institution: { code: 'HXU' }, source: { institution: 'JNVC' }, target: { institution: 'HXU' } });
    expect(body.rules.some((r: { uses: number }) => r.uses === 0)).toBe(true);
    const file = await admin({ method: 'GET', url: `/api/v1/quality/rule-audit.xlsx?${ALL}` });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 2).toString()).toBe('PK');

    const registrar = as(app, { cookie: await signIn(app, 'registrar.hxu', PASSWORD) });
    const own = (await registrar({ method: 'GET', url: `/api/v1/quality/rule-audit?${ALL}` })).json();
    expect(own.rules.length).toBeGreaterThan(0);
    expect(own.rules.length).toBeLessThan(body.rules.length);
  });

  it('sums the ledger by cause the same before and after the daily totals are brought up to date', async () => {
    const admin = as(app, { cookie: await signIn(app, 'admin', PASSWORD) });
    const figures = async () => (await admin({ method: 'GET', url: `/api/v1/quality/indicators?${ALL}` })).json();
    const live = await figures();
    const [{ deposited }] = (await rows<{ deposited: string }>(sql`
      select (sum(case when from_state is null and to_state = 'available' then amount else 0 end)
            - sum(case when from_state = 'available' and to_state is null then amount else 0 end))::text as deposited
      from ledger_postings where unit = 'credit' and cause_type <> 'award'`)) as [{ deposited: string }];
    expect(value(live, 'ledger.credits_in')).toBe(Number(deposited));
    expect(live.ledger.rows.find((r: { cause: string; unit: string }) => r.cause === 'outcome' && r.unit === 'ects').credited).toBeGreaterThan(0);

    expect(await refreshLedgerDaily(database.db, '+08:00')).toBeGreaterThan(0);
    const summed = await figures();
    expect(summed.ledger.rows).toEqual(live.ledger.rows);
    expect(summed.ledger.through).not.toBeNull();
    expect(await refreshLedgerDaily(database.db, '+08:00')).toBe(0); // nothing new

    // A posting after the refresh is read live; a period that ends before today leaves it out.
    const [outcome] = await rows<{ id: string; learner_id: string }>(
      sql`select id, learner_id from outcomes where passed and unit = 'credit' and status = 'recorded' limit 1`,
    );
    const registrar = as(app, { cookie: await signIn(app, 'registrar.hxu', PASSWORD) });
    const [{ code }] = (await rows<{ code: string }>(
      sql`select i.code from outcomes o join institutions i on i.id = o.institution_id where o.id = ${outcome!.id}`,
    )) as [{ code: string }];
    const who = code === 'HXU' ? registrar : as(app, { cookie: await signIn(app, `registrar.${code.toLowerCase()}`, PASSWORD) });
    expect((await who({ method: 'POST', url: `/api/v1/outcomes/${outcome!.id}/revoke`, payload: { reason: '录入错误 Entered in error' } })).statusCode).toBe(
      200,
    );
    const after = await figures();
    const [{ reversed }] = (await rows<{ reversed: string }>(
      sql`select amount::text as reversed from ledger_postings where learner_id = ${outcome!.learner_id} and kind = 'reversal' order by seq desc limit 1`,
    )) as [{ reversed: string }];
    expect(value(after, 'ledger.credits_in')).toBeCloseTo(Number(deposited) - Number(reversed), 2);
    const before = (await admin({ method: 'GET', url: `/api/v1/quality/indicators?from=2000-01-01&to=2001-01-01` })).json();
    expect(before.ledger.rows).toEqual([]);
    // Another reporting time zone rebuilds the totals from the postings.
    expect(await refreshLedgerDaily(database.db, '+00:00')).toBeGreaterThan(0);
  });

  it('follows each workflow as a funnel and measures grade conversions between institutions', async () => {
    const admin = as(app, { cookie: await signIn(app, 'admin', PASSWORD) });
    const body = (await admin({ method: 'GET', url: `/api/v1/quality/indicators?${ALL}` })).json();
    expect(body.funnels.map((f: { workflow: string }) => f.workflow)).toEqual(['certification', 'transfer', 'award']);
    const cert = body.funnels[0].stages;
    expect(cert[0].count).toBe(value(body, 'certification.submitted'));
    expect(cert[0].count).toBeGreaterThanOrEqual(cert[1].count);
    const [{ n }] = (await rows<{ n: number }>(
      sql`select count(*)::int as n from transfer_lines where grade is not null and status in ('accepted','substituted')`,
    )) as [{ n: number }];
    const counted = body.spread.reduce((t: number, s: { lines: number }) => t + s.lines, 0);
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeLessThanOrEqual(n);
    for (const s of body.spread) expect(s.lower + s.same + s.higher).toBe(s.lines);
    const fields = body.breakdown.filter((b: { dimension: string }) => b.dimension === 'field');
    expect(fields.find((b: { key: string }) => b.key === '06')).toMatchObject({ labelEn: 'Information and communication technologies', suppressed: false });
    const kinds = body.breakdown.filter((b: { dimension: string }) => b.dimension === 'kind');
    expect(kinds.reduce((t: number, b: { certification: { submitted: number } }) => t + b.certification.submitted, 0)).toBe(
      value(body, 'certification.submitted'),
    );
    for (const table of ['breakdown', 'ledger', 'funnels', 'spread'])
      expect((await admin({ method: 'GET', url: `/api/v1/quality/indicators.csv?${ALL}&table=${table}` })).statusCode).toBe(200);
  });

  it('narrows every figure to one field of education, the fields adding up to the whole', async () => {
    const admin = as(app, { cookie: await signIn(app, 'admin', PASSWORD) });
    const fields: { key: string; labelEn: string }[] = (await admin({ method: 'GET', url: '/api/v1/quality/fields' })).json().items;
    expect(fields.map((f) => f.key)).toEqual(['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '99']);
    const get = async (q = '') => {
      const res = await admin({ method: 'GET', url: `/api/v1/quality/indicators?${ALL}${q}` });
      expect(res.statusCode, q).toBe(200);
      return res.json();
    };
    const additive = [
      'certification.submitted',
      'certification.decided',
      'certification.backlog',
      'certification.credits',
      'transfer.decided',
      'transfer.credits',
      'transfer.backlog',
      'ledger.credits_in',
      'ledger.credits_used',
    ];
    const check = async () => {
      const whole = await get();
      expect(whole.field).toBeNull();
      const parts = await Promise.all(fields.map((f) => get(`&field=${f.key}`)));
      for (const id of additive)
        expect(
          parts.reduce((t, p) => t + (value(p, id) ?? 0), 0),
          id,
        ).toBeCloseTo(value(whole, id) ?? 0, 2);
      const funnel = (b: { funnels: { stages: { count: number }[] }[] }) => b.funnels.map((f) => f.stages.map((s) => s.count));
      const summed = parts.map(funnel).reduce((t, f) => t.map((w, i) => w.map((c, j) => c + f[i]![j]!)));
      expect(summed).toEqual(funnel(whole));
      const lines = (b: { spread: { lines: number }[] }) => b.spread.reduce((t, s) => t + s.lines, 0);
      expect(parts.reduce((t, p) => t + lines(p), 0)).toBe(lines(whole));
      return { whole, ict: parts[fields.findIndex((f) => f.key === '06')]! };
    };
    const { whole, ict } = await check();
    expect(ict.field).toEqual({ key: '06', labelZh: '信息和通信技术', labelEn: 'Information and communication technologies' });
    // the ICT figures against the records: applications about an ICT certificate
    const [{ submitted }] = (await rows<{ submitted: number }>(sql`
      select count(distinct e.application_id)::int as submitted
      from certification_events e join certification_applications a on a.id = e.application_id left join conversion_standards s on s.id = a.standard_id
      where e.action = 'submit' and coalesce(a.isced_code, s.isced_code) like '06%'`)) as [{ submitted: number }];
    expect(value(ict, 'certification.submitted')).toBe(submitted);
    expect(value(ict, 'ledger.credits_in')).toBeGreaterThan(0);
    expect(value(ict, 'ledger.credits_in')).toBeLessThan(value(whole, 'ledger.credits_in')!);
    expect(ict.breakdown.filter((b: { dimension: string }) => b.dimension === 'field').map((b: { key: string }) => b.key)).toEqual(['06']);
    // the same from the daily totals as from the postings
    await refreshLedgerDaily(database.db, '+08:00');
    const after = await check();
    expect(after.ict.ledger.rows).toEqual(ict.ledger.rows);

    const file = await admin({ method: 'GET', url: `/api/v1/quality/indicators.csv?${ALL}&field=06` });
    expect(file.headers['content-disposition']).toContain('quality-2000-01-01-2100-01-01-field-06.csv');
    expect(file.body).toContain('06 信息和通信技术 Information and communication technologies');
    // staff see fields in the breakdown, small cells withheld; a field's headline figures would show them
    const registrar = as(app, { cookie: await signIn(app, 'registrar.hxu', PASSWORD) });
    const refused = await registrar({ method: 'GET', url: `/api/v1/quality/indicators?${ALL}&field=06` });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('committee and administrators');
    for (const bad of ['6', '11', 'ICT']) {
      const res = await admin({ method: 'GET', url: `/api/v1/quality/indicators?${ALL}&field=${bad}` });
      expect(res.statusCode, bad).toBe(400);
      expect(res.body).toContain('field');
    }
  });

  it('makes monthly reports in the background, as PDF and XLSX, kept with their history and shown only to whom they concern', async () => {
    const admin = as(app, { cookie: await signIn(app, 'admin', PASSWORD) });
    const registrar = as(app, { cookie: await signIn(app, 'registrar.hxu', PASSWORD) });
    const [hxu] = await rows<{ id: string }>(sql`select id from institutions where code = 'HXU'`);
    const [jnvc] = await rows<{ id: string }>(sql`select id from institutions where code = 'JNVC'`);
    const [{ institutions }] = (await rows<{ institutions: number }>(sql`select count(*)::int as institutions from institutions`)) as [
      { institutions: number },
    ];

    // The scheduler's round: last month's report for the alliance and each institution, once.
    const now = new Date('2026-11-05T12:00:00Z');
    expect(lastMonth(now, '+08:00')).toBe('2026-10');
    expect(lastMonth(new Date('2026-10-31T17:00:00Z'), '+08:00')).toBe('2026-10'); // already 1 November in Beijing
    expect(await scheduleReports(database.db, '+08:00', now)).toBe(institutions + 1);
    expect(await scheduleReports(database.db, '+08:00', now)).toBe(0);
    await reportsIdle();
    const all = (await admin({ method: 'GET', url: '/api/v1/quality/reports' })).json().items;
    expect(all).toHaveLength(institutions + 1);
    for (const r of all) expect(r).toMatchObject({ month: '2026-10', status: 'ready', requestedBy: null, error: null });
    const alliance = all.find((r: { scope: string }) => r.scope === 'alliance');
    const pdf = await admin({ method: 'GET', url: `/api/v1/quality/reports/${alliance.id}.pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBe(alliance.pdfBytes);
    const xlsx = await admin({ method: 'GET', url: `/api/v1/quality/reports/${alliance.id}.xlsx` });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect(xlsx.headers['content-disposition']).toContain('quality-report-alliance-2026-10.xlsx');

    // Asked for again: a new version beside the first; the registrar sees only HXU's.
    const again = await registrar({ method: 'POST', url: '/api/v1/quality/reports', payload: { month: '2026-10', institution: hxu!.id } });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ status: 'pending', requestedBy: 'registrar.hxu', institution: { code: 'HXU' } });
    await reportsIdle();
    const own = (await registrar({ method: 'GET', url: '/api/v1/quality/reports' })).json().items;
    expect(own.map((r: { institution: { code: string } }) => r.institution.code)).toEqual(['HXU', 'HXU']);
    expect(own.map((r: { latest: boolean }) => r.latest)).toEqual([true, false]);
    expect(own.every((r: { status: string }) => r.status === 'ready')).toBe(true);
    const theirs = all.find((r: { institution: { code: string } | null }) => r.institution?.code === 'JNVC');
    expect((await registrar({ method: 'GET', url: `/api/v1/quality/reports/${theirs.id}.pdf` })).statusCode).toBe(404);
    expect((await registrar({ method: 'GET', url: `/api/v1/quality/reports?institution=${jnvc!.id}` })).statusCode).toBe(403);

    // Refused, by name: the alliance's report for a registrar, a month not yet over, a malformed one, a reviewer, a learner.
    expect((await registrar({ method: 'POST', url: '/api/v1/quality/reports', payload: { month: '2026-10' } })).statusCode).toBe(403);
    const future = await admin({ method: 'POST', url: '/api/v1/quality/reports', payload: { month: '2099-01' } });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('body.month');
    expect((await admin({ method: 'POST', url: '/api/v1/quality/reports', payload: { month: '2026-13' } })).statusCode).toBe(400);
    const reviewer = as(app, { cookie: await signIn(app, 'reviewer.hxu', PASSWORD) });
    expect((await reviewer({ method: 'POST', url: '/api/v1/quality/reports', payload: { month: '2026-10', institution: hxu!.id } })).statusCode).toBe(403);
    expect((await reviewer({ method: 'GET', url: '/api/v1/quality/reports' })).statusCode).toBe(200);
    const learner = as(app, { cookie: await signIn(app, 'learner03', PASSWORD) });
    expect((await learner({ method: 'GET', url: '/api/v1/quality/reports' })).statusCode).toBe(403);
  });

  it('refuses learners, anonymous callers and impossible periods by name', async () => {
    const learner = as(app, { cookie: await signIn(app, 'learner03', PASSWORD) });
    expect((await learner({ method: 'GET', url: `/api/v1/quality/indicators?${ALL}` })).statusCode).toBe(403);
    expect((await as(app)({ method: 'GET', url: `/api/v1/quality/indicators?${ALL}` })).statusCode).toBe(401);
    const admin = as(app, { cookie: await signIn(app, 'admin', PASSWORD) });
    for (const [q, field] of [
      ['from=2025-02-01&to=2025-01-01', 'to'],
      ['from=2025-02-30&to=2025-03-01', 'from'],
      ['to=2025-01-01', 'from'],
    ] as const) {
      const res = await admin({ method: 'GET', url: `/api/v1/quality/indicators?${q}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.body).toContain(field);
    }
  });
});
