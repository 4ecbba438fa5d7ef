// Personal data rights (PIPL arts. 44–47, GDPR arts. 16–17): erasure of a learner's personal data
// while the ledger and the transparency log stay verifiable. The log holds ids and digests only
// (log/entries.ts): no name, birth date, e-mail or identity number is in it, so nothing there changes.
// The credentials issued to the learner are revoked and keep the digest the log holds, not the person.
import type { Db, Tx } from '../../db/connection.js';
import { AppError, conflict, invalid, notFound } from '../../errors.js';
import { accountView, ledgerHistory, ownLearnerId } from '../accounts/service.js';
import { readsOfLearner, recordAudit } from '../audit/service.js';
import { actorIds, requireSignedIn, type Actor, type Principal } from '../auth/principal.js';
import { ADMIN_ONLY, authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { eraseUser } from '../auth/service.js';
import { eraseCredentialsOf } from '../credentials/erasure.js';
import { myCredentials, type Vc } from '../credentials/service.js';
import { myEnrolmentRequests, scrubDecidedConflictsOf } from '../learners/enrolment-requests.js';
import { erasePersonalData, findEnrolledLearner } from '../learners/service.js';
import { erasureDecided, erasureRequested } from '../notifications/events.js';
import { eraseNotificationsOf, listInbox } from '../notifications/service.js';
import * as store from './store.js';

export const ERASED_FIELDS = ['fullName', 'fullNameLatin', 'birthDate', 'email', 'idType', 'idNumber', 'idCountry', 'idTypeName'] as const;

/** An administrator erases a learner's personal data; a second request changes nothing. */
export async function eraseLearner(db: Db, p: Principal, learnerId: string, reason: string) {
  const actor = authorized(p, 'learner.erase', undefined, ADMIN_ONLY);
  return db.transaction((tx) => eraseIn(tx, actor, learnerId, reason));
}

/** The erasure, in the caller's transaction (an administrator's direct erasure, or an approved request). */
async function eraseIn(tx: Tx, actor: Actor, learnerId: string, reason: string) {
  const done = await erasePersonalData(tx, learnerId);
  // the credentials issued to the learner are revoked, the bank's copies keep nothing of the person
  // (again for a learner erased before credentials were: it changes nothing the second time)
  const credentials = await eraseCredentialsOf(tx, learnerId, actor.kind === 'user' ? actor.userId : null);
  if (!done.already) {
    if (done.userId) await eraseUser(tx, done.userId, `erased-${done.userId}`);
    if (done.userId) await eraseNotificationsOf(tx, done.userId);
    await scrubDecidedConflictsOf(tx, learnerId);
    await store.scrubCorrectionsOf(tx, learnerId);
    // a request the learner made is answered by the erasure itself; none keeps what they wrote
    await store.closeOpenErasureRequestsOf(tx, learnerId, { decidedBy: actor.kind === 'user' ? actor.userId : null, decisionNote: reason });
    await store.scrubErasureRequestsOf(tx, learnerId);
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: null,
        action: 'learner.erase',
        entityType: 'learner',
        entityId: learnerId,
        details: { reason, fields: ERASED_FIELDS, credentials },
      },
    ]);
  }
  return { learnerId, erasedAt: done.erasedAt.toISOString(), pseudonym: done.pseudonym };
}

function present(r: store.CorrectionRow) {
  return {
    id: r.id,
    learnerId: r.learnerId,
    institutionId: r.institutionId,
    subject: r.subject,
    requested: r.requested,
    reason: r.reason,
    status: r.status,
    note: r.note,
    createdAt: r.createdAt.toISOString(),
    answeredAt: r.answeredAt?.toISOString() ?? null,
  };
}

/** A learner asks an institution where they are enrolled to correct their data or a record. */
export async function requestCorrection(
  db: Db,
  p: Principal,
  body: { institutionId: string; subject: store.CorrectionSubject; requested: string; reason?: string | null },
) {
  const learnerId = ownLearnerId(p);
  if (!(await findEnrolledLearner(db, body.institutionId, { learnerId }))) throw notFound('Institution where you are enrolled', body.institutionId);
  return db.transaction(async (tx) => {
    const row = await store.insertCorrection(tx, {
      learnerId,
      institutionId: body.institutionId,
      subject: body.subject,
      requested: body.requested,
      reason: body.reason ?? null,
    });
    // what the learner wrote stays in the request (erasable), not in the audit trail
    await recordAudit(tx, [
      {
        ...actorIds(requireSignedIn(p)),
        institutionId: body.institutionId,
        action: 'correction.request',
        entityType: 'learner',
        entityId: learnerId,
        details: { request: row.id, subject: body.subject },
      },
    ]);
    return present(row);
  });
}

export async function myCorrections(db: Db, p: Principal) {
  return (await store.correctionsOfLearner(db, ownLearnerId(p))).map(present);
}

/** The institution's requests, for its registrars (and administrators). */
export async function institutionCorrections(db: Db, p: Principal, institutionId: string, status?: 'open' | 'accepted' | 'rejected') {
  authorized(p, 'privacy.corrections', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  return (await store.correctionsOfInstitution(db, institutionId, status)).map(present);
}

/**
 * A registrar of the institution accepts or rejects a request with a note. Accepting records the
 * decision; the registrar makes the correction itself through the usual edit or re-import (a result
 * is corrected by a reversing entry, never in place).
 */
export async function answerCorrection(db: Db, p: Principal, id: string, body: { decision: 'accept' | 'reject'; note: string }) {
  const row = await store.getCorrection(db, id);
  if (!row) throw notFound('Correction request', id);
  const actor = authorized(p, 'privacy.corrections', { institutionIds: [row.institutionId] }, REGISTRAR_ONLY);
  const status = body.decision === 'accept' ? 'accepted' : 'rejected';
  return db.transaction(async (tx) => {
    const done = await store.answerCorrection(tx, id, { status, answeredBy: actor.kind === 'user' ? actor.userId : null, note: body.note });
    if (!done)
      throw conflict(`This request was ${row.status === 'open' ? 'answered meanwhile' : `already ${row.status}`}`, undefined, {
        code: 'already_decided',
        state: row.status,
      });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: row.institutionId,
        action: `correction.${status === 'accepted' ? 'accept' : 'reject'}`,
        entityType: 'learner',
        entityId: row.learnerId,
        details: { request: id, note: body.note },
      },
    ]);
    return present(done);
  });
}

// ---- a learner's own erasure request (PIPL art. 47, GDPR art. 17)

function presentErasure(r: store.ErasureRow) {
  return {
    id: r.id,
    learnerId: r.learnerId,
    reason: r.reason,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decisionNote: r.decisionNote,
  };
}

/** Whether a database error (under the ORM's wrapper) is a breach of the named unique constraint. */
function violates(err: unknown, constraint: string) {
  let e = err as { code?: unknown; constraint?: unknown; cause?: unknown } | undefined;
  while (e && e.code === undefined && e.cause) e = e.cause as typeof e;
  return e?.code === '23505' && e.constraint === constraint;
}

const alreadyOpen = () =>
  new AppError(
    'conflict',
    '您已有一项待处理的删除请求：请等待管理员决定，或先撤回它 / You already have an open erasure request: wait for the administrator’s decision, or withdraw it first',
    [],
    {
      code: 'erasure_request_open',
    },
  );

/**
 * A learner asks the bank to erase their personal data. One open request at a time: the partial unique
 * index erasure_requests_open_key decides between two at once. The administrators are told.
 */
export async function requestErasure(db: Db, p: Principal, body: { reason?: string | null }) {
  const learnerId = ownLearnerId(p);
  const actor = requireSignedIn(p);
  try {
    return await db.transaction(async (tx) => {
      const row = await store.insertErasureRequest(tx, { learnerId, reason: body.reason || null, createdBy: actor.kind === 'user' ? actor.userId : null });
      // what the learner wrote stays in the request (erased with the rest), not in the audit trail
      await recordAudit(tx, [
        { ...actorIds(actor), institutionId: null, action: 'erasure.request', entityType: 'learner', entityId: learnerId, details: { request: row.id } },
      ]);
      await erasureRequested(tx);
      return presentErasure(row);
    });
  } catch (err) {
    if (violates(err, 'erasure_requests_open_key')) throw alreadyOpen();
    throw err;
  }
}

export async function myErasureRequests(db: Db, p: Principal) {
  return (await store.erasureRequestsOfLearner(db, ownLearnerId(p))).map(presentErasure);
}

/** The learner withdraws their open request. Someone else's request is not found. */
export async function withdrawErasure(db: Db, p: Principal, id: string) {
  const learnerId = ownLearnerId(p);
  const actor = requireSignedIn(p);
  const row = await store.getErasureRequest(db, id);
  if (!row || row.learnerId !== learnerId) throw notFound('Erasure request', id);
  return db.transaction(async (tx) => {
    const done = await store.closeErasureRequest(tx, id, { status: 'withdrawn', decidedBy: actor.kind === 'user' ? actor.userId : null, decisionNote: null });
    if (!done)
      throw conflict(
        `此请求已${row.status === 'open' ? '被处理' : '结束'} / This request is ${row.status === 'open' ? 'decided meanwhile' : `already ${row.status}`}`,
        undefined,
        { code: 'already_decided', state: row.status },
      );
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: null, action: 'erasure.withdraw', entityType: 'learner', entityId: learnerId, details: { request: id } },
    ]);
    return presentErasure(done);
  });
}

/** The requests in a status (all when none), with the learner's name and account number, for the bank's administrators. */
export async function listErasureRequests(db: Db, p: Principal, status?: store.ErasureStatus) {
  authorized(p, 'privacy.erasureRequests', undefined, ADMIN_ONLY);
  const rows = await store.erasureRequestsByStatus(db, status, 200);
  return rows.map((r) => ({ ...presentErasure(r.request), learnerName: r.fullName, accountNo: r.accountNo }));
}

/**
 * An administrator decides a request. Approved: the erasure runs in the same transaction (the same one
 * as POST /learners/{id}/erase: the learner's sign-in and sessions end, credentials are revoked) after
 * one last e-mail to the learner is queued. Declined: the reason is required and shown to the learner.
 */
export async function decideErasure(db: Db, p: Principal, id: string, body: { decision: 'approve' | 'decline'; note?: string | null }) {
  const actor = authorized(p, 'privacy.erasureRequests', undefined, ADMIN_ONLY);
  const note = body.note?.trim() || null;
  if (body.decision === 'decline' && !note) throw invalid('body.note', '拒绝时须说明理由，学习者会看到 / a reason is required to decline; the learner sees it');
  const row = await store.getErasureRequest(db, id);
  if (!row) throw notFound('Erasure request', id);
  const decidedBy = actor.kind === 'user' ? actor.userId : null;
  return db.transaction(async (tx) => {
    const status = body.decision === 'approve' ? 'approved' : 'declined';
    const done = await store.closeErasureRequest(tx, id, { status, decidedBy, decisionNote: note });
    if (!done)
      throw conflict(
        `此请求已${row.status === 'open' ? '被处理' : '结束'} / This request is ${row.status === 'open' ? 'decided or withdrawn meanwhile' : `already ${row.status}`}`,
        undefined,
        { code: 'already_decided', state: row.status },
      );
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: null,
        action: `erasure.${body.decision}`,
        entityType: 'learner',
        entityId: row.learnerId,
        details: { request: id, note },
      },
    ]);
    await erasureDecided(tx, { learnerId: row.learnerId, outcome: status, reason: note });
    if (status === 'declined') return presentErasure(done);
    await eraseIn(tx, actor, row.learnerId, `erasure request ${id}${note ? `: ${note}` : ''}`);
    return presentErasure({ ...done, reason: null });
  });
}

/** Every page of a cursor-paged list. */
async function allPages<T>(read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/**
 * Everything the bank holds about the signed-in learner, as one document (PIPL art. 45, GDPR
 * arts. 15 and 20): their record with every result and balance, the ledger, credentials, requests
 * they made or were asked, their inbox, and who of the staff read their record.
 */
export async function myPersonalData(x: Vc, p: Principal, acceptLanguage?: string) {
  const learnerId = ownLearnerId(p);
  const { db } = x;
  const account = await accountView(db, p, learnerId);
  return {
    exportedAt: new Date().toISOString(),
    learnerId,
    account,
    ledger: await allPages((cursor) => ledgerHistory(db, p, learnerId, { cursor, limit: 500 })),
    credentials: await myCredentials(x, p),
    corrections: await myCorrections(db, p),
    erasureRequests: await myErasureRequests(db, p),
    enrolmentRequests: await myEnrolmentRequests(db, p),
    notifications: await allPages((cursor) => listInbox(db, p, { cursor, limit: 200, unread: false }, acceptLanguage)),
    readBy: await readsOfLearner(db, learnerId),
  };
}
