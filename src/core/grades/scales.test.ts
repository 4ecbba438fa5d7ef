import { describe, expect, it } from 'vitest';
import { checkGrade, scaleProblems, type ScaleDefinition } from './scales.js';

const pct: ScaleDefinition = { type: 'percentage', passMin: 60, decimals: 1 };
const five: ScaleDefinition = {
  type: 'levels',
  levels: [
    { code: '优', labelZh: '优', labelEn: 'Excellent', passing: true },
    { code: '良', labelZh: '良', labelEn: 'Good', passing: true },
    { code: '中', labelZh: '中', labelEn: 'Fair', passing: true },
    { code: '及格', labelZh: '及格', labelEn: 'Pass', passing: true },
    { code: '不及格', labelZh: '不及格', labelEn: 'Fail', passing: false },
  ],
};
const dutch: ScaleDefinition = { type: 'numeric', best: 10, worst: 0, pass: 5.5, decimals: 1 };
const german: ScaleDefinition = { type: 'numeric', best: 1, worst: 5, pass: 4, decimals: 1 };

describe('grades against their scale', () => {
  it('checks percentage marks and the pass mark', () => {
    expect(checkGrade(pct, '60')).toEqual({ ok: true, grade: '60', passed: true });
    expect(checkGrade(pct, '59.5')).toEqual({ ok: true, grade: '59.5', passed: false });
    expect(checkGrade(pct, '100.5')).toMatchObject({ ok: false, reason: expect.stringContaining('between 0 and 100') });
    expect(checkGrade(pct, '85.25')).toMatchObject({ ok: false });
    expect(checkGrade({ type: 'percentage', passMin: 60, decimals: 0 }, '85.5')).toMatchObject({ ok: false, reason: expect.stringContaining('whole number') });
    expect(checkGrade(pct, '')).toMatchObject({ ok: false });
  });
  it('reads a whole number written as 85.0, 85.00, full-width ８５ or with spaces as 85; refuses 85.5 on a whole-number scale, saying why', () => {
    const whole: ScaleDefinition = { type: 'percentage', passMin: 60, decimals: 0 };
    for (const raw of ['85', '85.0', '85.00', '８５', ' 85 ', '\u300085\u3000', '８５．０'])
      expect(checkGrade(whole, raw), raw).toEqual({ ok: true, grade: '85', passed: true });
    expect(checkGrade(whole, '85.5')).toEqual({
      ok: false,
      reason: '百分制成绩须为整数，85.5 有小数部分 / percentage grade must be a whole number on this scale; 85.5 has a fraction',
    });
    expect(checkGrade(pct, '85.50')).toEqual({ ok: true, grade: '85.5', passed: true });
    expect(checkGrade(pct, '85.25')).toMatchObject({ ok: false, reason: expect.stringContaining('at most 1 decimal(s); 85.25 has 2') });
    expect(checkGrade(whole, '8 5')).toMatchObject({ ok: false });
    expect(checkGrade(five, '优')).toMatchObject({ ok: true, grade: '优' });
  });
  it('checks five-level grades by code or English label', () => {
    expect(checkGrade(five, '良')).toEqual({ ok: true, grade: '良', passed: true });
    expect(checkGrade(five, 'fail')).toEqual({ ok: true, grade: '不及格', passed: false });
    expect(checkGrade(five, 'A')).toMatchObject({ ok: false, reason: expect.stringContaining('优, 良, 中, 及格, 不及格') });
  });
  it('checks numeric scales whose best end is high or low', () => {
    expect(checkGrade(dutch, '5.5')).toMatchObject({ passed: true });
    expect(checkGrade(dutch, '5.4')).toMatchObject({ passed: false });
    expect(checkGrade(german, '1.3')).toMatchObject({ passed: true });
    expect(checkGrade(german, '4.3')).toMatchObject({ passed: false });
    expect(checkGrade(german, '0.7')).toMatchObject({ ok: false });
  });
  it('checks pass/fail in both languages', () => {
    expect(checkGrade({ type: 'pass_fail' }, '通过')).toEqual({ ok: true, grade: 'Pass', passed: true });
    expect(checkGrade({ type: 'pass_fail' }, 'FAIL')).toEqual({ ok: true, grade: 'Fail', passed: false });
    expect(checkGrade({ type: 'pass_fail' }, 'maybe')).toMatchObject({ ok: false });
  });
  it('finds problems in a scale definition', () => {
    expect(scaleProblems(five)).toEqual([]);
    expect(scaleProblems({ type: 'levels', levels: [five.levels[0]!, five.levels[0]!] })).toContain('level codes must be unique');
    expect(scaleProblems({ type: 'numeric', best: 1, worst: 5, pass: 6, decimals: 1 })).toContain('pass must lie between best and worst');
    expect(scaleProblems({ type: 'percentage', passMin: 120, decimals: 0 })).toHaveLength(1);
  });
});
