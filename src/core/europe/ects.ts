// ECTS credit points for the bank's records. Pure.
//
// ECTS counts the learner's workload: 60 credits a year, 1 credit = 25–30 hours [ECTS Users' Guide
// 2015]. A record kept in ECTS is already ECTS. A record kept in another credit system converts only
// when its hours are workload hours: credits counted by contact hours (Chinese 学时) measure
// something else, and no rule of ours turns them into workload (an agreement may, case by case).
import type { Centi } from '../credits.js';
import { roundFraction, type Rounding } from '../transfer/credits.js';

/** The workload hours of one ECTS credit the bank assumes: the top of the guide's 25–30, so no record is inflated. */
export const HOURS_PER_ECTS = 30;

/** ECTS are given to the half credit, rounded half up. */
export const ECTS_ROUNDING: Rounding = { mode: 'half_up', step: 50 };

export interface CreditRecord {
  credits: Centi;
  unit: 'credit' | 'ects';
  /** The course's hours behind the credits, whole hours. */
  hours: number;
  hourType: 'contact' | 'workload';
}

export type EctsConversion = { ects: Centi; method: 'ects' | 'workload' } | { ects: null; reason: string };

/** The record's credits in ECTS, or why they do not convert. */
export function ectsOf(r: CreditRecord, hoursPerEcts = HOURS_PER_ECTS): EctsConversion {
  if (r.unit === 'ects') return { ects: r.credits, method: 'ects' };
  if (r.hourType !== 'workload') return { ects: null, reason: 'credits counted by contact hours do not convert to ECTS (workload) without an agreement' };
  if (!Number.isInteger(r.hours) || r.hours <= 0) return { ects: null, reason: 'the course records no workload hours' };
  // ECTS in hundredths = hours × 100 / hours per ECTS
  return { ects: roundFraction(r.hours * 100, hoursPerEcts, ECTS_ROUNDING), method: 'workload' };
}
