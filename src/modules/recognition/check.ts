// "Will it transfer?": courses of one or more institutions, or a learner's whole account, against a
// target institution's equivalences under the agreements in force, with credits and grades converted.
import type { z } from 'zod';
import { formatCredits, parseCredits, type Centi } from '../../core/credits.js';
import { bavarian, convertFixed, type FixedTable } from '../../core/grades/formulas.js';
import { crossPassFail, isPassFail, passGradeOf } from '../../core/grades/passfail.js';
import { checkGrade, type ScaleDefinition } from '../../core/grades/scales.js';
import { statusName, type ResultStatus } from '../../core/grades/status.js';
import { convertCredits } from '../../core/transfer/credits.js';
import { evaluate, indexRules, type Rule, type TranscriptCourse } from '../../core/transfer/evaluate.js';
import type { Db } from '../../db/connection.js';
import { invalid, unauthorized } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { coursesByIds } from '../catalog/service.js';
import { getInstitution } from '../institutions/service.js';
import { outcomesOf } from '../outcomes/service.js';
import { covers, ratioBetween } from './agreements.js';
import { requestEvaluations } from './equivalences.js';
import { isLearningAgreementRule, learningAgreementLines } from './learning-agreements.js';
import type { transferCheck } from './schema.js';
import * as store from './store.js';
import { convertWithTables, tablesForFields } from './tables.js';

const today = () => new Date().toISOString().slice(0, 10);

interface Asked {
  outcomeId: string | null;
  courseId: string;
  grade: string | null;
  /** A learner's own result: how it came about (免修 passes without a grade). */
  resultStatus: ResultStatus | null;
  passed: boolean;
  completedOn: string;
}

/** `only`: of the learner's own results, check just these (a transfer application's). */
export async function checkTransfer(db: Db, p: Principal, body: z.infer<typeof transferCheck>, only?: Set<string>) {
  const on = today();
  const target = await getInstitution(db, body.targetInstitutionId).catch(() => {
    throw invalid('body.targetInstitutionId', 'no such institution');
  });
  // what is asked about: the learner's own results, or courses picked from a catalogue
  let asked: Asked[];
  if (body.mine) {
    if (p.kind !== 'user' || !p.learnerId) throw unauthorized('Sign in as a learner to check your own account');
    asked = (await outcomesOf(db, p.learnerId))
      .filter((o) => o.status === 'recorded' && o.institutionId !== target.id && (!only || only.has(o.id)))
      .map((o) => ({ outcomeId: o.id, courseId: o.courseId, grade: o.grade, resultStatus: o.resultStatus, passed: o.passed, completedOn: o.completedOn }));
  } else {
    asked = body.courses.map((c) => ({
      outcomeId: null,
      courseId: c.courseId,
      grade: c.grade ?? null,
      resultStatus: null,
      passed: true,
      completedOn: c.completedOn ?? on,
    }));
  }
  const courses = new Map(
    (
      await coursesByIds(
        db,
        asked.map((a) => a.courseId),
      )
    ).map((c) => [c.id, c]),
  );
  asked.forEach((a, i) => {
    const c = courses.get(a.courseId);
    if (!c) throw invalid(`body.courses.${i}.courseId`, 'no such course');
    if (!body.mine && c.institutionId !== body.sourceInstitutionId) throw invalid(`body.courses.${i}.courseId`, 'is not a course of the chosen institution');
    if (c.institutionId === target.id) throw invalid(`body.courses.${i}.courseId`, 'is a course of the target institution itself');
  });

  const sourceIds = [...new Set([...courses.values()].map((c) => c.institutionId))];
  const sources = new Map(await Promise.all(sourceIds.map(async (id) => [id, await getInstitution(db, id)] as const)));
  // a grade given in a public check is read in the source institution's scale: it may not pass
  if (!body.mine) {
    asked.forEach((a, i) => {
      const scale = sources.get(courses.get(a.courseId)!.institutionId)!.gradingScales[0]?.definition;
      if (!a.grade || !scale) return;
      const g = checkGrade(scale, a.grade);
      if (!g.ok) throw invalid(`body.courses.${i}.grade`, g.reason);
      a.grade = g.grade;
      a.passed = g.passed;
    });
  }
  const tableFor = await tablesForFields(db, [target.id, ...sourceIds]);
  const noMatch = new Map(
    (await store.noMatchDecisions(db, target.id, [...courses.keys()])).reverse().map((t) => [t.sourceCourseId, t.reason ?? 'evaluated: no equivalent']),
  );
  const openTasks = new Map(
    (body.requestEvaluation && p.kind === 'user' ? [] : await store.openTasksFor(db, target.id, [...courses.keys()])).map((t) => [t.sourceCourseId, t.id]),
  );

  const verdicts = [];
  // lines whose equivalence matched but whose grade a person must decide: no evaluation task (the
  // course is evaluated); the target's registrar decides them in the application
  const gradeToDecide = new Set<object>();
  const targetScale = target.gradingScales[0]?.definition;
  for (const sourceId of sourceIds) {
    const source = sources.get(sourceId)!;
    const scale = source.gradingScales[0]?.definition;
    const agreements = await store.agreementsBetween(db, sourceId, target.id, on);
    const equivalences = await store.listEquivalences(db, { sourceInstitutionId: sourceId, targetInstitutionId: target.id, status: 'active' });
    // a learner's own check also meets the host courses their learning agreements pre-approved
    const learnerId = body.mine && p.kind === 'user' ? p.learnerId : null;
    const preApproved = learnerId ? await learningAgreementLines(db, learnerId, sourceId, target.id) : [];
    const preApprovedSources = new Set(preApproved.flatMap((l) => l.hostCourseIds));
    // the target courses of articulated rules, for their codes and credits
    const targets = equivalences.map((e) => e.target);
    const targetCourseIds = [...targets.flatMap((t) => (t.kind === 'courses' ? t.courseIds : [])), ...preApproved.flatMap((l) => l.homeCourseIds)];
    const targetCourses = new Map((await coursesByIds(db, targetCourseIds)).map((c) => [c.id, c]));
    const toCourses = (ids: string[]) => ({
      kind: 'courses' as const,
      courses: ids.map((id) => ({ courseId: id, code: targetCourses.get(id)!.code, credits: parseCredits(targetCourses.get(id)!.credits) })),
    });
    const rules: Rule[] = [
      ...preApproved.map((l) => ({
        id: l.id,
        sourceCourseIds: l.hostCourseIds,
        target: toCourses(l.homeCourseIds),
        minGrade: null,
        maxYears: null,
        effectiveFrom: l.effectiveFrom,
        effectiveTo: null,
      })),
      ...equivalences.map((e, i) => {
        const t = targets[i]!;
        return {
          id: e.id,
          sourceCourseIds: e.sourceCourseIds,
          target: t.kind === 'courses' ? toCourses(t.courseIds) : t,
          minGrade: e.minGrade,
          maxYears: e.maxYears,
          effectiveFrom: e.effectiveFrom,
          effectiveTo: e.effectiveTo,
        };
      }),
    ];
    const index = indexRules(rules, noMatch);
    const mine = asked.filter((a) => courses.get(a.courseId)!.institutionId === sourceId);
    const transcript: TranscriptCourse[] = mine.map((a, i) => {
      const c = courses.get(a.courseId)!;
      return {
        outcomeId: a.outcomeId ?? `asked-${i}`,
        courseId: c.id,
        courseCode: c.code,
        credits: parseCredits(c.credits),
        // a course asked about without a grade is taken as passed with the best grade, so that a minimum grade shows as a condition, not a miss
        grade: a.grade ?? bestGrade(scale),
        passed: a.passed,
        completedOn: a.completedOn,
        scale: scale ?? { type: 'pass_fail' },
      };
    });
    const agreementOf = (courseId: string) => agreements.find((ag) => covers(ag, courses.get(courseId)!.iscedCode, body.programmeId));
    const convert = (credits: Centi, t: TranscriptCourse): Centi | string => {
      const agreement = agreementOf(t.courseId);
      if (!agreement) return `no recognition agreement between ${source.code} and ${target.code} covers field ${courses.get(t.courseId)!.iscedCode}`;
      if (!source.creditSystem || !target.creditSystem) return `${!source.creditSystem ? source.code : target.code} has not declared its credit system`;
      const r = convertCredits(
        credits,
        { hoursPerCredit: parseCredits(source.creditSystem.hoursPerCredit), hourType: source.creditSystem.hourType },
        { hoursPerCredit: parseCredits(target.creditSystem.hoursPerCredit), hourType: target.creditSystem.hourType },
        agreement.rounding,
        ratioBetween(agreement, source.id, target.id),
      );
      return r.ok ? r.credits : r.reason;
    };
    // courses no agreement covers (nor a learning agreement) are not evaluated: they are missed for that reason
    const covered = (courseId: string) => !!agreementOf(courseId) || preApprovedSources.has(courseId);
    const results = evaluate(
      transcript.filter((t) => covered(t.courseId)),
      index,
      on,
      convert,
    );
    for (const [i, a] of mine.entries()) {
      const c = courses.get(a.courseId)!;
      const agreement = agreementOf(c.id);
      const base = {
        outcomeId: a.outcomeId,
        sourceInstitution: { id: source.id, code: source.code, nameZh: source.nameZh, nameEn: source.nameEn },
        course: { id: c.id, code: c.code, titleZh: c.titleZh, titleEn: c.titleEn, credits: formatCredits(parseCredits(c.credits)) },
        grade: a.grade,
        target: null,
        credits: null,
        unit: null,
        convertedGrade: null,
        agreement: agreement ? { id: agreement.id, code: agreement.code, titleZh: agreement.titleZh, titleEn: agreement.titleEn } : null,
        equivalenceId: null,
        publicNote: null,
        evaluationTaskId: null as string | null,
      };
      if (!covered(c.id)) {
        verdicts.push({
          ...base,
          status: 'miss' as const,
          reason: `no recognition agreement between ${source.code} and ${target.code} in force today covers field ${c.iscedCode}`,
        });
        continue;
      }
      const full = results.get(transcript[i]!.outcomeId)!;
      if (full.status === 'match') {
        const rule = rules.find((r) => r.id === full.ruleId)!;
        const learningAgreement = isLearningAgreementRule(rule.id);
        const eq = learningAgreement ? undefined : await store.equivalenceById(db, rule.id);
        // a course asked about without its grade on a pass/fail scale is a Pass: it crosses as one
        const given = a.grade ?? (a.outcomeId === null && scale && isPassFail(scale) ? passGradeOf(scale) : null);
        let grade: ReturnType<typeof convertGradeUnder> = null;
        let toDecide: string | null = null;
        if (given && agreement && agreement.gradeMethod !== 'none') {
          const crossing = crossPassFail(scale, targetScale, given, passFailRuleOf(agreement, source.id, given));
          if (crossing.kind === 'converted') grade = { grade: crossing.grade, method: crossing.method, candidates: [], note: null };
          else if (crossing.kind === 'evaluator') toDecide = crossing.reason;
          else if (a.grade)
            grade = convertGradeUnder(agreement, source.id, a.grade, scale, () =>
              convertWithTables(tableFor(source.id, c.iscedCode), tableFor(target.id, c.iscedCode), a.grade!, agreement.gradePolicy),
            );
        }
        // an own result that passed without a grade (免修) cannot show that it meets a minimum grade
        if (!a.grade && a.resultStatus && rule.minGrade)
          toDecide = `${c.code} has no grade (${statusName(a.resultStatus)}) and the rule asks for at least ${rule.minGrade}: an evaluator decides`;
        verdicts.push({
          ...base,
          status: toDecide ? ('maybe' as const) : ('match' as const),
          reason: toDecide
            ? toDecide
            : learningAgreement
              ? 'pre-approved in your learning agreement'
              : full.with.length
                ? `together with ${full.with.join(', ')}`
                : rule.minGrade && !a.grade
                  ? `needs at least ${rule.minGrade}`
                  : null,
          target:
            full.target.kind === 'courses'
              ? {
                  kind: 'courses' as const,
                  courses: full.target.courses.map((t) => {
                    const tc = targetCourses.get(t.courseId)!;
                    return { id: tc.id, code: tc.code, titleZh: tc.titleZh, titleEn: tc.titleEn, credits: formatCredits(parseCredits(tc.credits)) };
                  }),
                  category: null,
                }
              : { kind: 'elective' as const, courses: [], category: full.target.category },
          credits: formatCredits(full.credits),
          unit: target.creditSystem?.unit ?? null,
          convertedGrade: grade,
          equivalenceId: learningAgreement ? null : rule.id,
          publicNote: eq?.publicNote || null,
        });
        if (toDecide) gradeToDecide.add(verdicts[verdicts.length - 1]!);
      } else if (full.status === 'miss') {
        verdicts.push({
          ...base,
          status: 'miss' as const,
          reason: full.reason,
          equivalenceId: full.ruleId && !isLearningAgreementRule(full.ruleId) ? full.ruleId : null,
        });
      } else {
        verdicts.push({ ...base, status: 'maybe' as const, reason: 'not evaluated yet', evaluationTaskId: openTasks.get(c.id) ?? null });
      }
    }
  }
  if (body.requestEvaluation && p.kind === 'user') {
    const maybes = verdicts.filter((v) => v.status === 'maybe' && !gradeToDecide.has(v));
    const tasks = new Map((await requestEvaluations(db, p, target.id, [...new Set(maybes.map((v) => v.course.id))])).map((t) => [t.sourceCourseId, t.id]));
    for (const v of maybes) v.evaluationTaskId = tasks.get(v.course.id) ?? null;
  }
  return { target: { id: target.id, code: target.code, nameZh: target.nameZh, nameEn: target.nameEn }, on, items: verdicts };
}

/** The best passing grade of a scale: a course asked about without its grade. */
function bestGrade(scale: ScaleDefinition | undefined): string {
  if (!scale) return 'Pass';
  switch (scale.type) {
    case 'percentage':
      return '100';
    case 'numeric':
      return String(scale.best);
    case 'levels':
      return scale.levels[0]!.code;
    case 'pass_fail':
      return 'Pass';
  }
}

/**
 * The agreement's explicit rule for a pass/fail party's Pass: a pass_fail entry (under any method),
 * or a fixed labels table that names the grade (under the fixed method).
 */
function passFailRuleOf(agreement: store.AgreementRow, sourceId: string, grade: string): { pass: string; method: string } | null {
  const entry = agreement.gradeTables.find((x) => x.from === sourceId);
  if (entry?.table.type === 'pass_fail') return { pass: entry.table.pass, method: 'pass/fail rule' };
  const named = entry?.table.type === 'labels' && agreement.gradeMethod === 'fixed' ? entry.table.map[grade.trim()] : undefined;
  return named ? { pass: named, method: 'fixed table' } : null;
}

/** A grade converted by the agreement's chosen method, with the method named and any caveat. */
function convertGradeUnder(
  agreement: store.AgreementRow,
  sourceId: string,
  grade: string,
  scale: ScaleDefinition | undefined,
  byTables: () => ReturnType<typeof convertWithTables>,
) {
  const as = (g: string, method: string, note: string | null = null) => ({ grade: g, method, candidates: [], note });
  switch (agreement.gradeMethod) {
    case 'none':
      return null;
    case 'table':
      return byTables();
    case 'fixed': {
      const t = agreement.gradeTables.find((x): x is { from: string; table: FixedTable } => x.from === sourceId && x.table.type !== 'pass_fail');
      const g = t ? convertFixed(t.table, grade) : null;
      return g
        ? as(g, 'fixed table')
        : as(grade, 'none', t ? `grade ${grade} is not in the agreement's table` : 'the agreement has no table from this institution');
    }
    case 'bavarian': {
      const ends =
        scale?.type === 'percentage' ? { best: 100, pass: scale.passMin } : scale?.type === 'numeric' ? { best: scale.best, pass: scale.pass } : null;
      if (!ends) return as(grade, 'none', 'the Bavarian formula needs a numeric scale');
      try {
        const r = bavarian(grade, ends.best, ends.pass);
        return as(r.grade, 'modified Bavarian formula', `unrounded ${r.exact}`);
      } catch {
        return as(grade, 'none', `${grade} is not a passing grade the formula can convert`);
      }
    }
  }
}
