// Pass/fail is its own kind of scale: a Pass says that a course was passed and nothing about how
// well. So a Pass never becomes a number by way of a grading table (its one row spans the whole
// distribution, which overlaps every grade of the other table) or a formula. Between a pass/fail
// scale and a graded one, only an explicit rule of the agreement converts (its Pass becomes a named
// grade of the receiving scale), or an evaluator decides. Pass/fail to pass/fail stays Pass, and a
// passing grade received on a pass/fail scale is a Pass. Pure: no I/O.
import { checkGrade, type ScaleDefinition } from './scales.js';

/** A scale that says only pass or fail: the pass_fail type, or named levels of which one passes (合格/不合格). */
export function isPassFail(scale: ScaleDefinition): boolean {
  return scale.type === 'pass_fail' || (scale.type === 'levels' && scale.levels.filter((l) => l.passing).length === 1);
}

/** How a pass/fail scale writes a pass: "Pass", or the one passing level ("合格"). */
export function passGradeOf(scale: ScaleDefinition): string {
  if (scale.type === 'levels') return scale.levels.find((l) => l.passing)!.code;
  return 'Pass';
}

/** An agreement's rule for a pass/fail party's results: a Pass becomes `pass`, a grade of the receiving scale. */
export interface PassFailRule {
  type: 'pass_fail';
  pass: string;
}

export type Crossing =
  /** Neither scale is pass/fail: the agreement's method converts the grade. */
  | { kind: 'graded' }
  | { kind: 'converted'; grade: string; method: string }
  /** No rule says what a Pass is worth on the receiving scale: a person decides. */
  | { kind: 'evaluator'; reason: string };

/**
 * How a passing grade crosses from scale `from` to scale `to` when either is pass/fail. `rule` is the
 * agreement's explicit rule for the sending party's Pass, with the name of the method it is (e.g.
 * "pass/fail rule"); it is checked against the receiving scale here, as scales change over time.
 */
export function crossPassFail(
  from: ScaleDefinition | undefined,
  to: ScaleDefinition | undefined,
  grade: string,
  rule: { pass: string; method: string } | null,
): Crossing {
  const fromPF = from !== undefined && isPassFail(from);
  const toPF = to !== undefined && isPassFail(to);
  if (!fromPF && !toPF) return { kind: 'graded' };
  const given = from ? checkGrade(from, grade) : null;
  if (given && (!given.ok || !given.passed)) return { kind: 'evaluator', reason: `grade ${grade} is not a passing grade of the sending scale` };
  // a pass, received on a pass/fail scale, is a pass there (whatever its grade was)
  if (toPF) return { kind: 'converted', grade: passGradeOf(to!), method: 'pass/fail' };
  if (!to) return { kind: 'evaluator', reason: 'the receiving institution has no grading scale: an evaluator decides the grade of a pass/fail result' };
  if (!rule)
    return {
      kind: 'evaluator',
      reason: `a pass/fail result (${grade}) has no grade on the receiving scale and the agreement sets no pass/fail rule: an evaluator decides`,
    };
  const target = checkGrade(to, rule.pass);
  if (!target.ok || !target.passed)
    return {
      kind: 'evaluator',
      reason: `the agreement's pass/fail rule gives ${rule.pass}, which is not a passing grade of the receiving scale: an evaluator decides`,
    };
  return { kind: 'converted', grade: target.grade, method: rule.method };
}
