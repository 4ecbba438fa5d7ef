// Course-result statuses as 教务系统 (academic-affairs systems) mark them. Pure: no I/O.
//
// A result is either graded (normal, or a resit 补考 / retake 重修 with its grade), exempted (免修:
// excused from the course; 免考: excused from the exam), or one of the ways a result has no grade
// (缺考 absent, 缓考 deferred, 旷考 absent without leave, 取消考试资格 barred, 作弊 misconduct).
import { checkGrade, type ScaleDefinition } from './scales.js';

export const RESULT_STATUSES = [
  'normal',
  'resit',
  'retake',
  'exempted',
  'exam_exempted',
  'absent',
  'deferred',
  'absent_unexcused',
  'barred',
  'misconduct',
] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** Statuses that carry a grade of the scale. */
export const GRADED: readonly ResultStatus[] = ['normal', 'resit', 'retake'];
/** Statuses that are never a pass and never earn credits. */
export const NO_RESULT: readonly ResultStatus[] = ['absent', 'deferred', 'absent_unexcused', 'barred', 'misconduct'];

export const STATUS_ZH: Record<ResultStatus, string> = {
  normal: '正常',
  resit: '补考',
  retake: '重修',
  exempted: '免修',
  exam_exempted: '免考',
  absent: '缺考',
  deferred: '缓考',
  absent_unexcused: '旷考',
  barred: '取消考试资格',
  misconduct: '作弊',
};

export const STATUS_EN: Record<ResultStatus, string> = {
  normal: 'normal',
  resit: 'resit',
  retake: 'retake',
  exempted: 'exempted from the course',
  exam_exempted: 'exempted from the exam',
  absent: 'absent',
  deferred: 'deferred',
  absent_unexcused: 'absent without leave',
  barred: 'barred from the exam',
  misconduct: 'misconduct',
};

// the words exports use, besides the codes and the names above
const ALIASES: Record<string, ResultStatus> = {
  正常: 'normal',
  正常考试: 'normal',
  正考: 'normal',
  初修: 'normal',
  首修: 'normal',
  补考: 'resit',
  补考考试: 'resit',
  重考: 'resit',
  重修: 'retake',
  免修: 'exempted',
  免考: 'exam_exempted',
  免试: 'exam_exempted',
  缺考: 'absent',
  缓考: 'deferred',
  旷考: 'absent_unexcused',
  取消考试资格: 'barred',
  取消资格: 'barred',
  作弊: 'misconduct',
  违纪: 'misconduct',
  re_sit: 'resit',
  're-sit': 'resit',
  supplementary: 'resit',
  're-take': 'retake',
  repeat: 'retake',
  exempt: 'exempted',
  exemption: 'exempted',
  'exam exempted': 'exam_exempted',
  'exam exemption': 'exam_exempted',
  'exempted from attending': 'exempted',
  'exempted from the course': 'exempted',
  'absent without leave': 'absent_unexcused',
  awol: 'absent_unexcused',
  barred: 'barred',
  'barred from the exam': 'barred',
  'academic misconduct': 'misconduct',
  cheating: 'misconduct',
};

/** The status a cell names (Chinese or English, any case and width), or null when it names none. */
export function parseStatus(raw: string): ResultStatus | null {
  const text = raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === '') return null;
  if ((RESULT_STATUSES as readonly string[]).includes(text)) return text as ResultStatus;
  if (ALIASES[text]) return ALIASES[text];
  for (const s of RESULT_STATUSES) if (STATUS_EN[s] === text || STATUS_ZH[s] === text) return s;
  return null;
}

export const isGraded = (s: ResultStatus) => GRADED.includes(s);
export const hasNoResult = (s: ResultStatus) => NO_RESULT.includes(s);

/** "缺考 absent": a status named in both languages, as reports and messages name it. */
export const statusName = (s: ResultStatus) => `${STATUS_ZH[s]} ${STATUS_EN[s]}`;

/** The institution's rules that decide what a status earns. */
export interface StatusRules {
  /** Whether 免修 (exempted from the course) earns the course's credits (and 免考 without a grade). */
  exemptionEarnsCredit: boolean;
}

export type ResolvedResult =
  | {
      ok: true;
      status: ResultStatus;
      /** As the scale writes it; null when the result has no grade. */
      grade: string | null;
      passed: boolean;
      /** Which input named the status (for a report); null when nothing did (a plain graded result). */
      namedBy: 'grade' | 'status' | null;
      /** What is recorded, in both languages, for a status other than normal; null for a plain result. */
      note: string | null;
    }
  | { ok: false; field: 'grade' | 'status'; reason: string };

const STATUS_WORDS = RESULT_STATUSES.map((s) => STATUS_ZH[s]).join('、');
const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/**
 * Reads a course result as 教务系统 exports write it: a grade, or a status in the grade cell itself
 * (成绩 = "缺考"), with an optional status beside it (考试性质 / 成绩标志: 正常, 补考, 重修, 免修, …).
 * Decides the status, the grade kept, and whether it passes:
 * - normal, resit 补考, retake 重修: a grade of the scale is required; it passes as the grade does;
 * - absent 缺考, deferred 缓考, absent without leave 旷考, barred 取消考试资格, misconduct 作弊: no grade,
 *   never a pass; a failing grade written beside one (exports often write 0) is set aside and said so,
 *   a passing one contradicts the status and is refused;
 * - exempted 免修: passes (with the course's credits) when the institution's rule says exemption earns
 *   credit, else is kept without a pass; a grade is optional and, when given, must be a passing grade;
 * - exam exempted 免考: with a grade, counts as that grade; without one, as 免修 under the same rule.
 * A status in the grade cell and another beside it agree, or one is normal/补考/重修 and the other
 * says the result has none (补考 + 缺考: absent from the resit), which is then the status; else refused.
 */
export function resolveResult(scale: ScaleDefinition, input: { grade?: string | null; status?: string | null }, rules: StatusRules): ResolvedResult {
  const statusText = (input.status ?? '').trim();
  const gradeText = (input.grade ?? '').trim();
  let fromColumn: ResultStatus | null = null;
  if (statusText !== '') {
    fromColumn = parseStatus(statusText);
    if (!fromColumn) {
      return {
        ok: false,
        field: 'status',
        reason: `“${statusText}”不是可识别的成绩标志，应为 ${STATUS_WORDS} 之一 / is not a result status: use one of ${RESULT_STATUSES.map((s) => STATUS_EN[s]).join(', ')}`,
      };
    }
  }
  // the grade cell: a grade of the scale first, else a status written in its place
  let grade = gradeText === '' ? null : checkGrade(scale, gradeText);
  let fromGrade: ResultStatus | null = null;
  if (grade && !grade.ok) {
    fromGrade = parseStatus(gradeText);
    if (fromGrade) grade = null;
  }
  let status: ResultStatus = fromGrade ?? fromColumn ?? 'normal';
  let namedBy: 'grade' | 'status' | null = fromGrade ? 'grade' : fromColumn ? 'status' : null;
  let aside = '';
  if (fromGrade && fromColumn && fromGrade !== fromColumn) {
    const carriesGrade = (s: ResultStatus) => GRADED.includes(s);
    if (carriesGrade(fromColumn) && hasNoResult(fromGrade)) {
      aside = fromColumn === 'normal' ? '' : `（${STATUS_ZH[fromColumn]} ${STATUS_EN[fromColumn]}）`;
    } else if (carriesGrade(fromGrade) && hasNoResult(fromColumn)) {
      status = fromColumn;
      namedBy = 'status';
    } else {
      return {
        ok: false,
        field: 'status',
        reason: `成绩栏为“${STATUS_ZH[fromGrade]}”，成绩标志为“${STATUS_ZH[fromColumn]}”，二者矛盾 / the grade says ${STATUS_EN[fromGrade]} but the status says ${STATUS_EN[fromColumn]}`,
      };
    }
  }
  const name = `${STATUS_ZH[status]}（${STATUS_EN[status]}）${aside}`;
  if (grade && !grade.ok) return { ok: false, field: 'grade', reason: status === 'normal' ? grade.reason : `${name}：${grade.reason}` };
  const given = grade && grade.ok ? grade : null;

  if (GRADED.includes(status)) {
    if (!given) {
      return {
        ok: false,
        field: 'grade',
        reason: status === 'normal' ? '必填 / is required' : `${name}须有成绩 / ${article(STATUS_EN[status])} ${STATUS_EN[status]} result needs a grade`,
      };
    }
    const note =
      status === 'normal'
        ? null
        : `${name}：成绩 ${given.grade}，${given.passed ? '通过' : '未通过'} / ${STATUS_EN[status]}: grade ${given.grade}, ${given.passed ? 'passed' : 'not passed'}`;
    return { ok: true, status, grade: given.grade, passed: given.passed, namedBy, note };
  }
  if (hasNoResult(status)) {
    if (given?.passed) {
      return {
        ok: false,
        field: 'grade',
        reason: `${name}不应有及格成绩 ${given.grade}；请留空成绩 / ${article(STATUS_EN[status])} ${STATUS_EN[status]} result has no passing grade (${given.grade}); leave the grade empty`,
      };
    }
    const note = given
      ? `${name}：不记成绩（${given.grade} 不予记录），不通过，不计学分 / recorded without a grade (${given.grade} set aside), not passed, no credits`
      : `${name}：不记成绩，不通过，不计学分 / recorded without a grade, not passed, no credits`;
    return { ok: true, status, grade: null, passed: false, namedBy, note };
  }
  if (status === 'exempted' && given && !given.passed) {
    return {
      ok: false,
      field: 'grade',
      reason: `${name}：所给成绩 ${given.grade} 不及格；免修须为及格成绩或留空 / a grade given with an exemption must pass (${given.grade} does not); leave it empty or give a passing grade`,
    };
  }
  if (status === 'exam_exempted' && given) {
    return {
      ok: true,
      status,
      grade: given.grade,
      passed: given.passed,
      namedBy,
      note: `${name}：按成绩 ${given.grade} 记，${given.passed ? '通过' : '未通过'} / counts as grade ${given.grade}, ${given.passed ? 'passed' : 'not passed'}`,
    };
  }
  // 免修, or 免考 without a grade: the institution's exemption rule decides
  const earns = rules.exemptionEarnsCredit;
  const kept = given ? `成绩 ${given.grade}，` : '';
  const keptEn = given ? `grade ${given.grade}, ` : '';
  return {
    ok: true,
    status,
    grade: given?.grade ?? null,
    passed: earns,
    namedBy,
    note: earns
      ? `${name}：${kept}按本机构免修规则通过并计学分 / ${keptEn}passed with the course's credits under this institution's exemption rule`
      : `${name}：${kept}按本机构免修规则不计学分，不通过 / ${keptEn}recorded, not passed, no credits under this institution's exemption rule`,
  };
}
