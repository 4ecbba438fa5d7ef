// The transparency log's queries: entries, their places and leaf hashes, signed checkpoints.
import { sql, type SQL } from 'drizzle-orm';
import { arrayLiteral } from '../../db/bulk.js';
import type { Executor } from '../../db/connection.js';
import { postingPayloadSql, postingRefSql } from './entries.js';

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

export type CheckpointRow = { size: number; root: Buffer; note: string; frontier: string[] };

export async function latestCheckpoint(db: Executor): Promise<CheckpointRow | undefined> {
  return rowsOf<CheckpointRow>(await db.execute(sql`select size::int as size, root, note, frontier from log_checkpoints order by size desc limit 1`))[0];
}

export async function checkpointOfSize(db: Executor, size: number): Promise<CheckpointRow | undefined> {
  return rowsOf<CheckpointRow>(await db.execute(sql`select size::int as size, root, note, frontier from log_checkpoints where size = ${size}`))[0];
}

export async function allCheckpoints(db: Executor) {
  return rowsOf<CheckpointRow>(await db.execute(sql`select size::int as size, root, note, frontier from log_checkpoints order by size`));
}

/** One sequencer at a time: held until the transaction ends. */
export async function lockSequencer(tx: Executor) {
  await tx.execute(sql`select pg_advisory_xact_lock(7263001)`);
}

export async function unsequenced(tx: Executor, limit: number) {
  return rowsOf<{ id: number; kind: string; ref: string; payload: string }>(
    await tx.execute(sql`select id::int as id, kind, ref, payload from log_entries where idx is null and rejected is null order by id limit ${limit}`),
  );
}

/** Gives entries their places and leaf hashes, in one statement. */
export async function place(tx: Executor, entries: { id: number; idx: number; leaf: Buffer }[]) {
  if (entries.length === 0) return;
  const array = (xs: (string | number)[]) => `{${xs.join(',')}}`;
  await tx.execute(sql`
    update log_entries e set idx = v.idx, leaf_hash = decode(v.leaf, 'hex')
    from unnest(${array(entries.map((e) => e.id))}::bigint[], ${array(entries.map((e) => e.idx))}::bigint[], ${array(entries.map((e) => e.leaf.toString('hex')))}::text[]) as v(id, idx, leaf)
    where e.id = v.id`);
}

export async function insertCheckpoint(tx: Executor, c: { size: number; root: Buffer; note: string; frontier: string[] }) {
  await tx.execute(sql`insert into log_checkpoints (size, root, note, frontier) values (${c.size}, ${c.root}, ${c.note}, ${JSON.stringify(c.frontier)}::jsonb)
    on conflict (size) do nothing`);
}

export async function leafHashesBelow(db: Executor, size: number): Promise<Buffer[]> {
  return rowsOf<{ leaf_hash: Buffer }>(await db.execute(sql`select leaf_hash from log_entries where idx < ${size} order by idx`)).map((r) =>
    Buffer.from(r.leaf_hash),
  );
}

export async function entryOf(db: Executor, kind: string, ref: string) {
  return rowsOf<{ idx: number | null; payload: string; leaf_hash: Buffer | null }>(
    await db.execute(sql`select idx::int as idx, payload, leaf_hash from log_entries where kind = ${kind} and ref = ${ref} order by id desc limit 1`),
  )[0];
}

/** Every entry, in log order, unsequenced ones last. */
export async function allEntries(db: Executor) {
  return rowsOf<{ idx: number | null; kind: string; ref: string; payload: string; leaf_hash: Buffer | null; rejected: string | null }>(
    await db.execute(sql`select idx::int as idx, kind, ref, payload, leaf_hash, rejected from log_entries order by idx nulls last, id`),
  );
}

/** The ledger as it is now, for comparison with what the log recorded. */
export async function allPostings(db: Executor) {
  return rowsOf<{
    learner_id: string;
    seq: number;
    kind: string;
    amount: string;
    unit: string;
    from_state: string | null;
    to_state: string | null;
    cause_type: string;
    cause_id: string;
    reverses_seq: number | null;
    memo: string | null;
    created_by: string | null;
  }>(
    await db.execute(
      sql`select learner_id, seq, kind, amount::text as amount, unit, from_state, to_state, cause_type, cause_id, reverses_seq, memo, created_by from ledger_postings`,
    ),
  );
}

/** Marks pending entries the sequencer refused: they keep no place in the log. */
export async function reject(tx: Executor, ids: number[], reason: string) {
  if (ids.length === 0) return;
  await tx.execute(sql`update log_entries set rejected = ${reason} where id = any(${`{${ids.join(',')}}`}::bigint[]) and idx is null`);
}

/** The log payload of each posting named (learner id and seq), built from the posting as it is now. */
export async function postingPayloadsOf(db: Executor, refs: { learnerId: string; seq: number }[]) {
  if (refs.length === 0) return new Map<string, string>();
  const rows = rowsOf<{ ref: string; payload: string }>(
    await db.execute(sql`
      select ${postingRefSql(sql`p`)} as ref, ${postingPayloadSql(sql`p`)} as payload
      from unnest(${arrayLiteral(refs.map((r) => r.learnerId))}::uuid[], ${arrayLiteral(refs.map((r) => r.seq))}::int[]) as r(learner_id, seq)
      join ledger_postings p on p.learner_id = r.learner_id and p.seq = r.seq`),
  );
  return new Map(rows.map((r) => [r.ref, r.payload]));
}

type CredentialFact = {
  id: string;
  institution_id: string;
  learner_id: string | null;
  kind: string;
  subject_id: string | null;
  cryptosuite: string;
  document: unknown;
  document_sha256: string | null;
  status: string;
};
type EventFact = { id: number; credential_id: string; status: string; reason: string; actor: string | null };
type AwardFact = { id: string; learner_id: string; programme_id: string; catalogue_year: number; credits: string; unit: string; status: string };
type MergeFact = { id: string; learner_id: string; institution_id: string; external_id: string | null };

/** Issued credentials, their status events, awards and identity merges as they are now (all of them, or those named). */
export async function factsOf(db: Executor, only?: { credentials: string[]; events: number[]; awards: string[]; merges: string[] }) {
  const where = (column: SQL, ids: (string | number)[] | undefined, type: string) =>
    ids ? sql`where ${column} = any(${arrayLiteral(ids)}::${sql.raw(type)}[])` : sql``;
  const none = (ids?: unknown[]) => ids !== undefined && ids.length === 0;
  const [credentials, events, awards, merges] = await Promise.all([
    none(only?.credentials)
      ? []
      : rowsOf<CredentialFact>(
          await db.execute(
            sql`select id, institution_id, learner_id, kind, subject_id, cryptosuite, document, document_sha256, status from credentials ${where(sql`id`, only?.credentials, 'uuid')}`,
          ),
        ),
    none(only?.events)
      ? []
      : rowsOf<EventFact>(
          await db.execute(
            sql`select id::int as id, credential_id, status, reason, actor from credential_events ${where(sql`id`, only?.events, 'bigint')} order by id`,
          ),
        ),
    none(only?.awards)
      ? []
      : rowsOf<AwardFact>(
          await db.execute(
            sql`select id, learner_id, programme_id, catalogue_year, credits::text as credits, unit, status from awards ${where(sql`id`, only?.awards, 'uuid')}`,
          ),
        ),
    none(only?.merges)
      ? []
      : rowsOf<MergeFact>(
          await db.execute(sql`select id, existing_learner_id as learner_id, institution_id, submitted->>'externalId' as external_id from identity_conflicts
            ${only?.merges ? sql`where id = any(${arrayLiteral(only.merges)}::uuid[]) and` : sql`where`} status = 'same_person'`),
        ),
  ]);
  return { credentials, events, awards, merges };
}
