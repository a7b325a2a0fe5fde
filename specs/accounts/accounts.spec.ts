import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import type { AuthorisedConsent } from '../../src/sca/flows.ts';
import type { Xs2aApi } from '../../src/xs2a/api.ts';

const check = checksOf('Accounts');

interface Account {
  resourceId?: string;
  accountNumber?: string;
  balances?: unknown[];
  _links?: Record<string, { href?: string }>;
}

test(
  ...check({
    id: 'ACC-001',
    title: 'GET /v1/accounts lists the accounts of the consent',
    reference: 'BG IG 1.3 §6.4.1 getAccountList; myPOS overview "Always start by calling GET /v1/accounts"',
    severity: 'blocker',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.read(consent, '/v1/accounts');
    expect(response.status).toBe(200);
    expect(response.json<{ accounts: Account[] }>().accounts.length).toBeGreaterThan(0);
  }),
);

test(
  ...check({
    id: 'ACC-002',
    title: 'Every listed account has a resourceId for the calls that follow',
    reference: 'BG IG 1.3 §6.4.1 getAccountList',
    severity: 'critical',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { accounts } = (await api.read(consent, '/v1/accounts')).json<{ accounts: Account[] }>();
    for (const account of accounts) expect(account.resourceId, 'resourceId of a listed account').toBeTruthy();
  }),
);

test(
  ...check({
    id: 'ACC-003',
    title: 'withBalance=true adds balances to the listed accounts',
    reference: 'BG IG 1.3 §6.4.1 getAccountList withBalance ("might be ignored by the ASPSP")',
    severity: 'normal',
    requires: ['withBalance'],
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.read(consent, '/v1/accounts', { query: { withBalance: true } });
    expect(response.status).toBe(200);
    const { accounts } = response.json<{ accounts: Account[] }>();
    expect(
      accounts.some((a) => Array.isArray(a.balances) && a.balances.length > 0),
      'some account carries balances',
    ).toBe(true);
  }),
);

test(
  ...check({
    id: 'ACC-004',
    title: 'Without withBalance the list carries no balances',
    reference: 'BG IG 1.3 §6.4.1 getAccountList withBalance',
    severity: 'minor',
    obligation: 'SHOULD',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { accounts } = (await api.read(consent, '/v1/accounts')).json<{ accounts: Account[] }>();
    expect(accounts.filter((a) => a.balances !== undefined).map((a) => a.resourceId)).toEqual([]);
  }),
);

test(
  ...check({
    id: 'ACC-005',
    title: 'withBalance=false, given explicitly, is accepted and carries no balances',
    reference: 'BG IG 1.3 §6.4.1 getAccountList withBalance',
    severity: 'minor',
    obligation: 'SHOULD',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.read(consent, '/v1/accounts', { query: { withBalance: false } });
    expect(response.status).toBe(200);
    const { accounts } = response.json<{ accounts: Account[] }>();
    expect(accounts.filter((a) => a.balances !== undefined).map((a) => a.resourceId)).toEqual([]);
  }),
);

test(
  ...check({
    id: 'ACC-006',
    title: 'A bare ?withBalance without value is refused with 400 FORMAT_ERROR',
    reference: 'myPOS overview "Boolean values must be explicit"; BG IG 1.3 §4.13',
    severity: 'normal',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.read(consent, '/v1/accounts', { rawQuery: 'withBalance' });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ACC-007',
    title: 'Account details are read by the resourceId from the list',
    reference: 'BG IG 1.3 §6.4.2 readAccountDetails',
    severity: 'critical',
    operations: ['readAccountDetails'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { accounts } = (await api.read(consent, '/v1/accounts')).json<{ accounts: Account[] }>();
    const id = api.accountId(accounts[0]);
    const response = await api.read(consent, `/v1/accounts/${encodeURIComponent(id)}`);
    expect(response.status).toBe(200);
    expect(response.json<{ account: Account }>().account.resourceId ?? id).toBe(id);
  }),
);

test(
  ...check({
    id: 'ACC-008',
    title: 'Account details with withBalance=true carry balances',
    reference: 'BG IG 1.3 §6.4.2 withBalance ("might be ignored by the ASPSP")',
    severity: 'normal',
    requires: ['withBalance'],
    operations: ['readAccountDetails'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { accounts } = (await api.read(consent, '/v1/accounts')).json<{ accounts: Account[] }>();
    const id = api.accountId(accounts[0]);
    const response = await api.read(consent, `/v1/accounts/${encodeURIComponent(id)}`, {
      query: { withBalance: true },
    });
    expect(response.status).toBe(200);
    expect(response.json<{ account: Account }>().account.balances?.length ?? 0).toBeGreaterThan(0);
  }),
);

test(
  ...check({
    id: 'ACC-009',
    title: 'An unknown account is refused with RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
    severity: 'critical',
    operations: ['readAccountDetails'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.read(consent, '/v1/accounts/psd2-conformance-no-such-account');
    expectError(response, [400, 403, 404], ['RESOURCE_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'ACC-010',
    title: 'An account outside the consent is refused',
    reference: 'BG IG 1.3 §6.4; §14.11 CONSENT_INVALID',
    severity: 'blocker',
    operations: ['readAccountDetails'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['bankOfferedConsent'],
    needs: ['consent', 'sca'],
  })(async ({ api, sca, consent }) => {
    const all = (await api.read(consent, '/v1/accounts')).json<{ accounts: Account[] }>().accounts;
    const { consent: narrow } = await sca.authorisedConsent(undefined, 'first');
    const shared = new Set(
      (await api.read(narrow, '/v1/accounts'))
        .json<{ accounts: Account[] }>()
        .accounts.map((a) => api.accountId(a)),
    );
    const outside = all.find((a) => !shared.has(api.accountId(a)));
    expect(outside, 'the PSU has an account the narrow consent leaves out').toBeDefined();
    const response = await api.read(
      narrow,
      `/v1/accounts/${encodeURIComponent(api.accountId(outside))}/balances`,
    );
    expectError(response, [401, 403, 404], ['CONSENT_INVALID', 'RESOURCE_UNKNOWN', 'CONSENT_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'ACC-011',
    title: 'A read without Consent-ID is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 getAccountList Consent-ID required',
    severity: 'critical',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.send({ method: 'GET', url: '/v1/accounts', token: consent.accessToken });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ACC-012',
    title: 'A client_credentials token is refused on account information',
    reference: 'BG IG 1.3 §6; RFC 6750 §3.1',
    severity: 'blocker',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['consent', 'clientToken'],
  })(async ({ api, consent }) => {
    const response = await api.send({ method: 'GET', url: '/v1/accounts', consentId: consent.consentId });
    expectError(response, [401, 403], ['TOKEN_INVALID', 'CONSENT_INVALID', 'TOKEN_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'ACC-013',
    title: "A payment's access token is refused on account information",
    reference: 'BG IG 1.3 §6; RFC 6750 §3.1',
    severity: 'blocker',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['sepa-credit-transfers'],
    needs: ['consent', 'sca'],
  })(async ({ api, sca, consent }) => {
    const { created, paymentId } = await sca.createdPayment('sepa-credit-transfers');
    const run = await sca.runSca(sca.scaStartUrl(created, { paymentId }), 'approve');
    const tokens = await sca.exchangeCode(run);
    const response = await api.read(
      { consentId: consent.consentId, accessToken: tokens.accessToken },
      '/v1/accounts',
    );
    expectError(
      response,
      [401, 403],
      ['TOKEN_INVALID', 'CONSENT_INVALID', 'CONSENT_UNKNOWN', 'TOKEN_UNKNOWN'],
    );
  }),
);

test(
  ...check({
    id: 'ACC-014',
    title: 'The listed accounts link to balances or transactions that answer',
    reference: 'BG IG 1.3 §6.4.1 _links',
    severity: 'minor',
    obligation: 'SHOULD',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { accounts } = (await api.read(consent, '/v1/accounts')).json<{ accounts: Account[] }>();
    const links = accounts
      .flatMap((a) => [a._links?.balances?.href, a._links?.transactions?.href])
      .filter(Boolean);
    expect(links.length, 'accounts carry _links.balances or _links.transactions').toBeGreaterThan(0);
    const balances = accounts.map((a) => a._links?.balances?.href).find(Boolean);
    if (balances) expect((await api.read(consent, balances)).status).toBe(200);
  }),
);

test(
  ...check({
    id: 'ACC-015',
    title: "A consent's access token is refused on the accounts of another consent",
    reference:
      'BG IG 1.3 §6 (the PSU authorises the access of one consent); RFC 6750 §3.1 invalid_token; §14.11 TOKEN_INVALID, CONSENT_INVALID',
    severity: 'blocker',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['consent', 'sca'],
  })(async ({ api, sca, consent }) => {
    const { consent: other } = await sca.authorisedConsent();
    expect((await api.read(other, '/v1/accounts')).status, 'the other consent with its own token').toBe(200);
    const response = await api.read(
      { consentId: other.consentId, accessToken: consent.accessToken },
      '/v1/accounts',
    );
    expectError(
      response,
      [401, 403],
      ['TOKEN_INVALID', 'CONSENT_INVALID', 'CONSENT_UNKNOWN', 'TOKEN_UNKNOWN'],
    );
  }),
);

/** ISO 20022 ExternalCashAccountType1Code. */
const CASH_ACCOUNT_TYPES = [
  'CACC',
  'CARD',
  'CASH',
  'CHAR',
  'CISH',
  'COMM',
  'CPAC',
  'LLSV',
  'LOAN',
  'MGLD',
  'MOMA',
  'NFCA',
  'NREX',
  'ODFT',
  'ONDP',
  'OTHR',
  'SACC',
  'SLRY',
  'SVGS',
  'TAXE',
  'TRAN',
  'TRAS',
  'VACC',
];

interface ListedAccount extends Account {
  iban?: string;
  currency?: string;
  cashAccountType?: unknown;
  status?: unknown;
  usage?: unknown;
}

async function listedAccounts(api: Xs2aApi, consent: AuthorisedConsent): Promise<ListedAccount[]> {
  const response = await api.read(consent, '/v1/accounts', { psuInitiated: true });
  expect(response.status, response.body.slice(0, 200)).toBe(200);
  return api.accountsOf<ListedAccount>(response);
}

test(
  ...check({
    id: 'ACC-016',
    title: 'cashAccountType, where given, is an ISO 20022 ExternalCashAccountType1Code',
    reference: 'BG OpenAPI 1.3.12 cashAccountType ("ExternalCashAccountType1Code from ISO 20022")',
    severity: 'normal',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    for (const account of await listedAccounts(api, consent)) {
      if (account.cashAccountType === undefined) continue;
      expect(CASH_ACCOUNT_TYPES, `cashAccountType of ${api.accountId(account)}`).toContain(
        account.cashAccountType,
      );
    }
  }),
);

test(
  ...check({
    id: 'ACC-017',
    title: 'An account status, where given, is enabled, deleted or blocked',
    reference: 'BG OpenAPI 1.3.12 accountStatus',
    severity: 'normal',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    for (const account of await listedAccounts(api, consent)) {
      if (account.status === undefined) continue;
      expect(['enabled', 'deleted', 'blocked'], `status of ${api.accountId(account)}`).toContain(
        account.status,
      );
    }
  }),
);

test(
  ...check({
    id: 'ACC-018',
    title: 'An account usage, where given, is PRIV or ORGA',
    reference: 'BG OpenAPI 1.3.12 accountDetails usage',
    severity: 'minor',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    for (const account of await listedAccounts(api, consent)) {
      if (account.usage === undefined) continue;
      expect(['PRIV', 'ORGA'], `usage of ${api.accountId(account)}`).toContain(account.usage);
    }
  }),
);

test(
  ...check({
    id: 'ACC-019',
    title: 'Every listed IBAN carries valid check digits (ISO 13616, mod 97)',
    reference: 'BG OpenAPI 1.3.12 iban; ISO 13616-1',
    severity: 'normal',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    for (const account of await listedAccounts(api, consent)) {
      if (account.iban === undefined) continue;
      expect(ibanChecksumValid(account.iban), `IBAN ${account.iban} of ${api.accountId(account)}`).toBe(true);
    }
  }),
);

test(
  ...check({
    id: 'ACC-020',
    title: 'The details of each listed account describe that account: same resourceId, IBAN and currency',
    reference: 'BG IG 1.3 §6.4.2 readAccountDetails',
    severity: 'critical',
    operations: ['readAccountDetails'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    for (const listed of await listedAccounts(api, consent)) {
      const id = api.accountId(listed);
      const response = await api.read(consent, `/v1/accounts/${encodeURIComponent(id)}`, {
        psuInitiated: true,
      });
      expect(response.status, `details of ${id}`).toBe(200);
      const details = response.json<{ account?: ListedAccount }>().account;
      expect(
        { resourceId: details?.resourceId, iban: details?.iban, currency: details?.currency },
        `details of ${id}`,
      ).toEqual({ resourceId: listed.resourceId, iban: listed.iban, currency: listed.currency });
    }
  }),
);

/** ISO 13616: the IBAN with its first four characters moved to the end, letters as numbers, mod 97 is 1. */
function ibanChecksumValid(iban: string): boolean {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/.test(iban)) return false;
  const digits = `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
}

test(
  ...check({
    id: 'ACC-030',
    title: 'Every listed account carries an account identifier (iban, bban, pan, maskedPan or msisdn)',
    reference:
      'BG OpenAPI 1.3.12 accountDetails ("The ASPSP shall give at least one of the account reference identifiers")',
    severity: 'critical',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const identifiers = ['iban', 'bban', 'pan', 'maskedPan', 'msisdn'];
    for (const account of await listedAccounts(api, consent)) {
      const given = identifiers.filter((k) => (account as Record<string, unknown>)[k] !== undefined);
      expect(given, `identifiers of ${api.accountId(account)}`).not.toEqual([]);
    }
  }),
);

test(
  ...check({
    id: 'ACC-031',
    title: 'Every account currency is an ISO 4217 code (XXX for a multi-currency account)',
    reference:
      'BG OpenAPI 1.3.12 accountDetails currency ("If the account is a multicurrency account currency code in XXX"); ISO 4217',
    severity: 'normal',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    for (const account of await listedAccounts(api, consent))
      expect(String(account.currency), `currency of ${api.accountId(account)}`).toMatch(/^[A-Z]{3}$/);
  }),
);
