import { randomUUID } from 'node:crypto';
import { expect } from '@playwright/test';
import { type CheckBody, checksOf, test } from '../../src/checks/check.ts';
import { expectCreated } from '../../src/harness/expect-created.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import { isoDay } from '../../src/harness/test-data.ts';
import type { HttpResponse } from '../../src/http/client.ts';
import type { Xs2aApi } from '../../src/xs2a/api.ts';

// The payment resource and its sub-resources as the 201 of an initiation links them: what a TPP follows to
// read back, poll the status and follow the SCA.
const check = checksOf('Payments');

const SCT = 'sepa-credit-transfers';
const CBT = 'cross-border-credit-transfers';
/** ISO 20022 ExternalPaymentTransactionStatus1Code as Berlin Group 1.3 lists it. */
const TRANSACTION_STATUSES = [
  'ACCC',
  'ACCP',
  'ACSC',
  'ACSP',
  'ACTC',
  'ACWC',
  'ACWP',
  'ACFC',
  'RCVD',
  'PDNG',
  'RJCT',
  'CANC',
  'PATC',
  'PART',
];
/** The scaStatus values of an authorisation nobody has completed yet. */
const NOT_YET_AUTHORISED = [
  'received',
  'psuIdentified',
  'psuAuthenticated',
  'scaMethodSelected',
  'started',
  'unconfirmed',
];
const AMOUNT = { currency: 'EUR', amount: '45.67' };

type Links = Record<string, { href?: string } | undefined>;
const linksOf = (response: HttpResponse) => response.json<{ _links?: Links }>()._links ?? {};
const shown = (response: HttpResponse) => `HTTP ${response.status} ${response.body.slice(0, 200)}`;

/** A new payment of 45.67 EUR: its 201, its id and its path under the product. */
async function initiated(api: Xs2aApi, product: string, extra: Record<string, unknown> = {}) {
  const body = { ...(await api.flavourPaymentBody('45.67')), ...extra };
  const created = await api.initiatePayment(product, body);
  expectCreated(created, 'initiatePayment');
  const paymentId = created.json<{ paymentId: string }>().paymentId;
  return { created, paymentId, body, path: api.flavour.paymentUrl(product, paymentId) };
}

/** The link `name` of the 201 is there and answers 200. */
async function follow(api: Xs2aApi, created: HttpResponse, name: string) {
  const href = linksOf(created)[name]?.href;
  expect(href, `_links.${name} of the 201`).toBeTruthy();
  const response = await api.get(href ?? '');
  expect(response.status, `GET _links.${name} ${href}: ${shown(response)}`).toBe(200);
  return response;
}

/**
 * The scaStatus link of the payment's authorisation: the 201's, or where the bank creates none implicitly
 * (Berlin Group: "only contained if an authorisation sub-resource has been already created"), that of an
 * authorisation the TPP starts.
 */
async function scaStatusLink(api: Xs2aApi, created: HttpResponse, path: string): Promise<string> {
  const implicit = linksOf(created).scaStatus?.href;
  if (implicit) return implicit;
  const started = await api.startAuthorisation(path);
  expect(started.status, `startPaymentAuthorisation: ${shown(started)}`).toBe(201);
  const href = linksOf(started).scaStatus?.href;
  expect(href, '_links.scaStatus of the started authorisation').toBeTruthy();
  return href ?? '';
}

/** _links.self of the 201 leads to the payment as initiated (PIS-SCT-016, PIS-CBT-016). */
function selfLeadsToPayment(product: string): CheckBody {
  return async ({ api }) => {
    const { created } = await initiated(api, product);
    const payment = await follow(api, created, 'self');
    expect(payment.json<{ instructedAmount?: unknown }>().instructedAmount, 'instructedAmount').toEqual(
      AMOUNT,
    );
  };
}

/** _links.status of the 201 leads to an ISO 20022 transactionStatus (PIS-SCT-017, PIS-CBT-017). */
function statusLinkLeadsToStatus(product: string): CheckBody {
  return async ({ api }) => {
    const { created } = await initiated(api, product);
    const status = await follow(api, created, 'status');
    expect(TRANSACTION_STATUSES, 'the transaction status').toContain(
      api.flavour.paymentStatus(status.json()),
    );
  };
}

/** The scaStatus link leads to the authorisation, which reads a status before SCA (PIS-SCT-018, PIS-CBT-018). */
function scaStatusLinkReadsReceived(product: string): CheckBody {
  return async ({ api }) => {
    const { created, path } = await initiated(api, product);
    const href = await scaStatusLink(api, created, path);
    const response = await api.get(href);
    expect(response.status, `GET ${href}: ${shown(response)}`).toBe(200);
    expect(NOT_YET_AUTHORISED, 'scaStatus before any SCA').toContain(
      response.json<{ scaStatus?: string }>().scaStatus,
    );
  };
}

/** The payment reads back with an ISO 20022 transactionStatus (PIS-SCT-019, PIS-CBT-019). */
function readsBackWithStatus(product: string): CheckBody {
  return async ({ api }) => {
    const { path } = await initiated(api, product);
    const response = await api.get(path);
    expect(response.status, shown(response)).toBe(200);
    expect(TRANSACTION_STATUSES, 'transactionStatus of the payment read back').toContain(
      response.json<{ transactionStatus?: string }>().transactionStatus,
    );
  };
}

/** The payment reads back with the optional fields it was initiated with (PIS-SCT-020, PIS-CBT-020). */
function readsBackOptionalFields(product: string): CheckBody {
  return async ({ api }) => {
    const extra = {
      endToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
      remittanceInformationUnstructured: 'psd2-conformance read-back',
      requestedExecutionDate: isoDay(3),
    };
    const { path } = await initiated(api, product, extra);
    const response = await api.get(path);
    expect(response.status, shown(response)).toBe(200);
    const payment = response.json<Record<string, unknown>>();
    for (const [name, value] of Object.entries(extra)) expect(payment[name], name).toBe(value);
  };
}

/** The Location of the 201 leads to the payment as initiated (PIS-SCT-021, PIS-CBT-021). */
function locationLeadsToPayment(product: string): CheckBody {
  return async ({ api }) => {
    const { created } = await initiated(api, product);
    const location = created.header('location');
    expect(location, 'Location of the 201').toBeTruthy();
    const payment = await api.get(location ?? '');
    expect(payment.status, `GET Location ${location}: ${shown(payment)}`).toBe(200);
    expect(payment.json<{ instructedAmount?: unknown }>().instructedAmount, 'instructedAmount').toEqual(
      AMOUNT,
    );
  };
}

/** The authorisation list names the authorisation the scaStatus link leads to (PIS-SCT-022, PIS-CBT-022). */
function listsItsAuthorisation(product: string): CheckBody {
  return async ({ api }) => {
    const { created, path } = await initiated(api, product);
    const href = await scaStatusLink(api, created, path);
    const id = decodeURIComponent(href.split('?')[0]?.split('/').pop() ?? '');
    expect(await api.authorisationIds(path), `authorisationIds of ${path}`).toContain(id);
  };
}

/** An authorisation the TPP starts is listed (PIS-SCT-023, PIS-CBT-023). */
function listsStartedAuthorisation(product: string): CheckBody {
  return async ({ api }) => {
    const { path } = await initiated(api, product);
    const started = await api.startAuthorisation(path);
    expect(started.status, `startPaymentAuthorisation: ${shown(started)}`).toBe(201);
    const { authorisationId } = started.json<{ authorisationId?: string }>();
    expect(await api.authorisationIds(path), `authorisationIds of ${path}`).toContain(authorisationId);
  };
}

/** A started authorisation reads a status before SCA by its scaStatus link (PIS-SCT-024, PIS-CBT-024). */
function startedAuthorisationReadsReceived(product: string): CheckBody {
  return async ({ api }) => {
    const { path } = await initiated(api, product);
    const started = await api.startAuthorisation(path);
    expect(started.status, `startPaymentAuthorisation: ${shown(started)}`).toBe(201);
    const href = linksOf(started).scaStatus?.href;
    expect(href, '_links.scaStatus of the started authorisation').toBeTruthy();
    const response = await api.get(href ?? '');
    expect(response.status, `GET ${href}: ${shown(response)}`).toBe(200);
    expect(NOT_YET_AUTHORISED).toContain(response.json<{ scaStatus?: string }>().scaStatus);
  };
}

/** A cancelled payment is not cancelled again: 405 CANCELLATION_INVALID (PIS-SCT-025, PIS-CBT-025). */
function refusesCancellingTwice(product: string): CheckBody {
  return async ({ api }) => {
    const { path } = await initiated(api, product);
    const first = await api.send({ method: 'DELETE', url: path });
    expect(first.status, `the first cancellation, before SCA: ${shown(first)}`).toBe(204);
    expectError(await api.send({ method: 'DELETE', url: path }), 405, ['CANCELLATION_INVALID']);
  };
}

test(
  ...check({
    id: 'PIS-SCT-016',
    title: "The SEPA payment's _links.self leads to the payment as initiated",
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (_links self); §5.5 getPaymentInformation',
    severity: 'normal',
    operations: ['initiatePayment', 'getPaymentInformation'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(selfLeadsToPayment(SCT)),
);

test(
  ...check({
    id: 'PIS-SCT-017',
    title: "The SEPA payment's _links.status leads to its ISO 20022 transactionStatus",
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (_links status); §5.6 getPaymentInitiationStatus',
    severity: 'normal',
    operations: ['initiatePayment', 'getPaymentInitiationStatus'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(statusLinkLeadsToStatus(SCT)),
);

test(
  ...check({
    id: 'PIS-SCT-018',
    title: "The SEPA payment's scaStatus link leads to its authorisation, which reads received before SCA",
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (_links scaStatus); §7.6 getPaymentInitiationScaStatus',
    severity: 'normal',
    operations: ['initiatePayment', 'getPaymentInitiationScaStatus'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(scaStatusLinkReadsReceived(SCT)),
);

test(
  ...check({
    id: 'PIS-SCT-019',
    title: 'The SEPA payment reads back with an ISO 20022 transactionStatus',
    reference: 'BG OpenAPI 1.3.12 getPaymentInformation (transactionStatus); BG IG 1.3 §5.5',
    severity: 'normal',
    operations: ['getPaymentInformation'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(readsBackWithStatus(SCT)),
);

test(
  ...check({
    id: 'PIS-SCT-020',
    title:
      'The SEPA payment reads back with its endToEndIdentification, remittance text and requestedExecutionDate',
    reference: 'BG IG 1.3 §5.5 getPaymentInformation (the content of the payment object)',
    severity: 'minor',
    operations: ['getPaymentInformation'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(readsBackOptionalFields(SCT)),
);

test(
  ...check({
    id: 'PIS-SCT-021',
    title: "The SEPA payment's Location leads to the payment as initiated",
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (Location: the created resource); RFC 9110 §10.2.2',
    severity: 'normal',
    operations: ['initiatePayment', 'getPaymentInformation'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(locationLeadsToPayment(SCT)),
);

test(
  ...check({
    id: 'PIS-SCT-022',
    title: "The SEPA payment's authorisation list names the authorisation its scaStatus link leads to",
    reference: 'BG IG 1.3 §7.5 getPaymentInitiationAuthorisation; §5.3.1 (_links scaStatus)',
    severity: 'normal',
    operations: ['getPaymentInitiationAuthorisation'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(listsItsAuthorisation(SCT)),
);

test(
  ...check({
    id: 'PIS-SCT-023',
    title: "The SEPA payment's authorisation list names an authorisation the TPP started",
    reference: 'BG IG 1.3 §7.1 startPaymentAuthorisation; §7.5 getPaymentInitiationAuthorisation',
    severity: 'normal',
    operations: ['startPaymentAuthorisation', 'getPaymentInitiationAuthorisation'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(listsStartedAuthorisation(SCT)),
);

test(
  ...check({
    id: 'PIS-SCT-024',
    title: "A SEPA payment's authorisation the TPP started reads received by its scaStatus link",
    reference:
      'BG IG 1.3 §7.1 startPaymentAuthorisation (_links scaStatus); §7.6 getPaymentInitiationScaStatus',
    severity: 'normal',
    operations: ['startPaymentAuthorisation', 'getPaymentInitiationScaStatus'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(startedAuthorisationReadsReceived(SCT)),
);

test(
  ...check({
    id: 'PIS-SCT-025',
    title: 'A SEPA payment cancelled once is not cancelled again: 405 CANCELLATION_INVALID',
    reference: 'BG IG 1.3 §5.4 cancelPayment; §14.11 CANCELLATION_INVALID (405)',
    severity: 'normal',
    operations: ['cancelPayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers', 'paymentCancellation'],
  })(refusesCancellingTwice(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-016',
    title: "The cross-border payment's _links.self leads to the payment as initiated",
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (_links self); §5.5 getPaymentInformation',
    severity: 'normal',
    operations: ['initiatePayment', 'getPaymentInformation'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(selfLeadsToPayment(CBT)),
);

test(
  ...check({
    id: 'PIS-CBT-017',
    title: "The cross-border payment's _links.status leads to its ISO 20022 transactionStatus",
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (_links status); §5.6 getPaymentInitiationStatus',
    severity: 'normal',
    operations: ['initiatePayment', 'getPaymentInitiationStatus'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(statusLinkLeadsToStatus(CBT)),
);

test(
  ...check({
    id: 'PIS-CBT-018',
    title:
      "The cross-border payment's scaStatus link leads to its authorisation, which reads received before SCA",
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (_links scaStatus); §7.6 getPaymentInitiationScaStatus',
    severity: 'normal',
    operations: ['initiatePayment', 'getPaymentInitiationScaStatus'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(scaStatusLinkReadsReceived(CBT)),
);

test(
  ...check({
    id: 'PIS-CBT-019',
    title: 'The cross-border payment reads back with an ISO 20022 transactionStatus',
    reference: 'BG OpenAPI 1.3.12 getPaymentInformation (transactionStatus); BG IG 1.3 §5.5',
    severity: 'normal',
    operations: ['getPaymentInformation'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(readsBackWithStatus(CBT)),
);

test(
  ...check({
    id: 'PIS-CBT-020',
    title:
      'The cross-border payment reads back with its endToEndIdentification, remittance text and requestedExecutionDate',
    reference: 'BG IG 1.3 §5.5 getPaymentInformation (the content of the payment object)',
    severity: 'minor',
    operations: ['getPaymentInformation'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(readsBackOptionalFields(CBT)),
);

test(
  ...check({
    id: 'PIS-CBT-021',
    title: "The cross-border payment's Location leads to the payment as initiated",
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (Location: the created resource); RFC 9110 §10.2.2',
    severity: 'normal',
    operations: ['initiatePayment', 'getPaymentInformation'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(locationLeadsToPayment(CBT)),
);

test(
  ...check({
    id: 'PIS-CBT-022',
    title:
      "The cross-border payment's authorisation list names the authorisation its scaStatus link leads to",
    reference: 'BG IG 1.3 §7.5 getPaymentInitiationAuthorisation; §5.3.1 (_links scaStatus)',
    severity: 'normal',
    operations: ['getPaymentInitiationAuthorisation'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(listsItsAuthorisation(CBT)),
);

test(
  ...check({
    id: 'PIS-CBT-023',
    title: "The cross-border payment's authorisation list names an authorisation the TPP started",
    reference: 'BG IG 1.3 §7.1 startPaymentAuthorisation; §7.5 getPaymentInitiationAuthorisation',
    severity: 'normal',
    operations: ['startPaymentAuthorisation', 'getPaymentInitiationAuthorisation'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(listsStartedAuthorisation(CBT)),
);

test(
  ...check({
    id: 'PIS-CBT-024',
    title: "A cross-border payment's authorisation the TPP started reads received by its scaStatus link",
    reference:
      'BG IG 1.3 §7.1 startPaymentAuthorisation (_links scaStatus); §7.6 getPaymentInitiationScaStatus',
    severity: 'normal',
    operations: ['startPaymentAuthorisation', 'getPaymentInitiationScaStatus'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(startedAuthorisationReadsReceived(CBT)),
);

test(
  ...check({
    id: 'PIS-CBT-025',
    title: 'A cross-border payment cancelled once is not cancelled again: 405 CANCELLATION_INVALID',
    reference: 'BG IG 1.3 §5.4 cancelPayment; §14.11 CANCELLATION_INVALID (405)',
    severity: 'normal',
    operations: ['cancelPayment'],
    tags: ['mandatory', 'negative'],
    requires: ['cross-border-credit-transfers', 'paymentCancellation'],
  })(refusesCancellingTwice(CBT)),
);
test(
  ...check({
    id: 'PIS-031',
    title: 'A scaStatus read for an authorisationId the payment never had is refused with RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §7.6 getPaymentInitiationScaStatus; §14.11 RESOURCE_UNKNOWN (403 or 404)',
    severity: 'normal',
    operations: ['getPaymentInitiationScaStatus'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const { path } = await initiated(api, SCT);
    expectError(await api.get(`${path}/authorisations/${randomUUID()}`), [403, 404], ['RESOURCE_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'PIS-032',
    title: "A scaStatus read for another payment's authorisation is refused with RESOURCE_UNKNOWN",
    reference: 'BG IG 1.3 §7.6 getPaymentInitiationScaStatus; §14.11 RESOURCE_UNKNOWN (403 or 404)',
    severity: 'critical',
    operations: ['getPaymentInitiationScaStatus'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const first = await initiated(api, SCT);
    const second = await initiated(api, SCT);
    const started = await api.startAuthorisation(first.path);
    expect(started.status, `startPaymentAuthorisation: ${shown(started)}`).toBe(201);
    const { authorisationId } = started.json<{ authorisationId: string }>();
    const url = `${second.path}/authorisations/${encodeURIComponent(authorisationId)}`;
    expectError(await api.get(url), [403, 404], ['RESOURCE_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'PIS-038',
    title: "Another TPP cancelling a TPP's payment is refused with RESOURCE_UNKNOWN, and the payment stays",
    reference: 'BG IG 1.3 §5.4 cancelPayment; §14.11 RESOURCE_UNKNOWN (403 or 404)',
    severity: 'blocker',
    operations: ['cancelPayment'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['sepa-credit-transfers', 'otherTpp', 'paymentCancellation'],
  })(async ({ api }) => {
    const { paymentId, path } = await initiated(api, SCT);
    const cancelled = await api.send({ method: 'DELETE', url: path, ...(await api.asOtherTpp()) });
    expectError(cancelled, [403, 404], ['RESOURCE_UNKNOWN']);
    expect((await api.paymentStatus(SCT, paymentId)).status, 'the status for its own TPP').not.toBe('CANC');
  }),
);

test(
  ...check({
    id: 'PIS-039',
    title: 'Cancelling an unknown paymentId is refused with RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §5.4 cancelPayment; §14.11 RESOURCE_UNKNOWN (403 or 404)',
    severity: 'normal',
    operations: ['cancelPayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers', 'paymentCancellation'],
  })(async ({ api }) => {
    const response = await api.send({ method: 'DELETE', url: api.flavour.paymentUrl(SCT, randomUUID()) });
    expectError(response, [403, 404], ['RESOURCE_UNKNOWN']);
  }),
);

const OTHER_PRODUCT =
  'BG IG 1.3 §5.5 (the path names the payment-product of the payment); §14.11 RESOURCE_UNKNOWN, PRODUCT_INVALID';
const OTHER_PRODUCT_CODES = ['RESOURCE_UNKNOWN', 'PRODUCT_INVALID'];
/** The path of a SEPA payment with the cross-border product in its place. */
const underOtherProduct = (path: string) => path.replace(`/${SCT}/`, `/${CBT}/`);

test(
  ...check({
    id: 'PIS-040',
    title: 'A SEPA payment read under the cross-border path is refused (RESOURCE_UNKNOWN or PRODUCT_INVALID)',
    reference: OTHER_PRODUCT,
    severity: 'normal',
    operations: ['getPaymentInformation'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers', 'cross-border-credit-transfers'],
  })(async ({ api }) => {
    const { path } = await initiated(api, SCT);
    expectError(await api.get(underOtherProduct(path)), [400, 403, 404], OTHER_PRODUCT_CODES);
  }),
);

test(
  ...check({
    id: 'PIS-041',
    title:
      "A SEPA payment's status read under the cross-border path is refused (RESOURCE_UNKNOWN or PRODUCT_INVALID)",
    reference: OTHER_PRODUCT,
    severity: 'normal',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers', 'cross-border-credit-transfers'],
  })(async ({ api }) => {
    const { path } = await initiated(api, SCT);
    expectError(await api.get(`${underOtherProduct(path)}/status`), [400, 403, 404], OTHER_PRODUCT_CODES);
  }),
);

test(
  ...check({
    id: 'PIS-042',
    title: 'Cancelling a SEPA payment under the cross-border path is refused, and the payment stays',
    reference: OTHER_PRODUCT,
    severity: 'critical',
    operations: ['cancelPayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers', 'cross-border-credit-transfers', 'paymentCancellation'],
  })(async ({ api }) => {
    const { paymentId, path } = await initiated(api, SCT);
    const cancelled = await api.send({ method: 'DELETE', url: underOtherProduct(path) });
    expectError(cancelled, [400, 403, 404, 405], [...OTHER_PRODUCT_CODES, 'CANCELLATION_INVALID']);
    expect((await api.paymentStatus(SCT, paymentId)).status, 'the status under its own product').not.toBe(
      'CANC',
    );
  }),
);

/** A service the profile says the bank does not offer: 404, or 400/405 SERVICE_INVALID; never 201 or a 5xx. */
function refusesUnofferedService(url: string, body: Record<string, unknown>) {
  return async ({ api }: { api: Xs2aApi }) => {
    const response = await api.send({
      method: 'POST',
      url,
      json: body,
      psuInitiated: true,
      headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
    });
    if (response.status === 404) return;
    expectError(response, [400, 405], ['SERVICE_INVALID']);
  };
}

test(
  ...check({
    id: 'PIS-051',
    title:
      'A periodic payment where the bank offers none is refused (404 or SERVICE_INVALID), never initiated',
    reference: 'BG IG 1.3 §5.3.2 initiatePeriodicPayment; §14.11 SERVICE_INVALID (400, 405)',
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['withoutPeriodicPayments'],
  })(
    refusesUnofferedService(`/v1/periodic-payments/${SCT}`, {
      instructedAmount: AMOUNT,
      creditorAccount: { iban: 'DE89370400440532013000' },
      creditorName: 'Recipient Name',
      startDate: isoDay(7),
      frequency: 'Monthly',
    }),
  ),
);

test(
  ...check({
    id: 'PIS-052',
    title: 'A bulk payment where the bank offers none is refused (404 or SERVICE_INVALID), never initiated',
    reference: 'BG IG 1.3 §5.3.3 initiateBulkPayment; §14.11 SERVICE_INVALID (400, 405)',
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['withoutBulkPayments'],
  })(
    refusesUnofferedService(`/v1/bulk-payments/${SCT}`, {
      payments: [
        {
          instructedAmount: AMOUNT,
          creditorAccount: { iban: 'DE89370400440532013000' },
          creditorName: 'One',
        },
        {
          instructedAmount: AMOUNT,
          creditorAccount: { iban: 'DE89370400440532013000' },
          creditorName: 'Two',
        },
      ],
    }),
  ),
);

test(
  ...check({
    id: 'PIS-053',
    title:
      'The fee fields of a new payment keep their shapes: transactionFees an amount, transactionFeeIndicator a boolean',
    reference:
      'BG OpenAPI 1.3.12 paymentInitationRequestResponse-201 (transactionFees, currencyConversionFees: amount; transactionFeeIndicator: boolean)',
    severity: 'minor',
    operations: ['initiatePayment'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const { created } = await initiated(api, SCT);
    const body = created.json<Record<string, unknown>>();
    const fees = [
      'transactionFees',
      'currencyConversionFees',
      'estimatedTotalAmount',
      'estimatedInterbankSettlementAmount',
    ];
    const present = fees.filter((name) => body[name] !== undefined);
    test.info().annotations.push({ type: 'fee fields', description: present.join(', ') || '(none sent)' });
    for (const name of present) {
      const amount = body[name] as { currency?: unknown; amount?: unknown };
      expect(typeof amount, `${name} is an amount object`).toBe('object');
      expect(String(amount.currency), `${name}.currency`).toMatch(/^[A-Z]{3}$/);
      expect(
        typeof amount.amount === 'string' && /^-?[0-9]{1,14}(\.[0-9]{1,3})?$/.test(amount.amount),
        `${name}.amount is a decimal string`,
      ).toBe(true);
    }
    if (body.transactionFeeIndicator !== undefined)
      expect(typeof body.transactionFeeIndicator, 'transactionFeeIndicator').toBe('boolean');
  }),
);
