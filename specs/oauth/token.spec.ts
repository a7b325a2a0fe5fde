import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { expectCreated } from '../../src/harness/expect-created.ts';
import { sleep } from '../../src/harness/sleep.ts';
import { createPkce } from '../../src/oauth/pkce.ts';
import { ScaStepError } from '../../src/sca/driver.ts';
import type { ScaFlows } from '../../src/sca/flows.ts';
import type { Xs2aApi } from '../../src/xs2a/api.ts';

const check = checksOf('OAuth2');

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

/** A consent the PSU approved in the browser, and the SCA's outcome (its code not yet exchanged). */
async function approvedRun(api: Xs2aApi, sca: ScaFlows) {
  // Tolerant plumbing: the consent's own checks judge how it was created; the SCA needs only its id and link.
  const created = await api.createConsent();
  const consentId = created.json<{ consentId: string }>().consentId;
  return sca.runSca(sca.scaStartUrl(created, { consentId }), 'approve');
}

test(
  ...check({
    id: 'OAU-001',
    title: 'client_credentials issues an access token (client_secret_post)',
    reference: 'RFC 6749 §4.4; myPOS overview step 2',
    severity: 'blocker',
    operations: ['requestToken'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const result = await api.token((oauth) => oauth.clientCredentials({ authMethod: 'client_secret_post' }));
    expect(result.response.status).toBe(200);
    expect(result.tokens?.accessToken, 'access_token').toBeTruthy();
  }),
);

test(
  ...check({
    id: 'OAU-002',
    title: 'The token response carries Cache-Control: no-store',
    reference: 'RFC 6749 §5.1',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory', 'security'],
  })(async ({ api }) => {
    const result = await api.token((oauth) => oauth.clientCredentials());
    expect(result.response.header('cache-control') ?? '(none)').toMatch(/(^|[\s,])no-store($|[\s,;])/);
  }),
);

test(
  ...check({
    id: 'OAU-003',
    title: 'The token_type is Bearer',
    reference: 'RFC 6749 §5.1, §7.1; RFC 6750 §4',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const result = await api.token((oauth) => oauth.clientCredentials());
    expect(result.tokens?.tokenType.toLowerCase()).toBe('bearer');
  }),
);

test(
  ...check({
    id: 'OAU-004',
    title: 'expires_in is a positive number of seconds',
    reference: 'RFC 6749 §5.1; myPOS overview step 2',
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['requestToken'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const result = await api.token((oauth) => oauth.clientCredentials());
    const expiresIn = result.response.json<{ expires_in?: unknown }>().expires_in;
    expect(
      Number.isInteger(expiresIn) && (expiresIn as number) > 0,
      `expires_in ${JSON.stringify(expiresIn)}`,
    ).toBe(true);
  }),
);

test(
  ...check({
    id: 'OAU-005',
    title: 'The token response is JSON and matches the token contract',
    reference: 'RFC 6749 §5.1',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const result = await api.token((oauth) => oauth.clientCredentials());
    expect(result.response.header('content-type') ?? '').toMatch(/^application\/json/);
    expect(result.violations.map((v) => `${v.part} ${v.pointer}: ${v.message}`)).toEqual([]);
  }),
);

test(
  ...check({
    id: 'OAU-006',
    title: 'client_secret_basic authenticates the client',
    reference: 'RFC 6749 §2.3.1',
    severity: 'normal',
    operations: ['requestToken'],
    tags: ['mandatory'],
    requires: ['clientSecretBasic'],
  })(async ({ api }) => {
    const result = await api.token((oauth) => oauth.clientCredentials({ authMethod: 'client_secret_basic' }));
    expect(result.response.status).toBe(200);
    expect(result.tokens?.accessToken).toBeTruthy();
  }),
);

test(
  ...check({
    id: 'OAU-007',
    title: 'A wrong client secret is refused with invalid_client (401 when sent by HTTP Basic)',
    reference:
      'RFC 6749 §5.2 invalid_client ("MAY return 401"; "MUST respond with 401" for the Authorization header)',
    severity: 'blocker',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative', 'security'],
  })(async ({ api, tpp }) => {
    const result = await api.token((oauth) =>
      oauth.clientCredentials({ clientSecret: 'psd2-conformance-wrong-secret' }),
    );
    const basic = tpp.settings.client.authMethod === 'client_secret_basic';
    expect(basic ? [401] : [400, 401]).toContain(result.response.status);
    expect(oauthError(result.response.body)).toBe('invalid_client');
  }),
);

test(
  ...check({
    id: 'OAU-008',
    title: 'An unknown client_id is refused with invalid_client',
    reference: 'RFC 6749 §5.2 invalid_client',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative', 'security'],
  })(async ({ api }) => {
    const result = await api.token((oauth) =>
      oauth.clientCredentials({ clientId: 'psd2-conformance-unknown-client' }),
    );
    expect([400, 401]).toContain(result.response.status);
    expect(oauthError(result.response.body)).toBe('invalid_client');
  }),
);

test(
  ...check({
    id: 'OAU-009',
    title: 'An unsupported grant_type is refused with unsupported_grant_type',
    reference: 'RFC 6749 §5.2 unsupported_grant_type',
    severity: 'normal',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const result = await api.token((oauth) => oauth.token({ grant_type: 'urn:psd2-conformance:unknown' }));
    expect(result.response.status).toBe(400);
    expect(oauthError(result.response.body)).toBe('unsupported_grant_type');
  }),
);

test(
  ...check({
    id: 'OAU-010',
    title: 'A token request without grant_type is refused with invalid_request',
    reference: 'RFC 6749 §5.2 invalid_request',
    severity: 'normal',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const result = await api.token((oauth) => oauth.token({}));
    expect(result.response.status).toBe(400);
    expect(oauthError(result.response.body)).toBe('invalid_request');
  }),
);

test(
  ...check({
    id: 'OAU-011',
    title: 'authorization_code issues an access token and a refresh token',
    reference: 'RFC 6749 §4.1.3, §4.1.4',
    severity: 'blocker',
    operations: ['requestToken'],
    tags: ['mandatory'],
    needs: ['sca'],
  })(async ({ sca, api }) => {
    const run = await approvedRun(api, sca);
    const tokens = await sca.exchangeCode(run);
    expect(tokens.accessToken, 'access_token').toBeTruthy();
    expect(tokens.refreshToken, 'refresh_token').toBeTruthy();
  }),
);

test(
  ...check({
    id: 'OAU-012',
    title: 'An authorization code is accepted once only (invalid_grant on reuse)',
    reference: 'RFC 6749 §4.1.2',
    severity: 'blocker',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['sca'],
  })(async ({ sca, api }) => {
    const run = await approvedRun(api, sca);
    await sca.exchangeCode(run);
    const again = await api.token((oauth) =>
      oauth.authorizationCode(run.outcome.code ?? '', run.codeVerifier),
    );
    expect(again.response.status).toBe(400);
    expect(oauthError(again.response.body)).toBe('invalid_grant');
  }),
);

test(
  ...check({
    id: 'OAU-013',
    title: 'A code exchanged with another redirect_uri is refused with invalid_grant',
    reference: 'RFC 6749 §4.1.3',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['sca'],
  })(async ({ sca, api }) => {
    const run = await approvedRun(api, sca);
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
  }),
);

test(
  ...check({
    id: 'OAU-014',
    title: 'An expired authorization code is refused with invalid_grant',
    reference: 'RFC 6749 §4.1.2, §5.2',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['shortCodeLifetime'],
    needs: ['sca'],
  })(async ({ sca, api, tpp }) => {
    const run = await approvedRun(api, sca);
    await sleep((tpp.profile.capabilities.codeLifetimeSeconds + 1) * 1000);
    const result = await api.token((oauth) =>
      oauth.authorizationCode(run.outcome.code ?? '', run.codeVerifier),
    );
    expect(result.response.status).toBe(400);
    expect(oauthError(result.response.body)).toBe('invalid_grant');
  }),
);

test(
  ...check({
    id: 'OAU-015',
    title: 'refresh_token issues a new access token that reads accounts',
    reference: 'RFC 6749 §6; myPOS overview step 8',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory'],
    requires: ['refreshTokens'],
    needs: ['sca'],
  })(async ({ sca, api }) => {
    const { consent } = await sca.authorisedConsent();
    const refreshed = await api.token((oauth) => oauth.refresh(consent.refreshToken ?? ''));
    expect(refreshed.response.status).toBe(200);
    const accessToken = refreshed.tokens?.accessToken ?? '';
    expect(accessToken).toBeTruthy();
    expect((await api.read({ consentId: consent.consentId, accessToken }, '/v1/accounts')).status).toBe(200);
  }),
);

test(
  ...check({
    id: 'OAU-016',
    title: 'A refresh token is rotated: once used it is refused',
    reference: 'RFC 6749 §6; RFC 9700 §4.14.2',
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['refreshTokens'],
    needs: ['sca'],
  })(async ({ sca, api }) => {
    const { consent } = await sca.authorisedConsent();
    const first = await api.token((oauth) => oauth.refresh(consent.refreshToken ?? ''));
    expect(first.response.status).toBe(200);
    const reused = await api.token((oauth) => oauth.refresh(consent.refreshToken ?? ''));
    expect(reused.response.status).toBe(400);
    expect(oauthError(reused.response.body)).toBe('invalid_grant');
  }),
);

test(
  ...check({
    id: 'OAU-017',
    title: 'The refresh token of a deleted consent is refused with invalid_grant',
    reference: 'RFC 6749 §6; BG IG 1.3 §6.3.5',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['refreshTokens'],
    needs: ['sca'],
  })(async ({ sca, api }) => {
    const { consent } = await sca.authorisedConsent();
    expect(
      (await api.send({ method: 'DELETE', url: `/v1/consents/${encodeURIComponent(consent.consentId)}` }))
        .status,
    ).toBeLessThan(300);
    const result = await api.token((oauth) => oauth.refresh(consent.refreshToken ?? ''));
    expect(result.response.status).toBe(400);
    expect(oauthError(result.response.body)).toBe('invalid_grant');
  }),
);

test(
  ...check({
    id: 'OAU-018',
    title: 'Token errors are JSON with a closed RFC 6749 error code',
    reference: 'RFC 6749 §5.2',
    severity: 'normal',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const result = await api.token((oauth) =>
      oauth.clientCredentials({ clientSecret: 'psd2-conformance-wrong-secret' }),
    );
    expect(result.response.header('content-type') ?? '').toMatch(/^application\/json/);
    expect(ERROR_CODES).toContain(oauthError(result.response.body));
    expect(result.violations.map((v) => `${v.part} ${v.pointer}: ${v.message}`)).toEqual([]);
  }),
);

test(
  ...check({
    id: 'OAU-019',
    title: 'An unknown authorization code is refused with invalid_grant',
    reference: 'RFC 6749 §5.2 invalid_grant',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative', 'security'],
  })(async ({ api }) => {
    const result = await api.token((oauth) => oauth.authorizationCode('psd2-conformance-unknown-code'));
    expect(result.response.status).toBe(400);
    expect(oauthError(result.response.body)).toBe('invalid_grant');
  }),
);

test(
  ...check({
    id: 'OAU-020',
    title: 'A token request without client authentication is refused with invalid_client',
    reference: 'RFC 6749 §2.3, §5.2',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative', 'security'],
  })(async ({ api, tpp }) => {
    const response = await api.send({
      method: 'POST',
      url: tpp.settings.target.tokenUrl,
      form: { grant_type: 'client_credentials' },
      token: null,
      requestId: false,
    });
    expect(response.status).toBe(401);
    expect(oauthError(response.body)).toBe('invalid_client');
  }),
);

/** A code issued for a PKCE S256 challenge, approved in the browser: the code and the flow's verifier. */
async function pkceCode(api: Xs2aApi, sca: ScaFlows) {
  const created = await api.createConsent();
  const consentId = created.json<{ consentId: string }>().consentId;
  const run = await sca.runSca(sca.scaStartUrl(created, { consentId }), 'approve', 'all', { pkce: true });
  expect(run.outcome.code, 'code on the redirect').toBeTruthy();
  return { code: run.outcome.code ?? '', verifier: run.codeVerifier ?? '' };
}

test(
  ...check({
    id: 'OAU-021',
    title: 'A code issued for a PKCE challenge is refused with another code_verifier (invalid_grant)',
    reference: 'RFC 7636 §4.6',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['pkce'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { code } = await pkceCode(api, sca);
    const refused = await api.token((oauth) => oauth.authorizationCode(code, createPkce().verifier));
    expect(refused.response.status).toBe(400);
    expect(oauthError(refused.response.body)).toBe('invalid_grant');
  }),
);

test(
  ...check({
    id: 'OAU-022',
    title: 'A code issued for a PKCE S256 challenge is exchanged with its code_verifier',
    reference: 'RFC 7636 §4.2, §4.6',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory'],
    requires: ['pkce'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { code, verifier } = await pkceCode(api, sca);
    const exchanged = await api.token((oauth) => oauth.authorizationCode(code, verifier));
    expect(exchanged.response.status, exchanged.response.body.slice(0, 200)).toBe(200);
    expect(exchanged.tokens?.accessToken).toBeTruthy();
  }),
);

test(
  ...check({
    id: 'OAU-023',
    title: "An authorization request for a consent under another TPP's client_id issues no code",
    reference:
      "RFC 6749 §4.1.2.1 (an error redirect, or no redirect where the redirect URI is not that client's); RFC 6819 §4.4.1.1; BG IG 1.3 §6.3.1 (the consent is the TPP's)",
    severity: 'blocker',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['otherTpp'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const other = api.session.settings.otherTpp;
    const created = await api.createConsent();
    expectCreated(created, 'creating the consent');
    const consentId = created.json<{ consentId: string }>().consentId;
    const start = new URL(sca.scaStartUrl(created, { consentId }));
    test.skip(
      !start.searchParams.has('client_id'),
      'the SCA link names no client_id: the authorization request cannot be sent under another one',
    );
    start.searchParams.set('client_id', other?.clientId ?? '');
    try {
      const run = await sca.runSca(start.toString(), 'approve');
      expect(
        run.outcome.code,
        "a code issued to another TPP's client_id for this TPP's consent",
      ).toBeUndefined();
      test.info().annotations.push({
        type: 'bank-choice',
        description: `redirected with error=${run.outcome.error ?? '(none)'}`,
      });
    } catch (error) {
      // RFC 6749 §4.1.2.1: where the redirect URI is not that client's, the ASPSP shows an error and does not redirect.
      if (!(error instanceof ScaStepError)) throw error;
      test
        .info()
        .annotations.push({ type: 'bank-choice', description: `stopped the flow: ${error.message}` });
    }
  }),
);

/** The configuration's other TPP's OAuth client: its own client_id, secret and certificate. */
function otherClient(api: Xs2aApi) {
  const other = api.session.otherTpp();
  if (!other) throw new Error('no otherTpp configured');
  return other.oauth;
}

test(
  ...check({
    id: 'OAU-024',
    title: "An authorization code exchanged by another TPP's client is refused with invalid_grant",
    reference:
      'RFC 6749 §4.1.3 (ensure that the authorization code was issued to the authenticated confidential client), §5.2 invalid_grant',
    severity: 'blocker',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['otherTpp'],
    needs: ['sca'],
  })(async ({ sca, api }) => {
    const run = await approvedRun(api, sca);
    const theirs = await api.token(
      (oauth) => oauth.authorizationCode(run.outcome.code ?? '', run.codeVerifier),
      otherClient(api),
    );
    expect(theirs.response.status, theirs.response.body.slice(0, 200)).toBe(400);
    expect(oauthError(theirs.response.body)).toBe('invalid_grant');
  }),
);

test(
  ...check({
    id: 'OAU-025',
    title: "A refresh token presented by another TPP's client is refused with invalid_grant",
    reference:
      'RFC 6749 §6 (validate that the refresh token was issued to the authenticated client), §5.2 invalid_grant',
    severity: 'blocker',
    operations: ['requestToken'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['otherTpp', 'refreshTokens'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    // The run's consent: a refresh token no other check presents, and refused here unless the bank is at fault.
    test.skip(
      !consent.refreshToken,
      "the run's consent came without a refresh token (OAU-011 checks that one comes)",
    );
    const theirs = await api.token((oauth) => oauth.refresh(consent.refreshToken ?? ''), otherClient(api));
    expect(theirs.response.status, theirs.response.body.slice(0, 200)).toBe(400);
    expect(oauthError(theirs.response.body)).toBe('invalid_grant');
  }),
);
