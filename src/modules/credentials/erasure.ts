// A learner's erasure (privacy module) reaches the credentials issued to them: each is revoked
// through the status lists (whose bits say nothing of why), and the bank's copy keeps only what names
// no one, with the digest of the signed document that the transparency log recorded, so the log
// still verifies. Share links then show a revoked credential without the person; a copy the holder
// gave away still verifies its signature and reads revoked.
import type { Executor } from '../../db/connection.js';
import { documentDigest } from '../log/entries.js';
import { changeStatus } from './status.js';
import * as store from './store.js';
import type { Verification } from './verify.js';

/** The reason recorded with the revocation, inside the bank (the request itself is in the audit trail). */
export const ERASURE_REASON = 'erasure of the holder’s personal data';

/** What of a credential's document is kept after erasure: who issued what, when, and where its status is; nothing of the holder, no proof. */
function redacted(document: unknown): Record<string, unknown> {
  const d = (typeof document === 'object' && document !== null ? document : {}) as Record<string, unknown>;
  const keep = ['@context', 'id', 'type', 'issuer', 'name', 'validFrom', 'validUntil', 'credentialStatus'];
  return Object.fromEntries(keep.filter((k) => k in d).map((k) => [k, d[k]]));
}

/** Revokes every credential issued to the learner and erases the person from the bank's copies, in the caller's transaction. */
export async function eraseCredentialsOf(tx: Executor, learnerId: string, actor: string | null) {
  const held = await store.credentialsOfLearner(tx, learnerId);
  for (const c of held) {
    if (c.status !== 'revoked') await changeStatus(tx, c, 'revoked', ERASURE_REASON, actor);
    if (c.documentSha256 === null) await store.eraseDocument(tx, c.id, documentDigest(c.document), redacted(c.document));
    await store.eraseShareDocuments(tx, c.id);
  }
  return held.length;
}

export const isErased = (c: Pick<store.CredentialRow, 'documentSha256'>) => c.documentSha256 !== null;

/** The verdict on an erased learner's credential: revoked, with nothing of the person nor of why. */
export function erasedVerification(c: store.CredentialRow): Verification {
  const d = c.document as { id?: unknown; issuer?: unknown; validFrom?: unknown };
  const issuer = (typeof d.issuer === 'object' && d.issuer !== null ? d.issuer : { id: d.issuer }) as { id?: unknown; name?: unknown };
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    verified: false,
    status: 'revoked',
    checks: ['status'],
    warnings: [],
    errors: [{ code: 'revoked', message: 'Revoked by the issuer' }],
    credentialId: str(d.id),
    issuer: { id: str(issuer.id), name: str(issuer.name), ofThisBank: true },
    holder: [],
    achievement: null,
    validFrom: str(d.validFrom),
    validUntil: null,
    cryptosuite: c.cryptosuite,
    statusChange: null,
    included: null,
  };
}
