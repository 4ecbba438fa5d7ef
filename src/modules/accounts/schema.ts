import { z } from 'zod';

const unit = z.enum(['credit', 'ects']).describe('credit = the institution\'s own credits (学分); ects = ECTS credits. Units are never added together.');
const balances = z.array(z.object({ unit, available: z.string(), used: z.string(), total: z.string() }));

export const accountView = z.object({
  learner: z.object({
    id: z.uuid(),
    fullName: z.string(),
    fullNameLatin: z.string().nullable(),
    birthDate: z.string().nullable(),
    idType: z.enum(['resident_id', 'passport', 'other']).nullable(),
    idNumber: z.string().nullable().describe('masked (110***********001X) except in the learner\'s own view'),
    accountNo: z.string(),
    accountStatus: z.enum(['open', 'frozen', 'closed']),
    openedAt: z.string(),
  }),
  balances,
  enrolments: z.array(
    z.object({
      institutionId: z.uuid(),
      institutionCode: z.string(),
      institutionNameZh: z.string(),
      institutionNameEn: z.string(),
      externalId: z.string(),
      enrolledOn: z.string().nullable(),
    }),
  ),
  outcomes: z.array(
    z.object({
      id: z.uuid(),
      institutionId: z.uuid(),
      institutionCode: z.string(),
      institutionNameZh: z.string(),
      institutionNameEn: z.string(),
      courseId: z.uuid(),
      courseCode: z.string(),
      courseTitleZh: z.string(),
      courseTitleEn: z.string(),
      term: z.string(),
      attempt: z.number().int(),
      grade: z.string(),
      passed: z.boolean(),
      credits: z.string(),
      unit,
      hours: z.number().int(),
      completedOn: z.string(),
      status: z.enum(['recorded', 'superseded', 'revoked']),
      reason: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

export const ledgerPage = z.object({
  items: z.array(
    z.object({
      seq: z.number().int(),
      kind: z.enum(['deposit', 'transfer_in', 'use', 'reversal']),
      amount: z.string(),
      unit,
      fromState: z.enum(['available', 'used']).nullable(),
      toState: z.enum(['available', 'used']).nullable(),
      causeType: z.string(),
      causeId: z.string(),
      reversesSeq: z.number().int().nullable(),
      reversedBySeq: z.number().int().nullable(),
      memo: z.string().nullable(),
      createdAt: z.string(),
      balanceAfter: z.object({ available: z.string(), used: z.string() }),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const pageQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
