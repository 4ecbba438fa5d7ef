// The direct proof check agrees with the Digital Bazaar libraries: every credential they sign is
// valid here, and no change to a signed credential (a value, a key, the proof, the contexts) is.
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { createSignCryptosuite, createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../core/random.js';
import type { Executor } from '../../db/connection.js';
import { documentLoader, OB_V3, VC_V1, VC_V2, type Json } from './loader.js';
import { checkProof } from './proofs.js';
import { trustOf } from './trust.js';

const loader = documentLoader(
  {} as Executor,
  trustOf({ publicUrl: 'https://bank.example.edu', masterKey: { base64: Buffer.alloc(32, 1).toString('base64') } }),
);
const keyOfDidKey = async (vm: string) => vm.split('#')[1];
const libraryVerifies = async (credential: Json) =>
  (
    await vc.verifyCredential({
      credential,
      suite: [new DataIntegrityProof({ cryptosuite: rdfc }), new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() })],
      documentLoader: loader,
      checkStatus: async () => ({ verified: true }),
    })
  ).verified as boolean;

describe('direct Data Integrity proof check', () => {
  let key: Ed25519Multikey.KeyPair;
  let did: string;
  const signed: Json[] = [];

  beforeAll(async () => {
    key = await Ed25519Multikey.generate();
    did = `did:key:${key.publicKeyMultibase}`;
    key.id = `${did}#${key.publicKeyMultibase}`;
    key.controller = did;
    const ob = {
      '@context': [VC_V2, OB_V3],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: did, type: ['Profile'], name: '华夏大学' },
      validFrom: '2024-07-01T00:00:00Z',
      name: '软件工程 学士',
      credentialSubject: {
        type: ['AchievementSubject'],
        creditsEarned: 142.5,
        achievement: { id: 'https://x.example/a', type: ['Achievement'], name: 'BSc', criteria: { narrative: '140 credits' }, creditsAvailable: 140 },
      },
    };
    const v1 = {
      '@context': [VC_V1, 'https://w3id.org/security/data-integrity/v2'],
      type: ['VerifiableCredential'],
      issuer: did,
      issuanceDate: '2024-01-01T00:00:00Z',
      credentialSubject: { id: 'did:example:1' },
    };
    for (const [suite, doc] of [
      [rdfc, ob],
      [createSignCryptosuite(), ob],
      [rdfc, v1],
      [createSignCryptosuite(), v1],
    ] as const) {
      signed.push(
        await vc.issue({
          credential: structuredClone(doc),
          suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite: suite }),
          documentLoader: loader,
        }),
      );
    }
  });

  it('accepts what the libraries sign, with either cryptosuite, VC 2.0 and 1.1', async () => {
    for (const doc of signed) {
      expect(await libraryVerifies(doc)).toBe(true);
      expect(await checkProof(doc, loader, keyOfDidKey)).toBe('valid');
      expect(await checkProof(doc, loader, keyOfDidKey)).toBe('valid'); // and again, from the cache
    }
  });

  it('never accepts a changed credential, where the libraries do not either', async () => {
    const rand = mulberry32(7);
    const paths = (o: unknown, at: string[] = []): string[][] =>
      typeof o === 'object' && o !== null ? Object.entries(o).flatMap(([k, v]) => [[...at, k], ...paths(v, [...at, k])]) : [];
    let checked = 0;
    for (const doc of signed) {
      const leaves = paths(doc).filter((p) => {
        let v: unknown = doc;
        for (const k of p) v = (v as Json)[k];
        return typeof v === 'string' || typeof v === 'number';
      });
      for (let i = 0; i < 12; i++) {
        const mutated = structuredClone(doc);
        const path = leaves[Math.floor(rand() * leaves.length)]!;
        let parent: Json = mutated;
        for (const k of path.slice(0, -1)) parent = parent[k];
        const last = path[path.length - 1]!;
        const v = parent[last];
        parent[last] = typeof v === 'number' ? v + 1 : `${String(v).slice(0, -1)}${String(v).endsWith('x') ? 'y' : 'x'}`;
        const ours = await checkProof(mutated, loader, keyOfDidKey);
        expect(ours, path.join('.')).not.toBe('valid');
        expect(await libraryVerifies(mutated), path.join('.')).toBe(false);
        checked++;
      }
      const added = { ...structuredClone(doc), extra: 1 };
      expect(await checkProof(added, loader, keyOfDidKey)).not.toBe('valid');
      expect(await libraryVerifies(added)).toBe(false);
    }
    expect(checked).toBe(48);
  });

  it('leaves other shapes to the libraries', async () => {
    const doc = signed[0]!;
    expect(await checkProof({ ...doc, proof: [doc.proof] }, loader, keyOfDidKey)).toBe('fallback');
    expect(await checkProof({ ...doc, proof: { ...doc.proof, proofPurpose: 'authentication' } }, loader, keyOfDidKey)).toBe('fallback');
    expect(await checkProof({ ...doc, issuer: 'did:key:z6MkOther' }, loader, keyOfDidKey)).toBe('fallback');
    expect(await checkProof({ ...doc, proof: { ...doc.proof, cryptosuite: 'ecdsa-rdfc-2019' } }, loader, keyOfDidKey)).toBe('fallback');
  });
});
