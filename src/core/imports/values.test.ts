import { describe, expect, it } from 'vitest';
import { calendarDate, formatExcelNumber, normalizeCell, parseDate, parseDecimal, parseInteger } from './values.js';

const reason = (r: { ok: boolean; reason?: string }) => (r.ok ? undefined : r.reason);

describe('normalizeCell', () => {
  it('folds full-width characters and the ideographic space', () => {
    expect(normalizeCell('２０２４０１０００１')).toBe('2024010001');
    expect(normalizeCell('ＣＳ２０３１')).toBe('CS2031');
    expect(normalizeCell('张\u3000晓明')).toBe('张 晓明');
    expect(normalizeCell('学号（Student number）')).toBe('学号(Student number)');
  });
  it('trims, collapses whitespace and drops invisible characters', () => {
    expect(normalizeCell('  数据库 \t\r\n 系统  ')).toBe('数据库 系统');
    expect(normalizeCell('\uFEFF学号')).toBe('学号');
    expect(normalizeCell('CS\u200B20\u200D31\u2060')).toBe('CS2031');
    expect(normalizeCell('86\u0000\u001F')).toBe('86');
    expect(normalizeCell('\u00A0\u3000 ')).toBe('');
    expect(normalizeCell('')).toBe('');
  });
  it('is idempotent', () => {
    for (const s of ['　Ａ　Ｂ　', '学号 Student number', 'a\u200Bb']) expect(normalizeCell(normalizeCell(s))).toBe(normalizeCell(s));
  });
});

describe('parseDate', () => {
  it('reads the ways registrars write a date', () => {
    for (const s of [
      '2024-09-01',
      '2024/9/1',
      '2024.9.1',
      '2024年9月1日',
      '2024年9月1',
      '2024 年 9 月 1 日',
      '20240901',
      '２０２４－０９－０１',
      '2024-09-01 00:00:00',
      '2024/9/1 8:30',
      '2024-09-01T00:00:00',
      '45536',
      '45536.5',
    ]) {
      expect(parseDate(s), s).toEqual({ ok: true, value: '2024-09-01' });
    }
  });
  it('reads Excel day numbers in the 1900 date system, Lotus leap-year bug included', () => {
    expect(parseDate('1')).toEqual({ ok: true, value: '1900-01-01' });
    expect(parseDate('59')).toEqual({ ok: true, value: '1900-02-28' });
    expect(parseDate('61')).toEqual({ ok: true, value: '1900-03-01' });
    expect(parseDate('43831')).toEqual({ ok: true, value: '2020-01-01' });
    expect(reason(parseDate('60'))).toMatch(/does not exist/);
    expect(reason(parseDate('0'))).toMatch(/not a date/);
  });
  it('refuses days that do not exist, saying why', () => {
    expect(reason(parseDate('2023-02-29'))).toBe('日期不存在 / 2023-02-29 is not a date (2023 is not a leap year)');
    expect(reason(parseDate('2024-02-30'))).toBe('日期不存在 / 2024-02-30 is not a date (month 2 of 2024 has 29 days)');
    expect(reason(parseDate('2024-04-31'))).toMatch(/has 30 days/);
    expect(reason(parseDate('2024-13-01'))).toMatch(/no month 13/);
    expect(reason(parseDate('20241301'))).toMatch(/no month 13/);
    expect(reason(parseDate('2024-00-10'))).toMatch(/no month 0/);
    expect(reason(parseDate('2024-01-00'))).toMatch(/not a date/);
    expect(parseDate('2000-02-29').ok).toBe(true);
    expect(reason(parseDate('1900-02-29'))).toMatch(/not a leap year/);
  });
  it('refuses ambiguous and unreadable text', () => {
    expect(reason(parseDate('9/1/2024'))).toMatch(/year first/);
    expect(reason(parseDate('24-9-1'))).toMatch(/two-digit year/);
    expect(reason(parseDate(''))).toBe('未填写日期 / no date given');
    expect(reason(parseDate('2024-09'))).toMatch(/not a date/);
    expect(reason(parseDate('2024-9/1'))).toMatch(/not a date/);
    expect(reason(parseDate('123456'))).toMatch(/not a date/);
    expect(reason(parseDate('1850-01-01'))).toMatch(/out of range/);
    expect(reason(parseDate('明天'))).toMatch(/not a date/);
  });
  it('calendarDate checks leap years by the Gregorian rules', () => {
    expect(calendarDate(2000, 2, 29).ok).toBe(true);
    expect(calendarDate(2100, 2, 29).ok).toBe(false);
    expect(calendarDate(2024, 2, 29)).toEqual({ ok: true, value: '2024-02-29' });
  });
});

describe('parseDecimal', () => {
  it('returns canonical decimal text', () => {
    const cases: [string, string][] = [
      ['3.50', '3.5'],
      ['003', '3'],
      ['3', '3'],
      ['0.5', '0.5'],
      ['.5', '0.5'],
      ['5.', '5'],
      ['+2', '2'],
      ['-0', '0'],
      ['-1.20', '-1.2'],
      ['０３．５', '3.5'],
      [' 86 ', '86'],
      ['0', '0'],
      ['000.00', '0'],
    ];
    for (const [input, out] of cases) expect(parseDecimal(input, 2), input).toEqual({ ok: true, value: out });
  });
  it('rounds binary float artifacts before counting decimals', () => {
    expect(parseDecimal('3.4999999999999996', 2)).toEqual({ ok: true, value: '3.5' });
    expect(parseDecimal('0.30000000000000004', 1)).toEqual({ ok: true, value: '0.3' });
    expect(parseDecimal('86.00000000000001', 0)).toEqual({ ok: true, value: '86' });
    // a genuine long number is not rounded into acceptance
    expect(parseDecimal('3.14159', 2).ok).toBe(false);
    expect(parseDecimal('2.005', 2).ok).toBe(false);
    // rounding never eats integer digits
    expect(parseDecimal('123456789012.50000000001', 2)).toEqual({ ok: true, value: '123456789012.5' });
  });
  it('refuses commas, exponents, too many decimals and non-numbers', () => {
    expect(reason(parseDecimal('1,234', 2))).toMatch(/no thousands separators/);
    expect(reason(parseDecimal('3,5', 2))).toMatch(/decimal mark/);
    expect(reason(parseDecimal('1.2E+3', 2))).toMatch(/scientific notation/);
    expect(reason(parseDecimal('3.555', 2))).toBe('"3.555" has 3 decimal places; at most 2 allowed');
    expect(reason(parseDecimal('3.5', 0))).toBe('"3.5" must be a whole number');
    for (const bad of ['', '.', '-', '86%', '八十', '1.2.3', '1 000', '0x10', 'Infinity', 'NaN']) {
      expect(parseDecimal(bad, 2).ok, bad).toBe(false);
    }
    expect(reason(parseDecimal('1234567890123456', 0))).toMatch(/too many digits/);
  });
});

describe('parseInteger', () => {
  it('reads whole numbers', () => {
    expect(parseInteger('086')).toEqual({ ok: true, value: 86 });
    expect(parseInteger('86.0')).toEqual({ ok: true, value: 86 });
    expect(parseInteger('１')).toEqual({ ok: true, value: 1 });
    expect(parseInteger('-3')).toEqual({ ok: true, value: -3 });
    expect(parseInteger('2.5').ok).toBe(false);
    expect(parseInteger('abc').ok).toBe(false);
  });
});

describe('formatExcelNumber', () => {
  it('writes what Excel shows, without float noise or exponents', () => {
    expect(formatExcelNumber(3.4999999999999996)).toBe('3.5');
    expect(formatExcelNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatExcelNumber(86)).toBe('86');
    expect(formatExcelNumber(2024010001)).toBe('2024010001');
    expect(formatExcelNumber(20240100012)).toBe('20240100012');
    expect(formatExcelNumber(123456789012.5)).toBe('123456789012.5');
    expect(formatExcelNumber(-1.25)).toBe('-1.25');
    expect(formatExcelNumber(1e21)).toBe('1000000000000000000000');
    expect(formatExcelNumber(0.0000001)).toBe('0.0000001');
    expect(formatExcelNumber(Array.from({ length: 100 }, () => 0.1).reduce((a, b) => a + b))).toBe('10');
  });
});
