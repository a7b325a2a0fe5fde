import { randomBytes } from 'node:crypto';
import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { consentBody, isoDay, type Xs2aApi, type Xs2aCall } from '../../src/suite/api.ts';
import { expectError } from '../../src/suite/expect-error.ts';
import type { AuthorisedConsent } from '../../src/suite/flows.ts';

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
  // PSU-initiated: a read of the run's shared consent that does not use up its frequencyPerDay.
  const list = await api.read(consent, '/v1/accounts', { psuInitiated: true });
  expect(list.status, `listing the accounts: ${list.body.slice(0, 200)}`).toBe(200);
  const accountId = api.accountId(api.accountsOf<{ resourceId?: string }>(list)[0]);
  return `/v1/accounts/${encodeURIComponent(accountId)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-30)}`;
}

/**
 * The payment is initiated with valid headers, and refused with 400 FORMAT_ERROR with `wrong` ones: a bank that
 * refuses the body for another reason does not pass for checking the header.
 */
async function expectPaymentRefusedFor(api: Xs2aApi, wrong: Omit<Xs2aCall, 'method' | 'url'>): Promise<void> {
  const body = await api.dialectPaymentBody('12.34');
  const valid = await api.initiatePayment(SCT, body);
  expect(valid.status, `the same payment with valid headers: ${valid.body.slice(0, 200)}`).toBe(201);
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
    expect(created.status, `initiating the payment: ${created.body.slice(0, 200)}`).toBe(201);
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
