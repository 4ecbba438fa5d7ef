// The quality figures' daily ledger totals: brought up to date in the background, so that reading
// the figures over tens of millions of postings sums a few thousand rows and the latest postings.
import type { Db } from '../../db/connection.js';
import * as store from './store.js';

/** Adds every finished transaction's postings to the daily totals; returns how many it added. */
export async function refreshLedgerDaily(db: Db, offset: string): Promise<number> {
  return db.transaction((tx) => store.refreshLedgerDaily(tx, offset));
}
