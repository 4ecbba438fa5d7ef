// Certification of learning outcomes (issue 4), in a real browser:
// (1) a learner applies under a standard with a certificate → the institution's reviewer approves →
//     the credits appear in the learner's account;
// (2) a learner asks for an individual assessment with a portfolio → the committee votes reject →
//     the learner appeals → the committee overturns → the credits appear.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { serverPerFile, PASSWORD, SHOTS, type Running } from './harness.js';
import { confirmAccepted } from './ui.js';

let running: Running;
let browser: Browser;
let dir: string;

// this file's server (started before its tests, stopped after them) and the worker's Chromium
const server = serverPerFile();
test.beforeAll(({ browser: b }) => {
  running = server.running;
  browser = b;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-e2e-cert-'));
});
test.afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A full-page screenshot once the page has settled (no request or spinner left, no animation). */
async function shot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page
    .locator('.ant-spin-spinning, .ant-skeleton')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** A small, valid one-page PDF saying `text`. */
function pdf(name: string, text: string): string {
  const stream = `BT /F1 18 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const file = path.join(dir, name);
  fs.writeFileSync(file, body, 'latin1');
  return file;
}

interface Session {
  context: BrowserContext;
  page: Page;
  /** GET or POST the API as this user (the browser context's session cookie). */
  get<T = any>(p: string): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  post<T = any>(p: string, body: unknown): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function signIn(username: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: lang });
  await context.addInitScript((l) => window.localStorage.setItem('creditbank.lang', l), lang);
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  await page.goto(`${running.url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  const api = async (method: 'GET' | 'POST', p: string, body?: unknown) => {
    const res = method === 'GET' ? await page.request.get(`${running.url}/api/v1${p}`) : await page.request.post(`${running.url}/api/v1${p}`, { data: body });
    assert.ok(res.ok(), `${method} ${p} as ${username}: ${res.status()} ${await res.text()}`);
    return res.status() === 204 ? undefined : res.json();
  };
  return { context, page, get: (p) => api('GET', p), post: (p, body) => api('POST', p, body) };
}

const available = async (s: Session, unit = 'credit') => {
  const view = await s.get('/me/account');
  return Number(view.balances.find((b: { unit: string }) => b.unit === unit)?.available ?? 0);
};

/** The balance shown on the account page, once it shows something other than `before`. */
async function shownBalance(page: Page, unit: string, expected: number) {
  await page.goto(`${running.url}/account`);
  const cell = page.getByTestId(`balance-available-${unit}`);
  await cell.waitFor();
  await page.waitForFunction(([id, want]) => Number(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? 'NaN') === want, [
    `balance-available-${unit}`,
    expected,
  ] as const);
  return Number(await cell.innerText());
}

/** Today minus `months`, as YYYY-MM-DD. */
function monthsAgo(months: number): string {
  const d = new Date();
  d.setMonth(d.getMonth() - months);
  return d.toISOString().slice(0, 10);
}

/** Uploads `file` to every evidence group the page shows (one per required label). */
async function uploadEvidence(page: Page, file: string) {
  const groups = page.locator('[data-testid^="cert-evidence-group-"]');
  await groups.first().waitFor();
  const n = await groups.count();
  for (let i = 0; i < n; i++) {
    const group = page.getByTestId(`cert-evidence-group-${i}`);
    await group.locator('input[type=file]').setInputFiles(file);
    await group.getByTestId('cert-evidence-item').first().waitFor();
  }
  return n;
}

/** Takes an action through the detail page's buttons and modal; waits for the new status. */
async function act(page: Page, action: string, status: string, fill?: { reason?: string; decision?: 'approve' | 'reject'; credits?: string }) {
  await page.getByTestId(`cert-action-${action}`).click();
  const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('cert-action-confirm') });
  await modal.waitFor();
  if (fill?.decision) await modal.getByTestId(`cert-vote-${fill.decision}`).click();
  if (fill?.credits) await modal.getByTestId('cert-vote-credits').fill(fill.credits);
  if (fill?.reason) await modal.getByTestId('cert-action-reason').fill(fill.reason);
  await confirmAccepted(modal.getByTestId('cert-action-confirm'));
  await page.locator(`[data-testid="cert-status"][data-status="${status}"]`).waitFor();
}

// the tests build on what the ones before them did, on one server: in order, and after a failure the rest are skipped
test.describe.configure({ mode: 'serial' });

test.describe('certification', () => {
  test('path 1: learner01 applies under the Web front-end standard, the reviewer approves, the credits arrive', async () => {
    const learner = await signIn('learner01');
    const { items } = await learner.get(`/standards?q=${encodeURIComponent('Web 前端开发')}`);
    const standard = items.find((s: { nameZh: string }) => s.nameZh.includes('Web 前端开发'));
    assert.ok(standard, `the demo seeds a standard named “Web 前端开发”: ${JSON.stringify(items.map((s: { nameZh: string }) => s.nameZh))}`);
    const reviewerName = `reviewer.${standard.institution.code.toLowerCase()}`;
    const before = await available(learner, standard.unit);

    // the application, step by step
    const page = learner.page;
    await page.goto(`${running.url}/account`);
    await page.getByTestId('cert-account-card').waitFor();
    await page.locator('.ant-menu').getByText('学习成果认定').click();
    await page.waitForURL(/\/certifications$/);
    await page.getByTestId('cert-new').click();
    await page.waitForURL(/\/certifications\/new/);
    await page.getByTestId('cert-standard-search').fill('Web 前端开发');
    await page.keyboard.press('Enter');
    const option = page.locator(`[data-testid="cert-standard-option"][data-code="${standard.code}"]`);
    await option.waitFor();
    assert.match(await option.innerText(), new RegExp(String(Number(standard.credits))), 'the option shows what it grants');
    await option.click();
    await shot(page, 'cert-new-choose-standard-zh');
    await page.getByTestId('cert-choose-next').click();
    assert.ok((await page.getByTestId('cert-field-title').inputValue()).includes('Web 前端开发'), 'the title starts as the standard’s name');
    const certificateNo = `1X-WEB-E2E-${Date.now()}`;
    await page.getByTestId('cert-field-certificate-no').fill(certificateNo);
    await page.getByTestId('cert-field-issued-on').fill(monthsAgo(3));
    await page.getByTestId('cert-create').click();
    const files = await uploadEvidence(page, pdf('certificate.pdf', `Certificate ${certificateNo}`));
    assert.equal(files, Math.max(1, standard.evidence.length), 'one upload per required label');
    await page.getByTestId('cert-evidence-next').click();
    await page.getByTestId('cert-review-summary').waitFor();
    await page.getByTestId('cert-submit').click();
    await page.waitForURL(/\/certifications\/[0-9a-f-]{36}$/);
    await page.locator('[data-testid="cert-status"][data-status="submitted"]').waitFor();
    const id = page.url().split('/').pop()!;
    assert.equal(await page.getByTestId('cert-event').count(), 2, 'created, submitted');

    // the institution's reviewer finds it in the queue and approves it
    const reviewer = await signIn(reviewerName);
    const rp = reviewer.page;
    await rp.locator('.ant-menu').getByText('认定审核').click();
    await rp.waitForURL(/\/review\/certifications/);
    const row = rp.getByTestId('cert-queue-table').locator('.ant-table-row').filter({ hasText: certificateNo });
    await row.waitFor();
    assert.match(await row.innerText(), /待审核/);
    assert.equal(
      await row
        .getByTestId('cert-queue-evidence')
        .innerText()
        .then((s) => s.trim()),
      String(files),
    );
    await shot(rp, 'cert-review-queue-zh');
    await row.getByTestId('cert-queue-link').click();
    await rp.waitForURL(new RegExp(`/certifications/${id}$`));
    await rp.getByTestId('cert-evidence-download').first().waitFor();
    assert.equal(await rp.getByTestId('cert-evidence-download').count(), files, 'the reviewer sees the evidence');
    const href = await rp.getByTestId('cert-evidence-download').first().getAttribute('href');
    const download = await rp.request.get(`${running.url}${href}`);
    assert.equal(download.status(), 200);
    assert.match(download.headers()['content-type'] ?? '', /pdf/);
    await act(rp, 'approve', 'approved');
    assert.equal(
      Number(
        await rp
          .getByTestId('cert-credits-granted')
          .innerText()
          .then((s) => s.replace(/[^\d.]/g, '')),
      ),
      Number(standard.credits),
    );
    await reviewer.context.close();

    // the credits are in learner01's account, and the history tells the whole story
    const after = await shownBalance(page, standard.unit, before + Number(standard.credits));
    assert.equal(after, before + Number(standard.credits));
    assert.equal(await available(learner, standard.unit), before + Number(standard.credits));
    assert.match(await page.getByTestId('cert-account-card').innerText(), new RegExp(standard.nameZh.slice(0, 6)));
    await shot(page, 'cert-account-zh');
    await page.goto(`${running.url}/certifications/${id}`);
    await page.locator('[data-testid="cert-status"][data-status="approved"]').waitFor();
    const history = await page.getByTestId('cert-history').innerText();
    for (const words of ['创建申请', '提交申请', '通过认定']) assert.match(history, new RegExp(words));
    assert.equal(await page.getByTestId('cert-event').count(), 3);
    assert.match(await page.getByTestId('cert-event-waited').first().innerText(), /分钟|小时|天/);
    await shot(page, 'cert-learner-history-zh');
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await page.getByTestId('cert-history').innerText(), /Submitted/);
    assert.match(await page.getByTestId('cert-status').innerText(), /Approved/);
    await shot(page, 'cert-learner-history-en');
    await page.goto(`${running.url}/certifications`);
    await page.getByTestId('cert-my-table').locator('.ant-table-row').first().waitFor();
    await shot(page, 'cert-my-applications-zh');
    await learner.context.close();
  });

  test('path 2: an individual assessment, rejected by the committee, appealed, overturned, credits arrive', async () => {
    const learner = await signIn('learner02', 'en');
    const before = await available(learner);
    const page = learner.page;
    await page.goto(`${running.url}/certifications/new`);
    await page.getByTestId('cert-standard-none').click();
    await page.getByTestId('cert-field-credits').fill('4');
    await page
      .getByTestId('cert-field-statement')
      .fill(
        'Three years running the online shop of a family business: product listings, campaigns, customer service and monthly sales analysis in spreadsheets.',
      );
    await page.getByTestId('cert-choose-next').click();
    await page.getByTestId('cert-field-title').fill('E-commerce operations, three years');
    await page.getByTestId('cert-field-issuing-body').fill('Hangzhou Lanting Trading Co.');
    await page.getByTestId('cert-field-issued-on').fill(monthsAgo(2));
    await page.getByTestId('cert-create').click();

    // bad input first: a text file is refused in the browser; submitting with no evidence is refused by the server
    await page.getByTestId('cert-evidence-group-0').waitFor();
    const notes = path.join(dir, 'notes.txt');
    fs.writeFileSync(notes, 'not a portfolio');
    await page.getByTestId('cert-evidence-group-0').locator('input[type=file]').setInputFiles(notes);
    await page
      .locator('.ant-message')
      .getByText(/notes\.txt is not a PDF or an image/)
      .waitFor();
    assert.equal(await page.getByTestId('cert-evidence-item').count(), 0);
    await page.getByTestId('cert-evidence-next').click();
    await page.getByTestId('cert-evidence-missing').waitFor();
    await page.getByTestId('cert-submit').click();
    await page.getByTestId('cert-submit-error').waitFor();
    assert.match(await page.getByTestId('cert-submit-error').innerText(), /evidence/i);
    await shot(page, 'cert-new-refused-en');
    await page.getByRole('button', { name: 'Back' }).click();

    assert.equal(await uploadEvidence(page, pdf('portfolio.pdf', 'Portfolio: e-commerce operations')), 1);
    await shot(page, 'cert-new-evidence-en');
    await page.getByTestId('cert-evidence-next').click();
    await page.getByTestId('cert-submit').click();
    await page.waitForURL(/\/certifications\/[0-9a-f-]{36}$/);
    await page.locator('[data-testid="cert-status"][data-status="committee"]').waitFor();
    const id = page.url().split('/').pop()!;

    // the committee: one member votes in the UI, the other two through the API in their own sessions
    const members = await Promise.all(['committee', 'committee2', 'committee3'].map((u) => signIn(u)));
    const [chair, ...others] = members;
    const cp = chair!.page;
    await cp.locator('.ant-menu').getByText('专家委员会').click();
    await cp.waitForURL(/\/committee\/certifications/);
    const row = cp.getByTestId('cert-queue-table').locator('.ant-table-row').filter({ hasText: 'E-commerce operations, three years' });
    await row.waitFor();
    await row.getByTestId('cert-queue-my-vote').waitFor();
    assert.match(await row.innerText(), /个人评估/);
    assert.match(await row.getByTestId('cert-queue-my-vote').innerText(), /未投票/);
    await shot(cp, 'cert-committee-queue-zh');
    await row.getByTestId('cert-queue-link').click();
    await cp.waitForURL(new RegExp(`/certifications/${id}$`));
    await cp.getByTestId('cert-votes').waitFor();
    await cp.getByTestId('cert-action-vote').click();
    const modal = cp.locator('.ant-modal').filter({ has: cp.getByTestId('cert-action-confirm') });
    await modal.waitFor();
    await modal.getByTestId('cert-vote-reject').click();
    await modal.getByTestId('cert-action-reason').fill('营业数据不足以证明达到专业课程的学习成果');
    await confirmAccepted(modal.getByTestId('cert-action-confirm'));
    await cp.getByTestId('cert-my-vote').waitFor();
    assert.match(await cp.getByTestId('cert-votes-reject').innerText(), /1/);
    for (const m of others) {
      const d = await m.get(`/certifications/${id}`);
      await m.post(`/certifications/${id}/vote`, {
        decision: 'reject',
        reason: 'The portfolio does not show the learning outcomes.',
        expectedVersion: d.version,
      });
    }

    // learner02 sees the rejection and appeals
    await page.reload();
    await page.locator('[data-testid="cert-status"][data-status="rejected"]').waitFor();
    await page.getByTestId('cert-appeal-deadline').waitFor();
    await act(page, 'appeal', 'appealed', {
      reason: 'The portfolio includes the monthly sales analyses; I attach the employer’s letter describing my responsibilities.',
    });

    // while the appeal is open, the learner adds the letter with a note (a note without a file is not sent)
    const appealCard = page.getByTestId('appeal-evidence');
    await appealCard.waitFor();
    const note = 'Letter from Hangzhou Lanting Trading describing my responsibilities';
    await page.getByTestId('appeal-evidence-note').fill(note);
    await page.getByTestId('appeal-evidence-submit').click();
    await appealCard.getByText('Choose the file to add to your appeal').waitFor();
    await appealCard.locator('input[type=file]').setInputFiles(pdf('employer-letter.pdf', 'Employer letter: responsibilities'));
    await page.getByTestId('appeal-evidence-chosen').waitFor();
    await shot(page, 'cert-appeal-evidence-form-en');
    await page.getByTestId('appeal-evidence-submit').click();
    await page.locator('[data-testid="cert-event"][data-action="appeal_evidence"]').waitFor();
    assert.match(
      await page.locator('[data-testid="cert-event"][data-action="appeal_evidence"]').innerText(),
      new RegExp(`Evidence added to the appeal[\\s\\S]*${note}`),
    );
    await page.getByTestId('cert-evidence').getByText('employer-letter.pdf').waitFor();
    await shot(page, 'cert-appeal-evidence-en');

    // the committee overturns: the chair in the UI, the others through the API
    await cp.reload();
    await cp.locator('[data-testid="cert-status"][data-status="appealed"]').waitFor();
    assert.match(await cp.getByTestId('cert-votes').innerText(), /申诉/);
    // the chair reads the appeal's evidence and its note
    assert.match(await cp.locator('[data-testid="cert-event"][data-action="appeal_evidence"]').innerText(), new RegExp(`为申诉补充材料[\\s\\S]*${note}`));
    await cp.getByTestId('cert-evidence').getByText('employer-letter.pdf').waitFor();
    await shot(cp, 'cert-appeal-evidence-zh');
    await act(cp, 'vote', 'appealed', { decision: 'approve', credits: '4', reason: '申诉材料补充了岗位职责，足以证明学习成果' });
    // the status stays "appealed": the vote has landed when its dialog has closed (the others then read the version after it)
    await cp
      .locator('.ant-modal')
      .filter({ has: cp.getByTestId('cert-action-confirm') })
      .waitFor({ state: 'hidden' });
    for (const m of others) {
      const d = await m.get(`/certifications/${id}`);
      await m.post(`/certifications/${id}/vote`, {
        decision: 'approve',
        credits: '4',
        reason: 'The appeal shows the outcomes; approve 4 credits.',
        expectedVersion: d.version,
      });
    }
    await cp.reload();
    await cp.locator('[data-testid="cert-status"][data-status="approved"]').waitFor();
    await shot(cp, 'cert-committee-decided-zh');
    for (const m of members) await m.context.close();

    // the credits are in learner02's account
    assert.equal(await shownBalance(page, 'credit', before + 4), before + 4);
    await page.goto(`${running.url}/certifications/${id}`);
    await page.locator('[data-testid="cert-status"][data-status="approved"]').waitFor();
    const actions = await page.getByTestId('cert-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    assert.deepEqual(
      actions.filter((a) => a !== 'vote'),
      ['create', 'submit', 'decide', 'appeal', 'appeal_evidence', 'decide'],
    );
    assert.match(await page.getByTestId('cert-credits-granted').innerText(), /4/);
    await shot(page, 'cert-appeal-history-en');
    await learner.context.close();
  });
});
