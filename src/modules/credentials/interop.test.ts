// Interoperability, tested rather than assumed: a credential issued here verifies with the Digital
// Credentials Consortium's verifier-core (which resolves our did:web and reads our status list over
// HTTP, here routed to the app), and a revoked or changed one does not.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyCredential } from '@digitalcredentials/verifier-core';
import type { App } from '../../http/types.js';
import { openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn } from '../../test/fixture.js';
import { recordCourseResult } from '../outcomes/service.js';
import type { Json } from './loader.js';

const PUBLIC_URL = 'https://bank.example.edu';

describe('interoperability with @digitalcredentials/verifier-core', () => {
  let database: TestDatabase;
  let app: App;
  const fetched: string[] = [];
  let outcomeId: string;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    const alliance = await makeAlliance(database);
    app = await makeApp(database, { PUBLIC_URL });
    outcomeId = (
      await recordCourseResult(database.db, alliance.admin, alliance.a.id, {
        externalId: 'A001',
        courseCode: 'CS101',
        term: '2023-2024-1',
        attempt: 1,
        grade: '88',
        completedOn: '2024-01-15',
      })
    ).id;
    // The verifier's HTTP requests: the bank's own URLs are answered by the app; nothing else is reachable.
    // verifier-core also tries to fetch the OB 3.0 JSON schema and reports on the console when it cannot.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.stubGlobal('fetch', async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      fetched.push(url);
      if (!url.startsWith(PUBLIC_URL)) return Response.json({ error: 'offline' }, { status: 404 });
      const res = await app.inject({ method: (init?.method ?? 'GET') as 'GET', url: url.slice(PUBLIC_URL.length) });
      return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type'] ?? 'application/json') } });
    });
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    await app?.close();
    await database?.drop();
  });

  it('verifies a credential issued here, resolving did:web and the status list from the bank; a revoked or changed one fails', async () => {
    const alice = as(app, { cookie: await signIn(app, 'alice') });
    const issued = (await alice({ method: 'POST', url: '/api/v1/me/credentials', payload: { kind: 'outcome', id: outcomeId } })).json();
    const credential = issued.document as Json;

    const ok = await verifyCredential({ credential, knownDIDRegistries: [] });
    const step = (r: Json, id: string) => (r.log as Json[] | undefined)?.find((s) => s.id === id);
    expect(ok.errors).toBeUndefined();
    expect(step(ok, 'valid_signature')).toMatchObject({ valid: true });
    expect(step(ok, 'revocation_status')).toMatchObject({ valid: true });
    expect(fetched.some((u) => u.endsWith('/issuers/UNIA/did.json'))).toBe(true);
    expect(fetched.some((u) => u.includes('/api/v1/credentials/status/UNIA/revocation/0'))).toBe(true);

    const tampered = JSON.parse(JSON.stringify(credential).replace('"88"', '"98"'));
    const bad = await verifyCredential({ credential: tampered, knownDIDRegistries: [] });
    expect(bad.errors?.[0]?.name ?? step(bad, 'valid_signature')?.valid).not.toBe(true);
    expect(step(bad, 'valid_signature')?.valid).not.toBe(true);

    const registrar = as(app, { cookie: await signIn(app, 'registrar.a') });
    expect((await registrar({ method: 'POST', url: `/api/v1/credentials/${issued.id}/revoke`, payload: { reason: 'issued in error' } })).statusCode).toBe(200);
    const revoked = await verifyCredential({ credential, knownDIDRegistries: [] });
    expect(step(revoked, 'valid_signature')).toMatchObject({ valid: true });
    expect(step(revoked, 'revocation_status')).toMatchObject({ valid: false });
  });
});
