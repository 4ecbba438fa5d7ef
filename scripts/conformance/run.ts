// `npm run conformance`: starts the bank on a fresh embedded database with the demo alliance,
// gives one institution an API token that may issue, puts a small TLS proxy in front (the suites
// send the token only over https) and runs each W3C suite in $W3C_SUITES against it, offline.
// Prints each suite's pass count; `-- --only <dir>` runs one suite, `-- --verbose` lists failures.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.js';
import { openConfigured } from '../../src/boot.js';
import { loadConfig } from '../../src/config.js';
import { createApiToken, principalOfUser } from '../../src/modules/auth/service.js';
import { currentKey, issuerView } from '../../src/modules/credentials/keys.js';
import { trustOf } from '../../src/modules/credentials/trust.js';
import { seedDemo } from '../../src/modules/demo/seed.js';
import * as institutions from '../../src/modules/institutions/store.js';
import { SUITES, suitesDir } from './suites.js';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const verbose = args.includes('--verbose');
const root = suitesDir();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'creditbank-conformance-'));

/** A self-signed certificate for localhost, made with the openssl command. */
function certificate() {
  const key = path.join(work, 'key.pem');
  const cert = path.join(work, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

/** https://localhost:<port> → http://127.0.0.1:<target>, everything passed through. */
async function tlsProxy() {
  let target = 0;
  const server = https.createServer(certificate(), (req, res) => {
    const upstream = http.request({ host: '127.0.0.1', port: target, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, to: (port: number) => (target = port), close: () => server.close() };
}

async function startBank(publicUrl: string) {
  const config = loadConfig({
    ...process.env,
    DATA_DIR: path.join(work, 'data'),
    DATABASE_URL: '',
    PUBLIC_URL: publicUrl,
    SEED_DEMO: '0',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  });
  const database = await openConfigured(config);
  const { logins } = await seedDemo(database.db, { password: 'conformance-demo' });
  const registrar = logins.find((l) => l.role === 'registrar')!;
  const inst = (await institutions.institutionByCode(database.db, registrar.institution!))!;
  const principal = await principalOfUser(database.db, registrar.username);
  const { token } = await createApiToken(database.db, principal, inst.id, 'W3C conformance suites', { scopes: ['read', 'issue'] });
  const app = await buildApp({ database, config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  await currentKey(database.db, trustOf(config), inst.id);
  const issuer = await issuerView(database.db, trustOf(config), inst.id);
  return { app, database, token, did: issuer.did, didKey: issuer.keys.find((k) => !k.retiredAt)!.didKey, port: (app.server.address() as AddressInfo).port };
}

/** The implementation entry each suite reads from its localConfig.cjs. */
function implementation(base: string, token: string, did: string, didKey: string) {
  const headers = { Authorization: `Bearer ${token}` };
  const issue = `${base}/api/v1/credentials/issue`;
  const verifier = { id: `${base}/api/v1/credentials/verify`, endpoint: `${base}/api/v1/credentials/verify` };
  const suites = ['vc2.0', 'BitstringStatusList', 'Revocation', 'Suspension', 'vc-api'];
  return {
    name: 'Credit bank',
    implementation: 'creditbank',
    issuers: [
      // did:key: the EdDSA suite resolves only did:key; the others take either.
      {
        id: didKey,
        endpoint: issue,
        headers,
        tags: [...suites, 'eddsa-rdfc-2022'],
        supports: { vc: ['1.1', '2.0'] },
        options: { cryptosuite: 'eddsa-rdfc-2022' },
      },
      { id: didKey, endpoint: issue, headers, tags: ['eddsa-jcs-2022'], supports: { vc: ['1.1', '2.0'] }, options: { cryptosuite: 'eddsa-jcs-2022' } },
      { id: did, endpoint: issue, headers, tags: ['did:web'], options: { cryptosuite: 'eddsa-rdfc-2022' } },
    ],
    verifiers: [{ ...verifier, tags: [...suites, 'eddsa-rdfc-2022', 'eddsa-jcs-2022'], supports: { vc: ['1.1', '2.0'] } }],
    vpVerifiers: [{ id: `${base}/api/v1/presentations/verify`, endpoint: `${base}/api/v1/presentations/verify`, tags: suites }],
  };
}

interface Counts {
  passes: number;
  failures: number;
  pending: number;
  failed: string[];
  skipped: string[];
}

/** Runs one suite's mocha tests with the JSON reporter and counts. */
function runSuite(dir: string, env: NodeJS.ProcessEnv): Promise<Counts> {
  const cwd = path.join(root, dir);
  const out = path.join(work, `${dir}.json`);
  return new Promise((resolve, reject) => {
    const mocha = path.join(cwd, 'node_modules', 'mocha', 'bin', 'mocha.js');
    if (!fs.existsSync(mocha)) return reject(new Error(`${cwd} is not set up: run \`npm run conformance:setup\` first (docs/conformance.md)`));
    const child = spawn(
      process.execPath,
      [mocha, 'tests/', '--reporter', 'json', '--reporter-option', `output=${out}`, '--timeout', '15000', '--preserve-symlinks'],
      { cwd, env, stdio: ['ignore', 'ignore', verbose ? 'inherit' : 'ignore'] },
    );
    child.on('error', reject);
    child.on('exit', () => {
      if (!fs.existsSync(out)) return reject(new Error(`${dir}: mocha wrote no report`));
      const r = JSON.parse(fs.readFileSync(out, 'utf8')) as {
        stats: Counts;
        failures: { fullTitle: string; err: { message?: string } }[];
        pending: { fullTitle: string }[];
      };
      resolve({
        ...r.stats,
        failed: r.failures.map((f) => `${f.fullTitle}\n      ${(f.err.message ?? '').split('\n')[0]}`),
        skipped: r.pending.map((p) => p.fullTitle),
      });
    });
  });
}

async function main() {
  const proxy = await tlsProxy();
  const base = `https://localhost:${proxy.port}`;
  const bank = await startBank(base);
  proxy.to(bank.port);
  const config = `module.exports = ${JSON.stringify({ settings: { enableInteropTests: false, testAllImplementations: false }, implementations: [implementation(base, bank.token, bank.did, bank.didKey)] }, null, 2)};\n`;
  // The suites fetch status lists from the bank over the proxy's self-signed certificate.
  const env = { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0', NODE_NO_WARNINGS: '1' };
  const rows: string[][] = [];
  try {
    for (const s of SUITES.filter((x) => !only || x.dir === only)) {
      fs.writeFileSync(path.join(root, s.dir, 'localConfig.cjs'), config);
      const c = await runSuite(s.dir, env);
      const applicable = c.passes + c.failures;
      rows.push([s.title, `${c.passes} / ${applicable}`, String(c.pending), s.before]);
      console.log(`${s.title}: ${c.passes} / ${applicable} passed (${c.pending} skipped by the suite)`);
      if (verbose) for (const f of c.failed) console.log(`  ✗ ${f}`);
      if (verbose) for (const p of c.skipped) console.log(`  - ${p}`);
    }
  } finally {
    await bank.app.close();
    await bank.database.close();
    proxy.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log('\n| suite | passed | skipped by the suite | before (issue 18) |\n| --- | --- | --- | --- |');
  for (const r of rows) console.log(`| \`${r[0]}\` | ${r[1]} | ${r[2]} | ${r[3]} |`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
