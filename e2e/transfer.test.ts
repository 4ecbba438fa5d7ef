// Credit transfer applications (issue 5), in a real browser, on the demo: the agreement HXU–JNVC is in
// force with equivalences into HXU. A JNVC learner checks "will it transfer?" against HXU on the
// transfer page and applies with three course results (two Match, one Miss); HXU's registrar sets
// the transfer caps, opens the application, accepts the Match lines and rejects the other with a
// reason; the learner sees every line decided and the credits transferred into the account (a
// transfer_in posting in the ledger, and the balance).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { serverPerFile, PASSWORD, SHOTS, type Running } from './harness.js';
import { confirmAccepted, pick } from './ui.js';

let running: Running;
let browser: Browser;

// this file's server (started before its tests, stopped after them) and the worker's Chromium
const server = serverPerFile();
test.beforeAll(({ browser: b }) => {
  running = server.running;
  browser = b;
});

/** A full-page screenshot once the page has settled (no request or spinner left, no animation). */
async function shot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page
    .locator('.ant-spin-spinning, .ant-skeleton')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  await page
    .locator('.ant-message-notice')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  // as tall as the page, so that the sticky summary of the apply page sits at its foot
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
  await page.setViewportSize(viewport);
}

interface Session {
  context: BrowserContext;
  page: Page;
  get<T = any>(p: string): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  post<T = any>(p: string, body: unknown): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function signIn(username: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang });
  await context.addInitScript((l) => window.localStorage.setItem('creditbank.lang', l), lang);
  context.setDefaultNavigationTimeout(60_000); // the CPU is shared with other runs
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  await page.goto(`${running.url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  const api = async (method: 'GET' | 'POST', p: string, body?: unknown) => {
    const res = method === 'GET' ? await page.request.get(`${running.url}/api/v1${p}`) : await page.request.post(`${running.url}/api/v1${p}`, { data: body });
    if (!res.ok()) assert.fail(`${method} ${p} as ${username}: ${res.status()} ${await res.text()}`);
    return res.json();
  };
  return { context, page, get: (p) => api('GET', p), post: (p, body) => api('POST', p, body) };
}

/** The API alone, for finding a learner: the session cookie from signing in. */
async function apiAs(username: string) {
  const res = await fetch(`${running.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.ok(res.ok, `sign in as ${username}: ${res.status}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return async <T = any>(p: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${running.url}/api/v1${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) assert.fail(`${p} as ${username}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<T>;
  };
}

/** The open dropdown's option containing `text`. */
interface Verdict {
  outcomeId: string;
  course: { code: string };
  status: 'match' | 'maybe' | 'miss';
  credits: string | null;
  reason: string | null;
}

/** Clicks a line's decision button (the data-testid sits on the radio's input, inside its label). */
const choose = (row: Locator, decision: 'accept' | 'substitute' | 'reject') => row.locator(`label:has([data-testid="transfer-decide-${decision}"])`).click();

const num = (s: string | null | undefined) => Number(s ?? 0);
const outcomeRow = (page: Page, code: string) => page.locator(`[data-testid="transfer-outcome"][data-course="${code}"]`);
const lineRow = (page: Page, code: string) => page.locator(`[data-testid="transfer-line"][data-course="${code}"]`);

/** What the first test leaves for the next: the learner and the decided application. */
let done: { username: string; transferId: string; codes: string[] } | null = null;

// the tests build on what the ones before them did, on one server: in order, and after a failure the rest are skipped
test.describe.configure({ mode: 'serial' });

test.describe('credit transfer', () => {
  test('a JNVC learner checks and applies, HXU’s registrar accepts the Matches and rejects one line, the credits arrive', async () => {
    // ---- find a JNVC learner with a passed JN-SW101 or JN-SW202 that transfers to HXU, two Matches and a Miss
    const anon = await (await fetch(`${running.url}/api/v1/institutions`)).json();
    const hxu = anon.items.find((i: { code: string }) => i.code === 'HXU');
    assert.ok(hxu, 'the demo has HXU');
    let chosen: { username: string; matches: Verdict[]; miss: Verdict } | null = null;
    for (const n of ['02', '04', '06', '08', '10', '12', '14', '16']) {
      const call = await apiAs(`learner${n}`);
      const check = await call<{ items: Verdict[] }>('/transfer-checks', { targetInstitutionId: hxu.id, mine: true });
      const account = await call<{ outcomes: { id: string; passed: boolean; status: string }[] }>('/me/account');
      const passed = new Set(account.outcomes.filter((o) => o.passed && o.status === 'recorded').map((o) => o.id));
      const ok = check.items.filter((v) => passed.has(v.outcomeId));
      // plain Matches (not one course of a many-to-one rule, which transfers only with the other)
      const matches = ok.filter((v) => v.status === 'match' && num(v.credits) > 0 && !/^together with/.test(v.reason ?? ''));
      const key = matches.find((v) => v.course.code === 'JN-SW101' || v.course.code === 'JN-SW202');
      const miss = ok.find((v) => v.status === 'miss' && v.course.code === 'JN-SW111') ?? ok.find((v) => v.status === 'miss');
      if (key && miss && matches.length >= 2) {
        chosen = { username: `learner${n}`, matches: [key, matches.find((v) => v !== key)!], miss };
        break;
      }
    }
    assert.ok(chosen, 'a JNVC learner with two Match results (one of JN-SW101 / JN-SW202) and a Miss');
    const codes = [...chosen.matches.map((v) => v.course.code), chosen.miss.course.code];
    const expected = chosen.matches.reduce((s, v) => s + num(v.credits), 0);

    // ---- the learner: "will it transfer?" against HXU on the transfer page, then apply
    const learner = await signIn(chosen.username);
    const lp = learner.page;
    const accountBefore = await learner.get('/me/account');
    const creditBefore = accountBefore.balances.find((b: { unit: string }) => b.unit === 'credit');
    await lp.locator('nav a[href="/transfers"]').click();
    await lp.getByTestId('transfer-my-table').waitFor();
    await lp.getByTestId('transfer-new').click();
    await lp.waitForURL(/\/transfers\/new$/);
    await pick(lp, lp.getByTestId('transfer-target'), 'HXU');
    for (const v of [...chosen.matches, chosen.miss]) {
      const row = outcomeRow(lp, v.course.code);
      await row.waitFor();
      await lp.waitForFunction(
        ([code, status]) => document.querySelector(`[data-testid="transfer-outcome"][data-course="${code}"]`)?.getAttribute('data-status') === status,
        [v.course.code, v.status] as const,
      );
    }
    // the Match rows say what they become and how many credits; the Miss says why
    for (const v of chosen.matches) {
      assert.equal(num(await outcomeRow(lp, v.course.code).getByTestId('transfer-outcome-credits').locator('.cb-num').innerText()), num(v.credits));
    }
    assert.ok((await outcomeRow(lp, chosen.miss.course.code).getByTestId('transfer-outcome-reason').innerText()).trim().length > 3, 'a Miss says why');
    for (const code of codes) await outcomeRow(lp, code).locator('input[type=checkbox]').check();
    const summary = lp.getByTestId('transfer-selected-summary');
    await summary.getByText('已选 3 门课程').waitFor();
    assert.match(await lp.getByTestId('transfer-expected-credits').innerText(), new RegExp(`${expected}\\s*学分`));
    await shot(lp, 'transfer-apply-zh');
    await lp.getByTestId('transfer-submit').click();
    await lp.waitForURL(/\/transfers\/[0-9a-f-]{36}$/);
    const transferId = lp.url().split('/').pop()!;
    await lp.getByTestId('transfer-lines').waitFor();
    for (const code of codes) await lineRow(lp, code).and(lp.locator('[data-status="pending"]')).waitFor();
    assert.equal(await lp.locator('[data-testid="transfer-status"][data-status="submitted"]').count(), 1);
    await shot(lp, 'transfer-learner-submitted-zh');

    // ---- HXU's registrar: the caps, the queue, the application, the decisions
    const registrar = await signIn('registrar.hxu');
    const rp = registrar.page;
    await rp.locator('nav a[href="/institution/transfers"]').click();
    await rp.getByTestId('transfer-queue-table').waitFor();
    await rp.getByTestId('transfer-policy-edit').click();
    await rp.getByTestId('transfer-policy-per-source').fill('40');
    await rp.getByTestId('transfer-policy-total').fill('60');
    await rp.getByTestId('transfer-policy-save').click();
    await rp.getByTestId('transfer-policy-total-value').getByText('60').waitFor();
    await shot(rp, 'transfer-queue-zh');
    const queueRow = rp.locator(`[data-testid="transfer-queue-row"]`).filter({ hasText: accountBefore.learner.fullName });
    await queueRow.getByTestId('transfer-queue-link').click();
    await rp.waitForURL(new RegExp(`/institution/transfers/${transferId}$`));
    await rp.getByTestId('transfer-lines').waitFor();
    await rp.getByTestId('transfer-caps').getByText('60').waitFor();
    // the Miss line cannot be accepted as proposed
    assert.ok(await lineRow(rp, chosen.miss.course.code).getByTestId('transfer-decide-accept').isDisabled(), 'Accept is only for Match lines');
    // submitting undecided lines is refused in the page
    await rp.getByTestId('transfer-decide-submit').click();
    await lineRow(rp, chosen.miss.course.code).getByTestId('transfer-decide-problem').waitFor();
    await rp.getByTestId('transfer-accept-matches').click();
    for (const v of chosen.matches) await lineRow(rp, v.course.code).locator('[data-testid="transfer-decide"][data-decision="accept"]').waitFor();
    const missRow = lineRow(rp, chosen.miss.course.code);
    await choose(missRow, 'reject');
    const reason = '华夏大学没有对应课程，且该课程以工具操作为主';
    await missRow.getByTestId('transfer-line-reason-input').fill(reason);
    await rp.getByTestId('transfer-decided-count').getByText('3 / 3').waitFor();
    await shot(rp, 'transfer-registrar-decide-zh');

    // the same page in English, decisions picked but not submitted
    const registrarEn = await signIn('registrar.hxu', 'en');
    const ep = registrarEn.page;
    await ep.goto(`${running.url}/institution/transfers/${transferId}`);
    await ep.getByTestId('transfer-lines').waitFor();
    await ep.getByTestId('transfer-accept-matches').click();
    await choose(lineRow(ep, chosen.miss.course.code), 'reject');
    await lineRow(ep, chosen.miss.course.code)
      .getByTestId('transfer-line-reason-input')
      .fill('HXU has no equivalent course; this one teaches tools rather than principles');
    await shot(ep, 'transfer-registrar-decide-en');
    await registrarEn.context.close();

    await rp.getByTestId('transfer-decide-submit').click();
    await confirmAccepted(rp.getByTestId('transfer-decide-confirm'));
    await rp.locator('[data-testid="transfer-status"][data-status="decided"]').waitFor();
    for (const v of chosen.matches) await lineRow(rp, v.course.code).and(rp.locator('[data-status="accepted"]')).waitFor();
    await lineRow(rp, chosen.miss.course.code).and(rp.locator('[data-status="rejected"]')).waitFor();
    assert.equal(await rp.locator('[data-testid="transfer-posting"][data-kind="transfer_in"]').count(), 2);
    await shot(rp, 'transfer-registrar-decided-zh');
    await registrar.context.close();

    // ---- the learner: every line decided, the credits in the account
    await lp.reload();
    await lp.locator('[data-testid="transfer-status"][data-status="decided"]').waitFor();
    for (const v of chosen.matches) {
      const row = lineRow(lp, v.course.code);
      await row.and(lp.locator('[data-status="accepted"]')).waitFor();
      assert.equal(num(await row.getByTestId('transfer-line-credits').locator('.cb-num').innerText()), num(v.credits));
      await row.getByTestId('transfer-line-target').waitFor();
    }
    const rejected = lineRow(lp, chosen.miss.course.code);
    await rejected.and(lp.locator('[data-status="rejected"]')).waitFor();
    assert.ok((await rejected.getByTestId('transfer-line-reason').innerText()).includes(reason), 'the learner sees why');
    assert.match(await lp.getByTestId('transfer-granted').innerText(), new RegExp(`^${expected}\\s*学分$`));
    assert.equal(await lp.locator('[data-testid="transfer-posting"][data-kind="transfer_in"]').count(), 2);
    assert.equal(await lp.locator('[data-testid="transfer-posting"][data-kind="use"]').count(), 2);
    await shot(lp, 'transfer-learner-decided-zh');

    const learnerEn = await signIn(chosen.username, 'en');
    await learnerEn.page.goto(`${running.url}/transfers/${transferId}`);
    await learnerEn.page.locator('[data-testid="transfer-status"][data-status="decided"]').waitFor();
    await shot(learnerEn.page, 'transfer-learner-decided-en');
    await learnerEn.page.goto(`${running.url}/transfers`);
    await learnerEn.page.locator('[data-testid="transfer-row"][data-status="decided"]').waitFor();
    assert.match(await learnerEn.page.getByTestId('transfer-row-granted').innerText(), new RegExp(`^${expected}\\s*credits$`));
    await shot(learnerEn.page, 'transfer-my-applications-en');
    await learnerEn.context.close();

    // the account: a transfer_in posting of cause "credit transfer", and the balance
    const app = await learner.get(`/transfers/${transferId}`);
    const used = app.lines
      .filter((l: { status: string }) => l.status === 'accepted')
      .reduce((s: number, l: { sourceCredits: string }) => s + num(l.sourceCredits), 0);
    await lp.getByTestId('transfer-account-link').click();
    await lp.waitForURL(/\/account$/);
    const ledger = lp.getByTestId('ledger-table');
    await ledger.locator('tbody tr').filter({ hasText: '学分转换' }).first().waitFor();
    const transferIns = ledger.locator('tbody tr').filter({ hasText: '转入' }).filter({ hasText: '学分转换' });
    assert.equal(await transferIns.count(), 2, 'two transfer_in postings, caused by the credit transfer');
    const wantAvailable = num(creditBefore?.available) + expected - used;
    const wantUsed = num(creditBefore?.used) + used;
    await lp.waitForFunction(
      (want) => Number(document.querySelector('[data-testid="balance-available-credit"]')?.textContent ?? 'NaN') === want,
      wantAvailable,
    );
    assert.equal(Number(await lp.getByTestId('balance-used-credit').innerText()), wantUsed);
    const after = await learner.get('/me/account');
    assert.equal(num(after.balances.find((b: { unit: string }) => b.unit === 'credit').available), wantAvailable);
    // a transfer is a move: the credits received are held at the target, the source's are used there
    type Held = { institutionId: string | null; nameZh: string; unit: string; available: string; used: string };
    const held = after.byInstitution as Held[];
    const atTarget = held.find((b) => b.institutionId === app.targetInstitution.id && b.unit === 'credit');
    assert.ok(atTarget && num(atTarget.available) >= expected, `the target holds the credits received: ${JSON.stringify(held)}`);
    const byInstitution = lp.getByTestId('balances-by-institution');
    await byInstitution.locator('tbody tr').filter({ hasText: atTarget.nameZh }).waitFor();
    assert.match(await transferIns.first().innerText(), new RegExp(`→ ${atTarget.nameZh}`), 'the ledger names where the credits moved');
    await shot(lp, 'transfer-account-zh');
    await learner.context.close();
    done = { username: chosen.username, transferId, codes: chosen.matches.map((v) => v.course.code) };
  });

  test('one credit, one use: a credit taken meanwhile is refused in the learner’s language; the registrar reverses a transfer and frees it', async () => {
    assert.ok(done, 'the first test decided a transfer');
    const institutions = (await (await fetch(`${running.url}/api/v1/institutions`)).json()).items as { id: string; code: string }[];
    const hxu = institutions.find((i) => i.code === 'HXU')!;

    /** On the apply page for UNH: the transferred courses are marked held; a free course is ticked, then taken by another tab; submitting is refused. */
    const takenMeanwhile = async (lang: 'zh-CN' | 'en') => {
      const s = await signIn(done!.username, lang);
      await s.page.goto(`${running.url}/transfers/new`);
      await pick(s.page, s.page.getByTestId('transfer-target'), 'UNH');
      const held = outcomeRow(s.page, done!.codes[0]!).getByTestId('transfer-outcome-held');
      await held.waitFor();
      assert.match(await held.innerText(), lang === 'en' ? /Huaxia University/ : /华夏大学/);
      const free = s.page
        .locator('[data-testid="transfer-outcome"]')
        .filter({ has: s.page.locator('input[type=checkbox]:not([disabled])') })
        .first();
      const code = (await free.getAttribute('data-course'))!;
      await free.locator('input[type=checkbox]').check();
      const account = await s.get('/me/account');
      const outcome = account.outcomes.find(
        (o: { courseCode: string; passed: boolean; status: string }) => o.courseCode === code && o.passed && o.status === 'recorded',
      );
      await s.post('/me/transfers', { targetInstitutionId: hxu.id, outcomeIds: [outcome.id] }); // the other tab
      await s.page.getByTestId('transfer-submit').click();
      const alert = s.page.getByRole('alert').filter({ hasText: lang === 'en' ? 'already used' : '已被使用' });
      await alert.waitFor();
      return { s, text: await alert.innerText() };
    };
    const zh = await takenMeanwhile('zh-CN');
    assert.match(
      zh.text,
      /的学分已被使用：转换申请 [0-9a-f]{8}（转入华夏大学）占用了这些学分（自 \d{4}-\d{2}-\d{2} 起）。同一学分同一时间只能有一种用途，请先撤回原有用途。/,
    );
    assert.doesNotMatch(zh.text, /already used|body\.outcomeIds/);
    await shot(zh.s.page, 'transfer-credit-used-zh');
    await zh.s.context.close();
    const en = await takenMeanwhile('en');
    assert.match(
      en.text,
      /The credits of JNVC \S+ are already used: transfer application [0-9a-f]{8} to Huaxia University holds them \(since \d{4}-\d{2}-\d{2}\)\. A credit has one use at a time: withdraw that use first\./,
    );
    await shot(en.s.page, 'transfer-credit-used-en');
    await en.s.context.close();

    // HXU's registrar reverses the decided transfer: its postings are reversed and its courses are free again
    const registrar = await signIn('registrar.hxu');
    const rp = registrar.page;
    await rp.goto(`${running.url}/institution/transfers/${done!.transferId}`);
    await rp.getByTestId('transfer-withdraw').click();
    await rp.getByTestId('transfer-withdraw-reason').fill('学习者转学，撤销此次转换');
    await confirmAccepted(rp.getByTestId('transfer-withdraw-confirm'));
    await rp.locator('[data-testid="transfer-status"][data-status="withdrawn"]').waitFor();
    await rp.locator('[data-testid="transfer-line-status"][data-status="withdrawn"]').first().waitFor();
    assert.equal(await rp.locator('[data-testid="transfer-posting"][data-kind="reversal"]').count(), 4);
    await shot(rp, 'transfer-reversed-zh');
    await registrar.context.close();

    const learner = await signIn(done!.username);
    await learner.page.goto(`${running.url}/transfers/new`);
    await pick(learner.page, learner.page.getByTestId('transfer-target'), 'UNH');
    await outcomeRow(learner.page, done!.codes[0]!).waitFor();
    assert.equal(await outcomeRow(learner.page, done!.codes[0]!).getByTestId('transfer-outcome-held').count(), 0, 'the reversed course is free again');
    // the learner sees who reversed it, when and why
    await learner.page.goto(`${running.url}/transfers/${done!.transferId}`);
    assert.match(await learner.page.getByTestId('transfer-withdrawal').innerText(), /目标院校教务处于 .+ 撤销了这次转换。\s*原因：\s*学习者转学，撤销此次转换/);
    await learner.context.close();
  });

  test('the learner withdraws a waiting application, with a reason and a confirm; its credit is free again', async () => {
    assert.ok(done, 'the first test decided a transfer');
    const waiting = (
      await (
        await apiAs(done.username)
      )<{ items: { id: string; status: string; lines: { course: { code: string } }[] }[] }>('/me/transfers')
    ).items.filter((a) => a.status === 'submitted');
    assert.equal(waiting.length, 2, 'the applications made "in another tab" by the previous test wait for HXU');
    for (const [lang, app] of [
      ['zh-CN', waiting[0]!],
      ['en', waiting[1]!],
    ] as const) {
      const s = await signIn(done.username, lang);
      await s.page.goto(`${running.url}/transfers/${app.id}`);
      await s.page.getByTestId('transfer-withdraw').click();
      const confirm = s.page.getByTestId('transfer-withdraw-confirm');
      await confirm.waitFor();
      assert.equal(await confirm.isDisabled(), true, 'no withdrawal without a reason');
      const reason = lang === 'en' ? 'I will apply to another university' : '我将向其他院校申请';
      await s.page.getByTestId('transfer-withdraw-reason').fill(reason);
      await shot(s.page, `transfer-withdraw-confirm-${lang === 'en' ? 'en' : 'zh'}`);
      await confirm.click();
      await s.page.locator('[data-testid="transfer-status"][data-status="withdrawn"]').waitFor();
      const note = await s.page.getByTestId('transfer-withdrawal').innerText();
      assert.match(
        note,
        lang === 'en'
          ? /The learner withdrew the application on .+\.\s*Reason:\s*I will apply to another university/
          : /学习者于 .+ 撤回了申请。\s*原因：\s*我将向其他院校申请/,
      );
      assert.equal(await s.page.getByTestId('transfer-withdraw').count(), 0, 'a withdrawn application has no withdraw button');
      await shot(s.page, `transfer-withdrawn-${lang === 'en' ? 'en' : 'zh'}`);
      // nothing was posted for it; the learner is named as who withdrew it
      const after = await s.get(`/transfers/${app.id}`);
      assert.deepEqual(after.postings, []);
      assert.equal(after.withdrawal.by, 'learner');
      await s.context.close();
    }
  });
});
