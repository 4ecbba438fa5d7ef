import { describe, expect, it } from 'vitest';
import { bavarian, convertFixed, pkuGpa } from './formulas.js';

describe('modified Bavarian formula', () => {
  it('gives the published Dutch example: 8 on a 6–10 scale is 2.5, rounded to 2.3', () => {
    expect(bavarian('8', '10', '6')).toEqual({ grade: '2.3', exact: '2.50' });
  });
  it('maps the ends of the scale to 1.0 and 4.0', () => {
    expect(bavarian(100, 100, 60).grade).toBe('1.0');
    expect(bavarian(60, 100, 60).grade).toBe('4.0');
  });
  it('rounds to the nearest German grade', () => {
    expect(bavarian(90, 100, 60)).toEqual({ grade: '1.7', exact: '1.75' }); // 1.75: nearer 1.7 than 2.0
    expect(bavarian(85, 100, 60)).toEqual({ grade: '2.0', exact: '2.13' }); // 2.125
    expect(bavarian('7.5', '10', '5.5').grade).toBe('2.7'); // 1 + 3·2.5/4.5 = 2.667
  });
  it('works on scales where a lower number is better', () => {
    expect(bavarian('1.5', '1', '4').grade).toBe('1.3'); // 1 + 3·0.5/3 = 1.5 → tie 1.3/1.7 → 1.3
  });
  it('refuses a failing grade', () => {
    expect(() => bavarian(55, 100, 60)).toThrow(/not a passing grade/);
  });
});

describe('Peking University GPA', () => {
  it('follows 4 − 3·(100 − x)²/1600 from 60 to 100', () => {
    expect(pkuGpa(100)).toBe('4.00');
    expect(pkuGpa(60)).toBe('1.00');
    expect(pkuGpa(85)).toBe('3.58'); // 3.578125
    expect(pkuGpa('90.5')).toBe('3.83'); // 4 − 3·90.25/1600 = 3.8307
    expect(pkuGpa(59)).toBe('0.00');
  });
});

describe('fixed tables', () => {
  it('uses bands as data, so either published convention can be chosen', () => {
    const strict = {
      type: 'ranges' as const,
      bands: [
        { min: 90, to: '优' },
        { min: 80, to: '良' },
        { min: 70, to: '中' },
        { min: 60, to: '及格' },
        { min: 0, to: '不及格' },
      ],
    };
    const lenient = {
      type: 'ranges' as const,
      bands: [
        { min: 85, to: '优' },
        { min: 75, to: '良' },
        { min: 65, to: '中' },
        { min: 60, to: '及格' },
        { min: 0, to: '不及格' },
      ],
    };
    expect(convertFixed(strict, '86')).toBe('良');
    expect(convertFixed(lenient, '86')).toBe('优');
    expect(convertFixed({ type: 'labels', map: { 优: 'A', 良: 'B' } }, '良')).toBe('B');
    expect(convertFixed(strict, 'abc')).toBeNull();
  });
});
