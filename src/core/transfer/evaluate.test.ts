import { describe, expect, it } from 'vitest';
import type { ScaleDefinition } from '../grades/scales.js';
import { addYears, evaluate, indexRules, type Rule, type TranscriptCourse } from './evaluate.js';

const pct: ScaleDefinition = { type: 'percentage', passMin: 60, decimals: 0 };
const five: ScaleDefinition = {
  type: 'levels',
  levels: ['优', '良', '中', '及格', '不及格'].map((code, i) => ({ code, labelZh: code, labelEn: code, passing: i < 4 })),
};
const course = (courseId: string, grade: string, over: Partial<TranscriptCourse> = {}): TranscriptCourse => ({
  outcomeId: `o-${courseId}-${grade}`,
  courseId,
  courseCode: courseId.toUpperCase(),
  credits: 300,
  grade,
  passed: Number(grade) >= 60,
  completedOn: '2024-01-15',
  scale: pct,
  ...over,
});
const rule = (over: Partial<Rule>): Rule => ({
  id: 'r',
  sourceCourseIds: ['cs101'],
  target: { kind: 'courses', courses: [{ courseId: 't-cs1', code: 'T-CS1', credits: 400 }] },
  minGrade: null,
  maxYears: null,
  effectiveFrom: '2020-01-01',
  effectiveTo: null,
  ...over,
});
const half = (c: number) => Math.round(c / 50) * 50; // converted credits: rounded to halves

describe('will it transfer?', () => {
  it('says Match with the target course and its credits, Maybe when unevaluated, Miss with why', () => {
    const rules = indexRules([rule({ id: 'r1' })], new Map([['ph101', 'a physics course for non-majors: no equivalent']]));
    const v = evaluate([course('cs101', '88'), course('ma101', '75'), course('ph101', '70'), course('en101', '40')], rules, '2026-11-22', half);
    expect(v.get('o-cs101-88')).toEqual({ status: 'match', ruleId: 'r1', target: expect.objectContaining({ kind: 'courses' }), credits: 400, with: [] });
    expect(v.get('o-ma101-75')).toEqual({ status: 'maybe' });
    expect(v.get('o-ph101-70')).toEqual({ status: 'miss', reason: 'a physics course for non-majors: no equivalent' });
    expect(v.get('o-en101-40')).toMatchObject({ status: 'miss', reason: 'EN101 was not passed' });
  });

  it('applies the minimum grade in the source scale, levels included', () => {
    const rules = indexRules([rule({ minGrade: '70' }), rule({ id: 'lv', sourceCourseIds: ['sw'], minGrade: '良' })]);
    expect(evaluate([course('cs101', '65')], rules, '2026-01-01', half).get('o-cs101-65')).toMatchObject({
      status: 'miss',
      reason: 'grade 65 in CS101 is below the 70 required',
    });
    const levels = [course('sw', '优', { scale: five, passed: true }), course('sw', '中', { scale: five, passed: true, outcomeId: 'mid' })];
    const v = evaluate(levels, rules, '2026-01-01', half);
    expect(v.get('o-sw-优')).toMatchObject({ status: 'match' });
  });

  it('applies the recency limit and the effective dates', () => {
    const rules = indexRules([rule({ maxYears: 5, effectiveFrom: '2015-01-01' }), rule({ id: 'old', sourceCourseIds: ['ma'], effectiveTo: '2023-09-01' })]);
    expect(evaluate([course('cs101', '90', { completedOn: '2019-06-30' })], rules, '2026-11-22', half).get('o-cs101-90')).toMatchObject({
      status: 'miss',
      reason: expect.stringMatching(/more than 5 years/),
    });
    expect(evaluate([course('cs101', '90', { completedOn: '2021-12-01' })], rules, '2026-11-22', half).get('o-cs101-90')).toMatchObject({ status: 'match' });
    expect(evaluate([course('ma', '90')], rules, '2026-11-22', half).get('o-ma-90')).toMatchObject({
      status: 'miss',
      reason: expect.stringMatching(/completed from 2020-01-01 to 2023-09-01/),
    });
  });

  it('needs every course of a many-to-one rule, and counts its credits once', () => {
    const both = rule({ id: 'm2o', sourceCourseIds: ['a', 'b'], target: { kind: 'courses', courses: [{ courseId: 't', code: 'T', credits: 600 }] } });
    const rules = indexRules([both]);
    expect(evaluate([course('a', '80')], rules, '2026-01-01', half).get('o-a-80')).toMatchObject({
      status: 'miss',
      reason: expect.stringMatching(/needs another course as well/),
    });
    const v = evaluate([course('b', '70'), course('a', '80')], rules, '2026-01-01', half);
    // the credits ride on the course whose code sorts first, whatever the order of ids or of the transcript
    expect(v.get('o-a-80')).toMatchObject({ status: 'match', credits: 600, with: ['B'] });
    expect(v.get('o-b-70')).toMatchObject({ status: 'match', credits: 0, with: ['A'] });
    const reversed = indexRules([{ ...both, sourceCourseIds: ['b', 'a'] }]);
    expect(evaluate([course('a', '80'), course('b', '70')], reversed, '2026-01-01', half).get('o-a-80')).toMatchObject({ credits: 600 });
  });

  it('says what stops a many-to-one rule in the rule’s own order of courses', () => {
    const rules = indexRules([rule({ id: 'm2o', sourceCourseIds: ['b', 'a'], minGrade: '70' })]);
    // b is missing and a is below the minimum: b comes first in the rule
    expect(evaluate([course('a', '65')], rules, '2026-01-01', half).get('o-a-65')).toMatchObject({ reason: expect.stringMatching(/needs another course/) });
    expect(evaluate([course('a', '65'), course('b', '90')], rules, '2026-01-01', half).get('o-a-65')).toMatchObject({
      reason: 'grade 65 in A is below the 70 required',
    });
    expect(evaluate([course('a', '75'), course('b', '90')], rules, '2026-01-01', half).get('o-a-75')).toMatchObject({ status: 'match', with: ['B'] });
  });

  it('ranks a rule that names more courses first, even when it names one twice (learning-agreement lines are not de-duplicated)', () => {
    const twice = rule({ id: 'la', sourceCourseIds: ['cs101', 'cs101'], effectiveFrom: '2020-01-01' });
    const newer = rule({ id: 'eq', effectiveFrom: '2021-01-01', target: { kind: 'courses', courses: [{ courseId: 't2', code: 'T2', credits: 200 }] } });
    expect(evaluate([course('cs101', '80')], indexRules([newer, twice]), '2026-01-01', half).get('o-cs101-80')).toMatchObject({ ruleId: 'la', credits: 400 });
  });

  it('converts the credits of elective credit, and reports a conversion that cannot be made', () => {
    const elective = rule({ id: 'el', target: { kind: 'elective', category: '专业选修', iscedCode: '0613' } });
    expect(
      evaluate([course('cs101', '80', { credits: 350 })], indexRules([elective]), '2026-01-01', (c) => half((c * 16) / 18)).get('o-cs101-80'),
    ).toMatchObject({ status: 'match', credits: 300 });
    expect(
      evaluate([course('cs101', '80')], indexRules([elective]), '2026-01-01', () => 'different hours: the agreement must set a ratio').get('o-cs101-80'),
    ).toMatchObject({ status: 'miss', reason: /ratio/ });
  });

  it('counts a recency limit by exact dates: 5 years 11 months is over a 5-year limit, 5 years to the day is not', () => {
    const rules = indexRules([rule({ maxYears: 5, effectiveFrom: '2015-01-01' })]);
    const at = (completedOn: string, on: string) => evaluate([course('cs101', '90', { completedOn })], rules, on, half).get('o-cs101-90');
    expect(at('2020-01-15', '2025-12-15')).toMatchObject({
      status: 'miss',
      reason:
        'CS101 was completed on 2020-01-15, more than 5 years before 2025-12-15 (the date it is checked or applied for); older results do not transfer under this rule',
    });
    expect(at('2020-01-15', '2025-01-15')).toMatchObject({ status: 'match' });
    expect(at('2020-01-15', '2025-01-16')).toMatchObject({ status: 'miss' });
    expect(addYears('2020-02-29', 1)).toBe('2021-03-01');
    expect(addYears('2020-02-29', 4)).toBe('2024-02-29');
  });

  it('takes a rule’s dates as inclusive: a rule until 2023-09-01 covers a course completed that day', () => {
    const rules = indexRules([rule({ id: 'old', sourceCourseIds: ['ma'], effectiveFrom: '2020-01-01', effectiveTo: '2023-09-01' })]);
    expect(evaluate([course('ma', '90', { completedOn: '2023-09-01' })], rules, '2026-11-22', half).get('o-ma-90')).toMatchObject({ status: 'match' });
    expect(evaluate([course('ma', '90', { completedOn: '2023-09-02' })], rules, '2026-11-22', half).get('o-ma-90')).toMatchObject({ status: 'miss' });
    expect(evaluate([course('ma', '90', { completedOn: '2020-01-01' })], rules, '2026-11-22', half).get('o-ma-90')).toMatchObject({ status: 'match' });
  });
});
