// PostgreSQL: a statement sent a few times is prepared under a name on its connection, once; other
// statements (without parameters, or sent rarely) go as before, and the option turns it off.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from './connection.js';
import { backends, openTestDatabase, type TestDatabase } from '../test/db.js';

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
const prepared = async (tx: Executor) =>
  rowsOf<{ statement: string }>(await tx.execute(sql`select statement from pg_prepared_statements where statement like ${'select $1::int + 41%'}`));

describe.skipIf(!backends.includes('postgres'))('statements prepared on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('prepares a statement sent often, once per connection, and answers it the same', async () => {
    // a transaction keeps to one connection of the pool
    await database.db.transaction(async (tx) => {
      const answers: number[] = [];
      for (let i = 0; i < 6; i++) {
        answers.push(rowsOf<{ n: number }>(await tx.execute(sql`select ${i}::int + 41 as n`))[0]!.n);
        if (i === 0) expect(await prepared(tx)).toEqual([]); // sent once: not prepared
      }
      expect(answers).toEqual([41, 42, 43, 44, 45, 46]);
      expect(await prepared(tx)).toHaveLength(1);
      // several statements in one text, without parameters: sent as they are
      await tx.execute(sql.raw('select 1; select 2'));
    });
  });

  it('keeps working when a prepared statement fails, and after a transaction that failed around one', async () => {
    for (let i = 0; i < 4; i++) await expect(database.db.execute(sql`select 1 / ${0}::int`)).rejects.toThrow();
    const plus = (i: number, tx: Executor = database.db) => tx.execute(sql`select ${i}::int + 99 as n`);
    for (let i = 0; i < 4; i++) await plus(i); // prepared from here on
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`select 1 / ${0}::int`).catch(() => {}); // the transaction is aborted
        await plus(1, tx); // refused, whether or not its connection had prepared it
      }),
    ).rejects.toThrow();
    for (let i = 0; i < 12; i++) expect(rowsOf<{ n: number }>(await plus(i))[0]!.n).toBe(i + 99);
  });

  it('prepares nothing when turned off', async () => {
    const off = await database.reopen({ prepare: false });
    await off.db.transaction(async (tx) => {
      for (let i = 0; i < 6; i++) await tx.execute(sql`select ${i}::int + 41 as n`);
      expect(await prepared(tx)).toEqual([]);
    });
  });
});
