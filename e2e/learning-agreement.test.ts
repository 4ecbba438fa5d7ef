// Learning agreements in a real browser: learner01 (home HXU, also enrolled at UNH) proposes an
// exchange at UNH mapping one UNH course to one HXU course; HXU's and UNH's registrars accept and it
// binds; UNH's registrar proposes a change with a reason; learner01 sees the change beside the version
// in force and accepts; HXU accepts last and the change binds. Also: an agreement with fixed grade
// tables per direction. Screenshots of the detail page in Chinese and English.
import assert from 'node:assert/strict';
import { test, type Locator, type Page } from '@playwright/test';
import { browserSession } from './harness.js';
import { confirmAccepted, option, pick, pickMany, switchLanguage } from './ui.js';

const session = browserSession();
const { newPage, signIn, shot } = session;

/** Which of the three have accepted the version shown in `card`. */
async function accepted(card: Locator): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const part of ['learner', 'home', 'host']) out[part] = await card.getByTestId(`la-accepted-${part}`).getAttribute('data-accepted');
  return out;
}

async function accept(page: Page) {
  await page.getByTestId('la-accept').click();
  await confirmAccepted(page.getByTestId('la-accept-confirm'));
  await page.getByTestId('la-accept').waitFor({ state: 'detached' });
}

let detailUrl = '';

// the tests build on what the ones before them did, on one server: in order, and after a failure the rest are skipped
test.describe.configure({ mode: 'serial' });

test.describe('learning agreement', () => {
  test('learner01 proposes an exchange at UNH: one UNH course replaces one HXU course', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'learner01');
    await page.locator('.ant-menu').getByText('学习协议').click();
    await page.waitForURL(/\/learning-agreements$/);
    await page.getByTestId('la-table').waitFor();
    await page.getByTestId('la-propose').click();
    const form = page.locator('.cb-la-propose-form .ant-drawer-content');
    // home: one of the learner's enrolments (HXU and UNH); host: any other institution
    await form.getByTestId('la-field-homeInstitutionId').click();
    await option(page, 'UNH').waitFor(); // the options come with the learner's enrolments
    const homes = await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').allInnerTexts();
    assert.deepEqual(homes.map((h) => h.split(' ')[0]).sort(), ['HXU', 'UNH'], `learner01's enrolments: ${homes.join(', ')}`);
    await option(page, 'HXU').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'hidden' });
    await pick(page, form.getByTestId('la-field-hostInstitutionId'), 'UNH');
    await form.getByTestId('la-field-periodFrom').fill('2026-02-01');
    await form.getByTestId('la-field-periodTo').fill('2026-07-10');
    await pickMany(page, form.getByTestId('la-line-host'), ['INF-2001']);
    await pickMany(page, form.getByTestId('la-line-home'), ['CS2021']);
    await form.getByTestId('la-submit').click();
    await page.waitForURL(/\/learning-agreements\/[0-9a-f-]{36}$/);
    detailUrl = page.url();

    const proposal = page.getByTestId('la-pending');
    await proposal.waitFor();
    assert.equal(await proposal.getAttribute('data-version'), '1');
    assert.equal(await page.getByTestId('la-current').count(), 0, 'nothing binds yet');
    assert.deepEqual(await accepted(proposal), { learner: 'yes', home: 'no', host: 'no' }, 'the learner accepted by proposing');
    assert.equal(await page.getByTestId('la-accept').count(), 0, 'nothing left for the learner to accept');
    assert.equal(await page.getByTestId('la-change').count(), 0, 'no change before the first version binds');
    const line = proposal.getByTestId('la-line');
    assert.equal(await line.count(), 1);
    assert.equal(await line.getAttribute('data-host'), 'INF-2001');
    assert.equal(await line.getAttribute('data-home'), 'CS2021');
    assert.match(await page.getByTestId('la-situation').innerText(), /尚未生效，尚待同意：派出学校 HXU、接收学校 UNH。/);

    await page.getByTestId('la-back').click();
    const row = page.locator('[data-testid="la-table"] tr[data-host="UNH"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'proposed');
    await page.context().close();
  });

  test('HXU’s registrar finds it waiting and accepts; UNH’s registrar accepts and it binds', async () => {
    const hxu = await newPage('zh-CN');
    await signIn(hxu, 'registrar.hxu');
    await hxu.locator('.ant-menu').getByText('学习协议').click();
    await hxu.waitForURL(/\/institution\/learning-agreements$/);
    const row = hxu.locator('[data-testid="la-inst-table"] tr[data-learner="王思远"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-waiting-us'), 'yes');
    assert.match(await row.innerText(), /派出/);
    await shot(hxu, 'la-institution-zh');
    await row.click();
    await hxu.waitForURL(detailUrl);
    await accept(hxu);
    assert.deepEqual(await accepted(hxu.getByTestId('la-pending')), { learner: 'yes', home: 'yes', host: 'no' });
    await hxu.context().close();

    const unh = await newPage('en');
    await signIn(unh, 'registrar.unh');
    await unh.goto(`${session.url}/institution/learning-agreements`);
    const incoming = unh.locator('[data-testid="la-inst-table"] tr[data-learner="王思远"]');
    await incoming.waitFor();
    assert.match(await incoming.innerText(), /Incoming/);
    await incoming.click();
    await unh.waitForURL(detailUrl);
    assert.match(await unh.getByTestId('la-accept').innerText(), /Accept version 1 \(Host institution\)/);
    await accept(unh);
    const current = unh.getByTestId('la-current');
    await current.waitFor();
    assert.equal(await current.getAttribute('data-version'), '1');
    assert.deepEqual(await accepted(current), { learner: 'yes', home: 'yes', host: 'yes' });
    assert.equal(await unh.getByTestId('la-pending').count(), 0);
    assert.match(await unh.getByTestId('la-situation').innerText(), /Version 1 binds/);
    assert.equal(await unh.getByTestId('la-state').getAttribute('data-state'), 'binding');
    await unh.context().close();
  });

  test('UNH’s registrar proposes a change with a reason; the version in force stands meanwhile', async () => {
    const unh = await newPage('en');
    await signIn(unh, 'registrar.unh');
    await unh.goto(detailUrl);
    await unh.getByTestId('la-change').click();
    const form = unh.locator('.cb-la-change-form .ant-drawer-content');
    // the editor starts from the lines in force, with their names
    assert.match(await form.getByTestId('la-line-host').first().innerText(), /INF-2001/);
    await form.getByTestId('la-add-line').click();
    await pickMany(unh, form.getByTestId('la-line-host').last(), ['INF-2011']);
    await pickMany(unh, form.getByTestId('la-line-home').last(), ['CS3012']);
    await form.getByTestId('la-change-reason').fill('Computer Networks is taught in the spring this year: added so it replaces the HXU course.');
    await form.getByTestId('la-submit').click();
    await unh.locator('.cb-la-change-form').waitFor({ state: 'detached' });

    const pending = unh.getByTestId('la-pending');
    await pending.waitFor();
    assert.equal(await pending.getAttribute('data-version'), '2');
    assert.equal(await unh.getByTestId('la-current').getAttribute('data-version'), '1');
    assert.deepEqual(await accepted(pending), { learner: 'no', home: 'no', host: 'yes' }, 'UNH accepted by proposing');
    assert.equal(await unh.getByTestId('la-accept').count(), 0);
    assert.equal(await unh.getByTestId('la-change').count(), 0, 'one change at a time');
    await unh.context().close();
  });

  test('learner01 sees the change beside the version in force and accepts; HXU accepts last and it binds', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'learner01');
    await page.goto(`${session.url}/learning-agreements`);
    const row = page.locator('[data-testid="la-table"] tr[data-host="UNH"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'changing');
    assert.match(await row.innerText(), /等待您同意/);
    await row.click();
    await page.waitForURL(detailUrl);

    const current = page.getByTestId('la-current');
    const pending = page.getByTestId('la-pending');
    await pending.waitFor();
    // side by side: the version in force on the left, the change on the right
    const [c, p] = [(await current.boundingBox())!, (await pending.boundingBox())!];
    assert.ok(Math.abs(c.y - p.y) < 2 && c.x + c.width <= p.x, `side by side: ${JSON.stringify({ c, p })}`);
    assert.equal(await current.getByTestId('la-line').count(), 1);
    assert.equal(await pending.getByTestId('la-line').count(), 2);
    assert.equal(await pending.getByTestId('la-line-added').count(), 1, 'the new line is marked');
    assert.match(await pending.locator('[data-testid="la-line"][data-host="INF-2011"]').innerText(), /本次变更新增/);
    assert.match(await pending.getByTestId('la-pending-reason').innerText(), /Computer Networks is taught in the spring/);
    assert.match(await page.getByTestId('la-situation').innerText(), /第 2 版提出了变更，尚待同意：您、派出学校 HXU；[\s\S]*仍按第 1 版执行/);
    assert.match(await page.getByTestId('la-accept').innerText(), /同意第 2 版（学习者）/);
    assert.match(await page.getByTestId('la-history').innerText(), /首个版本/);
    await shot(page, 'la-detail-zh');
    await switchLanguage(page, 'en');
    assert.match(await page.getByTestId('la-situation').innerText(), /Version 2 proposes a change[\s\S]*version 1 stands/);
    assert.match(await current.innerText(), /In force: version 1/);
    assert.match(await pending.innerText(), /Proposed change: version 2/);
    await shot(page, 'la-detail-en');
    await switchLanguage(page, 'zh-CN');

    await accept(page);
    assert.deepEqual(await accepted(pending), { learner: 'yes', home: 'no', host: 'yes' });
    assert.equal(await current.getAttribute('data-version'), '1', 'version 1 still binds until HXU accepts');
    await page.context().close();

    const hxu = await newPage('zh-CN');
    await signIn(hxu, 'registrar.hxu');
    await hxu.goto(detailUrl);
    await accept(hxu);
    await hxu.locator('[data-testid="la-current"][data-version="2"]').waitFor();
    assert.equal(await hxu.getByTestId('la-pending').count(), 0);
    assert.equal(await hxu.getByTestId('la-current').getByTestId('la-line').count(), 2);
    assert.match(await hxu.getByTestId('la-situation').innerText(), /第 2 版已生效/);
    await hxu.context().close();
  });
});

test.describe('agreement grade methods', () => {
  test('HXU proposes an agreement with JNVC converting grades by fixed tables, one per direction', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'registrar.hxu');
    await page.goto(`${session.url}/institution/agreements`);
    await page.getByTestId('agr-table').waitFor();
    await page.getByTestId('agr-propose').click();
    const form = page.locator('.cb-agreement-form .ant-drawer-content');
    await form.getByTestId('agr-field-code').fill('HXU-JNVC-FIXED');
    await form.getByTestId('agr-field-titleZh').fill('华夏大学—江南职院 成绩对照协议');
    await form.getByTestId('agr-field-titleEn').fill('HXU–JNVC agreement with fixed grade tables');
    await pick(page, form.getByTestId('agr-field-partyIds'), 'JNVC');
    await form.getByTestId('agr-grade-method-fixed').click();
    assert.equal(await form.locator('.ant-form-item-explain-error').count(), 0, 'no complaint before the tables are filled in');

    // HXU marks (percentage) by ranges onto JNVC's levels
    const hxu = form.getByTestId('agr-gt-HXU');
    await hxu.waitFor();
    await hxu.getByTestId('agr-gt-HXU-add').click();
    await hxu.getByTestId('agr-gt-HXU-min').nth(0).fill('85');
    await pick(page, hxu.getByTestId('agr-gt-HXU-to').nth(0), '优');
    await hxu.getByTestId('agr-gt-HXU-min').nth(1).fill('60');
    await pick(page, hxu.getByTestId('agr-gt-HXU-to').nth(1), '及格');
    // JNVC levels grade by grade onto HXU marks: the passing levels are listed already
    const jnvc = form.getByTestId('agr-gt-JNVC');
    assert.equal(await jnvc.getByTestId('agr-gt-JNVC-to').count(), 4, 'one row per passing JNVC level');
    const marks = ['95', '85', '75', '65'];
    for (const [i, m] of marks.entries()) await jnvc.getByTestId('agr-gt-JNVC-to').nth(i).fill(m);
    await shot(page, 'recog-agreement-fixed-zh', false);
    await form.getByTestId('agr-submit').click();
    await page.locator('.cb-agreement-form').waitFor({ state: 'detached' });

    const row = page.locator('[data-testid="agr-table"] tr[data-code="HXU-JNVC-FIXED"]');
    await row.waitFor();
    assert.match(await row.getByTestId('agr-grades').innerText(), /固定对照表换算：HXU → JNVC、JNVC → HXU/);
    await row.getByTestId('agr-grade-tables-link').hover();
    const view = page.getByTestId('agr-grade-tables-view');
    await view.waitFor();
    assert.match(await view.innerText(), /85 分及以上：优；60 分及以上：及格/);
    assert.match(await view.innerText(), /优 → 95；良 → 85；中 → 75；及格 → 65/);
    await page.context().close();
  });
});
