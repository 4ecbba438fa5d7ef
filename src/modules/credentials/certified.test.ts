// Credentials for what the demo's workflows decide: a certified outcome (learning outside a degree,
// certified into credits against a standard), issued by the reviewing institution and revoked with
// the certification; and a credit transferred in, issued by the institution that accepted it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/types.js';
import { openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeApp, signIn } from '../../test/fixture.js';
import { seedDemo } from '../demo/seed.js';

const PASSWORD = 'demo-password-1';

describe('credentials for certified outcomes and transferred credits (demo data)', () => {
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
    const revoked = await reviewer({
      method: 'POST',
      url: `/api/v1/certifications/${icpc.id}/revoke`,
      payload: { reason: 'the organisers withdrew the award', version: detail.version },
    });
    expect(revoked.statusCode).toBe(200);
    expect((await verify()).json()).toMatchObject({ status: 'revoked', statusChange: { reason: 'Certification revoked: the organisers withdrew the award' } });

    const other = as(app, { cookie: await signIn(app, 'learner04', PASSWORD) });
    expect((await other({ method: 'POST', url: '/api/v1/me/credentials', payload: { kind: 'certification', id: icpc.id } })).statusCode).toBe(404);
  });

  it('issues a transferred credit as the institution that accepted it, naming where it came from', async () => {
    const learner = as(app, { cookie: await signIn(app, 'learner04', PASSWORD) });
    const institutions = (await learner({ method: 'GET', url: '/api/v1/institutions' })).json();
    const hxu = (institutions.items ?? institutions).find((i: { code: string }) => i.code === 'HXU');
    const check = (await learner({ method: 'POST', url: '/api/v1/transfer-checks', payload: { targetInstitutionId: hxu.id, mine: true } })).json();
    const matches = check.items.filter((v: { status: string }) => v.status === 'match').slice(0, 3);
    const application = (
      await learner({
        method: 'POST',
        url: '/api/v1/me/transfers',
        payload: { targetInstitutionId: hxu.id, outcomeIds: matches.map((v: { outcomeId: string }) => v.outcomeId) },
      })
    ).json();
    const accepted = application.lines.find((l: { proposal: { status: string } }) => l.proposal.status === 'match');
    const ask = () => learner({ method: 'POST', url: '/api/v1/me/credentials', payload: { kind: 'transfer', id: application.id, line: accepted.lineNo } });
    expect((await ask()).statusCode).toBe(409); // not decided yet
    const registrar = as(app, { cookie: await signIn(app, 'registrar.hxu', PASSWORD) });
    const lines = application.lines.map((l: { lineNo: number; proposal: { status: string } }) =>
      l.proposal.status === 'match' ? { lineNo: l.lineNo, decision: 'accept' } : { lineNo: l.lineNo, decision: 'reject', reason: 'no equivalent course' },
    );
    const decided = await registrar({ method: 'POST', url: `/api/v1/transfers/${application.id}/decide`, payload: { lines } });
    expect(decided.statusCode, decided.body).toBe(200);
    const res = await ask();
    expect(res.statusCode).toBe(201);
    const line = decided.json().lines.find((l: { lineNo: number }) => l.lineNo === accepted.lineNo);
    const doc = res.json().document;
    expect(res.json()).toMatchObject({ kind: 'transfer', subjectId: line.credentialSubject });
    expect(doc.issuer.id).toBe('did:web:bank.example.edu:issuers:HXU');
    expect(doc.credentialSubject.source).toMatchObject({ id: 'did:web:bank.example.edu:issuers:JNVC', type: ['Profile'] });
    expect(doc.credentialSubject.creditsEarned, JSON.stringify(line)).toBe(Number(line.credits));
    expect((await as(app)({ method: 'POST', url: '/api/v1/credentials/verify', payload: { verifiableCredential: doc } })).json()).toMatchObject({
      verified: true,
      status: 'valid',
    });
    expect((await ask()).json().id).toBe(res.json().id);
    expect((await learner({ method: 'POST', url: '/api/v1/me/credentials', payload: { kind: 'transfer', id: application.id } })).statusCode).toBe(400);
    expect((await learner({ method: 'POST', url: '/api/v1/me/credentials', payload: { kind: 'transfer', id: application.id, line: 9 } })).statusCode).toBe(404);
  });
});
