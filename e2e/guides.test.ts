// The screenshots of the guides for each role (web/public/guides/img, issue 22 item 10), taken on
// the demo in Chinese and in English. They are committed files: this writes them only when asked,
//   flock /tmp/e2e.lock sh -c 'npm run build && GUIDE_SHOTS=1 npx playwright test e2e/guides.test.ts --workers=1'
// and is skipped otherwise (CI does not rewrite them). JPEG at 1280×800: small enough for a page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type Page } from '@playwright/test';
import { serverPerFile, PASSWORD, type Running } from './harness.js';

const IMG = fileURLToPath(new URL('../web/public/guides/img/', import.meta.url));
const LANGS = ['zh-CN', 'en'] as const;
type Lang = (typeof LANGS)[number];

test.skip(!process.env.GUIDE_SHOTS, 'GUIDE_SHOTS=1 retakes the guides’ screenshots');

let running: Running;
const server = serverPerFile();
test.beforeAll(() => {
  running = server.running;
  fs.mkdirSync(IMG, { recursive: true });
});

async function open(browser: import('@playwright/test').Browser, lang: Lang, username?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: lang });
  await context.addInitScript((l) => window.localStorage.setItem('creditbank.lang', l), lang);
  context.setDefaultNavigationTimeout(60_000);
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  if (username) {
    await page.goto(`${running.url}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-display-name').waitFor();
  }
  return page;
}

/** The window (not the whole page: the top of a page is what a reader meets) as a JPEG, once it has settled. */
async function shot(page: Page, url: string, name: string, lang: Lang, ready?: string) {
  await page.goto(`${running.url}${url}`);
  await page.waitForLoadState('networkidle');
  if (ready) await page.locator(ready).first().waitFor();
  await page
    .locator('.ant-spin-spinning, .ant-skeleton')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  const file = path.join(IMG, `${name}.${lang}.jpg`);
  await page.screenshot({ path: file, type: 'jpeg', quality: 80, animations: 'disabled' });
  assert.ok(fs.statSync(file).size < 150 * 1024, `${file} is under 150 kB`);
}

test('the guides’ screenshots, in Chinese and in English', async ({ browser }) => {
  test.setTimeout(900_000);
  // a transcript credential of learner31's, shared by a link, for the employer's guide
  const setup = await open(browser, 'zh-CN', 'learner31');
  const mine = async () =>
    ((await (await setup.request.get(`${running.url}/api/v1/me/credentials`)).json()) as { items: { id: string; shares: { url: string }[] }[] }).items;
  if ((await mine()).length === 0) {
    await setup.goto(`${running.url}/credentials`);
    await setup.getByTestId('transcript-issue').first().click();
    await setup.getByTestId('credential-row').first().waitFor();
  }
  const credential = (await mine())[0]!;
  const shared = await setup.request.post(`${running.url}/api/v1/credentials/${credential.id}/shares`, { data: { days: 30 } });
  assert.equal(shared.status(), 201, await shared.text());
  const shareId = new URL(((await shared.json()) as { url: string }).url).pathname;
  await setup.context().close();

  for (const lang of LANGS) {
    const learner = await open(browser, lang, 'learner01');
    await shot(learner, '/account', 'learner-account', lang);
    await learner.context().close();
    const holder = await open(browser, lang, 'learner31');
    await shot(holder, '/credentials', 'learner-credentials', lang, '[data-testid="credential-row"]');
    await holder.context().close();

    const registrar = await open(browser, lang, 'registrar.hxu');
    await shot(registrar, '/institution/transfers', 'registrar-transfers', lang);
    await shot(registrar, '/institution/credentials', 'registrar-credentials', lang);
    await registrar.context().close();

    const reviewer = await open(browser, lang, 'reviewer.jnvc');
    await shot(reviewer, '/review/certifications', 'reviewer-queue', lang);
    await reviewer.context().close();

    const committee = await open(browser, lang, 'committee');
    await shot(committee, '/committee/certifications', 'committee-queue', lang);
    await shot(committee, '/committee/standards', 'committee-standards', lang);
    await committee.context().close();

    const admin = await open(browser, lang, 'admin');
    await shot(admin, '/admin/audit', 'admin-audit', lang);
    await admin.context().close();

    const employer = await open(browser, lang);
    await shot(employer, shareId, 'employer-shared', lang);
    await shot(employer, '/verify', 'employer-verify', lang);
    await employer.context().close();
  }
});
