import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import type { AuthorisedConsent } from '../../src/sca/flows.ts';
import type { Xs2aApi } from '../../src/xs2a/api.ts';

const check = checksOf('Accounts');

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

test(
  ...check({
    id: 'BAL-001',
    title: 'Balances are read for a listed account',
    reference: 'BG IG 1.3 §6.5.1 getBalances',
    severity: 'critical',
    operations: ['getBalances'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await firstAccountBalances(api, consent);
    expect(response.status).toBe(200);
    expect(response.json<{ balances: Balance[] }>().balances.length).toBeGreaterThan(0);
  }),
);

test(
  ...check({
    id: 'BAL-002',
    title: 'Every balance has a balanceType from the Berlin Group list',
    reference: 'BG OpenAPI 1.3.12 balance, balanceType',
    severity: 'critical',
    operations: ['getBalances'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { balances } = (await firstAccountBalances(api, consent)).json<{ balances: Balance[] }>();
    for (const balance of balances)
      expect(BALANCE_TYPES, `balanceType ${String(balance.balanceType)}`).toContain(balance.balanceType);
  }),
);

test(
  ...check({
    id: 'BAL-003',
    title: 'Balance amounts are decimal strings, not JSON numbers',
    reference: 'BG OpenAPI 1.3.12 amountValue',
    severity: 'critical',
    operations: ['getBalances'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { balances } = (await firstAccountBalances(api, consent)).json<{ balances: Balance[] }>();
    for (const balance of balances) {
      expect(
        typeof balance.balanceAmount?.amount,
        `amount ${JSON.stringify(balance.balanceAmount?.amount)}`,
      ).toBe('string');
      expect(String(balance.balanceAmount?.amount)).toMatch(/^-?[0-9]{1,14}(\.[0-9]{1,3})?$/);
    }
  }),
);

test(
  ...check({
    id: 'BAL-004',
    title: 'Balance currencies are ISO 4217 codes',
    reference: 'BG OpenAPI 1.3.12 currencyCode; ISO 4217',
    severity: 'normal',
    operations: ['getBalances'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { balances } = (await firstAccountBalances(api, consent)).json<{ balances: Balance[] }>();
    for (const balance of balances) expect(String(balance.balanceAmount?.currency)).toMatch(/^[A-Z]{3}$/);
  }),
);

test(
  ...check({
    id: 'BAL-005',
    title: 'Balances of an unknown account are refused with RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
    severity: 'normal',
    operations: ['getBalances'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.read(consent, '/v1/accounts/psd2-conformance-no-such-account/balances');
    expectError(response, [400, 403, 404], ['RESOURCE_UNKNOWN']);
  }),
);
