// Issue 20, accounts that live for years: a learner signs up in the browser, verifies the e-mail
// address by the link in the mail (read from ACCOUNT_MAIL_FILE, the development copy of what the
// notifications outbox sends), signs in, forgets the password and resets it by the mailed link.
// Screenshots in both languages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from '@playwright/test';
import { residentIdCheckChar } from '../src/core/identity.js';
import { browserSession } from './harness.js';

let mailFile: string;
test.beforeAll(() => {
  mailFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-mail-')), 'mail.jsonl');
});
test.afterAll(() => fs.rmSync(path.dirname(mailFile), { recursive: true, force: true }));

// the server writes the mail it sends to the file
const session = browserSession({ env: () => ({ ACCOUNT_MAIL_FILE: mailFile }) });
const { newPage, shot } = session;

interface Mail {
  to: string;
  kind: string;
  link?: string;
  subject: string;
}
async function mailTo(to: string, kind: string, after = 0): Promise<Mail> {
  for (let i = 0; i < 100; i++) {
    const mails = fs.existsSync(mailFile)
      ? fs
          .readFileSync(mailFile, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Mail)
      : [];
    const found = mails.slice(after).find((m) => m.to === to && m.kind === kind);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no ${kind} mail to ${to}`);
}
const mailCount = () => (fs.existsSync(mailFile) ? fs.readFileSync(mailFile, 'utf8').trim().split('\n').filter(Boolean).length : 0);

const birth = '1990-07-21';
const first17 = `440106${birth.replace(/-/g, '')}318`;
const idNumber = `${first17}${residentIdCheckChar(first17)}`;

// the tests build on what the ones before them did, on one server: in order, and after a failure the rest are skipped
test.describe.configure({ mode: 'serial' });

test.describe('a learner signs up, verifies the e-mail address and resets the password', () => {
  for (const lang of ['zh-CN', 'en'] as const) {
    test(`in ${lang}`, async () => {
      const username = `e2e-self-${lang}`;
      const email = `${username}@example.org`;
      const page = await newPage(lang);
      await page.goto(`${session.url}/login`);
      await page.getByTestId('login-signup-link').click();
      await page.getByTestId('signup-username').fill(username);
      await page.getByTestId('signup-password').fill('a lifetime of learning');
      await page.getByTestId('signup-fullname').fill(lang === 'en' ? 'Chen Xiaoyu' : '陈晓雨');
      const date = page.locator('.ant-picker input');
      await date.click();
      await date.fill(birth);
      await date.press('Enter');
      await page.getByTestId('signup-email').fill(email);
      await page.getByTestId('signup-idnumber').fill(idNumber);
      await shot(page, `account-signup-${lang}`);
      await page.getByTestId('signup-submit').click();
      await page.getByTestId('check-email').waitFor();

      // the account waits for the e-mail address
      const verify = await mailTo(email, 'verify_email');
      await page.goto(`${session.url}/login`);
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill('a lifetime of learning');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-error').waitFor();

      await page.goto(verify.link!.replace(/^https?:\/\/[^/]+/, session.url));
      await page.getByTestId('email-verified').waitFor();
      await shot(page, `account-verified-${lang}`);
      // the link works once
      await page.goto(verify.link!.replace(/^https?:\/\/[^/]+/, session.url));
      await page.getByTestId('verify-failed').waitFor();

      // forgot the password: the same answer for an unknown name
      const before = mailCount();
      await page.goto(`${session.url}/forgot-password`);
      await page.getByTestId('forgot-login').fill('no-such-user-anywhere');
      await page.getByTestId('forgot-submit').click();
      await page.getByTestId('check-email').waitFor();
      const unknownText = await page.getByTestId('check-email').innerText();
      await page.goto(`${session.url}/forgot-password`);
      await page.getByTestId('forgot-login').fill(email);
      await page.getByTestId('forgot-submit').click();
      await page.getByTestId('check-email').waitFor();
      assert.equal(await page.getByTestId('check-email').innerText(), unknownText);
      const reset = await mailTo(email, 'reset_password', before);
      assert.equal(mailCount(), before + 1, 'only the real account got a mail');

      await page.goto(reset.link!.replace(/^https?:\/\/[^/]+/, session.url));
      // a common password is refused, naming why
      await page.getByTestId('reset-password').fill('password2024!');
      await page.getByTestId('reset-repeat').fill('password2024!');
      await page.getByTestId('reset-submit').click();
      await page
        .getByRole('alert')
        .filter({ hasText: /common|常见/ })
        .waitFor();
      await shot(page, `account-reset-refused-${lang}`);
      await page.getByTestId('reset-password').fill('rivers flow to the sea');
      await page.getByTestId('reset-repeat').fill('rivers flow to the sea');
      await page.getByTestId('reset-submit').click();
      await page.getByTestId('reset-done').waitFor();

      await page.goto(`${session.url}/login`);
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill('rivers flow to the sea');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('user-display-name').waitFor();
      await page.goto(`${session.url}/security`);
      await page.getByText(email).waitFor();
      await shot(page, `account-security-${lang}`);
      await page.context().close();
    });
  }
});
