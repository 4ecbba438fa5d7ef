// Boot: config → database (migrations apply on open) → demo seed on first start → listen.
import { buildApp } from './app.js';
import { openConfigured, seedIfEmpty } from './boot.js';
import { loadConfig } from './config.js';

async function main() {
  const config = loadConfig();
  const database = await openConfigured(config);
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`Database: ${database.backend} at ${database.location}`);
  await seedIfEmpty(database, config, print);
  const app = await buildApp({ database, config }, { logger: { level: config.logLevel } });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: closing`);
    try {
      await app.close();
    } finally {
      await database.close();
      process.exit(0);
    }
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
