import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadContract } from '../../src/contract/load-contract.ts';
import type { HttpResponse } from '../../src/http/client.ts';
import { Harness } from './harness.ts';

const MYPOS = loadContract(['openapi/mypos/xs2a-mypos.yaml', 'openapi/oauth2.yaml']);

/** Every answer of the flavour must be what openapi/mypos/ documents for its operation. */
function documented(method: string, response: HttpResponse, operationId: string): void {
  const path = new URL(response.exchange.request.url).pathname;
  const match = MYPOS.match(method, path);
  assert.equal(match?.operation.operationId, operationId, `${method} ${path} is ${operationId}`);
  const violations = MYPOS.validateResponse(operationId, {
    status: response.status,
    headers: response.headers,
    body: response.body,
  });
  assert.deepEqual(violations, [], `${operationId} ${response.status} follows openapi/mypos/`);
}

describe('sandbox --flavour mypos: the API the myPOS pages document', () => {
  let h: Harness;
  let consent: Awaited<ReturnType<Harness['approvedConsent']>>;
  before(async () => {
    h = await Harness.start([], { flavour: 'mypos' });
    consent = await h.approvedConsent(undefined);
  });
  after(() => h.stop());

  it('prints the API key and Basic client authentication in its configuration', () => {
    assert.equal(h.config.flavour, 'mypos');
    assert.equal(h.config.authMethod, 'client_secret_basic');
    assert.ok(h.config.apiKey && h.config.apiKey.length > 20);
  });

  it('refuses client_secret_post at the token endpoint (page: REST API authentication)', async () => {
    const response = await h.client().send({
      method: 'POST',
      url: h.config.tokenUrl,
      form: {
        grant_type: 'client_credentials',
        client_id: h.config.clientId,
        client_secret: h.config.clientSecret,
      },
      requestId: false,
    });
    assert.equal(response.status, 401);
    assert.equal(response.json<{ error: string }>().error, 'invalid_client');
  });

  it('refuses XS2A requests without the API-Key', async () => {
    const response = await h.xs2a({
      method: 'GET',
      url: '/v1/accounts',
      token: consent.accessToken,
      consentId: consent.consentId,
      headers: { 'api-key': undefined as unknown as string },
    });
    assert.equal(response.status, 401);
  });

  it('creates a consent without a request body: capitalised status, scaOAuth link, no Location (page 38)', async () => {
    const created = await h.createConsent(undefined);
    assert.equal(created.status, 201);
    documented('POST', created, 'createConsent');
    const body = created.json<{ consentStatus: string; _links: Record<string, { href: string }> }>();
    assert.equal(body.consentStatus, 'Received');
    assert.match(body._links.scaOAuth?.href ?? '', /\?open_bank_consent_id=/);
    assert.equal(body._links.scaRedirect, undefined);
    assert.equal(created.headers.location, undefined);
    assert.equal(created.headers['aspsp-sca-approach'], undefined);
  });

  it('after SCA through scaOAuth the consent is "Valid" (page 39) and its details list IBANs (details page)', async () => {
    assert.ok(consent.redirect.searchParams.get('code'), 'the PSU comes back with a code');
    const status = await h.xs2a({
      method: 'GET',
      url: `/v1/consents/${consent.consentId}/status`,
      token: consent.accessToken,
    });
    documented('GET', status, 'getConsentStatus');
    assert.equal(status.json<{ consentStatus: string }>().consentStatus, 'Valid');
    const details = await h.xs2a({
      method: 'GET',
      url: `/v1/consents/${consent.consentId}`,
      token: consent.accessToken,
    });
    documented('GET', details, 'getConsentInformation');
    assert.ok(details.json<{ access: { balances: { iban: string[] } } }>().access.balances.iban.length > 0);
  });

  it('lists accounts by accountNumber with pagination, balances and transactions with numbers (pages 18-26)', async () => {
    const read = (url: string) =>
      h.xs2a({ method: 'GET', url, token: consent.accessToken, consentId: consent.consentId });
    const list = await read('/v1/accounts');
    documented('GET', list, 'getAccountList');
    const { accounts, pagination } = list.json<{
      accounts: { accountNumber: string; resourceId?: string }[];
      pagination: { total: number };
    }>();
    assert.ok(accounts.length > 0 && pagination.total === accounts.length);
    const number = accounts[0]?.accountNumber ?? '';
    assert.equal(accounts[0]?.resourceId, undefined);
    documented('GET', await read(`/v1/accounts/${number}`), 'readAccountDetails');
    const balances = await read(`/v1/accounts/${number}/balances`);
    documented('GET', balances, 'getBalances');
    assert.equal(
      typeof balances.json<{ balances: { balanceAmount: { amount: unknown } }[] }>().balances[0]
        ?.balanceAmount.amount,
      'number',
    );
    const missingStatus = await read(`/v1/accounts/${number}/transactions`);
    assert.equal(missingStatus.status, 400, 'bookingStatus is mandatory');
    const transactions = await read(`/v1/accounts/${number}/transactions?bookingStatus=both`);
    documented('GET', transactions, 'getTransactionList');
    const first = transactions.json<{ transactions: { sign: string; transactionAmount: unknown }[] }>()
      .transactions[0];
    assert.match(first?.sign ?? '', /^[DC]$/);
    assert.equal(typeof first?.transactionAmount, 'number');
    const cards = await read('/v1/card-accounts');
    documented('GET', cards, 'getCardAccountList');
    const card = cards.json<{ accounts: { accountNumber: string }[]; cardAccounts?: unknown }>();
    assert.equal(card.cardAccounts, undefined);
    const cardNumber = card.accounts[0]?.accountNumber ?? '';
    documented('GET', await read(`/v1/card-accounts/${cardNumber}`), 'readCardAccountDetails');
    documented('GET', await read(`/v1/card-accounts/${cardNumber}/balances`), 'getCardAccountBalances');
    documented(
      'GET',
      await read(`/v1/card-accounts/${cardNumber}/transactions?bookingStatus=booked`),
      'getCardAccountTransactionList',
    );
  });

  it('initiates a payment to a stored beneficiary, with paymentStatus and a status without the product (pages 32, 33, 68)', async () => {
    const beneficiaries = await h.xs2a({
      method: 'GET',
      url: '/v1/payments/stored-beneficiaries',
      token: await h.clientToken(),
    });
    documented('GET', beneficiaries, 'getStoredBeneficiaries');
    const creditorId = beneficiaries.json<{ beneficiaries: { id: number }[] }>().beneficiaries[0]?.id;
    const bgBody = await h.createPayment('sepa-credit-transfers');
    assert.equal(bgBody.status, 400, 'a Berlin Group body without creditorId is refused');
    const created = await h.createPayment('sepa-credit-transfers', {
      instructedAmount: 12.5,
      instructedCurrency: 'EUR',
      creditorId,
      paymentReason: 'invoice 42',
    });
    documented('POST', created, 'initiatePayment');
    const body = created.json<{
      paymentId: string;
      paymentStatus: string;
      _links: { scaOAuth: { href: string } };
    }>();
    assert.equal(body.paymentStatus, 'RCVD');
    const redirect = await h.psu(body._links.scaOAuth.href, 'approve');
    const code = redirect.searchParams.get('code') ?? '';
    const token = (
      await h.token({ grant_type: 'authorization_code', code, redirect_uri: h.config.redirectUri })
    ).json<{ access_token: string }>().access_token;
    const status = await h.xs2a({ method: 'GET', url: `/v1/payments/${body.paymentId}/status`, token });
    documented('GET', status, 'getPaymentInitiationStatus');
    assert.equal(status.json<{ paymentStatus: string }>().paymentStatus, 'ACSC');
    const details = await h.xs2a({ method: 'GET', url: `/v1/payments/${body.paymentId}`, token });
    documented('GET', details, 'getPaymentInformation');
    assert.equal(details.json<{ instructedAmount: unknown }>().instructedAmount, 12.5);
  });

  it('confirms funds with ASPSP-SCA-Approach and needs the Consent-ID (page 36)', async () => {
    const token = await h.clientToken();
    const iban = (
      await h.xs2a({ method: 'GET', url: `/v1/consents/${consent.consentId}`, token: consent.accessToken })
    ).json<{ access: { balances: { iban: string[] } } }>().access.balances.iban[0];
    const body = { account: { iban }, instructedAmount: { currency: 'EUR', amount: '1.00' } };
    const headers = { 'tpp-redirect-uri': h.config.redirectUri };
    const without = await h.xs2a({
      method: 'POST',
      url: '/v1/funds-confirmations',
      json: body,
      token,
      headers,
    });
    assert.equal(without.status, 400);
    const answered = await h.xs2a({
      method: 'POST',
      url: '/v1/funds-confirmations',
      json: body,
      token,
      headers,
      consentId: consent.consentId,
    });
    documented('POST', answered, 'checkAvailabilityOfFunds');
    assert.equal(answered.headers['aspsp-sca-approach'], 'REDIRECT');
  });

  it('deletes a consent with 200 (page 41)', async () => {
    const other = await h.approvedConsent(undefined);
    const deleted = await h.xs2a({
      method: 'DELETE',
      url: `/v1/consents/${other.consentId}`,
      token: other.accessToken,
    });
    documented('DELETE', deleted, 'deleteConsent');
    assert.equal(deleted.status, 200);
  });
});
