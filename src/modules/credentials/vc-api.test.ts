// The VC-API as the W3C suites use it (issue 18): plain VC 2.0 credentials issued as the caller
// wrote them, with either cryptosuite, as the institution's did:web or did:key; VC 1.1; the
// caller's own credentialStatus; each malformed input refused with 400 naming the field; a
// credential whose issuer did not sign it reported as that; status lists that carry only bits.
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { driver as didKeyDriver } from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { createSignCryptosuite, createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import { EXAMPLES_V2, STATUS_V1, VC_V1, VC_V2, type Json } from './loader.js';

const PUBLIC_URL = 'https://bank.example.edu';
const DID_WEB = 'did:web:bank.example.edu:issuers:COLB';

describe.each(backends)('the VC-API for the W3C suites on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let alliance: Alliance;
  let system: ReturnType<typeof as>;
  let registrar: ReturnType<typeof as>;
  let didKey: string;

  const issue = (credential: Json, options: Json = {}) => system({ method: 'POST', url: '/api/v1/credentials/issue', payload: { credential, options } });
  const verify = (credential: unknown) => as(app)({ method: 'POST', url: '/api/v1/credentials/verify', payload: { verifiableCredential: credential } });
  const plain = (issuer: unknown, extra: Json = {}): Json => ({
    '@context': [VC_V2, EXAMPLES_V2],
    type: ['VerifiableCredential', 'ExampleAlumniCredential'],
    issuer,
    credentialSubject: { id: 'did:example:alice', alumniOf: 'College B' },
    ...extra,
  });

  /** An outside verifier: contexts from the bank's own copies, did:key from the key itself. */
  const didKeys = didKeyDriver();
  didKeys.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });
  const outsideVerifies = async (credential: Json) => {
    const { documentLoader } = await import('./loader.js');
    const loader = documentLoader(database.db, { publicUrl: PUBLIC_URL, didPrefix: 'did:web:bank.example.edu', masterKey: Buffer.alloc(32) });
    const r = await vc.verifyCredential({
      credential,
      suite: [new DataIntegrityProof({ cryptosuite: rdfc }), new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() })],
      documentLoader: loader,
      checkStatus: async () => ({ verified: true }),
    });
    return r.verified as boolean;
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    alliance = await makeAlliance(database);
    app = await makeApp(database, { PUBLIC_URL });
    registrar = as(app, { cookie: await signIn(app, 'registrar.b') });
    const { token } = (
      await registrar({ method: 'POST', url: `/api/v1/institutions/${alliance.b.id}/api-tokens`, payload: { name: 'W3C suites', scopes: ['read', 'issue'] } })
    ).json();
    system = as(app, { token });
    expect((await issue(plain(DID_WEB))).statusCode).toBe(201); // makes the first key
    didKey = (await as(app)({ method: 'GET', url: `/api/v1/institutions/${alliance.b.id}/issuer` })).json().keys[0].didKey;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('issues plain VC 2.0 as the caller wrote it, with either cryptosuite, and verifies it here and with the libraries', async () => {
    for (const cryptosuite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022']) {
      for (const issuer of [DID_WEB, { id: DID_WEB, name: '乙职业学院' }]) {
        const res = await issue(plain(issuer, { validUntil: '2099-01-01T00:00:00Z' }), { cryptosuite });
        expect(res.statusCode, JSON.stringify(issuer)).toBe(201);
        const c = res.json().verifiableCredential;
        expect(c.issuer).toEqual(issuer); // no Open Badges profile: the terms VC 2.0 defines, as sent
        expect(c.type).toEqual(['VerifiableCredential', 'ExampleAlumniCredential']);
        expect(c['@context']).toEqual([VC_V2, EXAMPLES_V2]);
        expect(c).toMatchObject({ id: expect.stringMatching(/^urn:uuid:/), validFrom: expect.any(String), validUntil: '2099-01-01T00:00:00Z' });
        expect(c.credentialStatus.map((s: Json) => s.type)).toEqual(['BitstringStatusListEntry', 'BitstringStatusListEntry']);
        expect(c.proof).toMatchObject({
          type: 'DataIntegrityProof',
          cryptosuite,
          verificationMethod: expect.stringMatching(/^did:web:bank\.example\.edu:issuers:COLB#z6Mk/),
        });
        expect((await verify(c)).json()).toMatchObject({ verified: true, status: 'valid', issuer: { id: DID_WEB, ofThisBank: true } });
      }
    }
    // An Open Badge still gets the institution's profile.
    const badge = await issue({
      ...plain(DID_WEB),
      '@context': [VC_V2, 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      credentialSubject: {
        type: ['AchievementSubject'],
        achievement: { id: 'https://colb.example/a/1', type: ['Achievement'], name: '实训', criteria: { narrative: '120 h' } },
      },
    });
    expect(badge.json().verifiableCredential.issuer).toMatchObject({ id: DID_WEB, type: ['Profile'] });
  });

  it('issues as the institution’s did:key, which anyone resolves from the key itself', async () => {
    const res = await issue(plain(didKey), { cryptosuite: 'eddsa-rdfc-2022' });
    expect(res.statusCode).toBe(201);
    const c = res.json().verifiableCredential;
    expect(c.issuer).toBe(didKey);
    expect(c.proof.verificationMethod).toBe(`${didKey}#${didKey.slice(8)}`);
    expect((await verify(c)).json()).toMatchObject({ verified: true, issuer: { id: didKey, ofThisBank: true } });
    expect(await outsideVerifies(c)).toBe(true);
    // Another institution's keys are not this token's to use.
    const other = await issue(plain('did:key:z6MkhTNL7i2etLerDK8Acz5t528giE5KA4p75T6ka1E1D74r'));
    expect(other.statusCode).toBe(400);
    expect(other.json().detail).toMatch(/body\.credential\.issuer.*did:web.*did:key/);
  });

  it('issues VC 1.1 with 1.1 terms: issuanceDate, no validFrom, the bank’s status entries only when asked', async () => {
    const v1 = { '@context': [VC_V1], type: ['VerifiableCredential'], issuer: didKey, credentialSubject: { id: 'did:example:alice' } };
    const bare = (await issue(v1, { cryptosuite: 'eddsa-rdfc-2022' })).json().verifiableCredential;
    expect(bare).toMatchObject({ issuanceDate: expect.any(String), issuer: didKey });
    expect(bare).not.toHaveProperty('validFrom');
    expect(bare).not.toHaveProperty('credentialStatus');
    expect(bare['@context']).toEqual([VC_V1, 'https://w3id.org/security/data-integrity/v2']);
    expect((await verify(bare)).json()).toMatchObject({ verified: true, status: 'valid' });
    expect(await outsideVerifies(bare)).toBe(true);

    const res = await issue(
      { ...v1, issuanceDate: '2025-01-01T00:00:00Z', expirationDate: '2099-01-01T00:00:00Z' },
      { cryptosuite: 'eddsa-jcs-2022', credentialStatus: { type: 'BitstringStatusListEntry' } },
    );
    expect(res.statusCode).toBe(201);
    const listed = res.json().verifiableCredential;
    expect(listed).toMatchObject({ issuanceDate: '2025-01-01T00:00:00Z', expirationDate: '2099-01-01T00:00:00Z' });
    expect(listed['@context']).toContain(STATUS_V1);
    expect((await verify(listed)).json()).toMatchObject({ verified: true });
    const [row] = (await registrar({ method: 'GET', url: `/api/v1/institutions/${alliance.b.id}/credentials` }))
      .json()
      .items.filter((i: Json) => i.document.id === listed.id);
    await registrar({ method: 'POST', url: `/api/v1/credentials/${row.id}/revoke`, payload: { reason: 'issued in error' } });
    expect((await verify(listed)).json()).toMatchObject({ verified: false, status: 'revoked' });
  });

  it('keeps a caller’s own credentialStatus as given', async () => {
    const credentialStatus = { id: 'https://status.example/lists/7#42', type: 'ExampleStatusEntry' };
    const res = await issue(plain(DID_WEB, { credentialStatus }));
    expect(res.statusCode).toBe(201);
    expect(res.json().verifiableCredential.credentialStatus).toEqual(credentialStatus);
    const both = await issue(plain(DID_WEB, { credentialStatus }), { credentialStatus: { type: 'BitstringStatusListEntry' } });
    expect(both.statusCode).toBe(400);
  });

  it('refuses malformed VC 2.0 input with 400 naming the field', async () => {
    const cases: [Json, string][] = [
      [{ id: null }, 'body.credential.id'],
      [{ id: 'https ://not-a-url/1' }, 'body.credential.id'],
      [{ '@context': [VC_V2, 42] }, 'body.credential.@context.1'],
      [{ '@context': [EXAMPLES_V2] }, 'body.credential.@context.0'],
      [{ type: ['ExampleAlumniCredential'] }, 'body.credential.type'],
      [{ type: [] }, 'body.credential.type'],
      [{ issuer: null }, 'body.credential.issuer'],
      [{ issuer: 'fake-issuer' }, 'body.credential.issuer'],
      [{ issuer: { id: null } }, 'body.credential.issuer.id'],
      [{ issuer: { id: DID_WEB, name: 42 } }, 'body.credential.issuer.name'],
      [{ credentialSubject: {} }, 'body.credential.credentialSubject'],
      [{ credentialSubject: [{ id: 'did:example:a' }, {}] }, 'body.credential.credentialSubject.1'],
      [{ credentialSubject: { id: ['did:example:a', 'did:example:b'] } }, 'body.credential.credentialSubject.id'],
      [{ validFrom: 'Sat 25 Feb 2023 07:16:31 PM CST' }, 'body.credential.validFrom'],
      [{ validFrom: '2024-02-01T00:00:00Z', validUntil: '2024-01-01T00:00:00Z' }, 'body.credential.validUntil'],
      [{ relatedResource: [{ id: 'https://www.w3.org/ns/credentials/v2' }] }, 'body.credential.relatedResource.0'],
      [{ relatedResource: [{ digestSRI: 'sha384-x' }] }, 'body.credential.relatedResource.0.id'],
      [
        {
          relatedResource: [
            { id: 'https://a.example/1', digestSRI: 'sha384-x' },
            { id: 'https://a.example/1', digestMultibase: 'ux' },
          ],
        },
        'body.credential.relatedResource',
      ],
      [{ credentialSchema: { id: 'https://schema.example/1' } }, 'body.credential.credentialSchema.type'],
      [{ credentialSchema: { type: 'JsonSchema' } }, 'body.credential.credentialSchema.id'],
      [{ refreshService: { id: 'https://refresh.example/1' } }, 'body.credential.refreshService.type'],
      [{ credentialStatus: { id: 'https://status.example/1' } }, 'body.credential.credentialStatus.type'],
      [{ termsOfUse: {} }, 'body.credential.termsOfUse.type'],
      [{ evidence: [{ id: 'https://evidence.example/1' }] }, 'body.credential.evidence.0.type'],
      [{ name: { '@value': 42 } }, 'body.credential.name'],
    ];
    for (const [change, field] of cases) {
      const res = await issue({ ...plain(DID_WEB), ...change });
      expect(res.statusCode, JSON.stringify(change)).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().detail, JSON.stringify(change)).toMatch(new RegExp(`^${field.replace(/[.@]/g, '\\$&')}:`));
    }
    const { credentialSubject: _none, ...noSubject } = plain(DID_WEB);
    expect((await issue(noSubject)).json().detail).toMatch(/^body\.credential\.credentialSubject:/);
    const { issuer: _no, ...noIssuer } = plain(DID_WEB);
    expect((await issue(noIssuer)).json().detail).toMatch(/^body\.credential\.issuer:/);
    // A term no context defines, or a protected term redefined, only JSON-LD can see: 422.
    expect((await issue({ ...plain(DID_WEB), '@context': [VC_V2, { VerifiableCredential: 'https://example.org/#Bad' }] })).statusCode).toBe(422);
  });

  it('checks a related resource’s digests where the bank knows the resource, and refuses a wrong one with 400', async () => {
    // The digests the VC 2.0 specification publishes for its base context (and the data-model suite sends).
    const sri = 'sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg';
    const multibase = 'uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k';
    for (const digest of [{ digestSRI: sri }, { digestMultibase: multibase }, { digestSRI: sri, digestMultibase: multibase }]) {
      const res = await issue(plain(DID_WEB, { relatedResource: [{ id: VC_V2, mediaType: 'application/ld+json', ...digest }] }));
      expect(res.statusCode, JSON.stringify(digest)).toBe(201);
    }
    const wrong: [Json, string][] = [
      [{ digestMultibase: 'uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0' }, 'body.credential.relatedResource.0.digestMultibase'],
      [{ digestSRI: 'sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P' }, 'body.credential.relatedResource.0.digestSRI'],
      [{ digestSRI: sri, digestMultibase: 'uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0' }, 'body.credential.relatedResource.0.digestMultibase'],
    ];
    for (const [digest, field] of wrong) {
      const res = await issue(plain(DID_WEB, { relatedResource: [{ id: VC_V2, ...digest }] }));
      expect(res.statusCode, JSON.stringify(digest)).toBe(400);
      expect(res.json().detail).toMatch(new RegExp(`^${field.replace(/[.@]/g, '\\$&')}: does not match`));
    }
    // A resource the bank does not hold is not fetched: its digest is signed as given.
    expect((await issue(plain(DID_WEB, { relatedResource: [{ id: 'https://colb.example/syllabus.pdf', digestSRI: 'sha384-x' }] }))).statusCode).toBe(201);
  });

  it('answers a verify request without a credential with 400 and says why, not 500', async () => {
    // No credential at all: the request is malformed, a problem naming the field.
    for (const payload of [{}, { options: { checks: ['proof'] } }]) {
      const res = await as(app)({ method: 'POST', url: '/api/v1/credentials/verify', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().detail).toMatch(/^body\.verifiableCredential:/);
    }
    // Something that is not a credential: the verification report says so.
    for (const payload of [{ verifiableCredential: null }, { verifiableCredential: 'a string' }, { verifiableCredential: [] }]) {
      const res = await as(app)({ method: 'POST', url: '/api/v1/credentials/verify', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json(), JSON.stringify(payload)).toMatchObject({ verified: false, status: 'malformed', errors: [{ code: 'malformed' }] });
    }
  });

  it('says a credential is not signed by its issuer when no proof is by the issuer (the verifier suite’s Ed25519Signature2020 vector too), verifies Ed25519Signature2020 by the issuer, and accepts co-signers beside the issuer', async () => {
    const key = await Ed25519Multikey.generate();
    const did = `did:key:${key.publicKeyMultibase}`;
    key.id = `${did}#${key.publicKeyMultibase}`;
    key.controller = did;
    const { documentLoader } = await import('./loader.js');
    const loader = documentLoader(database.db, { publicUrl: PUBLIC_URL, didPrefix: 'did:web:bank.example.edu', masterKey: Buffer.alloc(32) });
    const body = { '@context': [VC_V2], type: ['VerifiableCredential'], credentialSubject: { id: 'did:example:alice' } };
    const claimed = await vc.issue({
      credential: { ...body, issuer: 'https://vc.example/issuers/5678' },
      suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite: createSignCryptosuite() }),
      documentLoader: loader,
    });
    const r = (await verify(claimed)).json();
    expect(r).toMatchObject({ verified: false, status: 'unknown_issuer', errors: [{ code: 'issuer_not_key_controller' }] });
    // signed by its issuer, with no status entry: verified, and the status is not among the checks
    const unlisted = await vc.issue({
      credential: { ...body, issuer: did },
      suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite: createSignCryptosuite() }),
      documentLoader: loader,
    });
    expect((await verify(unlisted)).json()).toMatchObject({
      verified: true,
      status: 'valid',
      checks: ['proof', 'validity'],
      issuer: { id: did, ofThisBank: false },
    });
    expect(r.errors[0].message).toContain('https://vc.example/issuers/5678');

    // The vc-api-verifier suite's Ed25519Signature2020 vector: a sound signature by a did:key that
    // the issuer it names does not control. Said as that, not as "altered".
    const vector = {
      '@context': [VC_V2, EXAMPLES_V2, 'https://w3id.org/security/suites/ed25519-2020/v1'],
      id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
      type: ['VerifiableCredential', 'AlumniCredential'],
      name: 'Alumni Credential',
      description: 'A minimum viable example of an Alumni Credential.',
      issuer: 'https://vc.example/issuers/5678',
      validFrom: '2023-01-01T00:00:00Z',
      credentialSubject: { id: 'did:example:abcdefgh', alumniOf: 'The School of Examples' },
      proof: {
        type: 'Ed25519Signature2020',
        created: '2023-02-24T23:36:38Z',
        verificationMethod: 'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2',
        proofPurpose: 'assertionMethod',
        proofValue: 'z57Mm1vboMtZiCyJ4aReZsv8co4Re64Y8GEjL1ZARzMbXZgkARFLqFs1P345NpPGG2hgCrS4nNdvJhpwnrNyG3kEF',
      },
    };
    const v = await verify(vector);
    expect(v.statusCode).toBe(400);
    expect(v.json()).toMatchObject({
      verified: false,
      status: 'unknown_issuer',
      cryptosuite: 'Ed25519Signature2020',
      errors: [{ code: 'issuer_not_key_controller' }],
    });
    expect(v.json().errors[0].message).toContain('did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2');
    // Issued by the key's own controller, the same kind of proof verifies.
    const { Ed25519Signature2020 } = await import('@digitalbazaar/ed25519-signature-2020');
    const { proof: _p, ...unsigned } = vector;
    const own = await vc.issue({ credential: { ...unsigned, issuer: did }, suite: new Ed25519Signature2020({ signer: key.signer() }), documentLoader: loader });
    expect(own.proof.type).toBe('Ed25519Signature2020');
    expect((await verify(own)).json()).toMatchObject({ verified: true, status: 'valid', cryptosuite: 'Ed25519Signature2020' });
    expect((await verify({ ...own, name: 'Changed' })).json()).toMatchObject({ verified: false, status: 'altered' });

    // Our did:key credential, co-signed by another key: both proofs verify, one is the issuer's.
    const ours = (await issue(plain(didKey), { cryptosuite: 'eddsa-rdfc-2022' })).json().verifiableCredential;
    const cosigned = await vc.issue({ credential: ours, suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite: rdfc }), documentLoader: loader });
    expect(cosigned.proof).toHaveLength(2);
    expect((await verify(cosigned)).json()).toMatchObject({ verified: true, status: 'valid' });
  });

  it('publishes status lists that carry only bits: no reasons, no credential ids', async () => {
    const c = (await issue(plain(DID_WEB))).json().verifiableCredential;
    const [row] = (await registrar({ method: 'GET', url: `/api/v1/institutions/${alliance.b.id}/credentials` }))
      .json()
      .items.filter((i: Json) => i.document.id === c.id);
    const reason = 'secret reason 7f3a: misconduct hearing';
    await registrar({ method: 'POST', url: `/api/v1/credentials/${row.id}/suspend`, payload: { reason } });
    for (const entry of c.credentialStatus as Json[]) {
      const res = await as(app)({ method: 'GET', url: entry.statusListCredential.replace(PUBLIC_URL, '') });
      expect(res.statusCode).toBe(200);
      const list = res.json();
      expect(Object.keys(list).sort()).toEqual(['@context', 'credentialSubject', 'id', 'issuer', 'proof', 'type', 'validFrom']);
      expect(Object.keys(list.credentialSubject).sort()).toEqual(['encodedList', 'id', 'statusPurpose', 'type']);
      expect(res.body).not.toContain('7f3a');
      expect(res.body).not.toContain(c.id);
      expect(res.body).not.toContain(row.id);
    }
  });
});
