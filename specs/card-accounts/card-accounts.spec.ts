import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { AMOUNT_VALUE, BALANCE_TYPES } from '../../src/harness/berlin-group-formats.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import { isoDay } from '../../src/harness/test-data.ts';
import type { AuthorisedConsent } from '../../src/sca/flows.ts';
import type { Xs2aApi } from '../../src/xs2a/api.ts';

const check = checksOf('Card accounts');

interface CardAccount {
  resourceId?: string;
  accountNumber?: string;
  maskedPan?: string;
  currency?: string;
}

async function cards(api: Xs2aApi, consent: AuthorisedConsent): Promise<CardAccount[]> {
  const response = await api.read(consent, '/v1/card-accounts');
  expect(response.status).toBe(200);
  return api.accountsOf<CardAccount>(response, 'cardAccounts');
}

async function firstCard(api: Xs2aApi, consent: AuthorisedConsent): Promise<string> {
  const list = await cards(api, consent);
  expect(list.length, 'the consent covers a card account').toBeGreaterThan(0);
  return encodeURIComponent(api.accountId(list[0]));
}

test(
  ...check({
    id: 'CRD-001',
    title: 'GET /v1/card-accounts lists cardAccounts',
    reference: 'BG IG 1.3 §6.7.1 getCardAccountList',
    severity: 'critical',
    operations: ['getCardAccountList'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.read(consent, '/v1/card-accounts');
    expect(response.status).toBe(200);
    const list = response.json<{ cardAccounts?: CardAccount[] }>().cardAccounts;
    expect(Array.isArray(list), 'the body holds cardAccounts').toBe(true);
    expect(list?.length ?? 0).toBeGreaterThan(0);
  }),
);

test(
  ...check({
    id: 'CRD-002',
    title: 'Every card account has a maskedPan and a currency',
    reference: 'BG OpenAPI 1.3.12 cardAccountDetails',
    severity: 'critical',
    operations: ['getCardAccountList'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    for (const card of await cards(api, consent)) {
      expect(card.maskedPan, `maskedPan of ${api.accountId(card)}`).toBeTruthy();
      expect(card.currency, `currency of ${api.accountId(card)}`).toMatch(/^[A-Z]{3}$/);
    }
  }),
);

test(
  ...check({
    id: 'CRD-003',
    title: 'Card account details are read by resourceId',
    reference: 'BG IG 1.3 §6.7.2 readCardAccountDetails',
    severity: 'normal',
    operations: ['readCardAccountDetails'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const id = await firstCard(api, consent);
    const response = await api.read(consent, `/v1/card-accounts/${id}`);
    expect(response.status).toBe(200);
    expect(
      response.json<{ cardAccount?: CardAccount }>().cardAccount?.maskedPan,
      'cardAccount.maskedPan',
    ).toBeTruthy();
  }),
);

test(
  ...check({
    id: 'CRD-004',
    title: 'Card account balances are read',
    reference: 'BG IG 1.3 §6.7.3 getCardAccountBalances',
    severity: 'normal',
    operations: ['getCardAccountBalances'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const id = await firstCard(api, consent);
    const response = await api.read(consent, `/v1/card-accounts/${id}/balances`);
    expect(response.status).toBe(200);
    expect(response.json<{ balances?: unknown[] }>().balances?.length ?? 0).toBeGreaterThan(0);
  }),
);

test(
  ...check({
    id: 'CRD-005',
    title: 'Card transactions are read for bookingStatus=booked',
    reference: 'BG IG 1.3 §6.7.4 getCardAccountTransactionList',
    severity: 'normal',
    operations: ['getCardAccountTransactionList'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const id = await firstCard(api, consent);
    const response = await api.read(consent, `/v1/card-accounts/${id}/transactions`, {
      query: { bookingStatus: 'booked', dateFrom: isoDay(-365), dateTo: isoDay(0) },
    });
    expect(response.status).toBe(200);
    const report = response.json<{ cardTransactions?: { booked?: unknown[]; pending?: unknown[] } }>()
      .cardTransactions;
    expect(report?.booked?.length ?? 0, 'booked card transactions').toBeGreaterThan(0);
    expect(report?.pending ?? [], 'no pending card transactions for bookingStatus=booked').toEqual([]);
  }),
);

test(
  ...check({
    id: 'CRD-006',
    title: 'An unknown card account is refused with RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
    severity: 'minor',
    operations: ['readCardAccountDetails'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.read(consent, '/v1/card-accounts/psd2-conformance-no-such-card');
    expectError(response, [400, 403, 404], ['RESOURCE_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'CRD-007',
    title: 'The card transaction report links back to its card account',
    reference: 'BG OpenAPI 1.3.12 _linksCardAccountReport',
    severity: 'normal',
    operations: ['getCardAccountTransactionList'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const id = await firstCard(api, consent);
    const response = await api.read(consent, `/v1/card-accounts/${id}/transactions`, {
      query: { bookingStatus: 'both', dateFrom: isoDay(-365), dateTo: isoDay(0) },
    });
    const links = response.json<{ cardTransactions?: { _links?: Record<string, { href?: string }> } }>()
      .cardTransactions?._links;
    expect(links?.cardAccount?.href, '_links.cardAccount.href').toBeTruthy();
  }),
);

interface CardBalance {
  balanceType?: unknown;
  balanceAmount?: { amount?: unknown };
  creditLimitIncluded?: unknown;
}
interface CardEntry {
  cardTransactionId?: string;
  bookingDate?: string;
  transactionAmount?: { amount?: unknown };
}

async function cardBalances(api: Xs2aApi, consent: AuthorisedConsent): Promise<CardBalance[]> {
  const response = await api.read(consent, `/v1/card-accounts/${await firstCard(api, consent)}/balances`);
  expect(response.status, response.body.slice(0, 200)).toBe(200);
  return response.json<{ balances?: CardBalance[] }>().balances ?? [];
}

async function cardTransactions(api: Xs2aApi, consent: AuthorisedConsent, query: Record<string, string>) {
  return api.read(consent, `/v1/card-accounts/${await firstCard(api, consent)}/transactions`, { query });
}

test(
  ...check({
    id: 'CRD-008',
    title: 'A card transaction read without bookingStatus is refused with 400',
    reference: 'BG OpenAPI 1.3.12 getCardAccountTransactionList bookingStatus (required)',
    severity: 'normal',
    operations: ['getCardAccountTransactionList'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await cardTransactions(api, consent, { dateFrom: isoDay(-30) });
    expectError(response, 400, ['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED']);
  }),
);

test(
  ...check({
    id: 'CRD-009',
    title: 'bookingStatus=information, not offered for card accounts, is refused with 400',
    reference:
      'BG OpenAPI 1.3.12 getCardAccountTransactionList bookingStatus (bookingStatusCard: booked, pending, both)',
    severity: 'minor',
    operations: ['getCardAccountTransactionList'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await cardTransactions(api, consent, { bookingStatus: 'information' });
    expectError(response, 400, ['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED']);
  }),
);

test(
  ...check({
    id: 'CRD-010',
    title: 'Card transactions with dateFrom after dateTo are refused with 400',
    reference: 'BG IG 1.3 §6.7.4 getCardAccountTransactionList; §14.11 PERIOD_INVALID',
    severity: 'normal',
    operations: ['getCardAccountTransactionList'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await cardTransactions(api, consent, {
      bookingStatus: 'booked',
      dateFrom: isoDay(-1),
      dateTo: isoDay(-30),
    });
    expectError(response, 400, ['PERIOD_INVALID', 'FORMAT_ERROR', 'PARAMETER_NOT_CONSISTENT']);
  }),
);

test(
  ...check({
    id: 'CRD-011',
    title: 'Every card account balance has a balanceType from the Berlin Group list',
    reference: 'BG OpenAPI 1.3.12 balance balanceType; getCardAccountBalances',
    severity: 'normal',
    operations: ['getCardAccountBalances'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const balances = await cardBalances(api, consent);
    expect(balances.length, 'card balances reported').toBeGreaterThan(0);
    for (const balance of balances)
      expect(BALANCE_TYPES, `balanceType ${String(balance.balanceType)}`).toContain(balance.balanceType);
  }),
);

test(
  ...check({
    id: 'CRD-012',
    title: 'Card balance and card transaction amounts are decimal strings, not JSON numbers',
    reference: 'BG OpenAPI 1.3.12 amountValue; getCardAccountBalances; getCardAccountTransactionList',
    severity: 'normal',
    operations: ['getCardAccountBalances', 'getCardAccountTransactionList'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await cardTransactions(api, consent, {
      bookingStatus: 'booked',
      dateFrom: isoDay(-365),
      dateTo: isoDay(0),
    });
    expect(response.status).toBe(200);
    const entries =
      response.json<{ cardTransactions?: { booked?: CardEntry[] } }>().cardTransactions?.booked ?? [];
    const amounts = [
      ...(await cardBalances(api, consent)).map((b) => b.balanceAmount?.amount),
      ...entries.map((t) => t.transactionAmount?.amount),
    ];
    expect(amounts.length, 'card amounts reported').toBeGreaterThan(0);
    const malformed = amounts.filter((a) => typeof a !== 'string' || !AMOUNT_VALUE.test(a));
    expect(
      malformed.map((a) => JSON.stringify(a)),
      'amounts that are not decimal strings',
    ).toEqual([]);
  }),
);

test(
  ...check({
    id: 'CRD-013',
    title: 'Balances of an unknown card account are refused with RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §6.7.3 getCardAccountBalances; §14.11 RESOURCE_UNKNOWN',
    severity: 'minor',
    operations: ['getCardAccountBalances'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.read(consent, '/v1/card-accounts/psd2-conformance-no-such-card/balances');
    expectError(response, [400, 403, 404], ['RESOURCE_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'CRD-014',
    title: 'Booked card transactions lie within dateFrom and dateTo',
    reference: 'BG IG 1.3 §6.7.4 getCardAccountTransactionList dateFrom, dateTo',
    severity: 'normal',
    operations: ['getCardAccountTransactionList'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const dateFrom = isoDay(-60);
    const dateTo = isoDay(-10);
    const response = await cardTransactions(api, consent, { bookingStatus: 'booked', dateFrom, dateTo });
    expect(response.status).toBe(200);
    const outside = (
      response.json<{ cardTransactions?: { booked?: CardEntry[] } }>().cardTransactions?.booked ?? []
    )
      .filter((t) => t.bookingDate !== undefined && (t.bookingDate < dateFrom || t.bookingDate > dateTo))
      .map((t) => `${t.cardTransactionId} booked ${t.bookingDate}`);
    expect(outside, `card transactions outside ${dateFrom}..${dateTo}`).toEqual([]);
  }),
);

test(
  ...check({
    id: 'CRD-015',
    title: 'creditLimitIncluded of a card balance, where given, is a boolean',
    reference: 'BG OpenAPI 1.3.12 balance creditLimitIncluded (boolean)',
    severity: 'minor',
    operations: ['getCardAccountBalances'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    for (const balance of await cardBalances(api, consent)) {
      if (balance.creditLimitIncluded === undefined) continue;
      expect(
        typeof balance.creditLimitIncluded,
        `creditLimitIncluded ${JSON.stringify(balance.creditLimitIncluded)}`,
      ).toBe('boolean');
    }
  }),
);
