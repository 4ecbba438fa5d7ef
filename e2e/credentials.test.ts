// Verifiable credentials (issue 7) in a real browser, on the demo: learner31 (张伟) has completed the
// credit-bank bachelor CB-BACHELOR at HXU; the award is applied for and approved through the API.
// On "My credentials" the learner gets the award's signed credential, downloads it and makes a share
// link (with a QR code and a printable PDF); an anonymous visitor opens the link and sees it valid,
// in Chinese and in English. HXU's registrar revokes it with a reason on the credentials page; the
// visitor reloads and sees it revoked, with the reason. On /verify, text that is not JSON is refused
// without a request, the downloaded JSON with one changed character is "altered", and the original
// file, uploaded, is "revoked". The learner is not offered a new credential for the revoked award
// but sent to the registrar. Last, the learner gets their certified software qualification's
// credential and a transcript from HXU, which verifies with each course inside it valid.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test, type Page, type Response } from '@playwright/test';
import { browserSession } from './harness.js';
import { confirmAccepted, switchLanguage } from './ui.js';

const session = browserSession();
const { newPage, signIn, shot } = session;

type Json = Record<string, unknown>;
const REASON = '信息核对有误，此份凭证作废 (issued in error)';

let shareUrl = '';
let downloaded: Json | null = null;
let downloadedText = '';

/** Clicks and waits for the answer to the request the click makes. */
async function answerTo(page: Page, click: () => Promise<void>, path: string, method = 'POST'): Promise<Response> {
  const [response] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === method), click()]);
  return response;
}

/** The verdict on a verify page, once it has loaded. */
async function verdict(page: Page): Promise<{ status: string; text: string }> {
  const status = page.getByTestId('verify-status');
  await status.waitFor();
  return { status: (await status.getAttribute('data-status')) ?? '', text: (await status.innerText()).trim() };
}

// the tests build on what the ones before them did, on one server: in order, and after a failure the rest are skipped
test.describe.configure({ mode: 'serial' });

test.describe('verifiable credentials', () => {
  test('learner31 gets a signed credential for the CB-BACHELOR award, downloads it and shares a link', async () => {
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
    const claim = page.locator('[data-testid="claim-row"][data-kind="award"][data-code="CB-BACHELOR"]');
    await claim.waitFor();
    assert.match(await page.locator('.cb-page-title').innerText(), /我的可验证凭证[\s\S]*任何人无需账号即可核验/);
    assert.match(await claim.innerText(), /学分银行学士（计算机）/);
    assert.ok((await page.locator('[data-testid="claim-row"][data-kind="outcome"]').count()) > 0, 'passed course results can be claimed too');
    // the software qualification certified at HXU (approved by its reviewer in the demo) can be claimed too
    const certified = page.locator('[data-testid="claim-row"][data-kind="certification"][data-code="RK-SE-M"]');
    assert.match(await certified.innerText(), /计算机技术与软件专业技术资格[\s\S]*认定成果[\s\S]*华夏大学/);
    await certified.getByTestId('claim-issue').waitFor();
    // a transcript from each institution where learner31 passed courses
    await page.locator('[data-testid="transcript-source"][data-institution="HXU"]').waitFor();
    assert.deepEqual((await page.getByTestId('transcript-source').evaluateAll((els) => els.map((e) => e.getAttribute('data-institution')))).sort(), [
      'HXU',
      'JNVC',
    ]);
    assert.equal(await page.getByTestId('credential-row').count(), 0);

    await claim.getByTestId('claim-issue').click();
    const row = page.locator('[data-testid="credential-row"][data-kind="award"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'active');
    assert.equal((await row.getByTestId('credential-status').innerText()).trim(), '有效');
    assert.match(await row.getByTestId('credential-name').innerText(), /学分银行学士（计算机）/);
    assert.match(await row.innerText(), /华夏大学[\s\S]*已签名/); // signed, in words (issue 22)
    assert.equal(await row.getByTestId('credential-suite').getAttribute('data-suite'), 'eddsa-rdfc-2022');
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
    await modal
      .getByText(/有效期至 \d{4}-\d{2}-\d{2}/)
      .first()
      .waitFor();

    // ---- the printable PDF of the link: the page's link, with the learner's session
    const shareId = shareUrl.split('/').at(-1)!;
    const pdfLink = modal.locator(`[data-testid="share-row"][data-share="${shareId}"]`).getByTestId('share-pdf');
    const href = (await pdfLink.getAttribute('href')) ?? '';
    assert.match(href, new RegExp(`^/api/v1/credentials/[0-9a-f-]{36}/pdf\\?share=${shareId}$`));
    const pdf = await page.request.get(`${session.url}${href}`);
    assert.equal(pdf.status(), 200, await pdf.text());
    assert.match(pdf.headers()['content-type'] ?? '', /^application\/pdf/);
    assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
    // the link itself downloads the file
    const [pdfDownload] = await Promise.all([page.waitForEvent('download'), pdfLink.click()]);
    assert.match(pdfDownload.suggestedFilename(), /\.pdf$/);
    assert.equal(
      fs
        .readFileSync((await pdfDownload.path())!)
        .subarray(0, 5)
        .toString('latin1'),
      '%PDF-',
    );
    assert.equal(await modal.getByTestId('share-created-pdf').getAttribute('href'), href, 'the new link offers the same PDF');

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

  test('an anonymous visitor opens the link and sees it valid, in Chinese and in English', async () => {
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

  test('HXU’s registrar revokes it with a reason; revoking asks for the reason and warns it is final', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'registrar.hxu');
    await page.locator('nav a[href="/institution/credentials"]').click();
    await page.waitForURL(/\/institution\/credentials$/);
    const issuer = page.getByTestId('issuer-card');
    await issuer.getByTestId('issuer-key').first().waitFor();
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
    await confirmAccepted(page.getByTestId('credential-action-confirm'));
    await page.getByTestId('credential-action').waitFor({ state: 'detached' }); // closed once the list has been read again
    await page.locator('[data-testid="credential-row"][data-status="suspended"]').filter({ hasText: '张伟' }).waitFor();
    assert.equal((await row.getByTestId('credential-row-status').innerText()).trim(), '已暂停');
    assert.match(await row.getByTestId('credential-status-reason').innerText(), /成绩复核中/);
    await row.getByTestId('credential-reinstate').click();
    await page.getByTestId('credential-action-reason').fill('复核完成，成绩无误');
    await confirmAccepted(page.getByTestId('credential-action-confirm'));
    await page.getByTestId('credential-action').waitFor({ state: 'detached' });
    await page.locator('[data-testid="credential-row"][data-status="active"]').filter({ hasText: '张伟' }).waitFor();

    await row.getByTestId('credential-revoke').click();
    const dialog = page.getByTestId('credential-action');
    await dialog.waitFor();
    assert.match(await dialog.getByTestId('credential-action-warning').innerText(), /最终操作，不能恢复/);
    await page.getByTestId('credential-action-confirm').click();
    await page.locator('.ant-modal .ant-form-item-explain-error').filter({ hasText: '请填写原因' }).waitFor();
    await dialog.getByTestId('credential-action-reason').fill(REASON);
    await shot(page, 'credentials-registrar-revoke-zh', false);
    await confirmAccepted(page.getByTestId('credential-action-confirm'));
    await dialog.waitFor({ state: 'detached' });
    const revoked = page.locator('[data-testid="credential-row"][data-status="revoked"]').filter({ hasText: '张伟' });
    await revoked.waitFor();
    assert.equal((await revoked.getByTestId('credential-row-status').innerText()).trim(), '已撤销');
    assert.match(await revoked.getByTestId('credential-status-reason').innerText(), new RegExp(REASON.replace(/[()]/g, '\\$&')));
    assert.equal(await revoked.getByTestId('credential-revoke').count(), 0, 'revoked is final: no more actions');
    // the history: suspended, reinstated, revoked, each with its reason
    await revoked.locator('.ant-table-row-expand-icon').click();
    const history = page.getByTestId('credential-history');
    await history.waitFor();
    assert.match(await history.innerText(), /签发[\s\S]*暂停 · 原因：成绩复核中[\s\S]*恢复 · 原因：复核完成，成绩无误[\s\S]*撤销 · 原因：信息核对有误/);

    // rotating the key: asks why; the old key is kept as retired, with the reason
    await page.getByTestId('issuer-rotate').click();
    await page.getByTestId('rotate-reason').fill('年度例行轮换');
    await confirmAccepted(page.getByTestId('rotate-confirm'));
    await issuer.locator('[data-testid="issuer-key"][data-current="false"]').waitFor();
    assert.equal(await issuer.getByTestId('issuer-key').count(), 2);
    assert.match(await issuer.locator('[data-testid="issuer-key"][data-current="false"]').innerText(), /已停用[\s\S]*原因：年度例行轮换/);
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.querySelectorAll('.ant-message-notice').length === 0);
    await shot(page, 'credentials-registrar-revoked-zh');
    await page.context().close();
  });

  test('the visitor reloads and sees it revoked with the reason; a changed character is altered; bad JSON is refused without a request', async () => {
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

  test('the learner sees the credential revoked, with the reason, and withdraws the link that is still out', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'learner31');
    await page.goto(`${session.url}/credentials`);
    const row = page.locator('[data-testid="credential-row"][data-kind="award"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'revoked');
    assert.equal((await row.getByTestId('credential-status').innerText()).trim(), '已撤销');
    assert.ok((await row.getByTestId('credential-status-reason').innerText()).includes(REASON));
    // the award is still approved, but the issuer revoked its credential: no new one is offered; the
    // row says what became of the old one and sends the learner to HXU's registrar
    const claim = page.locator('[data-testid="claim-row"][data-kind="award"][data-code="CB-BACHELOR"]');
    await claim.waitFor();
    assert.equal(await claim.getAttribute('data-stopped'), 'revoked');
    assert.match(await claim.getByTestId('claim-revoked-before').innerText(), /^原凭证已于 \d{4}-\d{2}-\d{2} 被院校撤销（/);
    assert.ok((await claim.getByTestId('claim-revoked-before').innerText()).includes(REASON));
    assert.equal((await claim.getByTestId('claim-ask-registrar').innerText()).trim(), '如需新凭证，请联系华夏大学教务处');
    assert.equal(await claim.getByTestId('claim-issue').count(), 0);
    // and the bank refuses one asked for directly, naming the reason
    const again = await page.request.post(`${session.url}/api/v1/me/credentials`, { data: { kind: 'award', id: await claim.getAttribute('data-id') } });
    assert.equal(again.status(), 409);
    const problem = (await again.json()) as { detail: string };
    assert.match(problem.detail, /ask its registrar/);
    assert.ok(problem.detail.includes(REASON));
    await shot(page, 'credentials-learner-revoked-zh');

    // a revoked credential is not shared again, but the link already out can be withdrawn
    assert.equal((await row.getByTestId('credential-share').innerText()).trim(), '撤回链接');
    await row.getByTestId('credential-share').click();
    const modal = page.getByTestId('share-modal');
    await modal.getByText('不能再分享').waitFor();
    assert.equal(await modal.getByTestId('share-create').count(), 0);
    await modal.getByTestId('share-withdraw').click();
    await modal.getByText('没有有效的分享链接').waitFor();
    await page.getByTestId('share-close').click();
    await row.getByTestId('credential-share').waitFor({ state: 'detached' });
    await page.context().close();

    const en = await newPage('en');
    await signIn(en, 'learner31');
    await en.goto(`${session.url}/credentials`);
    const rowEn = en.locator('[data-testid="credential-row"][data-kind="award"]');
    await rowEn.waitFor();
    assert.equal((await rowEn.getByTestId('credential-status').innerText()).trim(), 'Revoked');
    await en.locator('[data-testid="claim-row"][data-kind="outcome"]').first().getByText('Get signed credential').waitFor();
    assert.equal((await en.getByTestId('claim-ask-registrar').innerText()).trim(), 'For a new one, ask the registrar of Huaxia University');
    await shot(en, 'credentials-learner-en');
    await en.context().close();

    // the withdrawn link no longer opens
    const visitor = await newPage('zh-CN');
    await visitor.goto(shareUrl);
    await visitor.getByTestId('share-gone').waitFor();
    assert.match(await visitor.getByTestId('share-gone').innerText(), /此分享链接已失效/);
    assert.match(await visitor.getByTestId('share-gone-why').innerText(), /^持有人已撤回此链接/);
    await shot(visitor, 'credentials-verify-gone-zh');
    await visitor.context().close();
  });

  test('learner31 gets the certified qualification’s credential and a transcript from HXU, which verifies with each course inside it', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'learner31');
    await page.goto(`${session.url}/credentials`);

    // ---- certified learning: the software qualification, signed by HXU
    const certified = page.locator('[data-testid="claim-row"][data-kind="certification"][data-code="RK-SE-M"]');
    await certified.waitFor();
    const certAnswer = await answerTo(page, () => certified.getByTestId('claim-issue').click(), '/api/v1/me/credentials');
    assert.equal(certAnswer.status(), 201, await certAnswer.text());
    const cert = (await certAnswer.json()) as { id: string; kind: string };
    assert.equal(cert.kind, 'certification');
    const certRow = page.locator(`[data-testid="credential-row"][data-id="${cert.id}"]`);
    await certRow.waitFor();
    assert.equal((await certRow.getByTestId('credential-kind').innerText()).trim(), '认定成果');
    assert.match(await certRow.innerText(), /计算机技术与软件专业技术资格[\s\S]*华夏大学/);
    await certified.waitFor({ state: 'detached' });

    // ---- a transcript of the passed courses at HXU
    const account = (await (await page.request.get(`${session.url}/api/v1/me/account`)).json()) as {
      outcomes: { institutionCode: string; status: string; passed: boolean; courseTitleZh: string }[];
    };
    const passed = account.outcomes.filter((o) => o.institutionCode === 'HXU' && o.status === 'recorded' && o.passed);
    assert.ok(passed.length > 1, 'learner31 passed several courses at HXU');
    const hxu = page.locator('[data-testid="transcript-source"][data-institution="HXU"]');
    assert.match(await hxu.innerText(), new RegExp(`华夏大学[\\s\\S]*已通过 ${passed.length} 门课程`));
    const button = hxu.getByTestId('transcript-issue');
    assert.equal((await button.innerText()).trim(), '获取华夏大学成绩单');
    // the confirmation shows for a few seconds: watched for from the click on
    const toast = page
      .locator('.ant-message-notice')
      .filter({ hasText: /含 \d+ 门课程/ })
      .waitFor();
    const answer = await answerTo(page, () => button.click(), '/api/v1/me/credentials');
    assert.equal(answer.status(), 201, await answer.text());
    const issued = (await answer.json()) as { id: string; kind: string; institution: { id: string } };
    assert.equal(issued.kind, 'transcript');
    const row = page.locator(`[data-testid="credential-row"][data-id="${issued.id}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-kind'), 'transcript');
    assert.equal((await row.getByTestId('credential-kind').innerText()).trim(), '成绩单');
    assert.match(await row.getByTestId('credential-name').innerText(), /华夏大学成绩单/);
    assert.equal(await row.getByTestId('credential-suite').getAttribute('data-suite'), 'eddsa-jcs-2022');
    assert.equal((await row.getByTestId('credential-transcript-size').innerText()).trim(), `含 ${passed.length} 门课程`);
    await toast;
    await hxu.getByText(/上次获取：\d{4}-\d{2}-\d{2}/).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.ant-message-notice').length === 0);
    await shot(page, 'credentials-learner-transcript-zh');

    // ---- downloaded from the page, opened on /verify as the file it is: valid, with each course inside valid
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('credential-download').click()]);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const transcript = JSON.parse(text) as { type: string[]; credentialSubject: { verifiableCredential: unknown[] } };
    assert.ok(transcript.type.includes('ClrCredential'));
    assert.equal(transcript.credentialSubject.verifiableCredential.length, passed.length);
    await page.goto(`${session.url}/verify`);
    // (a transcript of 26 signed courses is too long to paste quickly into a text box in a software-rendered browser)
    const file = { name: 'transcript.json', mimeType: 'application/json', buffer: Buffer.from(text) };
    const verified = await answerTo(page, () => page.locator('input[type="file"]').setInputFiles(file), '/api/v1/credentials/verify');
    assert.equal(verified.status(), 200, await verified.text());
    assert.deepEqual(await verdict(page), { status: 'valid', text: '有效' });
    assert.match(await page.getByTestId('verify-name').innerText(), /华夏大学成绩单/);
    assert.match(await page.getByTestId('verify-holder').innerText(), /张伟/);
    const included = page.getByTestId('verify-included');
    assert.equal(await included.getAttribute('data-count'), String(passed.length));
    assert.equal(await included.getByTestId('verify-included-item').count(), passed.length);
    assert.equal(await included.locator('[data-testid="verify-included-item"][data-status="valid"]').count(), passed.length);
    const names = await included.getByTestId('verify-included-name').allInnerTexts();
    for (const o of passed)
      assert.ok(
        names.some((n) => n.includes(o.courseTitleZh)),
        `${o.courseTitleZh} is on the transcript`,
      );
    assert.deepEqual(
      [...new Set(await included.getByTestId('verdict-tag').allInnerTexts())].map((x) => x.trim()),
      ['有效'],
    );
    assert.equal(await page.getByTestId('verify-included-warning').count(), 0);
    await shot(page, 'credentials-verify-transcript-zh');

    // the same result in English
    await switchLanguage(page, 'en');
    await included.getByText('Credentials in this transcript').waitFor();
    assert.equal((await page.getByTestId('verify-status').innerText()).trim(), 'Valid');
    assert.deepEqual(
      [...new Set(await included.getByTestId('verdict-tag').allInnerTexts())].map((x) => x.trim()),
      ['Valid'],
    );
    await shot(page, 'credentials-verify-transcript-en');

    // ---- HXU's registrar revokes one course's credential: the transcript's own signature still holds,
    // but the course inside shows revoked, with a warning; no new transcript until the registrar has looked
    const parts = transcript.credentialSubject.verifiableCredential as { id: string; name: string }[];
    const courseId = parts[0]!.id.replace(/^urn:uuid:/, '');
    const registrar = await newPage('zh-CN');
    await signIn(registrar, 'registrar.hxu');
    const revokedCourse = await registrar.request.post(`${session.url}/api/v1/credentials/${courseId}/revoke`, { data: { reason: '成绩录入有误，待更正' } });
    assert.equal(revokedCourse.status(), 200, await revokedCourse.text());
    await registrar.context().close();

    const again = await answerTo(page, () => page.getByTestId('verify-submit').click(), '/api/v1/credentials/verify');
    assert.equal(again.status(), 200, 'the transcript itself is not revoked');
    await included.locator('[data-testid="verify-included-item"][data-status="revoked"]').waitFor();
    assert.equal(await included.locator('[data-testid="verify-included-item"][data-status="revoked"]').count(), 1);
    assert.match(await page.getByTestId('verify-included-warning').innerText(), new RegExp(`^1 of the ${passed.length} do not verify`));
    assert.match(await included.locator('[data-testid="verify-included-item"][data-status="revoked"]').innerText(), /Revoked/);

    await switchLanguage(page, 'zh-CN');
    await page.goto(`${session.url}/credentials`);
    const blocked = page.locator('[data-testid="transcript-source"][data-institution="HXU"]');
    await blocked.getByTestId('transcript-blocked').waitFor();
    assert.ok((await blocked.getByTestId('transcript-blocked').innerText()).includes('成绩录入有误，待更正'));
    assert.equal(await blocked.getByTestId('transcript-issue').count(), 0);
    assert.equal((await blocked.getByTestId('claim-ask-registrar').innerText()).trim(), '请联系华夏大学教务处处理');
    // the course itself is back among the records, sent to the registrar too
    const course = page.locator('[data-testid="claim-row"][data-kind="outcome"][data-stopped="revoked"]');
    await course.waitFor();
    assert.equal(await course.count(), 1);
    assert.match(
      await course.innerText(),
      new RegExp(`${parts[0]!.name.split(' (')[0]}[\\s\\S]*成绩录入有误，待更正[\\s\\S]*如需新凭证，请联系华夏大学教务处`),
    );
    await page.locator('[data-testid="transcript-source"][data-institution="JNVC"]').getByTestId('transcript-issue').waitFor();
    await page.getByTestId('transcript-card').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, 'credentials-transcript-blocked-zh', false);
    const refused = await page.request.post(`${session.url}/api/v1/me/credentials`, { data: { kind: 'transcript', id: issued.institution.id } });
    assert.equal(refused.status(), 409);
    assert.match(((await refused.json()) as { detail: string }).detail, /ask its registrar/);
    await page.context().close();
  });
});
