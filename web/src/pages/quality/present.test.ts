import { describe, expect, it } from 'vitest';
import { addMonths, defaultMonths, formatBytes, formatValue, monthsBetween, parseMonth, percent, periodOf, toCsv } from './present';

describe('months', () => {
  it('parses and steps across years', () => {
    expect(parseMonth('2026-11')).toEqual([2026, 11]);
    expect(parseMonth('2026-13')).toBeNull();
    expect(parseMonth('x')).toBeNull();
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', -14)).toBe('2025-01');
  });

  it('defaults to the last 12 months up to the end of this one', () => {
    const d = defaultMonths(new Date(2026, 10, 22));
    expect(d).toEqual({ from: '2025-12', to: '2026-11' });
    expect(periodOf(d.from, d.to)).toEqual({ from: '2025-12-01', to: '2026-12-01' });
    expect(monthsBetween(d.from, d.to)).toHaveLength(12);
    expect(monthsBetween('2026-02', '2026-01')).toEqual([]);
  });
});

describe('figures', () => {
  it('shows each unit', () => {
    expect(formatValue(1234, 'count', 'en')).toBe('1,234');
    expect(formatValue(2 / 3, 'ratio', 'zh-CN')).toBe('66.7%');
    expect(formatValue(1, 'ratio', 'en')).toBe('100%');
    expect(formatValue(3.46, 'days', 'en')).toBe('3.5');
    expect(formatValue(3e-7, 'days', 'en')).toBe('< 0.1');
    expect(formatValue(0, 'days', 'en')).toBe('0');
    expect(formatValue(7.5, 'credits', 'en')).toBe('7.5');
    expect(formatValue(4, 'score', 'en')).toBe('4.00');
    expect(formatValue(1.26, 'semesters', 'zh-CN')).toBe('1.3');
    expect(formatValue(0, 'semesters', 'en')).toBe('0');
    expect(formatValue(null, 'ratio', 'en')).toBe('—');
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(2150, 'en')).toBe('2.1 KB');
    expect(formatBytes(95_001, 'zh-CN')).toBe('93 KB');
    expect(formatBytes(1_300_000, 'en')).toBe('1.2 MB');
    expect(formatBytes(null, 'en')).toBe('—');
    expect(percent(0.66666)).toBe(66.7);
    expect(percent(null)).toBeNull();
  });
});

describe('CSV', () => {
  it('starts with a byte order mark, quotes where needed and ends lines with CRLF', () => {
    const text = toCsv([
      ['月份', 'count'],
      ['2026-11', 3],
      ['a, "b"', null],
    ]);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1)).toBe('月份,count\r\n2026-11,3\r\n"a, ""b""",\r\n');
    expect(new TextEncoder().encode(text).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });
});
