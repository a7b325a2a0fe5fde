import { expect } from '@playwright/test';
import { check } from '../../src/checks/check.ts';
import { isoDay, type Xs2aApi } from '../../src/suite/api.ts';
import { expectError } from '../../src/suite/expect-error.ts';
import type { AuthorisedConsent } from '../../src/suite/flows.ts';

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

check('CRD-001', async ({ api, consent }) => {
  const response = await api.read(consent, '/v1/card-accounts');
  expect(response.status).toBe(200);
  const list = response.json<{ cardAccounts?: CardAccount[] }>().cardAccounts;
  expect(Array.isArray(list), 'the body holds cardAccounts').toBe(true);
  expect(list?.length ?? 0).toBeGreaterThan(0);
});

check('CRD-002', async ({ api, consent }) => {
  for (const card of await cards(api, consent)) {
    expect(card.maskedPan, `maskedPan of ${api.accountId(card)}`).toBeTruthy();
    expect(card.currency, `currency of ${api.accountId(card)}`).toMatch(/^[A-Z]{3}$/);
  }
});

check('CRD-003', async ({ api, consent }) => {
  const id = await firstCard(api, consent);
  const response = await api.read(consent, `/v1/card-accounts/${id}`);
  expect(response.status).toBe(200);
  expect(
    response.json<{ cardAccount?: CardAccount }>().cardAccount?.maskedPan,
    'cardAccount.maskedPan',
  ).toBeTruthy();
});

check('CRD-004', async ({ api, consent }) => {
  const id = await firstCard(api, consent);
  const response = await api.read(consent, `/v1/card-accounts/${id}/balances`);
  expect(response.status).toBe(200);
  expect(response.json<{ balances?: unknown[] }>().balances?.length ?? 0).toBeGreaterThan(0);
});

check('CRD-005', async ({ api, consent }) => {
  const id = await firstCard(api, consent);
  const response = await api.read(consent, `/v1/card-accounts/${id}/transactions`, {
    query: { bookingStatus: 'booked', dateFrom: isoDay(-365), dateTo: isoDay(0) },
  });
  expect(response.status).toBe(200);
  const report = response.json<{ cardTransactions?: { booked?: unknown[]; pending?: unknown[] } }>()
    .cardTransactions;
  expect(report?.booked?.length ?? 0, 'booked card transactions').toBeGreaterThan(0);
  expect(report?.pending ?? [], 'no pending card transactions for bookingStatus=booked').toEqual([]);
});

check('CRD-006', async ({ api, consent }) => {
  const response = await api.read(consent, '/v1/card-accounts/psd2-conformance-no-such-card');
  expectError(response, [400, 403, 404], ['RESOURCE_UNKNOWN']);
});

check('CRD-007', async ({ api, consent }) => {
  const id = await firstCard(api, consent);
  const response = await api.read(consent, `/v1/card-accounts/${id}/transactions`, {
    query: { bookingStatus: 'both', dateFrom: isoDay(-365), dateTo: isoDay(0) },
  });
  const links = response.json<{ cardTransactions?: { _links?: Record<string, { href?: string }> } }>()
    .cardTransactions?._links;
  expect(links?.cardAccount?.href, '_links.cardAccount.href').toBeTruthy();
});
