import { z } from 'zod';
import { isoDate } from '../institutions/schema.js';

export const termText = z.string().trim().regex(/^\d{4}-\d{4}-[123]$/, 'an academic year and semester such as 2023-2024-1');

export const newCourseResult = z
  .object({
    learnerId: z.uuid().optional(),
    externalId: z.string().trim().min(1).max(40).optional().describe("the learner's student number at this institution"),
    courseId: z.uuid().optional(),
    courseCode: z.string().trim().min(1).max(40).optional(),
    term: termText,
    attempt: z.number().int().min(1).max(20).default(1),
    grade: z.string().trim().min(1).max(20).describe("in the institution's grading scale, e.g. 86, 优, 7.5"),
    scaleId: z.uuid().optional().describe("defaults to the institution's grading scale"),
    completedOn: isoDate,
  })
  .refine((b) => b.learnerId || b.externalId, { message: 'give learnerId or externalId', path: ['learnerId'] })
  .refine((b) => b.courseId || b.courseCode, { message: 'give courseId or courseCode', path: ['courseId'] });

export const correction = z.object({
  grade: z.string().trim().min(1).max(20),
  reason: z.string().trim().min(3, 'say why, in a few words').max(500),
});

export const revocation = z.object({ reason: z.string().trim().min(3, 'say why, in a few words').max(500) });

export const outcome = z.object({
  id: z.uuid(),
  learnerId: z.uuid(),
  institutionId: z.uuid(),
  courseId: z.uuid(),
  term: z.string(),
  attempt: z.number().int(),
  grade: z.string(),
  passed: z.boolean(),
  counted: z.boolean().describe('whether this attempt holds the course’s credits: the first pass does; a retake passed again is history'),
  credits: z.string(),
  unit: z.enum(['credit', 'ects']),
  hours: z.number().int(),
  completedOn: z.string(),
  status: z.enum(['recorded', 'superseded', 'revoked']),
  supersedes: z.uuid().nullable(),
  reason: z.string().nullable(),
  postings: z.array(z.object({ seq: z.number().int(), kind: z.string(), amount: z.string() })),
});
