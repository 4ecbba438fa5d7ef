// Marks and dates of the demo transcripts: plain functions shared by the seeders.
import type { ScaleDefinition } from '../../core/grades/scales.js';

/** Writes a mark in the institution's own scale. */
export function gradeIn(scale: ScaleDefinition, m: number): string {
  switch (scale.type) {
    case 'percentage':
      return String(m);
    case 'levels':
      return m >= 90 ? '优' : m >= 80 ? '良' : m >= 70 ? '中' : m >= 60 ? '及格' : '不及格';
    case 'numeric':
      return (m / 10).toFixed(1);
    case 'pass_fail':
      return m >= 60 ? 'Pass' : 'Fail';
  }
}

/** The date a term's results are final: mid-January for the first semester, mid-July for the second. */
export function termEnd(startYear: number, semester: number): string {
  return semester === 1 ? `${startYear + 1}-01-15` : `${startYear + 1}-07-10`;
}
