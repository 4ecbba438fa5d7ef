// Test databases: an in-memory PGlite always, and a fresh PostgreSQL database per test file when
// TEST_DATABASE_URL is set (created beside the one it names, dropped afterwards). TEST_BACKENDS
// (`pglite`, `postgres`, or both, comma-separated) narrows that: CI runs PostgreSQL on one Node.js
// and PGlite on another, so that two runtimes cost no more than one.
import { openDatabase, type Database } from '../db/connection.js';
import { createScratchDatabase } from '../db/scratch.js';

export type TestBackend = 'pglite' | 'postgres';

function chosenBackends(env: NodeJS.ProcessEnv): TestBackend[] {
  const available: TestBackend[] = env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  if (!env.TEST_BACKENDS) return available;
  const asked = env.TEST_BACKENDS.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const b of asked) {
    if (b !== 'pglite' && b !== 'postgres') throw new Error(`TEST_BACKENDS: unknown backend "${b}" (pglite, postgres)`);
    if (!available.includes(b)) throw new Error(`TEST_BACKENDS names ${b}, but TEST_DATABASE_URL is not set`);
  }
  return available.filter((b) => asked.includes(b));
}

export const backends: TestBackend[] = chosenBackends(process.env);

export interface TestDatabase extends Database {
  /** Opens another connection (pool) to the same database: a second server process. */
  reopen(options?: { prepare?: boolean }): Promise<Database>;
  drop(): Promise<void>;
}

export async function openTestDatabase(backend: TestBackend): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const d = await openDatabase({ kind: 'memory' });
    return { ...d, reopen: () => Promise.reject(new Error('PGlite is one connection')), drop: () => d.close() };
  }
  const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'cb_test');
  const d = await openDatabase({ kind: 'postgres', url: scratch.url });
  const others: Database[] = [];
  return {
    ...d,
    async reopen(options = {}) {
      const other = await openDatabase({ kind: 'postgres', url: scratch.url }, { ...options, migrate: false });
      others.push(other);
      return other;
    },
    async drop() {
      for (const o of others) await o.close();
      await d.close();
      await scratch.drop();
    },
  };
}
