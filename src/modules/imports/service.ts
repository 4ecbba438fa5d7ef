// Bulk imports from academic-affairs systems. The first pass reads the file, streaming, checks
// every row (and classifies it as create / update / skip against what is stored) and writes
// nothing but the report; the second pass, only when the mode allows, writes in one transaction.
// A dry run stops after the first pass; an all-or-nothing import stops there too when any row was
// refused. Most kinds read the file again for the second pass; course results, which come by the
// million, are staged in the database by the first pass and classified and written from there.
import { normalizeCell } from '../../core/imports/values.js';
import type { Db, Tx } from '../../db/connection.js';
import { ERROR_CODES } from '../../error-codes.js';
import { AppError, conflict, notFound } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, type Actor, type Principal } from '../auth/principal.js';
import { authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { courseMap, listProgrammesOf } from '../catalog/service.js';
import { defaultScale, getInstitution } from '../institutions/service.js';
import { recordConflicts } from '../learners/enrolment-requests.js';
import { importFinished } from '../notifications/events.js';
import { assertIdentityLookups as assertLookups, claimIdentityLookups, IDENTITY_LOOKUPS } from '../learners/service.js';
import { COLUMNS, headerText, type ImportKind } from './columns.js';
import { HANDLERS, type Classified, type Context, type Handler, type Issue, type Parsed, type StagedHandler } from './handlers.js';
import { ImportFileError, type RawRow } from './read.js';
import * as store from './store.js';

export type ImportMode = 'dry_run' | 'all_or_nothing' | 'partial';
export type IssueLevel = 'error' | 'change' | 'note';

const BATCH = 1000;
/** Staged kinds check bigger batches: a batch costs one look-up of its learners and one write to the stage. */
const STAGE_BATCH = 5000;
/** Issues kept for the report; beyond this, rows are still counted. */
const MAX_ISSUES = 100_000;

export interface Progress {
  phase: 'queued' | 'checking' | 'writing' | 'done';
  rowsRead: number;
  bytesRead: number;
  totalBytes: number;
}

/** Progress of the jobs this process is running (a job's final counts are in the database). */
const running = new Map<string, Progress>();

export function progressOf(jobId: string): Progress | undefined {
  return running.get(jobId);
}

/** A source of rows that can be read more than once (a file on disk, or a JSON batch). */
export type RowSource = (onBytes?: (read: number, total: number) => void) => AsyncIterable<RawRow>;

/** Rows given as JSON objects, keyed by column key ("grade") or by header ("成绩" / "Grade"). */
export function jsonRows(kind: ImportKind, rows: Record<string, unknown>[]): RowSource {
  const byHeader = new Map<string, string>();
  for (const c of COLUMNS[kind])
    for (const h of [c.key, c.zh, c.en, headerText(c), ...(c.aliases ?? [])]) byHeader.set(h.toLowerCase().replace(/\s+/g, ''), c.key);
  return async function* () {
    for (const [i, row] of rows.entries()) {
      const cells: Record<string, string> = {};
      for (const [k, v] of Object.entries(row)) {
        const key = byHeader.get(k.toLowerCase().replace(/\s+/g, ''));
        if (key && v !== null && v !== undefined) cells[key] = normalizeCell(String(v));
      }
      yield { rowNumber: i + 1, cells };
    }
  };
}

/** Checks that the caller may import for the institution, before any upload is read or stored. */
export async function assertCanImport(db: Db, p: Principal, institutionId: string) {
  authorized(p, 'import.run', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  await getInstitution(db, institutionId);
}

export async function createJob(
  db: Db,
  p: Principal,
  institutionId: string,
  v: { kind: ImportKind; mode: ImportMode; source: 'upload' | 'api' | 'cli'; filename?: string; sha256?: string; sizeBytes?: number },
) {
  const actor = authorized(p, 'import.run', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  await getInstitution(db, institutionId);
  const job = await store.insertJob(db, {
    institutionId,
    ...v,
    createdBy: actor.kind === 'user' ? actor.userId : null,
    createdByToken: actor.kind === 'token' ? actor.tokenId : null,
  });
  running.set(job.id, { phase: 'queued', rowsRead: 0, bytesRead: 0, totalBytes: v.sizeBytes ?? 0 });
  return { job, actor };
}

/**
 * Refuses (429) a learners import that would take the caller past IDENTITY_LOOKUPS_PER_HOUR: `planned`
 * look-ups (the rows of a JSON batch; 1 for a file, whose rows are counted as it is read).
 */
export async function assertIdentityLookups(db: Db, p: Principal, institutionId: string, perHour: number, planned: number) {
  await assertLookups(db, authorized(p, 'import.run', { institutionIds: [institutionId] }, REGISTRAR_ONLY), perHour, planned);
}

async function contextFor(db: Db, actor: Actor, job: store.JobRow, perHour: number | undefined): Promise<Context> {
  const inst = await getInstitution(db, job.institutionId);
  const scale = await defaultScale(db, job.institutionId);
  return {
    institutionId: inst.id,
    institutionCode: inst.code,
    unit: inst.creditSystem?.unit,
    hourType: inst.creditSystem?.hourType ?? 'contact',
    scale: scale && { id: scale.id, definition: scale.definition },
    exemptionEarnsCredit: inst.exemptionEarnsCredit,
    actor,
    jobId: job.id,
    courses: await courseMap(db, job.institutionId),
    programmes: new Map((await listProgrammesOf(db, job.institutionId)).map((p) => [p.code, p.id])),
    conflicts: [],
    lookups: {
      done: 0,
      counting: true,
      claim:
        job.kind === 'learners' && perHour !== undefined
          ? (n) =>
              claimIdentityLookups(db, actor, perHour, {
                action: IDENTITY_LOOKUPS.import,
                institutionId: job.institutionId,
                entityType: 'import_job',
                entityId: job.id,
                details: { lookups: n, mode: job.mode },
              })
          : undefined,
    },
  };
}

/** Reads rows in batches of `size`, parsing each; yields the batch's parsed rows and their issues. */
async function* batches(source: RowSource, handler: Pick<Handler<never>, 'parse'>, ctx: Context, onBytes: (read: number, total: number) => void, size: number) {
  let parsed: Parsed<never>[] = [];
  let issues: Issue[] = [];
  let read = 0;
  for await (const raw of source(onBytes)) {
    read++;
    const r = handler.parse(raw.cells, raw.rowNumber, ctx);
    if (Array.isArray(r)) issues.push(...r);
    else parsed.push(r);
    if (parsed.length + issues.length >= size) {
      yield { parsed, issues, read };
      parsed = [];
      issues = [];
    }
  }
  yield { parsed, issues, read };
}

const duplicateOf = (row: number | string) => `与本文件第 ${row} 行重复 / duplicate of row ${row} in this file`;

interface Counts {
  rowsRead: number;
  created: number;
  updated: number;
  skipped: number;
}

/** What a job's checks found, and a way to write it (in the transaction given). */
interface Checked {
  counts: Counts;
  rejected: number;
  write(tx: Tx): Promise<void>;
}

/** The job's report: issues kept in the database, at most MAX_ISSUES of them (rows beyond are still counted). */
function reportOf(db: Db, jobId: string) {
  let kept = 0;
  let notes = 0;
  return {
    get room() {
      return Math.max(0, MAX_ISSUES - kept);
    },
    async errors(issues: Issue[]) {
      const room = issues.slice(0, this.room);
      kept += room.length;
      await store.insertIssues(
        db,
        room.map((i) => ({ jobId, ...i })),
      );
    },
    /** What the file changes in stored records (the same whether or not it is written). */
    async changes(issues: Issue[]) {
      const room = issues.slice(0, Math.max(0, MAX_ISSUES - notes));
      notes += room.length;
      await store.insertIssues(
        db,
        room.map((i) => ({ jobId, level: 'change' as const, ...i })),
      );
    },
  };
}
type Report = ReturnType<typeof reportOf>;

const BY_ACTION = { create: 'created', update: 'updated', skip: 'skipped' } as const;

/**
 * Row by row: the first pass checks every row and classifies it against what is stored, batch by
 * batch; the write reads the file again and classifies again in its transaction.
 */
async function checkRows(
  db: Db,
  handler: Handler<never>,
  ctx: Context,
  source: RowSource,
  progress: Progress,
  onBytes: (read: number, total: number) => void,
  report: Report,
): Promise<Checked> {
  const firstRow = new Map<string, number>();
  const refused = new Set<number>();
  const counts = { rowsRead: 0, created: 0, updated: 0, skipped: 0 };
  for await (const batch of batches(source, handler, ctx, onBytes, BATCH)) {
    counts.rowsRead = batch.read;
    progress.rowsRead = batch.read;
    const fresh: Parsed<never>[] = [];
    const issues = [...batch.issues];
    for (const row of batch.parsed) {
      const dup = row.keys.map((k) => firstRow.get(k)).find((n) => n !== undefined);
      if (dup !== undefined) {
        issues.push({ rowNumber: row.rowNumber, column: null, value: null, reason: duplicateOf(dup) });
        continue;
      }
      for (const k of row.keys) firstRow.set(k, row.rowNumber);
      fresh.push(row);
    }
    const changes: Issue[] = [];
    for (const c of await handler.classify(db, ctx, fresh)) {
      if (Array.isArray(c)) issues.push(...c);
      else {
        counts[BY_ACTION[c.action]]++;
        if (c.note) changes.push({ rowNumber: c.rowNumber, column: null, value: null, reason: c.note });
      }
    }
    for (const i of issues) refused.add(i.rowNumber);
    await report.errors(issues);
    await report.changes(changes);
  }
  firstRow.clear();
  return {
    counts,
    rejected: refused.size,
    async write(tx) {
      // The same rows again; a refused row is left out.
      Object.assign(counts, { created: 0, updated: 0, skipped: 0 });
      for await (const batch of batches(source, handler, ctx, onBytes, BATCH)) {
        progress.rowsRead = batch.read;
        const rows = batch.parsed.filter((r) => !refused.has(r.rowNumber));
        const ready: Classified<never>[] = [];
        for (const c of await handler.classify(tx, ctx, rows)) {
          if (Array.isArray(c))
            throw conflict(`Row ${c[0]!.rowNumber} changed meaning while the import ran (${c[0]!.reason}); run it again`, undefined, {
              code: 'import_changed',
              row: c[0]!.rowNumber,
            });
          ready.push(c);
          counts[BY_ACTION[c.action]]++;
        }
        await handler.apply(tx, ctx, ready);
      }
    },
  };
}

/** Staged rows are written in ranges of this many row numbers (a statement each), for progress and modest statements. */
const STAGE_CHUNK = 50_000;

/**
 * Staged: the first pass checks each row and stages it in the database, batch by batch, while the
 * file is read; duplicates, refusals and what is already stored are then worked out over the whole
 * stage. The write reads the stage, not the file.
 */
async function checkStaged(
  db: Db,
  handler: StagedHandler<never>,
  ctx: Context,
  stage: store.Stage,
  source: RowSource,
  progress: Progress,
  onBytes: (read: number, total: number) => void,
  report: Report,
): Promise<Checked> {
  let rowsRead = 0;
  let refusedByParse = 0;
  const writer = await store.stageWriter(db, stage);
  // A batch is reported and staged while the next one is read and parsed: one at a time, in order.
  let pending = Promise.resolve();
  try {
    for await (const batch of batches(source, handler, ctx, onBytes, STAGE_BATCH)) {
      rowsRead = progress.rowsRead = batch.read;
      refusedByParse += new Set(batch.issues.map((i) => i.rowNumber)).size;
      await pending;
      pending = (async () => {
        await report.errors(batch.issues);
        await writer.write(await handler.stage(db, ctx, batch.parsed));
      })();
      pending.catch(() => {}); // awaited with the next batch, or below
    }
    await pending;
    await writer.end();
  } finally {
    await pending.catch(() => {});
    await writer.close();
  }
  await store.indexStage(db, stage);
  await store.markDuplicates(db, stage);
  await handler.match(db, ctx, stage);
  const staged = await store.stagedCounts(db, stage);
  // the rows refused over the whole stage come after those refused as they were read
  await store.insertStagedIssues(db, stage, ctx.jobId, report.room, duplicateOf('%1$s'));
  // each row with a status (缺考, 免修, 补考 …) that is recorded says what it records, dry run or not
  await store.insertStagedNotes(db, stage, ctx.jobId, MAX_ISSUES);
  const ranges: [number, number][] = [];
  for (let from = staged.first; from <= staged.last; from += STAGE_CHUNK) ranges.push([from, Math.min(staged.last, from + STAGE_CHUNK - 1)]);
  if (staged.updated > 0) {
    for (const [from, to] of ranges)
      await report.changes(
        (await store.stagedChanges(db, stage, from, to)).map((r) => ({ rowNumber: r.rowNumber, column: null, value: null, reason: handler.note(r) })),
      );
  }
  const counts = { rowsRead, created: staged.created, updated: staged.updated, skipped: staged.skipped };
  return {
    counts,
    rejected: refusedByParse + staged.refused,
    async write(tx) {
      for (const [from, to] of ranges) {
        await handler.write(tx, ctx, stage, from, to);
        const done = (to - staged.first + 1) / (staged.last - staged.first + 1);
        progress.rowsRead = Math.round(done * rowsRead);
        progress.bytesRead = Math.round(done * progress.totalBytes);
      }
    },
  };
}

/**
 * Runs a job to the end and returns its final row. File-level problems (wrong headers, corrupt or
 * oversized files) fail the job with a message; nothing is written then either.
 */
export async function runJob(
  db: Db,
  actor: Actor,
  job: store.JobRow,
  source: RowSource,
  options: { identityLookupsPerHour?: number } = {},
): Promise<store.JobRow> {
  const progress: Progress = running.get(job.id) ?? { phase: 'queued', rowsRead: 0, bytesRead: 0, totalBytes: 0 };
  running.set(job.id, progress);
  const onBytes = (read: number, total: number) => {
    progress.bytesRead = read;
    progress.totalBytes = total;
  };
  const handler = HANDLERS[job.kind];
  let stage: store.Stage | undefined;
  const beating = setInterval(() => void store.touchJob(db, job.id).catch(() => undefined), heartbeat.ms).unref();
  let ctx: Context | undefined;
  // a learners import's identity look-ups, logged (dry run, refused or failed alike) as each batch claimed
  // them against the hourly budget, or here at once when there is none (the command line)
  const logLookups = async () => {
    if (!ctx || !ctx.lookups.counting || job.kind !== 'learners') return;
    ctx.lookups.counting = false;
    if (!ctx.lookups.claim)
      await recordAudit(db, [
        {
          ...actorIds(actor),
          institutionId: job.institutionId,
          action: IDENTITY_LOOKUPS.import,
          entityType: 'import_job',
          entityId: job.id,
          details: { lookups: ctx.lookups.done, mode: job.mode },
        },
      ]);
  };
  try {
    await store.updateJob(db, job.id, { status: 'running' });
    ctx = await contextFor(db, actor, job, options.identityLookupsPerHour);

    // Pass 1: check every row; write nothing but the report.
    progress.phase = 'checking';
    const report = reportOf(db, job.id);
    let checked: Checked;
    if ('stage' in handler) {
      stage = await store.createStage(db, job.id);
      checked = await checkStaged(db, handler, ctx, stage, source, progress, onBytes, report);
    } else checked = await checkRows(db, handler, ctx, source, progress, onBytes, report);
    const { counts, rejected } = checked;
    await logLookups(); // and the write pass, which classifies the same rows again, does not count them twice
    if (counts.rowsRead === 0) throw new ImportFileError('empty', '文件只有表头，没有数据行 / The file has a header but no data rows');

    const write = job.mode === 'partial' ? counts.created + counts.updated > 0 : job.mode === 'all_or_nothing' && rejected === 0;
    if (write) {
      // Pass 2: write in one transaction; a refused row is left out.
      progress.phase = 'writing';
      await db.transaction(async (tx) => {
        await checked.write(tx);
        await recordAudit(tx, [
          {
            ...actorIds(actor),
            institutionId: job.institutionId,
            action: `import.${job.kind}`,
            entityType: 'import_job',
            entityId: job.id,
            details: { ...counts, rejected, mode: job.mode, filename: job.filename },
          },
        ]);
      });
    }
    if (job.mode !== 'dry_run' && ctx.conflicts.length) {
      // Flags for the administrator, not records: kept even when the import itself was refused.
      await recordConflicts(
        db,
        ctx.conflicts.map((c) => ({ institutionId: job.institutionId, existingLearnerId: c.existingLearnerId, submitted: c.submitted, importJobId: job.id })),
      );
    }
    const accepted = counts.created + counts.updated + counts.skipped;
    const message =
      job.mode === 'dry_run'
        ? 'Dry run: nothing was changed'
        : write
          ? rejected
            ? `Imported the valid rows; ${rejected} row(s) were refused`
            : 'Imported'
          : rejected
            ? `${rejected} row(s) were refused, so nothing was imported (all-or-nothing); fix them and import again, or import the valid rows only`
            : 'Nothing to write';
    return await db.transaction(async (tx) => {
      const done = await store.updateJob(tx, job.id, { status: 'done', committed: write, ...counts, accepted, rejected, message, finishedAt: new Date() });
      await importFinished(tx, done); // the person who started it is told
      return done;
    });
  } catch (err) {
    await logLookups().catch(() => undefined);
    // in both languages, as the rows' reasons are: the report is read in either
    const message =
      err instanceof ImportFileError
        ? err.message
        : err instanceof AppError
          ? `${ERROR_CODES[err.code].zh.replace(/[`。]/g, '')} / ${err.message}`
          : '导入在服务器端失败，未作任何更改，已记录日志 / The import failed on our side; nothing was changed. It has been logged.';
    if (err instanceof ImportFileError && err.details.length) {
      await store.insertIssues(
        db,
        err.details.map((d) => ({ jobId: job.id, rowNumber: 0, column: null, value: null, reason: d })),
      );
    }
    const failed = await store.updateJob(db, job.id, { status: 'failed', committed: false, message, finishedAt: new Date() });
    await importFinished(db, failed).catch(() => undefined);
    if (!(err instanceof ImportFileError || err instanceof AppError)) throw Object.assign(err as Error, { job: failed });
    if (err instanceof AppError && err.extra?.code === 'identity_lookups_throttled') throw err; // 429 to the caller
    return failed;
  } finally {
    clearInterval(beating);
    progress.phase = 'done';
    setTimeout(() => running.delete(job.id), 60_000).unref();
    // a stage that cannot be dropped now (a lost connection) must not replace the job's outcome
    if (stage) await store.dropStage(db, stage).catch(() => undefined);
  }
}

export function presentJob(j: store.JobRow) {
  const p = running.get(j.id);
  return {
    id: j.id,
    institutionId: j.institutionId,
    kind: j.kind,
    source: j.source,
    filename: j.filename,
    sizeBytes: j.sizeBytes,
    mode: j.mode,
    status: j.status,
    committed: j.committed,
    rowsRead: j.status === 'done' ? j.rowsRead : (p?.rowsRead ?? j.rowsRead),
    accepted: j.accepted,
    rejected: j.rejected,
    created: j.created,
    updated: j.updated,
    skipped: j.skipped,
    message: j.message,
    progress:
      j.status === 'done' || j.status === 'failed'
        ? 1
        : p && p.totalBytes > 0
          ? Math.min(0.99, (p.phase === 'writing' ? 0.5 : 0) + (p.bytesRead / p.totalBytes) * (j.mode === 'dry_run' ? 1 : 0.5))
          : 0,
    phase: j.status === 'done' || j.status === 'failed' ? 'done' : (p?.phase ?? 'queued'),
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

/** Registrars run imports; their institution's reviewers may read them too. */
function requireStaffOf(p: Principal, institutionId: string) {
  authorized(p, 'import.read', { institutionIds: [institutionId] }, "Only this institution's registrars and reviewers may read its imports");
}

async function readableJob(db: Db, p: Principal, id: string) {
  const job = await store.jobById(db, id);
  if (!job) throw notFound('Import', id);
  requireStaffOf(p, job.institutionId);
  return job;
}

export async function getJob(db: Db, p: Principal, id: string) {
  return presentJob(await readableJob(db, p, id));
}

export async function listJobs(db: Db, p: Principal, institutionId: string) {
  requireStaffOf(p, institutionId);
  return (await store.jobsOf(db, institutionId, 50)).map(presentJob);
}

/**
 * Refused rows (level error), changes to stored records (level change) or what rows with a result
 * status record (level note: 缺考 without a grade and credits, 免修 under the exemption rule …), in row order. A page
 * holds whole rows: when it fills up in the middle of a row, the rest of that row comes too, so that
 * the next page (after that row) misses nothing.
 */
export async function jobIssues(db: Db, p: Principal, id: string, afterRow: number, limit: number, level: IssueLevel = 'error') {
  await readableJob(db, p, id);
  const rows = await store.issuesOf(db, id, level, afterRow, limit);
  if (rows.length < limit) return rows;
  const last = rows[rows.length - 1]!.rowNumber;
  const lastRow = (await store.issuesOf(db, id, level, last - 1, 10_000)).filter((r) => r.rowNumber === last);
  return [...rows.filter((r) => r.rowNumber !== last), ...lastRow];
}

/** Every issue of a level, in row order, for the downloadable report. */
export async function* allIssues(db: Db, p: Principal, id: string, level: IssueLevel = 'error') {
  let after = -1;
  for (;;) {
    const rows = await jobIssues(db, p, id, after, 5000, level);
    yield* rows;
    if (rows.length < 5000) return;
    after = rows[rows.length - 1]!.rowNumber;
  }
}

/** How often a process running a job says so (IMPORT_HEARTBEAT_SECONDS); a job silent for six beats is failed. */
export const heartbeat = { ms: 10_000 };

/**
 * Fails the jobs whose process stopped or died while they ran (kill -9, a power cut) and drops the
 * staging tables left behind. A job's writes are one transaction, so nothing of it was kept: its
 * message says so. On the embedded database only this process runs, so every unfinished job was cut
 * off; on PostgreSQL other processes may be running jobs, and only those silent for six heartbeats are.
 */
export async function failInterruptedJobs(db: Db, backend: 'pglite' | 'postgres') {
  const silentFor = `${Math.ceil((6 * heartbeat.ms) / 1000)} seconds`;
  const ids = await store.failUnfinishedJobs(
    db,
    'The import was interrupted: the server running it stopped. Nothing was changed; import the file again.',
    backend === 'pglite' ? null : silentFor,
  );
  for (const stage of await store.orphanStages(db)) await store.dropStage(db, stage);
  return ids.length;
}
