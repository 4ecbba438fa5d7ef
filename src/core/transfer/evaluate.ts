// "Will it transfer?": a transcript evaluated against equivalence rules, course by course, as the
// words learners understand: Match (to what, with converted credits and grade), Maybe (not yet
// evaluated), Miss (why). Pure and indexed by source course, so a transcript of 60 courses against
// 100,000 rules costs a few map lookups per course.
import type { Centi } from '../credits.js';
import { checkGrade, compareGrades, type ScaleDefinition } from '../grades/scales.js';

export type RuleTarget =
  /** Articulated: the named courses of the target institution, with their own credits. */
  | { kind: 'courses'; courses: { courseId: string; code: string; credits: Centi }[] }
  /** Transferable only: unassigned credit in a category, worth the converted source credits. */
  | { kind: 'elective'; category: string; iscedCode: string | null };

export interface Rule {
  id: string;
  /** Every one of these must be passed (many-to-one rules name several). */
  sourceCourseIds: string[];
  target: RuleTarget;
  /** The lowest grade that transfers, in the source scale. */
  minGrade: string | null;
  /** At most this many whole years between completion and evaluation. */
  maxYears: number | null;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface TranscriptCourse {
  outcomeId: string;
  courseId: string;
  courseCode: string;
  credits: Centi;
  grade: string;
  passed: boolean;
  completedOn: string;
  scale: ScaleDefinition;
}

export type Verdict =
  | { status: 'match'; ruleId: string; target: RuleTarget; credits: Centi; with: string[] }
  | { status: 'maybe' }
  | { status: 'miss'; reason: string; ruleId?: string };

export interface Rules {
  bySource: Map<string, Rule[]>;
  /** Courses an evaluator decided do not transfer, with the reason given. */
  noMatch: Map<string, string>;
}

/** Indexes rules by each of their source courses; more specific (more sources) and newer rules first. */
export function indexRules(rules: Rule[], noMatch: Map<string, string> = new Map()): Rules {
  const bySource = new Map<string, Rule[]>();
  for (const r of rules) for (const c of r.sourceCourseIds) bySource.set(c, [...(bySource.get(c) ?? []), r]);
  for (const list of bySource.values())
    list.sort((a, b) => b.sourceCourseIds.length - a.sourceCourseIds.length || b.effectiveFrom.localeCompare(a.effectiveFrom));
  return { bySource, noMatch };
}

/** The day `years` years after `day` (ISO dates); 29 February moves to 1 March in a common year. */
export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}

/** Why a rule does not apply to this course of the transcript, or null when it does. */
function ruleProblem(rule: Rule, course: TranscriptCourse, byCourse: Map<string, TranscriptCourse>, on: string): string | null {
  // a rule's dates are inclusive: one in force until 2026-06-30 covers courses completed that day
  if (rule.effectiveFrom > course.completedOn || (rule.effectiveTo !== null && course.completedOn > rule.effectiveTo)) {
    return `the rule applies to courses completed from ${rule.effectiveFrom}${rule.effectiveTo ? ` to ${rule.effectiveTo}` : ''}`;
  }
  for (const id of rule.sourceCourseIds) {
    // the course asked about speaks for itself; the others of a many-to-one rule by their best attempt
    const c = id === course.courseId ? course : byCourse.get(id);
    if (!c || !c.passed) return `needs ${c ? `a pass in ${c.courseCode}` : 'another course'} as well (${rule.sourceCourseIds.length} courses together)`;
    if (rule.minGrade !== null) {
      const min = checkGrade(c.scale, rule.minGrade);
      if (min.ok && compareGrades(c.scale, c.grade, min.grade) < 0) return `grade ${c.grade} in ${c.courseCode} is below the ${rule.minGrade} required`;
    }
    // exact dates: completed on 2020-01-15, a result is more than 5 years old from 2025-01-16 on
    if (rule.maxYears !== null && on > addYears(c.completedOn, rule.maxYears)) {
      return `${c.courseCode} was completed on ${c.completedOn}, more than ${rule.maxYears} years before ${on} (the date it is checked or applied for); older results do not transfer under this rule`;
    }
  }
  return null;
}

/**
 * Evaluates each course of a transcript on date `on`. `convert` turns source credits into the
 * target's credits for an elective (articulated rules carry the target course's own credits).
 */
export function evaluate(
  transcript: TranscriptCourse[],
  rules: Rules,
  on: string,
  convert: (credits: Centi, course: TranscriptCourse) => Centi | string,
): Map<string, Verdict> {
  const byCourse = new Map<string, TranscriptCourse>();
  // the best passing attempt of a course speaks for it
  for (const c of transcript) {
    const seen = byCourse.get(c.courseId);
    if (!seen || (c.passed && (!seen.passed || compareGrades(c.scale, c.grade, seen.grade) > 0))) byCourse.set(c.courseId, c);
  }
  const out = new Map<string, Verdict>();
  for (const course of transcript) {
    if (!course.passed) {
      out.set(course.outcomeId, { status: 'miss', reason: `${course.courseCode} was not passed` });
      continue;
    }
    const candidates = rules.bySource.get(course.courseId) ?? [];
    let firstProblem: { reason: string; ruleId: string } | undefined;
    let verdict: Verdict | undefined;
    for (const rule of candidates) {
      const problem = ruleProblem(rule, course, byCourse, on);
      if (problem) {
        firstProblem ??= { reason: problem, ruleId: rule.id };
        continue;
      }
      const others = rule.sourceCourseIds.filter((id) => id !== course.courseId).map((id) => byCourse.get(id)!.courseCode);
      let credits: Centi;
      if (rule.target.kind === 'courses') {
        // a many-to-one rule's target credits are counted once, on the source course whose code sorts first
        const carrier = rule.sourceCourseIds
          .map((id) => (id === course.courseId ? course : byCourse.get(id)!))
          .sort((x, y) => x.courseCode.localeCompare(y.courseCode))[0]!;
        credits = carrier.courseId === course.courseId ? rule.target.courses.reduce((s, t) => s + t.credits, 0) : 0;
      } else {
        const converted = convert(course.credits, course);
        if (typeof converted === 'string') {
          firstProblem ??= { reason: converted, ruleId: rule.id };
          continue;
        }
        credits = converted;
      }
      verdict = { status: 'match', ruleId: rule.id, target: rule.target, credits, with: others };
      break;
    }
    if (verdict) out.set(course.outcomeId, verdict);
    else if (firstProblem) out.set(course.outcomeId, { status: 'miss', ...firstProblem });
    else if (rules.noMatch.has(course.courseId)) out.set(course.outcomeId, { status: 'miss', reason: rules.noMatch.get(course.courseId)! });
    else out.set(course.outcomeId, { status: 'maybe' });
  }
  return out;
}
