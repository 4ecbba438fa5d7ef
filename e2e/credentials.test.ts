// Verifiable credentials (issue 7) in a real browser, on the demo: learner31 (张伟) has completed the
// credit-bank bachelor CB-BACHELOR at HXU; the award is applied for and approved through the API.
// On "My credentials" the learner gets the award's signed credential, downloads it and makes a share
// link (with a QR code); an anonymous visitor opens the link and sees it valid, in Chinese and in
// English. HXU's registrar revokes it with a reason on the credentials page; the visitor reloads and
// sees it revoked, with the reason. On /verify, text that is not JSON is refused without a request,
// the downloaded JSON with one changed character is "altered", and the original file, uploaded, is
// "revoked".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSession } from './harness.js';

const session = browserSession();
const { newPage, signIn, shot } = session;

type Json = Record<string, unknown>;
const REASON = '学位授予审核有误，已撤销授予 (awarded in error)';

let shareUrl = '';
let downloaded: Json | null = null;
let downloadedText = '';

/** The verdict on a verify page, once it has loaded. */
async function verdict(page: Page): Promise<{ status: string; text: string }> {
  const status = page.getByTestId('verify-status');
  await status.waitFor();
  return { status: (await status.getAttribute('data-status')) ?? '', text: (await status.innerText()).trim() };
}

describe('verifiable credentials', () => {
  it('learner31 gets a signed credential for the CB-BACHELOR award, downloads it and shares a link', async () => {
    // ---- the award, applied for and approved through the API
    const page = await newPage('zh-CN');
    await signIn(page, 'learner31');
    const programmes = (await (await page.request.get(`${session.url}/api/v1/programmes`)).json()) as { items: { id: string; code: string }[] };
    const cb = programmes.items.find((p) => p.code === 'CB-BACHELOR');
    assert.ok(cb, 'the demo has CB-BACHELOR');
    const applied = await page.request.post(`${session.url}/api/v1/me/awards`, { data: { programmeId: cb.id } });
    assert.equal(applied.status(), 201, await applied.text());
    const award = (await applied.json()) as { id: string };
    const registrar = await newPage('zh-CN');
    await signIn(registrar, 'registrar.hxu');
    const approved = await registrar.request.post(`${session.url}/api/v1/awards/${award.id}/approve`);
    assert.equal(approved.status(), 200, await approved.text());
    await registrar.context().close();

    // ---- My credentials: nothing issued yet; the award and the passed courses can be claimed
    await page.locator('nav a[href="/credentials"]').click();
    await page.waitForURL(/\/credentials$/);
    assert.match(await page.locator('.cb-page-title').innerText(), /我的可验证凭证[\s\S]*任何人无需账号即可核验/);
    const claim = page.locator('[data-testid="claim-row"][data-kind="award"][data-code="CB-BACHELOR"]');
    await claim.waitFor();
    assert.match(await claim.innerText(), /学分银行学士（计算机）/);
    assert.ok((await page.locator('[data-testid="claim-row"][data-kind="outcome"]').count()) > 0, 'passed course results can be claimed too');
    assert.equal(await page.getByTestId('credential-row').count(), 0);

    await claim.getByTestId('claim-issue').click();
    const row = page.locator('[data-testid="credential-row"][data-kind="award"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'active');
    assert.equal((await row.getByTestId('credential-status').innerText()).trim(), '有效');
    assert.match(await row.getByTestId('credential-name').innerText(), /学分银行学士（计算机）/);
    assert.match(await row.innerText(), /华夏大学[\s\S]*eddsa-rdfc-2022/);
    await claim.waitFor({ state: 'detached' });
    await page.locator('.ant-message-notice').waitFor({ state: 'detached' }); // the "issued" toast
    await shot(page, 'credentials-learner-zh');

    // ---- Download JSON: the signed document as issued
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('credential-download').click()]);
    assert.match(download.suggestedFilename(), /^学分银行学士（计算机） \(Credit-bank Bachelor of Computing\)\.json$/);
    downloadedText = fs.readFileSync((await download.path())!, 'utf8');
    downloaded = JSON.parse(downloadedText) as Json;
    const mine = (await (await page.request.get(`${session.url}/api/v1/me/credentials`)).json()) as { items: { id: string; document: Json }[] };
    assert.equal(mine.items.length, 1);
    assert.deepEqual(downloaded, mine.items[0]!.document, 'the file is the signed document');
    assert.ok(downloaded.proof, 'with its proof');

    // ---- Share for 30 days: the link on this site, a QR code, the live link listed
    await row.getByTestId('credential-share').click();
    const modal = page.getByTestId('share-modal');
    await modal.waitFor();
    await modal.getByTestId('share-days').getByText('30 天').click();
    await modal.getByTestId('share-create').click();
    const link = modal.getByTestId('share-link');
    await link.waitFor();
    shareUrl = (await link.innerText()).trim();
    assert.match(shareUrl, new RegExp(`^${session.url.replace(/[.]/g, '\\.')}/verify/[A-Za-z0-9_-]{10,}$`));
    assert.match((await modal.getByTestId('share-qr').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    await modal.locator('[data-testid="share-row"]').first().waitFor();
    assert.equal(await modal.getByTestId('share-row').count(), 1);
    await modal.getByText(/有效期至 \d{4}-\d{2}-\d{2}/).first().waitFor();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.url });
    await modal.getByTestId('share-copy').click();
    await page.locator('.ant-message-notice').filter({ hasText: '链接已复制' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shareUrl);
    await shot(page, 'credentials-share-zh', false);
    await page.getByTestId('share-close').click();
    await modal.waitFor({ state: 'detached' });
    assert.equal((await row.getByTestId('credential-links').innerText()).trim(), '1 个有效链接');
    await page.context().close();
  });

  it('an anonymous visitor opens the link and sees it valid, in Chinese and in English', async () => {
    assert.ok(shareUrl, 'the first test shared');
    const zh = await newPage('zh-CN');
    await zh.goto(shareUrl);
    assert.deepEqual(await verdict(zh), { status: 'valid', text: '有效' });
    await zh.getByTestId('public-sign-in').waitFor(); // the public frame: nobody is signed in
    assert.match(await zh.getByTestId('verify-holder').innerText(), /张伟/);
    assert.match(await zh.getByTestId('verify-issuer').innerText(), /华夏大学/);
    assert.match(await zh.getByTestId('verify-achievement').innerText(), /学分银行学士（计算机）/);
    const subject = downloaded!.credentialSubject as { creditsEarned: number };
    assert.match(await zh.getByTestId('verify-credits').innerText(), new RegExp(`^${subject.creditsEarned} / 140$`));
    assert.match(await zh.getByTestId('verify-details').innerText(), /学士学位[\s\S]*CB-BACHELOR/);
    assert.match(await zh.getByTestId('verify-log').innerText(), /^已记录在透明日志中，为第 \d+ 条（日志共 \d+ 条）。$/);
    for (const check of ['proof', 'status', 'validity']) assert.equal(await zh.locator(`[data-check="${check}"]`).getAttribute('data-state'), 'ok');
    await zh.getByTestId('verify-download').waitFor();
    await shot(zh, 'credentials-verify-valid-zh');
    await zh.context().close();

    const en = await newPage('en');
    await en.goto(shareUrl);
    assert.deepEqual(await verdict(en), { status: 'valid', text: 'Valid' });
    assert.match(await en.getByTestId('verify-details').innerText(), /Bachelor’s degree/);
    assert.match(await en.getByTestId('verify-log').innerText(), /^Recorded in the transparency log as entry \d+ \(the log holds \d+ entries\)\.$/);
    await shot(en, 'credentials-verify-valid-en');
    await en.context().close();
  });

  it('HXU’s registrar revokes it with a reason; revoking asks for the reason and warns it is final', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'registrar.hxu');
    await page.locator('nav a[href="/institution/credentials"]').click();
    await page.waitForURL(/\/institution\/credentials$/);
    const issuer = page.getByTestId('issuer-card');
    assert.match(await issuer.getByTestId('issuer-did').innerText(), /^did:web:.+:issuers:HXU$/);
    assert.equal(await issuer.locator('[data-testid="issuer-key"][data-current="true"]').count(), 1, 'one key in use');
    const row = page.locator('[data-testid="credential-row"][data-kind="award"]').filter({ hasText: '张伟' });
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'active');
    assert.match(await row.innerText(), /学分银行学士（计算机）/);
    await shot(page, 'credentials-registrar-zh');

    // suspend, then reinstate: each asks for a reason
    await row.getByTestId('credential-suspend').click();
    await page.getByTestId('credential-action-reason').fill('成绩复核中');
    await page.getByTestId('credential-action-confirm').click();
    await page.locator('[data-testid="credential-row"][data-status="suspended"]').filter({ hasText: '张伟' }).waitFor();
    assert.equal((await row.getByTestId('credential-row-status').innerText()).trim(), '已暂停');
    assert.match(await row.getByTestId('credential-status-reason').innerText(), /成绩复核中/);
    await row.getByTestId('credential-reinstate').click();
    await page.getByTestId('credential-action-reason').fill('复核完成，成绩无误');
    await page.getByTestId('credential-action-confirm').click();
    await page.locator('[data-testid="credential-row"][data-status="active"]').filter({ hasText: '张伟' }).waitFor();

    await row.getByTestId('credential-revoke').click();
    const dialog = page.getByTestId('credential-action');
    await dialog.waitFor();
    assert.match(await dialog.getByTestId('credential-action-warning').innerText(), /最终操作，不能恢复/);
    await page.getByTestId('credential-action-confirm').click();
    await page.locator('.ant-modal .ant-form-item-explain-error').filter({ hasText: '请填写原因' }).waitFor();
    await dialog.getByTestId('credential-action-reason').fill(REASON);
    await shot(page, 'credentials-registrar-revoke-zh', false);
    await page.getByTestId('credential-action-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    const revoked = page.locator('[data-testid="credential-row"][data-status="revoked"]').filter({ hasText: '张伟' });
    await revoked.waitFor();
    assert.equal((await revoked.getByTestId('credential-row-status').innerText()).trim(), '已撤销');
    assert.match(await revoked.getByTestId('credential-status-reason').innerText(), new RegExp(REASON.replace(/[()]/g, '\\$&')));
    assert.equal(await revoked.getByTestId('credential-revoke').count(), 0, 'revoked is final: no more actions');
    await shot(page, 'credentials-registrar-revoked-zh');
    await page.context().close();
  });

  it('the visitor reloads and sees it revoked with the reason; a changed character is altered; bad JSON is refused without a request', async () => {
    const zh = await newPage('zh-CN');
    await zh.goto(shareUrl);
    assert.deepEqual(await verdict(zh), { status: 'revoked', text: '已撤销' });
    assert.ok((await zh.getByTestId('verify-reason').innerText()).includes(REASON), 'the reason is shown');
    assert.match(await zh.getByTestId('verify-subtitle').innerText(), /^签发院校已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 撤销此凭证/);
    assert.equal(await zh.locator('[data-check="status"]').getAttribute('data-state'), 'failed');
    await shot(zh, 'credentials-verify-revoked-zh');

    // ---- /verify: not JSON → an inline error and no request
    let requests = 0;
    zh.on('request', (r) => {
      if (r.url().includes('/api/v1/credentials/verify')) requests += 1;
    });
    await zh.getByTestId('verify-other').click();
    await zh.waitForURL(/\/verify$/);
    await zh.getByTestId('verify-input').fill('{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ');
    await zh.getByTestId('verify-submit').click();
    assert.match(await zh.getByTestId('verify-parse-error').innerText(), /^这不是有效的 JSON，未发送核验：/);
    assert.equal(requests, 0, 'nothing was sent');
    assert.equal(await zh.getByTestId('verify-result').count(), 0);

    // ---- the downloaded credential with one character changed: the credits earned, plus one
    const subject = downloaded!.credentialSubject as { creditsEarned: number };
    const tampered = downloadedText.replace(`"creditsEarned": ${subject.creditsEarned}`, `"creditsEarned": ${subject.creditsEarned + 1}`);
    assert.notEqual(tampered, downloadedText);
    assert.equal(tampered.length, downloadedText.length, 'one character changed');
    await zh.getByTestId('verify-input').fill(tampered);
    await zh.getByTestId('verify-submit').click();
    assert.deepEqual(await verdict(zh), { status: 'altered', text: '内容已被篡改' });
    assert.equal(requests, 1);
    await zh.getByTestId('verify-untrusted').waitFor();
    assert.match(await zh.getByTestId('verify-errors').innerText(), /签名与内容不符/);
    assert.equal(await zh.locator('[data-check="proof"]').getAttribute('data-state'), 'failed');
    await shot(zh, 'credentials-verify-altered-zh');

    // ---- the original file, chosen with the file picker: revoked
    await zh.locator('input[type="file"]').setInputFiles({ name: 'credential.json', mimeType: 'application/json', buffer: Buffer.from(downloadedText) });
    await zh.locator('[data-testid="verify-status"][data-status="revoked"]').waitFor();
    assert.ok((await zh.getByTestId('verify-reason').innerText()).includes(REASON));
    await zh.context().close();

    // ---- in English
    const en = await newPage('en');
    await en.goto(shareUrl);
    assert.deepEqual(await verdict(en), { status: 'revoked', text: 'Revoked' });
    assert.ok((await en.getByTestId('verify-reason').innerText()).startsWith(`Reason: ${REASON}`));
    await shot(en, 'credentials-verify-revoked-en');
    await en.goto(`${session.url}/verify`);
    await en.getByTestId('verify-input').fill(tampered);
    await en.getByTestId('verify-submit').click();
    assert.deepEqual(await verdict(en), { status: 'altered', text: 'Altered — the content was changed after signing' });
    assert.match(await en.getByTestId('verify-errors').innerText(), /The signature does not match the content/);
    await shot(en, 'credentials-verify-altered-en');
    await en.context().close();
  });

  it('the learner sees the credential revoked, with the reason', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'learner31');
    await page.goto(`${session.url}/credentials`);
    const row = page.locator('[data-testid="credential-row"][data-kind="award"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'revoked');
    assert.equal((await row.getByTestId('credential-status').innerText()).trim(), '已撤销');
    assert.ok((await row.getByTestId('credential-status-reason').innerText()).includes(REASON));
    await shot(page, 'credentials-learner-revoked-zh');
    await page.context().close();
  });
});
