// Background work that must run in one process at a time, however many share one PostgreSQL: a round
// runs only in the process that takes a session advisory lock (pg_try_advisory_lock) on a connection
// of its own; the others skip that round. A process that dies drops its connection and the lock with
// it. PGlite is one process by construction (the data directory is locked), so it always runs.
import type { Database } from './connection.js';

/** Advisory-lock keys (the migrator uses 7263000). */
export const JOB_LOCKS = { quality: 7263001, seed: 7263002 } as const;

/** Runs `work` if this process takes the lock named by `key`, else returns { ran: false } at once. */
export async function runExclusive<T>(database: Pick<Database, 'pool' | 'backend'>, key: number, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  if (database.backend !== 'postgres' || !database.pool) return { ran: true, value: await work() };
  const client = await database.pool.connect();
  let broken = false;
  try {
    const got = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [key]);
    if (!got.rows[0]?.ok) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key]).catch(() => {
        broken = true; // drop the connection: its lock goes with it
      });
    }
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Runs `work` while holding the lock named by `key`, waiting for it (pg_advisory_lock): processes
 * starting together take turns, as at the migrations. On PGlite it just runs.
 */
export async function runInTurn<T>(database: Pick<Database, 'pool' | 'backend'>, key: number, work: () => Promise<T>): Promise<T> {
  if (database.backend !== 'postgres' || !database.pool) return work();
  const client = await database.pool.connect();
  let broken = false;
  try {
    await client.query('select pg_advisory_lock($1)', [key]);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key]).catch(() => {
        broken = true; // drop the connection: its lock goes with it
      });
    }
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    client.release(broken);
  }
}
