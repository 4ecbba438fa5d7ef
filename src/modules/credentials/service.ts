// Issuing credentials: the learner asks for a signed copy of an approved award, a recorded course
// result or a certified outcome (issued by the institution that made the record), or a transcript
// of their results at an institution; an institution's system issues any credential as itself
// through the VC-API. Registrars revoke, suspend and reinstate with a reason; learners share
// through expiring links, as JSON or as a PDF.
import crypto from 'node:crypto';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { createSignCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { statusName } from '../../core/grades/status.js';
import { transferLineSubject } from '../../core/transfer/subject.js';
import type { Db, Executor } from '../../db/connection.js';
import { AppError, conflict, invalid, notFound, unprocessable } from '../../errors.js';
import { ownLearnerId } from '../accounts/service.js';
import { recordAudit } from '../audit/service.js';
import { credentialIssued } from '../notifications/events.js';
import { actorIds, requireSignedIn, type Actor, type Principal } from '../auth/principal.js';
import { authorize, authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import { learnerProfile } from '../learners/service.js';
import { inclusion } from '../log/service.js';
import { appendEntries, credentialPayload } from '../log/entries.js';
import * as catalog from '../catalog/api.js';
import * as certification from '../certification/api.js';
import * as institutions from '../institutions/api.js';
import * as outcomes from '../outcomes/api.js';
import * as awards from '../qualifications/api.js';
import * as transfers from '../recognition/transfers.js';
import { erasedVerification, isErased } from './erasure.js';
import { HIDEABLE_KINDS, hashedVariantBody } from './hashed.js';
import { currentKey, didKeyOf, issuerDid, keyPairOf } from './keys.js';
import { STATUS_V1, UnknownDocumentError, VC_V1, VC_V2, type DocumentLoader } from './loader.js';
import { credentialPdf } from './pdf.js';
import { awardCredential, certifiedCredential, issuerProfile, resultCredential, transcriptCredential, transferCredential, type Holder } from './ob3.js';
import { changeStatus, encodedList, statusEntries, statusListUrl, type Purpose } from './status.js';
import * as store from './store.js';
import type { Trust } from './trust.js';
import { validateCredential } from './validate.js';
import { verifyCredential } from './verify.js';

export const CRYPTOSUITES = ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const;
export type Cryptosuite = (typeof CRYPTOSUITES)[number];

/** What issuing and verifying work with: the database, the configuration's trust settings, the document loader. */
export interface Vc {
  db: Db;
  trust: Trust;
  loader: DocumentLoader;
}

const signingSuites = { 'eddsa-rdfc-2022': rdfc, 'eddsa-jcs-2022': createSignCryptosuite() };
const seconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const userOf = (a: Actor) => (a.kind === 'user' ? a.userId : null);

/** Turns what a JSON-LD processor says about a bad document into an error that names the problem. */
function signingError(e: unknown): AppError {
  if (e instanceof UnknownDocumentError) return unprocessable(e.message, 'body.credential.@context', { code: 'credential_unsignable' });
  const err = e as { name?: string; message?: string; details?: { event?: { details?: { term?: string; property?: string } } } };
  const term = err.details?.event?.details?.term ?? err.details?.event?.details?.property;
  if (term) return unprocessable(`"${term}" is not defined by the credential's contexts`, `body.credential.${term}`, { code: 'credential_unsignable', term });
  return unprocessable(`The credential cannot be signed: ${err.message ?? String(e)}`, 'body.credential', { code: 'credential_unsignable' });
}

interface Issuance {
  institutionId: string;
  learnerId: string | null;
  kind: store.CredentialRow['kind'];
  subjectId: string | null;
  body: Record<string, unknown>;
  cryptosuite: Cryptosuite;
  actor: Actor;
  /** Whose credentialStatus: the bank's entries (the default), the caller's as given, or none. */
  statusEntries?: 'bank' | 'caller' | 'none';
  /** The VC-API caller's issuer (the institution's did:web or did:key, or an object with it as id); else the institution's OB 3.0 profile. */
  issuer?: unknown;
}

/** The issuer's id, whether the credential names it by URL or as an object with an id. */
const issuerIdOf = (issuer: unknown) => (typeof issuer === 'string' ? issuer : (issuer as { id?: unknown } | null | undefined)?.id);

/**
 * Signs and stores a credential as the institution: its id, issuer, date and status entries where
 * the caller gave none, and the proof; logged and audited. A VC 1.1 credential gets 1.1 terms.
 */
async function issue(x: Vc, i: Issuance): Promise<store.CredentialRow> {
  const inst = await institutionRow(x.db, i.institutionId);
  const did = issuerDid(x.trust, inst.code);
  return x.db.transaction(async (tx) => {
    await store.lockInstitution(tx, inst.id);
    const key = await currentKey(tx, x.trust, inst.id);
    const index = await store.nextStatusIndex(tx, inst.id);
    const id = crypto.randomUUID();
    const now = new Date();
    const v1 = [i.body['@context']].flat()[0] === VC_V1;
    const issuer = i.issuer ?? issuerProfile({ did, nameZh: inst.nameZh, nameEn: inst.nameEn, website: inst.website });
    const signingDid = issuerIdOf(issuer) === didKeyOf(key.publicKeyMultibase) ? didKeyOf(key.publicKeyMultibase) : did;
    const bankStatus = (i.statusEntries ?? 'bank') === 'bank';
    const credential = {
      ...i.body,
      // VC 1.1 has no terms of its own for a bitstring status list: the status context brings them.
      ...(v1 && bankStatus ? { '@context': [...(i.body['@context'] as unknown[]), STATUS_V1] } : {}),
      id: 'id' in i.body ? i.body.id : `urn:uuid:${id}`,
      issuer,
      ...(v1 ? { issuanceDate: i.body.issuanceDate ?? seconds(now) } : { validFrom: i.body.validFrom ?? seconds(now) }),
      ...(bankStatus ? { credentialStatus: statusEntries(x.trust.publicUrl, inst.code, index) } : {}),
    };
    const signer = (await keyPairOf(x.trust, key, signingDid)).signer();
    const suite = new DataIntegrityProof({ signer, cryptosuite: signingSuites[i.cryptosuite], date: now });
    const document = await vc.issue({ credential, suite, documentLoader: x.loader, now }).catch((e: unknown) => {
      throw signingError(e);
    });
    const row = await store.insertCredential(tx, {
      id,
      institutionId: inst.id,
      learnerId: i.learnerId,
      kind: i.kind,
      subjectId: i.subjectId,
      keyId: key.id,
      cryptosuite: i.cryptosuite,
      document,
      statusIndex: index,
      issuedBy: userOf(i.actor),
    });
    await appendEntries(tx, [{ kind: 'credential', ref: id, payload: credentialPayload(row) }]);
    await recordAudit(tx, [
      {
        ...actorIds(i.actor),
        institutionId: inst.id,
        action: 'credential.issue',
        entityType: 'credential',
        entityId: id,
        details: { kind: i.kind, subjectId: i.subjectId, cryptosuite: i.cryptosuite },
      },
    ]);
    await credentialIssued(tx, row);
    return row;
  });
}

async function institutionRow(db: Executor, id: string) {
  const [inst] = await institutions.institutionRowsByIds(db, [id]);
  if (!inst) throw notFound('Institution', id);
  return inst;
}

async function holderOf(db: Executor, learnerId: string): Promise<Holder> {
  const { learner } = await learnerProfile(db, learnerId, false);
  return { fullName: learner.fullName, fullNameLatin: learner.fullNameLatin, accountNo: learner.accountNo };
}

type LearnerCredentialKind = 'award' | 'outcome' | 'certification' | 'transfer' | 'transcript';
type RecordKind = Exclude<LearnerCredentialKind, 'transcript'>;

/**
 * The credential for the learner's approved award or recorded passing result (the live one if it
 * exists), or a CLR 2.0 transcript of their passing results at an institution (`id` is the
 * institution; a new one each time, dated).
 */
export async function issueForLearner(x: Vc, principal: Principal, what: { kind: LearnerCredentialKind; id: string; line?: number; cryptosuite: Cryptosuite }) {
  const learnerId = ownLearnerId(principal);
  const actor = requireSignedIn(principal);
  if (what.kind === 'transcript') return credentialView(x, await issueTranscript(x, actor, learnerId, what.id));
  return credentialView(
    x,
    await recordCredential(x, actor, learnerId, what as { kind: RecordKind; id: string; line?: number; cryptosuite: Cryptosuite }),
    true,
  );
}

async function recordCredential(x: Vc, actor: Actor, learnerId: string, what: { kind: RecordKind; id: string; line?: number; cryptosuite: Cryptosuite }) {
  if (what.kind === 'transfer' && what.line === undefined) throw invalid('body.line', 'say which line of the transfer application');
  const subjectId = what.kind === 'transfer' ? transferLineSubject(what.id, what.line!) : what.id;
  const held = await store.credentialsOfSubject(x.db, subjectId);
  const stopped = held.find((c) => c.learnerId === learnerId && c.status !== 'active');
  if (stopped) {
    const reason = (await store.eventsOf(x.db, [stopped.id])).at(-1)?.reason;
    throw conflict(
      `The issuer ${stopped.status} this record's credential${reason ? ` (${reason})` : ''}; ask its registrar before a new one can be issued`,
      'body.id',
      { code: 'credential_stopped', state: stopped.status },
    );
  }
  const live = held.find((c) => c.learnerId === learnerId && c.cryptosuite === what.cryptosuite);
  if (live) return live;
  const holder = await holderOf(x.db, learnerId);
  if (what.kind === 'award') {
    const a = await awards.awardById(x.db, what.id);
    if (!a || a.learnerId !== learnerId) throw notFound('Award', what.id);
    if (a.status !== 'approved')
      throw conflict(`This award is ${a.status}; only an approved award has a credential`, 'body.id', { code: 'invalid_state', state: a.status });
    const p = (await catalog.programmeById(x.db, a.programmeId))!;
    const body = awardCredential(x.trust.publicUrl, holder, { awardId: a.id, decidedAt: a.decidedAt!, credits: a.credits, programme: p });
    return issue(x, { institutionId: p.institutionId, learnerId, kind: 'award', subjectId: a.id, body, cryptosuite: what.cryptosuite, actor });
  }
  if (what.kind === 'transfer') {
    const t = await transfers.getTransfer(x.db, actor, what.id).catch(() => undefined);
    if (!t || t.learnerId !== learnerId) throw notFound('Transfer application', what.id);
    const line = t.lines.find((l) => l.lineNo === what.line);
    if (!line) throw notFound('Line of the transfer application', String(what.line));
    if ((line.status !== 'accepted' && line.status !== 'substituted') || !line.target || !line.credits)
      throw conflict(`This line is ${line.status}; only a credit the institution accepted has a credential`, 'body.line', {
        code: 'invalid_state',
        state: line.status,
      });
    const source = line.sourceInstitution;
    const body = transferCredential(x.trust.publicUrl, holder, {
      source: { did: issuerDid(x.trust, source.code), nameZh: source.nameZh, nameEn: source.nameEn },
      course: line.course,
      sourceCredits: line.sourceCredits,
      grade: line.grade,
      target: line.target,
      credits: line.credits,
      convertedGrade: line.convertedGrade,
      decidedAt: line.decidedAt ?? t.decidedAt ?? new Date().toISOString(),
    });
    return issue(x, { institutionId: t.targetInstitution.id, learnerId, kind: 'transfer', subjectId, body, cryptosuite: what.cryptosuite, actor });
  }
  if (what.kind === 'certification') {
    const a = await certification.applicationById(x.db, what.id);
    if (!a || a.learnerId !== learnerId) throw notFound('Certification', what.id);
    if (a.status !== 'approved' || !a.creditsGranted)
      throw conflict(`This application is ${a.status}; only an approved certification has a credential`, 'body.id', { code: 'invalid_state', state: a.status });
    if (!a.institutionId) throw conflict('This certification was decided by the committee, not by an institution: there is no issuer to sign it', 'body.id');
    const std = a.standardId ? await certification.standardById(x.db, a.standardId) : undefined;
    const body = certifiedCredential(x.trust.publicUrl, holder, {
      applicationId: a.id,
      outcomeKind: a.outcomeKind,
      title: a.title,
      issuingBody: a.issuingBody,
      certificateNo: a.certificateNo,
      issuedOn: a.issuedOn,
      credits: a.creditsGranted,
      level: a.level,
      iscedCode: a.iscedCode,
      standard: std ? { code: std.code, titleZh: std.nameZh, titleEn: std.nameEn } : null,
    });
    return issue(x, { institutionId: a.institutionId, learnerId, kind: 'certification', subjectId: a.id, body, cryptosuite: what.cryptosuite, actor });
  }
  const o = await outcomes.outcomeById(x.db, what.id);
  if (!o || o.learnerId !== learnerId) throw notFound('Course result', what.id);
  if (o.status !== 'recorded' || !o.passed)
    throw conflict(`Only a recorded passing result has a credential; this one is ${o.passed ? o.status : 'not a pass'}`, 'body.id', {
      code: 'invalid_state',
      state: o.status,
    });
  const course = (await catalog.courseById(x.db, o.courseId))!;
  const body = resultCredential(x.trust.publicUrl, holder, {
    outcomeId: o.id,
    completedOn: o.completedOn,
    term: o.term,
    grade: o.grade ?? statusName(o.resultStatus),
    credits: o.credits,
    course,
  });
  return issue(x, { institutionId: o.institutionId, learnerId, kind: 'outcome', subjectId: o.id, body, cryptosuite: what.cryptosuite, actor });
}

/**
 * A CLR 2.0 transcript: the learner's passing results at the institution, each as its own signed
 * OB 3.0 credential inside. Signed with eddsa-jcs-2022 only: the CLR context is not among the
 * local copies, and JCS signs the JSON as it is, without reading contexts.
 */
async function issueTranscript(x: Vc, actor: Actor, learnerId: string, institutionId: string) {
  const inst = await institutionRow(x.db, institutionId);
  const results = (await outcomes.outcomesOfLearner(x.db, learnerId)).filter((o) => o.institutionId === inst.id && o.status === 'recorded' && o.passed);
  if (results.length === 0) throw conflict(`There are no passing results at ${inst.code} to put on a transcript`, 'body.id', { code: 'nothing_to_issue' });
  const parts: Record<string, unknown>[] = [];
  for (const o of results) {
    // The result's live credential in either suite, or a new one.
    const live = (await store.credentialsOfSubject(x.db, o.id)).find((c) => c.learnerId === learnerId && c.status === 'active');
    parts.push((live ?? (await recordCredential(x, actor, learnerId, { kind: 'outcome', id: o.id, cryptosuite: 'eddsa-jcs-2022' }))).document);
  }
  const body = transcriptCredential(
    await holderOf(x.db, learnerId),
    { nameZh: inst.nameZh, nameEn: inst.nameEn, credits: results.reduce((t, o) => t + Number(o.credits), 0) },
    parts,
  );
  return issue(x, { institutionId: inst.id, learnerId, kind: 'transcript', subjectId: inst.id, body, cryptosuite: 'eddsa-jcs-2022', actor });
}

/**
 * Signs, for a learner, a credential another module shapes (the Europass ELM export): `shape` gets
 * the institution's DID and returns the body and the issuer as that model wants them. Stored as a
 * transcript of the institution (a new one each time), logged and audited like every credential.
 * eddsa-jcs-2022 only: JCS signs the JSON as it is, without the contexts the bank keeps no copy of.
 * The caller has decided that the actor may have it issued.
 */
export async function issueShapedForLearner(
  x: Vc,
  actor: Actor,
  a: { institutionId: string; learnerId: string; shape: (did: string) => { body: Record<string, unknown>; issuer: Record<string, unknown> } },
) {
  const did = issuerDid(x.trust, (await institutionRow(x.db, a.institutionId)).code);
  const { body, issuer } = a.shape(did);
  const row = await issue(x, {
    institutionId: a.institutionId,
    learnerId: a.learnerId,
    kind: 'transcript',
    subjectId: a.institutionId,
    body,
    cryptosuite: 'eddsa-jcs-2022',
    actor,
    issuer,
  });
  return row.document;
}

/** Open Badges and CLR types: such a credential's issuer is the institution's OB 3.0 profile. */
const OB_TYPES = ['OpenBadgeCredential', 'AchievementCredential', 'EndorsementCredential', 'ClrCredential'];

/**
 * VC-API issue: an institution's system (its API token) or registrar issues a credential as that
 * institution, named by its did:web or by its current key's did:key. A plain VC 2.0 (or 1.1)
 * credential keeps the issuer as the caller wrote it; an Open Badge gets the institution's profile.
 * The caller's credentialStatus is kept; without one the bank allocates its status list entries.
 */
export async function issueAsInstitution(
  x: Vc,
  principal: Principal,
  credential: Record<string, unknown>,
  options: { cryptosuite: Cryptosuite; institutionId?: string; credentialStatus?: { type: string } },
) {
  const actor = requireSignedIn(principal);
  const own = actor.kind === 'token' ? actor.institutionId : options.institutionId;
  if (!own) throw invalid('body.options.institutionId', 'say which institution issues (an API token issues as its own institution)');
  authorize(principal, 'credential.issue', { institutionIds: [own] }, REGISTRAR_ONLY);
  if ('proof' in credential) throw invalid('body.credential.proof', 'send the credential unsigned: the bank signs it');
  const version = validateCredential(credential);
  if (options.credentialStatus && 'credentialStatus' in credential)
    throw invalid('body.options.credentialStatus', 'the credential has its own credentialStatus: ask for the bank’s entries or give yours, not both');
  const inst = await institutionRow(x.db, own);
  const did = issuerDid(x.trust, inst.code);
  const didKey = didKeyOf((await currentKey(x.db, x.trust, own)).publicKeyMultibase);
  const issuerId = issuerIdOf(credential.issuer);
  if (issuerId !== did && issuerId !== didKey)
    throw invalid(typeof credential.issuer === 'string' ? 'body.credential.issuer' : 'body.credential.issuer.id', `this token issues as ${did} or ${didKey}`);
  const badge = [credential.type].flat().some((t) => OB_TYPES.includes(t as string));
  const { issuer, ...body } = credential;
  // VC 2.0 gets the bank's status entries by default; VC 1.1 only when asked, as they need a context 1.1 wallets may not know.
  const statusEntries = 'credentialStatus' in credential ? 'caller' : version === '2.0' || options.credentialStatus ? 'bank' : 'none';
  const row = await issue(x, {
    institutionId: own,
    learnerId: null,
    kind: 'external',
    subjectId: null,
    body,
    cryptosuite: options.cryptosuite,
    actor,
    statusEntries,
    issuer: badge && typeof issuer === 'string' ? issuerProfile({ did: issuer, nameZh: inst.nameZh, nameEn: inst.nameEn, website: inst.website }) : issuer,
  });
  return row.document;
}

async function credentialFor(x: Vc, principal: Principal, id: string) {
  const actor = requireSignedIn(principal);
  const c = await store.credentialById(x.db, id);
  if (!c) throw notFound('Credential', id);
  const own = actor.kind === 'user' && c.learnerId !== null && actor.learnerId === c.learnerId;
  authorize(actor, 'credential.read', { learnerId: c.learnerId, institutionIds: [c.institutionId] }, 'Not yours to read', { what: 'Credential', id });
  return { c, own, actor };
}

export async function credentialView(x: Vc, c: store.CredentialRow, withShares = false) {
  return (await credentialViews(x, [c], withShares))[0]!;
}

/** A page of credentials in a fixed number of queries, however many rows it has. */
export async function credentialViews(x: Vc, rows: store.CredentialRow[], withShares = false) {
  if (rows.length === 0) return [];
  const ids = rows.map((c) => c.id);
  const [insts, allEvents, allShares] = await Promise.all([
    institutions.institutionRowsByIds(x.db, [...new Set(rows.map((c) => c.institutionId))]),
    store.eventsOf(x.db, ids),
    withShares ? store.sharesOfMany(x.db, ids) : Promise.resolve([]),
  ]);
  const instById = new Map(insts.map((i) => [i.id, i]));
  return rows.map((c) => {
    const inst = instById.get(c.institutionId);
    if (!inst) throw notFound('Institution', c.institutionId);
    const events = allEvents.filter((e) => e.credentialId === c.id);
    const shares = allShares.filter((s) => s.credentialId === c.id);
    return presentCredential(x, c, inst, events, withShares ? shares : null);
  });
}

function presentCredential(
  x: Vc,
  c: store.CredentialRow,
  inst: { id: string; code: string; nameZh: string; nameEn: string },
  events: store.EventRow[],
  shares: store.ShareRow[] | null,
) {
  const last = events[events.length - 1];
  const doc = c.document as { name?: string; credentialSubject?: { creditsEarned?: number } };
  return {
    id: c.id,
    kind: c.kind,
    subjectId: c.subjectId,
    name: doc.name ?? '',
    creditsEarned: doc.credentialSubject?.creditsEarned ?? null,
    institution: { id: inst.id, code: inst.code, nameZh: inst.nameZh, nameEn: inst.nameEn },
    learnerId: c.learnerId,
    cryptosuite: c.cryptosuite,
    status: c.status,
    statusReason: c.status === 'active' ? null : (last?.reason ?? null),
    issuedAt: c.issuedAt.toISOString(),
    events: events.map((e) => ({ status: e.status, reason: e.reason, at: e.at.toISOString() })),
    document: c.document,
    shares: shares ? shares.map((s) => shareView(x, s)) : [],
  };
}

const shareView = (x: Vc, s: store.ShareRow) => ({
  id: s.id,
  hideName: s.document !== null,
  url: `${x.trust.publicUrl}/verify/${s.id}`,
  expiresAt: s.expiresAt.toISOString(),
  revokedAt: s.revokedAt?.toISOString() ?? null,
  createdAt: s.createdAt.toISOString(),
});

export async function myCredentials(x: Vc, principal: Principal) {
  const learnerId = ownLearnerId(principal);
  return credentialViews(x, await store.credentialsOfLearner(x.db, learnerId), true);
}

export async function getCredential(x: Vc, principal: Principal, id: string) {
  const { c } = await credentialFor(x, principal, id);
  return credentialView(x, c, true);
}

/** Where the credential's issuance is in the transparency log, with the inclusion proof (its learner, the issuer's registrars). */
export async function credentialInclusion(x: Vc, principal: Principal, id: string) {
  const { c } = await credentialFor(x, principal, id);
  return inclusion(x.db, 'credential', c.id);
}

export async function credentialsAt(x: Vc, principal: Principal, institutionId: string) {
  authorized(principal, 'credential.list', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  return credentialViews(x, await store.credentialsAt(x.db, institutionId, 500));
}

export async function setCredentialStatus(x: Vc, principal: Principal, id: string, to: 'revoked' | 'suspended' | 'active', reason: string) {
  const c = await store.credentialById(x.db, id);
  if (!c) throw notFound('Credential', id);
  const actor = authorized(principal, 'credential.setStatus', { institutionIds: [c.institutionId] }, REGISTRAR_ONLY, { what: 'Credential', id });
  await x.db.transaction(async (tx) => {
    await changeStatus(tx, c, to, reason, userOf(actor));
    const action = { revoked: 'credential.revoke', suspended: 'credential.suspend', active: 'credential.reinstate' }[to];
    await recordAudit(tx, [{ ...actorIds(actor), institutionId: c.institutionId, action, entityType: 'credential', entityId: id, details: { reason } }]);
  });
  return credentialView(x, (await store.credentialById(x.db, id))!);
}

/**
 * A share link. With `hideName` the link serves a variant signed for it: the subject as salted
 * hashes of the learner's name(s) and account number (OB 3.0 `hashed: true`), everything else the
 * original's, including its credentialStatus entries, so the original's revocation reaches it.
 */
export async function shareCredential(x: Vc, principal: Principal, id: string, days: number, hideName = false) {
  const { c, actor } = await credentialFor(x, principal, id);
  authorize(principal, 'credential.share', { learnerId: c.learnerId }, 'Only the learner shares their credentials');
  if (c.status === 'revoked') throw conflict('This credential is revoked; there is nothing to share', undefined, { code: 'credential_revoked' });
  if (hideName && !(HIDEABLE_KINDS as readonly string[]).includes(c.kind))
    throw unprocessable(`A ${c.kind} credential names the learner inside signed parts that cannot be re-signed; share it as issued`, 'body.hideName', {
      code: 'name_not_hideable',
      kind: c.kind,
    });
  const shareId = crypto.randomBytes(16).toString('base64url');
  const share = await x.db.transaction(async (tx) => {
    const document = hideName ? await signHashedVariant(x, tx, c) : null;
    const row = await store.insertShare(tx, { id: shareId, credentialId: id, expiresAt: new Date(Date.now() + days * 86_400_000), document });
    if (hideName)
      await recordAudit(tx, [
        { ...actorIds(actor), institutionId: c.institutionId, action: 'credential.share_hashed', entityType: 'credential', entityId: id, details: { shareId } },
      ]);
    return row;
  });
  return shareView(x, share);
}

/** Signs the hashed-subject variant of the credential with the institution's current key, in the same suite, in the caller's transaction. */
async function signHashedVariant(x: Vc, tx: Executor, c: store.CredentialRow) {
  const inst = await institutionRow(tx, c.institutionId);
  const key = await currentKey(tx, x.trust, inst.id);
  const did = issuerDid(x.trust, inst.code);
  const credential = hashedVariantBody(c.document, `urn:uuid:${crypto.randomUUID()}`);
  const signingDid = issuerIdOf(credential.issuer) === didKeyOf(key.publicKeyMultibase) ? didKeyOf(key.publicKeyMultibase) : did;
  const now = new Date();
  const suite = new DataIntegrityProof({
    signer: (await keyPairOf(x.trust, key, signingDid)).signer(),
    cryptosuite: signingSuites[c.cryptosuite as Cryptosuite],
    date: now,
  });
  return (await vc.issue({ credential, suite, documentLoader: x.loader, now }).catch((e: unknown) => {
    throw signingError(e);
  })) as Record<string, unknown>;
}

export async function withdrawShare(x: Vc, principal: Principal, shareId: string) {
  const s = await store.shareById(x.db, shareId);
  if (!s) throw notFound('Share link', shareId);
  const { own } = await credentialFor(x, principal, s.credentialId);
  if (!own) throw notFound('Share link', shareId);
  await store.revokeShare(x.db, shareId);
  return shareView(x, (await store.shareById(x.db, shareId))!);
}

/** What an anonymous visitor of a share link sees: the credential, its verification now, and where it is in the log. */
export async function openShare(x: Vc, shareId: string) {
  const s = await store.shareById(x.db, shareId);
  if (!s) throw notFound('Share link', shareId);
  if (s.revokedAt) throw new AppError('not_found', 'The learner withdrew this share link; ask them for a new one', [], { code: 'share_link_revoked' });
  if (s.expiresAt.getTime() < Date.now())
    throw new AppError('not_found', `This share link expired on ${s.expiresAt.toISOString().slice(0, 10)}; ask the learner for a new one`, [], {
      code: 'share_link_expired',
      expiredOn: s.expiresAt.toISOString().slice(0, 10),
    });
  const c = (await store.credentialById(x.db, s.credentialId))!;
  // an erased learner's: revoked, and what is left of the document names no one
  const document = isErased(c) ? c.document : (s.document ?? c.document);
  const [verification, log] = await Promise.all([
    isErased(c) ? erasedVerification(c) : verifyCredential(x, document),
    inclusion(x.db, 'credential', c.id).catch(() => null),
  ]);
  return { credential: document, verification, expiresAt: s.expiresAt.toISOString(), hideName: s.document !== null, log };
}

const published = new Map<string, { set: string; document: Record<string, unknown> }>();

/**
 * The institution's status list as a signed BitstringStatusListCredential (eddsa-rdfc-2022, which
 * every verifier reads). Signed again only when a bit changed since the last request.
 */
export async function statusListCredential(x: Vc, code: string, purpose: Purpose, list: number) {
  const inst = await institutions.institutionByCode(x.db, code);
  if (!inst) throw notFound('Issuer', code);
  const url = statusListUrl(x.trust.publicUrl, inst.code, purpose, list);
  const { encoded, set } = await encodedList(x.db, inst.id, purpose, list);
  const key = await currentKey(x.db, x.trust, inst.id);
  const fingerprint = `${key.id} ${set.join(',')}`;
  const cached = published.get(url);
  if (cached?.set === fingerprint) return cached.document;
  const did = issuerDid(x.trust, inst.code);
  const credential = {
    '@context': [VC_V2],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: did,
    validFrom: seconds(new Date()),
    credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: purpose, encodedList: encoded },
  };
  const suite = new DataIntegrityProof({ signer: (await keyPairOf(x.trust, key, did)).signer(), cryptosuite: rdfc });
  const document = await vc.issue({ credential, suite, documentLoader: x.loader });
  published.set(url, { set: fingerprint, document });
  return document;
}

/** The credential as a PDF for the learner to print or send, with a QR code of one of their live share links. */
export async function credentialAsPdf(x: Vc, principal: Principal, id: string, shareId: string, utcOffset: string) {
  const { c } = await credentialFor(x, principal, id);
  authorize(principal, 'credential.share', { learnerId: c.learnerId }, 'Only the learner prints their credentials');
  if (isErased(c)) throw conflict('This credential is revoked; there is nothing to print', undefined, { code: 'credential_revoked' });
  const s = await store.shareById(x.db, shareId);
  if (!s || s.credentialId !== id || s.revokedAt || s.expiresAt.getTime() < Date.now())
    throw invalid('query.share', 'give one of this credential’s live share links: the QR code points to it');
  // a hashed share's PDF prints what its link serves: the variant, naming no one
  const document = s.document ?? c.document;
  const [verification, log] = await Promise.all([verifyCredential(x, document), inclusion(x.db, 'credential', c.id).catch(() => null)]);
  const view = shareView(x, s);
  return credentialPdf({
    credential: document,
    verification,
    shareUrl: view.url,
    shareExpires: view.expiresAt,
    logIndex: log?.index ?? null,
    utcOffset,
    nameHidden: s.document !== null,
  });
}
