// Invitations to sign in (issue 22): a registrar hands a learner enrolled without a sign-in (by file
// import or the "new learner" drawer) a single-use activation code, on paper or by mail; the learner
// redeems it on the public activation page with a username and password of their choice, and the
// new sign-in (role learner) is linked to their record. Only the code's SHA-256 is stored; a new
// invitation replaces the learner's earlier unused one; a code is spent by a conditional update, so
// two requests with one code cannot both succeed.
import { createHash, randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db, Executor, Tx } from '../../db/connection.js';
import { conflict, invalid, notFound } from '../../errors.js';
import { passwordProblem } from '../accounts-lifecycle/policy.js';
import { sendAccountMail } from '../accounts-lifecycle/mail.js';
import { setVerifiedEmail } from '../accounts-lifecycle/service.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, requireSignedIn, type Actor, type Principal } from '../auth/principal.js';
import { authorized, reachOf, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { hashPassword, insertUserWithGrants, startSession } from '../auth/service.js';
import { institutionSummaries } from '../institutions/service.js';
import { lockAccountsOf } from '../ledger/service.js';
import { attachSignIn, enrolledForInvitation, enrolmentsOfLearner, learnerWithAccount } from '../learners/service.js';
import * as store from './store.js';

/** How long a code works. */
export const INVITATION_DAYS = 30;
/** The most learners one request invites (a printable sheet, not a mass mailing). */
export const MAX_BULK = 1000;

/** No I, L, O, 0 or 1: nothing a reader could mistake for another character. 31 symbols, 12 of them: 59 bits. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 12;

/** A new code from the crypto RNG, as printed: three groups of four (ABCD-EFGH-JKMN). */
export function newCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s.match(/.{4}/g)!.join('-');
}

/** What the learner typed, as the code it means (case, spaces and hyphens ignored), or undefined when it cannot be one. */
export function normalizeCode(typed: string): string | undefined {
  const s = typed.toUpperCase().replace(/[\s-]/g, '');
  return s.length === CODE_LENGTH && [...s].every((c) => ALPHABET.includes(c)) ? s : undefined;
}

const hashCode = (normalized: string) => createHash('sha256').update(`invitation:${normalized}`).digest('hex');

/** One answer for an unknown, used, replaced or expired code: the answer tells a guesser nothing. */
const badCode = () =>
  invalid('body.code', '激活码无效、已使用或已过期 / the activation code is not valid, was used already or has expired', { code: 'invitation_invalid' });
const hasSignIn = () => conflict('该学习者已有登录账号 / the learner can sign in already', undefined, { code: 'learner_has_sign_in' });

export interface InvitationSettings {
  publicUrl: string;
  sessionTtlHours: number;
}

type Candidate = Awaited<ReturnType<typeof enrolledForInvitation>>[number];
type Institution = { id: string; code: string; nameZh: string; nameEn: string };

export interface IssuedInvitation {
  learnerId: string;
  fullName: string;
  fullNameLatin: string | null;
  accountNo: string;
  externalId: string;
  code: string;
  expiresAt: string;
  mailedTo: string | null;
}

const activationUrl = (settings: InvitationSettings) => `${settings.publicUrl}/activate`;

/** Replaces the learners' live invitations with new ones and mails those asked for, in the caller's transaction. */
async function issue(tx: Tx, settings: InvitationSettings, actor: Actor, institution: Institution, learners: Candidate[], mail: boolean) {
  const ids = learners.map((l) => l.id);
  // the learners' account rows, in learner order: two registrars inviting at once take turns
  await lockAccountsOf(
    tx,
    sql`select x::uuid as learner_id from (values ${sql.join(
      ids.map((id) => sql`(${id})`),
      sql`, `,
    )}) v(x)`,
  );
  await store.replaceLive(tx, ids);
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  const createdBy = actor.kind === 'user' ? actor.userId : null;
  const issued: IssuedInvitation[] = learners.map((l) => ({
    learnerId: l.id,
    fullName: l.fullName,
    fullNameLatin: l.fullNameLatin,
    accountNo: l.accountNo,
    externalId: l.externalId,
    code: newCode(),
    expiresAt: expiresAt.toISOString(),
    mailedTo: mail && l.email ? l.email : null,
  }));
  await store.insertInvitations(
    tx,
    issued.map((i) => ({
      learnerId: i.learnerId,
      codeHash: hashCode(normalizeCode(i.code)!),
      institutionId: institution.id,
      createdBy,
      expiresAt,
      mailedTo: i.mailedTo,
    })),
  );
  const link = activationUrl(settings);
  for (const i of issued) {
    if (!i.mailedTo) continue;
    const until = i.expiresAt.slice(0, 10);
    await sendAccountMail(tx, {
      kind: 'invitation',
      to: i.mailedTo,
      link: `${link}?code=${i.code}`,
      subject: `${institution.nameZh}邀请您登录学分银行 / ${institution.nameEn} invites you to sign in to the credit bank`,
      text:
        `${i.fullName}，您好：\n\n${institution.nameZh}已为您开设学分银行学习账户（账号 ${i.accountNo}）。请在 ${until} 之前打开以下链接，或在 ${link} 输入激活码 ${i.code}，自行设置用户名和密码。激活码只能使用一次。\n${link}?code=${i.code}\n\n` +
        `Hello ${i.fullNameLatin ?? i.fullName},\n\n${institution.nameEn} has opened your credit bank learning account (${i.accountNo}). Before ${until}, open this link, or enter the activation code ${i.code} at ${link}, and choose your own username and password. The code works once.\n${link}?code=${i.code}\n\n` +
        `如果您不认识这个机构，请忽略本邮件。/ If you do not know this institution, ignore this mail.`,
    });
  }
  await recordAudit(
    tx,
    issued.map((i) => ({
      ...actorIds(actor),
      institutionId: institution.id,
      action: 'learner.invited',
      entityType: 'learner',
      entityId: i.learnerId,
      details: { expiresAt: i.expiresAt, mailed: i.mailedTo !== null },
    })),
  );
  return issued;
}

/**
 * The institutions where the caller may invite the learner: those where the learner is enrolled and
 * the caller is registrar (administrators: all of them). Anyone else is told the learner does not exist.
 */
async function invitingInstitutions(db: Executor, p: Principal, learnerId: string): Promise<{ actor: Actor; institutionIds: string[] }> {
  const actor = requireSignedIn(p);
  const enrolled = (await enrolmentsOfLearner(db, learnerId)).map((e) => e.institutionId);
  const reach = reachOf(actor, 'learner.invite');
  const mine = reach.everywhere ? enrolled : enrolled.filter((id) => reach.institutionIds.includes(id));
  if (mine.length === 0) throw notFound('Learner', learnerId);
  return { actor, institutionIds: mine };
}

/** Whether the learner can sign in, the address a mail would go to, and the live invitation (for the learner's page). */
export async function invitationStatus(db: Db, p: Principal, learnerId: string) {
  await invitingInstitutions(db, p, learnerId);
  const row = (await learnerWithAccount(db, learnerId))!;
  const live = await store.liveInvitation(db, learnerId);
  return {
    hasSignIn: row.learner.userId !== null,
    email: row.learner.email,
    pending: live
      ? {
          institutionId: live.institutionId,
          createdAt: live.createdAt.toISOString(),
          expiresAt: live.expiresAt.toISOString(),
          expired: live.expiresAt.getTime() <= Date.now(),
          mailedTo: live.mailedTo,
        }
      : null,
  };
}

/** A registrar invites one learner enrolled at their institution (the one named, or the first such). */
export async function inviteLearner(
  db: Db,
  settings: InvitationSettings,
  p: Principal,
  learnerId: string,
  body: { institutionId?: string; sendMail?: boolean },
) {
  const { actor, institutionIds } = await invitingInstitutions(db, p, learnerId);
  const institutionId = body.institutionId ?? institutionIds[0]!;
  if (!institutionIds.includes(institutionId)) throw invalid('body.institutionId', 'the learner is not enrolled at an institution where you are registrar');
  const institution = (await institutionSummaries(db, [institutionId])).get(institutionId)!;
  return db.transaction(async (tx) => {
    const [learner] = await enrolledForInvitation(tx, institutionId, [learnerId], 1);
    if (!learner) throw notFound('Learner', learnerId);
    if (learner.userId) throw hasSignIn();
    if (learner.erasedAt) throw conflict('The learner’s personal data was erased', undefined, { code: 'conflict' });
    if (body.sendMail && !learner.email) throw invalid('body.sendMail', '该学习者没有登记电子邮箱 / the learner has no e-mail address on record');
    const [issued] = await issue(tx, settings, actor, institution, [learner], !!body.sendMail);
    return { institution, activationUrl: activationUrl(settings), invitation: issued! };
  });
}

/**
 * A registrar invites many of the institution's learners at once: those listed, or every one
 * without a sign-in. The codes are answered once, for a printable sheet; learners who can sign in
 * already, or are not enrolled here, are skipped and named.
 */
export async function inviteMany(
  db: Db,
  settings: InvitationSettings,
  p: Principal,
  institutionId: string,
  body: { learnerIds?: string[]; allWithoutSignIn?: boolean; sendMail?: boolean },
) {
  const actor = authorized(p, 'learner.inviteMany', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  const institution = (await institutionSummaries(db, [institutionId])).get(institutionId);
  if (!institution) throw notFound('Institution', institutionId);
  const wanted = body.learnerIds ? [...new Set(body.learnerIds)] : null;
  return db.transaction(async (tx) => {
    const found = await enrolledForInvitation(tx, institutionId, wanted, MAX_BULK + 1);
    if (!wanted && found.length > MAX_BULK)
      throw invalid('body.allWithoutSignIn', `more than ${MAX_BULK} learners have no sign-in: list at most ${MAX_BULK} by learnerIds`);
    const skipped: { learnerId: string; reason: 'not_enrolled' | 'has_sign_in' | 'erased' }[] = [];
    if (wanted) {
      const here = new Set(found.map((l) => l.id));
      for (const id of wanted) if (!here.has(id)) skipped.push({ learnerId: id, reason: 'not_enrolled' });
    }
    const invite: Candidate[] = [];
    for (const l of found) {
      if (l.userId) skipped.push({ learnerId: l.id, reason: 'has_sign_in' });
      else if (l.erasedAt) skipped.push({ learnerId: l.id, reason: 'erased' });
      else invite.push(l);
    }
    const items = invite.length > 0 ? await issue(tx, settings, actor, institution, invite, !!body.sendMail) : [];
    return { institution, activationUrl: activationUrl(settings), items, skipped };
  });
}

export interface Activation {
  code: string;
  username: string;
  password: string;
  locale?: 'zh-CN' | 'en';
}

/**
 * The learner redeems a code: a sign-in with the learner role is created, linked to their record,
 * and signed in. The code is spent in the same transaction; if anything fails it still works.
 */
export async function activate(db: Db, settings: InvitationSettings, body: Activation) {
  const normalized = normalizeCode(body.code);
  // hashed before anything is looked up, whatever the code: a bad code answers as slowly as a good one
  const passwordHash = await hashPassword(body.password);
  if (!normalized) throw badCode();
  const codeHash = hashCode(normalized);
  return db.transaction(async (tx) => {
    const invitation = await store.byCode(tx, codeHash);
    if (!invitation) throw badCode();
    const row = (await learnerWithAccount(tx, invitation.learnerId))!;
    if (row.learner.userId) throw hasSignIn();
    const problem = passwordProblem(body.password, [body.username, row.learner.fullName, row.learner.fullNameLatin ?? '', row.account.accountNo]);
    if (problem) throw invalid('body.password', problem);
    const user = await insertUserWithGrants(
      tx,
      {
        username: body.username,
        password: body.password,
        displayName: row.learner.fullName,
        locale: body.locale,
        grants: [{ role: 'learner', institutionId: null }],
      },
      passwordHash,
    );
    // the spend and the link are conditional updates: of two requests at once, one wins and the other rolls back
    const spent = await store.spend(tx, codeHash, user.id);
    if (!spent) throw badCode();
    if (!(await attachSignIn(tx, invitation.learnerId, user.id))) throw hasSignIn();
    // the code came by mail to the address on record: the address is the sign-in's, verified (resets can reach it)
    if (spent.mailedTo) await setVerifiedEmail(tx, user.id, spent.mailedTo);
    await recordAudit(tx, [
      {
        actorUserId: user.id,
        actorTokenId: null,
        institutionId: spent.institutionId,
        action: 'learner.activated',
        entityType: 'learner',
        entityId: invitation.learnerId,
        details: { userId: user.id, username: user.username },
      },
    ]);
    return startSession(tx, user.id, settings.sessionTtlHours);
  });
}
