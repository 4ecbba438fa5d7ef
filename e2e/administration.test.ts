// Administration without holes (issue 22, item 8): on the demo, the administrator creates a registrar
// for HXU (the first password is chosen by a mailed link, read from ACCOUNT_MAIL_FILE), gives them the
// reviewer role too, admits an institution and corrects its English name; the forms say what is
// missing field by field, and a taken username is refused. In Chinese and in English, at 1440 and 390 px.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { browserSession } from './harness.js';
import { confirmAccepted, confirmRefused, pick } from './ui.js';

let mailFile: string;
test.beforeAll(() => {
  mailFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-mail-')), 'mail.jsonl');
});
test.afterAll(() => fs.rmSync(path.dirname(mailFile), { recursive: true, force: true }));

const session = browserSession({ env: () => ({ ACCOUNT_MAIL_FILE: mailFile }) });
const { newPage, shot, signIn } = session;

interface Mail {
  to: string;
  kind: string;
  link?: string;
  text: string;
}
async function mailTo(to: string): Promise<Mail> {
  for (let i = 0; i < 100; i++) {
    const mails = fs.existsSync(mailFile)
      ? fs
          .readFileSync(mailFile, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Mail)
      : [];
    const found = mails.find((m) => m.to === to);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no mail to ${to}`);
}

const words = {
  'zh-CN': {
    newUser: '新建用户',
    createOk: '创建并发送链接',
    usernameRequired: '请输入用户名',
    taken: '已被使用',
    rolesOf: '的角色',
    saveRoles: '保存角色',
    registrarAt: '教务处 · 华夏大学',
    reviewerAt: '审核员 · 华夏大学',
    reviewer: '审核员',
    admit: '接纳机构',
    admitOk: '接纳',
    codeRequired: '请输入代码',
    nameEnRequired: '请输入英文名称',
    edit: '编辑',
    save: '保存',
  },
  en: {
    newUser: 'New user',
    createOk: 'Create and mail the link',
    usernameRequired: 'Enter a username',
    taken: 'already in use',
    rolesOf: 'Roles of',
    saveRoles: 'Save roles',
    registrarAt: 'Registrar · Huaxia University',
    reviewerAt: 'Reviewer · Huaxia University',
    reviewer: 'Reviewer',
    admit: 'Admit an institution',
    admitOk: 'Admit',
    codeRequired: 'Enter a code',
    nameEnRequired: 'Enter the English name',
    edit: 'Edit',
    save: 'Save',
  },
} as const;

const dialog = (page: Page, title: string) => page.getByRole('dialog').filter({ hasText: title });

// the tests build on what the ones before them did, on one server: in order, and after a failure the rest are skipped
test.describe.configure({ mode: 'serial' });

test.describe('the administrator manages users and institutions', () => {
  for (const lang of ['zh-CN', 'en'] as const) {
    const w = words[lang];
    const suffix = lang === 'en' ? 'en' : 'zh';
    const username = `e2e.registrar.${suffix}`;
    const email = `${username}@example.org`;

    test(`creates a registrar for HXU and makes them a reviewer too, in ${lang}`, async () => {
      const page = await newPage(lang);
      await signIn(page, 'admin');
      await page.goto(`${session.url}/admin/users`);
      await page.getByTestId('user-create').click();
      const create = dialog(page, w.createOk);
      const ok = create.getByRole('button', { name: w.createOk });
      // nothing filled in: each field says what it needs
      await confirmRefused(ok, create.getByText(w.usernameRequired));
      await create.getByLabel(lang === 'en' ? 'Username' : '用户名').fill(username);
      await create.getByLabel(lang === 'en' ? 'Name' : '姓名', { exact: true }).fill(lang === 'en' ? 'Zhou Min' : '周敏');
      await create.getByLabel(lang === 'en' ? 'E-mail' : '电子邮箱').fill(email);
      await pick(page, create.getByTestId('grant-institution-0'), 'HXU');
      await shot(page, `administration-user-new-${lang}`, false);
      await confirmAccepted(ok);

      // the list names the role's institution; the first password is chosen by the mailed link
      await page.getByTestId('users-search').fill(username);
      await page.getByTestId('users-search').press('Enter');
      const roles = page.getByTestId(`roles-${username}`);
      await expect(roles).toContainText(w.registrarAt);
      const mail = await mailTo(email);
      assert.equal(mail.kind, 'reset_password');
      assert.match(mail.link ?? '', /\/reset-password\?token=/);
      assert.match(mail.text, new RegExp(username.replace(/\./g, '\\.')));

      // twice: the username is taken
      await page.getByTestId('user-create').click();
      await create.getByLabel(lang === 'en' ? 'Username' : '用户名').fill(username);
      await create.getByLabel(lang === 'en' ? 'Name' : '姓名', { exact: true }).fill('x');
      await create.getByLabel(lang === 'en' ? 'E-mail' : '电子邮箱').fill(`other.${email}`);
      await pick(page, create.getByTestId('grant-institution-0'), 'HXU');
      await ok.click();
      await expect(create.getByRole('alert')).toContainText(w.taken);
      await shot(page, `administration-user-taken-${lang}`, false);
      await create.getByRole('button', { name: lang === 'en' ? 'Cancel' : '取消' }).click();
      await expect(create).toBeHidden();

      // the reviewer role too, at the same institution
      await page.getByTestId(`roles-edit-${username}`).click();
      const edit = dialog(page, w.rolesOf);
      await edit.getByTestId('grant-add').click();
      await pick(page, edit.getByTestId('grant-role-1'), w.reviewer);
      await pick(page, edit.getByTestId('grant-institution-1'), 'HXU');
      await shot(page, `administration-user-roles-${lang}`, false);
      await confirmAccepted(edit.getByRole('button', { name: w.saveRoles }));
      await expect(roles).toContainText(w.reviewerAt);
      await expect(roles).toContainText(w.registrarAt);
      await shot(page, `administration-users-${lang}`);

      // a phone
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, `administration-users-phone-${lang}`);
      await page.context().close();
    });

    test(`admits an institution and corrects its English name, in ${lang}`, async () => {
      const code = `E2E-${suffix.toUpperCase()}`;
      const page = await newPage(lang);
      await signIn(page, 'admin');
      await page.goto(`${session.url}/admin/institutions`);
      await page.getByTestId('institution-admit').click();
      const admit = dialog(page, w.admitOk);
      const ok = admit.getByRole('button', { name: w.admitOk, exact: true });
      await confirmRefused(ok, admit.getByText(w.codeRequired));
      await expect(admit.getByText(w.nameEnRequired)).toBeVisible();
      await shot(page, `administration-institution-refused-${lang}`, false);
      await admit.getByLabel(lang === 'en' ? 'Code' : '代码').fill(code.toLowerCase());
      await admit.getByLabel(lang === 'en' ? 'Name (Chinese)' : '中文名称').fill(`端到端测试学院${suffix}`);
      await admit.getByLabel(lang === 'en' ? 'Name (English)' : '英文名称').fill(`E2E Test Colege ${suffix}`);
      await pick(page, admit.getByTestId('institution-kind'), lang === 'en' ? 'Vocational college' : '职业');
      await shot(page, `administration-institution-new-${lang}`, false);
      // On busy cores (here a page slowed 20 times) the admission's spinner is still collapsing when the
      // dialog closes: it must not come back with the edit dialog, where screen readers (and the exact name
      // below) would read "loading Save".
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
      await confirmAccepted(ok);
      const table = page.getByTestId('institutions-table');
      await expect(table).toContainText(code);

      // the typo in the English name, corrected
      await page.getByTestId(`institution-edit-${code}`).click();
      const edit = dialog(page, w.save);
      await expect(edit.getByLabel(lang === 'en' ? 'Code' : '代码')).toBeDisabled();
      await expect(edit.getByRole('button', { name: w.save, exact: true })).toBeVisible();
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await edit.getByLabel(lang === 'en' ? 'Name (English)' : '英文名称').fill(`E2E Test College ${suffix}`);
      await shot(page, `administration-institution-edit-${lang}`, false);
      await confirmAccepted(edit.getByRole('button', { name: w.save, exact: true }));
      await expect(table).toContainText(`E2E Test College ${suffix}`);
      await expect(table).not.toContainText(`E2E Test Colege ${suffix}`);
      await shot(page, `administration-institutions-${lang}`);
      await page.context().close();
    });
  }
});
