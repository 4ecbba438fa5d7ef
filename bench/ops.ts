// Operations figures (issue 19): `creditbank backup` and `creditbank restore` timed as an operator runs
// them (the CLI in a child process), on the demo bank or on the demo plus bulk-loaded learners with 8
// logged postings each, on the embedded database (a data directory) or on PostgreSQL (a fresh database
// beside DATABASE_URL, else the local server). Between the two the bank is wiped (the data directory
// removed; the database dropped and created empty). The restore also checks the checkpoint and verifies
// the log, as the command always does; `log verify` is timed on its own afterwards.
//   npx tsx bench/ops.ts --backend pglite|postgres [--postings 1000000]
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openConfigured } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/connection.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { seedDemo } from '../src/modules/demo/seed.js';
import { appendPostings } from '../src/modules/log/entries.js';
import { sequence } from '../src/modules/log/service.js';
import { TEST_MASTER_KEY } from '../src/test/fixture.js';

const exec = promisify(execFile);
const { values: args } = parseArgs({ options: { backend: { type: 'string', default: 'pglite' }, postings: { type: 'string', default: '0' } } });
if (args.backend !== 'pglite' && args.backend !== 'postgres') throw new Error('--backend is pglite or postgres');
const postings = Number(args.postings);
const root = path.resolve(import.meta.dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-ops-'));
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const rows = async <T>(db: Database['db'], q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: T[] }).rows;
const say = (line: string) => process.stdout.write(`${line}\n`);

async function run() {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const scratch = args.backend === 'postgres' ? await createScratchDatabase(base, 'cb_ops') : undefined;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: path.join(work, 'data'),
    DATABASE_URL: scratch?.url ?? '',
    CREDENTIALS_MASTER_KEY: TEST_MASTER_KEY,
    PUBLIC_URL: 'https://bank.example.edu.cn',
  };
  try {
    const config = loadConfig({ ...process.env, ...env });
    let t = performance.now();
    const database = await openConfigured(config);
    try {
      await seedDemo(database.db, { password: 'bench-password-1' });
      say(`${args.backend}: demo seeded in ${round((performance.now() - t) / 1000)} s`);
      if (postings > 0) {
        t = performance.now();
        await addLoggedLearners(database, Math.ceil(postings / 8));
        say(`  ${postings} postings added and logged in ${round((performance.now() - t) / 1000)} s`);
      }
      t = performance.now();
      const { size } = await sequence(database.db);
      say(`  log sequenced: ${size} entries (${round((performance.now() - t) / 1000)} s)`);
      const [{ n }] = (await rows<{ n: string }>(database.db, sql`select count(*)::bigint as n from ledger_postings`)) as [{ n: string }];
      say(`  ${n} postings in the ledger`);
    } finally {
      await database.close();
    }

    const cli = async (argv: string[]) => {
      const started = performance.now();
      const r = await exec(process.execPath, [path.join(root, 'bin/creditbank.js'), ...argv], {
        cwd: root,
        env: { ...process.env, ...env },
        maxBuffer: 64 * 1024 * 1024,
      });
      return { seconds: (performance.now() - started) / 1000, out: r.stdout };
    };
    const file = path.join(work, 'bank.backup');
    const b = await cli(['backup', file]);
    say(`  backup: ${round(b.seconds)} s, ${round(fs.statSync(file).size / 1024 / 1024)} MiB\n    ${b.out.trim().split('\n').join('\n    ')}`);
    // wipe
    if (scratch) {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      const name = new URL(scratch.url).pathname.slice(1);
      await c.query(`drop database ${name} with (force)`);
      await c.query(`create database ${name}`);
      await c.end();
    } else fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
    const r = await cli(['restore', file]);
    say(`  restore (with its checkpoint check and log verify): ${round(r.seconds)} s\n    ${r.out.trim().split('\n').join('\n    ')}`);
    const v = await cli(['log', 'verify']);
    say(`  log verify alone: ${round(v.seconds)} s: ${v.out.trim().split('\n').at(-1)}`);
  } finally {
    await scratch?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Learners with 8 course results and deposits each, bulk-loaded by SQL and logged as the ledger would have (as bench/run.ts does). */
async function addLoggedLearners(database: Database, count: number) {
  const { db } = database;
  const [hxu] = await rows<{ id: string }>(db, sql`select id from institutions where code = 'HXU'`);
  const [scale] = await rows<{ id: string }>(db, sql`select id from grading_scales where institution_id = ${hxu!.id}`);
  const perLearner = 8;
  const chunk = 5_000; // 40,000 postings per transaction and log append
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    await db.transaction(async (tx) => {
      await tx.execute(sql`create temporary table if not exists bench_new (id uuid, n int) on commit drop`);
      await tx.execute(sql`insert into bench_new select gen_random_uuid(), g from generate_series(${from}::int, ${to}::int) g`);
      await tx.execute(sql`insert into learners (id, full_name, birth_date) select id, 'Bench learner ' || n, date '1995-01-01' + (n % 3650) from bench_new`);
      await tx.execute(
        sql`insert into learning_accounts (learner_id, account_no, last_seq) select id, 'BX' || lpad(n::text, 12, '0'), ${perLearner} from bench_new`,
      );
      await tx.execute(sql`insert into enrolments (learner_id, institution_id, external_id) select id, ${hxu!.id}, 'BX' || n from bench_new`);
      await tx.execute(sql`
        insert into outcomes (learner_id, id, kind, institution_id, course_id, term, attempt, scale_id, grade, passed, credits, unit, hours, completed_on)
        select b.id, gen_random_uuid(), 'course_result', ${hxu!.id}, c.id, '2023-2024-' || (1 + k % 2), 1, ${scale!.id}, (60 + (b.n + k) % 40)::text, true, c.credits, 'credit', c.hours, date '2024-01-15'
        from bench_new b cross join generate_series(1, ${perLearner}::int) k
        join lateral (select id, credits, hours from courses where institution_id = ${hxu!.id} order by code offset (k - 1) limit 1) c on true`);
      const added = await tx.execute(sql`
        insert into ledger_postings (learner_id, seq, kind, amount, unit, from_state, to_state, cause_type, cause_id)
        select learner_id, row_number() over (partition by learner_id order by id), 'deposit', credits, 'credit', null, 'available', 'outcome', id::text
        from outcomes where learner_id in (select id from bench_new)
        returning learner_id, seq, kind, amount::text as amount, unit, from_state, to_state, cause_type, cause_id`);
      const batch = (
        added as unknown as {
          rows: {
            learner_id: string;
            seq: number | string;
            kind: string;
            amount: string;
            unit: string;
            from_state: string | null;
            to_state: string | null;
            cause_type: string;
            cause_id: string;
          }[];
        }
      ).rows;
      await appendPostings(
        tx,
        batch.map((p) => ({
          learnerId: p.learner_id,
          seq: Number(p.seq),
          kind: p.kind,
          amount: p.amount,
          unit: p.unit,
          fromState: p.from_state,
          toState: p.to_state,
          causeType: p.cause_type,
          causeId: p.cause_id,
        })),
      );
    });
  }
  await db.execute(sql`analyze`);
}

await run();
