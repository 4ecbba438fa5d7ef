// The transparency log on both backends: every posting is logged in its own transaction, the
// sequencer signs checkpoints that witnesses can check, proofs verify with the RFC 9162
// algorithms, and `log verify` names each posting or entry changed, deleted, inserted or reordered
// behind the application's back.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNote, parseCheckpoint, parseVerifierKey } from '../../core/merkle/note.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../../core/merkle/tree.js';
import type { App } from '../../http/types.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/db.js';
import { as, makeAlliance, makeApp, signIn, type Alliance } from '../../test/fixture.js';
import { createCourses } from '../catalog/service.js';
import { recordCourseResult } from '../outcomes/service.js';
import { leafData } from './entries.js';
import { verifyLog } from './service.js';

describe.each(backends)('transparency log on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let alliance: Alliance;
  const rows = async <T>(q: ReturnType<typeof sql>) => ((await database.db.execute(q)) as unknown as { rows: T[] }).rows;
  const record = (code: string, term: string, grade: string) =>
    recordCourseResult(database.db, alliance.admin, alliance.a.id, {
      externalId: 'A001',
      courseCode: code,
      term,
      attempt: 1,
      grade,
      completedOn: '2024-01-15',
    });
  const checkpoint = async () => {
    const key = parseVerifierKey((await app.inject({ method: 'GET', url: '/api/v1/log/key' })).body);
    const note = (await app.inject({ method: 'GET', url: '/api/v1/log/checkpoint' })).body;
    return parseCheckpoint(openNote(note, [key]).text);
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    alliance = await makeAlliance(database);
    app = await makeApp(database);
    await record('CS101', '2023-2024-1', '88');
    await record('MA101', '2023-2024-1', '75');
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('logs every posting and serves a signed checkpoint of them', async () => {
    const c = await checkpoint();
    const [{ n }] = (await rows<{ n: number }>(sql`select count(*)::int as n from ledger_postings`)) as [{ n: number }];
    expect(c.size).toBe(n);
    expect(c.size).toBeGreaterThanOrEqual(2);
    expect(c.origin).toMatch(/\//);
  });

  it('proves a posting is in the log, to its learner, with the RFC 9162 algorithm', async () => {
    const c = await checkpoint();
    const alice = as(app, { cookie: await signIn(app, 'alice') });
    const res = await alice({ method: 'GET', url: `/api/v1/learners/${alliance.alice.id}/ledger/1/proof` });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(JSON.parse(p.payload)).toMatchObject({ type: 'ledger.posting', learnerId: alliance.alice.id, seq: 1, kind: 'deposit' });
    const leaf = leafHash(leafData(p.index, p.payload));
    expect(leaf.toString('base64')).toBe(p.leafHash);
    expect(
      verifyInclusion(
        p.index,
        p.size,
        leaf,
        p.proof.map((x: string) => Buffer.from(x, 'base64')),
        c.root,
      ),
    ).toBe(true);
    const bob = as(app, { cookie: await signIn(app, 'bob') });
    expect((await bob({ method: 'GET', url: `/api/v1/learners/${alliance.alice.id}/ledger/1/proof` })).statusCode).toBe(404);
  });

  it('proves each new checkpoint extends the old one', async () => {
    const old = await checkpoint();
    await createCourses(database.db, alliance.admin, alliance.a.id, [
      { code: 'PH101', titleZh: '大学物理', titleEn: 'Physics', credits: '2', hours: 32, iscedCode: '0533' },
    ]);
    await record('PH101', '2023-2024-2', '91'); // another course passed: another posting
    const now = await checkpoint();
    expect(now.size).toBe(old.size + 1);
    const res = (await app.inject({ method: 'GET', url: `/api/v1/log/consistency?from=${old.size}&to=${now.size}` })).json();
    expect(
      verifyConsistency(
        old.size,
        now.size,
        old.root,
        now.root,
        res.proof.map((x: string) => Buffer.from(x, 'base64')),
      ),
    ).toBe(true);
    expect((await app.inject({ method: 'GET', url: `/api/v1/log/consistency?from=${now.size + 5}` })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/log/consistency?from=-1' })).statusCode).toBe(400);
  });

  it('verifies an untouched log, then names each posting or entry changed behind its back', async () => {
    await checkpoint();
    expect((await verifyLog(database.db)).findings).toEqual([]);
    const aliceRef = (seq: number) => `${alliance.alice.id}:${seq}`;

    // A posting changed directly in SQL.
    await database.db.execute(sql`update ledger_postings set amount = 50 where learner_id = ${alliance.alice.id} and seq = 1`);
    let f = (await verifyLog(database.db)).findings;
    expect(f).toEqual([expect.objectContaining({ what: 'altered', ref: aliceRef(1) })]);

    // One deleted.
    await database.db.execute(sql`delete from ledger_postings where learner_id = ${alliance.alice.id} and seq = 2`);
    f = (await verifyLog(database.db)).findings;
    expect(f).toContainEqual(expect.objectContaining({ what: 'deleted', ref: aliceRef(2) }));

    // One inserted without going through the ledger.
    await database.db.execute(sql`insert into ledger_postings (learner_id, seq, kind, amount, unit, from_state, to_state, cause_type, cause_id)
      values (${alliance.alice.id}, 99, 'deposit', 30, 'credit', null, 'available', 'outcome', 'forged')`);
    f = (await verifyLog(database.db)).findings;
    expect(f).toContainEqual(expect.objectContaining({ what: 'inserted', ref: aliceRef(99) }));

    // Two log entries swapped.
    await database.db.execute(sql`update log_entries set idx = -1 where idx = 0`);
    await database.db.execute(sql`update log_entries set idx = 0 where idx = 1`);
    await database.db.execute(sql`update log_entries set idx = 1 where idx = -1`);
    f = (await verifyLog(database.db)).findings;
    expect(
      f
        .filter((x) => x.what === 'reordered')
        .map((x) => x.entry)
        .sort(),
    ).toEqual([0, 1]);

    // What a witness keeps: the checkpoint as it is now.
    const witness = (await app.inject({ method: 'GET', url: '/api/v1/log/checkpoint' })).body;
    // A log entry rewritten with a fresh leaf hash: only the signed checkpoints catch that.
    const [e] = await rows<{ payload: string }>(sql`select payload from log_entries where idx = 2`);
    const forged = e!.payload.replace(/"amount":"[^"]+"/, '"amount":"99"');
    await database.db.execute(sql`update log_entries set payload = ${forged}, leaf_hash = ${leafHash(leafData(2, forged))} where idx = 2`);
    f = (await verifyLog(database.db)).findings;
    expect(f).toContainEqual(expect.objectContaining({ what: 'checkpoint' }));

    // An operator who also re-signs every checkpoint over the rewritten log is caught by the witness.
    await database.db.execute(sql`delete from log_checkpoints`);
    await database.db.execute(sql`update log_entries set idx = null, leaf_hash = null`);
    await app.inject({ method: 'GET', url: '/api/v1/log/checkpoint' }); // the sequencer rebuilds and re-signs
    const resigned = await verifyLog(database.db, { witnessed: [{ label: 'w1', note: witness }] });
    // the sequencer refused every entry whose posting no longer matches it (altered, deleted, forged) …
    expect(
      resigned.findings
        .filter((x) => x.what === 'rejected')
        .map((x) => x.ref)
        .sort(),
    ).toEqual([aliceRef(1), aliceRef(2), aliceRef(3)].sort());
    // … so the re-signed log cannot match what the witness holds
    expect(resigned.findings.filter((x) => x.what === 'checkpoint').map((x) => x.detail)).toEqual([
      expect.stringMatching(/^witnessed checkpoint w1 (does not match|is beyond)/),
    ]);
  });

  it('refuses a forged entry: a second entry for a fact cannot be appended, and one for no fact is never sequenced', async () => {
    const [p] = await rows<{ learner_id: string; seq: number }>(
      sql`select learner_id, seq from ledger_postings where learner_id = ${alliance.bob.id} order by seq limit 1`,
    );
    expect(p).toBeUndefined(); // bob has no postings: make one
    const made = await recordCourseResult(database.db, alliance.admin, alliance.b.id, {
      externalId: 'B001',
      courseCode: 'SW101',
      term: '2023-2024-1',
      attempt: 1,
      grade: '优',
      completedOn: '2024-01-15',
    });
    const ref = `${alliance.bob.id}:${made.postings[0]!.seq}`;
    const [entry] = await rows<{ payload: string }>(sql`select payload from log_entries where kind = 'posting' and ref = ${ref}`);
    await expect(database.db.execute(sql`insert into log_entries (kind, ref, payload) values ('posting', ${ref}, ${entry!.payload})`)).rejects.toThrow();
    const forged = entry!.payload.replace(/"seq":\d+/, '"seq":77');
    await database.db.execute(sql`insert into log_entries (kind, ref, payload) values ('posting', ${`${alliance.bob.id}:77`}, ${forged})`);
    const before = await checkpoint();
    await app.inject({ method: 'GET', url: '/api/v1/log/checkpoint' });
    const [row] = await rows<{ idx: number | null; rejected: string | null }>(
      sql`select idx, rejected from log_entries where ref = ${`${alliance.bob.id}:77`}`,
    );
    expect(row).toEqual({ idx: null, rejected: 'does not match its source record' });
    expect((await checkpoint()).size).toBe(before.size);
    expect((await verifyLog(database.db)).findings).toContainEqual(expect.objectContaining({ what: 'rejected', ref: `${alliance.bob.id}:77` }));
  });

  it('names the places missing from the log, in the middle and at the end', async () => {
    // a bank of its own: the tests above tampered with this one's log
    const own = await openTestDatabase(backend);
    const ownApp = await makeApp(own);
    try {
      const fx = await makeAlliance(own);
      const codes = ['LG1', 'LG2', 'LG3', 'LG4', 'LG5'];
      await createCourses(
        own.db,
        fx.admin,
        fx.a.id,
        codes.map((code) => ({ code, titleZh: code, titleEn: code, credits: '2', hours: 32, iscedCode: '0533' })),
      );
      for (const code of codes)
        await recordCourseResult(own.db, fx.admin, fx.a.id, {
          externalId: 'A001',
          courseCode: code,
          term: '2023-2024-1',
          attempt: 1,
          grade: '90',
          completedOn: '2024-01-15',
        });
      await ownApp.inject({ method: 'GET', url: '/api/v1/log/checkpoint' }); // sequences and signs
      expect(await verifyLog(own.db)).toMatchObject({ entries: 5, findings: [] });
      await own.db.execute(sql`delete from log_entries where idx in (1, 2, 4)`);
      // read in ranges of 100,000 places, and of 2 (a gap across two ranges is still one)
      for (const batch of [undefined, 2]) {
        const { findings, entries } = await verifyLog(own.db, { batch });
        expect(entries).toBe(2);
        expect(findings.filter((x) => x.detail.startsWith('log entries')).map((x) => x.detail)).toEqual(['log entries 1…2 are missing']);
        // the last place gone leaves no gap: the signed checkpoint, now beyond the log, names it
        expect(findings).toContainEqual(expect.objectContaining({ what: 'checkpoint', detail: expect.stringContaining('is beyond the 2 entries') }));
      }
      await own.db.execute(sql`delete from log_entries where idx = 0`);
      expect((await verifyLog(own.db, { batch: 2 })).findings.filter((x) => x.detail.startsWith('log entries')).map((x) => x.detail)).toEqual([
        'log entries 0…2 are missing',
      ]);
    } finally {
      await ownApp.close();
      await own.drop();
    }
  });
});
