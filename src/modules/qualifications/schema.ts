// The wire shapes of qualifications: the requirements document a registrar publishes, audits,
// plans and awards. Credits travel as decimal text, as everywhere in the API.
import { z } from 'zod';
import { EXCLUSIONS } from '../../core/requirements/audit.js';
import { KINDS, ORIGINS } from '../../core/requirements/model.js';

const creditText = z.string().regex(/^\d{1,6}(\.\d{1,2})?$/, 'credits: zero or more, at most two decimals, e.g. "3.5"');
const nodeId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, 'letters, digits, "_", "." or "-", up to 40');
const courseCode = z.string().trim().min(1).max(40);
const titles = { id: nodeId, titleZh: z.string().trim().min(1).max(120), titleEn: z.string().trim().min(1).max(120) };
const countCap = z.strictObject({ count: z.int().min(0).max(1000).optional(), credits: creditText.optional() });

export const requirementsDoc = z.strictObject({
  totalCredits: creditText,
  root: z.array(nodeId).min(1).max(100),
  nodes: z
    .array(
      z.discriminatedUnion('kind', [
        z.strictObject({ ...titles, kind: z.literal('block'), children: z.array(nodeId).min(1).max(100), minCredits: creditText.optional() }),
        z.strictObject({ ...titles, kind: z.literal('courses'), courses: z.array(courseCode).min(1).max(200), pick: z.int().min(1).optional() }),
        z.strictObject({
          ...titles,
          kind: z.literal('credits'),
          minCredits: creditText,
          maxCredits: creditText.optional(),
          filter: z.strictObject({
            fields: z
              .array(z.string().regex(/^\d{2,4}$/, 'an ISCED-F code of 2 to 4 digits'))
              .min(1)
              .optional(),
            courses: z.array(courseCode).min(1).optional(),
            categories: z.array(z.string().trim().min(1).max(80)).min(1).optional(),
            origins: z.array(z.enum(ORIGINS)).min(1).optional(),
            minLevel: z.int().min(1).max(8).optional(),
          }),
        }),
      ]),
    )
    .min(1)
    .max(500),
  sharing: z.boolean().optional(),
  residency: creditText.optional(),
  recentYears: z.int().min(1).max(100).optional(),
  minLevel: z.int().min(1).max(8).optional(),
  countExternal: z.boolean().optional(),
  yearStartMonth: z.int().min(1).max(12).optional(),
  caps: z
    .strictObject({
      certificates: countCap.optional(),
      nonFormal: countCap.optional(),
      transferred: creditText.optional(),
      perSource: creditText.optional(),
      perYear: creditText.optional(),
      perSemester: creditText.optional(),
      /** The kinds of learning the period and per-institution caps govern, where not the defaults. */
      governs: z
        .strictObject({
          perYear: z.array(z.enum(KINDS)).optional(),
          perSemester: z.array(z.enum(KINDS)).optional(),
          perSource: z.array(z.enum(KINDS)).optional(),
        })
        .optional(),
    })
    .optional(),
  expectedAt: creditText.optional(),
  reuseSameLevel: z.boolean().optional(),
  /** Which attempt of a course taken more than once counts: the best passing one (default) or the latest. */
  retakes: z.enum(['best', 'latest']).optional(),
});
export type RequirementsDoc = z.infer<typeof requirementsDoc>;

const institutionRef = z.object({ id: z.uuid(), code: z.string(), nameZh: z.string(), nameEn: z.string() });
export const programmeRef = z.object({
  id: z.uuid(),
  code: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  qualification: z.string(),
  institution: institutionRef,
});

export const programmeRequirementsView = z.object({ programme: programmeRef, catalogueYear: z.int(), requirements: requirementsDoc });

const missing = z.object({ credits: z.string().optional(), courses: z.array(z.string()).optional(), pick: z.int().optional() });
type NodeView = {
  id: string;
  kind: 'block' | 'courses' | 'credits';
  titleZh: string;
  titleEn: string;
  satisfied: boolean;
  waived: boolean;
  credits: string;
  required: string | null;
  items: string[];
  missing: z.infer<typeof missing>;
  children?: NodeView[];
};
const nodeView: z.ZodType<NodeView> = z.lazy(() =>
  z.object({
    id: z.string(),
    kind: z.enum(['block', 'courses', 'credits']),
    titleZh: z.string(),
    titleEn: z.string(),
    satisfied: z.boolean(),
    waived: z.boolean(),
    credits: z.string(),
    required: z.string().nullable(),
    items: z.array(z.string()),
    missing,
    children: z.array(nodeView).optional(),
  }),
);
// A recursive shape must be named in the OpenAPI document's components, or its $ref leads nowhere.
z.globalRegistry.add(nodeView, { id: 'RequirementNode' });

export const itemView = z.object({
  id: z.string(),
  origin: z.enum(ORIGINS),
  courseCode: z.string().nullable(),
  titleZh: z.string(),
  titleEn: z.string(),
  source: z.string(),
  credits: z.string(),
  unit: z.enum(['credit', 'ects']),
  completedOn: z.string(),
  field: z.string(),
  level: z.int().nullable(),
});

export const EXCLUSION_REASONS = [...EXCLUSIONS, 'other_unit', 'used'] as const;

export const awardView = z.object({
  id: z.uuid(),
  status: z.enum(['applied', 'approved', 'rejected', 'withdrawn']),
  programme: programmeRef,
  catalogueYear: z.int(),
  learner: z.object({ id: z.uuid(), fullName: z.string(), accountNo: z.string() }),
  credits: z.string(),
  unit: z.enum(['credit', 'ects']),
  items: z.array(z.string()),
  appliedAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable().describe('the full name of who decided (not their user name)'),
  reason: z.string().nullable(),
});

const tally = z.object({ credits: z.string(), required: z.string(), satisfied: z.boolean() });
export const auditView = z.object({
  programme: programmeRef,
  catalogueYear: z.int(),
  catalogueChoice: z
    .object({
      entryYear: z.int().describe('the academic year the learner entered the programme (its first calendar year), or this year when no enrolment says'),
      from: z.enum(['enrolment', 'today']),
      versions: z.array(z.int()).describe('the catalogue years the programme published requirements for'),
      rule: z.enum(['latest_not_after_entry', 'earliest']).describe('the latest version not after the year of entry; the earliest when all are later'),
    })
    .describe('why the audit uses the requirements of catalogueYear'),
  complete: z.boolean(),
  exhaustive: z.boolean(),
  total: tally,
  residency: tally.nullable(),
  nodes: z.array(nodeView),
  items: z.array(itemView),
  counted: z.array(z.string()),
  unassigned: z.array(z.string()),
  /** With `of` for a retake or duplicate: the items that count instead. */
  excluded: z.array(z.object({ id: z.string(), reason: z.enum(EXCLUSION_REASONS), of: z.array(z.string()).optional() })),
  expected: z.object({ threshold: z.string(), credits: z.string(), eligible: z.boolean() }).nullable(),
  award: awardView.nullable(),
});
export const auditsView = z.object({ audits: z.array(auditView), countedTwice: z.array(z.string()) });
export const auditsQuery = z.object({
  programmes: z
    .string()
    .optional()
    .transform((s, ctx) => {
      const ids = (s ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      if (ids.length > 5) ctx.addIssue({ code: 'custom', message: 'at most 5 programmes at once' });
      if (ids.some((id) => !z.uuid().safeParse(id).success)) ctx.addIssue({ code: 'custom', message: 'programme ids, separated by commas' });
      return ids;
    }),
});

const courseRef = z.object({
  id: z.uuid(),
  code: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  credits: z.string(),
  unit: z.enum(['credit', 'ects']),
  institution: z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() }),
});
export const planView = z.object({
  programme: programmeRef,
  complete: z.boolean(),
  remaining: z.string(),
  earliestTerm: z.string().nullable(),
  perSemester: z.string().nullable(),
  perYear: z.string().nullable(),
  requirements: z.array(
    z.object({
      nodeId: z.string(),
      titleZh: z.string(),
      titleEn: z.string(),
      missing,
      options: z.array(z.object({ via: z.enum(['home', 'partner']), course: courseRef, countsAs: z.string().nullable() })),
    }),
  ),
});

export const expectedStatement = z.object({
  learner: z.object({ fullName: z.string(), accountNo: z.string() }),
  programme: programmeRef,
  credits: z.string(),
  threshold: z.string(),
  issuedOn: z.string(),
});

export const reasonBody = z.object({ reason: z.string().trim().min(3, 'say why, in a few words').max(2000) });
export const newException = z.object({
  programmeId: z.uuid(),
  nodeId,
  kind: z.enum(['waive', 'substitute']),
  itemId: z.string().max(120).optional(),
  courseCode: courseCode.optional(),
  reason: z.string().trim().min(3, 'say why, in a few words').max(2000),
});
export const exceptionView = z.object({
  id: z.uuid(),
  programmeId: z.uuid(),
  nodeId: z.string(),
  kind: z.enum(['waive', 'substitute']),
  itemId: z.string().nullable(),
  courseCode: z.string().nullable(),
  reason: z.string(),
  status: z.enum(['active', 'revoked']),
  createdAt: z.string(),
  createdBy: z.string().nullable().describe('the full name of who granted it (not their user name)'),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable().describe('the full name of who revoked it'),
  revokeReason: z.string().nullable(),
});
