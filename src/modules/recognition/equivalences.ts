// Equivalences (课程对应规则) kept by the receiving institution, and the evaluation tasks that
// produce them: a course nobody has evaluated, shown beside the target catalogue's likeliest
// equivalents (BM25 over titles and learning outcomes, Chinese segmented with jieba).
import type { z } from 'zod';
import { bm25 } from '../../core/text/bm25.js';
import { formatCredits, parseCredits } from '../../core/credits.js';
import { checkGrade } from '../../core/grades/scales.js';
import type { Db, Executor, Tx } from '../../db/connection.js';
import { conflict, invalid, notFound } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { evaluationsRequested } from '../notifications/events.js';
import { actorIds, hasInstitutionRole, isAdmin, requireSignedIn, type Actor, type Principal } from '../auth/principal.js';
import { authorized } from '../../policies/authorize.js';
import { catalogueOf, coursesByIds } from '../catalog/service.js';
import { defaultScale, institutionSummaries } from '../institutions/service.js';
import type { equivalenceQuery, newEquivalence, taskDecision } from './schema.js';
import * as store from './store.js';
import { tokens } from './text.js';

type CourseRow = Awaited<ReturnType<typeof coursesByIds>>[number];

const courseRef = (c: CourseRow) => ({ id: c.id, code: c.code, titleZh: c.titleZh, titleEn: c.titleEn, credits: formatCredits(parseCredits(c.credits)) });

/** Staff of the receiving institution keep its equivalences. */
function requireEvaluator(p: Principal, targetInstitutionId: string): Actor {
  return authorized(
    p,
    'equivalence.keep',
    { institutionIds: [targetInstitutionId] },
    'Only the receiving institution’s registrars and reviewers keep its equivalences',
  );
}

export async function presentEquivalences(db: Executor, p: Principal, rows: store.EquivalenceRow[]) {
  const courseIds = rows.flatMap((r) => [...r.sourceCourseIds, ...(r.target.kind === 'courses' ? r.target.courseIds : [])]);
  const [courses, insts] = await Promise.all([
    coursesByIds(db, courseIds),
    institutionSummaries(
      db,
      rows.flatMap((r) => [r.sourceInstitutionId, r.targetInstitutionId]),
    ),
  ]);
  const byId = new Map(courses.map((c) => [c.id, c]));
  return rows.map((r) => {
    const t = r.target;
    const staff =
      hasInstitutionRole(p, r.targetInstitutionId, ['registrar', 'reviewer']) ||
      hasInstitutionRole(p, r.sourceInstitutionId, ['registrar', 'reviewer']) ||
      isAdmin(p);
    return {
      id: r.id,
      sourceInstitution: insts.get(r.sourceInstitutionId)!,
      targetInstitution: insts.get(r.targetInstitutionId)!,
      sourceCourses: r.sourceCourseIds.map((id) => courseRef(byId.get(id)!)),
      target: t.kind === 'courses' ? { kind: 'courses' as const, courses: t.courseIds.map((id) => courseRef(byId.get(id)!)) } : t,
      minGrade: r.minGrade,
      maxYears: r.maxYears,
      effectiveFrom: r.effectiveFrom,
      effectiveTo: r.effectiveTo,
      publicNote: r.publicNote,
      privateNote: staff ? r.privateNote : null,
      status: r.status,
      version: r.version,
      replaces: r.replaces,
      createdAt: r.createdAt.toISOString(),
    };
  });
}

export async function listEquivalences(db: Db, p: Principal, q: z.infer<typeof equivalenceQuery>) {
  const rows = await store.listEquivalences(db, { ...q, status: q.status === 'all' ? undefined : q.status });
  return presentEquivalences(db, p, rows);
}

type NewRule = Omit<z.infer<typeof newEquivalence>, 'replaces'>;

/** Checks a rule against the catalogues and the source scale; returns its sorted source courses. */
async function checkRule(db: Executor, e: NewRule, path = 'body') {
  const sources = [...new Set(e.sourceCourseIds)].sort();
  const targetIds = e.target.kind === 'courses' ? e.target.courseIds : [];
  const found = new Map((await coursesByIds(db, [...sources, ...targetIds])).map((c) => [c.id, c]));
  e.sourceCourseIds.forEach((id, i) => {
    if (found.get(id)?.institutionId !== e.sourceInstitutionId) throw invalid(`${path}.sourceCourseIds.${i}`, 'is not a course of the source institution');
  });
  targetIds.forEach((id, i) => {
    if (found.get(id)?.institutionId !== e.targetInstitutionId) throw invalid(`${path}.target.courseIds.${i}`, 'is not a course of the target institution');
  });
  if (e.minGrade !== null) {
    const scale = await defaultScale(db, e.sourceInstitutionId);
    if (!scale) throw invalid(`${path}.minGrade`, 'the source institution has no grading scale to read it in');
    const g = checkGrade(scale.definition, e.minGrade);
    if (!g.ok) throw invalid(`${path}.minGrade`, g.reason);
    if (!g.passed) throw invalid(`${path}.minGrade`, `${e.minGrade} is not a passing grade`);
  }
  return sources;
}

const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** Inserts a rule in the caller's transaction, refusing one that conflicts with an active rule. */
async function insertRule(tx: Tx, actor: Actor, e: NewRule, sources: string[], replaces: string | undefined) {
  const rules = await store.activeRulesForUpdate(tx, e.sourceInstitutionId, e.targetInstitutionId);
  const key = JSON.stringify(sources);
  let version = 1;
  for (const r of rules) {
    if (JSON.stringify(r.sourceCourseIds) !== key) continue;
    if (r.id === replaces) {
      if (e.effectiveFrom <= r.effectiveFrom) throw invalid('body.effectiveFrom', `must be after ${r.effectiveFrom}, when the version it replaces began`);
      // the old version ends the day before the new one starts: exactly one is in force on each day
      await store.updateEquivalence(tx, r.id, { effectiveTo: r.effectiveTo && r.effectiveTo < e.effectiveFrom ? r.effectiveTo : dayBefore(e.effectiveFrom) });
      version = r.version + 1;
      continue;
    }
    const overlaps = r.effectiveFrom <= (e.effectiveTo ?? '9999-12-31') && e.effectiveFrom <= (r.effectiveTo ?? '9999-12-31');
    if (overlaps)
      throw conflict(
        `These source courses already have an equivalence in force from ${r.effectiveFrom}${r.effectiveTo ? ` to ${r.effectiveTo}` : ''} (${r.id}); replace it with a new version or retire it`,
        'body.sourceCourseIds',
        { code: 'equivalence_overlap', effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo ?? null, id: r.id },
      );
  }
  if (replaces && version === 1) throw invalid('body.replaces', 'is not an active equivalence of the same source courses');
  const row = await store.insertEquivalence(tx, {
    sourceInstitutionId: e.sourceInstitutionId,
    targetInstitutionId: e.targetInstitutionId,
    sourceCourseIds: sources,
    target: e.target,
    minGrade: e.minGrade,
    maxYears: e.maxYears,
    effectiveFrom: e.effectiveFrom,
    effectiveTo: e.effectiveTo,
    publicNote: e.publicNote,
    privateNote: e.privateNote,
    version,
    replaces: replaces ?? null,
    createdBy: actor.kind === 'user' ? actor.userId : null,
  });
  await recordAudit(tx, [
    {
      ...actorIds(actor),
      institutionId: e.targetInstitutionId,
      action: 'equivalence.create',
      entityType: 'equivalence',
      entityId: row.id,
      details: { ...e, replaces },
    },
  ]);
  return row;
}

export async function createEquivalence(db: Db, p: Principal, body: z.infer<typeof newEquivalence>) {
  const actor = requireEvaluator(p, body.targetInstitutionId);
  const { replaces, ...rule } = body;
  const sources = await checkRule(db, rule);
  const row = await db.transaction((tx) => insertRule(tx, actor, rule, sources, replaces));
  return (await presentEquivalences(db, p, [row]))[0]!;
}

export async function retireEquivalence(db: Db, p: Principal, id: string, reason: string) {
  const row = await store.equivalenceById(db, id);
  if (!row) throw notFound('Equivalence', id);
  const actor = requireEvaluator(p, row.targetInstitutionId);
  const updated = await db.transaction(async (tx) => {
    const current = (await store.equivalenceById(tx, id, true))!;
    if (current.status === 'retired') throw conflict('The equivalence is already retired', undefined, { code: 'invalid_state', state: current.status });
    const r = await store.updateEquivalence(tx, id, { status: 'retired' });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: row.targetInstitutionId,
        action: 'equivalence.retire',
        entityType: 'equivalence',
        entityId: id,
        details: { reason },
      },
    ]);
    return r;
  });
  return (await presentEquivalences(db, p, [updated]))[0]!;
}

// ---- evaluation tasks

async function presentTasks(db: Executor, rows: store.TaskRow[]) {
  const courses = new Map(
    (
      await coursesByIds(
        db,
        rows.map((r) => r.sourceCourseId),
      )
    ).map((c) => [c.id, c]),
  );
  const insts = await institutionSummaries(db, [...rows.map((r) => r.targetInstitutionId), ...[...courses.values()].map((c) => c.institutionId)]);
  return rows.map((t) => {
    const c = courses.get(t.sourceCourseId)!;
    return {
      id: t.id,
      status: t.status,
      sourceInstitution: insts.get(c.institutionId)!,
      targetInstitution: insts.get(t.targetInstitutionId)!,
      sourceCourse: { ...courseRef(c), hours: c.hours, iscedCode: c.iscedCode, level: c.level, outcomesZh: c.outcomesZh, outcomesEn: c.outcomesEn },
      equivalenceId: t.equivalenceId,
      reason: t.reason,
      createdAt: t.createdAt.toISOString(),
      decidedAt: t.decidedAt?.toISOString() ?? null,
    };
  });
}

/** Asks the target institution to evaluate courses; a course already waiting is not asked twice. */
export async function requestEvaluations(db: Executor, p: Principal, targetInstitutionId: string, courseIds: string[]) {
  const by = p.kind === 'user' ? p.userId : null;
  const fresh = await store.insertTasks(
    db,
    courseIds.map((sourceCourseId) => ({ sourceCourseId, targetInstitutionId, requestedBy: by })),
  );
  if (fresh.length)
    await evaluationsRequested(
      db,
      targetInstitutionId,
      (
        await coursesByIds(
          db,
          fresh.map((t) => t.sourceCourseId),
        )
      ).map((c) => c.code),
    );
  return store.openTasksFor(db, targetInstitutionId, courseIds);
}

export async function createTask(db: Db, p: Principal, body: { sourceCourseId: string; targetInstitutionId: string }) {
  requireSignedIn(p);
  const [course] = await coursesByIds(db, [body.sourceCourseId]);
  if (!course) throw invalid('body.sourceCourseId', 'no such course');
  if (course.institutionId === body.targetInstitutionId) throw invalid('body.targetInstitutionId', 'a course is not evaluated for its own institution');
  if (!(await institutionSummaries(db, [body.targetInstitutionId])).size) throw invalid('body.targetInstitutionId', 'no such institution');
  const [task] = await requestEvaluations(db, p, body.targetInstitutionId, [body.sourceCourseId]);
  return (await presentTasks(db, [task!]))[0]!;
}

export async function listTasks(db: Db, p: Principal, institutionId: string, status: store.TaskRow['status'] | 'all') {
  requireEvaluator(p, institutionId);
  return presentTasks(db, await store.tasksOf(db, institutionId, status));
}

/** A task with the target catalogue's likeliest equivalents, best first. */
export async function taskDetail(db: Db, p: Principal, id: string) {
  const task = await store.taskById(db, id);
  if (!task) throw notFound('Evaluation task', id);
  requireEvaluator(p, task.targetInstitutionId);
  const [view] = await presentTasks(db, [task]);
  const catalogue = (await catalogueOf(db, task.targetInstitutionId)).filter((c) => c.status === 'active');
  const text = (c: { titleZh: string; titleEn: string; outcomesZh: string; outcomesEn: string }) =>
    `${c.titleZh} ${c.titleEn} ${c.titleZh} ${c.titleEn} ${c.outcomesZh} ${c.outcomesEn}`;
  const ranked = bm25(
    catalogue.map((c) => ({ item: c, tokens: tokens(text(c)) })),
    tokens(text(view!.sourceCourse)),
    5,
  );
  return {
    ...view!,
    candidates: ranked.map(({ item: c, score }) => ({
      ...courseRef(c),
      hours: c.hours,
      iscedCode: c.iscedCode,
      outcomesZh: c.outcomesZh,
      outcomesEn: c.outcomesEn,
      score: Math.round(score * 100) / 100,
    })),
  };
}

export async function decideTask(db: Db, p: Principal, id: string, body: z.infer<typeof taskDecision>) {
  const task = await store.taskById(db, id);
  if (!task) throw notFound('Evaluation task', id);
  const actor = requireEvaluator(p, task.targetInstitutionId);
  const [course] = await coursesByIds(db, [task.sourceCourseId]);
  const rule: NewRule | undefined =
    body.decision === 'match'
      ? {
          sourceInstitutionId: course!.institutionId,
          targetInstitutionId: task.targetInstitutionId,
          sourceCourseIds: [task.sourceCourseId],
          target: body.target,
          minGrade: body.minGrade,
          maxYears: body.maxYears,
          effectiveFrom: body.effectiveFrom,
          effectiveTo: null,
          publicNote: body.publicNote,
          privateNote: body.privateNote,
        }
      : undefined;
  const sources = rule ? await checkRule(db, rule) : [];
  await db.transaction(async (tx) => {
    const current = (await store.taskById(tx, id, true))!;
    if (current.status !== 'open')
      throw conflict(`The task was already decided (${current.status.replace('_', ' ')})`, undefined, { code: 'already_decided', state: current.status });
    const equivalence = rule ? await insertRule(tx, actor, rule, sources, undefined) : undefined;
    await store.closeTask(tx, id, {
      status: body.decision,
      equivalenceId: equivalence?.id ?? null,
      reason: body.decision === 'no_match' ? body.reason : null,
      decidedBy: actor.kind === 'user' ? actor.userId : null,
    });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: task.targetInstitutionId,
        action: `evaluation.${body.decision}`,
        entityType: 'evaluation_task',
        entityId: id,
        details: body,
      },
    ]);
  });
  return taskDetail(db, p, id);
}
