import { z } from 'zod';

const tableGrade = z
  .object({
    label: z.string().trim().min(1).max(20),
    count: z.number().int().min(0).optional(),
    percentage: z.number().min(0).max(100).optional(),
  })
  .refine((g) => (g.count === undefined) !== (g.percentage === undefined), { message: 'give a count or a percentage' });

export const gradingTableInput = z.object({
  grades: z.array(tableGrade).min(1).max(100).describe('passing grades, best first'),
});

export const gradeConversionRequest = z.object({
  from: gradingTableInput.describe("the sending institution's grading table"),
  to: gradingTableInput.describe("the receiving institution's grading table"),
  grade: z.string().trim().min(1).max(20).describe('a grade of the sending table'),
  policy: z
    .enum(['min', 'max', 'average', 'largest-overlap'])
    .default('largest-overlap')
    .describe('which of several comparable grades the receiving institution takes'),
});

export const gradeConversionResponse = z.object({
  grade: z.string().describe('the suggested grade: a board confirms it'),
  candidates: z.array(z.object({ label: z.string(), overlap: z.number().describe('percentage points shared with the grade’s band') })),
  band: z.tuple([z.number(), z.number()]).describe('the band of the grade in the sending table, in percent from the top'),
  policy: z.enum(['min', 'max', 'average', 'largest-overlap']),
  smallGroup: z.object({ from: z.boolean(), to: z.boolean() }).describe('a table built from fewer than 30 grades is only indicative'),
});

// ---- agreements

const creditText = z.string().regex(/^\d{1,8}(\.\d{1,2})?$/, 'a decimal number with at most two decimals, e.g. "3.5"');
const isoDate = z.iso.date();
const isced = z.string().regex(/^\d{2}(\d{1,2})?$/, 'an ISCED-F 2013 code of 2, 3 or 4 digits, e.g. "0613"');
const policy = z.enum(['min', 'max', 'average', 'largest-overlap']);

export const rounding = z.object({
  mode: z.enum(['half_up', 'half_even', 'down', 'up']),
  step: z.number().int().min(1).max(100).describe('results land on multiples of this many hundredths: 1 = 0.01, 50 = 0.5, 100 = whole credits'),
});

const fixedTableFrom = z.object({
  from: z.uuid().describe('the party whose grades the table reads'),
  table: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('ranges'),
      bands: z
        .array(z.object({ min: z.number().min(0).max(1000), to: z.string().trim().min(1).max(20) }))
        .min(1)
        .max(50)
        .describe('numeric grades from `min` up become `to`'),
    }),
    z.object({
      type: z.literal('labels'),
      map: z.record(z.string().trim().min(1).max(20), z.string().trim().min(1).max(20)).describe('source grade → target grade'),
    }),
    z
      .object({ type: z.literal('pass_fail'), pass: z.string().trim().min(1).max(20).describe('the grade of the receiving scale that a Pass (合格) becomes') })
      .describe(
        'for a party with a pass/fail scale, under any grade method: what its Pass becomes on the other parties’ graded scales. Without one, a Pass is never turned into a number: such a line goes to an evaluator. Pass/fail to pass/fail stays Pass.',
      ),
  ]),
});

export const newAgreement = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9][A-Z0-9._-]{1,39}$/, 'upper-case letters, digits, dot, dash or underscore'),
    titleZh: z.string().trim().min(2).max(200),
    titleEn: z.string().trim().min(2).max(200),
    kind: z.enum(['bilateral', 'alliance']),
    partyIds: z.array(z.uuid()).min(2).max(50).describe('the institutions that sign; the proposing registrar’s institution is one of them'),
    iscedScope: z.array(isced).max(50).default([]).describe('fields it covers (codes or prefixes); empty: every field'),
    programmeScope: z.array(z.uuid()).max(50).default([]).describe('target programmes it covers; empty: every programme'),
    validFrom: isoDate,
    validTo: isoDate.nullable().default(null),
    capCredits: creditText.nullable().default(null).describe('most credits one learner may transfer under it'),
    ratio: z
      .object({ from: z.uuid().describe('a party'), num: z.number().int().min(1).max(1000), den: z.number().int().min(1).max(1000) })
      .nullable()
      .default(null)
      .describe('credits of the other party per credit of `from` (num/den), the inverse the other way; null: by the institutions’ hours per credit'),
    rounding: rounding.default({ mode: 'half_up', step: 50 }),
    gradeMethod: z
      .enum(['none', 'table', 'fixed', 'bavarian'])
      .default('table')
      .describe('table: ECTS grading tables by band overlap; fixed: the tables below; bavarian: the modified Bavarian formula onto German grades'),
    gradeTables: z
      .array(fixedTableFrom)
      .max(20)
      .default([])
      .describe(
        'fixed: one table per direction, from the named party’s scale to the others’; pass_fail entries (any method): what a pass/fail party’s Pass becomes',
      ),
    gradePolicy: policy.default('largest-overlap'),
  })
  .refine((a) => !a.validTo || a.validTo >= a.validFrom, {
    message: 'must not be before validFrom (the agreement is in force on both days)',
    path: ['validTo'],
  })
  .refine((a) => a.gradeMethod !== 'fixed' || a.gradeTables.some((t) => t.table.type !== 'pass_fail'), {
    message: 'a fixed-table agreement needs at least one table',
    path: ['gradeTables'],
  })
  .refine((a) => new Set(a.partyIds).size === a.partyIds.length, { message: 'each institution once', path: ['partyIds'] })
  .refine((a) => a.kind !== 'bilateral' || a.partyIds.length === 2, { message: 'a bilateral agreement has two parties', path: ['partyIds'] });

const institutionRef = z.object({ id: z.uuid(), code: z.string(), nameZh: z.string(), nameEn: z.string() });

export const agreement = z.object({
  id: z.uuid(),
  code: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  kind: z.enum(['bilateral', 'alliance']),
  parties: z.array(institutionRef.extend({ approvedAt: z.string().nullable() })),
  iscedScope: z.array(z.string()),
  programmeScope: z.array(z.uuid()),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  capCredits: z.string().nullable(),
  ratio: z.object({ from: z.uuid(), num: z.number().int(), den: z.number().int() }).nullable(),
  rounding,
  gradeMethod: z.enum(['none', 'table', 'fixed', 'bavarian']),
  gradeTables: z.array(fixedTableFrom),
  gradePolicy: policy,
  status: z.enum(['proposed', 'in_force', 'terminated']),
  createdAt: z.string(),
});

// ---- equivalences

const target = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('courses'), courseIds: z.array(z.uuid()).min(1).max(10) }),
  z.object({ kind: z.literal('elective'), category: z.string().trim().min(1).max(80), iscedCode: isced.nullable().default(null) }),
]);

export const newEquivalence = z
  .object({
    sourceInstitutionId: z.uuid(),
    targetInstitutionId: z.uuid(),
    sourceCourseIds: z.array(z.uuid()).min(1).max(10).describe('all of them are needed (many-to-one when several)'),
    target: target.describe('target course(s) (one-to-one, one-to-many) or unassigned elective credit'),
    minGrade: z.string().trim().min(1).max(20).nullable().default(null).describe('the lowest grade that transfers, in the source institution’s scale'),
    maxYears: z.number().int().min(1).max(60).nullable().default(null).describe('at most this many years since completion'),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.nullable().default(null),
    publicNote: z.string().trim().max(2000).default(''),
    privateNote: z.string().trim().max(2000).default(''),
    replaces: z.uuid().optional().describe('the equivalence this version replaces: it ends where this one starts'),
  })
  .refine((e) => !e.effectiveTo || e.effectiveTo >= e.effectiveFrom, {
    message: 'must not be before effectiveFrom (the rule is in force on both days)',
    path: ['effectiveTo'],
  })
  .refine((e) => e.sourceInstitutionId !== e.targetInstitutionId, { message: 'an equivalence is between two institutions', path: ['targetInstitutionId'] });

const courseRef = z.object({ id: z.uuid(), code: z.string(), titleZh: z.string(), titleEn: z.string(), credits: z.string() });

export const equivalence = z.object({
  id: z.uuid(),
  sourceInstitution: institutionRef,
  targetInstitution: institutionRef,
  sourceCourses: z.array(courseRef),
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('courses'), courses: z.array(courseRef) }),
    z.object({ kind: z.literal('elective'), category: z.string(), iscedCode: z.string().nullable() }),
  ]),
  minGrade: z.string().nullable(),
  maxYears: z.number().int().nullable(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  publicNote: z.string(),
  privateNote: z.string().nullable().describe('staff of the two institutions only'),
  status: z.enum(['active', 'retired']),
  version: z.number().int(),
  replaces: z.uuid().nullable(),
  createdAt: z.string(),
});

export const equivalenceQuery = z.object({
  sourceInstitutionId: z.uuid().optional(),
  targetInstitutionId: z.uuid().optional(),
  courseId: z.uuid().optional().describe('equivalences with this source course'),
  status: z.enum(['active', 'retired', 'all']).default('active'),
});

// ---- evaluation tasks

export const evaluationTask = z.object({
  id: z.uuid(),
  status: z.enum(['open', 'match', 'no_match']),
  sourceInstitution: institutionRef,
  targetInstitution: institutionRef,
  sourceCourse: courseRef.extend({
    hours: z.number().int(),
    iscedCode: z.string(),
    level: z.number().int().nullable(),
    outcomesZh: z.string(),
    outcomesEn: z.string(),
  }),
  equivalenceId: z.uuid().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

export const evaluationTaskDetail = evaluationTask.extend({
  candidates: z.array(
    courseRef.extend({
      hours: z.number().int(),
      iscedCode: z.string(),
      outcomesZh: z.string(),
      outcomesEn: z.string(),
      score: z.number().describe('BM25 similarity of titles and learning outcomes'),
    }),
  ),
});

export const newEvaluationTask = z.object({ sourceCourseId: z.uuid(), targetInstitutionId: z.uuid() });

export const taskDecision = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('match'),
    target: target,
    minGrade: z.string().trim().min(1).max(20).nullable().default(null),
    maxYears: z.number().int().min(1).max(60).nullable().default(null),
    effectiveFrom: isoDate,
    publicNote: z.string().trim().max(2000).default(''),
    privateNote: z.string().trim().max(2000).default(''),
  }),
  z.object({ decision: z.literal('no_match'), reason: z.string().trim().min(3, 'say why, in a few words').max(2000) }),
]);

// ---- grading tables

export const buildTableRequest = z
  .object({
    iscedCode: isced,
    cycle: z.enum(['short', 'first', 'second', 'third']).default('first'),
    fromYear: z.number().int().min(1990).max(2100).describe('first calendar year of completions counted'),
    toYear: z.number().int().min(1990).max(2100),
    publish: z.boolean().default(false).describe('false: a preview; true: published for conversions'),
  })
  .refine((b) => b.toYear - b.fromYear >= 1, { message: 'a reference group spans at least two years', path: ['toYear'] });

export const gradingTable = z.object({
  id: z.uuid().nullable().describe('null for a preview'),
  institution: institutionRef,
  iscedCode: z.string(),
  cycle: z.enum(['short', 'first', 'second', 'third']),
  fromYear: z.number().int(),
  toYear: z.number().int(),
  total: z.number().int().nullable().describe('null for a table imported with percentages only'),
  small: z.boolean().describe('fewer than 30 grades: conversions from it are only indicative'),
  source: z.enum(['recorded', 'ewp']).describe('recorded: built from recorded grades; ewp: imported from an Erasmus Without Paper grading table'),
  rows: z.array(z.object({ label: z.string(), count: z.number().int().nullable(), percentage: z.number(), cumulative: z.number() })),
  publishedAt: z.string().nullable(),
  /** The Erasmus Without Paper shape: ISCED code and (label, percentage) pairs. */
  ewp: z.object({ iscedCode: z.string(), gradeFrequencies: z.array(z.object({ label: z.string(), percentage: z.string() })) }),
});

// ---- will it transfer?

export const transferCheck = z
  .object({
    targetInstitutionId: z.uuid(),
    programmeId: z.uuid().optional().describe('the target programme, when the agreement is limited to some'),
    mine: z.boolean().default(false).describe('signed in as a learner: check every course result in your account'),
    sourceInstitutionId: z.uuid().optional().describe('without an account: the institution of the courses'),
    courses: z
      .array(
        z.object({
          courseId: z.uuid(),
          grade: z.string().trim().min(1).max(20).optional().describe('omit to ask whether a pass transfers'),
          completedOn: isoDate.optional(),
        }),
      )
      .max(200)
      .default([]),
    requestEvaluation: z.boolean().default(false).describe('signed in: send courses nobody has evaluated to the target’s reviewers'),
  })
  .refine((b) => b.mine || (b.sourceInstitutionId && b.courses.length > 0), {
    message: 'pick an institution and its courses, or check your own account',
    path: ['courses'],
  });

export const transferVerdict = z.object({
  outcomeId: z.uuid().nullable(),
  sourceInstitution: institutionRef,
  course: courseRef,
  grade: z.string().nullable(),
  status: z.enum(['match', 'maybe', 'miss']),
  reason: z.string().nullable(),
  target: z.object({ kind: z.enum(['courses', 'elective']), courses: z.array(courseRef), category: z.string().nullable() }).nullable(),
  credits: z.string().nullable().describe('credits at the target institution, converted'),
  unit: z.enum(['credit', 'ects']).nullable(),
  convertedGrade: z
    .object({ grade: z.string(), method: z.string(), candidates: z.array(z.object({ label: z.string(), overlap: z.number() })), note: z.string().nullable() })
    .nullable(),
  agreement: z.object({ id: z.uuid(), code: z.string(), titleZh: z.string(), titleEn: z.string() }).nullable(),
  equivalenceId: z.uuid().nullable(),
  publicNote: z.string().nullable(),
  evaluationTaskId: z.uuid().nullable(),
});
export type TransferVerdict = z.infer<typeof transferVerdict>;

// ---- transfer applications

export const newTransfer = z.object({
  targetInstitutionId: z.uuid(),
  programmeId: z.uuid().optional(),
  outcomeIds: z.array(z.uuid()).min(1).max(100).describe('course results from your account to have recognised'),
});

const lineTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('courses'), courseIds: z.array(z.uuid()).min(1).max(10) }),
  z.object({ kind: z.literal('elective'), category: z.string().trim().min(1).max(80) }),
]);

export const transferDecision = z.object({
  lines: z
    .array(
      z.object({
        lineNo: z.number().int().min(1),
        decision: z.enum(['accept', 'substitute', 'reject']),
        target: lineTarget.optional().describe('substitute: what the credit becomes'),
        credits: creditText.optional().describe('substitute: the credits granted, in the target institution’s unit'),
        reason: z.string().trim().min(3, 'say why, in a few words').max(2000).optional().describe('required to reject or substitute'),
      }),
    )
    .min(1)
    .max(100),
});

export const transferPolicy = z.object({
  capPerSource: creditText.nullable().describe('most credits one learner may transfer in from any one institution'),
  capTotal: creditText.nullable().describe('most credits one learner may transfer in, in all'),
});

export const transferLine = z.object({
  lineNo: z.number().int(),
  credentialSubject: z.uuid().describe('what a credential of this credit is filed under (its subjectId)'),
  outcomeId: z.uuid(),
  sourceInstitution: institutionRef,
  course: courseRef,
  sourceCredits: z.string(),
  sourceUnit: z.enum(['credit', 'ects']),
  grade: z.string().nullable(),
  proposal: transferVerdict,
  status: z.enum(['pending', 'accepted', 'substituted', 'rejected', 'withdrawn']),
  target: z.object({ kind: z.enum(['courses', 'elective']), courses: z.array(courseRef), category: z.string().nullable() }).nullable(),
  credits: z.string().nullable(),
  unit: z.enum(['credit', 'ects']).nullable(),
  convertedGrade: z.string().nullable(),
  reason: z.string().nullable(),
  decidedAt: z.string().nullable(),
});

export const transferApplication = z.object({
  id: z.uuid(),
  learnerId: z.uuid(),
  learnerName: z.string(),
  targetInstitution: institutionRef,
  programmeId: z.uuid().nullable(),
  status: z.enum(['submitted', 'decided', 'withdrawn']),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  withdrawal: z
    .object({
      at: z.string(),
      by: z.enum(['learner', 'registrar']).describe('the learner withdrew it while it waited, or the target’s registrar reversed the decision'),
      reason: z.string(),
    })
    .nullable()
    .describe('the transition to withdrawn: when, by whom, why (null for an application withdrawn before these were kept)'),
  lines: z.array(transferLine),
  postings: z.array(
    z.object({
      lineNo: z.number().int(),
      seq: z.number().int(),
      kind: z.string(),
      amount: z.string(),
      unit: z.enum(['credit', 'ects']),
      reverses: z.string().nullable().describe('for a reversal: the kind of posting it undid'),
    }),
  ),
});

// ---- learning agreements (exchange mobility)

const laLine = z.object({
  hostCourseIds: z.array(z.uuid()).min(1).max(10).describe('courses the learner takes at the host'),
  homeCourseIds: z.array(z.uuid()).min(1).max(10).describe('home courses they replace once passed'),
});

export const newLearningAgreement = z
  .object({
    learnerId: z.uuid().optional().describe('a home registrar proposing for a learner; learners omit it'),
    homeInstitutionId: z.uuid(),
    hostInstitutionId: z.uuid(),
    periodFrom: isoDate,
    periodTo: isoDate,
    lines: z.array(laLine).min(1).max(30),
  })
  .refine((b) => b.periodTo > b.periodFrom, { message: 'must be after periodFrom', path: ['periodTo'] })
  .refine((b) => b.homeInstitutionId !== b.hostInstitutionId, { message: 'the host is another institution', path: ['hostInstitutionId'] });

export const learningAgreementChange = z.object({
  lines: z.array(laLine).min(1).max(30),
  reason: z.string().trim().min(3, 'say why, in a few words').max(2000),
});

const laVersion = z.object({
  version: z.number().int(),
  lines: z.array(z.object({ hostCourses: z.array(courseRef), homeCourses: z.array(courseRef) })),
  reason: z.string().nullable(),
  accepted: z.object({ learner: z.string().nullable(), home: z.string().nullable(), host: z.string().nullable() }).describe('when each party accepted'),
  binding: z.boolean().describe('all three have accepted'),
});

export const learningAgreement = z.object({
  id: z.uuid(),
  learnerId: z.uuid(),
  learnerName: z.string(),
  homeInstitution: institutionRef,
  hostInstitution: institutionRef,
  periodFrom: z.string(),
  periodTo: z.string(),
  status: z.enum(['active', 'withdrawn']),
  /** The version in force: the newest one all three have accepted. */
  current: laVersion.nullable(),
  /** A change waiting for acceptance, if any. */
  pending: laVersion.nullable(),
  versions: z.array(laVersion),
});
