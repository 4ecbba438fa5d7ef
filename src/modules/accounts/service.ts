// "My account": what a learner (or the staff who serve them) sees of a lifelong learning account.
import type { Db } from '../../db/connection.js';
import { notFound, unauthorized } from '../../errors.js';
import { recordLearnerRead, type LearnerRecordPart } from '../audit/service.js';
import { requireSignedIn, type Principal } from '../auth/principal.js';
import * as ledger from '../ledger/service.js';
import { learnerProfile, readScope } from '../learners/service.js';
import { outcomesOf } from '../outcomes/service.js';

export function ownLearnerId(p: Principal): string {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user') throw unauthorized('Sign in as a learner');
  if (!actor.learnerId) throw notFound('Learning account of user', actor.username);
  return actor.learnerId;
}

/** The account as the caller may see it: staff of one of several institutions see that institution's part (readScope). */
export async function accountView(db: Db, p: Principal, learnerId: string, part: LearnerRecordPart = 'account') {
  const { actor, institutionIds: scope } = await readScope(db, p, learnerId);
  await recordLearnerRead(db, actor, learnerId, part); // staff reading a learner's record is audited
  const [profile, balances, byInstitution, outcomes] = await Promise.all([
    learnerProfile(db, learnerId, p.kind === 'user' && p.learnerId === learnerId, scope),
    scope ? ledger.balancesAttributed(db, learnerId, scope) : ledger.balancesFor(db, [learnerId]).then((b) => b.get(learnerId)!),
    ledger.balancesByInstitution(db, learnerId, scope ?? undefined),
    outcomesOf(db, learnerId),
  ]);
  return { ...profile, balances, byInstitution, outcomes: scope ? outcomes.filter((o) => scope.includes(o.institutionId)) : outcomes };
}

export async function ledgerHistory(db: Db, p: Principal, learnerId: string, q: { cursor?: string; limit: number }) {
  const { actor, institutionIds: scope } = await readScope(db, p, learnerId);
  await recordLearnerRead(db, actor, learnerId, 'ledger');
  return ledger.history(db, learnerId, q, scope ?? undefined);
}
