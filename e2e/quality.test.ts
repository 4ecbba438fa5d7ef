// Quality indicators (issue 8) in a real browser, on the demo. The demo has certification decisions
// but no transfer decisions, so first, through the API, six JNVC learners apply to HXU and two HXU
// learners to JNVC, the target registrars decide, and the learners rate the decisions. Then the
// administrator opens /quality: the indicator cards show the API's figures, a definition opens in a
// popover, the trend and the pair matrix draw and switch to tables, the trend exports as CSV in the
// browser (with a byte order mark), the page filters by HXU and by a period without data ("—" with
// its hint), and "Download all (XLSX)" gives a workbook. The administrator narrows the page to one
// field of education, kept in the address. HXU's registrar sees only HXU, with the pair about two
// learners withheld. Screenshots in Chinese and English.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test, type Page } from '@playwright/test';
import { browserSession, SHOTS, signedInApi } from './harness.js';
import { defaultPeriod, option, pad, pick } from './ui.js';

const session = browserSession();
const { newPage, signIn, shot } = session;

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The API as one user (the session cookie from signing in). */
const apiAs = (username: string): Promise<(p: string, body?: unknown) => Promise<Json>> => signedInApi(session.url, username);

const now = new Date();
const thisMonth = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;

let institutions: Record<string, { id: string; nameZh: string; nameEn: string }> = {};

/** A learner applies to `target` with a few passed results from elsewhere; its registrar decides every line; the learner rates it. */
async function transferDecided(learner: string, target: string, registrar: string, rating: number) {
  const call = await apiAs(learner);
  const targetId = institutions[target]!.id;
  const check = await call('/transfer-checks', { targetInstitutionId: targetId, mine: true });
  const account = await call('/me/account');
  // results the demo's history has already asked to transfer are not asked again
  const asked = new Set((await call('/me/transfers')).items.flatMap((a: Json) => a.lines.map((l: Json) => l.outcomeId)));
  const passed = new Set(
    account.outcomes.filter((o: Json) => o.passed && o.status === 'recorded' && o.institutionId !== targetId && !asked.has(o.id)).map((o: Json) => o.id),
  );
  const usable = check.items.filter((v: Json) => passed.has(v.outcomeId));
  const chosen = [...usable.filter((v: Json) => v.status === 'match').slice(0, 2), ...usable.filter((v: Json) => v.status !== 'match').slice(0, 1)];
  assert.ok(chosen.length > 0, `${learner} has results to transfer to ${target}`);
  const application = await call('/me/transfers', { targetInstitutionId: targetId, outcomeIds: chosen.map((v: Json) => v.outcomeId) });
  const decide = await apiAs(registrar);
  await decide(`/transfers/${application.id}/decide`, {
    lines: application.lines.map((l: Json) =>
      l.proposal.status === 'match'
        ? { lineNo: l.lineNo, decision: 'accept' }
        : { lineNo: l.lineNo, decision: 'reject', reason: 'No equivalent course at the target institution' },
    ),
  });
  await call('/me/ratings', { subjectType: 'transfer', subjectId: application.id, rating, comment: '' });
}

/** Waits for a card's figure and returns it as shown. */
async function shown(page: Page, id: string): Promise<string> {
  const value = page.getByTestId(`quality-card-${id}`).getByTestId('quality-value');
  await value.waitFor();
  return (await value.innerText()).trim();
}

/** The words a chart draws (SVG text has no innerText). */
const chartTexts = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .locator('svg text')
    .evaluateAll((els) => els.map((e) => e.textContent ?? ''));

/** Closes an open popover by clicking the page's title, away from any link. */
async function closePopover(page: Page) {
  await page.locator('.cb-page-title h4').click();
  await page
    .locator('.ant-popover:not(.ant-popover-hidden)')
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
}

/** Waits for the charts to draw (SVG with text). */
async function chartsDrawn(page: Page) {
  await page.getByTestId('quality-trend-chart').locator('svg text').first().waitFor();
  await page.getByTestId('quality-pairs-chart').locator('svg text').first().waitFor();
}

const indicatorsOf = async (page: Page, query: string): Promise<Json> => {
  const res = await page.request.get(`${session.url}/api/v1/quality/indicators?${query}`);
  assert.equal(res.status(), 200, await res.text());
  return res.json();
};
const valueOf = (report: Json, id: string): number | null => report.indicators.find((i: Json) => i.id === id).value;

const messages = { 'zh-CN': JSON.parse(fs.readFileSync('web/src/i18n/zh-CN.json', 'utf8')), en: JSON.parse(fs.readFileSync('web/src/i18n/en.json', 'utf8')) };
const ratio = (v: number | null, lang: 'zh-CN' | 'en') =>
  v === null ? '—' : `${new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 1 }).format(v * 100)}%`;

/**
 * The breakdown tables show the API's groups: kinds of outcome by their translated names, fields by
 * their code and name, each figure in its column, withheld groups as withheld; returns the table's
 * cells by group for further checks.
 */
async function breakdownShown(page: Page, report: Json, lang: 'zh-CN' | 'en') {
  const card = page.getByTestId('quality-breakdown');
  // in the middle of the window, clear of the sticky header (for the screenshots of the card)
  await card.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const title = {
    'zh-CN': ['按成果类型和学科领域', '按成果类型', '按学科领域（ISCED-F）'],
    en: ['By kind of outcome and by field', 'By kind of outcome', 'By field (ISCED-F)'],
  }[lang];
  for (const text of title) await card.getByText(text, { exact: true }).waitFor();
  const cells: Record<string, string[]> = {};
  for (const b of report.breakdown) {
    const row = card.locator(`[data-testid="quality-breakdown-row"][data-dimension="${b.dimension}"][data-key="${b.key}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-suppressed'), String(b.suppressed));
    const tds = (await row.locator('td').allInnerTexts()).map((x) => x.trim());
    cells[`${b.dimension}:${b.key}`] = tds;
    const name =
      b.dimension === 'kind'
        ? b.key === 'unknown'
          ? messages[lang].quality.breakdown.unknownKind
          : (messages[lang].certification.kind[b.key] ?? b.key)
        : `${b.key} ${lang === 'en' ? b.labelEn : b.labelZh}`;
    assert.equal(tds[0], name, `${b.dimension} ${b.key} named in ${lang}`);
    if (b.suppressed) {
      assert.equal(tds.length, 2, 'a withheld group: its name and one cell saying so');
      assert.equal(tds[1], messages[lang].quality.withheld.replace('{{minCell}}', String(report.minCell)));
      continue;
    }
    const c = b.certification;
    assert.deepEqual(
      tds.slice(1, 4),
      [String(c.submitted), String(c.decided), ratio(c.acceptanceRate, lang)],
      `${b.dimension} ${b.key}: certification figures`,
    );
    if (b.dimension === 'field')
      assert.deepEqual([tds[5], tds[6]], [String(b.transfer.decided), ratio(b.transfer.acceptanceRate, lang)], `field ${b.key}: transfer figures`);
  }
  for (const dimension of ['kind', 'field']) {
    assert.equal(
      await card.locator(`[data-testid="quality-breakdown-row"][data-dimension="${dimension}"]`).count(),
      report.breakdown.filter((b: Json) => b.dimension === dimension).length,
      `every ${dimension} row`,
    );
  }
  // the CSV of both tables comes from the server
  const href = (await card.getByTestId('quality-breakdown-csv').getAttribute('href')) ?? '';
  assert.match(href, /^\/api\/v1\/quality\/indicators\.csv\?from=.*&table=breakdown$/);
  const csv = await page.request.get(`${session.url}${href}`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /by 维度/);
  return cells;
}

// the tests build on what the ones before them did, on one server: in order, and after a failure the rest are skipped
test.describe.configure({ mode: 'serial' });

test.describe('quality indicators', () => {
  test.beforeAll(async () => {
    const anon = await (await fetch(`${session.url}/api/v1/institutions`)).json();
    institutions = Object.fromEntries(anon.items.map((i: Json) => [i.code, i]));
    // six JNVC learners into HXU (enough learners to show to HXU's staff), two HXU learners into JNVC (too few)
    const ratings = [5, 4, 4, 3, 5, 2];
    for (const [k, n] of ['04', '06', '08', '10', '12', '14'].entries()) await transferDecided(`learner${n}`, 'HXU', 'registrar.hxu', ratings[k]!);
    for (const n of ['03', '05']) await transferDecided(`learner${n}`, 'JNVC', 'registrar.jnvc', 4);
  });

  test('the administrator reads the alliance’s figures with their definitions, filters, switches to tables and downloads', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'admin');
    await page.locator('nav a[href="/quality"]').click();
    await page.waitForURL(/\/quality$/);
    await page.getByRole('heading', { name: '质量指标' }).waitFor();

    // ---- the cards: every figure of the API, each with its definition
    const report = await indicatorsOf(page, defaultPeriod);
    assert.equal(report.scope, 'alliance');
    assert.ok(report.indicators.length >= 14, 'the figures of part 1, and those of part 2 once they are there');
    for (const i of report.indicators) {
      const card = page.getByTestId(`quality-card-${i.id}`);
      await card.waitFor();
      assert.equal(await card.getAttribute('data-value'), i.value === null ? '' : String(i.value), `${i.id} shows the API's value`);
      assert.equal(await card.getByTestId(`quality-definition-${i.id}`).count(), 1, `${i.id} has its definition`);
      assert.ok((await card.innerText()).includes(i.titleZh), `${i.id} is titled in Chinese`);
    }
    const submitted = valueOf(report, 'certification.submitted')!;
    assert.ok(submitted > 0, 'the demo has certification applications this year');
    assert.equal(await shown(page, 'certification.submitted'), String(submitted));
    const rate = valueOf(report, 'certification.acceptance_rate')!;
    assert.equal(await shown(page, 'certification.acceptance_rate'), `${(Math.round(rate * 1000) / 10).toString()}%`);
    assert.ok(valueOf(report, 'transfer.decided')! >= 8, 'the lines decided before the test');
    assert.match(await shown(page, 'transfer.credits'), /^\d+(\.\d+)? 学分$/);
    assert.equal(await shown(page, 'satisfaction.mean'), `${(31 / 8).toFixed(2)} / 5`, 'the mean of the eight ratings');
    // the overturn rate: no appeal decided, "—" and why
    assert.equal(await shown(page, 'certification.overturn_rate'), '—');
    assert.equal((await page.getByTestId('quality-card-certification.overturn_rate').getByTestId('quality-empty-hint').innerText()).trim(), '期内无申诉决定');

    // ---- one definition, in a popover
    await page.getByTestId('quality-definition-certification.acceptance_rate').click();
    const popover = page.locator('.ant-popover:not(.ant-popover-hidden)').getByTestId('quality-definition-text');
    await popover.waitFor();
    assert.ok((await popover.innerText()).includes('期内首次决定为通过的数 ÷ 期内首次决定数'), 'the formula in Chinese');
    // (not shot(): moving the mouse away would close it)
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/quality-definition-zh.png` });
    await closePopover(page);
    await popover.waitFor({ state: 'hidden' });

    // ---- the charts: the trend month by month, the pairs (JNVC → HXU, HXU → JNVC)
    await chartsDrawn(page);
    assert.equal(await page.getByTestId('quality-trend-chart').getAttribute('data-points'), '12');
    assert.equal(await page.getByTestId('quality-pairs-chart').getAttribute('data-cells'), '2');
    const pairLabels = await chartTexts(page, 'quality-pairs-chart');
    assert.ok(pairLabels.some((l) => l.includes('JNVC')) && pairLabels.some((l) => l.includes('HXU')), `the institutions on the axes: ${pairLabels.join(' ')}`);
    await shot(page, 'quality-dashboard-zh');

    // ---- by kind of outcome and by field: the certification figures add up to the cards'
    const cells = await breakdownShown(page, report, 'zh-CN');
    const kinds = report.breakdown.filter((b: Json) => b.dimension === 'kind');
    assert.ok(kinds.length >= 2, `several kinds of outcome in the demo: ${kinds.map((b: Json) => b.key).join(', ')}`);
    assert.equal(
      kinds.reduce((n: number, b: Json) => n + b.certification.submitted, 0),
      submitted,
      'the kinds add up to the applications submitted',
    );
    const fields = report.breakdown.filter((b: Json) => b.dimension === 'field');
    const transferred = fields.reduce((n: number, b: Json) => n + b.transfer.decided, 0);
    assert.equal(transferred, valueOf(report, 'transfer.decided'), 'the fields add up to the transfer lines decided');
    assert.ok(
      Object.keys(cells).some((k) => k.startsWith('kind:') && messages['zh-CN'].certification.kind[k.slice(5)]),
      'kinds by their Chinese names',
    );
    await page.getByTestId('quality-breakdown').screenshot({ path: `${SHOTS}/quality-breakdown-zh.png` });

    // ---- the trend as a table, and its CSV built in the browser
    await page.getByTestId('quality-trend-view-table').click();
    const trendRows = page.getByTestId('quality-trend-table').getByTestId('quality-trend-row');
    await trendRows.first().waitFor();
    assert.equal(await trendRows.count(), 12);
    const current = page.locator(`[data-testid="quality-trend-row"][data-month="${thisMonth}"]`);
    const nextMonth = new Date(now.getFullYear(), now.getMonth() + 1, 1);
    const month = await indicatorsOf(page, `from=${thisMonth}-01&to=${nextMonth.getFullYear()}-${pad(nextMonth.getMonth() + 1)}-01`);
    const submittedThisMonth = valueOf(month, 'certification.submitted')!;
    assert.equal((await current.locator('td').nth(1).innerText()).trim(), String(submittedThisMonth), 'this month’s applications');
    const [trendCsv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('quality-trend-csv').click()]);
    assert.match(trendCsv.suggestedFilename(), /^quality-trend-\d{4}-\d{2}-\d{4}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await trendCsv.path())!);
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte order mark');
    const csvLines = csv.toString('utf8').slice(1).trim().split('\r\n');
    assert.equal(csvLines.length, 13);
    assert.match(csvLines[0]!, /^月份,提交的申请 \(certification\.submitted\)/);
    assert.ok(
      csvLines.some((l) => l.startsWith(`${thisMonth},${submittedThisMonth},`)),
      'this month’s row in the CSV',
    );

    // ---- the pairs as a table
    await page.getByTestId('quality-pairs-view-table').click();
    const jnvcHxu = page.locator('[data-testid="quality-pair-row"][data-pair="JNVC>HXU"]');
    await jnvcHxu.waitFor();
    assert.equal(await jnvcHxu.getAttribute('data-suppressed'), 'false');
    assert.ok((await jnvcHxu.innerText()).includes('江南职业技术学院'));

    // ---- one institution: HXU
    await pick(page, page.getByTestId('quality-institution'), 'HXU');
    await page.waitForURL(new RegExp(`institution=${institutions.HXU!.id}`));
    const hxu = await indicatorsOf(page, `${defaultPeriod}&institution=${institutions.HXU!.id}`);
    assert.equal(hxu.scope, 'institutions');
    await page.locator(`[data-testid="quality-card-certification.submitted"][data-value="${valueOf(hxu, 'certification.submitted')}"]`).waitFor();
    await page.locator(`[data-testid="quality-card-transfer.decided"][data-value="${valueOf(hxu, 'transfer.decided')}"]`).waitFor();
    assert.equal((await page.getByTestId('quality-scope').innerText()).includes('HXU'), true, 'the scope names HXU');

    // ---- a period without data: last year's first half
    const year = now.getFullYear() - 1;
    const inputs = page.getByTestId('quality-period').locator('input');
    await inputs.nth(0).click();
    await inputs.nth(0).fill(`${year}-01`);
    await page.keyboard.press('Enter');
    await inputs.nth(1).fill(`${year}-06`);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`from=${year}-01&to=${year}-06`));
    await page.locator('[data-testid="quality-card-certification.decided"][data-value="0"]').waitFor();
    assert.equal(await shown(page, 'certification.acceptance_rate'), '—');
    assert.equal((await page.getByTestId('quality-card-certification.acceptance_rate').getByTestId('quality-empty-hint').innerText()).trim(), '期内无决定');
    await page.getByTestId('quality-trend-table').getByTestId('quality-trend-row').nth(5).waitFor();
    assert.equal(await page.getByTestId('quality-trend-row').count(), 6);
    await page.getByTestId('quality-pairs-empty').waitFor();
    assert.equal((await page.getByTestId('quality-scope').innerText()).includes(`${year}-01 至 ${year}-06`), true);

    // ---- back to the last 12 months by the preset, then everything as a workbook
    await inputs.nth(0).click();
    await page.locator('.ant-picker-presets li').filter({ hasText: '近12个月' }).click();
    await page.waitForURL((u) => u.searchParams.get('to') === thisMonth);
    await page.locator(`[data-testid="quality-card-certification.submitted"][data-value="${valueOf(hxu, 'certification.submitted')}"]`).waitFor();
    const xlsxButton = page.getByTestId('quality-xlsx');
    assert.equal((await xlsxButton.innerText()).replace(/\s+/g, ' ').trim(), '下载全部 XLSX');
    const href = await xlsxButton.getAttribute('href');
    assert.match(href ?? '', new RegExp(`^/api/v1/quality/indicators\\.xlsx\\?from=\\d{4}-\\d{2}-01&to=\\d{4}-\\d{2}-01&institution=${institutions.HXU!.id}$`));
    const [download] = await Promise.all([page.waitForEvent('download'), xlsxButton.click()]);
    assert.match(download.suggestedFilename(), /^quality-\d{4}-\d{2}-01-\d{4}-\d{2}-01\.xlsx$/);
    const workbook = fs.readFileSync((await download.path())!);
    assert.equal(workbook.subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');
    const direct = await page.request.get(`${session.url}${href}`);
    assert.equal(direct.status(), 200);
    // the CSV of the pairs comes from the server
    const pairsCsv = await page.request.get(`${session.url}${await page.getByTestId('quality-pairs-csv').getAttribute('href')}`);
    assert.equal(pairsCsv.status(), 200);
    assert.match(await pairsCsv.text(), /from 转出/);
  });

  test('in English: the same dashboard, every word in English', async () => {
    const page = await newPage('en');
    await signIn(page, 'admin');
    await page.goto(`${session.url}/quality`);
    await page.getByRole('heading', { name: 'Quality indicators' }).waitFor();
    await chartsDrawn(page);
    const report = await indicatorsOf(page, defaultPeriod);
    for (const i of report.indicators) assert.ok((await page.getByTestId(`quality-card-${i.id}`).innerText()).includes(i.titleEn), `${i.id} in English`);
    await page.getByTestId('quality-definition-certification.days_p50').click();
    const popover = page.locator('.ant-popover:not(.ant-popover-hidden)').getByTestId('quality-definition-text');
    assert.ok((await popover.innerText()).includes('Median of days from first submission to first decision'));
    await closePopover(page);
    await popover.waitFor({ state: 'hidden' });
    assert.equal((await page.getByTestId('quality-xlsx').innerText()).trim(), 'Download all (XLSX)');
    for (const text of [
      'Certification',
      'Credit transfer',
      'Satisfaction',
      'Monthly trend',
      'Reasons for rejection (top 5)',
      'Transfers between institutions',
    ]) {
      await page.getByText(text, { exact: true }).first().waitFor();
    }
    const body = await page.locator('main, .cb-content').first().innerText();
    // the reasons given for rejections are the reviewers' own words, in Chinese and English
    const reasons = report.rejectionReasons.flatMap((r: Json) => (r.reason ?? '').split(/\s+/)).filter((w: string) => /[\u4e00-\u9fff]/.test(w));
    const left = body
      .replace(/江南职业技术学院|华夏大学/g, '')
      .split(/\s+/)
      .filter((w) => /[\u4e00-\u9fff]/.test(w) && !reasons.some((r: string) => r.includes(w)));
    assert.deepEqual(left, [], 'no Chinese left but names and reasons from the data');
    await breakdownShown(page, report, 'en');
    await page.getByTestId('quality-breakdown').screenshot({ path: `${SHOTS}/quality-breakdown-en.png` });
    await shot(page, 'quality-dashboard-en');
    // the definitions, all shown at once
    await page.getByTestId('quality-show-definitions').click();
    assert.equal(await page.getByTestId('quality-formula').count(), report.indicators.length);
    await shot(page, 'quality-definitions-en');
  });

  test('the administrator narrows the dashboard to one field of education, kept in the address', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'admin');
    await page.goto(`${session.url}/quality`);
    await page.getByRole('heading', { name: '质量指标' }).waitFor();
    const whole = await indicatorsOf(page, defaultPeriod);
    await page.locator(`[data-testid="quality-card-certification.submitted"][data-value="${valueOf(whole, 'certification.submitted')}"]`).waitFor();

    await pick(page, page.getByTestId('quality-field'), '06 · 信息和通信技术', '信息');
    await page.waitForURL((u) => u.searchParams.get('field') === '06');
    const ict = await indicatorsOf(page, `${defaultPeriod}&field=06`);
    assert.equal(ict.field.labelZh, '信息和通信技术');
    assert.ok(valueOf(ict, 'ledger.credits_in')! < valueOf(whole, 'ledger.credits_in')!, 'the field is part of the whole');
    for (const id of ['certification.submitted', 'transfer.decided', 'ledger.credits_in', 'satisfaction.ratings']) {
      await page.locator(`[data-testid="quality-card-${id}"][data-value="${valueOf(ict, id) ?? ''}"]`).waitFor();
    }
    assert.equal((await page.getByTestId('quality-field-tag').innerText()).trim(), '06 · 信息和通信技术');
    // the breakdown by field keeps only this one; the files carry the field
    const fieldRows = page.getByTestId('quality-breakdown').locator('[data-testid="quality-breakdown-row"][data-dimension="field"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="quality-breakdown-row"][data-dimension="field"]').length === 1);
    assert.equal(await fieldRows.first().getAttribute('data-key'), '06');
    assert.match((await page.getByTestId('quality-xlsx').getAttribute('href')) ?? '', /&field=06$/);
    const csv = await page.request.get(`${session.url}${await page.getByTestId('quality-indicators-csv').getAttribute('href')}`);
    assert.match(csv.headers()['content-disposition'] ?? '', /field-06\.csv/);
    // the trend's months are of the field too
    await page.getByTestId('quality-trend-view-table').click();
    const month = await indicatorsOf(page, `from=${thisMonth}-01&to=${defaultPeriod.slice(-10)}&field=06`);
    const current = page.locator(`[data-testid="quality-trend-row"][data-month="${thisMonth}"]`);
    await current.waitFor();
    assert.equal((await current.locator('td').nth(1).innerText()).trim(), String(valueOf(month, 'certification.submitted')));
    await shot(page, 'quality-field-zh');

    // a shared address opens on the same field, in English too; "all fields" lifts it
    const address = page.url();
    const en = await newPage('en');
    await signIn(en, 'admin');
    await en.goto(address);
    await en.getByTestId('quality-field-tag').getByText('06 · Information and communication technologies').waitFor();
    await en.locator(`[data-testid="quality-card-ledger.credits_in"][data-value="${valueOf(ict, 'ledger.credits_in')}"]`).waitFor();
    await shot(en, 'quality-field-en');
    await pick(en, en.getByTestId('quality-field'), 'All fields');
    await en.waitForURL((u) => !u.searchParams.has('field'));
    await en.locator(`[data-testid="quality-card-ledger.credits_in"][data-value="${valueOf(whole, 'ledger.credits_in')}"]`).waitFor();
    assert.equal(await en.getByTestId('quality-field-tag').count(), 0);
  });

  test('HXU’s registrar sees only HXU, with the pair about too few learners withheld', async () => {
    const page = await newPage('zh-CN');
    await signIn(page, 'registrar.hxu');
    await page.locator('nav a[href="/quality"]').click();
    await page.waitForURL(/\/quality$/);
    const select = page.getByTestId('quality-institution');
    await select.click();
    const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await options.first().waitFor();
    assert.deepEqual(
      (await options.allInnerTexts()).map((s) => s.trim()),
      ['HXU · 华夏大学'],
      'only HXU, no alliance',
    );
    assert.equal(await option(page, '全联盟').count(), 0);
    await page.keyboard.press('Escape');
    assert.equal(await page.getByTestId('quality-field').count(), 0, 'no field filter for staff: fields are in the breakdown, small cells withheld');

    const report = await indicatorsOf(page, defaultPeriod);
    assert.equal(report.scope, 'institutions');
    await page.locator(`[data-testid="quality-card-certification.submitted"][data-value="${valueOf(report, 'certification.submitted')}"]`).waitFor();
    await page.getByTestId('quality-scope').getByText('涉及学习者少于 5 名的单元格已隐藏').waitFor();
    await chartsDrawn(page);
    assert.ok(
      (await chartTexts(page, 'quality-pairs-chart')).some((l) => l.includes('已隐藏')),
      'the small cell says it is withheld',
    );
    await shot(page, 'quality-registrar-zh');
    await page.getByTestId('quality-pairs-view-table').click();
    const small = page.locator('[data-testid="quality-pair-row"][data-pair="HXU>JNVC"]');
    await small.waitFor();
    assert.equal(await small.getAttribute('data-suppressed'), 'true');
    assert.equal((await small.getByTestId('quality-withheld').innerText()).trim(), '已隐藏（少于 5 名学习者）');
    assert.equal(await page.locator('[data-testid="quality-pair-row"][data-pair="JNVC>HXU"]').getAttribute('data-suppressed'), 'false');
    // the breakdown: groups about too few learners withheld, like the pairs
    await breakdownShown(page, report, 'zh-CN');
    assert.ok(
      report.breakdown.some((b: Json) => b.suppressed),
      `some of HXU's groups are about fewer than ${report.minCell} learners`,
    );
    await page.getByTestId('quality-breakdown').screenshot({ path: `${SHOTS}/quality-breakdown-registrar-zh.png` });
    // another institution's figures are refused
    const other = await page.request.get(`${session.url}/api/v1/quality/indicators?${defaultPeriod}&institution=${institutions.JNVC!.id}`);
    assert.equal(other.status(), 403);
  });

  test('a learner rates the decision on their certification, and it counts in the satisfaction figures', async () => {
    const mine = await (await apiAs('learner03'))('/me/certifications');
    const approved = mine.items.find((a: Json) => a.status === 'approved');
    assert.ok(approved, 'learner03 has an approved certification in the demo');
    const page = await newPage('zh-CN');
    await signIn(page, 'learner03');
    await page.goto(`${session.url}/certifications/${approved.id}`);
    const card = page.getByTestId('rate-decision');
    await card.getByText('评价此决定').waitFor();
    assert.ok(await card.getByTestId('rate-decision-submit').isDisabled(), 'nothing to submit before a rating is chosen');
    await card.locator('.ant-rate-star').nth(3).locator('div[role="radio"]').click();
    await card.getByText('满意', { exact: true }).waitFor();
    await card.getByTestId('rate-decision-comment').fill('审核很快，说明清楚');
    await card.getByTestId('rate-decision-submit').click();
    await card.locator('[data-testid="rate-decision-saved"][data-rating="4"]').waitFor();
    assert.equal((await card.getByTestId('rate-decision-submit').innerText()).replace(/\s+/g, ''), '修改评价');
    await shot(page, 'quality-rate-decision-zh');
    const admin = await apiAs('admin');
    const report = await admin(`/quality/indicators?${defaultPeriod}`);
    assert.equal(valueOf(report, 'satisfaction.ratings'), 9, 'the eight transfer ratings and this one');
  });
});
