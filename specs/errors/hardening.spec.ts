import { expect } from '@playwright/test';
import { type CheckBody, checksOf, test } from '../../src/checks/check.ts';
import {
  ACCOUNT,
  BALANCES,
  CARD,
  CARD_LIST,
  CARD_TRANSACTIONS,
  type ReadTarget,
  TRANSACTION,
  TRANSACTIONS,
} from '../../src/harness/ais-reads.ts';
import { errorCodes, expectError } from '../../src/harness/expect-error.ts';
import { consentBody } from '../../src/harness/test-data.ts';
import type { AuthorisedConsent } from '../../src/sca/flows.ts';
import type { Xs2aApi, Xs2aCall, Xs2aResponse } from '../../src/xs2a/api.ts';

const check = checksOf('Errors');

const SCT = 'sepa-credit-transfers';
const JSON_TYPE = 'application/json';
/** Far beyond any XS2A request body; a bank that stores it stores whatever a hostile client sends. */
const OVERSIZED_BYTES = 4 * 1024 * 1024;
/** Deep enough to overflow an unbounded recursive walk of the parsed body (about 100 KB on the wire). */
const NESTING = 50_000;
const deeplyNested = () => `${'['.repeat(NESTING)}${']'.repeat(NESTING)}`;
/** Resource IDs no bank issues: a path traversal, a NUL byte, a header injection. */
const HOSTILE_IDS = ['..%2F..%2F..%2Fetc%2Fpasswd', '%00', 'id%0D%0ASet-Cookie:%20psd2=injected'];
const UNKNOWN_QUERY = 'psd2ConformanceProbe=1';

const OVERSIZED_REFERENCE = 'RFC 9110 §15.5.14 (413 Content Too Large); BG IG 1.3 §14.11 FORMAT_ERROR';
const NESTED_REFERENCE =
  'BG IG 1.3 §14.11 FORMAT_ERROR; RFC 8259 §9 (a parser may limit the depth of nesting)';
const HOSTILE_ID_REFERENCE = 'BG IG 1.3 §14.11 RESOURCE_UNKNOWN, FORMAT_ERROR; RFC 3986 §3.3';
const UNKNOWN_QUERY_REFERENCE = 'BG IG 1.3 §14.11 PARAMETER_NOT_SUPPORTED, FORMAT_ERROR';

/** Where a body of the operation goes, with the headers it needs besides the body. */
interface BodyTarget {
  url: string;
  valid: (api: Xs2aApi, consent: AuthorisedConsent) => Promise<Record<string, unknown>>;
  extra: (
    api: Xs2aApi,
    consent: AuthorisedConsent,
  ) => Pick<Xs2aCall, 'psuInitiated' | 'headers' | 'consentId'>;
}

const redirectHeaders = (api: Xs2aApi) => ({
  psuInitiated: true,
  headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
});

const CONSENT: BodyTarget = {
  url: '/v1/consents',
  valid: async () => consentBody(),
  extra: redirectHeaders,
};
const PAYMENT: BodyTarget = {
  url: `/v1/payments/${SCT}`,
  valid: (api) => api.flavourPaymentBody('12.34'),
  extra: redirectHeaders,
};
const FUNDS: BodyTarget = {
  url: '/v1/funds-confirmations',
  valid: async (api, consent) => {
    const { iban } = await api.firstAccount(consent, { withIban: true });
    return { account: { iban }, instructedAmount: { currency: 'EUR', amount: '1.00' } };
  },
  extra: (api, consent) => api.fundsCall(consent),
};

function sendRaw(api: Xs2aApi, target: BodyTarget, consent: AuthorisedConsent, body: string) {
  const extra = target.extra(api, consent);
  return api.send({
    method: 'POST',
    url: target.url,
    ...extra,
    headers: { ...extra.headers, 'content-type': JSON_TYPE },
    body,
    timeoutMs: 20_000,
  });
}

/**
 * A valid body of the operation padded to 4 MiB with one more field is refused with 413 or 400. Only the
 * funds confirmation reads the run's consent (for an account to name); the others never touch it.
 */
function refusesOversized(target: BodyTarget): CheckBody {
  return async ({ api, consent }) => {
    const context = target === FUNDS ? consent : NO_CONSENT;
    const valid = await target.valid(api, context);
    const padding = 'x'.repeat(OVERSIZED_BYTES);
    const response = await sendRaw(api, target, context, JSON.stringify({ ...valid, padding }));
    expect([400, 413], `a body of ${OVERSIZED_BYTES} bytes: ${summary(response)}`).toContain(response.status);
  };
}

/** A body of 50,000 nested arrays is refused with 400 FORMAT_ERROR (or 413), never a 500 or a hang. */
function refusesDeeplyNested(target: BodyTarget): CheckBody {
  return async ({ api, consent }) => {
    const response = await sendRaw(api, target, target === FUNDS ? consent : NO_CONSENT, deeplyNested());
    if (response.status === 413) return;
    expectError(response, 400, ['FORMAT_ERROR']);
  };
}

/** Stands in for the run's consent where a target does not read it. */
const NO_CONSENT = { consentId: '', accessToken: '' } as AuthorisedConsent;

/** Each hostile resource ID in place of a real one is refused with 400, 403 or 404, never a 500. */
function refusesHostileIds(url: (api: Xs2aApi, id: string) => Promise<string>): CheckBody {
  return async ({ api }) => {
    for (const id of HOSTILE_IDS) {
      expectRefusedId(id, await api.get(await url(api, id)));
    }
  };
}

/** The account-information read with a hostile ID in place of its last path segment. */
function refusesHostileReadIds(target: ReadTarget, segmentFromEnd = 0): CheckBody {
  return async ({ api, consent }) => {
    const [path = '', query] = (await target(api, consent)).split('?');
    const segments = path.split('/');
    for (const id of HOSTILE_IDS) {
      const hostile = segments.map((s, i) => (i === segments.length - 1 - segmentFromEnd ? id : s)).join('/');
      const url = query === undefined ? hostile : `${hostile}?${query}`;
      expectRefusedId(id, await api.read(consent, url, { psuInitiated: true }));
    }
  };
}

function expectRefusedId(id: string, response: Xs2aResponse): void {
  const shown = `resource ID "${decodeURIComponent(id)}": ${summary(response)}`;
  expect([400, 401, 403, 404], shown).toContain(response.status);
  expect(response.header('set-cookie') ?? '', `a header the ID injected; ${shown}`).not.toContain(
    'psd2=injected',
  );
}

/**
 * The read answers with an unknown query parameter as it does without it, or refuses it with 400 FORMAT_ERROR or
 * PARAMETER_NOT_SUPPORTED; never a 500.
 */
async function expectUnknownQueryTolerated(
  read: (url: string) => Promise<Xs2aResponse>,
  plain: string,
): Promise<void> {
  const without = await read(plain);
  expect(without.status, `the read without the parameter: ${summary(without)}`).toBe(200);
  const probed = await read(`${plain}${plain.includes('?') ? '&' : '?'}${UNKNOWN_QUERY}`);
  if (probed.status === 400) {
    const codes = errorCodes(probed);
    expect(
      codes.some((c) => c === 'FORMAT_ERROR' || c === 'PARAMETER_NOT_SUPPORTED'),
      `a 400 names FORMAT_ERROR or PARAMETER_NOT_SUPPORTED: ${summary(probed)}`,
    ).toBe(true);
    return;
  }
  expect(probed.status, `the read with ${UNKNOWN_QUERY}: ${summary(probed)}`).toBe(200);
}

function toleratesUnknownQueryOnRead(target: ReadTarget): CheckBody {
  return async ({ api, consent }) => {
    const read = (url: string) => api.read(consent, url, { psuInitiated: true });
    await expectUnknownQueryTolerated(read, await target(api, consent));
  };
}

function toleratesUnknownQuery(resource: (api: Xs2aApi) => Promise<string>, suffix: string): CheckBody {
  return async ({ api }) => {
    await expectUnknownQueryTolerated((url) => api.get(url), `${await resource(api)}${suffix}`);
  };
}

const summary = (response: Xs2aResponse) => `HTTP ${response.status} ${response.body.slice(0, 160)}`;
const consentPath = (api: Xs2aApi) => api.createdConsentPath();
const paymentPath = async (api: Xs2aApi) => (await api.createdPayment(SCT)).path;

const HOSTILE = ['negative', 'security'] as const;

test(
  ...check({
    id: 'ERR-066',
    title: 'A consent request body of 4 MiB is refused with 413 or 400',
    reference: OVERSIZED_REFERENCE,
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['createConsent'],
    tags: [...HOSTILE],
  })(refusesOversized(CONSENT)),
);

test(
  ...check({
    id: 'ERR-067',
    title: 'A payment initiation body of 4 MiB is refused with 413 or 400',
    reference: OVERSIZED_REFERENCE,
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['initiatePayment'],
    tags: [...HOSTILE],
    requires: ['sepa-credit-transfers'],
  })(refusesOversized(PAYMENT)),
);

test(
  ...check({
    id: 'ERR-068',
    title: 'A funds confirmation body of 4 MiB is refused with 413 or 400',
    reference: OVERSIZED_REFERENCE,
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['checkAvailabilityOfFunds'],
    tags: [...HOSTILE],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(refusesOversized(FUNDS)),
);

test(
  ...check({
    id: 'ERR-069',
    title: 'A consent request body of 50,000 nested arrays is refused with 400 FORMAT_ERROR, never a 500',
    reference: NESTED_REFERENCE,
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory', ...HOSTILE],
  })(refusesDeeplyNested(CONSENT)),
);

test(
  ...check({
    id: 'ERR-070',
    title: 'A payment initiation body of 50,000 nested arrays is refused with 400 FORMAT_ERROR, never a 500',
    reference: NESTED_REFERENCE,
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: ['mandatory', ...HOSTILE],
    requires: ['sepa-credit-transfers'],
  })(refusesDeeplyNested(PAYMENT)),
);

test(
  ...check({
    id: 'ERR-071',
    title: 'A funds confirmation body of 50,000 nested arrays is refused with 400 FORMAT_ERROR, never a 500',
    reference: NESTED_REFERENCE,
    severity: 'critical',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', ...HOSTILE],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(refusesDeeplyNested(FUNDS)),
);

test(
  ...check({
    id: 'ERR-072',
    title: 'A consent status read for a hostile consentId (../, NUL, CR LF) is refused with 400, 403 or 404',
    reference: HOSTILE_ID_REFERENCE,
    severity: 'critical',
    operations: ['getConsentStatus'],
    tags: ['mandatory', ...HOSTILE],
  })(refusesHostileIds(async (_api, id) => `/v1/consents/${id}/status`)),
);

test(
  ...check({
    id: 'ERR-073',
    title: 'A consent read for a hostile consentId (../, NUL, CR LF) is refused with 400, 403 or 404',
    reference: HOSTILE_ID_REFERENCE,
    severity: 'critical',
    operations: ['getConsentInformation'],
    tags: ['mandatory', ...HOSTILE],
  })(refusesHostileIds(async (_api, id) => `/v1/consents/${id}`)),
);

test(
  ...check({
    id: 'ERR-074',
    title: 'A payment status read for a hostile paymentId (../, NUL, CR LF) is refused with 400, 403 or 404',
    reference: HOSTILE_ID_REFERENCE,
    severity: 'critical',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory', ...HOSTILE],
    requires: ['sepa-credit-transfers'],
  })(refusesHostileIds(async (_api, id) => `/v1/payments/${SCT}/${id}/status`)),
);

test(
  ...check({
    id: 'ERR-075',
    title: 'A payment read for a hostile paymentId (../, NUL, CR LF) is refused with 400, 403 or 404',
    reference: HOSTILE_ID_REFERENCE,
    severity: 'critical',
    operations: ['getPaymentInformation'],
    tags: ['mandatory', ...HOSTILE],
    requires: ['sepa-credit-transfers'],
  })(refusesHostileIds(async (_api, id) => `/v1/payments/${SCT}/${id}`)),
);

test(
  ...check({
    id: 'ERR-076',
    title:
      "A payment authorisation's scaStatus read for a hostile authorisationId (../, NUL, CR LF) is refused with 400, 403 or 404",
    reference: HOSTILE_ID_REFERENCE,
    severity: 'critical',
    operations: ['getPaymentInitiationScaStatus'],
    tags: ['mandatory', ...HOSTILE],
    requires: ['sepa-credit-transfers'],
  })(refusesHostileIds(async (api, id) => `${await paymentPath(api)}/authorisations/${id}`)),
);

test(
  ...check({
    id: 'ERR-077',
    title: 'Account details for a hostile account-id (../, NUL, CR LF) are refused with 400, 403 or 404',
    reference: HOSTILE_ID_REFERENCE,
    severity: 'critical',
    operations: ['readAccountDetails'],
    tags: ['mandatory', ...HOSTILE],
    needs: ['consent'],
  })(refusesHostileReadIds(ACCOUNT)),
);

test(
  ...check({
    id: 'ERR-078',
    title:
      'Transaction details for a hostile transactionId (../, NUL, CR LF) are refused with 400, 403 or 404',
    reference: HOSTILE_ID_REFERENCE,
    severity: 'critical',
    operations: ['getTransactionDetails'],
    tags: ['mandatory', ...HOSTILE],
    needs: ['consent'],
  })(refusesHostileReadIds(TRANSACTION)),
);

test(
  ...check({
    id: 'ERR-079',
    title:
      'An account list read with an unknown query parameter is answered as without it, or refused with 400',
    reference: UNKNOWN_QUERY_REFERENCE,
    severity: 'normal',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(toleratesUnknownQueryOnRead(async () => '/v1/accounts')),
);

test(
  ...check({
    id: 'ERR-080',
    title: 'A balances read with an unknown query parameter is answered as without it, or refused with 400',
    reference: UNKNOWN_QUERY_REFERENCE,
    severity: 'normal',
    operations: ['getBalances'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(toleratesUnknownQueryOnRead(BALANCES)),
);

test(
  ...check({
    id: 'ERR-081',
    title:
      'A transactions read with an unknown query parameter is answered as without it, or refused with 400',
    reference: UNKNOWN_QUERY_REFERENCE,
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(toleratesUnknownQueryOnRead(TRANSACTIONS)),
);

test(
  ...check({
    id: 'ERR-082',
    title:
      'A consent status read with an unknown query parameter is answered as without it, or refused with 400',
    reference: UNKNOWN_QUERY_REFERENCE,
    severity: 'normal',
    operations: ['getConsentStatus'],
    tags: ['mandatory', 'negative'],
  })(toleratesUnknownQuery(consentPath, '/status')),
);

test(
  ...check({
    id: 'ERR-083',
    title:
      'A payment status read with an unknown query parameter is answered as without it, or refused with 400',
    reference: UNKNOWN_QUERY_REFERENCE,
    severity: 'normal',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(toleratesUnknownQuery(paymentPath, '/status')),
);

test(
  ...check({
    id: 'ERR-084',
    title: 'A balances read for a hostile account-id (../, NUL, CR LF) is refused with 400, 403 or 404',
    reference: HOSTILE_ID_REFERENCE,
    severity: 'critical',
    operations: ['getBalances'],
    tags: ['mandatory', ...HOSTILE],
    needs: ['consent'],
  })(refusesHostileReadIds(BALANCES, 1)),
);

test(
  ...check({
    id: 'ERR-085',
    title: 'A transactions read for a hostile account-id (../, NUL, CR LF) is refused with 400, 403 or 404',
    reference: HOSTILE_ID_REFERENCE,
    severity: 'critical',
    operations: ['getTransactionList'],
    tags: ['mandatory', ...HOSTILE],
    needs: ['consent'],
  })(refusesHostileReadIds(TRANSACTIONS, 1)),
);

test(
  ...check({
    id: 'ERR-086',
    title: 'Card account details for a hostile account-id (../, NUL, CR LF) are refused with 400, 403 or 404',
    reference: HOSTILE_ID_REFERENCE,
    severity: 'critical',
    operations: ['readCardAccountDetails'],
    tags: ['mandatory', ...HOSTILE],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(refusesHostileReadIds(CARD)),
);

test(
  ...check({
    id: 'ERR-087',
    title:
      'A card transactions read for a hostile account-id (../, NUL, CR LF) is refused with 400, 403 or 404',
    reference: HOSTILE_ID_REFERENCE,
    severity: 'critical',
    operations: ['getCardAccountTransactionList'],
    tags: ['mandatory', ...HOSTILE],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(refusesHostileReadIds(CARD_TRANSACTIONS, 1)),
);

test(
  ...check({
    id: 'ERR-088',
    title:
      "A consent authorisation's scaStatus read for a hostile authorisationId (../, NUL, CR LF) is refused with 400, 403 or 404",
    reference: HOSTILE_ID_REFERENCE,
    severity: 'critical',
    operations: ['getConsentScaStatus'],
    tags: ['mandatory', ...HOSTILE],
  })(refusesHostileIds(async (api, id) => `${await consentPath(api)}/authorisations/${id}`)),
);

test(
  ...check({
    id: 'ERR-089',
    title:
      'A payment cancellation for a hostile paymentId (../, NUL, CR LF) is refused with 400, 403, 404 or 405',
    reference: `${HOSTILE_ID_REFERENCE}; CANCELLATION_INVALID (405)`,
    severity: 'critical',
    operations: ['cancelPayment'],
    tags: ['mandatory', ...HOSTILE],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    for (const id of HOSTILE_IDS) {
      const response = await api.send({ method: 'DELETE', url: `/v1/payments/${SCT}/${id}` });
      const shown = `resource ID "${decodeURIComponent(id)}": ${summary(response)}`;
      expect([400, 401, 403, 404, 405], shown).toContain(response.status);
    }
  }),
);

test(
  ...check({
    id: 'ERR-090',
    title:
      'A card account list read with an unknown query parameter is answered as without it, or refused with 400',
    reference: UNKNOWN_QUERY_REFERENCE,
    severity: 'normal',
    operations: ['getCardAccountList'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(toleratesUnknownQueryOnRead(CARD_LIST)),
);

test(
  ...check({
    id: 'ERR-091',
    title:
      'A card transactions read with an unknown query parameter is answered as without it, or refused with 400',
    reference: UNKNOWN_QUERY_REFERENCE,
    severity: 'normal',
    operations: ['getCardAccountTransactionList'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(toleratesUnknownQueryOnRead(CARD_TRANSACTIONS)),
);

test(
  ...check({
    id: 'ERR-092',
    title:
      'An account details read with an unknown query parameter is answered as without it, or refused with 400',
    reference: UNKNOWN_QUERY_REFERENCE,
    severity: 'normal',
    operations: ['readAccountDetails'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(toleratesUnknownQueryOnRead(ACCOUNT)),
);

test(
  ...check({
    id: 'ERR-093',
    title: 'A consent read with an unknown query parameter is answered as without it, or refused with 400',
    reference: UNKNOWN_QUERY_REFERENCE,
    severity: 'normal',
    operations: ['getConsentInformation'],
    tags: ['mandatory', 'negative'],
  })(toleratesUnknownQuery(consentPath, '')),
);

test(
  ...check({
    id: 'ERR-094',
    title: 'A payment read with an unknown query parameter is answered as without it, or refused with 400',
    reference: UNKNOWN_QUERY_REFERENCE,
    severity: 'normal',
    operations: ['getPaymentInformation'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(toleratesUnknownQuery(paymentPath, '')),
);
