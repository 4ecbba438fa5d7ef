import { and, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { arrayLiteral, insertUnnest } from '../../db/bulk.js';
import { appendPostings, logging, postingPayload, postingRef } from '../log/entries.js';
import type { Executor } from '../../db/connection.js';
import { learningAccounts, ledgerPostings } from '../../db/schema.js';

export type PostingRow = typeof ledgerPostings.$inferSelect;
export type CreditUnit = PostingRow['unit'];
export type NewPostingRow = typeof ledgerPostings.$inferInsert;

/**
 * Reserves `n` sequence numbers on the account and returns the first, with the account's status.
 * The UPDATE locks the account row until the transaction ends: concurrent posters to one account
 * (in any process) wait their turn, so balances read after it are current.
 */
export async function reserveSeqs(tx: Executor, learnerId: string, n: number) {
  const [row] = await tx
    .update(learningAccounts)
    .set({ lastSeq: sql`${learningAccounts.lastSeq} + ${n}` })
    .where(eq(learningAccounts.learnerId, learnerId))
    .returning({ lastSeq: learningAccounts.lastSeq, status: learningAccounts.status });
  return row && { first: row.lastSeq - n + 1, status: row.status };
}

const stateSum = (state: 'available' | 'used') =>
  sql<string>`coalesce(sum(case when ${ledgerPostings.toState} = ${state} then ${ledgerPostings.amount} else 0 end) - sum(case when ${ledgerPostings.fromState} = ${state} then ${ledgerPostings.amount} else 0 end), 0)::text`;

/** Balances by learner and credit unit. */
export async function balanceRows(db: Executor, learnerIds: string[], unit?: CreditUnit) {
  if (learnerIds.length === 0) return [];
  return db
    .select({ learnerId: ledgerPostings.learnerId, unit: ledgerPostings.unit, available: stateSum('available'), used: stateSum('used') })
    .from(ledgerPostings)
    .where(and(inArray(ledgerPostings.learnerId, learnerIds), unit ? eq(ledgerPostings.unit, unit) : undefined))
    .groupBy(ledgerPostings.learnerId, ledgerPostings.unit)
    .orderBy(ledgerPostings.learnerId, ledgerPostings.unit);
}

const postingColumns = sql.join(
  Object.entries(getTableColumns(ledgerPostings)).map(([field, column]) => sql`${sql.identifier(column.name)} as ${sql.identifier(field)}`),
  sql`, `,
);

/**
 * Inserts postings and appends them to the transparency log, in the caller's transaction and in one
 * statement (a data-modifying WITH): the log costs no extra round trip.
 */
export async function insertPostings(tx: Executor, rows: NewPostingRow[]): Promise<PostingRow[]> {
  if (rows.length === 0) return [];
  const insert = tx.insert(ledgerPostings).values(rows).returning();
  if (!logging.enabled) return insert;
  const entries = rows.map((r) => ({ ref: postingRef(r), payload: postingPayload(r) }));
  const res = await tx.execute(sql`
    with p as (${insert.getSQL()}),
    l as (insert into log_entries (kind, ref, payload)
          select 'posting', e.ref, e.payload from unnest(${arrayLiteral(entries.map((e) => e.ref))}::text[], ${arrayLiteral(entries.map((e) => e.payload))}::text[]) as e(ref, payload))
    select ${postingColumns} from p order by p.seq`);
  return (res as unknown as { rows: PostingRow[] }).rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
}

export async function postingBySeq(db: Executor, learnerId: string, seq: number) {
  const [row] = await db.select().from(ledgerPostings).where(and(eq(ledgerPostings.learnerId, learnerId), eq(ledgerPostings.seq, seq)));
  return row;
}

export async function reversalOf(db: Executor, learnerId: string, seq: number) {
  const [row] = await db
    .select({ seq: ledgerPostings.seq })
    .from(ledgerPostings)
    .where(and(eq(ledgerPostings.learnerId, learnerId), eq(ledgerPostings.reversesSeq, seq)));
  return row;
}

/** Every posting made for a cause, reversals included, in order. */
export async function postingsOfCause(db: Executor, learnerId: string, causeType: string, causeId: string) {
  return db
    .select()
    .from(ledgerPostings)
    .where(and(eq(ledgerPostings.learnerId, learnerId), eq(ledgerPostings.causeType, causeType), eq(ledgerPostings.causeId, causeId)))
    .orderBy(ledgerPostings.seq);
}

/** Postings made for a cause that have not been reversed (and are not reversals themselves). */
export async function openPostingsOfCause(db: Executor, learnerId: string, causeType: string, causeId: string) {
  const rev = alias(ledgerPostings, 'rev');
  return db
    .select({ p: ledgerPostings })
    .from(ledgerPostings)
    .leftJoin(rev, and(eq(rev.learnerId, ledgerPostings.learnerId), eq(rev.reversesSeq, ledgerPostings.seq)))
    .where(
      and(
        eq(ledgerPostings.learnerId, learnerId),
        eq(ledgerPostings.causeType, causeType),
        eq(ledgerPostings.causeId, causeId),
        isNull(ledgerPostings.reversesSeq),
        isNull(rev.seq),
      ),
    )
    .orderBy(ledgerPostings.seq)
    .then((rows) => rows.map((r) => r.p));
}

type HistoryRow = {
    seq: number;
    kind: PostingRow['kind'];
    amount: string;
    unit: CreditUnit;
    from_state: PostingRow['fromState'];
    to_state: PostingRow['toState'];
    cause_type: string;
    cause_id: string;
    reverses_seq: number | null;
    reversed_by_seq: number | null;
    memo: string | null;
    created_at: string | Date;
    available_after: string;
    used_after: string;
  }

/** A page of the account's history, newest first, with the balances after each posting. */
export async function historyRows(db: Executor, learnerId: string, beforeSeq: number | undefined, limit: number) {
  const rows = await db.execute<HistoryRow>(sql`
    select * from (
      select p.seq, p.kind, p.amount::text as amount, p.unit, p.from_state, p.to_state, p.cause_type, p.cause_id,
             p.reverses_seq, r.seq as reversed_by_seq, p.memo, p.created_at,
             (sum(case when p.to_state = 'available' then p.amount else 0 end) over w
              - sum(case when p.from_state = 'available' then p.amount else 0 end) over w)::text as available_after,
             (sum(case when p.to_state = 'used' then p.amount else 0 end) over w
              - sum(case when p.from_state = 'used' then p.amount else 0 end) over w)::text as used_after
      from ledger_postings p
      left join ledger_postings r on r.learner_id = p.learner_id and r.reverses_seq = p.seq
      where p.learner_id = ${learnerId}
      window w as (partition by p.unit order by p.seq)
    ) h
    where ${beforeSeq === undefined ? sql`true` : sql`h.seq < ${beforeSeq}`}
    order by h.seq desc
    limit ${limit}`);
  return (rows as unknown as { rows: HistoryRow[] }).rows;
}

/** Reserves sequence numbers on many accounts in one statement; locks those accounts. */
export async function reserveSeqsMany(tx: Executor, counts: { learnerId: string; n: number }[]) {
  if (counts.length === 0) return [];
  const values = sql.join(
    counts.map((c) => sql`(${c.learnerId}::uuid, ${c.n}::int)`),
    sql`, `,
  );
  const res = await tx.execute(sql`
    update learning_accounts a set last_seq = a.last_seq + c.n
    from (values ${values}) as c(learner_id, n)
    where a.learner_id = c.learner_id
    returning a.learner_id, a.last_seq, a.status`);
  return (res as unknown as { rows: { learner_id: string; last_seq: number; status: string }[] }).rows;
}

/** Inserts postings without reading them back (bulk paths), one statement per 5,000. */
export async function insertPostingsQuiet(tx: Executor, postings: NewPostingRow[]) {
  const rows = postings.map((r) => ({ learnerId: r.learnerId, seq: r.seq, kind: r.kind, amount: r.amount, unit: r.unit, fromState: r.fromState ?? null, toState: r.toState ?? null, causeType: r.causeType, causeId: r.causeId, memo: r.memo ?? null, createdBy: r.createdBy ?? null }));
  for (let i = 0; i < rows.length; i += 5000) {
    await insertUnnest(
      tx,
      'ledger_postings',
      {
        learnerId: ['learner_id', 'uuid'],
        seq: ['seq', 'int'],
        kind: ['kind', 'text'],
        amount: ['amount', 'numeric'],
        unit: ['unit', 'text'],
        fromState: ['from_state', 'text'],
        toState: ['to_state', 'text'],
        causeType: ['cause_type', 'text'],
        causeId: ['cause_id', 'text'],
        memo: ['memo', 'text'],
        createdBy: ['created_by', 'uuid'],
      } as const,
      rows.slice(i, i + 5000),
    );
  }
  await appendPostings(tx, rows);
}
