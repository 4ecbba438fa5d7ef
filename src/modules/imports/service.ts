// Bulk imports from academic-affairs systems. A file is read twice, streaming: the first pass checks
// every row (and classifies it as create / update / skip against what is stored) and writes
// nothing; the second pass, only when the mode allows, writes in one transaction. A dry run stops
// after the first pass; an all-or-nothing import stops there too when any row was refused.
import { normalizeCell } from '../../core/imports/values.js';
import type { Db } from '../../db/connection.js';
import { AppError, conflict, forbidden, notFound } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, hasInstitutionRole, isAdmin, requireAdmin, requireRegistrarOf, requireSignedIn, type Actor, type Principal } from '../auth/principal.js';
import { courseMap, listProgrammesOf } from '../catalog/service.js';
import { defaultScale, getInstitution } from '../institutions/service.js';
import { enrolInTx } from '../learners/service.js';
import { COLUMNS, headerText, type ImportKind } from './columns.js';
import { HANDLERS, type Classified, type Context, type Handler, type Issue, type Parsed } from './handlers.js';
import { ImportFileError, type RawRow } from './read.js';
import * as store from './store.js';

export type ImportMode = 'dry_run' | 'all_or_nothing' | 'partial';

const BATCH = 1000;
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
  for (const c of COLUMNS[kind]) for (const h of [c.key, c.zh, c.en, headerText(c), ...(c.aliases ?? [])]) byHeader.set(h.toLowerCase().replace(/\s+/g, ''), c.key);
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
  requireRegistrarOf(p, institutionId);
  await getInstitution(db, institutionId);
}

export async function createJob(
  db: Db,
  p: Principal,
  institutionId: string,
  v: { kind: ImportKind; mode: ImportMode; source: 'upload' | 'api' | 'cli'; filename?: string; sha256?: string; sizeBytes?: number },
) {
  const actor = requireRegistrarOf(p, institutionId);
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

async function contextFor(db: Db, actor: Actor, job: store.JobRow): Promise<Context> {
  const inst = await getInstitution(db, job.institutionId);
  const scale = await defaultScale(db, job.institutionId);
  return {
    institutionId: inst.id,
    institutionCode: inst.code,
    unit: inst.creditSystem?.unit,
    hourType: inst.creditSystem?.hourType ?? 'contact',
    scale: scale && { id: scale.id, definition: scale.definition },
    actor,
    jobId: job.id,
    courses: await courseMap(db, job.institutionId),
    programmes: new Map((await listProgrammesOf(db, job.institutionId)).map((p) => [p.code, p.id])),
    conflicts: [],
  };
}

/** Reads rows in batches, parsing each; yields the batch's parsed rows and their issues. */
async function* batches(source: RowSource, handler: Handler<never>, ctx: Context, onBytes: (read: number, total: number) => void) {
  let parsed: Parsed<never>[] = [];
  let issues: Issue[] = [];
  let read = 0;
  for await (const raw of source(onBytes)) {
    read++;
    const r = handler.parse(raw.cells, raw.rowNumber, ctx);
    if (Array.isArray(r)) issues.push(...r);
    else parsed.push(r);
    if (parsed.length + issues.length >= BATCH) {
      yield { parsed, issues, read };
      parsed = [];
      issues = [];
    }
  }
  yield { parsed, issues, read };
}

/**
 * Runs a job to the end and returns its final row. File-level problems (wrong headers, corrupt or
 * oversized files) fail the job with a message; nothing is written then either.
 */
export async function runJob(db: Db, actor: Actor, job: store.JobRow, source: RowSource): Promise<store.JobRow> {
  const progress: Progress = running.get(job.id) ?? { phase: 'queued', rowsRead: 0, bytesRead: 0, totalBytes: 0 };
  running.set(job.id, progress);
  const onBytes = (read: number, total: number) => {
    progress.bytesRead = read;
    progress.totalBytes = total;
  };
  try {
    await store.updateJob(db, job.id, { status: 'running' });
    const ctx = await contextFor(db, actor, job);
    const handler = HANDLERS[job.kind];

    // Pass 1: check every row; write nothing but the report.
    progress.phase = 'checking';
    const firstRow = new Map<string, number>();
    const refused = new Set<number>();
    const counts = { rowsRead: 0, created: 0, updated: 0, skipped: 0 };
    let kept = 0;
    const keep = async (issues: Issue[]) => {
      for (const i of issues) refused.add(i.rowNumber);
      const room = issues.slice(0, Math.max(0, MAX_ISSUES - kept));
      kept += room.length;
      await store.insertIssues(db, room.map((i) => ({ jobId: job.id, ...i })));
    };
    const changes: Issue[] = [];
    for await (const batch of batches(source, handler, ctx, onBytes)) {
      counts.rowsRead = batch.read;
      progress.rowsRead = batch.read;
      const fresh: Parsed<never>[] = [];
      const issues = [...batch.issues];
      for (const row of batch.parsed) {
        const dup = row.keys.map((k) => firstRow.get(k)).find((n) => n !== undefined);
        if (dup !== undefined) {
          issues.push({ rowNumber: row.rowNumber, column: null, value: null, reason: `与本文件第 ${dup} 行重复 / duplicate of row ${dup} in this file` });
          continue;
        }
        for (const k of row.keys) firstRow.set(k, row.rowNumber);
        fresh.push(row);
      }
      for (const c of await handler.classify(db, ctx, fresh)) {
        if (Array.isArray(c)) issues.push(...c);
        else {
          counts[c.action === 'create' ? 'created' : c.action === 'update' ? 'updated' : 'skipped']++;
          if (c.note && changes.length < MAX_ISSUES) changes.push({ rowNumber: c.rowNumber, column: null, value: null, reason: c.note });
        }
      }
      await keep(issues);
      // what the file changes in stored records, for the report (the same whether or not it is written)
      await store.insertIssues(db, changes.splice(0).map((i) => ({ jobId: job.id, level: 'change' as const, ...i })));
    }
    firstRow.clear();
    if (counts.rowsRead === 0) throw new ImportFileError('empty', 'The file has a header but no data rows');

    const rejected = refused.size;
    const write = job.mode === 'partial' ? counts.created + counts.updated > 0 : job.mode === 'all_or_nothing' && rejected === 0;
    if (write) {
      // Pass 2: the same rows again, in one transaction; a refused row is left out.
      progress.phase = 'writing';
      Object.assign(counts, { created: 0, updated: 0, skipped: 0 });
      await db.transaction(async (tx) => {
        for await (const batch of batches(source, handler, ctx, onBytes)) {
          progress.rowsRead = batch.read;
          const rows = batch.parsed.filter((r) => !refused.has(r.rowNumber));
          const ready: Classified<never>[] = [];
          for (const c of await handler.classify(tx, ctx, rows)) {
            if (Array.isArray(c)) throw conflict(`Row ${c[0]!.rowNumber} changed meaning while the import ran (${c[0]!.reason}); run it again`);
            ready.push(c);
            counts[c.action === 'create' ? 'created' : c.action === 'update' ? 'updated' : 'skipped']++;
          }
          await handler.apply(tx, ctx, ready);
        }
        await recordAudit(tx, [{ ...actorIds(actor), institutionId: job.institutionId, action: `import.${job.kind}`, entityType: 'import_job', entityId: job.id, details: { ...counts, rejected, mode: job.mode, filename: job.filename } }]);
      });
    }
    if (job.mode !== 'dry_run' && ctx.conflicts.length) {
      // Flags for the administrator, not records: kept even when the import itself was refused.
      await store.insertConflicts(db, ctx.conflicts.map((c) => ({ institutionId: job.institutionId, existingLearnerId: c.existingLearnerId, submitted: c.submitted, importJobId: job.id })));
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
    return await store.updateJob(db, job.id, { status: 'done', committed: write, ...counts, accepted, rejected, message, finishedAt: new Date() });
  } catch (err) {
    const message = err instanceof ImportFileError || err instanceof AppError ? err.message : 'The import failed on our side; nothing was changed. It has been logged.';
    if (err instanceof ImportFileError && err.details.length) {
      await store.insertIssues(db, err.details.map((d) => ({ jobId: job.id, rowNumber: 0, column: null, value: null, reason: d })));
    }
    const failed = await store.updateJob(db, job.id, { status: 'failed', committed: false, message, finishedAt: new Date() });
    if (!(err instanceof ImportFileError || err instanceof AppError)) throw Object.assign(err as Error, { job: failed });
    return failed;
  } finally {
    progress.phase = 'done';
    setTimeout(() => running.delete(job.id), 60_000).unref();
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
    progress: j.status === 'done' || j.status === 'failed' ? 1 : p && p.totalBytes > 0 ? Math.min(0.99, (p.phase === 'writing' ? 0.5 : 0) + (p.bytesRead / p.totalBytes) * (j.mode === 'dry_run' ? 1 : 0.5)) : 0,
    phase: j.status === 'done' || j.status === 'failed' ? 'done' : (p?.phase ?? 'queued'),
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

/** Registrars run imports; their institution's reviewers may read them too. */
function requireStaffOf(p: Principal, institutionId: string) {
  const actor = requireSignedIn(p);
  if (!isAdmin(actor) && !hasInstitutionRole(actor, institutionId, ['registrar', 'reviewer'])) throw forbidden("Only this institution's registrars and reviewers may read its imports");
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
 * Refused rows (level error) or changes to stored records (level change), in row order. A page
 * holds whole rows: when it fills up in the middle of a row, the rest of that row comes too, so that
 * the next page (after that row) misses nothing.
 */
export async function jobIssues(db: Db, p: Principal, id: string, afterRow: number, limit: number, level: 'error' | 'change' = 'error') {
  await readableJob(db, p, id);
  const rows = await store.issuesOf(db, id, level, afterRow, limit);
  if (rows.length < limit) return rows;
  const last = rows[rows.length - 1]!.rowNumber;
  const lastRow = (await store.issuesOf(db, id, level, last - 1, 10_000)).filter((r) => r.rowNumber === last);
  return [...rows.filter((r) => r.rowNumber !== last), ...lastRow];
}

/** Every issue of a level, in row order, for the downloadable report. */
export async function* allIssues(db: Db, p: Principal, id: string, level: 'error' | 'change' = 'error') {
  let after = -1;
  for (;;) {
    const rows = await jobIssues(db, p, id, after, 5000, level);
    yield* rows;
    if (rows.length < 5000) return;
    after = rows[rows.length - 1]!.rowNumber;
  }
}

export async function listConflicts(db: Db, p: Principal, status: 'open' | 'same_person' | 'different') {
  requireAdmin(p);
  return store.conflictsByStatus(db, status, 200);
}

/**
 * An administrator decides a conflict: the same person (the submitted enrolment joins the existing
 * learner) or different people (closed; the institution must correct its data).
 */
export async function resolveConflict(db: Db, p: Principal, id: string, decision: 'same_person' | 'different', note: string) {
  const actor = requireAdmin(p);
  const c = await store.conflictById(db, id);
  if (!c) throw notFound('Identity conflict', id);
  if (c.status !== 'open') throw conflict(`This conflict was already decided (${c.status})`);
  return db.transaction(async (tx) => {
    const closed = await store.closeConflict(tx, id, { status: decision, resolvedBy: actor.kind === 'user' ? actor.userId : null, note });
    if (!closed) throw conflict('This conflict was decided meanwhile');
    if (decision === 'same_person') {
      const s = c.submitted as { externalId: string; enrolledOn: string | null; programmeId: string | null };
      await enrolInTx(tx, c.existingLearnerId, c.institutionId, { externalId: s.externalId, enrolledOn: s.enrolledOn ?? null, programmeId: s.programmeId ?? null });
    }
    await recordAudit(tx, [{ ...actorIds(actor), institutionId: c.institutionId, action: `identity_conflict.${decision}`, entityType: 'identity_conflict', entityId: id, details: { note } }]);
    return closed;
  });
}


/**
 * On the embedded database only one process runs, so a job still marked queued or running when it
 * starts was cut off by a stop or a crash. Its writes were one transaction, so nothing of it was
 * kept: say so. (On PostgreSQL other processes may be running jobs; they are left alone.)
 */
export function failInterruptedJobs(db: Db) {
  return store.failUnfinishedJobs(db, 'The import was interrupted by a restart of the server; nothing was changed. Import the file again.');
}
