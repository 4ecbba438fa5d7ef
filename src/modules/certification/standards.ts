// The qualification frameworks and the conversion standards catalogue: drafted by the committee,
// administrators or the responsible institution's registrars, approved by the committee, versioned
// with effective dates, retired. Approved versions are never edited; a change is a new version.
import type { z } from 'zod';
import { versionInForce } from '../../core/certification/workflow.js';
import { formatCredits, parseCredits } from '../../core/credits.js';
import type { Db, Executor } from '../../db/connection.js';
import { conflict, forbidden, invalid, notFound } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, hasInstitutionRole, isAdmin, type Actor, type Principal } from '../auth/principal.js';
import { ADMIN_ONLY, authorized } from '../../policies/authorize.js';
import { courseSummaries } from '../catalog/service.js';
import { institutionSummaries } from '../institutions/service.js';
import type { newFramework, newStandard, standardChanges, standardQuery } from './schema.js';
import * as store from './store.js';

export const today = () => new Date().toISOString().slice(0, 10);

type StandardFields = z.infer<typeof newStandard>;

const isCommittee = (p: Principal) => p.kind === 'user' && p.grants.some((g) => g.role === 'committee');

/** Who may see drafts and retired versions: the committee, administrators and registrars. */
function seesAll(p: Principal) {
  return isAdmin(p) || isCommittee(p) || (p.kind === 'user' && p.grants.some((g) => g.role === 'registrar'));
}

function requireDrafter(p: Principal, institutionId: string): Actor {
  return authorized(
    p,
    'standard.draft',
    { institutionIds: [institutionId] },
    'Only the expert committee, an administrator or a registrar of the responsible institution may draft a standard',
  );
}

export async function listFrameworks(db: Db) {
  const rows = await store.frameworkRows(db);
  return rows.map((f) => ({
    id: f.id,
    code: f.code,
    nameZh: f.nameZh,
    nameEn: f.nameEn,
    levels: f.levels.map((l) => ({
      level: l.level,
      nameZh: l.nameZh,
      nameEn: l.nameEn,
      descriptorZh: l.descriptorZh,
      descriptorEn: l.descriptorEn,
      eqfLevel: l.eqfLevel,
    })),
  }));
}

export async function createFramework(db: Db, p: Principal, body: z.infer<typeof newFramework>) {
  const actor = authorized(p, 'standard.createFramework', undefined, ADMIN_ONLY);
  if ((await store.frameworkRows(db)).some((f) => f.code === body.code))
    throw conflict(`A framework with code ${body.code} exists`, 'body.code', { code: 'code_taken', value: body.code });
  const id = await db.transaction(async (tx) => {
    const { levels, ...f } = body;
    const row = await store.insertFramework(tx, f, levels);
    await recordAudit(tx, [{ ...actorIds(actor), institutionId: null, action: 'framework.create', entityType: 'framework', entityId: row.id, details: body }]);
    return row.id;
  });
  return (await listFrameworks(db)).find((f) => f.id === id)!;
}

const centi = (v: string | null) => (v === null ? null : formatCredits(parseCredits(v)));

/** Standards as the API shows them, with their framework level, institution and substituted courses named. */
async function present(db: Executor, rows: store.StandardRow[]) {
  const frameworks = new Map((await store.frameworkRows(db)).map((f) => [f.id, f]));
  const subs = rows.flatMap((r) => r.substitutes);
  const [insts, courses] = await Promise.all([
    institutionSummaries(db, [...rows.map((r) => r.institutionId), ...subs.map((s) => s.institutionId)]),
    courseSummaries(
      db,
      subs.flatMap((s) => (s.courseId ? [s.courseId] : [])),
    ),
  ]);
  return rows.map((r) => {
    const fw = frameworks.get(r.frameworkId);
    const level = fw?.levels.find((l) => l.level === r.level);
    return {
      id: r.id,
      code: r.code,
      version: r.version,
      status: r.status,
      outcomeKind: r.outcomeKind,
      issuingBody: r.issuingBody,
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      certificateLevel: r.certificateLevel,
      frameworkId: r.frameworkId,
      frameworkCode: fw?.code ?? '',
      level: r.level,
      levelNameZh: level?.nameZh ?? null,
      levelNameEn: level?.nameEn ?? null,
      eqfLevel: level?.eqfLevel ?? null,
      iscedCode: r.iscedCode,
      credits: centi(r.credits)!,
      unit: r.unit,
      institution: insts.get(r.institutionId)!,
      substitutes: r.substitutes.map((s) => {
        const c = s.courseId ? courses.get(s.courseId) : undefined;
        return {
          ...s,
          institutionCode: insts.get(s.institutionId)?.code ?? null,
          courseCode: c?.code ?? null,
          courseTitleZh: c?.titleZh ?? null,
          courseTitleEn: c?.titleEn ?? null,
        };
      }),
      validityMonths: r.validityMonths,
      capStandard: centi(r.capStandard),
      capKind: centi(r.capKind),
      capTotal: centi(r.capTotal),
      evidence: r.evidence,
      descriptionZh: r.descriptionZh,
      descriptionEn: r.descriptionEn,
      effectiveFrom: r.effectiveFrom,
      effectiveTo: r.effectiveTo,
      approvedAt: r.approvedAt?.toISOString() ?? null,
      draftedBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
    };
  });
}

export type StandardView = Awaited<ReturnType<typeof present>>[number];

export async function presentStandard(db: Executor, row: store.StandardRow) {
  return (await present(db, [row]))[0]!;
}

export async function searchStandards(db: Db, p: Principal, q: z.infer<typeof standardQuery>) {
  // The public sees the versions in force (today, or on the date asked); staff who ask for a status see every version of it.
  const staff = q.status !== undefined && seesAll(p);
  if (q.status && q.status !== 'approved' && !staff) throw forbidden('Only the committee, administrators and registrars may list drafts and retired standards');
  const statuses: store.StandardRow['status'][] = !staff
    ? ['approved']
    : q.status === 'all'
      ? ['draft', 'approved', 'retired']
      : [q.status as store.StandardRow['status']];
  const on = staff ? q.on : (q.on ?? today());
  return present(
    db,
    (await store.searchStandards(db, { q: q.q, kind: q.kind, isced: q.isced, institutionId: q.institutionId, statuses, on })).filter((r) => seesDraft(p, r)),
  );
}

/** Who sees a draft: those who may draft for its institution (the committee, which approves drafts, administrators, the institution's registrars). */
function seesDraft(p: Principal, row: { status: string; institutionId: string }) {
  return row.status !== 'draft' || isAdmin(p) || isCommittee(p) || hasInstitutionRole(p, row.institutionId, ['registrar']);
}

/** A standard version; drafts only for those who may see them (anyone else is told it does not exist). */
async function visibleStandard(db: Executor, p: Principal, id: string) {
  const row = await store.standardById(db, id);
  if (!row || !seesDraft(p, row)) throw notFound('Standard', id);
  return row;
}

export async function getStandard(db: Db, p: Principal, id: string) {
  const row = await visibleStandard(db, p, id);
  const versions = (await store.versionsOf(db, row.code)).filter((v) => seesDraft(p, v));
  return { ...(await presentStandard(db, row)), versions: await present(db, versions) };
}

/** Checks what only the database knows: the level is in the framework, the institutions and courses exist, caps make sense. */
async function checkFields(db: Executor, f: StandardFields) {
  if (!(await store.frameworkLevel(db, f.frameworkId, f.level))) {
    throw invalid('body.level', `level ${f.level} is not a level of that qualification framework`);
  }
  const subs = f.substitutes;
  const insts = await institutionSummaries(db, [f.institutionId, ...subs.map((s) => s.institutionId)]);
  if (!insts.has(f.institutionId)) throw invalid('body.institutionId', 'no such institution');
  const courses = await courseSummaries(
    db,
    subs.flatMap((s) => (s.courseId ? [s.courseId] : [])),
  );
  subs.forEach((s, i) => {
    if (!insts.has(s.institutionId)) throw invalid(`body.substitutes.${i}.institutionId`, 'no such institution');
    if (!s.courseId === !s.category) throw invalid(`body.substitutes.${i}`, 'give either a courseId or a category');
    if (s.courseId && courses.get(s.courseId)?.institutionId !== s.institutionId)
      throw invalid(`body.substitutes.${i}.courseId`, 'is not a course of that institution');
  });
  const credits = parseCredits(f.credits);
  for (const cap of ['capStandard', 'capKind', 'capTotal'] as const) {
    const v = f[cap];
    if (v !== null && parseCredits(v) < credits)
      throw invalid(`body.${cap}`, `is less than the ${f.credits} credits one certificate earns, so no certificate could ever be certified`);
  }
  if (f.effectiveTo && f.effectiveTo <= f.effectiveFrom) throw invalid('body.effectiveTo', 'must be after effectiveFrom');
}

const rowFields = (f: StandardFields) => ({ ...f, substitutes: f.substitutes, evidence: f.evidence });

const fieldsOf = (r: store.StandardRow): StandardFields => ({
  code: r.code,
  outcomeKind: r.outcomeKind,
  issuingBody: r.issuingBody,
  nameZh: r.nameZh,
  nameEn: r.nameEn,
  certificateLevel: r.certificateLevel,
  frameworkId: r.frameworkId,
  level: r.level,
  iscedCode: r.iscedCode,
  credits: centi(r.credits)!,
  unit: r.unit,
  institutionId: r.institutionId,
  substitutes: r.substitutes,
  validityMonths: r.validityMonths,
  capStandard: centi(r.capStandard),
  capKind: centi(r.capKind),
  capTotal: centi(r.capTotal),
  evidence: r.evidence,
  descriptionZh: r.descriptionZh,
  descriptionEn: r.descriptionEn,
  effectiveFrom: r.effectiveFrom,
  effectiveTo: r.effectiveTo,
});

export async function draftStandard(db: Db, p: Principal, body: StandardFields) {
  const actor = requireDrafter(p, body.institutionId);
  await checkFields(db, body);
  if ((await store.versionsOf(db, body.code)).length > 0)
    throw conflict(`A standard with code ${body.code} exists; draft a new version of it instead`, 'body.code', { code: 'code_taken', value: body.code });
  return db.transaction(async (tx) => {
    const row = await store.insertStandard(tx, { ...rowFields(body), version: 1, status: 'draft', createdBy: actor.kind === 'user' ? actor.userId : null });
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: row.institutionId, action: 'standard.draft', entityType: 'standard', entityId: row.id, details: body },
    ]);
    return presentStandard(tx, row);
  });
}

export async function draftVersion(db: Db, p: Principal, fromId: string, changes: z.infer<typeof standardChanges>) {
  const from = await visibleStandard(db, p, fromId);
  const fields = { ...fieldsOf(from), ...changes, code: from.code };
  const actor = requireDrafter(p, fields.institutionId);
  await checkFields(db, fields);
  return db.transaction(async (tx) => {
    const versions = await store.lockVersions(tx, from.code);
    const open = versions.find((v) => v.status === 'draft');
    if (open)
      throw conflict(`Version ${open.version} of ${from.code} is still a draft: edit or approve it first`, undefined, {
        code: 'draft_open',
        version: open.version,
      });
    const row = await store.insertStandard(tx, {
      ...rowFields(fields),
      version: versions[0]!.version + 1,
      status: 'draft',
      createdBy: actor.kind === 'user' ? actor.userId : null,
    });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: row.institutionId,
        action: 'standard.draft_version',
        entityType: 'standard',
        entityId: row.id,
        details: { from: from.id, changes },
      },
    ]);
    return presentStandard(tx, row);
  });
}

export async function editDraft(db: Db, p: Principal, id: string, changes: z.infer<typeof standardChanges>) {
  const current = await visibleStandard(db, p, id);
  if (current.status !== 'draft')
    throw conflict(`Version ${current.version} of ${current.code} is ${current.status} and is never edited; draft a new version instead`, undefined, {
      code: 'invalid_state',
      state: current.status,
    });
  const fields = { ...fieldsOf(current), ...changes, code: current.code };
  const actor = requireDrafter(p, fields.institutionId);
  requireDrafter(p, current.institutionId);
  await checkFields(db, fields);
  return db.transaction(async (tx) => {
    const row = await store.updateStandard(tx, id, 'draft', { ...rowFields(fields), createdBy: actor.kind === 'user' ? actor.userId : null });
    if (!row) throw conflict('The draft was approved or changed meanwhile; reload it', undefined, { code: 'version_conflict' });
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: row.institutionId, action: 'standard.edit', entityType: 'standard', entityId: id, details: changes },
    ]);
    return presentStandard(tx, row);
  });
}

/** The committee approves a draft; the approved version before it ends where the new one starts. */
export async function approveStandard(db: Db, p: Principal, id: string) {
  const actor = authorized(p, 'standard.approve', undefined, 'Only a member of the expert committee may approve a standard');
  const draft = await visibleStandard(db, p, id);
  // four eyes: whoever drafted or last edited a version does not approve it
  if (actor.kind === 'user' && draft.createdBy === actor.userId) throw forbidden('You drafted this version: another member of the committee approves it');
  return db.transaction(async (tx) => {
    const versions = await store.lockVersions(tx, draft.code);
    const current = versions.find((v) => v.id === id)!;
    if (current.status !== 'draft')
      throw conflict(`Version ${current.version} of ${current.code} is already ${current.status}`, undefined, { code: 'invalid_state', state: current.status });
    for (const v of versions) {
      if (v.status !== 'approved') continue;
      const overlaps = v.effectiveFrom < (current.effectiveTo ?? '9999-12-31') && current.effectiveFrom < (v.effectiveTo ?? '9999-12-31');
      if (!overlaps) continue;
      // the version in force is closed where the new one begins; any other overlap is a mistake to fix
      if (v.effectiveFrom < current.effectiveFrom && (v.effectiveTo === null || v.effectiveTo > current.effectiveFrom)) {
        await store.updateStandard(tx, v.id, 'approved', { effectiveTo: current.effectiveFrom });
      } else {
        throw conflict(
          `Version ${v.version} is in force from ${v.effectiveFrom}; this draft must start after it (change effectiveFrom)`,
          'body.effectiveFrom',
          { code: 'effective_date_overlap' },
        );
      }
    }
    const row = await store.updateStandard(tx, id, 'draft', {
      status: 'approved',
      approvedBy: actor.kind === 'user' ? actor.userId : null,
      approvedAt: new Date(),
    });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: row!.institutionId,
        action: 'standard.approve',
        entityType: 'standard',
        entityId: id,
        details: { code: row!.code, version: row!.version },
      },
    ]);
    return presentStandard(tx, row!);
  });
}

/** A draft that should never be approved is discarded; the audit trail keeps what it said. */
export async function discardDraft(db: Db, p: Principal, id: string, reason: string) {
  const current = await visibleStandard(db, p, id);
  const actor = requireDrafter(p, current.institutionId);
  if (current.status !== 'draft')
    throw conflict(
      `Version ${current.version} of ${current.code} is ${current.status}; only a draft can be discarded (retire an approved version instead)`,
      undefined,
      { code: 'invalid_state', state: current.status },
    );
  await db.transaction(async (tx) => {
    if (!(await store.deleteDraft(tx, id))) throw conflict('The draft was approved meanwhile; reload it', undefined, { code: 'version_conflict' });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: current.institutionId,
        action: 'standard.discard',
        entityType: 'standard',
        entityId: id,
        details: { reason, draft: fieldsOf(current) },
      },
    ]);
  });
}

export async function retireStandard(db: Db, p: Principal, id: string, reason: string) {
  const actor = authorized(p, 'standard.retire', undefined, 'Only the expert committee or an administrator may retire a standard');
  const current = await visibleStandard(db, p, id);
  if (current.status !== 'approved')
    throw conflict(`Version ${current.version} of ${current.code} is ${current.status}; only an approved version can be retired`, undefined, {
      code: 'invalid_state',
      state: current.status,
    });
  return db.transaction(async (tx) => {
    const row = await store.updateStandard(tx, id, 'approved', { status: 'retired' });
    if (!row) throw conflict('The standard changed meanwhile; reload it', undefined, { code: 'version_conflict' });
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: row.institutionId, action: 'standard.retire', entityType: 'standard', entityId: id, details: { reason } },
    ]);
    return presentStandard(tx, row);
  });
}

/** The approved version of a standard in force on a date (for certifying an outcome of that date). */
export async function standardInForce(db: Executor, ref: { standardId?: string; standardCode?: string }, on: string) {
  const code = ref.standardCode ?? (ref.standardId ? (await store.standardById(db, ref.standardId))?.code : undefined);
  const path = ref.standardCode ? 'body.standardCode' : 'body.standardId';
  if (!code) throw invalid(path, 'no such standard');
  const versions = await store.versionsOf(db, code);
  if (versions.length === 0) throw invalid(path, 'no such standard');
  const inForce = versionInForce(
    versions.filter((v) => v.status === 'approved'),
    on,
  );
  if (!inForce) {
    const retired = versions.find((v) => v.status === 'retired' && v.effectiveFrom <= on);
    throw invalid(
      'body.issuedOn',
      retired
        ? `standard ${code} has been retired and certifies nothing new`
        : `no approved version of standard ${code} was in force on ${on}; versions in force: ${
            versions
              .filter((v) => v.status === 'approved')
              .map((v) => `${v.effectiveFrom} – ${v.effectiveTo ?? 'now'}`)
              .join(', ') || 'none'
          }`,
    );
  }
  return inForce;
}
