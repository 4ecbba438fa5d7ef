// Shapes of the certification catalogue's JSON (src/modules/certification/schema.ts): qualification
// frameworks, conversion standards (转换标准) and the certification settings.
import type { Body, Res } from './client';

export const OUTCOME_KINDS = ['vocational_certificate', 'skill_certificate', 'training', 'mooc', 'micro_credential', 'work_experience', 'award'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export type StandardStatus = 'draft' | 'approved' | 'retired';

export type FrameworkLevel = Res<'/frameworks'>['items'][number]['levels'][number];

export type Framework = Res<'/frameworks'>['items'][number];

/** A course or a credit category a certificate may stand in for, at an institution. */
export type Substitute = Res<'/standards/{id}'>['substitutes'][number];

/** One version of a conversion standard. Credits and caps are decimal strings. */
export type Standard = Res<'/standards'>['items'][number];

/** GET /standards/:id — the version asked for, with every version of its code. */
export interface StandardDetail extends Standard {
  versions: Standard[];
}

/** The body of POST /standards (newStandard); PATCH and POST …/versions take the same fields but code, all optional. */
export type StandardInput = Body<'/standards'>;

export type CertificationSettings = Res<'/settings/certification'>;
