// Starts the built credit bank on a free port with a fresh data directory and the demo, for the
// browser tests run by Playwright Test (playwright.config.ts launches Debian's Chromium for them).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type Browser, type Page } from '@playwright/test';

export const PASSWORD = 'e2e-demo-password';
/** The repository: the built server is run from here, whatever the runner's working directory. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the tests keep their screenshots, by name, for a reader (failures' own screenshots and traces go to test-results/). */
export const SHOTS = path.join(ROOT, 'e2e/screenshots');
/** Starting a server (and seeding the demo the first time) on two busy cores. */
const START_TIMEOUT = 300_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface Running {
  url: string;
  server: ChildProcess;
  output: () => string;
  dataDir: string;
  stop(): Promise<number | null>;
}

/**
 * The built credit bank on a free port, on a copy of a data directory the server seeded with the
 * demo when it first started (once per build: seeding takes a while, copying does not). `env` is
 * added to the server's environment (test files share a worker process: none sets process.env).
 */
export async function startServer(env: Record<string, string> = {}): Promise<Running> {
  if (!fs.existsSync(path.join(ROOT, 'dist/main.js')) || !fs.existsSync(path.join(ROOT, 'dist/web/index.html'))) {
    throw new Error('Build first: npm run build');
  }
  const template = await seededDataDir();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-e2e-'));
  fs.cpSync(template, dataDir, { recursive: true, filter: (src) => path.basename(src) !== SEEDED });
  return launch(dataDir, true, env);
}

const SEEDED = '.seeded';

/** The seeded template; test files run side by side, so one seeds it (holding `<dir>.claim`) while the others wait. */
async function seededDataDir(): Promise<string> {
  const dir = path.join(os.tmpdir(), `cb-e2e-demo-${Math.round(fs.statSync(path.join(ROOT, 'dist/main.js')).mtimeMs)}`);
  const claim = `${dir}.claim`;
  for (;;) {
    if (fs.existsSync(path.join(dir, SEEDED))) return dir;
    try {
      fs.mkdirSync(claim);
    } catch {
      // another file is seeding it; a claim older than five minutes was left by a run that died
      const age = Date.now() - (fs.statSync(claim, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) fs.rmSync(claim, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (fs.existsSync(path.join(dir, SEEDED))) return dir; // finished by another file just before the claim
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const first = await launch(dir, false); // the first start seeds the demo, as `npm start` does
      const code = await first.stop();
      assert.equal(code, 0, `the seeding server should close cleanly:\n${first.output()}`);
      fs.writeFileSync(path.join(dir, SEEDED), '');
      return dir;
    } finally {
      fs.rmSync(claim, { recursive: true, force: true });
    }
  }
}

async function launch(dataDir: string, removeOnStop: boolean, extraEnv: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  let out = '';
  const server = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    // every browser and API call of a test comes from one address: the per-address limits are raised
    // (src/http/security.test.ts tests the real ones)
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_PASSWORD: PASSWORD,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (out += d));
  server.stderr!.on('data', (d) => (out += d));
  // a worker that is stopped midway (Ctrl-C, a crash) runs no afterAll hook: its server goes with it
  const orphaned = () => server.kill('SIGKILL');
  process.once('exit', orphaned);
  server.once('exit', () => process.off('exit', orphaned));
  const deadline = Date.now() + 120_000;
  while (!out.includes('Credit bank running')) {
    if (server.exitCode !== null) throw new Error(`The server exited:\n${out}`);
    if (Date.now() > deadline) throw new Error(`The server did not start in time:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    output: () => out,
    dataDir,
    async stop() {
      if (server.exitCode !== null) return server.exitCode;
      const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
      server.kill('SIGTERM');
      const code = await exited;
      if (removeOnStop) fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/**
 * Asks a server that has just started for the web app's page and its scripts and styles, as a browser
 * would, once: the first answers of a cold server on busy cores can take longer than a navigation may.
 */
async function warmUp(url: string) {
  const headers = { 'accept-encoding': 'gzip, deflate, br' };
  const html = await (await fetch(`${url}/login`, { headers })).text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  await Promise.all(assets.map(async (a) => (await fetch(`${url}${a}`, { headers })).arrayBuffer()));
}

/**
 * A server started before a file's tests, stopped (and checked to close cleanly) after them, with
 * `env` (read when it starts) added to its environment.
 */
export function serverPerFile(env: () => Record<string, string> = () => ({})) {
  let running: Running | undefined;
  test.beforeAll(async () => {
    test.setTimeout(START_TIMEOUT);
    fs.mkdirSync(SHOTS, { recursive: true });
    running = await startServer(env());
    await warmUp(running.url);
  });
  test.afterAll(async () => {
    if (running) {
      const code = await running.stop();
      assert.equal(code, 0, `the server should close cleanly on SIGTERM:\n${running.output()}`);
    }
  });
  return {
    get running(): Running {
      if (!running) throw new Error('the server has not started');
      return running;
    },
  };
}

/**
 * One server around a test file (its beforeAll/afterAll hooks) and the worker's Chromium (the
 * `browser` fixture, launched as playwright.config.ts says), and the moves every browser test
 * makes: a page in a language, signing in, a screenshot.
 */
export function browserSession(options: { env?: () => Record<string, string> } = {}) {
  const server = serverPerFile(options.env);
  let browser: Browser | undefined;
  test.beforeAll(({ browser: b }) => {
    browser = b;
  });
  const session = {
    get url() {
      return server.running.url;
    },
    async newPage(lang: 'zh-CN' | 'en'): Promise<Page> {
      const context = await browser!.newContext({ viewport: { width: 1440, height: 900 }, locale: lang });
      await context.addInitScript((l) => window.localStorage.setItem('creditbank.lang', l), lang);
      const page = await context.newPage();
      page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
      // the server's Content-Security-Policy must let the whole web app run
      page.on('console', (msg) => {
        if (/Content Security Policy/i.test(msg.text())) assert.fail(`CSP violation: ${msg.text()}`);
      });
      return page;
    },
    async signIn(page: Page, username: string) {
      await page.goto(`${session.url}/login`);
      const name = page.getByTestId('login-username');
      const password = page.getByTestId('login-password');
      const signedIn = page.getByTestId('user-display-name');
      // On two busy cores the form can render again after it was filled in (a chunk arriving late),
      // and the click then sends nothing: fill in again while the form is still there, empty.
      for (let attempt = 1; ; attempt++) {
        await name.fill(username);
        await password.fill(PASSWORD);
        if (attempt < 3 && ((await name.inputValue()) !== username || (await password.inputValue()) !== PASSWORD)) continue;
        await page.getByTestId('login-submit').click();
        const landed = await signedIn.waitFor({ timeout: 10_000 }).then(
          () => true,
          () => false,
        );
        if (landed) return;
        if (attempt === 3 || (await name.inputValue().catch(() => username)) !== '') return void (await signedIn.waitFor());
      }
    },
    /** The whole page (or the window, with a drawer open), the mouse out of the way of tooltips. */
    async shot(page: Page, name: string, fullPage = true) {
      await page.mouse.move(1, 1);
      // the sticky header stays where the window is: scroll to the top for a whole page
      if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
    },
  };
  return session;
}

/** The API at `baseUrl` as one user: signs in, then GETs (no body) or POSTs JSON with the session cookie; a failure fails the test. */
export async function signedInApi(baseUrl: string, username: string, password = PASSWORD) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.ok(res.ok, `sign in as ${username}: ${res.status}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return async <T = unknown>(p: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl}/api/v1${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) assert.fail(`${p} as ${username}: ${r.status} ${await r.text()}`);
    return (r.status === 204 ? undefined : await r.json()) as T;
  };
}
