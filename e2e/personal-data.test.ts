// Personal data and the registrar's tools around it, in a real browser (issues 16 and 17):
// HXU's registrar issues an API token with scopes and an expiry, sees its secret once, sees its last
// use and revokes it; enrols a learner from the drawer; records results with statuses (免修, 补考,
// 缺考) that learner01 and the registrar see beside the grades. learner01 downloads their record and
// asks HXU for two corrections; the registrar accepts one and declines the other with a reason, and
// learner01 sees both answers. The administrator sees who of the staff read the new learner's record
// and erases their personal data. A registrar proposes an agreement with a pass/fail party and says
// what its Pass becomes. Screenshots in Chinese and English, and the learner's page at phone width.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test, type Page } from '@playwright/test';
import path from 'node:path';
import { browserSession, PASSWORD, SHOTS, signedInApi } from './harness.js';
import { option, pick, switchLanguage } from './ui.js';

const session = browserSession();
const { newPage, signIn, shot } = session;

interface Institution {
  id: string;
  code: string;
  gradingScales: { code: string; definition: { type: string } }[];
}
interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string;
  scopes: string[];
}
interface Correction {
  id: string;
  subject: string;
  requested: string;
  reason: string | null;
  status: string;
  note: string | null;
}
interface Outcome {
  courseCode: string;
  grade: string | null;
  resultStatus: string;
  passed: boolean;
  status: string;
}
interface Account {
  learner: { id: string; fullName: string; fullNameLatin: string | null; birthDate: string | null; email?: string | null; idNumber: string | null };
  outcomes: Outcome[];
}

const api = (username: string) => signedInApi(session.url, username);

async function institution(code: string): Promise<Institution> {
  const admin = await api('admin');
  const { items } = await admin<{ items: Institution[] }>('/institutions');
  const found = items.find((i) => i.code === code);
  assert.ok(found, `institution ${code}`);
  return found;
}

/** A valid 18-digit resident ID (GB 11643: the last character is the ISO 7064 MOD 11-2 check). */
function residentId(region: string, birth: string, seq: string): string {
  const body = `${region}${birth.replaceAll('-', '')}${seq}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11];
}

const ymd = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The OK button of the open modal dialog. */
const dialogOk = (page: Page) => page.locator('.ant-modal-wrap:visible .ant-modal-footer .ant-btn-primary');

/** A row of an antd table holding `text` in one of its cells. */
const rowWith = (page: Page, tableTestId: string, text: string) => page.getByTestId(tableTestId).locator('tbody tr.ant-table-row').filter({ hasText: text });

let enrolledId = '';
let learner01Id = '';

// the tests build on what the ones before them did, on one server: in order, and after a failure the rest are skipped
test.describe.configure({ mode: 'serial' });

test.describe('API tokens', () => {
  test('HXU’s registrar issues a token with an expiry and scopes, sees it once, sees its last use, and revokes it', async () => {
    const hxu = await institution('HXU');
    const page = await newPage('zh-CN');
    await signIn(page, 'registrar.hxu');
    await page.goto(`${session.url}/institution/imports`);
    const card = page.getByTestId('api-tokens-card');
    await card.waitFor();
    // the defaults: read and import, a year from now
    assert.equal(await card.getByLabel('读取').isChecked(), true);
    assert.equal(await card.getByLabel('导入').isChecked(), true);
    assert.equal(await card.getByLabel('签发证书').isChecked(), false);
    const inAYear = new Date();
    inAYear.setFullYear(inAYear.getFullYear() + 1);
    assert.equal(await card.locator('.ant-picker input').inputValue(), ymd(inAYear));

    await card.getByPlaceholder('名称').fill('教务系统 e2e');
    await card.getByLabel('导入').uncheck();
    await card.getByLabel('签发证书').check();
    const expiry = new Date();
    expiry.setDate(expiry.getDate() + 90);
    await card.locator('.ant-picker input').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(ymd(expiry));
    await page.keyboard.press('Enter');
    await card.getByRole('button', { name: '签发令牌' }).click();

    const secretEl = card.getByTestId('api-token-secret');
    await secretEl.waitFor();
    const secret = (await secretEl.locator('code').innerText()).trim();
    assert.match(secret, /^cbk_[A-Za-z0-9_-]+$/);
    assert.match(await card.locator('.ant-alert').innerText(), /请立即复制令牌：它不会再次显示。/);
    const row = card.locator('tbody tr.ant-table-row').filter({ hasText: '教务系统 e2e' });
    await row.waitFor();
    assert.match(await row.innerText(), /从未使用/);
    assert.match(await row.innerText(), /有效/);
    await shot(page, 'tokens-issued-zh');

    // what the server holds: the scopes and expiry chosen, never the secret
    const registrar = await api('registrar.hxu');
    const listed = (await registrar<{ items: ApiToken[] }>(`/institutions/${hxu.id}/api-tokens`)).items.find((t) => t.name === '教务系统 e2e');
    assert.ok(listed);
    assert.deepEqual([...listed.scopes].sort(), ['issue', 'read']);
    assert.equal(ymd(new Date(listed.expiresAt)), ymd(expiry));
    assert.equal(listed.lastUsedAt, null);
    assert.ok(secret.includes(listed.prefix), 'the list names the token by its prefix');

    // the academic-affairs system reads with it; it may not import
    const bearer = { authorization: `Bearer ${secret}` };
    const read = await fetch(`${session.url}/api/v1/institutions/${hxu.id}/learners?limit=1`, { headers: bearer });
    assert.equal(read.status, 200);
    const write = await fetch(`${session.url}/api/v1/institutions/${hxu.id}/outcomes`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId: 'nobody', courseCode: 'CS1011', term: '2025-2026-1', grade: '80', completedOn: '2026-01-10' }),
    });
    assert.equal(write.status, 403, 'a token without the import scope is refused a write');

    // shown once: after a reload the secret is gone, and the list shows the last use
    await page.reload();
    await card.waitFor();
    await row.waitFor();
    assert.equal(await card.getByTestId('api-token-secret').count(), 0, 'the secret is not shown again');
    assert.doesNotMatch(await row.innerText(), /从未使用/);
    assert.ok(!(await page.content()).includes(secret), 'the secret is nowhere on the page');

    await row.getByRole('button', { name: '吊销' }).click();
    await page.locator('.ant-popconfirm:visible').getByText('吊销此令牌？使用它的系统将立即被拒绝。').waitFor();
    await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
    await row.getByText('已吊销').waitFor();
    assert.equal(await row.getByRole('button', { name: '吊销' }).count(), 0);
    const after = await fetch(`${session.url}/api/v1/institutions/${hxu.id}/learners?limit=1`, { headers: bearer });
    assert.equal(after.status, 401, 'a revoked token is refused at once');
    const revoked = (await registrar<{ items: ApiToken[] }>(`/institutions/${hxu.id}/api-tokens`)).items.find((t) => t.id === listed.id);
    assert.ok(revoked?.revokedAt);
    assert.ok(revoked?.lastUsedAt, 'its last use is kept');

    await page.locator('.ant-message-notice').waitFor({ state: 'detached' });
    await shot(page, 'tokens-revoked-zh');
    await switchLanguage(page, 'en');
    await row.getByText('Revoked').waitFor();
    await shot(page, 'tokens-revoked-en');
    await page.context().close();
  });
});

test.describe('enrolling a learner', () => {
  test('HXU’s registrar enrols a learner from the drawer; the required fields are asked for first', async () => {
    const hxu = await institution('HXU');
    const page = await newPage('zh-CN');
    await signIn(page, 'registrar.hxu');
    await page.goto(`${session.url}/institution/learners`);
    await page.getByTestId('learners-table').waitFor();
    await page.getByTestId('learners-enrol').click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByText('登记学习者').first().waitFor();
    await drawer.getByTestId('learner-form-submit').click();
    await drawer.locator('.ant-form-item-explain-error').first().waitFor();
    assert.ok(
      (await drawer.locator('.ant-form-item-explain-error').allInnerTexts()).filter((e) => e === '必填').length >= 2,
      'student number and name are required',
    );

    const birth = '2001-04-18';
    const id = residentId('110101', birth, '123');
    await drawer.getByTestId('learner-field-external-id').fill('E2E-PD-001');
    await drawer.getByTestId('learner-field-full-name').fill('林晓雨');
    await drawer.getByLabel('姓名拼音').fill('Lin Xiaoyu');
    await drawer.getByLabel('出生日期').fill(birth);
    await drawer.getByLabel('电子邮箱').fill('lin.xiaoyu@example.com');
    await drawer.getByLabel('入学日期').fill('2025-09-01');
    await pick(page, drawer.getByTestId('id-type'), '居民身份证');
    await drawer.getByTestId('id-number').fill(id);
    await shot(page, 'enrol-drawer-zh', false);
    await drawer.getByTestId('learner-form-submit').click();
    await page
      .locator('.ant-message-notice')
      .getByText(/已登记，学习账号/)
      .waitFor();
    await page.locator('.ant-drawer-content').waitFor({ state: 'detached' });

    // what the server holds
    const registrar = await api('registrar.hxu');
    const found = await registrar<{ items: { id: string; externalId: string; fullName: string; fullNameLatin: string | null }[] }>(
      `/institutions/${hxu.id}/learners?q=E2E-PD-001`,
    );
    assert.equal(found.items.length, 1);
    assert.equal(found.items[0]!.fullName, '林晓雨');
    assert.equal(found.items[0]!.fullNameLatin, 'Lin Xiaoyu');
    enrolledId = found.items[0]!.id;
    const account = await registrar<Account>(`/learners/${enrolledId}/account`);
    assert.equal(account.learner.birthDate, birth);
    assert.ok(account.learner.idNumber && account.learner.idNumber !== id, 'staff see the ID number masked');

    // and in the list, the name opens the account
    await page.locator('input[data-testid="learners-search"], [data-testid="learners-search"] input').first().fill('E2E-PD-001');
    await page.keyboard.press('Enter');
    const row = rowWith(page, 'learners-table', '林晓雨');
    await row.waitFor();
    await row.getByRole('link', { name: '林晓雨' }).click();
    await page.waitForURL(new RegExp(`/institution/learners/${enrolledId}$`));
    await page.getByTestId('learner-name').getByText('林晓雨').waitFor();
    await page.context().close();

    const en = await newPage('en');
    await signIn(en, 'registrar.hxu');
    await en.goto(`${session.url}/institution/learners`);
    await en.getByTestId('learners-enrol').click();
    await en.locator('.ant-drawer-content').getByText('Enrol a learner').first().waitFor();
    await pick(en, en.getByTestId('id-type'), 'Passport');
    await en.getByTestId('id-country').waitFor();
    await shot(en, 'enrol-drawer-en', false);
    await en.context().close();
  });
});

/** learner01's HXU student number, and three HXU courses not yet on their record. */
async function learner01AtHxu() {
  const hxu = await institution('HXU');
  const registrar = await api('registrar.hxu');
  const { items } = await registrar<{ items: { id: string; externalId: string; fullName: string }[] }>(
    `/institutions/${hxu.id}/learners?q=${encodeURIComponent('王思远')}`,
  );
  assert.equal(items.length, 1, 'learner01 is 王思远 at HXU');
  const learner = items[0]!;
  learner01Id = learner.id;
  const account = await registrar<Account>(`/learners/${learner.id}/account`);
  const courses = await registrar<{ items: { code: string }[] }>(`/institutions/${hxu.id}/courses?limit=100`);
  const taken = new Set(account.outcomes.map((o) => o.courseCode));
  const free = courses.items.map((c) => c.code).filter((c) => !taken.has(c));
  assert.ok(free.length >= 3, `HXU courses learner01 has not taken: ${free.join(', ')}`);
  return { hxu, learner, free: free.slice(0, 3) as [string, string, string] };
}

test.describe('result statuses', () => {
  test('results recorded with 免修, 补考 and 缺考 show their status beside the grade to learner01 and the registrar', async () => {
    const { hxu, learner, free } = await learner01AtHxu();
    const [exempt, resit, absent] = free;
    const registrar = await api('registrar.hxu');
    const record = (body: Record<string, unknown>) =>
      registrar<Outcome>(`/institutions/${hxu.id}/outcomes`, { externalId: learner.externalId, term: '2025-2026-1', completedOn: '2026-01-16', ...body });
    const recorded = {
      [exempt]: await record({ courseCode: exempt, resultStatus: '免修' }),
      [resit]: await record({ courseCode: resit, grade: '64', resultStatus: 'resit' }),
      [absent]: await record({ courseCode: absent, resultStatus: '缺考' }),
    };
    assert.equal(recorded[exempt]!.resultStatus, 'exempted');
    assert.equal(recorded[resit]!.resultStatus, 'resit');
    assert.equal(recorded[absent]!.resultStatus, 'absent');
    assert.equal(recorded[absent]!.passed, false, 'an absence is never a pass');

    const expectRow = async (page: Page, code: string, status: string, text: RegExp, passText: RegExp) => {
      const row = rowWith(page, 'outcomes-table', code);
      await row.waitFor();
      const tag = row.getByTestId('result-status');
      assert.equal(await tag.getAttribute('data-status'), status, code);
      assert.match(await tag.innerText(), text, code);
      assert.match(await row.innerText(), passText, code);
    };
    const pass = (code: string, zh: boolean) => (recorded[code]!.passed ? (zh ? /通过/ : /Passed/) : zh ? /未通过/ : /Failed/);

    const mine = await newPage('zh-CN');
    await signIn(mine, 'learner01');
    await mine.goto(`${session.url}/account`);
    await mine.getByTestId('outcomes-table').waitFor();
    await expectRow(mine, exempt, 'exempted', /^免修$/, pass(exempt, true));
    await expectRow(mine, resit, 'resit', /^补考$/, pass(resit, true));
    assert.match(await rowWith(mine, 'outcomes-table', resit).innerText(), /64/);
    await expectRow(mine, absent, 'absent', /^缺考$/, /未通过/);
    await rowWith(mine, 'outcomes-table', absent).scrollIntoViewIfNeeded();
    await shot(mine, 'result-status-learner-zh', false);
    await switchLanguage(mine, 'en');
    await expectRow(mine, exempt, 'exempted', /^Exempted$/, pass(exempt, false));
    await expectRow(mine, resit, 'resit', /^Resit$/, pass(resit, false));
    await expectRow(mine, absent, 'absent', /^Absent$/, /Failed/);
    await rowWith(mine, 'outcomes-table', absent).scrollIntoViewIfNeeded();
    await shot(mine, 'result-status-learner-en', false);
    await mine.context().close();

    const staff = await newPage('en');
    await signIn(staff, 'registrar.hxu');
    await staff.goto(`${session.url}/institution/learners/${learner.id}`);
    await staff.getByTestId('outcomes-table').waitFor();
    await expectRow(staff, exempt, 'exempted', /^Exempted$/, pass(exempt, false));
    await expectRow(staff, absent, 'absent', /^Absent$/, /Failed/);
    await rowWith(staff, 'outcomes-table', absent).scrollIntoViewIfNeeded();
    await shot(staff, 'result-status-registrar-en', false);
    await staff.context().close();
  });
});

test.describe('the learner’s personal data', () => {
  test('learner01 downloads their record and asks HXU for two corrections', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'learner01');
    await page.goto(`${session.url}/account`);
    await page.getByTestId('outcomes-table').waitFor();
    assert.match(await page.getByTestId('export-record').innerText(), /导出我的记录/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-record-csv').click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    assert.match(csv, /成绩标志 Result status/, 'the download holds the results with their statuses');
    assert.match(csv, /免修/);
    const own = await (await api('learner01'))<Account>('/me/account');
    for (const o of own.outcomes.filter((x) => x.status === 'active').slice(0, 5)) assert.ok(csv.includes(o.courseCode), `the download holds ${o.courseCode}`);

    const card = page.getByTestId('my-corrections');
    await card.scrollIntoViewIfNeeded();
    const ask = async (subject: string, requested: string, reason: string) => {
      await pick(page, card.locator('.ant-select').nth(0), '华夏大学');
      await pick(page, card.locator('.ant-select').nth(1), subject);
      await card.getByPlaceholder('应更正为').fill(requested);
      await card.getByPlaceholder('原因（可选）').fill(reason);
      await card.getByRole('button', { name: '提交' }).click();
      await card.locator('tbody tr.ant-table-row').filter({ hasText: requested }).waitFor();
    };
    // the form asks for the institution, what and the new value
    await card.getByRole('button', { name: '提交' }).click();
    await card.locator('.ant-form-item-explain-error').first().waitFor();
    await ask('出生日期', '2003-05-12', '身份证上的日期是 5 月 12 日');
    await ask('拼音/外文姓名', 'Wang Siyuan', '护照上的拼写');
    for (const requested of ['2003-05-12', 'Wang Siyuan'])
      assert.match(await card.locator('tbody tr.ant-table-row').filter({ hasText: requested }).innerText(), /待处理/);

    const mine = (await (await api('learner01'))<{ items: Correction[] }>('/me/corrections')).items;
    assert.deepEqual(mine.map((c) => `${c.subject}:${c.requested}:${c.status}`).sort(), ['birthDate:2003-05-12:open', 'fullNameLatin:Wang Siyuan:open']);
    await shot(page, 'personal-data-learner-zh');
    await card.screenshot({ path: path.join(SHOTS, 'personal-data-corrections-zh.png') });
    await switchLanguage(page, 'en');
    await card.getByText('Waiting').first().waitFor();
    await shot(page, 'personal-data-learner-en');
    await card.screenshot({ path: path.join(SHOTS, 'personal-data-corrections-en.png') });
    await page.context().close();
  });

  test('HXU’s registrar accepts one correction and declines the other with a reason; learner01 sees the answers', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'registrar.hxu');
    await page.goto(`${session.url}/institution/learners`);
    const inbox = page.getByTestId('institution-corrections');
    await inbox.scrollIntoViewIfNeeded();
    const birth = inbox.locator('tbody tr.ant-table-row').filter({ hasText: '2003-05-12' });
    const latin = inbox.locator('tbody tr.ant-table-row').filter({ hasText: 'Wang Siyuan' });
    await birth.waitFor();
    // what the learner asked and why, and who asked: a link to their account
    assert.match(await birth.innerText(), /身份证上的日期是 5 月 12 日/);
    assert.equal(await birth.getByRole('link', { name: '查看账户' }).getAttribute('href'), `/institution/learners/${learner01Id}`);
    await shot(page, 'corrections-inbox-zh');
    await inbox.screenshot({ path: path.join(SHOTS, 'corrections-inbox-card-zh.png') });

    // declining needs a reason: the OK button waits for one
    await birth.getByRole('button', { name: '拒绝' }).click();
    const ok = dialogOk(page);
    await ok.waitFor();
    assert.equal(await ok.isDisabled(), true, 'no answer without a note');
    assert.match(await page.locator('.ant-modal-wrap:visible .ant-modal-title').innerText(), /拒绝更正请求/);
    assert.match(await page.getByTestId('correction-answering').innerText(), /出生日期 → 2003-05-12（原因：身份证上的日期是 5 月 12 日）/);
    assert.match(await ok.innerText(), /拒\s*绝/);
    await page.locator('.ant-modal-wrap:visible textarea').fill('出生日期以学籍档案为准，请携带户口簿到教务处核对。');
    await shot(page, 'corrections-answer-zh', false);
    await ok.click();
    await birth.getByText('已拒绝').waitFor();
    await latin.getByRole('button', { name: '接受' }).click();
    await page.locator('.ant-modal-wrap:visible textarea').fill('已按护照更正拼音姓名。');
    await dialogOk(page).click();
    await latin.getByText('已接受').waitFor();
    assert.equal(await inbox.getByRole('button', { name: '接受' }).count(), 0, 'nothing left open');
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await switchLanguage(page, 'en');
    await latin.getByText('Accepted').waitFor();
    await shot(page, 'corrections-inbox-en');
    await page.context().close();

    const mine = (await (await api('learner01'))<{ items: Correction[] }>('/me/corrections')).items;
    const bySubject = Object.fromEntries(mine.map((c) => [c.subject, c]));
    assert.equal(bySubject.birthDate?.status, 'rejected');
    assert.equal(bySubject.birthDate?.note, '出生日期以学籍档案为准，请携带户口簿到教务处核对。');
    assert.equal(bySubject.fullNameLatin?.status, 'accepted');

    const learner = await newPage('zh-CN');
    await signIn(learner, 'learner01');
    await learner.goto(`${session.url}/account`);
    const card = learner.getByTestId('my-corrections');
    const declined = card.locator('tbody tr.ant-table-row').filter({ hasText: '2003-05-12' });
    await declined.waitFor();
    assert.match(await declined.innerText(), /已拒绝/);
    assert.match(await declined.innerText(), /出生日期以学籍档案为准/);
    assert.match(await card.locator('tbody tr.ant-table-row').filter({ hasText: 'Wang Siyuan' }).innerText(), /已接受/);
    await learner.context().close();

    // at phone width
    const phone = await newPage('zh-CN');
    await phone.setViewportSize({ width: 390, height: 844 });
    await signIn(phone, 'learner01');
    await phone.goto(`${session.url}/account`);
    await phone.getByTestId('my-corrections').locator('tbody tr.ant-table-row').first().waitFor();
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 390), 'nothing wider than the phone');
    assert.ok(await phone.getByTestId('user-display-name').isVisible());
    await shot(phone, 'personal-data-learner-phone-zh');
    await phone.getByTestId('my-corrections').scrollIntoViewIfNeeded();
    await shot(phone, 'personal-data-learner-phone-corrections-zh', false);
    await phone.context().close();
  });

  test('the administrator sees who read the enrolled learner’s record, and erases their personal data', async () => {
    assert.ok(enrolledId, 'the learner enrolled above');
    const page = await newPage('zh-CN');
    await signIn(page, 'admin');
    await page.goto(`${session.url}/institution/learners/${enrolledId}?tab=privacy`);
    const panel = page.getByTestId('learner-privacy');
    await panel.waitFor();
    // HXU's registrar opened the account after enrolling
    const read = panel.locator('tbody tr.ant-table-row').filter({ hasText: '账户' }).first();
    await read.waitFor();
    assert.doesNotMatch(await read.innerText(), /命令行/);
    await shot(page, 'privacy-admin-zh');

    await page.getByTestId('erase-learner').click();
    const ok = dialogOk(page);
    await ok.waitFor();
    assert.match(await page.locator('.ant-modal-wrap:visible').innerText(), /此操作无法撤销。/);
    assert.equal(await ok.isDisabled(), true, 'no erasure without a reason');
    await page.locator('.ant-modal-wrap:visible textarea').fill('学习者 2026-12-01 书面申请，编号 PD-2026-001');
    await shot(page, 'privacy-erase-confirm-zh', false);
    await ok.click();
    await page.locator('.ant-message-notice').getByText('个人信息已删除').waitFor();

    const account = await (await api('admin'))<Account>(`/learners/${enrolledId}/account`);
    assert.notEqual(account.learner.fullName, '林晓雨', 'the name is a pseudonym now');
    assert.equal(account.learner.birthDate, null);
    assert.equal(account.learner.idNumber, null);
    await page.getByTestId('learner-tab-account').click();
    await page.getByTestId('learner-name').waitFor();
    assert.doesNotMatch(await page.getByTestId('learner-name').innerText(), /林晓雨/);
    await page.getByTestId('learner-tab-privacy').click();
    await page.locator('.ant-message-notice').waitFor({ state: 'detached' }); // the toast was written in Chinese
    await switchLanguage(page, 'en');
    await panel.getByText('Who read this record').waitFor();
    await shot(page, 'privacy-admin-en');
    await page.context().close();
  });
});

interface ErasureRequest {
  id: string;
  status: string;
  reason: string | null;
  decisionNote: string | null;
}

test.describe('a learner’s own erasure request', () => {
  const username = 'chen.siqi';
  let learnerId = '';

  test('a learner asks to erase their personal data, reads what it keeps and removes, withdraws and asks again', async () => {
    // a learner of HXU with a sign-in of their own
    const hxu = await institution('HXU');
    const made = await (
      await api('registrar.hxu')
    )<{ id: string }>(`/institutions/${hxu.id}/learners`, {
      fullName: '陈思齐',
      fullNameLatin: 'Chen Siqi',
      birthDate: '2000-06-01',
      email: 'chen.siqi@example.com',
      externalId: 'E2E-PD-ERASE',
      login: { username, password: PASSWORD },
    });
    learnerId = made.id;

    const page = await newPage('zh-CN');
    await signIn(page, username);
    await page.goto(`${session.url}/account`);
    const card = page.getByTestId('my-personal-data');
    await card.waitFor();
    assert.match(await card.innerText(), /我的个人信息/);
    assert.match(await card.innerText(), /下载我的全部数据/);
    assert.equal(await card.getByTestId('my-corrections').count(), 1, 'corrections are part of the card');
    const erasure = card.getByTestId('my-erasure');
    await erasure.getByTestId('erasure-ask').click();
    const dialog = page.getByTestId('erasure-confirm');
    await dialog.waitFor();
    const explained = await dialog.innerText();
    for (const said of [
      /姓名（改为一个化名/,
      /出生日期、电子邮箱、身份证件/,
      /之后您将无法再登录学分银行/,
      /透明日志/,
      /仍可被验证/,
      /数字证书将被撤销/,
      /可以随时撤回请求/,
    ])
      assert.match(explained, said);
    await dialog.getByTestId('erasure-reason').fill('我将出国定居，不再使用学分银行。');
    await shot(page, 'erasure-confirm-zh', false);
    await dialogOk(page).click();
    await erasure.getByTestId('erasure-open').waitFor();
    assert.match(await erasure.getByTestId('erasure-open').innerText(), /待处理/);
    assert.equal(await erasure.getByTestId('erasure-ask').count(), 0, 'one open request at a time');
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await erasure.scrollIntoViewIfNeeded();
    await shot(page, 'erasure-learner-open-zh', false);

    await switchLanguage(page, 'en');
    await erasure.getByText('Waiting for an administrator', { exact: false }).waitFor();
    await shot(page, 'erasure-learner-open-en', false);
    await erasure.getByTestId('erasure-withdraw').click();
    await erasure.getByTestId('erasure-ask').waitFor();
    await erasure.getByTestId('erasure-ask').click();
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /you will not be able to sign in to the credit bank again/);
    await shot(page, 'erasure-confirm-en', false);
    await dialogOk(page).click();
    await erasure.getByTestId('erasure-open').waitFor();
    await page.context().close();

    const mine = (await (await api(username))<{ items: ErasureRequest[] }>('/me/erasure-requests')).items;
    assert.deepEqual(
      mine.map((r) => r.status),
      ['open', 'withdrawn'],
      'the withdrawn request and the new one',
    );
  });

  test('the administrator declines with a reason the learner reads, then approves the next request: the learner’s sign-in ends', async () => {
    assert.ok(learnerId, 'the learner made above');
    const page = await newPage('zh-CN');
    await signIn(page, 'admin');
    await page.goto(`${session.url}/`);
    await page.locator('.ant-menu').getByText('删除请求').click();
    await page.waitForURL(/\/admin\/erasure-requests$/);
    const queue = page.getByTestId('erasure-requests');
    const row = queue.locator('tbody tr.ant-table-row').filter({ hasText: '陈思齐' });
    await row.waitFor();
    assert.match(await row.innerText(), /待处理/);
    await shot(page, 'erasure-queue-zh');

    await row.getByTestId('erasure-decline').click();
    const ok = dialogOk(page);
    await ok.waitFor();
    assert.equal(await ok.isDisabled(), true, 'no decline without a reason');
    await page.getByTestId('erasure-note').fill('您在华夏大学尚有一项学分转换申诉未结束，结束后可再次申请。');
    await shot(page, 'erasure-decline-zh', false);
    await ok.click();
    await queue.getByText('没有待处理的删除请求').waitFor();
    await page.context().close();

    // the learner reads why, and asks again
    const learner = await newPage('en');
    await signIn(learner, username);
    await learner.goto(`${session.url}/account`);
    const erasure = learner.getByTestId('my-erasure');
    await erasure.getByTestId('erasure-declined').waitFor();
    assert.match(await erasure.getByTestId('erasure-declined').innerText(), /尚有一项学分转换申诉未结束/);
    await erasure.scrollIntoViewIfNeeded();
    await shot(learner, 'erasure-learner-declined-en', false);
    await switchLanguage(learner, 'zh-CN');
    await erasure.getByText('管理员的理由', { exact: false }).waitFor();
    await shot(learner, 'erasure-learner-declined-zh', false);
    await erasure.getByTestId('erasure-ask').click();
    await dialogOk(learner).click();
    await erasure.getByTestId('erasure-open').waitFor();
    await learner.context().close();

    const admin = await newPage('en');
    await signIn(admin, 'admin');
    await admin.goto(`${session.url}/admin/erasure-requests`);
    const again = admin.getByTestId('erasure-requests').locator('tbody tr.ant-table-row').filter({ hasText: '陈思齐' });
    await again.waitFor();
    await again.getByTestId('erasure-approve').click();
    await dialogOk(admin).waitFor();
    assert.match(await admin.getByTestId('erasure-deciding').innerText(), /the sign-in is closed and the credentials issued are revoked/);
    await shot(admin, 'erasure-approve-en', false);
    await dialogOk(admin).click();
    await admin.locator('.ant-message-notice').getByText('Approved; the personal data was erased').waitFor();
    await admin.getByTestId('erasure-status').getByText('Approved (erased)').click();
    const approved = admin.getByTestId('erasure-requests').locator('tbody tr.ant-table-row').first();
    await approved.waitFor();
    assert.doesNotMatch(await approved.innerText(), /陈思齐/, 'the queue shows the pseudonym now');
    await admin.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await shot(admin, 'erasure-queue-approved-en');
    await switchLanguage(admin, 'zh-CN');
    await admin.getByTestId('erasure-requests').getByText('已批准（已删除）').first().waitFor();
    await shot(admin, 'erasure-queue-approved-zh');
    await admin.context().close();

    // the learner's sign-in is closed; the record keeps nothing of the person
    const login = await fetch(`${session.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    assert.equal(login.status, 401);
    const account = await (await api('admin'))<Account>(`/learners/${learnerId}/account`);
    assert.notEqual(account.learner.fullName, '陈思齐');
    assert.equal(account.learner.birthDate, null);
  });
});

test.describe('pass/fail rules', () => {
  test('a registrar says what a pass/fail party’s Pass becomes in an agreement’s grade tables', async () => {
    // HXTC, the enterprise training centre, grades pass/fail
    const hxtc = await institution('HXTC');
    const admin = await api('admin');
    await admin(`/institutions/${hxtc.id}/grading-scales`, {
      code: 'AAA-PF',
      nameZh: '合格制',
      nameEn: 'Pass/fail',
      definition: { type: 'pass_fail' },
      effectiveFrom: '2020-01-01',
    });
    assert.equal((await institution('HXTC')).gradingScales[0]?.definition.type, 'pass_fail');

    const page = await newPage('zh-CN');
    await signIn(page, 'registrar.hxu');
    await page.goto(`${session.url}/institution/agreements`);
    await page.getByTestId('agr-table').waitFor();
    await page.getByTestId('agr-propose').click();
    const form = page.locator('.cb-agreement-form .ant-drawer-content');
    await form.getByTestId('agr-field-code').fill('hxu-hxtc-pf');
    await form.getByTestId('agr-field-titleZh').fill('华夏大学—华信培训中心 学分互认协议');
    await form.getByTestId('agr-field-titleEn').fill('HXU–HXTC credit recognition agreement');
    await pick(page, form.getByTestId('agr-field-partyIds'), 'HXTC');
    await form.getByTestId('agr-field-iscedScope').click();
    await option(page, '06 ·').click();
    await page.keyboard.press('Escape');
    await form.getByTestId('agr-field-ratio').getByText('固定比例').click();
    await form.getByTestId('agr-field-ratioDen').fill('1');
    await form.getByTestId('agr-field-ratioNum').fill('1');
    await form.getByTestId('agr-grade-method-table').click();
    const rule = form.getByTestId('agr-pf-HXTC');
    await rule.waitFor();
    assert.match(await rule.innerText(), /HXTC 的“合格”/);
    assert.doesNotMatch(await rule.innerText(), /Pass/, 'no English on the Chinese page');
    const input = rule.getByTestId('agr-pf-HXTC-pass');
    await ((await input.locator('input').count()) ? input.locator('input') : input).fill('75');
    await rule.scrollIntoViewIfNeeded();
    await shot(page, 'passfail-rule-zh', false);
    await form.getByTestId('agr-submit').click();
    await page.locator('.cb-agreement-form').waitFor({ state: 'detached' });

    const row = page.locator('[data-testid="agr-table"] tr[data-code="HXU-HXTC-PF"]');
    await row.waitFor();
    assert.match(await row.innerText(), /HXTC 合格 = 75/);
    const registrar = await api('registrar.hxu');
    const hxu = await institution('HXU');
    const { items } = await registrar<{
      items: { code: string; gradeMethod: string; gradeTables: { from: string; table: { type: string; pass?: string } }[] | null }[];
    }>(`/agreements?institutionId=${hxu.id}`);
    const agreement = items.find((a) => a.code === 'HXU-HXTC-PF');
    assert.ok(agreement);
    assert.deepEqual(
      agreement.gradeTables?.filter((g) => g.table.type === 'pass_fail'),
      [{ from: hxtc.id, table: { type: 'pass_fail', pass: '75' } }],
    );
    await shot(page, 'passfail-agreements-zh');
    await page.locator('.ant-message-notice').waitFor({ state: 'detached' }); // the toast was written in Chinese
    await switchLanguage(page, 'en');
    await row.getByText(/HXTC Pass = 75/).waitFor();
    await shot(page, 'passfail-agreements-en');

    await page.getByTestId('agr-propose').click();
    const again = page.locator('.cb-agreement-form .ant-drawer-content');
    await pick(page, again.getByTestId('agr-field-partyIds'), 'HXTC');
    await again.getByTestId('agr-grade-method-table').click();
    await again.getByTestId('agr-pf-HXTC').scrollIntoViewIfNeeded();
    assert.match(await again.getByTestId('agr-pf-HXTC').innerText(), /A Pass from HXTC/);
    await shot(page, 'passfail-rule-en', false);
    await page.context().close();
  });
});
