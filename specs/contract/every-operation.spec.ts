import { expect } from '@playwright/test';
import { CONTRACT_CHECK_FOR_OPERATION } from '../../src/checks/catalogue.ts';
import { type CheckFixtures, check } from '../../src/checks/check.ts';
import { isoDay, paymentBody } from '../../src/suite/api.ts';

/**
 * Each operation called on its success path and on an error path; the check wrapper validates every
 * response of the operation against the contract (status, headers, media type, body, X-Request-ID echo).
 */
const EXERCISES: Record<string, (f: CheckFixtures) => Promise<unknown>> = {
  createConsent: async ({ api }) => {
    await api.createConsent();
    await api.createConsent({ access: {} });
  },
  getConsentInformation: async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    await api.get(`/v1/consents/${consentId}`);
    await api.get('/v1/consents/psd2-conformance-no-such-consent');
  },
  getConsentStatus: async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    await api.get(`/v1/consents/${consentId}/status`);
    await api.get('/v1/consents/psd2-conformance-no-such-consent/status');
  },
  deleteConsent: async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    await api.send({ method: 'DELETE', url: `/v1/consents/${consentId}` });
    await api.send({ method: 'DELETE', url: '/v1/consents/psd2-conformance-no-such-consent' });
  },
  startConsentAuthorisation: async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    await api.send({ method: 'POST', url: `/v1/consents/${consentId}/authorisations`, psuInitiated: true });
  },
  getConsentAuthorisation: async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    await api.get(`/v1/consents/${consentId}/authorisations`);
  },
  getConsentScaStatus: async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const ids = (await api.get(`/v1/consents/${consentId}/authorisations`)).json<{
      authorisationIds: string[];
    }>();
    await api.get(`/v1/consents/${consentId}/authorisations/${ids.authorisationIds[0] ?? 'none'}`);
  },
  getAccountList: async ({ api, consent }) => {
    await api.read(consent, '/v1/accounts', { query: { withBalance: true } });
    await api.read(consent, '/v1/accounts', { rawQuery: 'withBalance' });
  },
  readAccountDetails: async ({ api, consent }) => {
    const id = await firstAccount(api, consent, '/v1/accounts', 'accounts');
    await api.read(consent, `/v1/accounts/${id}`, { query: { withBalance: true } });
    await api.read(consent, '/v1/accounts/psd2-conformance-no-such-account');
  },
  getBalances: async ({ api, consent }) => {
    const id = await firstAccount(api, consent, '/v1/accounts', 'accounts');
    await api.read(consent, `/v1/accounts/${id}/balances`);
    await api.read(consent, '/v1/accounts/psd2-conformance-no-such-account/balances');
  },
  getTransactionList: async ({ api, consent }) => {
    const id = await firstAccount(api, consent, '/v1/accounts', 'accounts');
    await api.read(consent, `/v1/accounts/${id}/transactions`, {
      query: { bookingStatus: 'both', dateFrom: isoDay(-365), withBalance: true },
    });
    await api.read(consent, `/v1/accounts/${id}/transactions`, { query: { dateFrom: isoDay(-30) } });
  },
  getTransactionDetails: async ({ api, consent }) => {
    const id = await firstAccount(api, consent, '/v1/accounts', 'accounts');
    const list = await api.read(consent, `/v1/accounts/${id}/transactions`, {
      query: { bookingStatus: 'booked', dateFrom: isoDay(-365) },
    });
    const tx = list.json<{ transactions?: { booked?: { transactionId?: string }[] } }>().transactions
      ?.booked?.[0]?.transactionId;
    await api.read(consent, `/v1/accounts/${id}/transactions/${encodeURIComponent(tx ?? 'none')}`);
    await api.read(consent, `/v1/accounts/${id}/transactions/psd2-conformance-no-such-transaction`);
  },
  getCardAccountList: async ({ api, consent }) => {
    await api.read(consent, '/v1/card-accounts');
  },
  readCardAccountDetails: async ({ api, consent }) => {
    const id = await firstAccount(api, consent, '/v1/card-accounts', 'cardAccounts');
    await api.read(consent, `/v1/card-accounts/${id}`);
    await api.read(consent, '/v1/card-accounts/psd2-conformance-no-such-card');
  },
  getCardAccountBalances: async ({ api, consent }) => {
    const id = await firstAccount(api, consent, '/v1/card-accounts', 'cardAccounts');
    await api.read(consent, `/v1/card-accounts/${id}/balances`);
  },
  getCardAccountTransactionList: async ({ api, consent }) => {
    const id = await firstAccount(api, consent, '/v1/card-accounts', 'cardAccounts');
    await api.read(consent, `/v1/card-accounts/${id}/transactions`, {
      query: { bookingStatus: 'both', dateFrom: isoDay(-365) },
    });
  },
  initiatePayment: async ({ api }) => {
    await api.initiatePayment('sepa-credit-transfers');
    await api.initiatePayment(
      'sepa-credit-transfers',
      paymentBody({ creditorAccount: { iban: 'not an iban' } }),
    );
    await api.initiatePayment('psd2-conformance-unknown-product');
  },
  getPaymentInformation: async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment('sepa-credit-transfers');
    await api.get(api.dialect.paymentUrl('sepa-credit-transfers', paymentId));
    await api.get(api.dialect.paymentUrl('sepa-credit-transfers', 'psd2-conformance-no-such-payment'));
  },
  getPaymentInitiationStatus: async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment('sepa-credit-transfers');
    await api.get(api.dialect.paymentStatusUrl('sepa-credit-transfers', paymentId));
  },
  cancelPayment: async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment('sepa-credit-transfers');
    await api.send({ method: 'DELETE', url: `/v1/payments/sepa-credit-transfers/${paymentId}` });
  },
  startPaymentAuthorisation: async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment('sepa-credit-transfers');
    await api.send({
      method: 'POST',
      url: `/v1/payments/sepa-credit-transfers/${paymentId}/authorisations`,
      psuInitiated: true,
    });
  },
  getPaymentInitiationAuthorisation: async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment('sepa-credit-transfers');
    await api.get(`/v1/payments/sepa-credit-transfers/${paymentId}/authorisations`);
  },
  getPaymentInitiationScaStatus: async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment('sepa-credit-transfers');
    const ids = (await api.get(`/v1/payments/sepa-credit-transfers/${paymentId}/authorisations`)).json<{
      authorisationIds: string[];
    }>();
    await api.get(
      `/v1/payments/sepa-credit-transfers/${paymentId}/authorisations/${ids.authorisationIds[0] ?? 'none'}`,
    );
  },
  checkAvailabilityOfFunds: async ({ api, consent }) => {
    const { accounts } = (await api.read(consent, '/v1/accounts')).json<{ accounts: { iban?: string }[] }>();
    const iban = accounts.find((a) => a.iban)?.iban;
    const extra = api.fundsCall(consent);
    await api.send({
      method: 'POST',
      url: '/v1/funds-confirmations',
      ...extra,
      json: { account: { iban }, instructedAmount: { currency: 'EUR', amount: '1.00' } },
    });
    await api.send({
      method: 'POST',
      url: '/v1/funds-confirmations',
      ...extra,
      json: { instructedAmount: { currency: 'EUR', amount: '1.00' } },
    });
    await api.send({
      method: 'POST',
      url: '/v1/funds-confirmations',
      ...extra,
      json: {
        account: { iban: 'DE02120300000000202051' },
        instructedAmount: { currency: 'EUR', amount: '1.00' },
      },
    });
  },
  requestToken: async ({ api }) => {
    await api.token((oauth) => oauth.clientCredentials());
    await api.token((oauth) => oauth.clientCredentials({ clientSecret: 'psd2-conformance-wrong-secret' }));
    await api.token((oauth) => oauth.token({ grant_type: 'urn:psd2-conformance:unknown' }));
  },
};

async function firstAccount(
  api: CheckFixtures['api'],
  consent: CheckFixtures['consent'],
  url: string,
  key: string,
): Promise<string> {
  const list = api.accountsOf<{ resourceId?: string; accountNumber?: string }>(
    await api.read(consent, url),
    key as 'accounts' | 'cardAccounts',
  );
  expect(list.length, `${url} lists something to read`).toBeGreaterThan(0);
  return encodeURIComponent(api.accountId(list[0]));
}

/**
 * The operation was called and reached its success path at least once: a contract check that only saw
 * error answers has not seen the shape that matters most. Where the profile's contracts have no such
 * operation (myPOS documents no authorisation sub-resources) the call matches nothing and the check says so.
 */
function expectExercised(tpp: CheckFixtures['tpp'], log: CheckFixtures['log'], operationId: string): void {
  const calls = log.entries.filter((e) => e.operationId === operationId);
  const documented = tpp.contract.hasOperation(operationId)
    ? ''
    : ` (the contracts of profile ${tpp.profile.name} have no ${operationId})`;
  expect(calls.length > 0, `${operationId} was called${documented}`).toBe(true);
  const statuses = calls.map((e) => e.exchange.response?.status ?? 0);
  expect(
    statuses.some((status) => status >= 200 && status < 300),
    `${operationId} answered a success at least once (got ${statuses.join(', ')})`,
  ).toBe(true);
}

for (const [operationId, checkId] of CONTRACT_CHECK_FOR_OPERATION) {
  const exercise = EXERCISES[operationId];
  if (!exercise) throw new Error(`no exercise for ${operationId}`);
  // The body names `consent` only for the operations that read accounts, so others skip the browser.
  if (/Account|Balances|Transaction|Card|Funds/.test(operationId)) {
    check(checkId, async ({ api, sca, tpp, log, consent }) => {
      await exercise({ api, sca, tpp, log, consent });
      expectExercised(tpp, log, operationId);
    });
  } else {
    check(checkId, async ({ api, sca, tpp, log }) => {
      await exercise({ api, sca, tpp, log, consent: undefined as never });
      expectExercised(tpp, log, operationId);
    });
  }
}
