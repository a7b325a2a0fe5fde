import { randomBytes } from 'node:crypto';
import { expect } from '@playwright/test';
import { type CheckBody, checksOf, test } from '../../src/checks/check.ts';
import {
  ACCOUNT,
  CARD,
  CARD_BALANCES,
  CARD_LIST,
  CARD_TRANSACTIONS,
  type ReadTarget,
  TRANSACTION,
} from '../../src/harness/ais-reads.ts';
import { expectCreated } from '../../src/harness/expect-created.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import { consentBody, isoDay } from '../../src/harness/test-data.ts';
import type { AuthorisedConsent } from '../../src/sca/flows.ts';
import type { Xs2aApi, Xs2aCall } from '../../src/xs2a/api.ts';

const check = checksOf('Errors');

const SCT = 'sepa-credit-transfers';
/**
 * An X-Request-ID that is not a UUID, new for each call: a bank that takes it remembers it as it would a UUID,
 * and the same malformed ID sent by another check would be refused as reused, whatever the format rule.
 */
const notAUuid = () => `psd2-conformance-${randomBytes(6).toString('hex')}`;
const NOT_AN_IPV4 = '999.1.2.3';
const X_REQUEST_ID = 'BG OpenAPI 1.3.12 X-Request-ID (format uuid); BG IG 1.3 §14.11 FORMAT_ERROR';

/** A valid transactions URL of the consent's first account: only the header under test is wrong. */
async function firstAccountTransactions(api: Xs2aApi, consent: AuthorisedConsent): Promise<string> {
  return `${(await api.firstAccount(consent)).path}/transactions?bookingStatus=booked&dateFrom=${isoDay(-30)}`;
}

/**
 * The payment is initiated with valid headers, and refused with 400 FORMAT_ERROR with `wrong` ones: a bank that
 * refuses the body for another reason does not pass for checking the header.
 */
async function expectPaymentRefusedFor(api: Xs2aApi, wrong: Omit<Xs2aCall, 'method' | 'url'>): Promise<void> {
  const body = await api.flavourPaymentBody('12.34');
  const valid = await api.initiatePayment(SCT, body);
  expectCreated(valid, 'the same payment with valid headers');
  expectError(await api.initiatePayment(SCT, body, wrong), 400, ['FORMAT_ERROR']);
}

test(
  ...check({
    id: 'ERR-018',
    title: 'An X-Request-ID that is not a UUID is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 X-Request-ID (format uuid); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const response = await api.createConsent(consentBody(), { requestId: notAUuid() });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-023',
    title: 'An account read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 getAccountList X-Request-ID (format uuid); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    expectError(await api.read(consent, '/v1/accounts', { requestId: notAUuid() }), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-024',
    title: 'A payment initiation whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 initiatePayment X-Request-ID (format uuid); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    await expectPaymentRefusedFor(api, { requestId: notAUuid() });
  }),
);

test(
  ...check({
    id: 'ERR-019',
    title: 'A PSU-IP-Address that is not an IPv4 address is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 createConsent PSU-IP-Address (format ipv4); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const response = await api.createConsent(consentBody(), {
      headers: { 'psu-ip-address': NOT_AN_IPV4 },
    });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-025',
    title:
      'A payment initiation whose PSU-IP-Address is not an IPv4 address is refused with 400 FORMAT_ERROR',
    reference:
      'BG OpenAPI 1.3.12 initiatePayment PSU-IP-Address (format ipv4); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    await expectPaymentRefusedFor(api, { headers: { 'psu-ip-address': NOT_AN_IPV4 } });
  }),
);

test(
  ...check({
    id: 'ERR-026',
    title:
      'A PSU-initiated account read whose PSU-IP-Address is not an IPv4 address is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 getAccountList PSU-IP-Address (format ipv4); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.read(consent, '/v1/accounts', { headers: { 'psu-ip-address': NOT_AN_IPV4 } });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-027',
    title: 'A consent status read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; getConsentStatus`,
    severity: 'normal',
    operations: ['getConsentStatus'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const url = `${await api.createdConsentPath()}/status`;
    expectError(await api.get(url, { requestId: notAUuid() }), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-028',
    title:
      'A consent deletion whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR, and the consent lives on',
    reference: `${X_REQUEST_ID}; deleteConsent`,
    severity: 'normal',
    operations: ['deleteConsent', 'getConsentStatus'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const url = await api.createdConsentPath();
    expectError(await api.send({ method: 'DELETE', url, requestId: notAUuid() }), 400, ['FORMAT_ERROR']);
    const status = await api.get(`${url}/status`);
    expect(status.json<{ consentStatus?: string }>().consentStatus).not.toBe('terminatedByTpp');
  }),
);

test(
  ...check({
    id: 'ERR-029',
    title: 'A transactions read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; getTransactionList`,
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const url = await firstAccountTransactions(api, consent);
    expectError(await api.read(consent, url, { requestId: notAUuid() }), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-030',
    title: 'A payment status read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; getPaymentInitiationStatus`,
    severity: 'normal',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const created = await api.initiatePayment(SCT);
    expectCreated(created, 'initiating the payment');
    const { paymentId } = created.json<{ paymentId: string }>();
    const { response } = await api.paymentStatus(SCT, paymentId, { requestId: notAUuid() });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-031',
    title: 'An empty X-Request-ID is refused with 400 FORMAT_ERROR',
    reference: X_REQUEST_ID,
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    expectError(await api.createConsent(consentBody(), { requestId: '' }), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-032',
    title:
      'A PSU-initiated transactions read whose PSU-IP-Address is not an IPv4 address is refused with 400 FORMAT_ERROR',
    reference:
      'BG OpenAPI 1.3.12 getTransactionList PSU-IP-Address (format ipv4); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const url = await firstAccountTransactions(api, consent);
    const response = await api.read(consent, url, { headers: { 'psu-ip-address': NOT_AN_IPV4 } });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-035',
    title: 'A consent details read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; getConsentInformation`,
    severity: 'normal',
    operations: ['getConsentInformation'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    expectError(await api.get(await api.createdConsentPath(), { requestId: notAUuid() }), 400, [
      'FORMAT_ERROR',
    ]);
  }),
);

/** A funds confirmation of 1.00 EUR on the consent's first account with an IBAN. */
async function fundsConfirmation(api: Xs2aApi, consent: AuthorisedConsent): Promise<Xs2aCall> {
  const { iban } = await api.firstAccount(consent, { withIban: true });
  return {
    method: 'POST',
    url: '/v1/funds-confirmations',
    json: { account: { iban }, instructedAmount: { currency: 'EUR', amount: '1.00' } },
    ...api.fundsCall(consent),
  };
}

/**
 * Starting an authorisation of the resource at `path` with `wrong` headers is refused with 400 FORMAT_ERROR and
 * starts none.
 */
async function expectNoAuthorisationStartedFor(
  api: Xs2aApi,
  path: string,
  wrong: Omit<Xs2aCall, 'method' | 'url'>,
): Promise<void> {
  const before = (await api.authorisationIds(path)).length;
  expectError(await api.startAuthorisation(path, wrong), 400, ['FORMAT_ERROR']);
  expect(await api.authorisationIds(path), 'authorisations after the refused start').toHaveLength(before);
}

test(
  ...check({
    id: 'ERR-036',
    title:
      'A payment cancellation whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR, and the payment stands',
    reference: `${X_REQUEST_ID}; cancelPayment`,
    severity: 'normal',
    operations: ['cancelPayment', 'getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers', 'paymentCancellation'],
  })(async ({ api }) => {
    const { path, paymentId } = await api.createdPayment(SCT);
    expectError(await api.send({ method: 'DELETE', url: path, requestId: notAUuid() }), 400, [
      'FORMAT_ERROR',
    ]);
    expect(
      (await api.paymentStatus(SCT, paymentId)).status,
      'the payment after the refused cancellation',
    ).not.toBe('CANC');
  }),
);

test(
  ...check({
    id: 'ERR-037',
    title: 'A funds confirmation whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; checkAvailabilityOfFunds`,
    severity: 'normal',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', 'negative'],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const call = await fundsConfirmation(api, consent);
    const valid = await api.send(call);
    expect(valid.status, `the same confirmation with a valid X-Request-ID: ${valid.body.slice(0, 200)}`).toBe(
      200,
    );
    expectError(await api.send({ ...call, requestId: notAUuid() }), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-038',
    title: 'A balances read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; getBalances`,
    severity: 'normal',
    operations: ['getBalances'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const url = `${(await api.firstAccount(consent)).path}/balances`;
    const response = await api.read(consent, url, { psuInitiated: true, requestId: notAUuid() });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-039',
    title: 'An account details read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; readAccountDetails`,
    severity: 'normal',
    operations: ['readAccountDetails'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const url = (await api.firstAccount(consent)).path;
    const response = await api.read(consent, url, { psuInitiated: true, requestId: notAUuid() });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-040',
    title: 'A payment details read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; getPaymentInformation`,
    severity: 'normal',
    operations: ['getPaymentInformation'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const { path } = await api.createdPayment(SCT);
    expectError(await api.get(path, { requestId: notAUuid() }), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-041',
    title:
      "A consent's authorisation start whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR and starts none",
    reference: `${X_REQUEST_ID}; startConsentAuthorisation`,
    severity: 'normal',
    operations: ['startConsentAuthorisation', 'getConsentAuthorisation'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    await expectNoAuthorisationStartedFor(api, await api.createdConsentPath(), { requestId: notAUuid() });
  }),
);

test(
  ...check({
    id: 'ERR-042',
    title:
      "A consent's authorisation list read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR",
    reference: `${X_REQUEST_ID}; getConsentAuthorisation`,
    severity: 'normal',
    operations: ['getConsentAuthorisation'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const url = `${await api.createdConsentPath()}/authorisations`;
    expectError(await api.get(url, { requestId: notAUuid() }), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-043',
    title:
      "A payment's authorisation start whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR and starts none",
    reference: `${X_REQUEST_ID}; startPaymentAuthorisation`,
    severity: 'normal',
    operations: ['startPaymentAuthorisation', 'getPaymentInitiationAuthorisation'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const { path } = await api.createdPayment(SCT);
    await expectNoAuthorisationStartedFor(api, path, { requestId: notAUuid() });
  }),
);

test(
  ...check({
    id: 'ERR-044',
    title:
      'A PSU-initiated balances read whose PSU-IP-Address is not an IPv4 address is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 getBalances PSU-IP-Address (format ipv4); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['getBalances'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const url = `${(await api.firstAccount(consent)).path}/balances`;
    const response = await api.read(consent, url, { headers: { 'psu-ip-address': NOT_AN_IPV4 } });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-045',
    title:
      "A consent's authorisation start whose PSU-IP-Address is not an IPv4 address is refused with 400 FORMAT_ERROR and starts none",
    reference:
      'BG OpenAPI 1.3.12 startConsentAuthorisation PSU-IP-Address (format ipv4); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['startConsentAuthorisation', 'getConsentAuthorisation'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    await expectNoAuthorisationStartedFor(api, await api.createdConsentPath(), {
      headers: { 'psu-ip-address': NOT_AN_IPV4 },
    });
  }),
);

test(
  ...check({
    id: 'ERR-046',
    title:
      "A payment's authorisation list read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR",
    reference: `${X_REQUEST_ID}; getPaymentInitiationAuthorisation`,
    severity: 'normal',
    operations: ['getPaymentInitiationAuthorisation'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const { path } = await api.createdPayment(SCT);
    expectError(await api.get(`${path}/authorisations`, { requestId: notAUuid() }), 400, ['FORMAT_ERROR']);
  }),
);

/** The scaStatus URL of an authorisation started on the consent or payment at `path`. */
async function startedAuthorisationUrl(api: Xs2aApi, path: string): Promise<string> {
  const started = await api.startAuthorisation(path);
  expect(started.status, `starting an authorisation: ${started.body.slice(0, 200)}`).toBe(201);
  const { authorisationId } = started.json<{ authorisationId: string }>();
  return `${path}/authorisations/${encodeURIComponent(authorisationId)}`;
}

test(
  ...check({
    id: 'ERR-050',
    title: 'A consent status read with an empty X-Request-ID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; getConsentStatus`,
    severity: 'normal',
    operations: ['getConsentStatus'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const url = `${await api.createdConsentPath()}/status`;
    expectError(await api.get(url, { requestId: '' }), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-052',
    title: 'A payment status read with an empty X-Request-ID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; getPaymentInitiationStatus`,
    severity: 'normal',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const { paymentId } = await api.createdPayment(SCT);
    expectError((await api.paymentStatus(SCT, paymentId, { requestId: '' })).response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-053',
    title:
      "A consent authorisation's scaStatus read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR",
    reference: `${X_REQUEST_ID}; getConsentScaStatus`,
    severity: 'normal',
    operations: ['startConsentAuthorisation', 'getConsentScaStatus'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const url = await startedAuthorisationUrl(api, await api.createdConsentPath());
    expectError(await api.get(url, { requestId: notAUuid() }), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-054',
    title:
      "A payment authorisation's scaStatus read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR",
    reference: `${X_REQUEST_ID}; getPaymentInitiationScaStatus`,
    severity: 'normal',
    operations: ['startPaymentAuthorisation', 'getPaymentInitiationScaStatus'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const url = await startedAuthorisationUrl(api, (await api.createdPayment(SCT)).path);
    expectError(await api.get(url, { requestId: notAUuid() }), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-055',
    title:
      "A payment's authorisation start whose PSU-IP-Address is not an IPv4 address is refused with 400 FORMAT_ERROR and starts none",
    reference:
      'BG OpenAPI 1.3.12 startPaymentAuthorisation PSU-IP-Address (format ipv4); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['startPaymentAuthorisation', 'getPaymentInitiationAuthorisation'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const { path } = await api.createdPayment(SCT);
    await expectNoAuthorisationStartedFor(api, path, { headers: { 'psu-ip-address': NOT_AN_IPV4 } });
  }),
);

/** An account-information read whose X-Request-ID is not a UUID, refused with 400 FORMAT_ERROR. */
function readWithMalformedRequestId(target: ReadTarget): CheckBody {
  return async ({ api, consent }) => {
    const url = await target(api, consent);
    expectError(await api.read(consent, url, { psuInitiated: true, requestId: notAUuid() }), 400, [
      'FORMAT_ERROR',
    ]);
  };
}

/** A PSU-initiated account-information read whose PSU-IP-Address is not an IPv4 address, refused likewise. */
function readWithMalformedPsuIp(target: ReadTarget): CheckBody {
  return async ({ api, consent }) => {
    const url = await target(api, consent);
    expectError(await api.read(consent, url, { headers: { 'psu-ip-address': NOT_AN_IPV4 } }), 400, [
      'FORMAT_ERROR',
    ]);
  };
}

const PSU_IP_ADDRESS = 'BG OpenAPI 1.3.12 PSU-IP-Address (format ipv4); BG IG 1.3 §14.11 FORMAT_ERROR';

test(
  ...check({
    id: 'ERR-056',
    title: 'A transaction details read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; getTransactionDetails`,
    severity: 'normal',
    operations: ['getTransactionDetails'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(readWithMalformedRequestId(TRANSACTION)),
);

test(
  ...check({
    id: 'ERR-057',
    title: 'A card account list read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; getCardAccountList`,
    severity: 'normal',
    operations: ['getCardAccountList'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(readWithMalformedRequestId(CARD_LIST)),
);

test(
  ...check({
    id: 'ERR-058',
    title: 'A card account details read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; readCardAccountDetails`,
    severity: 'normal',
    operations: ['readCardAccountDetails'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(readWithMalformedRequestId(CARD)),
);

test(
  ...check({
    id: 'ERR-059',
    title: 'A card account balances read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; getCardAccountBalances`,
    severity: 'normal',
    operations: ['getCardAccountBalances'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(readWithMalformedRequestId(CARD_BALANCES)),
);

test(
  ...check({
    id: 'ERR-060',
    title: 'A card transactions read whose X-Request-ID is not a UUID is refused with 400 FORMAT_ERROR',
    reference: `${X_REQUEST_ID}; getCardAccountTransactionList`,
    severity: 'normal',
    operations: ['getCardAccountTransactionList'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(readWithMalformedRequestId(CARD_TRANSACTIONS)),
);

test(
  ...check({
    id: 'ERR-061',
    title:
      'A PSU-initiated account details read whose PSU-IP-Address is not an IPv4 address is refused with 400 FORMAT_ERROR',
    reference: `${PSU_IP_ADDRESS}; readAccountDetails`,
    severity: 'normal',
    operations: ['readAccountDetails'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(readWithMalformedPsuIp(ACCOUNT)),
);

test(
  ...check({
    id: 'ERR-062',
    title:
      'A PSU-initiated transaction details read whose PSU-IP-Address is not an IPv4 address is refused with 400 FORMAT_ERROR',
    reference: `${PSU_IP_ADDRESS}; getTransactionDetails`,
    severity: 'normal',
    operations: ['getTransactionDetails'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(readWithMalformedPsuIp(TRANSACTION)),
);

test(
  ...check({
    id: 'ERR-063',
    title:
      'A PSU-initiated card account list read whose PSU-IP-Address is not an IPv4 address is refused with 400 FORMAT_ERROR',
    reference: `${PSU_IP_ADDRESS}; getCardAccountList`,
    severity: 'normal',
    operations: ['getCardAccountList'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(readWithMalformedPsuIp(CARD_LIST)),
);

test(
  ...check({
    id: 'ERR-064',
    title:
      'A PSU-initiated card account balances read whose PSU-IP-Address is not an IPv4 address is refused with 400 FORMAT_ERROR',
    reference: `${PSU_IP_ADDRESS}; getCardAccountBalances`,
    severity: 'normal',
    operations: ['getCardAccountBalances'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(readWithMalformedPsuIp(CARD_BALANCES)),
);

test(
  ...check({
    id: 'ERR-065',
    title:
      'A PSU-initiated card transactions read whose PSU-IP-Address is not an IPv4 address is refused with 400 FORMAT_ERROR',
    reference: `${PSU_IP_ADDRESS}; getCardAccountTransactionList`,
    severity: 'normal',
    operations: ['getCardAccountTransactionList'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(readWithMalformedPsuIp(CARD_TRANSACTIONS)),
);
