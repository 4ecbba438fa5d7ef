// Mutual recognition in a real browser: an anonymous visitor asks "will it transfer?" for JNVC
// courses at HXU and sees Match, Maybe and Miss, each with its reason; a learner asks HXU to evaluate
// a course; UNH's registrar proposes an agreement with HXU and HXU's registrar approves it into
// force; HXU's reviewer opens an evaluation task, sees the candidates ranked and matches one, and
// the visitor's check then shows Match for that course. Screenshots in Chinese and English.
import assert from 'node:assert/strict';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { browserSession, SHOTS } from './harness.js';
import { confirmAccepted, option, pick, pickMany, switchLanguage } from './ui.js';

const session = browserSession();
const { newPage, signIn, shot } = session;

const row = (page: Page, code: string) => page.locator(`[data-testid="tc-row"][data-course="${code}"]`);

/** Opens the check page and checks JNVC courses against HXU; `grades` by course code. */
async function checkJnvc(page: Page, codes: string[], grades: Record<string, string> = {}) {
  await pick(page, page.getByTestId('tc-source'), 'JNVC');
  await pickMany(page, page.getByTestId('tc-courses'), codes);
  for (const [code, grade] of Object.entries(grades)) {
    await pick(page, page.locator(`[data-testid="tc-picked"] tr[data-course="${code}"]`).getByTestId('tc-picked-grade'), grade);
  }
  await pick(page, page.getByTestId('tc-target'), 'HXU');
  // every course picked (a click mid-animation can miss one), then one result row each
  await expect(page.locator('[data-testid="tc-picked"] tr[data-course]')).toHaveCount(codes.length);
  await page.getByTestId('tc-run').click();
  await page.getByTestId('tc-results').waitFor();
  await expect(page.getByTestId('tc-row')).toHaveCount(codes.length);
}

// the tests build on what the ones before them did, on one server: in order, and after a failure the rest are skipped
test.describe.configure({ mode: 'serial' });

test.describe('anonymous visitor', () => {
  test('checks JNVC courses against HXU from the login page: Match, Maybe and Miss, each with why', async () => {
    const page = await newPage('zh-CN');
    await page.goto(`${session.url}/login`);
    await page.getByTestId('login-transfer-check-link').click();
    await page.waitForURL(/\/transfer-check$/);
    await page.getByTestId('public-sign-in').waitFor(); // the public frame, with a way to sign in
    assert.equal(await page.getByTestId('tc-mine').count(), 0, 'no account to check when signed out');
    assert.ok(await page.getByTestId('tc-run').isDisabled(), 'nothing to check yet');

    await checkJnvc(page, ['JN-SW202', 'JN-SW101', 'JN-SW112', 'JN-GE111', 'JN-SW111'], { 'JN-SW202': '优', 'JN-SW101': '中' });

    // Match: what it becomes, the credits converted, the grade suggested from the grading tables
    const match = row(page, 'JN-SW202');
    assert.equal(await match.getAttribute('data-status'), 'match');
    assert.match(await match.getByTestId('tc-status').innerText(), /可转换/);
    assert.match(await match.getByTestId('tc-becomes').innerText(), /CS2011/);
    assert.match(await match.getByTestId('tc-credits').innerText(), /^\d+(\.\d+)? 学分$/);
    await match.getByTestId('tc-grade').hover();
    const popover = page.getByTestId('tc-grade-popover');
    await popover.waitFor();
    assert.match(await popover.innerText(), /成绩分布表/);
    assert.match(await popover.innerText(), /百分点/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'recog-check-grade-zh.png') });

    // Maybe: covered by the agreement, not evaluated yet (HXU is already asked)
    const maybe = row(page, 'JN-SW112');
    assert.equal(await maybe.getAttribute('data-status'), 'maybe');
    assert.match(await maybe.getByTestId('tc-status').innerText(), /待评估/);
    assert.match(await maybe.getByTestId('tc-reason').innerText(), /还没有评估/);
    assert.equal(await page.getByTestId('tc-request-eval').count(), 0, 'asking needs an account');

    // Miss, for three different reasons
    const reason = async (code: string) => {
      assert.equal(await row(page, code).getAttribute('data-status'), 'miss', code);
      return row(page, code).getByTestId('tc-reason').innerText();
    };
    assert.match(await reason('JN-GE111'), /没有覆盖该学科领域（0231）的现行互认协议/);
    assert.match(await reason('JN-SW101'), /成绩 中 低于要求的 良/);
    assert.match(await reason('JN-SW111'), /已评估，不可转换：华夏大学没有网页设计课程/);
    assert.match(await row(page, 'JN-GE111').getByTestId('tc-status').innerText(), /不可转换/);
    assert.match(await page.getByTestId('tc-summary').innerText(), /1 门[\s\S]*1 门[\s\S]*3 门/);
    await shot(page, 'recog-check-zh');

    await switchLanguage(page, 'en');
    const en = await page.locator('body').innerText();
    assert.match(en, /Will it transfer\?/);
    assert.match(await row(page, 'JN-SW202').getByTestId('tc-status').innerText(), /Match/);
    assert.match(await row(page, 'JN-SW112').getByTestId('tc-status').innerText(), /Maybe/);
    assert.match(await row(page, 'JN-GE111').getByTestId('tc-status').innerText(), /Miss/);
    assert.match(
      await row(page, 'JN-GE111').getByTestId('tc-reason').innerText(),
      /No recognition agreement between JNVC and HXU in force today covers field 0231/,
    );
    assert.match(await row(page, 'JN-SW101').getByTestId('tc-reason').innerText(), /Grade 中 in JN-SW101 is below the 良 required/);
    assert.doesNotMatch(en, /待评估|不可转换/);
    await shot(page, 'recog-check-en');
    await page.context().close();
  });
});

test.describe('learner', () => {
  test('checks a course nobody has evaluated and asks HXU to evaluate it; their own account can be checked too', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'learner02');
    await page.locator('.ant-menu').getByText('能转吗？').click();
    await page.waitForURL(/\/transfer-check$/);
    await checkJnvc(page, ['JN-SW214']);
    const maybe = row(page, 'JN-SW214');
    assert.equal(await maybe.getAttribute('data-status'), 'maybe');
    await maybe.getByTestId('tc-request-eval').click();
    await maybe.getByTestId('tc-eval-requested').waitFor();
    assert.match(await maybe.getByTestId('tc-eval-requested').innerText(), /等待 HXU 评估/);

    // the whole account, against HXU
    await page.getByTestId('tc-mine').click();
    await page.getByTestId('tc-run').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="tc-row"]').length > 5);
    const statuses = await page.locator('[data-testid="tc-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    assert.ok(statuses.includes('match'), `some of learner02's JNVC results transfer: ${statuses.join(',')}`);
    await page.context().close();
  });
});

test.describe('registrars', () => {
  test('UNH proposes an agreement with HXU; HXU approves it and it is in force', async () => {
    const unh = await newPage('zh-CN');
    await signIn(unh, 'registrar.unh');
    await unh.locator('.ant-menu').getByText('互认协议').click();
    await unh.waitForURL(/\/institution\/agreements$/);
    await unh.getByTestId('agr-table').waitFor();
    await unh.getByTestId('agr-propose').click();
    const form = unh.locator('.cb-agreement-form .ant-drawer-content');
    await form.getByTestId('agr-field-code').fill('unh-hxu-cs');
    await form.getByTestId('agr-field-titleZh').fill('诺德港大学—华夏大学 计算机学分互认协议');
    await form.getByTestId('agr-field-titleEn').fill('UNH–HXU computing credit recognition agreement');
    await pick(unh, form.getByTestId('agr-field-partyIds'), 'HXU');
    await form.getByTestId('agr-field-iscedScope').click();
    await option(unh, '06 ·').click();
    await unh.keyboard.press('Escape');
    await form.getByTestId('agr-field-capCredits').fill('20');
    // ECTS workload hours and contact hours do not compare: a fixed ratio, 3 UNH ECTS = 2 HXU credits
    await form.getByTestId('agr-field-ratio').getByText('固定比例').click();
    await form.getByTestId('agr-field-ratioDen').fill('3');
    await form.getByTestId('agr-field-ratioNum').fill('2');
    await shot(unh, 'recog-agreement-propose-zh', false);
    await form.getByTestId('agr-submit').click();
    await unh.locator('.cb-agreement-form').waitFor({ state: 'detached' });

    const proposed = unh.locator('[data-testid="agr-table"] tr[data-code="UNH-HXU-CS"]');
    await proposed.waitFor();
    assert.equal(await proposed.getAttribute('data-status'), 'proposed');
    assert.deepEqual(
      await proposed
        .getByTestId('agr-party')
        .evaluateAll((ps) => ps.map((p) => `${p.textContent?.includes('UNH') ? 'UNH' : 'HXU'}:${p.getAttribute('data-approved')}`).sort()),
      ['HXU:no', 'UNH:yes'],
    );
    assert.match(await proposed.innerText(), /UNH 3 ECTS 学分 = HXU 2 学分/);
    assert.equal(await proposed.getByTestId('agr-approve').count(), 0, 'UNH approved by proposing');
    await unh.context().close();

    const hxu = await newPage('zh-CN');
    await signIn(hxu, 'registrar.hxu');
    await hxu.goto(`${session.url}/institution/agreements`);
    const mine = hxu.locator('[data-testid="agr-table"] tr[data-code="UNH-HXU-CS"]');
    await mine.getByTestId('agr-approve').click();
    await confirmAccepted(hxu.getByTestId('agr-approve-confirm'));
    await hxu.locator('[data-testid="agr-table"] tr[data-code="UNH-HXU-CS"][data-status="in_force"]').waitFor();
    assert.match(await mine.getByTestId('agr-status').innerText(), /生效中/);
    assert.deepEqual(await mine.getByTestId('agr-party').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-approved'))), ['yes', 'yes']);
    // the demo's own proposal to UNH still waits for UNH
    assert.equal(await hxu.locator('[data-testid="agr-table"] tr[data-code="HXU-UNH-EXCHANGE"]').getAttribute('data-status'), 'proposed');
    await shot(hxu, 'recog-agreements-zh');
    await hxu.locator('.ant-message-notice').waitFor({ state: 'detached' }); // the toast was written in Chinese
    await switchLanguage(hxu, 'en');
    assert.match(await mine.getByTestId('agr-status').innerText(), /In force/);
    await shot(hxu, 'recog-agreements-en');
    await hxu.context().close();
  });
});

test.describe('reviewer', () => {
  test('opens an evaluation task, sees candidates ranked, matches the best; the visitor now sees Match', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'reviewer.hxu');
    await page.locator('.ant-menu').getByText('评估任务').click();
    await page.waitForURL(/\/institution\/evaluations$/);
    const queue = page.getByTestId('ev-queue');
    await queue.locator('tr[data-course="JN-SW113"]').waitFor();
    const waiting = await queue.locator('tr[data-course]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-course')));
    assert.ok(waiting.includes('JN-SW112') && waiting.includes('JN-SW214'), `the demo's tasks and the learner's request wait: ${waiting.join(',')}`);
    await queue.locator('tr[data-course="JN-SW113"]').getByTestId('ev-open').click();
    await page.waitForURL(/\/institution\/evaluations\/[0-9a-f-]{36}$/);

    const candidates = page.getByTestId('ev-candidate');
    await candidates.first().waitFor();
    assert.ok((await candidates.count()) >= 3, 'several candidates');
    const scores = await candidates.locator('.ant-progress-text').allInnerTexts();
    const numbers = scores.map(Number);
    assert.deepEqual(
      [...numbers].sort((a, b) => b - a),
      numbers,
      `ranked best first: ${scores.join(', ')}`,
    );
    const best = (await candidates.first().getAttribute('data-code'))!;
    assert.equal(best, 'CS3011', 'Linux 操作系统 comes closest to 操作系统');
    assert.match(await page.getByTestId('ev-source-outcomes').innerText(), /Linux/);
    await shot(page, 'recog-task-zh');
    await switchLanguage(page, 'en');
    assert.match(await page.getByTestId('ev-source').innerText(), /The course to evaluate/);
    await shot(page, 'recog-task-en');

    await candidates.first().getByTestId('ev-match').click();
    await page.getByTestId('ev-effective-from').waitFor();
    assert.match(await page.getByTestId('ev-effective-from').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
    await shot(page, 'recog-task-confirm-en', false);
    await confirmAccepted(page.getByTestId('ev-confirm'));
    await page.getByTestId('ev-decided').waitFor();
    assert.equal(await page.getByTestId('ev-match').count(), 0, 'decided: nothing more to decide');
    assert.match(await page.getByTestId('ev-status').first().innerText(), /Matched/);
    await page.context().close();

    const visitor = await newPage('zh-CN');
    await visitor.goto(`${session.url}/transfer-check`);
    await checkJnvc(visitor, ['JN-SW113']);
    assert.equal(await row(visitor, 'JN-SW113').getAttribute('data-status'), 'match');
    assert.match(await row(visitor, 'JN-SW113').getByTestId('tc-becomes').innerText(), new RegExp(best));
    await visitor.context().close();
  });

  test('records an equivalence by hand, and builds and publishes a grading table', async () => {
    const page = await newPage('en');
    await signIn(page, 'registrar.hxu');
    await page.goto(`${session.url}/institution/equivalences`);
    await page.getByTestId('eq-table').locator('tr[data-source="JN-SW113"]').waitFor();
    await page.getByTestId('eq-create').click();
    const form = page.locator('.cb-equivalence-form .ant-drawer-content');
    await pick(page, form.getByTestId('eq-field-source'), 'JNVC');
    await pickMany(page, form.getByTestId('eq-field-sourceCourses'), ['JN-SW213']);
    await form.getByTestId('eq-field-targetKind').getByText('Elective credit').click();
    await form.getByTestId('eq-field-category').fill('Programme elective');
    await form.getByTestId('eq-field-iscedCode').fill('0613');
    await pick(page, form.getByTestId('eq-field-minGrade'), '中');
    await form.getByTestId('eq-field-effectiveFrom').fill('2023-09-01');
    await form.getByTestId('eq-submit').click();
    await page.locator('.cb-equivalence-form').waitFor({ state: 'detached' });
    const created = page.getByTestId('eq-table').locator('tr[data-source="JN-SW213"]');
    await created.waitFor();
    assert.match(await created.innerText(), /Programme elective/);
    assert.match(await created.innerText(), /Grade at least 中/);
    await shot(page, 'recog-equivalences-en');

    await page.locator('.ant-menu').getByText('Grading tables').click();
    await page.getByTestId('gt-table').locator('.ant-table-row').first().waitFor();
    const before = await page.getByTestId('gt-table').locator('.ant-table-row').count();
    await page.getByTestId('gt-build').click();
    await page.getByTestId('gt-preview').waitFor();
    const percentages = await page.getByTestId('gt-preview-rows').locator('.ant-table-row td:nth-child(4)').allInnerTexts();
    assert.equal(percentages.at(-1), '100.00%', 'the cumulative percentage ends at 100');
    await page.getByTestId('gt-publish').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="gt-table"] .ant-table-row').length === n + 1, before);
    await page.context().close();
  });
});
