// Issuers: each institution's DID (did:web under the bank's host), its Ed25519 keys (each also a
// did:key), rotation with history, and the signer for the current key.
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import type { Db, Executor } from '../../db/connection.js';
import { conflict, notFound } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { actorIds, type Principal } from '../auth/principal.js';
import { authorized, REGISTRAR_ONLY } from '../../policies/authorize.js';
import * as institutions from '../institutions/api.js';
import * as store from './store.js';
import { seal, unseal, type Trust } from './trust.js';

export const issuerDid = (trust: Trust, code: string) => `${trust.didPrefix}:issuers:${encodeURIComponent(code)}`;
export const didKeyOf = (publicKeyMultibase: string) => `did:key:${publicKeyMultibase}`;
/** The institution code of one of this bank's issuer DIDs, or undefined. */
export function codeOfDid(trust: Trust, did: string): string | undefined {
  const prefix = `${trust.didPrefix}:issuers:`;
  return did.startsWith(prefix) && !did.slice(prefix.length).includes(':') ? decodeOrUndefined(did.slice(prefix.length)) : undefined;
}

/** A percent-encoded part of a DID or URL, decoded; undefined when its encoding is broken (a client's mistake, not an error). */
export function decodeOrUndefined(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

async function makeKey(db: Executor, trust: Trust, institutionId: string): Promise<void> {
  const pair = await Ed25519Multikey.generate();
  const { secretKeyMultibase } = await pair.export({ publicKey: true, secretKey: true });
  await store.insertKey(db, {
    institutionId,
    publicKeyMultibase: pair.publicKeyMultibase,
    secretKeySealed: seal(trust, secretKeyMultibase!, `${institutionId}:${pair.publicKeyMultibase}`),
  });
}

/** The institution's current key, made on first use. */
export async function currentKey(db: Executor, trust: Trust, institutionId: string): Promise<store.KeyRow> {
  const k = await store.currentKey(db, institutionId);
  if (k) return k;
  await makeKey(db, trust, institutionId);
  return (await store.currentKey(db, institutionId))!;
}

const signers = new Map<string, Ed25519Multikey.KeyPair>();

/** The key pair that signs as `did#publicKey` (the institution's did:web, or the key's own did:key); unsealed once per process. */
export async function keyPairOf(trust: Trust, key: store.KeyRow, did: string): Promise<Ed25519Multikey.KeyPair> {
  const cached = signers.get(`${key.id} ${did}`);
  if (cached) return cached;
  const secretKeyMultibase = unseal(trust, key.secretKeySealed, `${key.institutionId}:${key.publicKeyMultibase}`);
  const pair = await Ed25519Multikey.from({
    id: `${did}#${key.publicKeyMultibase}`,
    controller: did,
    publicKeyMultibase: key.publicKeyMultibase,
    secretKeyMultibase,
  });
  signers.set(`${key.id} ${did}`, pair);
  return pair;
}

/**
 * The DID document of an institution: every key it has had, so that credentials signed before a
 * rotation still verify; the current key is also known as its did:key.
 */
export async function didDocument(db: Executor, trust: Trust, code: string) {
  const inst = await institutions.institutionByCode(db, code);
  if (!inst) throw notFound('Issuer', code);
  const did = issuerDid(trust, inst.code);
  const keys = await store.keysOf(db, inst.id);
  const methods = keys.map((k) => ({ id: `${did}#${k.publicKeyMultibase}`, type: 'Multikey', controller: did, publicKeyMultibase: k.publicKeyMultibase }));
  const current = keys.find((k) => !k.retiredAt);
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    ...(current ? { alsoKnownAs: [didKeyOf(current.publicKeyMultibase)] } : {}),
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
    authentication: methods.map((m) => m.id),
  };
}

export async function issuerView(db: Executor, trust: Trust, institutionId: string) {
  const inst = (await institutions.institutionRowsByIds(db, [institutionId]))[0];
  if (!inst) throw notFound('Institution', institutionId);
  const did = issuerDid(trust, inst.code);
  return {
    did,
    didDocumentUrl: `${trust.publicUrl}/issuers/${encodeURIComponent(inst.code)}/did.json`,
    keys: (await store.keysOf(db, institutionId)).map((k) => ({
      id: `${did}#${k.publicKeyMultibase}`,
      didKey: didKeyOf(k.publicKeyMultibase),
      createdAt: k.createdAt.toISOString(),
      retiredAt: k.retiredAt?.toISOString() ?? null,
      retireReason: k.retireReason,
    })),
  };
}

/** Retires the current key (it keeps verifying what it signed) and makes a new one. */
export async function rotateKey(db: Db, trust: Trust, principal: Principal, institutionId: string, reason: string) {
  const actor = authorized(principal, 'transparencyLog.rotateKey', { institutionIds: [institutionId] }, REGISTRAR_ONLY);
  await db.transaction(async (tx) => {
    await store.lockInstitution(tx, institutionId);
    const old = await currentKey(tx, trust, institutionId);
    if (!(await store.retireKey(tx, old.id, actor.kind === 'user' ? actor.userId : null, reason)))
      throw conflict('The key was rotated meanwhile', undefined, { code: 'version_conflict' });
    await makeKey(tx, trust, institutionId);
    await recordAudit(tx, [
      {
        ...actorIds(actor),
        institutionId,
        action: 'issuer.rotate_key',
        entityType: 'institution',
        entityId: institutionId,
        details: { retired: old.publicKeyMultibase, reason },
      },
    ]);
  });
  return issuerView(db, trust, institutionId);
}
