// The facts quality indicators are computed from (certification applications with their events,
// transfer lines, awards, the ledger summed by day), learners' ratings, and the monthly reports.
import { desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { BROAD_FIELDS } from '../../core/isced.js';
import type { Db, Executor } from '../../db/connection.js';
import { decisionRatings, qualityReports, users } from '../../db/schema.js';

export type RatingRow = typeof decisionRatings.$inferSelect;

export async function upsertRating(db: Executor, r: typeof decisionRatings.$inferInsert): Promise<RatingRow> {
  const [row] = await db
    .insert(decisionRatings)
    .values(r)
    .onConflictDoUpdate({
      target: [decisionRatings.learnerId, decisionRatings.subjectType, decisionRatings.subjectId],
      set: { rating: r.rating, comment: r.comment, updatedAt: new Date() },
    })
    .returning();
  return row!;
}

export async function ratingsOf(db: Executor, learnerId: string): Promise<RatingRow[]> {
  return db.select().from(decisionRatings).where(eq(decisionRatings.learnerId, learnerId)).orderBy(desc(decisionRatings.updatedAt));
}

/**
 * Ratings given since `since` about decisions of the institutions (all when null), with the fields
 * the decision was about: the certificate's, or the courses' of a transfer application.
 */
export async function ratingRows(db: Executor, institutionIds: string[] | null, since: Date) {
  return rowsOf<{ rating: number; updated_at: Date | string; fields: (string | null)[] | null }>(
    await db.execute(sql`
      select r.rating, r.updated_at,
        case r.subject_type
          when 'certification' then (select array[coalesce(a.isced_code, s.isced_code)] from certification_applications a left join conversion_standards s on s.id = a.standard_id
                                     where a.learner_id = r.learner_id and a.id = r.subject_id)
          else (select array_agg(c.isced_code) from transfer_lines l join outcomes o on o.id = l.outcome_id join courses c on c.id = o.course_id
                where l.learner_id = r.learner_id and l.application_id = r.subject_id) end as fields
      from decision_ratings r
      where r.updated_at >= ${since.toISOString()}::timestamptz and ${scope('r.institution_id', institutionIds)}`),
  );
}

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
/** `column` is always a constant of this file (`alias.column`), never input. */
const scope = (column: string, ids: string[] | null) => (ids === null ? sql`true` : sql`${sql.raw(column)} = any(${`{${ids.join(',')}}`}::uuid[])`);
/** The ISCED-F broad field of a field code, as core/isced's `broadField` gives it ('99' for none). */
const broad = (code: SQL) => sql`(case when left(${code}, 2) = any(${`{${Object.keys(BROAD_FIELDS).join(',')}}`}::text[]) then left(${code}, 2) else '99' end)`;

/**
 * Applications to the institutions (all when null) that something happened to since `since`, or that
 * are still waiting (`pending`), with their events in order: every application a period starting at
 * `since` can count, its backlog included.
 */
export async function certificationRows(db: Executor, institutionIds: string[] | null, since: Date, pending: string[]) {
  return rowsOf<{
    id: string;
    learner_id: string;
    status: string;
    kind: string;
    field: string | null;
    credits_granted: string | null;
    at: Date | string | null;
    action: string | null;
    to_status: string | null;
    reason: string | null;
  }>(
    await db.execute(sql`
      select a.id, a.learner_id, a.status, a.outcome_kind as kind, coalesce(a.isced_code, s.isced_code) as field, a.credits_granted::text as credits_granted, e.at, e.action, e.to_status, e.reason
      from certification_applications a
      left join conversion_standards s on s.id = a.standard_id
      left join certification_events e on e.learner_id = a.learner_id and e.application_id = a.id
      where ${scope('a.institution_id', institutionIds)}
        and a.id in (select application_id from certification_events where at >= ${since.toISOString()}::timestamptz
                     union all select id from certification_applications where status = any(${`{${pending.join(',')}}`}::text[]))
      order by a.id, e.seq`),
  );
}

/** Transfer lines decided since `since` where either side is one of the institutions (all when null). */
export async function transferRows(db: Executor, institutionIds: string[] | null, since: Date) {
  const either =
    institutionIds === null ? sql`true` : sql`(${scope('l.source_institution_id', institutionIds)} or ${scope('l.target_institution_id', institutionIds)})`;
  return rowsOf<{
    source_institution_id: string;
    target_institution_id: string;
    learner_id: string;
    status: string;
    credits: string | null;
    decided_at: Date | string | null;
    applied_at: Date | string;
    field: string | null;
  }>(
    await db.execute(sql`
      select l.source_institution_id, l.target_institution_id, l.learner_id, l.status, l.credits::text as credits, l.decided_at, t.created_at as applied_at, c.isced_code as field
      from transfer_lines l join transfer_applications t on t.learner_id = l.learner_id and t.id = l.application_id
      join outcomes o on o.id = l.outcome_id join courses c on c.id = o.course_id
      where l.decided_at >= ${since.toISOString()}::timestamptz and ${either}`),
  );
}

/** The conversion standards (every version) and equivalences of the institutions (all when null), with what names them. */
export async function ruleRows(db: Executor, institutionIds: string[] | null) {
  const standards = rowsOf<{ id: string; code: string; version: number; name_zh: string; name_en: string; status: string; institution_id: string }>(
    await db.execute(
      sql`select id, code, version, name_zh, name_en, status, institution_id from conversion_standards where ${scope('institution_id', institutionIds)} and status <> 'draft' order by code, version`,
    ),
  );
  const equivalences = rowsOf<{
    id: string;
    status: string;
    version: number;
    target_institution_id: string;
    source_code: string;
    target_code: string;
    courses: string;
    target: { kind: string; courseIds?: string[]; category?: string };
  }>(
    await db.execute(sql`
      select e.id, e.status, e.version, e.target_institution_id, s.code as source_code, t.code as target_code, e.target,
             (select string_agg(c.code, '+' order by c.code) from courses c where c.id::text in (select jsonb_array_elements_text(e.source_course_ids))) as courses
      from equivalences e join institutions s on s.id = e.source_institution_id join institutions t on t.id = e.target_institution_id
      where ${scope('target_institution_id', institutionIds)}
      order by s.code, t.code, courses`),
  );
  return { standards, equivalences };
}

export async function courseCodes(db: Executor, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = rowsOf<{ id: string; code: string }>(await db.execute(sql`select id, code from courses where id = any(${`{${ids.join(',')}}`}::uuid[])`));
  return new Map(rows.map((r) => [r.id, r.code]));
}

/** Each decision that applied a standard (an application's first decision) or an equivalence (a decided transfer line), with its reviewer. */
export async function ruleUses(db: Executor) {
  const standards = rowsOf<{ rule_id: string; at: Date | string; approved: boolean; reviewer: string | null }>(
    await db.execute(sql`
      select distinct on (a.id) a.standard_id as rule_id, e.at, e.to_status = 'approved' as approved, u.username as reviewer
      from certification_applications a
      join certification_events e on e.learner_id = a.learner_id and e.application_id = a.id and e.to_status in ('approved','rejected') and e.action <> 'submit'
      left join users u on u.id = e.actor_user_id
      where a.standard_id is not null
      order by a.id, e.seq`),
  );
  const equivalences = rowsOf<{ rule_id: string; at: Date | string; approved: boolean; reviewer: string | null }>(
    await db.execute(sql`
      select l.equivalence_id as rule_id, l.decided_at as at, l.status in ('accepted','substituted') as approved, u.username as reviewer
      from transfer_lines l
      join transfer_applications t on t.learner_id = l.learner_id and t.id = l.application_id
      left join users u on u.id = t.decided_by
      where l.equivalence_id is not null and l.status <> 'pending' and l.decided_at is not null`),
  );
  return [...standards, ...equivalences];
}

/** Changes to standards and equivalences from the audit trail: who, when, what and why. */
export async function ruleChanges(db: Executor) {
  return rowsOf<{ entity_id: string; at: Date | string; action: string; actor: string | null; details: Record<string, unknown> }>(
    await db.execute(sql`
      select a.entity_id, a.at, a.action, u.username as actor, a.details
      from audit_events a left join users u on u.id = a.actor_user_id
      where a.entity_type in ('standard', 'equivalence')
      order by a.at`),
  );
}

// ---------------------------------------------------------------- the ledger, summed by day

/**
 * Postings with the day they fall on in the reporting time zone, the institution they belong to and
 * their field. The institution: the results' institution, the certifying institution, the institution
 * that accepted a transfer (the source institution for the source credits a transfer uses up), the
 * awarding institution; postings of any other cause have none and are not counted. The field: the
 * course's (the source course's for a transfer), the certificate's, the programme's.
 */
const attributed = (offset: string, where: SQL) => sql`
  select ((p.created_at at time zone 'UTC') + ${offset}::interval)::date as day,
         coalesce(o.institution_id, c.institution_id, case when 'used' in (p.from_state, p.to_state) then t.source_institution_id else t.target_institution_id end, pr.institution_id) as institution_id,
         ${broad(sql`coalesce(oc.isced_code, c.isced_code, cs.isced_code, tc.isced_code, pr.isced_code)`)} as field,
         p.cause_type, p.kind, coalesce(p.from_state, '') as from_state, coalesce(p.to_state, '') as to_state, p.unit,
         count(*)::int as postings, sum(p.amount) as credits
  from ledger_postings p
  left join outcomes o on o.id = (case when p.cause_type = 'outcome' then p.cause_id::uuid end)
  left join courses oc on oc.id = o.course_id
  left join certification_applications c on c.learner_id = p.learner_id and c.id = (case when p.cause_type = 'certification' then p.cause_id::uuid end)
  left join conversion_standards cs on cs.id = c.standard_id
  left join transfer_lines t on t.learner_id = p.learner_id
    and t.application_id = (case when p.cause_type = 'transfer' then split_part(p.cause_id, ':', 1)::uuid end)
    and t.line_no = (case when p.cause_type = 'transfer' then split_part(p.cause_id, ':', 2)::int end)
  left join outcomes tlo on tlo.id = t.outcome_id
  left join courses tc on tc.id = tlo.course_id
  left join awards a on a.learner_id = p.learner_id and a.id = (case when p.cause_type = 'award' then p.cause_id::uuid end)
  left join programmes pr on pr.id = a.programme_id
  where ${where}
  group by 1, 2, 3, 4, 5, 6, 7, 8`;

/**
 * Adds the postings of every transaction finished since the last refresh to `ledger_daily`, in one
 * transaction with the mark of how far it reaches; a changed reporting time zone rebuilds it.
 * Returns how many postings it added.
 */
export async function refreshLedgerDaily(tx: Executor, offset: string): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(7263003)`); // one refresh at a time, across processes too
  const [state] = rowsOf<{ through_xact: string; utc_offset: string }>(
    await tx.execute(sql`select through_xact::text, utc_offset from ledger_daily_state where id = 1 for update`),
  );
  const [{ x }] = rowsOf<{ x: string }>(await tx.execute(sql`select pg_snapshot_xmin(pg_current_snapshot())::text as x`)) as [{ x: string }];
  let from = state?.through_xact ?? '0';
  // another reporting time zone, or a mark from another cluster (a restored dump: its xids are not ours), rebuilds
  if (state && (state.utc_offset !== offset || BigInt(x) < BigInt(from))) {
    await tx.execute(sql`delete from ledger_daily`);
    from = '0';
  }
  const added = rowsOf<{ n: string }>(
    await tx.execute(sql`
      with fresh as (${attributed(offset, sql`p.xact >= ${from}::bigint and p.xact < ${x}::bigint`)}),
      written as (
        insert into ledger_daily (day, institution_id, field, cause_type, kind, from_state, to_state, unit, postings, credits)
        select * from fresh where institution_id is not null
        on conflict (day, institution_id, field, cause_type, kind, from_state, to_state, unit)
        do update set postings = ledger_daily.postings + excluded.postings, credits = ledger_daily.credits + excluded.credits
        returning 1)
      select coalesce((select sum(postings) from fresh where institution_id is not null), 0)::text as n`),
  );
  await tx.execute(sql`
    insert into ledger_daily_state (id, through_xact, utc_offset, refreshed_at) values (1, ${x}::bigint, ${offset}, now())
    on conflict (id) do update set through_xact = excluded.through_xact, utc_offset = excluded.utc_offset, refreshed_at = excluded.refreshed_at`);
  return Number(added[0]?.n ?? 0);
}

export interface LedgerSum {
  cause_type: string;
  kind: string;
  from_state: string;
  to_state: string;
  unit: string;
  postings: number;
  credits: string;
}

/**
 * Postings of the days [from, to) for the institutions (all when null) and the broad field (all when
 * undefined): the daily totals, plus the postings written since they were last refreshed; no refresh
 * can land between the two reads.
 */
export async function ledgerSums(db: Db, days: { from: string; to: string }, institutionIds: string[] | null, offset: string, field?: string) {
  const ofField = field === undefined ? sql`true` : sql`field = ${field}`;
  return db.transaction(async (tx) => {
    // The mark is read first and held (FOR SHARE: a refresh waits until this read is done), then given
    // to the sums as a value, so that the planner reaches the latest postings through the BRIN index.
    const [state] = rowsOf<{ through_xact: string; refreshed_at: Date | string }>(
      await tx.execute(sql`select through_xact::text, refreshed_at from ledger_daily_state where id = 1 and utc_offset = ${offset} for share`),
    );
    const mark = state?.through_xact ?? '0';
    // A statement sent often is prepared (src/db/connection.ts), and after five runs PostgreSQL may plan
    // it once for any mark: that plan reads every posting of the period. Planned for this mark, only
    // the postings since it (PGlite prepares nothing; the setting is harmless there).
    await tx.execute(sql`set local plan_cache_mode = force_custom_plan`);
    const r = await tx.execute(sql`
      select cause_type, kind, from_state, to_state, unit, sum(postings)::int as postings, sum(credits)::text as credits
      from (
        select cause_type, kind, from_state, to_state, unit, postings, credits from ledger_daily
        where ${state ? sql`true` : sql`false`} and day >= ${days.from}::date and day < ${days.to}::date and ${scope('institution_id', institutionIds)} and ${ofField}
        union all
        select cause_type, kind, from_state, to_state, unit, postings, credits from (
          ${attributed(offset, sql`p.xact >= ${mark}::bigint and p.created_at >= (${days.from}::date - ${offset}::interval) at time zone 'UTC' and p.created_at < (${days.to}::date - ${offset}::interval) at time zone 'UTC'`)}
        ) live where institution_id is not null and ${scope('institution_id', institutionIds)} and ${ofField}
      ) s
      group by cause_type, kind, from_state, to_state, unit
      order by cause_type, unit, kind`);
    return { rows: rowsOf<LedgerSum>(r), through: state ? new Date(state.refreshed_at) : null };
  });
}

// ---------------------------------------------------------------- awards, funnels, grade conversion

/**
 * Every award of the institutions' programmes (all when null), with the credits of the items its
 * audit counted by where they came from: home or external results, transfers, certifications.
 */
export async function awardRows(db: Executor, institutionIds: string[] | null, since: Date) {
  return rowsOf<{
    id: string;
    learner_id: string;
    status: string;
    applied_at: Date | string;
    decided_at: Date | string | null;
    unit: string;
    credits: string;
    field: string;
    origin: string | null;
    item_credits: string | null;
  }>(
    await db.execute(sql`
      select a.id, a.learner_id, a.status, a.applied_at, a.decided_at, a.unit, a.credits::text as credits, pr.isced_code as field, i.origin, sum(i.credits)::text as item_credits
      from awards a
      join programmes pr on pr.id = a.programme_id
      left join lateral (
        select case k.kind when 'outcome' then (case when o.institution_id = pr.institution_id then 'home' else 'external' end) else k.kind end as origin,
               coalesce(o.credits, t.credits, c.credits_granted) as credits
        from (select split_part(x, ':', 1) as kind, split_part(x, ':', 2) as ref, split_part(x, ':', 3) as line from jsonb_array_elements_text(a.items) x) k
        left join outcomes o on o.id = (case when k.kind = 'outcome' then k.ref::uuid end) and o.unit = a.unit
        left join transfer_lines t on t.learner_id = a.learner_id and t.application_id = (case when k.kind = 'transfer' then k.ref::uuid end)
          and t.line_no = (case when k.kind = 'transfer' then k.line::int end) and t.unit = a.unit
        left join certification_applications c on c.learner_id = a.learner_id and c.id = (case when k.kind = 'certification' then k.ref::uuid end) and c.unit = a.unit
      ) i on true
      where (a.applied_at >= ${since.toISOString()}::timestamptz or a.decided_at >= ${since.toISOString()}::timestamptz) and ${scope('pr.institution_id', institutionIds)}
      group by a.id, a.learner_id, a.status, a.applied_at, a.decided_at, a.unit, a.credits, pr.isced_code, i.origin`),
  );
}

/** Transfer lines into the institutions (all when null), of a source course in the broad field (any when undefined), applied for before `at` and not decided by then. */
export async function transferBacklog(db: Executor, institutionIds: string[] | null, at: Date, field?: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`
      select count(*)::int as n
      from transfer_lines l join transfer_applications t on t.learner_id = l.learner_id and t.id = l.application_id
      join outcomes o on o.id = l.outcome_id join courses c on c.id = o.course_id
      where t.created_at < ${at.toISOString()}::timestamptz and (l.decided_at is null or l.decided_at >= ${at.toISOString()}::timestamptz)
        and t.status <> 'withdrawn' and ${scope('l.target_institution_id', institutionIds)} and ${field === undefined ? sql`true` : sql`${broad(sql`c.isced_code`)} = ${field}`}`),
  );
  return row?.n ?? 0;
}

/** Transfer applications into the institutions (all when null) made since `since`: when they came and what became of each line, with its source course's field. */
export async function transferApplicationRows(db: Executor, institutionIds: string[] | null, since: Date) {
  return rowsOf<{ learner_id: string; created_at: Date | string; status: string; field: string }>(
    await db.execute(sql`
      select l.learner_id, t.created_at, l.status, c.isced_code as field
      from transfer_applications t join transfer_lines l on l.learner_id = t.learner_id and l.application_id = t.id
      join outcomes o on o.id = l.outcome_id join courses c on c.id = o.course_id
      where t.created_at >= ${since.toISOString()}::timestamptz and t.status <> 'withdrawn' and ${scope('t.target_institution_id', institutionIds)}`),
  );
}

/** Transfer lines accepted since `since` that carry a converted grade: the source grade, scale and course field, and the scale of the receiving institution at the decision. */
export async function convertedGradeRows(db: Executor, institutionIds: string[] | null, since: Date) {
  return rowsOf<{
    source_institution_id: string;
    target_institution_id: string;
    learner_id: string;
    decided_at: Date | string;
    source_grade: string;
    source_scale: unknown;
    grade: string;
    target_scale: unknown;
    field: string;
  }>(
    await db.execute(sql`
      select l.source_institution_id, l.target_institution_id, l.learner_id, l.decided_at, o.grade as source_grade, ss.definition as source_scale, l.grade, ts.definition as target_scale, c.isced_code as field
      from transfer_lines l
      join outcomes o on o.id = l.outcome_id
      join courses c on c.id = o.course_id
      join grading_scales ss on ss.id = o.scale_id
      join lateral (
        select definition from grading_scales s
        where s.institution_id = l.target_institution_id and s.effective_from <= l.decided_at::date and (s.effective_to is null or s.effective_to > l.decided_at::date)
        order by s.effective_from desc limit 1
      ) ts on true
      where l.grade is not null and o.grade is not null and l.status in ('accepted', 'substituted') and l.decided_at >= ${since.toISOString()}::timestamptz
        and (${scope('l.source_institution_id', institutionIds)} or ${scope('l.target_institution_id', institutionIds)})`),
  );
}

// ---------------------------------------------------------------- monthly reports

export type ReportRow = typeof qualityReports.$inferSelect;
const reportColumns = {
  id: qualityReports.id,
  institutionId: qualityReports.institutionId,
  month: qualityReports.month,
  status: qualityReports.status,
  error: qualityReports.error,
  requestedBy: users.username,
  createdAt: qualityReports.createdAt,
  finishedAt: qualityReports.finishedAt,
  pdfBytes: sql<number | null>`octet_length(${qualityReports.pdf})`.mapWith(Number),
  xlsxBytes: sql<number | null>`octet_length(${qualityReports.xlsx})`.mapWith(Number),
};
export type ReportSummary = {
  id: string;
  institutionId: string | null;
  month: string;
  status: ReportRow['status'];
  error: string | null;
  requestedBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  pdfBytes: number | null;
  xlsxBytes: number | null;
};

export async function insertReport(db: Executor, r: { institutionId: string | null; month: string; requestedBy: string | null }): Promise<string> {
  const [row] = await db.insert(qualityReports).values(r).returning({ id: qualityReports.id });
  return row!.id;
}

/** Reports newest first: of the institutions and the alliance (`alliance`), or all when `institutionIds` is null. */
export async function listReports(db: Executor, institutionIds: string[] | null, alliance: boolean): Promise<ReportSummary[]> {
  const which =
    institutionIds === null
      ? undefined
      : or(
          institutionIds.length ? inArray(qualityReports.institutionId, institutionIds) : sql`false`,
          alliance ? isNull(qualityReports.institutionId) : sql`false`,
        );
  return db
    .select(reportColumns)
    .from(qualityReports)
    .leftJoin(users, eq(users.id, qualityReports.requestedBy))
    .where(which)
    .orderBy(desc(qualityReports.month), desc(qualityReports.createdAt))
    .limit(500);
}

export async function reportSummary(db: Executor, id: string): Promise<ReportSummary | undefined> {
  const [row] = await db.select(reportColumns).from(qualityReports).leftJoin(users, eq(users.id, qualityReports.requestedBy)).where(eq(qualityReports.id, id));
  return row;
}

export async function reportFile(db: Executor, id: string, format: 'pdf' | 'xlsx'): Promise<Buffer | null | undefined> {
  const [row] = await db
    .select({ file: format === 'pdf' ? qualityReports.pdf : qualityReports.xlsx })
    .from(qualityReports)
    .where(eq(qualityReports.id, id));
  return row ? row.file : undefined;
}

export async function finishReport(db: Executor, id: string, r: { pdf: Buffer; xlsx: Buffer } | { error: string }) {
  await db
    .update(qualityReports)
    .set('error' in r ? { status: 'failed', error: r.error, finishedAt: new Date() } : { status: 'ready', pdf: r.pdf, xlsx: r.xlsx, finishedAt: new Date() })
    .where(eq(qualityReports.id, id));
}

/** Holds, until the transaction ends, the right to decide which monthly reports are due (one process at a time). */
export async function lockReportSchedule(tx: Executor) {
  await tx.execute(sql`select pg_advisory_xact_lock(7263004)`);
}

/** The scopes (institution id, or null for the alliance) that have a report of the month, in any state. */
export async function reportedScopes(db: Executor, month: string): Promise<Set<string | null>> {
  const rows = await db.selectDistinct({ institutionId: qualityReports.institutionId }).from(qualityReports).where(eq(qualityReports.month, month));
  return new Set(rows.map((r) => r.institutionId));
}

/** Reports left pending by a stop before they were finished. */
export async function pendingReports(db: Executor): Promise<string[]> {
  return (await db.select({ id: qualityReports.id }).from(qualityReports).where(eq(qualityReports.status, 'pending')).orderBy(qualityReports.createdAt)).map(
    (r) => r.id,
  );
}
