// A registrar corrects a grade in the browser, with a reason (issue 22, item 5): on the demo, HXU's
// registrar opens 刘思雨's account, is refused for a result whose credits a transfer holds (the
// refusal names the transfer), corrects another one with a reason; the old record stays, superseded,
// with its reason, and the learner reads that reason in their own record. In Chinese and in English.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { serverPerFile, PASSWORD, SHOTS, signedInApi, type Running } from './harness.js';

let running: Running;
let browser: Browser;

// this file's server (started before its tests, stopped after them) and the worker's Chromium
const server = serverPerFile();
test.beforeAll(({ browser: b }) => {
  running = server.running;
  browser = b;
});

async function shot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page
    .locator('.ant-spin-spinning, .ant-skeleton')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  await page
    .locator('.ant-message-notice')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  // as tall as the page, so that the fixed header is drawn once, at the top
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
  await page.setViewportSize(viewport);
}

async function signIn(username: string, lang: 'zh-CN' | 'en'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang });
  await context.addInitScript((l) => window.localStorage.setItem('creditbank.lang', l), lang);
  context.setDefaultNavigationTimeout(60_000); // the CPU is shared with other runs
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  await page.goto(`${running.url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return { context, page };
}

interface Outcome {
  id: string;
  courseCode: string;
  status: string;
  grade: string | null;
}

/** get/post over the harness's signed-in API call. */
async function apiOf(username: string) {
  const call = await signedInApi(running.url, username);
  return { get: <T = any>(p: string) => call<T>(p), post: <T = any>(p: string, body: unknown) => call<T>(p, body) }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const row = (page: Page, id: string) => page.locator(`[data-testid="outcomes-table"] tr[data-row-key="${id}"]`);

test.describe('a registrar corrects a grade with a reason', () => {
  test('refuses a result a transfer holds, naming it; corrects another, the learner reads why', async () => {
    const registrar = await apiOf('registrar.hxu');
    const me = await registrar.get('/auth/me');
    const hxu = me.roles.find((r: { role: string }) => r.role === 'registrar').institutionId as string;
    const institutions = (await (await fetch(`${running.url}/api/v1/institutions`)).json()).items as { id: string; code: string }[];
    const jnvc = institutions.find((i) => i.code === 'JNVC')!;
    // two new courses at HXU, and 刘思雨's results in them (her HXU student number is 20210032)
    for (const [i, code] of ['E2EC01', 'E2EC02'].entries()) {
      await registrar.post(`/institutions/${hxu}/courses`, {
        code,
        titleZh: `更正测试课程 ${i + 1}`,
        titleEn: `Correction test course ${i + 1}`,
        credits: '2',
        hours: 32,
        iscedCode: '0613',
      });
    }
    const first = await registrar.post(`/institutions/${hxu}/outcomes`, {
      externalId: '20210032',
      courseCode: 'E2EC01',
      term: '2025-2026-1',
      grade: '72',
      completedOn: '2026-01-15',
    });
    const held = await registrar.post(`/institutions/${hxu}/outcomes`, {
      externalId: '20210032',
      courseCode: 'E2EC02',
      term: '2025-2026-1',
      grade: '65',
      completedOn: '2026-01-15',
    });
    // the learner applies with E2EC02 to JNVC: a transfer holds its credits now
    const learner = await apiOf('learner32');
    const transfer = await learner.post('/me/transfers', { targetInstitutionId: jnvc.id, outcomeIds: [held.id] });

    // in Chinese: the refusal names the transfer; then a correction with a reason
    const zh = await signIn('registrar.hxu', 'zh-CN');
    await zh.page.goto(`${running.url}/institution/learners/${first.learnerId}`);
    await row(zh.page, held.id).getByTestId('outcome-correct').click();
    await zh.page.getByTestId('outcome-correct-grade').fill('80');
    await zh.page.getByTestId('outcome-correct-reason').fill('复核试卷后发现登分错误');
    await zh.page.getByTestId('outcome-correct-submit').click();
    const refusal = zh.page.locator('.ant-modal').getByRole('alert');
    await refusal.waitFor();
    const refusalText = await refusal.innerText();
    assert.match(refusalText, /E2EC02/);
    assert.match(refusalText, new RegExp(`转换申请 ${transfer.id.slice(0, 8)}（转入[^）]+）占用了这些学分`));
    await shot(zh.page, 'correction-refused-zh');
    await zh.page
      .locator('.ant-modal')
      .getByRole('button', { name: /取\s*消/ })
      .click();

    await row(zh.page, first.id).getByTestId('outcome-correct').click();
    await zh.page.getByTestId('outcome-correct-grade').fill('85');
    // no reason: the form says so and sends nothing
    await zh.page.getByTestId('outcome-correct-submit').click();
    await zh.page.locator('.ant-form-item-explain-error').filter({ hasText: '请说明更正原因' }).waitFor();
    await zh.page.getByTestId('outcome-correct-reason').fill('复核试卷后发现登分错误');
    await shot(zh.page, 'correction-form-zh');
    await zh.page.getByTestId('outcome-correct-submit').click();
    await zh.page.locator('.ant-modal').waitFor({ state: 'hidden' });
    await row(zh.page, first.id).getByTestId('outcome-reason').filter({ hasText: '原因：复核试卷后发现登分错误' }).waitFor();
    assert.equal(await row(zh.page, first.id).getByTestId('outcome-correct').count(), 0, 'a superseded record is not corrected again');
    const account = await registrar.get(`/learners/${first.learnerId}/account`);
    const corrected = (account.outcomes as Outcome[]).find((o) => o.courseCode === 'E2EC01' && o.status === 'recorded')!;
    assert.equal(corrected.grade, '85');
    await shot(zh.page, 'correction-done-zh');
    await zh.context.close();

    // in English: the corrected result is corrected once more
    const en = await signIn('registrar.hxu', 'en');
    await en.page.goto(`${running.url}/institution/learners/${first.learnerId}`);
    await row(en.page, corrected.id).getByTestId('outcome-correct').click();
    await en.page.getByTestId('outcome-correct-grade').fill('88');
    await en.page.getByTestId('outcome-correct-reason').fill('A second marker’s grade was missing');
    await shot(en.page, 'correction-form-en');
    await en.page.getByTestId('outcome-correct-submit').click();
    await en.page.locator('.ant-modal').waitFor({ state: 'hidden' });
    await row(en.page, corrected.id).getByTestId('outcome-reason').filter({ hasText: 'Reason: A second marker’s grade was missing' }).waitFor();
    await shot(en.page, 'correction-done-en');
    await en.context.close();

    // the learner reads the reasons in their own record and ledger
    const own = await signIn('learner32', 'zh-CN');
    await own.page.goto(`${running.url}/account`);
    await row(own.page, first.id).getByTestId('outcome-reason').filter({ hasText: '复核试卷后发现登分错误' }).waitFor();
    assert.equal(await own.page.getByTestId('outcome-correct').count(), 0, 'the learner has no correct action');
    await shot(own.page, 'correction-learner-zh');
    await own.context.close();
    const ledger = await learner.get(`/learners/${first.learnerId}/ledger?limit=20`);
    assert.ok(
      ledger.items.some((p: { kind: string; memo: string | null }) => p.kind === 'reversal' && p.memo === '复核试卷后发现登分错误'),
      'the reversing entry carries the reason',
    );
  });
});
