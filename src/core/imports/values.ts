// Cleaning and reading single cell values from imported files (CSV / Excel exports of
// academic-affairs systems). Pure: no I/O. Every parser normalises its input itself, so it
// accepts both raw and already-normalised text, and says why when it refuses a value.

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

// Zero-width space/joiners, word joiner, BOM / zero-width no-break space, soft hyphen.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// C0 controls other than the whitespace ones (\t \n \v \f \r), and DEL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F]/g;

/**
 * NFKC (full-width digits, letters and the ideographic space become half-width), invisible
 * characters and stray control characters removed, whitespace runs collapsed to one space, trimmed.
 * Note that NFKC also folds full-width punctuation: "，" → ",", "（" → "(".
 */
export function normalizeCell(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Dates

const YEAR_MIN = 1900;
const YEAR_MAX = 2199;

export const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Checks that year/month/day name a real day of the Gregorian calendar; returns it as ISO text. */
export function calendarDate(y: number, m: number, d: number): Parsed<string> {
  const iso = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
  if (y < YEAR_MIN || y > YEAR_MAX) return { ok: false, reason: `year ${y} is out of range (${YEAR_MIN}–${YEAR_MAX})` };
  if (m < 1 || m > 12) return { ok: false, reason: `日期不存在 / ${iso} is not a date (there is no month ${m})` };
  const days = daysInMonth(y, m);
  if (d < 1 || d > days) {
    const why = m === 2 && d === 29 ? `${y} is not a leap year` : `month ${m} of ${y} has ${days} days`;
    return { ok: false, reason: `日期不存在 / ${iso} is not a date (${why})` };
  }
  return { ok: true, value: iso };
}

const DAY_MS = 86_400_000;

/**
 * Excel's 1900 date system: serial 1 is 1900-01-01, and Excel (copying Lotus 1-2-3) counts a
 * 1900-02-29 that never existed as serial 60, so from serial 61 on the epoch is 1899-12-30.
 */
function excelSerialDate(serial: number): Parsed<string> {
  if (serial === 60) return { ok: false, reason: 'Excel day number 60 is 1900-02-29, a day that does not exist' };
  const epoch = serial < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const date = new Date(epoch + serial * DAY_MS);
  return calendarDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

const TIME_SUFFIX = /(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const CHINESE = /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL = /^(\d{1,5})(?:\.\d+)?$/;
const YEAR_LAST = /^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$/;
const SHORT_YEAR = /^\d{2}[-/.]\d{1,2}[-/.]\d{1,2}$/;

/**
 * Reads a date the ways Chinese registrars and Excel write it: 2024-09-01, 2024/9/1, 2024.9.1,
 * 2024年9月1日, 20240901, an Excel day number (45536), optionally followed by a time of day
 * (dropped). Returns ISO YYYY-MM-DD.
 */
export function parseDate(text: string): Parsed<string> {
  const t = normalizeCell(text).replace(TIME_SUFFIX, '').replace(/\s+/g, '');
  if (t === '') return { ok: false, reason: '未填写日期 / no date given' };
  const m = SEPARATED.exec(t) ?? CHINESE.exec(t);
  if (m) {
    const parts = m.length === 5 ? [m[1], m[3], m[4]] : [m[1], m[2], m[3]];
    const [y, mo, d] = parts.map(Number) as [number, number, number];
    return calendarDate(y, mo, d);
  }
  const c = COMPACT.exec(t);
  if (c) return calendarDate(Number(c[1]), Number(c[2]), Number(c[3]));
  const s = SERIAL.exec(t);
  if (s) {
    const serial = Number(s[1]);
    if (serial < 1) return { ok: false, reason: `"${t}" is not a date` };
    return excelSerialDate(serial);
  }
  if (YEAR_LAST.test(t)) return { ok: false, reason: `"${t}" is ambiguous: write the year first, as YYYY-MM-DD` };
  if (SHORT_YEAR.test(t)) return { ok: false, reason: `"${t}" has a two-digit year: write it as YYYY-MM-DD` };
  return { ok: false, reason: `“${t}”不是日期，应为 YYYY-MM-DD / "${t}" is not a date (expected YYYY-MM-DD)` };
}

// ---------------------------------------------------------------------------------------------
// Numbers: kept as decimal text, never as floats.

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;
const MAX_INTEGER_DIGITS = 15;

/**
 * Reads a decimal number into canonical text ("003" → "3", "3.50" → "3.5", "-0" → "0").
 * Refuses commas (a thousands separator or a decimal comma: ambiguous), exponents and anything
 * with more than `maxDecimals` decimal places. Excel's binary float artifacts (3.5 exported as
 * "3.4999999999999996": 16–17 significant digits) are first rounded to 10 significant digits
 * (more for large numbers, so that rounding cannot turn a value with too many decimals into one
 * that fits).
 */
export function parseDecimal(text: string, maxDecimals: number): Parsed<string> {
  const t = normalizeCell(text);
  if (t === '') return { ok: false, reason: '未填写数字 / no number given' };
  if (t.includes(',')) return { ok: false, reason: `"${t}": use a dot as the decimal mark and no thousands separators` };
  if (/^[+-]?[\d.]+e[+-]?\d+$/i.test(t)) return { ok: false, reason: `"${t}": scientific notation is not accepted; write the number in full` };
  const m = DECIMAL.exec(t);
  if (!m || (!m[2] && !m[3])) return { ok: false, reason: `“${t}”不是数字 / "${t}" is not a number` };
  let int = m[2]!.replace(/^0+/, '');
  let frac = m[3] ?? '';
  if (int.length > MAX_INTEGER_DIGITS) return { ok: false, reason: `"${t}" has too many digits` };

  const significant = (int + frac).replace(/^0+/, '').length;
  if (significant >= 16 && frac.length > 0) {
    // 10 significant digits, but never fewer than the integer digits plus one more decimal than allowed
    const rounded = Number(`${int || '0'}.${frac}`).toPrecision(Math.min(100, Math.max(10, int.length + maxDecimals + 1)));
    if (!rounded.includes('e')) {
      [int, frac = ''] = rounded.split('.') as [string, string?];
      int = int.replace(/^0+/, '');
    }
  }
  frac = frac.replace(/0+$/, '');
  if (frac.length > maxDecimals) {
    const reason = maxDecimals === 0 ? `"${t}" must be a whole number` : `"${t}" has ${frac.length} decimal places; at most ${maxDecimals} allowed`;
    return { ok: false, reason };
  }
  int ||= '0';
  const negative = m[1] === '-' && (int !== '0' || frac !== '');
  return { ok: true, value: `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}` };
}

/**
 * The text for a number read from an Excel cell, without binary float noise: 3.4999999999999996
 * → "3.5", 0.30000000000000004 → "0.3". Integers are exact; fractions keep 10 significant digits
 * (more for large numbers, so that no integer digit and at least two decimals survive). Never
 * in exponent notation.
 */
export function formatExcelNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return plain(n);
  const intDigits = Math.abs(n) < 1 ? 0 : Math.floor(Math.log10(Math.abs(n))) + 1;
  return plain(Number(n.toPrecision(Math.min(17, Math.max(10, intDigits + 2)))));
}

const plain = (n: number) => {
  const s = String(n);
  return /e/i.test(s) ? n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : s;
};

/** Reads a whole number ("086" → 86, "86.0" → 86); refuses decimals and values beyond 2^53. */
export function parseInteger(text: string): Parsed<number> {
  const r = parseDecimal(text, 0);
  if (!r.ok) return r;
  const value = Number(r.value);
  if (!Number.isSafeInteger(value)) return { ok: false, reason: `"${r.value}" is too large` };
  return { ok: true, value };
}
