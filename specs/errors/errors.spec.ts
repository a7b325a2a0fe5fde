import { expect } from '@playwright/test';
import { check } from '../../src/checks/check.ts';
import { consentBody } from '../../src/suite/api.ts';
import { errorCodes, expectError } from '../../src/suite/expect-error.ts';

const CODES_403_AIS = ['CONSENT_UNKNOWN', 'SERVICE_BLOCKED', 'RESOURCE_UNKNOWN', 'RESOURCE_EXPIRED'];
const CODES_4XX_AIS = [
  ...CODES_403_AIS,
  'FORMAT_ERROR',
  'PARAMETER_NOT_CONSISTENT',
  'PARAMETER_NOT_SUPPORTED',
  'SERVICE_INVALID',
  'RESOURCE_BLOCKED',
  'TIMESTAMP_INVALID',
  'PERIOD_INVALID',
  'SCA_METHOD_UNKNOWN',
  'SCA_INVALID',
  'SESSIONS_NOT_SUPPORTED',
];

check('ERR-001', async ({ api }) => {
  const response = await api.send({
    method: 'POST',
    url: '/v1/consents',
    json: consentBody(),
    requestId: false,
    psuInitiated: true,
    headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
  });
  expectError(response, 400, ['FORMAT_ERROR']);
});

check('ERR-002', async ({ api }) => {
  const response = await api.createConsent();
  expect(response.status).toBe(201);
  expect(response.header('x-request-id')).toBe(response.requestId);
});

check('ERR-003', async ({ api }) => {
  const response = await api.get('/v1/consents/psd2-conformance-no-such-consent/status');
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.header('x-request-id')).toBe(response.requestId);
});

check('ERR-004', async ({ api, consent }) => {
  const response = await api.read(
    { consentId: consent.consentId, accessToken: 'psd2-conformance-unknown-token' },
    '/v1/accounts',
  );
  expectError(response, 401, ['TOKEN_INVALID', 'TOKEN_UNKNOWN']);
});

check('ERR-005', async ({ api }) => {
  const response = await api.createConsent(consentBody(), { token: null });
  expect(response.status).toBe(401);
});

check('ERR-006', async ({ api }) => {
  const response = await api.get('/v1/consents/psd2-conformance-no-such-consent/status');
  expect([400, 403, 404]).toContain(response.status);
  const body = response.json<{
    tppMessages?: { category?: string; code?: string }[];
    type?: string;
    code?: string;
  }>();
  const codes = errorCodes(response);
  expect(
    codes.length,
    `an error code in tppMessages or RFC 7807 code: ${response.body.slice(0, 200)}`,
  ).toBeGreaterThan(0);
  if (body.tppMessages) for (const m of body.tppMessages) expect(['ERROR', 'WARNING']).toContain(m.category);
  const allowed =
    response.status === 403 ? CODES_403_AIS : response.status === 404 ? ['RESOURCE_UNKNOWN'] : CODES_4XX_AIS;
  for (const code of codes) expect(allowed, `code ${code} on HTTP ${response.status}`).toContain(code);
});

check('ERR-007', async ({ api }) => {
  expect((await api.get('/v1/psd2-conformance-nothing-here')).status).toBe(404);
});

check('ERR-008', async ({ api, consent }) => {
  expect((await api.read(consent, '/v1/accounts', { headers: { accept: 'application/xml' } })).status).toBe(
    406,
  );
});

check('ERR-009', async ({ api }) => {
  const response = await api.send({
    method: 'POST',
    url: '/v1/consents',
    body: '{"access": {',
    headers: {
      'content-type': 'application/json',
      'tpp-redirect-uri': api.session.settings.client.redirectUri,
    },
    psuInitiated: true,
  });
  expectError(response, 400, ['FORMAT_ERROR']);
});

check('ERR-010', async ({ api }) => {
  const response = await api.send({
    method: 'POST',
    url: '/v1/consents',
    body: JSON.stringify(consentBody()),
    headers: { 'content-type': 'text/plain', 'tpp-redirect-uri': api.session.settings.client.redirectUri },
    psuInitiated: true,
  });
  expect(response.status).toBe(415);
});

check('ERR-011', async ({ api }) => {
  const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
  const response = await api.send({
    method: 'PUT',
    url: `/v1/consents/${encodeURIComponent(consentId)}`,
    json: {},
  });
  expect(response.status).toBe(405);
});

check('ERR-012', async ({ api }) => {
  const response = await api.send({
    method: 'POST',
    url: '/v1/consents',
    json: consentBody(),
    headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
  });
  expectError(response, 400, ['FORMAT_ERROR']);
});
