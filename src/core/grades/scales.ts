// Grading scales as data, and the check of one grade against its scale. Bands and pass marks are
// never code: each institution declares its own scale (see DOMAIN.md, "Grade conversion").

export interface GradeLevel {
  /** The grade as written in the institution's records, e.g. "优", "A", "Pass". */
  code: string;
  labelZh: string;
  labelEn: string;
  passing: boolean;
}

export type ScaleDefinition =
  /** Percentage marks, e.g. 0–100 with 60 to pass. */
  | { type: 'percentage'; passMin: number; decimals: number }
  /** Named levels, best first, e.g. 优/良/中/及格/不及格. */
  | { type: 'levels'; levels: GradeLevel[] }
  /**
   * A numeric range whose best end may be high (0–10, 10 best) or low (1–5, 1 best);
   * `pass` is the worst grade that still passes.
   */
  | { type: 'numeric'; best: number; worst: number; pass: number; decimals: number }
  | { type: 'pass_fail' };

export type GradeCheck = { ok: true; grade: string; passed: boolean } | { ok: false; reason: string };

const PASS_WORDS: Record<string, boolean> = { pass: true, p: true, 通过: true, 合格: true, fail: false, f: false, 不通过: false, 不合格: false };

function checkNumber(text: string, lo: number, hi: number, decimals: number): number | string {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m)
    return decimals > 0 ? `须为最多 ${decimals} 位小数的数字 / must be a number with at most ${decimals} decimal(s)` : '须为整数 / must be a whole number';
  // zeros after the point change nothing: 85.0 and 85.00 are 85
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) {
    return decimals > 0
      ? `最多 ${decimals} 位小数，${text} 有 ${fraction.length} 位 / may have at most ${decimals} decimal(s); ${text} has ${fraction.length}`
      : `须为整数，${text} 有小数部分 / must be a whole number on this scale; ${text} has a fraction`;
  }
  const n = Number(`${m[1]}${fraction ? `.${fraction}` : ''}`);
  if (n < lo || n > hi) return `须在 ${lo} 到 ${hi} 之间 / must be between ${lo} and ${hi}`;
  return n;
}

/** Checks a grade written in a scale, and says whether it passes. */
export function checkGrade(scale: ScaleDefinition, raw: string): GradeCheck {
  // as 教务系统 exports write them: full-width digits and letters (８５, Ａ), ideographic spaces
  const text = raw.normalize('NFKC').trim();
  if (text === '') return { ok: false, reason: '成绩为空 / grade is empty' };
  switch (scale.type) {
    case 'percentage': {
      const n = checkNumber(text, 0, 100, scale.decimals);
      if (typeof n === 'string') return { ok: false, reason: `百分制成绩${n.split(' / ')[0]} / percentage grade ${n.split(' / ')[1] ?? n}` };
      return { ok: true, grade: String(n), passed: n >= scale.passMin };
    }
    case 'levels': {
      const level = scale.levels.find((l) => l.code === text || l.labelEn.toLowerCase() === text.toLowerCase());
      if (!level)
        return {
          ok: false,
          reason: `成绩须为 ${scale.levels.map((l) => l.code).join('、')} 之一 / grade must be one of ${scale.levels.map((l) => l.code).join(', ')}`,
        };
      return { ok: true, grade: level.code, passed: level.passing };
    }
    case 'numeric': {
      const lo = Math.min(scale.best, scale.worst);
      const hi = Math.max(scale.best, scale.worst);
      const n = checkNumber(text, lo, hi, scale.decimals);
      if (typeof n === 'string') return { ok: false, reason: `成绩${n.split(' / ')[0]} / grade ${n.split(' / ')[1] ?? n}` };
      const passed = scale.best > scale.worst ? n >= scale.pass : n <= scale.pass;
      return { ok: true, grade: String(n), passed };
    }
    case 'pass_fail': {
      const passed = PASS_WORDS[text.toLowerCase()];
      if (passed === undefined) return { ok: false, reason: '成绩须为 通过 或 不通过 / grade must be Pass or Fail' };
      return { ok: true, grade: passed ? 'Pass' : 'Fail', passed };
    }
  }
}

/** Checks a scale definition itself; returns the problems found (empty when sound). */
export function scaleProblems(scale: ScaleDefinition): string[] {
  const problems: string[] = [];
  if (scale.type === 'percentage' && (scale.passMin < 0 || scale.passMin > 100)) problems.push('passMin must be between 0 and 100');
  if (scale.type === 'levels') {
    if (scale.levels.length < 2) problems.push('a levels scale needs at least two levels');
    const codes = new Set(scale.levels.map((l) => l.code));
    if (codes.size !== scale.levels.length) problems.push('level codes must be unique');
    if (!scale.levels.some((l) => l.passing)) problems.push('at least one level must pass');
  }
  if (scale.type === 'numeric') {
    if (scale.best === scale.worst) problems.push('best and worst must differ');
    const lo = Math.min(scale.best, scale.worst);
    const hi = Math.max(scale.best, scale.worst);
    if (scale.pass < lo || scale.pass > hi) problems.push('pass must lie between best and worst');
  }
  return problems;
}

/**
 * Compares two valid grades of one scale: positive when `a` is better than `b`, 0 when equal.
 * Both must pass checkGrade; levels compare by their order (best first).
 */
export function compareGrades(scale: ScaleDefinition, a: string, b: string): number {
  switch (scale.type) {
    case 'percentage':
      return Number(a) - Number(b);
    case 'numeric':
      return scale.best > scale.worst ? Number(a) - Number(b) : Number(b) - Number(a);
    case 'levels': {
      const rank = (g: string) => scale.levels.findIndex((l) => l.code === g);
      return rank(b) - rank(a);
    }
    case 'pass_fail':
      return (a === 'Pass' ? 1 : 0) - (b === 'Pass' ? 1 : 0);
  }
}

/**
 * Where a passing grade sits in its scale's passing range: 0 at the lowest pass, 1 at the best grade;
 * null for a failing grade or a pass/fail scale, which has no range. Lets grades of different scales
 * be compared, e.g. to see how far a conversion moved them.
 */
export function passingPosition(scale: ScaleDefinition, grade: string): number | null {
  const g = checkGrade(scale, grade);
  if (!g.ok || !g.passed) return null;
  switch (scale.type) {
    case 'percentage':
      return scale.passMin >= 100 ? 1 : (Number(g.grade) - scale.passMin) / (100 - scale.passMin);
    case 'numeric':
      return scale.best === scale.pass ? 1 : (Number(g.grade) - scale.pass) / (scale.best - scale.pass);
    case 'levels': {
      const passing = scale.levels.filter((l) => l.passing);
      const i = passing.findIndex((l) => l.code === g.grade);
      return passing.length === 1 ? 1 : 1 - i / (passing.length - 1);
    }
    case 'pass_fail':
      return null;
  }
}

/**
 * How good a grade is within its scale, higher better (so that the best of several attempts can be
 * found); null for a grade the scale does not know. Pass/fail grades are all equal.
 */
export function gradeRank(scale: ScaleDefinition, grade: string): number | null {
  switch (scale.type) {
    case 'percentage':
    case 'numeric': {
      const n = Number(grade);
      if (grade.trim() === '' || !Number.isFinite(n)) return null;
      return scale.type === 'numeric' && scale.best < scale.worst ? -n : n;
    }
    case 'levels': {
      const k = scale.levels.findIndex((l) => l.code === grade);
      return k < 0 ? null : scale.levels.length - k;
    }
    case 'pass_fail':
      return 0;
  }
}
