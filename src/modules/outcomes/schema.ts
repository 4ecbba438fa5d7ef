import { z } from 'zod';
import { RESULT_STATUSES, STATUS_EN, STATUS_ZH } from '../../core/grades/status.js';
import { isoDate } from '../institutions/schema.js';

export const termText = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{4}-[123]$/, 'an academic year and semester such as 2023-2024-1');

const STATUS_LIST = RESULT_STATUSES.map((s) => `${s} ${STATUS_ZH[s]} (${STATUS_EN[s]})`).join(', ');

/** A result status as 教务系统 write it: the code, or its Chinese or English name (core/grades/status.ts). */
export const resultStatusText = z
  .string()
  .trim()
  .max(30)
  .describe(
    `how the result came about (考试性质 / 成绩标志): ${STATUS_LIST}. Codes, Chinese or English names. 补考 and 重修 need a grade; 缺考, 缓考, 旷考, 取消考试资格 and 作弊 have none and earn nothing; 免修 earns the course's credits when the institution's exemption rule says so; 免考 counts as its grade, or without one as 免修`,
  );

export const newCourseResult = z
  .object({
    learnerId: z.uuid().optional(),
    externalId: z.string().trim().min(1).max(40).optional().describe("the learner's student number at this institution"),
    courseId: z.uuid().optional(),
    courseCode: z.string().trim().min(1).max(40).optional(),
    term: termText,
    attempt: z.number().int().min(1).max(20).default(1),
    grade: z
      .string()
      .trim()
      .max(20)
      .optional()
      .describe(
        "in the institution's grading scale, e.g. 86, 优, 7.5; or a status in its place (缺考, 免修 …); omit it when resultStatus says the result has none",
      ),
    resultStatus: resultStatusText.optional(),
    scaleId: z.uuid().optional().describe("defaults to the institution's grading scale"),
    completedOn: isoDate,
  })
  .refine((b) => b.learnerId || b.externalId, { message: 'give learnerId or externalId', path: ['learnerId'] })
  .refine((b) => b.courseId || b.courseCode, { message: 'give courseId or courseCode', path: ['courseId'] });

export const correction = z
  .object({
    grade: z
      .string()
      .trim()
      .max(20)
      .optional()
      .describe('the corrected grade; a grade alone keeps a resit, retake or exemption as it was, and turns a result that had none (缺考 …) into a normal one'),
    resultStatus: resultStatusText.optional().describe('the corrected status; given alone, a resit, retake or 免考 keeps the recorded grade'),
    reason: z.string().trim().min(3, 'say why, in a few words').max(500),
  })
  .refine((b) => (b.grade ?? '') !== '' || (b.resultStatus ?? '') !== '', { message: 'give the corrected grade, status, or both', path: ['grade'] });

export const revocation = z.object({ reason: z.string().trim().min(3, 'say why, in a few words').max(500) });

export const outcome = z.object({
  id: z.uuid(),
  learnerId: z.uuid(),
  institutionId: z.uuid(),
  courseId: z.uuid(),
  term: z.string(),
  attempt: z.number().int(),
  grade: z.string().nullable().describe('null when the result has no grade (缺考, 缓考, …, or 免修 without one)'),
  resultStatus: z.enum(RESULT_STATUSES),
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
