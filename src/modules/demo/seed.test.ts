// The demo alliance: seeded through the services, and every learner's ledger agrees with their record.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { seedIfEmpty } from '../../boot.js';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeApp, signIn } from '../../test/fixture.js';

const PASSWORD = 'demo-password-1';

describe.each(backends)('demo seed on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  const printed: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    const config = loadConfig({ DEMO_PASSWORD: PASSWORD });
    expect(await seedIfEmpty(database, config, (l) => printed.push(l))).toBe(true);
    app = await makeApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const count = async (table: string) =>
    Number(((await database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows: { n: number }[] }).rows[0]!.n);

  it('makes three institutions with their courses (HXU also six credit-bank courses) and a programme each, a credit-bank bachelor, an enterprise, and thirty-two learners', async () => {
    expect(await count('institutions')).toBe(4);
    expect(await count('courses')).toBe(66);
    expect(await count('programmes')).toBe(4);
    expect(await count('programme_requirements')).toBe(4);
    expect(await count('learners')).toBe(32);
    expect(await count('learning_accounts')).toBe(32);
    expect(await count('outcomes')).toBeGreaterThan(300);
    const inst = (await app.inject({ method: 'GET', url: '/api/v1/institutions' })).json().items;
    expect(inst.map((i: { code: string }) => i.code).sort()).toEqual(['HXTC', 'HXU', 'JNVC', 'UNH']);
    expect(inst.find((i: { code: string }) => i.code === 'UNH').creditSystem).toMatchObject({ unit: 'ects', hourType: 'workload' });
    expect(inst.find((i: { code: string }) => i.code === 'JNVC').gradingScales[0].definition.type).toBe('levels');
  });

  it('prints one login per role and the password', () => {
    const text = printed.join('\n');
    for (const role of ['admin', 'committee', 'registrar', 'reviewer', 'learner']) expect(text).toMatch(new RegExp(`^\\s+${role}\\s+\\S+`, 'm'));
    expect(text).toContain(PASSWORD);
  });

  it('lets every printed login sign in', async () => {
    const usernames = printed.map((l) => /^\s{2}(admin|committee|registrar|reviewer|learner)\s+(\S+)/.exec(l)?.[2]).filter(Boolean) as string[];
    expect(usernames.length).toBeGreaterThanOrEqual(5);
    for (const u of usernames) await signIn(app, u, PASSWORD);
  });

  it('keeps each learner’s balances equal to the credits of their current results that hold a course’s credits (a retake deposits nothing more), approved certifications and recognised transfers', async () => {
    const rows = (
      (await database.db.execute(sql`
      select l.learner_id, l.unit, l.balance::text as balance, coalesce(o.earned, 0)::text as earned
      from (select learner_id, unit, sum(case when to_state = 'available' then amount else 0 end) - sum(case when from_state = 'available' then amount else 0 end) as balance
            from ledger_postings group by learner_id, unit) l
      left join (select learner_id, unit, sum(c) as earned from (
                   select learner_id, unit, credits as c from outcomes where counted and status = 'recorded'
                   union all select learner_id, unit, credits_granted from certification_applications where status = 'approved'
                   -- a recognised course's credits move from its source result to the receiving institution
                   union all select learner_id, unit, credits from transfer_lines where status in ('accepted', 'substituted')
                   union all select learner_id, source_unit, -source_credits from transfer_lines where status in ('accepted', 'substituted')) e
                 group by learner_id, unit) o
        on o.learner_id = l.learner_id and o.unit = l.unit`)) as unknown as { rows: { balance: string; earned: string }[] }
    ).rows;
    expect(rows.length).toBeGreaterThanOrEqual(30);
    for (const r of rows) expect(Number(r.balance)).toBe(Number(r.earned));
  });

  it('shows the demo learner credits from two institutions in two units, and a corrected grade', async () => {
    const learner = as(app, { cookie: await signIn(app, 'learner01', PASSWORD) });
    const view = (await learner({ method: 'GET', url: '/api/v1/me/account' })).json();
    expect(view.enrolments.map((e: { institutionCode: string }) => e.institutionCode).sort()).toEqual(['HXU', 'UNH']);
    expect(view.balances.map((b: { unit: string }) => b.unit)).toEqual(['credit', 'ects']);
    expect(view.outcomes.some((o: { status: string }) => o.status === 'superseded')).toBe(true);
    const ledger = (await learner({ method: 'GET', url: `/api/v1/learners/${view.learner.id}/ledger?limit=200` })).json();
    expect(ledger.items.some((p: { kind: string }) => p.kind === 'reversal')).toBe(true);
  });

  it('seeds the certification catalogue and applications in every state a reviewer meets', async () => {
    const standards = (await app.inject({ method: 'GET', url: '/api/v1/standards' })).json().items;
    expect(standards.length).toBeGreaterThanOrEqual(8);
    expect(standards.map((s: { nameZh: string }) => s.nameZh).join()).toMatch(/Web 前端开发.*电工|电工.*Web 前端开发/);
    const frameworks = (await app.inject({ method: 'GET', url: '/api/v1/frameworks' })).json().items;
    expect(frameworks.map((f: { code: string; levels: unknown[] }) => [f.code, f.levels.length])).toEqual([
      ['CBQF', 8],
      ['EQF', 8],
    ]);
    const reviewer = as(app, { cookie: await signIn(app, 'reviewer.jnvc', PASSWORD) });
    expect(
      (await reviewer({ method: 'GET', url: '/api/v1/certifications?scope=reviewer' }))
        .json()
        .items.map((a: { status: string }) => a.status)
        .sort(),
    ).toEqual(['more_info', 'submitted']);
    const committee = as(app, { cookie: await signIn(app, 'committee2', PASSWORD) });
    const queue = (await committee({ method: 'GET', url: '/api/v1/certifications?scope=committee' })).json().items;
    expect(queue).toEqual([expect.objectContaining({ route: 'committee', status: 'committee', evidenceCount: 2 })]);
    const learner = as(app, { cookie: await signIn(app, 'learner08', PASSWORD) });
    const [rejected] = (await learner({ method: 'GET', url: '/api/v1/me/certifications' })).json().items;
    expect(rejected).toMatchObject({ status: 'rejected', appealDeadline: expect.any(String) });
  });

  it('seeds recognition: an agreement in force, equivalences, evaluation tasks, and a check that uses them', async () => {
    const agreements = (await app.inject({ method: 'GET', url: '/api/v1/agreements' })).json().items;
    expect(agreements.map((a: { code: string; status: string }) => `${a.code} ${a.status}`).sort()).toEqual([
      'HXU-JNVC-ICT in_force',
      'HXU-UNH-EXCHANGE proposed',
    ]);
    const institutions = new Map<string, string>(
      (await app.inject({ method: 'GET', url: '/api/v1/institutions' })).json().items.map((i: { code: string; id: string }) => [i.code, i.id]),
    );
    const courses = new Map<string, string>(
      (await app.inject({ method: 'GET', url: `/api/v1/institutions/${institutions.get('JNVC')}/courses?limit=100` }))
        .json()
        .items.map((c: { code: string; id: string }) => [c.code, c.id]),
    );
    const ask = ['JN-SW101', 'JN-SW111', 'JN-SW211', 'JN-GE111'].map((code) => ({ courseId: courses.get(code), grade: '优', completedOn: '2025-01-15' }));
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/transfer-checks',
      payload: { sourceInstitutionId: institutions.get('JNVC'), targetInstitutionId: institutions.get('HXU'), courses: ask },
    });
    expect(res.json().items.map((v: { status: string }) => v.status)).toEqual(['match', 'miss', 'maybe', 'miss']);
    expect(res.json().items[0]).toMatchObject({ target: { courses: [{ code: 'CS1011' }] }, convertedGrade: { method: 'grading table, largest-overlap' } });
    const reviewer = as(app, { cookie: await signIn(app, 'reviewer.hxu', PASSWORD) });
    expect((await reviewer({ method: 'GET', url: `/api/v1/institutions/${institutions.get('HXU')}/evaluation-tasks` })).json().items).toHaveLength(3);
  });

  it('seeds only an empty database', async () => {
    expect(await seedIfEmpty(database, loadConfig({ DEMO_PASSWORD: PASSWORD }), () => {})).toBe(false);
    expect(await count('institutions')).toBe(4);
  });
});
