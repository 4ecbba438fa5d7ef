// "My account": what a learner (or the staff who serve them) sees of a lifelong learning account.
import type { Db } from '../../db/connection.js';
import { notFound, unauthorized } from '../../errors.js';
import { requireSignedIn, type Principal } from '../auth/principal.js';
import * as ledger from '../ledger/service.js';
import { learnerProfile, requireCanReadLearner } from '../learners/service.js';
import { outcomesOf } from '../outcomes/service.js';

export function ownLearnerId(p: Principal): string {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') throw unauthorized('Sign in as a learner');
  if (!actor.learnerId) throw notFound('Learning account of user', actor.username);
  return actor.learnerId;
}

export async function accountView(db: Db, p: Principal, learnerId: string) {
  await requireCanReadLearner(db, p, learnerId);
  const [profile, balances, outcomes] = await Promise.all([
    learnerProfile(db, learnerId, p.kind === 'user' && p.learnerId === learnerId),
    ledger.balancesFor(db, [learnerId]),
    outcomesOf(db, learnerId),
  ]);
  return { ...profile, balances: balances.get(learnerId)!, outcomes };
}

export async function ledgerHistory(db: Db, p: Principal, learnerId: string, q: { cursor?: string; limit: number }) {
  await requireCanReadLearner(db, p, learnerId);
  return ledger.history(db, learnerId, q);
}
