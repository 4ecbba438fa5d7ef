// Upgrades: the migrations applied one at a time, as releases would have, on a database that holds a
// bank's data from the first schema on (institutions, learners, results, ledger postings with a
// correction). Each step keeps every row; the end is the latest schema with every migration applied.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { trustOf } from '../modules/credentials/trust.js';
import { checkpoint, openLog, verifyLog } from '../modules/log/service.js';
import { backends } from '../test/db.js';
import { TEST_MASTER_KEY } from '../test/fixture.js';
import { migrationsFolder, openDatabase, type Database } from './connection.js';
import { createScratchDatabase } from './scratch.js';
import { journal, migrationStatus, rowsOf } from './status.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-upgrade-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A migrations folder holding the first `n` migrations of this build: the schema of an older release. */
function releaseFolder(n: number): string {
  const dir = path.join(work, `release-${n}`);
  fs.mkdirSync(path.join(dir, 'meta'), { recursive: true });
  const all = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const entries = all.entries.slice(0, n);
  fs.writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify({ ...all, entries }));
  for (const e of entries) fs.copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

/** Data written with the first schema's columns only, as the first release would have written it. */
const FIRST_DATA = `
  insert into institutions (id, code, name_zh, name_en, kind, country) values
    ('00000000-0000-4000-8000-000000000001', 'OLDU', '旧大学', 'Old University', 'university', 'CN');
  insert into credit_systems (institution_id, unit, hours_per_credit, hour_type, effective_from) values
    ('00000000-0000-4000-8000-000000000001', 'credit', 16, 'contact', '2015-09-01');
  insert into grading_scales (id, institution_id, code, name_zh, name_en, definition, effective_from) values
    ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'pct', '百分制', 'Percentage', '{"type":"percentage","passMin":60,"decimals":0}', '2015-09-01');
  insert into users (id, username, password_hash, display_name) values
    ('00000000-0000-4000-8000-000000000003', 'registrar.old', 'x', 'Registrar');
  insert into courses (id, institution_id, code, title_zh, title_en, credits, hours, hour_type, isced_code) values
    ('00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000001', 'CS100', '计算机导论', 'Intro to Computing', 3, 48, 'contact', '0613');
  insert into learners (id, full_name, birth_date) values
    ('00000000-0000-4000-8000-000000000005', '王老', '1990-01-01'),
    ('00000000-0000-4000-8000-000000000006', '李旧', '1991-02-02');
  insert into learning_accounts (learner_id, account_no, last_seq) values
    ('00000000-0000-4000-8000-000000000005', 'CB0000000001', 3),
    ('00000000-0000-4000-8000-000000000006', 'CB0000000002', 1);
  insert into enrolments (learner_id, institution_id, external_id) values
    ('00000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000001', 'S001'),
    ('00000000-0000-4000-8000-000000000006', '00000000-0000-4000-8000-000000000001', 'S002');
  insert into outcomes (learner_id, id, kind, institution_id, course_id, term, scale_id, grade, passed, credits, unit, hours, completed_on) values
    ('00000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000007', 'course_result', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000004', '2016-2017-1', '00000000-0000-4000-8000-000000000002', '85', true, 3, 'credit', 48, '2017-01-10'),
    ('00000000-0000-4000-8000-000000000006', '00000000-0000-4000-8000-000000000008', 'course_result', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000004', '2016-2017-1', '00000000-0000-4000-8000-000000000002', '70', true, 3, 'credit', 48, '2017-01-10');
  insert into ledger_postings (learner_id, seq, kind, amount, unit, from_state, to_state, cause_type, cause_id, reverses_seq, memo, created_by) values
    ('00000000-0000-4000-8000-000000000005', 1, 'deposit', 3, 'credit', null, 'available', 'outcome', '00000000-0000-4000-8000-000000000007', null, null, '00000000-0000-4000-8000-000000000003'),
    ('00000000-0000-4000-8000-000000000005', 2, 'reversal', 3, 'credit', 'available', null, 'outcome', '00000000-0000-4000-8000-000000000007', 1, 'grade corrected', '00000000-0000-4000-8000-000000000003'),
    ('00000000-0000-4000-8000-000000000005', 3, 'deposit', 3, 'credit', null, 'available', 'outcome', '00000000-0000-4000-8000-000000000007', null, null, '00000000-0000-4000-8000-000000000003'),
    ('00000000-0000-4000-8000-000000000006', 1, 'deposit', 3, 'credit', null, 'available', 'outcome', '00000000-0000-4000-8000-000000000008', null, null, '00000000-0000-4000-8000-000000000003');
`;

async function counts(d: Database) {
  const r = rowsOf<{ learners: string; postings: string; credits: string; outcomes: string }>(
    await d.db.execute(sql`select (select count(*) from learners)::text as learners, (select count(*) from ledger_postings)::text as postings,
      (select sum(case when kind = 'reversal' then -amount else amount end) from ledger_postings)::text as credits, (select count(*) from outcomes)::text as outcomes`),
  )[0]!;
  return { learners: Number(r.learners), postings: Number(r.postings), credits: Number(r.credits), outcomes: Number(r.outcomes) };
}

describe('the migrations journal', () => {
  it('gives each migration a later time than the one before (Drizzle skips one older than the last applied)', () => {
    const entries = journal();
    const out = entries.flatMap((e, i) =>
      i > 0 && e.when <= entries[i - 1]!.when ? [`${e.tag} (${e.when}) is not later than ${entries[i - 1]!.tag} (${entries[i - 1]!.when})`] : [],
    );
    expect(out, 'an upgraded database would never apply these').toEqual([]);
  });
});

describe.each(backends)('upgrading a database that holds data, one migration at a time, on %s', (backend) => {
  it('applies every migration in turn, keeps every row, and ends with every migration applied and the log naming only the postings older than it', async () => {
    const scratch = backend === 'postgres' ? await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'cb_upgrade') : undefined;
    const d = await openDatabase(scratch ? { kind: 'postgres', url: scratch.url } : { kind: 'memory' }, { migrate: false });
    const migrate = (folder: string) =>
      backend === 'pglite' ? migratePglite(d.db as never, { migrationsFolder: folder }) : migratePg(d.db as never, { migrationsFolder: folder });
    try {
      const steps = journal();
      const expected = { learners: 2, postings: 4, credits: 6, outcomes: 2 };
      for (let n = 1; n <= steps.length; n++) {
        await migrate(releaseFolder(n));
        if (n === 1)
          for (const statement of FIRST_DATA.split(';\n')
            .map((t) => t.trim())
            .filter(Boolean))
            await d.db.execute(sql.raw(statement));
        expect(await counts(d), `after ${steps[n - 1]!.tag}`).toEqual(expected);
        expect((await migrationStatus(d.db, releaseFolder(n))).pending, steps[n - 1]!.tag).toEqual([]);
      }
      expect(await migrationStatus(d.db)).toMatchObject({ pending: [], applied: steps.length, newer: false });
      // the upgraded bank opens its log, logs what was there, and verifies
      const config = loadConfig({ NODE_ENV: 'test', CREDENTIALS_MASTER_KEY: TEST_MASTER_KEY, DATA_DIR: work });
      await openLog(d.db, trustOf(config));
      await checkpoint(d.db);
      const res = await verifyLog(d.db);
      // Known gap (reported on issue 19): migration 0005 made the log but did not log the postings already
      // there, so a bank upgraded from before 0005 has its older postings named as never logged. Nothing
      // else may differ. (No release was made before 0005.)
      expect(res.findings.map((f) => `${f.what} ${f.ref}`).sort()).toEqual(
        [
          '00000000-0000-4000-8000-000000000005:1',
          '00000000-0000-4000-8000-000000000005:2',
          '00000000-0000-4000-8000-000000000005:3',
          '00000000-0000-4000-8000-000000000006:1',
        ].map((r) => `inserted ${r}`),
      );
    } finally {
      await d.close();
      await scratch?.drop();
    }
  }, 300_000);
});
