import { expect } from '@playwright/test';
import { check } from '../../src/checks/check.ts';
import { expectError } from '../../src/suite/expect-error.ts';

interface Account {
  resourceId?: string;
  accountNumber?: string;
  balances?: unknown[];
  _links?: Record<string, { href?: string }>;
}

check('ACC-001', async ({ api, consent }) => {
  const response = await api.read(consent, '/v1/accounts');
  expect(response.status).toBe(200);
  expect(response.json<{ accounts: Account[] }>().accounts.length).toBeGreaterThan(0);
});

check('ACC-002', async ({ api, consent }) => {
  const { accounts } = (await api.read(consent, '/v1/accounts')).json<{ accounts: Account[] }>();
  for (const account of accounts) expect(account.resourceId, 'resourceId of a listed account').toBeTruthy();
});

check('ACC-003', async ({ api, consent }) => {
  const response = await api.read(consent, '/v1/accounts', { query: { withBalance: true } });
  expect(response.status).toBe(200);
  const { accounts } = response.json<{ accounts: Account[] }>();
  expect(
    accounts.some((a) => Array.isArray(a.balances) && a.balances.length > 0),
    'some account carries balances',
  ).toBe(true);
});

check('ACC-004', async ({ api, consent }) => {
  const { accounts } = (await api.read(consent, '/v1/accounts')).json<{ accounts: Account[] }>();
  expect(accounts.filter((a) => a.balances !== undefined).map((a) => a.resourceId)).toEqual([]);
});

check('ACC-005', async ({ api, consent }) => {
  const response = await api.read(consent, '/v1/accounts', { query: { withBalance: false } });
  expect(response.status).toBe(200);
  const { accounts } = response.json<{ accounts: Account[] }>();
  expect(accounts.filter((a) => a.balances !== undefined).map((a) => a.resourceId)).toEqual([]);
});

check('ACC-006', async ({ api, consent }) => {
  const response = await api.read(consent, '/v1/accounts', { rawQuery: 'withBalance' });
  expectError(response, 400, ['FORMAT_ERROR']);
});

check('ACC-007', async ({ api, consent }) => {
  const { accounts } = (await api.read(consent, '/v1/accounts')).json<{ accounts: Account[] }>();
  const id = api.accountId(accounts[0]);
  const response = await api.read(consent, `/v1/accounts/${encodeURIComponent(id)}`);
  expect(response.status).toBe(200);
  expect(response.json<{ account: Account }>().account.resourceId ?? id).toBe(id);
});

check('ACC-008', async ({ api, consent }) => {
  const { accounts } = (await api.read(consent, '/v1/accounts')).json<{ accounts: Account[] }>();
  const id = api.accountId(accounts[0]);
  const response = await api.read(consent, `/v1/accounts/${encodeURIComponent(id)}`, {
    query: { withBalance: true },
  });
  expect(response.status).toBe(200);
  expect(response.json<{ account: Account }>().account.balances?.length ?? 0).toBeGreaterThan(0);
});

check('ACC-009', async ({ api, consent }) => {
  const response = await api.read(consent, '/v1/accounts/psd2-conformance-no-such-account');
  expectError(response, [400, 403, 404], ['RESOURCE_UNKNOWN']);
});

check('ACC-010', async ({ api, sca, consent }) => {
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
});

check('ACC-011', async ({ api, consent }) => {
  const response = await api.send({ method: 'GET', url: '/v1/accounts', token: consent.accessToken });
  expectError(response, 400, ['FORMAT_ERROR']);
});

check('ACC-012', async ({ api, consent }) => {
  const response = await api.send({ method: 'GET', url: '/v1/accounts', consentId: consent.consentId });
  expectError(response, [401, 403], ['TOKEN_INVALID', 'CONSENT_INVALID', 'TOKEN_UNKNOWN']);
});

check('ACC-013', async ({ api, sca, consent }) => {
  const { created, paymentId } = await sca.createdPayment('sepa-credit-transfers');
  const run = await sca.runSca(sca.scaStartUrl(created, { paymentId }), 'approve');
  const tokens = await sca.exchangeCode(run);
  const response = await api.read(
    { consentId: consent.consentId, accessToken: tokens.accessToken },
    '/v1/accounts',
  );
  expectError(response, [401, 403], ['TOKEN_INVALID', 'CONSENT_INVALID', 'CONSENT_UNKNOWN', 'TOKEN_UNKNOWN']);
});

check('ACC-014', async ({ api, consent }) => {
  const { accounts } = (await api.read(consent, '/v1/accounts')).json<{ accounts: Account[] }>();
  const links = accounts
    .flatMap((a) => [a._links?.balances?.href, a._links?.transactions?.href])
    .filter(Boolean);
  expect(links.length, 'accounts carry _links.balances or _links.transactions').toBeGreaterThan(0);
  const balances = accounts.map((a) => a._links?.balances?.href).find(Boolean);
  if (balances) expect((await api.read(consent, balances)).status).toBe(200);
});
