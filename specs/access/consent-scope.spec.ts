import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import { isoDay } from '../../src/harness/test-data.ts';
import type { AuthorisedConsent } from '../../src/sca/flows.ts';
import type { Xs2aApi } from '../../src/xs2a/api.ts';

// Reads under the run's second consent: the PSU's first account, for account access only.
const check = checksOf('Accounts');
const consents = checksOf('Consents');

const SCOPE_REFUSED =
  'BG IG 1.3 §6.3.1.1; §14.11 CONSENT_INVALID ("not valid for the addressed service/resource")';

interface Listed {
  iban?: string;
  resourceId?: string;
  accountNumber?: string;
  balances?: unknown[];
  _links?: Record<string, unknown>;
}

test(
  ...consents({
    id: 'CON-057',
    title: 'A consent on one account for account access reads back that access only',
    reference: 'BG IG 1.3 §6.3.4 getConsentInformation (access as granted); §6.3.1.1',
    severity: 'normal',
    operations: ['getConsentInformation'],
    tags: ['mandatory'],
    needs: ['accountsOnlyConsent'],
  })(async ({ api, accountsOnly }) => {
    const response = await api.get(`/v1/consents/${encodeURIComponent(accountsOnly.consent.consentId)}`);
    expect(response.status).toBe(200);
    const access = response.json<{ access?: Record<string, { iban?: string }[] | undefined> }>().access;
    expect(
      {
        accounts: (access?.accounts ?? []).map((r) => r.iban),
        balances: access?.balances ?? [],
        transactions: access?.transactions ?? [],
      },
      'the access the consent reads back',
    ).toEqual({ accounts: [accountsOnly.iban], balances: [], transactions: [] });
  }),
);

test(
  ...check({
    id: 'ACC-021',
    title: 'A consent on one named account lists that account and no other',
    reference: 'BG IG 1.3 §6.3.1.1 (consent on dedicated accounts); §6.4.1 getAccountList',
    severity: 'blocker',
    operations: ['getAccountList'],
    tags: ['mandatory', 'security'],
    needs: ['accountsOnlyConsent'],
  })(async ({ api, accountsOnly }) => {
    const response = await api.read(accountsOnly.consent, '/v1/accounts', { psuInitiated: true });
    expect(response.status).toBe(200);
    const ibans = api.accountsOf<Listed>(response).map((a) => a.iban);
    expect(ibans, 'the accounts listed under the consent').toEqual([accountsOnly.iban]);
  }),
);

/** The path of the consent's one account, as its list gives it. */
async function theAccount(api: Xs2aApi, consent: AuthorisedConsent): Promise<string> {
  return (await api.firstAccount(consent)).path;
}

test(
  ...check({
    id: 'ACC-022',
    title: 'Balances are refused under a consent that grants account access only',
    reference: SCOPE_REFUSED,
    severity: 'blocker',
    operations: ['getBalances'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['accountsOnlyConsent'],
  })(async ({ api, accountsOnly }) => {
    const path = await theAccount(api, accountsOnly.consent);
    const response = await api.read(accountsOnly.consent, `${path}/balances`, { psuInitiated: true });
    expectError(response, [401, 403], ['CONSENT_INVALID', 'RESOURCE_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'TRX-027',
    title: 'Transactions are refused under a consent that grants account access only',
    reference: SCOPE_REFUSED,
    severity: 'blocker',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['accountsOnlyConsent'],
  })(async ({ api, accountsOnly }) => {
    const path = await theAccount(api, accountsOnly.consent);
    const response = await api.read(accountsOnly.consent, `${path}/transactions`, {
      psuInitiated: true,
      query: { bookingStatus: 'booked', dateFrom: isoDay(-30) },
    });
    expectError(response, [401, 403], ['CONSENT_INVALID', 'RESOURCE_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'TRX-028',
    title: 'Transaction details are refused under a consent that grants account access only',
    reference: SCOPE_REFUSED,
    severity: 'critical',
    operations: ['getTransactionDetails'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['accountsOnlyConsent', 'consent'],
  })(async ({ api, accountsOnly, consent }) => {
    // A transaction of the same account, found under the run's consent over all accounts.
    const path = await theAccount(api, accountsOnly.consent);
    const listed = await api.read(consent, `${path}/transactions`, {
      psuInitiated: true,
      query: { bookingStatus: 'booked', dateFrom: isoDay(-90) },
    });
    const id = listed
      .json<{ transactions?: { booked?: { transactionId?: string }[] } }>()
      .transactions?.booked?.find((t) => t.transactionId)?.transactionId;
    expect(id, 'a booked transaction of the account under the run consent').toBeTruthy();
    const response = await api.read(
      accountsOnly.consent,
      `${path}/transactions/${encodeURIComponent(id ?? '')}`,
      {
        psuInitiated: true,
      },
    );
    expectError(response, [401, 403], ['CONSENT_INVALID', 'RESOURCE_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'ACC-023',
    title:
      'withBalance=true adds no balances to the list under a consent without balance access (or is refused)',
    reference:
      'BG IG 1.3 §6.4.1 withBalance ("if granted by the PSU in the related consent"); §14.11 CONSENT_INVALID',
    severity: 'critical',
    operations: ['getAccountList'],
    tags: ['mandatory', 'security'],
    needs: ['accountsOnlyConsent'],
  })(async ({ api, accountsOnly }) => {
    const response = await api.read(accountsOnly.consent, '/v1/accounts', {
      psuInitiated: true,
      query: { withBalance: true },
    });
    if (response.status !== 200) {
      expectError(response, 401, ['CONSENT_INVALID']);
      return;
    }
    const listed = api.accountsOf<Listed>(response);
    expect(listed.length, 'accounts listed under the consent').toBeGreaterThan(0);
    const withBalances = listed.filter((a) => a.balances !== undefined);
    expect(
      withBalances.map((a) => a.iban),
      'accounts listed with balances',
    ).toEqual([]);
  }),
);

test(
  ...check({
    id: 'ACC-025',
    title:
      'withBalance=true adds no balances to account details under a consent without balance access (or is refused)',
    reference:
      'BG IG 1.3 §6.4.2 withBalance ("if granted by the PSU in the related consent"); §14.11 CONSENT_INVALID',
    severity: 'critical',
    operations: ['readAccountDetails'],
    tags: ['mandatory', 'security'],
    needs: ['accountsOnlyConsent'],
  })(async ({ api, accountsOnly }) => {
    const path = await theAccount(api, accountsOnly.consent);
    const response = await api.read(accountsOnly.consent, path, {
      psuInitiated: true,
      query: { withBalance: true },
    });
    if (response.status !== 200) {
      expectError(response, 401, ['CONSENT_INVALID']);
      return;
    }
    expect(
      response.json<{ account?: Listed }>().account?.balances,
      'balances in the account details',
    ).toBeUndefined();
  }),
);

test(
  ...check({
    id: 'ACC-024',
    title: 'A listed account links no balances or transactions the consent does not grant',
    reference:
      'BG IG 1.3 §6.4.1 _links ("Links to balances and/or transactions … only supported, when the corresponding consent has been already granted")',
    severity: 'normal',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['accountsOnlyConsent'],
  })(async ({ api, accountsOnly }) => {
    const response = await api.read(accountsOnly.consent, '/v1/accounts', { psuInitiated: true });
    expect(response.status).toBe(200);
    const listed = api.accountsOf<Listed>(response);
    expect(listed.length, 'accounts listed under the consent').toBeGreaterThan(0);
    for (const account of listed) {
      const links = Object.keys(account._links ?? {}).filter((k) => k === 'balances' || k === 'transactions');
      expect(links, `links of ${account.iban}`).toEqual([]);
    }
  }),
);
