import { describe, expect, it } from 'vitest';
import { crossPassFail, isPassFail, passGradeOf } from './passfail.js';
import type { ScaleDefinition } from './scales.js';
import { buildTable, convertByTable, TableError } from './tables.js';

const pf: ScaleDefinition = { type: 'pass_fail' };
const hege: ScaleDefinition = {
  type: 'levels',
  levels: [
    { code: '合格', labelZh: '合格', labelEn: 'Pass', passing: true },
    { code: '不合格', labelZh: '不合格', labelEn: 'Fail', passing: false },
  ],
};
const five: ScaleDefinition = {
  type: 'levels',
  levels: [
    { code: '优', labelZh: '优', labelEn: 'Excellent', passing: true },
    { code: '良', labelZh: '良', labelEn: 'Good', passing: true },
    { code: '及格', labelZh: '及格', labelEn: 'Pass', passing: true },
    { code: '不及格', labelZh: '不及格', labelEn: 'Fail', passing: false },
  ],
};
const pct: ScaleDefinition = { type: 'percentage', passMin: 60, decimals: 0 };
const rule = (pass: string) => ({ pass, method: 'pass/fail rule' });

describe('pass/fail as its own kind of scale', () => {
  it('knows a pass/fail scale, also when written as two levels (合格/不合格)', () => {
    expect(isPassFail(pf)).toBe(true);
    expect(isPassFail(hege)).toBe(true);
    expect(isPassFail(five)).toBe(false);
    expect(isPassFail(pct)).toBe(false);
    expect(passGradeOf(pf)).toBe('Pass');
    expect(passGradeOf(hege)).toBe('合格');
  });

  it('leaves graded → graded to the agreement’s method', () => {
    expect(crossPassFail(pct, five, '86', null)).toEqual({ kind: 'graded' });
    expect(crossPassFail(undefined, pct, '86', null)).toEqual({ kind: 'graded' });
  });

  it('keeps a Pass a Pass between pass/fail scales, and makes any passing grade a Pass on one', () => {
    expect(crossPassFail(pf, pf, 'Pass', null)).toEqual({ kind: 'converted', grade: 'Pass', method: 'pass/fail' });
    expect(crossPassFail(hege, pf, '合格', null)).toEqual({ kind: 'converted', grade: 'Pass', method: 'pass/fail' });
    expect(crossPassFail(pf, hege, 'P', null)).toEqual({ kind: 'converted', grade: '合格', method: 'pass/fail' });
    expect(crossPassFail(pct, pf, '92', null)).toEqual({ kind: 'converted', grade: 'Pass', method: 'pass/fail' });
    // a rule written for the other direction changes nothing here
    expect(crossPassFail(pf, pf, 'Pass', rule('80'))).toMatchObject({ grade: 'Pass' });
  });

  it('never turns a Pass into a number without the agreement’s explicit rule: an evaluator decides', () => {
    expect(crossPassFail(pf, pct, 'Pass', null)).toMatchObject({ kind: 'evaluator', reason: expect.stringContaining('no pass/fail rule') });
    expect(crossPassFail(hege, five, '合格', null)).toMatchObject({ kind: 'evaluator' });
    expect(crossPassFail(pf, undefined, 'Pass', null)).toMatchObject({ kind: 'evaluator' });
    expect(crossPassFail(pf, pct, 'Fail', rule('75'))).toMatchObject({ kind: 'evaluator' });
  });

  it('converts a Pass by the agreement’s rule, checked against the receiving scale', () => {
    expect(crossPassFail(pf, pct, 'Pass', rule('75'))).toEqual({ kind: 'converted', grade: '75', method: 'pass/fail rule' });
    expect(crossPassFail(hege, five, '合格', rule('良'))).toEqual({ kind: 'converted', grade: '良', method: 'pass/fail rule' });
    expect(crossPassFail(pf, five, 'Pass', { pass: '中', method: 'fixed table' })).toMatchObject({
      kind: 'evaluator',
      reason: expect.stringContaining('not a passing grade'),
    });
    expect(crossPassFail(pf, pct, 'Pass', rule('50'))).toMatchObject({ kind: 'evaluator' });
  });

  it('does not convert a table of one passing grade into a finer table by band overlap', () => {
    const pass = buildTable([{ label: 'Pass', count: 120 }]);
    const graded = buildTable([
      { label: '90', count: 20 },
      { label: '80', count: 50 },
      { label: '70', count: 30 },
    ]);
    expect(() => convertByTable(pass, graded, 'Pass', 'max')).toThrow(TableError);
    expect(() => convertByTable(pass, graded, 'Pass', 'largest-overlap')).toThrow(/one passing grade/);
    // the other way, every passing grade is the one grade of the pass/fail table
    expect(convertByTable(graded, pass, '70', 'min').grade).toBe('Pass');
    expect(convertByTable(pass, buildTable([{ label: '合格', count: 9 }]), 'Pass', 'min').grade).toBe('合格');
  });
});
