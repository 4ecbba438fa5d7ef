// Single sign-on in the browser (issue 20): an administrator configures a local CAS server and a
// local OpenID provider for HXU through the API; a staff member clicks "用 … 统一身份认证登录" on the
// login page, signs in at the provider, and lands in the bank signed in with the mapped role.
import assert from 'node:assert/strict';
import { test, type Page } from '@playwright/test';
import { startCas, startOidc } from '../src/modules/sso/testing/servers.js';
import { browserSession, PASSWORD } from './harness.js';
import { pick } from './ui.js';

const session = browserSession();
const { newPage, shot } = session;

/** The bank as the browser reaches it: PUBLIC_URL defaults to http://localhost:<port>, where the callbacks go. */
const bankUrl = () => session.url.replace('127.0.0.1', 'localhost');

async function adminApi() {
  const res = await fetch(`${bankUrl()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  assert.ok(res.ok, `admin sign-in: ${res.status}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return async <T>(p: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${bankUrl()}/api/v1${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) assert.fail(`${p}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
}

async function signIn(page: Page, username: string) {
  await page.goto(`${bankUrl()}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-display-name').waitFor();
}

test.describe('single sign-on through the institution', () => {
  test('a staff member signs in through the local CAS, and a reviewer through the local OpenID provider', async () => {
    const api = await adminApi();
    const { items } = await api<{ items: { id: string; code: string }[] }>('/institutions');
    const hxu = items.find((i) => i.code === 'HXU')!.id;

    const casWho = { user: 'HXU-T0815', attributes: { cn: ['林老师'], userType: ['staff'] } as Record<string, string[]> };
    const cas = await startCas(casWho);
    const oidc = await startOidc(
      { sub: 'hxu-faculty-42', claims: { name: 'Prof. Gao', email: 'gao@hxu.example', affiliation: ['faculty'] } },
      { clientId: 'creditbank', clientSecret: 'e2e-client-secret-123', redirectUris: [`${bankUrl()}/api/v1/auth/sso/hxu-oidc/callback`] },
    );
    try {
      await api(`/institutions/${hxu}/sso-providers`, {
        slug: 'hxu-cas',
        nameZh: '华夏大学',
        nameEn: 'Huaxia University',
        jitStaff: true,
        mapping: { name: 'cn', affiliation: 'userType', roles: { staff: ['registrar'], student: ['learner'] } },
        protocol: { kind: 'cas', settings: { serverUrl: cas.url } },
      });
      await api(`/institutions/${hxu}/sso-providers`, {
        slug: 'hxu-oidc',
        nameZh: '华夏大学 OIDC',
        nameEn: 'Huaxia University (OIDC)',
        jitStaff: true,
        mapping: { affiliation: 'affiliation', roles: { faculty: ['reviewer'] } },
        protocol: { kind: 'oidc', settings: { issuer: oidc.url, clientId: 'creditbank' }, clientSecret: 'e2e-client-secret-123' },
      });

      // CAS, in Chinese
      const page = await newPage('zh-CN');
      await page.goto(`${bankUrl()}/login`);
      const casButton = page.getByTestId('sso-hxu-cas');
      await casButton.waitFor();
      assert.equal((await casButton.innerText()).replace(/\s+/g, ''), '用华夏大学统一身份认证登录');
      await shot(page, 'sso-login-zh', false);
      await casButton.click();
      await page.getByTestId('user-display-name').waitFor();
      assert.equal(await page.getByTestId('user-display-name').innerText(), '林老师');
      const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
      assert.deepEqual(
        me.roles.map((r: { role: string; institutionCode: string }) => [r.role, r.institutionCode]),
        [['registrar', 'HXU']],
      );
      await page.context().close();

      // OpenID Connect, in English
      const en = await newPage('en');
      await en.goto(`${bankUrl()}/login`);
      await en.getByTestId('sso-hxu-oidc').getByText('Sign in with Huaxia University (OIDC)').waitFor();
      await en.getByTestId('sso-hxu-oidc').click();
      await en.getByTestId('user-display-name').waitFor();
      assert.equal(await en.getByTestId('user-display-name').innerText(), 'Prof. Gao');
      const me2 = await en.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
      assert.deepEqual(
        me2.roles.map((r: { role: string; institutionCode: string }) => [r.role, r.institutionCode]),
        [['reviewer', 'HXU']],
      );
      await shot(en, 'sso-signed-in-en', false);
      await en.context().close();

      // the administrator sees both providers on the settings page
      const adminPage = await newPage('zh-CN');
      await signIn(adminPage, 'admin');
      await adminPage.goto(`${bankUrl()}/admin/sso`);
      await pick(adminPage, adminPage.getByTestId('sso-institution'), '华夏大学');
      await adminPage.getByText('hxu-oidc', { exact: true }).waitFor();
      await adminPage.getByText('hxu-cas', { exact: true }).waitFor();
      await shot(adminPage, 'sso-admin-zh');
      await adminPage.context().close();

      // a learner links their campus sign-in to their lifelong account (keeping the password), then signs in through it
      casWho.user = 'HXU-S-LINK-01';
      casWho.attributes = { cn: ['某同学'], userType: ['alumni'] };
      const learner = await newPage('en');
      await signIn(learner, 'learner01');
      const learnerName = await learner.getByTestId('user-display-name').innerText();
      await learner.goto(`${bankUrl()}/account`);
      await learner.getByTestId('sso-link-hxu-cas').click();
      await learner.getByText('Linked: you can now sign in through your institution').waitFor();
      await learner.getByTestId('linked-sign-ins').getByText('HXU-S-LINK-01').waitFor();
      await learner.getByTestId('linked-sign-ins').scrollIntoViewIfNeeded();
      await shot(learner, 'sso-linked-en', false);
      await learner.getByTestId('logout').click();
      await learner.getByTestId('sso-hxu-cas').click();
      await learner.getByTestId('user-display-name').waitFor();
      assert.equal(await learner.getByTestId('user-display-name').innerText(), learnerName);
      await learner.context().close();

      // a refused sign-in comes back to the login page with the reason
      const again = await newPage('en');
      await again.goto(`${bankUrl()}/api/v1/auth/sso/hxu-cas/callback?state=forged&ticket=ST-forged`);
      await again
        .getByTestId('sso-error')
        .getByText(/expired, was finished already, or was begun in another browser/)
        .waitFor();
      await again.context().close();
    } finally {
      await cas.close();
      await oidc.close();
    }
  });
});
