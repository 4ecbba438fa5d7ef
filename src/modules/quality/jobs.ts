// The quality module's background work, when the server runs it (BACKGROUND_JOBS): every ten
// minutes, bring the ledger's daily totals up to date and make any monthly report that is due.
// With several processes on one PostgreSQL, a round runs in whichever takes the advisory lock; the
// others skip it (src/db/exclusive.ts).
import { JOB_LOCKS, runExclusive } from '../../db/exclusive.js';
import type { App, Deps } from '../../http/types.js';
import { refreshLedgerDaily } from './ledger.js';
import { reportsIdle, scheduleReports } from './reports.js';

const EVERY = 10 * 60_000;

export function startQualityJobs(app: App, { database, config }: Deps) {
  const { db } = database;
  if (!config.backgroundJobs) return;
  const offset = config.reportUtcOffset;
  let running: Promise<void> | undefined;
  const round = () => {
    running ??= (async () => {
      try {
        const done = await runExclusive(database, JOB_LOCKS.quality, async () => ({
          added: await refreshLedgerDaily(db, offset),
          queued: await scheduleReports(db, offset),
        }));
        if (!done.ran) return; // another process is running this round
        const { added, queued } = done.value;
        if (added || queued) app.log.info({ postings: added, reports: queued }, 'quality: daily totals brought up to date, reports queued');
      } catch (err) {
        app.log.error({ err }, 'quality: background round failed; the next round tries again');
      } finally {
        running = undefined;
      }
    })();
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    setTimeout(round, 3_000).unref();
    timer = setInterval(round, EVERY).unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
    await reportsIdle();
  });
}
