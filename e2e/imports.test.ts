// A registrar imports grades from a file: downloads the template, uploads a file with bad rows as a
// dry run, reads the report, fixes the file, commits it, and sees the credits in a learner's account.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type Browser, type Page } from '@playwright/test';
import { serverPerFile, PASSWORD, SHOTS, type Running } from './harness.js';

let running: Running;
let browser: Browser;
let dir: string;

// this file's server (started before its tests, stopped after them) and the worker's Chromium
const server = serverPerFile();
test.beforeAll(({ browser: b }) => {
  running = server.running;
  browser = b;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-e2e-files-'));
});
test.afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function upload(page: Page, file: string, mode: 'dry_run' | 'commit') {
  const previous =
    (await page
      .getByTestId('import-report')
      .getAttribute('data-job', { timeout: 500 })
      .catch(() => null)) ?? 'none';
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId(mode === 'dry_run' ? 'import-mode-dry-run' : 'import-mode-commit').click();
  await page.getByTestId('import-start').click();
  // the report of this upload, not the one still on the page from the last
  await page.locator(`[data-testid="import-report"][data-status="done"]:not([data-job="${previous}"])`).waitFor({ timeout: 60_000 });
}

test.describe('registrar imports course results', () => {
  test('dry-runs a file with bad rows, reads the report, fixes it, commits, and the credits arrive', async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    await context.addInitScript(() => window.localStorage.setItem('creditbank.lang', 'zh-CN'));
    const page = await context.newPage();
    page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
    await page.goto(`${running.url}/login`);
    await page.getByTestId('login-username').fill('registrar.hxu');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    // staff land on their workbench
    await page.waitForURL(/\/workbench$/);

    // two learners of the registrar's institution, and their balances before
    const me = await (await page.request.get(`${running.url}/api/v1/auth/me`)).json();
    const hxu = me.roles.find((r: { role: string }) => r.role === 'registrar').institutionId;
    const learners = (await (await page.request.get(`${running.url}/api/v1/institutions/${hxu}/learners?limit=2`)).json()).items;
    const balance = async (id: string) => {
      const view = await (await page.request.get(`${running.url}/api/v1/learners/${id}/account`)).json();
      return Number(view.balances.find((b: { unit: string }) => b.unit === 'credit')?.available ?? 0);
    };
    const before = await Promise.all(learners.map((l: { id: string }) => balance(l.id)));

    await page.locator('.ant-menu').getByText('数据导入').click();
    await page.waitForURL(/\/institution\/imports/);
    await page.getByTestId('import-kind').getByText('成绩').click();
    const template = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-csv').click()]).then(([d]) => d);
    const templatePath = path.join(dir, 'template.csv');
    await template.saveAs(templatePath);
    const header = fs
      .readFileSync(templatePath, 'utf8')
      .split('\r\n')[0]!
      .replace(/^\uFEFF/, '');
    assert.match(header, /^学号 Student number,/);

    // the template's columns, filled by the registrar, two rows wrong; in two new courses of the
    // catalogue (a course the learner passed before would be a retake, which earns no credits again)
    const [a, b] = learners.map((l: { externalId: string }) => l.externalId);
    for (const [i, code] of ['E2E101', 'E2E102'].entries()) {
      const created = await page.request.post(`${running.url}/api/v1/institutions/${hxu}/courses`, {
        data: { code, titleZh: `导入测试课程 ${i + 1}`, titleEn: `Import test course ${i + 1}`, credits: '2', hours: 32, iscedCode: '0613' },
      });
      assert.equal(created.status(), 201, await created.text());
    }
    const [a1, a2, b1, b2] = ['E2E101', 'E2E102', 'E2E101', 'E2E102'];
    const row = (id: string, course: string, grade: string) => [id, '', course, '2026-2027-1', '1', grade, '2026-11-20'].join(',');
    const bad = [header, row(a, a1, '91'), row(a, a2, '105'), row(b, b1, '78'), row(b, 'CS9999', '80')].join('\r\n');
    const badFile = path.join(dir, '成绩-第一版.csv');
    fs.writeFileSync(badFile, `\uFEFF${bad}\r\n`);
    await upload(page, badFile, 'dry_run');
    assert.equal(await page.getByTestId('report-rejected').innerText(), '2');
    await page.locator('[data-testid="issues-table"][data-loaded="true"]').waitFor();
    const issues = await page.getByTestId('issues-table').innerText();
    assert.match(issues, /105/);
    assert.match(issues, /CS9999/);
    await shot(page, 'import-dry-run-zh');
    assert.deepEqual(await Promise.all(learners.map((l: { id: string }) => balance(l.id))), before, 'a dry run changes nothing');

    // fixed and committed
    const good = [header, row(a, a1, '91'), row(a, a2, '95'), row(b, b1, '78'), row(b, b2, '80')].join('\r\n');
    const goodFile = path.join(dir, '成绩-修正版.csv');
    fs.writeFileSync(goodFile, `\uFEFF${good}\r\n`);
    await upload(page, goodFile, 'commit');
    assert.equal(await page.getByTestId('report-rejected').innerText(), '0');
    assert.equal(await page.getByTestId('report-created').innerText(), '4');
    await shot(page, 'import-committed-zh');

    const after = await Promise.all(learners.map((l: { id: string }) => balance(l.id)));
    assert.ok(after[0] > before[0] && after[1] > before[1], `credits were deposited: ${before} → ${after}`);

    // the learner's account, as the registrar sees it
    await page.goto(`${running.url}/institution/learners/${learners[0].id}`);
    await page.getByTestId('outcomes-table').locator('.ant-table-row').first().waitFor();
    assert.match(await page.getByTestId('outcomes-table').innerText(), /2026-2027-1/);
    await shot(page, 'import-learner-account-zh');

    await page.getByTestId('lang-switch').click();
    await page.locator('.ant-menu').getByText('Import', { exact: true }).click();
    await page.getByTestId('imports-table').locator('.ant-table-row').first().click();
    await page.getByTestId('import-report').waitFor();
    await shot(page, 'import-report-en');
    await context.close();
  });
});
