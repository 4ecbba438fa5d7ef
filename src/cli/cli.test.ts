// The creditbank command, the data-directory lock, and configuration errors, as a newcomer meets them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { lockDataDir } from '../db/lock.js';
import { openDatabase } from '../db/connection.js';
import { importJobs, institutions } from '../db/schema.js';

const run = promisify(execFile);
const bin = path.resolve('bin/creditbank.js');
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** One data directory migrated and seeded by the command line, for the tests that read the demo (seeding takes a while). */
let seeded: Promise<{ dir: string; migrated: Awaited<ReturnType<typeof cli>>; seed: Awaited<ReturnType<typeof cli>> }> | undefined;
const seededDir = () =>
  (seeded ??= (async () => {
    const dir = tmp();
    const migrated = await cli(['migrate'], { DATA_DIR: dir });
    return { dir, migrated, seed: await cli(['seed'], { DATA_DIR: dir, DEMO_PASSWORD: 'cli-demo-pass' }) };
  })());

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, [bin, ...args], { env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('creditbank CLI', () => {
  it('prints help listing its commands', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['migrate', 'seed', 'create-admin']) expect(r.stdout).toContain(c);
  });

  it('rejects an unknown command with an error', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command/);
  });

  it('migrates, seeds an empty database once, and refuses to seed twice', async () => {
    const { dir, migrated, seed: seeded } = await seededDir();
    expect(migrated.stdout).toContain('Migrations applied: pglite');
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/learner\s+learner01/);
    expect(seeded.stdout).toContain('cli-demo-pass');
    const again = await cli(['seed'], { DATA_DIR: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not empty');
    expect(fs.existsSync(path.join(dir, 'creditbank.lock'))).toBe(false);
  }, 180_000);

  it('signs a checkpoint of the demo ledger, verifies the log, and names a posting changed behind its back', async () => {
    const { dir, seed } = await seededDir(); // this test alters a posting: it comes after the one above
    expect(seed.code).toBe(0);
    const cp = await cli(['log', 'checkpoint'], { DATA_DIR: dir });
    expect(cp.code).toBe(0);
    expect(cp.stdout).toMatch(/^creditbank\.example\/log\n\d+\n[A-Za-z0-9+/]{43}=\n\n— creditbank\.example\/log /);
    const ok = await cli(['log', 'verify'], { DATA_DIR: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/the log is intact/);
    const d = await openDatabase({ kind: 'pglite', dataDir: dir });
    await d.db.execute(
      sql`update ledger_postings set amount = amount + 1 where seq = 1 and learner_id = (select learner_id from ledger_postings order by learner_id limit 1)`,
    );
    await d.close();
    const bad = await cli(['log', 'verify'], { DATA_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^ALTERED entry \d+: posting [0-9a-f-]{36}:1 differs from what the log recorded$/m);
  }, 180_000); // four command-line runs, each opening the embedded database

  it('refuses to open a data directory another process holds, with a clear message', async () => {
    const dir = tmp();
    const release = lockDataDir(dir);
    try {
      const r = await cli(['migrate'], { DATA_DIR: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`in use by another credit bank process (pid ${process.pid})`);
    } finally {
      release();
    }
  });

  it('takes over a lock left by a process that died', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'creditbank.lock'), '999999999');
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'creditbank.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });

  it('marks an import cut off by a restart as failed when the embedded database opens again', async () => {
    const dir = tmp();
    expect((await cli(['create-admin', 'ops'], { DATA_DIR: dir, CREDITBANK_PASSWORD: 'a-long-password' })).code).toBe(0);
    let d = await openDatabase({ kind: 'pglite', dataDir: dir });
    const [inst] = await d.db.insert(institutions).values({ code: 'X', nameZh: '某', nameEn: 'X', kind: 'university', country: 'CN' }).returning();
    await d.db.insert(importJobs).values({ institutionId: inst!.id, kind: 'results', source: 'upload', mode: 'all_or_nothing', status: 'running' });
    await d.close();
    expect((await cli(['migrate'], { DATA_DIR: dir })).code).toBe(0);
    d = await openDatabase({ kind: 'pglite', dataDir: dir });
    const [job] = await d.db.select().from(importJobs);
    await d.close();
    expect(job).toMatchObject({ status: 'failed', committed: false, message: expect.stringMatching(/interrupted/) });
  });

  it('creates an administrator', async () => {
    const dir = tmp();
    const r = await cli(['create-admin', 'ops'], { DATA_DIR: dir, CREDITBANK_PASSWORD: 'a-long-password' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Administrator ops created.');
    const dup = await cli(['create-admin', 'ops'], { DATA_DIR: dir, CREDITBANK_PASSWORD: 'a-long-password' });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('taken');
  });
});

describe('configuration', () => {
  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ DEMO_PASSWORD: 'short' })).toThrow(/DEMO_PASSWORD/);
  });
  it('never seeds the demo in production', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemo).toBe(false);
    expect(loadConfig({ SEED_DEMO: '0' }).seedDemo).toBe(false);
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig({}).port).toBe(8080);
  });
});
