import { describe, expect, it } from 'vitest';
import { buildTable, convertByTable, TableError } from './tables.js';

// The published example (ECTS Users' Guide style, DAAD): 10/9/8/7/6 with counts 50/100/350/300/200.
const daad = buildTable([
  { label: '10', count: 50 },
  { label: '9', count: 100 },
  { label: '8', count: 350 },
  { label: '7', count: 300 },
  { label: '6', count: 200 },
]);

describe('grading tables', () => {
  it('reproduces the published percentages, cumulative percentages and bands', () => {
    expect(daad.total).toBe(1000);
    expect(daad.small).toBe(false);
    expect(daad.rows.map((r) => [r.label, r.percentage, r.cumulative, r.band])).toEqual([
      ['10', 5, 5, [0, 5]],
      ['9', 10, 15, [5, 15]],
      ['8', 35, 50, [15, 50]],
      ['7', 30, 80, [50, 80]],
      ['6', 20, 100, [80, 100]],
    ]);
  });

  it('flags a group too small to rely on', () => {
    expect(
      buildTable([
        { label: 'A', count: 10 },
        { label: 'B', count: 12 },
      ]).small,
    ).toBe(true);
  });

  it('refuses tables that are not tables, naming the entry', () => {
    const bad = (grades: Parameters<typeof buildTable>[0]) => {
      try {
        buildTable(grades);
      } catch (e) {
        return [(e as TableError).path, (e as Error).message];
      }
      return null;
    };
    expect(bad([])).toEqual(['grades', expect.stringContaining('at least one')]);
    expect(
      bad([
        { label: 'A', count: 0 },
        { label: 'B', count: 0 },
      ])?.[1],
    ).toMatch(/no passing grades/);
    expect(bad([{ label: 'A', count: -3 }])?.[0]).toBe('grades.0.count');
    expect(
      bad([
        { label: 'A', percentage: 60 },
        { label: 'B', percentage: 30 },
      ])?.[1],
    ).toMatch(/add up to 90/);
    expect(
      bad([
        { label: 'A', count: 3 },
        { label: 'A', count: 4 },
      ])?.[0],
    ).toBe('grades.1.label');
    expect(
      bad([
        { label: 'A', count: 3 },
        { label: 'B', percentage: 4 },
      ])?.[1],
    ).toMatch(/not a mix/);
  });

  it('accepts published percentages that round to about 100', () => {
    const t = buildTable([
      { label: 'A', percentage: 33.3 },
      { label: 'B', percentage: 33.3 },
      { label: 'C', percentage: 33.3 },
    ]);
    expect(t.rows[2]!.cumulative).toBe(100);
  });
});

describe('conversion by band overlap', () => {
  // a hand-built receiving table: A 10 %, B 25 %, C 30 %, D 20 %, E 15 %
  const ects = buildTable([
    { label: 'A', percentage: 10 },
    { label: 'B', percentage: 25 },
    { label: 'C', percentage: 30 },
    { label: 'D', percentage: 20 },
    { label: 'E', percentage: 15 },
  ]);

  it('lists every overlapping grade with its overlap, and the policy picks one', () => {
    // 8 sits in [15, 50]: B [10, 35] overlaps 20, C [35, 65] overlaps 15
    const base = convertByTable(daad, ects, '8', 'largest-overlap');
    expect(base).toEqual({
      grade: 'B',
      candidates: [
        { label: 'B', overlap: 20 },
        { label: 'C', overlap: 15 },
      ],
      band: [15, 50],
    });
    expect(convertByTable(daad, ects, '8', 'max').grade).toBe('B');
    expect(convertByTable(daad, ects, '8', 'min').grade).toBe('C');
    expect(convertByTable(daad, ects, '8', 'average').grade).toBe('B'); // mean position 1.43 → B
  });

  it('takes the average over three candidates to the middle one', () => {
    // 7 sits in [50, 80]: C [35, 65] 15, D [65, 85] 15 → tie; 6 in [80, 100]: D 5, E 15
    expect(convertByTable(daad, ects, '7', 'largest-overlap').grade).toBe('C'); // tie → the better grade
    expect(convertByTable(daad, ects, '7', 'average').grade).toBe('C'); // mean 2.5 → tie → the better
    expect(convertByTable(daad, ects, '6', 'average').grade).toBe('E'); // mean 3.75 → E
    const wide = buildTable([
      { label: 'P', percentage: 80 },
      { label: 'F', percentage: 20 },
    ]);
    expect(convertByTable(wide, ects, 'P', 'average')).toMatchObject({
      grade: 'C',
      candidates: [{ label: 'A' }, { label: 'B' }, { label: 'C' }, { label: 'D' }],
    });
  });

  it('converts the same table to itself unchanged', () => {
    for (const g of ['10', '9', '8', '7', '6']) expect(convertByTable(daad, daad, g, 'largest-overlap').grade).toBe(g);
  });

  it('names an unknown grade', () => {
    expect(() => convertByTable(daad, ects, '11', 'min')).toThrow(/grade 11 is not in the sending table/);
  });
});
