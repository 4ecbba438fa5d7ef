// The conversion standards catalogue in a real browser: an anonymous visitor asks "what can my
// certificate earn?"; a committee member drafts a new version of a standard, may not approve their
// own draft, and a second member approves it; a draft is discarded; an administrator sets the
// committee's quorum. Screenshots in Chinese and English.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test, type Page } from '@playwright/test';
import { browserSession, PASSWORD, SHOTS } from './harness.js';
import { confirmAccepted, confirmRefused, pick } from './ui.js';

const session = browserSession();
const { newPage, signIn, shot } = session;

async function closeDrawer(page: Page) {
  await page.locator('.cb-standard-drawer .ant-drawer-close').click();
  await page.locator('.cb-standard-drawer .ant-drawer-content').waitFor({ state: 'hidden' });
}

const rows = (page: Page, table: string) => page.getByTestId(table).locator('.ant-table-row');

/** Searches a table's box and waits until every row shown contains `text`. */
async function search(page: Page, box: string, table: string, text: string) {
  await page.getByTestId(box).fill(text);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    ([t, s]) => {
      const found = [...document.querySelectorAll(`[data-testid="${t}"] .ant-table-row`)];
      return found.length > 0 && found.every((r) => r.textContent?.includes(s));
    },
    [table, text] as const,
  );
}

const openDrawer = (page: Page) => page.locator('.cb-standard-drawer .ant-drawer-content');

// the tests build on what the ones before them did, on one server: in order, and after a failure the rest are skipped
test.describe.configure({ mode: 'serial' });

test.describe('anonymous visitor', () => {
  test('finds the catalogue from the login page, searches a certificate, sees its credits and opens it', async () => {
    const page = await newPage('zh-CN');
    await page.goto(`${session.url}/login`);
    await page.getByTestId('login-standards-link').click();
    await page.waitForURL(/\/standards$/);
    await rows(page, 'standards-table').first().waitFor();
    assert.ok((await rows(page, 'standards-table').count()) >= 5, 'the demo seeds several standards in force');
    const body = await page.locator('body').innerText();
    assert.match(body, /我的证书能换多少学分/);
    assert.match(body, /转换标准目录/);
    assert.ok(await page.getByTestId('public-sign-in').isVisible(), 'a way to sign in');
    await shot(page, 'standards-catalogue-zh');

    await search(page, 'standards-search', 'standards-table', 'Web 前端开发');
    assert.match(page.url(), /q=Web/, 'the search is in the address, to share');
    const credits = await rows(page, 'standards-table').first().getByTestId('standard-credits').innerText();
    assert.match(credits, /^\d+(\.\d+)?$/, `credits shown, saw ${credits}`);
    const rowText = await rows(page, 'standards-table').first().innerText();
    assert.match(rowText, /学分|ECTS/);
    assert.match(rowText, /EQF \d/);

    await rows(page, 'standards-table').first().click();
    const drawer = openDrawer(page);
    await drawer.getByTestId('standard-versions').locator('.ant-table-row').first().waitFor();
    assert.equal(await drawer.getByTestId('standard-drawer-credits').innerText(), credits);
    assert.match(await drawer.innerText(), /全部版本/);
    const apply = drawer.getByTestId('standard-apply');
    assert.match((await apply.getAttribute('href')) ?? '', /\/certifications\/new\?standard=[0-9a-f-]{36}$/);
    await shot(page, 'standards-drawer-zh', false);
    await closeDrawer(page);

    await search(page, 'standards-search', 'standards-table', '电工');
    assert.match(await rows(page, 'standards-table').first().getByTestId('standard-credits').innerText(), /\d/);

    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.getByTestId('standards-search').fill('');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="standards-table"] .ant-table-row').length >= 5);
    const en = await page.locator('body').innerText();
    assert.match(en, /What can my certificate earn\?/);
    assert.doesNotMatch(en, /我的证书能换多少学分/);
    await shot(page, 'standards-catalogue-en');
    await page.context().close();
  });
});

test.describe('learner', () => {
  test('applies from the catalogue: signs in on the way and lands on the application form for that standard', async () => {
    const page = await newPage('zh-CN');
    await page.goto(`${session.url}/standards?q=${encodeURIComponent('电工')}`);
    await rows(page, 'standards-table').first().getByTestId('standard-open').click();
    const apply = openDrawer(page).getByTestId('standard-apply');
    const href = (await apply.getAttribute('href'))!;
    await apply.click();
    await page.waitForURL(/\/login/);
    await page.getByTestId('login-username').fill('learner01');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname + url.search === href);

    // Signed in, the catalogue keeps the app's menu.
    await page.locator('.ant-menu').getByText('转换标准目录').click();
    await page.waitForURL(/\/standards$/);
    await rows(page, 'standards-table').first().waitFor();
    assert.ok(await page.getByTestId('user-display-name').isVisible());
    assert.equal(await page.getByTestId('public-sign-in').count(), 0);
    await page.context().close();
  });
});

/** Opens the committee's page, shows the drafts only and waits for rows matching `text`. */
async function openDrafts(page: Page, text: string, optionLabel: string) {
  await page.goto(`${session.url}/committee/standards`);
  await rows(page, 'standards-manage-table').first().waitFor();
  await pick(page, page.getByTestId('standards-status-filter'), optionLabel);
  await search(page, 'standards-manage-search', 'standards-manage-table', text);
}

test.describe('committee member', () => {
  test('drafts a new version of a standard with other credits; another member approves it; the catalogue shows the new credits', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'committee');
    await page.locator('.ant-menu').getByText('标准管理').click();
    await page.waitForURL(/\/committee\/standards/);
    await rows(page, 'standards-manage-table').first().waitFor();
    await shot(page, 'standards-manage-zh');

    await search(page, 'standards-manage-search', 'standards-manage-table', '电工');
    const approved = rows(page, 'standards-manage-table')
      .filter({ has: page.getByTestId('standard-new-version') })
      .first();
    const before = (await approved.getByTestId('standard-credits').innerText()).match(/[\d.]+/)![0];
    const next = String(Number(before) + 1);
    await approved.click();
    const drawer = openDrawer(page);
    await drawer.getByTestId('standard-new-version').click();

    const form = page.locator('.cb-standard-form .ant-drawer-content');
    await form.getByTestId('standard-field-credits').waitFor();
    assert.ok(await form.getByTestId('standard-field-code').isDisabled(), 'a new version keeps its code');
    await form.getByTestId('standard-field-credits').fill(next);
    // The demo's cap per standard equals its credits: the server refuses the raise and names the cap.
    await form.getByTestId('standard-form-submit').click();
    const refusal = form.getByRole('alert').first();
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /capStandard/);
    await form.locator('.ant-form-item-has-error').getByTestId('standard-field-cap-standard').waitFor();
    await shot(page, 'standards-new-version-refused-zh', false);
    await form.getByTestId('standard-field-cap-standard').fill(next);
    await shot(page, 'standards-new-version-zh', false);
    await form.getByTestId('standard-form-submit').click();

    // The drawer now shows the new draft. Four eyes: its drafter may not approve it.
    await page.locator('.cb-standard-form').waitFor({ state: 'detached' });
    await drawer.getByTestId('standard-drawer-credits').filter({ hasText: next }).waitFor();
    assert.match(await drawer.getByTestId('standard-status').first().innerText(), /草稿/);
    const ownApprove = drawer.getByTestId('standard-approve');
    assert.ok(await ownApprove.isDisabled(), 'the drafter cannot approve their own draft');
    await ownApprove.hover();
    const tip = page.locator('.ant-tooltip:visible');
    await tip.waitFor();
    assert.match(await tip.innerText(), /另一位专家委员会成员批准/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'standards-own-draft-zh.png') });
    // The discard dialog asks why; cancelling keeps the draft.
    await drawer.getByTestId('standard-discard').click();
    const dialog = page.locator('.ant-modal-content');
    await dialog.getByTestId('standard-discard-reason').waitFor();
    assert.match(await dialog.innerText(), /放弃草稿/);
    await shot(page, 'standards-discard-zh', false);
    await dialog.locator('.ant-modal-footer .ant-btn').first().click();
    await dialog.waitFor({ state: 'hidden' });
    assert.match(await drawer.getByTestId('standard-status').first().innerText(), /草稿/);
    await closeDrawer(page);

    // A second committee member opens the draft and approves it.
    const second = await newPage('zh-CN');
    await signIn(second, 'committee2');
    await openDrafts(second, '电工', '草稿');
    await rows(second, 'standards-manage-table').first().click();
    const secondDrawer = openDrawer(second);
    await secondDrawer.getByTestId('standard-drawer-credits').filter({ hasText: next }).waitFor();
    assert.ok(await secondDrawer.getByTestId('standard-approve').isEnabled(), 'another member may approve');
    await secondDrawer.getByTestId('standard-approve').click();
    await confirmAccepted(second.getByTestId('standard-approve-confirm'));
    await second.waitForFunction(() => {
      const d = document.querySelector('.cb-standard-drawer .ant-drawer-content');
      return d?.querySelector('[data-testid="standard-status"]')?.textContent?.includes('已批准');
    });
    const versions = await secondDrawer.getByTestId('standard-versions').innerText();
    assert.match(versions, /v2/);
    await shot(second, 'standards-approved-zh', false);
    await second.context().close();

    // The public catalogue shows the version in force: the new credits.
    const visitor = await newPage('zh-CN');
    await visitor.goto(`${session.url}/standards`);
    await search(visitor, 'standards-search', 'standards-table', '电工');
    const shown = await rows(visitor, 'standards-table').allInnerTexts();
    assert.ok(
      shown.some((r) => r.includes(next)),
      `the catalogue shows ${next} credits after approval:\n${shown.join('\n')}`,
    );
    await visitor.context().close();

    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.getByTestId('standards-manage-search').fill('');
    await page.keyboard.press('Enter');
    await pick(page, page.getByTestId('standards-status-filter'), 'Approved');
    await page.waitForFunction(() => {
      const found = [...document.querySelectorAll('[data-testid="standards-manage-table"] .ant-table-row')];
      return found.length > 0 && found.every((r) => r.textContent?.includes('Approved'));
    });
    assert.match(await page.locator('body').innerText(), /Manage standards/);
    // "Approved" lists every approved version, the superseded one too; "In force today" only the current one.
    await search(page, 'standards-manage-search', 'standards-manage-table', 'ELEC-L3');
    const approvedRows = await rows(page, 'standards-manage-table').allInnerTexts();
    assert.equal(approvedRows.length, 2, `both approved versions of ELEC-L3:\n${approvedRows.join('\n')}`);
    assert.ok(
      approvedRows.some((r) => /v1/.test(r) && /ended/.test(r)),
      `v1 has ended:\n${approvedRows.join('\n')}`,
    );
    await page.getByTestId('standards-manage-search').fill('');
    await page.keyboard.press('Enter');
    await rows(page, 'standards-manage-table').nth(2).waitFor();
    await shot(page, 'standards-manage-en');
    await pick(page, page.getByTestId('standards-status-filter'), 'In force today');
    await search(page, 'standards-manage-search', 'standards-manage-table', 'ELEC-L3');
    const inForce = await rows(page, 'standards-manage-table').allInnerTexts();
    assert.equal(inForce.length, 1, `only the version in force:\n${inForce.join('\n')}`);
    assert.match(inForce[0]!, /v2/);
    await page.context().close();
  });
});

test.describe('committee member drafting a standard', () => {
  test('fills every field, picks a course it may replace, and saves a draft the public does not see', async () => {
    const page = await newPage('en');
    await signIn(page, 'committee');
    await page.goto(`${session.url}/committee/standards`);
    await rows(page, 'standards-manage-table').first().waitFor();
    await page.getByTestId('standard-create').click();
    const form = page.locator('.cb-standard-form .ant-drawer-content');
    const choose = (testId: string, text: string) => pick(page, form.getByTestId(testId), text);
    await form.getByTestId('standard-field-code').fill('e2e-py-cert');
    assert.equal(await form.getByTestId('standard-field-code').inputValue(), 'E2E-PY-CERT', 'codes are upper case');
    await choose('standard-field-kind', 'Skill-level certificate');
    await form.getByTestId('standard-field-certificate-level').fill('Intermediate');
    await form.getByTestId('standard-field-name-zh').fill('Python 程序设计证书（中级）');
    await form.getByTestId('standard-field-name-en').fill('Python programming certificate (intermediate)');
    await form.getByTestId('standard-field-issuing-body').fill('E2E 考试中心');
    await form.getByTestId('standard-field-isced').fill('0613');
    await choose('standard-field-framework', 'CBQF');
    await choose('standard-field-level', 'EQF 4');
    await form.getByTestId('standard-field-credits').fill('2.5');
    await choose('standard-field-institution', 'HXU');
    await form.getByTestId('standard-field-cap-standard').fill('5');
    await form.getByTestId('standard-add-substitute').click();
    const sub = form.getByTestId('standard-substitute-0');
    await pick(page, sub.locator('.ant-select').first(), 'HXU');
    await pick(page, sub.locator('.ant-select').nth(2), 'CS1011', 'Fundamentals of Prog');
    await form.getByTestId('standard-field-validity').fill('24');
    await form.getByTestId('standard-field-evidence').click();
    await page.keyboard.type('Certificate scan');
    await page.keyboard.press('Enter');
    await form.getByTestId('standard-field-description-en').fill('Written and practical exam in Python.');
    await shot(page, 'standards-create-en', false);
    await form.getByTestId('standard-form-submit').click();

    const drawer = openDrawer(page);
    await drawer.getByTestId('standard-drawer-title').filter({ hasText: 'Python programming certificate' }).waitFor();
    const text = await drawer.innerText();
    assert.match(text, /Draft/);
    assert.match(text, /2\.5/);
    assert.match(text, /CS1011 Fundamentals of Programming at HXU/);
    assert.match(text, /issued within 24 months/);
    assert.match(text, /Certificate scan/);
    await closeDrawer(page);

    const visitor = await newPage('en');
    await visitor.goto(`${session.url}/standards?q=Python`);
    await visitor.getByTestId('standards-count').waitFor();
    assert.doesNotMatch(await visitor.getByTestId('standards-table').innerText(), /E2E-PY-CERT/, 'drafts are not public');
    await visitor.context().close();

    // The draft should never be approved: its drafter discards it, saying why; it is gone.
    await search(page, 'standards-manage-search', 'standards-manage-table', 'E2E-PY-CERT');
    assert.equal(await rows(page, 'standards-manage-table').count(), 1);
    await rows(page, 'standards-manage-table').first().getByTestId('standard-discard').click();
    const dialog = page.locator('.ant-modal-content');
    await confirmRefused(dialog.getByTestId('standard-discard-confirm'), dialog.locator('.ant-form-item-explain-error'));
    await dialog.getByTestId('standard-discard-reason').fill('Duplicates the national certificate already in the catalogue');
    await shot(page, 'standards-discard-en', false);
    await confirmAccepted(dialog.getByTestId('standard-discard-confirm'));
    await page.getByText('Discarded draft: E2E-PY-CERT version 1').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="standards-manage-table"] .ant-table-row').length === 0);
    await page.reload();
    await rows(page, 'standards-manage-table').first().waitFor();
    await page.getByTestId('standards-manage-search').fill('E2E-PY-CERT');
    const answered = page.waitForResponse((r) => r.url().includes('q=E2E-PY-CERT'));
    await page.keyboard.press('Enter');
    await answered;
    await page.getByTestId('standards-manage-table').locator('.ant-empty').waitFor();
    assert.equal(await rows(page, 'standards-manage-table').count(), 0, 'the discarded draft is gone');
    await page.context().close();
  });
});

test.describe('administrator', () => {
  test('sets the committee quorum and appeal window, and is told which fields a new standard needs', async () => {
    const page = await newPage('en');
    await signIn(page, 'admin');
    await page.locator('.ant-menu').getByText('Certification settings').click();
    await page.waitForURL(/\/admin\/settings/);
    const quorum = page.getByTestId('settings-quorum');
    await quorum.waitFor();
    assert.match(await quorum.inputValue(), /^\d+$/);
    await quorum.fill('5');
    await page.getByTestId('settings-appeal-window').fill('30');
    await page.getByTestId('settings-save').click();
    await page.getByText('Settings saved').waitFor();
    await shot(page, 'settings-en');
    await page.reload();
    await page.getByTestId('settings-quorum').waitFor();
    assert.equal(await page.getByTestId('settings-quorum').inputValue(), '5');
    assert.equal(await page.getByTestId('settings-appeal-window').inputValue(), '30');

    await page.goto(`${session.url}/committee/standards`);
    await rows(page, 'standards-manage-table').first().waitFor();
    await page.getByTestId('standard-create').click();
    const form = page.locator('.cb-standard-form .ant-drawer-content');
    await form.getByTestId('standard-form-submit').click();
    await form.locator('.ant-form-item-explain-error').first().waitFor();
    await shot(page, 'standards-form-required-en', false);
    await page.context().close();
  });
});
