// The integrity stress harness (`npm run stress`; a small run is one of the tests): two server
// processes on one PostgreSQL database, a crowd of conflicting requests over HTTP (one credit sent
// to two targets, an award racing a transfer, two awards of one level, decisions at a cap's edge and
// decisions sent twice, Idempotency-Key bursts, retakes recorded at once, a grade correction racing
// a transfer of that result, erasure asked twice and decided both ways at once), then kill -9 at random
// moments of imports, transfers, awards, grade corrections and erasures, restarting the server each time. After the crowd and
// after every restart the invariants are counted by SQL (src/test/integrity.ts) and the
// transparency log is verified: every count must be 0.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { mulberry32 } from '../core/random.js';
import { openDatabase, type Database } from '../db/connection.js';
import { createScratchDatabase } from '../db/scratch.js';
import { createCourses } from '../modules/catalog/service.js';
import { verifyLog } from '../modules/log/service.js';
import { PASSWORD, TEST_MASTER_KEY } from './fixture.js';
import { breaches, makeIntegrityBank } from './integrity.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StressOptions {
  /** A PostgreSQL URL: a scratch database is made beside it and dropped afterwards. */
  url: string;
  /** Conflicting requests to send (at least). */
  attempts: number;
  /** kill -9 rounds. */
  kills: number;
  /** A seed for the random moments, so a run can be repeated. */
  seed?: number;
  log?: (line: string) => void;
}

export interface StressReport {
  attempts: number;
  answers: Record<string, number>;
  serverErrors: number;
  kills: number;
  /** Requests cut off by a kill (no answer). */
  cutOff: number;
  /** Imports failed on restart because their server died. */
  interruptedImports: number;
  breaches: Record<string, number>;
  /** After each kill: the breaches summed, stuck jobs, leftover staging tables. */
  afterKills: { breaches: number; stuckJobs: number; leftoverStages: number };
  /** Results corrected and learners erased, in the crowd and the kill rounds (the new write paths were exercised). */
  corrected: number;
  erased: number;
  logFindings: string[];
  logEntries: number;
  seconds: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

class Server {
  proc: ChildProcess | undefined;
  stderr = '';
  constructor(
    readonly port: number,
    readonly env: Record<string, string>,
  ) {}

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.stderr = '';
    this.proc = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
      cwd: root,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    const started = Date.now();
    for (;;) {
      if (this.proc.exitCode !== null) throw new Error(`the server on port ${this.port} stopped at start: ${this.stderr}`);
      try {
        if ((await fetch(`${this.base}/api/health`)).ok) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() - started > 90_000) throw new Error(`the server on port ${this.port} did not start: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async kill() {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  }
}

type Answer = { status: number; body: Record<string, unknown> };

export async function runStress(o: StressOptions): Promise<StressReport> {
  const started = performance.now();
  const log = o.log ?? (() => {});
  const rnd = mulberry32(o.seed ?? 20261205);
  const scratch = await createScratchDatabase(o.url, 'cb_stress');
  let database: Database | undefined;
  const servers: Server[] = [];
  try {
    // Seven kinds of conflict, four to eight requests each; a learner is used for one scenario, and
    // scenarios run until the attempts asked for are made.
    const crowd = Math.max(6, Math.ceil(o.attempts / 4));
    const reserve = Math.max(4, o.kills * 2);
    database = await openDatabase({ kind: 'postgres', url: scratch.url });
    const db = database.db;
    log(`seeding ${crowd + reserve} learners…`);
    const bank = await makeIntegrityBank(db, crowd + reserve);

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-stress-'));
    const ports = [await freePort(), await freePort()];
    const env = {
      DATABASE_URL: scratch.url,
      SEED_DEMO: '0',
      CREDENTIALS_MASTER_KEY: TEST_MASTER_KEY,
      PUBLIC_URL: `http://127.0.0.1:${ports[0]}`,
      LOG_LEVEL: 'error',
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      BACKGROUND_JOBS: '1',
      IMPORT_HEARTBEAT_SECONDS: '0.5',
      // one client address drives both servers: the per-address limits would only get in the way
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
    };
    for (const port of ports) servers.push(new Server(port, env));
    await Promise.all(servers.map((s) => s.start()));
    log(`two servers on ports ${ports.join(' and ')}`);

    // ---- HTTP
    const answers: Record<string, number> = {};
    let attempts = 0;
    let cutOff = 0;
    const cookies = new Map<string, string>();
    const signIn = async (username: string) => {
      if (cookies.has(username)) return cookies.get(username)!;
      const res = await fetch(`${servers[0]!.base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD }),
      });
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
      if (!res.ok || !cookie) throw new Error(`sign-in of ${username} failed: ${res.status}`);
      cookies.set(username, cookie);
      return cookie;
    };
    /** One request; counted as an attempt when `conflicting`. A request a kill cut off answers status 0. */
    const call = async (
      server: number,
      username: string,
      url: string,
      body?: unknown,
      headers: Record<string, string> = {},
      conflicting = true,
    ): Promise<Answer> => {
      if (conflicting) attempts++;
      try {
        const cookie = await signIn(username);
        const res = await fetch(`${servers[server]!.base}${url}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        answers[res.status] = (answers[res.status] ?? 0) + 1;
        return { status: res.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
      } catch {
        cutOff++;
        return { status: 0, body: {} };
      }
    };
    const post = (server: number, username: string, url: string, body: unknown, headers?: Record<string, string>) => call(server, username, url, body, headers);
    const ids = async (username: string) => {
      const rows = (await db.execute(sql`
        select o.id, c.code from outcomes o join courses c on c.id = o.course_id join learners l on l.id = o.learner_id join users u on u.id = l.user_id
        where u.username = ${username} and o.status = 'recorded' and o.attempt = 1`)) as unknown as { rows: { id: string; code: string }[] };
      const of = (code: string) => rows.rows.find((r) => r.code === code)!.id;
      return { CS101: of('CS101'), MA101: of('MA101') };
    };
    const B = bank.fx.b.id;
    const C = bank.c.id;
    const apply = (server: number, u: string, target: string, outcomeIds: string[], headers?: Record<string, string>) =>
      post(server, u, '/api/v1/me/transfers', { targetInstitutionId: target, outcomeIds }, headers);
    const substitute = (server: number, id: unknown, headers?: Record<string, string>) =>
      post(
        server,
        'registrar.b',
        `/api/v1/transfers/${String(id)}/decide`,
        { lines: [{ lineNo: 1, decision: 'substitute', target: { kind: 'elective', category: 'general' }, credits: '3', reason: 'general elective credit' }] },
        headers,
      );

    const scenarios: ((u: string, n: number) => Promise<void>)[] = [
      // one credit to two targets at once, from both servers
      async (u) => {
        const o = await ids(u);
        await Promise.all([apply(0, u, B, [o.CS101]), apply(1, u, C, [o.CS101]), apply(1, u, B, [o.MA101]), apply(0, u, C, [o.MA101])]);
      },
      // an award racing transfers of the credits it counts
      async (u) => {
        const o = await ids(u);
        const a = await post(0, u, '/api/v1/me/awards', { programmeId: bank.programmes['CERT-A'] });
        await Promise.all([post(1, 'registrar.a', `/api/v1/awards/${String(a.body.id)}/approve`, {}), apply(0, u, B, [o.MA101]), apply(1, u, C, [o.CS101])]);
      },
      // two awards of one level approved at once
      async (u) => {
        const a = await post(0, u, '/api/v1/me/awards', { programmeId: bank.programmes['CERT-A'] });
        const b = await post(1, u, '/api/v1/me/awards', { programmeId: bank.programmes['CERT-B'] });
        await Promise.all([
          post(0, 'registrar.a', `/api/v1/awards/${String(a.body.id)}/approve`, {}),
          post(1, 'registrar.a', `/api/v1/awards/${String(b.body.id)}/approve`, {}),
        ]);
      },
      // the cap at its edge, and one application decided twice
      async (u) => {
        const o = await ids(u);
        const one = await apply(0, u, B, [o.CS101]);
        const two = await apply(1, u, B, [o.MA101]);
        await Promise.all([substitute(0, one.body.id), substitute(1, two.body.id), substitute(1, one.body.id)]);
      },
      // Idempotency-Key bursts: an application and its decision
      async (u, n) => {
        const o = await ids(u);
        const key = { 'idempotency-key': `stress-${n}` };
        const burst = await Promise.all(Array.from({ length: 5 }, (_, i) => apply(i % 2, u, B, [o.CS101], key)));
        const id = burst.find((r) => r.status === 201)?.body.id;
        await Promise.all([0, 1, 0].map((s) => substitute(s, id, { 'idempotency-key': `stress-decide-${n}` })));
      },
      // a retake recorded twice at once on both servers, then both attempts sent to two targets
      async (u, n) => {
        const body = (attempt: number) => ({ externalId: `S${n}`, courseCode: 'CS101', term: '2024-2025-1', attempt, grade: '90', completedOn: '2025-01-15' });
        const r = await Promise.all([
          post(0, 'registrar.a', `/api/v1/institutions/${bank.fx.a.id}/outcomes`, body(2)),
          post(1, 'registrar.a', `/api/v1/institutions/${bank.fx.a.id}/outcomes`, body(3)),
        ]);
        const o = await ids(u);
        await Promise.all([
          apply(0, u, B, [o.CS101]),
          apply(
            1,
            u,
            C,
            r
              .filter((x) => x.status === 201)
              .map((x) => String(x.body.id))
              .slice(0, 1),
          ),
        ]);
      },
      // a grade correction racing a transfer of the same result; then erasure asked twice at once, and
      // approved and declined at once (every other time approved alone: the quicker decline wins most
      // races, and the erasures must be seen to go through too)
      async (u, n) => {
        const o = await ids(u);
        await Promise.all([post(0, 'registrar.a', `/api/v1/outcomes/${o.CS101}/correct`, { grade: '95', reason: 'marking error' }), apply(1, u, B, [o.CS101])]);
        const asked = await Promise.all([0, 1].map((s) => post(s, u, '/api/v1/me/erasure-requests', { reason: 'please erase me' })));
        const id = asked.find((a) => a.status === 201)?.body.id;
        await Promise.all([
          post(0, 'admin', `/api/v1/erasure-requests/${String(id)}/decide`, { decision: 'approve' }),
          ...(Math.floor(n / scenarios.length) % 2 === 0
            ? [post(1, 'admin', `/api/v1/erasure-requests/${String(id)}/decide`, { decision: 'decline', note: 'we must keep the record' })]
            : []),
        ]);
      },
    ];

    // ---- the crowd: a few learners' scenarios at a time
    log(`the crowd: up to ${crowd} scenarios, ${o.attempts} conflicting requests…`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let n = next++; n < crowd && attempts < o.attempts; n = next++) await scenarios[n % scenarios.length]!(bank.learners[n]!, n);
      }),
    );
    const crowdAttempts = attempts;
    await call(0, 'registrar.a', '/api/v1/log/checkpoint', undefined, {}, false);
    const after = await breaches(db);
    log(`crowd done: ${crowdAttempts} conflicting requests, answers ${JSON.stringify(answers)}, breaches ${JSON.stringify(after)}`);

    // ---- kill -9 at random moments of imports, transfers and awards
    let interruptedImports = 0;
    const afterKills = { breaches: 0, stuckJobs: 0, leftoverStages: 0 };
    for (let k = 0; k < o.kills; k++) {
      const s = k % 2;
      const code = `K${k}`;
      await createCourses(db, bank.fx.admin, bank.fx.a.id, [
        { code, titleZh: `课程 ${code}`, titleEn: `Course ${code}`, credits: '2', hours: 32, iscedCode: '0613' },
      ]);
      const csv = ['学号,课程代码,学期,成绩', ...bank.learners.map((_, i) => `S${i},${code},2024-2025-2,${60 + (i % 40)}`)].join('\n');
      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), `${code}.csv`);
      const cookie = await signIn('registrar.a');
      const work: Promise<unknown>[] = [
        fetch(`${servers[s]!.base}/api/v1/institutions/${bank.fx.a.id}/imports/results?mode=commit&wait=true`, {
          method: 'POST',
          headers: { cookie },
          body: form,
        }).then(
          (r) => r.text().catch(() => cutOff++),
          () => cutOff++,
        ),
      ];
      const u = bank.learners[crowd + ((2 * k) % reserve)]!;
      const mine = await ids(u);
      work.push(
        (async () => {
          const a = await post(s, u, '/api/v1/me/awards', { programmeId: bank.programmes[k % 2 ? 'CERT-A' : 'CERT-B'] });
          await Promise.all([post(s, 'registrar.a', `/api/v1/awards/${String(a.body.id)}/approve`, {}), apply(s, u, B, [mine.MA101])]);
          const t = await apply(s, u, C, [mine.CS101]);
          if (t.status === 201) await post(s, u, `/api/v1/transfers/${String(t.body.id)}/withdraw`, { reason: 'not mine' });
        })().catch(() => cutOff++), // handled at once: the kill may cut it off before it is awaited
      );
      // another learner: a grade correction racing a transfer of the same result, then erasure asked and approved
      const v = bank.learners[crowd + ((2 * k + 1) % reserve)]!;
      const theirs = await ids(v);
      work.push(
        (async () => {
          await Promise.all([
            post(s, 'registrar.a', `/api/v1/outcomes/${theirs.CS101}/correct`, { grade: '95', reason: 'marking error' }),
            apply(s, v, B, [theirs.CS101]),
          ]);
          const asked = await post(s, v, '/api/v1/me/erasure-requests', { reason: 'please erase me' });
          if (asked.status === 201) await post(s, 'admin', `/api/v1/erasure-requests/${String(asked.body.id)}/decide`, { decision: 'approve' });
        })().catch(() => cutOff++),
      );
      await new Promise((r) => setTimeout(r, 20 + rnd() * 600));
      await servers[s]!.kill();
      await Promise.allSettled(work);
      await servers[s]!.start();
      // the restarted process (or the other one) fails the import its predecessor left running
      const waitUntil = Date.now() + 30_000;
      let stuck = 0;
      do {
        stuck = Number(
          ((await db.execute(sql`select count(*)::int as n from import_jobs where status in ('queued', 'running')`)) as unknown as { rows: { n: number }[] })
            .rows[0]!.n,
        );
        if (stuck) await new Promise((r) => setTimeout(r, 250));
      } while (stuck && Date.now() < waitUntil);
      const b = await breaches(db);
      const stages = Number(
        ((await db.execute(sql`select count(*)::int as n from pg_tables where tablename like 'import_stage_%'`)) as unknown as { rows: { n: number }[] })
          .rows[0]!.n,
      );
      afterKills.breaches += Object.values(b).reduce((x, y) => x + y, 0);
      afterKills.stuckJobs += stuck;
      afterKills.leftoverStages += stages;
      log(`kill ${k + 1}/${o.kills}: server ${s} killed and restarted; breaches ${JSON.stringify(b)}, stuck jobs ${stuck}, staging tables ${stages}`);
    }
    interruptedImports = Number(
      (
        (await db.execute(
          sql`select count(*)::int as n from import_jobs where status = 'failed' and message like 'The import was interrupted%'`,
        )) as unknown as { rows: { n: number }[] }
      ).rows[0]!.n,
    );

    await call(1, 'registrar.a', '/api/v1/log/checkpoint', undefined, {}, false);
    const verified = await verifyLog(db);
    return {
      attempts,
      answers,
      serverErrors: Object.entries(answers)
        .filter(([status]) => Number(status) >= 500)
        .reduce((t, [, n]) => t + n, 0),
      kills: o.kills,
      cutOff,
      interruptedImports,
      breaches: await breaches(db),
      afterKills,
      corrected: Number(
        ((await db.execute(sql`select count(*)::int as n from outcomes where status = 'superseded'`)) as unknown as { rows: { n: number }[] }).rows[0]!.n,
      ),
      erased: Number(
        ((await db.execute(sql`select count(*)::int as n from learners where erased_at is not null`)) as unknown as { rows: { n: number }[] }).rows[0]!.n,
      ),
      logFindings: verified.findings.map((f) => `${f.what}: ${f.detail}`),
      logEntries: verified.entries,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await Promise.all(servers.map((s) => s.kill()));
    await database?.close();
    await scratch.drop();
  }
}
