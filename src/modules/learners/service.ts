// Learners and their lifelong learning accounts: who they are, where they study, who may see them.
import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import { accountNumber } from '../../core/account-no.js';
import { checkIdDocument, maskId, type IdDocument } from '../../core/identity.js';
import type { Db, Executor, Tx } from '../../db/connection.js';
import { conflict, forbidden, invalid, notFound } from '../../errors.js';
import { decodeCursor, isString, page } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, hasInstitutionRole, isAdmin, requireAdmin, requireRegistrarOf, requireSignedIn, type Actor, type Principal } from '../auth/principal.js';
import { insertUserWithGrants } from '../auth/service.js';
import { programmeOf } from '../catalog/service.js';
import { getInstitution } from '../institutions/service.js';
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
 * The learner's sign-in, when asked for, is created with the learner role.
 */
export async function insertLearner(tx: Tx, institutionId: string, body: z.infer<typeof newLearner>) {
  const { document, birthDate } = identityOf(body);
  if (await store.enrolmentByExternalId(tx, institutionId, body.externalId)) {
    throw conflict(`Student number ${body.externalId} is already enrolled at this institution`, 'body.externalId');
  }
  if (body.programmeId && !(await programmeOf(tx, institutionId, body.programmeId))) throw notFound('Programme', body.programmeId);
  if (document && (await store.learnersByIdentity(tx, [document])).length > 0) {
    // the same person is matched (and enrolled here too) by a learners import, which compares names and
    // birth dates and flags a conflict for the administrator; this route only opens new accounts
    throw conflict(
      '已有学习者登记了此证件：同一人请通过学习者导入（按证件匹配）登记，或请学分银行管理员办理 / a learner with this identity document is already on record: import the learner (imports match identity documents) or ask the bank administrator',
      'body.idNumber',
    );
  }
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
    throw invalid('body.idNumber', `号码中的出生日期（${id.birthDate}）与所填出生日期（${given}）不符 / the birth date in the ID number (${id.birthDate}) differs from the date of birth given (${given})`);
  }
  return { document: id.value, birthDate: given ?? id.birthDate ?? null };
}

export async function createLearner(db: Db, p: Principal, institutionId: string, body: z.infer<typeof newLearner>) {
  const actor = requireRegistrarOf(p, institutionId);
  await getInstitution(db, institutionId);
  const { learner, account } = await db.transaction(async (tx) => {
    const made = await insertLearner(tx, institutionId, body);
    await recordAudit(tx, [{ ...actorIds(actor), institutionId, action: 'learner.create', entityType: 'learner', entityId: made.learner.id, details: { externalId: body.externalId, accountNo: made.account.accountNo } }]);
    return made;
  });
  return { id: learner.id, accountNo: account.accountNo, fullName: learner.fullName, fullNameLatin: learner.fullNameLatin, externalId: body.externalId, enrolledOn: body.enrolledOn ?? null };
}

export async function listLearners(db: Db, p: Principal, institutionId: string, q: { q?: string; cursor?: string; limit: number }) {
  const actor = requireSignedIn(p);
  if (!isAdmin(actor) && !hasInstitutionRole(actor, institutionId, ['registrar', 'reviewer'])) {
    throw forbidden("Only this institution's registrars and reviewers may list its learners");
  }
  const afterExternalId = decodeCursor(q.cursor, isString);
  const rows = await store.listEnrolled(db, institutionId, { search: q.q, afterExternalId, limit: q.limit + 1 });
  return page(rows, q.limit, (last) => last.externalId);
}

/**
 * Who may read a learner's account: the learner, staff of an institution where they are
 * enrolled, and administrators. Anyone else is told the learner does not exist (no probing).
 */
export async function requireCanReadLearner(db: Executor, p: Principal, learnerId: string): Promise<Actor> {
  const actor = requireSignedIn(p);
  if (actor.kind === 'user' && actor.learnerId === learnerId) return actor;
  if (isAdmin(actor)) return actor;
  const enrolled = await store.enrolmentsOf(db, learnerId);
  if (enrolled.some((e) => hasInstitutionRole(actor, e.institutionId, ['registrar', 'reviewer']))) return actor;
  throw notFound('Learner', learnerId);
}

/** The learner's profile; the identity number is shown whole only in the learner's own view. */
export async function learnerProfile(db: Executor, learnerId: string, own: boolean) {
  const row = await store.learnerWithAccount(db, learnerId);
  if (!row) throw notFound('Learner', learnerId);
  const enrolments = await store.enrolmentsOf(db, learnerId);
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
export async function enrolLearner(db: Db, p: Principal, institutionId: string, body: { learnerId: string; externalId: string; enrolledOn?: string | null; programmeId?: string | null }) {
  // An enrolment opens the learner's whole account to the institution's staff: only the bank's
  // administrators link an existing learner by id (institutions go through a learners import,
  // which matches the identity document).
  const actor = requireAdmin(p);
  await getInstitution(db, institutionId);
  if (!(await store.learnerWithAccount(db, body.learnerId))) throw notFound('Learner', body.learnerId);
  if (await store.enrolment(db, body.learnerId, institutionId)) throw conflict('The learner is already enrolled at this institution', 'body.learnerId');
  if (await store.enrolmentByExternalId(db, institutionId, body.externalId)) {
    throw conflict(`Student number ${body.externalId} is already enrolled at this institution`, 'body.externalId');
  }
  if (body.programmeId && !(await programmeOf(db, institutionId, body.programmeId))) throw notFound('Programme', body.programmeId);
  await db.transaction(async (tx) => {
    await store.insertEnrolment(tx, { learnerId: body.learnerId, institutionId, externalId: body.externalId, enrolledOn: body.enrolledOn ?? null, programmeId: body.programmeId ?? null });
    await recordAudit(tx, [{ ...actorIds(actor), institutionId, action: 'learner.enrol', entityType: 'learner', entityId: body.learnerId, details: { externalId: body.externalId } }]);
  });
  return { learnerId: body.learnerId, institutionId, externalId: body.externalId, enrolledOn: body.enrolledOn ?? null };
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
export async function enrolInTx(tx: Tx, learnerId: string, institutionId: string, e: { externalId: string; enrolledOn: string | null; programmeId: string | null }) {
  await store.insertEnrolment(tx, { learnerId, institutionId, ...e });
}
export const institutionsOfLearners = store.institutionsOfLearners;
