// Each user path in a real browser: the learner's account, a registrar's catalogue and learners,
// an administrator's institutions and audit log; in Chinese and in English, with screenshots.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test, type Browser, type Page } from '@playwright/test';
import { serverPerFile, PASSWORD, SHOTS, type Running } from './harness.js';

let running: Running;
let browser: Browser;

// this file's server (started before its tests, stopped after them) and the worker's Chromium
const server = serverPerFile();
test.beforeAll(({ browser: b }) => {
  running = server.running;
  browser = b;
});

async function newPage(lang: 'zh-CN' | 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: lang });
  await context.addInitScript((l) => window.localStorage.setItem('creditbank.lang', l), lang);
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  return page;
}

async function signIn(page: Page, username: string, password = PASSWORD) {
  await page.goto(`${running.url}/`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

test.describe('learner', () => {
  test('signs in, sees the account with credits by state, outcomes and ledger, in Chinese then English', async () => {
    const page = await newPage('zh-CN');
    await page.goto(`${running.url}/account`);
    await page.waitForURL(/\/login/);
    await shot(page, 'login-zh');
    await signIn(page, 'learner01');
    await page.waitForURL(/\/account/);
    await page.getByTestId('account-number').waitFor();
    assert.match(await page.getByTestId('account-number').innerText(), /^CB\d{12}$/);
    assert.match(await page.getByTestId('balance-available').first().innerText(), /\d/);
    const outcomeRows = await page.getByTestId('outcomes-table').locator('.ant-table-row').count();
    assert.ok(outcomeRows > 5, `expected outcome rows, saw ${outcomeRows}`);
    await page.getByTestId('ledger-table').locator('.ant-table-row').first().waitFor(); // the history comes after the account
    const ledgerText = await page.getByTestId('ledger-table').innerText();
    assert.match(ledgerText, /冲正/, 'the corrected grade shows as a reversal');
    assert.match(await page.locator('body').innerText(), /可用学分|可用/);
    assert.match(await page.locator('body').innerText(), /ECTS/);
    await shot(page, 'account-zh');

    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const body = await page.locator('body').innerText();
    assert.match(body, /Available/);
    assert.match(await page.getByTestId('ledger-table').innerText(), /Reversal/);
    assert.doesNotMatch(body, /可用学分/);
    await shot(page, 'account-en');

    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
    await page.context().close();
  });

  test('is told plainly when the password is wrong', async () => {
    const page = await newPage('en');
    await signIn(page, 'learner01', 'not-the-password');
    await page.getByTestId('login-error').waitFor();
    assert.match(await page.getByTestId('login-error').innerText(), /Wrong username or password|password/i);
    await shot(page, 'login-error-en');
    await page.context().close();
  });
});

test.describe('registrar', () => {
  test('browses the catalogue, finds a course, opens a learner’s account', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'registrar.hxu');
    // staff land on their workbench; the catalogue is a menu entry away
    await page.waitForURL(/\/workbench$/);
    await page.goto(`${running.url}/institution/courses`);
    await page.getByTestId('courses-table').locator('.ant-table-row').first().waitFor();
    assert.ok((await page.getByTestId('courses-table').locator('.ant-table-row').count()) >= 20);
    await shot(page, 'catalogue-zh');
    await page.getByTestId('courses-search').fill('数据');
    await page.keyboard.press('Enter');
    // the table refills with the matching courses only (it is empty while the search loads)
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="courses-table"] .ant-table-row')];
      return rows.length > 0 && rows.length < 20 && rows.every((r) => r.textContent?.includes('数据'));
    });

    await page.locator('.ant-menu').getByText('学习者').click();
    await page.waitForURL(/\/institution\/learners/);
    await page.getByTestId('learners-table').locator('.ant-table-row a').first().waitFor();
    await shot(page, 'learners-zh');
    await page.getByTestId('learners-table').locator('.ant-table-row a').first().click();
    await page.getByTestId('account-number').waitFor();
    await shot(page, 'registrar-learner-account-zh');
    await page.context().close();
  });
});

test.describe('administrator', () => {
  test('sees the alliance’s institutions and the audit log', async () => {
    const page = await newPage('en');
    await signIn(page, 'admin');
    await page.waitForURL(/\/workbench$/);
    await page.goto(`${running.url}/admin/institutions`);
    await page.getByTestId('institutions-table').locator('.ant-table-row').first().waitFor();
    const text = await page.getByTestId('institutions-table').innerText();
    for (const name of ['Huaxia University', 'Jiangnan', 'Noordhaven']) assert.match(text, new RegExp(name));
    await shot(page, 'institutions-en');
    await page.locator('.ant-menu').getByText('Audit log').click();
    await page.getByTestId('audit-table').locator('.ant-table-row').first().waitFor();
    await shot(page, 'audit-en');
    await page.context().close();
  });
});
