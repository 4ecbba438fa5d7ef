// Identity document numbers as they arrive in imports. Pure: no I/O.

import { calendarDate, normalizeCell } from './imports/values.js';

export type IdType = 'resident_id' | 'passport' | 'other';

export type IdCheck = { ok: true; value: string } | { ok: false; reason: string };
export type ResidentIdCheck = { ok: true; value: string; birthDate: string } | { ok: false; reason: string };

// GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character GB 11643 assigns to 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Checks an 18-character resident identity card number (公民身份号码, GB 11643-1999):
 * 6-digit region, 8-digit birth date, 3-digit sequence, check character 0–9 or X.
 * Spaces are ignored and a lower-case x is accepted; the value returned is canonical.
 */
export function checkResidentId(text: string): ResidentIdCheck {
  const v = normalizeCell(text).replace(/\s+/g, '').toUpperCase();
  if (v.length === 15 && /^\d{15}$/.test(v)) {
    return { ok: false, reason: '这是旧的 15 位号码，请填写 18 位居民身份证号码 / this is an old 15-digit number; give the 18-character resident ID number' };
  }
  if (v.length !== 18) return { ok: false, reason: `居民身份证号码应为 18 位，此号码为 ${v.length} 位 / a resident ID number has 18 characters; this one has ${v.length}` };
  if (!/^\d{17}[\dX]$/.test(v)) {
    return { ok: false, reason: '居民身份证号码为 17 位数字加一位数字或 X / a resident ID number is 17 digits followed by a digit or X' };
  }
  const born = calendarDate(Number(v.slice(6, 10)), Number(v.slice(10, 12)), Number(v.slice(12, 14)));
  if (!born.ok) return { ok: false, reason: `号码中的出生日期（${v.slice(6, 14)}）无效 / the birth date in the number (${v.slice(6, 14)}) is not valid: ${born.reason}` };
  if (residentIdCheckChar(v) !== v[17]) {
    return { ok: false, reason: '校验码（最后一位）不符，可能有数字录入错误 / the check character (the last one) does not match: a digit is probably mistyped' };
  }
  return { ok: true, value: v, birthDate: born.value };
}

/** A passport number: 5–20 letters and digits, upper-cased, spaces removed. */
export function checkPassport(text: string): IdCheck {
  const v = normalizeCell(text).replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z0-9]*$/.test(v)) return { ok: false, reason: '护照号码只能包含字母和数字 / a passport number contains only letters and digits' };
  if (v.length < 5 || v.length > 20) return { ok: false, reason: `护照号码应为 5 到 20 个字符，此号码为 ${v.length} 个 / a passport number has 5 to 20 characters; this one has ${v.length}` };
  return { ok: true, value: v };
}

const ID_TYPES = new Map<string, IdType>([
  ['居民身份证', 'resident_id'],
  ['身份证', 'resident_id'],
  ['中华人民共和国居民身份证', 'resident_id'],
  ['residentid', 'resident_id'],
  ['护照', 'passport'],
  ['passport', 'passport'],
  ['其他', 'other'],
  ['其它', 'other'],
  ['other', 'other'],
]);

/**
 * Maps what people write in an "ID type" column to our code. Accepts the Chinese or English
 * name, or both as the template's hint writes them ("居民身份证 resident ID"); case, spaces,
 * underscores and hyphens are ignored.
 */
export function normalizeIdType(text: string): IdType | undefined {
  const key = normalizeCell(text).toLowerCase().replace(/[\s_-]+/g, '');
  const direct = ID_TYPES.get(key);
  if (direct) return direct;
  // "居民身份证residentid": a Chinese name followed by its English one.
  const m = /^(\p{Script=Han}+)([a-z]+)$/u.exec(key);
  const zh = m && ID_TYPES.get(m[1]!);
  return zh && zh === ID_TYPES.get(m[2]!) ? zh : undefined;
}

/** Shows only the first 3 and last 4 characters (short values: only the last 2). */
export function maskId(value: string): string {
  if (value.length > 7) return `${value.slice(0, 3)}${'*'.repeat(value.length - 7)}${value.slice(-4)}`;
  if (value.length > 2) return `${'*'.repeat(value.length - 2)}${value.slice(-2)}`;
  return '*'.repeat(value.length);
}

/** Dots written between the parts of minority and foreign names: ・ • . ‧ ∙ ⋅ ㆍ and the like. */
const NAME_DOTS = /\s*[.\u00B7\u2022\u2027\u2219\u22C5\u30FB\u318D\uFF0E\uFF65\u2E31\u0387]\s*/gu;

/**
 * A person's name as stored and matched. Chinese names lose every space inside (U+0020, U+3000:
 * "张(U+3000)伟" is "张伟") and write the middle dot of minority and foreign names as U+00B7 ("阿依古丽•买买提",
 * "阿依古丽.买买提" and "阿依古丽・买买提" are one name); full-width letters become plain; runs of
 * spaces in Latin names become one.
 */
export function normalizeName(text: string): string {
  const name = text.normalize('NFKC').trim();
  if (/\p{Script=Han}/u.test(name)) return name.replace(NAME_DOTS, '\u00B7').replace(/\s+/gu, '');
  return name.replace(/\s+/gu, ' ');
}

/** Whether two spellings name the same person: equal once normalised, Latin letters case-blind. */
export function sameName(a: string, b: string): boolean {
  return normalizeName(a).toLowerCase() === normalizeName(b).toLowerCase();
}
