import { describe, expect, it } from 'vitest';
import { applyPosting, balancesOf, emptyBalances, LedgerRuleError, planMove, planReversal, type Posting } from './rules.js';

const deposit = (seq: number, amount: number): Posting => ({ seq, kind: 'deposit', amount, from: null, to: 'available', reversesSeq: null });

describe('ledger rules', () => {
  it('derives balances from postings alone', () => {
    const ps: Posting[] = [deposit(1, 300), deposit(2, 450), { seq: 3, kind: 'use', amount: 500, from: 'available', to: 'used', reversesSeq: null }];
    expect(balancesOf(ps)).toEqual({ available: 250, used: 500 });
    expect(balancesOf([])).toEqual(emptyBalances());
  });

  it('plans deposits and transfers into available, and uses out of it', () => {
    expect(planMove(emptyBalances(), 'deposit', 300)).toEqual({ from: null, to: 'available' });
    expect(planMove(emptyBalances(), 'transfer_in', 300)).toEqual({ from: null, to: 'available' });
    expect(planMove({ available: 300, used: 0 }, 'use', 300)).toEqual({ from: 'available', to: 'used' });
  });

  it('refuses to use more than is available, and non-positive or fractional amounts', () => {
    expect(() => planMove({ available: 299, used: 0 }, 'use', 300)).toThrow(/Only 2.99 credits are available/);
    for (const bad of [0, -100, 1.5, Number.NaN]) expect(() => planMove(emptyBalances(), 'deposit', bad)).toThrow(LedgerRuleError);
  });

  it('reverses a posting by moving the same amount back', () => {
    const b = applyPosting(emptyBalances(), deposit(1, 300));
    const plan = planReversal(b, deposit(1, 300), false);
    expect(plan).toEqual({ from: 'available', to: null, amount: 300 });
    expect(applyPosting(b, plan)).toEqual(emptyBalances());
  });

  it('reverses a posting at most once and never reverses a reversal', () => {
    const b = { available: 300, used: 0 };
    expect(() => planReversal(b, deposit(1, 300), true)).toThrow(/already been reversed/);
    expect(() => planReversal(b, { seq: 2, kind: 'reversal', amount: 300, from: 'available', to: null, reversesSeq: 1 }, false)).toThrow(/itself a reversal/);
    expect(() => planReversal(b, undefined, false)).toThrow(/No such posting/);
  });

  it('refuses a reversal that would leave a state negative (credits already used)', () => {
    const b = balancesOf([deposit(1, 300), { seq: 2, kind: 'use', amount: 300, from: 'available', to: 'used', reversesSeq: null } satisfies Posting]);
    expect(() => planReversal(b, deposit(1, 300), false)).toThrow(/only 0 are available/);
    const use: Posting = { seq: 2, kind: 'use', amount: 300, from: 'available', to: 'used', reversesSeq: null };
    expect(planReversal(b, use, false)).toEqual({ from: 'used', to: 'available', amount: 300 });
  });
});
