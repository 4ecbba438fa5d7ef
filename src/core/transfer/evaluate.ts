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

/** A rule as seen from one of its source courses, with what the checks read side by side. */
export interface Candidate {
  rule: Rule;
  /** The rule's effective dates as numbers (20240901), so checking them reads no other object. */
  from: number;
  to: number;
  /** The rule's other source courses (many-to-one); empty for most. */
  others: string[];
  /** The target credits of an articulated rule, summed once; null for elective credit. */
  targetCredits: Centi | null;
  minGrade: string | null;
  maxYears: number | null;
}

export interface Rules {
  bySource: Map<string, Candidate[]>;
  /** Courses an evaluator decided do not transfer, with the reason given. */
  noMatch: Map<string, string>;
}

/** An ISO date as a number that sorts the same way: 2024-09-01 is 20240901. */
const dayNumber = (day: string) => Number(day.slice(0, 4)) * 10_000 + Number(day.slice(5, 7)) * 100 + Number(day.slice(8, 10));

/** Indexes rules by each of their source courses; more specific (more sources) and newer rules first. */
export function indexRules(rules: Rule[], noMatch: Map<string, string> = new Map()): Rules {
  const grouped = new Map<string, Rule[]>();
  for (const rule of rules)
    for (const id of rule.sourceCourseIds) {
      const list = grouped.get(id);
      if (list) list.push(rule);
      else grouped.set(id, [rule]);
    }
  // a course's candidates are made one after another, so they sit together in memory: with 100,000
  // rules, evaluation is bound by reads from memory, not by the checks (docs/performance.md)
  const bySource = new Map<string, Candidate[]>();
  for (const [id, list] of grouped) {
    const candidates = list.map((rule): Candidate => ({
      rule,
      from: dayNumber(rule.effectiveFrom),
      to: rule.effectiveTo === null ? Infinity : dayNumber(rule.effectiveTo),
      others: rule.sourceCourseIds.length === 1 ? [] : rule.sourceCourseIds.filter((o) => o !== id),
      targetCredits: rule.target.kind === 'courses' ? rule.target.courses.reduce((s, t) => s + t.credits, 0) : null,
      minGrade: rule.minGrade,
      maxYears: rule.maxYears,
    }));
    bySource.set(
      id,
      candidates.sort((a, b) => b.rule.sourceCourseIds.length - a.rule.sourceCourseIds.length || b.from - a.from),
    );
  }
  return { bySource, noMatch };
}

/** The day `years` years after `day` (as dayNumber); 29 February moves to 1 March in a common year. */
function yearsAfter(day: number, years: number): number {
  const y = Math.floor(day / 10_000) + years;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return day % 10_000 === 229 && !leap ? y * 10_000 + 301 : day + years * 10_000;
}

/** The day `years` years after `day` (ISO dates); 29 February moves to 1 March in a common year. */
export function addYears(day: string, years: number): string {
  const d = String(yearsAfter(dayNumber(day), years)).padStart(8, '0');
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
}

/** A rule's minimum grade read in a course's scale, once per scale and grade (reading normalises text). */
const minimums = new WeakMap<ScaleDefinition, Map<string, string | null>>();
function minimumIn(scale: ScaleDefinition, raw: string): string | null {
  let byRaw = minimums.get(scale);
  if (!byRaw) minimums.set(scale, (byRaw = new Map()));
  let min = byRaw.get(raw);
  if (min === undefined) {
    const read = checkGrade(scale, raw);
    byRaw.set(raw, (min = read.ok ? read.grade : null));
  }
  return min;
}

/** Why a rule does not apply, as found; put in words only for the reason a learner is shown. */
type Problem = { kind: 'dates' } | { kind: 'needs'; other: TranscriptCourse | undefined } | { kind: 'grade' | 'age'; other: TranscriptCourse };
const outOfDates: Problem = { kind: 'dates' };

/** A course of the transcript, with its completion date as a number. */
interface Taken {
  course: TranscriptCourse;
  day: number;
}

/** What stops one course of a rule's sources counting for it, or null when it counts. */
function takenProblem({ minGrade, maxYears }: Candidate, { course: c, day }: Taken, on: number): Problem | null {
  if (!c.passed) return { kind: 'needs', other: c };
  if (minGrade !== null) {
    const min = minimumIn(c.scale, minGrade);
    if (min !== null && compareGrades(c.scale, c.grade, min) < 0) return { kind: 'grade', other: c };
  }
  // exact dates: completed on 2020-01-15, a result is more than 5 years old from 2025-01-16 on
  if (maxYears !== null && on > yearsAfter(day, maxYears)) return { kind: 'age', other: c };
  return null;
}

/** What stops a rule applying to this course of the transcript, or null when it applies. */
function ruleProblem(candidate: Candidate, taken: Taken, byCourse: Map<string, Taken>, on: number): Problem | null {
  // a rule's dates are inclusive: one in force until 2026-06-30 covers courses completed that day
  if (candidate.from > taken.day || taken.day > candidate.to) return outOfDates;
  // the course asked about speaks for itself; the others of a many-to-one rule by their best attempt, in the rule's order
  if (candidate.others.length === 0) return takenProblem(candidate, taken, on);
  for (const id of candidate.rule.sourceCourseIds) {
    const t = id === taken.course.courseId ? taken : byCourse.get(id);
    const problem = t ? takenProblem(candidate, t, on) : { kind: 'needs' as const, other: undefined };
    if (problem) return problem;
  }
  return null;
}

function explain(rule: Rule, problem: Problem | string, on: string): string {
  if (typeof problem === 'string') return problem;
  switch (problem.kind) {
    case 'dates':
      return `the rule applies to courses completed from ${rule.effectiveFrom}${rule.effectiveTo ? ` to ${rule.effectiveTo}` : ''}`;
    case 'needs':
      return `needs ${problem.other ? `a pass in ${problem.other.courseCode}` : 'another course'} as well (${rule.sourceCourseIds.length} courses together)`;
    case 'grade':
      return `grade ${problem.other.grade} in ${problem.other.courseCode} is below the ${rule.minGrade} required`;
    case 'age':
      return `${problem.other.courseCode} was completed on ${problem.other.completedOn}, more than ${rule.maxYears} years before ${on} (the date it is checked or applied for); older results do not transfer under this rule`;
  }
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
  const byCourse = new Map<string, Taken>();
  // the best passing attempt of a course speaks for it
  for (const course of transcript) {
    const seen = byCourse.get(course.courseId)?.course;
    if (!seen || (course.passed && (!seen.passed || compareGrades(course.scale, course.grade, seen.grade) > 0)))
      byCourse.set(course.courseId, { course, day: dayNumber(course.completedOn) });
  }
  const today = dayNumber(on);
  const out = new Map<string, Verdict>();
  for (const course of transcript) {
    if (!course.passed) {
      out.set(course.outcomeId, { status: 'miss', reason: `${course.courseCode} was not passed` });
      continue;
    }
    // a retake that is not the best attempt is still judged on its own grade and date
    const best = byCourse.get(course.courseId)!;
    const taken = best.course === course ? best : { course, day: dayNumber(course.completedOn) };
    // the first rule that does not apply says why, unless a later one does
    let first: { rule: Rule; problem: Problem | string } | undefined;
    let verdict: Verdict | undefined;
    for (const candidate of rules.bySource.get(course.courseId) ?? []) {
      const { rule } = candidate;
      const problem = ruleProblem(candidate, taken, byCourse, today);
      if (problem) {
        first ??= { rule, problem };
        continue;
      }
      const others = candidate.others.map((id) => byCourse.get(id)!.course.courseCode);
      let credits: Centi;
      if (candidate.targetCredits !== null) {
        // a many-to-one rule's target credits are counted once, on the source course whose code sorts first
        const carrier =
          others.length === 0
            ? course
            : rule.sourceCourseIds
                .map((id) => (id === course.courseId ? course : byCourse.get(id)!.course))
                .sort((x, y) => x.courseCode.localeCompare(y.courseCode))[0]!;
        credits = carrier === course ? candidate.targetCredits : 0;
      } else {
        const converted = convert(course.credits, course);
        if (typeof converted === 'string') {
          first ??= { rule, problem: converted };
          continue;
        }
        credits = converted;
      }
      verdict = { status: 'match', ruleId: rule.id, target: rule.target, credits, with: others };
      break;
    }
    if (verdict) out.set(course.outcomeId, verdict);
    else if (first) out.set(course.outcomeId, { status: 'miss', reason: explain(first.rule, first.problem, on), ruleId: first.rule.id });
    else if (rules.noMatch.has(course.courseId)) out.set(course.outcomeId, { status: 'miss', reason: rules.noMatch.get(course.courseId)! });
    else out.set(course.outcomeId, { status: 'maybe' });
  }
  return out;
}
