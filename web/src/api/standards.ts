// Shapes of the certification catalogue's JSON (src/modules/certification/schema.ts): qualification
// frameworks, conversion standards (转换标准) and the certification settings.
import type { CreditUnit } from './types';

export const OUTCOME_KINDS = ['vocational_certificate', 'skill_certificate', 'training', 'mooc', 'micro_credential', 'work_experience', 'award'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export type StandardStatus = 'draft' | 'approved' | 'retired';

export interface FrameworkLevel {
  level: number;
  nameZh: string;
  nameEn: string;
  descriptorZh: string;
  descriptorEn: string;
  eqfLevel: number;
}

export interface Framework {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  levels: FrameworkLevel[];
}

/** A course or a credit category a certificate may stand in for, at an institution. */
export interface Substitute {
  institutionId: string;
  courseId?: string;
  category?: string;
  institutionCode: string | null;
  courseCode: string | null;
  courseTitleZh: string | null;
  courseTitleEn: string | null;
}

/** One version of a conversion standard. Credits and caps are decimal strings. */
export interface Standard {
  id: string;
  code: string;
  version: number;
  status: StandardStatus;
  outcomeKind: OutcomeKind;
  issuingBody: string;
  nameZh: string;
  nameEn: string;
  certificateLevel: string;
  frameworkId: string;
  frameworkCode: string;
  level: number;
  levelNameZh: string | null;
  levelNameEn: string | null;
  eqfLevel: number | null;
  iscedCode: string;
  credits: string;
  unit: CreditUnit;
  institution: { id: string; code: string; nameZh: string; nameEn: string };
  substitutes: Substitute[];
  /** How old the outcome may be when the application is submitted; null: no limit. */
  validityMonths: number | null;
  capStandard: string | null;
  capKind: string | null;
  capTotal: string | null;
  /** The evidence an application must carry, one label per item. */
  evidence: string[];
  descriptionZh: string;
  descriptionEn: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  approvedAt: string | null;
  /** Who drafted (or last edited) this version; another committee member approves it. */
  draftedBy: string | null;
  createdAt: string;
}

/** GET /standards/:id — the version asked for, with every version of its code. */
export interface StandardDetail extends Standard {
  versions: Standard[];
}

/** The body of POST /standards (newStandard); PATCH and POST …/versions take the same fields but code, all optional. */
export interface StandardInput {
  code: string;
  outcomeKind: OutcomeKind;
  issuingBody: string;
  nameZh: string;
  nameEn: string;
  certificateLevel: string;
  frameworkId: string;
  level: number;
  iscedCode: string;
  credits: string;
  unit: CreditUnit;
  institutionId: string;
  substitutes: { institutionId: string; courseId?: string; category?: string }[];
  validityMonths: number | null;
  capStandard: string | null;
  capKind: string | null;
  capTotal: string | null;
  evidence: string[];
  descriptionZh: string;
  descriptionEn: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface CertificationSettings {
  /** Committee votes that decide an individual assessment or an appeal. */
  committeeQuorum: number;
  /** Days after a rejection in which the learner may appeal. */
  appealWindowDays: number;
}
