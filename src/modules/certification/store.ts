// Queries of certification: frameworks, standards, applications, their events, votes and evidence.
import { and, asc, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.js';
import {
  applicationEvidence,
  certificationApplications as apps,
  certificationEvents as events,
  committeeVotes as votes,
  conversionStandards as standards,
  evidenceBlobs,
  frameworkLevels,
  learners,
  learningAccounts,
  qualificationFrameworks,
  users,
} from '../../db/schema.js';

export type StandardRow = typeof standards.$inferSelect;
export type NewStandardRow = typeof standards.$inferInsert;
export type ApplicationRow = typeof apps.$inferSelect;
export type NewApplicationRow = typeof apps.$inferInsert;
export type EventRow = typeof events.$inferSelect;
export type VoteRow = typeof votes.$inferSelect;

// ---- frameworks

export async function frameworkRows(db: Executor) {
  const fw = await db.select().from(qualificationFrameworks).orderBy(asc(qualificationFrameworks.code));
  const levels = await db.select().from(frameworkLevels).orderBy(asc(frameworkLevels.level));
  return fw.map((f) => ({ ...f, levels: levels.filter((l) => l.frameworkId === f.id) }));
}

export async function insertFramework(
  db: Executor,
  f: typeof qualificationFrameworks.$inferInsert,
  levels: Omit<typeof frameworkLevels.$inferInsert, 'frameworkId'>[],
) {
  const [row] = await db.insert(qualificationFrameworks).values(f).returning();
  await db.insert(frameworkLevels).values(levels.map((l) => ({ ...l, frameworkId: row!.id })));
  return row!;
}

export async function frameworkLevel(db: Executor, frameworkId: string, level: number) {
  const [row] = await db
    .select()
    .from(frameworkLevels)
    .where(and(eq(frameworkLevels.frameworkId, frameworkId), eq(frameworkLevels.level, level)));
  return row;
}

// ---- standards

export async function searchStandards(
  db: Executor,
  f: { q?: string; kind?: string; isced?: string; institutionId?: string; statuses: StandardRow['status'][]; on?: string },
) {
  const where: (SQL | undefined)[] = [inArray(standards.status, f.statuses)];
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      or(
        ilike(standards.nameZh, like),
        ilike(standards.nameEn, like),
        ilike(standards.issuingBody, like),
        ilike(standards.code, like),
        ilike(standards.certificateLevel, like),
      ),
    );
  }
  if (f.kind) where.push(eq(standards.outcomeKind, f.kind as StandardRow['outcomeKind']));
  if (f.isced) where.push(sql`${standards.iscedCode} like ${`${f.isced}%`}`);
  if (f.institutionId) where.push(eq(standards.institutionId, f.institutionId));
  if (f.on) where.push(sql`${standards.effectiveFrom} <= ${f.on} and (${standards.effectiveTo} is null or ${standards.effectiveTo} > ${f.on})`);
  return db
    .select()
    .from(standards)
    .where(and(...where))
    .orderBy(asc(standards.code), desc(standards.version))
    .limit(500);
}

export async function standardById(db: Executor, id: string) {
  const [row] = await db.select().from(standards).where(eq(standards.id, id));
  return row;
}

/** Several standards in one query (the standards a page of applications names). */
export async function standardsByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(standards).where(inArray(standards.id, ids));
}

export async function versionsOf(db: Executor, code: string) {
  return db.select().from(standards).where(eq(standards.code, code)).orderBy(desc(standards.version));
}

/** Locks every version of a standard, so two approvals of its drafts cannot interleave. */
export async function lockVersions(db: Executor, code: string) {
  return db.select().from(standards).where(eq(standards.code, code)).orderBy(desc(standards.version)).for('update');
}

export async function insertStandard(db: Executor, row: NewStandardRow) {
  const [r] = await db.insert(standards).values(row).returning();
  return r!;
}

export async function updateStandard(db: Executor, id: string, status: StandardRow['status'], v: Partial<NewStandardRow>) {
  const [r] = await db
    .update(standards)
    .set(v)
    .where(and(eq(standards.id, id), eq(standards.status, status)))
    .returning();
  return r;
}

export async function deleteDraft(db: Executor, id: string) {
  const rows = await db
    .delete(standards)
    .where(and(eq(standards.id, id), eq(standards.status, 'draft')))
    .returning({ id: standards.id });
  return rows.length === 1;
}

// ---- applications

const listed = {
  app: apps,
  learnerName: learners.fullName,
  accountNo: learningAccounts.accountNo,
  evidenceCount: sql<number>`(select count(*)::int from ${applicationEvidence} e where e.learner_id = ${apps.learnerId} and e.application_id = ${apps.id} and e.removed_at is null)`,
  waitingSince: sql<string>`(select max(ev.at) from ${events} ev where ev.learner_id = ${apps.learnerId} and ev.application_id = ${apps.id})`,
};

function listQuery(db: Executor) {
  return db
    .select(listed)
    .from(apps)
    .innerJoin(learners, eq(learners.id, apps.learnerId))
    .innerJoin(learningAccounts, eq(learningAccounts.learnerId, apps.learnerId));
}

export type ListedApplication = Awaited<ReturnType<typeof applicationsOfLearner>>[number];

export async function applicationsOfLearner(db: Executor, learnerId: string) {
  return listQuery(db).where(eq(apps.learnerId, learnerId)).orderBy(desc(apps.createdAt));
}

export async function listedApplication(db: Executor, id: string) {
  const [row] = await listQuery(db).where(eq(apps.id, id));
  return row;
}

export async function queueRows(
  db: Executor,
  f: { route: 'reviewer' | 'committee'; institutionIds?: string[]; statuses: ApplicationRow['status'][]; before?: [string, string]; limit: number },
) {
  const where: (SQL | undefined)[] = [inArray(apps.status, f.statuses)];
  // the committee sees individual assessments and every appeal; reviewers their institutions' applications
  where.push(f.route === 'committee' ? or(eq(apps.route, 'committee'), eq(apps.appealed, true)) : eq(apps.route, 'reviewer'));
  if (f.institutionIds) where.push(inArray(apps.institutionId, f.institutionIds));
  if (f.before) where.push(sql`(${apps.updatedAt}, ${apps.id}) > (${f.before[0]}::timestamptz, ${f.before[1]}::uuid)`);
  // oldest waiting first: a queue is worked from the front
  return listQuery(db)
    .where(and(...where))
    .orderBy(asc(apps.updatedAt), asc(apps.id))
    .limit(f.limit);
}

export async function applicationById(db: Executor, id: string) {
  const [row] = await db.select().from(apps).where(eq(apps.id, id));
  return row;
}

export async function lockApplication(db: Executor, learnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(apps)
    .where(and(eq(apps.learnerId, learnerId), eq(apps.id, id)))
    .for('update');
  return row;
}

export async function insertApplication(db: Executor, row: NewApplicationRow) {
  const [r] = await db.insert(apps).values(row).returning();
  return r!;
}

/** Moves an application on if it is still at `version`; undefined when someone moved it first. */
export async function moveApplication(db: Executor, a: { learnerId: string; id: string; version: number }, v: Partial<NewApplicationRow>) {
  const [r] = await db
    .update(apps)
    .set({ ...v, version: a.version + 1, updatedAt: new Date() })
    .where(and(eq(apps.learnerId, a.learnerId), eq(apps.id, a.id), eq(apps.version, a.version)))
    .returning();
  return r;
}

/** Another live application for the same certificate, if any. */
export async function liveCertificate(db: Executor, issuingBody: string, certificateNo: string, exceptId: string) {
  const [row] = await db
    .select({ id: apps.id, learnerId: apps.learnerId, status: apps.status })
    .from(apps)
    .where(
      and(
        eq(apps.issuingBody, issuingBody),
        eq(apps.certificateNo, certificateNo),
        sql`${apps.status} not in ('draft','rejected','withdrawn','revoked')`,
        sql`${apps.id} <> ${exceptId}`,
      ),
    );
  return row;
}

/** A live application of this learner for an outcome without a number: same standard, same date. */
export async function liveRecord(db: Executor, learnerId: string, standardCode: string, issuedOn: string) {
  const [row] = await db
    .select({ id: apps.id })
    .from(apps)
    .innerJoin(standards, eq(standards.id, apps.standardId))
    .where(
      and(
        eq(apps.learnerId, learnerId),
        eq(standards.code, standardCode),
        eq(apps.issuedOn, issuedOn),
        sql`${apps.status} not in ('draft','rejected','withdrawn','revoked')`,
      ),
    );
  return row;
}

/** Credits a learner holds from approved certifications, in one unit: by standard code, by kind, in all. */
export async function heldCredits(db: Executor, learnerId: string, unit: string, standardCode: string | null, kind: string) {
  const res = await db.execute(sql`
    select coalesce(sum(a.credits_granted) filter (where s.code = ${standardCode}), 0)::text as standard,
           coalesce(sum(a.credits_granted) filter (where a.outcome_kind = ${kind}), 0)::text as kind,
           coalesce(sum(a.credits_granted), 0)::text as total
    from ${apps} a left join ${standards} s on s.id = a.standard_id
    where a.learner_id = ${learnerId} and a.status = 'approved' and a.unit = ${unit}`);
  return (res as unknown as { rows: { standard: string; kind: string; total: string }[] }).rows[0]!;
}

// ---- events and votes

export async function appendEvent(db: Executor, e: Omit<typeof events.$inferInsert, 'seq'>) {
  await db.execute(sql`
    insert into ${events} (learner_id, application_id, seq, actor_user_id, actor_role, action, from_status, to_status, reason, details)
    select ${e.learnerId}, ${e.applicationId}, coalesce(max(seq), 0) + 1, ${e.actorUserId ?? null}, ${e.actorRole}, ${e.action},
           ${e.fromStatus ?? null}, ${e.toStatus}, ${e.reason ?? null}, ${JSON.stringify(e.details ?? {})}::jsonb
    from ${events} where learner_id = ${e.learnerId} and application_id = ${e.applicationId}`);
}

export async function eventsOf(db: Executor, learnerId: string, applicationId: string) {
  return db
    .select({ event: events, actorName: users.displayName })
    .from(events)
    .leftJoin(users, eq(users.id, events.actorUserId))
    .where(and(eq(events.learnerId, learnerId), eq(events.applicationId, applicationId)))
    .orderBy(asc(events.seq));
}

export async function votesOf(db: Executor, learnerId: string, applicationId: string, stage: VoteRow['stage'], round: number) {
  return db
    .select({ vote: votes, voterName: users.displayName })
    .from(votes)
    .innerJoin(users, eq(users.id, votes.voterId))
    .where(and(eq(votes.learnerId, learnerId), eq(votes.applicationId, applicationId), eq(votes.stage, stage), eq(votes.round, round)))
    .orderBy(asc(votes.at));
}

export async function insertVote(db: Executor, v: typeof votes.$inferInsert) {
  const rows = await db.insert(votes).values(v).onConflictDoNothing().returning();
  return rows.length === 1;
}

// ---- evidence

export async function storeBlob(db: Executor, b: typeof evidenceBlobs.$inferInsert) {
  await db.insert(evidenceBlobs).values(b).onConflictDoNothing();
  const [row] = await db
    .select({ sha256: evidenceBlobs.sha256, sizeBytes: evidenceBlobs.sizeBytes, mediaType: evidenceBlobs.mediaType })
    .from(evidenceBlobs)
    .where(eq(evidenceBlobs.sha256, b.sha256));
  return row!;
}

export async function insertEvidence(db: Executor, e: typeof applicationEvidence.$inferInsert) {
  const [r] = await db.insert(applicationEvidence).values(e).returning();
  return r!;
}

const evidenceColumns = {
  id: applicationEvidence.id,
  filename: applicationEvidence.filename,
  label: applicationEvidence.label,
  sha256: applicationEvidence.sha256,
  uploadedAt: applicationEvidence.uploadedAt,
  sizeBytes: evidenceBlobs.sizeBytes,
  mediaType: evidenceBlobs.mediaType,
};

export async function evidenceOf(db: Executor, learnerId: string, applicationId: string) {
  return db
    .select(evidenceColumns)
    .from(applicationEvidence)
    .innerJoin(evidenceBlobs, eq(evidenceBlobs.sha256, applicationEvidence.sha256))
    .where(and(eq(applicationEvidence.learnerId, learnerId), eq(applicationEvidence.applicationId, applicationId), isNull(applicationEvidence.removedAt)))
    .orderBy(asc(applicationEvidence.uploadedAt));
}

export async function evidenceContent(db: Executor, learnerId: string, applicationId: string, evidenceId: string) {
  const [row] = await db
    .select({ ...evidenceColumns, content: evidenceBlobs.content })
    .from(applicationEvidence)
    .innerJoin(evidenceBlobs, eq(evidenceBlobs.sha256, applicationEvidence.sha256))
    .where(and(eq(applicationEvidence.learnerId, learnerId), eq(applicationEvidence.applicationId, applicationId), eq(applicationEvidence.id, evidenceId)));
  return row;
}

export async function removeEvidence(db: Executor, learnerId: string, applicationId: string, evidenceId: string) {
  const rows = await db
    .update(applicationEvidence)
    .set({ removedAt: new Date() })
    .where(
      and(
        eq(applicationEvidence.learnerId, learnerId),
        eq(applicationEvidence.applicationId, applicationId),
        eq(applicationEvidence.id, evidenceId),
        isNull(applicationEvidence.removedAt),
      ),
    )
    .returning();
  return rows.length === 1;
}
