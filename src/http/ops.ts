// What an operator's tools ask of a running process: readiness (/api/ready), Prometheus metrics
// (/metrics), and a request id on every request's log lines and in its X-Request-Id header.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import client from 'prom-client';
import { z } from 'zod';
import { migrationStatus, rowsOf } from '../db/status.js';
import { problem, sendProblem } from './problem.js';
import { PUBLIC } from './guards.js';
import type { App, Deps } from './types.js';

/** A caller's X-Request-Id is kept when it is a plain token (a proxy's or a load balancer's); else a new UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
export function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
}

/** Whether the caller may read /metrics: the bearer METRICS_TOKEN, or, without one set, the loopback address only. */
function mayScrape(req: FastifyRequest, token: string | undefined): boolean {
  if (token) {
    const auth = req.headers.authorization ?? '';
    const given = Buffer.from(auth.startsWith('Bearer ') ? auth.slice(7).trim() : '');
    const want = Buffer.from(token);
    return given.length === want.length && crypto.timingSafeEqual(given, want);
  }
  const ip = req.socket.remoteAddress ?? '';
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Figures read from the database at a scrape, cached for a few seconds so that scrapers cannot load it. */
interface DbFigures {
  queues: { queue: string; state: string; n: number }[];
  imports: { kind: string; status: string; jobs: number; rows: number; seconds: number }[];
  logEntries: number;
  logUnsequenced: number;
  checkpointAgeSeconds: number | null;
}

async function readFigures(db: Deps['database']['db']): Promise<DbFigures> {
  const queues = rowsOf<{ queue: string; state: string; n: string | number }>(
    await db.execute(sql`
      select 'certification_applications' as queue, status as state, count(*) as n from certification_applications
        where status in ('submitted', 'more_info', 'committee', 'appealed') group by status
      union all select 'transfer_applications', status, count(*) from transfer_applications where status = 'submitted' group by status
      union all select 'evaluation_tasks', status, count(*) from evaluation_tasks where status = 'open' group by status
      union all select 'awards', status, count(*) from awards where status = 'applied' group by status
      union all select 'import_jobs', status, count(*) from import_jobs where status in ('queued', 'running') group by status`),
  ).map((r) => ({ queue: r.queue, state: r.state, n: Number(r.n) }));
  const imports = rowsOf<{ kind: string; status: string; jobs: string | number; rows: string | number | null; seconds: string | number | null }>(
    await db.execute(sql`
      select kind, status, count(*) as jobs, sum(rows_read) as rows,
             sum(extract(epoch from (finished_at - created_at))) as seconds
        from import_jobs where status in ('done', 'failed') group by kind, status`),
  ).map((r) => ({ kind: r.kind, status: r.status, jobs: Number(r.jobs), rows: Number(r.rows ?? 0), seconds: Number(r.seconds ?? 0) }));
  const log = rowsOf<{ size: string | number | null; age: string | number | null; unsequenced: string | number }>(
    await db.execute(sql`
      select (select max(size) from log_checkpoints) as size,
             (select extract(epoch from (now() - max(created_at))) from log_checkpoints) as age,
             (select count(*) from log_entries where idx is null and rejected is null) as unsequenced`),
  )[0];
  return {
    queues,
    imports,
    logEntries: Number(log?.size ?? 0),
    logUnsequenced: Number(log?.unsequenced ?? 0),
    checkpointAgeSeconds: log?.age === null || log?.age === undefined ? null : Number(log.age),
  };
}

export async function ops(app: App, { database, config }: Deps) {
  const { db } = database;
  let closing = false;
  app.addHook('onClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ req, res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime * 10) / 10 }, 'request completed');
  });

  app.get(
    '/api/ready',
    {
      schema: {
        tags: ['system'],
        summary: 'Readiness: the database answers and every migration of this build is applied (503 otherwise, and while stopping)',
        security: PUBLIC,
        response: { 200: z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']), migrations: z.number().int() }) },
      },
    },
    async (req, reply) => {
      if (closing) return sendProblem(reply, { ...problem(503, 'The server is stopping'), instance: req.url });
      let status;
      try {
        status = await migrationStatus(db);
      } catch {
        return sendProblem(reply, { ...problem(503, 'The database does not answer'), instance: req.url });
      }
      if (status.pending.length > 0) return sendProblem(reply, { ...problem(503, `Migrations not applied: ${status.pending.join(', ')}`), instance: req.url });
      return { status: 'ready' as const, database: database.backend, migrations: status.applied };
    },
  );

  const registry = new client.Registry();
  registry.setDefaultLabels({ backend: database.backend });
  client.collectDefaultMetrics({ register: registry, prefix: 'creditbank_' });
  const requests = new client.Counter({
    name: 'creditbank_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code',
    labelNames: ['route', 'method', 'status_code'],
    registers: [registry],
  });
  const latency = new client.Histogram({
    name: 'creditbank_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method',
    labelNames: ['route', 'method'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched'; // the pattern (/api/v1/learners/:id), never the raw path
    requests.inc({ route, method: req.method, status_code: String(reply.statusCode) });
    latency.observe({ route, method: req.method }, reply.elapsedTime / 1000);
  });

  let cached: { at: number; figures: Promise<DbFigures> } | undefined;
  const figures = () => {
    if (!cached || Date.now() - cached.at > 5_000) {
      cached = { at: Date.now(), figures: readFigures(db) };
      cached.figures.catch(() => (cached = undefined));
    }
    return cached.figures;
  };
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: client.Gauge) => Promise<void>) =>
    new client.Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await collect(this);
      },
    });
  gauge(
    'creditbank_queue_length',
    'Work waiting: certification applications, transfer applications, evaluation tasks, award applications, imports (by state)',
    ['queue', 'state'],
    async (g) => {
      for (const q of (await figures()).queues) g.set({ queue: q.queue, state: q.state }, q.n);
    },
  );
  gauge('creditbank_import_jobs', 'Finished imports in the database, by kind and status', ['kind', 'status'], async (g) => {
    for (const i of (await figures()).imports) g.set({ kind: i.kind, status: i.status }, i.jobs);
  });
  gauge('creditbank_import_rows', 'Rows read by finished imports, by kind and status', ['kind', 'status'], async (g) => {
    for (const i of (await figures()).imports) g.set({ kind: i.kind, status: i.status }, i.rows);
  });
  gauge(
    'creditbank_import_seconds',
    'Time taken by finished imports, summed (divide by creditbank_import_jobs for the mean), by kind and status',
    ['kind', 'status'],
    async (g) => {
      for (const i of (await figures()).imports) g.set({ kind: i.kind, status: i.status }, i.seconds);
    },
  );
  gauge('creditbank_log_entries', 'Entries in the transparency log (the size of its latest checkpoint)', [], async (g) => g.set((await figures()).logEntries));
  gauge('creditbank_log_unsequenced_entries', 'Log entries waiting for the sequencer', [], async (g) => g.set((await figures()).logUnsequenced));
  gauge('creditbank_log_checkpoint_age_seconds', 'Seconds since the latest signed checkpoint (absent before the first)', [], async (g) => {
    const age = (await figures()).checkpointAgeSeconds;
    if (age !== null) g.set(age);
  });
  gauge(
    'creditbank_db_pool_connections',
    'Database connections of this process: total, idle, and callers waiting for one (PGlite: one connection)',
    ['state'],
    async (g) => {
      const pool = database.pool;
      if (pool) {
        g.set({ state: 'total' }, pool.totalCount);
        g.set({ state: 'idle' }, pool.idleCount);
        g.set({ state: 'waiting' }, pool.waitingCount);
      } else {
        g.set({ state: 'total' }, 1);
      }
    },
  );

  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (!mayScrape(req, config.metricsToken)) {
      return sendProblem(reply, {
        ...problem(
          config.metricsToken ? 401 : 403,
          config.metricsToken ? 'Send the METRICS_TOKEN as a bearer token' : 'Set METRICS_TOKEN to scrape from another address',
        ),
        instance: req.url,
      });
    }
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
}
