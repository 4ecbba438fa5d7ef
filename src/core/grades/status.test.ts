import { describe, expect, it } from 'vitest';
import type { ScaleDefinition } from './scales.js';
import { RESULT_STATUSES, STATUS_EN, STATUS_ZH, parseStatus, resolveResult, statusName } from './status.js';

const pct: ScaleDefinition = { type: 'percentage', passMin: 60, decimals: 0 };
const five: ScaleDefinition = {
  type: 'levels',
  levels: [
    { code: '优', labelZh: '优', labelEn: 'Excellent', passing: true },
    { code: '良', labelZh: '良', labelEn: 'Good', passing: true },
    { code: '及格', labelZh: '及格', labelEn: 'Pass', passing: true },
    { code: '不及格', labelZh: '不及格', labelEn: 'Fail', passing: false },
  ],
};
const earns = { exemptionEarnsCredit: true };
const keeps = { exemptionEarnsCredit: false };

describe('result statuses', () => {
  it('reads every status by its code, its Chinese and its English name, in any width and case', () => {
    for (const s of RESULT_STATUSES) {
      expect(parseStatus(s), s).toBe(s);
      expect(parseStatus(STATUS_ZH[s]), STATUS_ZH[s]).toBe(s);
      expect(parseStatus(STATUS_EN[s].toUpperCase()), STATUS_EN[s]).toBe(s);
    }
    expect(parseStatus(' 缺考\u3000')).toBe('absent');
    expect(parseStatus('Ｒｅｓｉｔ')).toBe('resit');
    expect(parseStatus('正常考试')).toBe('normal');
    expect(parseStatus('重考')).toBe('resit');
    expect(parseStatus('违纪')).toBe('misconduct');
    expect(parseStatus('absent  without leave')).toBe('absent_unexcused');
    expect(parseStatus('')).toBeNull();
    expect(parseStatus('86')).toBeNull();
    expect(parseStatus('良')).toBeNull();
    expect(statusName('barred')).toBe('取消考试资格 barred from the exam');
  });

  it('takes a grade as a normal result, and a status written in the grade cell as that status', () => {
    expect(resolveResult(pct, { grade: '86' }, earns)).toEqual({ ok: true, status: 'normal', grade: '86', passed: true, namedBy: null, note: null });
    expect(resolveResult(pct, { grade: '缺考' }, earns)).toMatchObject({ ok: true, status: 'absent', grade: null, passed: false, namedBy: 'grade' });
    expect(resolveResult(five, { grade: 'deferred' }, earns)).toMatchObject({ ok: true, status: 'deferred', grade: null, passed: false });
    // the grade column empty and nothing beside it
    expect(resolveResult(pct, { grade: '' }, earns)).toEqual({ ok: false, field: 'grade', reason: '必填 / is required' });
    // neither a grade nor a status: the scale's own message
    expect(resolveResult(pct, { grade: '优' }, earns)).toMatchObject({ ok: false, field: 'grade', reason: expect.stringContaining('whole number') });
  });

  it('never passes 缺考, 缓考, 旷考, 取消考试资格 or 作弊, and says so in both languages', () => {
    for (const s of ['absent', 'deferred', 'absent_unexcused', 'barred', 'misconduct'] as const) {
      const r = resolveResult(pct, { status: STATUS_ZH[s] }, earns);
      expect(r, s).toMatchObject({ ok: true, status: s, grade: null, passed: false, namedBy: 'status' });
      expect(r.ok && r.note, s).toContain(STATUS_ZH[s]);
      expect(r.ok && r.note, s).toContain(STATUS_EN[s]);
      expect(r.ok && r.note, s).toContain('no credits');
    }
    // exports often write 0 beside 缺考: a failing grade is set aside, and the note says so
    const zero = resolveResult(pct, { grade: '0', status: '缺考' }, earns);
    expect(zero).toMatchObject({ ok: true, status: 'absent', grade: null, passed: false });
    expect(zero.ok && zero.note).toContain('0 set aside');
    // a passing grade contradicts the status
    expect(resolveResult(pct, { grade: '75', status: '作弊' }, earns)).toMatchObject({
      ok: false,
      field: 'grade',
      reason: expect.stringContaining('misconduct'),
    });
  });

  it('needs a grade for 补考 and 重修, which pass as their grade does', () => {
    expect(resolveResult(pct, { grade: '75', status: '补考' }, earns)).toMatchObject({
      ok: true,
      status: 'resit',
      grade: '75',
      passed: true,
      namedBy: 'status',
    });
    expect(resolveResult(pct, { grade: '52', status: 'retake' }, earns)).toMatchObject({ ok: true, status: 'retake', grade: '52', passed: false });
    expect(resolveResult(pct, { status: '补考' }, earns)).toEqual({
      ok: false,
      field: 'grade',
      reason: '补考（resit）须有成绩 / a resit result needs a grade',
    });
    expect(resolveResult(pct, { grade: '重修' }, earns)).toMatchObject({ ok: false, field: 'grade', reason: expect.stringContaining('retake') });
    expect(resolveResult(pct, { grade: '101', status: '重修' }, earns)).toMatchObject({
      ok: false,
      field: 'grade',
      reason: expect.stringContaining('重修（retake）'),
    });
    // 正常 in the status column is a normal result
    expect(resolveResult(pct, { grade: '80', status: '正常' }, earns)).toMatchObject({ ok: true, status: 'normal', note: null });
  });

  it('passes 免修 with the course’s credits only under the institution’s exemption rule', () => {
    expect(resolveResult(pct, { status: '免修' }, earns)).toMatchObject({ ok: true, status: 'exempted', grade: null, passed: true });
    expect(resolveResult(pct, { status: '免修' }, keeps)).toMatchObject({ ok: true, status: 'exempted', grade: null, passed: false });
    const kept = resolveResult(pct, { grade: '免修' }, keeps);
    expect(kept.ok && kept.note).toContain('no credits');
    // a grade given is checked and must pass
    expect(resolveResult(pct, { grade: '85', status: '免修' }, earns)).toMatchObject({ ok: true, status: 'exempted', grade: '85', passed: true });
    expect(resolveResult(pct, { grade: '40', status: '免修' }, earns)).toMatchObject({ ok: false, field: 'grade' });
    expect(resolveResult(pct, { grade: 'A', status: '免修' }, earns)).toMatchObject({ ok: false, field: 'grade' });
  });

  it('counts 免考 with a grade as that grade, and without one as 免修', () => {
    expect(resolveResult(pct, { grade: '88', status: '免考' }, keeps)).toMatchObject({ ok: true, status: 'exam_exempted', grade: '88', passed: true });
    expect(resolveResult(pct, { grade: '50', status: '免考' }, earns)).toMatchObject({ ok: true, status: 'exam_exempted', grade: '50', passed: false });
    expect(resolveResult(pct, { status: 'exam exempted' }, earns)).toMatchObject({ ok: true, status: 'exam_exempted', grade: null, passed: true });
    expect(resolveResult(pct, { status: '免考' }, keeps)).toMatchObject({ ok: true, status: 'exam_exempted', grade: null, passed: false });
  });

  it('reads a status in the grade cell together with the status column: 补考 + 缺考 is absent from the resit; contradictions are refused', () => {
    expect(resolveResult(pct, { grade: '缺考', status: '补考' }, earns)).toMatchObject({
      ok: true,
      status: 'absent',
      grade: null,
      passed: false,
      namedBy: 'grade',
      note: expect.stringContaining('补考 resit'),
    });
    expect(resolveResult(pct, { grade: '缺考', status: '缺考' }, earns)).toMatchObject({ ok: true, status: 'absent' });
    expect(resolveResult(pct, { grade: '缓考', status: '正常' }, earns)).toMatchObject({ ok: true, status: 'deferred' });
    expect(resolveResult(pct, { grade: '补考', status: '作弊' }, earns)).toMatchObject({ ok: true, status: 'misconduct', namedBy: 'status' });
    expect(resolveResult(pct, { grade: '免修', status: '缺考' }, earns)).toMatchObject({
      ok: false,
      field: 'status',
      reason: expect.stringContaining('exempted'),
    });
    expect(resolveResult(pct, { grade: '80', status: '迟到' }, earns)).toMatchObject({
      ok: false,
      field: 'status',
      reason: expect.stringContaining('not a result status'),
    });
  });
});
