import { describe, expect, it } from 'vitest';
import { convertCredits, roundFraction } from './credits.js';

const cn16 = { hoursPerCredit: 1600, hourType: 'contact' as const };
const cn18 = { hoursPerCredit: 1800, hourType: 'contact' as const };
const ects28 = { hoursPerCredit: 2800, hourType: 'workload' as const };

describe('credit conversion', () => {
  it('converts by hours per credit, exactly, rounding by the rule given', () => {
    // 3 credits × 16 h = 48 h = 2.666… credits of 18 h
    expect(convertCredits(300, cn16, cn18, { mode: 'half_up', step: 1 })).toMatchObject({
      ok: true,
      credits: 267,
      method: 'hours',
      exact: { num: 480000, den: 1800 },
    });
    expect(convertCredits(300, cn16, cn18, { mode: 'down', step: 50 })).toMatchObject({ credits: 250 });
    expect(convertCredits(300, cn16, cn18, { mode: 'half_up', step: 50 })).toMatchObject({ credits: 250 });
    expect(convertCredits(300, cn16, cn18, { mode: 'up', step: 100 })).toMatchObject({ credits: 300 });
  });
  it('refuses to compare contact hours with workload hours without a ratio', () => {
    expect(convertCredits(400, cn16, ects28)).toMatchObject({ ok: false, reason: expect.stringMatching(/conversion ratio/) });
    expect(convertCredits(400, cn16, ects28, { mode: 'half_up', step: 50 }, { num: 3, den: 2 })).toMatchObject({ ok: true, credits: 600, method: 'ratio' });
  });
  it('rounds half to even when asked', () => {
    expect(roundFraction(125, 1, { mode: 'half_even', step: 50 })).toBe(100);
    expect(roundFraction(175, 1, { mode: 'half_even', step: 50 })).toBe(200);
    expect(roundFraction(125, 1, { mode: 'half_up', step: 50 })).toBe(150);
  });
});
