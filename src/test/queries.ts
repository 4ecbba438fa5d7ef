// Counts the SQL statements a piece of code sends, on PGlite and on PostgreSQL alike, by wrapping
// the driver's `query` (the one call drizzle makes per statement). Tests use it to show that a
// page of a list costs the same number of queries whatever its length (no query per row).
import type { Database } from '../db/connection.js';

export interface QueryCounter {
  /** Statements sent since the counter started (or was last reset). */
  readonly count: number;
  reset(): void;
  /** Puts the driver's own functions back. */
  stop(): void;
}

const WRAPPED = Symbol('count this statement');

export function countQueries(database: Pick<Database, 'pglite' | 'pool'>): QueryCounter {
  let count = 0;
  const restore: (() => void)[] = [];
  const wrap = (target: object, name: 'query' | 'exec') => {
    const t = target as Record<string, unknown> & { [WRAPPED]?: boolean };
    const original = t[name];
    if (typeof original !== 'function') return;
    t[name] = function (this: unknown, ...args: unknown[]) {
      count++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    restore.push(() => {
      t[name] = original;
    });
  };
  if (database.pglite) wrap(database.pglite, 'query');
  let active = true;
  if (database.pool) {
    // every statement, pool.query's too, runs on a client the pool hands out: count there, once
    const pool = database.pool as unknown as { connect: (...a: unknown[]) => unknown };
    const connect = pool.connect;
    // a client outlives a counter (it goes back to the pool): wrap it once, and point it at the
    // counter that handed it out this time
    const instrument = (client: { query: (...a: unknown[]) => unknown; [WRAPPED]?: () => void }) => {
      if (!client) return client;
      if (!client[WRAPPED]) {
        const original = client.query;
        client.query = function (this: unknown, ...args: unknown[]) {
          client[WRAPPED]!();
          return original.apply(this, args);
        };
      }
      client[WRAPPED] = () => {
        if (active) count++;
      };
      return client;
    };
    pool.connect = function (this: unknown, ...args: unknown[]) {
      const cb = args[0];
      if (typeof cb === 'function') return connect.call(this, (err: unknown, client: never, done: unknown) => cb(err, client && instrument(client), done));
      return (connect.call(this) as Promise<never>).then(instrument);
    };
    restore.push(() => {
      pool.connect = connect;
    });
  }
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
    stop() {
      active = false;
      for (const r of restore.reverse()) r();
    },
  };
}
