import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import {
  AMOUNT_VALUE,
  BALANCE_TYPES,
  ISO_DATE,
  ISO_DATE_TIME,
} from '../../src/harness/berlin-group-formats.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import type { AuthorisedConsent } from '../../src/sca/flows.ts';
import type { Xs2aApi } from '../../src/xs2a/api.ts';

const check = checksOf('Accounts');

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
      expect(String(balance.balanceAmount?.amount)).toMatch(AMOUNT_VALUE);
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

interface DatedBalance {
  balanceType?: unknown;
  referenceDate?: unknown;
  lastChangeDateTime?: unknown;
}

test(
  ...check({
    id: 'BAL-006',
    title: 'A balance referenceDate, where given, is an ISO 8601 date',
    reference: 'BG OpenAPI 1.3.12 balance referenceDate (format date)',
    severity: 'normal',
    operations: ['getBalances'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { balances } = (await firstAccountBalances(api, consent)).json<{ balances: DatedBalance[] }>();
    for (const balance of balances) {
      if (balance.referenceDate === undefined) continue;
      expect(String(balance.referenceDate), `referenceDate of ${String(balance.balanceType)}`).toMatch(
        ISO_DATE,
      );
    }
  }),
);

test(
  ...check({
    id: 'BAL-007',
    title: 'A balance lastChangeDateTime, where given, is an ISO 8601 date-time',
    reference: 'BG OpenAPI 1.3.12 balance lastChangeDateTime (format date-time)',
    severity: 'normal',
    operations: ['getBalances'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { balances } = (await firstAccountBalances(api, consent)).json<{ balances: DatedBalance[] }>();
    for (const balance of balances) {
      if (balance.lastChangeDateTime === undefined) continue;
      expect(
        String(balance.lastChangeDateTime),
        `lastChangeDateTime of ${String(balance.balanceType)}`,
      ).toMatch(ISO_DATE_TIME);
    }
  }),
);

test(
  ...check({
    id: 'BAL-008',
    title: 'The account a balance report names is the account it was read for',
    reference: 'BG IG 1.3 §6.5.1 getBalances (account: identifier of the addressed account)',
    severity: 'normal',
    operations: ['getBalances'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { path, iban } = await api.firstAccount(consent, { withIban: true });
    const response = await api.read(consent, `${path}/balances`);
    expect(response.status).toBe(200);
    const named = response.json<{ account?: { iban?: string } }>().account;
    if (named?.iban === undefined) return;
    expect(named.iban, 'the IBAN the balance report names').toBe(iban);
  }),
);

test(
  ...check({
    id: 'BAL-013',
    title: 'The balances of every listed account are read, a multi-currency account included',
    reference: 'BG IG 1.3 §6.5.1 getBalances ("The account-id can represent a multicurrency account")',
    severity: 'normal',
    operations: ['getBalances'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const listed = await api.read(consent, '/v1/accounts', { psuInitiated: true });
    expect(listed.status).toBe(200);
    for (const account of api.accountsOf<{ resourceId?: string; accountNumber?: string }>(listed)) {
      const id = api.accountId(account);
      const response = await api.read(consent, `/v1/accounts/${encodeURIComponent(id)}/balances`, {
        psuInitiated: true,
      });
      expect(response.status, `balances of ${id}: ${response.body.slice(0, 200)}`).toBe(200);
    }
  }),
);
