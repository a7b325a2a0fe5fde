import { defineConfig } from '@playwright/test';
import { MATRIX_TESTS_ENV } from './src/harness/matrix-plan.ts';

const reports = process.env.PSD2_REPORTS_DIR ?? 'reports';
const sharded = process.env.PSD2_BLOB === '1';

export default defineConfig({
  // A fault-matrix run declares its tests from generated files (scripts/fault-matrix.ts).
  testDir: process.env[MATRIX_TESTS_ENV] ?? 'specs',
  globalSetup: './src/harness/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: Number(process.env.PSD2_WORKERS ?? 2),
  retries: 0,
  // Every artifact follows the reports folder (--reports-dir), none stays in the package folder.
  outputDir: `${reports}/test-results`,
  reporter: [
    // One line (or dot) per check by its own status: a failed check is an expected failure to Playwright.
    ['./src/report/console-reporter.ts', { dots: Boolean(process.env.CI || process.env.PSD2_QUIET) }],
    ['allure-playwright', { resultsDir: `${reports}/allure-results`, detail: false, suiteTitle: false }],
    // summary.json, summary.md and junit.xml, each check with its reference and every skip with its reason.
    ['./src/report/summary-reporter.ts', { outputDir: reports }],
    ...(sharded ? [['blob', { outputDir: `${reports}/blob` }] as ['blob', { outputDir: string }]] : []),
  ],
  use: { trace: 'off', screenshot: 'off', video: 'off' },
});
