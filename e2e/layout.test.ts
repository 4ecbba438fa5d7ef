// Issue 22, items 3, 4 and 6 in a real browser: readable on a phone (390 × 844) and on a laptop
// (1366 × 768), in Chinese and in English, and names instead of raw identifiers. Each page's last
// column must be within the window (or reachable by scrolling the table, its scrollbar in view), the
// header's user name must not cover the page title, and the ledger names its sources.
import assert from 'node:assert/strict';
import { test, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import { browserSession, signedInApi, SHOTS } from './harness.js';

const session = browserSession();

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };
const LANGS = ['zh-CN', 'en'] as const;
type Lang = (typeof LANGS)[number];
const short = (lang: Lang) => (lang === 'en' ? 'en' : 'zh');

async function open(lang: Lang, size: { width: number; height: number }, username: string | null, path: string): Promise<Page> {
  const page = await session.newPage(lang);
  await page.setViewportSize(size);
  if (username) await session.signIn(page, username);
  await page.goto(`${session.url}${path}`);
  return page;
}

type Box = { x: number; y: number; width: number; height: number };
async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  assert.ok(b, 'the element is shown');
  return b;
}
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The page does not scroll sideways: nothing is wider than the window. */
async function assertNoPageOverflow(page: Page) {
  const { scroll, client, wide } = await page.evaluate(() => {
    const client = document.documentElement.clientWidth;
    // the outermost elements that stick out, to say what does
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > client + 1 && (el.parentElement?.getBoundingClientRect().right ?? 0) <= client + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 50)} "${(el.textContent ?? '').slice(0, 40)}"`);
    return { scroll: document.documentElement.scrollWidth, client, wide };
  });
  assert.ok(scroll <= client + 1, `the page is ${scroll}px wide in a ${client}px window: ${wide.join('; ')}`);
}

/** The last cell of the table's first row is within the window as it is (no sideways scrolling needed). */
async function assertLastColumnInView(page: Page, table: Locator) {
  const cell = table.locator('.ant-table-tbody > tr.ant-table-row').first().locator('> td').last();
  const b = await box(cell);
  const width = page.viewportSize()!.width;
  assert.ok(b.x + b.width <= width + 1, `the last column ends at ${Math.round(b.x + b.width)}px, past the ${width}px window`);
  // and the table itself does not scroll sideways
  const sideways = await table
    .locator('.ant-table-content, .ant-table-body')
    .first()
    .evaluate((el) => el.scrollWidth - el.clientWidth);
  assert.ok(sideways <= 1, `the table scrolls sideways by ${sideways}px`);
}

test.describe('phone: header and ledger', () => {
  for (const lang of LANGS) {
    test(`learner02's account at 390 × 844 (${lang}): the name beside the title, the ledger as cards naming its sources`, async () => {
      const page = await open(lang, PHONE, 'learner02', '/account');
      await page.getByTestId('account-number').waitFor();
      // where the credits are held, institution by institution, fits without scrolling sideways
      await page.getByTestId('balances-by-institution').locator('tbody tr.ant-table-row').first().waitFor();
      await assertLastColumnInView(page, page.getByTestId('balances-by-institution'));
      const cards = page.getByTestId('ledger-card');
      await cards.first().waitFor();
      await session.shot(page, `layout-phone-account-${short(lang)}`);
      await page.locator('.cb-header').screenshot({ path: path.join(SHOTS, `layout-phone-header-${short(lang)}.png`) });
      await cards.first().screenshot({ path: path.join(SHOTS, `layout-phone-ledger-card-${short(lang)}.png`) });

      // the header is one line: the user's name is on it, inside the window, and covers nothing
      const header = await box(page.locator('.cb-header'));
      assert.ok(header.height <= 64, `the header is ${header.height}px tall`);
      const name = await box(page.getByTestId('user-display-name'));
      assert.ok(name.height < 30, `the user's name is ${name.height}px tall: squeezed into a column`);
      assert.ok(name.x >= 0 && name.x + name.width <= PHONE.width, 'the name is inside the window');
      assert.ok(!overlap(name, await box(page.getByTestId('learner-name'))), 'the name does not cover the page title');
      await assertNoPageOverflow(page);

      // every posting's fields are on its card, in the window; sources by name, no raw ids
      const n = await cards.count();
      assert.ok(n > 3, `ledger cards: ${n}`);
      for (let i = 0; i < n; i++) {
        const b = await box(cards.nth(i));
        assert.ok(b.x >= 0 && b.x + b.width <= PHONE.width, `card ${i} fits the window`);
      }
      const text = await page.getByTestId('ledger-cards').innerText();
      assert.doesNotMatch(text, /#[0-9a-f]{8}/, 'no raw ids in the ledger');
      assert.match(text, lang === 'en' ? /available [\d.]+ · used [\d.]+/ : /可用 [\d.]+ · 已用 [\d.]+/, 'the balance after each posting');
      const firstSource = await cards.last().getByTestId('ledger-source').innerText();
      assert.match(firstSource, /\p{L}{2,}/u, 'the first deposit names its course');
      await page.context().close();
    });
  }

  test('the transfer check at 390 × 844: the form fits, the results scroll within their table', async () => {
    const page = await open('zh-CN', PHONE, 'learner02', '/transfer-check');
    await page.getByTestId('tc-mine').click();
    const { pick } = await import('./ui.js');
    await pick(page, page.getByTestId('tc-target'), 'HXU');
    await page.getByTestId('tc-run').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="tc-row"]').length > 5);
    await session.shot(page, 'layout-phone-transfer-check-zh');
    await assertNoPageOverflow(page);
    await page.context().close();
  });
});

test.describe('phone: lists and filter bars', () => {
  for (const lang of LANGS) {
    test(`learner02's credentials at 390 × 844 (${lang}): the "get the transcript" buttons go under their institution and wrap`, async () => {
      const page = await open(lang, PHONE, 'learner02', '/credentials');
      const source = page.getByTestId('transcript-source').first();
      await source.waitFor();
      // what can be issued is a list of cards, each with its record, date, credits and button in the window
      const claims = page.getByTestId('claim-card-item');
      await claims.first().waitFor();
      for (let i = 0; i < Math.min(await claims.count(), 5); i++) {
        const b = await box(claims.nth(i));
        assert.ok(b.x >= 0 && b.x + b.width <= PHONE.width, `claim card ${i} fits the window`);
      }
      await assertLastColumnInView(page, page.getByTestId('claim-table'));
      await session.shot(page, `layout-phone-credentials-${short(lang)}`);
      await assertNoPageOverflow(page);
      await page.context().close();
    });
    test(`the public standards catalogue at 390 × 844 (${lang}): the search box and the filters fit`, async () => {
      const page = await open(lang, PHONE, null, '/standards');
      await page.getByTestId('standards-count').waitFor();
      await session.shot(page, `layout-phone-standards-${short(lang)}`);
      await assertNoPageOverflow(page);
      await page.context().close();
    });
  }
});

test.describe('laptop: no cut-off columns', () => {
  for (const lang of LANGS) {
    test(`"will it transfer?" at 1366 × 768 (${lang}): the reason and the "ask them to evaluate" buttons are in the window`, async () => {
      const page = await open(lang, LAPTOP, 'learner02', '/transfer-check');
      await page.getByTestId('tc-mine').click();
      const { pick } = await import('./ui.js');
      await pick(page, page.getByTestId('tc-target'), 'HXU');
      await page.getByTestId('tc-run').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="tc-row"]').length > 5);
      await session.shot(page, `layout-laptop-transfer-check-${short(lang)}`);
      const table = page.getByTestId('tc-results').locator('.ant-table').first();
      await assertLastColumnInView(page, table);
      const reasons = page.getByTestId('tc-reason');
      for (let i = 0; i < (await reasons.count()); i++) {
        const b = await box(reasons.nth(i));
        assert.ok(b.x + b.width <= LAPTOP.width, `reason ${i} ends at ${b.x + b.width}px`);
      }
      const ask = page.getByTestId('tc-request-eval');
      if ((await ask.count()) > 0) {
        const b = await box(ask.first());
        assert.ok(b.x + b.width <= LAPTOP.width, 'the "ask them to evaluate" button is in the window');
      }
      await assertNoPageOverflow(page);
      await page.context().close();
    });

    test(`the ledger at 1366 × 768 (${lang}): the balance column in the window, sources named`, async () => {
      const page = await open(lang, LAPTOP, 'learner02', '/account');
      const table = page.getByTestId('ledger-table');
      await table.locator('.ant-table-row').first().waitFor();
      await table.scrollIntoViewIfNeeded();
      await session.shot(page, `layout-laptop-account-${short(lang)}`);
      await page.locator('.cb-header').screenshot({ path: path.join(SHOTS, `layout-laptop-header-${short(lang)}.png`) });
      await table
        .locator('.ant-table-row')
        .first()
        .screenshot({ path: path.join(SHOTS, `layout-laptop-ledger-row-${short(lang)}.png`) });
      // the header's name on one line, beside its icon
      const name = await box(page.getByTestId('user-display-name'));
      assert.ok(name.height < 30, `the user's name is ${name.height}px tall`);
      assert.ok(name.y < 40, 'the name is on the header line');
      await assertLastColumnInView(page, table);
      const text = await table.innerText();
      assert.doesNotMatch(text, /#[0-9a-f]{8}/, 'no raw ids in the ledger');
      // the first deposit (the last row) names the course it came from, as the outcomes table does
      const outcomeTitles = await page.getByTestId('outcomes-table').locator('.ant-table-row td:nth-child(3)').allInnerTexts();
      const source = await table.locator('.ant-table-row').last().getByTestId('ledger-source').innerText();
      assert.ok(
        outcomeTitles.some((title) => title.trim() && source.includes(title.trim())),
        `the ledger source "${source}" is one of the courses: ${outcomeTitles.slice(0, 5).join(', ')}…`,
      );
      await page.context().close();
    });

    test(`the registrar's catalogue at 1366 × 768 (${lang}): the last column in the window, ISCED fields named`, async () => {
      const page = await open(lang, LAPTOP, 'registrar.hxu', '/institution/courses');
      const table = page.getByTestId('courses-table');
      await table.locator('.ant-table-row').first().waitFor();
      await session.shot(page, `layout-laptop-catalogue-${short(lang)}`);
      await assertLastColumnInView(page, table);
      const text = await table.innerText();
      // an ISCED code never stands alone: "0613 · Software and applications development and analysis"
      assert.match(text, lang === 'en' ? /0613 · Software and applications development/ : /0613 · 软件和应用程序开发与分析/);
      await page.context().close();
    });

    test(`the public standards catalogue at 1366 × 768 (${lang}): the last column in the window, levels and fields named`, async () => {
      const page = await open(lang, LAPTOP, null, '/standards');
      const table = page.getByTestId('standards-table');
      await table.locator('.ant-table-row').first().waitFor();
      await session.shot(page, `layout-laptop-standards-${short(lang)}`);
      await assertLastColumnInView(page, table);
      await page.context().close();
    });
  }
});

test.describe('names instead of identifiers', () => {
  for (const lang of LANGS) {
    test(`the audit log (${lang}): actions in words, once; entities and people by name`, async () => {
      const page = await open(lang, LAPTOP, 'admin', '/admin/audit');
      const table = page.getByTestId('audit-table');
      await table.locator('.ant-table-row').first().waitFor();
      await session.shot(page, `layout-audit-${short(lang)}`);
      await table.locator('.ant-table-tbody').screenshot({ path: path.join(SHOTS, `layout-audit-rows-${short(lang)}.png`) });
      const actions = await table
        .locator('.ant-table-row')
        .evaluateAll((rows) => rows.map((r) => (r.querySelector('[data-testid="audit-action"]')?.textContent ?? '').trim()));
      for (const a of actions) {
        assert.doesNotMatch(a, /^[a-z_]+\.[a-z_]+/, `an action in words, not a code: "${a}"`);
        const words = a.split(/\s+/);
        assert.ok(words.length < 2 || words[0] !== words[1], `the action is not doubled: "${a}"`);
      }
      const text = await table.innerText();
      assert.doesNotMatch(text, /[0-9a-f]{8}…/, 'no truncated UUIDs');
      await assertLastColumnInView(page, table);
      await page.context().close();
    });
  }

  test('the learner’s credentials say "signed", not the cryptosuite; the award shows who approved it by name', async () => {
    // learner31's award, approved by HXU's registrar, and its credential
    const learner = await signedInApi(session.url, 'learner31');
    const registrar = await signedInApi(session.url, 'registrar.hxu');
    const programmes = await learner<{ items: { id: string; code: string }[] }>('/programmes');
    const cb = programmes.items.find((p) => p.code === 'CB-BACHELOR')!;
    const award = await learner<{ id: string }>('/me/awards', { programmeId: cb.id });
    const approved = await registrar<{ decidedBy: string | null }>(`/awards/${award.id}/approve`, {});
    const me = await registrar<{ displayName: string; username: string }>('/auth/me');
    assert.equal(approved.decidedBy, me.displayName, 'the approver by name');

    for (const lang of LANGS) {
      const page = await open(lang, LAPTOP, 'learner31', '/credentials');
      const claim = page.locator('[data-testid="claim-row"][data-kind="award"]');
      if (lang === 'zh-CN') {
        await claim.getByTestId('claim-issue').click();
      }
      const row = page.locator('[data-testid="credential-row"][data-kind="award"]');
      await row.waitFor();
      await page.locator('.ant-message-notice').waitFor({ state: 'detached' });
      await session.shot(page, `layout-credentials-${short(lang)}`);
      const text = await page.locator('main, .cb-content').first().innerText();
      assert.doesNotMatch(text, /eddsa|rdfc|jcs-2022/i, 'no cryptosuite names for the learner');
      assert.match(await row.getByTestId('credential-suite').innerText(), lang === 'en' ? /Signed/ : /已签名/);
      await page.context().close();
    }
  });
});
