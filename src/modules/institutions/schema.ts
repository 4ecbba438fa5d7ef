import { z } from 'zod';
import { INSTITUTION_KINDS } from '../../db/schema.js';

export const creditText = z.string().regex(/^\d{1,8}(\.\d{1,2})?$/, 'a decimal number with at most two decimals, e.g. "3.5"');
export const isoDate = z.iso.date();
export const iscedCode = z.string().regex(/^\d{2}(\d{1,2})?$/, 'an ISCED-F 2013 code of 2, 3 or 4 digits, e.g. "0613"');

export const scaleDefinition = z.discriminatedUnion('type', [
  z.object({ type: z.literal('percentage'), passMin: z.number().min(0).max(100), decimals: z.number().int().min(0).max(2) }),
  z.object({
    type: z.literal('levels'),
    levels: z
      .array(z.object({ code: z.string().min(1).max(20), labelZh: z.string().min(1), labelEn: z.string().min(1), passing: z.boolean() }))
      .min(2)
      .max(30),
  }),
  z.object({ type: z.literal('numeric'), best: z.number(), worst: z.number(), pass: z.number(), decimals: z.number().int().min(0).max(2) }),
  z.object({ type: z.literal('pass_fail') }),
]);

export const creditSystem = z.object({
  unit: z.enum(['credit', 'ects']),
  hoursPerCredit: creditText.describe('hours per credit, e.g. "16" contact hours or "28" workload hours'),
  hourType: z.enum(['contact', 'workload']),
  effectiveFrom: isoDate,
});

export const gradingScale = z.object({
  id: z.uuid(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  definition: scaleDefinition,
});

export const institution = z.object({
  id: z.uuid(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  kind: z.enum(INSTITUTION_KINDS),
  country: z.string(),
  website: z.string().nullable(),
  exemptionEarnsCredit: z.boolean().describe('whether a course result marked 免修 (exempted) earns the course’s credits here (and 免考 without a grade)'),
  creditSystem: creditSystem.nullable(),
  gradingScales: z.array(gradingScale),
});

export const institutionCode = z.string().regex(/^[A-Z][A-Z0-9-]{1,19}$/, 'upper-case letters, digits and "-", 2–20 characters, e.g. "HXU"');

export const newInstitution = z.object({
  code: institutionCode,
  nameZh: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().min(1).max(200),
  kind: z.enum(INSTITUTION_KINDS),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code, e.g. "CN"'),
  website: z.url().max(300).nullable().optional(),
  exemptionEarnsCredit: z.boolean().optional().describe('the exemption rule: whether 免修 (exempted) earns the course’s credits; default true'),
  creditSystem: creditSystem.optional(),
});

export const institutionPatch = newInstitution.omit({ code: true, creditSystem: true }).partial();

export const newScale = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  definition: scaleDefinition,
  effectiveFrom: isoDate,
});

export const idParams = z.object({ id: z.uuid() });
