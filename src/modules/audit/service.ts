import type { Db, Executor } from '../../db/connection.js';
import { decodeCursor, isNumber, page } from '../../pagination.js';
import { actorIds, requireSignedIn, type Actor, type Principal } from '../auth/principal.js';
import { ADMIN_ONLY, authorized, reachOf, refusal } from '../../policies/authorize.js';
import { entityNames, insertAudit, insertAuditWithin, listAudit, sumOfActorSince } from './store.js';

export { insertAudit as recordAudit, insertAuditWithin as recordAuditWithin, sumOfActorSince };
export type { AuditEntry } from './store.js';

/** The audit trail: an administrator sees everything, a registrar their own institution's events. */
export async function listAuditEvents(db: Db, p: Principal, q: { cursor?: string; limit: number; entityType?: string; entityId?: string }) {
  const actor = requireSignedIn(p);
  const reach = reachOf(actor, 'auditLog.read');
  const scope = reach.everywhere ? undefined : reach.institutionIds;
  if (scope && scope.length === 0) throw refusal('auditLog.read', 'Only administrators and registrars may read the audit log');
  const before = decodeCursor(q.cursor, isNumber);
  const rows = await listAudit(db, { institutionIds: scope, entityType: q.entityType, entityId: q.entityId, before, limit: q.limit + 1 });
  const names = await entityNames(db, rows);
  return page(
    rows.map((r) => {
      const name = names.get(`${r.entityType}:${r.entityId}`);
      return { ...r, at: r.at.toISOString(), details: r.details, entityNameZh: name?.zh ?? null, entityNameEn: name?.en ?? null };
    }),
    q.limit,
    (last) => last.id,
  );
}

/** The parts of a learner's record whose reading by staff is recorded. */
export type LearnerRecordPart = 'account' | 'ledger' | 'export';

/**
 * Records that someone other than the learner read the learner's full record (PIPL art. 51, GDPR
 * art. 30/32): who, when, which part. The learner reading their own record is not recorded.
 */
export async function recordLearnerRead(db: Executor, actor: Actor, learnerId: string, part: LearnerRecordPart): Promise<void> {
  if (actor.kind === 'user' && actor.learnerId === learnerId) return;
  await insertAudit(db, [{ ...actorIds(actor), institutionId: null, action: 'learner.read', entityType: 'learner', entityId: learnerId, details: { part } }]);
}

/** Who read the learner's record, newest first: for the learner's own copy of their data (no authorisation here). */
export async function readsOfLearner(db: Executor, learnerId: string) {
  const rows = await listAudit(db, { entityType: 'learner', entityId: learnerId, action: 'learner.read', before: undefined, limit: 10_000 });
  return rows.map((r) => ({ at: r.at.toISOString(), by: r.actorName, part: String(r.details.part ?? '') }));
}

/** Who read a learner's record, newest first (administrators). */
export async function listLearnerReads(db: Db, p: Principal, learnerId: string, q: { cursor?: string; limit: number }) {
  authorized(p, 'learner.readsOfRecord', undefined, ADMIN_ONLY);
  const before = decodeCursor(q.cursor, isNumber);
  const rows = await listAudit(db, { entityType: 'learner', entityId: learnerId, action: 'learner.read', before, limit: q.limit + 1 });
  return page(
    rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorUserId: r.actorUserId,
      actorTokenId: r.actorTokenId,
      actorName: r.actorName,
      part: String(r.details.part ?? ''),
    })),
    q.limit,
    (last) => last.id,
  );
}
