import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certify } from '../../sandbox/certify/certification.ts';
import type { ApiCall, Observation, TokenCall, TppObservations } from '../../sandbox/certify/observations.ts';
import { renderCertificationJunit, renderCertificationMarkdown } from '../../src/report/tpp-report.ts';

let seq = 0;

function api(operationId: string, status: number, extra: Partial<ApiCall> = {}): ApiCall {
  seq++;
  return {
    kind: 'api',
    seq,
    at: 1_000 * seq,
    method: 'GET',
    path: '/v1/accounts',
    query: '',
    operationId,
    service: 'AIS',
    requestId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    psuIpAddress: true,
    contentType: undefined,
    hasBody: false,
    tppRedirectUri: undefined,
    tokenKey: 'token-a',
    consentId: 'consent-1',
    paymentId: undefined,
    secretsInQuery: [],
    booleans: [],
    violations: [],
    status,
    code: undefined,
    retryAfterSeconds: undefined,
    listedAccountIds: [],
    answeredStatus: undefined,
    probe: undefined,
    ...extra,
  };
}

function codeExchange(): TokenCall {
  seq++;
  return {
    kind: 'token',
    seq,
    at: 1_000 * seq,
    grant: 'authorization_code',
    authMethod: 'client_secret_post',
    contentType: 'application/x-www-form-urlencoded',
    secretsInQuery: [],
    codeKey: 'code-1',
    redirectUri: 'https://127.0.0.1/cb',
    codeVerifier: true,
    refreshKey: undefined,
    status: 200,
    error: undefined,
    issuedAccessKey: 'token-a',
    issuedRefreshKey: 'refresh-a',
  };
}

/** A TPP that went through AIS only: consent, SCA, the list and one balance read; its consent deleted or not. */
function aisOnly(consentStatus: string, offersFunds = true): TppObservations {
  const observations: Observation[] = [
    api('createConsent', 201, {
      method: 'POST',
      path: '/v1/consents',
      hasBody: true,
      contentType: 'application/json',
      tokenKey: 'client',
      consentId: undefined,
    }),
    codeExchange(),
    api('getAccountList', 200, { listedAccountIds: ['acc-1'] }),
    api('getBalances', 200, { path: '/v1/accounts/acc-1/balances' }),
  ];
  return {
    clientId: 'tpp-x',
    registeredRedirectUris: ['https://127.0.0.1/cb'],
    registeredAuthMethod: 'client_secret_post',
    pkceRequired: true,
    observations,
    consents: [{ consentId: 'consent-1', status: consentStatus, frequencyPerDay: 4 }],
    offers: (id) => offersFunds || id !== 'checkAvailabilityOfFunds',
  };
}

describe('a TPP certification', () => {
  it('is certified at the level whose scenarios it went through, not at a higher one', () => {
    const ais = certify(aisOnly('terminatedByTpp'), 'ais');
    assert.equal(ais.status, 'certified', ais.headline);
    const full = certify(aisOnly('terminatedByTpp'), 'full');
    assert.equal(full.status, 'not-certified');
    assert.match(full.headline, /scenarios of level full not exercised: pis-payment, piis-funds/);
    assert.equal(full.totals.failed, 0);
  });

  it('a scenario the flavour does not offer is not required', () => {
    const full = certify(aisOnly('terminatedByTpp', false), 'full');
    assert.equal(full.scenarios.find((s) => s.id === 'piis-funds')?.result, 'not-offered');
    assert.match(full.headline, /not exercised: pis-payment$/);
  });

  it('a recommendation not followed is a warning: reported with its evidence, never failing the certification', () => {
    const result = certify(aisOnly('valid'), 'ais');
    const rule = result.rules.find((r) => r.id === 'TPP-022');
    assert.equal(rule?.verdict, 'warning');
    assert.match(rule?.evidence[0] ?? '', /consent consent-1 is still valid/);
    assert.equal(result.status, 'certified');
  });

  it('a rule it never came to is not exercised, with the reason, and never passed', () => {
    const result = certify(aisOnly('terminatedByTpp'), 'ais');
    const rule = result.rules.find((r) => r.id === 'TPP-018');
    assert.equal(rule?.verdict, 'not-exercised');
    assert.match(rule?.evidence[0] ?? '', /never answered 429/);
  });

  it('JUnit counts a broken rule as a failure and a rule not exercised as skipped; the summary shows the evidence', () => {
    const observations = aisOnly('terminatedByTpp');
    observations.observations.push(api('getBalances', 200, { path: '/v1/accounts/acc-9/balances' }));
    const result = certify(observations, 'ais');
    assert.equal(result.rules.find((r) => r.id === 'TPP-017')?.verdict, 'failed');
    const summary = {
      ...result,
      tool: { name: 'psd2-conformance', version: '0' },
      kind: 'tpp-certification' as const,
      flavour: 'berlin-group',
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:01:00Z',
      stoppedBy: 'SIGTERM',
    };
    const junit = renderCertificationJunit(summary);
    assert.match(junit, /<testsuites [^>]*failures="1"/);
    assert.match(junit, /<skipped message="not exercised: /);
    const markdown = renderCertificationMarkdown(summary);
    assert.match(markdown, /\*\*NOT CERTIFIED\*\*/);
    assert.match(markdown, /account acc-9 not named by an account list read under this consent/);
  });
});
