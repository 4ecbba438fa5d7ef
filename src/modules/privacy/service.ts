// Personal data rights (PIPL arts. 44–47, GDPR arts. 16–17): erasure of a learner's personal data
// while the ledger and the transparency log stay verifiable. The log holds ids and digests only
// (log/entries.ts): no name, birth date, e-mail or identity number is in it, so nothing there changes.
// The credentials issued to the learner are revoked and keep the digest the log holds, not the person.
import type { Db } from '../../db/connection.js';
import { conflict, notFound } from '../../errors.js';
import { ownLearnerId } from '../accounts/service.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, requireAdmin, requireRegistrarOf, requireSignedIn, type Principal } from '../auth/principal.js';
import { eraseUser } from '../auth/service.js';
import { eraseCredentialsOf } from '../credentials/erasure.js';
import { scrubDecidedConflictsOf } from '../learners/enrolment-requests.js';
import { erasePersonalData, findEnrolledLearner } from '../learners/service.js';
import { eraseNotificationsOf } from '../notifications/service.js';
import * as store from './store.js';

export const ERASED_FIELDS = ['fullName', 'fullNameLatin', 'birthDate', 'email', 'idType', 'idNumber', 'idCountry', 'idTypeName'] as const;

/** An administrator erases a learner's personal data; a second request changes nothing. */
export async function eraseLearner(db: Db, p: Principal, learnerId: string, reason: string) {
  const actor = requireAdmin(p);
  return db.transaction(async (tx) => {
    const done = await erasePersonalData(tx, learnerId);
    // the credentials issued to the learner are revoked, the bank's copies keep nothing of the person
    // (again for a learner erased before credentials were: it changes nothing the second time)
    const credentials = await eraseCredentialsOf(tx, learnerId, actor.kind === 'user' ? actor.userId : null);
    if (!done.already) {
      if (done.userId) await eraseUser(tx, done.userId, `erased-${done.userId}`);
      if (done.userId) await eraseNotificationsOf(tx, done.userId);
      await scrubDecidedConflictsOf(tx, learnerId);
      await store.scrubCorrectionsOf(tx, learnerId);
      await recordAudit(tx, [{ ...actorIds(actor), institutionId: null, action: 'learner.erase', entityType: 'learner', entityId: learnerId, details: { reason, fields: ERASED_FIELDS, credentials } }]);
    }
    return { learnerId, erasedAt: done.erasedAt.toISOString(), pseudonym: done.pseudonym };
  });
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
export async function requestCorrection(db: Db, p: Principal, body: { institutionId: string; subject: store.CorrectionSubject; requested: string; reason?: string | null }) {
  const learnerId = ownLearnerId(p);
  if (!(await findEnrolledLearner(db, body.institutionId, { learnerId }))) throw notFound('Institution where you are enrolled', body.institutionId);
  return db.transaction(async (tx) => {
    const row = await store.insertCorrection(tx, { learnerId, institutionId: body.institutionId, subject: body.subject, requested: body.requested, reason: body.reason ?? null });
    // what the learner wrote stays in the request (erasable), not in the audit trail
    await recordAudit(tx, [{ ...actorIds(requireSignedIn(p)), institutionId: body.institutionId, action: 'correction.request', entityType: 'learner', entityId: learnerId, details: { request: row.id, subject: body.subject } }]);
    return present(row);
  });
}

export async function myCorrections(db: Db, p: Principal) {
  return (await store.correctionsOfLearner(db, ownLearnerId(p))).map(present);
}

/** The institution's requests, for its registrars (and administrators). */
export async function institutionCorrections(db: Db, p: Principal, institutionId: string, status?: 'open' | 'accepted' | 'rejected') {
  requireRegistrarOf(p, institutionId);
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
  const actor = requireRegistrarOf(p, row.institutionId);
  const status = body.decision === 'accept' ? 'accepted' : 'rejected';
  return db.transaction(async (tx) => {
    const done = await store.answerCorrection(tx, id, { status, answeredBy: actor.kind === 'user' ? actor.userId : null, note: body.note });
    if (!done) throw conflict(`This request was ${row.status === 'open' ? 'answered meanwhile' : `already ${row.status}`}`);
    await recordAudit(tx, [{ ...actorIds(actor), institutionId: row.institutionId, action: `correction.${status === 'accepted' ? 'accept' : 'reject'}`, entityType: 'learner', entityId: row.learnerId, details: { request: id, note: body.note } }]);
    return present(done);
  });
}
