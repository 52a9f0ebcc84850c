import { defineConfig } from 'vitest/config';

// End-to-end tests: playwright-core drives Debian's chromium against a real `omc serve` with
// `omc demo` data on SQLite (e2e/global-setup.ts starts both). One browser, files run in order.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['./e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
