// LISTEN for one channel of the bank's database. PGlite delivers a notification before the statement
// that committed it returns (one process, one connection). PostgreSQL delivers it on a connection of
// its own, kept open and reconnected when lost; while it is down the caller is told (`lost`), since
// notifications sent meanwhile are gone.
import pg from 'pg';
import type { Database } from './connection.js';

export interface Listener {
  /**
   * Resolves once every notification committed before the call has been handled. On PostgreSQL a
   * round trip on the listening connection: the server sends a session's notifications before the
   * answer to its next statement.
   */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface Handlers {
  message(payload: string): void;
  /** Listening (again): notifications from now on will arrive. */
  ready(): void;
  /** Not listening: notifications may be missed until `ready` is called again. */
  lost(): void;
}

const RETRY_MS = 1_000;

export async function listen(database: Database, channel: string, on: Handlers): Promise<Listener> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Not a channel name: ${channel}`);
  if (database.pglite) {
    const unlisten = await database.pglite.listen(channel, on.message);
    on.ready();
    return { sync: async () => {}, close: () => unlisten() };
  }
  const options = database.pool!.options;
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    retry = undefined;
    const c = new pg.Client({ ...options, connectionString: options.connectionString });
    const drop = () => {
      if (client !== c) return;
      client = undefined;
      on.lost();
      c.end().catch(() => {});
      if (!closed) retry = setTimeout(connect, RETRY_MS).unref();
    };
    c.on('error', drop);
    c.on('end', drop);
    c.on('notification', (n) => {
      if (n.channel === channel) on.message(n.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch {
      c.end().catch(() => {});
      if (!closed) retry = setTimeout(connect, RETRY_MS).unref();
      return;
    }
    if (closed) return void (await c.end().catch(() => {}));
    client = c;
    on.ready();
  };
  await connect();
  return {
    async sync() {
      await client?.query('select 1').catch(() => {});
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      on.lost();
      await c?.end().catch(() => {});
    },
  };
}
