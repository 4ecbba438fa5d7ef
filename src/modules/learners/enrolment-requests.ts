// Enrolments held back by an identity match (issue 17). An institution that gives the identity
// document of a learner already on record elsewhere, without the name and birth date that prove it
// knows the person, does not get that learner's account: its enrolment is held as an identity
// conflict until the learner confirms it in their own account (or declines it), or an administrator
// decides. Either way the decision is audited, and a merge is a fact the transparency log keeps.
import type { Db, Executor, Tx } from '../../db/connection.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { enrolmentsHeld } from '../notifications/events.js';
import { actorIds, requireSignedIn, type Actor, type Principal } from '../auth/principal.js';
import { ADMIN_ONLY, authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { appendEntries, identityMergePayload } from '../log/entries.js';
import * as store from './store.js';

type Conflict = NonNullable<Awaited<ReturnType<typeof store.conflictById>>>;

/** Holds the enrolments an import or a registrar submitted for learners on record, in the caller's transaction. */
export async function recordConflicts(tx: Executor, rows: Parameters<typeof store.insertConflicts>[1]) {
  const held = await store.insertConflicts(tx, rows);
  await enrolmentsHeld(tx, held); // the learner is asked; the administrators see the conflicts
  return held;
}
export const scrubDecidedConflictsOf = store.scrubDecidedConflictsOf;

/** The open (or decided) conflicts, for the bank's administrators. */
export async function listConflicts(db: Db, p: Principal, status: store.ConflictStatus) {
  authorized(p, 'learner.identityConflicts', undefined, ADMIN_ONLY);
  return store.conflictsByStatus(db, status, 200);
}

/**
 * An administrator decides a conflict: the same person (the submitted enrolment joins the existing
 * learner) or different people (closed; the institution must correct its data).
 */
export async function resolveConflict(db: Db, p: Principal, id: string, decision: 'same_person' | 'different', note: string) {
  const actor = authorized(p, 'learner.identityConflicts', undefined, ADMIN_ONLY);
  const c = await store.conflictById(db, id);
  if (!c) throw notFound('Identity conflict', id);
  return decide(db, actor, c, decision, note, `identity_conflict.${decision}`);
}

/** What the learner is asked to confirm: which institution wants to enrol them, under which student number. */
export async function myEnrolmentRequests(db: Db, p: Principal) {
  const { learnerId } = ownAccount(p);
  const rows = await store.openConflictsOfLearner(db, learnerId);
  return rows.map(({ conflict: c, institution }) => {
    const s = c.submitted;
    return { id: c.id, institution, externalId: s.externalId, fullName: s.fullName ?? null, enrolledOn: s.enrolledOn ?? null, createdAt: c.createdAt };
  });
}

/**
 * The learner answers a held enrolment: accepted, the institution enrols them (and from then on sees
 * what it records itself); declined, the request is closed and the institution is told so.
 */
export async function answerEnrolmentRequest(db: Db, p: Principal, id: string, decision: 'accept' | 'decline') {
  const { actor, learnerId } = ownAccount(p);
  const c = await store.conflictById(db, id);
  if (!c || c.existingLearnerId !== learnerId) throw notFound('Enrolment request', id);
  const s = c.submitted;
  if (decision === 'accept' && (await store.enrolment(db, learnerId, c.institutionId))) {
    // the institution's own learner under another name or birth date: only an administrator may merge
    throw conflict(
      '您已在该机构注册，此请求须由学分银行管理员处理 / you are already enrolled at this institution: the bank administrator decides this request',
      undefined,
      { code: 'already_enrolled' },
    );
  }
  if (decision === 'accept' && (await store.enrolmentByExternalId(db, c.institutionId, s.externalId))) {
    throw conflict(
      `该机构的学号 ${s.externalId} 已被使用，请联系该机构 / the institution's student number ${s.externalId} is taken meanwhile: contact the institution`,
      undefined,
      { code: 'student_number_taken', externalId: s.externalId },
    );
  }
  const status = decision === 'accept' ? 'same_person' : 'declined';
  return decide(
    db,
    actor,
    c,
    status,
    decision === 'accept' ? 'confirmed by the learner' : 'declined by the learner',
    `identity_conflict.learner_${decision}ed`,
  );
}

/** The enrolments this institution submitted that wait on the learner or an administrator, or were answered. */
export async function heldEnrolmentsOf(db: Db, p: Principal, institutionId: string) {
  authorized(p, 'learner.enrol', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  const rows = await store.conflictsOfInstitution(db, institutionId, 200);
  return rows.map((c) => {
    const s = c.submitted;
    // what the institution itself sent, never the learner on record
    return { id: c.id, externalId: s.externalId, fullName: s.fullName ?? null, status: c.status, createdAt: c.createdAt, resolvedAt: c.resolvedAt };
  });
}

/** Only the learner answers for themselves (administrators decide the conflicts instead). */
function ownAccount(p: Principal): { actor: Actor; learnerId: string } {
  const actor = requireSignedIn(p);
  if (actor.kind === 'user' && actor.learnerId) return { actor, learnerId: actor.learnerId };
  throw forbidden('Only a learner answers a request to enrol them; administrators decide identity conflicts');
}

async function decide(db: Db, actor: Actor, c: Conflict, status: Exclude<store.ConflictStatus, 'open'>, note: string, action: string) {
  if (c.status !== 'open') throw conflict(`This request was already decided (${c.status})`, undefined, { code: 'already_decided', state: c.status });
  return db.transaction(async (tx) => {
    const closed = await store.closeConflict(tx, c.id, { status, resolvedBy: actor.kind === 'user' ? actor.userId : null, note });
    if (!closed) throw conflict('This request was decided meanwhile', undefined, { code: 'already_decided' });
    if (status === 'same_person') await merge(tx, c);
    await recordAudit(tx, [{ ...actorIds(actor), institutionId: c.institutionId, action, entityType: 'identity_conflict', entityId: c.id, details: { note } }]);
    return closed;
  });
}

/** The submitted enrolment joins the learner on record; the log keeps the fact (it opens their account to the institution). */
async function merge(tx: Tx, c: Conflict) {
  const s = c.submitted;
  await store.insertEnrolment(tx, {
    learnerId: c.existingLearnerId,
    institutionId: c.institutionId,
    externalId: s.externalId,
    enrolledOn: s.enrolledOn ?? null,
    programmeId: s.programmeId ?? null,
  });
  await appendEntries(tx, [
    {
      kind: 'identity_merge',
      ref: c.id,
      payload: identityMergePayload({ conflictId: c.id, learnerId: c.existingLearnerId, institutionId: c.institutionId, externalId: s.externalId ?? null }),
    },
  ]);
}
