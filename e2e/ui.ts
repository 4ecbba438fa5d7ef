// Small moves on antd widgets and the language switch, shared by the browser tests.
import type { Locator, Page } from '@playwright/test';

const openDropdown = '.ant-select-dropdown:not(.ant-select-dropdown-hidden)';

/** The open dropdown's option containing `text`. */
export const option = (page: Page, text: string) => page.locator(`${openDropdown} .ant-select-item-option`).filter({ hasText: text }).first();

/**
 * Picks the option containing `text` in a single select, typing `search` first if given. A click
 * that lands while the list is still animating in can miss the option or leave the list open: close
 * it by hand, and pick again until the select shows a new choice.
 */
export async function pick(page: Page, select: Locator, text: string, search?: string) {
  const shown = select.locator('.ant-select-selection-item');
  const shownText = async () => ((await shown.count()) ? ((await shown.first().textContent()) ?? '') : '');
  const before = await shownText();
  for (let attempt = 1; ; attempt++) {
    await select.click();
    if (search) await page.keyboard.type(search);
    await option(page, text).click();
    await page
      .locator(openDropdown)
      .waitFor({ state: 'hidden', timeout: 5_000 })
      .catch(async () => {
        await page.keyboard.press('Escape');
        await page.locator(openDropdown).waitFor({ state: 'hidden' });
      });
    const now = await shownText();
    if (now.includes(text) || now !== before || attempt === 3) return;
  }
}

/** Types each text into a multiple select (searched on the server) and picks the option containing it. */
export async function pickMany(page: Page, select: Locator, texts: string[]) {
  for (const text of texts) {
    // a click that lands while a drawer is still sliding in can leave the box unfocused: try again
    for (let attempt = 1; ; attempt++) {
      await select.click();
      await select.locator('input').fill(text);
      try {
        await option(page, text).click({ timeout: 10_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        await page.keyboard.press('Escape');
      }
    }
  }
  await page.keyboard.press('Escape');
  await page.locator(openDropdown).waitFor({ state: 'hidden' });
}

export async function switchLanguage(page: Page, to: 'en' | 'zh-CN') {
  await page.getByTestId('lang-switch').click();
  await page.waitForFunction((l) => document.documentElement.lang === l, to);
}

export const pad = (n: number) => String(n).padStart(2, '0');

/** The quality pages' default period: the last 12 months up to the end of this one, as the API takes it. */
export const defaultPeriod = (() => {
  const now = new Date();
  const start = new Date(now.getFullYear(), now.getMonth() - 11, 1);
  const end = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  return `from=${start.getFullYear()}-${pad(start.getMonth() + 1)}-01&to=${end.getFullYear()}-${pad(end.getMonth() + 1)}-01`;
})();

/**
 * Clicks a dialog's confirm button with a required field left empty and waits for the field's
 * error. A click that lands while the dialog is still zooming in can miss the button: click again.
 */
export async function confirmRefused(confirm: Locator, error: Locator) {
  for (let attempt = 1; ; attempt++) {
    await confirm.click();
    try {
      await error.waitFor({ timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/**
 * Clicks a dialog's confirm button until the dialog closes. A click that lands while the dialog is
 * still zooming in can miss the button; a click on a button busy with the request does nothing.
 */
export async function confirmAccepted(confirm: Locator) {
  for (let attempt = 1; ; attempt++) {
    // A button whose request is under way is named "loading …" and takes no click: wait for the answer
    // (slow on two busy cores); if it was accepted, the dialog has closed and there is nothing to click.
    await confirm
      .page()
      .locator('.ant-modal .ant-btn-loading')
      .first()
      .waitFor({ state: 'detached', timeout: 60_000 })
      .catch(() => undefined);
    if (attempt > 1 && !(await confirm.isVisible())) return;
    await confirm.click();
    try {
      await confirm.waitFor({ state: 'hidden', timeout: 10_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}
