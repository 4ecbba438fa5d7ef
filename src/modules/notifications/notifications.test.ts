// Issue 20, notifications: each event puts an inbox item (and an outbox e-mail, as each user prefers)
// in the same transaction, for the right people only; messages are rendered in the reader's language;
// preferences (in-app, e-mail, daily digest, off) are honoured.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../core/identity.js';
import type { App } from '../../http/types.js';
import { recordCourseResult } from '../outcomes/service.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, PASSWORD, signIn, type Alliance } from '../../test/fixture.js';
import { createFramework } from '../certification/standards.js';
import { awardApplied, awardDecided, transferApplied, transferDecided } from './events.js';
import { digestCutoff, queueDigests } from './sender.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
function multipart(filename: string, content: Buffer) {
  const boundary = '----cbtest' + Math.random().toString(16).slice(2);
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
const rowsOf = <T>(res: unknown) => (res as { rows: T[] }).rows;
const residentId = (birth: string, seq: string) => {
  const first17 = `110105${birth.replace(/-/g, '')}${seq}`;
  return `${first17}${residentIdCheckChar(first17)}`;
};

const USERS = ['admin', 'committee', 'registrar.a', 'registrar.b', 'reviewer.a', 'reviewer.b', 'alice', 'bob'] as const;
type Who = (typeof USERS)[number];

describe.each(backends)('notifications on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  const callers = {} as Record<Who | 'han', ReturnType<typeof as>>;
  let n = 0;

  const inbox = async (who: Who | 'han', lang = 'zh-CN') =>
    (await callers[who]({ method: 'GET', url: '/api/v1/me/notifications?limit=100', headers: { 'accept-language': lang } })).json() as {
      items: { id: string; kind: string; title: string; body: string; link: string | null; readAt: string | null }[];
      unread: number;
    };
  /** The outbox e-mails to a user's address, by kind. */
  const mails = async (who: string) =>
    rowsOf<{ kind: string; status: string }>(
      await database.db.execute(sql`select kind, status from mail_outbox where to_address = ${`${who}@example.test`} order by created_at`),
    );
  /** What each user received since the last call: kinds per user, nobody else. */
  const snapshot = async () => {
    const rows = rowsOf<{ username: string; kind: string }>(
      await database.db.execute(sql`select u.username, n.kind from notifications n join users u on u.id = n.user_id order by n.created_at`),
    );
    const out: Record<string, string[]> = {};
    rows.slice(n).forEach((r) => (out[r.username] ??= []).push(r.kind));
    n = rows.length;
    return out;
  };
  const certApplication = async (who: 'alice' | 'bob', certificateNo: string) => {
    const created = await callers[who]({
      method: 'POST',
      url: '/api/v1/me/certifications',
      payload: { standardCode: 'WEB-M', certificateNo, issuedOn: '2025-06-01' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const m = multipart('cert.pdf', PDF);
    expect(
      (await callers[who]({ method: 'POST', url: `/api/v1/certifications/${id}/evidence?label=${encodeURIComponent('证书扫描件 Certificate scan')}`, ...m }))
        .statusCode,
    ).toBe(201);
    return id;
  };
  const act = (who: Who, id: string, action: string, body: Record<string, unknown> = {}) =>
    callers[who]({ method: 'POST', url: `/api/v1/certifications/${id}/${action}`, payload: body });
  const setPref = (who: Who, kind: string, channel: string) =>
    callers[who]({ method: 'PUT', url: '/api/v1/me/notification-preferences', payload: { kinds: [{ kind, channel }] } });

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    await database.db.execute(sql`update users set email = username || '@example.test', email_verified_at = now()`);
    for (const who of USERS) callers[who] = as(app, { cookie: await signIn(app, who) });
    const frameworkId = (
      await createFramework(database.db, fx.admin, {
        code: 'EQF',
        nameZh: '欧洲资历框架',
        nameEn: 'European Qualifications Framework',
        levels: [5].map((l) => ({ level: l, nameZh: `${l}级`, nameEn: `Level ${l}`, descriptorZh: '', descriptorEn: '', eqfLevel: l })),
      })
    ).id;
    const draft = await callers['registrar.a']({
      method: 'POST',
      url: '/api/v1/standards',
      payload: {
        code: 'WEB-M',
        outcomeKind: 'vocational_certificate',
        issuingBody: '工业和信息化部教育与考试中心',
        nameZh: 'Web 前端开发职业技能等级证书（中级）',
        nameEn: 'Web Front-end Development, intermediate',
        frameworkId,
        level: 5,
        iscedCode: '0613',
        credits: '4',
        institutionId: fx.a.id,
        validityMonths: 36,
        evidence: ['证书扫描件 Certificate scan'],
        effectiveFrom: '2020-01-01',
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    expect((await callers.committee({ method: 'POST', url: `/api/v1/standards/${draft.json().id}/approve` })).statusCode).toBe(200);
    await snapshot();
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('tells the reviewers of the institution when an application arrives, and the learner when it is decided', async () => {
    const id = await certApplication('alice', 'WEB-2025-0001');
    expect(await snapshot()).toEqual({}); // a draft is nobody's work yet
    expect((await act('alice', id, 'submit')).statusCode).toBe(200);
    // the reviewer of A only: not B's reviewer or registrar, not the committee, not the learner
    expect(await snapshot()).toEqual({ 'reviewer.a': ['queue.certification'] });
    expect((await callers['reviewer.a']({ method: 'GET', url: '/api/v1/me/notifications/unread-count' })).json()).toEqual({ unread: 1 });
    expect((await callers['reviewer.b']({ method: 'GET', url: '/api/v1/me/notifications/unread-count' })).json()).toEqual({ unread: 0 });
    const queued = await inbox('reviewer.a');
    expect(queued.items[0]).toMatchObject({ kind: 'queue.certification', link: `/certifications/${id}`, readAt: null });
    expect(queued.items[0]!.title).toContain('学习成果认定申请');
    expect((await inbox('reviewer.a', 'en')).items[0]!.title).toContain('A certification application awaits review');
    expect(await mails('reviewer.a')).toEqual([{ kind: 'queue.certification', status: 'pending' }]);
    expect(await mails('reviewer.b')).toEqual([]);

    expect((await act('reviewer.a', id, 'approve')).statusCode).toBe(200);
    expect(await snapshot()).toEqual({ alice: ['decision.certification'] });
    const decided = (await inbox('alice', 'en')).items[0]!;
    expect(decided.title).toBe('Your certification application was approved: Web 前端开发职业技能等级证书（中级）');
    expect(decided.body).toContain('granting 4.00 credits');
    expect(await mails('alice')).toEqual([{ kind: 'decision.certification', status: 'pending' }]);

    // rejected: the reason and how to appeal, by when
    const second = await certApplication('bob', 'WEB-2025-0002');
    await act('bob', second, 'submit');
    await snapshot();
    expect((await act('reviewer.a', second, 'reject', { reason: '证书编号无法核验 the number could not be checked' })).statusCode).toBe(200);
    expect(await snapshot()).toEqual({ bob: ['decision.certification'] });
    const rejected = (await inbox('bob')).items[0]!;
    expect(rejected.body).toContain('证书编号无法核验');
    expect(rejected.body).toMatch(/可在 \d{4}-\d{2}-\d{2} 之前在申请页面点击“申诉”/);
    // the appeal goes to the committee's queue
    expect((await act('bob', second, 'appeal', { reason: '编号可在官网查询 it can be checked online' })).statusCode).toBe(200);
    expect(await snapshot()).toEqual({ committee: ['queue.certification'] });
  });

  it('marks read one or all, for its owner only', async () => {
    const mine = await inbox('alice');
    expect(mine.unread).toBeGreaterThan(0);
    const other = await callers.bob({ method: 'POST', url: '/api/v1/me/notifications/read', payload: { ids: [mine.items[0]!.id] } });
    expect(other.json().changed).toBe(0);
    const one = await callers.alice({ method: 'POST', url: '/api/v1/me/notifications/read', payload: { ids: [mine.items[0]!.id] } });
    expect(one.json()).toMatchObject({ changed: 1 });
    expect((await inbox('alice')).items[0]!.readAt).not.toBeNull();
    const all = await callers.alice({ method: 'POST', url: '/api/v1/me/notifications/read', payload: { all: true } });
    expect(all.json().unread).toBe(0);
    expect((await as(app)({ method: 'GET', url: '/api/v1/me/notifications' })).statusCode).toBe(401);
  });

  it('honours each user’s choice per kind: off, in-app only, e-mail, daily digest', async () => {
    const before = (await mails('reviewer.a')).length;
    const prefs = (await callers['reviewer.a']({ method: 'GET', url: '/api/v1/me/notification-preferences' })).json();
    expect(prefs.email).toBe('reviewer.a@example.test');
    expect(prefs.kinds).toContainEqual({ kind: 'queue.certification', audience: 'staff', default: 'email', channel: 'email' });
    expect((await setPref('reviewer.a', 'no.such.kind', 'off')).statusCode).toBe(400);
    expect((await setPref('reviewer.a', 'queue.certification', 'loud')).statusCode).toBe(400);

    expect((await setPref('reviewer.a', 'queue.certification', 'off')).statusCode).toBe(200);
    await act('alice', await certApplication('alice', 'WEB-2025-0003'), 'submit');
    expect(await snapshot()).toEqual({});

    await setPref('reviewer.a', 'queue.certification', 'inbox');
    const inboxOnly = await certApplication('alice', 'WEB-2025-0004');
    await act('alice', inboxOnly, 'submit');
    expect(await snapshot()).toEqual({ 'reviewer.a': ['queue.certification'] });
    expect((await mails('reviewer.a')).length).toBe(before);

    await setPref('reviewer.a', 'queue.certification', 'digest');
    await act('alice', await certApplication('alice', 'WEB-2025-0005'), 'submit');
    await act('reviewer.a', inboxOnly, 'request_info', { reason: '请上传清晰的扫描件' });
    expect(await snapshot()).toEqual({ 'reviewer.a': ['queue.certification'], alice: ['decision.certification'] });
    await act('alice', inboxOnly, 'resubmit');
    expect(await snapshot()).toEqual({ 'reviewer.a': ['queue.certification'] });
    expect((await mails('reviewer.a')).length).toBe(before); // waiting for the digest
    // the digest hour has not come for what was made after it; once it has, one e-mail, once
    expect(await queueDigests(database.db, new Date(Date.now() - 3_600_000))).toBe(0);
    expect(await queueDigests(database.db, new Date(Date.now() + 1_000))).toBe(1);
    expect(await queueDigests(database.db, new Date(Date.now() + 1_000))).toBe(0);
    expect((await mails('reviewer.a')).slice(before)).toEqual([{ kind: 'digest', status: 'pending' }]);
    const [digest] = rowsOf<{ params: { items: unknown[] } }>(await database.db.execute(sql`select params from mail_outbox where kind = 'digest'`));
    expect(digest!.params.items).toHaveLength(2);

    // the language of e-mails is the user's choice
    const en = await callers['reviewer.a']({ method: 'PUT', url: '/api/v1/me/notification-preferences', payload: { language: 'en' } });
    expect(en.json().language).toBe('en');
    expect((await inbox('reviewer.a', '')).items).toBeDefined();
  });

  it('puts evaluation tasks in the receiving institution’s queue', async () => {
    const res = await callers.alice({
      method: 'POST',
      url: '/api/v1/evaluation-tasks',
      payload: { sourceCourseId: fx.courseA[0]!.id, targetInstitutionId: fx.b.id },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    expect(await snapshot()).toEqual({ 'registrar.b': ['queue.evaluation'], 'reviewer.b': ['queue.evaluation'] });
    expect((await inbox('reviewer.b', 'en')).items[0]!.body).toContain('CS101');
    // asked again while it waits: no second task, no second notification
    await callers.alice({ method: 'POST', url: '/api/v1/evaluation-tasks', payload: { sourceCourseId: fx.courseA[0]!.id, targetInstitutionId: fx.b.id } });
    expect(await snapshot()).toEqual({});
  });

  it('asks the learner on record when another institution enrols them, and tells the administrators', async () => {
    const birth = '2003-08-09';
    const real = residentId(birth, '411');
    const made = await callers['registrar.a']({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/learners`,
      payload: {
        fullName: '韩梅梅',
        birthDate: birth,
        idType: 'resident_id',
        idNumber: real,
        externalId: 'A-HAN',
        email: 'han@example.test',
        login: { username: 'han', password: PASSWORD },
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    callers.han = as(app, { cookie: await signIn(app, 'han') });
    await snapshot();
    const held = await callers['registrar.b']({
      method: 'POST',
      url: `/api/v1/institutions/${fx.b.id}/learners`,
      payload: { fullName: '韩美美', birthDate: birth, idType: 'resident_id', idNumber: real, externalId: 'B-H1' },
    });
    expect(held.statusCode, held.body).toBe(202);
    expect(await snapshot()).toEqual({ han: ['enrolment.request'], admin: ['queue.identity'] });
    const asked = (await inbox('han')).items[0]!;
    expect(asked.title).toBe('乙职业学院请求为您注册');
    expect(asked.body).toContain('B-H1');
    expect((await inbox('han', 'en')).items[0]!.title).toBe('College B asks to enrol you');
  });

  it('tells the learner of a credential issued and revoked, with the reason', async () => {
    const passed = (
      await recordCourseResult(database.db, fx.admin, fx.a.id, {
        externalId: 'A001',
        courseCode: 'CS101',
        term: '2023-2024-1',
        attempt: 1,
        grade: '88',
        completedOn: '2024-01-15',
      })
    ).id;
    await snapshot();
    const issued = await callers.alice({ method: 'POST', url: '/api/v1/me/credentials', payload: { kind: 'outcome', id: passed } });
    expect(issued.statusCode, issued.body).toBe(201);
    expect(await snapshot()).toEqual({ alice: ['credential.issued'] });
    const revoked = await callers['registrar.a']({
      method: 'POST',
      url: `/api/v1/credentials/${issued.json().id}/revoke`,
      payload: { reason: 'grade entered for the wrong learner' },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(await snapshot()).toEqual({ alice: ['credential.revoked'] });
    expect((await inbox('alice', 'en')).items[0]!.body).toContain('grade entered for the wrong learner');
  });

  it('tells whoever started an import that it finished', async () => {
    const res = await callers['registrar.a']({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/imports/courses/rows`,
      payload: { rows: [{ code: 'PH101', titleZh: '物理', titleEn: 'Physics', credits: '3', hours: '48', iscedCode: '0533' }] },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    expect(await snapshot()).toEqual({ 'registrar.a': ['import.finished'] });
    expect((await inbox('registrar.a', 'en')).items[0]!.title).toBe('The courses import finished');
  });

  it('puts transfers and awards in the registrar’s queue and tells the learner the decision', async () => {
    await database.db.transaction(async (tx) => {
      await transferApplied(tx, { id: '00000000-0000-0000-0000-000000000001', targetInstitutionId: fx.b.id, lines: 2 });
      await transferDecided(tx, {
        id: '00000000-0000-0000-0000-000000000001',
        learnerId: fx.alice.id,
        institutionId: fx.b.id,
        lines: [
          { course: 'CS101', decision: 'accept', reason: null },
          { course: 'MA101', decision: 'reject', reason: '学时不足 too few hours' },
        ],
      });
      const p = { code: 'SE-BA', titleZh: '软件工程', titleEn: 'Software Engineering', institutionId: fx.a.id };
      await awardApplied(tx, p);
      await awardDecided(tx, fx.bob.id, p, 'rejected', '缺少毕业设计 no thesis');
    });
    expect(await snapshot()).toEqual({
      'registrar.b': ['queue.transfer'],
      alice: ['decision.transfer'],
      'registrar.a': ['queue.award'],
      bob: ['decision.award'],
    });
    const transfer = (await inbox('alice', 'en')).items[0]!;
    expect(transfer.title).toBe('College B decided your credit transfer application');
    expect(transfer.body).toContain('1 course(s) recognised, 1 not');
    expect(transfer.body).toContain('MA101: 学时不足 too few hours');
    expect(transfer.body).toContain('ask the registrar of College B for a review');
    expect((await inbox('bob')).items[0]!.body).toContain('缺少毕业设计');
  });

  it('forgets an erased learner’s inbox and e-mails, address and all', async () => {
    const count = async () =>
      rowsOf<{ n: number; m: number }>(
        await database.db
          .execute(sql`select (select count(*)::int from notifications n join learners l on l.user_id = n.user_id where l.id = ${fx.bob.id}) as n,
                                             (select count(*)::int from mail_outbox where to_address = 'bob@example.test') as m`),
      )[0]!;
    expect((await count()).n).toBeGreaterThan(0);
    const erased = await callers.admin({ method: 'POST', url: `/api/v1/learners/${fx.bob.id}/erase`, payload: { reason: 'the learner asked (PIPL art. 47)' } });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(await count()).toEqual({ n: 0, m: 0 });
  });

  it('has a digest cutoff at the digest hour of the bank’s time zone', () => {
    // 08:00 in UTC+8 is 00:00 UTC
    expect(digestCutoff(new Date('2026-03-02T03:00:00Z'), 8, '+08:00').toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(digestCutoff(new Date('2026-03-01T23:00:00Z'), 8, '+08:00').toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });
});
