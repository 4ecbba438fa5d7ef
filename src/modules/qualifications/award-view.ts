// How an award reads in the API: its programme, learner and decider by name.
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { formatCredits, parseCredits } from '../../core/credits.js';
import type { Executor } from '../../db/connection.js';
import { users } from '../../db/schema.js';
import { learnerProfile } from '../learners/service.js';
import { programme, programmeRef } from './programmes.js';
import type { awardView } from './schema.js';
import type * as store from './store.js';

export async function presentAward(db: Executor, a: store.AwardRow): Promise<z.infer<typeof awardView>> {
  const [p, profile, decider] = await Promise.all([
    programme(db, a.programmeId),
    learnerProfile(db, a.learnerId, false),
    a.decidedBy ? db.select({ displayName: users.displayName }).from(users).where(eq(users.id, a.decidedBy)) : Promise.resolve([]),
  ]);
  return {
    id: a.id,
    status: a.status,
    programme: programmeRef(p),
    catalogueYear: a.catalogueYear,
    learner: { id: a.learnerId, fullName: profile.learner.fullName, accountNo: profile.learner.accountNo },
    credits: formatCredits(parseCredits(a.credits)),
    unit: a.unit,
    items: a.items,
    appliedAt: new Date(a.appliedAt).toISOString(),
    decidedAt: a.decidedAt ? new Date(a.decidedAt).toISOString() : null,
    decidedBy: decider[0]?.displayName ?? null,
    reason: a.reason,
  };
}
