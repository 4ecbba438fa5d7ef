// What start-up and the CLI share: open the configured database, seed the demo when asked.
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/connection.js';
import { JOB_LOCKS, runInTurn } from './db/exclusive.js';
import { generatePassword, isEmpty, seedDemo } from './modules/demo/seed.js';
import { trustOf } from './modules/credentials/trust.js';
import { failInterruptedJobs, heartbeat } from './modules/imports/service.js';
import { openLog } from './modules/log/service.js';

export async function openConfigured(config: Config, options: { migrate?: boolean } = {}): Promise<Database> {
  const database = await openDatabase(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir }, {
    ...options,
    prepare: config.preparedStatements,
  });
  heartbeat.ms = config.importHeartbeatSeconds * 1000;
  if (options.migrate !== false) await failInterruptedJobs(database.db, database.backend);
  await openLog(database.db, trustOf(config));
  return database;
}

/** Seeds the demo into an empty database and prints one login per role. */
export async function seedIfEmpty(database: Database, config: Config, print: (line: string) => void, force = false): Promise<boolean> {
  if (!force && !config.seedDemo) return false;
  // processes starting together on an empty PostgreSQL database take turns: the first seeds, the others find it seeded
  return runInTurn(database, JOB_LOCKS.seed, () => seedEmpty(database, config, print));
}

async function seedEmpty(database: Database, config: Config, print: (line: string) => void): Promise<boolean> {
  if (!(await isEmpty(database.db))) return false;
  const password = config.demoPassword ?? generatePassword();
  print('Seeding the demo alliance (SEED_DEMO=0 skips this)…');
  const { logins } = await seedDemo(database.db, { password, log: print });
  print('');
  print('Demo logins (one per role):');
  for (const l of logins) print(`  ${l.role.padEnd(10)} ${l.username.padEnd(16)} ${l.institution ?? ''}`);
  print(`  password: ${password}${config.demoPassword ? ' (from DEMO_PASSWORD)' : ' (generated; set DEMO_PASSWORD to choose one)'}`);
  print('');
  return true;
}
