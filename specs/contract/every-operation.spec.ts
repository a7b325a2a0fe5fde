import { expect } from '@playwright/test';
import { type CheckBody, type CheckFixtures, checksOf, test } from '../../src/checks/check.ts';
import { isoDay, paymentBody } from '../../src/harness/test-data.ts';

const check = checksOf('Contract');

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
    await api.get(api.flavour.paymentUrl('sepa-credit-transfers', paymentId));
    await api.get(api.flavour.paymentUrl('sepa-credit-transfers', 'psd2-conformance-no-such-payment'));
  },
  getPaymentInitiationStatus: async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment('sepa-credit-transfers');
    await api.get(api.flavour.paymentStatusUrl('sepa-credit-transfers', paymentId));
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

/** The operation exercised, each of its responses held to its contract by the check (and a success seen). */
function exercised(operationId: string): CheckBody {
  const exercise = EXERCISES[operationId];
  if (!exercise) throw new Error(`no exercise for ${operationId}`);
  return async (fixtures) => {
    await exercise(fixtures);
    expectExercised(fixtures.tpp, fixtures.log, operationId);
  };
}

test(
  ...check({
    id: 'CTR-001',
    title:
      'Every createConsent response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.3.1.1 createConsent; openapi contract',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory'],
  })(exercised('createConsent')),
);

test(
  ...check({
    id: 'CTR-002',
    title:
      'Every getConsentInformation response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.3.4 getConsentInformation; openapi contract',
    severity: 'critical',
    operations: ['getConsentInformation'],
    tags: ['mandatory'],
  })(exercised('getConsentInformation')),
);

test(
  ...check({
    id: 'CTR-003',
    title:
      'Every getConsentStatus response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.3.3 getConsentStatus; openapi contract',
    severity: 'critical',
    operations: ['getConsentStatus'],
    tags: ['mandatory'],
  })(exercised('getConsentStatus')),
);

test(
  ...check({
    id: 'CTR-004',
    title:
      'Every deleteConsent response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.3.5 deleteConsent; openapi contract',
    severity: 'critical',
    operations: ['deleteConsent'],
    tags: ['mandatory'],
  })(exercised('deleteConsent')),
);

test(
  ...check({
    id: 'CTR-005',
    title:
      'Every startConsentAuthorisation response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §7.1 startConsentAuthorisation; openapi contract',
    severity: 'critical',
    operations: ['startConsentAuthorisation'],
    tags: ['mandatory'],
  })(exercised('startConsentAuthorisation')),
);

test(
  ...check({
    id: 'CTR-006',
    title:
      'Every getConsentAuthorisation response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §7.5 getConsentAuthorisation; openapi contract',
    severity: 'critical',
    operations: ['getConsentAuthorisation'],
    tags: ['mandatory'],
  })(exercised('getConsentAuthorisation')),
);

test(
  ...check({
    id: 'CTR-007',
    title:
      'Every getConsentScaStatus response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §7.6 getConsentScaStatus; openapi contract',
    severity: 'critical',
    operations: ['getConsentScaStatus'],
    tags: ['mandatory'],
  })(exercised('getConsentScaStatus')),
);

test(
  ...check({
    id: 'CTR-008',
    title:
      'Every getAccountList response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.4.1 getAccountList; openapi contract',
    severity: 'critical',
    operations: ['getAccountList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(exercised('getAccountList')),
);

test(
  ...check({
    id: 'CTR-009',
    title:
      'Every readAccountDetails response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.4.2 readAccountDetails; openapi contract',
    severity: 'critical',
    operations: ['readAccountDetails'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(exercised('readAccountDetails')),
);

test(
  ...check({
    id: 'CTR-010',
    title:
      'Every getBalances response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.5.1 getBalances; openapi contract',
    severity: 'critical',
    operations: ['getBalances'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(exercised('getBalances')),
);

test(
  ...check({
    id: 'CTR-011',
    title:
      'Every getTransactionList response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.6.1 getTransactionList; openapi contract',
    severity: 'critical',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(exercised('getTransactionList')),
);

test(
  ...check({
    id: 'CTR-012',
    title:
      'Every getTransactionDetails response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.6.3 getTransactionDetails; openapi contract',
    severity: 'critical',
    operations: ['getTransactionDetails'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(exercised('getTransactionDetails')),
);

test(
  ...check({
    id: 'CTR-013',
    title:
      'Every getCardAccountList response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.7.1 getCardAccountList; openapi contract',
    severity: 'critical',
    operations: ['getCardAccountList'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(exercised('getCardAccountList')),
);

test(
  ...check({
    id: 'CTR-014',
    title:
      'Every readCardAccountDetails response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.7.2 readCardAccountDetails; openapi contract',
    severity: 'critical',
    operations: ['readCardAccountDetails'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(exercised('readCardAccountDetails')),
);

test(
  ...check({
    id: 'CTR-015',
    title:
      'Every getCardAccountBalances response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.7.3 getCardAccountBalances; openapi contract',
    severity: 'critical',
    operations: ['getCardAccountBalances'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(exercised('getCardAccountBalances')),
);

test(
  ...check({
    id: 'CTR-016',
    title:
      'Every getCardAccountTransactionList response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §6.7.4 getCardAccountTransactionList; openapi contract',
    severity: 'critical',
    operations: ['getCardAccountTransactionList'],
    tags: ['mandatory'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(exercised('getCardAccountTransactionList')),
);

test(
  ...check({
    id: 'CTR-017',
    title:
      'Every initiatePayment response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §5.3.1 initiatePayment; openapi contract',
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(exercised('initiatePayment')),
);

test(
  ...check({
    id: 'CTR-018',
    title:
      'Every getPaymentInformation response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §5.5 getPaymentInformation; openapi contract',
    severity: 'critical',
    operations: ['getPaymentInformation'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(exercised('getPaymentInformation')),
);

test(
  ...check({
    id: 'CTR-019',
    title:
      'Every getPaymentInitiationStatus response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §5.6 getPaymentInitiationStatus; openapi contract',
    severity: 'critical',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(exercised('getPaymentInitiationStatus')),
);

test(
  ...check({
    id: 'CTR-020',
    title:
      'Every cancelPayment response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §5.4 cancelPayment; openapi contract',
    severity: 'critical',
    operations: ['cancelPayment'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers', 'paymentCancellation'],
  })(exercised('cancelPayment')),
);

test(
  ...check({
    id: 'CTR-021',
    title:
      'Every startPaymentAuthorisation response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §7.1 startPaymentAuthorisation; openapi contract',
    severity: 'critical',
    operations: ['startPaymentAuthorisation'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(exercised('startPaymentAuthorisation')),
);

test(
  ...check({
    id: 'CTR-022',
    title:
      'Every getPaymentInitiationAuthorisation response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §7.5 getPaymentInitiationAuthorisation; openapi contract',
    severity: 'critical',
    operations: ['getPaymentInitiationAuthorisation'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(exercised('getPaymentInitiationAuthorisation')),
);

test(
  ...check({
    id: 'CTR-023',
    title:
      'Every getPaymentInitiationScaStatus response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §7.6 getPaymentInitiationScaStatus; openapi contract',
    severity: 'critical',
    operations: ['getPaymentInitiationScaStatus'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(exercised('getPaymentInitiationScaStatus')),
);

test(
  ...check({
    id: 'CTR-024',
    title:
      'Every checkAvailabilityOfFunds response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'BG IG 1.3 §8.1 checkAvailabilityOfFunds; openapi contract',
    severity: 'critical',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory'],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(exercised('checkAvailabilityOfFunds')),
);

test(
  ...check({
    id: 'CTR-025',
    title:
      'Every requestToken response matches its contract (status, headers, media type, body, X-Request-ID echoed)',
    reference: 'RFC 6749 §5.1, §5.2 requestToken; openapi contract',
    severity: 'critical',
    operations: ['requestToken'],
    tags: ['mandatory'],
  })(exercised('requestToken')),
);
