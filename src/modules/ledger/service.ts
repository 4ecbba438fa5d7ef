// The credit ledger. Every change to a learner's credits goes through here, inside the caller's
// transaction: the account row is locked, the rules in core/ledger are checked against balances
// derived from the postings, and the posting is appended. Nothing is ever updated or deleted.
import { formatCredits, parseCredits, type Centi } from '../../core/credits.js';
import { applyPosting, emptyBalances, MOVES, LedgerRuleError, planMove, planReversal, type Balances, type PostingKind } from '../../core/ledger/rules.js';
import type { SQL } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/connection.js';
import { AppError, conflict, invalid, notFound, unprocessable } from '../../errors.js';
import { decodeCursor, isNumber, page } from '../../pagination.js';
import * as store from './store.js';

export interface Cause {
  causeType: string;
  causeId: string;
  memo?: string | null;
  createdBy?: string | null;
}

function toDomain(p: store.PostingRow) {
  return { seq: p.seq, kind: p.kind, amount: parseCredits(p.amount), from: p.fromState, to: p.toState, reversesSeq: p.reversesSeq };
}

/** Locks the account and reserves `n` sequence numbers; returns the first. */
async function reserve(tx: Tx, learnerId: string, n: number): Promise<number> {
  const account = await store.reserveSeqs(tx, learnerId, n);
  if (!account) throw notFound('Learning account', learnerId);
  if (account.status !== 'open')
    throw conflict(`The learning account is ${account.status}; no credits can be posted to it`, undefined, { code: 'account_not_open', state: account.status });
  return account.first;
}

/** The account's balances in one unit; call after `reserve`, which holds the account's lock. */
async function currentBalances(tx: Tx, learnerId: string, unit: store.CreditUnit): Promise<Balances> {
  const [row] = await store.balanceRows(tx, [learnerId], unit);
  return row ? { available: parseCredits(row.available), used: parseCredits(row.used) } : emptyBalances();
}

function rule<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof LedgerRuleError) throw unprocessable(err.message, 'amount', { code: 'ledger_rule' });
    throw err;
  }
}

/** Appends postings of one kind and unit to one account, in order, checking each against the balances. */
export async function post(tx: Tx, learnerId: string, kind: Exclude<PostingKind, 'reversal'>, unit: store.CreditUnit, items: (Cause & { amount: Centi })[]) {
  if (items.length === 0) return [];
  const first = await reserve(tx, learnerId, items.length);
  // Deposits take nothing out of a state, so only moves out of a state need the balances.
  let balances = MOVES[kind].from ? await currentBalances(tx, learnerId, unit) : emptyBalances();
  const rows = items.map((item, i) => {
    const move = rule(() => planMove(balances, kind, item.amount));
    balances = applyPosting(balances, { amount: item.amount, ...move });
    return {
      learnerId,
      seq: first + i,
      kind,
      amount: formatCredits(item.amount),
      unit,
      fromState: move.from,
      toState: move.to,
      causeType: item.causeType,
      causeId: item.causeId,
      memo: item.memo ?? null,
      createdBy: item.createdBy ?? null,
    };
  });
  return store.insertPostings(tx, rows);
}

/** Appends the reversal of one posting. */
export async function reverse(tx: Tx, learnerId: string, seq: number, cause: Cause) {
  const next = await reserve(tx, learnerId, 1);
  const target = await store.postingBySeq(tx, learnerId, seq);
  const balances = await currentBalances(tx, learnerId, target?.unit ?? 'credit');
  const already = target ? !!(await store.reversalOf(tx, learnerId, seq)) : false;
  const plan = rule(() => planReversal(balances, target && toDomain(target), already));
  const [row] = await store.insertPostings(tx, [
    {
      learnerId,
      seq: next,
      kind: 'reversal',
      amount: formatCredits(plan.amount),
      unit: target!.unit,
      fromState: plan.from,
      toState: plan.to,
      reversesSeq: seq,
      causeType: cause.causeType,
      causeId: cause.causeId,
      memo: cause.memo ?? null,
      createdBy: cause.createdBy ?? null,
    },
  ]);
  return row!;
}

/** Reverses every open posting made for a cause (a revoked or corrected record), newest first. */
export async function reverseCause(tx: Tx, learnerId: string, causeType: string, causeId: string, cause: Cause) {
  const open = await store.openPostingsOfCause(tx, learnerId, causeType, causeId);
  const done = [];
  for (const p of open.reverse()) done.push(await reverse(tx, learnerId, p.seq, cause));
  return done;
}

// ---- one credit, one use

/** The credit a course result stands for: every attempt of a course is one credit. */
export const courseCredit = (courseId: string) => `course:${courseId}`;
export type Use = store.NewUse;
export type LiveUse = Awaited<ReturnType<typeof liveUses>>[number];

/**
 * Locks the learner's account until the transaction ends. Every use of a learner's credits and every
 * cap is decided under this lock, so two requests (in any process) see each other's result.
 */
export async function lockAccount(tx: Tx, learnerId: string) {
  const account = await store.lockAccount(tx, learnerId);
  if (!account) throw notFound('Learning account', learnerId);
  return account;
}

/** Locks the accounts of every learner in `items` (a relation with learner_id), in learner order. */
export async function lockAccountsOf(tx: Tx, items: SQL) {
  await store.lockAccountsOf(tx, items);
}

export async function liveUses(db: Executor, learnerIds: string[], credits?: string[]) {
  return (await store.liveUses(db, learnerIds, credits)).map(({ use, institution }) => ({
    learnerId: use.learnerId,
    credit: use.credit,
    useType: use.useType,
    useId: use.useId,
    institution,
    since: use.startedAt.toISOString(),
  }));
}

/**
 * Takes a live use of each credit, in the caller's transaction. A credit another use already holds
 * is refused with 409 naming that use (where the credit went, since when); nothing is taken then.
 * `allow` lets a caller accept an existing use instead (an award the programme lets count again);
 * the credits so accepted are returned.
 */
export async function claimUses(
  tx: Tx,
  learnerId: string,
  uses: (Use & { label: string })[],
  opts: { path?: string; allow?: (held: LiveUse) => boolean } = {},
): Promise<Set<string>> {
  const credits = uses.map((u) => u.credit);
  const twice = credits.find((c, i) => credits.indexOf(c) !== i);
  if (twice)
    throw invalid(opts.path ?? 'body', `${uses.find((u) => u.credit === twice)!.label} appears twice: attempts of one course are one credit, used once`);
  const held = await store.claimUses(tx, learnerId, uses);
  if (held.length === 0) return new Set();
  const live = await liveUses(tx, [learnerId], held);
  const blocking = live.filter((u) => !opts.allow?.(u));
  if (blocking.length === 0) return new Set(held);
  const label = new Map(uses.map((u) => [u.credit, u.label]));
  throw creditUsed(
    blocking.map((u) => ({ ...u, label: label.get(u.credit)! })),
    opts.path,
  );
}

/** The refusal of a credit that a live use holds: 409, naming each use (code credit_already_used). */
export function creditUsed(held: (LiveUse & { label: string })[], path?: string) {
  const say = (u: LiveUse & { label: string }) =>
    `${u.label} is already used: ${u.useType === 'transfer' ? `transfer application ${u.useId.split(':')[0]} to` : `award ${u.useId} at`} ${u.institution.code} holds it since ${u.since.slice(0, 10)}`;
  const text = held.map(say).join('; ');
  return new AppError('conflict', `${text}. A credit has one use at a time: withdraw that one first`, path ? [{ path, message: text }] : [], {
    code: 'credit_already_used',
    uses: held.map((u) => ({ credit: u.credit, label: u.label, useType: u.useType, useId: u.useId, institution: u.institution, since: u.since })),
  });
}

/** Ends the live uses made by these transfer lines or this award (withdrawn, rejected, reversed). */
export const endUses = store.endUses;

/** What a cause (a record, an application) moved in the account, reversals included. */
export async function postingsOfCause(db: Executor, learnerId: string, causeType: string, causeId: string) {
  const rows = await store.postingsOfCause(db, learnerId, causeType, causeId);
  const kindOf = new Map(rows.map((p) => [p.seq, p.kind]));
  // a reversal undoes a posting of the same cause: which kind it undid says which way it moved
  return rows.map((p) => ({
    seq: p.seq,
    kind: p.kind,
    amount: formatCredits(parseCredits(p.amount)),
    unit: p.unit,
    reverses: p.reversesSeq === null ? null : (kindOf.get(p.reversesSeq) ?? null),
  }));
}

/** postingsOfCause for several causes at once, in one query: by cause id. */
export async function postingsOfCauses(db: Executor, learnerIds: string[], causeType: string, causeIds: string[]) {
  const rows = await store.postingsOfCauses(db, learnerIds, causeType, causeIds);
  const kindOf = new Map(rows.map((p) => [p.seq, p.kind]));
  const out = new Map<
    string,
    {
      seq: (typeof rows)[number]['seq'];
      kind: (typeof rows)[number]['kind'];
      amount: string;
      unit: (typeof rows)[number]['unit'];
      reverses: (typeof rows)[number]['kind'] | null;
    }[]
  >();
  for (const p of rows) {
    const list = out.get(p.causeId) ?? [];
    list.push({
      seq: p.seq,
      kind: p.kind,
      amount: formatCredits(parseCredits(p.amount)),
      unit: p.unit,
      reverses: p.reversesSeq === null ? null : (kindOf.get(p.reversesSeq) ?? null),
    });
    out.set(p.causeId, list);
  }
  return out;
}

/**
 * One unit's balances. Available and used are never added up: a transfer moves credits from the
 * source (now used) to the target (available), and a sum would count the same learning twice.
 */
export interface BalanceView {
  unit: store.CreditUnit;
  available: string;
  used: string;
}

const balanceView = <R extends { available: string; used: string }>(r: R) => ({
  ...r,
  available: formatCredits(parseCredits(r.available)),
  used: formatCredits(parseCredits(r.used)),
});

/** Each learner's balances, one line per credit unit held (none for an empty account). */
export async function balancesFor(db: Executor, learnerIds: string[]): Promise<Map<string, BalanceView[]>> {
  const rows = await store.balanceRows(db, learnerIds);
  const map = new Map<string, BalanceView[]>(learnerIds.map((id) => [id, []]));
  for (const r of rows) map.get(r.learnerId)!.push(balanceView({ unit: r.unit, available: r.available, used: r.used }));
  return map;
}

/**
 * A page of history, newest first; the caller has already checked who may read it. With
 * `institutionIds`, only the postings that belong to those institutions (a reader of limited scope).
 */
export async function history(db: Executor, learnerId: string, q: { cursor?: string; limit: number }, institutionIds?: string[]) {
  const before = decodeCursor(q.cursor, isNumber);
  const rows = await historyRows(db, learnerId, before, q.limit + 1, institutionIds);
  return page(rows, q.limit, (last) => last.seq);
}

/** Whether a posting belongs to one of the institutions (what a reader of limited scope may see of it). */
export const postingAttributed = store.postingAttributed;

/** The balances of the postings that belong to the institutions (a reader of limited scope). */
export async function balancesAttributed(db: Executor, learnerId: string, institutionIds: string[]): Promise<BalanceView[]> {
  return (await store.balanceRowsAttributed(db, learnerId, institutionIds)).map((r) => balanceView({ unit: r.unit, available: r.available, used: r.used }));
}

/** Balances by institution and unit, where the credits are held (store.institutionBalanceRows); with `institutionIds`, those institutions' rows. */
export async function balancesByInstitution(db: Executor, learnerId: string, institutionIds?: string[]) {
  return (await store.institutionBalanceRows(db, learnerId, institutionIds)).map(balanceView);
}

async function historyRows(db: Executor, learnerId: string, before: number | undefined, limit: number, institutionIds?: string[]) {
  const rows = await store.historyRows(db, learnerId, before, limit, institutionIds);
  return rows.map((r) => ({
    seq: Number(r.seq),
    kind: r.kind,
    amount: formatCredits(parseCredits(r.amount)),
    unit: r.unit,
    fromState: r.from_state,
    toState: r.to_state,
    causeType: r.cause_type,
    causeId: r.cause_id,
    reversesSeq: r.reverses_seq === null ? null : Number(r.reverses_seq),
    reversedBySeq: r.reversed_by_seq === null ? null : Number(r.reversed_by_seq),
    memo: r.memo,
    createdAt: new Date(r.created_at).toISOString(),
    balanceAfter: { available: formatCredits(parseCredits(r.available_after)), used: formatCredits(parseCredits(r.used_after)) },
    source:
      r.source_title_zh === null && r.source_title_en === null
        ? null
        : {
            code: r.source_code,
            titleZh: r.source_title_zh ?? r.source_title_en ?? '',
            titleEn: r.source_title_en ?? r.source_title_zh ?? '',
            institutionNameZh: r.source_institution_zh,
            institutionNameEn: r.source_institution_en,
            targetInstitutionNameZh: r.target_institution_zh,
            targetInstitutionNameEn: r.target_institution_en,
          },
  }));
}

/**
 * Deposits for many accounts from a relation computed in the database (bulk imports): `items` has
 * learner_id, amount (positive numeric credits), cause_id, memo and ord (the order of an account's
 * deposits). One statement locks and numbers the accounts, one inserts the postings and their log
 * entries; no row passes through here.
 */
export async function depositFrom(tx: Tx, d: { unit: store.CreditUnit; causeType: string; createdBy: string | null }, items: SQL) {
  const closed = await store.reserveSeqsFrom(tx, items);
  if (closed) {
    if (closed.status === null) throw notFound('Learning account', closed.learner_id);
    throw conflict(`The learning account of learner ${closed.learner_id} is ${closed.status}; no credits can be posted to it`, undefined, {
      code: 'account_not_open',
      state: closed.status,
    });
  }
  await store.insertDepositsFrom(tx, d, items);
}
