// Accounts that live for years (issue 20): self sign-up of learners with e-mail verification, link
// requests to institutions, password change and reset, a TOTP second factor for staff, and the
// administrators' switches (disable, re-enable, force a reset).
//
// Sign-up and the identity document (issue 17). The document a person types at sign-up is checked
// (core/identity.ts) but never written to a learner's record and never compared with the records:
// it is kept as a claim beside the new, empty account. So sign-up answers the same for a document on
// record and a fresh one (it cannot be used to learn whether someone is in the bank), and a stranger
// who types someone else's number gains nothing: the records an institution holds join the account
// only when a registrar of that institution, who knows their student, accepts the learner's link
// request. The same answer is given when the username is taken: the mail says so instead.
import { randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { checkIdDocument, isSameIdDocument, maskId, sameName, type IdType } from '../../core/identity.js';
import type { Db, Executor } from '../../db/connection.js';
import { AppError, conflict, forbidden, invalid, notFound, unauthorized } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, requireSignedIn, type Principal } from '../auth/principal.js';
import { ADMIN_ONLY, authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { hashPassword, insertUserWithGrants, startSession } from '../auth/service.js';
import { findEnrolledLearner, moveSignInToRecord, openSelfSignedAccount } from '../learners/service.js';
import { getInstitution, institutionSummaries } from '../institutions/service.js';
import { sendAccountMail } from './mail.js';
import { passwordProblem } from './policy.js';
import * as store from './store.js';
import { issueSecondFactorChallenge, issueToken, sha256 } from './tokens.js';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.js';

export { issueSecondFactorChallenge };

export interface LifecycleSettings {
  /** Where the bank is reached from outside: the links in the mails. */
  publicUrl: string;
  /** How long an e-mail verification link works. */
  verifyEmailHours: number;
  /** How long a password reset link works. */
  resetMinutes: number;
}

const checkPassword = (path: string, password: string, context: string[]) => {
  const problem = passwordProblem(password, context);
  if (problem) throw invalid(path, problem);
};

// ---------------------------------------------------------------- sign-up and verification

export interface SignUp {
  username: string;
  password: string;
  fullName: string;
  birthDate: string;
  email: string;
  idType: IdType;
  idNumber: string;
  idCountry?: string | null;
  idTypeName?: string | null;
  locale?: 'zh-CN' | 'en';
}

/**
 * A learner signs up. Bad input is refused with the field named; otherwise the answer is always the
 * same ("check your e-mail"), whether the username was free (a verification link is mailed) or taken
 * (a mail says so), and whatever the identity document (see the top of this file).
 */
export async function signUp(db: Db, settings: LifecycleSettings, body: SignUp): Promise<{ status: 'check_email' }> {
  checkPassword('body.password', body.password, [body.username, body.fullName, body.email.split('@')[0]!]);
  const id = checkIdDocument({ type: body.idType, number: body.idNumber, country: body.idCountry, typeName: body.idTypeName });
  if (!id.ok) throw invalid(`body.${id.field}`, id.reason);
  if (id.birthDate && id.birthDate !== body.birthDate) {
    throw invalid(
      'body.idNumber',
      `号码中的出生日期（${id.birthDate}）与所填出生日期（${body.birthDate}）不符 / the birth date in the ID number (${id.birthDate}) differs from the date of birth given (${body.birthDate})`,
    );
  }
  if (body.birthDate > new Date().toISOString().slice(0, 10)) throw invalid('body.birthDate', '不能晚于今天 / must not be in the future');
  // hashed before anything is looked up: a taken name takes as long as a free one
  const passwordHash = await hashPassword(body.password);
  await db.transaction(async (tx) => {
    let user;
    try {
      user = await tx.transaction(async (inner) => {
        const u = await insertUserWithGrants(
          inner,
          {
            username: body.username,
            password: body.password,
            displayName: body.fullName,
            locale: body.locale,
            grants: [{ role: 'learner', institutionId: null }],
          },
          passwordHash,
        );
        await store.updateUser(inner, u.id, { email: body.email });
        return u;
      });
    } catch (err) {
      const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
      if (!(err instanceof AppError && err.kind === 'conflict') && code !== '23505') throw err;
      await sendAccountMail(tx, {
        kind: 'username_taken',
        to: body.email,
        subject: '学分银行注册 / Credit bank sign-up',
        text: `用户名 ${body.username} 已被使用，您的账户未创建。请换一个用户名重新注册；如果这是您的账户，请使用“忘记密码”。\n\nThe username ${body.username} is taken, so no account was opened. Sign up again with another username; if it is your account, use "Forgot password".`,
      });
      await recordAudit(tx, [
        {
          actorUserId: null,
          actorTokenId: null,
          institutionId: null,
          action: 'account.signup_name_taken',
          entityType: 'user',
          entityId: body.username.toLowerCase(),
        },
      ]);
      return;
    }
    const { learner, account } = await openSelfSignedAccount(tx, { userId: user.id, fullName: body.fullName, birthDate: body.birthDate, email: body.email });
    await store.insertClaim(tx, {
      learnerId: learner.id,
      idType: id.value.type,
      idNumber: id.value.number,
      idCountry: id.value.country,
      idTypeName: id.value.typeName,
    });
    const { token } = await issueToken(tx, user.id, 'verify_email', settings.verifyEmailHours * 60);
    const link = `${settings.publicUrl}/verify-email?token=${token}`;
    await sendAccountMail(tx, {
      kind: 'verify_email',
      to: body.email,
      link,
      subject: '请验证您的邮箱 / Verify your e-mail address',
      text: `${body.fullName}，您好：\n\n请在 ${settings.verifyEmailHours} 小时内打开以下链接，验证邮箱并启用学分银行账户（账号 ${account.accountNo}）：\n${link}\n\nHello ${body.fullName},\n\nopen this link within ${settings.verifyEmailHours} hours to verify your e-mail address and start using your credit bank account (${account.accountNo}):\n${link}\n\n如果您没有注册，请忽略本邮件。/ If you did not sign up, ignore this mail.`,
    });
    await recordAudit(tx, [
      {
        actorUserId: user.id,
        actorTokenId: null,
        institutionId: null,
        action: 'account.signup',
        entityType: 'user',
        entityId: user.id,
        details: { learnerId: learner.id },
      },
    ]);
  });
  return { status: 'check_email' };
}

const badLink = () => invalid('body.token', '链接无效、已使用或已过期 / the link is not valid, was used already or has expired');

/** The link in the verification mail was followed: the e-mail address is verified (once). */
export async function verifyEmail(db: Db, token: string) {
  return db.transaction(async (tx) => {
    const userId = await store.consumeToken(tx, sha256(token), 'verify_email');
    if (!userId) throw badLink();
    await store.updateUser(tx, userId, { emailVerifiedAt: new Date() });
    await recordAudit(tx, [
      { actorUserId: userId, actorTokenId: null, institutionId: null, action: 'account.email_verified', entityType: 'user', entityId: userId },
    ]);
    return { verified: true as const };
  });
}

// ---------------------------------------------------------------- passwords

/** Mails a reset link to the account(s) of a username or e-mail address; answers the same whether there is one or not. */
export async function requestPasswordReset(db: Db, settings: LifecycleSettings, login: string) {
  await db.transaction(async (tx) => {
    for (const user of await store.usersByLogin(tx, login)) if (user.email) await mailResetLink(tx, settings, user);
  });
  return { status: 'check_email' as const };
}

async function mailResetLink(tx: Executor, settings: LifecycleSettings, user: { id: string; username: string; displayName: string; email: string | null }) {
  const { token } = await issueToken(tx, user.id, 'reset_password', settings.resetMinutes);
  const link = `${settings.publicUrl}/reset-password?token=${token}`;
  await sendAccountMail(tx, {
    kind: 'reset_password',
    to: user.email!,
    link,
    subject: '重设学分银行密码 / Reset your credit bank password',
    text: `${user.displayName}（${user.username}），您好：\n\n请在 ${settings.resetMinutes} 分钟内打开以下链接设置新密码，链接只能使用一次：\n${link}\n\nHello ${user.displayName} (${user.username}),\n\nopen this link within ${settings.resetMinutes} minutes to choose a new password; it works once:\n${link}\n\n如果您没有要求重设密码，请忽略本邮件，您的密码不会改变。/ If you did not ask for this, ignore this mail: your password stays as it is.`,
  });
  await recordAudit(tx, [
    { actorUserId: null, actorTokenId: null, institutionId: null, action: 'account.reset_mailed', entityType: 'user', entityId: user.id },
  ]);
}

/** A new password by a reset link: every session ends, every other reset link stops working. */
export async function resetPassword(db: Db, token: string, password: string) {
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const userId = await store.consumeToken(tx, sha256(token), 'reset_password');
    if (!userId) throw badLink();
    const user = (await store.findUser(tx, userId))!;
    checkPassword('body.password', password, [user.username, user.displayName]);
    if (user.disabledAt) throw badLink();
    // following the link proves the address: an unverified one is verified by it
    await store.updateUser(tx, userId, { passwordHash: hash, passwordResetRequired: false, emailVerifiedAt: user.emailVerifiedAt ?? new Date() });
    await store.expireTokens(tx, userId, 'reset_password');
    const ended = await store.deleteSessionsExcept(tx, userId, undefined);
    await recordAudit(tx, [
      {
        actorUserId: userId,
        actorTokenId: null,
        institutionId: null,
        action: 'account.password_reset',
        entityType: 'user',
        entityId: userId,
        details: { sessionsEnded: ended },
      },
    ]);
    return { username: user.username };
  });
}

/** The signed-in user changes their password (the current one is asked for); their other sessions end. */
export async function changePassword(db: Db, p: Principal, sessionToken: string | undefined, current: string, next: string) {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') throw forbidden('Only a person has a password');
  const user = (await store.findUser(db, actor.userId))!;
  if (!(await verify(user.passwordHash, current))) throw invalid('body.currentPassword', '当前密码不正确 / the current password is wrong');
  checkPassword('body.newPassword', next, [user.username, user.displayName]);
  if (current === next) throw invalid('body.newPassword', '新密码须与当前密码不同 / must differ from the current password');
  const hash = await hashPassword(next);
  return db.transaction(async (tx) => {
    await store.updateUser(tx, user.id, { passwordHash: hash });
    await store.expireTokens(tx, user.id, 'reset_password');
    const ended = await store.deleteSessionsExcept(tx, user.id, sessionToken ? sha256(sessionToken) : undefined);
    await recordAudit(tx, [
      {
        actorUserId: user.id,
        actorTokenId: null,
        institutionId: null,
        action: 'account.password_changed',
        entityType: 'user',
        entityId: user.id,
        details: { otherSessionsEnded: ended },
      },
    ]);
    return { otherSessionsEnded: ended };
  });
}

// ---------------------------------------------------------------- second factor (TOTP)

const isStaff = (grants: { role: string }[]) => grants.some((g) => g.role !== 'learner');

/** The challenge a sign-in with a correct password gets when the user has a second factor. */
/**
 * The second step of a sign-in: a TOTP code (each accepted once) or an unused recovery code. The
 * challenge is used up by any attempt, right or wrong: a wrong code means signing in again (the
 * password throttle then limits guessing).
 */
export async function completeSecondFactor(db: Db, challenge: string, code: string, ttlHours: number) {
  const wrong = () => unauthorized('验证码不正确或已过期，请重新登录 / the code is wrong or the sign-in has expired: sign in again');
  // a wrong code commits the used-up challenge before it is answered
  const s = await db.transaction(async (tx) => {
    const userId = await store.consumeToken(tx, sha256(challenge), 'mfa_login');
    if (!userId) return undefined;
    const user = (await store.findUser(tx, userId))!;
    if (user.disabledAt || !user.totpSecret || !user.totpEnabledAt) return undefined;
    const clean = code.replace(/[\s-]/g, '');
    let ok = false;
    if (/^\d{6}$/.test(clean)) {
      const step = verifyTotp(user.totpSecret, clean, user.totpLastStep ?? null);
      ok = step !== undefined && (await store.claimTotpStep(tx, user.id, step));
    } else {
      ok = await store.useRecoveryCode(tx, user.id, sha256(clean.toUpperCase()));
      if (ok)
        await recordAudit(tx, [
          { actorUserId: user.id, actorTokenId: null, institutionId: null, action: 'account.recovery_code_used', entityType: 'user', entityId: user.id },
        ]);
    }
    if (!ok) {
      await recordAudit(tx, [
        { actorUserId: null, actorTokenId: null, institutionId: null, action: 'auth.second_factor_failed', entityType: 'user', entityId: user.id },
      ]);
      return undefined;
    }
    return startSession(tx, user.id, ttlHours);
  });
  if (!s) throw wrong();
  return s;
}

/** Starts (or restarts) enrolment of an authenticator: a new secret, shown once as an otpauth URI. */
export async function startTotp(db: Db, p: Principal, issuer = '学分银行 Credit Bank') {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') throw forbidden('Only a person has a second factor');
  if (!isStaff(actor.grants)) throw forbidden('The second factor is for staff accounts');
  const user = (await store.findUser(db, actor.userId))!;
  if (user.totpEnabledAt)
    throw conflict('A second factor is already on: turn it off first to enrol a new authenticator', undefined, { code: 'second_factor_on' });
  const secret = newTotpSecret();
  await store.updateUser(db, user.id, { totpSecret: secret, totpLastStep: null });
  return { secret, otpauthUri: otpauthUri(secret, user.username, issuer) };
}

/** The first code from the authenticator turns the second factor on; ten recovery codes are shown once. */
export async function confirmTotp(db: Db, p: Principal, code: string) {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') throw forbidden('Only a person has a second factor');
  const user = (await store.findUser(db, actor.userId))!;
  if (user.totpEnabledAt) throw conflict('The second factor is already on', undefined, { code: 'second_factor_on' });
  if (!user.totpSecret) throw conflict('Start the enrolment first', undefined, { code: 'second_factor_not_started' });
  const step = verifyTotp(user.totpSecret, code.trim(), null);
  if (step === undefined) throw invalid('body.code', '验证码不正确，请核对手机时间 / the code is wrong: check the time on the phone');
  const codes = Array.from({ length: 10 }, () => {
    const c = randomBytes(5).toString('hex').toUpperCase();
    return `${c.slice(0, 5)}-${c.slice(5)}`;
  });
  await db.transaction(async (tx) => {
    await store.updateUser(tx, user.id, { totpEnabledAt: new Date(), totpLastStep: step });
    await store.replaceRecoveryCodes(
      tx,
      user.id,
      codes.map((c) => sha256(c.replace('-', ''))),
    );
    await recordAudit(tx, [
      { actorUserId: user.id, actorTokenId: null, institutionId: null, action: 'account.totp_enabled', entityType: 'user', entityId: user.id },
    ]);
  });
  return { recoveryCodes: codes };
}

/** Turns the second factor off (the password is asked for), or an administrator does it for someone who lost their phone. */
export async function disableTotp(db: Db, p: Principal, userId: string | undefined, password: string | undefined) {
  const actor = requireSignedIn(p);
  const targetId = userId ?? (actor.kind === 'user' ? actor.userId : undefined);
  if (!targetId) throw forbidden('Only a person has a second factor');
  const self = actor.kind === 'user' && actor.userId === targetId;
  if (!self) authorized(p, 'user.manage', undefined, ADMIN_ONLY);
  const user = await store.findUser(db, targetId);
  if (!user) throw notFound('User', targetId);
  if (self && !(password && (await verify(user.passwordHash, password)))) throw invalid('body.password', '密码不正确 / the password is wrong');
  await db.transaction(async (tx) => {
    await store.updateUser(tx, user.id, { totpSecret: null, totpEnabledAt: null, totpLastStep: null });
    await store.replaceRecoveryCodes(tx, user.id, []);
    await recordAudit(tx, [{ ...actorIds(actor), institutionId: null, action: 'account.totp_disabled', entityType: 'user', entityId: user.id }]);
  });
}

// ---------------------------------------------------------------- the account page

/** What the account page shows about the signed-in user's sign-in. */
export async function accountStatus(db: Db, p: Principal) {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') throw forbidden('An API token is not a person');
  const user = (await store.findUser(db, actor.userId))!;
  const claims = actor.learnerId ? await store.claimsOf(db, actor.learnerId) : [];
  return {
    email: user.email,
    emailVerified: !!user.emailVerifiedAt,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    staff: isStaff(actor.grants),
    totpEnabled: !!user.totpEnabledAt,
    recoveryCodesLeft: user.totpEnabledAt ? await store.unusedRecoveryCodes(db, user.id) : 0,
    // the document declared at sign-up, masked, the same whether or not it is on anyone's record
    identityClaims: claims.map((c) => ({ idType: c.idType, idNumber: maskId(c.idNumber), status: c.status, createdAt: c.createdAt.toISOString() })),
  };
}

// ---------------------------------------------------------------- administrators

export async function listUsers(db: Db, p: Principal, q: string | undefined) {
  authorized(p, 'user.list', undefined, ADMIN_ONLY);
  const rows = await store.listUsers(db, q?.trim() || undefined, 200);
  // every user's roles with their institutions named: two more statements, whatever the number of users
  const grantRows = await store.grantsOfUsers(
    db,
    rows.map((r) => r.id),
  );
  const present = await grantNamer(db, grantRows);
  const grantsOf = (userId: string) => present(grantRows.filter((g) => g.userId === userId));
  return rows.map((r) => ({
    ...r,
    grants: grantsOf(r.id),
    emailVerified: !!r.emailVerifiedAt,
    totpEnabled: !!r.totpEnabledAt,
    disabledAt: r.disabledAt?.toISOString() ?? null,
    lastLoginAt: r.lastLoginAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    emailVerifiedAt: undefined,
    totpEnabledAt: undefined,
  }));
}

/** Disables (every session ends at once; API tokens the user issued stop while disabled) or re-enables a user. */
export async function setDisabled(db: Db, p: Principal, userId: string, disabled: boolean) {
  const actor = authorized(p, 'user.manage', undefined, ADMIN_ONLY);
  if (actor.kind === 'user' && actor.userId === userId) throw conflict('You cannot disable yourself', undefined, { code: 'cannot_disable_self' });
  const user = await store.findUser(db, userId);
  if (!user) throw notFound('User', userId);
  return db.transaction(async (tx) => {
    await store.updateUser(tx, userId, { disabledAt: disabled ? (user.disabledAt ?? new Date()) : null });
    const ended = disabled ? await store.deleteSessionsExcept(tx, userId, undefined) : 0;
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: null,
        action: disabled ? 'user.disable' : 'user.enable',
        entityType: 'user',
        entityId: userId,
        details: { sessionsEnded: ended },
      },
    ]);
    return { id: userId, disabled, sessionsEnded: ended };
  });
}

/** The user must choose a new password: sessions end, the old password no longer signs in, a reset link is mailed if there is an address. */
export async function forcePasswordReset(db: Db, p: Principal, settings: LifecycleSettings, userId: string) {
  const actor = authorized(p, 'user.manage', undefined, ADMIN_ONLY);
  const user = await store.findUser(db, userId);
  if (!user) throw notFound('User', userId);
  return db.transaction(async (tx) => {
    await store.updateUser(tx, userId, { passwordResetRequired: true });
    const ended = await store.deleteSessionsExcept(tx, userId, undefined);
    if (user.email && !user.disabledAt) await mailResetLink(tx, settings, user);
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: null,
        action: 'user.force_password_reset',
        entityType: 'user',
        entityId: userId,
        details: { sessionsEnded: ended, mailed: !!user.email },
      },
    ]);
    return { mailed: !!user.email && !user.disabledAt, sessionsEnded: ended };
  });
}

/** An administrator records a user's e-mail address (staff need one for resets); it counts as verified. */
export async function setEmail(db: Db, p: Principal, userId: string, email: string | null) {
  const actor = authorized(p, 'user.manage', undefined, ADMIN_ONLY);
  if (!(await store.findUser(db, userId))) throw notFound('User', userId);
  await db.transaction(async (tx) => {
    await store.updateUser(tx, userId, { email, emailVerifiedAt: email ? new Date() : null });
    await recordAudit(tx, [{ ...actorIds(actor), institutionId: null, action: 'user.email_set', entityType: 'user', entityId: userId }]);
  });
}

// ---------------------------------------------------------------- creating users, changing roles

/** A new sign-in's address, proven by a code mailed to it (invitations): set as verified, in the caller's transaction. */
export async function setVerifiedEmail(tx: Executor, userId: string, email: string) {
  await store.updateUser(tx, userId, { email, emailVerifiedAt: new Date() });
}

export type GrantRole = 'learner' | 'registrar' | 'reviewer' | 'committee' | 'admin';
export type StaffRole = Exclude<GrantRole, 'learner'>;
type Grant<R extends GrantRole = GrantRole> = { role: R; institutionId: string | null };

const scopedRole = (role: GrantRole) => role === 'registrar' || role === 'reviewer';

/**
 * Checks grants: a registrar or reviewer role names an existing institution, the others none; the
 * same grant twice counts once. Problems name the grant (`body.grants.1.institutionId`).
 */
async function checkedGrants<R extends GrantRole>(db: Executor, grants: Grant<R>[]): Promise<Grant<R>[]> {
  grants.forEach((g, i) => {
    if (scopedRole(g.role) && !g.institutionId) throw invalid(`body.grants.${i}.institutionId`, `the ${g.role} role needs the institution it is held at`);
    if (!scopedRole(g.role) && g.institutionId) throw invalid(`body.grants.${i}.institutionId`, `the ${g.role} role is not tied to an institution`);
  });
  const known = await institutionSummaries(
    db,
    grants.flatMap((g) => (g.institutionId ? [g.institutionId] : [])),
  );
  grants.forEach((g, i) => {
    if (g.institutionId && !known.has(g.institutionId)) throw invalid(`body.grants.${i}.institutionId`, `there is no institution ${g.institutionId}`);
  });
  const seen = new Map<string, Grant<R>>();
  for (const g of grants) seen.set(`${g.role}:${g.institutionId ?? ''}`, { role: g.role, institutionId: g.institutionId });
  return [...seen.values()];
}

/** A function that presents grants with their institutions' codes and names (as GET /auth/me shows roles), for grants among `all`. */
async function grantNamer(db: Executor, all: Grant[]) {
  const names = await institutionSummaries(
    db,
    all.flatMap((g) => (g.institutionId ? [g.institutionId] : [])),
  );
  return (grants: Grant[]) =>
    grants
      .map((g) => {
        const inst = g.institutionId ? names.get(g.institutionId) : undefined;
        return {
          role: g.role,
          institutionId: g.institutionId,
          institutionCode: inst?.code ?? null,
          institutionNameZh: inst?.nameZh ?? null,
          institutionNameEn: inst?.nameEn ?? null,
        };
      })
      .sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || (a.institutionCode ?? '').localeCompare(b.institutionCode ?? ''));
}
const namedGrants = async (db: Executor, grants: Grant[]) => (await grantNamer(db, grants))(grants);
const ROLE_ORDER: GrantRole[] = ['admin', 'committee', 'registrar', 'reviewer', 'learner'];

export interface NewUserByAdmin {
  username: string;
  /** When absent, the user chooses their first password by a link mailed to `email`. */
  password?: string;
  displayName: string;
  email?: string | null;
  locale?: 'zh-CN' | 'en';
  grants: Grant[];
}

/**
 * An administrator creates a sign-in. The first password is never chosen for someone who has an
 * address: without a password, a single-use link is mailed (as a forced reset does), valid as long
 * as an e-mail verification link, and the sign-in must choose a password before it can be used.
 * The address an administrator records counts as verified (as PUT /users/{id}/email does).
 */
export async function createUserByAdmin(db: Db, p: Principal, settings: LifecycleSettings, body: NewUserByAdmin) {
  const actor = authorized(p, 'user.create', undefined, ADMIN_ONLY);
  const email = body.email?.trim() || null;
  if (!body.password && !email)
    throw invalid('body.email', 'an e-mail address is needed to mail the link for choosing the first password (or give a password)');
  const grants = await checkedGrants(db, body.grants);
  const password = body.password ?? randomBytes(32).toString('base64url');
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const row = await insertUserWithGrants(tx, { username: body.username, password, displayName: body.displayName, locale: body.locale, grants }, passwordHash);
    if (email) await store.updateUser(tx, row.id, { email, emailVerifiedAt: new Date(), passwordResetRequired: !body.password });
    const firstPassword = body.password ? ('set' as const) : ('mailed' as const);
    if (!body.password) await mailFirstPasswordLink(tx, settings, { ...row, email });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: null,
        action: 'user.create',
        entityType: 'user',
        entityId: row.id,
        details: { username: row.username, grants, email, firstPassword },
      },
    ]);
    return { id: row.id, username: row.username, displayName: row.displayName, email, grants: await namedGrants(tx, grants), firstPassword };
  });
}

async function mailFirstPasswordLink(
  tx: Executor,
  settings: LifecycleSettings,
  user: { id: string; username: string; displayName: string; email: string | null },
) {
  const minutes = Math.max(settings.resetMinutes, settings.verifyEmailHours * 60);
  const { token } = await issueToken(tx, user.id, 'reset_password', minutes);
  const link = `${settings.publicUrl}/reset-password?token=${token}`;
  const hours = Math.round(minutes / 60);
  await sendAccountMail(tx, {
    kind: 'reset_password',
    to: user.email!,
    link,
    subject: '欢迎使用学分银行：请设置密码 / Welcome to the credit bank: choose your password',
    text: `${user.displayName}，您好：\n\n管理员为您开通了学分银行账户，用户名为 ${user.username}。请在 ${hours} 小时内打开以下链接设置密码，链接只能使用一次：\n${link}\n\nHello ${user.displayName},\n\nan administrator opened a credit bank sign-in for you; your username is ${user.username}. Open this link within ${hours} hours to choose your password; it works once:\n${link}\n\n链接过期后，可在登录页使用“忘记密码”。/ If the link has expired, use "Forgot password" on the sign-in page.`,
  });
  await recordAudit(tx, [
    { actorUserId: null, actorTokenId: null, institutionId: null, action: 'account.reset_mailed', entityType: 'user', entityId: user.id },
  ]);
}

/**
 * An administrator sets a user's staff roles (registrar and reviewer at an institution, committee,
 * administrator); the learner role, which comes with a learning account, is kept as it is. Nothing
 * else ends: sessions read their grants at each request, so the change counts from the next one.
 * The last active administrator keeps the role. Setting the roles a user already has changes nothing.
 */
export async function setStaffRoles(db: Db, p: Principal, userId: string, wanted: Grant<StaffRole>[]) {
  const actor = authorized(p, 'user.setRoles', undefined, ADMIN_ONLY);
  const grants = await checkedGrants(db, wanted);
  return db.transaction(async (tx) => {
    if (!(await store.lockUser(tx, userId))) throw notFound('User', userId);
    const current = await store.grantsOf(tx, userId);
    const before = current.filter((g) => g.role !== 'learner');
    const key = (g: Grant) => `${g.role}:${g.institutionId ?? ''}`;
    const same = before.length === grants.length && before.every((g) => grants.some((w) => key(w) === key(g)));
    if (before.some((g) => g.role === 'admin') && !grants.some((g) => g.role === 'admin')) {
      const admins = await store.activeAdminsForUpdate(tx);
      if (!admins.some((id) => id !== userId))
        throw conflict('This is the last active administrator: give another user the administrator role first', 'body.grants', { code: 'last_admin' });
    }
    if (!same) {
      await store.replaceStaffGrants(tx, userId, grants);
      await recordAudit(tx, [
        { ...actorIds(actor), institutionId: null, action: 'user.roles_set', entityType: 'user', entityId: userId, details: { before, after: grants } },
      ]);
    }
    const learner = current.filter((g) => g.role === 'learner');
    return { id: userId, changed: !same, grants: await namedGrants(tx, [...grants, ...learner]) };
  });
}

// ---------------------------------------------------------------- link requests

function ownLearner(p: Principal) {
  const actor = requireSignedIn(p);
  if (actor.kind === 'user' && actor.learnerId) return { actor, learnerId: actor.learnerId };
  throw forbidden('Only a learner asks an institution to link their records');
}

/** The learner asks an institution to link the records it holds under a student number to this account. */
export async function createLinkRequest(db: Db, p: Principal, body: { institutionId: string; externalId: string; note?: string | null }) {
  const { actor, learnerId } = ownLearner(p);
  await getInstitution(db, body.institutionId);
  if (await store.openLinkRequest(db, learnerId, body.institutionId))
    throw conflict('You already asked this institution; wait for its answer or withdraw the request', 'body.institutionId', { code: 'request_open' });
  return db.transaction(async (tx) => {
    const row = await store.insertLinkRequest(tx, { learnerId, institutionId: body.institutionId, externalId: body.externalId, note: body.note ?? null });
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: body.institutionId, action: 'link_request.create', entityType: 'link_request', entityId: row.id },
    ]);
    return present(row);
  });
}

const present = (r: Awaited<ReturnType<typeof store.linkRequestById>> & object) => ({
  id: r.id,
  institutionId: r.institutionId,
  externalId: r.externalId,
  note: r.note,
  status: r.status,
  decisionNote: r.decisionNote,
  decidedAt: r.decidedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

export async function myLinkRequests(db: Db, p: Principal) {
  const { learnerId } = ownLearner(p);
  const rows = await store.linkRequestsOfLearner(db, learnerId);
  return rows.map((r) => ({ ...present(r.request), institution: r.institution }));
}

export async function withdrawLinkRequest(db: Db, p: Principal, id: string) {
  const { actor, learnerId } = ownLearner(p);
  const row = await store.linkRequestById(db, id);
  if (!row || row.learnerId !== learnerId) throw notFound('Link request', id);
  const done = await store.decideLinkRequest(db, id, { status: 'withdrawn', decidedBy: actor.userId, decisionNote: null });
  if (!done) throw conflict(`This request was already answered (${row.status})`, undefined, { code: 'already_decided', state: row.status });
  return present(done);
}

/**
 * What a registrar sees of the requests to their institution: who asks (name, birth date, e-mail as
 * they gave them) and whether that fits the record under the student number they named. The
 * registrar learns nothing of other institutions.
 */
export async function institutionLinkRequests(db: Db, p: Principal, institutionId: string) {
  authorized(p, 'linkRequest.list', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  const rows = await store.linkRequestsOfInstitution(db, institutionId);
  return Promise.all(
    rows.map(async ({ request, learner }) => {
      const enrolledId = request.status === 'open' ? await findEnrolledLearner(db, institutionId, { externalId: request.externalId }) : undefined;
      const record = enrolledId ? await store.learnerRow(db, enrolledId) : undefined;
      const [claim] = await store.claimsOf(db, request.learnerId);
      return {
        ...present(request),
        fullName: learner.fullName,
        birthDate: learner.birthDate,
        email: learner.email,
        claimedIdType: claim?.idType ?? null,
        claimedIdNumber: claim ? maskId(claim.idNumber) : null,
        check: record
          ? {
              found: true,
              nameMatches: sameName(record.fullName, learner.fullName),
              birthDateMatches: record.birthDate !== null && record.birthDate === learner.birthDate,
              idDocumentMatches: claim
                ? isSameIdDocument(record, { type: claim.idType, number: claim.idNumber, country: claim.idCountry, typeName: claim.idTypeName })
                : false,
            }
          : { found: request.status === 'open' ? false : null, nameMatches: null, birthDateMatches: null, idDocumentMatches: null },
      };
    }),
  );
}

/**
 * A registrar answers: accepted, the sign-in moves to the learner the institution has on record
 * under that student number (their results, postings and credentials come with it; the empty
 * account of the sign-up is closed); rejected, with a note the learner reads.
 */
export async function decideLinkRequest(db: Db, p: Principal, id: string, decision: 'accept' | 'reject', note: string | null) {
  const row = await store.linkRequestById(db, id);
  if (!row) throw notFound('Link request', id);
  const actor = authorized(p, 'linkRequest.decide', { institutionIds: [row.institutionId] }, REGISTRAR_ONLY);
  if (row.status !== 'open') throw conflict(`This request was already answered (${row.status})`, undefined, { code: 'already_decided', state: row.status });
  return db.transaction(async (tx) => {
    if (decision === 'accept') {
      const recordId = await findEnrolledLearner(tx, row.institutionId, { externalId: row.externalId });
      if (!recordId) throw conflict(`本机构没有学号 ${row.externalId} 的学习者 / no learner is enrolled here under student number ${row.externalId}`);
      if (recordId !== row.learnerId) {
        const why = await moveSignInToRecord(tx, row.learnerId, recordId);
        if (why === 'has_sign_in')
          throw conflict('该学习者已有登录账户，请拒绝并告知其使用原账户 / that learner already has a sign-in: reject, and tell them to use it');
        if (why === 'holds_records')
          throw conflict(
            '申请人的账户已有其他记录，须由学分银行管理员合并 / the applicant’s account already holds records: the bank administrator must merge them',
          );
        // the requests and the declared document follow the sign-in
        const record = (await store.learnerRow(tx, recordId))!;
        const claims = await store.claimsOf(tx, row.learnerId);
        await store.moveLearnerRows(tx, row.learnerId, recordId);
        const proven = claims.some(
          (c) => c.status === 'open' && isSameIdDocument(record, { type: c.idType, number: c.idNumber, country: c.idCountry, typeName: c.idTypeName }),
        );
        await store.closeClaims(tx, recordId, proven ? 'confirmed' : 'closed');
      }
    }
    const done = await store.decideLinkRequest(tx, id, {
      status: decision === 'accept' ? 'accepted' : 'rejected',
      decidedBy: actor.kind === 'user' ? actor.userId : null,
      decisionNote: note,
    });
    if (!done) throw conflict('This request was answered meanwhile', undefined, { code: 'already_decided' });
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: row.institutionId, action: `link_request.${decision}`, entityType: 'link_request', entityId: id, details: { note } },
    ]);
    return present(done);
  });
}
