// The credit ledger. Every change to a learner's credits goes through here, inside the caller's
// transaction: the account row is locked, the rules in core/ledger are checked against balances
// derived from the postings, and the posting is appended. Nothing is ever updated or deleted.
import { formatCredits, parseCredits, type Centi } from '../../core/credits.js';
import { applyPosting, checkAmount, emptyBalances, MOVES, LedgerRuleError, planMove, planReversal, type Balances, type PostingKind } from '../../core/ledger/rules.js';
import type { Executor, Tx } from '../../db/connection.js';
import { conflict, notFound, unprocessable } from '../../errors.js';
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
  if (account.status !== 'open') throw conflict(`The learning account is ${account.status}; no credits can be posted to it`);
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
    if (err instanceof LedgerRuleError) throw unprocessable(err.message, 'amount');
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

/** What a cause (a record, an application) moved in the account, reversals included. */
export async function postingsOfCause(db: Executor, learnerId: string, causeType: string, causeId: string) {
  const rows = await store.postingsOfCause(db, learnerId, causeType, causeId);
  return rows.map((p) => ({ seq: p.seq, kind: p.kind, amount: formatCredits(parseCredits(p.amount)), unit: p.unit }));
}

export interface BalanceView {
  unit: store.CreditUnit;
  available: string;
  used: string;
  total: string;
}

/** Each learner's balances, one line per credit unit held (none for an empty account). */
export async function balancesFor(db: Executor, learnerIds: string[]): Promise<Map<string, BalanceView[]>> {
  const rows = await store.balanceRows(db, learnerIds);
  const map = new Map<string, BalanceView[]>(learnerIds.map((id) => [id, []]));
  for (const r of rows) {
    const a = parseCredits(r.available);
    const u = parseCredits(r.used);
    map.get(r.learnerId)!.push({ unit: r.unit, available: formatCredits(a), used: formatCredits(u), total: formatCredits(a + u) });
  }
  return map;
}

/** A page of history, newest first; the caller has already checked who may read it. */
export async function history(db: Executor, learnerId: string, q: { cursor?: string; limit: number }) {
  const before = decodeCursor(q.cursor, isNumber);
  const rows = await historyRows(db, learnerId, before, q.limit + 1);
  return page(rows, q.limit, (last) => last.seq);
}

async function historyRows(db: Executor, learnerId: string, before: number | undefined, limit: number) {
  const rows = await store.historyRows(db, learnerId, before, limit);
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
  }));
}

/**
 * Deposits for many accounts at once (bulk imports): one statement locks and numbers all the
 * accounts, one inserts the postings. Deposits move nothing out of a state, so no balance is read.
 */
export async function depositMany(tx: Tx, items: (Cause & { learnerId: string; unit: store.CreditUnit; amount: Centi })[]) {
  if (items.length === 0) return;
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.learnerId, (counts.get(i.learnerId) ?? 0) + 1);
  const reserved = await store.reserveSeqsMany(tx, [...counts].map(([learnerId, n]) => ({ learnerId, n })));
  const next = new Map<string, number>();
  for (const r of reserved) {
    if (r.status !== 'open') throw conflict(`The learning account of learner ${r.learner_id} is ${r.status}; no credits can be posted to it`);
    next.set(r.learner_id, Number(r.last_seq) - counts.get(r.learner_id)! + 1);
  }
  const rows = items.map((i) => {
    const seq = next.get(i.learnerId);
    if (seq === undefined) throw notFound('Learning account', i.learnerId);
    next.set(i.learnerId, seq + 1);
    rule(() => checkAmount(i.amount));
    return {
      learnerId: i.learnerId,
      seq,
      kind: 'deposit' as const,
      amount: formatCredits(i.amount),
      unit: i.unit,
      fromState: null,
      toState: 'available' as const,
      causeType: i.causeType,
      causeId: i.causeId,
      memo: i.memo ?? null,
      createdBy: i.createdBy ?? null,
    };
  });
  await store.insertPostingsQuiet(tx, rows);
}
