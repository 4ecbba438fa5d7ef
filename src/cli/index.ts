// The `creditbank` command.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { openConfigured, seedIfEmpty } from '../boot.js';
import { loadConfig } from '../config.js';
import { insertUserWithGrants } from '../modules/auth/service.js';
import { generatePassword } from '../modules/demo/seed.js';
import { COLUMNS, IMPORT_KINDS, type ImportKind } from '../modules/imports/columns.js';
import { csvLine } from '../modules/imports/files.js';
import { readRows } from '../modules/imports/read.js';
import { allIssues, createJob, jobIssues, runJob } from '../modules/imports/service.js';
import { institutionIdByCode } from '../modules/institutions/service.js';
import { checkpoint, verifyLog } from '../modules/log/service.js';
import { trustOf } from '../modules/credentials/trust.js';
import { backup, restore } from './backup.js';
import { doctor } from './doctor.js';

const print = (line: string) => process.stdout.write(`${line}\n`);

async function withDatabase<T>(run: (d: Awaited<ReturnType<typeof openConfigured>>, c: ReturnType<typeof loadConfig>) => Promise<T>, migrate = true) {
  const config = loadConfig();
  const database = await openConfigured(config, { migrate });
  try {
    return await run(database, config);
  } finally {
    await database.close();
  }
}

export function program(): Command {
  const cli = new Command('creditbank')
    .description('Credit bank (学分银行) command line. Uses DATA_DIR (embedded PGlite, default ./data) or DATABASE_URL (PostgreSQL).')
    .showHelpAfterError();

  cli
    .command('migrate')
    .description('apply the database migrations (also done on every start)')
    .action(() =>
      withDatabase(async (d) => {
        print(`Migrations applied: ${d.backend} at ${d.location}`);
      }),
    );

  cli
    .command('seed')
    .description('seed the demo alliance into an empty database and print one login per role (DEMO_PASSWORD sets the password)')
    .action(() =>
      withDatabase(async (d, config) => {
        if (config.production) throw new Error('The demo is never seeded when NODE_ENV=production');
        if (!(await seedIfEmpty(d, config, print, true))) throw new Error('The database is not empty; the demo seeds only an empty database');
      }),
    );

  cli
    .command('create-admin')
    .description('create a bank administrator; the password comes from CREDITBANK_PASSWORD or is generated and printed')
    .argument('<username>', 'the sign-in name')
    .option('--display-name <name>', 'the name shown in the app', 'Administrator')
    .action((username: string, opts: { displayName: string }) =>
      withDatabase(async (d) => {
        const password = process.env.CREDITBANK_PASSWORD ?? generatePassword();
        if (password.length < 10) throw new Error('CREDITBANK_PASSWORD must be at least 10 characters');
        await insertUserWithGrants(d.db, { username, password, displayName: opts.displayName, grants: [{ role: 'admin', institutionId: null }] });
        print(`Administrator ${username} created.${process.env.CREDITBANK_PASSWORD ? '' : ` Password: ${password}`}`);
      }),
    );

  cli
    .command('import')
    .description('import a CSV or XLSX file for an institution (dry run first, then all-or-nothing unless --partial)')
    .argument('<kind>', `what the file holds: ${IMPORT_KINDS.join(', ')}`)
    .argument('<file>', "a .csv (UTF-8 or GB18030) or .xlsx file with the template's headers")
    .requiredOption('--institution <code>', 'the institution code, e.g. HXU')
    .option('--dry-run', 'check and report; change nothing')
    .option('--partial', 'import the valid rows and report the rest (default: a file with any bad row changes nothing)')
    .option('--report <file>', 'also write the refused rows to this CSV file')
    .action((kind: string, file: string, opts: { institution: string; dryRun?: boolean; partial?: boolean; report?: string }) =>
      withDatabase(async (d) => {
        if (!(IMPORT_KINDS as string[]).includes(kind)) throw new Error(`Unknown kind "${kind}": use one of ${IMPORT_KINDS.join(', ')}`);
        if (!fs.existsSync(file)) throw new Error(`No such file: ${file}`);
        const institutionId = await institutionIdByCode(d.db, opts.institution);
        if (!institutionId) throw new Error(`No institution with code ${opts.institution}`);
        const k = kind as ImportKind;
        const operator = { kind: 'system' as const, name: `cli:${os.userInfo().username}` };
        const { job, actor } = await createJob(d.db, operator, institutionId, {
          kind: k,
          mode: opts.dryRun ? 'dry_run' : opts.partial ? 'partial' : 'all_or_nothing',
          source: 'cli',
          filename: path.basename(file),
          sizeBytes: fs.statSync(file).size,
        });
        const done = await runJob(d.db, actor, job, (onBytes) => readRows(file, COLUMNS[k], { onBytes }));
        print(`${done.status === 'failed' ? 'FAILED' : 'Done'}: ${done.message ?? ''}`);
        print(
          `rows read ${done.rowsRead}, accepted ${done.accepted} (created ${done.created}, updated ${done.updated}, unchanged ${done.skipped}), rejected ${done.rejected}`,
        );
        const issues = await jobIssues(d.db, operator, done.id, -1, 20);
        for (const i of issues) print(`  row ${i.rowNumber || '-'}${i.column ? `, ${i.column}` : ''}${i.value ? ` = "${i.value}"` : ''}: ${i.reason}`);
        if (done.rejected > issues.length) print(`  … ${done.rejected - issues.length} more`);
        if (opts.report) {
          const out = fs.createWriteStream(opts.report);
          out.write(`\uFEFF${csvLine(['行号 Row', '列 Column', '值 Value', '原因 Reason'])}`);
          for await (const i of allIssues(d.db, operator, done.id)) out.write(csvLine([i.rowNumber || '', i.column, i.value, i.reason]));
          await new Promise((r) => out.end(r));
          print(`report written to ${opts.report}`);
        }
        if (done.status === 'failed' || (done.rejected > 0 && !done.committed)) process.exitCode = 2;
      }),
    );

  const log = cli.command('log').description('the transparency log of every ledger posting');
  log
    .command('checkpoint')
    .description(
      'sequence what is waiting and print the latest signed checkpoint (give it to witnesses: a file they keep, or they poll GET /api/v1/log/checkpoint)',
    )
    .option('--out <file>', 'also write it to this file')
    .action((opts: { out?: string }) =>
      withDatabase(async (d) => {
        const note = await checkpoint(d.db);
        if (opts.out) fs.writeFileSync(opts.out, note);
        process.stdout.write(note);
      }),
    );
  log
    .command('verify')
    .description(
      'rebuild the log from the database, check it against the ledger, every signed checkpoint and the witnessed ones given; exit 1 naming each altered, deleted, inserted or reordered entry',
    )
    .option('--witness <files...>', 'checkpoints kept outside the bank (signed notes), which a rewritten and re-signed history cannot match')
    .action((opts: { witness?: string[] }) =>
      withDatabase(async (d) => {
        const started = performance.now();
        const witnessed = (opts.witness ?? []).map((f) => ({ label: path.basename(f), note: fs.readFileSync(f, 'utf8') }));
        const res = await verifyLog(d.db, { witnessed, onProgress: (n) => process.stderr.write(`  ${n} entries…\n`) });
        for (const f of res.findings) print(`${f.what.toUpperCase()}${f.entry === undefined ? '' : ` entry ${f.entry}`}: ${f.detail}`);
        print(
          `${res.entries} entries, ${res.checkpoints} signed checkpoints checked in ${((performance.now() - started) / 1000).toFixed(1)} s: ${res.findings.length === 0 ? 'the log is intact' : `${res.findings.length} problems`}`,
        );
        if (res.findings.length > 0) process.exitCode = 1;
      }),
    );

  cli
    .command('backup')
    .description(
      "write the whole database to one file: PGlite (stop the server first) or PostgreSQL (pg_dump, at least the server's version; the server may run). The master key is not in it: back it up apart (creditbank master-key)",
    )
    .argument('<file>', 'the backup file to write (refused if it exists)')
    .option('--force', 'overwrite the file if it exists')
    .action(async (file: string, opts: { force?: boolean }) => {
      const r = await backup(loadConfig(), file, { force: opts.force, version: packageVersion() });
      const cp = r.manifest.checkpoint;
      print(
        `Backup of the ${r.manifest.backend === 'pglite' ? 'embedded database' : 'PostgreSQL database'} written to ${r.file}: ${(r.bytes / 1024 / 1024).toFixed(1)} MiB in ${r.seconds.toFixed(1)} s`,
      );
      print(cp ? `Log checkpoint at the backup: size ${cp.size}, root ${cp.root}` : 'Nothing in the transparency log yet');
      print(
        'The master key is NOT in the backup. Keep it apart from it (creditbank master-key prints it): without it the signing keys in the backup cannot be unsealed.',
      );
    });

  cli
    .command('restore')
    .description(
      'restore a backup into an empty database (DATA_DIR or DATABASE_URL), or with --replace over the bank there; then check the checkpoint and verify the log',
    )
    .argument('<file>', 'a file written by creditbank backup')
    .option('--replace', 'replace the bank in the target database (PGlite: the old data directory is kept beside; PostgreSQL: in one transaction)')
    .action(async (file: string, opts: { replace?: boolean }) => {
      const config = loadConfig();
      const r = await restore(config, file, { replace: opts.replace });
      const before = r.manifest.checkpoint;
      const after = r.checkpoint;
      print(`Restored ${file} (taken ${r.manifest.createdAt}, version ${r.manifest.version}, migration ${r.manifest.migration}) in ${r.seconds.toFixed(1)} s`);
      const same = JSON.stringify(before) === JSON.stringify(after);
      print(after ? `Log checkpoint: size ${after.size}, root ${after.root}${same ? ' (the same as at the backup)' : ''}` : 'Nothing in the transparency log');
      if (!same) {
        print(`The checkpoint is NOT the one the backup was taken at (${before ? `size ${before.size}, root ${before.root}` : 'none'})`);
        process.exitCode = 1;
        return;
      }
      // start-up applies newer migrations; this checks the sealed keys against this master key and verifies the log
      let database;
      try {
        database = await openConfigured(config);
      } catch (err) {
        print(`The data is restored, but the bank cannot open it: ${err instanceof Error ? err.message : String(err)}`);
        print('Give the master key of the bank that was backed up (CREDENTIALS_MASTER_KEY, or its file as CREDENTIALS_MASTER_KEY_FILE).');
        process.exitCode = 1;
        return;
      }
      try {
        const res = await verifyLog(database.db);
        for (const f of res.findings) print(`${f.what.toUpperCase()}${f.entry === undefined ? '' : ` entry ${f.entry}`}: ${f.detail}`);
        print(
          `${res.entries} entries, ${res.checkpoints} signed checkpoints: ${res.findings.length === 0 ? 'the log is intact' : `${res.findings.length} problems`}`,
        );
        if (res.findings.length > 0) process.exitCode = 1;
      } finally {
        await database.close();
      }
    });

  cli
    .command('doctor')
    .description(
      'check this deployment: settings, database and version, migrations, master key and sealed keys, the transparency log, backup tools, disk space; exit 1 if anything fails',
    )
    .option('--skip-log', 'do not verify the transparency log (it reads every entry)')
    .action(async (opts: { skipLog?: boolean }) => {
      const checks = await doctor(process.env, { skipLog: opts.skipLog });
      for (const c of checks) print(`${c.verdict === 'ok' ? 'ok  ' : c.verdict === 'warn' ? 'WARN' : 'FAIL'}  ${c.name.padEnd(16)} ${c.detail}`);
      const failed = checks.filter((c) => c.verdict === 'fail').length;
      print(failed ? `${failed} checks failed` : 'all checks passed');
      if (failed) process.exitCode = 1;
    });

  cli
    .command('master-key')
    .description(
      'print the credentials master key (base64) this configuration uses, to store apart from the backups (a password manager, a sealed envelope, the secret store)',
    )
    .action(() => {
      const config = loadConfig();
      const source = config.masterKey;
      const trust = trustOf({ publicUrl: config.publicUrl, masterKey: 'file' in source ? { ...source, create: false } : source });
      process.stderr.write(
        `The credentials master key (${'base64' in source ? 'CREDENTIALS_MASTER_KEY' : source.file}). Whoever holds it and a backup can sign as every institution: keep it apart from the backups.\n`,
      );
      print(trust.masterKey.toString('base64'));
    });

  return cli;
}

function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

export async function run(argv: string[]): Promise<number> {
  const cli = program().exitOverride();
  try {
    await cli.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
