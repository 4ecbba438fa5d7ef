import { describe, expect, it } from 'vitest';
import { formatCredits, isCreditText, parseCredits } from './credits.js';

describe('credits are exact hundredths', () => {
  it('parses what SQL numeric and people write', () => {
    expect(parseCredits('3')).toBe(300);
    expect(parseCredits('3.5')).toBe(350);
    expect(parseCredits('3.50')).toBe(350);
    expect(parseCredits('0.05')).toBe(5);
    expect(parseCredits('-2.25')).toBe(-225);
    expect(parseCredits(' 12 ')).toBe(1200);
  });
  it('refuses what is not a two-decimal amount', () => {
    for (const bad of ['', 'abc', '3.555', '1e3', '3,5', '.5', 'NaN', '--1']) expect(() => parseCredits(bad), bad).toThrow(RangeError);
  });
  it('formats without float error or trailing zeros', () => {
    expect(formatCredits(350)).toBe('3.5');
    expect(formatCredits(400)).toBe('4');
    expect(formatCredits(5)).toBe('0.05');
    expect(formatCredits(-225)).toBe('-2.25');
    expect(formatCredits(0)).toBe('0');
    // 0.1 + 0.2 in hundredths is exactly 0.3
    expect(formatCredits(parseCredits('0.1') + parseCredits('0.2'))).toBe('0.3');
    expect(() => formatCredits(1.5)).toThrow(RangeError);
  });
  it('round-trips every amount', () => {
    for (let c = -1000; c <= 1000; c += 7) expect(parseCredits(formatCredits(c))).toBe(c);
  });
  it('tells credit text from other text', () => {
    expect(isCreditText('2.5')).toBe(true);
    expect(isCreditText('-2.5')).toBe(false);
    expect(isCreditText('2.555')).toBe(false);
  });
});
