// What an operator's probes and scrapers get: readiness, Prometheus metrics (and who may read them),
// a request id on each answer and on each of the request's log lines; production settings refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig, missingProductionSettings } from '../config.js';
import { migrationsFolder } from '../db/connection.js';
import { JOB_LOCKS, runExclusive, runInTurn } from '../db/exclusive.js';
import { lockSequencer } from '../modules/log/store.js';
import { migrationStatus } from '../db/status.js';
import { backends, openTestDatabase, type TestDatabase } from '../test/db.js';
import { makeApp, TEST_MASTER_KEY } from '../test/fixture.js';
import type { App } from './types.js';

describe('production settings', () => {
  it('asks nothing of a development start on the embedded database', () => {
    expect(missingProductionSettings({ NODE_ENV: 'development' })).toEqual([]);
    expect(missingProductionSettings({})).toEqual([]);
  });
  it('names each missing setting with NODE_ENV=production or a DATABASE_URL', () => {
    const prod = missingProductionSettings({ NODE_ENV: 'production' });
    expect(prod).toHaveLength(2);
    expect(prod[0]).toMatch(/^PUBLIC_URL \(NODE_ENV=production\)/);
    expect(prod[1]).toMatch(/^CREDENTIALS_MASTER_KEY or CREDENTIALS_MASTER_KEY_FILE/);
    const shared = missingProductionSettings({ DATABASE_URL: 'postgres://db/bank', PUBLIC_URL: 'https://bank.example.edu.cn' });
    expect(shared).toEqual([expect.stringMatching(/^CREDENTIALS_MASTER_KEY .*DATABASE_URL is set/)]);
    expect(
      missingProductionSettings({ DATABASE_URL: 'postgres://db/bank', PUBLIC_URL: 'https://x.cn', CREDENTIALS_MASTER_KEY_FILE: '/run/secrets/key' }),
    ).toEqual([]);
    expect(missingProductionSettings({ NODE_ENV: 'production', PUBLIC_URL: '', CREDENTIALS_MASTER_KEY: TEST_MASTER_KEY })).toEqual([
      expect.stringMatching(/^PUBLIC_URL/),
    ]);
  });
  it('starts the embedded database on baseline code for trying the bank, and optimises it in production unless told', () => {
    const key = { CREDENTIALS_MASTER_KEY: TEST_MASTER_KEY };
    expect(loadConfig({ ...key }).embeddedDbOptimize).toBe(false);
    expect(loadConfig({ ...key, NODE_ENV: 'production' }).embeddedDbOptimize).toBe(true);
    expect(loadConfig({ ...key, NODE_ENV: 'production', EMBEDDED_DB_OPTIMIZE: '0' }).embeddedDbOptimize).toBe(false);
    expect(loadConfig({ ...key, EMBEDDED_DB_OPTIMIZE: '1' }).embeddedDbOptimize).toBe(true);
    expect(() => loadConfig({ ...key, EMBEDDED_DB_OPTIMIZE: 'yes' })).toThrow(/EMBEDDED_DB_OPTIMIZE/);
  });

  it('refuses a short METRICS_TOKEN', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16/);
  });
});

describe.each(backends)('operations endpoints on %s', (backend) => {
  let database: TestDatabase;
  let app: App;
  let guarded: App;
  const lines: string[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-ops-'));

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, BACKGROUND_JOBS: '0', CREDENTIALS_MASTER_KEY: TEST_MASTER_KEY });
    app = await buildApp({ database, config }, { logger: { level: 'info', stream } });
    await app.ready();
    guarded = await makeApp(database, { METRICS_TOKEN: 'scrape-token-0123456789' });
  });
  afterAll(async () => {
    await guarded?.close();
    await app?.close();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is ready when every migration is applied, and says which are missing otherwise', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/ready' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ready', database: backend });
    const status = await migrationStatus(database.db);
    expect(status.pending).toEqual([]);
    expect(status.applied).toBe(status.expected);
    // a build that carries one more migration than the database has
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-journal-'));
    fs.mkdirSync(path.join(folder, 'meta'));
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8'));
    journal.entries.push({ idx: 99, version: '7', when: Date.now() + 1e9, tag: '0099_future', breakpoints: true });
    fs.writeFileSync(path.join(folder, 'meta/_journal.json'), JSON.stringify(journal));
    expect((await migrationStatus(database.db, folder)).pending).toEqual(['0099_future']);
    fs.rmSync(folder, { recursive: true });
  });

  it('gives every answer and every log line of a request its id, and keeps a proxy’s', async () => {
    lines.length = 0;
    const mine = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'lb-7f3a.1' } });
    expect(mine.headers['x-request-id']).toBe('lb-7f3a.1');
    const odd = await app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(odd.statusCode).toBe(404);
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const logged = lines.map((l) => JSON.parse(l) as { reqId?: string; msg: string });
    // one line per request, when it is answered, with the request's id
    expect(logged.filter((l) => l.msg === 'request completed')).toHaveLength(2);
    for (const l of logged) expect(l.reqId, l.msg).toBeTruthy();
    expect(logged.filter((l) => l.reqId === 'lb-7f3a.1')).toEqual([expect.objectContaining({ msg: 'request completed' })]);
  });

  it('serves Prometheus metrics to the loopback address, by route pattern', async () => {
    await app.inject({ method: 'GET', url: '/api/ready' });
    const r = await app.inject({ method: 'GET', url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = r.body;
    expect(text).toMatch(/creditbank_http_requests_total\{route="\/api\/ready",method="GET",status_code="200",backend="\w+"\} \d+/);
    expect(text).toMatch(/creditbank_http_request_duration_seconds_bucket\{le="0.005",backend="\w+",route="\/api\/health",method="GET"\} \d+/);
    expect(text).toMatch(/creditbank_http_requests_total\{route="unmatched",method="GET",status_code="404"/);
    for (const name of [
      'creditbank_queue_length',
      'creditbank_import_rows',
      'creditbank_import_seconds',
      'creditbank_log_entries',
      'creditbank_log_checkpoint_age_seconds',
      'creditbank_db_pool_connections',
      'creditbank_process_resident_memory_bytes',
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    expect(text).toMatch(/creditbank_db_pool_connections\{state="total",backend="\w+"\} \d+/);
    // another address is refused without METRICS_TOKEN set
    const far = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(far.statusCode).toBe(403);
    expect(far.headers['content-type']).toMatch(/problem\+json/);
  });

  it('asks for METRICS_TOKEN when one is set, from any address', async () => {
    expect((await guarded.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await guarded.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode).toBe(401);
    const ok = await guarded.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '203.0.113.9',
      headers: { authorization: 'Bearer scrape-token-0123456789' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('creditbank_http_requests_total');
  });

  it('runs a background round in one process at a time', async () => {
    if (backend === 'pglite') {
      expect(await runExclusive(database, JOB_LOCKS.quality, async () => 1)).toEqual({ ran: true, value: 1 });
      return;
    }
    const other = await database.reopen();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const first = runExclusive(database, JOB_LOCKS.quality, async () => {
      entered();
      await held;
      return 'first';
    });
    await inside;
    expect(await runExclusive(other, JOB_LOCKS.quality, async () => 'second')).toEqual({ ran: false });
    release();
    expect(await first).toEqual({ ran: true, value: 'first' });
    expect(await runExclusive(other, JOB_LOCKS.quality, async () => 'second')).toEqual({ ran: true, value: 'second' });
  });

  it('holds a background round without stopping another process sequencing the log (the keys are distinct)', async () => {
    if (backend === 'pglite') return;
    const other = await database.reopen();
    const done = await runExclusive(database, JOB_LOCKS.quality, () =>
      runInTurn(database, JOB_LOCKS.seed, () => other.db.transaction(async (tx) => (await lockSequencer(tx), 'sequenced'))),
    );
    expect(done).toEqual({ ran: true, value: 'sequenced' });
  });

  it('lets processes starting together take turns at the demo seed', async () => {
    if (backend === 'pglite') {
      expect(await runInTurn(database, JOB_LOCKS.seed, async () => 1)).toBe(1);
      return;
    }
    const other = await database.reopen();
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const first = runInTurn(database, JOB_LOCKS.seed, async () => {
      entered();
      await held;
      order.push('first done');
      return 'first';
    });
    await inside;
    const second = runInTurn(other, JOB_LOCKS.seed, async () => {
      order.push('second ran');
      return 'second';
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual([]); // waits for the lock rather than running beside the first
    release();
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
    expect(order).toEqual(['first done', 'second ran']);
    await expect(runInTurn(other, JOB_LOCKS.seed, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await runInTurn(database, JOB_LOCKS.seed, async () => 'free again')).toBe('free again'); // released after a failure too
  });
});
