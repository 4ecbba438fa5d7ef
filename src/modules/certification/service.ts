// Certification applications: a learner asks for an outcome to be certified, under a standard or as
// an individual assessment; the responsible reviewer or the expert committee decides; the learner may
// appeal once. Every move is a transition of core/certification/workflow, recorded with who, when
// and why; an approval deposits the credits in the same transaction, under the caps of the standard.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import * as wf from '../../core/certification/workflow.js';
import { formatCredits, parseCredits } from '../../core/credits.js';
import type { Db, Executor, Tx } from '../../db/connection.js';
import { AppError, conflict, forbidden, invalid, notFound, unprocessable } from '../../errors.js';
import { decodeCursor, page } from '../../pagination.js';
import { ownLearnerId } from '../accounts/service.js';
import { revokeCredentialsOf } from '../credentials/status.js';
import { recordAudit } from '../audit/service.js';
import { certificationMoved } from '../notifications/events.js';
import { actorIds, hasInstitutionRole, institutionsWithRole, isAdmin, requireSignedIn, type Actor, type Principal } from '../auth/principal.js';
import { ADMIN_ONLY, authorize, authorized } from '../../policies/authorize.js';
import { institutionSummaries } from '../institutions/service.js';
import { readScope } from '../learners/service.js';
import * as ledger from '../ledger/service.js';
import type { actionBody, certificationSettings, newApplication, queueQuery } from './schema.js';
import { standardInForce, today } from './standards.js';
import * as settingsStore from '../settings/service.js';
import * as store from './store.js';

export const EVIDENCE_LIMIT_BYTES = 10 * 1024 * 1024;
const CAUSE = 'certification';
/** Kinds of outcome that come with a numbered certificate: the number is required and certified once. */
const NUMBERED = new Set(['vocational_certificate', 'skill_certificate', 'micro_credential', 'mooc', 'award']);
const OPEN_STATUSES: wf.Status[] = ['submitted', 'more_info', 'committee', 'appealed'];
const DECIDED_STATUSES: wf.Status[] = ['approved', 'rejected', 'withdrawn', 'revoked'];

// ---- settings

type Settings = z.infer<typeof certificationSettings>;
const DEFAULT_SETTINGS: Settings = { committeeQuorum: 3, appealWindowDays: 30 };
const SETTINGS_KEY = 'certification';

export async function settings(db: Executor): Promise<Settings> {
  const v = (await settingsStore.setting(db, SETTINGS_KEY)) as Partial<Settings> | undefined;
  return { ...DEFAULT_SETTINGS, ...v };
}

export async function updateSettings(db: Db, p: Principal, body: Settings) {
  const actor = authorized(p, 'certification.updateSettings', undefined, ADMIN_ONLY);
  await db.transaction(async (tx) => {
    await settingsStore.putSetting(tx, SETTINGS_KEY, body, actor.kind === 'user' ? actor.userId : null);
    await recordAudit(tx, [
      { ...actorIds(actor), institutionId: null, action: 'settings.certification', entityType: 'settings', entityId: SETTINGS_KEY, details: body },
    ]);
  });
  return settings(db);
}

// ---- who plays which part

const isCommittee = (a: Actor) => a.kind === 'user' && a.grants.some((g) => g.role === 'committee');

/** The parts the actor plays on this application. Nobody reviews, votes on or revokes their own. */
function partsOf(actor: Actor, app: store.ApplicationRow): wf.Part[] {
  if (actor.kind === 'user' && actor.learnerId === app.learnerId) return ['learner'];
  // a draft is the learner's own until it is submitted: reviewers and the committee do not see it (administrators do)
  if (app.status === 'draft') return isAdmin(actor) ? ['admin'] : [];
  const parts: wf.Part[] = [];
  if (app.route === 'reviewer' && app.institutionId && actor.kind === 'user' && hasInstitutionRole(actor, app.institutionId, ['reviewer']))
    parts.push('reviewer');
  if (isCommittee(actor)) parts.push('committee');
  if (isAdmin(actor)) parts.push('admin');
  return parts;
}

/** The application and the caller's parts on it; those with no part are told it does not exist. */
async function load(db: Executor, p: Principal, id: string) {
  const actor = requireSignedIn(p);
  const app = await store.applicationById(db, id);
  const parts = app ? partsOf(actor, app) : [];
  if (!app || parts.length === 0) throw notFound('Application', id);
  return { actor, app, parts };
}

const userId = (a: Actor) => (a.kind === 'user' ? a.userId : null);
const roleWord = (parts: wf.Part[]) => parts[0]!;

// ---- reading

async function presentList(db: Executor, rows: store.ListedApplication[]) {
  const s = await settings(db);
  const insts = await institutionSummaries(
    db,
    rows.flatMap((r) => (r.app.institutionId ? [r.app.institutionId] : [])),
  );
  const standardRows = new Map(
    (await store.standardsByIds(db, [...new Set(rows.flatMap((r) => (r.app.standardId ? [r.app.standardId] : [])))])).map((st) => [st.id, st]),
  );
  return rows.map(({ app: a, learnerName, accountNo, evidenceCount, waitingSince }) => {
    const st = a.standardId ? standardRows.get(a.standardId) : undefined;
    const appealable = a.status === 'rejected' && !a.appealed && a.decidedAt;
    return {
      id: a.id,
      learnerId: a.learnerId,
      learnerName,
      accountNo,
      standard: st
        ? {
            id: st.id,
            code: st.code,
            version: st.version,
            nameZh: st.nameZh,
            nameEn: st.nameEn,
            credits: formatCredits(parseCredits(st.credits)),
            unit: st.unit,
            evidence: st.evidence,
          }
        : null,
      outcomeKind: a.outcomeKind,
      title: a.title,
      issuingBody: a.issuingBody,
      certificateNo: a.certificateNo,
      issuedOn: a.issuedOn,
      expiresOn: a.expiresOn,
      statement: a.statement,
      route: a.route,
      institution: a.institutionId ? (insts.get(a.institutionId) ?? null) : null,
      level: a.level,
      iscedCode: a.iscedCode,
      creditsRequested: a.creditsRequested === null ? null : formatCredits(parseCredits(a.creditsRequested)),
      creditsGranted: a.creditsGranted === null ? null : formatCredits(parseCredits(a.creditsGranted)),
      unit: a.unit,
      status: a.status,
      version: a.version,
      appealed: a.appealed,
      decidedAt: a.decidedAt?.toISOString() ?? null,
      appealDeadline: appealable ? wf.appealDeadline(a.decidedAt!, s.appealWindowDays).toISOString() : null,
      waitingSince: new Date(waitingSince ?? a.createdAt).toISOString(),
      evidenceCount: Number(evidenceCount),
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
    };
  });
}

export async function myApplications(db: Db, p: Principal) {
  return presentList(db, await store.applicationsOfLearner(db, ownLearnerId(p)));
}

/** A learner's applications as the staff who serve them see them: drafts stay the learner's own. */
export async function learnerApplications(db: Db, p: Principal, learnerId: string) {
  const { actor, institutionIds: scope } = await readScope(db, p, learnerId);
  const rows = await store.applicationsOfLearner(db, learnerId);
  const own = actor.kind === 'user' && actor.learnerId === learnerId;
  // staff of one of several institutions see the applications their institution reviews (readScope)
  const inScope = (r: (typeof rows)[number]) => !scope || (r.app.institutionId !== null && scope.includes(r.app.institutionId));
  return presentList(db, own ? rows : rows.filter((r) => r.app.status !== 'draft' && inScope(r)));
}

/** The committee stage an application is in (or was last in), and its round: each entry starts a new one. */
function stageOf(app: store.ApplicationRow, events: store.EventRow[]): { stage: 'assessment' | 'appeal'; round: number } | null {
  const stage = app.appealed ? 'appeal' : app.route === 'committee' ? 'assessment' : null;
  if (!stage) return null;
  const entering = stage === 'appeal' ? 'appealed' : 'committee';
  return { stage, round: Math.max(1, events.filter((e) => e.toStatus === entering && e.fromStatus !== entering).length) };
}

async function detail(db: Executor, actor: Actor, app: store.ApplicationRow, parts: wf.Part[]) {
  const listed = await store.listedApplication(db, app.id);
  const [base] = await presentList(db, [listed!]);
  const [evidence, eventRows, postings, s] = await Promise.all([
    store.evidenceOf(db, app.learnerId, app.id),
    store.eventsOf(db, app.learnerId, app.id),
    ledger.postingsOfCause(db, app.learnerId, CAUSE, app.id),
    settings(db),
  ]);
  const now = new Date();
  const steps = wf.steps(
    eventRows.map((e) => ({ at: e.event.at, toStatus: e.event.toStatus as wf.Status })),
    now,
  );
  const stage = stageOf(
    app,
    eventRows.map((e) => e.event),
  );
  const seesVotes = parts.includes('committee') || parts.includes('admin');
  let votes = null;
  if (stage && app.status !== 'draft') {
    const rows = await store.votesOf(db, app.learnerId, app.id, stage.stage, stage.round);
    const approve = rows.filter((r) => r.vote.decision === 'approve').length;
    votes = {
      stage: stage.stage,
      quorum: s.committeeQuorum,
      approve,
      reject: rows.length - approve,
      mine: rows.find((r) => r.vote.voterId === userId(actor))?.vote.decision ?? null,
      list: seesVotes
        ? rows.map((r) => ({
            voterName: r.voterName,
            decision: r.vote.decision,
            credits: r.vote.credits === null ? null : formatCredits(parseCredits(r.vote.credits)),
            reason: r.vote.reason,
            at: r.vote.at.toISOString(),
          }))
        : null,
    };
  }
  let allowed = wf.allowedActions(app, parts);
  if (votes?.mine) allowed = allowed.filter((a) => a !== 'vote');
  return {
    ...base!,
    evidence: evidence.map((e) => ({ ...e, uploadedAt: e.uploadedAt.toISOString() })),
    events: eventRows.map((e, i) => {
      // how each member voted, and why, stays within the committee: others see that a member voted
      const secret = e.event.action === 'vote' && !seesVotes;
      return {
        seq: e.event.seq,
        at: e.event.at.toISOString(),
        actorName: secret ? null : e.actorName,
        actorRole: e.event.actorRole,
        action: e.event.action,
        fromStatus: e.event.fromStatus,
        toStatus: e.event.toStatus,
        reason: secret ? null : e.event.reason,
        details: secret ? {} : e.event.details,
        waitedMs: steps[i]!.waitedMs,
      };
    }),
    votes,
    allowedActions: allowed,
    postings,
  };
}

export async function applicationDetail(db: Db, p: Principal, id: string) {
  const { actor, app, parts } = await load(db, p, id);
  return detail(db, actor, app, parts);
}

export async function queue(db: Db, p: Principal, q: z.infer<typeof queueQuery>) {
  const actor = requireSignedIn(p);
  // the queue asked for is the state the table's rules name: reviewers see their institutions', the committee its own
  const mine = institutionsWithRole(actor, ['reviewer']);
  const where = q.scope === 'reviewer' ? (q.institutionId ? [q.institutionId] : mine) : [];
  const refused =
    q.scope === 'committee'
      ? 'Only the expert committee and administrators see the committee’s queue'
      : q.institutionId && mine.length
        ? 'You are not a reviewer of that institution'
        : 'Only reviewers see a review queue';
  authorize(actor, 'certification.queue', { state: q.scope, institutionIds: where }, refused);
  const institutionIds = q.institutionId ? [q.institutionId] : q.scope === 'reviewer' && !isAdmin(actor) ? mine : undefined;
  const statuses = q.status === 'open' ? OPEN_STATUSES : q.status === 'decided' ? DECIDED_STATUSES : [...OPEN_STATUSES, ...DECIDED_STATUSES];
  const isCursor = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string');
  const before = decodeCursor(q.cursor, isCursor);
  const rows = await store.queueRows(db, { route: q.scope, institutionIds, statuses, before, limit: q.limit + 1 });
  // the learner's own applications never reach their own queue
  const own = actor.kind === 'user' ? actor.learnerId : null;
  const paged = page(rows, q.limit, (last) => [last.app.updatedAt.toISOString(), last.app.id]);
  return {
    items: await presentList(
      db,
      paged.items.filter((r) => r.app.learnerId !== own),
    ),
    nextCursor: paged.nextCursor,
  };
}

// ---- applying

const normaliseNo = (s: string) => s.replace(/\s+/g, '').toUpperCase();

function checkDates(issuedOn: string, expiresOn: string | null | undefined, validityMonths: number | null, standardCode: string | null) {
  const now = today();
  if (issuedOn > now) throw invalid('body.issuedOn', 'is in the future');
  if (expiresOn && expiresOn <= issuedOn) throw invalid('body.expiresOn', 'must be after the issue date');
  if (expiresOn && expiresOn < now) throw invalid('body.expiresOn', `the certificate expired on ${expiresOn}; an expired certificate cannot be certified`);
  if (validityMonths !== null) {
    const until = wf.validUntil(issuedOn, validityMonths);
    if (until < now)
      throw invalid(
        'body.issuedOn',
        `standard ${standardCode} accepts outcomes at most ${validityMonths} months old; one issued on ${issuedOn} could be certified until ${until}`,
      );
  }
}

async function refuseDuplicate(db: Executor, issuingBody: string, certificateNo: string | null, exceptId: string) {
  if (!certificateNo) return;
  const other = await store.liveCertificate(db, issuingBody, certificateNo, exceptId);
  if (other) {
    const what = other.status === 'approved' ? 'has already been certified' : 'is already under review';
    throw conflict(`Certificate ${certificateNo} issued by ${issuingBody} ${what}; a certificate earns credits once`, 'body.certificateNo', {
      code: 'certificate_already_used',
      certificateNo,
    });
  }
}

export async function createApplication(db: Db, p: Principal, body: z.infer<typeof newApplication>) {
  const actor = requireSignedIn(p);
  const learnerId = ownLearnerId(p);
  const certificateNo = body.certificateNo ? normaliseNo(body.certificateNo) : null;
  let row: store.NewApplicationRow;
  if (body.standardId || body.standardCode) {
    const st = await standardInForce(db, body, body.issuedOn);
    if (body.outcomeKind && body.outcomeKind !== st.outcomeKind)
      throw invalid('body.outcomeKind', `standard ${st.code} certifies ${st.outcomeKind.replace('_', ' ')}s`);
    if (NUMBERED.has(st.outcomeKind) && !certificateNo) throw invalid('body.certificateNo', 'is required: give the number printed on the certificate');
    checkDates(body.issuedOn, body.expiresOn, st.validityMonths, st.code);
    row = {
      learnerId,
      standardId: st.id,
      outcomeKind: st.outcomeKind,
      title: body.title ?? st.nameZh,
      issuingBody: body.issuingBody ?? st.issuingBody,
      route: 'reviewer',
      institutionId: st.institutionId,
      level: st.level,
      iscedCode: st.iscedCode,
      unit: st.unit,
      creditsRequested: st.credits,
      certificateNo,
      issuedOn: body.issuedOn,
      expiresOn: body.expiresOn ?? null,
      statement: body.statement,
    };
  } else {
    if (!body.outcomeKind) throw invalid('body.outcomeKind', 'is required for an individual assessment (no standard chosen)');
    if (!body.title) throw invalid('body.title', 'is required for an individual assessment: name what you learned');
    if (!body.issuingBody) throw invalid('body.issuingBody', 'is required: the employer, trainer or body where you learned it');
    if (!body.creditsRequested || parseCredits(body.creditsRequested) <= 0)
      throw invalid('body.creditsRequested', 'is required for an individual assessment: the credits you ask for');
    if (body.statement.length < 20) throw invalid('body.statement', 'describe what you learned and how your evidence shows it (at least 20 characters)');
    if (NUMBERED.has(body.outcomeKind) && !certificateNo) throw invalid('body.certificateNo', 'is required: give the number printed on the certificate');
    checkDates(body.issuedOn, body.expiresOn, null, null);
    row = {
      learnerId,
      standardId: null,
      outcomeKind: body.outcomeKind,
      title: body.title,
      issuingBody: body.issuingBody,
      route: 'committee',
      institutionId: null,
      level: body.level ?? null,
      iscedCode: body.iscedCode ?? null,
      unit: 'credit',
      creditsRequested: body.creditsRequested,
      certificateNo,
      issuedOn: body.issuedOn,
      expiresOn: body.expiresOn ?? null,
      statement: body.statement,
    };
  }
  await refuseDuplicate(db, row.issuingBody, certificateNo, '00000000-0000-0000-0000-000000000000');
  const created = await db.transaction(async (tx) => {
    const app = await store.insertApplication(tx, { ...row, createdBy: userId(actor) });
    await store.appendEvent(tx, {
      learnerId,
      applicationId: app.id,
      actorUserId: userId(actor),
      actorRole: 'learner',
      action: 'create',
      fromStatus: null,
      toStatus: 'draft',
    });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: app.institutionId,
        action: 'certification.create',
        entityType: 'certification',
        entityId: app.id,
        details: { standardId: app.standardId, title: app.title },
      },
    ]);
    return app;
  });
  return detail(db, actor, created, ['learner']);
}

// ---- evidence

/**
 * Evidence is added by the learner while the application is a draft or sent back for more, and to
 * an open appeal (with a note of what the file shows; it stays on record).
 */
export async function assertCanAttach(db: Db, p: Principal, id: string) {
  const { app } = await load(db, p, id);
  authorize(p, 'certification.attachEvidence', { learnerId: app.learnerId, state: app.status }, 'Only the learner who applied may add evidence');
  if (!ATTACHABLE.includes(app.status)) {
    throw conflict(
      `The application is ${wf.describeStatus(app.status)}; evidence can be added to a draft, when more information is asked for, or while an appeal is open`,
      undefined,
      { code: 'invalid_state', state: app.status },
    );
  }
  return app;
}

const ATTACHABLE: string[] = ['draft', 'more_info', 'appealed'];
/** The label of files added to an appeal: data, stored as written, read in either language. */
export const APPEAL_LABEL = '申诉材料 Appeal evidence';

/** The media type read from the file's first bytes (its name and the browser's word are not trusted). */
export function sniff(content: Buffer): string | null {
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  if (content.subarray(0, 4).toString('latin1') === 'RIFF' && content.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

export async function attachEvidence(db: Db, p: Principal, id: string, file: { filename: string; label: string; content: Buffer; note?: string }) {
  const app = await assertCanAttach(db, p, id);
  const appeal = app.status === 'appealed';
  if (appeal && !file.note) throw invalid('query.note', 'say what this file shows for your appeal');
  const actor = requireSignedIn(p);
  if (file.content.length === 0) throw invalid('body.file', 'is empty');
  const mediaType = sniff(file.content);
  if (!mediaType)
    throw new AppError(
      'invalid',
      `${file.filename} is not a PDF, PNG, JPEG or WebP file (its content was checked, not its name)`,
      [{ path: 'body.file', message: 'must be a PDF, PNG, JPEG or WebP file' }],
      { code: 'file_type_not_accepted' },
    );
  const labels = app.standardId ? (await store.standardById(db, app.standardId))!.evidence : [];
  if (!appeal && labels.length > 0 && !labels.includes(file.label))
    throw invalid('query.label', `must be one of the evidence this standard asks for: ${labels.join(', ')}`);
  const sha256 = createHash('sha256').update(file.content).digest('hex');
  return db.transaction(async (tx) => {
    // under the application's lock: the appeal may have been decided meanwhile
    const now = (await store.lockApplication(tx, app.learnerId, id))!;
    if (now.status !== app.status)
      throw conflict(`The application is ${wf.describeStatus(now.status)} now; reload it`, undefined, { code: 'version_conflict', state: now.status });
    const blob = await store.storeBlob(tx, { sha256, mediaType, sizeBytes: file.content.length, content: file.content });
    const label = appeal ? APPEAL_LABEL : file.label;
    const row = await store.insertEvidence(tx, {
      learnerId: app.learnerId,
      applicationId: id,
      sha256,
      filename: file.filename.slice(0, 200),
      label,
      uploadedBy: userId(actor),
    });
    if (appeal) {
      // a step of the appeal's history, seen by the learner and the committee: no change of state
      await store.appendEvent(tx, {
        learnerId: app.learnerId,
        applicationId: id,
        actorUserId: userId(actor),
        actorRole: 'learner',
        action: 'appeal_evidence',
        fromStatus: 'appealed',
        toStatus: 'appealed',
        reason: file.note!,
        details: { evidenceId: row.id, filename: row.filename, sha256 },
      });
    }
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: app.institutionId,
        action: 'certification.evidence_add',
        entityType: 'certification',
        entityId: id,
        details: { sha256, filename: row.filename, label: row.label, ...(appeal ? { note: file.note } : {}) },
      },
    ]);
    return {
      id: row.id,
      filename: row.filename,
      label: row.label,
      sha256,
      sizeBytes: blob.sizeBytes,
      mediaType: blob.mediaType,
      uploadedAt: row.uploadedAt.toISOString(),
    };
  });
}

export async function detachEvidence(db: Db, p: Principal, id: string, evidenceId: string) {
  const app = await assertCanAttach(db, p, id);
  if (app.status === 'appealed')
    throw conflict('Evidence added to an appeal stays on record: add another file to say more', undefined, { code: 'invalid_state', state: app.status });
  const actor = requireSignedIn(p);
  await db.transaction(async (tx) => {
    if (!(await store.removeEvidence(tx, app.learnerId, id, evidenceId))) throw notFound('Evidence', evidenceId);
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: app.institutionId,
        action: 'certification.evidence_remove',
        entityType: 'certification',
        entityId: id,
        details: { evidenceId },
      },
    ]);
  });
}

export async function evidenceFile(db: Db, p: Principal, id: string, evidenceId: string) {
  const { app } = await load(db, p, id);
  const file = await store.evidenceContent(db, app.learnerId, id, evidenceId);
  if (!file) throw notFound('Evidence', evidenceId);
  return file;
}

// ---- moving an application on

const NEEDS_REASON = new Set<wf.Action>(['reject', 'request_info', 'vote', 'appeal', 'revoke']);

export async function act(db: Db, p: Principal, id: string, action: wf.Action, body: z.infer<typeof actionBody>) {
  const { actor, app: seen, parts } = await load(db, p, id);
  if (NEEDS_REASON.has(action) && !body.reason)
    throw invalid('body.reason', action === 'appeal' ? 'state the grounds of your appeal' : 'say why, in a few words');
  if (action === 'vote' && !body.decision) throw invalid('body.decision', 'vote approve or reject');
  const updated = await db.transaction(async (tx) => {
    // The row lock makes concurrent decisions on one application take turns: the second sees the first's result.
    const app = (await store.lockApplication(tx, seen.learnerId, id))!;
    if (body.expectedVersion !== undefined && body.expectedVersion !== app.version) {
      throw conflict(
        `The application changed since you opened it (it is now ${wf.describeStatus(app.status)}); reload it and decide again`,
        'body.expectedVersion',
        { code: 'stale_version', state: app.status, currentVersion: app.version },
      );
    }
    let to: wf.Status;
    try {
      to = wf.next(app, action, parts);
    } catch (err) {
      if (err instanceof wf.WorkflowError) throw err.kind === 'role' ? forbidden(err.message) : conflict(err.message);
      throw err;
    }
    const s = await settings(tx);
    const event = {
      learnerId: app.learnerId,
      applicationId: id,
      actorUserId: userId(actor),
      actorRole: roleWord(parts),
      action,
      fromStatus: app.status,
      reason: body.reason ?? null,
    };
    const changes: Partial<store.NewApplicationRow> = {};
    let decision: { approve: number; reject: number; decision: 'approve' | 'reject' } | undefined;
    switch (action) {
      case 'submit':
      case 'resubmit':
        await checkReady(tx, app);
        break;
      case 'approve':
        changes.creditsGranted = await grant(tx, actor, app, app.creditsRequested!);
        changes.decidedAt = new Date();
        break;
      case 'reject':
        changes.decidedAt = new Date();
        break;
      case 'appeal': {
        const deadline = wf.appealDeadline(app.decidedAt!, s.appealWindowDays);
        if (deadline < new Date())
          throw conflict(`The time to appeal ended on ${deadline.toISOString().slice(0, 10)} (${s.appealWindowDays} days after the decision)`, undefined, {
            code: 'appeal_window_closed',
            deadline: deadline.toISOString().slice(0, 10),
            days: s.appealWindowDays,
          });
        changes.appealed = true;
        break;
      }
      case 'revoke':
        await ledger.reverseCause(tx, app.learnerId, CAUSE, id, { causeType: CAUSE, causeId: id, memo: body.reason, createdBy: userId(actor) });
        await revokeCredentialsOf(tx, id, `Certification revoked: ${body.reason}`.slice(0, 500), userId(actor));
        break;
      case 'vote': {
        const outcome = await vote(tx, actor, app, body, s.committeeQuorum);
        await store.appendEvent(tx, { ...event, toStatus: app.status, details: { decision: body.decision, credits: body.credits ?? null } });
        if (!outcome) {
          // recorded; the committee has not decided yet
          const row = await store.moveApplication(tx, app, {});
          await recordAudit(tx, [
            {
              ...actorIds(actor),
              institutionId: app.institutionId,
              action: 'certification.vote',
              entityType: 'certification',
              entityId: id,
              details: { decision: body.decision },
            },
          ]);
          return row!;
        }
        to = outcome.decision === 'approve' ? 'approved' : 'rejected';
        changes.decidedAt = new Date();
        if (to === 'approved') changes.creditsGranted = await grant(tx, actor, app, outcome.credits);
        // the decision is the committee's, not the last voter's
        Object.assign(event, { action: 'decide', actorUserId: null, actorRole: 'committee', reason: null });
        decision = { approve: outcome.approve, reject: outcome.reject, decision: outcome.decision };
        break;
      }
    }
    const row = await store.moveApplication(tx, app, { ...changes, status: to });
    if (!row) throw conflict('The application changed meanwhile; reload it', undefined, { code: 'version_conflict' });
    await store.appendEvent(tx, {
      ...event,
      toStatus: to,
      details: { ...decision, ...(changes.creditsGranted ? { creditsGranted: changes.creditsGranted } : {}) },
    });
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId: app.institutionId,
        action: `certification.${action}`,
        entityType: 'certification',
        entityId: id,
        details: { from: app.status, to, reason: body.reason ?? null },
      },
    ]);
    await certificationMoved(tx, row, to, { reason: body.reason ?? null, appealWindowDays: s.appealWindowDays, actorUserId: userId(actor) });
    return row;
  });
  return detail(db, actor, updated, parts);
}

/** Before it goes to review: the evidence asked for is there, the certificate is still recent enough and not certified elsewhere. */
async function checkReady(tx: Tx, app: store.ApplicationRow) {
  const evidence = await store.evidenceOf(tx, app.learnerId, app.id);
  const st = app.standardId ? await store.standardById(tx, app.standardId) : undefined;
  const labels = st?.evidence ?? [];
  const missing = labels.filter((l) => !evidence.some((e) => e.label === l));
  if (missing.length > 0)
    throw unprocessable(`Evidence is missing: ${missing.join(', ')}. Attach a file for each before submitting`, 'evidence', {
      code: 'evidence_missing',
      missing,
    });
  if (evidence.length === 0)
    throw unprocessable('Attach at least one file of evidence (a portfolio, certificate or letter) before submitting', 'evidence', {
      code: 'evidence_missing',
      missing: [],
    });
  checkDates(app.issuedOn, app.expiresOn, st?.validityMonths ?? null, st?.code ?? null);
  await refuseDuplicate(tx, app.issuingBody, app.certificateNo, app.id);
}

/** Deposits the credits of an approval, within the standard's caps; returns what was granted. */
async function grant(tx: Tx, actor: Actor, app: store.ApplicationRow, credits: string) {
  const amount = parseCredits(credits);
  const st = app.standardId ? await store.standardById(tx, app.standardId) : undefined;
  // the caps are read and the deposit written under the account's lock: parallel approvals queue here
  await ledger.lockAccount(tx, app.learnerId);
  if (st) {
    const cap = (v: string | null) => (v === null ? null : parseCredits(v));
    const held = await store.heldCredits(tx, app.learnerId, app.unit, st.code, app.outcomeKind);
    const breach = wf.capBreach(
      { standard: cap(st.capStandard), kind: cap(st.capKind), total: cap(st.capTotal) },
      { standard: parseCredits(held.standard), kind: parseCredits(held.kind), total: parseCredits(held.total) },
      amount,
    );
    if (breach) {
      const which = { standard: `from standard ${st.code}`, kind: `from ${app.outcomeKind.replace('_', ' ')}s`, total: 'from certification in all' }[
        breach.cap
      ];
      throw unprocessable(
        `Cap reached: a learner may earn at most ${formatCredits(breach.limit)} credits ${which}; this learner holds ${formatCredits(breach.held)}, so ${formatCredits(amount)} more would exceed it`,
        `cap.${breach.cap}`,
        {
          code: 'cap_exceeded',
          scope: breach.cap,
          scopeCode: breach.cap === 'standard' ? st.code : breach.cap === 'kind' ? app.outcomeKind : null,
          limit: formatCredits(breach.limit),
          held: formatCredits(breach.held),
          credits: formatCredits(amount),
        },
      );
    }
  }
  await ledger.post(tx, app.learnerId, 'deposit', app.unit, [
    {
      amount,
      causeType: CAUSE,
      causeId: app.id,
      memo: st ? `${st.code} v${st.version}` : `individual assessment: ${app.title}`.slice(0, 200),
      createdBy: userId(actor),
    },
  ]);
  return formatCredits(amount);
}

/** Records a committee vote; returns the decision once the quorum has voted. */
async function vote(tx: Tx, actor: Actor, app: store.ApplicationRow, body: z.infer<typeof actionBody>, quorum: number) {
  const events = await store.eventsOf(tx, app.learnerId, app.id);
  const stage = stageOf(
    app,
    events.map((e) => e.event),
  )!;
  // the credits: a standard's own, else what the approving member proposes
  let credits: string | null = null;
  if (body.decision === 'approve') {
    if (app.standardId) credits = app.creditsRequested;
    else if (!body.credits || parseCredits(body.credits) <= 0)
      throw invalid('body.credits', 'say how many credits to grant when voting to approve an individual assessment');
    else credits = body.credits;
  }
  const voterId = userId(actor);
  if (!voterId) throw forbidden('Only a member of the expert committee may vote');
  const fresh = await store.insertVote(tx, {
    learnerId: app.learnerId,
    applicationId: app.id,
    stage: stage.stage,
    round: stage.round,
    voterId,
    decision: body.decision!,
    credits,
    reason: body.reason!,
  });
  if (!fresh) throw conflict('You have already voted on this application; each member votes once', undefined, { code: 'already_voted' });
  const rows = await store.votesOf(tx, app.learnerId, app.id, stage.stage, stage.round);
  const t = wf.tally(
    rows.map((r) => ({ decision: r.vote.decision, credits: r.vote.credits === null ? null : parseCredits(r.vote.credits) })),
    quorum,
  );
  if (!t.decided) return null;
  return { ...t, credits: t.credits === null ? (app.creditsRequested ?? '0') : formatCredits(t.credits) };
}

// ---- records an institution submits in bulk (an enterprise or training provider's trainees)

export interface BulkRecord {
  learnerId: string;
  standard: store.StandardRow;
  certificateNo: string | null;
  issuedOn: string;
  expiresOn: string | null;
}

/** The approved version of each standard code in force on each date, or why there is none. */
export async function standardsForRecords(db: Executor, wanted: { code: string; on: string }[]) {
  const out = new Map<string, store.StandardRow | string>();
  for (const w of wanted) {
    const key = `${w.code} ${w.on}`;
    if (out.has(key)) continue;
    try {
      out.set(key, await standardInForce(db, { standardCode: w.code }, w.on));
    } catch (err) {
      out.set(key, err instanceof AppError ? (err.errors[0]?.message ?? err.message) : String(err));
    }
  }
  return out;
}

/**
 * Whether a record can go to review: what the checks of an application would refuse, with the field;
 * 'same' when this learner's record is already there (a re-imported file), else null.
 */
export async function bulkRecordProblem(
  db: Executor,
  r: BulkRecord,
): Promise<{ field: 'certificateNo' | 'issuedOn' | 'expiresOn'; reason: string } | 'same' | null> {
  if (NUMBERED.has(r.standard.outcomeKind) && !r.certificateNo)
    return { field: 'certificateNo', reason: 'is required for this standard: the number printed on the certificate' };
  try {
    checkDates(r.issuedOn, r.expiresOn, r.standard.validityMonths, r.standard.code);
  } catch (err) {
    const e = err instanceof AppError ? err.errors[0] : undefined;
    if (!e) throw err;
    return { field: e.path === 'body.expiresOn' ? 'expiresOn' : 'issuedOn', reason: e.message };
  }
  if (!r.certificateNo) return (await store.liveRecord(db, r.learnerId, r.standard.code, r.issuedOn)) ? 'same' : null;
  const other = await store.liveCertificate(db, r.standard.issuingBody, r.certificateNo, '00000000-0000-0000-0000-000000000000');
  if (!other) return null;
  if (other.learnerId === r.learnerId) return 'same';
  return {
    field: 'certificateNo',
    reason: `certificate ${r.certificateNo} is already ${other.status === 'approved' ? 'certified' : 'under review'} for another learner`,
  };
}

/**
 * Submits records attested by the institution that sends them: each becomes an application waiting
 * for the standard's reviewer, with the import as its evidence of record. The caller holds the transaction.
 */
export async function submitAttested(
  tx: Tx,
  actor: Actor,
  from: { institutionId: string; institutionCode: string; importJobId: string },
  records: BulkRecord[],
) {
  for (const r of records) {
    const app = await store.insertApplication(tx, {
      learnerId: r.learnerId,
      standardId: r.standard.id,
      outcomeKind: r.standard.outcomeKind,
      title: r.standard.nameZh,
      issuingBody: r.standard.issuingBody,
      route: 'reviewer',
      institutionId: r.standard.institutionId,
      level: r.standard.level,
      iscedCode: r.standard.iscedCode,
      unit: r.standard.unit,
      creditsRequested: r.standard.credits,
      certificateNo: r.certificateNo,
      issuedOn: r.issuedOn,
      expiresOn: r.expiresOn,
      statement: `由 ${from.institutionCode} 批量报送并证明 / submitted and attested by ${from.institutionCode}`,
      status: 'submitted',
      importJobId: from.importJobId,
      createdBy: userId(actor),
    });
    const by = {
      learnerId: r.learnerId,
      applicationId: app.id,
      actorUserId: userId(actor),
      actorRole: 'institution',
      details: { importJobId: from.importJobId, institutionId: from.institutionId },
    };
    await store.appendEvent(tx, { ...by, action: 'create', fromStatus: null, toStatus: 'draft' });
    await store.appendEvent(tx, { ...by, action: 'submit', fromStatus: 'draft', toStatus: 'submitted' });
  }
}
