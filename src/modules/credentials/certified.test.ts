// A certified outcome (learning outside a degree, certified into credits against a standard) as an
// OB 3.0 credential, on the demo data: issued by the reviewing institution, valid, and revoked with
// the certification.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeApp, signIn } from '../../test/fixture.js';
import { seedDemo } from '../demo/seed.js';

const PASSWORD = 'demo-password-1';

describe('credentials for certified outcomes (demo data)', () => {
  let database: TestDatabase;
  let app: App;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await seedDemo(database.db, { password: PASSWORD, today: '2026-09-01' });
    app = await makeApp(database, { PUBLIC_URL: 'https://bank.example.edu' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('issues the approved ICPC award certification as HXU, and revokes it when the certification is revoked', async () => {
    const learner = as(app, { cookie: await signIn(app, 'learner03', PASSWORD) });
    const apps = (await learner({ method: 'GET', url: '/api/v1/me/certifications' })).json();
    const icpc = (apps.items ?? apps).find((a: { status: string }) => a.status === 'approved');
    const res = await learner({ method: 'POST', url: '/api/v1/me/credentials', payload: { kind: 'certification', id: icpc.id } });
    expect(res.statusCode).toBe(201);
    const doc = res.json().document;
    expect(doc.issuer.id).toBe('did:web:bank.example.edu:issuers:HXU');
    expect(doc.credentialSubject.achievement).toMatchObject({ achievementType: 'Award', criteria: { narrative: expect.stringContaining('ICPC-REGIONAL') } });
    const verify = () => as(app)({ method: 'POST', url: '/api/v1/credentials/verify', payload: { verifiableCredential: doc } });
    expect((await verify()).json()).toMatchObject({ verified: true, status: 'valid' });

    const reviewer = as(app, { cookie: await signIn(app, 'reviewer.hxu', PASSWORD) });
    const detail = (await reviewer({ method: 'GET', url: `/api/v1/certifications/${icpc.id}` })).json();
    const revoked = await reviewer({ method: 'POST', url: `/api/v1/certifications/${icpc.id}/revoke`, payload: { reason: 'the organisers withdrew the award', version: detail.version } });
    expect(revoked.statusCode).toBe(200);
    expect((await verify()).json()).toMatchObject({ status: 'revoked', statusChange: { reason: 'Certification revoked: the organisers withdrew the award' } });

    const other = as(app, { cookie: await signIn(app, 'learner04', PASSWORD) });
    expect((await other({ method: 'POST', url: '/api/v1/me/credentials', payload: { kind: 'certification', id: icpc.id } })).statusCode).toBe(404);
  });
});
