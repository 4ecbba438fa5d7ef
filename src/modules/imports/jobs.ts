// In the background: an import whose process died (kill -9, a lost machine) is failed and its
// staging table dropped, by any other process still running, within nine heartbeats.
import type { App, Deps } from '../../http/types.js';
import { failInterruptedJobs, heartbeat } from './service.js';
import { sweepUploads, uploadsDir } from './uploads.js';

export function watchInterruptedImports(app: App, { database, config }: Deps) {
  heartbeat.ms = config.importHeartbeatSeconds * 1000;
  if (!config.backgroundJobs || database.backend !== 'postgres') return;
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      failInterruptedJobs(database.db, database.backend)
        .then((n) => n && app.log.warn({ jobs: n }, 'imports: jobs whose server stopped were failed'))
        .catch((err: unknown) => app.log.error({ err }, 'imports: could not check for interrupted jobs'));
    }, 3 * heartbeat.ms).unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}

const DAY = 86_400_000;

/** Deletes raw uploads older than UPLOAD_RETENTION_DAYS: at start, then daily (BACKGROUND_JOBS). */
export function sweepOldUploads(app: App, { config }: Deps) {
  if (!config.backgroundJobs) return;
  const round = () => {
    try {
      const removed = sweepUploads(uploadsDir(config.dataDir), config.uploadRetentionDays);
      if (removed) app.log.info({ files: removed, days: config.uploadRetentionDays }, 'imports: raw uploads past their retention deleted');
    } catch (err) {
      app.log.error({ err }, 'imports: could not delete old uploads; tomorrow tries again');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    round();
    timer = setInterval(round, DAY).unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}
