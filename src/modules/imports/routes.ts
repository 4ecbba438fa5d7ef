import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { AppError, invalid } from '../../errors.js';
import { PUBLIC } from '../../http/guards.js';
import type { App, Deps } from '../../http/types.js';
import { idParams } from '../institutions/schema.js';
import { COLUMNS, headerText, IMPORT_KINDS, type ImportKind } from './columns.js';
import { learnerExport, institutionExport } from './exports.js';
import { sendSheets, type Sheet } from './files.js';
import { readRows } from './read.js';
import { ensureUploadsDir, uploadsDir } from './uploads.js';
import * as service from './service.js';

const kind = z.enum(IMPORT_KINDS as [ImportKind, ...ImportKind[]]);
const format = z.enum(['csv', 'xlsx']);
const modeQuery = z.object({
  mode: z.enum(['dry_run', 'commit']).default('dry_run').describe('dry_run checks and reports, changing nothing'),
  partial: z.enum(['true', 'false']).default('false').describe('commit the valid rows and report the rest (default: all or nothing)'),
  wait: z.enum(['true', 'false']).default('false').describe('answer when the import has finished instead of at once'),
});
const toMode = (q: z.infer<typeof modeQuery>): service.ImportMode => (q.mode === 'dry_run' ? 'dry_run' : q.partial === 'true' ? 'partial' : 'all_or_nothing');

const job = z.object({
  id: z.uuid(),
  institutionId: z.uuid(),
  kind,
  source: z.enum(['upload', 'api', 'cli']),
  filename: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  mode: z.enum(['dry_run', 'all_or_nothing', 'partial']),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  committed: z.boolean(),
  rowsRead: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  message: z.string().nullable(),
  progress: z.number(),
  phase: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
const issue = z.object({ rowNumber: z.number().int(), column: z.string().nullable(), value: z.string().nullable(), reason: z.string() });
const REPORT_HEADER = ['行号 Row', '列 Column', '值 Value', '原因 Reason'];

export async function importRoutes(app: App, { database: { db }, config }: Deps) {
  const uploads = uploadsDir(config.dataDir);

  app.get(
    '/api/v1/imports/templates/:kind.:format',
    {
      schema: {
        security: PUBLIC,
        tags: ['imports'],
        summary: 'An import template: bilingual headers and one example row (public)',
        params: z.object({ kind, format }),
      },
    },
    async (req, reply) => {
      const cols = COLUMNS[req.params.kind];
      const notes: Sheet = {
        name: '说明 Notes',
        header: ['列 Column', '必填 Required', '说明 Notes'],
        rows: cols.map((c) => [headerText(c), c.required ? '是 yes' : '否 no', c.hint ?? '']),
        widths: [36, 14, 70],
      };
      const sheet: Sheet = { name: req.params.kind, header: cols.map(headerText), rows: [cols.map((c) => c.example)] };
      return sendSheets(reply, req.params.format, `template-${req.params.kind}`, [sheet, notes]);
    },
  );

  app.post(
    '/api/v1/institutions/:id/imports/:kind',
    {
      schema: {
        tags: ['imports'],
        summary: 'Upload a CSV or XLSX file (multipart/form-data, field "file") to import; answers 202 with the job to follow, or 200 when wait=true',
        params: idParams.extend({ kind }),
        querystring: modeQuery,
        response: { 200: job, 202: job },
      },
    },
    async (req, reply) => {
      await service.assertCanImport(db, req.principal, req.params.id); // before a byte is stored
      if (req.params.kind === 'learners') await service.assertIdentityLookups(db, req.principal, req.params.id, config.identityLookupsPerHour, 1);
      if (!req.isMultipart())
        throw new AppError('invalid', 'Send the file as multipart/form-data in a field named "file"', [{ path: 'body.file', message: 'is required' }], {
          code: 'file_required',
        });
      const file = await req.file({ limits: { fileSize: config.uploadLimitBytes, files: 1 } });
      if (!file) throw invalid('body.file', 'is required');
      ensureUploadsDir(uploads);
      const tmp = path.join(uploads, `.${randomUUID()}.part`);
      const hash = createHash('sha256');
      let size = 0;
      file.file.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      await pipeline(file.file, fs.createWriteStream(tmp, { mode: 0o600 })); // it holds ID numbers
      if (file.file.truncated) {
        fs.rmSync(tmp, { force: true });
        throw new AppError(
          'too_large',
          `The file is larger than ${Math.round(config.uploadLimitBytes / 1_048_576)} MiB, the most this server accepts`,
          [{ path: 'body.file', message: 'is too large' }],
          { code: 'too_large', maxMiB: Math.round(config.uploadLimitBytes / 1_048_576) },
        );
      }
      const sha256 = hash.digest('hex');
      const ext = path
        .extname(file.filename)
        .toLowerCase()
        .replace(/[^.a-z0-9]/g, '');
      const stored = path.join(uploads, `${sha256}${ext}`);
      fs.renameSync(tmp, stored); // content-addressed: the same file is kept once
      const { job: created, actor } = await service.createJob(db, req.principal, req.params.id, {
        kind: req.params.kind,
        mode: toMode(req.query),
        source: 'upload',
        filename: file.filename.slice(0, 200),
        sha256,
        sizeBytes: size,
      });
      const source: service.RowSource = (onBytes) => readRows(stored, COLUMNS[req.params.kind], { onBytes, maxBytes: config.uploadLimitBytes });
      const run = service.runJob(db, actor, created, source, { identityLookupsPerHour: config.identityLookupsPerHour });
      if (req.query.wait === 'true') return reply.code(200).send(service.presentJob(await run));
      run.catch((err: unknown) => req.log.error({ err }, 'import failed'));
      return reply.code(202).send(service.presentJob(created));
    },
  );

  app.post(
    '/api/v1/institutions/:id/imports/:kind/rows',
    {
      schema: {
        tags: ['imports'],
        summary: 'Import a JSON batch of rows (for academic-affairs systems pushing nightly); keys are column keys or headers; answers when done',
        params: idParams.extend({ kind }),
        body: z.object({
          mode: z.enum(['dry_run', 'all_or_nothing', 'partial']).default('all_or_nothing'),
          rows: z
            .array(z.record(z.string(), z.union([z.string(), z.number(), z.null()])))
            .min(1)
            .max(10_000),
        }),
        response: {
          200: job.extend({
            issues: z.array(issue).describe('the refused rows (the first 1000)'),
            notes: z.array(issue).describe('what the rows with a result status (缺考, 免修, 补考 …) record (the first 1000)'),
          }),
        },
      },
    },
    async (req) => {
      if (req.params.kind === 'learners') {
        await service.assertCanImport(db, req.principal, req.params.id);
        await service.assertIdentityLookups(db, req.principal, req.params.id, config.identityLookupsPerHour, req.body.rows.length);
      }
      const { job: created, actor } = await service.createJob(db, req.principal, req.params.id, { kind: req.params.kind, mode: req.body.mode, source: 'api' });
      const done = await service.runJob(db, actor, created, service.jsonRows(req.params.kind, req.body.rows), {
        identityLookupsPerHour: config.identityLookupsPerHour,
      });
      const [issues, notes] = [
        await service.jobIssues(db, req.principal, done.id, -1, 1000),
        await service.jobIssues(db, req.principal, done.id, -1, 1000, 'note'),
      ];
      return { ...service.presentJob(done), issues, notes };
    },
  );

  app.get(
    '/api/v1/institutions/:id/imports',
    { schema: { tags: ['imports'], summary: "The institution's recent imports", params: idParams, response: { 200: z.object({ items: z.array(job) }) } } },
    async (req) => ({ items: await service.listJobs(db, req.principal, req.params.id) }),
  );

  app.get(
    '/api/v1/imports/:id',
    { schema: { tags: ['imports'], summary: 'An import: status, progress, counts', params: idParams, response: { 200: job } } },
    async (req) => service.getJob(db, req.principal, req.params.id),
  );

  app.get(
    '/api/v1/imports/:id/issues',
    {
      schema: {
        tags: ['imports'],
        summary: "An import's refused rows (or its changes, or its notes on result statuses): row number, column, value and reason",
        params: idParams,
        querystring: z.object({
          afterRow: z.coerce.number().int().min(-1).default(-1),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
          level: z
            .enum(['error', 'change', 'note'])
            .default('error')
            .describe(
              'error: refused rows; change: rows that update stored records, and how; note: what rows with a result status (缺考, 免修, 补考 …) record',
            ),
        }),
        response: { 200: z.object({ items: z.array(issue) }) },
      },
    },
    async (req) => ({
      items: (await service.jobIssues(db, req.principal, req.params.id, req.query.afterRow, req.query.limit, req.query.level)).map(
        ({ jobId: _j, level: _l, ...i }) => i,
      ),
    }),
  );

  app.get(
    '/api/v1/imports/:id/report.:format',
    { schema: { tags: ['imports'], summary: "An import's report as a file", params: idParams.extend({ format }) } },
    async (req, reply) => {
      const j = await service.getJob(db, req.principal, req.params.id);
      const listed = (level: 'error' | 'change' | 'note') =>
        (async function* () {
          for await (const i of service.allIssues(db, req.principal, j.id, level)) yield [i.rowNumber || '', i.column, i.value, i.reason];
        })();
      const summary: Sheet = {
        name: '汇总 Summary',
        header: ['项目 Item', '值 Value'],
        rows: [
          ['文件 File', j.filename ?? '(API)'],
          ['类型 Kind', j.kind],
          ['方式 Mode', j.mode],
          ['状态 Status', j.status],
          ['已写入 Committed', j.committed ? '是 yes' : '否 no'],
          ['读取行数 Rows read', j.rowsRead],
          ['接受 Accepted', j.accepted],
          ['新建 Created', j.created],
          ['更新 Updated', j.updated],
          ['跳过 Skipped (unchanged)', j.skipped],
          ['拒绝 Rejected', j.rejected],
          ['说明 Message', j.message],
        ],
        widths: [28, 60],
      };
      const refused: Sheet = { name: '拒绝 Refused', header: REPORT_HEADER, rows: listed('error'), widths: [10, 28, 24, 80] };
      const changes: Sheet = {
        name: '变更 Changes',
        header: ['行号 Row', '变更 Change'],
        rows: (async function* () {
          for await (const [row, , , reason] of listed('change')) yield [row, reason];
        })(),
        widths: [10, 80],
      };
      const notes: Sheet = { name: '成绩标志 Statuses', header: REPORT_HEADER, rows: listed('note'), widths: [10, 28, 24, 80] };
      return sendSheets(reply, req.params.format, `import-report-${j.id.slice(0, 8)}`, [refused, summary, changes, notes]);
    },
  );

  app.get(
    '/api/v1/institutions/:id/export/:kind.:format',
    {
      schema: {
        tags: ['imports'],
        summary: "Export the institution's records in the import columns (ID numbers masked)",
        params: idParams.extend({ kind, format }),
      },
    },
    async (req, reply) => {
      const sheet = await institutionExport(db, req.principal, req.params.id, req.params.kind);
      return sendSheets(reply, req.params.format, sheet.name, [sheet]);
    },
  );

  app.get(
    '/api/v1/learners/:id/export.:format',
    {
      schema: {
        tags: ['imports'],
        summary: "A learner's full record as a file (the learner, their institutions' staff, administrators)",
        params: idParams.extend({ format }),
      },
    },
    async (req, reply) => {
      const { filename, sheets } = await learnerExport(db, req.principal, req.params.id);
      return sendSheets(reply, req.params.format, filename, sheets);
    },
  );
}
