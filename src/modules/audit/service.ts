import type { Db } from '../../db/connection.js';
import { forbidden } from '../../errors.js';
import { decodeCursor, isNumber, page } from '../../pagination.js';
import { institutionsWithRole, isAdmin, requireSignedIn, type Principal } from '../auth/principal.js';
import { insertAudit, listAudit } from './store.js';

export { insertAudit as recordAudit };
export type { AuditEntry } from './store.js';

/** The audit trail: an administrator sees everything, a registrar their own institution's events. */
export async function listAuditEvents(
  db: Db,
  p: Principal,
  q: { cursor?: string; limit: number; entityType?: string; entityId?: string },
) {
  const actor = requireSignedIn(p);
  const scope = isAdmin(actor) ? undefined : institutionsWithRole(actor, ['registrar']);
  if (scope && scope.length === 0) throw forbidden('Only administrators and registrars may read the audit log');
  const before = decodeCursor(q.cursor, isNumber);
  const rows = await listAudit(db, { institutionIds: scope, entityType: q.entityType, entityId: q.entityId, before, limit: q.limit + 1 });
  return page(
    rows.map((r) => ({ ...r, at: r.at.toISOString(), details: r.details as Record<string, unknown> })),
    q.limit,
    (last) => last.id,
  );
}
