// Issue 20, accounts that live for years: self sign-up with e-mail verification (no ID-number
// oracle), password change and reset by single-use links, a TOTP second factor for staff, and the
// administrators' switches. Mails are read through the module's seam (captureAccountMail).
import { sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../core/identity.js';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, PASSWORD, signIn, type Alliance } from '../../test/fixture.js';
import { captureAccountMail, type AccountMail } from './mail.js';
import { totpAt } from './totp.js';

const residentId = (birth: string, seq: string) => {
  const first17 = `110105${birth.replace(/-/g, '')}${seq}`;
  return `${first17}${residentIdCheckChar(first17)}`;
};
const rowsOf = <T>(res: unknown) => (res as { rows: T[] }).rows;
const tokenOf = (mail: AccountMail) => new URL(mail.link!).searchParams.get('token')!;
const cookieOf = (res: { cookies: { name: string; value: string }[] }) => `cb_session=${res.cookies.find((c) => c.name === 'cb_session')!.value}`;
const NEW_PASSWORD = 'a river runs through it';

describe.each(backends)('accounts that live for years on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let admin: ReturnType<typeof as>;
  let registrarA: ReturnType<typeof as>;
  const mails: AccountMail[] = [];
  let stop: () => void;
  const anon = (opts: InjectOptions) => app.inject(opts);
  const mailsTo = (to: string) => mails.filter((m) => m.to === to);
  const login = (username: string, password: string) => anon({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const birth = '1995-03-14';
  const signup = (over: Record<string, unknown> = {}) =>
    anon({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: {
        username: 'wei.lin',
        password: 'lifelong learning ahead',
        fullName: '林薇',
        birthDate: birth,
        email: 'wei@example.org',
        idType: 'resident_id',
        idNumber: residentId(birth, '123'),
        ...over,
      },
    });

  beforeAll(async () => {
    stop = captureAccountMail((m) => mails.push(m));
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    admin = as(app, { cookie: await signIn(app, 'admin') });
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
  });
  afterAll(async () => {
    stop();
    await app.close();
    await database.close();
  });

  it('refuses bad sign-up input, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ password: 'short' }, 'body.password'],
      [{ password: 'Password2024!' }, 'body.password'],
      [{ password: '1234567890' }, 'body.password'],
      [{ password: 'x'.repeat(201) }, 'body.password'],
      [{ idNumber: residentId(birth, '123').slice(0, 17) + (residentId(birth, '123').endsWith('1') ? '2' : '1') }, 'body.idNumber'],
      [{ birthDate: '1996-03-14' }, 'body.idNumber'],
      [{ email: 'not-an-address' }, 'body.email'],
      [{ username: 'a b' }, 'body.username'],
      [{ idType: 'passport', idNumber: 'E12345678' }, 'body.idCountry'],
    ];
    for (const [over, field] of cases) {
      const res = await signup({ username: 'bad.input', ...over });
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(JSON.stringify(res.json()), JSON.stringify(over)).toContain(field);
    }
    expect(mails.length).toBe(0);
  });

  it('answers the same for a document on record and a fresh one, and never writes it to a record', async () => {
    // alice's document is on record at A
    const aliceDoc = residentId('2002-05-01', '555');
    await database.db.execute(sql`update learners set id_type = 'resident_id', id_number = ${aliceDoc} where id = ${fx.alice.id}`);
    const onRecord = await signup({ username: 'not.alice', email: 'mallory@example.org', fullName: '张爱丽', birthDate: '2002-05-01', idNumber: aliceDoc });
    const fresh = await signup();
    for (const res of [onRecord, fresh]) {
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toEqual({ status: 'check_email' });
    }
    expect(Object.keys(onRecord.headers).sort()).toEqual(Object.keys(fresh.headers).sort());
    // both got the same kind of mail; no learner record carries a document typed at sign-up
    expect(mailsTo('mallory@example.org').map((m) => m.kind)).toEqual(['verify_email']);
    expect(mailsTo('wei@example.org').map((m) => m.kind)).toEqual(['verify_email']);
    const withDoc = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from learners where id_number = ${aliceDoc}`))[0]!.n;
    expect(withDoc).toBe(1);
    const weiDoc = rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from learners where id_number = ${residentId(birth, '123')}`),
    )[0]!.n;
    expect(weiDoc).toBe(0);
  });

  it('a taken username answers the same and says so only in the mail', async () => {
    const res = await signup({ username: 'ALICE', email: 'someone@example.org' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'check_email' });
    expect(mailsTo('someone@example.org').map((m) => m.kind)).toEqual(['username_taken']);
  });

  it('signs in only after the e-mail is verified, by a link that works once', async () => {
    const refused = await login('wei.lin', 'lifelong learning ahead');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('email_not_verified');
    // the wrong password does not say so
    expect((await login('wei.lin', 'wrong password here')).statusCode).toBe(401);
    const token = tokenOf(mailsTo('wei@example.org')[0]!);
    expect((await anon({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token: 'x'.repeat(43) } })).statusCode).toBe(400);
    const ok = await anon({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
    expect(ok.statusCode, ok.body).toBe(200);
    const replay = await anon({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
    expect(replay.statusCode).toBe(400);
    expect(JSON.stringify(replay.json())).toContain('body.token');
    const signedIn = await login('wei.lin', 'lifelong learning ahead');
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(signedIn.json().user.learnerId).toBeTruthy();
    const status = await as(app, { cookie: cookieOf(signedIn) })({ method: 'GET', url: '/api/v1/me/sign-in' });
    expect(status.json()).toMatchObject({ email: 'wei@example.org', emailVerified: true, staff: false, totpEnabled: false });
    expect(status.json().identityClaims[0].idNumber).toMatch(/^\d{3}\*+\w{4}$/);
  });

  it('resets a password by a single-use, short-lived link, with the same answer for unknown accounts', async () => {
    const before = mails.length;
    const unknown = await anon({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: 'nobody-here' } });
    const known = await anon({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: 'wei@example.org' } });
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(mails.length).toBe(before + 1);
    const session = cookieOf(await login('wei.lin', 'lifelong learning ahead'));
    const token = tokenOf(mails.at(-1)!);
    // a common password is refused and the link still works after that
    const weak = await anon({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token, password: 'qwertyuiop' } });
    expect(weak.statusCode).toBe(400);
    expect(JSON.stringify(weak.json())).toContain('body.password');
    const done = await anon({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token, password: NEW_PASSWORD } });
    expect(done.statusCode, done.body).toBe(200);
    expect((await anon({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token, password: 'another long phrase' } })).statusCode).toBe(
      400,
    );
    // every session ended; the old password no longer works, the new one does
    expect((await as(app, { cookie: session })({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await login('wei.lin', 'lifelong learning ahead')).statusCode).toBe(401);
    expect((await login('wei.lin', NEW_PASSWORD)).statusCode).toBe(200);
    // an expired link is refused
    await anon({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: 'wei.lin' } });
    const late = tokenOf(mails.at(-1)!);
    await database.db.execute(sql`update account_tokens set expires_at = now() - interval '1 second' where purpose = 'reset_password' and used_at is null`);
    expect(
      (await anon({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token: late, password: 'another long phrase' } })).statusCode,
    ).toBe(400);
  });

  it('changes a password with the current one; the other sessions end', async () => {
    const here = cookieOf(await login('wei.lin', NEW_PASSWORD));
    const there = cookieOf(await login('wei.lin', NEW_PASSWORD));
    const me = as(app, { cookie: here });
    const wrong = await me({ method: 'POST', url: '/api/v1/me/password', payload: { currentPassword: 'not the password', newPassword: 'a brand new phrase' } });
    expect(wrong.statusCode).toBe(400);
    expect(JSON.stringify(wrong.json())).toContain('body.currentPassword');
    const common = await me({ method: 'POST', url: '/api/v1/me/password', payload: { currentPassword: NEW_PASSWORD, newPassword: 'iloveyou1234' } });
    expect(JSON.stringify(common.json())).toContain('body.newPassword');
    const ok = await me({ method: 'POST', url: '/api/v1/me/password', payload: { currentPassword: NEW_PASSWORD, newPassword: 'a brand new phrase' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().otherSessionsEnded).toBeGreaterThanOrEqual(1);
    expect((await me({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    expect((await as(app, { cookie: there })({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });

  it('asks staff with a second factor for a code; codes and recovery codes work once', async () => {
    const learner = as(app, { cookie: await signIn(app, 'alice') });
    expect((await learner({ method: 'POST', url: '/api/v1/me/totp' })).statusCode).toBe(403);
    const reviewer = as(app, { cookie: await signIn(app, 'reviewer.a') });
    const start = await reviewer({ method: 'POST', url: '/api/v1/me/totp' });
    expect(start.statusCode, start.body).toBe(200);
    const { secret, otpauthUri } = start.json();
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(
      (await reviewer({ method: 'POST', url: '/api/v1/me/totp/confirm', payload: { code: '000000' === totpAt(secret) ? '111111' : '000000' } })).statusCode,
    ).toBe(400);
    const confirmed = await reviewer({ method: 'POST', url: '/api/v1/me/totp/confirm', payload: { code: totpAt(secret) } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const codes: string[] = confirmed.json().recoveryCodes;
    expect(codes).toHaveLength(10);

    const step1 = await login('reviewer.a', PASSWORD);
    expect(step1.statusCode).toBe(200);
    expect(step1.cookies.find((c) => c.name === 'cb_session')).toBeUndefined();
    const { challenge } = step1.json().secondFactor;
    // the code used to confirm was for this step: it is not accepted again
    const replayed = await anon({ method: 'POST', url: '/api/v1/auth/login/second-factor', payload: { challenge, code: totpAt(secret) } });
    expect(replayed.statusCode).toBe(401);
    // the challenge is used up by that attempt
    const again = await anon({ method: 'POST', url: '/api/v1/auth/login/second-factor', payload: { challenge, code: codes[0] } });
    expect(again.statusCode).toBe(401);
    const fresh = (await login('reviewer.a', PASSWORD)).json().secondFactor.challenge;
    const byRecovery = await anon({ method: 'POST', url: '/api/v1/auth/login/second-factor', payload: { challenge: fresh, code: codes[0] } });
    expect(byRecovery.statusCode, byRecovery.body).toBe(200);
    expect(byRecovery.json().user.username).toBe('reviewer.a');
    const fresh2 = (await login('reviewer.a', PASSWORD)).json().secondFactor.challenge;
    expect((await anon({ method: 'POST', url: '/api/v1/auth/login/second-factor', payload: { challenge: fresh2, code: codes[0] } })).statusCode).toBe(401);
    // an administrator turns it off (a lost phone)
    const reviewerId = (await admin({ method: 'GET', url: '/api/v1/users?q=reviewer.a' })).json().items[0].id;
    expect((await admin({ method: 'DELETE', url: `/api/v1/users/${reviewerId}/totp` })).statusCode).toBe(204);
    expect((await login('reviewer.a', PASSWORD)).json().user.username).toBe('reviewer.a');
  });

  it('an administrator disables a user: sessions and API tokens stop at once; re-enabled, they sign in again', async () => {
    const tokenRes = await registrarA({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/api-tokens`, payload: { name: 'sis' } });
    const apiToken = tokenRes.json().token as string;
    const system = as(app, { token: apiToken });
    expect((await system({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners` })).statusCode).toBe(200);
    const list = await admin({ method: 'GET', url: '/api/v1/users?q=registrar.a' });
    const row = list.json().items[0];
    expect(row.lastLoginAt).toBeTruthy();
    expect((await registrarA({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(403);
    const off = await admin({ method: 'POST', url: `/api/v1/users/${row.id}/disable` });
    expect(off.statusCode, off.body).toBe(200);
    expect((await registrarA({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await system({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners` })).statusCode).toBe(401);
    expect((await login('registrar.a', PASSWORD)).statusCode).toBe(401);
    expect((await admin({ method: 'POST', url: `/api/v1/users/${row.id}/enable` })).statusCode).toBe(200);
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
    expect((await system({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/learners` })).statusCode).toBe(200);
  });

  it('an administrator forces a password reset: the old password stops, a link is mailed', async () => {
    const bobId = (await admin({ method: 'GET', url: '/api/v1/users?q=bob' })).json().items[0].id;
    expect((await admin({ method: 'PUT', url: `/api/v1/users/${bobId}/email`, payload: { email: 'bob@example.org' } })).statusCode).toBe(204);
    const bob = as(app, { cookie: await signIn(app, 'bob') });
    const forced = await admin({ method: 'POST', url: `/api/v1/users/${bobId}/force-password-reset` });
    expect(forced.json()).toMatchObject({ mailed: true });
    expect((await bob({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    const refused = await login('bob', PASSWORD);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('password_reset_required');
    const link = mailsTo('bob@example.org').at(-1)!;
    expect(link.kind).toBe('reset_password');
    expect(
      (await anon({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token: tokenOf(link), password: 'bobs new long phrase' } }))
        .statusCode,
    ).toBe(200);
    expect((await login('bob', 'bobs new long phrase')).statusCode).toBe(200);
  });

  it('a signed-up learner asks an institution to link their records; the registrar accepts', async () => {
    // A has a learner without a sign-in under student number A-077
    const made = await registrarA({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/learners`,
      payload: { fullName: '林薇', birthDate: birth, externalId: 'A-077', idType: 'resident_id', idNumber: residentId(birth, '123') },
    });
    expect(made.statusCode, made.body).toBe(201);
    const wei = as(app, { cookie: await signIn(app, 'wei.lin', 'a brand new phrase') });
    const asked = await wei({ method: 'POST', url: '/api/v1/me/link-requests', payload: { institutionId: fx.a.id, externalId: 'A-077' } });
    expect(asked.statusCode, asked.body).toBe(201);
    expect((await wei({ method: 'POST', url: '/api/v1/me/link-requests', payload: { institutionId: fx.a.id, externalId: 'A-077' } })).statusCode).toBe(409);
    const seen = await registrarA({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/link-requests` });
    expect(seen.json().items[0]).toMatchObject({
      externalId: 'A-077',
      fullName: '林薇',
      check: { found: true, nameMatches: true, birthDateMatches: true, idDocumentMatches: true },
    });
    const registrarB = as(app, { cookie: await signIn(app, 'registrar.b') });
    expect((await registrarB({ method: 'POST', url: `/api/v1/link-requests/${asked.json().id}/decision`, payload: { decision: 'accept' } })).statusCode).toBe(
      403,
    );
    const accepted = await registrarA({ method: 'POST', url: `/api/v1/link-requests/${asked.json().id}/decision`, payload: { decision: 'accept' } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const me = await wei({ method: 'GET', url: '/api/v1/auth/me' });
    expect(me.json().learnerId).toBe(made.json().id);
    expect((await wei({ method: 'GET', url: '/api/v1/me/link-requests' })).json().items[0].status).toBe('accepted');
  });
});

// Issue 22, item 8: administration without holes. An administrator creates staff sign-ins (the first
// password by a mailed link) and changes their roles; the last administrator keeps the role.
describe.each(backends)('administrators create users and set their roles on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let admin: ReturnType<typeof as>;
  let registrarA: ReturnType<typeof as>;
  const mails: AccountMail[] = [];
  let stop: () => void;
  const anon = (opts: InjectOptions) => app.inject(opts);
  const userId = async (q: string) =>
    ((await admin({ method: 'GET', url: `/api/v1/users?q=${q}` })).json().items as { id: string; username: string }[]).find((u) => u.username === q)!.id;
  const setRoles = (caller: ReturnType<typeof as>, id: string, grants: unknown) =>
    caller({ method: 'PUT', url: `/api/v1/users/${id}/roles`, payload: { grants } });
  const newUser = (over: Record<string, unknown> = {}) => ({
    username: 'zhou.registrar',
    displayName: '周教务',
    email: 'zhou@example.org',
    grants: [{ role: 'registrar', institutionId: fx.a.id }],
    ...over,
  });

  beforeAll(async () => {
    stop = captureAccountMail((m) => mails.push(m));
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    admin = as(app, { cookie: await signIn(app, 'admin') });
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
  });
  afterAll(async () => {
    stop();
    await app.close();
    await database.close();
  });

  it('creates a registrar whose first password is chosen by a mailed link; only administrators may', async () => {
    expect((await anon({ method: 'POST', url: '/api/v1/users', payload: newUser() })).statusCode).toBe(401);
    expect((await registrarA({ method: 'POST', url: '/api/v1/users', payload: newUser() })).statusCode).toBe(403);
    const made = await admin({ method: 'POST', url: '/api/v1/users', payload: newUser() });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({
      username: 'zhou.registrar',
      email: 'zhou@example.org',
      firstPassword: 'mailed',
      grants: [{ role: 'registrar', institutionId: fx.a.id, institutionCode: 'UNIA', institutionNameZh: '甲大学', institutionNameEn: 'University A' }],
    });
    // twice: the username is taken
    const again = await admin({ method: 'POST', url: '/api/v1/users', payload: newUser() });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'code_taken', errors: [{ path: 'body.username' }] });
    // the list names each role's institution
    const row = (await admin({ method: 'GET', url: '/api/v1/users?q=zhou' })).json().items[0];
    expect(row).toMatchObject({ passwordResetRequired: true, emailVerified: true, grants: [{ role: 'registrar', institutionNameEn: 'University A' }] });
    // the link sets the first password; then the registrar signs in
    const mail = mails.filter((m) => m.to === 'zhou@example.org').at(-1)!;
    expect(mail.kind).toBe('reset_password');
    expect(mail.text).toContain('zhou.registrar');
    const chosen = await anon({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token: tokenOf(mail), password: NEW_PASSWORD } });
    expect(chosen.statusCode, chosen.body).toBe(200);
    const signedIn = await anon({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'zhou.registrar', password: NEW_PASSWORD } });
    expect(signedIn.json().user.roles).toMatchObject([{ role: 'registrar', institutionCode: 'UNIA' }]);
    // with a password given, nothing is mailed
    const before = mails.length;
    const withPassword = await admin({
      method: 'POST',
      url: '/api/v1/users',
      payload: newUser({ username: 'qian.committee', email: undefined, password: 'long-enough-pw', grants: [{ role: 'committee', institutionId: null }] }),
    });
    expect(withPassword.json()).toMatchObject({ firstPassword: 'set', email: null });
    expect(mails.length).toBe(before);
  });

  it('refuses bad new users, naming the field', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ grants: [{ role: 'registrar', institutionId: null }] }, 400, 'body.grants.0.institutionId'],
      [{ grants: [{ role: 'committee', institutionId: fx.a.id }] }, 400, 'body.grants.0.institutionId'],
      [
        {
          grants: [
            { role: 'admin', institutionId: null },
            { role: 'reviewer', institutionId: '00000000-0000-4000-8000-000000000001' },
          ],
        },
        400,
        'body.grants.1.institutionId',
      ],
      [{ grants: [] }, 400, 'body.grants'],
      [{ grants: [{ role: 'dean', institutionId: null }] }, 400, 'body.grants.0.role'],
      [{ email: 'not-an-address' }, 400, 'body.email'],
      [{ email: null }, 400, 'body.email'],
      [{ username: 'a b' }, 400, 'body.username'],
      [{ password: 'short' }, 400, 'body.password'],
    ];
    for (const [over, status, field] of cases) {
      const res = await admin({ method: 'POST', url: '/api/v1/users', payload: newUser({ username: 'bad.user', ...over }) });
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      expect(
        res.json().errors.map((e: { path: string }) => e.path),
        JSON.stringify(over),
      ).toContain(field);
    }
    expect((await admin({ method: 'GET', url: '/api/v1/users?q=bad.user' })).json().items).toEqual([]);
  });

  it('changes roles: audited, the session goes on and sees them at its next request', async () => {
    const id = await userId('registrar.a');
    const grants = [
      { role: 'registrar', institutionId: fx.a.id },
      { role: 'reviewer', institutionId: fx.a.id },
    ];
    expect((await registrarA({ method: 'PUT', url: `/api/v1/users/${id}/roles`, payload: { grants } })).statusCode).toBe(403);
    const reviewerB = as(app, { cookie: await signIn(app, 'reviewer.b') });
    expect((await setRoles(reviewerB, id, grants)).statusCode).toBe(403);
    const set = await setRoles(admin, id, grants);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ changed: true, grants: [{ role: 'registrar' }, { role: 'reviewer', institutionNameZh: '甲大学' }] });
    // the same session, no new sign-in
    const me = (await registrarA({ method: 'GET', url: '/api/v1/auth/me' })).json();
    expect(me.roles.map((r: { role: string }) => r.role).sort()).toEqual(['registrar', 'reviewer']);
    // twice: nothing changes, nothing more is audited
    const again = await setRoles(admin, id, [...grants, grants[0]]);
    expect(again.json()).toMatchObject({ changed: false });
    const audits = await database.db.execute(sql`select action, details from audit_events where entity_id = ${id} and action = 'user.roles_set'`);
    expect(rowsOf(audits).length).toBe(1);
    // the registrar role taken away: the session lives on, without what it allowed
    expect((await setRoles(admin, id, [{ role: 'reviewer', institutionId: fx.a.id }])).statusCode).toBe(200);
    expect((await registrarA({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    expect((await registrarA({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/api-tokens` })).statusCode).toBe(403);
    // a learner keeps the learner role whatever the staff roles
    const alice = await userId('alice');
    const aliceRoles = await setRoles(admin, alice, [{ role: 'committee', institutionId: null }]);
    expect(aliceRoles.json().grants.map((g: { role: string }) => g.role)).toEqual(['committee', 'learner']);
    expect((await setRoles(admin, alice, [])).json().grants.map((g: { role: string }) => g.role)).toEqual(['learner']);
  });

  it('refuses bad role changes: scope, unknown institution, unknown user, the learner role', async () => {
    const id = await userId('reviewer.a');
    const cases: [unknown, string][] = [
      [[{ role: 'reviewer', institutionId: null }], 'body.grants.0.institutionId'],
      [[{ role: 'admin', institutionId: fx.b.id }], 'body.grants.0.institutionId'],
      [[{ role: 'reviewer', institutionId: '00000000-0000-4000-8000-000000000001' }], 'body.grants.0.institutionId'],
      [[{ role: 'learner', institutionId: null }], 'body.grants.0.role'],
      [[{ role: 'reviewer', institutionId: 'not-a-uuid' }], 'body.grants.0.institutionId'],
    ];
    for (const [grants, field] of cases) {
      const res = await setRoles(admin, id, grants);
      expect(res.statusCode, JSON.stringify(grants)).toBe(400);
      expect(
        res.json().errors.map((e: { path: string }) => e.path),
        JSON.stringify(grants),
      ).toContain(field);
    }
    expect((await admin({ method: 'PUT', url: `/api/v1/users/${id}/roles`, payload: {} })).statusCode).toBe(400);
    expect((await setRoles(admin, '00000000-0000-4000-8000-000000000002', [])).statusCode).toBe(404);
    expect((await setRoles(admin, 'nope', [])).statusCode).toBe(400);
  });

  it('never takes the administrator role from the last active administrator', async () => {
    const adminId = await userId('admin');
    const refused = await setRoles(admin, adminId, [{ role: 'committee', institutionId: null }]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('last_admin');
    expect((await admin({ method: 'GET', url: '/api/v1/auth/me' })).json().roles.map((r: { role: string }) => r.role)).toEqual(['admin']);
    // a second administrator, disabled, does not count
    const committeeId = await userId('committee');
    expect((await setRoles(admin, committeeId, [{ role: 'admin', institutionId: null }])).statusCode).toBe(200);
    expect((await admin({ method: 'POST', url: `/api/v1/users/${committeeId}/disable` })).statusCode).toBe(200);
    expect((await setRoles(admin, adminId, [])).json().code).toBe('last_admin');
    // enabled, it does: the first administrator may step down (and the change is theirs to make)
    expect((await admin({ method: 'POST', url: `/api/v1/users/${committeeId}/enable` })).statusCode).toBe(200);
    const down = await setRoles(admin, adminId, [{ role: 'committee', institutionId: null }]);
    expect(down.statusCode, down.body).toBe(200);
    expect((await admin({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(403);
    const second = as(app, { cookie: await signIn(app, 'committee') });
    const last = await setRoles(second, committeeId, []);
    expect(last.statusCode).toBe(409);
    expect(last.json().code).toBe('last_admin');
  });
});
