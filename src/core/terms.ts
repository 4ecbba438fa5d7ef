// Academic terms written the way Chinese registrars write them: "2023-2024-1" is the first
// semester of the 2023/24 academic year; 3 is a summer term.

export interface Term {
  startYear: number;
  semester: 1 | 2 | 3;
}

const TERM = /^(\d{4})-(\d{4})-([123])$/;

export function parseTerm(text: string): Term | undefined {
  const m = TERM.exec(text.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  if (Number(m[2]) !== start + 1 || start < 1950 || start > 2100) return undefined;
  return { startYear: start, semester: Number(m[3]) as 1 | 2 | 3 };
}

export function formatTerm(t: Term): string {
  return `${t.startYear}-${t.startYear + 1}-${t.semester}`;
}

/** Orders terms in time. */
export function compareTerms(a: Term, b: Term): number {
  return a.startYear - b.startYear || a.semester - b.semester;
}

export const TERM_HINT = 'an academic year and semester such as 2023-2024-1';
