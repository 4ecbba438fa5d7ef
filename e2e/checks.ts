// What every page must pass, whoever opens it (issue 22): axe-core finds no serious or critical
// accessibility violation, nothing sticks out sideways on a phone, and no table hides columns past
// the window's edge on a laptop.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

// axe-core's browser build, evaluated in the page (page.evaluate is not subject to the app's CSP)
const AXE_SOURCE: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA rules and best practices). */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html.slice(0, 160) })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function assertAccessible(page: Page, where: string) {
  const found = await seriousViolations(page);
  assert.deepEqual(
    found.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html}`).join(' | ')}`),
    [],
    `${where}: serious or critical accessibility violations`,
  );
}

/** The page does not scroll sideways: nothing is wider than the window. */
export async function assertNoSidewaysScroll(page: Page, where: string) {
  const { scroll, client, wide } = await page.evaluate(() => {
    const client = document.documentElement.clientWidth;
    // the outermost elements that stick out, to say what does
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > client + 1 && (el.parentElement?.getBoundingClientRect().right ?? 0) <= client + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 50)} "${(el.textContent ?? '').slice(0, 40)}"`);
    return { scroll: document.documentElement.scrollWidth, client, wide };
  });
  assert.ok(scroll <= client + 1, `${where}: the page is ${scroll}px wide in a ${client}px window: ${wide.join('; ')}`);
}

/** Every table shown has all its columns within its own width: none is cut off behind a sideways scroll. */
export async function assertNoCutOffColumns(page: Page, where: string) {
  const cut = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.ant-table-content, .ant-table-body'))
      .filter((el) => el.getBoundingClientRect().width > 0 && el.scrollWidth - el.clientWidth > 1)
      .map((el) => {
        const table = el.closest('[data-testid]');
        return `${table?.getAttribute('data-testid') ?? 'a table'} (${el.scrollWidth}px of content in ${el.clientWidth}px)`;
      }),
  );
  assert.deepEqual(cut, [], `${where}: tables with columns past their edge`);
}

/** Waits until the page has loaded what it shows: no request in flight, no spinner. */
export async function settled(page: Page) {
  await page.waitForLoadState('networkidle');
  await page
    .locator('.ant-spin-spinning, .ant-skeleton-active')
    .first()
    .waitFor({ state: 'detached', timeout: 30_000 })
    .catch(() => undefined);
  // antd's enter animations (drawers, lists) end within ~0.3 s
  await page.waitForTimeout(300);
}
