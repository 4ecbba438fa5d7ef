// Learning outcomes: course results recorded by an institution, each depositing its credits into
// the learner's account in the same transaction. A correction supersedes the record and reverses
// its postings; nothing is edited in place.
import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { formatCredits, parseCredits } from '../../core/credits.js';
import { checkGrade, type ScaleDefinition } from '../../core/grades/scales.js';
import { GRADED, hasNoResult, parseStatus, resolveResult, statusName, type ResultStatus } from '../../core/grades/status.js';
import type { Db, Executor, Tx } from '../../db/connection.js';
import { AppError, conflict, invalid, notFound, unprocessable } from '../../errors.js';
import { revokeCredentialsOf } from '../credentials/status.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, type Actor, type Principal } from '../auth/principal.js';
import { authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { coursesByIds, findCourse } from '../catalog/service.js';
import { defaultScale, getInstitution, scaleOf } from '../institutions/service.js';
import * as ledger from '../ledger/service.js';
import { findEnrolledLearner } from '../learners/service.js';
import type { correction, newCourseResult, revocation } from './schema.js';
import * as store from './store.js';

const CAUSE = 'outcome';

function present(row: store.OutcomeRow, postings: { seq: number; kind: string; amount: string }[]) {
  return {
    id: row.id,
    learnerId: row.learnerId,
    institutionId: row.institutionId,
    courseId: row.courseId,
    term: row.term,
    attempt: row.attempt,
    grade: row.grade,
    resultStatus: row.resultStatus,
    passed: row.passed,
    counted: row.counted,
    credits: formatCredits(parseCredits(row.credits)),
    unit: row.unit,
    hours: row.hours,
    completedOn: row.completedOn,
    status: row.status,
    supersedes: row.supersedes,
    reason: row.reason,
    postings: postings.map((p) => ({ seq: p.seq, kind: p.kind, amount: formatCredits(parseCredits(p.amount)) })),
  };
}

/** Inserts a result and deposits its credits when it passes; the caller holds the transaction. */
async function insertResult(
  tx: Tx,
  actor: Actor,
  v: {
    learnerId: string;
    institutionId: string;
    courseId: string;
    credits: string;
    unit: 'credit' | 'ects';
    hours: number;
    term: string;
    attempt: number;
    scaleId: string;
    grade: string | null;
    resultStatus: ResultStatus;
    passed: boolean;
    completedOn: string;
    supersedes?: string;
    importJobId?: string;
  },
) {
  // under the account's lock: whether another attempt of the course already holds its credits (a
  // result that is no pass, 缺考 and the like, never does)
  await ledger.lockAccount(tx, v.learnerId);
  const counted = v.passed && !(await store.countedAttempt(tx, v.learnerId, v.courseId));
  const [row] = await store.insertOutcomes(tx, [{ kind: 'course_result', ...v, counted, recordedBy: actor.kind === 'user' ? actor.userId : null }]);
  // the first pass earns the course's credits (a retake passed again earns none); a course of no
  // credits (e.g. a compulsory lab) posts nothing
  const postings =
    row!.counted && parseCredits(row!.credits) > 0
      ? await ledger.post(tx, v.learnerId, 'deposit', v.unit, [
          { amount: parseCredits(row!.credits), causeType: CAUSE, causeId: row!.id, memo: `${v.term}`, createdBy: actor.kind === 'user' ? actor.userId : null },
        ])
      : [];
  return present(row!, postings);
}

export async function recordCourseResult(db: Db, p: Principal, institutionId: string, body: z.infer<typeof newCourseResult>) {
  const actor = authorized(p, 'outcome.record', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  const learnerId = await findEnrolledLearner(db, institutionId, body);
  if (!learnerId) {
    throw body.externalId
      ? invalid('body.externalId', `no learner with student number ${body.externalId} is enrolled at this institution`)
      : invalid('body.learnerId', 'this learner is not enrolled at this institution');
  }
  const course = await findCourse(db, institutionId, body);
  if (!course)
    throw body.courseCode
      ? invalid('body.courseCode', `no course ${body.courseCode} in this institution's catalogue`)
      : invalid('body.courseId', "not a course of this institution's catalogue");
  const { creditSystem, exemptionEarnsCredit } = await getInstitution(db, institutionId);
  if (!creditSystem)
    throw unprocessable('This institution has not declared its credit system; a registrar must do so first', undefined, { code: 'credit_system_missing' });
  const scale = body.scaleId ? await scaleOf(db, institutionId, body.scaleId) : await defaultScale(db, institutionId);
  if (!scale)
    throw unprocessable('This institution has no grading scale in force; a registrar must publish one first', 'body.scaleId', {
      code: 'grading_scale_missing',
    });
  const grade = resolveResult(scale.definition, { grade: body.grade, status: body.resultStatus }, { exemptionEarnsCredit });
  if (!grade.ok) throw invalid(grade.field === 'status' ? 'body.resultStatus' : 'body.grade', grade.reason);
  return db.transaction(async (tx) => {
    const key = { learnerId, institutionId, courseId: course.id, term: body.term, attempt: body.attempt };
    if (await store.recordedOutcome(tx, key)) {
      throw conflict(`A result for ${course.code} in ${body.term}, attempt ${body.attempt}, is already recorded; correct it instead`, 'body.term', {
        code: 'outcome_already_recorded',
        course: course.code,
        term: body.term,
        attempt: body.attempt,
      });
    }
    const result = await insertResult(tx, actor, {
      ...key,
      credits: course.credits,
      unit: creditSystem.unit,
      hours: course.hours,
      scaleId: scale.id,
      grade: grade.grade,
      resultStatus: grade.status,
      passed: grade.passed,
      completedOn: body.completedOn,
    });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId,
        action: 'outcome.record',
        entityType: 'outcome',
        entityId: result.id,
        details: { learnerId, course: course.code, term: body.term, grade: grade.grade, resultStatus: grade.status },
      },
    ]);
    return result;
  });
}

async function openOutcome(db: Db, p: Principal, id: string) {
  const row = await store.outcomeById(db, id);
  if (!row) throw notFound('Outcome', id);
  const actor = authorized(p, 'outcome.record', { institutionIds: [row.institutionId] }, REGISTRAR_ONLY);
  if (row.status !== 'recorded') throw conflict(`This outcome is already ${row.status}`, undefined, { code: 'outcome_superseded', state: row.status });
  return { row, actor };
}

/**
 * What a correction gives, read against the recorded result: a grade alone keeps a status that
 * carries one (a resit stays a resit, an exemption keeps its status) and turns a result that had none
 * (缺考 …) into a normal one; a status alone keeps the recorded grade when the new status takes one.
 */
export function correctedInput(
  scale: ScaleDefinition,
  row: { grade: string | null; resultStatus: ResultStatus },
  body: { grade?: string; resultStatus?: string },
) {
  const grade = body.grade?.trim() || undefined;
  const status = body.resultStatus?.trim() || undefined;
  if (status === undefined) {
    const isGrade = grade !== undefined && checkGrade(scale, grade).ok;
    return { grade, status: isGrade && !hasNoResult(row.resultStatus) ? row.resultStatus : undefined };
  }
  if (grade !== undefined) return { grade, status };
  const next = parseStatus(status);
  const carry = row.grade !== null && next !== null && (GRADED.includes(next) || next === 'exam_exempted');
  return { grade: carry ? row.grade! : undefined, status };
}

/** Corrects a result (its grade, its status or both): the old record is superseded and its credits reversed; a new record posts anew. */
export async function correctOutcome(db: Db, p: Principal, id: string, body: z.infer<typeof correction>) {
  const { row, actor } = await openOutcome(db, p, id);
  const scale = await scaleOf(db, row.institutionId, row.scaleId);
  const { exemptionEarnsCredit } = await getInstitution(db, row.institutionId);
  const input = correctedInput(scale.definition, row, body);
  const grade = resolveResult(scale.definition, input, { exemptionEarnsCredit });
  if (!grade.ok) throw invalid(grade.field === 'status' ? 'body.resultStatus' : 'body.grade', grade.reason);
  if (grade.grade === row.grade && grade.status === row.resultStatus) {
    throw invalid(body.grade ? 'body.grade' : 'body.resultStatus', `is the result already recorded (${row.grade ?? statusName(row.resultStatus)})`);
  }
  return db.transaction(async (tx) => {
    await ledger.lockAccount(tx, row.learnerId);
    await refuseIfUsed(tx, row);
    return supersede(tx, actor, row, { grade: grade.grade, resultStatus: grade.status, passed: grade.passed, completedOn: row.completedOn }, body.reason);
  });
}

/**
 * Under the account's lock: a result whose credits a transfer or an award holds is not corrected, as
 * its credits would be taken back from under that use. 409 naming the use (code credit_already_used).
 */
async function refuseIfUsed(tx: Tx, row: store.OutcomeRow) {
  if (!row.counted) return; // the course's credits are held by another attempt: this one moves none
  const held = await ledger.liveUses(tx, [row.learnerId], [ledger.courseCredit(row.courseId)]);
  if (held.length === 0) return;
  const [course] = await coursesByIds(tx, [row.courseId]);
  const { code } = await getInstitution(tx, row.institutionId);
  const label = `${code} ${course?.code ?? ''}`.trim();
  const used = ledger.creditUsed(held.map((u) => ({ ...u, label })));
  throw new AppError('conflict', `This result cannot be corrected while its credits are used. ${used.message}, then correct the result`, [], used.extra);
}

/**
 * In the caller's transaction: marks a recorded result superseded, reverses its credits, and
 * records the corrected result (which posts its own credits if it passes).
 */
export async function supersede(
  tx: Tx,
  actor: Actor,
  row: store.OutcomeRow,
  /** scaleId: the scale the new grade was checked against, when not the old record's (a scale changed since). */
  next: { grade: string | null; resultStatus: ResultStatus; passed: boolean; completedOn: string; scaleId?: string; importJobId?: string },
  reason: string,
) {
  await ledger.lockAccount(tx, row.learnerId); // first, as every writer of the account: no deadlock with a concurrent result
  if (!(await store.setStatus(tx, row.learnerId, row.id, 'superseded', reason)))
    throw conflict('This outcome was changed meanwhile; reload it', undefined, { code: 'version_conflict' });
  const by = actor.kind === 'user' ? actor.userId : null;
  await ledger.reverseCause(tx, row.learnerId, CAUSE, row.id, { causeType: CAUSE, causeId: row.id, memo: reason, createdBy: by });
  await revokeCredentialsOf(tx, row.id, `Result corrected: ${reason}`.slice(0, 500), by);
  const { id: _old, status: _s, reason: _r, createdAt: _c, recordedBy: _b, kind: _k, supersedes: _p, importJobId: _j, ...keep } = row;
  const { counted: _n, ...kept } = keep;
  const result = await insertResult(tx, actor, { ...kept, ...next, supersedes: row.id });
  if (row.counted && !result.counted) await passCreditOn(tx, actor, row.learnerId, row.courseId);
  await recordAudit(tx, [
    {
      ...actorIds(actor),
      institutionId: row.institutionId,
      action: 'outcome.correct',
      entityType: 'outcome',
      entityId: row.id,
      details: {
        from: row.grade,
        to: next.grade,
        ...(row.resultStatus !== next.resultStatus || next.resultStatus !== 'normal' ? { fromStatus: row.resultStatus, toStatus: next.resultStatus } : {}),
        reason,
        newOutcomeId: result.id,
      },
    },
  ]);
  return result;
}

/**
 * When the attempt that held a course's credits is revoked or corrected to a fail, the next recorded
 * passing attempt (the earliest) takes them over and deposits them.
 */
async function passCreditOn(tx: Tx, actor: Actor, learnerId: string, courseId: string) {
  if (await store.countedAttempt(tx, learnerId, courseId)) return;
  const next = await store.takeOverCredit(tx, learnerId, courseId);
  // an attempt recorded before one-credit-per-course may still hold a deposit of its own
  const own = next ? await ledger.postingsOfCause(tx, learnerId, CAUSE, next.id) : [];
  const deposited = own.some((p) => p.kind === 'deposit') && !own.some((p) => p.kind === 'reversal');
  if (next && !deposited && parseCredits(next.credits) > 0) {
    await ledger.post(tx, learnerId, 'deposit', next.unit, [
      { amount: parseCredits(next.credits), causeType: CAUSE, causeId: next.id, memo: next.term, createdBy: actor.kind === 'user' ? actor.userId : null },
    ]);
  }
}

/**
 * Records new results computed in the database (bulk imports), in the caller's transaction, and
 * deposits the credits of each pass. `results` is a relation with id, learner_id, course_id, credits,
 * hours, term, attempt, grade, result_status, passed, completed_on, and ord: the order of a learner's
 * deposits. A result that is no pass (缺考 and the like) never holds the course's credits.
 */
export async function recordResultsFrom(
  tx: Tx,
  actor: Actor,
  ctx: { institutionId: string; unit: 'credit' | 'ects'; scaleId: string; importJobId?: string },
  results: SQL,
) {
  const by = actor.kind === 'user' ? actor.userId : null;
  // the accounts first, in learner order, as every writer takes them: then which attempt holds a
  // course's credits is decided with no other writer of these accounts in between
  await ledger.lockAccountsOf(tx, results);
  try {
    await store.insertOutcomesFrom(tx, { ...ctx, recordedBy: by, importJobId: ctx.importJobId ?? null }, results);
  } catch (err) {
    if (violates(err, 'outcomes_natural_key') || violates(err, 'outcomes_counted_key'))
      throw conflict('A result of these was recorded by someone else while this ran; run it again', undefined, { code: 'transient' });
    throw err;
  }
  await ledger.depositFrom(tx, { unit: ctx.unit, causeType: CAUSE, createdBy: by }, store.depositsOf(results));
}

/** Whether a database error (under the ORM's wrapper) is a breach of the named unique constraint. */
function violates(err: unknown, constraint: string) {
  let e = err as { code?: unknown; constraint?: unknown; cause?: unknown } | undefined;
  while (e && e.code === undefined && e.cause) e = e.cause as typeof e;
  return e?.code === '23505' && e.constraint === constraint;
}

/** Marks the rows of an import's staging table that repeat recorded results (see store.matchStaged). */
export const matchStaged = store.matchStaged;

/**
 * Corrects recorded results (bulk imports), in the caller's transaction: each is superseded by its
 * new grade, as correctOutcome does.
 */
export async function correctResults(
  tx: Tx,
  actor: Actor,
  corrections: {
    outcomeId: string;
    grade: string | null;
    resultStatus: ResultStatus;
    passed: boolean;
    completedOn: string;
    scaleId: string;
    importJobId: string;
    reason: string;
  }[],
) {
  const rows = new Map(
    (
      await store.outcomesByIds(
        tx,
        corrections.map((c) => c.outcomeId),
      )
    ).map((r) => [r.id, r]),
  );
  for (const { outcomeId, reason, ...next } of corrections) {
    await supersede(tx, actor, rows.get(outcomeId)!, next, reason);
  }
}

/** Revokes a record entered in error: its credits are reversed and it stays visible as revoked. */
export async function revokeOutcome(db: Db, p: Principal, id: string, body: z.infer<typeof revocation>) {
  const { row, actor } = await openOutcome(db, p, id);
  return db.transaction(async (tx) => {
    await ledger.lockAccount(tx, row.learnerId);
    const updated = await store.setStatus(tx, row.learnerId, id, 'revoked', body.reason);
    if (!updated) throw conflict('This outcome was changed meanwhile; reload it', undefined, { code: 'version_conflict' });
    const by = actor.kind === 'user' ? actor.userId : null;
    const reversals = await ledger.reverseCause(tx, row.learnerId, CAUSE, id, { causeType: CAUSE, causeId: id, memo: body.reason, createdBy: by });
    if (row.counted) await passCreditOn(tx, actor, row.learnerId, row.courseId);
    await revokeCredentialsOf(tx, id, `Result revoked: ${body.reason}`.slice(0, 500), by);
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: row.institutionId, action: 'outcome.revoke', entityType: 'outcome', entityId: id, details: { reason: body.reason } },
    ]);
    return present(updated, reversals);
  });
}

export async function outcomesOf(db: Executor, learnerId: string) {
  const rows = await store.outcomesOfLearner(db, learnerId);
  return rows.map(({ supersedes: _s, ...r }) => ({ ...r, credits: formatCredits(parseCredits(r.credits)), createdAt: r.createdAt.toISOString() }));
}

export const passingGradeCounts = store.passingGradeCounts;

/** An institution's recorded results, page by page, for exports. */
export async function* resultsOfInstitution(db: Db, institutionId: string) {
  let after: string | undefined;
  for (;;) {
    const rows = await store.outcomesOfInstitution(db, institutionId, after, 5000);
    yield* rows;
    if (rows.length < 5000) return;
    after = rows[rows.length - 1]!.o.id;
  }
}
