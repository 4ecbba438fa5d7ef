// `creditbank backup <file>` and `creditbank restore <file>`: the whole database in one file.
//
// A backup file is a header line, a JSON manifest line (backend, when, the bank's version, the
// migrations, the latest signed checkpoint) and then the database itself:
//   PGlite      the data directory as PGlite dumps it (a gzipped tar; the server must be stopped:
//               PGlite is one process);
//   PostgreSQL  `pg_dump --format=custom` of the bank's database (the server may keep running: the
//               dump is one consistent snapshot).
// The issuers' and the log's signing keys are in it, sealed under the master key. The master key is
// NOT in it: keep it apart (`creditbank master-key` prints it), or a stolen backup is a stolen bank.
// A restore checks that the checkpoint is the one the backup was taken at and verifies the log.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { Config } from '../config.js';
import { openDatabase, type Backend, type Database } from '../db/connection.js';
import { lockDataDir } from '../db/lock.js';
import { journal, migrationStatus, rowsOf } from '../db/status.js';

const MAGIC = 'CREDITBANK-BACKUP 1';

export interface Manifest {
  backend: Backend;
  createdAt: string;
  version: string;
  /** The last migration applied in the backed-up database. */
  migration: string | null;
  /** The latest signed checkpoint of the transparency log at the time of the backup (null: nothing logged yet). */
  checkpoint: { size: number; root: string } | null;
  /** How the database part is encoded. */
  format: 'pglite-datadir-tgz' | 'pg_dump-custom';
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

const print = (line: string) => process.stdout.write(`${line}\n`);

/** The latest signed checkpoint: its size and root hash (base64), read without sequencing anything. */
export async function latestCheckpoint(d: Pick<Database, 'db'>): Promise<Manifest['checkpoint']> {
  const exists = rowsOf<{ t: string | null }>(await d.db.execute(sql`select to_regclass('public.log_checkpoints')::text as t`))[0]?.t;
  if (!exists) return null;
  const row = rowsOf<{ size: string | number; root: Buffer | Uint8Array | string }>(
    await d.db.execute(sql`select size, root from log_checkpoints order by size desc limit 1`),
  )[0];
  if (!row) return null;
  const root = typeof row.root === 'string' ? Buffer.from(row.root.replace(/^\\x/, ''), 'hex') : Buffer.from(row.root);
  return { size: Number(row.size), root: root.toString('base64') };
}

async function manifestOf(d: Database, format: Manifest['format'], version: string): Promise<Manifest> {
  const status = await migrationStatus(d.db);
  const entries = journal();
  const applied = entries.filter((e) => !status.pending.includes(e.tag));
  return {
    backend: d.backend,
    createdAt: new Date().toISOString(),
    version,
    migration: status.newer ? 'newer than this build' : (applied.at(-1)?.tag ?? null),
    checkpoint: await latestCheckpoint(d),
    format,
  };
}

/** Runs a command; its stdin from `input` (if any), its stdout to `output`; rejects with its stderr. */
function run(
  cmd: string,
  args: string[],
  opts: { input?: Readable; output?: NodeJS.WritableStream; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: [opts.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
      signal: opts.signal,
      killSignal: 'SIGKILL',
    });
    let out = '';
    let err = '';
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new BackupError(`${cmd} is not installed here (PostgreSQL's client programs: apt-get install postgresql-client)`) : e),
    );
    if (opts.output) child.stdout!.pipe(opts.output as NodeJS.WritableStream, { end: false });
    else child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    if (opts.input) {
      opts.input.pipe(child.stdin!);
      child.stdin!.on('error', () => {}); // the child exiting early is reported by its exit code
    }
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new BackupError(`${cmd} failed (exit ${code}): ${err.trim().split('\n').slice(-5).join(' | ')}`)),
    );
  });
}

/** The major version of a PostgreSQL client program ("pg_dump (PostgreSQL) 15.20" → 15). */
async function clientMajor(cmd: string): Promise<number> {
  const out = await run(cmd, ['--version']);
  const m = /\(PostgreSQL\) (\d+)/.exec(out);
  if (!m) throw new BackupError(`Cannot read the version of ${cmd}: ${out.trim()}`);
  return Number(m[1]);
}

async function serverMajor(d: Database): Promise<number> {
  return Math.floor(Number(rowsOf<{ server_version_num: string }>(await d.db.execute(sql`show server_version_num`))[0]?.server_version_num) / 10000);
}

/** pg_dump must be at least the server's version; name the way out when it is not. */
async function checkClient(d: Database, cmd: string) {
  const [client, server] = [await clientMajor(cmd), await serverMajor(d)];
  if (client < server) {
    throw new BackupError(
      `${cmd} ${client} is older than the PostgreSQL server (${server}) and cannot read its databases: install postgresql-client-${server}, ` +
        `or run ${cmd} where the server runs (docker compose exec db ${cmd} …) with the same --format=custom`,
    );
  }
}

function pgUrl(config: Config): string {
  if (!config.databaseUrl) throw new BackupError('No DATABASE_URL');
  return config.databaseUrl;
}

/** Whether the bank's tables are in this database (a restore onto them needs --replace). */
async function holdsABank(d: Database): Promise<boolean> {
  return Boolean(rowsOf<{ t: string | null }>(await d.db.execute(sql`select to_regclass('public.ledger_postings')::text as t`))[0]?.t);
}

export interface BackupResult {
  file: string;
  bytes: number;
  seconds: number;
  manifest: Manifest;
}

/** Writes the backup of the configured database to `file` (refused if it exists, unless `force`). */
export async function backup(config: Config, file: string, opts: { force?: boolean; version: string }): Promise<BackupResult> {
  const started = performance.now();
  const target = path.resolve(file);
  if (fs.existsSync(target) && !opts.force) throw new BackupError(`${file} exists: give another name, or --force to overwrite it`);
  if (!fs.existsSync(path.dirname(target))) throw new BackupError(`No such directory: ${path.dirname(target)}`);
  const partial = `${target}.partial`;
  let database: Database | undefined;
  try {
    if (config.databaseUrl) {
      database = await openDatabase({ kind: 'postgres', url: pgUrl(config) }, { migrate: false });
      if (!(await holdsABank(database))) throw new BackupError(`${database.location} holds no credit bank to back up`);
      await checkClient(database, 'pg_dump');
      const manifest = await manifestOf(database, 'pg_dump-custom', opts.version);
      const out = fs.createWriteStream(partial, { mode: 0o600 });
      out.write(`${MAGIC}\n${JSON.stringify(manifest)}\n`);
      await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--compress=6', '--dbname', pgUrl(config)], { output: out });
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      fs.renameSync(partial, target);
      return { file: target, bytes: fs.statSync(target).size, seconds: (performance.now() - started) / 1000, manifest };
    }
    if (!fs.existsSync(path.join(config.dataDir, 'pglite')))
      throw new BackupError(`${config.dataDir} holds no embedded database (DATA_DIR); nothing to back up`);
    database = await openDatabase({ kind: 'pglite', dataDir: config.dataDir }, { migrate: false }); // refused while the server runs
    if (!(await holdsABank(database))) throw new BackupError(`${config.dataDir} holds no credit bank to back up`);
    const manifest = await manifestOf(database, 'pglite-datadir-tgz', opts.version);
    const dump = await database.pglite!.dumpDataDir('gzip');
    const fd = fs.openSync(partial, 'w', 0o600);
    try {
      fs.writeSync(fd, `${MAGIC}\n${JSON.stringify(manifest)}\n`);
      fs.writeSync(fd, Buffer.from(await dump.arrayBuffer()));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(partial, target);
    return { file: target, bytes: fs.statSync(target).size, seconds: (performance.now() - started) / 1000, manifest };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    await database?.close();
  }
}

/** Reads a backup's header: its manifest and where the database part starts. Throws a clear error for anything else. */
export function readHeader(file: string): { manifest: Manifest; offset: number } {
  if (!fs.existsSync(file)) throw new BackupError(`No such file: ${file}`);
  if (!fs.statSync(file).isFile()) throw new BackupError(`${file} is not a file`);
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(64 * 1024);
  const n = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const first = head.indexOf(0x0a);
  if (first < 0 || head.subarray(0, first).toString('latin1') !== MAGIC) {
    const what =
      head.subarray(0, 5).toString('latin1') === 'PGDMP'
        ? ' (it is a bare pg_dump archive: restore it with pg_restore)'
        : head[0] === 0x1f && head[1] === 0x8b
          ? ' (it is a bare gzip file)'
          : '';
    throw new BackupError(`${file} is not a credit bank backup${what}: it does not start with "${MAGIC}"`);
  }
  const second = head.indexOf(0x0a, first + 1);
  let manifest: Manifest;
  try {
    if (second < 0 || second >= n) throw new Error('no end of line');
    manifest = JSON.parse(head.subarray(first + 1, second).toString('utf8')) as Manifest;
  } catch {
    throw new BackupError(`${file} is damaged: its manifest cannot be read`);
  }
  if (!['pglite', 'postgres'].includes(manifest.backend) || !['pglite-datadir-tgz', 'pg_dump-custom'].includes(manifest.format)) {
    throw new BackupError(`${file} is damaged: unknown backend or format in its manifest`);
  }
  if (fs.statSync(file).size <= second + 1) throw new BackupError(`${file} is damaged: it holds no database after its manifest`);
  return { manifest, offset: second + 1 };
}

export interface RestoreResult {
  manifest: Manifest;
  seconds: number;
  /** The latest checkpoint after the restore (the same as the manifest's when all went well). */
  checkpoint: Manifest['checkpoint'];
}

/**
 * Restores a backup into the configured database: an empty one, or (with `replace`) one whose bank
 * is replaced. On PostgreSQL everything happens in one transaction (psql --single-transaction), so
 * a failed restore changes nothing; on PGlite the old data directory is kept beside the new one
 * (pglite.before-restore-<time>) until you delete it.
 */
export async function restore(config: Config, file: string, opts: { replace?: boolean } = {}): Promise<RestoreResult> {
  const started = performance.now();
  const { manifest, offset } = readHeader(file);
  if (manifest.backend === 'postgres' && !config.databaseUrl) {
    throw new BackupError(`${file} is a backup of a PostgreSQL bank: set DATABASE_URL to the database to restore it into`);
  }
  if (manifest.backend === 'pglite' && config.databaseUrl) {
    throw new BackupError(`${file} is a backup of the embedded database (PGlite): unset DATABASE_URL and set DATA_DIR to restore it`);
  }

  if (manifest.backend === 'postgres') {
    const url = pgUrl(config);
    const database = await openDatabase({ kind: 'postgres', url }, { migrate: false });
    try {
      const occupied = await holdsABank(database);
      if (occupied && !opts.replace)
        throw new BackupError(`${database.location} already holds a credit bank: restore into an empty database, or give --replace to replace it`);
      await checkClient(database, 'pg_restore');
      await checkClient(database, 'psql');
    } finally {
      await database.close();
    }
    // pg_restore turns the archive into SQL; psql runs it, after dropping the old bank, in one transaction
    const sqlText = new PassThrough();
    sqlText.on('error', () => {});
    // if pg_restore fails, psql is killed before it could commit: the server rolls its transaction back
    const abort = new AbortController();
    const restoring = run('pg_restore', ['--no-owner', '--no-privileges', '--file=-'], {
      input: fs.createReadStream(file, { start: offset }),
      output: sqlText,
    });
    restoring.then(
      () => sqlText.end(),
      () => {
        abort.abort();
        sqlText.end();
      },
    );
    const prelude = opts.replace ? ['-c', 'drop schema if exists drizzle cascade; drop schema if exists public cascade; create schema public;'] : [];
    const applying = run('psql', ['--no-psqlrc', '--quiet', '--single-transaction', '-v', 'ON_ERROR_STOP=1', '--dbname', url, ...prelude, '-f', '-'], {
      input: sqlText,
      signal: abort.signal,
    });
    const [r, a] = await Promise.allSettled([restoring, applying]);
    if (r.status === 'rejected')
      throw new BackupError(`${file} could not be restored, nothing was changed: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
    if (a.status === 'rejected')
      throw new BackupError(`${file} could not be restored, nothing was changed: ${a.reason instanceof Error ? a.reason.message : String(a.reason)}`);
    return finish(config, manifest, started);
  }

  const dir = path.join(config.dataDir, 'pglite');
  const release = lockDataDir(config.dataDir); // refused while a server runs on it
  let aside: string | undefined;
  try {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      if (!opts.replace)
        throw new BackupError(
          `${config.dataDir} already holds an embedded database: restore into an empty DATA_DIR, or give --replace to replace it (the old one is kept beside it)`,
        );
      aside = path.join(config.dataDir, `pglite.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      fs.renameSync(dir, aside);
    }
    const fd = fs.openSync(file, 'r');
    let data: Buffer<ArrayBuffer>;
    try {
      const size = fs.fstatSync(fd).size - offset;
      data = Buffer.alloc(size) as Buffer<ArrayBuffer>;
      fs.readSync(fd, data, 0, size, offset);
    } finally {
      fs.closeSync(fd);
    }
    let client: PGlite | undefined;
    try {
      client = new PGlite(dir, { loadDataDir: new Blob([data]) });
      await client.waitReady;
      await client.query('select 1');
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new BackupError(`${file} could not be restored: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await client?.close().catch(() => {});
    }
  } catch (err) {
    if (aside) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(aside, dir); // put the old database back: nothing changed
    }
    throw err;
  } finally {
    release();
  }
  if (aside) print(`The database that was there is kept in ${aside}: delete it once the restore is checked.`);
  return finish(config, manifest, started);
}

async function finish(config: Config, manifest: Manifest, started: number): Promise<RestoreResult> {
  const database = await openDatabase(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir }, {
    migrate: false,
  });
  try {
    const checkpoint = await latestCheckpoint(database);
    return { manifest, checkpoint, seconds: (performance.now() - started) / 1000 };
  } finally {
    await database.close();
  }
}
