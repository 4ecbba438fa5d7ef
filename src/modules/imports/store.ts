import { finished } from 'node:stream/promises';
import { and, asc, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { insertUnnest } from '../../db/bulk.js';
import type { Executor } from '../../db/connection.js';
import type { ResultStatus } from '../../core/grades/status.js';
import { importIssues, importJobs } from '../../db/schema.js';

export type JobRow = typeof importJobs.$inferSelect;

export async function insertJob(db: Executor, v: typeof importJobs.$inferInsert) {
  const [row] = await db.insert(importJobs).values(v).returning();
  return row!;
}

export async function updateJob(db: Executor, id: string, v: Partial<typeof importJobs.$inferInsert>) {
  const [row] = await db.update(importJobs).set(v).where(eq(importJobs.id, id)).returning();
  return row!;
}

export async function jobById(db: Executor, id: string) {
  const [row] = await db.select().from(importJobs).where(eq(importJobs.id, id));
  return row;
}

export async function jobsOf(db: Executor, institutionId: string, limit: number) {
  return db.select().from(importJobs).where(eq(importJobs.institutionId, institutionId)).orderBy(desc(importJobs.createdAt)).limit(limit);
}

export async function insertIssues(db: Executor, rows: (typeof importIssues.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 2000) await db.insert(importIssues).values(rows.slice(i, i + 2000));
}

export async function issuesOf(db: Executor, jobId: string, level: 'error' | 'change' | 'note', afterRow: number, limit: number) {
  return db
    .select()
    .from(importIssues)
    .where(and(eq(importIssues.jobId, jobId), eq(importIssues.level, level), gt(importIssues.rowNumber, afterRow)))
    .orderBy(asc(importIssues.rowNumber))
    .limit(limit);
}

/** Marks every unfinished job failed with a message; returns their ids. */
/** Fails the unfinished jobs not heard of since `silentFor` (an interval, e.g. '1 minute'; all when null). */
export async function failUnfinishedJobs(db: Executor, message: string, silentFor: string | null) {
  const rows = await db
    .update(importJobs)
    .set({ status: 'failed', committed: false, message, finishedAt: new Date() })
    .where(
      and(inArray(importJobs.status, ['queued', 'running']), silentFor === null ? undefined : sql`${importJobs.heartbeatAt} < now() - ${silentFor}::interval`),
    )
    .returning({ id: importJobs.id });
  return rows.map((r) => r.id);
}

/** The running job's process is alive. */
export async function touchJob(db: Executor, id: string) {
  await db
    .update(importJobs)
    .set({ heartbeatAt: sql`now()` })
    .where(eq(importJobs.id, id));
}

/** Staging tables whose job is no longer unfinished (left behind by a process that died). */
export async function orphanStages(db: Executor) {
  const res = await db.execute(sql`
    select t.tablename as name from pg_tables t
    where t.schemaname = current_schema() and t.tablename like 'import_stage_%'
      and not exists (select 1 from ${importJobs} j where replace(j.id::text, '-', '') = substr(t.tablename, 14) and j.status in ('queued', 'running'))`);
  return (res as unknown as { rows: { name: string }[] }).rows.map((r): Stage => ({ name: r.name, table: sql`${sql.identifier(r.name)}` }));
}

// ------------------------------------------------------------------ staged course results
//
// A results file is checked row by row in JS and its checked rows are staged in an unlogged table
// of the job's own (COPY on PostgreSQL, unnest() batches on PGlite); duplicates, refusals, what is
// already recorded and the writes are then worked out by statements over the whole table.

/** A checked row of a results file, as staged. */
export type StagedResult = {
  rowNumber: number;
  externalId: string;
  learnerId: string | null;
  courseId: string;
  credits: string;
  hours: number;
  term: string;
  attempt: number;
  /** Null when the result has no grade (缺考 …, 免修 without one). */
  grade: string | null;
  resultStatus: ResultStatus;
  passed: boolean;
  completedOn: string;
  /** A row with a status: the column that named it, its value, and what is recorded, for the report. */
  noteColumn: string | null;
  noteValue: string | null;
  noteReason: string | null;
  /** Why the row is refused (unknown learner, another name), unless it repeats an earlier row of the file, which is said instead. */
  refusalColumn: string | null;
  refusalValue: string | null;
  refusalReason: string | null;
};

const STAGED: { [K in keyof StagedResult]: [column: string, type: string] } = {
  rowNumber: ['row_number', 'int'],
  externalId: ['external_id', 'text'],
  learnerId: ['learner_id', 'uuid'],
  courseId: ['course_id', 'uuid'],
  credits: ['credits', 'numeric'],
  hours: ['hours', 'int'],
  term: ['term', 'text'],
  attempt: ['attempt', 'int'],
  grade: ['grade', 'text'],
  resultStatus: ['result_status', 'text'],
  passed: ['passed', 'boolean'],
  completedOn: ['completed_on', 'date'],
  noteColumn: ['note_column', 'text'],
  noteValue: ['note_value', 'text'],
  noteReason: ['note_reason', 'text'],
  refusalColumn: ['refusal_column', 'text'],
  refusalValue: ['refusal_value', 'text'],
  refusalReason: ['refusal_reason', 'text'],
};
const stagedKeys = Object.keys(STAGED) as (keyof StagedResult)[];

/** The staging table of a job: its name, and the name as an SQL identifier. */
export interface Stage {
  name: string;
  table: SQL;
}

export function stageOf(jobId: string): Stage {
  const name = `import_stage_${jobId.replace(/-/g, '')}`;
  return { name, table: sql`${sql.identifier(name)}` };
}

/**
 * Creates the job's staging table. Besides the staged columns: duplicate_of (the earlier row a
 * row repeats), old_id / old_grade / old_status / old_completed_on (the recorded result it matches)
 * and id (the new result's id).
 */
export async function createStage(db: Executor, jobId: string): Promise<Stage> {
  const stage = stageOf(jobId);
  await db.execute(sql`
    create unlogged table ${stage.table} (
      row_number int not null, external_id text not null, learner_id uuid, course_id uuid not null, credits numeric(10, 2) not null,
      hours int not null, term text not null, attempt int not null, grade text, result_status text not null, passed boolean not null, completed_on date not null,
      note_column text, note_value text, note_reason text, refusal_column text, refusal_value text, refusal_reason text,
      duplicate_of int, old_id uuid, old_grade text, old_status text, old_completed_on date, id uuid not null default gen_random_uuid())`);
  return stage;
}

export async function dropStage(db: Executor, stage: Stage) {
  await db.execute(sql`drop table if exists ${stage.table}`);
}

/** A value in COPY's text format: \N for null, backslash escapes for text. */
const copyText = (v: string | null) =>
  v === null ? '\\N' : v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));

/** A staged row as a line of COPY text, its values in the order of STAGED (uuids, numbers, dates and booleans need no escaping). */
const copyLine = (r: StagedResult) =>
  `${r.rowNumber}\t${copyText(r.externalId)}\t${r.learnerId ?? '\\N'}\t${r.courseId}\t${r.credits}\t${r.hours}\t${copyText(r.term)}\t${r.attempt}\t${copyText(r.grade)}\t${r.resultStatus}\t${r.passed}\t${r.completedOn}\t${copyText(r.noteColumn)}\t${copyText(r.noteValue)}\t${copyText(r.noteReason)}\t${copyText(r.refusalColumn)}\t${copyText(r.refusalValue)}\t${copyText(r.refusalReason)}\n`;

/**
 * Appends rows to a staging table, batch after batch: through one COPY on PostgreSQL (the rows
 * stream while the file is still being read), by unnest() inserts on PGlite. `end` completes the
 * load; `close` gives up a load that was not ended.
 */
export async function stageWriter(db: Executor, stage: Stage) {
  const pool = (db as unknown as { $client: unknown }).$client;
  if (!(pool instanceof pg.Pool)) {
    return {
      write: (rows: StagedResult[]) => insertUnnest(db, stage.name, STAGED, rows),
      end: async () => {},
      close: async () => {},
    };
  }
  // its own connection, not one of the pool's: a load holds it for the whole check pass, while the
  // job (and every other request) keeps using the pool
  const client = new pg.Client(pool.options);
  await client.connect();
  const copy = client.query(copyFrom(`copy "${stage.name}" (${stagedKeys.map((k) => STAGED[k][0]).join(', ')}) from stdin`));
  const done = finished(copy);
  done.catch(() => {}); // awaited in write and end
  let ended = false;
  return {
    async write(rows: StagedResult[]) {
      const text = rows.map(copyLine).join('');
      if (!copy.write(text)) await Promise.race([new Promise((resolve) => copy.once('drain', resolve)), done]);
    },
    async end() {
      ended = true;
      copy.end();
      await done;
    },
    async close() {
      if (!ended) {
        copy.destroy(); // sends CopyFail: nothing of the load stays
        await done.catch(() => {});
      }
      await client.end().catch(() => {});
    },
  };
}

/** After the load: an index for reading the table in ranges of rows, and statistics for the planner. */
export async function indexStage(db: Executor, stage: Stage) {
  await db.execute(sql`create index on ${stage.table} (row_number)`);
  await db.execute(sql`analyze ${stage.table}`);
}

/** Marks each row that repeats an earlier row of the file (same student number, course, term and attempt). */
export async function markDuplicates(db: Executor, stage: Stage) {
  await db.execute(sql`
    update ${stage.table} s set duplicate_of = d.first
    from (select row_number, min(row_number) over (partition by external_id, course_id, term, attempt) as first from ${stage.table}) d
    where d.row_number = s.row_number and d.first < s.row_number`);
}

const REFUSED = sql`(duplicate_of is not null or refusal_reason is not null)`;
const CHANGED = sql`(old_grade, old_status, old_completed_on) is distinct from (grade, result_status, completed_on)`;

/**
 * Writes the refused rows of the stage into the job's report, in row order, at most `limit`;
 * `duplicate` is the reason given for a repeated row, a format() text with %1$s for the earlier row.
 */
export async function insertStagedIssues(db: Executor, stage: Stage, jobId: string, limit: number, duplicate: string) {
  await db.execute(sql`
    insert into import_issues (job_id, level, row_number, "column", value, reason)
    select ${jobId}::uuid, 'error', row_number,
           case when duplicate_of is null then refusal_column end,
           case when duplicate_of is null then refusal_value end,
           case when duplicate_of is null then refusal_reason else format(${duplicate}::text, duplicate_of) end
    from ${stage.table} where ${REFUSED} order by row_number limit ${limit}`);
}

/**
 * Writes the notes of the rows with a status that the import records (new or changed rows, not the
 * refused or unchanged ones) into the job's report at level `note`, in row order, at most `limit`.
 */
export async function insertStagedNotes(db: Executor, stage: Stage, jobId: string, limit: number) {
  await db.execute(sql`
    insert into import_issues (job_id, level, row_number, "column", value, reason)
    select ${jobId}::uuid, 'note', row_number, note_column, note_value, note_reason
    from ${stage.table} where note_reason is not null and not ${REFUSED} and (old_id is null or ${CHANGED}) order by row_number limit ${limit}`);
}

/** How many staged rows are refused, new, changed and unchanged; the first and last row number. */
export async function stagedCounts(db: Executor, stage: Stage) {
  const res = await db.execute(sql`
    select count(*) filter (where ${REFUSED})::int as refused,
           count(*) filter (where not ${REFUSED} and old_id is null)::int as created,
           count(*) filter (where not ${REFUSED} and old_id is not null and ${CHANGED})::int as updated,
           count(*) filter (where not ${REFUSED} and old_id is not null and not ${CHANGED})::int as skipped,
           coalesce(min(row_number), 0) as first, coalesce(max(row_number), 0) as last
    from ${stage.table}`);
  const [row] = (res as unknown as { rows: { refused: number; created: number; updated: number; skipped: number; first: number; last: number }[] }).rows;
  return row!;
}

/** The new results among the rows from..to, as a relation (id, learner_id, course_id, credits, hours, term, attempt, grade, result_status, passed, completed_on, ord). */
export const stagedCreates = (stage: Stage, from: number, to: number) => sql`
  select id, learner_id, course_id, credits, hours, term, attempt, grade, result_status, passed, completed_on, row_number as ord
  from ${stage.table} where row_number between ${from}::int and ${to}::int and not ${REFUSED} and old_id is null`;

export interface StagedChange {
  rowNumber: number;
  oldId: string;
  grade: string | null;
  resultStatus: ResultStatus;
  passed: boolean;
  completedOn: string;
  oldGrade: string | null;
  oldStatus: ResultStatus;
  oldCompletedOn: string;
}

/**
 * The first of rows from..to whose recorded result changed since the check pass matched it (revoked,
 * or corrected by someone else): written now, such a row would mean something else than the report said.
 */
export async function stagedDrift(db: Executor, stage: Stage, from: number, to: number): Promise<number | undefined> {
  const res = await db.execute(sql`
    select s.row_number as "rowNumber" from ${stage.table} s
    left join outcomes o on o.id = s.old_id and o.status = 'recorded' and o.grade is not distinct from s.old_grade and o.result_status = s.old_status and o.completed_on = s.old_completed_on
    where s.row_number between ${from}::int and ${to}::int and not ${REFUSED} and s.old_id is not null and o.id is null
    order by s.row_number limit 1`);
  return (res as unknown as { rows: { rowNumber: number }[] }).rows[0]?.rowNumber;
}

/** Rows from..to that change a recorded result, in row order. */
export async function stagedChanges(db: Executor, stage: Stage, from: number, to: number) {
  const res = await db.execute(sql`
    select row_number as "rowNumber", old_id as "oldId", grade, result_status as "resultStatus", passed, completed_on::text as "completedOn", old_grade as "oldGrade", old_status as "oldStatus", old_completed_on::text as "oldCompletedOn"
    from ${stage.table} where row_number between ${from}::int and ${to}::int and not ${REFUSED} and old_id is not null and ${CHANGED}
    order by row_number`);
  return (res as unknown as { rows: StagedChange[] }).rows;
}
