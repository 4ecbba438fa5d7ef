// Credential status: each institution publishes two Bitstring Status Lists (revocation, which is
// final, and suspension, which can be lifted); a credential has the same place in both. Status
// changes are recorded with who and why, and logged.
import { createList } from '@digitalbazaar/vc-bitstring-status-list';
import type { Executor } from '../../db/connection.js';
import { conflict } from '../../errors.js';
import { appendEntries, credentialEventPayload } from '../log/entries.js';
import { credentialRevoked } from '../notifications/events.js';
import * as store from './store.js';

export const LIST_SIZE = 131_072; // 16 KiB of bits: the minimum the specification asks for, for privacy
export const PURPOSES = ['revocation', 'suspension'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const statusListUrl = (publicUrl: string, code: string, purpose: Purpose, list: number) =>
  `${publicUrl}/api/v1/credentials/status/${encodeURIComponent(code)}/${purpose}/${list}`;

/** The `credentialStatus` entries of the credential at `index`. */
export function statusEntries(publicUrl: string, code: string, index: number) {
  const list = Math.floor(index / LIST_SIZE);
  return PURPOSES.map((purpose) => {
    const url = statusListUrl(publicUrl, code, purpose, list);
    return {
      id: `${url}#${index % LIST_SIZE}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: String(index % LIST_SIZE),
      statusListCredential: url,
    };
  });
}

/** The list's bits, gzip-compressed and multibase base64url-encoded, as the specification encodes them. */
export async function encodedList(db: Executor, institutionId: string, purpose: Purpose, list: number) {
  const set = await store.indexesWithStatus(db, institutionId, purpose === 'revocation' ? 'revoked' : 'suspended', list, LIST_SIZE);
  const bits = await createList({ length: LIST_SIZE });
  for (const i of set) bits.setStatus(i, true);
  return { encoded: await bits.encode(), set };
}

/**
 * Which of an institution's credentials are revoked or suspended, as verification reads it: from
 * the database at most once a second, and afresh after a change made by this process.
 */
const snapshots = new Map<string, { at: number; flagged: Promise<Map<number, store.CredentialRow['status']> | undefined> }>();

export function flaggedOf(db: Executor, code: string) {
  const hit = snapshots.get(code);
  if (hit && Date.now() - hit.at < 1_000) return hit.flagged;
  const flagged = store.flaggedAt(db, code).then((rows) => rows && new Map(rows.map((r) => [r.statusIndex, r.status])));
  snapshots.set(code, { at: Date.now(), flagged });
  flagged.catch(() => snapshots.delete(code));
  return flagged;
}

const ALLOWED: Record<store.CredentialRow['status'], store.CredentialRow['status'][]> = {
  revoked: ['active', 'suspended'],
  suspended: ['active'],
  active: ['suspended'],
};

/** Moves a credential to `to`, recording and logging the change, in the caller's transaction. */
export async function changeStatus(
  tx: Executor,
  c: Pick<store.CredentialRow, 'id' | 'status'>,
  to: store.CredentialRow['status'],
  reason: string,
  actor: string | null,
) {
  if (!ALLOWED[to].includes(c.status))
    throw conflict(c.status === to ? `This credential is already ${to}` : `A ${c.status} credential cannot become ${to}`, undefined, {
      code: 'invalid_state',
      state: c.status,
    });
  const changed = await store.setStatus(tx, c.id, ALLOWED[to], to);
  if (!changed) throw conflict('Someone changed this credential meanwhile; reload it', undefined, { code: 'version_conflict' });
  if (to === 'revoked') await credentialRevoked(tx, changed, reason);
  const e = await store.insertEvent(tx, { credentialId: c.id, status: to, reason, actor });
  snapshots.clear();
  await appendEntries(tx, [{ kind: 'credential_status', ref: String(e.id), payload: credentialEventPayload(e) }]);
  return e;
}

/**
 * Revokes the credentials that state a record which no longer stands (an award withdrawn, a result
 * corrected or revoked), in the caller's transaction.
 */
export async function revokeCredentialsOf(tx: Executor, subjectId: string, reason: string, actor: string | null) {
  for (const c of await store.credentialsOfSubject(tx, subjectId)) {
    if (c.status !== 'revoked') await changeStatus(tx, c, 'revoked', reason, actor);
  }
}
