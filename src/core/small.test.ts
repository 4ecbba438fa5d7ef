import { describe, expect, it } from 'vitest';
import { accountNumber, isAccountNumber } from './account-no.js';
import { compareTerms, formatTerm, parseTerm } from './terms.js';

describe('account numbers', () => {
  it('carry a Luhn check digit that catches a mistyped digit or a swap', () => {
    const no = accountNumber('12345678901');
    expect(no).toMatch(/^CB\d{12}$/);
    expect(isAccountNumber(no)).toBe(true);
    const digits = no.slice(2).split('');
    for (let i = 0; i < digits.length; i++) {
      const typo = [...digits];
      typo[i] = String((Number(typo[i]) + 1) % 10);
      expect(isAccountNumber(`CB${typo.join('')}`)).toBe(false);
    }
    const swapped = `CB${digits[1]}${digits[0]}${digits.slice(2).join('')}`;
    if (digits[0] !== digits[1]) expect(isAccountNumber(swapped)).toBe(false);
    expect(() => accountNumber('123')).toThrow();
    expect(isAccountNumber('XX123')).toBe(false);
  });
});

describe('terms', () => {
  it('reads and writes the registrar’s form', () => {
    expect(parseTerm('2023-2024-1')).toEqual({ startYear: 2023, semester: 1 });
    expect(formatTerm({ startYear: 2023, semester: 2 })).toBe('2023-2024-2');
    for (const bad of ['2023-2025-1', '2023-2024-4', '23-24-1', '2023/24-1']) expect(parseTerm(bad), bad).toBeUndefined();
  });
  it('orders terms in time', () => {
    const a = parseTerm('2023-2024-2')!;
    const b = parseTerm('2024-2025-1')!;
    expect(compareTerms(a, b)).toBeLessThan(0);
    expect(compareTerms(b, a)).toBeGreaterThan(0);
  });
});
