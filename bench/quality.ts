// Quality indicators over a large ledger: the dashboard's whole answer (GET /api/v1/quality/indicators
// for a year, as an administrator) with the daily totals up to date and fresh postings written since,
// beside the same answer read from the postings alone. Also how long bringing the totals up to date
// from nothing takes.
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/connection.js';
import type { App } from '../src/http/types.js';
import { refreshLedgerDaily } from '../src/modules/quality/ledger.js';

export interface QualityFigures {
  postings: number;
  fresh: number;
  answer: number[];
  live: number[];
  refreshSeconds: number;
}

const OFFSET = '+08:00';

export async function benchQuality(database: Database, app: App, cookie: string, more: (n: number) => Promise<void>): Promise<QualityFigures> {
  const { db } = database;
  const count = async () =>
    Number(((await db.execute(sql`select count(*)::bigint as n from ledger_postings`)) as unknown as { rows: { n: string }[] }).rows[0]!.n);
  const ask = async () => {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url: '/api/v1/quality/indicators?from=2025-01-01&to=2026-01-01', headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`indicators answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    return (performance.now() - t) / 1000;
  };
  const times = async (n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(await ask());
    return out;
  };

  await db.execute(sql`delete from ledger_daily_state`);
  await db.execute(sql`delete from ledger_daily`);
  const live = await times(3); // no daily totals: every posting of the year is read
  const t = performance.now();
  await refreshLedgerDaily(db, OFFSET);
  const refreshSeconds = (performance.now() - t) / 1000;
  const before = await count();
  await more(1_250); // 10,000 postings written after the totals: read live
  const postings = await count();
  const answer = await times(7);
  return { postings, fresh: postings - before, answer, live, refreshSeconds };
}
