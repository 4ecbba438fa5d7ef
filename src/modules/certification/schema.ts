// Request and response shapes of certification: frameworks, conversion standards, applications,
// their review and appeal. One schema validates, types and documents each route.
import { z } from 'zod';
import { STATUSES } from '../../core/certification/workflow.js';
import { OUTCOME_KINDS } from '../../db/schema.js';
import { creditText, iscedCode, isoDate } from '../institutions/schema.js';

export const outcomeKind = z.enum(OUTCOME_KINDS);
const reason = z.string().trim().min(3, 'say why, in a few words').max(2000);
const unit = z.enum(['credit', 'ects']);

export const framework = z.object({
  id: z.uuid(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  levels: z.array(
    z.object({
      level: z.number().int(),
      nameZh: z.string(),
      nameEn: z.string(),
      descriptorZh: z.string(),
      descriptorEn: z.string(),
      eqfLevel: z.number().int(),
    }),
  ),
});

export const newFramework = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9._-]{1,19}$/, 'upper-case letters and digits, e.g. "EQF"'),
  nameZh: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().min(1).max(200),
  levels: z
    .array(
      z.object({
        level: z.number().int().min(1).max(12),
        nameZh: z.string().trim().min(1).max(100),
        nameEn: z.string().trim().min(1).max(100),
        descriptorZh: z.string().trim().max(2000).default(''),
        descriptorEn: z.string().trim().max(2000).default(''),
        eqfLevel: z.number().int().min(1).max(8).describe('the EQF level this level is referenced to'),
      }),
    )
    .min(1)
    .max(12)
    .refine((ls) => new Set(ls.map((l) => l.level)).size === ls.length, 'each level once'),
});

const substitute = z.object({
  institutionId: z.uuid(),
  courseId: z.uuid().optional().describe('a course this certificate may replace'),
  category: z.string().trim().min(1).max(80).optional().describe('or a credit category, e.g. 专业选修 / major elective'),
});

export const standardFields = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9._-]{1,39}$/, 'upper-case letters, digits, dot, dash or underscore, e.g. "1X-WEB-M"'),
  outcomeKind,
  issuingBody: z.string().trim().min(2).max(200),
  nameZh: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().min(1).max(200),
  certificateLevel: z.string().trim().max(80).default(''),
  frameworkId: z.uuid(),
  level: z.number().int().min(1).max(12),
  iscedCode,
  credits: creditText,
  unit: unit.default('credit'),
  institutionId: z.uuid().describe('whose reviewers certify outcomes under this standard'),
  substitutes: z.array(substitute).max(50).default([]),
  validityMonths: z.number().int().min(1).max(600).nullable().default(null).describe('how old the outcome may be when submitted; null: no limit'),
  capStandard: creditText.nullable().default(null).describe('most credits one learner may earn from this standard'),
  capKind: creditText.nullable().default(null).describe('most credits one learner may earn from this kind of outcome'),
  capTotal: creditText.nullable().default(null).describe('most credits one learner may earn from certification in all'),
  evidence: z.array(z.string().trim().min(1).max(120)).max(10).default([]).describe('the evidence an application must carry, one label per item'),
  descriptionZh: z.string().trim().max(4000).default(''),
  descriptionEn: z.string().trim().max(4000).default(''),
  effectiveFrom: isoDate,
  effectiveTo: isoDate.nullable().default(null),
});
export const newStandard = standardFields.refine((s) => !s.effectiveTo || s.effectiveTo > s.effectiveFrom, {
  message: 'must be after effectiveFrom',
  path: ['effectiveTo'],
});
/** A new version: what changes from the version it is drafted from. */
export const standardChanges = standardFields.omit({ code: true }).partial();

export const standard = z.object({
  id: z.uuid(),
  code: z.string(),
  version: z.number().int(),
  status: z.enum(['draft', 'approved', 'retired']),
  outcomeKind,
  issuingBody: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  certificateLevel: z.string(),
  frameworkId: z.uuid(),
  frameworkCode: z.string(),
  level: z.number().int(),
  levelNameZh: z.string().nullable(),
  levelNameEn: z.string().nullable(),
  eqfLevel: z.number().int().nullable(),
  iscedCode: z.string(),
  credits: z.string(),
  unit,
  institution: z.object({ id: z.uuid(), code: z.string(), nameZh: z.string(), nameEn: z.string() }),
  substitutes: z.array(
    substitute.extend({
      institutionCode: z.string().nullable(),
      courseCode: z.string().nullable(),
      courseTitleZh: z.string().nullable(),
      courseTitleEn: z.string().nullable(),
    }),
  ),
  validityMonths: z.number().int().nullable(),
  capStandard: z.string().nullable(),
  capKind: z.string().nullable(),
  capTotal: z.string().nullable(),
  evidence: z.array(z.string()),
  descriptionZh: z.string(),
  descriptionEn: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  approvedAt: z.string().nullable(),
  draftedBy: z.uuid().nullable().describe('who drafted (or last edited) this version: another committee member approves it'),
  createdAt: z.string(),
});

export const standardQuery = z.object({
  q: z.string().trim().max(100).optional().describe('words from the name, issuing body or code'),
  kind: outcomeKind.optional(),
  isced: z
    .string()
    .regex(/^\d{2,4}$/)
    .optional()
    .describe('an ISCED-F code or its prefix'),
  institutionId: z.uuid().optional(),
  status: z
    .enum(['draft', 'approved', 'retired', 'all'])
    .optional()
    .describe('the public sees standards in force; the committee and administrators may ask for drafts'),
  on: isoDate.optional().describe('in force on this date (default today)'),
});

export const newApplication = z
  .object({
    standardId: z.uuid().optional().describe('the standard to be certified under; omit for an individual assessment by the committee'),
    standardCode: z.string().trim().min(2).max(40).optional().describe('or the standard’s code: the version in force on issuedOn is used'),
    outcomeKind: outcomeKind.optional().describe('for an individual assessment (a standard sets its own)'),
    title: z.string().trim().min(2).max(200).optional().describe('what was achieved; defaults to the standard’s name'),
    issuingBody: z.string().trim().min(2).max(200).optional().describe('who issued the certificate or employed the learner; defaults to the standard’s'),
    certificateNo: z.string().trim().min(3).max(60).optional(),
    issuedOn: isoDate.describe('the date of the outcome: certificate issue date, end of training or of employment'),
    expiresOn: isoDate.optional(),
    statement: z.string().trim().max(8000).default('').describe('for a portfolio: what was learned and how it shows'),
    creditsRequested: creditText.optional().describe('individual assessments: the credits asked for'),
    level: z.number().int().min(1).max(12).optional(),
    iscedCode: iscedCode.optional(),
  })
  .refine((b) => !(b.standardId && b.standardCode), { message: 'give standardId or standardCode, not both', path: ['standardCode'] });

export const ACTIONS = ['submit', 'resubmit', 'withdraw', 'request_info', 'approve', 'reject', 'vote', 'appeal', 'revoke'] as const;
export const actionBody = z
  .object({
    reason: reason.optional().describe('required to reject, ask for more information, vote, appeal or revoke'),
    decision: z.enum(['approve', 'reject']).optional().describe('votes only'),
    credits: creditText.optional().describe('votes to approve an individual assessment: the credits to grant'),
    expectedVersion: z.number().int().min(1).optional().describe('the application version the decision was made on; a stale one is refused'),
  })
  .default({});

const institutionRef = z.object({ id: z.uuid(), code: z.string(), nameZh: z.string(), nameEn: z.string() });

export const application = z.object({
  id: z.uuid(),
  learnerId: z.uuid(),
  learnerName: z.string(),
  accountNo: z.string(),
  standard: z
    .object({
      id: z.uuid(),
      code: z.string(),
      version: z.number().int(),
      nameZh: z.string(),
      nameEn: z.string(),
      credits: z.string(),
      unit,
      evidence: z.array(z.string()),
    })
    .nullable(),
  outcomeKind,
  title: z.string(),
  issuingBody: z.string(),
  certificateNo: z.string().nullable(),
  issuedOn: z.string(),
  expiresOn: z.string().nullable(),
  statement: z.string(),
  route: z.enum(['reviewer', 'committee']),
  institution: institutionRef.nullable(),
  level: z.number().int().nullable(),
  iscedCode: z.string().nullable(),
  creditsRequested: z.string().nullable(),
  creditsGranted: z.string().nullable(),
  unit,
  status: z.enum(STATUSES),
  version: z.number().int(),
  appealed: z.boolean(),
  decidedAt: z.string().nullable(),
  appealDeadline: z.string().nullable(),
  waitingSince: z.string(),
  evidenceCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const evidenceItem = z.object({
  id: z.uuid(),
  filename: z.string(),
  label: z.string(),
  sha256: z.string(),
  sizeBytes: z.number().int(),
  mediaType: z.string(),
  uploadedAt: z.string(),
});

export const applicationDetail = application.extend({
  evidence: z.array(evidenceItem),
  events: z.array(
    z.object({
      seq: z.number().int(),
      at: z.string(),
      actorName: z.string().nullable(),
      actorRole: z.string(),
      action: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      reason: z.string().nullable(),
      details: z
        .record(z.string(), z.unknown())
        .describe('decide: {approve, reject, decision, creditsGranted}; vote: {decision, credits} (committee and administrators only)'),
      waitedMs: z.number().describe('time spent in toStatus: until the next event, or until now'),
    }),
  ),
  votes: z
    .object({
      stage: z.enum(['assessment', 'appeal']),
      quorum: z.number().int(),
      approve: z.number().int(),
      reject: z.number().int(),
      mine: z.enum(['approve', 'reject']).nullable(),
      /** Committee members and administrators see who voted how. */
      list: z
        .array(z.object({ voterName: z.string(), decision: z.enum(['approve', 'reject']), credits: z.string().nullable(), reason: z.string(), at: z.string() }))
        .nullable(),
    })
    .nullable(),
  allowedActions: z.array(z.enum(ACTIONS)),
  postings: z.array(z.object({ seq: z.number().int(), kind: z.string(), amount: z.string(), unit })),
});

export const queueQuery = z.object({
  scope: z.enum(['reviewer', 'committee']).describe('reviewer: your institutions’ applications; committee: individual assessments and appeals'),
  status: z.enum(['open', 'decided', 'all']).default('open'),
  institutionId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

export const certificationSettings = z.object({
  committeeQuorum: z.number().int().min(1).max(15).describe('committee votes that decide an individual assessment or an appeal'),
  appealWindowDays: z.number().int().min(1).max(365).describe('days after a rejection in which the learner may appeal'),
});

export const EVIDENCE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp'] as const;
