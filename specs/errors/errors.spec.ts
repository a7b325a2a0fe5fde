import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { errorCodes, expectError } from '../../src/harness/expect-error.ts';
import { consentBody } from '../../src/harness/test-data.ts';

const check = checksOf('Errors');

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

test(
  ...check({
    id: 'ERR-001',
    title: 'A request without X-Request-ID is refused with 400 FORMAT_ERROR',
    reference: 'BG IG 1.3 §4.7 X-Request-ID; §14.11 FORMAT_ERROR',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const response = await api.send({
      method: 'POST',
      url: '/v1/consents',
      json: consentBody(),
      requestId: false,
      psuInitiated: true,
      headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
    });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-002',
    title: "A success response echoes the request's X-Request-ID",
    reference: 'BG IG 1.3 §4.7 X-Request-ID',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const response = await api.createConsent();
    expect(response.status).toBe(201);
    expect(response.header('x-request-id')).toBe(response.requestId);
  }),
);

test(
  ...check({
    id: 'ERR-003',
    title: "An error response echoes the request's X-Request-ID",
    reference: 'BG IG 1.3 §4.7 X-Request-ID',
    severity: 'critical',
    operations: ['getConsentStatus'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const response = await api.get('/v1/consents/psd2-conformance-no-such-consent/status');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.header('x-request-id')).toBe(response.requestId);
  }),
);

test(
  ...check({
    id: 'ERR-004',
    title: 'An unknown access token is refused with 401',
    reference: 'BG IG 1.3 §14.11 TOKEN_INVALID; RFC 6750 §3.1',
    severity: 'blocker',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.read(
      { consentId: consent.consentId, accessToken: 'psd2-conformance-unknown-token' },
      '/v1/accounts',
    );
    expectError(response, 401, ['TOKEN_INVALID', 'TOKEN_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'ERR-005',
    title: 'A request without access token is refused with 401',
    reference: 'BG IG 1.3 §14.11; RFC 6750 §3.1',
    severity: 'blocker',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative', 'security'],
  })(async ({ api }) => {
    const response = await api.createConsent(consentBody(), { token: null });
    expect(response.status).toBe(401);
  }),
);

test(
  ...check({
    id: 'ERR-006',
    title: 'An error body carries tppMessages with category and a code allowed for its status',
    reference: 'BG IG 1.3 §14.11; BG OpenAPI 1.3.12 tppMessage403_AIS',
    severity: 'critical',
    operations: ['getConsentStatus'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
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
    if (body.tppMessages)
      for (const m of body.tppMessages) expect(['ERROR', 'WARNING']).toContain(m.category);
    const allowed =
      response.status === 403
        ? CODES_403_AIS
        : response.status === 404
          ? ['RESOURCE_UNKNOWN']
          : CODES_4XX_AIS;
    for (const code of codes) expect(allowed, `code ${code} on HTTP ${response.status}`).toContain(code);
  }),
);

test(
  ...check({
    id: 'ERR-007',
    title: 'An unknown path answers 404',
    reference: 'RFC 9110 §15.5.5',
    severity: 'minor',
    obligation: 'SHOULD',
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    expect((await api.get('/v1/psd2-conformance-nothing-here')).status).toBe(404);
  }),
);

test(
  ...check({
    id: 'ERR-008',
    title: 'Accept: application/xml is answered with 406',
    reference: 'BG OpenAPI 1.3.12 responses 406; RFC 9110 §15.5.7',
    severity: 'minor',
    obligation: 'SHOULD',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    expect((await api.read(consent, '/v1/accounts', { headers: { accept: 'application/xml' } })).status).toBe(
      406,
    );
  }),
);

test(
  ...check({
    id: 'ERR-009',
    title: 'A consent body that is not JSON is refused with 400 FORMAT_ERROR',
    reference: 'BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
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
  }),
);

test(
  ...check({
    id: 'ERR-010',
    title: 'A consent sent as text/plain is refused with 415',
    reference: 'BG OpenAPI 1.3.12 responses 415',
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const response = await api.send({
      method: 'POST',
      url: '/v1/consents',
      body: JSON.stringify(consentBody()),
      headers: { 'content-type': 'text/plain', 'tpp-redirect-uri': api.session.settings.client.redirectUri },
      psuInitiated: true,
    });
    expect(response.status).toBe(415);
  }),
);

test(
  ...check({
    id: 'ERR-011',
    title: 'PUT on /v1/consents/{id} is answered with 405',
    reference: 'BG OpenAPI 1.3.12 responses 405; RFC 9110 §15.5.6',
    severity: 'minor',
    obligation: 'SHOULD',
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const response = await api.send({
      method: 'PUT',
      url: `/v1/consents/${encodeURIComponent(consentId)}`,
      json: {},
    });
    expect(response.status).toBe(405);
  }),
);

test(
  ...check({
    id: 'ERR-012',
    title: 'A consent request without PSU-IP-Address is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 createConsent PSU-IP-Address required',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const response = await api.send({
      method: 'POST',
      url: '/v1/consents',
      json: consentBody(),
      headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
    });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);
