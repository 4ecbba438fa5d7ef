// Background work that must run in one process at a time, however many share one PostgreSQL: a round
// runs only in the process that takes a session advisory lock (pg_try_advisory_lock) on a connection
// of its own; the others skip that round. A process that dies drops its connection and the lock with
// it. PGlite is one process by construction (the data directory is locked), so it always runs.
import type pg from 'pg';
import type { Database } from './connection.js';

/**
 * Session advisory-lock keys of this file. The one-number keys share one space with the transaction
 * locks elsewhere, so each is its own: 7263000 migrations (connection.ts), 7263001 the log sequencer,
 * 7263003 and 7263004 the quality figures (two-number keys such as (7263002, …) are another space).
 */
export const JOB_LOCKS = { quality: 7263011, seed: 7263012 } as const;

type Locking = Pick<Database, 'pool' | 'backend'>;

/**
 * On a connection of its own: `take` the lock, run `work` if it was taken, release it. A connection
 * whose release fails is dropped, and its lock with it. PGlite is one process: `work` just runs.
 */
async function onOwnConnection<T>(
  database: Locking,
  take: (client: pg.PoolClient) => Promise<boolean>,
  key: number,
  work: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  if (database.backend !== 'postgres' || !database.pool) return { ran: true, value: await work() };
  const client = await database.pool.connect();
  let broken = false;
  try {
    if (!(await take(client))) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key]).catch(() => {
        broken = true;
      });
    }
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    client.release(broken);
  }
}

/** Runs `work` if this process takes the lock named by `key`, else returns { ran: false } at once. */
export function runExclusive<T>(database: Locking, key: number, work: () => Promise<T>) {
  return onOwnConnection(
    database,
    async (c) => (await c.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [key])).rows[0]?.ok === true,
    key,
    work,
  );
}

/**
 * Runs `work` while holding the lock named by `key`, waiting for it (pg_advisory_lock): processes
 * starting together take turns, as at the migrations. On PGlite it just runs.
 */
export async function runInTurn<T>(database: Locking, key: number, work: () => Promise<T>): Promise<T> {
  const done = await onOwnConnection(database, async (c) => (await c.query('select pg_advisory_lock($1)', [key]), true), key, work);
  if (!done.ran) throw new Error('pg_advisory_lock waits until it has the lock');
  return done.value;
}
