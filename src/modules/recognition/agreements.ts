// Recognition agreements (互认协议): proposed by a party's registrar, in force once every party's
// registrar has approved; terminated agreements stop applying to new checks and applications,
// and decisions already taken under them stand.
import type { z } from 'zod';
import { formatCredits, parseCredits } from '../../core/credits.js';
import { isPassFail } from '../../core/grades/passfail.js';
import { checkGrade } from '../../core/grades/scales.js';
import type { Db, Executor } from '../../db/connection.js';
import { conflict, invalid, notFound } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, hasInstitutionRole, requireSignedIn, type Principal } from '../auth/principal.js';
import { authorize } from '../../policies/authorize.js';
import { listProgrammesOf } from '../catalog/service.js';
import { getInstitution, institutionSummaries } from '../institutions/service.js';
import type { newAgreement } from './schema.js';
import * as store from './store.js';

export async function presentAgreements(db: Executor, rows: store.AgreementRow[]) {
  const parties = await store.partiesOf(
    db,
    rows.map((r) => r.id),
  );
  const names = await institutionSummaries(
    db,
    parties.map((p) => p.institutionId),
  );
  return rows.map((a) => ({
    id: a.id,
    code: a.code,
    titleZh: a.titleZh,
    titleEn: a.titleEn,
    kind: a.kind,
    parties: parties.filter((p) => p.agreementId === a.id).map((p) => ({ ...names.get(p.institutionId)!, approvedAt: p.approvedAt?.toISOString() ?? null })),
    iscedScope: a.iscedScope,
    programmeScope: a.programmeScope,
    validFrom: a.validFrom,
    validTo: a.validTo,
    capCredits: a.capCredits === null ? null : formatCredits(parseCredits(a.capCredits)),
    ratio: a.ratioNum === null ? null : { from: a.ratioFrom!, num: a.ratioNum, den: a.ratioDen! },
    rounding: a.rounding,
    gradeMethod: a.gradeMethod,
    gradeTables: a.gradeTables,
    gradePolicy: a.gradePolicy,
    status: a.status,
    createdAt: a.createdAt.toISOString(),
  }));
}

export type AgreementView = Awaited<ReturnType<typeof presentAgreements>>[number];

export async function listAgreements(db: Db, institutionId?: string) {
  return presentAgreements(db, await store.listAgreements(db, institutionId));
}

export async function getAgreement(db: Db, id: string) {
  const row = await store.agreementById(db, id);
  if (!row) throw notFound('Agreement', id);
  return (await presentAgreements(db, [row]))[0]!;
}

export async function proposeAgreement(db: Db, p: Principal, body: z.infer<typeof newAgreement>) {
  const actor = requireSignedIn(p);
  authorize(
    actor,
    'agreement.propose',
    { institutionIds: body.partyIds },
    'Only a registrar of one of the parties (or an administrator) may propose an agreement',
  );
  const mine = body.partyIds.filter((i) => hasInstitutionRole(actor, i, ['registrar']));
  const names = await institutionSummaries(db, body.partyIds);
  body.partyIds.forEach((id, i) => {
    if (!names.has(id)) throw invalid(`body.partyIds.${i}`, 'no such institution');
  });
  if (body.ratio && !body.partyIds.includes(body.ratio.from)) throw invalid('body.ratio.from', 'must be one of the parties');
  body.gradeTables.forEach((t, i) => {
    if (!body.partyIds.includes(t.from)) throw invalid(`body.gradeTables.${i}.from`, 'must be one of the parties');
    if (body.gradeTables.findIndex((u) => u.from === t.from) !== i)
      throw invalid(`body.gradeTables.${i}.from`, 'one table (or pass/fail rule) per party: this party has one already');
  });
  await checkPassFailRules(db, body);
  if (body.programmeScope.length > 0) {
    const programmes = new Set((await Promise.all(body.partyIds.map((id) => listProgrammesOf(db, id)))).flat().map((pr) => pr.id));
    body.programmeScope.forEach((id, i) => {
      if (!programmes.has(id)) throw invalid(`body.programmeScope.${i}`, 'is not a programme of a party');
    });
  }
  if (await store.agreementByCode(db, body.code))
    throw conflict(`An agreement with code ${body.code} exists`, 'body.code', { code: 'code_taken', value: body.code });
  const row = await db.transaction(async (tx) => {
    const a = await store.insertAgreement(
      tx,
      {
        code: body.code,
        titleZh: body.titleZh,
        titleEn: body.titleEn,
        kind: body.kind,
        iscedScope: body.iscedScope,
        programmeScope: body.programmeScope,
        validFrom: body.validFrom,
        validTo: body.validTo,
        capCredits: body.capCredits,
        ratioFrom: body.ratio?.from ?? null,
        ratioNum: body.ratio?.num ?? null,
        ratioDen: body.ratio?.den ?? null,
        rounding: body.rounding,
        gradeMethod: body.gradeMethod,
        gradeTables: body.gradeTables,
        gradePolicy: body.gradePolicy,
        createdBy: actor.kind === 'user' ? actor.userId : null,
      },
      // the proposing registrar's institution approves by proposing
      body.partyIds.map((institutionId) => ({
        agreementId: '',
        institutionId,
        approvedBy: mine.includes(institutionId) && actor.kind === 'user' ? actor.userId : null,
        approvedAt: mine.includes(institutionId) ? new Date() : null,
      })),
    );
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: mine[0] ?? null, action: 'agreement.propose', entityType: 'agreement', entityId: a.id, details: body },
    ]);
    return a;
  });
  return getAgreement(db, row.id);
}

/**
 * A pass/fail rule is for a party whose scale is pass/fail, and names a passing grade of every other
 * party's graded scale (a party that is pass/fail too keeps Pass and needs none).
 */
async function checkPassFailRules(db: Db, body: z.infer<typeof newAgreement>) {
  const rules = body.gradeTables.map((t, i) => ({ ...t, i })).filter((t) => t.table.type === 'pass_fail');
  if (rules.length === 0) return;
  const parties = new Map(await Promise.all(body.partyIds.map(async (id) => [id, await getInstitution(db, id)] as const)));
  const scaleOf = (id: string) => parties.get(id)!.gradingScales[0]?.definition;
  for (const { from, table, i } of rules) {
    const own = scaleOf(from);
    if (!own || !isPassFail(own))
      throw invalid(`body.gradeTables.${i}.table`, `a pass/fail rule is for a party whose grading scale is pass/fail; ${parties.get(from)!.code}'s is not`);
    const pass = (table as { pass: string }).pass;
    for (const other of body.partyIds) {
      const scale = scaleOf(other);
      if (other === from || !scale || isPassFail(scale)) continue;
      const g = checkGrade(scale, pass);
      if (!g.ok || !g.passed)
        throw invalid(
          `body.gradeTables.${i}.table.pass`,
          `must be a passing grade of ${parties.get(other)!.code}'s scale: ${g.ok ? `${pass} does not pass` : g.reason}`,
        );
    }
  }
}

/** A party's registrar approves; the agreement is in force when the last party has. */
export async function approveAgreement(db: Db, p: Principal, id: string) {
  const actor = requireSignedIn(p);
  await db.transaction(async (tx) => {
    const a = await store.agreementById(tx, id, true);
    if (!a) throw notFound('Agreement', id);
    if (a.status !== 'proposed')
      throw conflict(`The agreement is ${a.status.replace('_', ' ')}; there is nothing to approve`, undefined, { code: 'invalid_state', state: a.status });
    const parties = await store.partiesOf(tx, [id]);
    authorize(actor, 'agreement.approve', { institutionIds: parties.map((x) => x.institutionId) }, 'Only a registrar of a party approves an agreement');
    const pending = parties.filter((x) => !x.approvedAt && hasInstitutionRole(actor, x.institutionId, ['registrar']));
    if (pending.length === 0) throw conflict('Your institution has already approved this agreement');
    for (const x of pending) await store.approveParty(tx, id, x.institutionId, actor.kind === 'user' ? actor.userId : null);
    const all = (await store.partiesOf(tx, [id])).every((x) => x.approvedAt);
    if (all) await store.setAgreementStatus(tx, id, 'in_force');
    await recordAudit(
      tx,
      pending.map((x) => ({
        ...actorIds(actor),
        institutionId: x.institutionId,
        action: 'agreement.approve',
        entityType: 'agreement',
        entityId: id,
        details: { inForce: all },
      })),
    );
  });
  return getAgreement(db, id);
}

export async function terminateAgreement(db: Db, p: Principal, id: string, reason: string) {
  const actor = requireSignedIn(p);
  await db.transaction(async (tx) => {
    const a = await store.agreementById(tx, id, true);
    if (!a) throw notFound('Agreement', id);
    const parties = await store.partiesOf(tx, [id]);
    authorize(
      actor,
      'agreement.terminate',
      { institutionIds: parties.map((x) => x.institutionId) },
      'Only a registrar of a party (or an administrator) may terminate an agreement',
    );
    if (a.status === 'terminated') throw conflict('The agreement is already terminated', undefined, { code: 'invalid_state', state: a.status });
    await store.setAgreementStatus(tx, id, 'terminated');
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: null, action: 'agreement.terminate', entityType: 'agreement', entityId: id, details: { reason } },
    ]);
  });
  return getAgreement(db, id);
}

/** The agreement's own conversion ratio from one party to another, when it sets one. */
export function ratioBetween(a: store.AgreementRow, sourceId: string, targetId: string) {
  if (a.ratioNum === null || a.ratioDen === null) return undefined;
  if (a.ratioFrom === sourceId) return { num: a.ratioNum, den: a.ratioDen };
  if (a.ratioFrom === targetId) return { num: a.ratioDen, den: a.ratioNum };
  return undefined; // between two other parties of an alliance: by hours
}

/** Whether an agreement covers a course of this field for this target programme. */
export function covers(a: store.AgreementRow, iscedCode: string, programmeId: string | undefined): boolean {
  const fields = a.iscedScope;
  const programmes = a.programmeScope;
  return (fields.length === 0 || fields.some((f) => iscedCode.startsWith(f))) && (programmes.length === 0 || !programmeId || programmes.includes(programmeId));
}
