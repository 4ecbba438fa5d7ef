// When a programme could be complete at the earliest, if the learner earned as much as the caps allow.
import type { Centi } from '../credits.js';
import type { Term } from '../terms.js';

/** The term a day falls in, Chinese style: the first semester runs September–January, the second February–August. */
export function termOf(day: string): Term {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  if (m >= 9) return { startYear: y, semester: 1 };
  if (m === 1) return { startYear: y - 1, semester: 1 };
  return { startYear: y - 1, semester: 2 };
}

export function nextTerm(t: Term): Term {
  return t.semester === 1 ? { startYear: t.startYear, semester: 2 } : { startYear: t.startYear + 1, semester: 1 };
}

/**
 * The earliest term by whose end `remaining` credits could be earned, starting with `from`, taking
 * at most `perSemester` a semester and `perYear` an academic year (its two semesters). Null when
 * nothing remains; `from` itself when no cap limits the pace.
 */
export function earliestTerm(remaining: Centi, from: Term, caps: { perSemester?: Centi; perYear?: Centi }): Term | null {
  if (remaining <= 0) return null;
  const perSemester = caps.perSemester ?? Infinity;
  const perYear = caps.perYear ?? Infinity;
  if (perSemester <= 0 || perYear <= 0) return null;
  let term: Term = { startYear: from.startYear, semester: from.semester === 2 ? 2 : 1 };
  let left = remaining;
  let yearUsed = 0;
  for (;;) {
    const take = Math.min(perSemester, perYear - yearUsed, left);
    left -= take;
    yearUsed += take;
    if (left <= 0) return term;
    const next = nextTerm(term);
    if (next.startYear !== term.startYear) yearUsed = 0;
    term = next;
  }
}
