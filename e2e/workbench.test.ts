// The staff workbench (issue 22, item 8): a registrar signs in and lands on their workbench, sees a
// transfer application waiting (with how long the oldest has waited, and a count on the menu entry),
// and opens it. In Chinese and in English, on a laptop (1366 px) and a phone (390 px).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test, type Browser, type Page } from '@playwright/test';
import { serverPerFile, PASSWORD, SHOTS, type Running } from './harness.js';

let running: Running;
let browser: Browser;

const server = serverPerFile();
test.beforeAll(({ browser: b }) => {
  running = server.running;
  browser = b;
});

/** A full-page screenshot once the page has settled. */
async function shot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page
    .locator('.ant-spin-spinning, .ant-skeleton')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
  await page.setViewportSize(viewport);
}

/** Signs in through the API; returns a GET/POST caller that reports the status instead of failing. */
async function apiAs(username: string) {
  const res = await fetch(`${running.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.ok(res.ok, `sign in as ${username}: ${res.status}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return async (p: string, body?: unknown) => {
    const r = await fetch(`${running.url}/api/v1${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, json: (await r.json().catch(() => null)) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
}

interface Entry {
  queue: string;
  count: number;
  oldestSince: string | null;
  path: string;
}

async function signIn(username: string, lang: 'zh-CN' | 'en', width: number) {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 900 }, locale: lang });
  await context.addInitScript((l) => window.localStorage.setItem('creditbank.lang', l), lang);
  context.setDefaultNavigationTimeout(60_000);
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  await page.goto(`${running.url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  return { context, page };
}

test.describe.configure({ mode: 'serial' });

test.describe('the staff workbench', () => {
  let learnerName = '';
  let transferId = '';

  test('the demo gives each staff role something waiting; a transfer waits at HXU', async () => {
    const counts: Record<string, Record<string, number>> = {};
    for (const who of ['registrar.hxu', 'reviewer.hxu', 'committee', 'admin']) {
      const bench = await (await apiAs(who))('/me/workbench');
      assert.equal(bench.status, 200);
      counts[who] = Object.fromEntries((bench.json.items as Entry[]).map((e) => [e.queue, e.count]));
    }
    console.log(`demo workbench counts: ${JSON.stringify(counts)}`);
    const learner = await apiAs('learner01');
    assert.deepEqual((await learner('/me/workbench')).json, { items: [] }, 'a learner has no queues');

    // a transfer into HXU from one of the JNVC learners (the demo's are decided already)
    const hxu = ((await (await fetch(`${running.url}/api/v1/institutions`)).json()).items as { id: string; code: string }[]).find((i) => i.code === 'HXU')!;
    for (const n of ['02', '04', '06', '08', '10', '12', '14', '16']) {
      const call = await apiAs(`learner${n}`);
      const account = (await call('/me/account')).json;
      const passed = (account.outcomes as { id: string; passed: boolean; status: string; institution?: { id: string } }[]).filter(
        (o) => o.passed && o.status === 'recorded',
      );
      for (const o of passed) {
        const made = await call('/me/transfers', { targetInstitutionId: hxu.id, outcomeIds: [o.id] });
        if (made.status === 201) {
          transferId = made.json.id;
          learnerName = account.learner.fullName;
          break;
        }
      }
      if (transferId) break;
    }
    assert.ok(transferId, 'a JNVC learner could apply for a transfer into HXU');
    const after = (await (await apiAs('registrar.hxu'))('/me/workbench')).json.items as Entry[];
    assert.ok(after.find((e) => e.queue === 'transfer.decide')!.count >= 1);
  });

  test('an administrator with nothing waiting lands on the workbench and is told where to go next', async () => {
    for (const [lang, width] of [
      ['zh-CN', 1366],
      ['en', 390],
    ] as const) {
      const { context, page } = await signIn('admin', lang, width);
      await page.waitForURL(/\/workbench$/);
      await page.getByTestId('workbench-empty').waitFor();
      assert.match(await page.getByTestId('workbench-empty').innerText(), lang === 'en' ? /Nothing waits for you/ : /没有等待您处理的事项/);
      const queues = await page.getByTestId('workbench-idle').evaluateAll((links) => links.map((l) => l.getAttribute('data-queue')));
      assert.deepEqual(queues, ['erasure.open', 'identityConflict.open']);
      await shot(page, `workbench-empty-admin-${lang === 'en' ? 'en' : 'zh'}-${width}`);
      await page.locator('[data-testid="workbench-idle"][data-queue="erasure.open"]').click();
      await page.waitForURL(/\/admin\/erasure-requests$/);
      await context.close();
    }
  });

  for (const lang of ['zh-CN', 'en'] as const) {
    for (const width of [1366, 390]) {
      test(`a registrar lands on the workbench, sees the transfer and opens it (${lang}, ${width} px)`, async () => {
        const { context, page } = await signIn('registrar.hxu', lang, width);
        await page.waitForURL(/\/workbench$/);
        const card = page.locator('[data-testid="workbench-card"][data-queue="transfer.decide"]');
        await card.waitFor();
        assert.ok(Number(await card.getAttribute('data-count')) >= 1);
        const oldest = await card.getByTestId('workbench-oldest').innerText();
        assert.match(oldest, lang === 'en' ? /Oldest waiting .*(minute|hour|day)/ : /最早一件已等待.*(分钟|小时|天)/);
        // the queue with work comes first
        assert.ok(Number(await page.getByTestId('workbench-card').first().getAttribute('data-count')) >= 1);
        if (width > 500) {
          // the menu: the workbench first, the transfer queue with its count
          assert.equal(await page.locator('nav .ant-menu-item a').first().getAttribute('href'), '/workbench');
          const badge = page.locator('[data-testid="menu-badge"][data-path="/institution/transfers"]');
          await badge.waitFor();
          assert.match(await badge.innerText(), /\d+/);
        }
        await shot(page, `workbench-registrar-${lang === 'en' ? 'en' : 'zh'}-${width}`);

        await card.getByTestId('workbench-open').click();
        await page.waitForURL(/\/institution\/transfers$/);
        const row = page.locator('[data-testid="transfer-queue-row"]').filter({ hasText: learnerName });
        await row.getByTestId('transfer-queue-link').click();
        await page.waitForURL(new RegExp(`/institution/transfers/${transferId}$`));
        await page.getByTestId('transfer-lines').waitFor();
        await context.close();
      });
    }
  }
});
