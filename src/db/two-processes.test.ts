// Two server processes started at the same moment on an empty PostgreSQL database, as `npm start`
// starts them (migrations, the log's signing key and the demo seed on first start): both come up,
// give the same answers, and a credential issued by one verifies on the other.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY } from '../test/fixture.js';
import { createScratchDatabase } from './scratch.js';

const root = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'two-processes-1';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Server {
  base: string;
  proc: ChildProcess;
  output: () => string;
}

function start(port: number, env: Record<string, string>): Server {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-6000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  return { base: `http://127.0.0.1:${port}`, proc, output: () => out };
}

async function ready(s: Server, deadline: number) {
  for (;;) {
    if (s.proc.exitCode !== null) throw new Error(`${s.base} stopped at start (exit ${s.proc.exitCode}):\n${s.output()}`);
    try {
      const res = await fetch(`${s.base}/api/ready`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${s.base} not ready in time:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(s: Server) {
  if (s.proc.exitCode !== null) return;
  const gone = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill('SIGKILL');
  await gone;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('two server processes on one empty PostgreSQL database', () => {
  it('both come up together, answer alike, and verify what the other issued', async () => {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'cb_two');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-two-'));
    const ports = [await freePort(), await freePort()];
    const env = {
      DATABASE_URL: scratch.url,
      PUBLIC_URL: 'https://bank.example.edu.cn', // the same for both, as the README asks
      CREDENTIALS_MASTER_KEY: TEST_MASTER_KEY,
      SEED_DEMO: '1',
      DEMO_PASSWORD: PASSWORD,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
    };
    const servers = ports.map((p) => start(p, env)); // at the same moment
    const [a, b] = servers as [Server, Server];
    try {
      const deadline = Date.now() + 170_000; // the demo seed takes ~40 s on a quiet machine, more under load
      await Promise.all(servers.map((s) => ready(s, deadline)));

      // one demo: seeded once, by one of them
      const seeded = servers.filter((s) => s.output().includes('Seeding the demo alliance'));
      expect(seeded).toHaveLength(1);
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      let outcomeId: string;
      try {
        const n = await client.query<{ n: number }>(`select count(*)::int as n from institutions`);
        expect(n.rows[0]!.n).toBeGreaterThan(0);
        const dup = await client.query<{ n: number }>(`select count(*)::int as n from (select code from institutions group by code having count(*) > 1) d`);
        expect(dup.rows[0]!.n).toBe(0);
        const signers = await client.query<{ n: number }>(`select count(*)::int as n from bank_settings where key = 'log.signer'`);
        expect(signers.rows[0]!.n).toBe(1);
        const passed = await client.query<{ id: string }>(
          `select o.id from outcomes o join learners l on l.id = o.learner_id join users u on u.id = l.user_id
            where u.username = 'learner01' and o.kind = 'course_result' and o.passed and o.status = 'recorded' order by o.id limit 1`,
        );
        outcomeId = passed.rows[0]!.id;
      } finally {
        await client.end();
      }

      // the same public answers from both
      const get = async (s: Server, url: string) => {
        const res = await fetch(`${s.base}${url}`);
        expect(res.status, `${s.base}${url}`).toBe(200);
        return res.json() as Promise<Record<string, unknown>>;
      };
      expect(await get(b, '/api/v1/institutions')).toEqual(await get(a, '/api/v1/institutions'));
      const checkpoint = async (s: Server) => {
        const res = await fetch(`${s.base}/api/v1/log/checkpoint`);
        expect(res.status).toBe(200);
        return (await res.text()).split('\n').slice(0, 3).join('\n'); // origin, size, root
      };
      expect(await checkpoint(b)).toBe(await checkpoint(a));

      // a session made by one works on the other; a credential issued by one verifies on the other
      const login = await fetch(`${a.base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'learner01', password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const issued = await fetch(`${b.base}/api/v1/me/credentials`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ kind: 'outcome', id: outcomeId }),
      });
      expect(issued.status, await issued.clone().text()).toBe(201);
      const { document } = (await issued.json()) as { document: { issuer: string | { id: string } } };
      const issuer = typeof document.issuer === 'string' ? document.issuer : document.issuer.id;
      const didDocument = `/issuers/${issuer.split(':').at(-1)}/did.json`; // made by b at its first issue
      expect(await get(a, didDocument)).toEqual(await get(b, didDocument));
      for (const s of [a, b]) {
        const verified = await fetch(`${s.base}/api/v1/credentials/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ verifiableCredential: document }),
        });
        const report = (await verified.json()) as { verified: boolean; status: string };
        expect(report, s.base).toMatchObject({ verified: true, status: 'valid' });
      }
    } finally {
      await Promise.all(servers.map(stop));
      await scratch.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
