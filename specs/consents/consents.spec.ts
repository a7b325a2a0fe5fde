import { expect } from '@playwright/test';
import { check } from '../../src/checks/check.ts';
import { consentBody, isoDay } from '../../src/suite/api.ts';
import { expectError } from '../../src/suite/expect-error.ts';
import type { TppSession } from '../../src/suite/session.ts';

const DETAILED = consentBody({ recurringIndicator: false, validUntil: isoDay(30), frequencyPerDay: 7 });

check('CON-001', async ({ api }) => {
  expect((await api.createConsent()).status).toBe(201);
});

check('CON-002', async ({ api }) => {
  const response = await api.createConsent();
  expect(response.json<{ consentStatus?: string }>().consentStatus).toBe('received');
});

check('CON-003', async ({ api }) => {
  const response = await api.createConsent();
  expect(response.header('location'), 'Location header').toBeTruthy();
});

check('CON-004', async ({ api }) => {
  const response = await api.createConsent();
  const location = response.header('location');
  expect(location, 'Location header').toBeTruthy();
  const { consentId } = response.json<{ consentId: string }>();
  expect(location ?? '', 'Location names the consent').toContain(consentId);
  expect((await api.get(location ?? '')).status, 'GET on the Location').toBe(200);
});

check('CON-005', async ({ api }) => {
  const response = await api.createConsent();
  expect(response.header('aspsp-sca-approach')).toBe('REDIRECT');
});

check('CON-006', async ({ api, sca }) => {
  const response = await api.createConsent();
  const url = sca.scaStartUrl(response, { consentId: response.json<{ consentId: string }>().consentId });
  expect(url).toMatch(/^https:\/\//);
});

check('CON-007', async ({ api }) => {
  const response = await api.createConsent();
  expect(typeof response.json<{ consentId?: unknown }>().consentId).toBe('string');
  expect(response.json<{ consentId: string }>().consentId.length).toBeGreaterThan(0);
});

check('CON-008', async ({ api }) => {
  const { consentId } = (await api.createConsent(DETAILED)).json<{ consentId: string }>();
  const response = await api.get(`/v1/consents/${encodeURIComponent(consentId)}`);
  expect(response.status).toBe(200);
  const body = response.json<Record<string, unknown>>();
  expect({
    recurringIndicator: body.recurringIndicator,
    validUntil: body.validUntil,
    frequencyPerDay: body.frequencyPerDay,
  }).toEqual({
    recurringIndicator: DETAILED.recurringIndicator,
    validUntil: DETAILED.validUntil,
    frequencyPerDay: DETAILED.frequencyPerDay,
  });
});

check('CON-009', async ({ api }) => {
  const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
  const body = (await api.get(`/v1/consents/${encodeURIComponent(consentId)}`)).json<{
    lastActionDate?: string;
  }>();
  expect(body.lastActionDate ?? '').toMatch(/^\d{4}-\d{2}-\d{2}$/);
});

check('CON-010', async ({ api }) => {
  const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
  const response = await api.get(`/v1/consents/${encodeURIComponent(consentId)}/status`);
  expect(response.status).toBe(200);
  expect(response.json<{ consentStatus?: string }>().consentStatus).toBe('received');
});

check('CON-011', async ({ api, sca }) => {
  const { consent } = await sca.authorisedConsent();
  const response = await api.send({
    method: 'DELETE',
    url: `/v1/consents/${encodeURIComponent(consent.consentId)}`,
  });
  expect(response.status).toBe(204);
});

check('CON-012', async ({ api, sca }) => {
  const { consent } = await sca.authorisedConsent();
  await api.send({ method: 'DELETE', url: `/v1/consents/${encodeURIComponent(consent.consentId)}` });
  const response = await api.get(`/v1/consents/${encodeURIComponent(consent.consentId)}/status`);
  expect(response.json<{ consentStatus?: string }>().consentStatus).toBe('terminatedByTpp');
});

for (const [id, read] of [
  ['CON-013', (_accountId: string) => '/v1/accounts'],
  ['CON-014', (accountId: string) => `/v1/accounts/${encodeURIComponent(accountId)}/balances`],
  [
    'CON-015',
    (accountId: string) =>
      `/v1/accounts/${encodeURIComponent(accountId)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-30)}`,
  ],
] as const) {
  check(id, async ({ api, sca }) => {
    const { consent } = await sca.authorisedConsent();
    const accounts = (await api.read(consent, '/v1/accounts')).json<{
      accounts: { resourceId?: string; accountNumber?: string }[];
    }>().accounts;
    expect(
      (await api.send({ method: 'DELETE', url: `/v1/consents/${encodeURIComponent(consent.consentId)}` }))
        .status,
    ).toBeLessThan(300);
    const response = await api.read(consent, read(api.accountId(accounts[0])));
    expectError(
      response,
      [401, 403],
      ['CONSENT_INVALID', 'CONSENT_EXPIRED', 'CONSENT_UNKNOWN', 'TOKEN_INVALID'],
    );
  });
}

check('CON-016', async ({ api, sca }) => {
  const { consent } = await sca.authorisedConsent(consentBody({ frequencyPerDay: 2 }));
  const { accounts } = (await api.read(consent, '/v1/accounts', { psuInitiated: true })).json<{
    accounts: { resourceId?: string; accountNumber?: string }[];
  }>();
  const url = `/v1/accounts/${encodeURIComponent(api.accountId(accounts[0]))}/balances`;
  for (let i = 0; i < 2; i++)
    expect((await api.read(consent, url)).status, `TPP-initiated read ${i + 1} of 2`).toBe(200);
  expectError(await api.read(consent, url), 429, ['ACCESS_EXCEEDED']);
});

check('CON-017', async ({ api, sca }) => {
  const { consent } = await sca.authorisedConsent(consentBody({ frequencyPerDay: 1 }));
  const { accounts } = (await api.read(consent, '/v1/accounts', { psuInitiated: true })).json<{
    accounts: { resourceId?: string; accountNumber?: string }[];
  }>();
  const url = `/v1/accounts/${encodeURIComponent(api.accountId(accounts[0]))}/balances`;
  for (let i = 0; i < 3; i++) {
    expect((await api.read(consent, url, { psuInitiated: true })).status, `PSU-initiated read ${i + 1}`).toBe(
      200,
    );
  }
});

check('CON-018', async ({ api, tpp }) => {
  const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
  const other = otherTppApi(tpp);
  const token = await api.token((oauth) => oauth.clientCredentials(), other.oauth);
  const response = await api.send({
    method: 'GET',
    url: `/v1/consents/${encodeURIComponent(consentId)}`,
    token: token.tokens?.accessToken ?? null,
    via: other.http,
  });
  expectError(response, [401, 403], ['CONSENT_UNKNOWN']);
});

check('CON-019', async ({ api, tpp, consent }) => {
  const other = otherTppApi(tpp);
  const token = await api.token((oauth) => oauth.clientCredentials(), other.oauth);
  const response = await api.send({
    method: 'GET',
    url: '/v1/accounts',
    token: token.tokens?.accessToken ?? null,
    consentId: consent.consentId,
    via: other.http,
  });
  expectError(response, [401, 403], ['CONSENT_UNKNOWN']);
});

check('CON-020', async ({ api }) => {
  expectError(await api.createConsent(consentBody({ validUntil: isoDay(-1) })), 400, [
    'FORMAT_ERROR',
    'PERIOD_INVALID',
    'TIMESTAMP_INVALID',
  ]);
});

check('CON-021', async ({ api }) => {
  const { access: _access, ...withoutAccess } = consentBody();
  expectError(await api.createConsent(withoutAccess), 400, ['FORMAT_ERROR']);
});

check('CON-022', async ({ api }) => {
  expectError(await api.createConsent(consentBody({ frequencyPerDay: 0 })), 400, ['FORMAT_ERROR']);
});

check('CON-023', async ({ api }) => {
  const response = await api.get('/v1/consents/psd2-conformance-no-such-consent/status');
  expectError(response, [400, 403, 404], ['CONSENT_UNKNOWN', 'RESOURCE_UNKNOWN']);
});

check('CON-024', async ({ api }) => {
  const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
  const response = await api.send({
    method: 'POST',
    url: `/v1/consents/${encodeURIComponent(consentId)}/authorisations`,
    headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
    psuInitiated: true,
  });
  expect(response.status).toBe(201);
  const body = response.json<{ authorisationId?: string; scaStatus?: string }>();
  expect(body.authorisationId).toBeTruthy();
  expect(body.scaStatus).toBe('received');
});

check('CON-025', async ({ api }) => {
  const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
  const response = await api.get(`/v1/consents/${encodeURIComponent(consentId)}/authorisations`);
  expect(response.status).toBe(200);
  expect(Array.isArray(response.json<{ authorisationIds?: unknown }>().authorisationIds)).toBe(true);
});

check('CON-026', async ({ api, tpp }) => {
  const expired = tpp.settings.fixtures.expiredConsent;
  const response = await api.read(
    { consentId: expired?.consentId ?? '', accessToken: expired?.accessToken ?? '' },
    '/v1/accounts',
  );
  expectError(response, 401, ['CONSENT_EXPIRED']);
});

check('CON-027', async ({ api }) => {
  const response = await api.createConsent(
    consentBody({ access: { accounts: [], balances: [], transactions: [] } }),
  );
  expect(response.status).toBe(201);
});

function otherTppApi(tpp: TppSession) {
  const other = tpp.otherTpp();
  if (!other) throw new Error('no otherTpp configured');
  return other;
}
