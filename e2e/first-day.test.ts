// Each role's first day (issue 22), in Chinese and in English, on a laptop (1366 × 768) and on a
// phone (390 × 844): the user signs in, lands on their home page, and opens every page of their
// menu and the first record of each list they work through; each page is checked at both widths. Every page must pass axe-core with no
// serious or critical violation, must not scroll sideways on the phone, and must show every table's
// columns on the laptop; no page may be an error page. A screenshot of the window is kept of each.
import assert from 'node:assert/strict';
import { test, type Page } from '@playwright/test';
import { browserSession, signedInApi } from './harness.js';
import { assertAccessible, assertNoCutOffColumns, assertNoSidewaysScroll, settled } from './checks.js';

const session = browserSession();

const SIZES = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } } as const;
type Size = keyof typeof SIZES;
const LANGS = ['zh-CN', 'en'] as const;

interface Visit {
  /** The page's path; a function of the test's context where it needs an id. */
  path: string | (() => string);
  /** The screenshot's name, where the path holds an id. */
  name?: string;
  /** Then opens the first row's link of this table (the first record a user would open). */
  openFirst?: string;
}

interface Role {
  username: string | null;
  home: RegExp;
  visits: Visit[];
}

let shareId = '';

const STAFF_LISTS: Visit[] = [
  { path: '/institution/learners', openFirst: 'learners-table' },
  { path: '/institution/transfers' },
  { path: '/institution/evaluations' },
];

const ROLES: Record<string, Role> = {
  learner: {
    username: 'learner02',
    home: /\/account$/,
    visits: [
      { path: '/account' },
      { path: '/certifications' },
      { path: '/certifications/new' },
      { path: '/transfers' },
      { path: '/transfers/new' },
      { path: '/learning-agreements' },
      { path: '/progress' },
      { path: '/progress/plan' },
      { path: '/credentials' },
      { path: '/notifications' },
      { path: '/security' },
    ],
  },
  registrar: {
    username: 'registrar.hxu',
    home: /\/(workbench|institution\/courses)$/,
    visits: [
      { path: '/institution/courses' },
      ...STAFF_LISTS,
      { path: '/institution/imports' },
      { path: '/institution/agreements' },
      { path: '/institution/equivalences' },
      { path: '/institution/grading-tables' },
      { path: '/institution/learning-agreements' },
      { path: '/institution/link-requests' },
      { path: '/institution/awards' },
      { path: '/institution/credentials' },
      { path: '/quality' },
    ],
  },
  reviewer: {
    username: 'reviewer.hxu',
    home: /\/(workbench|institution\/courses)$/,
    visits: [{ path: '/review/certifications' }, ...STAFF_LISTS],
  },
  committee: {
    username: 'committee',
    home: /\/(workbench|admin\/institutions)$/,
    visits: [{ path: '/committee/certifications' }, { path: '/committee/standards' }, { path: '/quality/rules' }, { path: '/quality/reports' }],
  },
  administrator: {
    username: 'admin',
    home: /\/(workbench|admin\/institutions)$/,
    visits: [
      { path: '/admin/institutions' },
      { path: '/admin/users' },
      { path: '/admin/identity-conflicts' },
      { path: '/admin/erasure-requests' },
      { path: '/admin/sso' },
      { path: '/admin/audit' },
      { path: '/admin/settings' },
    ],
  },
  employer: {
    username: null,
    home: /\/verify$/,
    visits: [{ path: '/verify' }, { path: () => `/verify/${shareId}`, name: 'verify-share' }, { path: '/standards' }, { path: '/transfer-check' }],
  },
};

test.beforeAll(async () => {
  // a link the learner shared with the employer: learner02's transcript of their first institution
  const learner = await signedInApi(session.url, 'learner02');
  const account = await learner<{ outcomes: { institutionId: string }[] }>('/me/account');
  const credential = await learner<{ id: string }>('/me/credentials', { kind: 'transcript', id: account.outcomes[0]!.institutionId });
  shareId = (await learner<{ id: string }>(`/credentials/${credential.id}/shares`, { days: 30 })).id;
});

/**
 * Checks the page as it has settled, on the laptop and then on the phone (the same page, the window
 * resized); what fails is added to `problems`, so that one run names every page's faults.
 */
async function check(page: Page, where: string, shotName: string, problems: string[], tag: string) {
  for (const size of Object.keys(SIZES) as Size[]) {
    await page.setViewportSize(SIZES[size]);
    await settled(page);
    const at = `${where} (${tag}, ${size})`;
    const checks = [
      async () => assert.doesNotMatch(await page.locator('body').innerText(), /Bad request|请求有误|Something went wrong|出错了/, `${at}: an error page`),
      () => assertAccessible(page, at),
      () => (size === 'phone' ? assertNoSidewaysScroll(page, at) : assertNoCutOffColumns(page, at)),
    ];
    for (const c of checks) {
      try {
        await c();
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
    await session.shot(page, `${shotName}-${tag}-${size}`, false);
  }
}

for (const [role, { username, home, visits }] of Object.entries(ROLES)) {
  for (const lang of LANGS) {
    test(`${role}'s first day (${lang}), on a laptop and on a phone`, async () => {
      const page = await session.newPage(lang);
      await page.setViewportSize(SIZES.laptop);
      const tag = lang === 'en' ? 'en' : 'zh';
      const problems: string[] = [];
      if (username) {
        await session.signIn(page, username);
      } else {
        await page.goto(`${session.url}/verify`);
      }
      assert.match(new URL(page.url()).pathname, home, `${role} lands on their home page`);
      await check(page, `${role}'s home ${new URL(page.url()).pathname}`, `first-day-${role}-home`, problems, tag);

      for (const visit of visits) {
        const path = typeof visit.path === 'string' ? visit.path : visit.path();
        await page.goto(`${session.url}${path}`);
        const slug = visit.name ?? path.slice(1).replaceAll('/', '-');
        await check(page, `${role} at ${path}`, `first-day-${role}-${slug}`, problems, tag);
        if (visit.openFirst) {
          const link = page.getByTestId(visit.openFirst).locator('.ant-table-row a, [data-testid$="-card"] a').first();
          await link.click();
          await page.waitForURL((u) => u.pathname !== path);
          await check(page, `${role} opening the first of ${path}`, `first-day-${role}-${slug}-first`, problems, tag);
        }
      }
      await page.context().close();
      assert.deepEqual(problems, [], `${role}'s first day (${lang})`);
    });
  }
}
