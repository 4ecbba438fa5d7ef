import { and, asc, eq, gt, ilike, inArray, or } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import { courses, programmes } from '../../db/schema.js';

export type CourseRow = typeof courses.$inferSelect;
export type NewCourseRow = typeof courses.$inferInsert;

export async function listCourseRows(db: Executor, institutionId: string, q: { search?: string; afterCode?: string; limit: number }) {
  const like = q.search ? `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return db
    .select()
    .from(courses)
    .where(
      and(
        eq(courses.institutionId, institutionId),
        like ? or(ilike(courses.code, like), ilike(courses.titleZh, like), ilike(courses.titleEn, like)) : undefined,
        q.afterCode ? gt(courses.code, q.afterCode) : undefined,
      ),
    )
    .orderBy(asc(courses.code))
    .limit(q.limit);
}

export async function courseById(db: Executor, id: string) {
  const [row] = await db.select().from(courses).where(eq(courses.id, id));
  return row;
}

export async function coursesByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(courses).where(inArray(courses.id, ids));
}

export async function courseByCode(db: Executor, institutionId: string, code: string) {
  const [row] = await db
    .select()
    .from(courses)
    .where(and(eq(courses.institutionId, institutionId), eq(courses.code, code)));
  return row;
}

export async function insertCourses(db: Executor, rows: NewCourseRow[]) {
  if (rows.length === 0) return [];
  return db.insert(courses).values(rows).returning();
}

/** Updates a course if it is still at `version`; returns undefined when someone else changed it first. */
export async function updateCourse(db: Executor, id: string, version: number, v: Partial<NewCourseRow>) {
  const [row] = await db
    .update(courses)
    .set({ ...v, version: version + 1, updatedAt: new Date() })
    .where(and(eq(courses.id, id), eq(courses.version, version)))
    .returning();
  return row;
}

export type ProgrammeRow = typeof programmes.$inferSelect;

export async function listProgrammeRows(db: Executor, institutionId: string) {
  return db.select().from(programmes).where(eq(programmes.institutionId, institutionId)).orderBy(asc(programmes.code));
}

export async function programmeById(db: Executor, id: string) {
  const [row] = await db.select().from(programmes).where(eq(programmes.id, id));
  return row;
}

export async function programmeByCode(db: Executor, institutionId: string, code: string) {
  const [row] = await db
    .select()
    .from(programmes)
    .where(and(eq(programmes.institutionId, institutionId), eq(programmes.code, code)));
  return row;
}

export async function insertProgramme(db: Executor, v: typeof programmes.$inferInsert) {
  const [row] = await db.insert(programmes).values(v).returning();
  return row!;
}

export async function allCourseRows(db: Executor, institutionId: string) {
  return db.select().from(courses).where(eq(courses.institutionId, institutionId));
}

export async function insertCoursesQuiet(db: Executor, rows: NewCourseRow[]) {
  const out: CourseRow[] = [];
  for (let i = 0; i < rows.length; i += 1000)
    out.push(
      ...(await db
        .insert(courses)
        .values(rows.slice(i, i + 1000))
        .returning()),
    );
  return out;
}

export async function updateProgramme(db: Executor, id: string, v: Partial<typeof programmes.$inferInsert>) {
  await db.update(programmes).set(v).where(eq(programmes.id, id));
}
