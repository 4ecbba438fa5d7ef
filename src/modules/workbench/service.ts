// The staff workbench: for the signed-in person, each work queue they can act on, how much waits
// there for them (within their institutions) and since when. A learner, or someone without a staff
// role, gets an empty list.
import type { Db } from '../../db/connection.js';
import { isAdmin, institutionsWithRole, requireSignedIn, type Principal } from '../auth/principal.js';
import * as store from './store.js';
import type { QueueCode } from './store.js';

export { QUEUE_CODES, type QueueCode } from './store.js';

/** Where each queue opens in the web app (web/src/routes.tsx). */
export const QUEUE_PATHS: Record<QueueCode, string> = {
  'certification.review': '/review/certifications',
  'certification.committee': '/committee/certifications',
  'transfer.decide': '/institution/transfers',
  'evaluation.open': '/institution/evaluations',
  'award.decide': '/institution/awards',
  'learningAgreement.sign': '/institution/learning-agreements',
  'linkRequest.open': '/institution/link-requests',
  'correction.open': '/institution/learners',
  'erasure.open': '/admin/erasure-requests',
  'identityConflict.open': '/admin/identity-conflicts',
};

export async function workbench(db: Db, p: Principal) {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') return { items: [] };
  const counts = await store.queueCounts(db, {
    registrarOf: [...new Set(institutionsWithRole(actor, ['registrar']))],
    reviewerOf: [...new Set(institutionsWithRole(actor, ['reviewer']))],
    committee: actor.grants.some((g) => g.role === 'committee'),
    userId: actor.kind === 'user' ? actor.userId : null,
    admin: isAdmin(actor),
    learnerId: actor.learnerId,
  });
  return {
    items: counts.map((c) => ({ queue: c.queue, count: c.count, oldestSince: c.oldest?.toISOString() ?? null, path: QUEUE_PATHS[c.queue] })),
  };
}
