import { z } from 'zod';
import { ID_TYPES } from '../../core/identity.js';
import { RESULT_STATUSES } from '../../core/grades/status.js';

const unit = z.enum(['credit', 'ects']).describe("credit = the institution's own credits (学分); ects = ECTS credits. Units are never added together.");
const balances = z
  .array(z.object({ unit, available: z.string(), used: z.string() }))
  .describe('per unit: available, and used (moved out by a transfer or counted toward an award); never added up, as a transfer moves credits');
const byInstitution = z
  .array(
    z.object({
      institutionId: z.uuid().nullable().describe("null: a certificate's issuing body outside the bank, named; or a cause no longer on record"),
      nameZh: z.string().nullable(),
      nameEn: z.string().nullable(),
      unit,
      available: z.string(),
      used: z.string(),
    }),
  )
  .describe(
    'where the credits are held, per institution and unit: a transfer moves credits, used at the source and available at the target; an award uses them where the programme is',
  );

export const accountView = z.object({
  learner: z.object({
    id: z.uuid(),
    fullName: z.string(),
    fullNameLatin: z.string().nullable(),
    birthDate: z.string().nullable(),
    idType: z.enum(ID_TYPES).nullable(),
    idNumber: z.string().nullable().describe("masked (110***********001X) except in the learner's own view"),
    idCountry: z.string().nullable().describe("a passport's issuing country (ISO 3166-1 alpha-3; XXX: recorded before it was asked for)"),
    idTypeName: z.string().nullable().describe('what an `other` document is (e.g. 军官证)'),
    accountNo: z.string(),
    accountStatus: z.enum(['open', 'frozen', 'closed']),
    openedAt: z.string(),
  }),
  balances,
  byInstitution,
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
      grade: z.string().nullable().describe('null when the result has no grade (缺考, 缓考, …, or 免修 without one)'),
      resultStatus: z
        .enum(RESULT_STATUSES)
        .describe(
          'normal, or how 教务系统 marked the result: resit 补考, retake 重修, exempted 免修, exam_exempted 免考, absent 缺考, deferred 缓考, absent_unexcused 旷考, barred 取消考试资格, misconduct 作弊',
        ),
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
      source: z
        .object({
          code: z.string().nullable().describe('the course or programme code, or the certificate number'),
          titleZh: z.string(),
          titleEn: z.string(),
          institutionNameZh: z.string().nullable(),
          institutionNameEn: z.string().nullable(),
          targetInstitutionNameZh: z
            .string()
            .nullable()
            .describe('of a transfer: the institution the credits moved to (institutionName* is where they came from)'),
          targetInstitutionNameEn: z.string().nullable(),
        })
        .nullable()
        .describe(
          'what the posting came from, by name: the course of a result, the certificate of a certification, the source course of a transfer, the programme of an award',
        ),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const pageQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
