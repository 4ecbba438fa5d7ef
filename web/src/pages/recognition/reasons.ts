// The server words a verdict's reason, and a converted grade's method and note, in English
// sentences (src/core/transfer/evaluate.ts, src/modules/recognition/check.ts, tables.ts). These read
// them back into the UI language; anything else (an evaluator's own words) is shown as written.
import type { TFunction } from 'i18next';
import type { Verdict } from '../../api/recognition';

type Pattern = [RegExp, string, (m: RegExpExecArray) => Record<string, string>];

const REASONS: Pattern[] = [
  [/^not evaluated yet$/, 'recognition.reason.notEvaluated', () => ({})],
  [
    /^no recognition agreement between (\S+) and (\S+) in force today covers field (\d+)$/,
    'recognition.reason.noAgreement',
    (m) => ({ source: m[1]!, target: m[2]!, field: m[3]! }),
  ],
  [/^grade (.+) in (\S+) is below the (.+) required$/, 'recognition.reason.belowMinGrade', (m) => ({ grade: m[1]!, code: m[2]!, min: m[3]! })],
  [/^(\S+) was completed more than (\d+) years ago$/, 'recognition.reason.tooOld', (m) => ({ code: m[1]!, years: m[2]! })],
  [/^(\S+) was not passed$/, 'recognition.reason.notPassed', (m) => ({ code: m[1]! })],
  [/^needs a pass in (\S+) as well \((\d+) courses together\)$/, 'recognition.reason.needsAlso', (m) => ({ code: m[1]!, count: m[2]! })],
  [/^needs another course as well \((\d+) courses together\)$/, 'recognition.reason.needsAnother', (m) => ({ count: m[1]! })],
  [/^the rule applies to courses completed from (\S+) to (\S+)$/, 'recognition.reason.ruleDatesRange', (m) => ({ from: m[1]!, to: m[2]! })],
  [/^the rule applies to courses completed from (\S+)$/, 'recognition.reason.ruleDatesFrom', (m) => ({ from: m[1]! })],
  [/^together with (.+)$/, 'recognition.reason.together', (m) => ({ codes: m[1]! })],
  [/^needs at least (.+)$/, 'recognition.reason.needsAtLeast', (m) => ({ min: m[1]! })],
  [/^(\S+) has not declared its credit system$/, 'recognition.reason.noCreditSystem', (m) => ({ code: m[1]! })],
  [/^the institutions count different hours \((\w+) vs (\w+)\); the agreement must set a conversion ratio$/, 'recognition.reason.hourTypes', () => ({})],
  [/^the agreement’s conversion ratio must be positive$/, 'recognition.reason.badRatio', () => ({})],
  [/^evaluated: no equivalent$/, 'recognition.reason.evaluatedNoMatch', () => ({})],
  [
    /^a pass\/fail result \((.+)\) has no grade on the receiving scale and the agreement sets no pass\/fail rule: an evaluator decides$/,
    'recognition.reason.passFailNoRule',
    (m) => ({ grade: m[1]! }),
  ],
  [
    /^the agreement's pass\/fail rule gives (.+), which is not a passing grade of the receiving scale: an evaluator decides$/,
    'recognition.reason.passFailBadRule',
    (m) => ({ grade: m[1]! }),
  ],
  [/^the receiving institution has no grading scale: an evaluator decides the grade of a pass\/fail result$/, 'recognition.reason.passFailNoScale', () => ({})],
  [/^grade (.+) is not a passing grade of the sending scale$/, 'recognition.reason.notPassingGrade', (m) => ({ grade: m[1]! })],
  [
    /^(\S+) has no grade \((.+)\) and the rule asks for at least (.+): an evaluator decides$/,
    'recognition.reason.noGradeForMin',
    (m) => ({ code: m[1]!, status: m[2]!, min: m[3]! }),
  ],
];

const NOTES: Pattern[] = [
  [
    /^no grading table published by the (sending|receiving) institution for this field: the grade is shown as given$/,
    'recognition.grade.noteNoTable',
    (m) => ({ side: m[1]! }),
  ],
  [/^a table has fewer than 30 grades: the suggestion is only indicative$/, 'recognition.grade.noteSmall', () => ({})],
  [/^grade (.+) is not in the sending institution's table$/, 'recognition.grade.noteUnknownGrade', (m) => ({ grade: m[1]! })],
  [/^grade (.+) is not in the agreement's table$/, 'recognition.grade.noteNotInFixed', (m) => ({ grade: m[1]! })],
  [/^the agreement has no table from this institution$/, 'recognition.grade.noteNoFixed', () => ({})],
  [/^the Bavarian formula needs a numeric scale$/, 'recognition.grade.noteBavarianScale', () => ({})],
  [/^unrounded (\S+)$/, 'recognition.grade.noteUnrounded', (m) => ({ value: m[1]! })],
  [
    /^the sending table has a single passing grade: it says nothing about how well, so it does not convert by distribution$/,
    'recognition.grade.noteOneGrade',
    () => ({}),
  ],
  [/^(.+) is not a passing grade the formula can convert$/, 'recognition.grade.noteBavarianGrade', (m) => ({ grade: m[1]! })],
];

function translate(t: TFunction, text: string, patterns: Pattern[]): string | null {
  for (const [re, key, params] of patterns) {
    const m = re.exec(text.trim());
    if (m) {
      const p = params(m);
      // "sending"/"receiving" is itself a word to translate
      if (p.side) p.side = t(`recognition.grade.side.${p.side}`);
      return t(key, p);
    }
  }
  return null;
}

/** Whether a miss is an evaluator's decision: the reason is theirs, in their words. */
export function isEvaluatorsNo(v: Pick<Verdict, 'status' | 'reason' | 'agreement' | 'equivalenceId'>): boolean {
  return v.status === 'miss' && v.agreement !== null && v.equivalenceId === null && Boolean(v.reason) && !/ was not passed$/.test(v.reason ?? '');
}

/** Why a course transfers, may transfer or does not, in the UI language. */
export function reasonText(t: TFunction, v: Pick<Verdict, 'status' | 'reason' | 'agreement' | 'equivalenceId'>): string | null {
  if (!v.reason) return null;
  const known = translate(t, v.reason, REASONS);
  if (known) return known;
  if (isEvaluatorsNo(v)) return t('recognition.reason.evaluator', { reason: v.reason });
  return v.reason;
}

/** "grading table, largest-overlap" → "按成绩分布表 · 取重叠最大者"; "none" → "按原成绩". */
export function gradeMethodText(t: TFunction, method: string): string {
  const m = /^grading table, (min|max|average|largest-overlap)$/.exec(method.trim());
  if (m) return t('recognition.grade.methodTable', { policy: t(`recognition.policy.${m[1]}`) });
  if (method.trim() === 'none') return t('recognition.grade.methodNone');
  if (method.trim() === 'fixed table') return t('recognition.grade.methodFixed');
  if (method.trim() === 'modified Bavarian formula') return t('recognition.grade.methodBavarian');
  if (method.trim() === 'pass/fail') return t('recognition.grade.methodPassFail');
  if (method.trim() === 'pass/fail rule') return t('recognition.grade.methodPassFailRule');
  return method;
}

export function gradeNoteText(t: TFunction, note: string): string {
  return translate(t, note, NOTES) ?? note;
}
