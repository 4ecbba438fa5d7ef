import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import zhCN from '../../i18n/zh-CN.json';
import en from '../../i18n/en.json';
import { CHANGE_FIELDS, describeChange } from './changes';

const labels = (catalogue: typeof en) => catalogue.imports.changes.field as Record<string, string>;
const tIn = (catalogue: typeof en) => ((key: string) => labels(catalogue)[key.replace('imports.changes.field.', '')] ?? key) as unknown as TFunction;

describe('describeChange', () => {
  it('labels the leading field of each part and keeps the values', () => {
    expect(describeChange(tIn(zhCN), 'grade 88 → 55')).toBe('成绩 88 → 55');
    expect(describeChange(tIn(zhCN), 'grade (empty) → 84; resultStatus 缓考 deferred → 正常 normal')).toBe(
      '成绩 (empty) → 84; 成绩标志 缓考 deferred → 正常 normal',
    );
    expect(describeChange(tIn(zhCN), 'hours 64 → 72; credits 3 → 3.5')).toBe('学时 64 → 72; 学分 3 → 3.5');
    expect(describeChange(tIn(en), 'email (empty) → a@b.cn; idNumber 1101********001X → 1101********002X')).toBe(
      'Email (empty) → a@b.cn; ID number 1101********001X → 1101********002X',
    );
  });

  it('leaves what it does not recognise as it is', () => {
    expect(describeChange(tIn(en), 'colour red → blue')).toBe('colour red → blue');
    expect(describeChange(tIn(en), 'titleEn A; level 3 → B')).toBe('Title (English) A; Level 3 → B');
    expect(describeChange(tIn(en), '')).toBe('');
  });

  it('has a label for every field in both languages', () => {
    for (const catalogue of [zhCN, en]) {
      expect(CHANGE_FIELDS.filter((f) => !labels(catalogue)[f])).toEqual([]);
    }
  });
});
