// The operator's commands as typed: backup, restore, doctor and master-key, with bad input.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY } from '../test/fixture.js';

const exec = promisify(execFile);
const bin = path.resolve('bin/creditbank.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-operator-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await exec(process.execPath, [bin, ...args], {
      env: { ...process.env, DATABASE_URL: '', NODE_ENV: 'development', DATA_DIR: path.join(work, 'data'), ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('operator commands', () => {
  it('lists them in the help', async () => {
    const r = await cli(['--help']);
    for (const c of ['backup', 'restore', 'doctor', 'master-key']) expect(r.stdout).toContain(c);
  });

  it('refuses bad input with a clear message and exit code 1', async () => {
    const noArg = await cli(['backup']);
    expect(noArg.code).not.toBe(0);
    expect(noArg.stderr).toMatch(/missing required argument 'file'/);
    const missing = await cli(['restore', path.join(work, 'nope.backup')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No such file');
    fs.writeFileSync(path.join(work, 'x.csv'), 'a,b\n1,2\n');
    const wrong = await cli(['restore', path.join(work, 'x.csv')]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/is not a credit bank backup/);
    const empty = await cli(['backup', path.join(work, 'b.backup')], { DATA_DIR: path.join(work, 'empty') });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/holds no embedded database/);
    expect(fs.existsSync(path.join(work, 'b.backup'))).toBe(false);
    const noKey = await cli(['master-key'], { DATA_DIR: path.join(work, 'nokey') });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/master key file .* does not exist/);
  }, 120_000);

  it('prints the master key that is configured', async () => {
    const r = await cli(['master-key'], { CREDENTIALS_MASTER_KEY: TEST_MASTER_KEY });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(TEST_MASTER_KEY);
    expect(r.stderr).toMatch(/keep it apart from the backups/);
  });

  it('doctor names each missing production setting and fails', async () => {
    const r = await cli(['doctor', '--skip-log'], { NODE_ENV: 'production', PUBLIC_URL: '', CREDENTIALS_MASTER_KEY: '', CREDENTIALS_MASTER_KEY_FILE: '' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}settings +missing PUBLIC_URL/);
    expect(r.stdout).toMatch(/FAIL {2}settings +missing CREDENTIALS_MASTER_KEY or CREDENTIALS_MASTER_KEY_FILE/);
    expect(r.stdout).toMatch(/disk space/);
  }, 120_000);
});
