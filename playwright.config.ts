// The browser tests (e2e/*.test.ts) under Playwright Test, on Debian's Chromium (no browser of
// Playwright's own is downloaded). Each test file starts its own server on its own scratch database
// (e2e/harness.ts), so files run side by side, one per core; the tests within a file run in order.
//
// A failed test leaves its trace, a screenshot and the error's page snapshot in test-results/ (open a
// trace with `npx playwright show-trace test-results/<test>/trace.zip`); the run's HTML report, with
// those attached, is written to playwright-report/ and never opened (`npx playwright show-report`).
// The screenshots the tests take on purpose are kept by name in e2e/screenshots/.
import os from 'node:os';
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.test.ts',
  outputDir: 'test-results',
  // one worker per core; a file's tests stay together in one worker, in order
  workers: os.availableParallelism(),
  fullyParallel: false,
  // no retry of a single test: CI (.ci/run) runs the whole suite once more when a run fails
  retries: 0,
  forbidOnly: !!process.env.CI,
  // a test drives several pages through whole paths on two busy cores
  timeout: 300_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
    // as playwright-core's defaults were: a click or wait that cannot happen fails after 30 s
    actionTimeout: 30_000,
    navigationTimeout: 30_000,
    // DOM snapshots, not a screencast: recording frames of every test costs more than two cores can spare
    trace: { mode: 'retain-on-failure', snapshots: true, screenshots: false, sources: true },
    screenshot: 'only-on-failure',
  },
});
