// Opens the database: embedded PGlite under DATA_DIR (default), in-memory PGlite for tests,
// or PostgreSQL through `pg` when a URL is given. Migrations apply on open.
import './wasm-tiering.js'; // first: before PGlite compiles its WebAssembly
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.js';
import { lockDataDir } from './lock.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A handle that can run queries: the database, or a transaction inside it. */
export type Executor = Db | Tx;

export type Backend = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  backend: Backend;
  /** Where the data lives, for messages: a directory, "memory", or the URL without its password. */
  location: string;
  /** PostgreSQL: the connection pool (its use is in /metrics; advisory locks take a connection of it). */
  pool?: pg.Pool;
  /** PGlite: the embedded database itself (a backup dumps its data directory). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export type DatabaseTarget = { kind: 'pglite'; dataDir: string } | { kind: 'memory' } | { kind: 'postgres'; url: string };

const here = path.dirname(fileURLToPath(import.meta.url));
/** The SQL migrations: beside this module (src/db, dist/db), or under dist/db when it runs bundled into dist/main.js. */
export const migrationsFolder =
  [path.join(here, 'migrations'), path.join(here, 'db', 'migrations')].find((d) => fs.existsSync(d)) ?? path.join(here, 'migrations');

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

/**
 * Applies the migrations on PostgreSQL under an advisory lock held by one connection: processes that
 * start together on an empty database take turns, and each after the first finds nothing to do.
 */
async function migrateLocked(pool: pg.Pool) {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(7263000)');
    try {
      await migratePg(drizzlePg(client, { schema }) as never, { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock(7263000)');
    }
  } finally {
    client.release();
  }
}

export async function openDatabase(target: DatabaseTarget, options: { migrate?: boolean; prepare?: boolean } = {}): Promise<Database> {
  const migrate = options.migrate ?? true;
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: 10 });
    // An idle connection the server closed (restart, failover) must not crash the process; the pool reconnects.
    pool.on('error', () => {});
    if (options.prepare ?? true) {
      const uses = new Map<string, number>();
      pool.on('connect', (client) => prepareFrequent(client, uses));
    }
    // numeric and bigint come back as strings; credits are parsed exactly in core/credits.
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    try {
      if (migrate) await migrateLocked(pool);
    } catch (err) {
      await pool.end();
      throw err;
    }
    let ended = false;
    const close = async () => {
      if (ended) return;
      ended = true;
      await pool.end();
    };
    return { db, backend: 'postgres', location: redact(target.url), pool, close };
  }
  const release = target.kind === 'pglite' ? lockDataDir(target.dataDir) : () => {};
  let client: PGlite | undefined;
  try {
    client = target.kind === 'pglite' ? new PGlite(path.join(target.dataDir, 'pglite')) : new PGlite();
    await client.waitReady;
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    if (migrate) await migratePglite(db as never, { migrationsFolder });
    const opened = client;
    let closed = false;
    return {
      db,
      backend: 'pglite',
      location: target.kind === 'pglite' ? target.dataDir : 'memory',
      pglite: opened,
      async close() {
        if (closed) return;
        closed = true;
        await opened.close();
        release();
      },
    };
  } catch (err) {
    await client?.close().catch(() => {});
    release();
    throw err;
  }
}

/** Uses of a statement's text after which it is prepared on each connection, and how many a connection keeps. */
const PREPARE_AFTER = 3;
const PREPARED_PER_CONNECTION = 256;

/**
 * Statements sent again and again are prepared under a name on each connection, as pgJDBC does after
 * a few uses: PostgreSQL then parses each once per connection and can keep its plan, where an unnamed
 * statement is parsed and planned on every request (84 % of the database's time on the learner's
 * account page). Only statements with parameters: a text without them may hold several statements,
 * which a prepared statement cannot. DATABASE_PREPARED_STATEMENTS=0 turns this off, for a pooler that
 * cannot keep named statements.
 */
function prepareFrequent(client: pg.PoolClient, uses: Map<string, number>) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const names = new Set<string>();
  client.query = ((config: unknown, values?: unknown, ...rest: unknown[]) => {
    const c = config as { text?: unknown; name?: unknown; submit?: unknown } | null;
    if (c && typeof c === 'object' && typeof c.text === 'string' && !c.name && !c.submit && Array.isArray(values) && values.length > 0) {
      const n = (uses.get(c.text) ?? 0) + 1;
      if (n <= PREPARE_AFTER) {
        if (uses.size >= 10_000) uses.clear();
        uses.set(c.text, n);
      }
      const name = `cb_${createHash('sha1').update(c.text).digest('hex').slice(0, 24)}`;
      if (n >= PREPARE_AFTER && (names.has(name) || names.size < PREPARED_PER_CONNECTION)) {
        names.add(name);
        return query({ ...c, name }, values, ...rest);
      }
    }
    return query(config, values, ...rest);
  }) as typeof client.query;
}
