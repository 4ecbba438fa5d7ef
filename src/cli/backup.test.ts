// Backup → wipe → restore gives the same bank: the same checkpoint root, a log that verifies, sealed
// keys that unseal with the master key kept apart. Bad input is refused with a clear error and
// changes nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/connection.js';
import { createScratchDatabase } from '../db/scratch.js';
import { currentKey } from '../modules/credentials/keys.js';
import { trustOf } from '../modules/credentials/trust.js';
import { checkpoint, openLog, verifyLog } from '../modules/log/service.js';
import { backends } from '../test/db.js';
import { TEST_MASTER_KEY } from '../test/fixture.js';
import { makeIntegrityBank } from '../test/integrity.js';
import { backup, latestCheckpoint, readHeader, restore } from './backup.js';
import { doctor } from './doctor.js';

const OTHER_KEY = Buffer.alloc(32, 9).toString('base64');

describe.each(backends)('backup and restore on %s', (backend) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-backup-'));
  let scratch: { url: string; drop: () => Promise<void> } | undefined;
  let env: Record<string, string>;
  let config: Config;
  let before: Awaited<ReturnType<typeof latestCheckpoint>>;
  const file = path.join(work, 'bank.backup');
  const open = (): Promise<Database> =>
    openDatabase(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir }, { migrate: false });

  beforeAll(async () => {
    if (backend === 'postgres') scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'cb_backup');
    env = {
      NODE_ENV: 'test',
      DATA_DIR: path.join(work, 'data'),
      DATABASE_URL: scratch?.url ?? '',
      CREDENTIALS_MASTER_KEY: TEST_MASTER_KEY,
      PUBLIC_URL: 'https://bank.example.edu.cn',
      SEED_DEMO: '0',
    };
    config = loadConfig(env);
    const d = await openDatabase(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir });
    try {
      const trust = trustOf(config);
      await openLog(d.db, trust);
      const bank = await makeIntegrityBank(d.db, 3);
      await currentKey(d.db, trust, bank.fx.a.id); // a sealed issuer key
      await checkpoint(d.db);
      before = await latestCheckpoint(d);
    } finally {
      await d.close();
    }
    expect(before?.size).toBeGreaterThan(5);
  }, 180_000);
  afterAll(async () => {
    await scratch?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('backs up, and after a wipe restores the same checkpoint root and a log that verifies', async () => {
    const b = await backup(config, file, { version: 'test' });
    expect(b.manifest).toMatchObject({ backend, checkpoint: before, version: 'test' });
    expect(fs.statSync(file).mode & 0o077).toBe(0); // readable by its owner only
    expect(readHeader(file).manifest.checkpoint).toEqual(before);

    // wipe
    if (backend === 'pglite') fs.rmSync(path.join(config.dataDir, 'pglite'), { recursive: true });
    else {
      const d = await open();
      await d.db.execute(sql`drop schema drizzle cascade; drop schema public cascade; create schema public`);
      await d.close();
    }
    const r = await restore(config, file);
    expect(r.checkpoint).toEqual(before);

    const d = await openDatabase(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir });
    try {
      await openLog(d.db, trustOf(config));
      const res = await verifyLog(d.db);
      expect(res.findings).toEqual([]);
      expect(res.entries).toBe(before!.size);
    } finally {
      await d.close();
    }
    const checks = await doctor(env);
    expect(checks.filter((c) => c.verdict === 'fail')).toEqual([]);
    expect(checks.find((c) => c.name === 'sealed keys')?.detail).toMatch(/^1 of 1 issuer keys unseal; the log’s signing key unseals/);
    expect(checks.find((c) => c.name === 'transparency log')?.detail).toContain(before!.root);
  }, 180_000);

  it('says which master key is wrong, and refuses to restore over a bank without --replace', async () => {
    const wrong = await doctor({ ...env, CREDENTIALS_MASTER_KEY: OTHER_KEY });
    expect(wrong.find((c) => c.name === 'sealed keys')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringMatching(/0 of 1 issuer keys unseal.*not the one this database was sealed with/),
    });

    await expect(restore(config, file)).rejects.toThrow(/already holds .*--replace/);
    const replaced = await restore(config, file, { replace: true });
    expect(replaced.checkpoint).toEqual(before);
    if (backend === 'pglite') {
      const aside = fs.readdirSync(config.dataDir).filter((f) => f.startsWith('pglite.before-restore-'));
      expect(aside).toHaveLength(1);
    }
  }, 180_000);

  it('refuses bad input with a clear error and changes nothing', async () => {
    await expect(backup(config, file, { version: 'test' })).rejects.toThrow(/exists: give another name, or --force/);
    await expect(backup(config, path.join(work, 'no/such/dir/b.backup'), { version: 'test' })).rejects.toThrow(/No such directory/);
    await expect(restore(config, path.join(work, 'missing.backup'), { replace: true })).rejects.toThrow(/No such file/);
    const text = path.join(work, 'notes.txt');
    fs.writeFileSync(text, 'hello\n');
    await expect(restore(config, text, { replace: true })).rejects.toThrow(/is not a credit bank backup: it does not start with "CREDITBANK-BACKUP 1"/);
    const gz = path.join(work, 'x.tgz');
    fs.writeFileSync(gz, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]));
    await expect(restore(config, gz, { replace: true })).rejects.toThrow(/bare gzip file/);
    const damaged = path.join(work, 'damaged.backup');
    fs.writeFileSync(damaged, 'CREDITBANK-BACKUP 1\n{not json\nxxxx');
    await expect(restore(config, damaged, { replace: true })).rejects.toThrow(/is damaged: its manifest cannot be read/);
    const empty = path.join(work, 'empty.backup');
    fs.writeFileSync(empty, `CREDITBANK-BACKUP 1\n${JSON.stringify({ ...readHeader(file).manifest })}\n`);
    await expect(restore(config, empty, { replace: true })).rejects.toThrow(/holds no database/);
    // a truncated database part: refused, and the bank that was there is still there
    const truncated = path.join(work, 'truncated.backup');
    const whole = fs.readFileSync(file);
    fs.writeFileSync(truncated, whole.subarray(0, readHeader(file).offset + 200));
    await expect(restore(config, truncated, { replace: true })).rejects.toThrow();
    // the other backend's backup
    const other = path.join(work, 'other.backup');
    const m = readHeader(file).manifest;
    fs.writeFileSync(
      other,
      `CREDITBANK-BACKUP 1\n${JSON.stringify({ ...m, backend: backend === 'pglite' ? 'postgres' : 'pglite', format: backend === 'pglite' ? 'pg_dump-custom' : 'pglite-datadir-tgz' })}\nxx`,
    );
    await expect(restore(config, other, { replace: true })).rejects.toThrow(backend === 'pglite' ? /set DATABASE_URL/ : /unset DATABASE_URL/);

    const d = await open();
    try {
      expect(await latestCheckpoint(d)).toEqual(before);
    } finally {
      await d.close();
    }
  }, 180_000);
});
