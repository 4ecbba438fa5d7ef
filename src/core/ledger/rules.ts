// The credit ledger's rules, pure. A posting moves an amount of credits between states of one
// account; `null` is the world outside it. Balances are derived from postings and nothing else.
import type { Centi } from '../credits.js';

export const STATES = ['available', 'used'] as const;
export type State = (typeof STATES)[number];
export type PostingKind = 'deposit' | 'transfer_in' | 'use' | 'reversal';

export interface Posting {
  seq: number;
  kind: PostingKind;
  amount: Centi;
  from: State | null;
  to: State | null;
  reversesSeq: number | null;
}

export type Balances = Record<State, Centi>;

/** The movement each kind of posting makes (a reversal mirrors the posting it reverses). */
export const MOVES: Record<Exclude<PostingKind, 'reversal'>, { from: State | null; to: State }> = {
  deposit: { from: null, to: 'available' },
  transfer_in: { from: null, to: 'available' },
  use: { from: 'available', to: 'used' },
};

export function emptyBalances(): Balances {
  return { available: 0, used: 0 };
}

export function applyPosting(balances: Balances, p: Pick<Posting, 'amount' | 'from' | 'to'>): Balances {
  const next = { ...balances };
  if (p.from) next[p.from] -= p.amount;
  if (p.to) next[p.to] += p.amount;
  return next;
}

export function balancesOf(postings: Iterable<Pick<Posting, 'amount' | 'from' | 'to'>>): Balances {
  let b = emptyBalances();
  for (const p of postings) b = applyPosting(b, p);
  return b;
}

export class LedgerRuleError extends Error {
  constructor(
    message: string,
    readonly code: 'amount' | 'insufficient' | 'already_reversed' | 'reversal_of_reversal' | 'unknown_posting',
  ) {
    super(message);
    this.name = 'LedgerRuleError';
  }
}

/** Checks an amount: a positive whole number of hundredths. */
export function checkAmount(amount: Centi): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new LedgerRuleError(`A posting moves a positive amount of credits (got ${amount / 100})`, 'amount');
  }
}

/** Plans a new posting of `kind` against current balances; throws when a rule forbids it. */
export function planMove(balances: Balances, kind: Exclude<PostingKind, 'reversal'>, amount: Centi): { from: State | null; to: State } {
  checkAmount(amount);
  const move = MOVES[kind];
  if (move.from && balances[move.from] < amount) {
    throw new LedgerRuleError(`Only ${balances[move.from] / 100} credits are ${move.from}; cannot move ${amount / 100}`, 'insufficient');
  }
  return move;
}

/**
 * Plans the reversal of `target`: the same amount, moved back. A posting is reversed at most once,
 * a reversal is never itself reversed (post the original again instead), and a reversal may not
 * leave a state negative (credits already used must be released first).
 */
export function planReversal(
  balances: Balances,
  target: Posting | undefined,
  alreadyReversed: boolean,
): { from: State | null; to: State | null; amount: Centi } {
  if (!target) throw new LedgerRuleError('No such posting in this account', 'unknown_posting');
  if (target.kind === 'reversal') throw new LedgerRuleError(`Posting ${target.seq} is itself a reversal`, 'reversal_of_reversal');
  if (alreadyReversed) throw new LedgerRuleError(`Posting ${target.seq} has already been reversed`, 'already_reversed');
  const from = target.to;
  if (from && balances[from] < target.amount) {
    throw new LedgerRuleError(
      `Reversing posting ${target.seq} needs ${target.amount / 100} ${from} credits, but only ${balances[from] / 100} are ${from}`,
      'insufficient',
    );
  }
  return { from, to: target.from, amount: target.amount };
}
