// Notifications (issue 20): a learner's certification application arrives → JNVC's reviewer sees the
// bell's count go up and finds the item in the inbox, which opens the application; once it is decided
// the learner has an inbox item in their language and an e-mail, sent by the server's mail worker to
// a local SMTP server started here.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from '@playwright/test';
import { SMTPServer } from 'smtp-server';
import { browserSession, PASSWORD, signedInApi } from './harness.js';

interface Received {
  to: string;
  raw: string;
}
const received: Received[] = [];
let smtp: SMTPServer;
let smtpPort: number;
test.beforeAll(async () => {
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) received.push({ to: r.address, raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  smtpPort = await new Promise<number>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve((smtp.server.address() as net.AddressInfo).port)));
});
test.afterAll(() => new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r())));

// the server sends through the local SMTP server, promptly
const session = browserSession({ env: () => ({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_POLL_SECONDS: '0.5' }) });
const { newPage, signIn, shot } = session;
const api = (username: string) => signedInApi(session.url, username);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const decodeQp = (raw: string) =>
  Buffer.from(
    raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

async function waitFor<T>(what: string, f: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test.describe('notifications', () => {
  test('tells the reviewer when an application arrives and the learner when it is decided, in-app and by e-mail', async () => {
    const admin = await api('admin');
    const { items } = await admin<{ items: { id: string; code: string }[] }>('/institutions');
    const jnvc = items.find((i) => i.code === 'JNVC')!.id;
    await (
      await api('registrar.jnvc')
    )(`/institutions/${jnvc}/learners`, {
      fullName: '罗通知',
      birthDate: '2001-04-05',
      externalId: 'JN-E2E-NOTIFY',
      email: 'notify-learner@example.test',
      login: { username: 'e2e-notify', password: PASSWORD },
    });

    // the learner applies and submits (through the API: the certification e2e test walks these pages)
    const learnerApi = await api('e2e-notify');
    const app = await learnerApi<{ id: string }>('/me/certifications', {
      standardCode: '1X-WEB-M',
      certificateNo: `E2E-NOTIFY-${Date.now()}`,
      issuedOn: '2025-06-01',
    });
    const login = await fetch(`${session.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'e2e-notify', password: PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const form = new FormData();
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'cert.pdf');
    const up = await fetch(`${session.url}/api/v1/certifications/${app.id}/evidence?label=${encodeURIComponent('证书扫描件 Certificate scan')}`, {
      method: 'POST',
      headers: { cookie },
      body: form,
    });
    assert.equal(up.status, 201, await up.text());
    // the learner reads English: their messages (and e-mail) are written in it
    const lang = await fetch(`${session.url}/api/v1/me/notification-preferences`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'en' }),
    });
    assert.equal(lang.status, 200, await lang.text());

    const reviewerApi = await api('reviewer.jnvc');
    const before = (await reviewerApi<{ unread: number }>('/me/notifications/unread-count')).unread;
    const page = await newPage('zh-CN');
    await signIn(page, 'reviewer.jnvc');
    const bell = page.getByTestId('notification-bell');
    await bell.waitFor();
    await waitFor('the bell to show the unread count', async () => ((await bell.getAttribute('data-count')) === String(before) ? true : undefined));

    await learnerApi(`/certifications/${app.id}/submit`, {});
    await page.reload();
    await waitFor('the bell to count the new application', async () => ((await bell.getAttribute('data-count')) === String(before + 1) ? true : undefined));
    await shot(page, 'notifications-bell-zh', false);
    await bell.click();
    await page.waitForURL(/\/notifications$/);
    const item = page.getByTestId('notification-item').filter({ hasText: '新的学习成果认定申请待审核' }).first();
    await item.waitFor();
    assert.equal(await item.getAttribute('data-read'), 'false');
    assert.match(await item.innerText(), /Web 前端开发职业技能等级证书（中级）/);
    await shot(page, 'notifications-inbox-zh');
    await item.click();
    await page.waitForURL(new RegExp(`/certifications/${app.id}$`));
    assert.equal((await reviewerApi<{ unread: number }>('/me/notifications/unread-count')).unread, before, 'opening it marked it read');

    // the reviewer approves; the learner is told in their language, and by e-mail
    await reviewerApi(`/certifications/${app.id}/approve`, {});
    await page.context().close();
    const learner = await newPage('en');
    await signIn(learner, 'e2e-notify');
    const learnerBell = learner.getByTestId('notification-bell');
    await waitFor('the learner’s bell', async () => ((await learnerBell.getAttribute('data-count')) === '1' ? true : undefined));
    await learnerBell.click();
    const decided = learner.getByTestId('notification-item').filter({ hasText: 'Your certification application was approved' });
    await decided.waitFor();
    assert.match(await decided.innerText(), /granting 4\.00 credits/);
    await shot(learner, 'notifications-inbox-en');
    await learner.getByTestId('notifications-read-all').click();
    await waitFor('the bell to clear', async () => ((await learnerBell.getAttribute('data-count')) === '0' ? true : undefined));

    // the settings page lists the learner's kinds with their channels
    await learner.goto(`${session.url}/notifications/settings`);
    await learner.getByTestId('channel-decision.certification').waitFor();
    await shot(learner, 'notifications-settings-en');
    await learner.context().close();

    const mail = await waitFor('the learner’s e-mail', () => received.find((m) => m.to === 'notify-learner@example.test'));
    const body = decodeQp(mail.raw);
    assert.match(body, /Your application “Web 前端开发职业技能等级证书（中级）” was approved, granting 4\.00 credits/);
    assert.match(body, new RegExp(`/certifications/${app.id}`));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(received.filter((m) => m.to === 'notify-learner@example.test').length, 1, 'sent once');
  });
});
