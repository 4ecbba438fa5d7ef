// The events other modules report, each one call in the transaction where it happens: who is told,
// with which values. The values are kept, not the words: messages.ts renders them in each reader's
// language. No personal data of a learner goes into a message to staff (e-mail crosses other servers).
import type { Executor } from '../../db/connection.js';
import { farewellLearner, notify, notifyLearner, notifyStaff } from './service.js';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** A certification application moved: into a reviewer's or the committee's queue, or decided for the learner. */
export async function certificationMoved(
  tx: Executor,
  app: {
    id: string;
    learnerId: string;
    institutionId: string | null;
    title: string;
    creditsRequested: string | null;
    creditsGranted: string | null;
    decidedAt: Date | null;
  },
  to: string,
  o: { reason: string | null; appealWindowDays: number; actorUserId: string | null },
) {
  const queued = { title: app.title, credits: app.creditsRequested };
  if (to === 'submitted' && app.institutionId) {
    await notifyStaff(tx, {
      institutionId: app.institutionId,
      roles: ['reviewer'],
      kind: 'queue.certification',
      params: queued,
      link: `/certifications/${app.id}`,
      exceptUserId: o.actorUserId,
    });
  } else if (to === 'committee' || to === 'appealed') {
    await notifyStaff(tx, {
      institutionId: null,
      roles: ['committee'],
      kind: 'queue.certification',
      params: queued,
      link: `/certifications/${app.id}`,
      exceptUserId: o.actorUserId,
    });
  } else if (to === 'approved' || to === 'rejected' || to === 'more_info' || to === 'revoked') {
    const appealBy = to === 'rejected' && app.decidedAt ? day(new Date(app.decidedAt.getTime() + o.appealWindowDays * 86_400_000)) : null;
    await notifyLearner(tx, {
      learnerId: app.learnerId,
      kind: 'decision.certification',
      params: { title: app.title, outcome: to, reason: o.reason, credits: to === 'approved' ? app.creditsGranted : null, appealBy },
      link: `/certifications/${app.id}`,
    });
  }
}

/** Courses wait for the receiving institution's evaluation. */
export async function evaluationsRequested(tx: Executor, targetInstitutionId: string, courses: string[]) {
  if (courses.length === 0) return;
  await notifyStaff(tx, {
    institutionId: targetInstitutionId,
    roles: ['registrar', 'reviewer'],
    kind: 'queue.evaluation',
    params: { count: courses.length, courses: courses.slice(0, 10).join(', ') },
    link: '/institution/evaluations',
  });
}

export async function transferApplied(tx: Executor, t: { id: string; targetInstitutionId: string; lines: number }) {
  await notifyStaff(tx, {
    institutionId: t.targetInstitutionId,
    roles: ['registrar'],
    kind: 'queue.transfer',
    params: { lines: t.lines },
    link: `/institution/transfers/${t.id}`,
  });
}

export async function transferDecided(
  tx: Executor,
  t: { id: string; learnerId: string; institutionId: string; lines: { course: string; decision: string; reason: string | null }[] },
) {
  const rejected = t.lines.filter((l) => l.decision === 'reject').length;
  const reasons = t.lines
    .filter((l) => l.reason)
    .map((l) => `${l.course}: ${l.reason}`)
    .join('\n');
  await notifyLearner(tx, {
    learnerId: t.learnerId,
    kind: 'decision.transfer',
    params: { institutionId: t.institutionId, accepted: t.lines.length - rejected, rejected, reasons },
    link: `/transfers/${t.id}`,
  });
}

type Programme = { code: string; titleZh: string; titleEn: string; institutionId: string };
const programmeParams = (p: Programme) => ({ institutionId: p.institutionId, programmeZh: `${p.code} ${p.titleZh}`, programmeEn: `${p.code} ${p.titleEn}` });

export async function awardApplied(tx: Executor, p: Programme) {
  await notifyStaff(tx, { institutionId: p.institutionId, roles: ['registrar'], kind: 'queue.award', params: programmeParams(p), link: '/institution/awards' });
}

export async function awardDecided(tx: Executor, learnerId: string, p: Programme, outcome: 'approved' | 'rejected' | 'withdrawn', reason: string | null) {
  await notifyLearner(tx, { learnerId, kind: 'decision.award', params: { ...programmeParams(p), outcome, reason }, link: '/progress' });
}

/** Enrolments held on an identity match: the learner is asked; the bank's administrators see the conflicts. */
export async function enrolmentsHeld(
  tx: Executor,
  held: { id: string; institutionId: string; existingLearnerId: string; submitted: { externalId?: string } }[],
) {
  const perInstitution = new Map<string, number>();
  for (const h of held) {
    const externalId = h.submitted.externalId ?? '';
    await notifyLearner(tx, {
      learnerId: h.existingLearnerId,
      kind: 'enrolment.request',
      params: { institutionId: h.institutionId, externalId },
      link: '/account',
    });
    perInstitution.set(h.institutionId, (perInstitution.get(h.institutionId) ?? 0) + 1);
  }
  for (const [institutionId, count] of perInstitution) {
    await notifyStaff(tx, {
      institutionId: null,
      roles: ['admin'],
      kind: 'queue.identity',
      params: { institutionId, count },
      link: '/admin/identity-conflicts',
    });
  }
}

export async function credentialIssued(tx: Executor, c: { learnerId: string | null; institutionId: string; kind: string }) {
  if (!c.learnerId) return;
  await notifyLearner(tx, {
    learnerId: c.learnerId,
    kind: 'credential.issued',
    params: { institutionId: c.institutionId, credentialKind: c.kind },
    link: '/credentials',
  });
}

export async function credentialRevoked(tx: Executor, c: { learnerId: string | null; institutionId: string; kind: string }, reason: string) {
  if (!c.learnerId) return;
  await notifyLearner(tx, {
    learnerId: c.learnerId,
    kind: 'credential.revoked',
    params: { institutionId: c.institutionId, credentialKind: c.kind, reason },
    link: '/credentials',
  });
}

/** An import finished (or failed): the person who started it is told. */
export async function importFinished(
  tx: Executor,
  job: {
    id: string;
    institutionId: string;
    kind: string;
    filename: string | null;
    status: string;
    mode: string;
    accepted: number | null;
    rejected: number | null;
    message: string | null;
    createdBy: string | null;
  },
) {
  if (!job.createdBy) return;
  await notify(tx, {
    userId: job.createdBy,
    kind: 'import.finished',
    params: {
      institutionId: job.institutionId,
      importKind: job.kind,
      filename: job.filename,
      status: job.status,
      mode: job.mode,
      accepted: job.accepted,
      rejected: job.rejected,
      message: job.message,
    },
    link: '/institution/imports',
  });
}

/** A learner asked for the erasure of their personal data: the bank's administrators decide (nothing of the person in the message). */
export async function erasureRequested(tx: Executor) {
  await notifyStaff(tx, { institutionId: null, roles: ['admin'], kind: 'queue.erasure', link: '/admin/erasure-requests' });
}

/**
 * An erasure request decided. Declined: the learner is told with the reason. Approved: call it before
 * the erasure, in the same transaction; the learner gets one last e-mail (their inbox and sign-in go).
 */
export async function erasureDecided(tx: Executor, r: { learnerId: string; outcome: 'approved' | 'declined'; reason: string | null }) {
  const params = { outcome: r.outcome, reason: r.reason };
  if (r.outcome === 'approved') await farewellLearner(tx, { learnerId: r.learnerId, kind: 'decision.erasure', params });
  else await notifyLearner(tx, { learnerId: r.learnerId, kind: 'decision.erasure', params, link: '/account' });
}
