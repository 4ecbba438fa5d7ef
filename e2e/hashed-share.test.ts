// Sharing a credential with the name hidden (issue 22, item 9) in a real browser, on the demo:
// learner31 (张伟) gets the signed credential of a passed course and makes a share link with
// "hide my name"; the link serves a variant signed for it, naming the learner only by salted hashes
// (Open Badges 3.0 hashed IdentityObject). An employer opens the link in English, reads "name not
// disclosed", checks the right name (a match) and a wrong one (no match), hashed in the browser.
// The page and the JSON carry neither the name nor the account number; a link made without the
// box still names the learner.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { browserSession } from './harness.js';

const session = browserSession();
const { newPage, signIn, shot } = session;

type Json = Record<string, unknown>;
const NAME = '张伟';

let hiddenUrl = '';
let clearUrl = '';
let accountNo = '';

test.describe.configure({ mode: 'serial' });

test.describe('shares with the name hidden', () => {
  test('learner31 shares a course result with the name hidden', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'learner31');
    await page.locator('nav a[href="/credentials"]').click();
    await page.waitForURL(/\/credentials$/);
    const claim = page.locator('[data-testid="claim-row"][data-kind="outcome"]').first();
    await claim.getByTestId('claim-issue').click();
    const row = page.locator('[data-testid="credential-row"][data-kind="outcome"]').first();
    await row.waitFor();
    const mine = (await (await page.request.get(`${session.url}/api/v1/me/credentials`)).json()) as { items: { document: Json }[] };
    const subject = mine.items[0]!.document.credentialSubject as { identifier: { identityType: string; identityHash: string }[] };
    accountNo = subject.identifier.find((i) => i.identityType === 'identifier')!.identityHash;
    assert.ok(accountNo, 'the credential as issued names the account number');
    await page.locator('.ant-message-notice').waitFor({ state: 'detached' });

    await row.getByTestId('credential-share').click();
    const modal = page.getByTestId('share-modal');
    await modal.waitFor();
    // first a link as issued, then one with the name hidden
    await modal.getByTestId('share-create').click();
    await modal.getByTestId('share-link').waitFor();
    clearUrl = (await modal.getByTestId('share-link').innerText()).trim();
    assert.equal(await modal.getByTestId('share-created').getByTestId('share-name-hidden').count(), 0);

    const box = modal.getByTestId('share-hide-name');
    assert.match(await modal.innerText(), /隐藏我的姓名[\s\S]*加盐哈希/);
    await box.click();
    const [created] = await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/credentials\/[^/]+\/shares$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST'),
      modal.getByTestId('share-create').click(),
    ]);
    assert.equal(created.status(), 201, await created.text());
    assert.equal(((await created.json()) as { hideName: boolean }).hideName, true);
    await modal.getByTestId('share-created').getByTestId('share-name-hidden').waitFor();
    hiddenUrl = (await modal.getByTestId('share-link').innerText()).trim();
    assert.notEqual(hiddenUrl, clearUrl);
    // the live links say which one hides the name
    const hiddenId = hiddenUrl.split('/').at(-1)!;
    await modal.locator(`[data-testid="share-row"][data-share="${hiddenId}"]`).getByTestId('share-name-hidden').waitFor();
    assert.equal(
      await modal
        .locator(`[data-testid="share-row"][data-share="${clearUrl.split('/').at(-1)!}"]`)
        .getByTestId('share-name-hidden')
        .count(),
      0,
    );
    await shot(page, 'hashed-share-create-zh', false);
    await page.getByTestId('share-close').click();
    await page.context().close();
  });

  test('an employer opens the link in English: name not disclosed; the right name matches, a wrong one does not', async () => {
    assert.ok(hiddenUrl, 'the first test shared');
    const en = await newPage('en');
    await en.goto(hiddenUrl);
    const status = en.getByTestId('verify-status');
    await status.waitFor();
    assert.equal(await status.getAttribute('data-status'), 'valid');
    assert.equal((await en.getByTestId('verify-name-hidden').innerText()).trim(), 'Name not disclosed');
    assert.equal(await en.getByTestId('verify-holder').count(), 0);
    for (const check of ['proof', 'status', 'validity']) assert.equal(await en.locator(`[data-check="${check}"]`).getAttribute('data-state'), 'ok');
    const text = await en.locator('body').innerText();
    assert.ok(!text.includes(NAME) && !text.includes(accountNo), 'the page shows neither the name nor the account number');
    // the JSON the page offers for download names no one either
    const shared = (await (await en.request.get(`${session.url}/api/v1/shares/${hiddenUrl.split('/').at(-1)}`)).json()) as { credential: Json };
    const json = JSON.stringify(shared.credential);
    assert.ok(!json.includes(NAME) && !json.includes(accountNo), 'the shared document names no one');

    const check = en.getByTestId('name-check');
    const input = check.getByTestId('name-check-input');
    const result = check.getByTestId('name-check-result');
    // nothing typed: say what to do
    await check.getByTestId('name-check-submit').click();
    await check.getByText('Type a name or an account number first.').waitFor();
    // the right name: a match
    await input.fill(NAME);
    await check.getByTestId('name-check-submit').click();
    await result.waitFor();
    assert.equal(await result.getAttribute('data-match'), 'true');
    assert.match(await result.innerText(), /^Match: “张伟” is the holder’s name in this credential\.$/);
    // typed with a space inside, as people do: still the same name
    await input.fill('张 伟');
    await input.press('Enter');
    await en.locator('[data-testid="name-check-result"][data-match="true"]').waitFor();
    await shot(en, 'hashed-share-verify-match-en');
    // the account number matches as such
    await input.fill(accountNo);
    await input.press('Enter');
    await en.locator('[data-testid="name-check-result"][data-match="true"]').waitFor();
    assert.match(await result.innerText(), /account number/);
    // a wrong name: no match
    await input.fill('张伟伟');
    await input.press('Enter');
    await en.locator('[data-testid="name-check-result"][data-match="false"]').waitFor();
    assert.match(await result.innerText(), /^No match: “张伟伟” is not the name or account number in this credential\./);
    await shot(en, 'hashed-share-verify-nomatch-en');
    // a phone
    await en.setViewportSize({ width: 390, height: 844 });
    await input.fill(NAME);
    await input.press('Enter');
    await en.locator('[data-testid="name-check-result"][data-match="true"]').waitFor();
    // the name check fits the phone's width, its button beside the box
    for (const id of ['name-check', 'name-check-submit', 'name-check-result']) {
      const box = await en.getByTestId(id).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${id} fits the phone: ${JSON.stringify(box)}`);
    }
    await shot(en, 'hashed-share-verify-phone-en');
    await en.context().close();
  });

  test('in Chinese too; and the link made without the box still names the learner', async () => {
    const zh = await newPage('zh-CN');
    await zh.goto(hiddenUrl);
    await zh.getByTestId('verify-status').waitFor();
    assert.equal((await zh.getByTestId('verify-name-hidden').innerText()).trim(), '姓名未公开');
    await zh.getByTestId('name-check-input').fill('李娜');
    await zh.getByTestId('name-check-submit').click();
    await zh.locator('[data-testid="name-check-result"][data-match="false"]').waitFor();
    assert.match(await zh.getByTestId('name-check-result').innerText(), /不一致：“李娜”不是此凭证中的姓名或账号。/);
    await zh.getByTestId('name-check-input').fill(NAME);
    await zh.getByTestId('name-check-submit').click();
    await zh.locator('[data-testid="name-check-result"][data-match="true"]').waitFor();
    assert.match(await zh.getByTestId('name-check-result').innerText(), /一致：“张伟”是此凭证持有人的姓名。/);
    await shot(zh, 'hashed-share-verify-match-zh');

    await zh.goto(clearUrl);
    await zh.getByTestId('verify-holder').waitFor();
    assert.match(await zh.getByTestId('verify-holder').innerText(), /张伟/);
    assert.equal(await zh.getByTestId('name-check').count(), 0);
    assert.equal(await zh.getByTestId('verify-name-hidden').count(), 0);
    await zh.context().close();
  });
});
