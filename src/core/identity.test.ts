import { describe, expect, it } from 'vitest';
import { checkPassport, checkResidentId, maskId, normalizeIdType, normalizeName, sameName } from './identity.js';

// Builds a valid-looking number for a made-up person: region + birth date + sequence, then the
// GB 11643 check character computed here independently of the code under test.
function residentId(region: string, birth: string, seq: string): string {
  const body = region + birth + seq;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11];
}

const reason = (r: { ok: boolean; reason?: string }) => (r.ok ? undefined : r.reason);

describe('checkResidentId', () => {
  it('accepts computed valid numbers and returns the embedded birth date', () => {
    for (const [region, birth, seq] of [['110105', '20050314', '001'], ['310104', '19991231', '123'], ['440305', '20000229', '888']] as const) {
      const id = residentId(region, birth, seq);
      const r = checkResidentId(id);
      expect(r, id).toEqual({ ok: true, value: id, birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}` });
    }
  });
  it('accepts a lower-case x, full-width digits and spaces, returning the canonical form', () => {
    // find a sequence number whose check character is X
    let id = '';
    for (let seq = 0; !id.endsWith('X'); seq++) id = residentId('110105', '20050314', String(seq).padStart(3, '0'));
    const typed = ` ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14, 17)}x`.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    expect(checkResidentId(typed)).toMatchObject({ ok: true, value: id });
  });
  it('catches every single-digit typo', () => {
    const id = residentId('110105', '20050314', '002');
    for (let i = 0; i < 17; i++) {
      const d = Number(id[i]);
      const typo = id.slice(0, i) + String((d + 1) % 10) + id.slice(i + 1);
      expect(checkResidentId(typo).ok, typo).toBe(false);
    }
  });
  it('gives a specific reason', () => {
    const id = residentId('110105', '20050314', '001');
    expect(reason(checkResidentId(id.slice(0, 17)))).toBe('居民身份证号码应为 18 位，此号码为 17 位 / a resident ID number has 18 characters; this one has 17');
    expect(reason(checkResidentId('110105050314001'))).toMatch(/old 15-digit/);
    expect(reason(checkResidentId(`${id.slice(0, 16)}A${id[17]}`))).toMatch(/17 digits followed by a digit or X/);
    expect(reason(checkResidentId(`X${id.slice(1)}`))).toMatch(/17 digits/);
    const wrongCheck = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    expect(reason(checkResidentId(wrongCheck))).toMatch(/check character/);
    expect(reason(checkResidentId(residentId('110105', '20230229', '001')))).toMatch(/birth date .*20230229.*not a leap year/);
    expect(reason(checkResidentId(residentId('110105', '20241301', '001')))).toMatch(/birth date/);
    expect(reason(checkResidentId(''))).toMatch(/has 0/);
  });
});

describe('checkPassport', () => {
  it('normalises and checks the shape', () => {
    expect(checkPassport(' e1234 5678 ')).toEqual({ ok: true, value: 'E12345678' });
    expect(checkPassport('ｇ１２３４５')).toEqual({ ok: true, value: 'G12345' });
    expect(reason(checkPassport('E12'))).toMatch(/5 to 20/);
    expect(reason(checkPassport('A'.repeat(21)))).toMatch(/5 to 20/);
    expect(reason(checkPassport('E1234-5678'))).toMatch(/letters and digits/);
    expect(reason(checkPassport('护照12345'))).toMatch(/letters and digits/);
  });
});

describe('normalizeIdType', () => {
  it('maps the names people write', () => {
    for (const s of ['居民身份证', '身份证', ' 身份证 ', 'Resident ID', 'resident_id', 'RESIDENT-ID', '居民身份证 resident ID']) {
      expect(normalizeIdType(s), s).toBe('resident_id');
    }
    for (const s of ['护照', 'passport', 'Passport', '护照 passport']) expect(normalizeIdType(s), s).toBe('passport');
    for (const s of ['其他', '其它', 'other', '其他 other']) expect(normalizeIdType(s), s).toBe('other');
    for (const s of ['', '驾驶证', 'constructor', '护照 other', 'toString']) expect(normalizeIdType(s), s).toBeUndefined();
  });
});

describe('maskId', () => {
  it('shows only the first 3 and last 4 characters', () => {
    expect(maskId('11010520050314001X')).toBe('110***********001X');
    expect(maskId('E12345678')).toBe('E12**5678');
    expect(maskId('12345')).toBe('***45');
    expect(maskId('AB')).toBe('**');
    expect(maskId('')).toBe('');
  });
});

describe('names', () => {
  it('removes spaces inside Chinese names and unifies the middle dot', () => {
    expect(normalizeName('张　伟')).toBe('张伟');
    expect(normalizeName(' 郑 华 ')).toBe('郑华');
    for (const n of ['阿依古丽•买买提', '阿依古丽.买买提', '阿依古丽・买买提', '阿依古丽 · 买买提', '阿依古丽･买买提', '阿依古丽‧买买提']) expect(normalizeName(n), n).toBe('阿依古丽·买买提');
  });
  it('keeps Latin names as written, one space between parts; matches them case-blind', () => {
    expect(normalizeName('  Dirk   Jansen ')).toBe('Dirk Jansen');
    expect(normalizeName('Ｄｉｒｋ Jansen')).toBe('Dirk Jansen');
    expect(sameName('dirk  JANSEN', 'Dirk Jansen')).toBe(true);
    expect(sameName('张伟', '张　伟')).toBe(true);
    expect(sameName('张伟', '张玮')).toBe(false);
  });
});
