// Identity document numbers as they arrive in imports. Pure: no I/O.

import { countryCode } from './countries.js';
import { calendarDate, normalizeCell } from './imports/values.js';

/**
 * The identity documents people in China hold (see DOMAIN.md): 居民身份证, 港澳居民来往内地通行证,
 * 台湾居民来往大陆通行证, 港澳台居民居住证, 外国人永久居留身份证, a passport (with its country), or another one.
 */
export const ID_TYPES = ['resident_id', 'hk_macao_permit', 'taiwan_permit', 'residence_permit', 'foreign_permanent', 'passport', 'other'] as const;
export type IdType = (typeof ID_TYPES)[number];

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

const compact = (text: string) => normalizeCell(text).replace(/\s+/g, '').toUpperCase();

/**
 * The 18-character number an old 15-digit resident ID number (6-digit region, birth date yyMMdd in
 * the 1900s, 3-digit sequence; issued until 2004) became: "19" inserted before the year, and the
 * GB 11643 check character appended. Undefined when the text is not 15 digits.
 */
export function residentIdFrom15(text: string): string | undefined {
  const v = compact(text);
  if (!/^\d{15}$/.test(v)) return undefined;
  const first17 = `${v.slice(0, 6)}19${v.slice(6)}`;
  return first17 + residentIdCheckChar(first17);
}

/** GB 11643 over an 18-character number: 17 digits, check character, the birth date at 7–14. */
function checkGb11643(
  v: string,
  what: { zh: string; en: string },
  birthDateInside = true,
): { ok: true; value: string; birthDate?: string } | { ok: false; reason: string } {
  if (v.length !== 18) return { ok: false, reason: `${what.zh}应为 18 位，此号码为 ${v.length} 位 / ${what.en} has 18 characters; this one has ${v.length}` };
  if (!/^\d{17}[\dX]$/.test(v)) {
    return { ok: false, reason: `${what.zh}为 17 位数字加一位数字或 X / ${what.en} is 17 digits followed by a digit or X` };
  }
  const born = calendarDate(Number(v.slice(6, 10)), Number(v.slice(10, 12)), Number(v.slice(12, 14)));
  if (birthDateInside && !born.ok)
    return { ok: false, reason: `号码中的出生日期（${v.slice(6, 14)}）无效 / the birth date in the number (${v.slice(6, 14)}) is not valid: ${born.reason}` };
  if (residentIdCheckChar(v) !== v[17]) {
    return {
      ok: false,
      reason: '校验码（最后一位）不符，可能有数字录入错误 / the check character (the last one) does not match: a digit is probably mistyped',
    };
  }
  return birthDateInside && born.ok ? { ok: true, value: v, birthDate: born.value } : { ok: true, value: v };
}

const RESIDENT_ID = { zh: '居民身份证号码', en: 'a resident ID number' };

/**
 * Checks a resident identity card number (公民身份号码, GB 11643-1999): 6-digit region, 8-digit
 * birth date, 3-digit sequence, check character 0–9 or X. An old 15-digit number is accepted and
 * returned in its 18-character form (see residentIdFrom15), so it matches the person stored with it.
 * Spaces are ignored and a lower-case x is accepted; the value returned is canonical.
 */
export function checkResidentId(text: string): ResidentIdCheck & { from15?: true } {
  const v = compact(text);
  const upgraded = residentIdFrom15(v);
  if (upgraded) {
    const r = checkGb11643(upgraded, RESIDENT_ID);
    if (!r.ok)
      return {
        ok: false,
        reason: `旧的 15 位号码中的出生日期（19${v.slice(6, 12)}）无效 / the birth date in this old 15-digit number (19${v.slice(6, 12)}) is not valid`,
      };
    return { ok: true, value: r.value, birthDate: r.birthDate!, from15: true };
  }
  const r = checkGb11643(v, RESIDENT_ID);
  return r.ok ? { ok: true, value: r.value, birthDate: r.birthDate! } : r;
}

/** A passport number: 5–20 letters and digits, upper-cased, spaces removed. */
export function checkPassport(text: string): IdCheck {
  const v = normalizeCell(text).replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z0-9]*$/.test(v)) return { ok: false, reason: '护照号码只能包含字母和数字 / a passport number contains only letters and digits' };
  if (v.length < 5 || v.length > 20)
    return { ok: false, reason: `护照号码应为 5 到 20 个字符，此号码为 ${v.length} 个 / a passport number has 5 to 20 characters; this one has ${v.length}` };
  return { ok: true, value: v };
}

/** The name of each document, as templates, exports and messages write it. */
export const ID_TYPE_LABELS: Record<IdType, { zh: string; en: string }> = {
  resident_id: { zh: '居民身份证', en: 'resident ID' },
  hk_macao_permit: { zh: '港澳居民来往内地通行证', en: 'Home Return Permit' },
  taiwan_permit: { zh: '台湾居民来往大陆通行证', en: 'Mainland Travel Permit for Taiwan Residents' },
  residence_permit: { zh: '港澳台居民居住证', en: 'residence permit' },
  foreign_permanent: { zh: '外国人永久居留身份证', en: 'foreign permanent resident ID' },
  passport: { zh: '护照', en: 'passport' },
  other: { zh: '其他', en: 'other' },
};

// Keys as typeKey() writes them: lower case, no spaces or punctuation.
const ID_TYPE_NAMES = new Map<string, IdType>([
  ...ID_TYPES.map((t) => [t.replace(/_/g, ''), t] as const),
  ['居民身份证', 'resident_id'],
  ['身份证', 'resident_id'],
  ['二代身份证', 'resident_id'],
  ['中华人民共和国居民身份证', 'resident_id'],
  ['residentid', 'resident_id'],
  ['residentidcard', 'resident_id'],
  ['residentidentitycard', 'resident_id'],
  ['chineseidcard', 'resident_id'],
  ['港澳居民来往内地通行证', 'hk_macao_permit'],
  ['港澳居民往来内地通行证', 'hk_macao_permit'],
  ['回乡证', 'hk_macao_permit'],
  ['港澳回乡证', 'hk_macao_permit'],
  ['港澳同胞回乡证', 'hk_macao_permit'],
  ['homereturnpermit', 'hk_macao_permit'],
  ['mainlandtravelpermitforhongkongandmacaoresidents', 'hk_macao_permit'],
  ['台湾居民来往大陆通行证', 'taiwan_permit'],
  ['台湾居民往来大陆通行证', 'taiwan_permit'],
  ['台胞证', 'taiwan_permit'],
  ['mainlandtravelpermitfortaiwanresidents', 'taiwan_permit'],
  ['taiwancompatriotpermit', 'taiwan_permit'],
  ['港澳台居民居住证', 'residence_permit'],
  ['港澳居民居住证', 'residence_permit'],
  ['台湾居民居住证', 'residence_permit'],
  ['residencepermit', 'residence_permit'],
  ['residencepermitforhongkongmacaoandtaiwanresidents', 'residence_permit'],
  ['外国人永久居留身份证', 'foreign_permanent'],
  ['中华人民共和国外国人永久居留身份证', 'foreign_permanent'],
  ['外国人永久居留证', 'foreign_permanent'],
  ['永久居留身份证', 'foreign_permanent'],
  ['永居证', 'foreign_permanent'],
  ['foreignpermanentresidentid', 'foreign_permanent'],
  ['foreignpermanentresidentidcard', 'foreign_permanent'],
  ['foreignpermanentresidentidentitycard', 'foreign_permanent'],
  ['permanentresidentid', 'foreign_permanent'],
  ['permanentresidentcard', 'foreign_permanent'],
  ['护照', 'passport'],
  ['外国护照', 'passport'],
  ['passport', 'passport'],
  ['其他', 'other'],
  ['其它', 'other'],
  ['其他证件', 'other'],
  ['other', 'other'],
]);

const typeKey = (text: string) =>
  normalizeCell(text)
    .toLowerCase()
    .replace(/[\s_\-.,'’()/]+/g, '');

/**
 * Maps what people write in an "ID type" column to our code. Accepts the Chinese or English
 * name (and the usual short ones: 回乡证, 台胞证, 永居证, Home Return Permit …), the code itself,
 * or both names as the template's hint writes them ("居民身份证 resident ID"); case, spaces and
 * punctuation are ignored.
 */
export function normalizeIdType(text: string): IdType | undefined {
  const key = typeKey(text);
  const direct = ID_TYPE_NAMES.get(key);
  if (direct) return direct;
  // "居民身份证residentid": a Chinese name followed by its English one.
  const m = /^(\p{Script=Han}+)([a-z]+)$/u.exec(key);
  const zh = m && ID_TYPE_NAMES.get(m[1]!);
  return zh && zh === ID_TYPE_NAMES.get(m[2]!) ? zh : undefined;
}

/** Why an ID type is not one of ours; a permit for mainland residents is told apart from the one for their visitors. */
export function unknownIdTypeReason(text: string): string {
  const key = typeKey(text);
  if (/往来港澳|港澳通行证/.test(key)) {
    return '往来港澳通行证是内地居民前往港澳的证件，不能用于登记；港澳居民请填写 港澳居民来往内地通行证（回乡证）/ the Exit-Entry Permit to Hong Kong and Macao is a mainland resident’s travel document; for Hong Kong and Macao residents give the Home Return Permit (港澳居民来往内地通行证)';
  }
  if (/往来台湾|赴台|台湾通行证/.test(key)) {
    return '大陆居民往来台湾通行证是大陆居民前往台湾的证件，不能用于登记；台湾居民请填写 台湾居民来往大陆通行证（台胞证）/ the Mainland Residents Travel Permit to Taiwan is a mainland resident’s travel document; for Taiwan residents give the Mainland Travel Permit for Taiwan Residents (台湾居民来往大陆通行证)';
  }
  const list = ID_TYPES.map((t) => ID_TYPE_LABELS[t]);
  return `证件类型应为 ${list.map((l) => l.zh).join('、')} 之一 / must be one of: ${list.map((l) => l.en).join(', ')}`;
}

/** An identity document as stored and matched: the number in its canonical form. */
export interface IdDocument {
  type: IdType;
  number: string;
  /** A passport's issuing country (ISO 3166-1 alpha-3); null for every other type. */
  country: string | null;
  /** What an `other` document is (e.g. 军官证); null for every other type. */
  typeName: string | null;
}

export type IdDocumentField = 'idNumber' | 'idCountry' | 'idTypeName';

export type IdDocumentCheck =
  | { ok: true; value: IdDocument; /** when the number carries it */ birthDate?: string; /** what was changed to reach the canonical form */ note?: string }
  | { ok: false; field: IdDocumentField; reason: string };

/** The country recorded for passports that came in before the country was asked for (ICAO 9303's "unspecified"). */
export const UNSPECIFIED_COUNTRY = 'XXX';

const RESIDENCE_PERMIT = { zh: '港澳台居民居住证号码', en: 'a residence permit number' };
const FOREIGN_PERMANENT = { zh: '外国人永久居留身份证号码', en: 'a foreign permanent resident ID number' };

/**
 * Checks an identity document and brings it to the form it is stored and matched in:
 * - 居民身份证: 18 characters with the GB 11643 check character; an old 15-digit number becomes
 *   its 18-character form (so it matches the person stored with that one);
 * - 港澳居民来往内地通行证: H or M and 8 digits; the 2 digits older cards add (the card's issue count,
 *   same holder) are dropped, so H1234567801 is H12345678;
 * - 台湾居民来往大陆通行证: 8 digits;
 * - 港澳台居民居住证: 18 characters beginning 810000, 820000 or 830000, GB 11643 as the resident ID;
 * - 外国人永久居留身份证: 3 letters and 12 digits (2017 card) or 18 beginning with 9 and GB 11643 (2023 card);
 * - passport: 5–20 letters and digits and the issuing country (ISO 3166-1 alpha-3; an alpha-2 code or
 *   the English or Chinese name is accepted): one number from two countries is two documents;
 * - other: 3–40 letters, digits or -, with what the document is (e.g. 军官证).
 * A country given for a type other than passport, or a type name for a type other than `other`, is
 * not part of the document and is dropped.
 */
export function checkIdDocument(doc: { type: IdType; number: string; country?: string | null; typeName?: string | null }): IdDocumentCheck {
  const v = compact(doc.number);
  const bad = (field: IdDocumentField, reason: string): IdDocumentCheck => ({ ok: false, field, reason });
  const ok = (number: string, extra: { country?: string; typeName?: string; birthDate?: string; note?: string } = {}): IdDocumentCheck => ({
    ok: true,
    value: { type: doc.type, number, country: extra.country ?? null, typeName: extra.typeName ?? null },
    ...(extra.birthDate ? { birthDate: extra.birthDate } : {}),
    ...(extra.note ? { note: extra.note } : {}),
  });
  switch (doc.type) {
    case 'resident_id': {
      if (/^8[123]0000/.test(v))
        return bad(
          'idNumber',
          '这是港澳台居民居住证号码（以 810000、820000 或 830000 开头），请将证件类型填为 港澳台居民居住证 / this is a residence permit number (it begins 810000, 820000 or 830000): give the type as residence permit',
        );
      if (v.length === 18 && v.startsWith('9'))
        return bad(
          'idNumber',
          '这是外国人永久居留身份证号码（以 9 开头），请将证件类型填为 外国人永久居留身份证 / this is a foreign permanent resident ID number (it begins with 9): give the type as foreign permanent resident ID',
        );
      const r = checkResidentId(v);
      if (!r.ok) return bad('idNumber', r.reason);
      const note = r.from15
        ? `旧的 15 位号码已换算为 18 位号码 ${maskId(r.value)} / the old 15-digit number was converted to its 18-character form ${maskId(r.value)}`
        : undefined;
      return ok(r.value, { birthDate: r.birthDate, note });
    }
    case 'hk_macao_permit': {
      const m = /^([HM]\d{8})(?:\(?(\d{2})\)?)?$/.exec(v);
      if (!m) {
        return bad(
          'idNumber',
          '港澳居民来往内地通行证号码为 H 或 M 加 8 位数字（旧证可再加 2 位换证次数）/ a Home Return Permit number is H or M followed by 8 digits (older cards add 2 digits, the issue count)',
        );
      }
      return ok(
        m[1]!,
        m[2]
          ? { note: `换证次数 ${m[2]} 不属于证件号码，记为 ${maskId(m[1]!)} / the issue count ${m[2]} is not part of the number, recorded as ${maskId(m[1]!)}` }
          : {},
      );
    }
    case 'taiwan_permit':
      return /^\d{8}$/.test(v)
        ? ok(v)
        : bad(
            'idNumber',
            `台湾居民来往大陆通行证号码为 8 位数字，此号码为 ${v.length} 个字符 / a Mainland Travel Permit for Taiwan Residents number is 8 digits; this one has ${v.length} characters`,
          );
    case 'residence_permit': {
      const r = checkGb11643(v, RESIDENCE_PERMIT);
      if (!r.ok) return bad('idNumber', r.reason);
      if (!/^8[123]0000/.test(v))
        return bad(
          'idNumber',
          '港澳台居民居住证号码以 810000（香港）、820000（澳门）或 830000（台湾）开头 / a residence permit number begins 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan)',
        );
      return ok(r.value, { birthDate: r.birthDate });
    }
    case 'foreign_permanent': {
      if (/^[A-Z]{3}\d{12}$/.test(v)) return ok(v);
      if (v.length === 18 && v.startsWith('9')) {
        // the 2023 card follows GB 11643 (check character); where its birth date sits is not relied on
        const r = checkGb11643(v, FOREIGN_PERMANENT, false);
        return r.ok ? ok(r.value) : bad('idNumber', r.reason);
      }
      return bad(
        'idNumber',
        '外国人永久居留身份证号码为 3 个字母加 12 位数字（2017 年版）或以 9 开头的 18 位（2023 年版）/ a foreign permanent resident ID number is 3 letters and 12 digits (2017 card) or 18 characters beginning with 9 (2023 card)',
      );
    }
    case 'passport': {
      const r = checkPassport(v);
      if (!r.ok) return bad('idNumber', r.reason);
      const text = normalizeCell(doc.country ?? '');
      if (!text)
        return bad(
          'idCountry',
          '护照须注明签发国家（ISO 3166-1 三字母代码，如 CHN、USA）/ a passport needs its issuing country (ISO 3166-1 alpha-3 code, e.g. CHN, USA)',
        );
      const country = countryCode(text);
      if (!country)
        return bad(
          'idCountry',
          `未知的国家或地区：${text}，请填写 ISO 3166-1 三字母代码，如 CHN、USA / ${text} is not a known country: give its ISO 3166-1 alpha-3 code, e.g. CHN, USA`,
        );
      return ok(r.value, { country });
    }
    case 'other': {
      const typeName = normalizeCell(doc.typeName ?? '');
      if (!typeName) return bad('idTypeName', '证件类型为 其他 时须填写证件名称（如 军官证）/ for another document, give its name (e.g. 军官证)');
      if (typeName.length > 40) return bad('idTypeName', `证件名称超过 40 个字符 / the document's name is longer than 40 characters`);
      const known = normalizeIdType(typeName);
      if (known && known !== 'other')
        return bad(
          'idTypeName',
          `${typeName} 是可选的证件类型之一，请将证件类型填为 ${ID_TYPE_LABELS[known].zh} / ${typeName} is one of the ID types: give the type as ${ID_TYPE_LABELS[known].en}`,
        );
      if (known) return bad('idTypeName', '请写明证件名称（如 军官证）/ name the document (e.g. 军官证)');
      if (!/^[\p{L}\p{N}-]{3,40}$/u.test(v))
        return bad('idNumber', '其他证件号码应为 3 到 40 个字母、数字或 - / other identity numbers are 3 to 40 letters, digits or -');
      return ok(v, { typeName });
    }
  }
}

/** One string per document: equal keys, the same document (the learners_identity_key index, in memory). */
export const idDocumentKey = (d: { type: string; number: string; country: string | null; typeName: string | null }) =>
  JSON.stringify([d.type, d.country ?? '', d.typeName ?? '', d.number]);

/**
 * The keys a stored document may have and still be the given one: its own, and the key it was stored
 * under before the country of a passport (UNSPECIFIED_COUNTRY) or the name of another document (none)
 * was asked for. A learner found under an older key is the same document, to be completed.
 */
export function idDocumentKeys(d: IdDocument): string[] {
  const keys = [idDocumentKey(d)];
  if (d.type === 'passport') keys.push(idDocumentKey({ ...d, country: UNSPECIFIED_COUNTRY }));
  if (d.type === 'other') keys.push(idDocumentKey({ ...d, typeName: null }));
  return keys;
}

/** Whether a stored document (its columns) is the given one, an older record of it included. */
export function isSameIdDocument(
  stored: { idType: string | null; idNumber: string | null; idCountry: string | null; idTypeName: string | null },
  given: IdDocument,
): boolean {
  if (!stored.idType || !stored.idNumber) return false;
  return idDocumentKeys(given).includes(
    idDocumentKey({ type: stored.idType, number: stored.idNumber, country: stored.idCountry, typeName: stored.idTypeName }),
  );
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
