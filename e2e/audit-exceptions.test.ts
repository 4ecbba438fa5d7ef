// Waivers and substitutions in a learner's degree audit, in a real browser, on the demo: HXU's
// registrar finds 张伟 (learner31) among the university's learners, opens the degree audit on their
// page (their own programme, CB-BACHELOR, by default) and switches to HXU-080901. A waiver needs a
// reason (an empty or too short one is refused and nothing is sent); with one, the requirement
// "foundation" (学科基础) is waived and the audit marks it so; revoked, again with a reason, the audit
// counts it from the learner's courses again and the list keeps the revoked waiver with who revoked
// it and why. A substitution lets one of 张伟's credits count as a course; the audit tags the credit,
// and a refusal from the server (revoking what was revoked meanwhile) shows in the dialog. Another
// university's programme can be audited but its exceptions are not HXU's to grant.
// Screenshots in Chinese and English.
import assert from 'node:assert/strict';
import { test, type Locator, type Page } from '@playwright/test';
import { browserSession } from './harness.js';
import { confirmAccepted, pick } from './ui.js';

const session = browserSession();
const { newPage, signIn, shot } = session;

const row = (page: Page, node: string, status: 'active' | 'revoked', kind = 'waive') =>
  page.locator(`[data-testid="exception-row"][data-node="${node}"][data-kind="${kind}"][data-status="${status}"]`);

/** Waits for the exception list to have loaded (antd shows its empty text while it loads). */
async function exceptionsLoaded(page: Page): Promise<Locator> {
  await page.locator('[data-testid="exception-list"][data-loaded="true"]').waitFor();
  const table = page.getByTestId('exception-table');
  await table.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  return table;
}

/** Waits for a requirement of the audit shown to be (or no longer be) waived. */
async function waived(page: Page, node: string, is: boolean): Promise<Locator> {
  const el = page.locator(`[data-testid="audit-panel"][data-programme="HXU-080901"] [data-testid="audit-node-${node}"][data-waived="${is}"]`);
  await el.waitFor();
  return el;
}

let learnerId = '';
let programmeId = '';

// the tests build on what the ones before them did, on one server: in order, and after a failure the rest are skipped
test.describe.configure({ mode: 'serial' });

test.describe('waivers and substitutions in the degree audit', () => {
  test('HXU’s registrar waives “subject foundations” for 张伟 in HXU-080901 with a reason, then revokes it', async () => {
    const page = await newPage('zh-CN');
    const posted: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/audit-exceptions/.test(r.url())) posted.push(r.url());
    });
    await signIn(page, 'registrar.hxu');

    // ---- find 张伟 among HXU's learners and open the degree audit on their page
    await page.locator('nav a[href="/institution/learners"]').click();
    await page.waitForURL(/\/institution\/learners$/);
    const search = page.locator('input[data-testid="learners-search"], [data-testid="learners-search"] input').first();
    await search.fill('张伟');
    await search.press('Enter');
    const learners = page.getByTestId('learners-table');
    const zhang = learners.locator('.ant-table-row').filter({ hasText: '20190031' });
    await zhang.waitFor();
    await zhang.getByRole('link', { name: '张伟' }).click();
    await page.waitForURL(/\/institution\/learners\/[0-9a-f-]{36}$/);
    learnerId = page.url().split('/').pop()!;
    await page.getByTestId('learner-tab-audit').click();
    await page.waitForURL(/tab=audit/);
    const section = page.getByTestId('learner-audit');
    // their own programme at HXU first
    await section.locator('[data-testid="audit-panel"][data-programme="CB-BACHELOR"]').waitFor();
    assert.match(await section.locator('h4').first().innerText(), /张伟的学业审核/);

    await pick(page, page.getByTestId('learner-audit-programme'), 'HXU-080901', 'HXU-0809');
    await page.waitForURL(/programme=/);
    programmeId = new URL(page.url()).searchParams.get('programme')!;
    const foundation = await waived(page, 'foundation', false);
    const metBefore = await foundation.getAttribute('data-satisfied');
    const table = await exceptionsLoaded(page);
    assert.equal(await table.getByTestId('exception-row').count(), 0, 'no exceptions yet');
    assert.match(await table.innerText(), /尚未为该学习者办理本专业的免修或替代/);
    await shot(page, 'audit-exceptions-learner-zh');

    // ---- a waiver needs a reason: none, then too short, are refused and nothing is sent
    await page.getByTestId('exception-add').click();
    const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('exception-kind') });
    await modal.waitFor();
    await modal.getByTestId('exception-kind').getByText('免修一项要求').click();
    await pick(page, modal.getByTestId('exception-node'), '学科基础');
    await page.getByTestId('exception-confirm').click();
    await modal.locator('.ant-form-item-explain-error').filter({ hasText: '请填写原因' }).waitFor();
    await page.getByTestId('exception-reason').fill('  ');
    await page.getByTestId('exception-confirm').click();
    await modal.locator('.ant-form-item-explain-error').filter({ hasText: '请填写原因' }).waitFor();
    await page.getByTestId('exception-reason').fill('免修');
    await page.getByTestId('exception-confirm').click();
    await modal.locator('.ant-form-item-explain-error').filter({ hasText: '原因至少 3 个字' }).waitFor();
    assert.deepEqual(posted, [], 'an empty or short reason sends nothing');
    await page.getByTestId('exception-reason').fill('已通过学校数学水平测试，经学院审批免修学科基础课');
    await shot(page, 'audit-exceptions-waive-zh', false);
    await confirmAccepted(page.getByTestId('exception-confirm'));
    await modal.waitFor({ state: 'detached' });
    assert.equal(posted.length, 1);

    // ---- the audit marks the requirement waived; the list says what, why, when and who
    const marked = await waived(page, 'foundation', true);
    assert.equal(await marked.getAttribute('data-satisfied'), 'true', 'a waived requirement counts as met');
    assert.match(await marked.innerText(), /已免修/);
    const active = row(page, 'foundation', 'active');
    await active.waitFor();
    assert.match(await active.innerText(), /免修/);
    assert.match(await active.innerText(), /学科基础/);
    assert.equal((await active.getByTestId('exception-row-reason').innerText()).trim(), '已通过学校数学水平测试，经学院审批免修学科基础课');
    assert.equal((await active.getByTestId('exception-status').innerText()).trim(), '有效');
    await active.getByTestId('exception-granted-by').filter({ hasText: '华夏大学 教务处' }).waitFor();
    await page.getByTestId('exception-active-count').filter({ hasText: '1 项有效' }).waitFor();
    await shot(page, 'audit-exceptions-waived-zh');

    // ---- revoke it: a reason again, refused when empty
    await active.getByTestId('exception-revoke').click();
    await page.getByTestId('exception-reason').waitFor();
    await page.getByTestId('exception-confirm').click();
    await page.locator('.ant-modal .ant-form-item-explain-error').filter({ hasText: '请填写原因' }).waitFor();
    assert.equal(posted.length, 1, 'an empty reason revokes nothing');
    await page.getByTestId('exception-reason').fill('办理有误，水平测试成绩未达免修标准');
    await confirmAccepted(page.getByTestId('exception-confirm'));
    await page.getByTestId('exception-confirm').waitFor({ state: 'detached' });

    // the audit counts the requirement from the learner's own courses again, as before the waiver
    const again = await waived(page, 'foundation', false);
    assert.equal(await again.getAttribute('data-satisfied'), metBefore, 'back to what the learner’s courses make of it');
    const revoked = row(page, 'foundation', 'revoked');
    await revoked.waitFor();
    assert.equal((await revoked.getByTestId('exception-status').innerText()).trim(), '已撤销');
    await revoked.getByTestId('exception-revoke-reason').filter({ hasText: '撤销原因：办理有误，水平测试成绩未达免修标准' }).waitFor();
    assert.equal(await revoked.getByTestId('exception-revoke').count(), 0, 'a revoked waiver cannot be revoked again');
    assert.equal(await page.getByTestId('exception-active-count').count(), 0);
    await shot(page, 'audit-exceptions-revoked-zh');
    await page.context().close();
  });

  test('a substitution lets a credit count as a course; a refusal from the server shows in the dialog (English)', async () => {
    assert.ok(learnerId && programmeId, 'the first test found the learner and programme');
    const page = await newPage('en');
    await signIn(page, 'registrar.hxu');
    await page.goto(`${session.url}/institution/learners/${learnerId}?tab=audit&programme=${programmeId}`);
    await waived(page, 'foundation', false);
    await exceptionsLoaded(page);
    await row(page, 'foundation', 'revoked').waitFor();
    assert.match(await page.getByTestId('learner-audit').locator('h4').first().innerText(), /^Degree audit of 张伟$/);

    await page.getByTestId('exception-add').click();
    const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('exception-kind') });
    await modal.getByTestId('exception-kind').getByText('Let a credit count as a course').click();
    await pick(page, modal.getByTestId('exception-node'), 'Major electives');
    await pick(page, modal.getByTestId('exception-item'), 'CS4012', 'CS4012');
    await modal.getByTestId('exception-course').fill('CS3021');
    await modal.getByTestId('exception-reason').fill('Software project management covered the software engineering syllabus, as the programme lead confirmed');
    await shot(page, 'audit-exceptions-substitute-en', false);
    await confirmAccepted(page.getByTestId('exception-confirm'));
    await modal.waitFor({ state: 'detached' });

    const sub = row(page, 'major-electives', 'active', 'substitute');
    await sub.waitFor();
    assert.match(await sub.innerText(), /CS4012.*counts as CS3021/);
    assert.equal((await sub.getByTestId('exception-status').innerText()).trim(), 'In force');
    // the credit is tagged where the audit shows it
    const tag = page.locator('[data-testid="audit-panel"][data-programme="HXU-080901"] [data-testid="audit-item-substituted"]');
    await tag.first().waitFor();
    assert.equal((await tag.first().innerText()).trim(), 'Substitution: counts as CS3021');
    await shot(page, 'audit-exceptions-en');

    // revoked meanwhile (another registrar, through the API): the dialog shows the server's refusal
    await sub.getByTestId('exception-revoke').click();
    await page.getByTestId('exception-reason').fill('Entered twice');
    const list = (await (await page.request.get(`${session.url}/api/v1/learners/${learnerId}/audit-exceptions?programme=${programmeId}`)).json()) as {
      items: { id: string; kind: string; status: string }[];
    };
    const id = list.items.find((e) => e.kind === 'substitute' && e.status === 'active')!.id;
    const res = await page.request.post(`${session.url}/api/v1/audit-exceptions/${id}/revoke`, { data: { reason: 'Revoked elsewhere' } });
    assert.equal(res.status(), 200);
    await page.getByTestId('exception-confirm').click();
    const refusal = page.locator('.ant-modal [role="alert"]');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /cannot be done while the record is revoked/i); // the code invalid_state, worded in the UI language
    await shot(page, 'audit-exceptions-refused-en', false);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('exception-confirm').waitFor({ state: 'detached' });
    // the list catches up: the substitution is revoked, the tag gone
    await row(page, 'major-electives', 'revoked', 'substitute').waitFor();
    await tag.first().waitFor({ state: 'detached' });

    // another university's programme: the audit and its exceptions can be read, not granted here
    await pick(page, page.getByTestId('learner-audit-programme'), 'UNH-BSC-CS', 'UNH-BSC');
    await page.locator('[data-testid="audit-panel"][data-programme="UNH-BSC-CS"]').waitFor();
    await exceptionsLoaded(page);
    await page
      .getByTestId('exception-list')
      .getByRole('alert')
      .filter({ hasText: /only registrars of .+ grant or revoke/ })
      .waitFor();
    assert.equal(await page.getByTestId('exception-add').count(), 0, 'no “waive or substitute” for another institution’s programme');
    await shot(page, 'audit-exceptions-other-institution-en', false);
    await page.context().close();
  });
});
