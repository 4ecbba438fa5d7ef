import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // the collector, for the tests that measure what code keeps rather than garbage awaiting collection
    execArgv: ['--expose-gc'],
    // Test files share their worker's modules (no test stubs modules or process.env): with a fresh
    // module graph per file, importing the app cost ~20 s a file, more than most files' tests.
    isolate: false,
    // Much of a test's time is spent waiting on a database (PostgreSQL is another process): two test
    // files at once even on two cores (Vitest's default there would be one).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
  },
});
