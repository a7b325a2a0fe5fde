import { expect } from '@playwright/test';
import { check } from '../../src/checks/check.ts';
import { sleep } from '../../src/suite/sleep.ts';

const ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
];

function oauthError(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { error?: string }).error;
  } catch {
    return undefined;
  }
}

check('OAU-001', async ({ api }) => {
  const result = await api.token((oauth) => oauth.clientCredentials({ authMethod: 'client_secret_post' }));
  expect(result.response.status).toBe(200);
  expect(result.tokens?.accessToken, 'access_token').toBeTruthy();
});

check('OAU-002', async ({ api }) => {
  const result = await api.token((oauth) => oauth.clientCredentials());
  expect(result.response.header('cache-control') ?? '(none)').toMatch(/(^|[\s,])no-store($|[\s,;])/);
});

check('OAU-003', async ({ api }) => {
  const result = await api.token((oauth) => oauth.clientCredentials());
  expect(result.tokens?.tokenType.toLowerCase()).toBe('bearer');
});

check('OAU-004', async ({ api }) => {
  const result = await api.token((oauth) => oauth.clientCredentials());
  const expiresIn = result.response.json<{ expires_in?: unknown }>().expires_in;
  expect(
    Number.isInteger(expiresIn) && (expiresIn as number) > 0,
    `expires_in ${JSON.stringify(expiresIn)}`,
  ).toBe(true);
});

check('OAU-005', async ({ api }) => {
  const result = await api.token((oauth) => oauth.clientCredentials());
  expect(result.response.header('content-type') ?? '').toMatch(/^application\/json/);
  expect(result.violations.map((v) => `${v.part} ${v.pointer}: ${v.message}`)).toEqual([]);
});

check('OAU-006', async ({ api }) => {
  const result = await api.token((oauth) => oauth.clientCredentials({ authMethod: 'client_secret_basic' }));
  expect(result.response.status).toBe(200);
  expect(result.tokens?.accessToken).toBeTruthy();
});

check('OAU-007', async ({ api }) => {
  const result = await api.token((oauth) =>
    oauth.clientCredentials({ clientSecret: 'psd2-conformance-wrong-secret' }),
  );
  expect(result.response.status).toBe(401);
  expect(oauthError(result.response.body)).toBe('invalid_client');
});

check('OAU-008', async ({ api }) => {
  const result = await api.token((oauth) =>
    oauth.clientCredentials({ clientId: 'psd2-conformance-unknown-client' }),
  );
  expect([400, 401]).toContain(result.response.status);
  expect(oauthError(result.response.body)).toBe('invalid_client');
});

check('OAU-009', async ({ api }) => {
  const result = await api.token((oauth) => oauth.token({ grant_type: 'urn:psd2-conformance:unknown' }));
  expect(result.response.status).toBe(400);
  expect(oauthError(result.response.body)).toBe('unsupported_grant_type');
});

check('OAU-010', async ({ api }) => {
  const result = await api.token((oauth) => oauth.token({}));
  expect(result.response.status).toBe(400);
  expect(oauthError(result.response.body)).toBe('invalid_request');
});

check('OAU-011', async ({ sca, api }) => {
  const created = await api.createConsent();
  const run = await sca.runSca(
    sca.scaStartUrl(created, { consentId: created.json<{ consentId: string }>().consentId }),
    'approve',
  );
  const tokens = await sca.exchangeCode(run);
  expect(tokens.accessToken, 'access_token').toBeTruthy();
  expect(tokens.refreshToken, 'refresh_token').toBeTruthy();
});

check('OAU-012', async ({ sca, api }) => {
  const created = await api.createConsent();
  const run = await sca.runSca(
    sca.scaStartUrl(created, { consentId: created.json<{ consentId: string }>().consentId }),
    'approve',
  );
  await sca.exchangeCode(run);
  const again = await api.token((oauth) => oauth.authorizationCode(run.outcome.code ?? '', run.codeVerifier));
  expect(again.response.status).toBe(400);
  expect(oauthError(again.response.body)).toBe('invalid_grant');
});

check('OAU-013', async ({ sca, api }) => {
  const created = await api.createConsent();
  const run = await sca.runSca(
    sca.scaStartUrl(created, { consentId: created.json<{ consentId: string }>().consentId }),
    'approve',
  );
  const result = await api.token((oauth) =>
    oauth.token({
      grant_type: 'authorization_code',
      code: run.outcome.code,
      redirect_uri: 'https://127.0.0.1/psd2-conformance/another-callback',
      code_verifier: run.codeVerifier,
    }),
  );
  expect(result.response.status).toBe(400);
  expect(oauthError(result.response.body)).toBe('invalid_grant');
});

check('OAU-014', async ({ sca, api, tpp }) => {
  const created = await api.createConsent();
  const run = await sca.runSca(
    sca.scaStartUrl(created, { consentId: created.json<{ consentId: string }>().consentId }),
    'approve',
  );
  await sleep((tpp.profile.capabilities.codeLifetimeSeconds + 1) * 1000);
  const result = await api.token((oauth) =>
    oauth.authorizationCode(run.outcome.code ?? '', run.codeVerifier),
  );
  expect(result.response.status).toBe(400);
  expect(oauthError(result.response.body)).toBe('invalid_grant');
});

check('OAU-015', async ({ sca, api }) => {
  const { consent } = await sca.authorisedConsent();
  const refreshed = await api.token((oauth) => oauth.refresh(consent.refreshToken ?? ''));
  expect(refreshed.response.status).toBe(200);
  const accessToken = refreshed.tokens?.accessToken ?? '';
  expect(accessToken).toBeTruthy();
  expect((await api.read({ consentId: consent.consentId, accessToken }, '/v1/accounts')).status).toBe(200);
});

check('OAU-016', async ({ sca, api }) => {
  const { consent } = await sca.authorisedConsent();
  const first = await api.token((oauth) => oauth.refresh(consent.refreshToken ?? ''));
  expect(first.response.status).toBe(200);
  const reused = await api.token((oauth) => oauth.refresh(consent.refreshToken ?? ''));
  expect(reused.response.status).toBe(400);
  expect(oauthError(reused.response.body)).toBe('invalid_grant');
});

check('OAU-017', async ({ sca, api }) => {
  const { consent } = await sca.authorisedConsent();
  expect(
    (await api.send({ method: 'DELETE', url: `/v1/consents/${encodeURIComponent(consent.consentId)}` }))
      .status,
  ).toBeLessThan(300);
  const result = await api.token((oauth) => oauth.refresh(consent.refreshToken ?? ''));
  expect(result.response.status).toBe(400);
  expect(oauthError(result.response.body)).toBe('invalid_grant');
});

check('OAU-018', async ({ api }) => {
  const result = await api.token((oauth) =>
    oauth.clientCredentials({ clientSecret: 'psd2-conformance-wrong-secret' }),
  );
  expect(result.response.header('content-type') ?? '').toMatch(/^application\/json/);
  expect(ERROR_CODES).toContain(oauthError(result.response.body));
  expect(result.violations.map((v) => `${v.part} ${v.pointer}: ${v.message}`)).toEqual([]);
});

check('OAU-019', async ({ api }) => {
  const result = await api.token((oauth) => oauth.authorizationCode('psd2-conformance-unknown-code'));
  expect(result.response.status).toBe(400);
  expect(oauthError(result.response.body)).toBe('invalid_grant');
});

check('OAU-020', async ({ api, tpp }) => {
  const response = await api.send({
    method: 'POST',
    url: tpp.settings.target.tokenUrl,
    form: { grant_type: 'client_credentials' },
    token: null,
    requestId: false,
  });
  expect(response.status).toBe(401);
  expect(oauthError(response.body)).toBe('invalid_client');
});
