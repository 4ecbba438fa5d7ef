// Credentials of other issuers on did:web, with their status lists: resolved and checked only on
// the hosts an operator allows (REMOTE_ISSUER_HOSTS), refused with the reason otherwise; a list
// must verify and be the issuer's own; what cannot be read is said, not guessed.
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { createList } from '@digitalbazaar/vc-bitstring-status-list';
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { openTestDatabase, type TestDatabase } from '../../test/db.js';
import { documentLoader, VC_V2, type Json } from './loader.js';
import { didWebUrl, forgetRemote } from './remote.js';
import type { Trust } from './trust.js';
import { verifyCredential } from './verify.js';

const DID = 'did:web:registry.uni.example:issuers:42';
const DID_URL = 'https://registry.uni.example/issuers/42/did.json';
const LIST = 'https://registry.uni.example/status/revocation/1';

describe('didWebUrl', () => {
  it('reads a did:web as the spec says, and refuses what is not one', () => {
    expect(didWebUrl('did:web:uni.example')).toBe('https://uni.example/.well-known/did.json');
    expect(didWebUrl('did:web:uni.example%3A8443:users:alice')).toBe('https://uni.example:8443/users/alice/did.json');
    for (const bad of [
      'did:web:',
      'did:key:z6Mk',
      'did:web:uni.example::x',
      'did:web:uni.example:..',
      'did:web:user%40uni.example',
      'did:web:uni.example:a%2Fb',
    ])
      expect(didWebUrl(bad), bad).toBeUndefined();
  });
});

describe('other issuers on did:web', () => {
  let database: TestDatabase;
  let key: Awaited<ReturnType<typeof Ed25519Multikey.generate>>;
  let other: Awaited<ReturnType<typeof Ed25519Multikey.generate>>;
  const served = new Map<string, { status?: number; type?: string; body: string }>();
  const fetched: string[] = [];
  const fakeFetch = (async (url: string | URL) => {
    fetched.push(String(url));
    const r = served.get(String(url));
    if (!r) return new Response('not here', { status: 404 });
    return new Response(r.body, { status: r.status ?? 200, headers: { 'content-type': r.type ?? 'application/json' } });
  }) as typeof fetch;
  const trust = (hosts: string[]): Trust => ({
    publicUrl: 'https://bank.example.edu',
    didPrefix: 'did:web:bank.example.edu',
    masterKey: Buffer.alloc(32),
    remoteHosts: hosts,
    fetch: fakeFetch,
  });
  const verify = (credential: Json, hosts = ['registry.uni.example']) => {
    const t = trust(hosts);
    return verifyCredential({ db: database.db, trust: t, loader: documentLoader(database.db, t) }, credential);
  };
  const sign = (credential: Json, by = key) =>
    vc.issue({ credential, suite: new DataIntegrityProof({ signer: by.signer(), cryptosuite: rdfc }), documentLoader: documentLoader(database.db, trust([])) });
  const didDocument = (id = DID) => ({
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id,
    verificationMethod: [{ id: '#key-1', type: 'Multikey', controller: DID, publicKeyMultibase: key.publicKeyMultibase }],
    assertionMethod: ['#key-1'],
  });
  const serve = (url: string, doc: unknown, extra: { status?: number; type?: string } = {}) => served.set(url, { body: JSON.stringify(doc), ...extra });
  const statusList = async (revoked: number[], issuer = DID, by = key) => {
    const list = await createList({ length: 131_072 });
    for (const i of revoked) list.setStatus(i, true);
    return sign(
      {
        '@context': [VC_V2],
        id: LIST,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer,
        validFrom: '2024-01-01T00:00:00Z',
        credentialSubject: { id: `${LIST}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: await list.encode() },
      },
      by,
    );
  };
  const diploma = (index: number) =>
    sign({
      '@context': [VC_V2],
      type: ['VerifiableCredential'],
      issuer: DID,
      validFrom: '2024-07-01T00:00:00Z',
      credentialSubject: { id: 'did:example:learner', name: 'Li Na' },
      credentialStatus: {
        id: `${LIST}#${index}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(index),
        statusListCredential: LIST,
      },
    });

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    key = await Ed25519Multikey.generate({ id: `${DID}#key-1`, controller: DID });
    other = await Ed25519Multikey.generate({ id: 'did:web:elsewhere.example#key-1', controller: 'did:web:elsewhere.example' });
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(() => {
    served.clear();
    fetched.length = 0;
    forgetRemote();
    serve(DID_URL, didDocument());
  });

  it('fetches nothing from a host the operator has not allowed, and says why', async () => {
    const r = await verify(await diploma(5), []);
    expect(r).toMatchObject({
      verified: false,
      status: 'unknown_issuer',
      errors: [{ code: 'unknown_issuer', message: expect.stringContaining('REMOTE_ISSUER_HOSTS') }],
    });
    expect(fetched).toEqual([]);
    expect((await verify(await diploma(5), ['other.example'])).status).toBe('unknown_issuer');
    expect(fetched).toEqual([]);
  });

  it('verifies a credential of an allowed host, checks its status list, and sees a revocation', async () => {
    serve(LIST, await statusList([7]));
    expect(await verify(await diploma(5))).toMatchObject({ verified: true, status: 'valid', checks: ['proof', 'validity', 'status'], warnings: [] });
    expect(fetched.sort()).toEqual([DID_URL, LIST].sort());
    forgetRemote();
    expect(await verify(await diploma(7))).toMatchObject({
      verified: false,
      status: 'revoked',
      errors: [{ code: 'revoked', message: expect.stringContaining(LIST) }],
    });
    // a changed credential is altered, whoever issued it
    const changed = { ...(await diploma(5)), credentialSubject: { id: 'did:example:learner', name: 'Li Nana' } };
    expect((await verify(changed)).status).toBe('altered');
  });

  it('remembers what it fetched for a while instead of asking again for every credential', async () => {
    serve(LIST, await statusList([]));
    await verify(await diploma(1));
    await verify(await diploma(2));
    expect(fetched.filter((u) => u === DID_URL)).toHaveLength(1);
    expect(fetched.filter((u) => u === LIST)).toHaveLength(1);
  });

  it('refuses a DID document for another DID, a key the document lacks, and a host that answers badly', async () => {
    serve(DID_URL, didDocument('did:web:registry.uni.example'));
    expect((await verify(await diploma(5))).errors[0]!.message).toMatch(/is for did:web:registry\.uni\.example, not did:web:registry\.uni\.example:issuers:42/);
    forgetRemote();
    serve(DID_URL, { ...didDocument(), verificationMethod: [] });
    expect((await verify(await diploma(5))).errors[0]!.message).toMatch(/has no key key-1/);
    for (const [answer, why] of [
      [{ status: 500 }, /answered 500/],
      [{ type: 'text/html' }, /did not answer with JSON/],
    ] as const) {
      forgetRemote();
      served.set(DID_URL, { body: '{}', ...answer });
      expect((await verify(await diploma(5))).errors[0]!.message).toMatch(why);
    }
    forgetRemote();
    served.set(DID_URL, { body: JSON.stringify({ ...didDocument(), padding: 'x'.repeat(300_000) }) });
    expect((await verify(await diploma(5))).errors[0]!.message).toMatch(/larger than 256 kB/);
  });

  it('does not take a status list another issuer signed, or one that does not verify: the status is reported as not checked', async () => {
    serve(LIST, await statusList([5], 'did:web:elsewhere.example', other));
    const r = await verify(await diploma(5));
    expect(r).toMatchObject({
      verified: true,
      status: 'valid',
      warnings: [{ code: 'status_not_checked', message: expect.stringContaining('not by the credential') }],
    });
    forgetRemote();
    const forged = await statusList([]);
    const list = await statusList([5]);
    serve(LIST, { ...forged, credentialSubject: list.credentialSubject }); // bits swapped under the issuer's signature
    expect((await verify(await diploma(5))).warnings[0]).toMatchObject({ code: 'status_not_checked', message: expect.stringContaining('does not verify') });
  });

  it('reads REMOTE_ISSUER_HOSTS, and refuses a value that is not a list of hosts', () => {
    expect(loadConfig({ REMOTE_ISSUER_HOSTS: 'Registry.Uni.example, wallet.example.org:8443' }).remoteIssuerHosts).toEqual([
      'registry.uni.example',
      'wallet.example.org:8443',
    ]);
    expect(loadConfig({}).remoteIssuerHosts).toEqual([]);
    expect(() => loadConfig({ REMOTE_ISSUER_HOSTS: 'https://registry.uni.example/' })).toThrow(/REMOTE_ISSUER_HOSTS/);
  });
});
