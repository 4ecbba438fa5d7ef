// Learners rate the decisions on their applications (1–5, with a comment); a later rating replaces
// the earlier one. Only a decided application of the learner's own can be rated.
import type { Db } from '../../db/connection.js';
import { conflict, notFound } from '../../errors.js';
import { ownLearnerId } from '../accounts/service.js';
import * as certification from '../certification/api.js';
import * as recognition from '../recognition/api.js';
import * as store from './store.js';

const DECIDED_CERTIFICATIONS = new Set(['approved', 'rejected', 'revoked']);

export async function rateDecision(
  db: Db,
  principal: Parameters<typeof ownLearnerId>[0],
  r: { subjectType: 'certification' | 'transfer'; subjectId: string; rating: number; comment: string },
) {
  const learnerId = ownLearnerId(principal);
  let institutionId: string | null;
  if (r.subjectType === 'certification') {
    const a = await certification.applicationById(db, r.subjectId);
    if (!a || a.learnerId !== learnerId) throw notFound('Certification', r.subjectId);
    if (!DECIDED_CERTIFICATIONS.has(a.status))
      throw conflict(`This application is ${a.status}: rate it once it is decided`, 'body.subjectId', { code: 'invalid_state', state: a.status });
    institutionId = a.institutionId;
  } else {
    const t = await recognition.transferById(db, r.subjectId);
    if (!t || t.learnerId !== learnerId) throw notFound('Transfer application', r.subjectId);
    if (t.status !== 'decided')
      throw conflict(`This transfer application is ${t.status}: rate it once it is decided`, 'body.subjectId', { code: 'invalid_state', state: t.status });
    institutionId = t.targetInstitutionId;
  }
  return present(
    await store.upsertRating(db, { learnerId, subjectType: r.subjectType, subjectId: r.subjectId, institutionId, rating: r.rating, comment: r.comment }),
  );
}

export async function myRatings(db: Db, principal: Parameters<typeof ownLearnerId>[0]) {
  return (await store.ratingsOf(db, ownLearnerId(principal))).map(present);
}

const present = (r: store.RatingRow) => ({
  subjectType: r.subjectType,
  subjectId: r.subjectId,
  rating: r.rating,
  comment: r.comment,
  updatedAt: r.updatedAt.toISOString(),
});
