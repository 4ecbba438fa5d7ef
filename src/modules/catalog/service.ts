// The catalogue: courses and programmes. Anyone may read it; a registrar edits their own.
import type { z } from 'zod';
import { formatCredits, parseCredits } from '../../core/credits.js';
import type { Db, Executor, Tx } from '../../db/connection.js';
import { AppError, conflict, notFound } from '../../errors.js';
import { decodeCursor, isString, page } from '../../pagination.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, type Actor, type Principal } from '../auth/principal.js';
import { authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { getInstitution } from '../institutions/service.js';
import type { coursePatch, newCourse, newProgramme } from './schema.js';
import * as store from './store.js';

const credits = (text: string) => formatCredits(parseCredits(text));

export function presentCourse(r: store.CourseRow) {
  return {
    id: r.id,
    institutionId: r.institutionId,
    code: r.code,
    titleZh: r.titleZh,
    titleEn: r.titleEn,
    credits: credits(r.credits),
    hours: r.hours,
    hourType: r.hourType,
    iscedCode: r.iscedCode,
    level: r.level,
    outcomesZh: r.outcomesZh,
    outcomesEn: r.outcomesEn,
    status: r.status,
    version: r.version,
  };
}

function presentProgramme(r: store.ProgrammeRow) {
  return {
    id: r.id,
    institutionId: r.institutionId,
    code: r.code,
    titleZh: r.titleZh,
    titleEn: r.titleEn,
    qualification: r.qualification,
    totalCredits: credits(r.totalCredits),
    iscedCode: r.iscedCode,
  };
}

export async function listCourses(db: Db, institutionId: string, q: { q?: string; cursor?: string; limit: number }) {
  await getInstitution(db, institutionId);
  const afterCode = decodeCursor(q.cursor, isString);
  const rows = await store.listCourseRows(db, institutionId, { search: q.q, afterCode, limit: q.limit + 1 });
  return page(rows.map(presentCourse), q.limit, (last) => last.code);
}

export async function getCourse(db: Executor, id: string) {
  const row = await store.courseById(db, id);
  if (!row) throw notFound('Course', id);
  return presentCourse(row);
}

/** Codes and titles of courses by id, for other modules to label their records. */
export async function courseSummaries(db: Executor, ids: string[]) {
  const rows = await store.coursesByIds(db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, { id: r.id, institutionId: r.institutionId, code: r.code, titleZh: r.titleZh, titleEn: r.titleEn }]));
}

/** Full course rows by id (titles, outcomes, hours), for evaluating one course against another. */
export const coursesByIds = (db: Executor, ids: string[]) => store.coursesByIds(db, [...new Set(ids)]);
/** Every course of an institution's catalogue. */
export const catalogueOf = (db: Executor, institutionId: string) => store.allCourseRows(db, institutionId);

/** A course of the institution by id or by code, for recording results. */
export async function findCourse(db: Executor, institutionId: string, ref: { courseId?: string; courseCode?: string }) {
  const row = ref.courseId
    ? await store.courseById(db, ref.courseId)
    : ref.courseCode
      ? await store.courseByCode(db, institutionId, ref.courseCode)
      : undefined;
  if (!row || row.institutionId !== institutionId) return undefined;
  return row;
}

export async function createCourses(db: Db, p: Principal, institutionId: string, bodies: z.infer<typeof newCourse>[]) {
  const actor = authorized(p, 'catalog.edit', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  const inst = await getInstitution(db, institutionId);
  const codes = new Set<string>();
  for (const [i, b] of bodies.entries()) {
    const path = bodies.length > 1 ? `body.courses.${i}.code` : 'body.code';
    if (codes.has(b.code)) throw conflict(`Course code ${b.code} appears twice`, path, { code: 'code_taken', value: b.code });
    codes.add(b.code);
    if (await store.courseByCode(db, institutionId, b.code))
      throw conflict(`Course ${b.code} already exists at ${inst.code}`, path, { code: 'code_taken', value: b.code });
  }
  const hourType = inst.creditSystem?.hourType ?? 'contact';
  return db.transaction(async (tx) => {
    const rows = await store.insertCourses(
      tx,
      bodies.map((b) => ({ ...b, institutionId, hourType: b.hourType ?? hourType, level: b.level ?? null })),
    );
    await recordAudit(
      tx,
      rows.map((r) => ({ ...actorIds(actor), institutionId, action: 'course.create', entityType: 'course', entityId: r.id, details: { code: r.code } })),
    );
    return rows.map(presentCourse);
  });
}

/** Edits a course. `ifVersion` (from If-Match) guards against overwriting someone else's edit. */
export async function updateCourse(db: Db, p: Principal, id: string, body: z.infer<typeof coursePatch>, ifVersion: number | undefined) {
  const current = await store.courseById(db, id);
  if (!current) throw notFound('Course', id);
  const actor = authorized(p, 'catalog.edit', { institutionIds: [current.institutionId] }, REGISTRAR_ONLY);
  if (ifVersion !== undefined && ifVersion !== current.version) {
    throw new AppError('precondition_failed', `The course was changed by someone else (now version ${current.version}); reload and try again`, [], {
      code: 'precondition_failed',
      currentVersion: current.version,
    });
  }
  return db.transaction(async (tx) => {
    const row = await store.updateCourse(tx, id, current.version, body);
    if (!row) throw new AppError('precondition_failed', 'The course was changed by someone else while you edited it; reload and try again');
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: row.institutionId,
        action: 'course.update',
        entityType: 'course',
        entityId: id,
        details: { before: presentCourse(current), changes: body },
      },
    ]);
    return presentCourse(row);
  });
}

export async function listProgrammes(db: Db, institutionId: string) {
  await getInstitution(db, institutionId);
  return (await store.listProgrammeRows(db, institutionId)).map(presentProgramme);
}

export async function programmeOf(db: Executor, institutionId: string, programmeId: string) {
  const row = await store.programmeById(db, programmeId);
  return row && row.institutionId === institutionId ? presentProgramme(row) : undefined;
}

export async function createProgramme(db: Db, p: Principal, institutionId: string, body: z.infer<typeof newProgramme>) {
  const actor = authorized(p, 'catalog.edit', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  await getInstitution(db, institutionId);
  if (await store.programmeByCode(db, institutionId, body.code))
    throw conflict(`Programme ${body.code} already exists`, 'body.code', { code: 'code_taken', value: body.code });
  return db.transaction(async (tx) => {
    const row = await store.insertProgramme(tx, { ...body, institutionId });
    await recordAudit(tx, [{ ...actorIds(actor), institutionId, action: 'programme.create', entityType: 'programme', entityId: row.id, details: body }]);
    return presentProgramme(row);
  });
}

/** What an import needs to know about a course. */
export type CourseLookup = store.CourseRow;

/** The institution's whole catalogue by code (a catalogue is hundreds or thousands of courses). */
export async function courseMap(db: Executor, institutionId: string): Promise<Map<string, CourseLookup>> {
  return new Map((await store.allCourseRows(db, institutionId)).map((c) => [c.code, c]));
}

type CourseFields = Omit<store.NewCourseRow, 'id' | 'institutionId' | 'hourType' | 'version' | 'status' | 'createdAt' | 'updatedAt'>;

/** Inserts courses in the caller's transaction (imports); the caller has checked the codes are new. */
export async function insertCoursesInTx(tx: Tx, actor: Actor, institutionId: string, rows: (CourseFields & { hourType: 'contact' | 'workload' })[]) {
  const made = await store.insertCoursesQuiet(
    tx,
    rows.map((r) => ({ ...r, institutionId })),
  );
  await recordAudit(
    tx,
    made.map((r) => ({
      ...actorIds(actor),
      institutionId,
      action: 'course.create',
      entityType: 'course',
      entityId: r.id,
      details: { code: r.code, via: 'import' },
    })),
  );
  return made;
}

export async function updateCourseInTx(tx: Tx, actor: Actor, current: CourseLookup, changes: CourseFields) {
  const row = await store.updateCourse(tx, current.id, current.version, changes);
  if (!row) throw new AppError('precondition_failed', `Course ${current.code} was changed by someone else during the import`);
  await recordAudit(tx, [
    {
      ...actorIds(actor),
      institutionId: row.institutionId,
      action: 'course.update',
      entityType: 'course',
      entityId: row.id,
      details: { before: presentCourse(current), changes, via: 'import' },
    },
  ]);
  return row;
}

export async function listProgrammesOf(db: Executor, institutionId: string) {
  return (await store.listProgrammeRows(db, institutionId)).map(presentProgramme);
}

type ProgrammeFields = Omit<typeof store.insertProgramme extends (db: Executor, v: infer V) => unknown ? V : never, 'institutionId'>;

export async function insertProgrammeInTx(tx: Tx, actor: Actor, institutionId: string, v: ProgrammeFields): Promise<string> {
  const row = await store.insertProgramme(tx, { ...v, institutionId });
  await recordAudit(tx, [
    { ...actorIds(actor), institutionId, action: 'programme.create', entityType: 'programme', entityId: row.id, details: { code: row.code, via: 'import' } },
  ]);
  return row.id;
}

export async function updateProgrammeInTx(tx: Tx, actor: Actor, institutionId: string, id: string, v: ProgrammeFields) {
  await store.updateProgramme(tx, id, v);
  await recordAudit(tx, [
    { ...actorIds(actor), institutionId, action: 'programme.update', entityType: 'programme', entityId: id, details: { changes: v, via: 'import' } },
  ]);
}
