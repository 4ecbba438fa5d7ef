// How awards read in the API: their programme, learner and decider by name, for a whole list in a
// fixed number of queries (one per kind of name, however many awards).
import type { z } from 'zod';
import { formatCredits, parseCredits } from '../../core/credits.js';
import type { Executor } from '../../db/connection.js';
import { notFound } from '../../errors.js';
import { learnerCards } from '../learners/api.js';
import { programmeRef } from './programmes.js';
import type { awardView } from './schema.js';
import * as store from './store.js';

type AwardView = z.infer<typeof awardView>;

export async function presentAwards(db: Executor, awards: store.AwardRow[]): Promise<AwardView[]> {
  if (awards.length === 0) return [];
  const [programmes, learners, deciders] = await Promise.all([
    store.programmeRows(db, [...new Set(awards.map((a) => a.programmeId))]),
    learnerCards(
      db,
      awards.map((a) => a.learnerId),
    ),
    store.displayNames(
      db,
      awards.flatMap((a) => (a.decidedBy ? [a.decidedBy] : [])),
    ),
  ]);
  const programmeById = new Map(programmes.map((p) => [p.id, p]));
  return awards.map((a) => {
    const p = programmeById.get(a.programmeId);
    const learner = learners.get(a.learnerId);
    if (!p) throw notFound('Programme', a.programmeId);
    if (!learner) throw notFound('Learner', a.learnerId);
    return {
      id: a.id,
      status: a.status,
      programme: programmeRef(p),
      catalogueYear: a.catalogueYear,
      learner: { id: a.learnerId, fullName: learner.fullName, accountNo: learner.accountNo },
      credits: formatCredits(parseCredits(a.credits)),
      unit: a.unit,
      items: a.items,
      appliedAt: new Date(a.appliedAt).toISOString(),
      decidedAt: a.decidedAt ? new Date(a.decidedAt).toISOString() : null,
      decidedBy: a.decidedBy ? (deciders.get(a.decidedBy) ?? null) : null,
      reason: a.reason,
    };
  });
}

export async function presentAward(db: Executor, a: store.AwardRow): Promise<AwardView> {
  return (await presentAwards(db, [a]))[0]!;
}
