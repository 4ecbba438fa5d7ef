import { z } from 'zod';
import { creditText, iscedCode } from '../institutions/schema.js';

export const courseCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/, 'letters, digits and . _ / -, at most 40 characters');

export const course = z.object({
  id: z.uuid(),
  institutionId: z.uuid(),
  code: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  credits: z.string(),
  hours: z.number().int(),
  hourType: z.enum(['contact', 'workload']),
  iscedCode: z.string(),
  level: z.number().int().nullable(),
  outcomesZh: z.string(),
  outcomesEn: z.string(),
  status: z.enum(['active', 'retired']),
  version: z.number().int(),
});

export const newCourse = z.object({
  code: courseCode,
  titleZh: z.string().trim().min(1).max(200),
  titleEn: z.string().trim().min(1).max(200),
  credits: creditText,
  hours: z.number().int().min(0).max(10_000),
  hourType: z.enum(['contact', 'workload']).optional().describe("defaults to the institution's credit system"),
  iscedCode,
  level: z.number().int().min(1).max(8).nullable().optional(),
  outcomesZh: z.string().max(5000).optional(),
  outcomesEn: z.string().max(5000).optional(),
});

export const coursePatch = newCourse
  .omit({ code: true })
  .partial()
  .extend({ status: z.enum(['active', 'retired']).optional() });

export const programme = z.object({
  id: z.uuid(),
  institutionId: z.uuid(),
  code: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  qualification: z.enum(['bachelor', 'associate', 'master', 'diploma', 'certificate']),
  totalCredits: z.string(),
  iscedCode: z.string(),
});

export const newProgramme = programme.omit({ id: true, institutionId: true }).extend({
  code: courseCode,
  titleZh: z.string().trim().min(1).max(200),
  titleEn: z.string().trim().min(1).max(200),
  totalCredits: creditText,
  iscedCode,
});

export const listQuery = z.object({
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
