// Personal data: staff reads of a learner's record are audited and listed for administrators, and an
// administrator's erasure removes the learner's personal data while the ledger and the log verify.
import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../core/identity.js';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, PASSWORD, signIn, type Alliance } from '../../test/fixture.js';
import { ERASURE_REASON } from '../credentials/erasure.js';
import type { Json } from '../credentials/loader.js';
import { sequence, verifyLog } from '../log/service.js';

const first17 = '11010519990307123';
const ID_NUMBER = `${first17}${residentIdCheckChar(first17)}`;
const holder17 = '11010520000412345';
const HOLDER_ID = `${holder17}${residentIdCheckChar(holder17)}`;

describe.each(backends)('personal data on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let fx: Alliance;
  let admin: ReturnType<typeof as>;
  let registrar: ReturnType<typeof as>;
  let alice: ReturnType<typeof as>;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    fx = await makeAlliance(database);
    app = await makeApp(database);
    admin = as(app, { cookie: await signIn(app, 'admin') });
    registrar = as(app, { cookie: await signIn(app, 'registrar.a') });
    alice = as(app, { cookie: await signIn(app, 'alice') });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("records who of the staff read a learner's record, and shows it to administrators only", async () => {
    expect((await registrar({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/account` })).statusCode).toBe(200);
    expect((await registrar({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ledger` })).statusCode).toBe(200);
    expect((await registrar({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/export.csv` })).statusCode).toBe(200);
    // the learner reading their own record is not a disclosure
    expect((await alice({ method: 'GET', url: '/api/v1/me/account' })).statusCode).toBe(200);
    expect((await alice({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/ledger` })).statusCode).toBe(200);

    const reads = await admin({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/reads` });
    expect(reads.statusCode, reads.body).toBe(200);
    const items = reads.json().items as { actorName: string; part: string }[];
    expect(items.map((i) => i.part)).toEqual(['export', 'ledger', 'account']);
    expect(items.every((i) => i.actorName)).toBe(true);
    expect(new Set(items.map((i) => i.actorName)).size).toBe(1); // the registrar, three times
    expect((await registrar({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/reads` })).statusCode).toBe(403);
    expect((await alice({ method: 'GET', url: `/api/v1/learners/${fx.alice.id}/reads` })).statusCode).toBe(403);
  });

  it('gives the learner everything the bank holds about them in one file, and who of the staff read it; to no one else', async () => {
    const res = await alice({ method: 'GET', url: '/api/v1/me/personal-data' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="personal-data-${fx.alice.id}.json"`);
    const data = res.json();
    expect(data).toMatchObject({
      learnerId: fx.alice.id,
      account: { learner: { id: fx.alice.id, fullName: '张爱丽', birthDate: '2002-05-01' }, enrolments: [{ externalId: 'A001' }] },
    });
    for (const part of ['ledger', 'credentials', 'corrections', 'erasureRequests', 'enrolmentRequests', 'notifications'])
      expect(Array.isArray(data[part]), part).toBe(true);
    // the registrar's three reads above, and not the learner's own (nor this export)
    expect((data.readBy as { part: string; by: string }[]).map((r) => r.part)).toEqual(['export', 'ledger', 'account']);
    expect((await alice({ method: 'GET', url: '/api/v1/me/personal-data' })).json().readBy).toHaveLength(3);

    // staff have no learner account of their own (as for /me/account)
    expect((await registrar({ method: 'GET', url: '/api/v1/me/personal-data' })).statusCode).toBe(
      (await registrar({ method: 'GET', url: '/api/v1/me/account' })).statusCode,
    );
    expect((await admin({ method: 'GET', url: '/api/v1/me/personal-data' })).json().learnerId).toBeUndefined();
    expect((await as(app)({ method: 'GET', url: '/api/v1/me/personal-data' })).statusCode).toBe(401);
  });

  it('lets a learner ask for a correction that a registrar of the institution answers, in the audit trail', async () => {
    const ask = { institutionId: fx.a.id, subject: 'birthDate', requested: '2002-05-10', reason: 'typo at enrolment' };
    expect((await registrar({ method: 'POST', url: '/api/v1/me/corrections', payload: ask })).statusCode).toBe(404); // not a learner
    expect((await alice({ method: 'POST', url: '/api/v1/me/corrections', payload: { ...ask, institutionId: fx.b.id } })).statusCode).toBe(404); // not enrolled there
    const made = await alice({ method: 'POST', url: '/api/v1/me/corrections', payload: ask });
    expect(made.statusCode, made.body).toBe(201);
    const id: string = made.json().id;
    expect(made.json()).toMatchObject({ status: 'open', subject: 'birthDate', learnerId: fx.alice.id });

    const otherRegistrar = as(app, { cookie: await signIn(app, 'registrar.b') });
    expect((await otherRegistrar({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/corrections` })).statusCode).toBe(403);
    expect((await otherRegistrar({ method: 'POST', url: `/api/v1/corrections/${id}/answer`, payload: { decision: 'accept', note: 'x' } })).statusCode).toBe(
      403,
    );
    expect((await alice({ method: 'POST', url: `/api/v1/corrections/${id}/answer`, payload: { decision: 'accept', note: 'x' } })).statusCode).toBe(403);
    const open = await registrar({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/corrections?status=open` });
    expect(open.json().items.map((c: { id: string }) => c.id)).toContain(id);

    const answered = await registrar({
      method: 'POST',
      url: `/api/v1/corrections/${id}/answer`,
      payload: { decision: 'accept', note: 'checked against the ID card; corrected' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'accepted', note: 'checked against the ID card; corrected' });
    expect((await registrar({ method: 'POST', url: `/api/v1/corrections/${id}/answer`, payload: { decision: 'reject', note: 'again' } })).statusCode).toBe(409);

    const mine = (await alice({ method: 'GET', url: '/api/v1/me/corrections' })).json().items;
    expect(mine).toEqual([expect.objectContaining({ id, status: 'accepted', answeredAt: expect.any(String) })]);
    const trail = (await admin({ method: 'GET', url: `/api/v1/audit-events?entityType=learner&entityId=${fx.alice.id}&limit=100` })).json().items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['correction.request', 'correction.accept']));
  });

  it("erases a learner's personal data and the ledger and the transparency log still verify", async () => {
    const made = await registrar({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/learners`,
      payload: {
        fullName: '王秘密',
        fullNameLatin: 'Wang Mimi',
        birthDate: '1999-03-07',
        email: 'mimi@example.cn',
        idType: 'resident_id',
        idNumber: ID_NUMBER,
        externalId: 'A777',
        login: { username: 'wang.mimi', password: PASSWORD },
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const learnerId: string = made.json().id;
    const result = { externalId: 'A777', courseCode: 'CS101', term: '2023-2024-1', grade: '91', completedOn: '2024-01-15' };
    expect((await registrar({ method: 'POST', url: `/api/v1/institutions/${fx.a.id}/outcomes`, payload: result })).statusCode).toBe(201);
    const before = (await admin({ method: 'GET', url: `/api/v1/learners/${learnerId}/account` })).json();
    expect(before.learner.fullName).toBe('王秘密');
    await sequence(database.db);

    expect(
      (await registrar({ method: 'POST', url: `/api/v1/learners/${learnerId}/erase`, payload: { reason: 'learner request 2026-12-01' } })).statusCode,
    ).toBe(403);
    const erased = await admin({ method: 'POST', url: `/api/v1/learners/${learnerId}/erase`, payload: { reason: 'learner request 2026-12-01' } });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().pseudonym).not.toContain('王');
    // a second request changes nothing
    expect((await admin({ method: 'POST', url: `/api/v1/learners/${learnerId}/erase`, payload: { reason: 'again' } })).json().erasedAt).toBe(
      erased.json().erasedAt,
    );

    const after = (await admin({ method: 'GET', url: `/api/v1/learners/${learnerId}/account` })).json();
    expect(after.balances).toEqual(before.balances);
    expect(after.outcomes).toHaveLength(before.outcomes.length);
    const text = JSON.stringify(after);
    for (const personal of ['王秘密', 'Wang Mimi', '1999-03-07', 'mimi@example.cn', ID_NUMBER, ID_NUMBER.slice(-4)])
      expect(text, personal).not.toContain(personal);
    // the sign-in is closed
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'wang.mimi', password: PASSWORD } })).statusCode).toBe(401);
    // nothing of the person is left in the database's learner, user and log rows
    const dump = JSON.stringify(
      await database.db.execute(sql`select (select row_to_json(l) from learners l where id = ${learnerId}) as l,
        (select json_agg(u) from users u where u.id = (select user_id from learners where id = ${learnerId})) as u,
        (select json_agg(payload) from log_entries) as log`),
    );
    for (const personal of ['王秘密', 'Wang Mimi', '1999-03-07', 'mimi@example.cn', ID_NUMBER, 'wang.mimi']) expect(dump, personal).not.toContain(personal);

    // what `creditbank log verify` runs: every entry, old and new, still matches its record
    await sequence(database.db);
    const verified = await verifyLog(database.db);
    expect(verified.findings).toEqual([]);
    expect(verified.entries).toBeGreaterThan(0);

    const audit = (await admin({ method: 'GET', url: `/api/v1/audit-events?entityType=learner&entityId=${learnerId}` })).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toContain('learner.erase');
  });

  it('revokes every credential issued to an erased learner: the status list sets their bits, a share link says revoked without the person, the log verifies', async () => {
    const made = await registrar({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/learners`,
      payload: {
        fullName: '赵持证',
        fullNameLatin: 'Zhao Chizheng',
        birthDate: '2000-04-12',
        idType: 'resident_id',
        idNumber: HOLDER_ID,
        externalId: 'A888',
        login: { username: 'zhao.cz', password: PASSWORD },
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const learnerId: string = made.json().id;
    const recorded = await registrar({
      method: 'POST',
      url: `/api/v1/institutions/${fx.a.id}/outcomes`,
      payload: { externalId: 'A888', courseCode: 'CS101', term: '2023-2024-1', grade: '90', completedOn: '2024-01-15' },
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const zhao = as(app, { cookie: await signIn(app, 'zhao.cz') });
    const issued = [];
    for (const cryptosuite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022']) {
      const res = await zhao({ method: 'POST', url: '/api/v1/me/credentials', payload: { kind: 'outcome', id: recorded.json().id, cryptosuite } });
      expect(res.statusCode, res.body).toBe(201);
      issued.push(res.json() as { id: string; document: Json });
    }
    const transcript = await zhao({
      method: 'POST',
      url: '/api/v1/me/credentials',
      payload: { kind: 'transcript', id: fx.a.id, cryptosuite: 'eddsa-jcs-2022' },
    });
    expect(transcript.statusCode, transcript.body).toBe(201);
    issued.push(transcript.json());
    const share = await zhao({ method: 'POST', url: `/api/v1/credentials/${issued[0]!.id}/shares`, payload: { days: 30 } });
    expect(share.statusCode, share.body).toBe(201);
    const anyone = as(app);
    const opened = await anyone({ method: 'GET', url: `/api/v1/shares/${share.json().id}` });
    expect(opened.json().verification.status).toBe('valid');
    expect(opened.body).toContain('Zhao Chizheng'); // before: the credential names its holder
    const verifyHeld = (doc: unknown) => anyone({ method: 'POST', url: '/api/v1/credentials/verify', payload: { verifiableCredential: doc } });
    expect((await verifyHeld(issued[0]!.document)).json().status).toBe('valid');

    const erased = await admin({ method: 'POST', url: `/api/v1/learners/${learnerId}/erase`, payload: { reason: 'learner request 2026-12-05' } });
    expect(erased.statusCode, erased.body).toBe(200);
    const personal = ['赵持证', 'Zhao Chizheng', '2000-04-12', HOLDER_ID];

    // the share link opens on a revoked credential that names no one, and not why
    const after = await anyone({ method: 'GET', url: `/api/v1/shares/${share.json().id}` });
    expect(after.statusCode, after.body).toBe(200);
    expect(after.json().verification).toMatchObject({ verified: false, status: 'revoked', holder: [], statusChange: null });
    for (const text of [...personal, ERASURE_REASON, 'learner request']) expect(after.body, text).not.toContain(text);
    expect(after.json().credential.proof).toBeUndefined();
    // a copy the holder gave away still verifies its signature and reads revoked, without the reason
    for (const c of issued) {
      const v = await verifyHeld(c.document);
      expect(v.json(), c.id).toMatchObject({
        verified: false,
        status: 'revoked',
        statusChange: null,
        errors: [{ code: 'revoked', message: 'Revoked by the issuer' }],
      });
      expect(v.body).not.toContain(ERASURE_REASON);
    }
    // the public status lists: the bits, nothing else
    for (const c of issued) {
      const entry = c.document.credentialStatus.find((e: { statusPurpose: string }) => e.statusPurpose === 'revocation');
      const list = await anyone({ method: 'GET', url: new URL(entry.statusListCredential).pathname });
      expect(list.statusCode).toBe(200);
      expect((await decodeList({ encodedList: list.json().credentialSubject.encodedList })).getStatus(Number(entry.statusListIndex))).toBe(true);
      expect(list.body).not.toContain(ERASURE_REASON);
    }
    // inside the bank: the issuer's registrar sees the revocation and its reason, the document without the person
    const atIssuer = await registrar({ method: 'GET', url: `/api/v1/credentials/${issued[0]!.id}` });
    expect(atIssuer.json()).toMatchObject({ status: 'revoked', statusReason: ERASURE_REASON });
    const listed = await registrar({ method: 'GET', url: `/api/v1/institutions/${fx.a.id}/credentials` });
    const stored = JSON.stringify(await database.db.execute(sql`select document from credentials where learner_id = ${learnerId}`));
    for (const text of personal) {
      expect(atIssuer.body, text).not.toContain(text);
      expect(listed.body, text).not.toContain(text);
      expect(stored, text).not.toContain(text);
    }

    // the ledger and the log, old entries and the revocations, verify
    await sequence(database.db);
    expect((await verifyLog(database.db)).findings).toEqual([]);
    const proof = await registrar({ method: 'GET', url: `/api/v1/credentials/${issued[0]!.id}/log` });
    expect(proof.statusCode, proof.body).toBe(200);
    // erasing again changes nothing
    expect((await admin({ method: 'POST', url: `/api/v1/learners/${learnerId}/erase`, payload: { reason: 'again' } })).statusCode).toBe(200);
    await sequence(database.db);
    expect((await verifyLog(database.db)).findings).toEqual([]);
  });
});
