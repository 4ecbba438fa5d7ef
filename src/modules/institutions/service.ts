// Institutions, their credit systems and grading scales. Reading is public; an administrator
// admits institutions; a registrar maintains their own institution's rules.
import type { z } from 'zod';
import { scaleProblems } from '../../core/grades/scales.js';
import type { Db, Executor } from '../../db/connection.js';
import { conflict, invalid, notFound } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, type Principal } from '../auth/principal.js';
import { ADMIN_ONLY, authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import type { institutionPatch, newInstitution, newScale } from './schema.js';
import * as store from './store.js';

const today = () => new Date().toISOString().slice(0, 10);

function present(row: store.InstitutionRow, cs: Awaited<ReturnType<typeof store.creditSystemsOn>>, scales: Awaited<ReturnType<typeof store.scalesOn>>) {
  const c = cs.find((x) => x.institutionId === row.id);
  return {
    id: row.id,
    code: row.code,
    nameZh: row.nameZh,
    nameEn: row.nameEn,
    kind: row.kind,
    country: row.country,
    website: row.website,
    exemptionEarnsCredit: row.exemptionEarnsCredit,
    creditSystem: c ? { unit: c.unit, hoursPerCredit: c.hoursPerCredit.replace(/\.?0+$/, ''), hourType: c.hourType, effectiveFrom: c.effectiveFrom } : null,
    gradingScales: scales
      .filter((s) => s.institutionId === row.id)
      .map((s) => ({ id: s.id, code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, definition: s.definition })),
  };
}

async function presentAll(db: Executor, rows: store.InstitutionRow[]) {
  const ids = rows.map((r) => r.id);
  const [cs, scales] = await Promise.all([store.creditSystemsOn(db, ids, today()), store.scalesOn(db, ids, today())]);
  return rows.map((r) => present(r, cs, scales));
}

export async function listInstitutions(db: Db) {
  return presentAll(db, await store.listInstitutionRows(db));
}

export async function getInstitution(db: Executor, id: string) {
  const rows = await store.institutionRowsByIds(db, [id]);
  if (rows.length === 0) throw notFound('Institution', id);
  return (await presentAll(db, rows))[0]!;
}

/** Codes and names of institutions by id, for other modules to label their records. */
export async function institutionSummaries(db: Executor, ids: string[]) {
  const rows = await store.institutionRowsByIds(db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, nameZh: r.nameZh, nameEn: r.nameEn }]));
}

export async function institutionIdByCode(db: Executor, code: string) {
  return (await store.institutionByCode(db, code))?.id;
}

/** The grading scale, checked to belong to the institution. */
export async function scaleOf(db: Executor, institutionId: string, scaleId: string) {
  const s = await store.scaleById(db, scaleId);
  if (!s || s.institutionId !== institutionId) throw notFound('Grading scale', scaleId);
  return { ...s, definition: s.definition };
}

/** The institution's grading scale in force today (its first, by code, when several are). */
export async function defaultScale(db: Executor, institutionId: string) {
  const [s] = await store.scalesOn(db, [institutionId], today());
  return s ? { ...s, definition: s.definition } : undefined;
}

export async function createInstitution(db: Db, p: Principal, body: z.infer<typeof newInstitution>) {
  const actor = authorized(p, 'institution.create', undefined, ADMIN_ONLY);
  if (await store.institutionByCode(db, body.code))
    throw conflict(`An institution with code ${body.code} exists`, 'body.code', { code: 'code_taken', value: body.code });
  const id = await db.transaction(async (tx) => {
    const row = await store.insertInstitution(tx, {
      code: body.code,
      nameZh: body.nameZh,
      nameEn: body.nameEn,
      kind: body.kind,
      country: body.country,
      website: body.website ?? null,
      exemptionEarnsCredit: body.exemptionEarnsCredit ?? true,
    });
    if (body.creditSystem) await store.insertCreditSystem(tx, { institutionId: row.id, ...body.creditSystem });
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: row.id, action: 'institution.create', entityType: 'institution', entityId: row.id, details: body },
    ]);
    return row.id;
  });
  return getInstitution(db, id);
}

export async function updateInstitution(db: Db, p: Principal, id: string, body: z.infer<typeof institutionPatch>) {
  const actor = authorized(p, 'institution.update', { institutionIds: [id] }, REGISTRAR_ONLY);
  await db.transaction(async (tx) => {
    const row = await store.updateInstitution(tx, id, body);
    if (!row) throw notFound('Institution', id);
    await recordAudit(tx, [{ ...actorIds(actor), institutionId: id, action: 'institution.update', entityType: 'institution', entityId: id, details: body }]);
  });
  return getInstitution(db, id);
}

export async function addScale(db: Db, p: Principal, institutionId: string, body: z.infer<typeof newScale>) {
  const actor = authorized(p, 'institution.update', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  const problems = scaleProblems(body.definition);
  if (problems.length) throw invalid('body.definition', problems.join('; '));
  await getInstitution(db, institutionId);
  return db.transaction(async (tx) => {
    const row = await store.insertScale(tx, { institutionId, ...body });
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId, action: 'grading_scale.create', entityType: 'grading_scale', entityId: row.id, details: body },
    ]);
    return { id: row.id, code: row.code, nameZh: row.nameZh, nameEn: row.nameEn, definition: row.definition };
  });
}
