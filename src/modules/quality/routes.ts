import { z } from 'zod';
import { PUBLIC } from '../../http/guards.js';
import type { App, Deps } from '../../http/types.js';
import { sendSheets } from '../imports/files.js';
import { myRatings, rateDecision } from './ratings.js';
import { rulesReport, rulesSheets } from './rules.js';
import { listReports, reportFile, requestReport } from './reports.js';
import { indicators, reportSheets } from './service.js';
import { attachment, CONTENT_TYPES } from '../imports/files.js';
import { BROAD_FIELDS } from '../../core/isced.js';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2025-01-31')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a real date');
const period = z.object({ from: day, to: day, institution: z.uuid().optional() });
const institution = z.object({ id: z.uuid(), code: z.string(), nameZh: z.string(), nameEn: z.string() });
const fieldKeys = Object.keys(BROAD_FIELDS).sort() as [string, ...string[]]; // '10' and '99' would come first: integer-like keys
const indicatorQuery = period.extend({ field: z.enum(fieldKeys, { error: `an ISCED-F broad field: ${fieldKeys.join(', ')}` }).optional() });
const broadFieldSchema = z.object({ key: z.string(), labelZh: z.string(), labelEn: z.string() });

export async function qualityRoutes(app: App, { database: { db }, config }: Deps) {
  const offset = config.reportUtcOffset;
  app.get(
    '/api/v1/quality/indicators',
    {
      schema: {
        tags: ['quality'],
        summary:
          'Quality indicators of a period [from, to), of one ISCED-F broad field when `field` is given, each with its definition (staff: their institution; the committee and administrators: the alliance)',
        querystring: indicatorQuery,
        response: {
          200: z.object({
            period: z.object({ from: z.string(), to: z.string() }),
            field: broadFieldSchema.nullable(),
            scope: z.enum(['alliance', 'institutions']),
            institutionIds: z.array(z.string()),
            minCell: z.number(),
            indicators: z.array(
              z.object({
                id: z.string(),
                unit: z.string(),
                titleZh: z.string(),
                titleEn: z.string(),
                formulaZh: z.string(),
                formulaEn: z.string(),
                value: z.number().nullable(),
              }),
            ),
            rejectionReasons: z.array(z.object({ reason: z.string().nullable(), count: z.number(), learners: z.number(), suppressed: z.boolean() })),
            pairs: z.array(
              z.object({
                source: institution,
                target: institution,
                decided: z.number().nullable(),
                accepted: z.number().nullable(),
                credits: z.number().nullable(),
                learners: z.number().nullable(),
                suppressed: z.boolean(),
              }),
            ),
            breakdown: z.array(
              z.object({
                dimension: z.enum(['kind', 'field']),
                key: z.string(),
                labelZh: z.string().nullable(),
                labelEn: z.string().nullable(),
                certification: z.object({ submitted: z.number(), decided: z.number(), acceptanceRate: z.number().nullable(), credits: z.number() }).nullable(),
                transfer: z.object({ decided: z.number(), acceptanceRate: z.number().nullable(), credits: z.number() }).nullable(),
                suppressed: z.boolean(),
              }),
            ),
            ledger: z.object({
              through: z.string().nullable(),
              rows: z.array(z.object({ cause: z.string(), unit: z.string(), credited: z.number(), used: z.number(), postings: z.number() })),
            }),
            funnels: z.array(
              z.object({
                workflow: z.enum(['certification', 'transfer', 'award']),
                stages: z.array(z.object({ id: z.string(), labelZh: z.string(), labelEn: z.string(), count: z.number().nullable() })),
              }),
            ),
            spread: z.array(
              z.object({
                source: institution,
                target: institution,
                lines: z.number().nullable(),
                meanShift: z.number().nullable(),
                sd: z.number().nullable(),
                lower: z.number().nullable(),
                same: z.number().nullable(),
                higher: z.number().nullable(),
                suppressed: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (req) =>
      indicators(db, req.principal, { from: req.query.from, to: req.query.to, institutionId: req.query.institution, field: req.query.field, offset }),
  );
  app.get(
    '/api/v1/quality/fields',
    {
      schema: {
        security: PUBLIC,
        tags: ['quality'],
        summary: 'The ISCED-F 2013 broad fields the indicators can be narrowed to (`99`: field unknown)',
        response: { 200: z.object({ items: z.array(broadFieldSchema) }) },
      },
    },
    async () => ({ items: fieldKeys.map((key) => ({ key, labelZh: BROAD_FIELDS[key]!.zh, labelEn: BROAD_FIELDS[key]!.en })) }),
  );
  app.get(
    '/api/v1/quality/indicators.:format',
    {
      schema: {
        tags: ['quality'],
        summary: 'The same report as a file: XLSX with every table, or CSV of one (`table`: indicators, reasons, pairs, breakdown, ledger, funnels, spread)',
        params: z.object({ format: z.enum(['csv', 'xlsx']) }),
        querystring: indicatorQuery.extend({
          table: z.enum(['indicators', 'reasons', 'pairs', 'breakdown', 'ledger', 'funnels', 'spread']).default('indicators'),
        }),
      },
    },
    async (req, reply) => {
      const report = await indicators(db, req.principal, {
        from: req.query.from,
        to: req.query.to,
        institutionId: req.query.institution,
        field: req.query.field,
        offset,
      });
      const sheets = reportSheets(report);
      const first = { indicators: 0, reasons: 1, pairs: 2, breakdown: 3, ledger: 4, funnels: 5, spread: 6 }[req.query.table];
      const name = `quality-${report.period.from}-${report.period.to}${report.field ? `-field-${report.field.key}` : ''}`;
      return sendSheets(reply, req.params.format, name, req.params.format === 'csv' ? [sheets[first]!] : sheets);
    },
  );

  app.get(
    '/api/v1/quality/rule-audit',
    {
      schema: {
        tags: ['quality'],
        summary:
          'Every conversion standard and equivalence with its use, acceptance, reviewers’ disagreement and changes in the period, at a log checkpoint (staff: their institution’s rules)',
        querystring: period,
        response: {
          200: z.object({
            period: z.object({ from: z.string(), to: z.string() }),
            computedAt: z.string(),
            checkpoint: z.object({ origin: z.string(), size: z.number(), root: z.string() }),
            thresholds: z.object({ minDecisionsPerReviewer: z.number(), gapPoints: z.number() }),
            rules: z.array(
              z.object({
                id: z.string(),
                kind: z.enum(['standard', 'equivalence']),
                label: z.string(),
                status: z.string(),
                institution,
                code: z.string().nullable(),
                version: z.number(),
                nameZh: z.string().nullable(),
                nameEn: z.string().nullable(),
                source: z.object({ institution: z.string(), courses: z.string() }).nullable(),
                target: z.object({ institution: z.string(), courses: z.string().nullable(), elective: z.string().nullable() }).nullable(),
                uses: z.number(),
                approved: z.number(),
                acceptanceRate: z.number().nullable(),
                reviewers: z.array(z.object({ reviewer: z.string(), uses: z.number(), acceptanceRate: z.number() })),
                disagreement: z.number().nullable(),
                changes: z.array(
                  z.object({ ruleId: z.string(), at: z.string(), action: z.string(), actor: z.string().nullable(), why: z.string().nullable() }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (req) => rulesReport(db, req.principal, { from: req.query.from, to: req.query.to, institutionId: req.query.institution, offset }),
  );
  app.get(
    '/api/v1/quality/rule-audit.:format',
    {
      schema: {
        tags: ['quality'],
        summary: 'The rule audit as a file for a third-party auditor: XLSX (rules and changes) or CSV (rules)',
        params: z.object({ format: z.enum(['csv', 'xlsx']) }),
        querystring: period,
      },
    },
    async (req, reply) => {
      const report = await rulesReport(db, req.principal, { from: req.query.from, to: req.query.to, institutionId: req.query.institution, offset });
      return sendSheets(reply, req.params.format, `rule-audit-${report.period.from}-${report.period.to}`, rulesSheets(report));
    },
  );
  const reportView = z.object({
    id: z.string(),
    scope: z.enum(['alliance', 'institution']),
    institution: institution.nullable(),
    month: z.string(),
    status: z.enum(['pending', 'ready', 'failed']),
    error: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    requestedBy: z.string().nullable(),
    pdfBytes: z.number().nullable(),
    xlsxBytes: z.number().nullable(),
    latest: z.boolean().describe('the newest ready report of its scope and month'),
  });
  app.get(
    '/api/v1/quality/reports',
    {
      schema: {
        tags: ['quality'],
        summary: 'Monthly quality reports with their history, newest first (staff: their institution’s; the committee and administrators: all)',
        querystring: z.object({ institution: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(reportView) }) },
      },
    },
    async (req) => ({ items: await listReports(db, req.principal, req.query.institution) }),
  );
  app.post(
    '/api/v1/quality/reports',
    {
      schema: {
        tags: ['quality'],
        summary: 'Make the report of an ended month again, in the background: the alliance’s (no institution) or an institution’s',
        body: z.object({ month: z.string().regex(/^(19|20)\d\d-(0[1-9]|1[0-2])$/, 'a month such as 2026-10'), institution: z.uuid().optional() }),
        response: { 202: reportView },
      },
    },
    async (req, reply) => reply.code(202).send(await requestReport(db, req.principal, { month: req.body.month, institutionId: req.body.institution }, offset)),
  );
  app.get(
    '/api/v1/quality/reports/:id.:format',
    { schema: { tags: ['quality'], summary: 'A report as PDF or XLSX', params: z.object({ id: z.uuid(), format: z.enum(['pdf', 'xlsx']) }) } },
    async (req, reply) => {
      const { report, file } = await reportFile(db, req.principal, req.params.id, req.params.format);
      const scope = report.institution?.code ?? 'alliance';
      return reply
        .header('content-type', req.params.format === 'pdf' ? 'application/pdf' : CONTENT_TYPES.xlsx)
        .header('content-disposition', attachment(`quality-report-${scope}-${report.month}.${req.params.format}`))
        .send(file);
    },
  );

  const rating = z.object({
    subjectType: z.enum(['certification', 'transfer']),
    subjectId: z.uuid(),
    rating: z.int().min(1).max(5),
    comment: z.string().trim().max(1000).default(''),
  });
  const ratingView = rating.extend({ comment: z.string(), updatedAt: z.string() });
  app.post(
    '/api/v1/me/ratings',
    {
      schema: {
        tags: ['quality'],
        summary: 'Rate the decision on one of my decided applications, 1–5 with a comment (a later rating replaces it)',
        body: rating,
        response: { 200: ratingView },
      },
    },
    async (req) => rateDecision(db, req.principal, req.body),
  );
  app.get(
    '/api/v1/me/ratings',
    { schema: { tags: ['quality'], summary: 'My ratings of decisions', response: { 200: z.object({ items: z.array(ratingView) }) } } },
    async (req) => ({ items: await myRatings(db, req.principal) }),
  );
}
