// The guides for each role in the app (issue 22, item 10): the "?" in the header opens a menu of them,
// the reader's own first; /help/:role shows one in the UI's language, images included, on a phone too.
// Signed out, the menu leads with the employer's guide; a learner opens theirs in Chinese, switches
// to English and reads it in English. An unknown guide is a page that says so, not an error.
import assert from 'node:assert/strict';
import { test, type Page } from '@playwright/test';
import { browserSession } from './harness.js';
import { switchLanguage } from './ui.js';

const session = browserSession();

/** Every image of the guide has loaded (they load lazily: each is scrolled into view first). */
async function imagesLoaded(page: Page) {
  const images = page.getByTestId('guide-image');
  const count = await images.count();
  assert.ok(count >= 1, 'the guide shows at least one image');
  for (let i = 0; i < count; i++) {
    const img = images.nth(i);
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction((el) => (el as HTMLImageElement).complete, await img.elementHandle());
    const width = await img.evaluate((el) => (el as HTMLImageElement).naturalWidth);
    assert.ok(width > 0, `image ${await img.getAttribute('src')} loaded`);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

async function noSidewaysOverflow(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `no sideways scrolling: ${scroll} > ${client}`);
}

const title = (page: Page) => page.getByTestId('guide-text').locator('h1').innerText();
const cjk = (s: string) => (s.match(/[\u4e00-\u9fff]/g) ?? []).length;

test('signed out, the help menu leads with the employer’s guide, which opens in the reader’s language', async () => {
  const page = await session.newPage('zh-CN');
  await page.goto(`${session.url}/standards`);
  await page.getByTestId('help-menu').click();
  const first = page.locator('.ant-dropdown:not(.ant-dropdown-hidden) [data-testid^="help-guide-"]').first();
  assert.equal(await first.getAttribute('data-testid'), 'help-guide-employer');
  assert.equal(await page.locator('.ant-dropdown:not(.ant-dropdown-hidden) [data-testid^="help-guide-"]').count(), 6, 'every role’s guide is listed');
  await session.shot(page, 'help-menu-signed-out-zh', false);
  await first.click();
  await page.waitForURL(/\/help\/employer$/);
  assert.equal(await title(page), '用人单位指南：核验凭证');
  assert.match(await page.getByTestId('guide-text').innerText(), /无需账号|不需要账号/);
  await imagesLoaded(page);
  // still the public frame: a way in, no one's menu
  await page.getByTestId('public-sign-in').waitFor();
  await switchLanguage(page, 'en');
  await page.getByTestId('guide-text').locator('h1', { hasText: 'Guide for employers' }).waitFor();
  assert.equal(cjk(await page.getByTestId('guide-text').innerText()), 0, 'the English guide is English');
  await session.shot(page, 'help-employer-en');

  // an address with no guide says so and offers the guides there are; the guides are files, not the app
  await page.goto(`${session.url}/help/nobody`);
  await page.getByTestId('help-link-learner').waitFor();
  assert.equal(await page.getByTestId('guide-text').count(), 0);
  const missing = await page.request.get(`${session.url}/guides/nobody.en.md`);
  assert.equal(missing.status(), 404, 'a missing guide is a 404, not the web app');
  const guide = await page.request.get(`${session.url}/guides/learner.zh-CN.md`);
  assert.equal(guide.status(), 200);
  assert.match(guide.headers()['content-type'] ?? '', /markdown/);
  await page.context().close();
});

test('a learner opens their guide from the header in Chinese, then reads it in English', async () => {
  const page = await session.newPage('zh-CN');
  await session.signIn(page, 'learner01');
  await page.getByTestId('help-menu').click();
  const items = page.locator('.ant-dropdown:not(.ant-dropdown-hidden) [data-testid^="help-guide-"]');
  await items.first().waitFor();
  assert.equal(await items.first().getAttribute('data-testid'), 'help-guide-learner', 'the learner’s own guide comes first');
  assert.match(await page.locator('.ant-dropdown:not(.ant-dropdown-hidden)').innerText(), /我的指南[\s\S]*学习者指南[\s\S]*其他角色/);
  await items.first().click();
  // a click that lands while the menu is still opening does nothing: open it and click again
  for (
    let attempt = 1;
    attempt < 3 &&
    !(await page.waitForURL(/\/help\/learner$/, { timeout: 10_000 }).then(
      () => true,
      () => false,
    ));
    attempt++
  ) {
    if (!(await items.first().isVisible())) await page.getByTestId('help-menu').click();
    await items.first().click();
  }
  await page.waitForURL(/\/help\/learner$/);
  assert.equal(await title(page), '学习者指南');
  const zh = await page.getByTestId('guide-text').innerText();
  assert.ok(cjk(zh) > 500, 'the guide is in Chinese');
  // it names the menu as the app shows it in Chinese
  for (const name of ['我的账户', '学习成果认定', '学分转换', '我的可验证凭证', '忘记密码？']) assert.ok(zh.includes(name), name);
  // the app's own menu stays: the guide is a page of the app for someone signed in
  await page.getByTestId('user-display-name').waitFor();
  await imagesLoaded(page);
  assert.match((await page.getByTestId('guide-image').first().getAttribute('src')) ?? '', /^\/guides\/img\/learner-account\.zh-CN\.jpg$/);
  await session.shot(page, 'help-learner-zh');

  await switchLanguage(page, 'en');
  await page.getByTestId('guide-text').locator('h1', { hasText: 'Guide for learners' }).waitFor();
  const en = await page.getByTestId('guide-text').innerText();
  assert.equal(cjk(en), 0, 'the guide is in English');
  for (const name of ['My account', 'Certification', 'Credit transfer', 'My credentials', 'Forgot password?']) assert.ok(en.includes(name), name);
  await imagesLoaded(page);
  assert.match((await page.getByTestId('guide-image').first().getAttribute('src')) ?? '', /learner-account\.en\.jpg$/);
  await session.shot(page, 'help-learner-en');

  // another role's guide, from the links under the guide
  await page.getByTestId('help-link-registrar').click();
  await page.getByTestId('guide-text').locator('h1', { hasText: 'Guide for registrars' }).waitFor();
  await page.context().close();
});

test('on a phone (390 px) the guide and its images fit the width, signed in or not', async () => {
  for (const signedIn of [false, true]) {
    const page = await session.newPage(signedIn ? 'en' : 'zh-CN');
    await page.setViewportSize({ width: 390, height: 844 });
    if (signedIn) await session.signIn(page, 'learner01');
    await page.goto(`${session.url}/help/${signedIn ? 'learner' : 'employer'}`);
    await page.getByTestId('guide-text').locator('h1').waitFor();
    await imagesLoaded(page);
    await noSidewaysOverflow(page);
    const box = await page.getByTestId('guide-image').first().boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the image is scaled to the screen');
    // the help button is there on a phone too
    await page.getByTestId('help-menu').click();
    await page.locator('.ant-dropdown:not(.ant-dropdown-hidden) [data-testid^="help-guide-"]').first().waitFor();
    await noSidewaysOverflow(page);
    await page.keyboard.press('Escape');
    await session.shot(page, signedIn ? 'help-learner-phone-en' : 'help-employer-phone-zh', false);
    await page.context().close();
  }
});
