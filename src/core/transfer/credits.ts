// Credit conversion between institutions, exact: credits are integer hundredths and ratios are kept
// as fractions; only the final result is rounded, by a rule that is data.
import type { Centi } from '../credits.js';

export type RoundingMode = 'half_up' | 'half_even' | 'down' | 'up';

export interface Rounding {
  mode: RoundingMode;
  /** The step results land on, in hundredths: 1 = 0.01, 50 = 0.5, 100 = whole credits. */
  step: number;
}

export const DEFAULT_ROUNDING: Rounding = { mode: 'half_up', step: 50 };

/** num/den rounded to a multiple of `step` (all integers, den > 0). */
export function roundFraction(num: number, den: number, r: Rounding): number {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den <= 0) throw new RangeError('a fraction of safe integers with a positive denominator');
  if (!Number.isInteger(r.step) || r.step <= 0) throw new RangeError('the rounding step is a positive number of hundredths');
  const d = den * r.step;
  const q = Math.floor(num / d);
  const rem = num - q * d; // 0 ≤ rem < d
  let units = q;
  if (rem !== 0) {
    if (r.mode === 'up') units = q + 1;
    else if (r.mode === 'half_up') units = 2 * rem >= d ? q + 1 : q;
    else if (r.mode === 'half_even') units = 2 * rem > d || (2 * rem === d && q % 2 !== 0) ? q + 1 : q;
  }
  return units * r.step;
}

export interface CreditSystemRef {
  /** Hours per credit, in hundredths of an hour (16 h = 1600). */
  hoursPerCredit: number;
  hourType: 'contact' | 'workload';
}

export type Ratio = { num: number; den: number };

export type CreditConversion = { ok: true; credits: Centi; method: 'hours' | 'ratio'; exact: Ratio } | { ok: false; reason: string };

/**
 * Converts credits earned under `from` into credits of `to`: by the agreement's own ratio when it has
 * one (target credits per source credit), else by the hours behind a credit, which only compares like
 * with like (contact hours with contact hours, workload with workload).
 */
export function convertCredits(
  credits: Centi,
  from: CreditSystemRef,
  to: CreditSystemRef,
  rounding: Rounding = DEFAULT_ROUNDING,
  ratio?: Ratio,
): CreditConversion {
  if (!Number.isSafeInteger(credits) || credits < 0) throw new RangeError('credits are a non-negative number of hundredths');
  if (ratio) {
    if (ratio.num <= 0 || ratio.den <= 0) return { ok: false, reason: 'the agreement’s conversion ratio must be positive' };
    return { ok: true, credits: roundFraction(credits * ratio.num, ratio.den, rounding), method: 'ratio', exact: { num: credits * ratio.num, den: ratio.den } };
  }
  if (from.hourType !== to.hourType) {
    return { ok: false, reason: `the institutions count different hours (${from.hourType} vs ${to.hourType}); the agreement must set a conversion ratio` };
  }
  // target credits = source credits × source hours per credit / target hours per credit
  const num = credits * from.hoursPerCredit;
  const den = to.hoursPerCredit;
  return { ok: true, credits: roundFraction(num, den, rounding), method: 'hours', exact: { num, den } };
}
