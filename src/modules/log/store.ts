// The transparency log's queries: entries, their places and leaf hashes, signed checkpoints.
import { sql, type SQL } from 'drizzle-orm';
import { arrayLiteral } from '../../db/bulk.js';
import type { Executor } from '../../db/connection.js';
import { leafHashSql, postingPayloadSql, postingRefSql } from './entries.js';

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

/**
 * What the log holds of postings against the ledger as it is now, compared in the database (one hash
 * join, each posting's payload built by postingPayloadSql): entries whose posting is gone or differs,
 * and postings no entry records. Refused entries are not the log's.
 */
export async function postingMismatches(db: Executor) {
  return rowsOf<{ idx: number | null; entry_ref: string | null; posting_ref: string | null }>(
    await db.execute(sql`
      with e as (select idx, ref, payload from log_entries where kind = 'posting' and rejected is null),
      p as (select p.*, ${postingRefSql(sql`p`)} as ref from ledger_postings p)
      select e.idx::int as idx, e.ref as entry_ref, p.ref as posting_ref
      from e full join p on p.ref = e.ref
      where e.ref is null or p.ref is null or e.payload <> ${postingPayloadSql(sql`p`)}`),
  );
}

/** Entries of other kinds than postings (credentials, their status, awards, merges), refused ones aside. */
export async function factEntriesLogged(db: Executor) {
  return rowsOf<{ idx: number | null; kind: string; ref: string; payload: string }>(
    await db.execute(sql`select idx::int as idx, kind, ref, payload from log_entries where kind <> 'posting' and rejected is null`),
  );
}

export async function rejectedEntries(db: Executor) {
  return rowsOf<{ kind: string; ref: string; rejected: string }>(
    await db.execute(sql`select kind, ref, rejected from log_entries where rejected is not null order by id`),
  );
}

/** Places in [from, to) missing from the sequenced log, as ranges: none when every place is there. */
export async function missingPlaces(db: Executor, from: number, to: number) {
  return rowsOf<{ first: number; last: number }>(
    await db.execute(sql`select prev::int + 1 as first, idx::int - 1 as last
      from (select idx, lag(idx, 1, ${from - 1}::bigint) over (order by idx) as prev
        from (select idx from log_entries where idx >= ${from} and idx < ${to} union all select ${to}::bigint) places) x
      where idx <> prev + 1`),
  );
}

/**
 * The leaves of the sequenced entries in [from, to), recomputed from each entry's place and payload
 * (RFC 9162's leaf hash of leafData) and concatenated in log order, with the entries whose stored
 * leaf hash differs: one row for the whole range.
 */
export async function leavesBetween(db: Executor, from: number, to: number) {
  const [row] = rowsOf<{ leaves: Uint8Array | null; bad: { idx: number; ref: string; stored: boolean }[] | null }>(
    await db.execute(sql`
      select string_agg(leaf, ''::bytea order by idx) as leaves,
        json_agg(json_build_object('idx', idx, 'ref', ref, 'stored', stored is not null)) filter (where stored is distinct from leaf) as bad
      from (select idx, ref, leaf_hash as stored, ${leafHashSql(sql`e`)} as leaf
        from log_entries e where idx >= ${from} and idx < ${to}) x`),
  );
  return { leaves: Buffer.from(row?.leaves ?? []), bad: (row?.bad ?? []).sort((a, b) => a.idx - b.idx) };
}

/** The largest place in the log, or -1. */
export async function lastPlace(db: Executor): Promise<number> {
  const [row] = rowsOf<{ last: number | null }>(await db.execute(sql`select max(idx)::int as last from log_entries`));
  return row?.last ?? -1;
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
