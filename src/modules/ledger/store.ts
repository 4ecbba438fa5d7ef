import { and, eq, getTableColumns, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { arrayLiteral } from '../../db/bulk.js';
import { logging, postingPayload, postingPayloadSql, postingRef, postingRefSql } from '../log/entries.js';
import type { Executor } from '../../db/connection.js';
import { creditUses, institutions, learningAccounts, ledgerPostings } from '../../db/schema.js';

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
  const [row] = await db
    .select()
    .from(ledgerPostings)
    .where(and(eq(ledgerPostings.learnerId, learnerId), eq(ledgerPostings.seq, seq)));
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

/** The postings of several causes of one type (a page of applications), in one query. */
export async function postingsOfCauses(db: Executor, learnerIds: string[], causeType: string, causeIds: string[]) {
  if (causeIds.length === 0) return [];
  return db
    .select()
    .from(ledgerPostings)
    .where(and(inArray(ledgerPostings.learnerId, [...new Set(learnerIds)]), eq(ledgerPostings.causeType, causeType), inArray(ledgerPostings.causeId, causeIds)))
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
  source_code: string | null;
  source_title_zh: string | null;
  source_title_en: string | null;
  source_institution_zh: string | null;
  source_institution_en: string | null;
  target_institution_zh: string | null;
  target_institution_en: string | null;
};

/**
 * The postings (alias p) that belong to one of the institutions: results recorded there,
 * certifications it reviewed, transfers into or out of it, awards it made. Staff of an institution
 * that is not the learner's only one see these alone (learners/service.ts readScope).
 */
function attributedTo(institutionIds: string[]): SQL {
  const ids = sql`(${sql.join(
    institutionIds.map((i) => sql`${i}::uuid`),
    sql`, `,
  )})`;
  return sql`(
    exists (select 1 from outcomes o where o.id = (case when p.cause_type = 'outcome' then p.cause_id::uuid end) and o.institution_id in ${ids})
    or exists (select 1 from certification_applications c where c.learner_id = p.learner_id and c.id = (case when p.cause_type = 'certification' then p.cause_id::uuid end) and c.institution_id in ${ids})
    or exists (select 1 from transfer_lines t where t.learner_id = p.learner_id
      and t.application_id = (case when p.cause_type = 'transfer' then split_part(p.cause_id, ':', 1)::uuid end)
      and t.line_no = (case when p.cause_type = 'transfer' then split_part(p.cause_id, ':', 2)::int end)
      and (t.target_institution_id in ${ids} or t.source_institution_id in ${ids}))
    or exists (select 1 from awards a join programmes pr on pr.id = a.programme_id where a.learner_id = p.learner_id and a.id = (case when p.cause_type = 'award' then p.cause_id::uuid end) and pr.institution_id in ${ids})
  )`;
}

/** Whether the posting belongs to one of the institutions (attributedTo). */
export async function postingAttributed(db: Executor, learnerId: string, seq: number, institutionIds: string[]) {
  const res = await db.execute(
    sql`select 1 as one from ledger_postings p where p.learner_id = ${learnerId} and p.seq = ${seq} and ${attributedTo(institutionIds)}`,
  );
  return (res as unknown as { rows: unknown[] }).rows.length > 0;
}

/** Balances by credit unit over the postings that belong to the institutions (attributedTo). */
export async function balanceRowsAttributed(db: Executor, learnerId: string, institutionIds: string[]) {
  const res = await db.execute(sql`
    select p.learner_id as "learnerId", p.unit,
           coalesce(sum(case when p.to_state = 'available' then p.amount else 0 end) - sum(case when p.from_state = 'available' then p.amount else 0 end), 0)::text as available,
           coalesce(sum(case when p.to_state = 'used' then p.amount else 0 end) - sum(case when p.from_state = 'used' then p.amount else 0 end), 0)::text as used
    from ledger_postings p
    where p.learner_id = ${learnerId} and ${attributedTo(institutionIds)}
    group by p.learner_id, p.unit
    order by p.unit`);
  return (res as unknown as { rows: { learnerId: string; unit: CreditUnit; available: string; used: string }[] }).rows;
}

export interface InstitutionBalanceRow {
  /** null for a certificate's issuing body outside the bank (named), or a cause no longer on record (unnamed) */
  institutionId: string | null;
  nameZh: string | null;
  nameEn: string | null;
  unit: CreditUnit;
  available: string;
  used: string;
}

/**
 * Balances by institution and unit: each posting (alias p) counted where its credits are held. A
 * result's at the institution that recorded it; a certification's at the reviewing institution (or
 * the certificate's issuing body); an award's at the programme's institution; of a transfer, the
 * source credits moved to "used" (and back, on a reversal) at the source, the credits received at the
 * target. A transfer is then a move between two rows, never a sum of both.
 */
export async function institutionBalanceRows(db: Executor, learnerId: string, institutionIds?: string[]) {
  const uuidOf = (type: string) => sql`(case when p.cause_type = ${type} then p.cause_id::uuid end)`;
  const scoped = institutionIds
    ? sql`and s.institution_id in (${sql.join(
        institutionIds.map((i) => sql`${i}::uuid`),
        sql`, `,
      )})`
    : sql``;
  const res = await db.execute(sql`
    select s.institution_id as "institutionId", coalesce(i.name_zh, s.body) as "nameZh", coalesce(i.name_en, s.body) as "nameEn", p.unit,
           coalesce(sum(case when p.to_state = 'available' then p.amount else 0 end) - sum(case when p.from_state = 'available' then p.amount else 0 end), 0)::text as available,
           coalesce(sum(case when p.to_state = 'used' then p.amount else 0 end) - sum(case when p.from_state = 'used' then p.amount else 0 end), 0)::text as used
    from ledger_postings p
    left join lateral (
      select o.institution_id, null::text as body from outcomes o
      where p.cause_type = 'outcome' and o.learner_id = p.learner_id and o.id = ${uuidOf('outcome')}
      union all
      select a.institution_id, a.issuing_body from certification_applications a
      where p.cause_type = 'certification' and a.learner_id = p.learner_id and a.id = ${uuidOf('certification')}
      union all
      select case when 'used' in (p.from_state, p.to_state) then t.source_institution_id else t.target_institution_id end, null
      from transfer_lines t
      where p.cause_type = 'transfer' and t.learner_id = p.learner_id
        and t.application_id = (case when p.cause_type = 'transfer' then split_part(p.cause_id, ':', 1)::uuid end)
        and t.line_no = (case when p.cause_type = 'transfer' then split_part(p.cause_id, ':', 2)::int end)
      union all
      select pr.institution_id, null from awards a join programmes pr on pr.id = a.programme_id
      where p.cause_type = 'award' and a.learner_id = p.learner_id and a.id = ${uuidOf('award')}
      limit 1
    ) s on true
    left join institutions i on i.id = s.institution_id
    where p.learner_id = ${learnerId} ${scoped}
    group by s.institution_id, i.name_zh, i.name_en, s.body, p.unit
    order by 3, p.unit`);
  return (res as unknown as { rows: InstitutionBalanceRow[] }).rows;
}

/**
 * What a posting (alias h, of one learner) came from, as a person reads it: the course of a result,
 * the certificate of a certification, the source course of a transfer line, the programme of an
 * award; code, titles and institution names (a row, or none for other causes). Joined laterally to a
 * page of postings: one statement for the page, not a query per row.
 */
function causeSource(learnerId: string): SQL {
  const uuidOf = (type: string) => sql`(case when h.cause_type = ${type} then h.cause_id::uuid end)`;
  return sql`
    select c.code, c.title_zh, c.title_en, i.name_zh as institution_zh, i.name_en as institution_en,
           null::text as target_institution_zh, null::text as target_institution_en
    from outcomes o join courses c on c.id = o.course_id join institutions i on i.id = o.institution_id
    where h.cause_type = 'outcome' and o.learner_id = ${learnerId} and o.id = ${uuidOf('outcome')}
    union all
    select a.certificate_no, a.title, a.title, coalesce(i.name_zh, a.issuing_body), coalesce(i.name_en, a.issuing_body), null, null
    from certification_applications a left join institutions i on i.id = a.institution_id
    where h.cause_type = 'certification' and a.learner_id = ${learnerId} and a.id = ${uuidOf('certification')}
    union all
    select c.code, c.title_zh, c.title_en, i.name_zh, i.name_en, ti.name_zh, ti.name_en
    from transfer_lines t join outcomes o on o.learner_id = t.learner_id and o.id = t.outcome_id
      join courses c on c.id = o.course_id join institutions i on i.id = t.source_institution_id
      join institutions ti on ti.id = t.target_institution_id
    where h.cause_type = 'transfer' and t.learner_id = ${learnerId}
      and t.application_id = (case when h.cause_type = 'transfer' then split_part(h.cause_id, ':', 1)::uuid end)
      and t.line_no = (case when h.cause_type = 'transfer' then split_part(h.cause_id, ':', 2)::int end)
    union all
    select pr.code, pr.title_zh, pr.title_en, i.name_zh, i.name_en, null, null
    from awards a join programmes pr on pr.id = a.programme_id join institutions i on i.id = pr.institution_id
    where h.cause_type = 'award' and a.learner_id = ${learnerId} and a.id = ${uuidOf('award')}
    limit 1`;
}

/**
 * A page of the account's history, newest first, with the balances after each posting; with
 * `institutionIds`, only the postings that belong to them, the balances running over those alone.
 */
export async function historyRows(db: Executor, learnerId: string, beforeSeq: number | undefined, limit: number, institutionIds?: string[]) {
  const rows = await db.execute<HistoryRow>(sql`
    select h.*, s.code as source_code, s.title_zh as source_title_zh, s.title_en as source_title_en,
           s.institution_zh as source_institution_zh, s.institution_en as source_institution_en,
           s.target_institution_zh, s.target_institution_en
    from (
    select * from (
      select p.seq, p.kind, p.amount::text as amount, p.unit, p.from_state, p.to_state, p.cause_type, p.cause_id,
             p.reverses_seq, r.seq as reversed_by_seq, p.memo, p.created_at,
             (sum(case when p.to_state = 'available' then p.amount else 0 end) over w
              - sum(case when p.from_state = 'available' then p.amount else 0 end) over w)::text as available_after,
             (sum(case when p.to_state = 'used' then p.amount else 0 end) over w
              - sum(case when p.from_state = 'used' then p.amount else 0 end) over w)::text as used_after
      from ledger_postings p
      left join ledger_postings r on r.learner_id = p.learner_id and r.reverses_seq = p.seq
      where p.learner_id = ${learnerId} and ${institutionIds ? attributedTo(institutionIds) : sql`true`}
      window w as (partition by p.unit order by p.seq)
    ) h
    where ${beforeSeq === undefined ? sql`true` : sql`h.seq < ${beforeSeq}`}
    order by h.seq desc
    limit ${limit}
    ) h
    left join lateral (${causeSource(learnerId)}) s on true
    order by h.seq desc`);
  return (rows as unknown as { rows: HistoryRow[] }).rows;
}

/**
 * Reserves sequence numbers on every account that `items` (a relation with learner_id) posts to,
 * as many as it has rows there, in one statement; locks those accounts. Returns an account that is
 * missing (status null) or not open, if any. (No LIMIT: it tempts the planner into a nested loop
 * over the two CTEs, quadratic in the number of accounts.)
 */
export async function reserveSeqsFrom(tx: Executor, items: SQL) {
  // accounts are locked in one order (by learner) first, so two imports touching the same learners cannot deadlock
  const res = await tx.execute(sql`
    with c as (select learner_id, count(*)::int as n from (${items}) i group by learner_id),
    l as (select a.learner_id from learning_accounts a where a.learner_id in (select learner_id from c) order by a.learner_id for update),
    a as (update learning_accounts a set last_seq = a.last_seq + c.n from c, l where a.learner_id = c.learner_id and l.learner_id = c.learner_id returning a.learner_id, a.status)
    select c.learner_id, a.status from c left join a on a.learner_id = c.learner_id where a.status is distinct from 'open'`);
  return (res as unknown as { rows: { learner_id: string; status: string | null }[] }).rows[0];
}

/**
 * Inserts deposits from `items` (a relation with learner_id, amount, cause_id, memo and ord) and
 * appends them to the transparency log, in one statement. Each account's deposits take the last
 * sequence numbers reserved on it (reserveSeqsFrom, in this transaction), in the order of ord.
 */
export async function insertDepositsFrom(tx: Executor, d: { unit: CreditUnit; causeType: string; createdBy: string | null }, items: SQL) {
  const insert = sql`
    insert into ledger_postings (learner_id, seq, kind, amount, unit, from_state, to_state, cause_type, cause_id, memo, created_by)
    select i.learner_id, a.last_seq - count(*) over (partition by i.learner_id) + row_number() over (partition by i.learner_id order by i.ord),
           'deposit', i.amount, ${d.unit}, null, 'available', ${d.causeType}, i.cause_id, i.memo, ${d.createdBy}::uuid
    from (${items}) i join learning_accounts a on a.learner_id = i.learner_id`;
  if (!logging.enabled) {
    await tx.execute(insert);
    return;
  }
  await tx.execute(sql`
    with p as (${insert} returning *)
    insert into log_entries (kind, ref, payload) select 'posting', ${postingRefSql(sql`p`)}, ${postingPayloadSql(sql`p`)} from p`);
}

// ---- uses: one live use per credit (credit_uses_live_key)

export type UseRow = typeof creditUses.$inferSelect;
export type NewUse = Pick<typeof creditUses.$inferInsert, 'credit' | 'useType' | 'useId' | 'institutionId'>;

/**
 * Takes a live use of each credit; returns the credits another live use already holds (nothing is
 * taken for those). A concurrent claim of the same credit waits for the first to commit or roll back.
 */
export async function claimUses(tx: Executor, learnerId: string, uses: NewUse[]): Promise<string[]> {
  if (uses.length === 0) return [];
  const res = await tx.execute(sql`
    insert into credit_uses (learner_id, credit, use_type, use_id, institution_id)
    select ${learnerId}::uuid, u.credit, u.use_type, u.use_id, u.institution_id
    from unnest(${arrayLiteral(uses.map((u) => u.credit))}::text[], ${arrayLiteral(uses.map((u) => u.useType))}::text[],
                ${arrayLiteral(uses.map((u) => u.useId))}::text[], ${arrayLiteral(uses.map((u) => u.institutionId))}::uuid[]) as u(credit, use_type, use_id, institution_id)
    on conflict (learner_id, credit) where ended_at is null do nothing
    returning credit`);
  const taken = new Set((res as unknown as { rows: { credit: string }[] }).rows.map((r) => r.credit));
  return uses.map((u) => u.credit).filter((c) => !taken.has(c));
}

/** Ends the live uses made by these uses (of one type); returns how many ended. */
export async function endUses(tx: Executor, learnerId: string, useType: UseRow['useType'], useIds: string[], reason: string) {
  if (useIds.length === 0) return 0;
  const res = await tx
    .update(creditUses)
    .set({ endedAt: sql`now()`, endReason: reason })
    .where(and(eq(creditUses.learnerId, learnerId), eq(creditUses.useType, useType), inArray(creditUses.useId, useIds), isNull(creditUses.endedAt)))
    .returning({ credit: creditUses.credit });
  return res.length;
}

/** The live uses of these learners' credits (of the credits named, if any), with where each went. */
export async function liveUses(db: Executor, learnerIds: string[], credits?: string[]) {
  if (learnerIds.length === 0 || credits?.length === 0) return [];
  return db
    .select({ use: creditUses, institution: { code: institutions.code, nameZh: institutions.nameZh, nameEn: institutions.nameEn } })
    .from(creditUses)
    .innerJoin(institutions, eq(institutions.id, creditUses.institutionId))
    .where(and(inArray(creditUses.learnerId, learnerIds), credits ? inArray(creditUses.credit, credits) : undefined, isNull(creditUses.endedAt)));
}

export async function lockAccountsOf(tx: Executor, items: SQL) {
  await tx.execute(sql`select 1 from learning_accounts where learner_id in (select learner_id from (${items}) i) order by learner_id for update`);
}

/** Locks the learner's account row until the transaction ends: every writer of a learner's uses and caps takes it first. */
export async function lockAccount(tx: Executor, learnerId: string) {
  const [row] = await tx.select({ status: learningAccounts.status }).from(learningAccounts).where(eq(learningAccounts.learnerId, learnerId)).for('update');
  return row;
}
