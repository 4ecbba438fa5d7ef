// Several server processes starting at the same moment on an empty PostgreSQL database: the
// migrations run once (under an advisory lock) and the transparency log gets one signing key,
// which every process then signs with. Each "process" here is its own connection pool.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { trustOf } from '../modules/credentials/trust.js';
import { openLog, sequence, verifierKey, verifyLog } from '../modules/log/service.js';
import { TEST_MASTER_KEY } from '../test/fixture.js';
import { openDatabase } from './connection.js';
import { createScratchDatabase } from './scratch.js';

describe.skipIf(!process.env.TEST_DATABASE_URL)('a fresh PostgreSQL database, many processes at once', () => {
  it('migrates once and makes one log key however many processes start together', async () => {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'cb_race');
    const trust = trustOf({ publicUrl: 'https://bank.example.edu', masterKey: { base64: TEST_MASTER_KEY } });
    try {
      const all = await Promise.all(Array.from({ length: 6 }, () => openDatabase({ kind: 'postgres', url: scratch.url })));
      try {
        await Promise.all(all.map((d) => openLog(d.db, trust)));
        const keys = new Set(await Promise.all(all.map((d) => verifierKey(d.db))));
        expect(keys.size).toBe(1);
        const [{ n }] = (
          (await all[0]!.db.execute(sql`select count(*)::int as n from bank_settings where key = 'log.signer'`)) as unknown as { rows: { n: number }[] }
        ).rows as [{ n: number }];
        expect(n).toBe(1);
        const [stored] = (
          (await all[0]!.db.execute(sql`select value from bank_settings where key = 'log.signer'`)) as unknown as { rows: { value: { sealed: string } }[] }
        ).rows;
        expect(stored!.value.sealed).toMatch(/^v1\./); // sealed under the master key, never in clear
        // each process signs a checkpoint; every one verifies under the one key
        for (const d of all) await sequence(d.db);
        expect((await verifyLog(all[0]!.db)).findings).toEqual([]);
      } finally {
        await Promise.all(all.map((d) => d.close()));
      }
    } finally {
      await scratch.drop();
    }
  });
});
