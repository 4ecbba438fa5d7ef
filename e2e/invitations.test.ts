// Inviting a learner enrolled without a sign-in (issue 22, item 8): HXU's registrar enrols a learner
// from the drawer, sees in the list that they cannot sign in, invites them from their page and gets
// a printable letter with the activation code; the learner follows "Have an activation code?" from
// the sign-in page, chooses a username and password and lands on their own account. Then a sheet of
// letters for several learners at once. Screenshots in Chinese and English, the letters included.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test, type Page } from '@playwright/test';
import { browserSession, SHOTS, signedInApi } from './harness.js';

const session = browserSession();
const { newPage, signIn, shot } = session;
const api = (username: string) => signedInApi(session.url, username);
const NEW_PASSWORD = 'a lantern by the river';

/** The printed page: only the letters. */
async function printShot(page: Page, name: string) {
  await page.emulateMedia({ media: 'print' });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
}

test.describe('an invitation to sign in', () => {
  test('a registrar enrols and invites a learner, who activates the code and sees their account', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'registrar.hxu');
    await page.goto(`${session.url}/institution/learners`);
    await page.getByTestId('learners-enrol').click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByTestId('learner-field-external-id').fill('E2E-INV-01');
    await drawer.getByTestId('learner-field-full-name').fill('陈静怡');
    await drawer.getByTestId('learner-form-submit').click();
    await drawer.waitFor({ state: 'detached' });
    await page.locator('input[data-testid="learners-search"], [data-testid="learners-search"] input').first().fill('E2E-INV-01');
    await page.locator('input[data-testid="learners-search"], [data-testid="learners-search"] input').first().press('Enter');
    const row = page.getByTestId('learners-table').locator('tr', { hasText: 'E2E-INV-01' });
    await row.getByText('尚无登录账号').waitFor();
    await shot(page, 'invitations-list-zh');

    await row.getByRole('link', { name: '陈静怡' }).click();
    await page.getByTestId('sign-in-state').getByText('尚无登录账号').waitFor();
    await shot(page, 'invitations-learner-zh');
    await page.getByTestId('invite-open').click();
    await page.getByTestId('invite-confirm').click();
    const letter = page.locator('.ant-modal').getByTestId('invitation-letter');
    await letter.waitFor();
    const code = (await letter.getByTestId('invitation-code').innerText()).trim();
    assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const text = await letter.innerText();
    for (const want of ['华夏', '陈静怡', 'E2E-INV-01', '/activate', '有效期至']) assert.ok(text.includes(want), `the letter names ${want}: ${text}`);
    await shot(page, 'invitations-letter-zh', false);
    await printShot(page, 'invitations-letter-print-zh');
    await page.getByTestId('invite-close').click();
    await page.getByTestId('invitation-pending').waitFor();
    await page.context().close();

    // the learner, in English, from the sign-in page
    const learner = await newPage('en');
    await learner.goto(`${session.url}/login`);
    await learner.getByTestId('login-activate-link').click();
    await learner.waitForURL(/\/activate$/);
    // a wrong code first: one message, the form stays
    await learner.getByTestId('activate-code').fill('AAAA-BBBB-CCCC');
    await learner.getByTestId('activate-username').fill('chen.jingyi');
    await learner.getByTestId('activate-password').fill(NEW_PASSWORD);
    await learner.getByTestId('activate-repeat').fill(NEW_PASSWORD);
    await learner.getByTestId('activate-submit').click();
    await learner.getByText('The activation code is not valid, was used already or has expired').waitFor();
    await shot(learner, 'invitations-activate-refused-en');
    await learner.getByTestId('activate-code').fill(code.toLowerCase().replace(/-/g, ' '));
    await learner.getByTestId('activate-submit').click();
    await learner.waitForURL((u) => !u.pathname.startsWith('/activate'));
    await learner.getByTestId('user-display-name').waitFor();
    const made = await (
      await api('registrar.hxu')
    )<{ items: { accountNo: string; hasSignIn: boolean }[] }>(`/institutions/${await hxuId()}/learners?q=E2E-INV-01`);
    assert.equal(made.items[0]!.hasSignIn, true);
    await learner.getByText(made.items[0]!.accountNo).first().waitFor();
    await shot(learner, 'invitations-activated-account-en');
    // the code works once
    await learner.context().close();
    const again = await fetch(`${session.url}/api/v1/auth/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, username: 'chen.again', password: NEW_PASSWORD }),
    });
    assert.equal(again.status, 400);
  });

  test('a sheet of letters for several learners, and the activation page on a phone', async () => {
    const hxu = await hxuId();
    const registrar = await api('registrar.hxu');
    for (const [externalId, fullName, fullNameLatin] of [
      ['E2E-INV-02', '王小川', 'Wang Xiaochuan'],
      ['E2E-INV-03', '赵丽', 'Zhao Li'],
    ])
      await registrar(`/institutions/${hxu}/learners`, { externalId, fullName, fullNameLatin });
    const page = await newPage('en');
    await signIn(page, 'registrar.hxu');
    await page.goto(`${session.url}/institution/learners`);
    await page.locator('input[data-testid="learners-search"], [data-testid="learners-search"] input').first().fill('E2E-INV');
    await page.locator('input[data-testid="learners-search"], [data-testid="learners-search"] input').first().press('Enter');
    const table = page.getByTestId('learners-table');
    await table.locator('tr', { hasText: 'E2E-INV-03' }).waitFor();
    await table.locator('tr', { hasText: 'E2E-INV-01' }).getByText('Can sign in').waitFor();
    // select all: the learner who can sign in already cannot be selected
    await table.locator('thead .ant-checkbox-input').check();
    await page.getByTestId('learners-print-invitations').getByText('Print invitations (2)').waitFor();
    await shot(page, 'invitations-list-en');
    await page.getByTestId('learners-print-invitations').click();
    await page.getByTestId('bulk-invite-confirm').click();
    const letters = page.getByTestId('bulk-letters').getByTestId('invitation-letter');
    await letters.nth(1).waitFor();
    assert.equal(await letters.count(), 2);
    const text = await page.getByTestId('bulk-letters').innerText();
    for (const want of ['Wang Xiaochuan', 'Zhao Li', 'Huaxia', 'Account number']) assert.ok(text.includes(want), `the sheet says ${want}`);
    await shot(page, 'invitations-bulk-letters-en', false);
    await printShot(page, 'invitations-bulk-print-en');
    await page.getByTestId('bulk-invite-close').click();
    await page.context().close();

    const phone = await newPage('zh-CN');
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${session.url}/activate?code=ABCD-EFGH-JKMN`);
    await phone.getByTestId('activate-code').waitFor();
    assert.equal(await phone.getByTestId('activate-code').inputValue(), 'ABCD-EFGH-JKMN');
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling at 390 px');
    await shot(phone, 'invitations-activate-phone-zh');
    await phone.goto(`${session.url}/login`);
    await phone.getByTestId('login-activate-link').waitFor();
    await shot(phone, 'invitations-login-link-phone-zh');
    await phone.context().close();
  });
});

async function hxuId() {
  const { items } = await (await api('admin'))<{ items: { id: string; code: string }[] }>('/institutions');
  return items.find((i) => i.code === 'HXU')!.id;
}
