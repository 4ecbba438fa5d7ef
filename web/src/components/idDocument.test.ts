import { describe, expect, it } from 'vitest';
import i18next, { type TFunction } from 'i18next';
import zhCN from '../i18n/zh-CN.json';
import en from '../i18n/en.json';
import { countryName, ID_TYPES, idDocumentText } from './IdDocument';

const i18n = i18next.createInstance();
await i18n.init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: 'zh-CN',
  interpolation: { escapeValue: false },
  showSupportNotice: false,
});
const tZh: TFunction = i18n.getFixedT('zh-CN');
const tEn: TFunction = i18n.getFixedT('en');

describe('identity documents in the UI', () => {
  it('names every type, with its format, in both languages', () => {
    for (const t of [tZh, tEn]) {
      for (const type of ID_TYPES) {
        expect(t(`idType.${type}`)).not.toBe(`idType.${type}`);
        expect(t(`idDocument.numberHelp.${type}`)).not.toBe(`idDocument.numberHelp.${type}`);
      }
    }
    expect(tZh('idType.hk_macao_permit')).toBe('港澳居民来往内地通行证');
  });

  it('shows a passport with its country and another document with its name', () => {
    expect(idDocumentText(tZh, 'zh-CN', { idType: 'passport', idNumber: 'E12**5678', idCountry: 'USA' })).toBe('护照（美国 USA） E12**5678');
    expect(idDocumentText(tEn, 'en', { idType: 'passport', idNumber: 'E12**5678', idCountry: 'DEU' })).toBe('Passport (Germany DEU) E12**5678');
    expect(idDocumentText(tZh, 'zh-CN', { idType: 'other', idNumber: '军字***988号', idTypeName: '军官证' })).toBe('其他（军官证） 军字***988号');
    expect(idDocumentText(tEn, 'en', { idType: 'taiwan_permit', idNumber: '******67' })).toBe('Mainland Travel Permit for Taiwan Residents ******67');
    expect(idDocumentText(tEn, 'en', {})).toBe('—');
  });

  it('names countries, the unspecified one of older records included', () => {
    expect(countryName(tZh, 'zh-CN', 'TWN')).toBe('中国台湾');
    expect(countryName(tZh, 'zh-CN', 'HKG')).toMatch(/香港/);
    expect(countryName(tEn, 'en', 'XXX')).toBe('not given');
    expect(countryName(tEn, 'en', 'QQQ')).toBe('QQQ');
  });
});
