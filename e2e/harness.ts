// Starts the built credit bank on a free port with a fresh data directory and the demo, and a
// headless Chromium (Debian's) to drive it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';

export const PASSWORD = 'e2e-demo-password';
export const SHOTS = path.resolve('e2e/screenshots');

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
 * demo when it first started (once per build: seeding takes a while, copying does not).
 */
export async function startServer(): Promise<Running> {
  if (!fs.existsSync('dist/main.js') || !fs.existsSync('dist/web/index.html')) {
    throw new Error('Build first: npm run build');
  }
  const template = await seededDataDir();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-e2e-'));
  fs.cpSync(template, dataDir, { recursive: true, filter: (src) => path.basename(src) !== SEEDED });
  return launch(dataDir, true);
}

const SEEDED = '.seeded';

/** The seeded template; test files run side by side, so one seeds it (holding `<dir>.claim`) while the others wait. */
async function seededDataDir(): Promise<string> {
  const dir = path.join(os.tmpdir(), `cb-e2e-demo-${Math.round(fs.statSync('dist/main.js').mtimeMs)}`);
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

async function launch(dataDir: string, removeOnStop: boolean): Promise<Running> {
  const port = await freePort();
  let out = '';
  const server = spawn(process.execPath, ['dist/main.js'], {
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
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (out += d));
  server.stderr!.on('data', (d) => (out += d));
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

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/**
 * One server and one Chromium around a test file (registered as its before/after hooks), and the
 * moves every browser test makes: a page in a language, signing in, a screenshot.
 */
export function browserSession() {
  let running: Running | undefined;
  let browser: Browser | undefined;
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    running = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    if (running) {
      const code = await running.stop();
      assert.equal(code, 0, `the server should close cleanly on SIGTERM:\n${running.output()}`);
    }
  });
  const session = {
    get url() {
      return running!.url;
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
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('user-display-name').waitFor();
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
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  assert.ok(res.ok, `sign in as ${username}: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
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
