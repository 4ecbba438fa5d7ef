import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/connection.js';
import { creditSystems, gradingScales, institutions } from '../../db/schema.js';

export type InstitutionRow = typeof institutions.$inferSelect;
export type NewInstitution = typeof institutions.$inferInsert;

export async function listInstitutionRows(db: Executor) {
  return db.select().from(institutions).orderBy(asc(institutions.code));
}

export async function institutionRowsByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(institutions).where(inArray(institutions.id, ids));
}

export async function institutionByCode(db: Executor, code: string) {
  const [row] = await db.select().from(institutions).where(eq(institutions.code, code));
  return row;
}

export async function insertInstitution(db: Executor, v: NewInstitution) {
  const [row] = await db.insert(institutions).values(v).returning();
  return row!;
}

export async function updateInstitution(db: Executor, id: string, v: Partial<NewInstitution>) {
  const [row] = await db
    .update(institutions)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(institutions.id, id))
    .returning();
  return row;
}

const inForce = (from: PgColumn, to: PgColumn, on: string) => and(lte(from, on), or(isNull(to), gt(to, on)));

/** The credit systems in force on a date, one per institution at most. */
export async function creditSystemsOn(db: Executor, institutionIds: string[], on: string) {
  if (institutionIds.length === 0) return [];
  return db
    .selectDistinctOn([creditSystems.institutionId])
    .from(creditSystems)
    .where(and(inArray(creditSystems.institutionId, institutionIds), inForce(creditSystems.effectiveFrom, creditSystems.effectiveTo, on)))
    .orderBy(creditSystems.institutionId, sql`${creditSystems.effectiveFrom} desc`);
}

export async function insertCreditSystem(db: Executor, v: typeof creditSystems.$inferInsert) {
  const [row] = await db.insert(creditSystems).values(v).returning();
  return row!;
}

export async function scalesOn(db: Executor, institutionIds: string[], on: string) {
  if (institutionIds.length === 0) return [];
  return db
    .select()
    .from(gradingScales)
    .where(and(inArray(gradingScales.institutionId, institutionIds), inForce(gradingScales.effectiveFrom, gradingScales.effectiveTo, on)))
    .orderBy(gradingScales.code);
}

export async function scaleById(db: Executor, id: string) {
  const [row] = await db.select().from(gradingScales).where(eq(gradingScales.id, id));
  return row;
}

export async function insertScale(db: Executor, v: typeof gradingScales.$inferInsert) {
  const [row] = await db.insert(gradingScales).values(v).returning();
  return row!;
}
