// The root test type, without Playwright's per-test browser, context and trace fixtures: the suite drives
// a browser of its own (one per worker, src/harness/session.ts), and those fixtures cost a tenth of a run.
import { _baseTest as base, expect } from '@playwright/test';
import { SessionPool } from './session-pool.ts';
import { readRunSettings } from './settings.ts';

export interface WorkerFixtures {
  /** The worker's sessions with the target (the run's TPP, and the fault matrix's TPPs), one browser between them. */
  sessions: SessionPool;
}

export const test = base.extend<object, WorkerFixtures>({
  sessions: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright needs the destructuring pattern.
    async ({}, use) => {
      const pool = new SessionPool(readRunSettings());
      await use(pool);
      await pool.close();
    },
    { scope: 'worker' },
  ],
});

export { expect };
