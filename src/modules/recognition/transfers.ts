// Transfer applications: a learner asks a target institution to recognise credits from the account;
// the rules propose each line; the target's registrar accepts, substitutes or rejects each with a
// reason. Granting a line is an exchange in the ledger, in one transaction: the source credits move
// from available to used (applied to this transfer), and the converted credits arrive as transfer_in
// in the target's unit. So a credit counts once, and undoing a transfer reverses both postings.
import { randomUUID } from 'node:crypto';
import { transferLineSubject } from '../../core/transfer/subject.js';
import type { z } from 'zod';
import { formatCredits, parseCredits, type Centi } from '../../core/credits.js';
import type { Db } from '../../db/connection.js';
import type { TransferLineTarget } from '../../db/json.js';
import { conflict, invalid, notFound, unprocessable } from '../../errors.js';
import { ownLearnerId } from '../accounts/service.js';
import { recordAudit } from '../audit/service.js';
import { transferApplied, transferDecided } from '../notifications/events.js';
import { revokeCredentialsOf } from '../credentials/status.js';
import { actorIds, hasInstitutionRole, requireSignedIn, type Principal } from '../auth/principal.js';
import { authorize, authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { coursesByIds } from '../catalog/service.js';
import { getInstitution, institutionSummaries } from '../institutions/service.js';
import * as ledger from '../ledger/service.js';
import { learnerNames } from '../learners/api.js';
import { outcomesOf } from '../outcomes/service.js';
import * as settings from '../settings/service.js';
import { checkTransfer } from './check.js';
import type { newTransfer, transferDecision, transferPolicy } from './schema.js';
import * as store from './store.js';

const CAUSE = 'transfer';

/** The grade in the target's scale when a method converted it; a grade merely carried over is not one. */
const convertedGrade = (v: Pick<Verdict, 'convertedGrade'>) => (v.convertedGrade && v.convertedGrade.method !== 'none' ? v.convertedGrade.grade : null);
type Verdict = Awaited<ReturnType<typeof checkTransfer>>['items'][number];
type Policy = z.infer<typeof transferPolicy>;
const policyKey = (institutionId: string) => `transfer-policy:${institutionId}`;

export async function getPolicy(db: Db, institutionId: string): Promise<Policy> {
  return { capPerSource: null, capTotal: null, ...((await settings.setting(db, policyKey(institutionId))) as Partial<Policy> | undefined) };
}

export async function setPolicy(db: Db, p: Principal, institutionId: string, body: Policy) {
  const actor = authorized(p, 'transfer.setPolicy', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  await db.transaction(async (tx) => {
    await settings.putSetting(tx, policyKey(institutionId), body, actor.kind === 'user' ? actor.userId : null);
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId, action: 'transfer_policy.set', entityType: 'institution', entityId: institutionId, details: body },
    ]);
  });
  return getPolicy(db, institutionId);
}

/** One application, with its learner's name and target institution looked up (the lists read them joined). */
async function present(db: Db, a: store.TransferRow) {
  const [names, insts] = await Promise.all([learnerNames(db, [a.learnerId]), institutionSummaries(db, [a.targetInstitutionId])]);
  return (await presentMany(db, [{ ...a, learnerName: names.get(a.learnerId)!, target: insts.get(a.targetInstitutionId)! }]))[0]!;
}

/** A page of applications in three statements whatever its size: the applications, their lines (with the courses they name), their postings. */
async function presentMany(db: Db, apps: store.ListedTransfer[]) {
  if (apps.length === 0) return [];
  const allLines = await store.linesOfMany(db, apps);
  const postingsByCause = await ledger.postingsOfCauses(
    db,
    apps.map((a) => a.learnerId),
    CAUSE,
    allLines.map((l) => `${l.applicationId}:${l.lineNo}`),
  );
  const linesOf = new Map<string, typeof allLines>();
  for (const l of allLines) linesOf.set(l.applicationId, [...(linesOf.get(l.applicationId) ?? []), l]);
  return apps.map((a) => presentOne(a, linesOf.get(a.id) ?? [], postingsByCause));
}

function presentOne(
  a: store.ListedTransfer,
  lines: Awaited<ReturnType<typeof store.linesOfMany>>,
  postingsByCause: Awaited<ReturnType<typeof ledger.postingsOfCauses>>,
) {
  const postings = lines.flatMap((l) => (postingsByCause.get(`${a.id}:${l.lineNo}`) ?? []).map((p) => ({ ...p, lineNo: l.lineNo })));
  return {
    id: a.id,
    learnerId: a.learnerId,
    learnerName: a.learnerName,
    targetInstitution: a.target,
    programmeId: a.programmeId,
    status: a.status,
    createdAt: a.createdAt.toISOString(),
    decidedAt: a.decidedAt?.toISOString() ?? null,
    withdrawal: a.withdrawnAt ? { at: a.withdrawnAt.toISOString(), by: a.withdrawnAs!, reason: a.withdrawReason! } : null,
    lines: lines.map((l) => {
      const proposal = l.proposal;
      const t = l.target;
      return {
        lineNo: l.lineNo,
        credentialSubject: transferLineSubject(a.id, l.lineNo),
        outcomeId: l.outcomeId,
        sourceInstitution: proposal.sourceInstitution,
        course: proposal.course,
        sourceCredits: formatCredits(parseCredits(l.sourceCredits)),
        sourceUnit: l.sourceUnit,
        grade: proposal.grade,
        proposal,
        status: l.status,
        target: !t
          ? null
          : t.kind === 'courses'
            ? {
                kind: 'courses' as const,
                courses: l.targetCourses.map((c) => ({ ...c, credits: formatCredits(parseCredits(c.credits)) })),
                category: null,
              }
            : { kind: 'elective' as const, courses: [], category: t.category },
        credits: l.credits === null ? null : formatCredits(parseCredits(l.credits)),
        unit: l.unit,
        convertedGrade: l.grade,
        reason: l.reason,
        decidedAt: l.decidedAt?.toISOString() ?? null,
      };
    }),
    postings,
  };
}

/** What the policy table needs of an application. */
const refOf = (a: store.TransferRow) => ({ learnerId: a.learnerId, institutionIds: [a.targetInstitutionId], state: a.status });

/** The learner, the target institution's staff, administrators; anyone else is told it does not exist. */
async function readable(db: Db, p: Principal, id: string) {
  requireSignedIn(p);
  const a = await store.transferById(db, id);
  if (!a) throw notFound('Transfer application', id);
  authorize(p, 'transfer.read', refOf(a), 'Not yours to read', { what: 'Transfer application', id });
  return a;
}

export async function getTransfer(db: Db, p: Principal, id: string) {
  return present(db, await readable(db, p, id));
}

export async function myTransfers(db: Db, p: Principal) {
  return presentMany(db, await store.transfersOfLearner(db, ownLearnerId(p)));
}

export async function transfersInto(db: Db, p: Principal, institutionId: string, status: store.TransferRow['status'] | 'all') {
  authorized(p, 'transfer.list', { institutionIds: [institutionId] }, 'Only the institution’s registrars and reviewers see the transfers into it');
  return presentMany(db, await store.transfersInto(db, institutionId, status));
}

export async function applyForTransfer(db: Db, p: Principal, body: z.infer<typeof newTransfer>) {
  const learnerId = ownLearnerId(p);
  const target = await getInstitution(db, body.targetInstitutionId).catch(() => {
    throw invalid('body.targetInstitutionId', 'no such institution');
  });
  const mine = new Map((await outcomesOf(db, learnerId)).map((o) => [o.id, o]));
  body.outcomeIds.forEach((id, i) => {
    const o = mine.get(id);
    if (!o) throw invalid(`body.outcomeIds.${i}`, 'is not a course result in your account');
    if (o.status !== 'recorded') throw invalid(`body.outcomeIds.${i}`, `${o.courseCode} was ${o.status}: only current results transfer`);
    if (!o.passed) throw invalid(`body.outcomeIds.${i}`, `${o.courseCode} was not passed`);
    if (o.institutionId === target.id) throw invalid(`body.outcomeIds.${i}`, `${o.courseCode} is already a course of ${target.code}`);
  });
  if (new Set(body.outcomeIds).size !== body.outcomeIds.length) throw invalid('body.outcomeIds', 'each result once');
  const courses = body.outcomeIds.map((id) => mine.get(id)!.courseId);
  courses.forEach((c, i) => {
    if (courses.indexOf(c) !== i)
      throw invalid(
        `body.outcomeIds.${i}`,
        `${mine.get(body.outcomeIds[i]!)!.courseCode} is in the application twice: the attempts of one course are one credit; apply with one of them`,
      );
  });
  // proposed on the results in the application only: a many-to-one rule matches when all its courses are in it
  const check = await checkTransfer(
    db,
    p,
    { targetInstitutionId: target.id, programmeId: body.programmeId, mine: true, courses: [], requestEvaluation: true },
    new Set(body.outcomeIds),
  );
  const verdicts = new Map(check.items.map((v) => [v.outcomeId, v]));
  const row = await db.transaction(async (tx) => {
    await ledger.lockAccount(tx, learnerId);
    // read again under the lock: a correction or revocation may have superseded a result since it was checked
    const now = new Map((await outcomesOf(tx, learnerId)).map((o) => [o.id, o.status]));
    body.outcomeIds.forEach((oid, i) => {
      if (now.get(oid) !== 'recorded')
        throw conflict(
          `${mine.get(oid)!.courseCode} was ${now.get(oid) ?? 'removed'} meanwhile: reload and apply with the current result`,
          `body.outcomeIds.${i}`,
          { code: 'outcome_superseded', state: now.get(oid) ?? 'removed' },
        );
    });
    // each line holds its credit from now on: a second application anywhere is refused until this one lets go
    const id = randomUUID();
    await ledger.claimUses(
      tx,
      learnerId,
      body.outcomeIds.map((oid, i) => {
        const o = mine.get(oid)!;
        return {
          credit: ledger.courseCredit(o.courseId),
          useType: 'transfer' as const,
          useId: `${id}:${i + 1}`,
          institutionId: target.id,
          label: `${o.institutionCode} ${o.courseCode}`,
        };
      }),
      { path: 'body.outcomeIds' },
    );
    const a = await store.insertTransfer(
      tx,
      { id, learnerId, targetInstitutionId: target.id, programmeId: body.programmeId ?? null },
      body.outcomeIds.map((oid, i) => {
        const o = mine.get(oid)!;
        return {
          learnerId,
          lineNo: i + 1,
          targetInstitutionId: target.id,
          outcomeId: oid,
          sourceInstitutionId: o.institutionId,
          sourceCredits: o.credits,
          sourceUnit: o.unit,
          proposal: verdicts.get(oid)!,
          agreementId: verdicts.get(oid)!.agreement?.id ?? null,
          equivalenceId: verdicts.get(oid)!.equivalenceId,
        };
      }),
    );
    await recordAudit(tx, [
      {
        ...actorIds(requireSignedIn(p)),
        institutionId: target.id,
        action: 'transfer.apply',
        entityType: 'transfer',
        entityId: a.id,
        details: { outcomeIds: body.outcomeIds },
      },
    ]);
    await transferApplied(tx, { id: a.id, targetInstitutionId: target.id, lines: body.outcomeIds.length });
    return a;
  });
  return present(db, row);
}

/** The target registrar decides every line at once; granted lines post in the same transaction. */
export async function decideTransfer(db: Db, p: Principal, id: string, body: z.infer<typeof transferDecision>) {
  const seen = await readable(db, p, id);
  const actor = authorized(
    p,
    'transfer.decide',
    refOf(seen),
    hasInstitutionRole(p, seen.targetInstitutionId, ['registrar']) ? 'Nobody decides their own transfer' : REGISTRAR_ONLY,
  );
  const target = await getInstitution(db, seen.targetInstitutionId);
  const policy = await getPolicy(db, target.id);
  await db.transaction(async (tx) => {
    // the learner's account first (the caps below are read under it), then the application:
    // a second, concurrent decision sees the first's result
    await ledger.lockAccount(tx, seen.learnerId);
    const a = (await store.transferById(tx, id, true))!;
    if (a.status !== 'submitted') throw conflict(`The application is already ${a.status}`, undefined, { code: 'already_decided', state: a.status });
    const lines = await store.linesOf(tx, a.learnerId, id);
    const byNo = new Map(body.lines.map((l, i) => [l.lineNo, { ...l, i }]));
    for (const l of lines) if (!byNo.has(l.lineNo)) throw invalid('body.lines', `decide every line: line ${l.lineNo} (${l.proposal.course.code}) is missing`);
    body.lines.forEach((d, i) => {
      if (!lines.some((l) => l.lineNo === d.lineNo)) throw invalid(`body.lines.${i}.lineNo`, `there is no line ${d.lineNo}`);
      if (body.lines.findIndex((x) => x.lineNo === d.lineNo) !== i) throw invalid(`body.lines.${i}.lineNo`, `line ${d.lineNo} is decided twice`);
    });
    // what is already held, for the caps: by agreement, by source institution, in all (in the target's unit)
    const granted = await store.grantedLines(tx, a.learnerId, target.id);
    const sum = (ls: store.LineRow[], f: (l: store.LineRow) => boolean) => ls.filter(f).reduce((s, l) => s + parseCredits(l.credits!), 0);
    const grants: {
      line: store.LineRow;
      credits: Centi;
      unit: 'credit' | 'ects';
      target: TransferLineTarget;
      grade: string | null;
      status: 'accepted' | 'substituted';
      reason: string | null;
    }[] = [];
    for (const l of lines) {
      const d = byNo.get(l.lineNo)!;
      const path = `body.lines.${d.i}`;
      const proposal = l.proposal;
      if (d.decision === 'reject') {
        if (!d.reason) throw invalid(`${path}.reason`, 'say why the line is rejected');
        await store.decideLine(tx, l, { status: 'rejected', reason: d.reason });
        await ledger.endUses(tx, a.learnerId, 'transfer', [`${id}:${l.lineNo}`], 'rejected');
        continue;
      }
      if (d.decision === 'accept') {
        if (proposal.status !== 'match' || !proposal.credits || !proposal.target)
          throw invalid(`${path}.decision`, `line ${l.lineNo} was not a Match; substitute to name what it becomes`);
        const t: TransferLineTarget =
          proposal.target.kind === 'courses'
            ? { kind: 'courses', courseIds: proposal.target.courses.map((c) => c.id) }
            : { kind: 'elective', category: proposal.target.category };
        grants.push({
          line: l,
          credits: parseCredits(proposal.credits),
          unit: proposal.unit ?? target.creditSystem!.unit,
          target: t,
          grade: convertedGrade(proposal),
          status: 'accepted',
          reason: d.reason ?? null,
        });
      } else {
        if (!d.target) throw invalid(`${path}.target`, 'say what the credit becomes');
        if (!d.credits || parseCredits(d.credits) <= 0) throw invalid(`${path}.credits`, 'say how many credits are granted');
        if (!d.reason) throw invalid(`${path}.reason`, 'say why the line is substituted');
        if (!target.creditSystem) throw unprocessable(`${target.code} has not declared its credit system`, undefined, { code: 'credit_system_missing' });
        if (d.target.kind === 'courses') {
          const found = await coursesByIds(tx, d.target.courseIds);
          d.target.courseIds.forEach((cid, j) => {
            if (found.find((c) => c.id === cid)?.institutionId !== target.id)
              throw invalid(`${path}.target.courseIds.${j}`, `is not a course of ${target.code}`);
          });
        }
        grants.push({
          line: l,
          credits: parseCredits(d.credits),
          unit: target.creditSystem.unit,
          target: d.target,
          grade: convertedGrade(proposal),
          status: 'substituted',
          reason: d.reason,
        });
      }
    }
    const all = [...granted]; // grows with each line granted here
    for (const g of grants) {
      const agreementId = g.line.agreementId;
      const cap = agreementId ? (await store.agreementById(tx, agreementId))?.capCredits : null;
      const checks: [string | null, number, string, 'agreement' | 'source' | 'total'][] = [
        [
          cap ?? null,
          sum(all, (l) => l.agreementId === agreementId && agreementId !== null),
          `under agreement ${g.line.proposal.agreement?.code}`,
          'agreement',
        ],
        [
          policy.capPerSource,
          sum(all, (l) => l.sourceInstitutionId === g.line.sourceInstitutionId),
          `from ${g.line.proposal.sourceInstitution.code}`,
          'source',
        ],
        [policy.capTotal, sum(all, () => true), 'in all', 'total'],
      ];
      for (const [limit, held, what, scope] of checks) {
        if (limit !== null && held + g.credits > parseCredits(limit)) {
          throw unprocessable(
            `Cap reached: at most ${limit} credits may be transferred into ${target.code} ${what}; this learner holds ${formatCredits(held)}, so line ${g.line.lineNo} (${formatCredits(g.credits)}) would exceed it`,
            `body.lines`,
            {
              code: 'cap_exceeded',
              scope: scope as string,
              scopeCode: scope === 'agreement' ? (g.line.proposal.agreement?.code ?? null) : scope === 'source' ? g.line.proposal.sourceInstitution.code : null,
              institution: target.code,
              limit,
              held: formatCredits(held),
              line: g.line.lineNo,
              credits: formatCredits(g.credits),
            },
          );
        }
      }
      const cause = {
        causeType: CAUSE,
        causeId: `${id}:${g.line.lineNo}`,
        memo: `${g.line.proposal.course.code} → ${target.code}`,
        createdBy: actor.kind === 'user' ? actor.userId : null,
      };
      await ledger.post(tx, a.learnerId, 'use', g.line.sourceUnit, [{ ...cause, amount: parseCredits(g.line.sourceCredits) }]);
      // the second course of a many-to-one rule is used up, its target's credits arriving with the first
      if (g.credits > 0) await ledger.post(tx, a.learnerId, 'transfer_in', g.unit, [{ ...cause, amount: g.credits }]);
      await store.decideLine(tx, g.line, {
        status: g.status,
        target: g.target,
        credits: formatCredits(g.credits),
        unit: g.unit,
        grade: g.grade,
        reason: g.reason,
      });
      all.push({ ...g.line, credits: formatCredits(g.credits) });
    }
    await store.closeTransfer(tx, a.learnerId, id, 'decided', actor.kind === 'user' ? actor.userId : null);
    await recordAudit(tx, [{ ...actorIds(actor), institutionId: target.id, action: 'transfer.decide', entityType: 'transfer', entityId: id, details: body }]);
    await transferDecided(tx, {
      id,
      learnerId: a.learnerId,
      institutionId: target.id,
      lines: lines.map((l) => ({
        course: l.proposal.course.code,
        decision: byNo.get(l.lineNo)!.decision,
        reason: byNo.get(l.lineNo)!.reason ?? null,
      })),
    });
  });
  return getTransfer(db, p, id);
}

/**
 * Withdraws an application: the learner while it waits; the target's registrar once decided, which
 * reverses what its granted lines posted (refused while the credits they brought are used, e.g. by
 * an award). Either way every line lets go of its credit, which may then be used elsewhere.
 */
export async function withdrawTransfer(db: Db, p: Principal, id: string, reason: string) {
  const seen = await readable(db, p, id);
  const actor = requireSignedIn(p);
  const own = actor.kind === 'user' && actor.learnerId === seen.learnerId;
  // the learner's withdrawal lost to the decision (or came after it): the state, not the person, refuses it
  if (seen.status === 'decided' && own && !hasInstitutionRole(actor, seen.targetInstitutionId, ['registrar'])) {
    throw conflict('The application is already decided: it can no longer be withdrawn; the target’s registrar may reverse the decision', undefined, {
      code: 'already_decided',
    });
  }
  authorize(
    p,
    'transfer.withdraw',
    refOf(seen),
    seen.status === 'submitted' ? 'Only the learner withdraws a waiting application; the registrar decides it' : REGISTRAR_ONLY,
  );
  await db.transaction(async (tx) => {
    await ledger.lockAccount(tx, seen.learnerId);
    const a = (await store.transferById(tx, id, true))!;
    if (a.status === 'withdrawn') throw conflict('The application is already withdrawn', undefined, { code: 'already_decided', state: a.status });
    if (a.status !== seen.status)
      throw conflict(`The application was ${a.status} meanwhile; reload it`, undefined, { code: 'version_conflict', state: a.status });
    const lines = await store.linesOf(tx, a.learnerId, id);
    const by = actor.kind === 'user' ? actor.userId : null;
    for (const l of lines) {
      const causeId = `${id}:${l.lineNo}`;
      if (l.status === 'accepted' || l.status === 'substituted') {
        // the credits that arrived must still be free: a use of them (an award) is withdrawn first
        const held = await ledger.liveUses(tx, [a.learnerId], [`transfer:${causeId}`]);
        if (held.length > 0) throw ledger.creditUsed(held.map((u) => ({ ...u, label: `${l.proposal.course.code} → ${u.institution.code}` })));
        await ledger.reverseCause(tx, a.learnerId, CAUSE, causeId, { causeType: CAUSE, causeId, memo: reason.slice(0, 200), createdBy: by });
        await revokeCredentialsOf(tx, transferLineSubject(id, l.lineNo), `Transfer reversed: ${reason}`.slice(0, 500), by);
      }
    }
    await ledger.endUses(
      tx,
      a.learnerId,
      'transfer',
      lines.map((l) => `${id}:${l.lineNo}`),
      'withdrawn',
    );
    await store.withdrawTransfer(tx, a.learnerId, id, a.status, { userId: by, as: a.status === 'submitted' ? 'learner' : 'registrar' }, reason);
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: a.targetInstitutionId,
        action: 'transfer.withdraw',
        entityType: 'transfer',
        entityId: id,
        details: { from: a.status, reason },
      },
    ]);
  });
  return getTransfer(db, p, id);
}
