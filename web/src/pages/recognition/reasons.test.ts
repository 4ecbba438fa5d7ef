import { describe, expect, it } from 'vitest';
import i18next, { type TFunction } from 'i18next';
import zhCN from '../../i18n/zh-CN.json';
import en from '../../i18n/en.json';
import { CYCLES, GRADE_METHODS, GRADE_POLICIES, LA_PARTS, ROUNDING_MODES } from '../../api/recognition';
import { fromHundredths, sumByUnit, toHundredths } from './credits';
import { gradeMethodText, gradeNoteText, isEvaluatorsNo, reasonText } from './reasons';
import { gradeTablesBody, tableText } from './GradeTablesEditor';
import { isPassFailScale, passFailBody } from './PassFailRules';
import type { Institution } from '../../api/types';

const i18n = i18next.createInstance();
await i18n.init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: 'zh-CN',
  interpolation: { escapeValue: false },
  showSupportNotice: false,
});
const tZh: TFunction = i18n.getFixedT('zh-CN');
const tEn: TFunction = i18n.getFixedT('en');

const agreement = { id: 'a', code: 'HXU-JNVC-ICT', titleZh: '协议', titleEn: 'Agreement' };
const v = (status: 'match' | 'maybe' | 'miss', reason: string | null, extra: { agreement?: typeof agreement | null; equivalenceId?: string | null } = {}) => ({
  status,
  reason,
  agreement: extra.agreement === undefined ? agreement : extra.agreement,
  equivalenceId: extra.equivalenceId === undefined ? 'e' : extra.equivalenceId,
});

// Every sentence the server writes (src/core/transfer/evaluate.ts, src/modules/recognition/check.ts, credits.ts).
const SERVER_REASONS: [string, RegExp, RegExp][] = [
  ['not evaluated yet', /还没有评估/, /not been evaluated yet/],
  [
    'no recognition agreement between JNVC and HXU in force today covers field 0231',
    /JNVC 与 HXU 之间没有覆盖该学科领域（0231）/,
    /between JNVC and HXU .* field 0231/,
  ],
  ['grade 中 in JN-SW101 is below the 良 required', /JN-SW101 的成绩 中 低于要求的 良/, /Grade 中 in JN-SW101 is below the 良 required/],
  ['JN-SW202 was completed more than 5 years ago', /JN-SW202 完成已超过 5 年/, /more than 5 years ago/],
  ['JN-SW202 was not passed', /JN-SW202 未通过/, /JN-SW202 was not passed/],
  ['needs a pass in JN-SW212 as well (2 courses together)', /还需要通过 JN-SW212（2 门课合并转换）/, /Needs a pass in JN-SW212 as well/],
  ['needs another course as well (2 courses together)', /还需要另一门课/, /Needs another course/],
  ['the rule applies to courses completed from 2020-09-01 to 2024-09-01', /2020-09-01 至 2024-09-01 之间完成/, /from 2020-09-01 to 2024-09-01/],
  ['the rule applies to courses completed from 2020-09-01', /2020-09-01 及以后完成/, /from 2020-09-01$/],
  ['together with JN-SW212', /与 JN-SW212 合并转换/, /Together with JN-SW212/],
  ['needs at least 良', /成绩至少为 良/, /at least 良/],
  ['UNH has not declared its credit system', /UNH 尚未公布学分制度/, /UNH has not declared/],
  [
    'the institutions count different hours (contact vs workload); the agreement must set a conversion ratio',
    /协议须规定换算比例/,
    /must set a conversion ratio/,
  ],
  ['the agreement’s conversion ratio must be positive', /换算比例无效/, /ratio is not valid/],
  ['evaluated: no equivalent', /已评估：没有对应课程/, /Evaluated: no equivalent/],
  [
    'a pass/fail result (Pass) has no grade on the receiving scale and the agreement sets no pass/fail rule: an evaluator decides',
    /合格制成绩（Pass）.*由接收学校评定/,
    /pass\/fail result \(Pass\) .*no pass\/fail rule: the receiving institution decides it/,
  ],
  [
    "the agreement's pass/fail rule gives 50, which is not a passing grade of the receiving scale: an evaluator decides",
    /规定为 50/,
    /gives 50, which is not a passing grade/,
  ],
  [
    'PF101 has no grade (免修 exempted from the course) and the rule asks for at least 70: an evaluator decides',
    /PF101 没有成绩（免修 exempted from the course）.*至少 70/,
    /PF101 has no grade .* at least 70/,
  ],
];

describe('reasonText', () => {
  it.each(SERVER_REASONS)('reads "%s" in both languages', (reason, zh, english) => {
    const verdict = v('miss', reason);
    expect(reasonText(tZh, verdict)).toMatch(zh);
    expect(reasonText(tEn, verdict)).toMatch(english);
    expect(reasonText(tZh, verdict)).not.toMatch(/recognition\./);
  });

  it("prefixes an evaluator's own words, and leaves other text as written", () => {
    const no = v('miss', '本校没有相当的课程', { equivalenceId: null });
    expect(isEvaluatorsNo(no)).toBe(true);
    expect(reasonText(tZh, no)).toBe('已评估，不可转换：本校没有相当的课程');
    expect(reasonText(tEn, no)).toBe('Evaluated, no equivalent: 本校没有相当的课程');
    // without an agreement it is not an evaluation
    expect(reasonText(tEn, v('miss', 'something new', { agreement: null, equivalenceId: null }))).toBe('something new');
    expect(reasonText(tEn, v('match', null))).toBeNull();
  });
});

describe('converted grades', () => {
  it('names the method and the caveats', () => {
    expect(gradeMethodText(tZh, 'grading table, largest-overlap')).toBe('按两校的成绩分布表（ECTS）比较，取重叠最大者');
    expect(gradeMethodText(tEn, 'grading table, average')).toMatch(/grading tables \(ECTS\), average/);
    expect(gradeMethodText(tEn, 'none')).toMatch(/not converted/);
    expect(gradeMethodText(tEn, 'bavarian')).toBe('bavarian');
    expect(gradeNoteText(tZh, 'no grading table published by the receiving institution for this field: the grade is shown as given')).toBe(
      '对方学校尚未公布这一学科的成绩分布表，成绩按原样显示',
    );
    expect(gradeNoteText(tEn, 'no grading table published by the sending institution for this field: the grade is shown as given')).toMatch(
      /^The sending institution/,
    );
    expect(gradeNoteText(tZh, 'a table has fewer than 30 grades: the suggestion is only indicative')).toMatch(/少于 30 个/);
    expect(gradeNoteText(tEn, "grade 优 is not in the sending institution's table")).toMatch(/Grade 优 is not/);
  });

  it('names the fixed-table and Bavarian methods and their caveats', () => {
    expect(gradeMethodText(tZh, 'fixed table')).toBe('按协议的固定对照表');
    expect(gradeMethodText(tEn, 'modified Bavarian formula')).toBe('by the modified Bavarian formula');
    expect(gradeNoteText(tZh, 'unrounded 2.35')).toBe('取整前：2.35');
    expect(gradeNoteText(tEn, "grade 59 is not in the agreement's table")).toMatch(/^Grade 59 is not in the agreement’s table/);
    expect(gradeNoteText(tEn, 'the agreement has no table from this institution')).toMatch(/no table for grades from this institution/);
    expect(gradeNoteText(tZh, 'the Bavarian formula needs a numeric scale')).toMatch(/数值成绩制/);
    expect(gradeNoteText(tEn, '4.5 is not a passing grade the formula can convert')).toMatch(/^4\.5 is not a passing grade/);
  });

  it('names the pass/fail methods: a Pass stays a Pass, or becomes what the agreement’s rule says', () => {
    expect(gradeMethodText(tZh, 'pass/fail')).toMatch(/合格制/);
    expect(gradeMethodText(tEn, 'pass/fail rule')).toBe('by the agreement’s pass/fail rule');
    expect(gradeNoteText(tEn, 'the sending table has a single passing grade: it says nothing about how well, so it does not convert by distribution')).toMatch(
      /single passing grade/,
    );
  });
});

describe('fixed grade tables', () => {
  it('sends one table per party that has a complete row, ranges best first, and skips the others', () => {
    const body = gradeTablesBody(['hxu', 'jnvc', 'gone'], {
      hxu: {
        type: 'ranges',
        bands: [
          { min: 60, to: '及格' },
          { min: 90, to: '优' },
          { min: 75, to: ' 良 ' },
          { min: null, to: '中' },
        ],
      },
      jnvc: {
        type: 'labels',
        labels: [
          { from: '优', to: '95' },
          { from: '良', to: '' },
          { from: ' 中 ', to: '75' },
        ],
      },
      other: { type: 'labels', labels: [{ from: 'A', to: '1' }] },
    });
    expect(body).toEqual([
      {
        from: 'hxu',
        table: {
          type: 'ranges',
          bands: [
            { min: 90, to: '优' },
            { min: 75, to: '良' },
            { min: 60, to: '及格' },
          ],
        },
      },
      { from: 'jnvc', table: { type: 'labels', map: { 优: '95', 中: '75' } } },
    ]);
    expect(gradeTablesBody(['a', 'b'], { a: { type: 'off', bands: [{ min: 1, to: 'x' }] }, b: { type: 'ranges', bands: [{}] } })).toEqual([]);
  });

  it('sends the pass/fail rule of each party with a pass/fail scale that has one', () => {
    const inst = (id: string, definition: unknown) => ({
      id,
      code: id.toUpperCase(),
      nameZh: id,
      nameEn: id,
      kind: 'university' as const,
      country: 'CN',
      website: null,
      exemptionEarnsCredit: true,
      creditSystem: null,
      gradingScales: [{ id: `s-${id}`, code: 's', nameZh: 's', nameEn: 's', definition }],
    });
    const parties = [
      inst('hxu', { type: 'percentage', passMin: 60, decimals: 0 }),
      inst('pf', { type: 'pass_fail' }),
      inst('hege', {
        type: 'levels',
        levels: [
          { code: '合格', labelZh: '合格', labelEn: 'Pass', passing: true },
          { code: '不合格', labelZh: '不合格', labelEn: 'Fail', passing: false },
        ],
      }),
    ] as Institution[];
    expect(passFailBody(parties, { hxu: '80', pf: ' 75 ', hege: '' })).toEqual([{ from: 'pf', table: { type: 'pass_fail', pass: '75' } }]);
    expect(isPassFailScale({ type: 'pass_fail' })).toBe(true);
    expect(isPassFailScale({ type: 'percentage', passMin: 60, decimals: 0 })).toBe(false);
    expect(tableText(tEn, { type: 'pass_fail', pass: '75' })).toBe('Pass → 75');
  });

  it('reads a table in one line', () => {
    expect(
      tableText(tZh, {
        type: 'ranges',
        bands: [
          { min: 60, to: '及格' },
          { min: 90, to: '优' },
        ],
      }),
    ).toBe('90 分及以上：优；60 分及以上：及格');
    expect(tableText(tEn, { type: 'labels', map: { 中: '75', 优: '95', 良: '85' } }, ['优', '良', '中', '及格'])).toBe('优 → 95; 良 → 85; 中 → 75');
    expect(tableText(tEn, { type: 'labels', map: { '8': 'B', '10': 'A' } })).toBe('10 → A; 8 → B');
  });
});

describe('catalogues', () => {
  it('name every value the server sends', () => {
    const keys = [
      ...['match', 'maybe', 'miss'].flatMap((s) => [`recognition.verdict.${s}`, `recognition.verdictHelp.${s}`]),
      ...GRADE_POLICIES.map((p) => `recognition.policy.${p}`),
      ...ROUNDING_MODES.map((m) => `recognition.rounding.${m}`),
      ...CYCLES.map((c) => `recognition.cycle.${c}`),
      ...['proposed', 'in_force', 'terminated'].flatMap((s) => [`recognition.agreement.status.${s}`, `recognition.agreement.statusHelp.${s}`]),
      ...['bilateral', 'alliance'].map((k) => `recognition.agreement.kind.${k}`),
      ...['upcoming', 'expired'].map((p) => `recognition.agreement.phase.${p}`),
      ...GRADE_METHODS.flatMap((m) => [`recognition.agreement.field.gradeMethodHelp.${m}`, `recognition.agreement.gradeMethod.${m}`]),
      ...['ranges', 'labels', 'off'].map((k) => `recognition.gradeTables.type.${k}`),
      ...['proposed', 'binding', 'changing', 'withdrawn'].flatMap((s) => [`recognition.la.state.${s}`, `recognition.la.stateHelp.${s}`]),
      ...LA_PARTS.flatMap((p) => [`recognition.la.part.${p}`, `recognition.la.partOf.${p}`]),
      ...['added', 'dropped'].map((m) => `recognition.la.line.${m}`),
      ...['open', 'match', 'no_match'].map((s) => `recognition.task.status.${s}`),
      ...['open', 'match', 'no_match', 'all'].flatMap((f) => [`recognition.task.filter.${f}`, `recognition.task.empty.${f}`]),
      ...['active', 'retired', 'all'].map((f) => `recognition.equivalence.filter.${f}`),
      ...['active', 'retired'].map((s) => `recognition.equivalence.status.${s}`),
    ];
    for (const t of [tZh, tEn]) expect(keys.filter((k) => t(k) === k)).toEqual([]);
  });
});

describe('credit sums', () => {
  it('adds decimal credits exactly, per unit', () => {
    expect(toHundredths('3.5')).toBe(350);
    expect(toHundredths('0.05')).toBe(5);
    expect(toHundredths('x')).toBeNull();
    expect(fromHundredths(750)).toBe('7.5');
    expect(fromHundredths(400)).toBe('4');
    expect(fromHundredths(1)).toBe('0.01');
    expect(
      sumByUnit([
        { credits: '0.1', unit: 'credit' },
        { credits: '0.2', unit: 'credit' },
        { credits: '7.5', unit: 'ects' },
        { credits: null, unit: null },
      ]),
    ).toEqual([
      { unit: 'credit', total: '0.3' },
      { unit: 'ects', total: '7.5' },
    ]);
  });
});
