import { describe, expect, it } from 'vitest';
import { countryCode, COUNTRIES } from './countries.js';
import {
  checkIdDocument,
  checkPassport,
  checkResidentId,
  idDocumentKey,
  isSameIdDocument,
  maskId,
  normalizeIdType,
  normalizeName,
  residentIdFrom15,
  sameName,
  unknownIdTypeReason,
  type IdDocument,
} from './identity.js';

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
    for (const [region, birth, seq] of [
      ['110105', '20050314', '001'],
      ['310104', '19991231', '123'],
      ['440305', '20000229', '888'],
    ] as const) {
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
    expect(reason(checkResidentId('110105050230001'))).toMatch(/old 15-digit number \(19050230\) is not valid/);
    expect(reason(checkResidentId(`${id.slice(0, 16)}A${id[17]}`))).toMatch(/17 digits followed by a digit or X/);
    expect(reason(checkResidentId(`X${id.slice(1)}`))).toMatch(/17 digits/);
    const wrongCheck = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    expect(reason(checkResidentId(wrongCheck))).toMatch(/check character/);
    expect(reason(checkResidentId(residentId('110105', '20230229', '001')))).toMatch(/birth date .*20230229.*not a leap year/);
    expect(reason(checkResidentId(residentId('110105', '20241301', '001')))).toMatch(/birth date/);
    expect(reason(checkResidentId(''))).toMatch(/has 0/);
  });
});

describe('old 15-digit resident ID numbers', () => {
  it('become their 18-character form: "19" before the year, the check character computed', () => {
    // 110105 + 650314 + 001 → 110105 19650314 001 + check
    const eighteen = residentId('110105', '19650314', '001');
    expect(residentIdFrom15('110105650314001')).toBe(eighteen);
    expect(residentIdFrom15(' 110105 650314 001 ')).toBe(eighteen);
    expect(residentIdFrom15(eighteen)).toBeUndefined();
    expect(residentIdFrom15('11010565031400X')).toBeUndefined();
    expect(checkResidentId('110105650314001')).toEqual({ ok: true, value: eighteen, birthDate: '1965-03-14', from15: true });
  });
  it('check as the 18-character number of the same person', () => {
    const r = checkIdDocument({ type: 'resident_id', number: '110105650314001' });
    expect(r).toMatchObject({
      ok: true,
      value: { type: 'resident_id', number: residentId('110105', '19650314', '001'), country: null, typeName: null },
      birthDate: '1965-03-14',
      note: expect.stringMatching(/converted to its 18-character form/),
    });
    expect(checkIdDocument({ type: 'resident_id', number: residentId('110105', '19650314', '001') })).not.toHaveProperty('note');
  });
});

const doc = (type: IdDocument['type'], number: string, extra: { country?: string; typeName?: string } = {}) => checkIdDocument({ type, number, ...extra });
const failure = (r: ReturnType<typeof checkIdDocument>) => (r.ok ? undefined : `${r.field}: ${r.reason}`);

describe('checkIdDocument', () => {
  it('居民身份证: the GB 11643 check, and a residence permit or permanent resident number told apart', () => {
    const id = residentId('440305', '20000229', '888');
    expect(doc('resident_id', id.toLowerCase())).toEqual({
      ok: true,
      value: { type: 'resident_id', number: id, country: null, typeName: null },
      birthDate: '2000-02-29',
    });
    expect(failure(doc('resident_id', id.slice(0, 17) + (id[17] === '0' ? '1' : '0')))).toMatch(/^idNumber: .*check character/);
    expect(failure(doc('resident_id', residentId('810000', '19990101', '001')))).toMatch(/^idNumber: .*residence permit/);
    expect(failure(doc('resident_id', residentId('910000', '19990101', '001')))).toMatch(/^idNumber: .*foreign permanent resident ID/);
    // a country or a type name is not part of a resident ID
    expect(doc('resident_id', id, { country: 'CHN', typeName: '身份证' })).toMatchObject({ ok: true, value: { country: null, typeName: null } });
  });

  it('港澳居民来往内地通行证: H or M and 8 digits; the issue count of older cards is dropped', () => {
    expect(doc('hk_macao_permit', 'h12345678')).toEqual({ ok: true, value: { type: 'hk_macao_permit', number: 'H12345678', country: null, typeName: null } });
    expect(doc('hk_macao_permit', 'M87654321')).toMatchObject({ ok: true, value: { number: 'M87654321' } });
    for (const older of ['H1234567801', 'H12345678(01)', 'Ｈ１２３４５６７８ ０２']) {
      expect(doc('hk_macao_permit', older), older).toMatchObject({ ok: true, value: { number: 'H12345678' }, note: expect.stringMatching(/issue count/) });
    }
    for (const bad of ['12345678', 'A12345678', 'H1234567', 'H123456789', 'H123456780123', 'HK1234567']) {
      expect(failure(doc('hk_macao_permit', bad)), bad).toMatch(/^idNumber: .*H or M followed by 8 digits/);
    }
  });

  it('台湾居民来往大陆通行证: 8 digits', () => {
    expect(doc('taiwan_permit', '0123 4567')).toMatchObject({ ok: true, value: { type: 'taiwan_permit', number: '01234567' } });
    for (const bad of ['1234567', '123456789', 'T1234567']) expect(failure(doc('taiwan_permit', bad)), bad).toMatch(/^idNumber: .*8 digits/);
  });

  it('港澳台居民居住证: 18 characters beginning 810000 / 820000 / 830000, GB 11643, a birth date inside', () => {
    for (const region of ['810000', '820000', '830000']) {
      const id = residentId(region, '19980705', '012');
      expect(doc('residence_permit', id), id).toEqual({
        ok: true,
        value: { type: 'residence_permit', number: id, country: null, typeName: null },
        birthDate: '1998-07-05',
      });
    }
    const good = residentId('810000', '19980705', '012');
    expect(failure(doc('residence_permit', good.slice(0, 17) + (good[17] === '0' ? '1' : '0')))).toMatch(/check character/);
    expect(failure(doc('residence_permit', residentId('110105', '19980705', '012')))).toMatch(
      /begins 810000 \(Hong Kong\), 820000 \(Macao\) or 830000 \(Taiwan\)/,
    );
    expect(failure(doc('residence_permit', residentId('810000', '19980230', '012')))).toMatch(/birth date/);
    expect(failure(doc('residence_permit', good.slice(0, 17)))).toMatch(/a residence permit number has 18 characters; this one has 17/);
  });

  it('外国人永久居留身份证: the 2017 card (3 letters, 12 digits) and the 2023 card (18 beginning with 9, GB 11643)', () => {
    expect(doc('foreign_permanent', 'usa110099030012')).toMatchObject({ ok: true, value: { type: 'foreign_permanent', number: 'USA110099030012' } });
    const card2023 = residentId('931840', '19850101', '007');
    expect(doc('foreign_permanent', card2023)).toEqual({ ok: true, value: { type: 'foreign_permanent', number: card2023, country: null, typeName: null } });
    expect(failure(doc('foreign_permanent', card2023.slice(0, 17) + (card2023[17] === '0' ? '1' : '0')))).toMatch(/check character/);
    for (const bad of ['US110099030012', 'USA11009903001', residentId('131840', '19850101', '007'), '9318401985010100']) {
      expect(failure(doc('foreign_permanent', bad)), bad).toMatch(
        /^idNumber: .*3 letters and 12 digits \(2017 card\) or 18 characters beginning with 9 \(2023 card\)/,
      );
    }
  });

  it('passport: the number and its issuing country; the same number from two countries is two documents', () => {
    const us = doc('passport', ' e1234 5678 ', { country: 'usa' });
    const cn = doc('passport', 'E12345678', { country: '中国' });
    expect(us).toEqual({ ok: true, value: { type: 'passport', number: 'E12345678', country: 'USA', typeName: null } });
    expect(cn).toMatchObject({ ok: true, value: { number: 'E12345678', country: 'CHN' } });
    expect(doc('passport', 'E12345678', { country: 'DE' })).toMatchObject({ ok: true, value: { country: 'DEU' } });
    expect(doc('passport', 'E12345678', { country: 'Germany' })).toMatchObject({ ok: true, value: { country: 'DEU' } });
    expect(idDocumentKey((us as { value: IdDocument }).value)).not.toBe(idDocumentKey((cn as { value: IdDocument }).value));
    expect(failure(doc('passport', 'E12345678'))).toMatch(/^idCountry: .*needs its issuing country/);
    expect(failure(doc('passport', 'E12345678', { country: 'XYZ' }))).toMatch(
      /^idCountry: XYZ is not a known country|^idCountry: .*XYZ is not a known country/,
    );
    expect(failure(doc('passport', 'E12345678', { country: 'XXX' }))).toMatch(/^idCountry: /);
    expect(failure(doc('passport', 'E1', { country: 'USA' }))).toMatch(/^idNumber: .*5 to 20/);
  });

  it('other: with the name of the document, which is part of it', () => {
    expect(doc('other', '军字第2001988号', { typeName: ' 军官证 ' })).toEqual({
      ok: true,
      value: { type: 'other', number: '军字第2001988号', country: null, typeName: '军官证' },
    });
    expect(doc('other', 'ab-123', { typeName: '士兵证' })).toMatchObject({ ok: true, value: { number: 'AB-123' } });
    expect(failure(doc('other', 'AB-123'))).toMatch(/^idTypeName: .*give its name/);
    expect(failure(doc('other', 'AB-123', { typeName: '护照' }))).toMatch(/^idTypeName: .*give the type as passport/);
    expect(failure(doc('other', 'AB-123', { typeName: '回乡证' }))).toMatch(/^idTypeName: .*Home Return Permit/);
    expect(failure(doc('other', 'AB-123', { typeName: '其他' }))).toMatch(/^idTypeName: .*name the document/);
    expect(failure(doc('other', 'AB-123', { typeName: '证'.repeat(41) }))).toMatch(/^idTypeName: .*longer than 40/);
    expect(failure(doc('other', 'A1', { typeName: '军官证' }))).toMatch(/^idNumber: .*3 to 40/);
    expect(failure(doc('other', 'A1#23', { typeName: '军官证' }))).toMatch(/^idNumber: /);
  });
});

describe('isSameIdDocument', () => {
  const stored = (idType: string, idNumber: string, idCountry: string | null = null, idTypeName: string | null = null) => ({
    idType,
    idNumber,
    idCountry,
    idTypeName,
  });
  const passport = { type: 'passport', number: 'E12345678', country: 'USA', typeName: null } as const;
  it('matches type, country, type name and number', () => {
    expect(isSameIdDocument(stored('passport', 'E12345678', 'USA'), passport)).toBe(true);
    expect(isSameIdDocument(stored('passport', 'E12345678', 'CHN'), passport)).toBe(false);
    expect(isSameIdDocument(stored('other', 'E12345678'), passport)).toBe(false);
    expect(isSameIdDocument(stored('resident_id', ''), passport)).toBe(false);
  });
  it('takes a record made before the country or the type name was asked for as the same document', () => {
    expect(isSameIdDocument(stored('passport', 'E12345678', 'XXX'), passport)).toBe(true);
    const other = { type: 'other', number: 'AB-123', country: null, typeName: '军官证' } as const;
    expect(isSameIdDocument(stored('other', 'AB-123'), other)).toBe(true);
    expect(isSameIdDocument(stored('other', 'AB-123', null, '士兵证'), other)).toBe(false);
  });
});

describe('countryCode', () => {
  it('knows the ISO 3166-1 codes, alpha-2 codes and names in English and Chinese', () => {
    expect(COUNTRIES).toHaveLength(249);
    expect(new Set(COUNTRIES.map(([a3]) => a3)).size).toBe(249);
    for (const [text, code] of [
      ['CHN', 'CHN'],
      ['usa', 'USA'],
      ['DE', 'DEU'],
      ['Netherlands', 'NLD'],
      ['荷兰', 'NLD'],
      ['美國', 'USA'],
      ['Hong Kong', 'HKG'],
      ['中国香港', 'HKG'],
      ['United Kingdom', 'GBR'],
      ['UK', 'GBR'],
    ] as const) {
      expect(countryCode(text), text).toBe(code);
    }
    for (const text of ['', 'XXX', 'ZZZ', 'XK', 'Atlantis']) expect(countryCode(text), text).toBeUndefined();
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
  it('knows every document by its Chinese, English and short names', () => {
    const names: Record<string, string[]> = {
      hk_macao_permit: [
        '港澳居民来往内地通行证',
        '回乡证',
        '港澳回乡证',
        'Home Return Permit',
        'Mainland Travel Permit for Hong Kong and Macao Residents',
        'hk_macao_permit',
        '港澳居民来往内地通行证 Home Return Permit',
      ],
      taiwan_permit: [
        '台湾居民来往大陆通行证',
        '台胞证',
        'Mainland Travel Permit for Taiwan Residents',
        'taiwan_permit',
        '台湾居民来往大陆通行证 Mainland Travel Permit for Taiwan Residents',
      ],
      residence_permit: [
        '港澳台居民居住证',
        '台湾居民居住证',
        'residence permit',
        'Residence Permit for Hong Kong, Macao and Taiwan Residents',
        'residence_permit',
        '港澳台居民居住证 residence permit',
      ],
      foreign_permanent: [
        '外国人永久居留身份证',
        '永居证',
        '外国人永久居留证',
        'foreign permanent resident ID',
        'Foreign Permanent Resident ID Card',
        'foreign_permanent',
        '外国人永久居留身份证 foreign permanent resident ID',
      ],
    };
    for (const [type, list] of Object.entries(names)) for (const s of list) expect(normalizeIdType(s), s).toBe(type);
    // 往来港澳通行证 / 港澳通行证 is the mainland resident's permit to travel there: not the Home Return Permit
    for (const s of ['港澳通行证', '往来港澳通行证', '居住证', '大陆居民往来台湾通行证']) expect(normalizeIdType(s), s).toBeUndefined();
  });
  it('says why a type is not known', () => {
    expect(unknownIdTypeReason('港澳通行证')).toMatch(/mainland resident’s travel document; for Hong Kong and Macao residents give the Home Return Permit/);
    expect(unknownIdTypeReason('大陆居民往来台湾通行证')).toMatch(/Mainland Travel Permit for Taiwan Residents/);
    expect(unknownIdTypeReason('驾照')).toBe(
      '证件类型应为 居民身份证、港澳居民来往内地通行证、台湾居民来往大陆通行证、港澳台居民居住证、外国人永久居留身份证、护照、其他 之一 / must be one of: resident ID, Home Return Permit, Mainland Travel Permit for Taiwan Residents, residence permit, foreign permanent resident ID, passport, other',
    );
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
    for (const n of ['阿依古丽•买买提', '阿依古丽.买买提', '阿依古丽・买买提', '阿依古丽 · 买买提', '阿依古丽･买买提', '阿依古丽‧买买提'])
      expect(normalizeName(n), n).toBe('阿依古丽·买买提');
  });
  it('keeps Latin names as written, one space between parts; matches them case-blind', () => {
    expect(normalizeName('  Dirk   Jansen ')).toBe('Dirk Jansen');
    expect(normalizeName('Ｄｉｒｋ Jansen')).toBe('Dirk Jansen');
    expect(sameName('dirk  JANSEN', 'Dirk Jansen')).toBe(true);
    expect(sameName('张伟', '张　伟')).toBe(true);
    expect(sameName('张伟', '张玮')).toBe(false);
  });
});
