// Boot: config → database (migrations apply on open) → demo seed on first start → listen.
// The database opens while the HTTP modules load (both take a second or so); SIGTERM/SIGINT stop
// accepting, let running requests and jobs finish (SHUTDOWN_TIMEOUT_SECONDS), then close the database.
import module from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { openConfigured, seedIfEmpty } from './boot.js';
import { loadConfig, missingProductionSettings } from './config.js';

// Node 22.1+: keep the compiled JavaScript of the server and its dependencies between starts.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

async function main() {
  const missing = missingProductionSettings();
  if (missing.length > 0) throw new Error(`Refusing to start: set\n${missing.map((m) => `  ${m}`).join('\n')}`);
  const config = loadConfig();
  // The embedded database is PostgreSQL compiled to WebAssembly. V8 compiles it with its baseline
  // compiler, then re-optimises hot functions on background threads; on a small server that work holds
  // the start back (the first answer after 2.8 s instead of 1.45 s on two cores; `npm run bench -- --only
  // start`), and it makes a page's queries 10–30 % faster afterwards. Trying the bank (`npm start`) keeps
  // the baseline code; production optimises; EMBEDDED_DB_OPTIMIZE=0/1 decides either way. The flag must be
  // set before PGlite compiles its module; the CLI (imports, backups) always optimises.
  if (!config.databaseUrl && !config.embeddedDbOptimize) setFlagsFromString('--no-wasm-tier-up');
  const opening = openConfigured(config);
  opening.catch(() => {}); // awaited below; not an unhandled rejection while the modules load
  const loading = import('./app.js');
  loading.catch(() => {});
  const database = await opening;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`Database: ${database.backend} at ${database.location}`);
  let app: Awaited<ReturnType<Awaited<typeof loading>['buildApp']>>;
  try {
    await seedIfEmpty(database, config, print);
    const { buildApp } = await loading;
    app = await buildApp({ database, config }, { logger: { level: config.logLevel } });
  } catch (err) {
    await database.close();
    throw err;
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: no new connections; waiting for running requests and jobs');
    const timer = setTimeout(() => {
      app.log.error(`still busy after ${config.shutdownTimeoutSeconds} s (SHUTDOWN_TIMEOUT_SECONDS): exiting anyway`);
      process.exit(1);
    }, config.shutdownTimeoutSeconds * 1000);
    timer.unref();
    let code = 0;
    try {
      await app.close(); // onClose hooks: background jobs finish their round, imports mark themselves
    } catch (err) {
      app.log.error({ err }, 'closing the server failed');
      code = 1;
    }
    try {
      await database.close();
    } catch (err) {
      app.log.error({ err }, 'closing the database failed');
      code = 1;
    }
    app.log.info('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await database.close();
    throw err;
  }
  print(`Credit bank running at http://localhost:${config.port}/ (API docs at /api/docs)`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
