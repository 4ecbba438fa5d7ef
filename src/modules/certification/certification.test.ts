// Certification through the API: standards drafted, approved and versioned by the committee;
// learners' applications with evidence; review, committee votes, appeals; credits deposited once,
// under the caps; and the bad cases, which change nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleGrants } from '../../db/schema.js';
import type { App } from '../../http/types.js';
import { insertUserWithGrants } from '../auth/service.js';
import { createLearner } from '../learners/service.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, PASSWORD, signIn, type Alliance } from '../../test/fixture.js';
import { createFramework } from './standards.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function multipart(filename: string, content: Buffer, contentType = 'application/octet-stream') {
  const boundary = '----cbtest' + Math.random().toString(16).slice(2);
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe.each(backends)('certification on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let frameworkId: string;
  const callers: Record<string, ReturnType<typeof as>> = {};
  const anonymous = () => as(app);
  let web: { id: string; code: string };

  const standardBody = (over: Record<string, unknown> = {}) => ({
    code: 'WEB-M',
    outcomeKind: 'vocational_certificate',
    issuingBody: '工业和信息化部教育与考试中心',
    nameZh: 'Web 前端开发职业技能等级证书（中级）',
    nameEn: 'Web Front-end Development, intermediate',
    certificateLevel: '中级 Intermediate',
    frameworkId,
    level: 5,
    iscedCode: '0613',
    credits: '4',
    institutionId: fx.a.id,
    substitutes: [{ institutionId: fx.a.id, courseId: fx.courseA[0]!.id }],
    validityMonths: 36,
    capStandard: '4',
    capKind: '8',
    evidence: ['证书扫描件 Certificate scan'],
    effectiveFrom: '2020-01-01',
    ...over,
  });
  const apply = (who: string, body: Record<string, unknown>) => callers[who]!({ method: 'POST', url: '/api/v1/me/certifications', payload: body });
  const attach = (who: string, id: string, file: Buffer, label = '证书扫描件 Certificate scan', name = 'cert.pdf') =>
    callers[who]!({ method: 'POST', url: `/api/v1/certifications/${id}/evidence?label=${encodeURIComponent(label)}`, ...multipart(name, file) });
  const act = (who: string, id: string, action: string, body: Record<string, unknown> = {}) =>
    callers[who]!({ method: 'POST', url: `/api/v1/certifications/${id}/${action}`, payload: body });
  const balance = async (who: string) => {
    const view = (await callers[who]!({ method: 'GET', url: '/api/v1/me/account' })).json();
    return view.balances.find((b: { unit: string }) => b.unit === 'credit')?.available ?? '0';
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    frameworkId = (
      await createFramework(database.db, fx.admin, {
        code: 'EQF',
        nameZh: '欧洲资历框架',
        nameEn: 'European Qualifications Framework',
        levels: [1, 2, 3, 4, 5, 6, 7, 8].map((l) => ({ level: l, nameZh: `${l}级`, nameEn: `Level ${l}`, descriptorZh: '', descriptorEn: '', eqfLevel: l })),
      })
    ).id;
    for (const name of ['committee2', 'committee3']) {
      await insertUserWithGrants(database.db, { username: name, password: PASSWORD, displayName: name, grants: [{ role: 'committee', institutionId: null }] });
    }
    // a reviewer of A who is also a learner: may never decide their own application
    const carol = await createLearner(database.db, fx.admin, fx.a.id, {
      fullName: '王可',
      birthDate: '1990-03-03',
      externalId: 'A900',
      login: { username: 'carol', password: PASSWORD },
    });
    const { rows } = (await database.db.execute(sql`select user_id as "userId" from learners where id = ${carol.id}`)) as unknown as {
      rows: { userId: string }[];
    };
    const userId = rows[0]!.userId;
    await database.db.insert(roleGrants).values({ userId, role: 'reviewer', institutionId: fx.a.id });
    for (const name of ['admin', 'committee', 'committee2', 'committee3', 'registrar.a', 'registrar.b', 'reviewer.a', 'reviewer.b', 'alice', 'bob', 'carol']) {
      callers[name] = as(app, { cookie: await signIn(app, name) });
    }
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  describe('the standards catalogue', () => {
    it('is drafted by the committee or the institution’s registrar, with field errors named', async () => {
      expect((await callers['reviewer.a']!({ method: 'POST', url: '/api/v1/standards', payload: standardBody() })).statusCode).toBe(403);
      expect((await callers['registrar.b']!({ method: 'POST', url: '/api/v1/standards', payload: standardBody() })).statusCode).toBe(403);
      const badLevel = await callers.committee!({ method: 'POST', url: '/api/v1/standards', payload: standardBody({ level: 11 }) });
      expect(badLevel.statusCode).toBe(400);
      expect(badLevel.json().errors[0].path).toBe('body.level');
      const badCourse = await callers.committee!({
        method: 'POST',
        url: '/api/v1/standards',
        payload: standardBody({ substitutes: [{ institutionId: fx.b.id, courseId: fx.courseA[0]!.id }] }),
      });
      expect(badCourse.json().errors[0].path).toBe('body.substitutes.0.courseId');
      const badCap = await callers.committee!({ method: 'POST', url: '/api/v1/standards', payload: standardBody({ capStandard: '2' }) });
      expect(badCap.json().errors[0].path).toBe('body.capStandard');
      const draft = await callers['registrar.a']!({ method: 'POST', url: '/api/v1/standards', payload: standardBody() });
      expect(draft.statusCode).toBe(201);
      expect(draft.json()).toMatchObject({ code: 'WEB-M', version: 1, status: 'draft', credits: '4', eqfLevel: 5, substitutes: [{ courseCode: 'CS101' }] });
      web = draft.json();
      // drafts are not public
      expect((await anonymous()({ method: 'GET', url: '/api/v1/standards?q=Web' })).json().items).toEqual([]);
      expect((await anonymous()({ method: 'GET', url: `/api/v1/standards/${web.id}` })).statusCode).toBe(404);
      expect((await anonymous()({ method: 'GET', url: '/api/v1/standards?status=all' })).statusCode).toBe(403);
      // nor shown to another institution's registrars; the committee, which approves drafts, sees them
      expect((await callers['registrar.b']!({ method: 'GET', url: `/api/v1/standards/${web.id}` })).statusCode).toBe(404);
      expect((await callers['registrar.b']!({ method: 'GET', url: '/api/v1/standards?status=draft' })).json().items).toEqual([]);
      expect((await callers.committee!({ method: 'GET', url: `/api/v1/standards/${web.id}` })).statusCode).toBe(200);
    });

    it('is approved by the committee only, then public', async () => {
      expect((await callers.admin!({ method: 'POST', url: `/api/v1/standards/${web.id}/approve` })).statusCode).toBe(403);
      const ok = await callers.committee!({ method: 'POST', url: `/api/v1/standards/${web.id}/approve` });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().status).toBe('approved');
      expect((await callers.committee!({ method: 'POST', url: `/api/v1/standards/${web.id}/approve` })).statusCode).toBe(409);
      expect((await callers.committee!({ method: 'PATCH', url: `/api/v1/standards/${web.id}`, payload: { credits: '5' } })).statusCode).toBe(409);
      const found = (await anonymous()({ method: 'GET', url: '/api/v1/standards?q=前端' })).json().items;
      expect(found).toEqual([expect.objectContaining({ code: 'WEB-M', credits: '4' })]);
    });

    it('keeps versions: a new one closes the old where it starts, and old outcomes stay under the old', async () => {
      const v2 = await callers.committee!({
        method: 'POST',
        url: `/api/v1/standards/${web.id}/versions`,
        payload: { credits: '3', capStandard: '3', effectiveFrom: '2026-09-01' },
      });
      expect(v2.statusCode).toBe(201);
      expect(v2.json()).toMatchObject({ version: 2, status: 'draft', credits: '3' });
      expect((await callers.committee!({ method: 'POST', url: `/api/v1/standards/${web.id}/versions`, payload: {} })).statusCode).toBe(409);
      const own = await callers.committee!({ method: 'POST', url: `/api/v1/standards/${v2.json().id}/approve` });
      expect(own.statusCode).toBe(403);
      expect(own.json().detail).toMatch(/another member/);
      expect((await callers.committee2!({ method: 'POST', url: `/api/v1/standards/${v2.json().id}/approve` })).statusCode).toBe(200);
      const all = (await anonymous()({ method: 'GET', url: `/api/v1/standards/${web.id}` })).json();
      expect(all.versions.map((v: { version: number; effectiveTo: string | null }) => [v.version, v.effectiveTo])).toEqual([
        [2, null],
        [1, '2026-09-01'],
      ]);
      // staff asking for approved versions see the superseded one too; the public sees the one in force
      expect(
        (await callers.committee!({ method: 'GET', url: '/api/v1/standards?status=approved&q=WEB-M' })).json().items.map((v: { version: number }) => v.version),
      ).toEqual([2, 1]);
      expect((await anonymous()({ method: 'GET', url: '/api/v1/standards?q=WEB-M' })).json().items.map((v: { version: number }) => v.version)).toEqual([2]);
      expect(
        (await anonymous()({ method: 'GET', url: '/api/v1/standards?q=WEB-M&on=2025-01-01' })).json().items.map((v: { version: number }) => v.version),
      ).toEqual([1]);
    });

    it('discards a draft that should not be approved, and keeps approved versions', async () => {
      const v3 = (
        await callers['registrar.a']!({ method: 'POST', url: `/api/v1/standards/${web.id}/versions`, payload: { credits: '9', capStandard: '9' } })
      ).json();
      expect((await callers['registrar.b']!({ method: 'DELETE', url: `/api/v1/standards/${v3.id}`, payload: { reason: 'not mine' } })).statusCode).toBe(404); // another institution's draft is not shown to B
      expect((await callers['registrar.a']!({ method: 'DELETE', url: `/api/v1/standards/${v3.id}`, payload: {} })).json().errors[0].path).toBe('body.reason');
      expect((await callers['registrar.a']!({ method: 'DELETE', url: `/api/v1/standards/${v3.id}`, payload: { reason: 'typed 9 for 3' } })).statusCode).toBe(
        204,
      );
      expect((await callers.committee!({ method: 'GET', url: `/api/v1/standards/${v3.id}` })).statusCode).toBe(404);
      expect((await callers.committee!({ method: 'DELETE', url: `/api/v1/standards/${web.id}`, payload: { reason: 'approved by mistake' } })).statusCode).toBe(
        409,
      );
    });
  });

  describe('an application under a standard', () => {
    let appId: string;

    it('refuses bad applications with the field named, creating nothing', async () => {
      const base = { standardCode: 'WEB-M', certificateNo: 'WEB-2025-0001', issuedOn: '2025-06-01' };
      const cases: [Record<string, unknown>, string][] = [
        [{ ...base, certificateNo: undefined }, 'body.certificateNo'],
        [{ ...base, issuedOn: '2099-01-01' }, 'body.issuedOn'],
        [{ ...base, expiresOn: '2025-12-31' }, 'body.expiresOn'],
        [{ ...base, issuedOn: '2019-06-01' }, 'body.issuedOn'], // before any version was in force
        [{ ...base, standardCode: 'NOPE' }, 'body.standardCode'],
        [{ ...base, standardId: web.id }, 'body.standardCode'],
      ];
      for (const [body, path] of cases) {
        const res = await apply('alice', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().errors[0].path).toBe(path);
      }
      expect((await callers.alice!({ method: 'GET', url: '/api/v1/me/certifications' })).json().items).toEqual([]);
      expect((await callers['reviewer.a']!({ method: 'POST', url: '/api/v1/me/certifications', payload: base })).statusCode).toBe(404);
    });

    it('is certified under the version in force on the certificate’s date', async () => {
      const res = await apply('alice', { standardCode: 'WEB-M', certificateNo: 'web-2025 0001', issuedOn: '2025-06-01' });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        status: 'draft',
        certificateNo: 'WEB-20250001',
        standard: { version: 1, credits: '4' },
        allowedActions: ['submit', 'withdraw'],
      });
      appId = res.json().id;
      // a draft is the learner's own until it is submitted (administrators excepted)
      for (const who of ['reviewer.a', 'committee'])
        expect((await callers[who]!({ method: 'GET', url: `/api/v1/certifications/${appId}` })).statusCode, who).toBe(404);
      expect((await callers.admin!({ method: 'GET', url: `/api/v1/certifications/${appId}` })).statusCode).toBe(200);
    });

    it('takes evidence of the right kind only, stored by its SHA-256', async () => {
      const notPdf = await attach('alice', appId, Buffer.from('just text'), undefined, 'fake.pdf');
      expect(notPdf.statusCode).toBe(400);
      expect(notPdf.json().errors[0].path).toBe('body.file');
      expect((await attach('alice', appId, PDF, 'something else')).json().errors[0].path).toBe('query.label');
      expect((await attach('alice', appId, Buffer.alloc(11 * 1024 * 1024, 0x25))).statusCode).toBe(413);
      expect((await attach('bob', appId, PDF)).statusCode).toBe(404);
      const submitEarly = await act('alice', appId, 'submit');
      expect(submitEarly.statusCode).toBe(422);
      expect(submitEarly.json().detail).toContain('证书扫描件');
      const ok = await attach('alice', appId, PDF);
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).toMatchObject({ mediaType: 'application/pdf', sizeBytes: PDF.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const file = await callers.alice!({ method: 'GET', url: `/api/v1/certifications/${appId}/evidence/${ok.json().id}` });
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(PDF)).toBe(true);
    });

    it('goes to the institution’s reviewer, and to nobody else', async () => {
      const sub = await act('alice', appId, 'submit');
      expect(sub.statusCode).toBe(200);
      expect(sub.json()).toMatchObject({ status: 'submitted', allowedActions: ['withdraw'] });
      expect((await act('alice', appId, 'submit')).statusCode).toBe(409);
      expect((await attach('alice', appId, PNG, undefined, 'more.png')).statusCode).toBe(409);
      expect((await callers['reviewer.b']!({ method: 'GET', url: `/api/v1/certifications/${appId}` })).statusCode).toBe(404);
      expect((await act('reviewer.b', appId, 'approve')).statusCode).toBe(404);
      expect((await act('alice', appId, 'approve')).statusCode).toBe(403);
      const staffView = (await callers['registrar.a']!({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/certifications` })).json();
      expect(staffView.items.map((i: { id: string }) => i.id)).toEqual([appId]);
      expect((await callers['registrar.b']!({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/certifications` })).statusCode).toBe(404);
      const q = (await callers['reviewer.a']!({ method: 'GET', url: '/api/v1/certifications?scope=reviewer' })).json();
      expect(q.items.map((i: { id: string }) => i.id)).toEqual([appId]);
      expect((await callers['reviewer.b']!({ method: 'GET', url: '/api/v1/certifications?scope=reviewer' })).json().items).toEqual([]);
      expect((await callers.alice!({ method: 'GET', url: '/api/v1/certifications?scope=reviewer' })).statusCode).toBe(403);
      const detail = (await callers['reviewer.a']!({ method: 'GET', url: `/api/v1/certifications/${appId}` })).json();
      expect(detail.allowedActions.sort()).toEqual(['approve', 'reject', 'request_info']);
    });

    it('refuses the same certificate from another learner', async () => {
      const res = await apply('bob', { standardCode: 'WEB-M', certificateNo: 'WEB-20250001', issuedOn: '2025-06-01' });
      expect(res.statusCode).toBe(409);
      expect(res.json().errors[0].path).toBe('body.certificateNo');
    });

    it('posts the credits once when two reviewers approve at the same moment', async () => {
      const before = await balance('alice');
      const stale = await act('reviewer.a', appId, 'approve', { expectedVersion: 1 });
      expect(stale.statusCode).toBe(409);
      const { version } = (await callers['reviewer.a']!({ method: 'GET', url: `/api/v1/certifications/${appId}` })).json();
      const [x, y] = await Promise.all([act('reviewer.a', appId, 'approve', { expectedVersion: version }), act('reviewer.a', appId, 'approve')]);
      expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
      const done = (x.statusCode === 200 ? x : y).json();
      expect(done).toMatchObject({ status: 'approved', creditsGranted: '4', postings: [{ kind: 'deposit', amount: '4', unit: 'credit' }] });
      expect(Number(await balance('alice'))).toBe(Number(before) + 4);
      expect(done.events.map((e: { action: string; toStatus: string }) => `${e.action}:${e.toStatus}`)).toEqual([
        'create:draft',
        'submit:submitted',
        'approve:approved',
      ]);
      expect(done.events.every((e: { waitedMs: number }) => e.waitedMs >= 0)).toBe(true);
    });

    it('posts once when two server processes approve at the same moment', async (ctx) => {
      if (backend !== 'postgres') return ctx.skip(); // PGlite is one process
      const other = await database.reopen();
      const app2 = await makeApp(other);
      try {
        const one = (await apply('bob', { standardCode: 'WEB-M', certificateNo: 'WEB-2025-0777', issuedOn: '2025-08-01' })).json();
        await attach('bob', one.id, PDF);
        await act('bob', one.id, 'submit');
        const before = Number(await balance('bob'));
        const second = as(app2, { cookie: await signIn(app2, 'reviewer.a') });
        const [x, y] = await Promise.all([
          act('reviewer.a', one.id, 'approve'),
          second({ method: 'POST', url: `/api/v1/certifications/${one.id}/approve`, payload: {} }),
        ]);
        expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
        expect(Number(await balance('bob'))).toBe(before + 4);
        await act('reviewer.a', one.id, 'revoke', { reason: 'test clean-up: frees the cap' });
      } finally {
        await app2.close();
      }
    });

    it('holds the standard’s cap when two applications at its edge are approved at the same moment', async () => {
      const other = backend === 'postgres' ? await database.reopen() : null;
      const app2 = other ? await makeApp(other) : app;
      try {
        const ids = [];
        for (const no of ['WEB-2025-0801', 'WEB-2025-0802']) {
          const one = (await apply('bob', { standardCode: 'WEB-M', certificateNo: no, issuedOn: '2025-08-01' })).json();
          await attach('bob', one.id, PDF);
          await act('bob', one.id, 'submit');
          ids.push(one.id as string);
        }
        const before = Number(await balance('bob'));
        const second = as(app2, { cookie: await signIn(app2, 'reviewer.a') });
        const [x, y] = await Promise.all([
          act('reviewer.a', ids[0]!, 'approve'),
          second({ method: 'POST', url: `/api/v1/certifications/${ids[1]}/approve`, payload: {} }),
        ]);
        expect([x.statusCode, y.statusCode].sort()).toEqual([200, 422]);
        expect([x, y].find((r) => r.statusCode === 422)!.json().detail).toMatch(/at most 4 credits from standard WEB-M/);
        expect(Number(await balance('bob'))).toBe(before + 4);
        const approved = ids[x.statusCode === 200 ? 0 : 1]!;
        await act('reviewer.a', approved, 'revoke', { reason: 'test clean-up: frees the cap' });
        await act('reviewer.a', ids[x.statusCode === 200 ? 1 : 0]!, 'reject', { reason: 'test clean-up: the cap was reached' });
      } finally {
        if (other) await app2.close();
      }
    });

    it('enforces the standard’s cap with a message naming it', async () => {
      const second = (await apply('alice', { standardCode: 'WEB-M', certificateNo: 'WEB-2025-0002', issuedOn: '2025-07-01' })).json();
      await attach('alice', second.id, PNG, undefined, 'scan.png');
      await act('alice', second.id, 'submit');
      const before = await balance('alice');
      const res = await act('reviewer.a', second.id, 'approve');
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toMatch(/at most 4 credits from standard WEB-M/);
      expect(await balance('alice')).toBe(before);
      expect((await callers.alice!({ method: 'GET', url: `/api/v1/certifications/${second.id}` })).json().status).toBe('submitted');
      const rej = await act('reviewer.a', second.id, 'reject');
      expect(rej.json().errors[0].path).toBe('body.reason');
      expect((await act('reviewer.a', second.id, 'reject', { reason: 'cap reached: the same skill is already certified' })).json().status).toBe('rejected');
    });

    it('asks for more information and takes it back', async () => {
      const third = (await apply('bob', { standardCode: 'WEB-M', certificateNo: 'WEB-2025-0099', issuedOn: '2025-07-01' })).json();
      await attach('bob', third.id, PDF);
      await act('bob', third.id, 'submit');
      expect((await act('reviewer.a', third.id, 'request_info', { reason: 'the scan is unreadable' })).json().status).toBe('more_info');
      expect((await attach('bob', third.id, PNG, undefined, 'better.png')).statusCode).toBe(201);
      expect((await act('bob', third.id, 'resubmit')).json().status).toBe('submitted');
      expect((await act('bob', third.id, 'withdraw')).json().status).toBe('withdrawn');
    });

    it('never lets reviewers decide their own application', async () => {
      const own = (await apply('carol', { standardCode: 'WEB-M', certificateNo: 'WEB-2025-0500', issuedOn: '2025-07-01' })).json();
      await attach('carol', own.id, PDF);
      await act('carol', own.id, 'submit');
      expect((await act('carol', own.id, 'approve')).statusCode).toBe(403);
      const queue = (await callers.carol!({ method: 'GET', url: '/api/v1/certifications?scope=reviewer' })).json();
      expect(queue.items.map((i: { id: string }) => i.id)).not.toContain(own.id);
    });

    it('is revoked with its credits reversed', async () => {
      const before = Number(await balance('alice'));
      const res = await act('reviewer.a', appId, 'revoke', { reason: 'the issuing body withdrew the certificate' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'revoked', postings: [{ kind: 'deposit' }, { kind: 'reversal', amount: '4' }] });
      expect(Number(await balance('alice'))).toBe(before - 4);
    });
  });

  describe('an individual assessment, the committee and an appeal', () => {
    let id: string;
    it('needs what a standard would have said', async () => {
      const base = {
        outcomeKind: 'work_experience',
        title: '五年网站运维',
        issuingBody: '某科技有限公司',
        issuedOn: '2025-12-31',
        creditsRequested: '6',
        statement: 'Ran the company web servers for five years: Linux, nginx, backups, monitoring.',
      };
      expect((await apply('alice', { ...base, outcomeKind: undefined })).json().errors[0].path).toBe('body.outcomeKind');
      expect((await apply('alice', { ...base, creditsRequested: undefined })).json().errors[0].path).toBe('body.creditsRequested');
      expect((await apply('alice', { ...base, statement: 'short' })).json().errors[0].path).toBe('body.statement');
      const res = await apply('alice', base);
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ route: 'committee', standard: null, status: 'draft' });
      id = res.json().id;
      expect((await act('alice', id, 'submit')).statusCode).toBe(422);
      await attach('alice', id, PDF, '作品集 Portfolio');
      expect((await act('alice', id, 'submit')).json().status).toBe('committee');
      expect((await callers['reviewer.a']!({ method: 'GET', url: `/api/v1/certifications/${id}` })).statusCode).toBe(404);
    });

    it('is rejected by a majority once the quorum has voted', async () => {
      expect((await act('committee', id, 'vote', { reason: 'no evidence of depth' })).json().errors[0].path).toBe('body.decision');
      expect((await act('committee', id, 'vote', { decision: 'approve', reason: 'seems fine' })).json().errors[0].path).toBe('body.credits');
      expect((await act('committee', id, 'vote', { decision: 'reject', reason: 'no evidence of depth' })).json()).toMatchObject({
        status: 'committee',
        votes: { approve: 0, reject: 1, quorum: 3, mine: 'reject' },
      });
      expect((await act('committee', id, 'vote', { decision: 'reject', reason: 'twice' })).statusCode).toBe(409);
      await act('committee2', id, 'vote', { decision: 'approve', credits: '4', reason: 'the logs show real work' });
      const decided = (await act('committee3', id, 'vote', { decision: 'reject', reason: 'a letter from the employer is needed' })).json();
      expect(decided).toMatchObject({ status: 'rejected', creditsGranted: null, appealDeadline: expect.any(String) });
      const learnerView = (await callers.alice!({ method: 'GET', url: `/api/v1/certifications/${id}` })).json();
      expect(learnerView.votes).toMatchObject({ approve: 1, reject: 2, list: null });
      expect(learnerView.allowedActions).toEqual(['appeal']);
    });

    it('is appealed once, and the committee’s final decision deposits the credits', async () => {
      const before = Number(await balance('alice'));
      expect((await act('alice', id, 'appeal')).json().errors[0].path).toBe('body.reason');
      expect((await act('alice', id, 'appeal', { reason: 'I attach the employer’s letter now in my statement' })).json()).toMatchObject({
        status: 'appealed',
        votes: { stage: 'appeal', approve: 0, reject: 0 },
      });
      // while the appeal is open the learner adds a file with a note: on record, in the history, not removable
      const appealFile = (who: string, note?: string) =>
        callers[who]!({
          method: 'POST',
          url: `/api/v1/certifications/${id}/evidence?label=letter${note === undefined ? '' : `&note=${encodeURIComponent(note)}`}`,
          ...multipart('letter.pdf', PDF),
        });
      const noNote = await appealFile('alice');
      expect(noNote.statusCode).toBe(400);
      expect(noNote.json().errors[0].path).toBe('query.note');
      expect((await appealFile('alice', '  ')).json().errors[0].path).toBe('query.note');
      expect((await appealFile('committee', 'not theirs')).statusCode).toBe(403);
      expect((await appealFile('bob', 'not theirs')).statusCode).toBe(404);
      const added = await appealFile('alice', 'The employer’s letter confirming five years of server work');
      expect(added.statusCode).toBe(201);
      expect(added.json()).toMatchObject({ label: '申诉材料 Appeal evidence', filename: 'letter.pdf' });
      const seen = (await callers.committee!({ method: 'GET', url: `/api/v1/certifications/${id}` })).json();
      expect(seen.evidence.map((e: { label: string }) => e.label)).toContain('申诉材料 Appeal evidence');
      expect(seen.events.at(-1)).toMatchObject({
        action: 'appeal_evidence',
        fromStatus: 'appealed',
        toStatus: 'appealed',
        reason: 'The employer’s letter confirming five years of server work',
      });
      expect((await callers.alice!({ method: 'DELETE', url: `/api/v1/certifications/${id}/evidence/${added.json().id}` })).statusCode).toBe(409);
      await act('committee', id, 'vote', { decision: 'approve', credits: '5', reason: 'the letter settles it' });
      await act('committee2', id, 'vote', { decision: 'approve', credits: '3', reason: 'agree, fewer credits' });
      const final = (await act('committee3', id, 'vote', { decision: 'reject', reason: 'still not convinced' })).json();
      expect(final).toMatchObject({ status: 'approved', creditsGranted: '3', appealed: true });
      expect(Number(await balance('alice'))).toBe(before + 3);
      expect(final.events.map((e: { action: string }) => e.action)).toEqual([
        'create',
        'submit',
        'vote',
        'vote',
        'vote',
        'decide',
        'appeal',
        'appeal_evidence',
        'vote',
        'vote',
        'vote',
        'decide',
      ]);
      // the appeal decided, nothing more is added
      expect((await appealFile('alice', 'one more letter')).statusCode).toBe(409);
    });

    it('allows no appeal after the window', async () => {
      const late = (
        await apply('bob', {
          outcomeKind: 'training',
          title: '企业安全培训',
          issuingBody: '某制造公司',
          issuedOn: '2025-01-10',
          creditsRequested: '1',
          statement: 'Forty hours of workplace safety training with a final exam.',
        })
      ).json();
      await attach('bob', late.id, PDF, 'Portfolio');
      await act('bob', late.id, 'submit');
      for (const c of ['committee', 'committee2', 'committee3']) await act(c, late.id, 'vote', { decision: 'reject', reason: 'too short' });
      await database.db.execute(sql`update certification_applications set decided_at = now() - interval '40 days' where id = ${late.id}`);
      const res = await act('bob', late.id, 'appeal', { reason: 'please reconsider' });
      expect(res.statusCode).toBe(409);
      expect(res.json().detail).toMatch(/time to appeal ended/);
    });
  });

  describe('records an enterprise sends in bulk', () => {
    const send = (mode: string, rows: Record<string, string>[]) =>
      callers['registrar.b']!({ method: 'POST', url: `/api/v1/institutions/${fx.b.id}/imports/certifications/rows`, payload: { mode, rows } });
    const recent = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

    beforeAll(async () => {
      const draft = await callers.committee!({
        method: 'POST',
        url: '/api/v1/standards',
        payload: standardBody({
          code: 'SAFE-40',
          outcomeKind: 'training',
          nameZh: '安全生产培训（40 学时）',
          nameEn: 'Safety training, 40 hours',
          substitutes: [],
          capStandard: null,
          capKind: null,
          credits: '1',
          validityMonths: 24,
        }),
      });
      await callers.committee2!({ method: 'POST', url: `/api/v1/standards/${draft.json().id}/approve` });
    });

    it('reports every bad row and writes nothing from a file with one', async () => {
      const res = await send('all_or_nothing', [
        { externalId: 'B001', standardCode: 'SAFE-40', issuedOn: recent },
        { externalId: 'B404', standardCode: 'SAFE-40', issuedOn: recent },
        { externalId: 'B001', standardCode: 'NOPE-1', issuedOn: recent },
        { externalId: 'B001', standardCode: 'WEB-M', issuedOn: recent },
        { externalId: 'B001', standardCode: 'SAFE-40', issuedOn: '2020-01-01' },
      ]);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ committed: false, rejected: 4, accepted: 1 });
      expect(body.issues.map((i: { rowNumber: number; column: string }) => [i.rowNumber, i.column.split(' ')[0]])).toEqual([
        [2, '学员编号'],
        [3, '转换标准代码'],
        [4, '证书编号'],
        [5, '发证日期'],
      ]);
      expect(
        (await callers['reviewer.a']!({ method: 'GET', url: '/api/v1/certifications?scope=reviewer' }))
          .json()
          .items.some((a: { title: string }) => a.title.includes('安全生产')),
      ).toBe(false);
    });

    it('sends the good rows to the standard’s reviewer, and a re-sent file creates nothing twice', async () => {
      const rows = [{ externalId: 'B001', fullName: '李博', standardCode: 'SAFE-40', issuedOn: recent }];
      const res = (await send('all_or_nothing', rows)).json();
      expect(res).toMatchObject({ committed: true, created: 1, rejected: 0 });
      const queue = (await callers['reviewer.a']!({ method: 'GET', url: '/api/v1/certifications?scope=reviewer' })).json().items;
      const sent = queue.find((a: { title: string }) => a.title.includes('安全生产'));
      expect(sent).toMatchObject({ status: 'submitted', learnerName: '李博', statement: expect.stringContaining('COLB') });
      expect((await send('all_or_nothing', rows)).json()).toMatchObject({ created: 0, skipped: 1 });
      expect((await callers['reviewer.a']!({ method: 'POST', url: `/api/v1/certifications/${sent.id}/approve`, payload: {} })).json()).toMatchObject({
        status: 'approved',
        creditsGranted: '1',
      });
      expect(
        (await callers['registrar.a']!({ method: 'POST', url: `/api/v1/institutions/${fx.b.id}/imports/certifications/rows`, payload: { rows } })).statusCode,
      ).toBe(403);
    });
  });

  it('lets administrators set the quorum and appeal window', async () => {
    expect(
      (await callers.committee!({ method: 'PUT', url: '/api/v1/settings/certification', payload: { committeeQuorum: 5, appealWindowDays: 30 } })).statusCode,
    ).toBe(403);
    expect(
      (await callers.admin!({ method: 'PUT', url: '/api/v1/settings/certification', payload: { committeeQuorum: 0, appealWindowDays: 30 } })).json().errors[0]
        .path,
    ).toBe('body.committeeQuorum');
    const ok = await callers.admin!({ method: 'PUT', url: '/api/v1/settings/certification', payload: { committeeQuorum: 5, appealWindowDays: 60 } });
    expect(ok.json()).toEqual({ committeeQuorum: 5, appealWindowDays: 60 });
    // the settings are read by those signed in (the appeal window concerns learners), not by anyone
    expect((await anonymous()({ method: 'GET', url: '/api/v1/settings/certification' })).statusCode).toBe(401);
    expect((await callers.alice!({ method: 'GET', url: '/api/v1/settings/certification' })).json().committeeQuorum).toBe(5);
  });
});
