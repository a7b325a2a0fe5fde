import { test as base, expect } from '@playwright/test';
import { Xs2aApi } from './suite/api.ts';
import { ExchangeLog } from './suite/exchange-log.ts';
import { type AuthorisedConsent, ScaFlows } from './suite/flows.ts';
import { TppSession } from './suite/session.ts';
import { readRunSettings } from './suite/settings.ts';

export interface WorkerFixtures {
  /** The worker's connection to the target. */
  tpp: TppSession;
  /** A consent over all the PSU's accounts, approved in the browser on first use, once per worker. */
  workerConsent: { get(): Promise<AuthorisedConsent> };
}

export interface TestFixtures {
  log: ExchangeLog;
  /** XS2A calls, each logged and checked against its contract. */
  api: Xs2aApi;
  /** Browser SCA flows. */
  sca: ScaFlows;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  tpp: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright needs the destructuring pattern.
    async ({}, use) => {
      const session = new TppSession(readRunSettings());
      await use(session);
      await session.close();
    },
    { scope: 'worker' },
  ],
  workerConsent: [
    async ({ tpp }, use) => {
      let pending: Promise<AuthorisedConsent> | undefined;
      await use({
        get() {
          const partial = tpp.settings.partial;
          if (partial?.accessToken && partial.consentId) {
            return Promise.resolve({
              consentId: partial.consentId,
              accessToken: partial.accessToken,
              refreshToken: undefined,
            });
          }
          pending ??= new ScaFlows(
            new Xs2aApi(tpp, new ExchangeLog(tpp.contract, tpp.basePath, tpp.baseline)),
            undefined,
          )
            .authorisedConsent()
            .then((r) => r.consent);
          return pending;
        },
      });
    },
    { scope: 'worker' },
  ],
  log: async ({ tpp }, use) => {
    await use(new ExchangeLog(tpp.contract, tpp.basePath, tpp.baseline));
  },
  api: async ({ tpp, log }, use) => {
    await use(new Xs2aApi(tpp, log));
  },
  sca: async ({ api }, use, testInfo) => {
    await use(new ScaFlows(api, testInfo));
  },
});

export { expect };
