// The pure parts of the European exports and imports: ECTS from workload hours only, term dates,
// XML escaping, and the grading-table reader's refusals, each naming where the problem is.
import { describe, expect, it } from 'vitest';
import { ectsOf } from './ects.js';
import { describeScale, elmoDocument, termDates } from './elmo.js';
import { cycleOf, detectFormat, GradingImportError, readGradingTables } from './grading-import.js';
import { escapeXml } from './xml.js';

const problems = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof GradingImportError) return e.problems;
    throw e;
  }
  throw new Error('expected a GradingImportError');
};

describe('ECTS', () => {
  it('keeps ECTS, converts workload hours at 30 h a credit to the half credit, and never contact hours', () => {
    expect(ectsOf({ credits: 500, unit: 'ects', hours: 0, hourType: 'contact' })).toEqual({ ects: 500, method: 'ects' });
    expect(ectsOf({ credits: 200, unit: 'credit', hours: 60, hourType: 'workload' })).toEqual({ ects: 200, method: 'workload' });
    expect(ectsOf({ credits: 300, unit: 'credit', hours: 80, hourType: 'workload' })).toEqual({ ects: 250, method: 'workload' }); // 2.67 → 2.5
    expect(ectsOf({ credits: 300, unit: 'credit', hours: 83, hourType: 'workload' })).toEqual({ ects: 300, method: 'workload' }); // 2.77 → 3
    expect(ectsOf({ credits: 350, unit: 'credit', hours: 56, hourType: 'contact' }).ects).toBeNull();
    expect(ectsOf({ credits: 350, unit: 'credit', hours: 0, hourType: 'workload' }).ects).toBeNull();
  });
});

describe('ELMO', () => {
  it('dates Chinese terms and describes scales', () => {
    expect(termDates('2023-2024-1')).toEqual({ start: '2023-09-01', end: '2024-01-31', en: '2023/2024 first semester' });
    expect(termDates('2023-2024-2')?.start).toBe('2024-02-01');
    expect(termDates('2023-2024-3')?.end).toBe('2024-08-31');
    expect(termDates('autumn')).toBeUndefined();
    expect(describeScale({ type: 'percentage', passMin: 60 })).toBe('marks 0–100, 60 or more passes');
    expect(
      describeScale({
        type: 'levels',
        levels: [
          { code: '优', labelEn: 'Excellent', passing: true },
          { code: '不及格', labelEn: 'Fail', passing: false },
        ],
      }),
    ).toBe('grades best first: 优 (Excellent), 不及格 (Fail, fail)');
  });

  it('escapes what it writes', () => {
    expect(escapeXml('a<b & "c" \u0001')).toBe('a&lt;b &amp; &quot;c&quot; ');
    const xml = elmoDocument({ fullName: 'O’Brien <x>', fullNameLatin: null, birthDate: null, accountNo: '1' }, [], new Date('2026-01-01T00:00:00Z'));
    expect(xml).toContain('<familyName>O’Brien &lt;x&gt;</familyName>');
    expect(xml).not.toContain('<bday>');
  });
});

describe('reading EWP grading tables', () => {
  it('takes the cycle from the request, a cycle attribute or an EQF level', () => {
    expect(cycleOf('6')).toBe('first');
    expect(cycleOf(8)).toBe('third');
    expect(cycleOf('SECOND')).toBe('second');
    expect(cycleOf('9')).toBeUndefined();
    const xml =
      '<t><iscedTable iscedCode="0613"><gradeFrequency label="A" percentage="40"/><gradeFrequency label="B" percentage="60"/></iscedTable><iscedTable iscedCode="06" cycle="third"><gradeFrequency label="P" percentage="100"/></iscedTable></t>';
    expect(readGradingTables(xml, 'xml', { cycle: 'short' }).map((t) => [t.iscedCode, t.cycle])).toEqual([
      ['0613', 'short'],
      ['06', 'third'],
    ]);
  });

  it('guesses the format', () => {
    expect(detectFormat('x.CSV', '<')).toBe('csv');
    expect(detectFormat(undefined, '  <?xml')).toBe('xml');
    expect(detectFormat('upload', '{"tables":[]}')).toBe('json');
    expect(detectFormat('upload', 'iscedCode,label')).toBe('csv');
  });

  it('names every bad row and field', () => {
    const csv = 'iscedCode,cycle,label,percentage\n061,first,A,101\n0613x,first,B,50\n0613,first,,50\n0613,first,C,-1\n';
    expect(problems(() => readGradingTables(csv, 'csv'))).toEqual([
      { path: 'row 2, column percentage', message: '"101" is not a percentage between 0 and 100' },
      { path: 'row 3, column iscedCode', message: '"0613x" is not an ISCED-F code (2, 3 or 4 digits, e.g. 0613)' },
      { path: 'row 4, column label', message: 'the grade label is missing' },
      { path: 'row 5, column percentage', message: '"-1" is not a percentage between 0 and 100' },
    ]);
    expect(problems(() => readGradingTables('label,percentage\nA,100\n', 'csv'))[0]).toEqual({
      path: 'row 1',
      message: expect.stringMatching(/missing: iscedCode/),
    });
    expect(problems(() => readGradingTables('iscedCode,label,percentage\n0613,A,100\n', 'csv'))[0]).toEqual({
      path: 'row 2, column cycle',
      message: expect.stringMatching(/no cycle/),
    });
    expect(problems(() => readGradingTables('<a><b></a>', 'xml'))[0]!.path).toBe('line 1');
    expect(problems(() => readGradingTables('<a/>', 'xml'))[0]!.message).toMatch(/no iscedTable/);
    expect(problems(() => readGradingTables('{"tables": 3}', 'json'))[0]!.path).toBe('file');
    const twice = JSON.stringify([
      { iscedCode: '0613', cycle: 'first', gradeFrequencies: [{ label: 'P', percentage: 100 }] },
      { iscedCode: '0613', eqfLevel: 6, gradeFrequencies: [{ label: 'P', percentage: 100 }] },
    ]);
    expect(problems(() => readGradingTables(twice, 'json'))).toEqual([
      { path: 'tables.1', message: 'a second table for field 0613, first cycle (the first is at tables.0)' },
    ]);
  });

  it('accepts published rounding (±0.5) but not a table that does not add up', () => {
    expect(readGradingTables('iscedCode,cycle,label,percentage\n0613,first,A,33.3\n0613,first,B,33.3\n0613,first,C,33.3\n', 'csv')).toHaveLength(1);
    expect(problems(() => readGradingTables('iscedCode,cycle,label,percentage\n0613,first,A,50\n0613,first,B,40\n', 'csv'))).toEqual([
      { path: 'row 2', message: 'field 0613, first cycle: the percentages add up to 90, not 100' },
    ]);
  });
});
