import { describe, expect, it } from 'vitest';
import { BROAD_FIELDS, DETAILED_FIELDS, NARROW_FIELDS, iscedFieldName } from './isced.js';

describe('ISCED-F 2013 field names', () => {
  it('names detailed, narrow and broad fields in both languages', () => {
    expect(iscedFieldName('0413')).toEqual({ zh: '管理和行政', en: 'Management and administration' });
    expect(iscedFieldName('0613')?.en).toBe('Software and applications development and analysis');
    expect(iscedFieldName('061')?.zh).toBe('信息和通信技术');
    expect(iscedFieldName('06')?.en).toBe('Information and communication technologies');
  });

  it('names "not further defined" and "not elsewhere classified" codes after their field', () => {
    expect(iscedFieldName('0610')).toEqual({ zh: '信息和通信技术（未细分）', en: 'Information and Communication Technologies (ICTs) not further defined' });
    expect(iscedFieldName('0419')?.en).toBe('Business and administration not elsewhere classified');
    expect(iscedFieldName('040')?.zh).toBe('商业、管理和法律（未细分）');
  });

  it('knows no name for codes outside the list', () => {
    for (const code of ['0', '12', '0195', '0615', 'abcd', '', null, undefined]) expect(iscedFieldName(code)).toBeNull();
  });

  it('is consistent: every detailed field under a narrow one, every narrow under a broad one', () => {
    for (const code of Object.keys(DETAILED_FIELDS)) expect(NARROW_FIELDS[code.slice(0, 3)], code).toBeDefined();
    for (const code of Object.keys(NARROW_FIELDS)) expect(BROAD_FIELDS[code.slice(0, 2)], code).toBeDefined();
    for (const names of [...Object.values(DETAILED_FIELDS), ...Object.values(NARROW_FIELDS)]) {
      expect(names.zh).toMatch(/\p{Script=Han}/u);
      expect(names.en).toMatch(/^[A-Z]/);
    }
  });
});
