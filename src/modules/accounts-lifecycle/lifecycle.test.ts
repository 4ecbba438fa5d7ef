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
