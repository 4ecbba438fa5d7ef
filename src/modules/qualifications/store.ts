// Queries of qualifications: programmes with their requirement versions, the credit items of an
// account, exceptions and awards.
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { ScaleDefinition } from '../../core/grades/scales.js';
import { appendEntries, awardPayload } from '../log/entries.js';
import type { Executor } from '../../db/connection.js';
import { auditExceptions, awards, institutions, programmeRequirements, programmes } from '../../db/schema.js';
import type { RequirementsDoc as RequirementsDocument } from './schema.js';

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
const uuids = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

export type ProgrammeRow = Awaited<ReturnType<typeof programmeRows>>[number];

/** Programmes with their institution and credit unit; all of them, or those with the given ids. */
export async function programmeRows(db: Executor, ids?: string[]) {
  if (ids?.length === 0) return [];
  const rows = await db.execute(sql`
    select p.id, p.code, p.title_zh as "titleZh", p.title_en as "titleEn", p.qualification, p.institution_id as "institutionId",
           i.code as "institutionCode", i.name_zh as "institutionNameZh", i.name_en as "institutionNameEn",
           coalesce((select cs.unit from credit_systems cs where cs.institution_id = i.id order by cs.effective_from desc limit 1), 'credit') as unit,
           coalesce((select array_agg(r.catalogue_year order by r.catalogue_year) from programme_requirements r where r.programme_id = p.id), '{}') as years
    from programmes p join institutions i on i.id = p.institution_id
    ${
      ids
        ? sql`where p.id in (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`
        : sql``
    }
    order by i.code, p.code`);
  return rowsOf<{
    id: string;
    code: string;
    titleZh: string;
    titleEn: string;
    qualification: string;
    institutionId: string;
    institutionCode: string;
    institutionNameZh: string;
    institutionNameEn: string;
    unit: 'credit' | 'ects';
    years: number[];
  }>(rows);
}

export async function requirementVersions(db: Executor, programmeId: string) {
  return db.select().from(programmeRequirements).where(eq(programmeRequirements.programmeId, programmeId)).orderBy(asc(programmeRequirements.catalogueYear));
}

export async function putRequirements(db: Executor, programmeId: string, catalogueYear: number, requirements: RequirementsDocument, createdBy: string | null) {
  await db
    .insert(programmeRequirements)
    .values({ programmeId, catalogueYear, requirements, createdBy })
    .onConflictDoUpdate({
      target: [programmeRequirements.programmeId, programmeRequirements.catalogueYear],
      set: { requirements, createdBy, createdAt: sql`now()` },
    });
}

/** The day the learner entered the programme, if they are enrolled in it. */
export async function enrolledOn(db: Executor, learnerId: string, programmeId: string) {
  const rows = await db.execute(sql`select enrolled_on::text as d from enrolments where learner_id = ${learnerId} and programme_id = ${programmeId}`);
  return rowsOf<{ d: string | null }>(rows)[0]?.d ?? null;
}

/** The programmes a learner is enrolled in, the latest first (what they study now). */
export async function enrolledProgrammes(db: Executor, learnerId: string) {
  const rows = await db.execute(
    sql`select programme_id as id from enrolments where learner_id = ${learnerId} and programme_id is not null order by enrolled_on desc nulls last, created_at desc`,
  );
  return rowsOf<{ id: string }>(rows).map((r) => r.id);
}

/**
 * Rows of a query that returns, per learner, a JSON array of arrays (`"learnerId"`, `j`): a batch
 * of thousands of rows comes back as one JSON text per learner, which is parsed natively; column
 * by column it is parsed in JavaScript (PGlite) and takes several times longer.
 */
async function perLearner<V extends unknown[], T>(db: Executor, query: SQL, row: (learnerId: string, values: V) => T): Promise<T[]> {
  const rows = rowsOf<{ learnerId: string; j: string }>(await db.execute(query));
  return rows.flatMap((r) => (JSON.parse(r.j) as V[]).map((v) => row(r.learnerId, v)));
}

/** Deposits and transfers-in of accounts that stand (not reversed), with what they came from. */
export async function openCredits(db: Executor, learnerIds: string[]) {
  return perLearner(
    db,
    sql`
      select p.learner_id as "learnerId", json_agg(json_build_array(p.cause_type, p.cause_id, p.amount::text, p.unit) order by p.seq)::text as j
      from ledger_postings p
      where p.learner_id in (${uuids(learnerIds)}) and p.kind in ('deposit', 'transfer_in')
        and not exists (select 1 from ledger_postings r where r.learner_id = p.learner_id and r.reverses_seq = p.seq)
      group by p.learner_id`,
    (learnerId, [causeType, causeId, amount, unit]: [string, string, string, 'credit' | 'ects']) => ({ learnerId, causeType, causeId, amount, unit }),
  );
}

/**
 * The learners' recorded results, with what the audit needs to choose among attempts (grade, scale,
 * passed) and whether each was part of formal studies at its institution (the learner enrolled in a
 * programme there other than `programmeId`: a transcript, not a course taken on its own).
 */
export async function outcomeFacts(db: Executor, learnerIds: string[], programmeId: string) {
  return perLearner(
    db,
    sql`
      select o.learner_id as "learnerId", json_agg(json_build_array(o.id, o.completed_on::text, c.code, c.title_zh, c.title_en, c.isced_code, c.level, o.institution_id, i.code, o.course_id,
               o.grade, o.passed, s.definition,
               exists (select 1 from enrolments e where e.learner_id = o.learner_id and e.institution_id = o.institution_id and e.programme_id is not null and e.programme_id <> ${programmeId}::uuid)))::text as j
      from outcomes o join courses c on c.id = o.course_id join institutions i on i.id = o.institution_id join grading_scales s on s.id = o.scale_id
      where o.learner_id in (${uuids(learnerIds)}) and o.status = 'recorded'
      group by o.learner_id`,
    (
      learnerId,
      [id, completedOn, code, titleZh, titleEn, field, level, institutionId, institutionCode, courseId, grade, passed, scale, formal]: [
        string,
        string,
        string,
        string,
        string,
        string,
        number | null,
        string,
        string,
        string,
        string | null,
        boolean,
        ScaleDefinition,
        boolean,
      ],
    ) => ({ learnerId, id, courseId, completedOn, code, titleZh, titleEn, field, level, institutionId, institutionCode, grade, passed, scale, formal }),
  );
}

/** Course-to-course equivalences in force or not (content is content): each side covers what the other does. */
export async function overlapFacts(db: Executor) {
  const rows = await db.execute(sql`
    select source_course_ids as a, target->'courseIds' as b from equivalences
    where status = 'active' and target->>'kind' = 'courses'`);
  return rowsOf<{ a: string[]; b: string[] }>(rows);
}

export async function certificationFacts(db: Executor, learnerIds: string[]) {
  const rows = await db.execute(sql`
    select a.learner_id as "learnerId", a.id, a.institution_id as "institutionId", a.outcome_kind as kind, a.title, a.issuing_body as "issuingBody", a.issued_on::text as "issuedOn",
           coalesce(a.level, s.level) as level, coalesce(a.isced_code, s.isced_code) as field,
           s.name_zh as "nameZh", s.name_en as "nameEn", coalesce(s.substitutes, '[]'::jsonb) as substitutes
    from certification_applications a left join conversion_standards s on s.id = a.standard_id
    where a.learner_id in (${uuids(learnerIds)}) and a.status = 'approved'`);
  return rowsOf<{
    learnerId: string;
    id: string;
    institutionId: string | null;
    kind: string;
    title: string;
    issuingBody: string;
    issuedOn: string;
    level: number | null;
    field: string;
    nameZh: string | null;
    nameEn: string | null;
    substitutes: { institutionId: string; courseId?: string; category?: string }[];
  }>(rows);
}

/** Granted transfer lines: what each source outcome became at the target. */
export async function transferFacts(db: Executor, learnerIds: string[]) {
  const rows = await db.execute(sql`
    select l.learner_id as "learnerId", l.application_id || ':' || l.line_no as "causeId", l.outcome_id as "outcomeId", l.target_institution_id as "targetInstitutionId", l.target
    from transfer_lines l
    where l.learner_id in (${uuids(learnerIds)}) and l.status in ('accepted', 'substituted')`);
  return rowsOf<{
    learnerId: string;
    causeId: string;
    outcomeId: string;
    targetInstitutionId: string;
    target: { kind: 'courses'; courseIds: string[] } | { kind: 'elective'; category: string } | null;
  }>(rows);
}

export async function courseCodes(db: Executor, ids: string[]) {
  if (ids.length === 0) return new Map<string, { code: string; titleZh: string; titleEn: string }>();
  const rows = await db.execute(
    sql`select id, code, title_zh as "titleZh", title_en as "titleEn" from courses where id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
  return new Map(rowsOf<{ id: string; code: string; titleZh: string; titleEn: string }>(rows).map((r) => [r.id, r]));
}

export async function catalogueCodes(db: Executor, institutionId: string) {
  const rows = await db.execute(sql`select code from courses where institution_id = ${institutionId}`);
  return new Set(rowsOf<{ code: string }>(rows).map((r) => r.code));
}

/** A learner's waivers and substitutions, revoked ones too, newest first. */
export async function exceptionsOfLearner(db: Executor, learnerId: string, programmeId?: string) {
  return db
    .select()
    .from(auditExceptions)
    .where(and(eq(auditExceptions.learnerId, learnerId), programmeId ? eq(auditExceptions.programmeId, programmeId) : undefined))
    .orderBy(desc(auditExceptions.createdAt));
}

export async function insertException(db: Executor, row: typeof auditExceptions.$inferInsert) {
  const [r] = await db.insert(auditExceptions).values(row).returning();
  return r!;
}

export async function exceptionById(db: Executor, id: string) {
  const [r] = await db.select().from(auditExceptions).where(eq(auditExceptions.id, id));
  return r;
}

export async function revokeException(db: Executor, id: string, by: string | null, reason: string) {
  await db
    .update(auditExceptions)
    .set({ status: 'revoked', revokedBy: by, revokedAt: sql`now()`, revokeReason: reason })
    .where(eq(auditExceptions.id, id));
}

export type AwardRow = typeof awards.$inferSelect;

export async function awardsOfLearner(db: Executor, learnerId: string) {
  return awardsOfLearners(db, [learnerId]);
}

export async function awardsOfLearners(db: Executor, learnerIds: string[]) {
  return db.select().from(awards).where(inArray(awards.learnerId, learnerIds)).orderBy(desc(awards.appliedAt));
}

/** Learners enrolled in a programme, with their student number and when they entered, by name: a page after `after`. */
export async function cohortPage(db: Executor, programmeId: string, after: string | null, limit: number) {
  const rows = await db.execute(sql`
    select e.learner_id as "learnerId", e.external_id as "externalId", e.enrolled_on::text as "enrolledOn", l.full_name as "fullName"
    from enrolments e join learners l on l.id = e.learner_id
    where e.programme_id = ${programmeId} ${after ? sql`and e.learner_id > ${after}::uuid` : sql``}
    order by e.learner_id
    limit ${limit}`);
  return rowsOf<{ learnerId: string; externalId: string; enrolledOn: string | null; fullName: string }>(rows);
}

export async function exceptionsOf(db: Executor, learnerIds: string[], programmeId: string) {
  return db
    .select()
    .from(auditExceptions)
    .where(and(inArray(auditExceptions.learnerId, learnerIds), eq(auditExceptions.programmeId, programmeId), eq(auditExceptions.status, 'active')));
}

export async function awardById(db: Executor, id: string) {
  const [r] = await db.select().from(awards).where(eq(awards.id, id));
  return r;
}

export async function awardsAt(db: Executor, institutionId: string, statuses: AwardRow['status'][]) {
  const rows = await db
    .select({ a: awards })
    .from(awards)
    .innerJoin(programmes, eq(programmes.id, awards.programmeId))
    .innerJoin(institutions, eq(institutions.id, programmes.institutionId))
    .where(and(eq(programmes.institutionId, institutionId), inArray(awards.status, statuses)))
    .orderBy(asc(awards.appliedAt));
  return rows.map((r) => r.a);
}

export async function insertAward(db: Executor, row: typeof awards.$inferInsert) {
  const [r] = await db.insert(awards).values(row).returning();
  return r!;
}

export async function setAwardStatus(db: Executor, id: string, from: AwardRow['status'], to: AwardRow['status'], by: string | null, reason: string | null) {
  const [r] = await db
    .update(awards)
    .set({ status: to, decidedBy: by, decidedAt: sql`now()`, reason })
    .where(and(eq(awards.id, id), eq(awards.status, from)))
    .returning();
  // every decision is a fact a verifier relies on: logged in the same transaction
  if (r && to !== 'applied') await appendEntries(db, [{ kind: 'award', ref: `${id}:${to}`, payload: awardPayload(r, to) }]);
  return r;
}

/** Partner courses that an equivalence in force maps onto the given home courses. */
export async function partnerCoursesFor(db: Executor, homeInstitutionId: string, homeCourseIds: string[], day: string) {
  if (homeCourseIds.length === 0) return [];
  const rows = await db.execute(sql`
    select e.source_course_ids as "sourceIds", e.target -> 'courseIds' as "targetIds"
    from equivalences e
    where e.target_institution_id = ${homeInstitutionId} and e.status = 'active' and e.target ->> 'kind' = 'courses'
      and e.effective_from <= ${day}::date and (e.effective_to is null or e.effective_to >= ${day}::date)`);
  const wanted = new Set(homeCourseIds);
  return rowsOf<{ sourceIds: string[]; targetIds: string[] }>(rows).filter((r) => r.sourceIds.length === 1 && r.targetIds.some((t) => wanted.has(t)));
}

export type CourseOffer = {
  id: string;
  code: string;
  titleZh: string;
  titleEn: string;
  credits: string;
  field: string;
  level: number | null;
  unit: 'credit' | 'ects';
  iCode: string;
  iZh: string;
  iEn: string;
};

/** Active courses with their institution and its credit unit: an institution's catalogue, or the given ids. */
export async function courseOffers(db: Executor, where: { institutionId: string } | { ids: string[] }) {
  if ('ids' in where && where.ids.length === 0) return [];
  const rows = await db.execute(sql`
    select c.id, c.code, c.title_zh as "titleZh", c.title_en as "titleEn", c.credits::text as credits, c.isced_code as field, c.level,
           i.code as "iCode", i.name_zh as "iZh", i.name_en as "iEn",
           coalesce((select cs.unit from credit_systems cs where cs.institution_id = i.id order by cs.effective_from desc limit 1), 'credit') as unit
    from courses c join institutions i on i.id = c.institution_id
    where c.status = 'active' and ${
      'ids' in where
        ? sql`c.id in (${sql.join(
            where.ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`
        : sql`c.institution_id = ${where.institutionId}`
    }
    order by c.code`);
  return rowsOf<CourseOffer>(rows);
}

/** The people's names (not their user names), by user id: who granted or revoked, as a reader sees them. */
export async function displayNames(db: Executor, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db.execute(sql`select id, display_name from users where id in (${uuids([...new Set(ids)])})`);
  return new Map(rowsOf<{ id: string; display_name: string }>(rows).map((r) => [r.id, r.display_name]));
}
