// Learning agreements for exchange mobility: the learner, the home and the host institution agree in
// advance which host courses will replace which home courses. A change is a new version that binds
// only once all three accept; until then the version they last all accepted stands. A bound line
// makes those host courses a Match into the home institution when the learner checks or applies.
import type { z } from 'zod';
import { formatCredits, parseCredits } from '../../core/credits.js';
import type { Db, Executor } from '../../db/connection.js';
import type { LearningAgreementLine } from '../../db/json.js';
import { conflict, invalid, notFound } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, hasInstitutionRole, requireSignedIn, type Actor, type Principal } from '../auth/principal.js';
import { authorize, authorized } from '../../policies/authorize.js';
import { coursesByIds } from '../catalog/service.js';
import { institutionSummaries } from '../institutions/service.js';
import { institutionsOfLearners, learnerProfile } from '../learners/service.js';
import type { learningAgreementChange, newLearningAgreement } from './schema.js';
import * as store from './store.js';

type Line = LearningAgreementLine;
type Part = 'learner' | 'home' | 'host';

/** What the policy table needs of a learning agreement: its learner, and the home and host institutions. */
const refOf = (a: { learnerId: string; homeInstitutionId: string; hostInstitutionId: string }) => ({
  learnerId: a.learnerId,
  institutionIds: [a.homeInstitutionId, a.hostInstitutionId],
});

function partsOf(actor: Actor, a: { learnerId: string; homeInstitutionId: string; hostInstitutionId: string }): Part[] {
  const parts: Part[] = [];
  if (actor.kind === 'user' && actor.learnerId === a.learnerId) return ['learner']; // nobody signs for themselves twice
  if (hasInstitutionRole(actor, a.homeInstitutionId, ['registrar'])) parts.push('home');
  if (hasInstitutionRole(actor, a.hostInstitutionId, ['registrar'])) parts.push('host');
  return parts;
}

async function checkLines(db: Executor, lines: Line[], home: string, host: string, path: string) {
  const found = new Map(
    (
      await coursesByIds(
        db,
        lines.flatMap((l) => [...l.hostCourseIds, ...l.homeCourseIds]),
      )
    ).map((c) => [c.id, c]),
  );
  lines.forEach((l, i) => {
    l.hostCourseIds.forEach((id, j) => {
      if (found.get(id)?.institutionId !== host) throw invalid(`${path}.${i}.hostCourseIds.${j}`, 'is not a course of the host institution');
    });
    l.homeCourseIds.forEach((id, j) => {
      if (found.get(id)?.institutionId !== home) throw invalid(`${path}.${i}.homeCourseIds.${j}`, 'is not a course of the home institution');
    });
  });
}

async function present(db: Executor, a: store.LearningAgreementRow) {
  const versions = await store.laVersions(db, a.learnerId, a.id);
  const lines = versions.flatMap((v) => v.lines);
  const courses = new Map(
    (
      await coursesByIds(
        db,
        lines.flatMap((l) => [...l.hostCourseIds, ...l.homeCourseIds]),
      )
    ).map((c) => [c.id, c]),
  );
  const insts = await institutionSummaries(db, [a.homeInstitutionId, a.hostInstitutionId]);
  const ref = (id: string) => {
    const c = courses.get(id)!;
    return { id, code: c.code, titleZh: c.titleZh, titleEn: c.titleEn, credits: formatCredits(parseCredits(c.credits)) };
  };
  const view = versions.map((v) => ({
    version: v.version,
    lines: v.lines.map((l) => ({ hostCourses: l.hostCourseIds.map(ref), homeCourses: l.homeCourseIds.map(ref) })),
    reason: v.reason,
    accepted: {
      learner: v.learnerAcceptedAt?.toISOString() ?? null,
      home: v.homeAcceptedAt?.toISOString() ?? null,
      host: v.hostAcceptedAt?.toISOString() ?? null,
    },
    binding: !!(v.learnerAcceptedAt && v.homeAcceptedAt && v.hostAcceptedAt),
  }));
  const current = [...view].reverse().find((v) => v.binding) ?? null;
  const latest = view[view.length - 1]!;
  return {
    id: a.id,
    learnerId: a.learnerId,
    learnerName: (await learnerProfile(db, a.learnerId, false)).learner.fullName,
    homeInstitution: insts.get(a.homeInstitutionId)!,
    hostInstitution: insts.get(a.hostInstitutionId)!,
    periodFrom: a.periodFrom,
    periodTo: a.periodTo,
    status: a.status,
    current,
    pending: latest.binding ? null : latest,
    versions: view,
  };
}

async function readable(db: Db, p: Principal, id: string) {
  const actor = requireSignedIn(p);
  const a = await store.learningAgreementById(db, id);
  if (!a) throw notFound('Learning agreement', id);
  authorize(actor, 'learningAgreement.read', refOf(a), 'Not a party', { what: 'Learning agreement', id });
  return { actor, a };
}

export async function getLearningAgreement(db: Db, p: Principal, id: string) {
  return present(db, (await readable(db, p, id)).a);
}

export async function myLearningAgreements(db: Db, p: Principal) {
  const actor = requireSignedIn(p);
  if (actor.kind !== 'user' || !actor.learnerId) return [];
  return Promise.all((await store.learningAgreementsOf(db, actor.learnerId)).map((a) => present(db, a)));
}

/** The learning agreements an institution is home or host to (its registrars). */
export async function learningAgreementsAt(db: Db, p: Principal, institutionId: string) {
  authorized(p, 'learningAgreement.list', { institutionIds: [institutionId] }, 'Only the institution’s registrars see its learning agreements');
  return Promise.all((await store.learningAgreementsAt(db, institutionId)).map((a) => present(db, a)));
}

/** Proposed by the learner or the home registrar; the proposer accepts by proposing. */
export async function proposeLearningAgreement(db: Db, p: Principal, body: z.infer<typeof newLearningAgreement>) {
  const actor = requireSignedIn(p);
  const learnerId = body.learnerId ?? (actor.kind === 'user' ? actor.learnerId : null);
  if (!learnerId) throw invalid('body.learnerId', 'name the learner (or sign in as the learner)');
  const enrolledAt = (await institutionsOfLearners(db, [learnerId])).map((e) => e.institutionId);
  if (!enrolledAt.includes(body.homeInstitutionId)) throw invalid('body.homeInstitutionId', 'the learner is not enrolled at this institution');
  const parts = partsOf(actor, { learnerId, homeInstitutionId: body.homeInstitutionId, hostInstitutionId: body.hostInstitutionId });
  authorize(
    actor,
    'learningAgreement.propose',
    { learnerId, institutionIds: [body.homeInstitutionId] },
    'A learning agreement is proposed by the learner or a registrar of the home institution',
  );
  await checkLines(db, body.lines, body.homeInstitutionId, body.hostInstitutionId, 'body.lines');
  const row = await db.transaction(async (tx) => {
    const a = await store.insertLearningAgreement(tx, {
      learnerId,
      homeInstitutionId: body.homeInstitutionId,
      hostInstitutionId: body.hostInstitutionId,
      periodFrom: body.periodFrom,
      periodTo: body.periodTo,
    });
    await store.insertLaVersion(tx, {
      learnerId,
      agreementId: a.id,
      version: 1,
      lines: body.lines,
      proposedBy: actor.kind === 'user' ? actor.userId : null,
      ...acceptance(actor, parts),
    });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: body.homeInstitutionId,
        action: 'learning_agreement.propose',
        entityType: 'learning_agreement',
        entityId: a.id,
        details: body,
      },
    ]);
    return a;
  });
  return present(db, row);
}

function acceptance(actor: Actor, parts: Part[]) {
  const now = new Date();
  const by = actor.kind === 'user' ? actor.userId : null;
  return {
    ...(parts.includes('learner') ? { learnerAcceptedAt: now } : {}),
    ...(parts.includes('home') ? { homeAcceptedAt: now, homeAcceptedBy: by } : {}),
    ...(parts.includes('host') ? { hostAcceptedAt: now, hostAcceptedBy: by } : {}),
  };
}

/** Any of the three proposes a change: a new version, accepted by its proposer, binding when all have. */
export async function changeLearningAgreement(db: Db, p: Principal, id: string, body: z.infer<typeof learningAgreementChange>) {
  const { actor, a } = await readable(db, p, id);
  const parts = partsOf(actor, a);
  authorize(actor, 'learningAgreement.change', refOf(a), 'Only the learner and the two institutions’ registrars change a learning agreement');
  await checkLines(db, body.lines, a.homeInstitutionId, a.hostInstitutionId, 'body.lines');
  await db.transaction(async (tx) => {
    await store.learningAgreementById(tx, id, true);
    const versions = await store.laVersions(tx, a.learnerId, id);
    const latest = versions[versions.length - 1]!;
    if (!(latest.learnerAcceptedAt && latest.homeAcceptedAt && latest.hostAcceptedAt))
      throw conflict(`Version ${latest.version} is still waiting for acceptance; accept or replace it before proposing another`, undefined, {
        code: 'awaiting_acceptance',
        version: latest.version,
      });
    await store.insertLaVersion(tx, {
      learnerId: a.learnerId,
      agreementId: id,
      version: latest.version + 1,
      lines: body.lines,
      reason: body.reason,
      proposedBy: actor.kind === 'user' ? actor.userId : null,
      ...acceptance(actor, parts),
    });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: a.homeInstitutionId,
        action: 'learning_agreement.change',
        entityType: 'learning_agreement',
        entityId: id,
        details: body,
      },
    ]);
  });
  return present(db, a);
}

/** Accepts the version waiting for acceptance, for each part the caller plays. */
export async function acceptLearningAgreement(db: Db, p: Principal, id: string, version: number) {
  const { actor, a } = await readable(db, p, id);
  const parts = partsOf(actor, a);
  authorize(actor, 'learningAgreement.change', refOf(a), 'Only the learner and the two institutions’ registrars accept a learning agreement');
  await db.transaction(async (tx) => {
    await store.learningAgreementById(tx, id, true);
    const versions = await store.laVersions(tx, a.learnerId, id);
    const latest = versions[versions.length - 1]!;
    if (latest.version !== version)
      throw conflict(`Version ${version} is not the one waiting for acceptance (that is version ${latest.version})`, 'body.version', {
        code: 'stale_version',
        currentVersion: latest.version,
      });
    const done = parts.filter((x) => (x === 'learner' ? latest.learnerAcceptedAt : x === 'home' ? latest.homeAcceptedAt : latest.hostAcceptedAt));
    if (done.length === parts.length) throw conflict('You have already accepted this version', undefined, { code: 'already_accepted' });
    await store.acceptLaVersion(tx, { learnerId: a.learnerId, agreementId: id, version }, acceptance(actor, parts));
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: a.homeInstitutionId,
        action: 'learning_agreement.accept',
        entityType: 'learning_agreement',
        entityId: id,
        details: { version, parts },
      },
    ]);
  });
  return present(db, a);
}

/** Rule ids made from learning-agreement lines: `la:<agreement>:<line>`. */
export const isLearningAgreementRule = (id: string) => id.startsWith('la:');

/** The bound lines of a learner's active learning agreements from one host into one home institution. */
export async function learningAgreementLines(db: Executor, learnerId: string, hostId: string, homeId: string) {
  const out: (Line & { id: string; effectiveFrom: string })[] = [];
  for (const a of await store.learningAgreementsOf(db, learnerId)) {
    if (a.status !== 'active' || a.hostInstitutionId !== hostId || a.homeInstitutionId !== homeId) continue;
    const versions = await store.laVersions(db, learnerId, a.id);
    const bound = [...versions].reverse().find((v) => v.learnerAcceptedAt && v.homeAcceptedAt && v.hostAcceptedAt);
    (bound ? bound.lines : []).forEach((l, i) =>
      out.push({ id: `la:${a.id}:${i + 1}`, hostCourseIds: [...l.hostCourseIds].sort(), homeCourseIds: l.homeCourseIds, effectiveFrom: a.periodFrom }),
    );
  }
  return out;
}
