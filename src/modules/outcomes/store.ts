import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { insertUnnest } from '../../db/bulk.js';
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

/**
 * The recorded results at an institution for (learner, course, term, attempt) keys. Selected by
 * flat IN lists and matched here: a long list of row comparisons makes PostgreSQL's planner
 * recurse deeply, which the embedded database's small stack does not survive.
 */
export async function recordedByKeys(db: Executor, institutionId: string, keys: { learnerId: string; courseId: string; term: string; attempt: number }[]) {
  if (keys.length === 0) return [];
  const wanted = new Set(keys.map((k) => `${k.learnerId} ${k.courseId} ${k.term} ${k.attempt}`));
  const rows = await db
    .select()
    .from(outcomes)
    .where(
      and(
        inArray(outcomes.learnerId, [...new Set(keys.map((k) => k.learnerId))]),
        eq(outcomes.institutionId, institutionId),
        eq(outcomes.status, 'recorded'),
        inArray(outcomes.courseId, [...new Set(keys.map((k) => k.courseId))]),
      ),
    );
  return rows.filter((o) => wanted.has(`${o.learnerId} ${o.courseId} ${o.term} ${o.attempt}`));
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
  grade: string;
  passed: boolean;
  credits: string;
  unit: 'credit' | 'ects';
  hours: number;
  completedOn: string;
  recordedBy: string | null;
  importJobId: string | null;
};

/** Inserts many new results in one statement per 5,000 (bulk imports). */
export async function insertOutcomesQuiet(db: Executor, rows: BulkOutcome[]) {
  for (let i = 0; i < rows.length; i += 5000) {
    await insertUnnest(
      db,
      'outcomes',
      {
        learnerId: ['learner_id', 'uuid'],
        id: ['id', 'uuid'],
        kind: ['kind', 'text'],
        institutionId: ['institution_id', 'uuid'],
        courseId: ['course_id', 'uuid'],
        term: ['term', 'text'],
        attempt: ['attempt', 'int'],
        scaleId: ['scale_id', 'uuid'],
        grade: ['grade', 'text'],
        passed: ['passed', 'boolean'],
        credits: ['credits', 'numeric'],
        unit: ['unit', 'text'],
        hours: ['hours', 'int'],
        completedOn: ['completed_on', 'date'],
        recordedBy: ['recorded_by', 'uuid'],
        importJobId: ['import_job_id', 'uuid'],
      },
      rows.slice(i, i + 5000),
    );
  }
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
 */
export async function passingGradeCounts(db: Executor, f: { institutionId: string; scaleId: string; iscedPrefix: string; levels: number[]; from: string; to: string }) {
  const res = await db.execute(sql`
    select o.grade, count(*)::int as n
    from ${outcomes} o join ${courses} c on c.id = o.course_id
    where o.institution_id = ${f.institutionId} and o.scale_id = ${f.scaleId} and o.status = 'recorded' and o.passed
      and c.isced_code like ${`${f.iscedPrefix}%`} and (c.level is null or c.level in (${sql.join(f.levels.map((l) => sql`${l}`), sql`, `)}))
      and o.completed_on >= ${f.from} and o.completed_on <= ${f.to}
    group by o.grade`);
  return (res as unknown as { rows: { grade: string; n: number }[] }).rows;
}
