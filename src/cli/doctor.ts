// `creditbank doctor`: checks a deployment the way an operator would before going live or after a
// restore: settings, the database and its version, migrations, the master key and every sealed key,
// the transparency log, backups' tools and disk space. Reads only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { loadConfig, missingProductionSettings, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrationStatus, rowsOf, serverVersion } from '../db/status.js';
import { trustOf, unseal, type Trust } from '../modules/credentials/trust.js';
import { openLog, verifyLog } from '../modules/log/service.js';
import { latestCheckpoint } from './backup.js';

export type Verdict = 'ok' | 'warn' | 'fail';
export interface Check {
  name: string;
  verdict: Verdict;
  detail: string;
}

const GiB = 1024 ** 3;

export async function doctor(env: NodeJS.ProcessEnv = process.env, opts: { skipLog?: boolean } = {}): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (name: string, verdict: Verdict, detail: string) => checks.push({ name, verdict, detail });

  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    add('settings', 'fail', err instanceof Error ? err.message : String(err));
    return checks;
  }
  const missing = missingProductionSettings(env);
  for (const m of missing) add('settings', 'fail', `missing ${m}`);
  if (missing.length === 0) {
    const local = /^https?:\/\/(localhost|127\.|\[::1\])/.test(config.publicUrl);
    add(
      'settings',
      local && (config.production || config.databaseUrl) ? 'warn' : 'ok',
      `PUBLIC_URL ${config.publicUrl}${local ? ' (only this machine can follow its links)' : ''}; ${config.production ? 'production' : `NODE_ENV=${env.NODE_ENV ?? 'development'}`}; background jobs ${config.backgroundJobs ? 'on' : 'off'}`,
    );
  }

  let trust: Trust | undefined;
  try {
    trust = trustOf({ ...config, masterKey: 'file' in config.masterKey ? { ...config.masterKey, create: false } : config.masterKey });
    add(
      'master key',
      'ok',
      'base64' in config.masterKey
        ? 'from CREDENTIALS_MASTER_KEY'
        : `from ${config.masterKey.file} (back it up apart from the database: creditbank master-key)`,
    );
  } catch (err) {
    add('master key', 'fail', err instanceof Error ? err.message : String(err));
  }

  let database: Database | undefined;
  try {
    database = await openDatabase(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir }, {
      migrate: false,
    });
  } catch (err) {
    add('database', 'fail', err instanceof Error ? err.message : String(err));
  }
  if (database) {
    try {
      const version = await serverVersion(database.db);
      const major = Number(/PostgreSQL (\d+)/.exec(version)?.[1] ?? 0);
      add(
        'database',
        major >= 14 ? 'ok' : 'warn',
        `${database.backend} at ${database.location}: ${version.split(' on ')[0]}${major >= 14 ? '' : ' (PostgreSQL 14 or newer is supported)'}`,
      );
      if (database.backend === 'postgres') {
        const size = rowsOf<{ b: string }>(await database.db.execute(sql`select pg_database_size(current_database())::text as b`))[0]?.b;
        add('database size', 'ok', `${(Number(size) / GiB).toFixed(2)} GiB`);
      }
      const status = await migrationStatus(database.db);
      if (status.newer) add('migrations', 'fail', 'the database was migrated by a newer version of the bank: run that version');
      else if (status.pending.length)
        add(
          'migrations',
          'fail',
          `${status.pending.length} not applied (${status.pending.slice(0, 3).join(', ')}${status.pending.length > 3 ? ', …' : ''}): run creditbank migrate, or start the server`,
        );
      else add('migrations', 'ok', `${status.applied} applied, none waiting`);

      if (trust && status.pending.length === 0) {
        const keys = rowsOf<{ institution_id: string; public_key_multibase: string; secret_key_sealed: string }>(
          await database.db.execute(sql`select institution_id, public_key_multibase, secret_key_sealed from issuer_keys`),
        );
        let bad = 0;
        for (const k of keys) {
          try {
            unseal(trust, k.secret_key_sealed, `${k.institution_id}:${k.public_key_multibase}`);
          } catch {
            bad++;
          }
        }
        let logKey = 'the log’s signing key unseals';
        let logOk = true;
        try {
          if (process.env.LOG_SIGNING_KEY) logKey = 'the log signs with LOG_SIGNING_KEY';
          else await openLog(database.db, trust);
        } catch (err) {
          logOk = false;
          logKey = `the log’s signing key does not unseal (${err instanceof Error ? err.message : String(err)})`;
        }
        add(
          'sealed keys',
          bad || !logOk ? 'fail' : 'ok',
          `${keys.length - bad} of ${keys.length} issuer keys unseal; ${logKey}${bad || !logOk ? ': the master key is not the one this database was sealed with' : ''}`,
        );
        if (!opts.skipLog && logOk) {
          const started = performance.now();
          const res = await verifyLog(database.db);
          const cp = await latestCheckpoint(database);
          add(
            'transparency log',
            res.findings.length ? 'fail' : 'ok',
            `${res.entries} entries, ${res.checkpoints} checkpoints verified in ${((performance.now() - started) / 1000).toFixed(1)} s${cp ? `; latest checkpoint ${cp.size} ${cp.root}` : ''}${res.findings.length ? `; ${res.findings.length} problems (creditbank log verify names them)` : ''}`,
          );
        }
      }
    } catch (err) {
      add('database', 'fail', err instanceof Error ? err.message : String(err));
    } finally {
      await database.close();
    }
  }

  if (config.databaseUrl) {
    try {
      const v = execFileSync('pg_dump', ['--version'], { encoding: 'utf8' }).trim();
      add('backup tools', 'ok', `${v} (creditbank backup needs it at least the server's version)`);
    } catch {
      add('backup tools', 'warn', 'pg_dump is not installed here: creditbank backup needs PostgreSQL’s client programs (apt-get install postgresql-client)');
    }
  }

  try {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const st = fs.statfsSync(config.dataDir);
    const free = st.bavail * st.bsize;
    const share = st.bavail / st.blocks;
    add('disk space', free < GiB || share < 0.1 ? 'warn' : 'ok', `${(free / GiB).toFixed(1)} GiB free (${Math.round(share * 100)}%) at ${config.dataDir}`);
  } catch (err) {
    add('disk space', 'warn', `cannot read the free space of ${config.dataDir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return checks;
}
