// Issue 22, item 8: a registrar invites a learner enrolled without a sign-in; the learner redeems the
// single-use code on the public activation page and is signed in on their own account.
import { sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureAccountMail, type AccountMail } from '../accounts-lifecycle/mail.js';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import { newCode, normalizeCode } from './service.js';

const PASSWORD = 'a lantern by the river';
const rowsOf = <T>(res: unknown) => (res as { rows: T[] }).rows;

describe('activation codes', () => {
  it('are three groups of four unambiguous characters, read back whatever the case and spacing', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const code = newCode();
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
      seen.add(code);
      expect(normalizeCode(` ${code.toLowerCase().replace(/-/g, ' ')} `)).toBe(code.replace(/-/g, ''));
    }
    expect(seen.size).toBe(200);
    expect(normalizeCode('ABCD-EFGH-JKM')).toBeUndefined();
    expect(normalizeCode('ABCD-EFGH-JKM0')).toBeUndefined();
  });
});

describe.each(backends)('invitations to sign in on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let registrarA: ReturnType<typeof as>;
  let registrarB: ReturnType<typeof as>;
  let reviewerA: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  const mails: AccountMail[] = [];
  let stop: () => void;
  const anon = (opts: InjectOptions) => app.inject(opts);
  const activate = (payload: Record<string, unknown>) => anon({ method: 'POST', url: '/api/v1/auth/activate', payload });
  let seq = 0;
  /** Enrols a learner at A without a sign-in, as a registrar does by the drawer or an import. */
  const enrol = async (over: Record<string, unknown> = {}) => {
    seq++;
    const res = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/learners`,
      payload: { fullName: `王${'一二三四五六七八九十'[seq % 10]}${seq}`, externalId: `INV${seq}`, ...over },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; accountNo: string; fullName: string };
  };
  const invite = (learnerId: string, body: Record<string, unknown> = {}, call = registrarA) =>
    call({ method: 'POST', url: `/api/v1/learners/${learnerId}/invitations`, payload: body });

  beforeAll(async () => {
    stop = captureAccountMail((m) => mails.push(m));
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
    registrarB = as(app, { cookie: await signIn(app, 'registrar.b') });
    reviewerA = as(app, { cookie: await signIn(app, 'reviewer.a') });
    admin = as(app, { cookie: await signIn(app, 'admin') });
  });
  afterAll(async () => {
    stop?.();
    await app?.close();
    await database?.drop();
  });

  it('invites a learner, who activates the code, is signed in on their account and can sign in again', async () => {
    const learner = await enrol();
    const list = await registrarA({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners?q=${learner.accountNo}` });
    expect(list.json().items[0]).toMatchObject({ id: learner.id, hasSignIn: false });
    const before = await registrarA({ method: 'GET', url: `/api/v1/learners/${learner.id}/invitation` });
    expect(before.json()).toEqual({ hasSignIn: false, email: null, pending: null });

    const res = await invite(learner.id);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.institution).toMatchObject({ id: fx.a.id, nameEn: 'University A' });
    expect(body.activationUrl).toMatch(/\/activate$/);
    expect(body.invitation).toMatchObject({ learnerId: learner.id, accountNo: learner.accountNo, mailedTo: null });
    const code = body.invitation.code as string;
    expect(code).toMatch(/^\w{4}-\w{4}-\w{4}$/);
    const days = (Date.parse(body.invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    // only the hash is stored
    const stored = rowsOf<{ code_hash: string }>(await database.db.execute(sql`select code_hash from learner_invitations where learner_id = ${learner.id}`));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.code_hash).not.toContain(code.replace(/-/g, ''));
    const status = (await registrarA({ method: 'GET', url: `/api/v1/learners/${learner.id}/invitation` })).json();
    expect(status.pending).toMatchObject({ institutionId: fx.a.id, expired: false, mailedTo: null });

    const done = await activate({ code: code.toLowerCase(), username: 'wang.learner', password: PASSWORD, locale: 'en' });
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json().user).toMatchObject({ username: 'wang.learner', learnerId: learner.id, roles: [{ role: 'learner', institutionId: null }] });
    const cookie = `cb_session=${done.cookies.find((c) => c.name === 'cb_session')!.value}`;
    const account = await as(app, { cookie })({ method: 'GET', url: '/api/v1/me/account' });
    expect(account.statusCode, account.body).toBe(200);
    expect(account.body).toContain(learner.accountNo);
    expect(await signIn(app, 'wang.learner', PASSWORD)).toMatch(/^cb_session=/);

    const after = (await registrarA({ method: 'GET', url: `/api/v1/learners/${learner.id}/invitation` })).json();
    expect(after).toMatchObject({ hasSignIn: true, pending: null });
    const listed = await registrarA({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners?q=${learner.accountNo}` });
    expect(listed.json().items[0].hasSignIn).toBe(true);
    const audit = rowsOf<{ action: string; actor_user_id: string | null }>(
      await database.db.execute(sql`select action, actor_user_id from audit_events where entity_id = ${learner.id} and action like 'learner.%' order by at`),
    );
    expect(audit.map((a) => a.action)).toEqual(['learner.create', 'learner.invited', 'learner.activated']);

    // twice: the code is spent, and the learner now has a sign-in
    const again = await activate({ code, username: 'wang.again', password: PASSWORD });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('invitation_invalid');
    const reinvite = await invite(learner.id);
    expect(reinvite.statusCode).toBe(409);
    expect(reinvite.json().code).toBe('learner_has_sign_in');
  });

  it('answers an unknown, a replaced, a spent and an expired code alike, and keeps the code on a refused username or password', async () => {
    const learner = await enrol();
    const first = (await invite(learner.id)).json().invitation.code as string;
    const second = (await invite(learner.id)).json().invitation.code as string;
    expect(second).not.toBe(first);
    const refusals = [
      await activate({ code: first, username: 'replaced.one', password: PASSWORD }),
      await activate({ code: 'AAAA-BBBB-CCCC', username: 'unknown.one', password: PASSWORD }),
      await activate({ code: 'not a code at all', username: 'garbage.one', password: PASSWORD }),
    ];
    for (const r of refusals) {
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toMatchObject({ code: 'invitation_invalid', errors: [{ path: 'body.code' }] });
    }
    expect(new Set(refusals.map((r) => r.json().detail)).size).toBe(1);

    // a taken username and a weak password: refused with the field named, the code still works
    const taken = await activate({ code: second, username: 'alice', password: PASSWORD });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'code_taken', errors: [{ path: 'body.username' }] });
    const weak = await activate({ code: second, username: 'fresh.name', password: 'password123' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].path).toBe('body.password');
    const short = await activate({ code: second, username: 'fresh.name', password: 'short' });
    expect(short.statusCode).toBe(400);

    // expired
    await database.db.execute(
      sql`update learner_invitations set expires_at = now() - interval '1 minute' where learner_id = ${learner.id} and used_at is null and replaced_at is null`,
    );
    const expired = await activate({ code: second, username: 'fresh.name', password: PASSWORD });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().code).toBe('invitation_invalid');
    expect(expired.json().detail).toBe(refusals[0]!.json().detail);
    const status = (await registrarA({ method: 'GET', url: `/api/v1/learners/${learner.id}/invitation` })).json();
    expect(status.pending.expired).toBe(true);
    // a new invitation works again
    const third = (await invite(learner.id)).json().invitation.code as string;
    expect((await activate({ code: third, username: 'fresh.name', password: PASSWORD })).statusCode).toBe(201);
  });

  it('lets exactly one of two parallel activations with one code win', async () => {
    const learner = await enrol();
    const code = (await invite(learner.id)).json().invitation.code as string;
    const results = await Promise.all([
      activate({ code, username: 'racer.one', password: PASSWORD }),
      activate({ code, username: 'racer.two', password: PASSWORD }),
    ]);
    // the loser hears that the code is spent, or, if the winner committed between its two reads,
    // that the learner can sign in already
    expect(
      results.filter((r) => r.statusCode === 201),
      results.map((r) => r.body).join('\n'),
    ).toHaveLength(1);
    const loser = results.find((r) => r.statusCode !== 201)!;
    expect([`400 invitation_invalid`, `409 learner_has_sign_in`]).toContain(`${loser.statusCode} ${loser.json().code}`);
    const users = rowsOf<{ username: string }>(await database.db.execute(sql`select username from users where username like 'racer.%'`));
    expect(users).toHaveLength(1);
    const used = rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from learner_invitations where learner_id = ${learner.id} and used_at is not null`),
    );
    expect(used[0]!.n).toBe(1);
  });

  it('mails the invitation when asked and the learner has an address; the address becomes the sign-in’s, verified', async () => {
    const learner = await enrol({ email: 'mei@example.org' });
    const noMail = await enrol();
    const refused = await invite(noMail.id, { sendMail: true });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].path).toBe('body.sendMail');
    const res = await invite(learner.id, { sendMail: true });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json().invitation.code as string;
    expect(res.json().invitation.mailedTo).toBe('mei@example.org');
    const mail = [...mails].reverse().find((m) => m.to === 'mei@example.org')!;
    expect(mail.kind).toBe('invitation');
    expect(mail.text).toContain(code);
    expect(mail.text).toContain(learner.accountNo);
    expect(new URL(mail.link!).searchParams.get('code')).toBe(code);
    expect((await activate({ code, username: 'mei.mailed', password: PASSWORD })).statusCode).toBe(201);
    const [user] = rowsOf<{ email: string; verified: boolean }>(
      await database.db.execute(sql`select email, email_verified_at is not null as verified from users where username = 'mei.mailed'`),
    );
    expect(user).toEqual({ email: 'mei@example.org', verified: true });
  });

  it('refuses other institutions, other roles, and learners who can sign in already', async () => {
    const learner = await enrol();
    // the other institution's registrar is told the learner does not exist; so are reviewers, learners and the anonymous caller is asked to sign in
    expect((await invite(learner.id, {}, registrarB)).statusCode).toBe(404);
    expect((await registrarB({ method: 'GET', url: `/api/v1/learners/${learner.id}/invitation` })).statusCode).toBe(404);
    expect((await invite(learner.id, {}, reviewerA)).statusCode).toBe(404);
    const alice = as(app, { cookie: await signIn(app, 'alice') });
    expect((await invite(learner.id, {}, alice)).statusCode).toBe(404);
    expect((await anon({ method: 'POST', url: `/api/v1/learners/${learner.id}/invitations`, payload: {} })).statusCode).toBe(401);
    const bulkB = await registrarB({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/invitations`, payload: { allWithoutSignIn: true } });
    expect(bulkB.statusCode).toBe(403);
    // a registrar of B cannot name A as the inviting institution either
    expect((await invite(learner.id, { institutionId: fx.b.id })).statusCode).toBe(400);
    // Alice signs in already
    const has = await invite(fx.alice.id);
    expect(has.statusCode).toBe(409);
    expect(has.json().code).toBe('learner_has_sign_in');
    // an administrator may invite
    expect((await invite(learner.id, {}, admin)).statusCode).toBe(201);
    // bad input
    expect((await invite('not-a-uuid')).statusCode).toBe(400);
    expect((await invite(learner.id, { sendMail: 'yes' })).statusCode).toBe(400);
    const noCode = await activate({ username: 'x.y.z', password: PASSWORD });
    expect(noCode.statusCode).toBe(400);
    expect(JSON.stringify(noCode.json().errors)).toContain('code');
    const badName = await activate({ code: 'AAAA-BBBB-CCCC', username: 'no spaces please', password: PASSWORD });
    expect(badName.statusCode).toBe(400);
    expect(JSON.stringify(badName.json().errors)).toContain('username');
  });

  it('prints codes for many learners at once, skipping those who can sign in or are not enrolled here', async () => {
    const one = await enrol();
    const two = await enrol();
    const bulk = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/invitations`,
      payload: { learnerIds: [one.id, two.id, fx.alice.id, fx.bob.id] },
    });
    expect(bulk.statusCode, bulk.body).toBe(201);
    const body = bulk.json();
    expect(body.items.map((i: { learnerId: string }) => i.learnerId).sort()).toEqual([one.id, two.id].sort());
    expect(new Set(body.items.map((i: { code: string }) => i.code)).size).toBe(2);
    expect(body.skipped).toEqual(
      expect.arrayContaining([
        { learnerId: fx.alice.id, reason: 'has_sign_in' },
        { learnerId: fx.bob.id, reason: 'not_enrolled' },
      ]),
    );
    // every learner without a sign-in; the earlier codes are replaced
    const all = await registrarA({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/invitations`, payload: { allWithoutSignIn: true } });
    expect(all.statusCode, all.body).toBe(201);
    const ids = all.json().items.map((i: { learnerId: string }) => i.learnerId);
    expect(ids).toEqual(expect.arrayContaining([one.id, two.id]));
    expect(ids).not.toContain(fx.alice.id);
    const old = body.items.find((i: { learnerId: string }) => i.learnerId === one.id).code;
    expect((await activate({ code: old, username: 'bulk.old', password: PASSWORD })).statusCode).toBe(400);
    const fresh = all.json().items.find((i: { learnerId: string }) => i.learnerId === one.id).code;
    expect((await activate({ code: fresh, username: 'bulk.new', password: PASSWORD })).statusCode).toBe(201);
    // bad input: neither or both
    for (const payload of [{}, { learnerIds: [one.id], allWithoutSignIn: true }, { learnerIds: [] }, { learnerIds: ['nope'] }]) {
      const r = await registrarA({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/invitations`, payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().errors[0].path).toMatch(/learnerIds|allWithoutSignIn/);
    }
  });
});
