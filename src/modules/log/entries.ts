// What goes into the transparency log, and how: each ledger posting, credential issuance and
// credential status change as canonical JSON, appended in the transaction that makes it.
// Verification rebuilds the same text from the rows as they are now.
import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import { formatCredits, parseCredits } from '../../core/credits.js';
import { sql, type SQL } from 'drizzle-orm';
import { insertUnnest } from '../../db/bulk.js';
import type { Executor } from '../../db/connection.js';

export interface PostingFields {
  learnerId: string;
  seq: number;
  kind: string;
  amount: string;
  unit: string;
  fromState?: string | null;
  toState?: string | null;
  causeType: string;
  causeId: string;
  reversesSeq?: number | null;
  memo?: string | null;
  createdBy?: string | null;
}

export const postingRef = (p: { learnerId: string; seq: number }) => `${p.learnerId}:${p.seq}`;

/** The posting as the log records it: fixed keys in a fixed order, credits in their shortest form. */
export function postingPayload(p: PostingFields): string {
  return JSON.stringify({
    type: 'ledger.posting',
    learnerId: p.learnerId,
    seq: p.seq,
    kind: p.kind,
    amount: formatCredits(parseCredits(String(p.amount))),
    unit: p.unit,
    from: p.fromState ?? null,
    to: p.toState ?? null,
    causeType: p.causeType,
    causeId: p.causeId,
    reversesSeq: p.reversesSeq ?? null,
    memo: p.memo ?? null,
    createdBy: p.createdBy ?? null,
  });
}

/**
 * postingPayload as SQL, for postings written by INSERT … SELECT: `p` names a relation with the
 * posting's columns. It must give the very text postingPayload gives (verification compares them):
 * to_json escapes text as JSON.stringify does, trim_scale writes credits in their shortest form.
 */
export function postingPayloadSql(p: SQL): SQL {
  const text = (column: string) => sql`coalesce(to_json(${p}.${sql.identifier(column)}::text)::text, 'null')`;
  return sql`'{"type":"ledger.posting","learnerId":' || ${text('learner_id')} || ',"seq":' || ${p}.seq
    || ',"kind":' || ${text('kind')} || ',"amount":' || to_json(trim_scale(${p}.amount)::text)::text || ',"unit":' || ${text('unit')}
    || ',"from":' || ${text('from_state')} || ',"to":' || ${text('to_state')} || ',"causeType":' || ${text('cause_type')}
    || ',"causeId":' || ${text('cause_id')} || ',"reversesSeq":' || coalesce(${p}.reverses_seq::text, 'null')
    || ',"memo":' || ${text('memo')} || ',"createdBy":' || ${text('created_by')} || '}'`;
}

/** postingRef as SQL. */
export const postingRefSql = (p: SQL): SQL => sql`${p}.learner_id || ':' || ${p}.seq`;

/** The leaf's data: its place in the log and the payload, so that moving an entry changes its leaf. */
export const leafData = (idx: number, payload: string) => Buffer.from(`${idx}\n${payload}`);

/** The same leaf's RFC 9162 hash (SHA-256 of 0x00 and leafData) computed in the database, from an entry's columns. */
export const leafHashSql = (e: SQL): SQL => sql`sha256(decode('00', 'hex') || convert_to(${e}.idx::text || chr(10) || ${e}.payload, 'UTF8'))`;

export interface CredentialFields {
  id: string;
  institutionId: string;
  learnerId: string | null;
  kind: string;
  subjectId: string | null;
  cryptosuite: string;
  document: unknown;
  /** The digest of the document as signed, kept when the document was erased (learner erasure). */
  documentSha256?: string | null;
}

/** The digest the log records of a signed credential: SHA-256 of its RFC 8785 JSON. */
export const documentDigest = (document: unknown) =>
  crypto
    .createHash('sha256')
    .update(canonicalize(document) ?? '')
    .digest('hex');

/** An issued credential as the log records it: who issued what to whom, and the digest of the signed document (RFC 8785 JSON). */
export function credentialPayload(c: CredentialFields): string {
  return JSON.stringify({
    type: 'credential.issue',
    id: c.id,
    institutionId: c.institutionId,
    learnerId: c.learnerId,
    kind: c.kind,
    subjectId: c.subjectId,
    cryptosuite: c.cryptosuite,
    sha256: c.documentSha256 ?? documentDigest(c.document),
  });
}

export interface CredentialEventFields {
  id: number;
  credentialId: string;
  status: string;
  reason: string;
  actor: string | null;
}

export function credentialEventPayload(e: CredentialEventFields): string {
  return JSON.stringify({ type: 'credential.status', event: e.id, credentialId: e.credentialId, status: e.status, reason: e.reason, actor: e.actor });
}

export interface AwardFields {
  id: string;
  learnerId: string;
  programmeId: string;
  catalogueYear: number;
  credits: string;
  unit: string;
}

/** A decision on an award (approved, rejected, withdrawn): one entry per decision, `<award id>:<status>`. */
export function awardPayload(a: AwardFields, status: 'approved' | 'rejected' | 'withdrawn'): string {
  return JSON.stringify({
    type: 'award.decision',
    awardId: a.id,
    learnerId: a.learnerId,
    programmeId: a.programmeId,
    catalogueYear: a.catalogueYear,
    credits: formatCredits(parseCredits(String(a.credits))),
    unit: a.unit,
    status,
  });
}

/** An identity merge: an administrator decided that an institution's enrolment is an existing learner. */
export function identityMergePayload(m: { conflictId: string; learnerId: string; institutionId: string; externalId: string | null }): string {
  return JSON.stringify({ type: 'identity.merge', conflictId: m.conflictId, learnerId: m.learnerId, institutionId: m.institutionId, externalId: m.externalId });
}

export type EntryKind = 'posting' | 'credential' | 'credential_status' | 'award' | 'identity_merge';
export const entryKey = (kind: string, ref: string) => `${kind} ${ref}`;

/** Appends the postings to the log, unsequenced, in the caller's transaction. */
export async function appendPostings(tx: Executor, postings: PostingFields[]) {
  await appendEntries(
    tx,
    postings.map((p) => ({ kind: 'posting', ref: postingRef(p), payload: postingPayload(p) })),
  );
}

/** The bank always logs; the benchmark turns this off for its same-run baseline of what the log costs. */
export const logging = { enabled: true };

export async function appendEntries(tx: Executor, rows: { kind: EntryKind; ref: string; payload: string }[]) {
  if (!logging.enabled) return;
  for (let i = 0; i < rows.length; i += 5000) {
    await insertUnnest(tx, 'log_entries', { kind: ['kind', 'text'], ref: ['ref', 'text'], payload: ['payload', 'text'] } as const, rows.slice(i, i + 5000));
  }
}
