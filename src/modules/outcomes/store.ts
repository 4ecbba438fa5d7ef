import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { courses, institutions, outcomes } from '../../db/schema.js';

export type OutcomeRow = typeof outcomes.$inferSelect;

export async function insertOutcomes(db: Executor, rows: (typeof outcomes.$inferInsert)[]) {
  if (rows.length === 0) return [];
  return db.insert(outcomes).values(rows).returning();
}

export async function outcomeById(db: Executor, id: string) {
  const [row] = await db.select().from(outcomes).where(eq(outcomes.id, id));
  return row;
}

export async function recordedOutcome(db: Executor, k: { learnerId: string; institutionId: string; courseId: string; term: string; attempt: number }) {
  const [row] = await db
    .select()
    .from(outcomes)
    .where(
      and(
        eq(outcomes.learnerId, k.learnerId),
        eq(outcomes.institutionId, k.institutionId),
        eq(outcomes.courseId, k.courseId),
        eq(outcomes.term, k.term),
        eq(outcomes.attempt, k.attempt),
        eq(outcomes.status, 'recorded'),
      ),
    );
  return row;
}

/** The recorded attempt of a course that holds its credits, if any. */
export async function countedAttempt(db: Executor, learnerId: string, courseId: string) {
  const [row] = await db
    .select({ id: outcomes.id })
    .from(outcomes)
    .where(and(eq(outcomes.learnerId, learnerId), eq(outcomes.courseId, courseId), eq(outcomes.counted, true), eq(outcomes.status, 'recorded')));
  return row;
}

/** Gives a course's credits to its earliest recorded passing attempt; returns it, if there is one. */
export async function takeOverCredit(db: Executor, learnerId: string, courseId: string) {
  const res = await db.execute(sql`
    update ${outcomes} o set counted = true
    where o.learner_id = ${learnerId} and o.status = 'recorded' and o.passed and o.id = (
      select id from ${outcomes} where learner_id = ${learnerId} and course_id = ${courseId} and status = 'recorded' and passed
      order by completed_on, attempt, created_at limit 1)
    returning o.id, o.credits::text as credits, o.unit, o.term`);
  return (res as unknown as { rows: { id: string; credits: string; unit: 'credit' | 'ects'; term: string }[] }).rows[0];
}

export async function setStatus(db: Executor, learnerId: string, id: string, status: 'superseded' | 'revoked', reason: string) {
  const [row] = await db
    .update(outcomes)
    .set({ status, reason })
    .where(and(eq(outcomes.learnerId, learnerId), eq(outcomes.id, id), eq(outcomes.status, 'recorded')))
    .returning();
  return row;
}

export async function outcomesOfLearner(db: Executor, learnerId: string) {
  return db
    .select({
      id: outcomes.id,
      institutionId: outcomes.institutionId,
      institutionCode: institutions.code,
      institutionNameZh: institutions.nameZh,
      institutionNameEn: institutions.nameEn,
      courseId: outcomes.courseId,
      courseCode: courses.code,
      courseTitleZh: courses.titleZh,
      courseTitleEn: courses.titleEn,
      term: outcomes.term,
      attempt: outcomes.attempt,
      grade: outcomes.grade,
      resultStatus: outcomes.resultStatus,
      scaleId: outcomes.scaleId,
      passed: outcomes.passed,
      credits: outcomes.credits,
      unit: outcomes.unit,
      hours: outcomes.hours,
      completedOn: outcomes.completedOn,
      status: outcomes.status,
      reason: outcomes.reason,
      supersedes: outcomes.supersedes,
      createdAt: outcomes.createdAt,
    })
    .from(outcomes)
    .innerJoin(institutions, eq(institutions.id, outcomes.institutionId))
    .innerJoin(courses, eq(courses.id, outcomes.courseId))
    .where(eq(outcomes.learnerId, learnerId))
    .orderBy(desc(outcomes.completedOn), courses.code, desc(outcomes.createdAt));
}

export type BulkOutcome = {
  learnerId: string;
  id: string;
  kind: 'course_result';
  institutionId: string;
  courseId: string;
  term: string;
  attempt: number;
  scaleId: string;
  grade: string | null;
  resultStatus: (typeof outcomes.$inferSelect)['resultStatus'];
  passed: boolean;
  credits: string;
  unit: 'credit' | 'ects';
  hours: number;
  completedOn: string;
  recordedBy: string | null;
  importJobId: string | null;
};

/**
 * Marks the rows of a staging table (bulk imports; a table with learner_id, course_id, term and
 * attempt) that a recorded result at the institution already holds: sets their old_id, old_grade,
 * old_status and old_completed_on. One statement, however many rows.
 */
export async function matchStaged(db: Executor, institutionId: string, stage: SQL) {
  await db.execute(sql`
    update ${stage} s set old_id = o.id, old_grade = o.grade, old_status = o.result_status, old_completed_on = o.completed_on
    from ${outcomes} o
    where o.learner_id = s.learner_id and o.institution_id = ${institutionId} and o.course_id = s.course_id
      and o.term = s.term and o.attempt = s.attempt and o.status = 'recorded'`);
}

/**
 * Inserts new results from `results`, a relation with id, learner_id, course_id, credits, hours,
 * term, attempt, grade, result_status, passed and completed_on, in one statement.
 */
export async function insertOutcomesFrom(
  db: Executor,
  v: { institutionId: string; unit: 'credit' | 'ects'; scaleId: string; recordedBy: string | null; importJobId: string | null },
  results: SQL,
) {
  await db.execute(sql`
    insert into ${outcomes} (learner_id, id, kind, institution_id, course_id, term, attempt, scale_id, grade, result_status, passed, counted, credits, unit, hours, completed_on, recorded_by, import_job_id)
    select r.learner_id, r.id, 'course_result', ${v.institutionId}::uuid, r.course_id, r.term, r.attempt, ${v.scaleId}::uuid, r.grade, r.result_status, r.passed,
           -- the first pass of a course holds its credits, unless a recorded attempt already does
           r.passed and row_number() over (partition by r.learner_id, r.course_id, r.passed order by r.completed_on, r.attempt) = 1
             and not exists (select 1 from ${outcomes} c where c.learner_id = r.learner_id and c.course_id = r.course_id and c.counted and c.status = 'recorded'),
           r.credits, ${v.unit}, r.hours, r.completed_on, ${v.recordedBy}::uuid, ${v.importJobId}::uuid
    from (${results}) r`);
}

/** The deposits that new results earn: a relation (learner_id, amount, cause_id, memo, ord) over `results` (see insertOutcomesFrom, plus ord). */
export const depositsOf = (results: SQL) =>
  sql`select r.learner_id, r.credits as amount, r.id::text as cause_id, r.term as memo, r.ord from (${results}) r
      join ${outcomes} o on o.learner_id = r.learner_id and o.id = r.id where o.counted and r.credits > 0`;

export async function outcomesByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(outcomes).where(inArray(outcomes.id, ids));
}

export async function outcomesOfInstitution(db: Executor, institutionId: string, afterId: string | undefined, limit: number) {
  return db
    .select({ o: outcomes, courseCode: courses.code })
    .from(outcomes)
    .innerJoin(courses, eq(courses.id, outcomes.courseId))
    .where(and(eq(outcomes.institutionId, institutionId), eq(outcomes.status, 'recorded'), afterId ? sql`${outcomes.id} > ${afterId}` : undefined))
    .orderBy(outcomes.id)
    .limit(limit);
}

/**
 * Passing grades of recorded results at an institution in one scale, for a grading table: courses of
 * a field (ISCED-F code or prefix) and of `levels` (or of no declared level), completed in the years.
 * Grades given in a course (normal, 补考, 重修) only: an exemption is not a grade of the distribution.
 */
export async function passingGradeCounts(
  db: Executor,
  f: { institutionId: string; scaleId: string; iscedPrefix: string; levels: number[]; from: string; to: string },
) {
  const res = await db.execute(sql`
    select o.grade, count(*)::int as n
    from ${outcomes} o join ${courses} c on c.id = o.course_id
    where o.institution_id = ${f.institutionId} and o.scale_id = ${f.scaleId} and o.status = 'recorded' and o.passed
      and o.grade is not null and o.result_status in ('normal', 'resit', 'retake')
      and c.isced_code like ${`${f.iscedPrefix}%`} and (c.level is null or c.level in (${sql.join(
        f.levels.map((l) => sql`${l}`),
        sql`, `,
      )}))
      and o.completed_on >= ${f.from} and o.completed_on <= ${f.to}
    group by o.grade`);
  return (res as unknown as { rows: { grade: string; n: number }[] }).rows;
}
