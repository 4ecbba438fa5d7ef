// Qualifications through the API on the demo alliance: audits, what-if, planner, the expected-to-
// graduate statement, awards that use credits in the ledger and can be withdrawn, requirements
// publishing with bad trees refused, and a registrar's waiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedIfEmpty } from '../../boot.js';
import { loadConfig } from '../../config.js';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeApp, signIn } from '../../test/fixture.js';
import { CB_BACHELOR } from '../demo/qualifications.js';

const PASSWORD = 'demo-password-1';

describe.each(backends)('qualifications on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let programmes: { id: string; code: string }[];
  const id = (code: string) => programmes.find((p) => p.code === code)!.id;
  const user = async (username: string) => {
    const call = as(app, { cookie: await signIn(app, username, PASSWORD) });
    return {
      get: (url: string) => call({ method: 'GET', url }),
      post: (url: string, payload: object) => call({ method: 'POST', url, payload }),
      put: (url: string, payload: object) => call({ method: 'PUT', url, payload }),
    };
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await seedIfEmpty(database, loadConfig({ DEMO_PASSWORD: PASSWORD }), () => {});
    app = await makeApp(database);
    programmes = (await app.inject({ method: 'GET', url: '/api/v1/programmes' })).json().items;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('lists every programme with its catalogue years, publicly', () => {
    expect(programmes.map((p) => p.code).sort()).toEqual(['CB-BACHELOR', 'HXU-080901', 'JNVC-510203', 'UNH-BSC-CS']);
  });

  it('audits the graduate against their own programme by default: complete, by block, nothing over a cap', async () => {
    const me = await user('learner31');
    const res = await me.get('/api/v1/me/audits');
    expect(res.statusCode).toBe(200);
    const [a] = res.json().audits;
    expect(a.programme.code).toBe('CB-BACHELOR');
    expect(a.complete).toBe(true);
    expect(Number(a.total.credits)).toBe(142);
    expect(a.nodes.map((n: { id: string; satisfied: boolean }) => [n.id, n.satisfied])).toEqual([
      ['major', true],
      ['general', true],
    ]);
    expect(a.expected).toEqual({ threshold: '100', credits: '142', eligible: true });
    const cert = a.items.find((i: { origin: string }) => i.origin === 'certificate');
    expect(cert).toMatchObject({ credits: '4', source: expect.stringContaining('人力资源') });
    expect(a.counted).toContain(cert.id);
  });

  it('answers a learner enrolled in no programme with no audits, not an error; a what-if still audits', async () => {
    const admin = await user('admin');
    const hxu = (await admin.get('/api/v1/institutions')).json().items.find((i: { code: string }) => i.code === 'HXU');
    const made = await admin.post(`/api/v1/institutions/${hxu.id}/learners`, {
      fullName: '无专业',
      externalId: 'NOPROG-1',
      login: { username: 'noprog', password: PASSWORD },
    });
    expect(made.statusCode, made.body).toBe(201);
    const me = await user('noprog');
    const res = await me.get('/api/v1/me/audits');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ audits: [], countedTwice: [] });
    const whatIf = await me.get(`/api/v1/me/audits?programmes=${id('HXU-080901')}`);
    expect(whatIf.statusCode).toBe(200);
    expect(whatIf.json().audits).toHaveLength(1);
  });

  it('what-if: audits two programmes at once and flags the credits counted in both', async () => {
    const me = await user('learner31');
    const res = await me.get(`/api/v1/me/audits?programmes=${id('CB-BACHELOR')},${id('HXU-080901')}`);
    expect(res.statusCode).toBe(200);
    const { audits, countedTwice } = res.json();
    expect(audits.map((a: { programme: { code: string } }) => a.programme.code)).toEqual(['CB-BACHELOR', 'HXU-080901']);
    const hxu = audits[1];
    expect(hxu.complete).toBe(false);
    expect(Number(hxu.total.credits)).toBeLessThan(160);
    // JNVC's courses were never transferred in: a university counts them only after a transfer.
    expect(hxu.excluded.filter((e: { reason: string }) => e.reason === 'not_transferred').length).toBe(20);
    expect(countedTwice.length).toBeGreaterThan(10);
    expect(countedTwice.every((i: string) => i.startsWith('outcome:') || i.startsWith('certification:'))).toBe(true);
  });

  it('plans the unmet requirements with home and partner courses and the earliest term under the caps', async () => {
    const me = await user('learner01');
    const res = await me.get(`/api/v1/me/plan?programme=${id('HXU-080901')}`);
    expect(res.statusCode).toBe(200);
    const plan = res.json();
    expect(plan.complete).toBe(false);
    expect(plan.earliestTerm).toMatch(/^\d{4}-\d{4}-[12]$/);
    expect(plan.perSemester).toBe('30');
    expect(Number(plan.remaining)).toBeGreaterThan(0);
    expect(plan.requirements.length).toBeGreaterThan(0);
    for (const r of plan.requirements) expect(r.missing.credits ?? r.missing.courses).toBeTruthy();
    const g = await user('learner31');
    const hxu = (await g.get(`/api/v1/me/plan?programme=${id('HXU-080901')}`)).json();
    const more = hxu.requirements.find((r: { nodeId: string }) => r.nodeId === 'major-more');
    expect(more === undefined || more.options.every((o: { via: string }) => o.via === 'home' || o.via === 'partner')).toBe(true);
  });

  it('issues the expected-to-graduate statement from 100 credits, and refuses it below', async () => {
    const g = await user('learner31');
    const ok = await g.get(`/api/v1/me/expected-graduation?programme=${id('CB-BACHELOR')}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ learner: { fullName: '张伟' }, credits: '142', threshold: '100' });
    const other = await user('learner02');
    const no = await other.get(`/api/v1/me/expected-graduation?programme=${id('CB-BACHELOR')}`);
    expect(no.statusCode).toBe(409);
    expect(no.json().detail).toMatch(/needs 100/);
  });

  it('refuses an award whose audit does not pass, saying what is missing', async () => {
    const g = await user('learner31');
    const res = await g.post('/api/v1/me/awards', { programmeId: id('HXU-080901') });
    expect(res.statusCode).toBe(409);
    // every course requirement is met (the software qualification stands in for CS3021); the total is not
    expect(res.json().detail).toBe('The audit for HXU-080901 does not pass yet: 73 more credits in total');
  });

  it('awards: apply, only the programme’s registrar approves, credits become used; withdrawing releases them', async () => {
    const g = await user('learner31');
    const applied = await g.post('/api/v1/me/awards', { programmeId: id('CB-BACHELOR') });
    expect(applied.statusCode).toBe(201);
    const award = applied.json();
    expect(award).toMatchObject({ status: 'applied', credits: '142', learner: { fullName: '张伟' } });
    expect((await g.post('/api/v1/me/awards', { programmeId: id('CB-BACHELOR') })).statusCode).toBe(409);

    const jnvc = await user('registrar.jnvc');
    expect((await jnvc.post(`/api/v1/awards/${award.id}/approve`, {})).statusCode).toBe(403);
    const hxu = await user('registrar.hxu');
    const queue = (await hxu.get(`/api/v1/institutions/${award.programme.institution.id}/awards`)).json().items;
    expect(queue.map((a: { id: string }) => a.id)).toContain(award.id);
    const approved = await hxu.post(`/api/v1/awards/${award.id}/approve`, {});
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decidedBy: '华夏大学 教务处' });
    expect((await hxu.post(`/api/v1/awards/${award.id}/approve`, {})).statusCode).toBe(409);

    const balance = async () => (await g.get('/api/v1/me/account')).json().balances.find((b: { unit: string }) => b.unit === 'credit');
    expect(await balance()).toMatchObject({ used: '142' });
    const again = (await g.get('/api/v1/me/audits')).json().audits[0];
    expect(again.award).toMatchObject({ id: award.id, status: 'approved' });

    expect((await hxu.post(`/api/v1/awards/${award.id}/withdraw`, { reason: '' })).statusCode).toBe(400);
    const withdrawn = await hxu.post(`/api/v1/awards/${award.id}/withdraw`, { reason: 'Awarded to the wrong record' });
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', reason: 'Awarded to the wrong record' });
    expect(await balance()).toMatchObject({ used: '0' });
  });

  it('publishes requirements for a catalogue year and refuses bad trees with the path of the bad node', async () => {
    const hxu = await user('registrar.hxu');
    const url = `/api/v1/programmes/${id('CB-BACHELOR')}/requirements/2026`;
    const cycle = {
      ...CB_BACHELOR,
      root: ['a'],
      nodes: [
        { id: 'a', kind: 'block', titleZh: '甲', titleEn: 'A', children: ['b'] },
        { id: 'b', kind: 'block', titleZh: '乙', titleEn: 'B', children: ['a'] },
      ],
    };
    const bad = await hxu.put(url, cycle);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.nodes[1].children[0]');
    const unknown = await hxu.put(url, {
      ...CB_BACHELOR,
      root: ['c'],
      nodes: [{ id: 'c', kind: 'courses', titleZh: '课', titleEn: 'C', courses: ['NOPE101'] }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0]).toMatchObject({ path: 'body.nodes[0].courses[0]' });
    const negative = await hxu.put(url, { ...CB_BACHELOR, totalCredits: '-5' });
    expect(negative.statusCode).toBe(400);
    expect(JSON.stringify(negative.json().errors)).toMatch(/totalCredits/);
    const capBelow = await hxu.put(url, { ...CB_BACHELOR, caps: { perYear: '20', perSemester: '24' } });
    expect(capBelow.json().errors[0].path).toBe('body.caps.perSemester');
    expect((await (await user('registrar.jnvc')).put(url, CB_BACHELOR)).statusCode).toBe(403);

    const ok = await hxu.put(url, { ...CB_BACHELOR, totalCredits: '130' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ catalogueYear: 2026, requirements: { totalCredits: '130' } });
    // The graduate entered in 2019: still audited against the 2016 requirements.
    const g = await user('learner31');
    // and is told why: the year of entry from the enrolment, the versions published, the rule that chose 2016
    expect((await g.get('/api/v1/me/audits')).json().audits[0]).toMatchObject({
      catalogueYear: 2016,
      catalogueChoice: { entryYear: 2019, from: 'enrolment', versions: [2016, 2026], rule: 'latest_not_after_entry' },
      total: { required: '140' },
    });
    const pub = await app.inject({ method: 'GET', url: `/api/v1/programmes/${id('CB-BACHELOR')}/requirements?year=2020` });
    expect(pub.json().catalogueYear).toBe(2016);
  });

  it('a registrar’s waiver lets a requirement pass for one learner, with a reason, and can be revoked', async () => {
    const g = await user('learner31');
    const learnerId = (await g.get('/api/v1/me/account')).json().learner.id;
    const hxu = await user('registrar.hxu');
    const body = { programmeId: id('HXU-080901'), nodeId: 'foundation', kind: 'waive', reason: 'Mathematics completed at JNVC, checked by the department' };
    expect((await hxu.post(`/api/v1/learners/${learnerId}/audit-exceptions`, { ...body, nodeId: 'nope' })).statusCode).toBe(400);
    expect((await hxu.post(`/api/v1/learners/${learnerId}/audit-exceptions`, { ...body, reason: '' })).statusCode).toBe(400);
    const made = await hxu.post(`/api/v1/learners/${learnerId}/audit-exceptions`, body);
    expect(made.statusCode).toBe(201);
    expect((await hxu.post(`/api/v1/learners/${learnerId}/audit-exceptions`, body)).statusCode).toBe(409);
    const item = (await g.get(`/api/v1/me/audits?programmes=${id('HXU-080901')}`)).json().audits[0].items[0].id;
    const sub = {
      programmeId: id('HXU-080901'),
      nodeId: 'major-core',
      kind: 'substitute',
      itemId: item,
      reason: 'Equivalent course checked by the department',
    };
    expect((await hxu.post(`/api/v1/learners/${learnerId}/audit-exceptions`, { ...sub, courseCode: 'NOPE999' })).json().errors[0].path).toBe('body.courseCode');
    const audit = (await g.get(`/api/v1/me/audits?programmes=${id('HXU-080901')}`)).json().audits[0];
    expect(audit.nodes.find((n: { id: string }) => n.id === 'foundation')).toMatchObject({ satisfied: true, waived: true });
    expect(made.json()).toMatchObject({ createdBy: '华夏大学 教务处', revokedAt: null });
    const revoked = await hxu.post(`/api/v1/audit-exceptions/${made.json().id}/revoke`, { reason: 'Entered against the wrong learner' });
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokedBy: '华夏大学 教务处', revokeReason: 'Entered against the wrong learner' });
    const after = (await g.get(`/api/v1/me/audits?programmes=${id('HXU-080901')}`)).json().audits[0];
    expect(after.nodes.find((n: { id: string }) => n.id === 'foundation').waived).toBe(false);
  });

  it('audits a whole cohort into a file for the registrar, a batch of learners at a time', async () => {
    const hxu = await user('registrar.hxu');
    const res = await hxu.get(`/api/v1/programmes/${id('HXU-080901')}/cohort-audit.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toMatch(/Student no\..*Complete.*Unmet requirements/);
    // Every HXU learner of the demo but the graduate (enrolled in the credit-bank bachelor), none complete.
    expect(lines.length - 1).toBe(11);
    expect(lines.slice(1).every((l) => /否 no/.test(l))).toBe(true);
    expect(res.body).toMatch(/Major core|专业核心/);
    const cb = await hxu.get(`/api/v1/programmes/${id('CB-BACHELOR')}/cohort-audit.csv`);
    expect(cb.body).toMatch(/张伟.*是 yes/);
    expect((await (await user('registrar.jnvc')).get(`/api/v1/programmes/${id('HXU-080901')}/cohort-audit.csv`)).statusCode).toBe(403);
    expect((await hxu.get(`/api/v1/programmes/${id('HXU-080901')}/cohort-audit.pdf`)).statusCode).toBe(400);
  });

  it('answers bad queries with a 4xx naming the field', async () => {
    const g = await user('learner31');
    const bad = await g.get('/api/v1/me/audits?programmes=not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toMatch(/programmes/);
    expect((await g.get(`/api/v1/me/audits?programmes=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`)).statusCode).toBe(400);
    expect((await g.get('/api/v1/me/plan')).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me/audits' })).statusCode).toBe(401);
    expect((await g.post('/api/v1/me/awards', { programmeId: 'x' })).statusCode).toBe(400);
  });
});
