// Learners and their lifelong learning accounts: who they are, where they study, who may see them.
import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import { accountNumber } from '../../core/account-no.js';
import { checkIdDocument, maskId, sameName, type IdDocument } from '../../core/identity.js';
import type { Db, Executor, Tx } from '../../db/connection.js';
import { AppError, conflict, invalid, notFound } from '../../errors.js';
import { decodeCursor, isString, page } from '../../pagination.js';
import { recordAudit, recordAuditWithin, sumOfActorSince } from '../audit/service.js';
import { actorIds, isAdmin, requireSignedIn, type Actor, type Principal } from '../auth/principal.js';
import { ADMIN_ONLY, authorized, reachOf, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { insertUserWithGrants } from '../auth/service.js';
import { programmeOf } from '../catalog/service.js';
import { getInstitution } from '../institutions/service.js';
import { recordConflicts as recordHeld } from './enrolment-requests.js';
import type { newLearner } from './schema.js';
import * as store from './store.js';

async function newAccountNo(db: Executor): Promise<string> {
  for (;;) {
    const no = randomAccountNo();
    if (!(await store.accountNoTaken(db, no))) return no;
  }
}

/**
 * Opens a learner's account and enrols them at the institution, in the caller's transaction.
 * The learner's sign-in, when asked for, is created with the learner role. The identity document
 * must be on no one's record (createLearner first decides what to do with one that is).
 */
export async function insertLearner(tx: Tx, institutionId: string, body: z.infer<typeof newLearner>) {
  const { document, birthDate } = identityOf(body);
  await assertEnrolable(tx, institutionId, body);
  const user = body.login
    ? await insertUserWithGrants(tx, { ...body.login, displayName: body.fullName, grants: [{ role: 'learner', institutionId: null }] })
    : undefined;
  const learner = await store.insertLearner(tx, {
    userId: user?.id ?? null,
    fullName: body.fullName,
    fullNameLatin: body.fullNameLatin ?? null,
    birthDate,
    email: body.email ?? null,
    idType: document?.type ?? null,
    idNumber: document?.number ?? null,
    idCountry: document?.country ?? null,
    idTypeName: document?.typeName ?? null,
  });
  const account = await store.insertAccount(tx, learner.id, await newAccountNo(tx));
  await store.insertEnrolment(tx, {
    learnerId: learner.id,
    institutionId,
    externalId: body.externalId,
    programmeId: body.programmeId ?? null,
    enrolledOn: body.enrolledOn ?? null,
  });
  return { learner, account };
}

/** The student number is free here and the programme is this institution's. */
async function assertEnrolable(tx: Executor, institutionId: string, body: { externalId: string; programmeId?: string | null }) {
  if (await store.enrolmentByExternalId(tx, institutionId, body.externalId)) {
    throw conflict(`Student number ${body.externalId} is already enrolled at this institution`, 'body.externalId', {
      code: 'student_number_taken',
      externalId: body.externalId,
    });
  }
  if (body.programmeId && !(await programmeOf(tx, institutionId, body.programmeId))) throw notFound('Programme', body.programmeId);
}

/**
 * The identity document of a new learner, checked and in its canonical form (core/identity.ts), and
 * the birth date: the one given, which must agree with the one in the number, or else the number's.
 */
function identityOf(body: z.infer<typeof newLearner>): { document: IdDocument | undefined; birthDate: string | null } {
  const given = body.birthDate ?? null;
  const number = body.idNumber?.trim();
  if (!body.idType && !number) return { document: undefined, birthDate: given };
  if (!body.idType) throw invalid('body.idType', '填写证件号码时须注明证件类型 / an ID number needs its ID type');
  if (!number) throw invalid('body.idNumber', '必填 / is required with an ID type');
  const id = checkIdDocument({ type: body.idType, number, country: body.idCountry, typeName: body.idTypeName });
  if (!id.ok) throw invalid(`body.${id.field}`, id.reason);
  if (given && id.birthDate && id.birthDate !== given) {
    throw invalid(
      'body.idNumber',
      `号码中的出生日期（${id.birthDate}）与所填出生日期（${given}）不符 / the birth date in the ID number (${id.birthDate}) differs from the date of birth given (${given})`,
    );
  }
  return { document: id.value, birthDate: given ?? id.birthDate ?? null };
}

/**
 * A registrar enrols one person (issue 17). An identity document on no one's record opens a new
 * account (201, created). One that belongs to a learner of another institution links that learner
 * only on proof the registrar knows the person, name and birth date matching too (201, linked,
 * audited); without it the enrolment is held (202) until the learner confirms it in their account or
 * an administrator decides, and the registrar learns nothing of the learner on record. Each such
 * look-up is throttled and audited, and a held one is seen by the person it names.
 */
export async function enrolPerson(
  db: Db,
  p: Principal,
  institutionId: string,
  body: z.infer<typeof newLearner>,
  options: { identityLookupsPerHour?: number } = {},
) {
  const actor = authorized(p, 'learner.enrol', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  const institution = await getInstitution(db, institutionId);
  const { document, birthDate } = identityOf(body);
  if (document && options.identityLookupsPerHour !== undefined && !isAdmin(actor)) {
    await assertIdentityLookups(db, actor, options.identityLookupsPerHour, 1);
    await recordAudit(db, [
      {
        ...actorIds(actor),
        institutionId,
        action: IDENTITY_LOOKUPS.create,
        entityType: 'institution',
        entityId: institutionId,
        details: { lookups: 1, externalId: body.externalId },
      },
    ]);
  }
  const enrolled = { externalId: body.externalId, enrolledOn: body.enrolledOn ?? null };
  return db.transaction(async (tx) => {
    const [holder] = document ? await store.learnersByIdentity(tx, [document]) : [];
    if (!holder) {
      const made = await insertLearner(tx, institutionId, body);
      await recordAudit(tx, [
        {
          ...actorIds(actor),
          institutionId,
          action: 'learner.create',
          entityType: 'learner',
          entityId: made.learner.id,
          details: { externalId: body.externalId, accountNo: made.account.accountNo },
        },
      ]);
      return {
        outcome: 'created' as const,
        id: made.learner.id,
        accountNo: made.account.accountNo,
        fullName: made.learner.fullName,
        fullNameLatin: made.learner.fullNameLatin,
        ...enrolled,
      };
    }
    if (await store.enrolment(tx, holder.id, institutionId)) {
      // this institution's own learner: its own data, so it may be told
      throw conflict(
        '此证件已登记在本机构的另一学号下 / a learner with this identity document is already enrolled here under another student number',
        'body.idNumber',
        { code: 'identity_held' },
      );
    }
    await assertEnrolable(tx, institutionId, body);
    if (sameName(holder.fullName, body.fullName) && holder.birthDate !== null && holder.birthDate === birthDate) {
      await store.insertEnrolment(tx, {
        learnerId: holder.id,
        institutionId,
        externalId: body.externalId,
        programmeId: body.programmeId ?? null,
        enrolledOn: body.enrolledOn ?? null,
      });
      await recordAudit(tx, [
        {
          ...actorIds(actor),
          institutionId,
          action: 'learner.link',
          entityType: 'learner',
          entityId: holder.id,
          details: { externalId: body.externalId, matched: ['fullName', 'birthDate', 'idDocument'] },
        },
      ]);
      const account = await store.learnerWithAccount(tx, holder.id);
      return {
        outcome: 'linked' as const,
        id: holder.id,
        accountNo: account!.account.accountNo,
        fullName: holder.fullName,
        fullNameLatin: holder.fullNameLatin,
        ...enrolled,
      };
    }
    // what the registrar sent, the number masked and without a password: the learner and the administrator read it
    const { login: _login, idNumber: _number, ...sent } = body;
    const [held] = await recordHeld(tx, [
      { institutionId, existingLearnerId: holder.id, submitted: { ...sent, idNumber: maskId(document!.number), institutionCode: institution.code } },
    ]);
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId,
        action: 'learner.enrolment_held',
        entityType: 'identity_conflict',
        entityId: held!.id,
        details: { externalId: body.externalId },
      },
    ]);
    return { outcome: 'held' as const, requestId: held!.id, fullName: body.fullName, ...enrolled };
  });
}

/** Opens an account (or links the proven holder of its document): for the demo and tests, where a held enrolment is a mistake. */
export async function createLearner(db: Db, p: Principal, institutionId: string, body: z.infer<typeof newLearner>) {
  const made = await enrolPerson(db, p, institutionId, body);
  if (made.outcome === 'held')
    throw conflict(`The enrolment of ${body.externalId} was held: its identity document is on record under another name or birth date`, 'body.idNumber', {
      code: 'identity_held',
    });
  return made;
}

export async function listLearners(db: Db, p: Principal, institutionId: string, q: { q?: string; cursor?: string; limit: number }) {
  authorized(p, 'learner.list', { institutionIds: [institutionId] }, "Only this institution's registrars and reviewers may list its learners");
  const afterExternalId = decodeCursor(q.cursor, isString);
  const rows = await store.listEnrolled(db, institutionId, { search: q.q, afterExternalId, limit: q.limit + 1 });
  return page(rows, q.limit, (last) => last.externalId);
}

/**
 * Who may read a learner's account: the learner, staff of an institution where they are
 * enrolled, and administrators. Anyone else is told the learner does not exist (no probing).
 */
export async function requireCanReadLearner(db: Executor, p: Principal, learnerId: string): Promise<Actor> {
  return (await readScope(db, p, learnerId)).actor;
}

/**
 * Whose records in a learner's account the caller sees: all of them (the learner, administrators;
 * `institutionIds` null), or, for an institution's staff, only those of the institutions where they
 * serve and the learner is enrolled: what those institutions recorded themselves (results,
 * enrolments, postings, transfers and awards into them). A learner enrolled at several institutions
 * (linked by an identity match) does not open the others' records to each (issue 17); there is no
 * sharing by the learner yet, so nothing widens it. Anyone else is told the learner does not exist.
 */
export async function readScope(db: Executor, p: Principal, learnerId: string): Promise<{ actor: Actor; institutionIds: string[] | null }> {
  const actor = requireSignedIn(p);
  if (actor.kind === 'user' && actor.learnerId === learnerId) return { actor, institutionIds: null };
  const reach = reachOf(actor, 'record.read');
  if (reach.everywhere) return { actor, institutionIds: null };
  const enrolled = await store.enrolmentsOf(db, learnerId);
  const mine = enrolled.map((e) => e.institutionId).filter((i) => reach.institutionIds.includes(i));
  if (mine.length === 0) throw notFound('Learner', learnerId);
  // the learner's only institution sees all there is (nothing of another institution is on the account)
  return { actor, institutionIds: enrolled.length === mine.length ? null : mine };
}

/** The learner's profile; the identity number is shown whole only in the learner's own view. */
export async function learnerProfile(db: Executor, learnerId: string, own: boolean, institutionIds: string[] | null = null) {
  const row = await store.learnerWithAccount(db, learnerId);
  if (!row) throw notFound('Learner', learnerId);
  const enrolments = (await store.enrolmentsOf(db, learnerId)).filter((e) => !institutionIds || institutionIds.includes(e.institutionId));
  return {
    learner: {
      id: row.learner.id,
      fullName: row.learner.fullName,
      fullNameLatin: row.learner.fullNameLatin,
      birthDate: row.learner.birthDate,
      idType: row.learner.idType,
      idNumber: row.learner.idNumber && (own ? row.learner.idNumber : maskId(row.learner.idNumber)),
      idCountry: row.learner.idCountry,
      idTypeName: row.learner.idTypeName,
      accountNo: row.account.accountNo,
      accountStatus: row.account.status,
      openedAt: row.account.openedAt.toISOString(),
    },
    enrolments: enrolments.map(({ programmeId: _p, ...e }) => e),
  };
}

/** The learner enrolled at the institution under a student number, or under an id. */
export async function findEnrolledLearner(db: Executor, institutionId: string, ref: { learnerId?: string; externalId?: string }) {
  if (ref.externalId) return (await store.enrolmentByExternalId(db, institutionId, ref.externalId))?.learnerId;
  if (ref.learnerId) return (await store.enrolment(db, ref.learnerId, institutionId))?.learnerId;
  return undefined;
}

/** Enrols an existing learner at another institution (e.g. an exchange semester) under its own student number. */
export async function enrolLearner(
  db: Db,
  p: Principal,
  institutionId: string,
  body: { learnerId: string; externalId: string; enrolledOn?: string | null; programmeId?: string | null },
) {
  // An enrolment opens the learner's whole account to the institution's staff: only the bank's
  // administrators link an existing learner by id (institutions go through a learners import,
  // which matches the identity document).
  const actor = authorized(p, 'learner.enrolExisting', undefined, ADMIN_ONLY);
  await getInstitution(db, institutionId);
  if (!(await store.learnerWithAccount(db, body.learnerId))) throw notFound('Learner', body.learnerId);
  if (await store.enrolment(db, body.learnerId, institutionId))
    throw conflict('The learner is already enrolled at this institution', 'body.learnerId', { code: 'already_enrolled' });
  if (await store.enrolmentByExternalId(db, institutionId, body.externalId)) {
    throw conflict(`Student number ${body.externalId} is already enrolled at this institution`, 'body.externalId', {
      code: 'student_number_taken',
      externalId: body.externalId,
    });
  }
  if (body.programmeId && !(await programmeOf(db, institutionId, body.programmeId))) throw notFound('Programme', body.programmeId);
  await db.transaction(async (tx) => {
    await store.insertEnrolment(tx, {
      learnerId: body.learnerId,
      institutionId,
      externalId: body.externalId,
      enrolledOn: body.enrolledOn ?? null,
      programmeId: body.programmeId ?? null,
    });
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId, action: 'learner.enrol', entityType: 'learner', entityId: body.learnerId, details: { externalId: body.externalId } },
    ]);
  });
  return { learnerId: body.learnerId, institutionId, externalId: body.externalId, enrolledOn: body.enrolledOn ?? null };
}

/**
 * The audit actions that record identity-document look-ups against the whole bank, with their count
 * in details.lookups: a learners import (imports module), opening an account with a document.
 */
export const IDENTITY_LOOKUPS = { import: 'import.identity_lookups', create: 'learner.identity_lookup' } as const;

/** More identity look-ups than the hourly budget allows (IDENTITY_LOOKUPS_PER_HOUR): answered 429. */
export const lookupsExceeded = (perHour: number) =>
  new AppError(
    'too_many_requests',
    `身份证件查询过多：每位用户每小时最多 ${perHour} 次，请稍后再试 / too many identity look-ups: at most ${perHour} per user per hour; try again later (fewer rows per file, or ask the bank administrator)`,
    [],
    { code: 'identity_lookups_throttled', perHour },
  );

/** Identity look-ups the actor (a user or an API token) made in the last hour. */
export function identityLookupsInLastHour(db: Executor, actor: Actor) {
  return sumOfActorSince(db, { actions: Object.values(IDENTITY_LOOKUPS), ...actorIds(actor), since: new Date(Date.now() - 3_600_000), detail: 'lookups' });
}

/** Refuses (429) `planned` more identity look-ups when they would take the actor past `perHour` (an early answer; claimIdentityLookups decides). */
export async function assertIdentityLookups(db: Executor, actor: Actor, perHour: number, planned: number) {
  if ((await identityLookupsInLastHour(db, actor)) + planned > perHour) throw lookupsExceeded(perHour);
}

/**
 * Claims `event.details.lookups` identity look-ups for the actor before they are made, recording the
 * audit event (one of IDENTITY_LOOKUPS) only if they fit in `perHour`, atomically (audit store: the
 * sum and the insert under a lock on the actor), else 429. Parallel requests cannot overrun it.
 */
export async function claimIdentityLookups(
  db: Executor,
  actor: Actor,
  perHour: number,
  event: { action: string; institutionId: string; entityType: string; entityId: string; details: { lookups: number } & Record<string, unknown> },
) {
  const since = new Date(Date.now() - 3_600_000);
  if (!(await recordAuditWithin(db, { ...actorIds(actor), ...event }, { actions: Object.values(IDENTITY_LOOKUPS), detail: 'lookups', since, limit: perHour })))
    throw lookupsExceeded(perHour);
}

/** A fresh account number that is very unlikely to be taken (the unique key catches the rest). */
export function randomAccountNo(): string {
  return accountNumber(String(randomInt(0, 1e11)).padStart(11, '0'));
}

export const enrolledByExternalIds = store.enrolledByExternalIds;
export const learnersByIdentity = store.learnersByIdentity;
export const insertLearnersBulk = store.insertLearnersBulk;
export const updateLearnerRow = store.updateLearnerRow;
export const updateEnrolmentRow = store.updateEnrolmentRow;
export const enrolledPage = store.enrolledPage;
export type { LearnerRow } from './store.js';

/** Enrols an existing learner at an institution, in the caller's transaction. */
export async function enrolInTx(
  tx: Tx,
  learnerId: string,
  institutionId: string,
  e: { externalId: string; enrolledOn: string | null; programmeId: string | null },
) {
  await store.insertEnrolment(tx, { learnerId, institutionId, ...e });
}
export const institutionsOfLearners = store.institutionsOfLearners;
/** For invitations to sign in (invitations module): the institution's enrolled learners, and giving one a sign-in. */
export const enrolledForInvitation = store.enrolledForInvitation;
export const attachSignIn = store.attachSignIn;
export const learnerWithAccount = store.learnerWithAccount;
export const enrolmentsOfLearner = store.enrolmentsOf;

/**
 * Erasure of a learner's personal data, in the caller's transaction (the privacy module's use case):
 * the name becomes a pseudonym; Latin name, birth date, e-mail and identity document are removed.
 * The ids, the account and the student numbers stay, so the ledger and the log still verify.
 */
export async function erasePersonalData(tx: Tx, learnerId: string) {
  const row = await store.learnerWithAccount(tx, learnerId);
  if (!row) throw notFound('Learner', learnerId);
  if (row.learner.erasedAt) return { userId: row.learner.userId, erasedAt: row.learner.erasedAt, pseudonym: row.learner.fullName, already: true };
  const pseudonym = `已删除-${learnerId.slice(0, 8)}`;
  const erasedAt = new Date();
  await store.updateLearnerRow(tx, learnerId, {
    fullName: pseudonym,
    fullNameLatin: null,
    birthDate: null,
    email: null,
    idType: null,
    idNumber: null,
    idCountry: null,
    idTypeName: null,
    erasedAt,
  });
  return { userId: row.learner.userId, erasedAt, pseudonym, already: false };
}

/**
 * Opens the account of a learner who signed up themselves (accounts-lifecycle), in the caller's
 * transaction: no institution, no identity document (a declared one is only a claim until verified).
 */
export async function openSelfSignedAccount(tx: Tx, v: { userId: string; fullName: string; birthDate: string; email: string }) {
  const learner = await store.insertLearner(tx, { userId: v.userId, fullName: v.fullName, birthDate: v.birthDate, email: v.email });
  const account = await store.insertAccount(tx, learner.id, await newAccountNo(tx));
  return { learner, account };
}

/**
 * Moves a sign-in from a self-signed-up learner that holds nothing (no enrolment, no posting) to the
 * learner an institution has on record (accounts-lifecycle link requests), in the caller's
 * transaction. The empty account is closed. Returns why it cannot be done, or undefined when done.
 */
export async function moveSignInToRecord(tx: Tx, fromLearnerId: string, toLearnerId: string): Promise<'holds_records' | 'has_sign_in' | undefined> {
  const [from, to] = [await store.learnerWithAccount(tx, fromLearnerId), await store.learnerWithAccount(tx, toLearnerId)];
  if (!from || !to) throw notFound('Learner', !from ? fromLearnerId : toLearnerId);
  if (to.learner.userId) return 'has_sign_in';
  if (from.account.lastSeq > 0 || (await store.enrolmentsOf(tx, fromLearnerId)).length > 0) return 'holds_records';
  await store.moveUserOfLearner(tx, fromLearnerId, toLearnerId, from.learner.userId!);
  return undefined;
}
