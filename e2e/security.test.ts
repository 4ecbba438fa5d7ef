// The web app under the server's defences: the security headers on the page, the whole app running
// under the Content-Security-Policy (a violation fails the page), and "log out everywhere" from the
// user menu ending the user's other sessions too.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { browserSession } from './harness.js';

const session = browserSession();

test.describe('security', () => {
  test('serves the web app with its security headers, and it runs under the CSP', async () => {
    const page = await session.newPage('en');
    const res = await page.goto(`${session.url}/login`);
    const headers = res!.headers();
    assert.match(headers['content-security-policy'] ?? '', /script-src 'self'(;|$)/);
    assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(headers['x-frame-options'], 'DENY');
    assert.equal(headers['referrer-policy'], 'no-referrer');
    await session.signIn(page, 'admin');
    // a page with charts (ECharts) and antd's run-time styles
    await page.goto(`${session.url}/`);
    await page.getByTestId('user-display-name').waitFor();
    await page.waitForTimeout(500);
    await page.context().close();
  });

  test('logs out everywhere from the user menu', async () => {
    const here = await session.newPage('zh-CN');
    const there = await session.newPage('zh-CN'); // another browser: its own session
    await session.signIn(here, 'learner01');
    await session.signIn(there, 'learner01');
    // a click that lands while the menu is still opening can miss the item: open it again
    for (let attempt = 1; ; attempt++) {
      try {
        await here.getByTestId('logout-more').click();
        await here.getByTestId('logout-everywhere').click({ timeout: 10_000 });
        await here.waitForURL(/\/login/, { timeout: 20_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        await here.keyboard.press('Escape');
      }
    }
    await there.reload();
    await there.waitForURL(/\/login/);
    assert.equal(await there.getByTestId('user-display-name').count(), 0);
    await here.context().close();
    await there.context().close();
  });
});
