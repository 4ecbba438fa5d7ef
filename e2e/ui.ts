// Small moves on antd widgets and the language switch, shared by the browser tests.
import type { Locator, Page } from 'playwright-core';

const openDropdown = '.ant-select-dropdown:not(.ant-select-dropdown-hidden)';

/** The open dropdown's option containing `text`. */
export const option = (page: Page, text: string) => page.locator(`${openDropdown} .ant-select-item-option`).filter({ hasText: text }).first();

/** Picks the option containing `text` in a single select, typing `search` first if given. */
export async function pick(page: Page, select: Locator, text: string, search?: string) {
  await select.click();
  if (search) await page.keyboard.type(search);
  await option(page, text).click();
  await page.locator(openDropdown).waitFor({ state: 'hidden' });
}

/** Types each text into a multiple select (searched on the server) and picks the option containing it. */
export async function pickMany(page: Page, select: Locator, texts: string[]) {
  for (const text of texts) {
    await select.click();
    await page.keyboard.type(text);
    await option(page, text).click();
  }
  await page.keyboard.press('Escape');
  await page.locator(openDropdown).waitFor({ state: 'hidden' });
}

export async function switchLanguage(page: Page, to: 'en' | 'zh-CN') {
  await page.getByTestId('lang-switch').click();
  await page.waitForFunction((l) => document.documentElement.lang === l, to);
}
