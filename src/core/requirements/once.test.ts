import { describe, expect, it } from 'vitest';
import { audit } from './audit.js';
import type { CreditItem, Requirements } from './model.js';
import { countingAttempt, countOnce } from './once.js';

const item = (id: string, over: Partial<CreditItem> = {}): CreditItem => ({
  id,
  courseCode: null,
  category: null,
  source: 'HXU',
  origin: 'home',
  credits: 300,
  completedOn: '2023-01-15',
  level: null,
  field: '0613',
  ...over,
});
const asOf = '2026-11-22';

describe('retakes count once', () => {
  // MA1021 passed with 62, then retaken with 90: one course, three credits
  const first = item('ma-62', { content: 'MA1021', courseCode: 'MA1021', rank: 62, completedOn: '2020-01-15' });
  const retake = item('ma-90', { content: 'MA1021', courseCode: 'MA1021', rank: 90, completedOn: '2021-01-15' });
  const lower = item('ma-70', { content: 'MA1021', courseCode: 'MA1021', rank: 70, completedOn: '2022-01-15' });

  it('keeps the best passing attempt, or the latest when the programme says so', () => {
    expect(countingAttempt([first, retake, lower], 'best').id).toBe('ma-90');
    expect(countingAttempt([first, retake, lower], 'latest').id).toBe('ma-70');
    // equal grades: the later one; grades that cannot be compared rank below any that can
    expect(countingAttempt([first, item('ma-62b', { content: 'MA1021', rank: 62, completedOn: '2021-07-10' })], 'best').id).toBe('ma-62b');
    expect(countingAttempt([item('p', { rank: null, completedOn: '2024-01-15' }), first], 'best').id).toBe('ma-62');
  });

  it('shows the other attempts as not counted, naming the one that counts', () => {
    const r: Requirements = { totalCredits: 0, root: ['math'], nodes: [{ id: 'math', kind: 'courses', titleZh: '', titleEn: '', courses: ['MA1021'] }] };
    const res = audit(r, [first, retake], { asOf });
    expect(res.total.credits).toBe(300);
    expect(res.counted).toEqual(['ma-90']);
    expect(res.excluded).toEqual([{ id: 'ma-62', reason: 'retake', of: ['ma-90'] }]);
    expect(audit({ ...r, retakes: 'latest' }, [first, retake, lower], { asOf }).counted).toEqual(['ma-70']);
  });
});

describe('duplicated content counts once', () => {
  it('counts one side of an equivalence: the one with more credits, the awarding institution’s when equal', () => {
    const jnvc = item('jn', { content: 'JN-SW101', source: 'JNVC', origin: 'external', credits: 400 });
    const hxu = item('cs', { content: 'CS1011', courseCode: 'CS1011' });
    const overlaps = [{ a: ['JN-SW101'], b: ['CS1011'] }];
    expect(countOnce([jnvc, hxu], 'best', overlaps)).toEqual({ kept: [jnvc], notCounted: [{ id: 'cs', reason: 'duplicate', of: ['jn'] }] });
    const equal = item('jn3', { content: 'JN-SW101', source: 'JNVC', origin: 'external', credits: 300 });
    expect(countOnce([equal, hxu], 'best', overlaps).notCounted).toEqual([{ id: 'jn3', reason: 'duplicate', of: ['cs'] }]);
  });

  it('sets aside both courses that together replace one, and nothing when only one side is held', () => {
    const a = item('a', { content: 'JN-SW201', origin: 'external', credits: 100 });
    const b = item('b', { content: 'JN-SW212', origin: 'external', credits: 150 });
    const z = item('z', { content: 'CS2022', courseCode: 'CS2022', credits: 300 });
    const overlaps = [{ a: ['JN-SW201', 'JN-SW212'], b: ['CS2022'] }];
    const once = countOnce([a, b, z], 'best', overlaps);
    expect(once.kept).toEqual([z]);
    expect(once.notCounted.map((x) => x.id)).toEqual(['a', 'b']);
    expect(countOnce([a, b], 'best', overlaps).notCounted).toEqual([]);
  });

  it('counts a certificate or the course it replaces, not both', () => {
    const cert = item('cert', { content: 'cert:1', origin: 'certificate', credits: 400 });
    const course = item('course', { content: 'CS3012', courseCode: 'CS3012' });
    const res = audit(
      { totalCredits: 0, root: ['all'], nodes: [{ id: 'all', kind: 'credits', titleZh: '', titleEn: '', minCredits: 0, filter: {} }] },
      [cert, course],
      {
        asOf,
        overlaps: [{ a: ['cert:1'], b: ['CS3012'] }],
      },
    );
    expect(res.counted).toEqual(['cert']);
    expect(res.excluded).toEqual([{ id: 'course', reason: 'duplicate', of: ['cert'] }]);
  });
});

describe('caps govern the kinds of learning they name', () => {
  // ACBS: 24 a semester and 42 a year govern credit-bank courses and part-time study, not the
  // transcript of a completed formal programme nor certificates
  const r: Requirements = {
    totalCredits: 0,
    root: ['all'],
    nodes: [{ id: 'all', kind: 'credits', titleZh: '', titleEn: '', minCredits: 0, filter: {} }],
    yearStartMonth: 3,
    caps: { perSemester: 2400, perYear: 4200, perSource: 10500 },
  };
  const semester = (kind: CreditItem['kind'], origin: CreditItem['origin'] = 'home') =>
    Array.from({ length: 10 }, (_, k) => item(`${kind}-${k}`, { kind, origin, source: `S${k % 2}` }));

  it('limits courses taken in a semester', () => {
    expect(audit(r, semester('course'), { asOf }).total.credits).toBe(2400);
  });
  it('does not limit a transcript by semester or year, only by institution', () => {
    expect(audit(r, semester('transcript'), { asOf }).total.credits).toBe(3000);
    const many = Array.from({ length: 40 }, (_, k) => item(`t${k}`, { kind: 'transcript', source: 'HXU', completedOn: `${2010 + (k % 10)}-01-15` }));
    expect(audit(r, many, { asOf }).total.credits).toBe(10500);
  });
  it('does not limit certificates by semester, year or institution (they have their own caps)', () => {
    const certs = semester('certificate', 'certificate');
    expect(audit(r, certs, { asOf }).total.credits).toBe(3000);
    expect(audit({ ...r, caps: { ...r.caps, certificates: { count: 3 } } }, certs, { asOf }).total.credits).toBe(900);
  });
  it('governs other kinds when the programme names them', () => {
    expect(audit({ ...r, caps: { ...r.caps, governs: { perSemester: ['course', 'transcript'] } } }, semester('transcript'), { asOf }).total.credits).toBe(2400);
  });
});
