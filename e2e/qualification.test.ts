// Degree progress and awards (issue 6) in a real browser, on the demo: learner31 (张伟) has completed
// the credit-bank bachelor CB-BACHELOR at HXU (JNVC 2016–2019, HXU 2019–2023 and a certificate). On
// "degree progress" the chart and the audit say it is complete; a what-if against HXU-080901 shows
// what that programme would still need, and its planner lists the courses that would meet it and the
// earliest term. Back on the audit, the learner prints the "expected to graduate" statement and
// applies for the award; HXU's registrar approves it in the award queue; the learner's account then
// shows the credits as used. learner32 (刘思雨) sees a retake and repeated courses counted once.
// Screenshots in Chinese and English.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { browserSession } from './harness.js';
import { confirmAccepted, confirmRefused, pick, pickMany } from './ui.js';

const session = browserSession();
const { newPage, signIn, shot } = session;

const panel = (page: Page, code: string) => page.locator(`[data-testid="audit-panel"][data-programme="${code}"]`);

/** Waits until a panel's audit has loaded and says complete or not. */
async function auditStatus(p: Locator): Promise<'true' | 'false'> {
  const status = p.getByTestId('audit-status');
  await status.waitFor();
  return (await status.getAttribute('data-complete')) as 'true' | 'false';
}

/** The chart has drawn: an SVG with one bar label per requirement plus the total. */
async function chartDrawn(p: Locator) {
  const chart = p.getByTestId('progress-chart');
  await chart.locator('svg').waitFor();
  await chart.locator('svg text').filter({ hasText: / \/ / }).first().waitFor();
  return chart;
}

let cbProgrammeId = '';

// the tests build on what the ones before them did, on one server: in order, and after a failure the rest are skipped
test.describe.configure({ mode: 'serial' });

test.describe('degree progress and awards', () => {
  test('learner31 sees CB-BACHELOR complete, runs a what-if against HXU-080901, plans it, and applies for the award', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'learner31');
    await page.locator('nav a[href="/progress"]').click();
    await page.waitForURL(/\/progress$/);

    // ---- my programme: complete, the chart drawn, every top-level requirement met
    const cb = panel(page, 'CB-BACHELOR');
    assert.equal(await auditStatus(cb), 'true', 'CB-BACHELOR is complete for learner31');
    assert.equal((await cb.getByTestId('audit-status').innerText()).trim(), '已满足毕业要求');
    const chart = await chartDrawn(cb);
    assert.equal(await chart.getAttribute('data-bars'), '3', 'major, general education and the total');
    assert.ok(await chart.locator('svg text').filter({ hasText: '专业课程' }).count(), 'the chart names the requirements in Chinese');
    for (const node of ['major', 'general']) assert.equal(await cb.getByTestId(`audit-node-${node}`).getAttribute('data-satisfied'), 'true', `${node} is met`);
    assert.match(await cb.getByTestId('audit-total').innerText(), /^\d+(\.\d+)?\s*\/\s*140 学分$/);
    assert.ok((await cb.getByTestId('audit-node-major').getByTestId('audit-item').count()) > 0, 'the courses counted toward the major are listed');
    // credits that did not count, each with a reason in words
    const excluded = cb.getByTestId('audit-excluded');
    const reasons = excluded.getByTestId('audit-excluded-reason');
    assert.equal(await reasons.count(), Number(await excluded.getAttribute('data-count')));
    for (const text of await reasons.allInnerTexts()) assert.match(text, /超出|尚未|已用于|层次|过早|单位|只计一次/, `a reason in words: ${text}`);
    const programmeId = new URL(page.url()).searchParams.get('programme');
    assert.equal(programmeId, null, 'the default view is the learner’s own programme');
    // which requirements apply, and why (issue 22: "audited under the 2016 requirements with no word why")
    assert.match(
      await cb.getByTestId('audit-catalogue-why').innerText(),
      /^按 \d{4} 级培养方案审核：入学学年为 2019–2020，本专业公布过 .+ 级的培养方案，适用的是不晚于入学学年的最近一版。 入学学年取自该专业的注册记录/,
    );
    await shot(page, 'qualification-progress-zh');

    // ---- "expected to graduate": a printable statement
    await cb.getByTestId('expected-statement').click();
    const statement = page.getByTestId('expected-statement-body');
    await statement.waitFor();
    const words = await statement.innerText();
    assert.ok(
      words.includes('张伟') && words.includes('学分银行学士（计算机）') && words.includes('100'),
      `the statement names the learner, programme and threshold: ${words}`,
    );
    await shot(page, 'qualification-expected-statement-zh', false);
    await page.getByRole('button', { name: '关闭' }).click();
    await statement.waitFor({ state: 'detached' });

    // ---- what if: HXU-080901 beside it
    await pickMany(page, page.getByTestId('progress-whatif'), ['HXU-080901']);
    await page.waitForURL(/whatif=/);
    const compare = page.getByTestId('whatif-compare');
    await compare.locator('[data-testid="whatif-row"][data-programme="HXU-080901"]').waitFor();
    assert.equal(await compare.getByTestId('whatif-row').count(), 2);
    assert.equal(
      await compare.locator('[data-testid="whatif-row"][data-programme="CB-BACHELOR"] [data-testid="audit-status"]').getAttribute('data-complete'),
      'true',
    );
    assert.equal(
      await compare.locator('[data-testid="whatif-row"][data-programme="HXU-080901"] [data-testid="audit-status"]').getAttribute('data-complete'),
      'false',
    );
    await page.getByTestId('progress-tab-HXU-080901').click();
    const hxu = panel(page, 'HXU-080901');
    assert.equal(await auditStatus(hxu), 'false', 'HXU-080901 is not complete for learner31');
    await chartDrawn(hxu);
    // every course requirement is met (his 2025 credit-bank courses fill the computing credits, the
    // software qualification stands in for CS3021), but his JNVC courses were never transferred to
    // HXU: the total is short, and says so
    assert.match(await hxu.getByTestId('audit-total').innerText(), /^\d+(\.\d+)?\s*\/\s*160 学分$/);
    for (const m of await hxu.getByTestId('audit-node-missing').allInnerTexts())
      assert.match(
        m,
        /^(还差 [\d.]+ 学分|还需修读：\S+|从 \S+ 中再选 \d+ 门)(；(还差 [\d.]+ 学分|还需修读：\S+|从 \S+ 中再选 \d+ 门))*$/,
        `missing in words: ${m}`,
      );
    // credits counted in both programmes are flagged
    assert.ok((await hxu.getByTestId('audit-counted-twice').count()) > 0, 'HXU courses count in both programmes');
    await shot(page, 'qualification-whatif-zh');

    // ---- the planner for HXU-080901: the credits still to earn and the earliest term under the caps
    await hxu.getByTestId('progress-plan-link').click();
    await page.waitForURL(/\/progress\/plan\?/);
    const earliest = page.getByTestId('plan-earliest');
    await earliest.waitFor();
    assert.match(await earliest.innerText(), /^\d{4}–\d{4} 学年第 [12] 学期$/);
    assert.match(await page.getByTestId('plan-remaining').innerText(), /^\d+(\.\d+)? 学分$/);
    for (const text of await page.getByTestId('plan-requirement-missing').allInnerTexts()) assert.match(text, /还差|还需修读|中再选/);
    await shot(page, 'qualification-plan-zh');
    // another programme in the planner: UNH's informatics bachelor, with courses to take
    await pick(page, page.getByTestId('plan-programme'), 'UNH-BSC-CS', 'UNH-BSC');
    await page.getByTestId('plan-requirement-thesis').waitFor();
    assert.equal((await page.getByTestId('plan-requirement-thesis').getByTestId('plan-requirement-missing').innerText()).trim(), '还需修读：INF-3011');
    assert.ok((await page.getByTestId('plan-requirement-thesis').getByTestId('plan-option').count()) > 0, 'the thesis course is offered');
    assert.ok((await page.getByTestId('plan-option').count()) > 3, 'courses that would meet the requirements are listed');
    await page.getByTestId('plan-back').click();
    await page.waitForURL(/\/progress\?.*whatif=/);

    // ---- apply for the award of CB-BACHELOR
    const cbAgain = panel(page, 'CB-BACHELOR');
    assert.equal(await auditStatus(cbAgain), 'true');
    await cbAgain.getByTestId('award-apply').click();
    const status = cbAgain.getByTestId('award-status');
    await status.waitFor();
    assert.equal(await status.getAttribute('data-status'), 'applied');
    assert.equal((await status.innerText()).trim(), '已申请');
    await cbAgain.getByTestId('award-apply').waitFor({ state: 'detached' });
    const mine = await page.request.get(`${session.url}/api/v1/me/awards`);
    const awards = (await mine.json()) as { items: { status: string; programme: { id: string; code: string } }[] };
    const applied = awards.items.find((a) => a.programme.code === 'CB-BACHELOR' && a.status === 'applied');
    assert.ok(applied, 'the application is on record');
    cbProgrammeId = applied.programme.id;
    await shot(page, 'qualification-applied-zh');
    await page.context().close();
  });

  test('learner31’s pages read well in English', async () => {
    const page = await newPage('en');
    await signIn(page, 'learner31');
    await page.goto(`${session.url}/progress`);
    const cb = panel(page, 'CB-BACHELOR');
    assert.equal(await auditStatus(cb), 'true');
    assert.equal((await cb.getByTestId('audit-status').innerText()).trim(), 'Requirements met');
    await chartDrawn(cb);
    assert.ok(await cb.getByTestId('progress-chart').locator('svg text').filter({ hasText: 'Major courses' }).count());
    assert.equal((await cb.getByTestId('award-status').innerText()).trim(), 'Applied');
    assert.match(
      await cb.getByTestId('audit-catalogue-why').innerText(),
      /^Audited under the \d{4} rules: the year of entry is 2019–2020, the programme published rules for .+, and the latest rules not after the year of entry apply\./,
    );
    await shot(page, 'qualification-progress-en');

    await pickMany(page, page.getByTestId('progress-whatif'), ['HXU-080901']);
    await page.getByTestId('progress-tab-HXU-080901').click();
    const hxu = panel(page, 'HXU-080901');
    assert.equal(await auditStatus(hxu), 'false');
    await chartDrawn(hxu);
    for (const m of await hxu.getByTestId('audit-node-missing').allInnerTexts()) {
      assert.match(
        m,
        /^([\d.]+ more credits|Still to take: .+|Choose \d+ more of .+)(; ([\d.]+ more credits|Still to take: .+|Choose \d+ more of .+))*$/,
        `missing in words: ${m}`,
      );
    }
    await shot(page, 'qualification-whatif-en');

    await hxu.getByTestId('progress-plan-link').click();
    await page.getByTestId('plan-earliest').waitFor();
    assert.match(await page.getByTestId('plan-earliest').innerText(), /^\d{4}–\d{4}, semester [12]$/);
    assert.match(await page.getByTestId('plan-remaining').innerText(), /^\d+(\.\d+)? credits?$/);
    await shot(page, 'qualification-plan-en');
    await page.context().close();
  });

  test('an HXU student plans the rest of HXU-080901: courses at home and a partner course that counts as a home course', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'learner03');
    await page.goto(`${session.url}/progress`);
    const own = page.getByTestId('audit-panel');
    assert.equal(await auditStatus(own), 'false');
    assert.equal(await own.getAttribute('data-programme'), 'HXU-080901');
    // what is missing, in words: courses to take, a choice, credits
    const missing = await own.getByTestId('audit-node-missing').allInnerTexts();
    assert.ok(
      missing.some((m) => /^还需修读：CS\d+(、CS\d+)*$/.test(m)),
      `courses still to take: ${missing.join(' | ')}`,
    );
    assert.ok(
      missing.some((m) => /^从 CS\d+(、CS\d+)+ 中再选 \d+ 门$/.test(m)),
      `a choice of courses: ${missing.join(' | ')}`,
    );
    assert.ok(
      missing.some((m) => /^还差 [\d.]+ 学分$/.test(m)),
      `credits short: ${missing.join(' | ')}`,
    );
    await chartDrawn(own);
    await page.getByTestId('progress-plan').click();
    await page.waitForURL(/\/progress\/plan\?/);
    await page.getByTestId('plan-earliest').waitFor();
    const core = page.getByTestId('plan-requirement-major-core');
    await core.getByTestId('plan-option').first().waitFor();
    assert.ok((await core.locator('[data-testid="plan-option"][data-via="home"]').count()) > 0, 'home courses');
    const partner = core.locator('[data-testid="plan-option"][data-via="partner"]');
    assert.ok((await partner.count()) > 0, 'a partner course through an equivalence');
    assert.match(await partner.first().getByTestId('plan-option-via').innerText(), /^可转换\s*→?\s*计为 CS\d+$/);
    await shot(page, 'qualification-plan-partner-zh');
    await page.context().close();

    const en = await newPage('en');
    await signIn(en, 'learner03');
    await en.goto(`${session.url}/progress/plan`);
    const coreEn = en.getByTestId('plan-requirement-major-core');
    await coreEn.locator('[data-testid="plan-option"][data-via="partner"]').first().waitFor();
    assert.match(
      await coreEn.locator('[data-testid="plan-option"][data-via="partner"]').first().getByTestId('plan-option-via').innerText(),
      /^Match\s*→?\s*counts as CS\d+$/,
    );
    assert.match(await coreEn.getByTestId('plan-requirement-missing').innerText(), /^Still to take: CS\d+(, CS\d+)*$/);
    await shot(en, 'qualification-plan-partner-en');
    await en.context().close();
  });

  test('HXU’s registrar approves the award; learner31’s account shows the credits used', async () => {
    assert.ok(cbProgrammeId, 'the first test applied');
    const page = await newPage('zh-CN');
    await signIn(page, 'registrar.hxu');
    await page.locator('nav a[href="/institution/awards"]').click();
    await page.waitForURL(/\/institution\/awards$/);
    const row = page.locator('[data-testid="award-row"][data-programme="CB-BACHELOR"]').filter({ hasText: '张伟' });
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'applied');
    assert.match(await row.innerText(), /学分银行学士（计算机）/);

    // the audit behind the application, as the registrar sees it
    await row.getByTestId('award-view-audit').click();
    const drawer = page.getByTestId('award-audit-drawer');
    assert.equal(await auditStatus(drawer.getByTestId('audit-panel')), 'true');
    await shot(page, 'qualification-registrar-audit-zh', false);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await shot(page, 'qualification-queue-zh');

    // rejecting needs a reason: asked for, then cancelled
    await row.getByTestId('award-reject').click();
    await confirmRefused(page.getByTestId('award-confirm'), page.locator('.ant-modal .ant-form-item-explain-error').filter({ hasText: '请填写原因' }));
    await page.getByRole('button', { name: '取消' }).click();
    await page.getByTestId('award-confirm').waitFor({ state: 'detached' });

    await row.getByTestId('award-approve').click();
    // accepted, the dialog closes and the row leaves the waiting list; a refusal would show in the dialog
    const refused = page.locator('.ant-modal [role="alert"]');
    await confirmAccepted(page.getByTestId('award-confirm')).catch(async (e: unknown) => {
      if ((await refused.count()) > 0) assert.fail(`approve refused: ${await refused.innerText()}`);
      throw e;
    });
    await expect(row).toHaveCount(0);
    await page.getByTestId('award-filter').getByText('已授予').click();
    const approved = page.locator('[data-testid="award-row"][data-status="approved"][data-programme="CB-BACHELOR"]').filter({ hasText: '张伟' });
    await approved.waitFor();
    assert.equal((await approved.getByTestId('award-row-status').innerText()).trim(), '已授予');
    await approved.getByTestId('award-withdraw').waitFor();
    await shot(page, 'qualification-queue-approved-zh');

    // withdrawing needs a reason too: the modal asks for one (then cancelled)
    await approved.getByTestId('award-withdraw').click();
    await page.getByTestId('award-reason').waitFor();
    await confirmRefused(page.getByTestId('award-confirm'), page.locator('.ant-modal .ant-form-item-explain-error').filter({ hasText: '请填写原因' }));
    await shot(page, 'qualification-withdraw-zh', false);
    await page.getByRole('button', { name: '取消' }).click();
    await page.getByTestId('award-confirm').waitFor({ state: 'detached' });
    await page.context().close();

    const en = await newPage('en');
    await signIn(en, 'registrar.hxu');
    await en.goto(`${session.url}/institution/awards`);
    await en.getByTestId('award-filter').getByText('All').click();
    await en.locator('[data-testid="award-row"][data-status="approved"]').filter({ hasText: '张伟' }).waitFor();
    await shot(en, 'qualification-queue-en');
    // the whole cohort of the credit-bank bachelor, audited into a file
    const cohort = en.getByTestId('cohort-audit');
    await cohort.getByTestId('cohort-programme').filter({ hasText: 'CB-BACHELOR' }).waitFor();
    const [download] = await Promise.all([en.waitForEvent('download'), cohort.getByTestId('cohort-csv').click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    assert.match(csv.split(/\r?\n/)[0]!, /Student no\..*Complete/);
    assert.match(csv, /张伟.*是 yes/);
    await en.context().close();

    // ---- the learner: awarded, the credits used
    const learner = await newPage('zh-CN');
    await signIn(learner, 'learner31');
    await learner.goto(`${session.url}/progress`);
    const status = panel(learner, 'CB-BACHELOR').getByTestId('award-status');
    await status.waitFor();
    assert.equal(await status.getAttribute('data-status'), 'approved');
    assert.equal((await status.innerText()).trim(), '已授予');
    assert.equal(await panel(learner, 'CB-BACHELOR').getByTestId('award-apply').count(), 0, 'no second application');
    await learner.locator('nav a[href="/account"]').click();
    await learner.waitForURL(/\/account$/);
    await learner.getByTestId('ledger-table').locator('tbody tr').filter({ hasText: '学历/证书授予' }).first().waitFor();
    const used = Number(await learner.getByTestId('balance-used-credit').innerText());
    assert.ok(used > 0, `used credits shown: ${used}`);
    const account = (await (await learner.request.get(`${session.url}/api/v1/me/account`)).json()) as { balances: { unit: string; used: string }[] };
    assert.equal(used, Number(account.balances.find((b) => b.unit === 'credit')?.used));
    await shot(learner, 'qualification-account-zh');
    await learner.context().close();
  });

  test('learner32 sees a retake and two repeated courses counted once, and says why, in Chinese and English', async () => {
    for (const [locale, words] of [
      ['zh-CN', { retake: /同一课程只计一次：计入的是 .*MA1021.*2023-01-15/, duplicate: /内容重复只计一次：计入的是 / }],
      ['en', { retake: /A course counts once: the attempt that counts is .*MA1021.*2023-01-15/, duplicate: /The same content counts once: .* counts instead/ }],
    ] as const) {
      const page = await newPage(locale);
      await signIn(page, 'learner32');
      await page.locator('nav a[href="/progress"]').click();
      const cb = panel(page, 'CB-BACHELOR');
      assert.equal(await auditStatus(cb), 'false', 'not complete yet');
      const excluded = cb.getByTestId('audit-excluded');
      const retake = excluded.locator('[data-testid="audit-excluded-reason"][data-reason="retake"]');
      const duplicate = excluded.locator('[data-testid="audit-excluded-reason"][data-reason="duplicate"]');
      assert.equal(await retake.count(), 1, 'the first attempt of MA1021 (62) does not count: the retake (90) does');
      assert.equal(await duplicate.count(), 2, 'CS1011 and JN-SW202 repeat JN-SW101 and CS2011');
      assert.match(await retake.innerText(), words.retake);
      for (const text of await duplicate.allInnerTexts()) assert.match(text, words.duplicate);
      await excluded.scrollIntoViewIfNeeded();
      await shot(page, `qualification-counted-once-${locale === 'en' ? 'en' : 'zh'}`);
      await page.context().close();
    }
  });
});
