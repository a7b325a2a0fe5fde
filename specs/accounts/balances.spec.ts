import { expect } from '@playwright/test';
import { check } from '../../src/checks/check.ts';
import type { Xs2aApi } from '../../src/suite/api.ts';
import { expectError } from '../../src/suite/expect-error.ts';
import type { AuthorisedConsent } from '../../src/suite/flows.ts';

const BALANCE_TYPES = [
  'closingBooked',
  'expected',
  'openingBooked',
  'interimAvailable',
  'interimBooked',
  'forwardAvailable',
  'nonInvoiced',
];

interface Balance {
  balanceAmount?: { currency?: unknown; amount?: unknown };
  balanceType?: unknown;
}

async function firstAccountBalances(api: Xs2aApi, consent: AuthorisedConsent) {
  const { accounts } = (await api.read(consent, '/v1/accounts')).json<{
    accounts: { resourceId?: string; accountNumber?: string }[];
  }>();
  const response = await api.read(
    consent,
    `/v1/accounts/${encodeURIComponent(api.accountId(accounts[0]))}/balances`,
  );
  return response;
}

check('BAL-001', async ({ api, consent }) => {
  const response = await firstAccountBalances(api, consent);
  expect(response.status).toBe(200);
  expect(response.json<{ balances: Balance[] }>().balances.length).toBeGreaterThan(0);
});

check('BAL-002', async ({ api, consent }) => {
  const { balances } = (await firstAccountBalances(api, consent)).json<{ balances: Balance[] }>();
  for (const balance of balances)
    expect(BALANCE_TYPES, `balanceType ${String(balance.balanceType)}`).toContain(balance.balanceType);
});

check('BAL-003', async ({ api, consent }) => {
  const { balances } = (await firstAccountBalances(api, consent)).json<{ balances: Balance[] }>();
  for (const balance of balances) {
    expect(
      typeof balance.balanceAmount?.amount,
      `amount ${JSON.stringify(balance.balanceAmount?.amount)}`,
    ).toBe('string');
    expect(String(balance.balanceAmount?.amount)).toMatch(/^-?[0-9]{1,14}(\.[0-9]{1,3})?$/);
  }
});

check('BAL-004', async ({ api, consent }) => {
  const { balances } = (await firstAccountBalances(api, consent)).json<{ balances: Balance[] }>();
  for (const balance of balances) expect(String(balance.balanceAmount?.currency)).toMatch(/^[A-Z]{3}$/);
});

check('BAL-005', async ({ api, consent }) => {
  const response = await api.read(consent, '/v1/accounts/psd2-conformance-no-such-account/balances');
  expectError(response, [400, 403, 404], ['RESOURCE_UNKNOWN']);
});
