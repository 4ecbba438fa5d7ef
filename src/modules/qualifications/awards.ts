// Awards: a learner whose audit passes applies; a registrar of the programme's institution approves
// (the credits the audit counted move to "used" in the ledger, in the same transaction) or rejects
// with a reason; an approved award can be withdrawn, which reverses those postings.
import { formatCredits } from '../../core/credits.js';
import type { NodeResult } from '../../core/requirements/audit.js';
import type { Db } from '../../db/connection.js';
import { conflict, notFound } from '../../errors.js';
import { ownLearnerId } from '../accounts/service.js';
import { recordAudit } from '../audit/service.js';
import { awardApplied, awardDecided } from '../notifications/events.js';
import { revokeCredentialsOf } from '../credentials/status.js';
import { actorIds, requireSignedIn, type Principal } from '../auth/principal.js';
import { authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import * as ledger from '../ledger/service.js';
import { presentAward, presentAwards } from './award-view.js';
import { programme } from './programmes.js';
import { auditFor } from './service.js';

export { presentAward };
import * as store from './store.js';

const CAUSE = 'award';

/** The unmet requirements, in words for the error a learner sees. */
function unmetTitles(nodes: NodeResult[]): string[] {
  return nodes.flatMap((n) => (n.satisfied ? [] : n.children ? unmetTitles(n.children) : [`${n.titleEn} (${n.titleZh})`]));
}

export async function applyForAward(db: Db, principal: Principal, programmeId: string) {
  const learnerId = ownLearnerId(principal);
  const actor = requireSignedIn(principal);
  const { p, version, result } = await auditFor(db, learnerId, programmeId);
  if (!result.complete) {
    const gaps = unmetTitles(result.nodes);
    if (!result.total.satisfied) gaps.unshift(`${formatCredits(result.total.required - result.total.credits)} more credits in total`);
    if (result.residency && !result.residency.satisfied)
      gaps.push(`${formatCredits(result.residency.required - result.residency.credits)} more credits earned at ${p.institutionCode}`);
    throw conflict(`The audit for ${p.code} does not pass yet: ${gaps.join('; ')}`, 'body.programmeId', { code: 'audit_not_met', programme: p.code });
  }
  const live = (await store.awardsOfLearner(db, learnerId)).find((a) => a.programmeId === p.id && (a.status === 'applied' || a.status === 'approved'));
  if (live)
    throw conflict(`There is already an award application for ${p.code} (${live.status})`, 'body.programmeId', {
      code: 'award_exists',
      programme: p.code,
      state: live.status,
    });
  const row = await db.transaction(async (tx) => {
    const a = await store.insertAward(tx, {
      learnerId,
      programmeId: p.id,
      catalogueYear: version.catalogueYear,
      credits: formatCredits(result.total.credits),
      unit: p.unit,
      items: result.counted,
      audit: result,
    });
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: p.institutionId, action: 'award.apply', entityType: 'award', entityId: a.id, details: { programme: p.code } },
    ]);
    await awardApplied(tx, p);
    return a;
  });
  return presentAward(db, row);
}

export async function myAwards(db: Db, principal: Principal) {
  const learnerId = ownLearnerId(principal);
  return presentAwards(db, await store.awardsOfLearner(db, learnerId));
}

export async function awardsAt(db: Db, principal: Principal, institutionId: string, status: store.AwardRow['status'] | 'all') {
  authorized(principal, 'award.list', { institutionIds: [institutionId] }, 'Only the institution’s registrars see its awards');
  const statuses = status === 'all' ? (['applied', 'approved', 'rejected', 'withdrawn'] as const) : ([status] as const);
  return presentAwards(db, await store.awardsAt(db, institutionId, [...statuses]));
}

async function awardForRegistrar(db: Db, principal: Principal, id: string) {
  const a = await store.awardById(db, id);
  if (!a) throw notFound('Award', id);
  const p = await programme(db, a.programmeId);
  const actor = authorized(principal, 'award.decide', { institutionIds: [p.institutionId] }, REGISTRAR_ONLY);
  return { a, p, actor, by: actor.kind === 'user' ? actor.userId : null };
}

/**
 * Approves on a fresh audit, made under the learner's account lock (the record may have changed since
 * the learner applied, and another award or transfer may be deciding at this moment): every credit it
 * counts is taken for this award. A credit another approved award holds counts again only where the
 * programme's rules let it (the audit sets the others aside); one a transfer holds is refused.
 */
export async function approveAward(db: Db, principal: Principal, id: string) {
  const { a, p, actor, by } = await awardForRegistrar(db, principal, id);
  if (a.status !== 'applied')
    throw conflict(`This award is ${a.status}; only an application can be approved`, undefined, { code: 'invalid_state', state: a.status });
  await db.transaction(async (tx) => {
    await ledger.lockAccount(tx, a.learnerId);
    const { result, items, views, credits } = await auditFor(tx, a.learnerId, a.programmeId);
    if (!result.complete)
      throw conflict(`The audit for ${p.code} no longer passes: ${unmetTitles(result.nodes).join('; ') || 'not enough credits in total'}`, undefined, {
        code: 'audit_not_met',
        programme: p.code,
      });
    if (!(await store.setAwardStatus(tx, id, 'applied', 'approved', by, null)))
      throw conflict('Someone decided this award meanwhile', undefined, { code: 'version_conflict' });
    const counted = new Set(result.counted);
    const title = new Map(views.map((v) => [v.id, v.titleEn]));
    const countedItems = items.filter((i) => counted.has(i.id));
    const stacked = await ledger.claimUses(
      tx,
      a.learnerId,
      countedItems.map((i) => ({
        credit: credits.get(i.id)!,
        useType: 'award' as const,
        useId: id,
        institutionId: p.institutionId,
        label: title.get(i.id) ?? i.id,
      })),
      { allow: (held) => held.useType === 'award' },
    );
    // credits another award already moved to "used" are counted again, not used again
    const amount = countedItems.filter((i) => !stacked.has(credits.get(i.id)!)).reduce((t, i) => t + i.credits, 0);
    if (amount > 0)
      await ledger.post(tx, a.learnerId, 'use', p.unit, [
        { amount, causeType: CAUSE, causeId: id, memo: `${p.code} ${p.titleZh}`.slice(0, 200), createdBy: by },
      ]);
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: p.institutionId,
        action: 'award.approve',
        entityType: 'award',
        entityId: id,
        details: { credits: formatCredits(result.total.credits), used: formatCredits(amount) },
      },
    ]);
    await awardDecided(tx, a.learnerId, p, 'approved', null);
  });
  return presentAward(db, (await store.awardById(db, id))!);
}

export async function rejectAward(db: Db, principal: Principal, id: string, reason: string) {
  const { a, p, actor, by } = await awardForRegistrar(db, principal, id);
  if (a.status !== 'applied')
    throw conflict(`This award is ${a.status}; only an application can be rejected`, undefined, { code: 'invalid_state', state: a.status });
  await db.transaction(async (tx) => {
    if (!(await store.setAwardStatus(tx, id, 'applied', 'rejected', by, reason)))
      throw conflict('Someone decided this award meanwhile', undefined, { code: 'version_conflict' });
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: p.institutionId, action: 'award.reject', entityType: 'award', entityId: id, details: { reason } },
    ]);
    await awardDecided(tx, a.learnerId, p, 'rejected', reason);
  });
  return presentAward(db, (await store.awardById(db, id))!);
}

/** Withdraws an approved award: the credits it used become available again. */
export async function withdrawAward(db: Db, principal: Principal, id: string, reason: string) {
  const { a, p, actor, by } = await awardForRegistrar(db, principal, id);
  if (a.status !== 'approved')
    throw conflict(`This award is ${a.status}; only an approved award can be withdrawn`, undefined, { code: 'invalid_state', state: a.status });
  await db.transaction(async (tx) => {
    await ledger.lockAccount(tx, a.learnerId);
    // an award that counts these credits again (a programme of another level lets it) rests on this
    // one's use of them: it goes first, so that no credit is left counted without a use
    const mine = new Set(a.items);
    const resting = (await store.awardsOfLearner(tx, a.learnerId)).find((w) => w.id !== id && w.status === 'approved' && w.items.some((i) => mine.has(i)));
    if (resting) throw conflict(`Award ${resting.id} counts credits of this one again; withdraw it first`);
    if (!(await store.setAwardStatus(tx, id, 'approved', 'withdrawn', by, reason)))
      throw conflict('Someone changed this award meanwhile', undefined, { code: 'version_conflict' });
    await ledger.reverseCause(tx, a.learnerId, CAUSE, id, { causeType: CAUSE, causeId: id, memo: reason.slice(0, 200), createdBy: by });
    await ledger.endUses(tx, a.learnerId, 'award', [id], 'withdrawn');
    await revokeCredentialsOf(tx, id, `Award withdrawn: ${reason}`.slice(0, 500), by);
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: p.institutionId, action: 'award.withdraw', entityType: 'award', entityId: id, details: { reason } },
    ]);
    await awardDecided(tx, a.learnerId, p, 'withdrawn', reason);
  });
  return presentAward(db, (await store.awardById(db, id))!);
}
