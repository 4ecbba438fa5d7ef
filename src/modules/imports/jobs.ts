// In the background: an import whose process died (kill -9, a lost machine) is failed and its
// staging table dropped, by any other process still running, within nine heartbeats.
import type { App, Deps } from '../../http/types.js';
import { failInterruptedJobs, heartbeat } from './service.js';

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
