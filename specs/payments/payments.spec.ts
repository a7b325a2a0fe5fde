import { expect } from '@playwright/test';
import { type CheckBody, checksOf, test } from '../../src/checks/check.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import { CREDITOR_IBAN, paymentBody } from '../../src/harness/test-data.ts';
import type { HttpResponse } from '../../src/http/client.ts';

const check = checksOf('Payments');

const ACCEPTED = ['ACTC', 'ACSC', 'ACCP', 'ACSP', 'ACWC', 'ACCC', 'ACFC', 'ACWP'];
const SCT = 'sepa-credit-transfers';
const CBT = 'cross-border-credit-transfers';

const field = (response: HttpResponse, name: string) => response.json<Record<string, unknown>>()[name];

/**
 * The statuses of a payment no PSU has authorised yet. Berlin Group's examples answer RCVD, but the
 * standard leaves the bank free to validate first (ACTC, PATC) or hold it (PDNG); a status that says the
 * payment was accepted, settled or rejected before any SCA is wrong.
 */
const BEFORE_SCA = ['RCVD', 'PDNG', 'ACTC', 'PATC'];

/** A payment is initiated: 201 with paymentId and a status before SCA (PIS-SCT-001, PIS-CBT-001). */
function initiated(product: string): CheckBody {
  return async ({ api }) => {
    const response = await api.initiatePayment(product);
    expect(response.status).toBe(201);
    expect(field(response, 'paymentId'), 'paymentId').toBeTruthy();
    expect(BEFORE_SCA, 'transactionStatus of a payment not authorised yet').toContain(
      field(response, 'transactionStatus'),
    );
  };
}

/** The payment's 201 carries a Location header (PIS-SCT-002, PIS-CBT-002). */
function carriesLocation(product: string): CheckBody {
  return async ({ api }) => {
    const response = await api.initiatePayment(product);
    const location = response.header('location');
    expect(location, 'Location header').toBeTruthy();
    expect(location ?? '').toContain(String(field(response, 'paymentId')));
  };
}

/** The payment's 201 carries ASPSP-SCA-Approach (PIS-SCT-003, PIS-CBT-003). */
function carriesScaApproach(product: string): CheckBody {
  return async ({ api }) => {
    const response = await api.initiatePayment(product);
    expect(['REDIRECT', 'EMBEDDED', 'DECOUPLED']).toContain(response.header('aspsp-sca-approach'));
  };
}

/** The payment links to its SCA (PIS-SCT-004, PIS-CBT-004). */
function linksToSca(product: string): CheckBody {
  return async ({ api, sca }) => {
    const response = await api.initiatePayment(product);
    const url = sca.scaStartUrl(response, { paymentId: String(field(response, 'paymentId')) });
    expect(url).toMatch(/^https:\/\//);
  };
}

/** The payment reads back with its amount and creditor (PIS-SCT-005, PIS-CBT-005). */
function readsBack(product: string): CheckBody {
  const base = `/v1/payments/${product}`;
  return async ({ api, sca }) => {
    const body = paymentBody({ instructedAmount: { currency: 'EUR', amount: '45.67' } });
    const { paymentId } = await sca.createdPayment(product, body);
    const response = await api.get(`${base}/${encodeURIComponent(paymentId)}`);
    expect(response.status).toBe(200);
    const payment = response.json<{
      instructedAmount?: { amount?: string; currency?: string };
      creditorAccount?: { iban?: string };
      creditorName?: string;
    }>();
    expect(payment.instructedAmount).toEqual({ currency: 'EUR', amount: '45.67' });
    expect(payment.creditorAccount?.iban).toBe(CREDITOR_IBAN);
    expect(payment.creditorName).toBe(body.creditorName);
  };
}

/** The payment's status reads a status before SCA, RCVD or another (PIS-SCT-006, PIS-CBT-006). */
function readsStatusBeforeSca(product: string): CheckBody {
  const base = `/v1/payments/${product}`;
  return async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment(product);
    const response = await api.get(`${base}/${encodeURIComponent(paymentId)}/status`);
    expect(response.status).toBe(200);
    expect(BEFORE_SCA, 'transactionStatus of a payment not authorised yet').toContain(
      field(response, 'transactionStatus'),
    );
  };
}

/** A payment to a malformed IBAN is refused with 400 FORMAT_ERROR (PIS-SCT-007, PIS-CBT-007). */
function refusesMalformedIban(product: string): CheckBody {
  return async ({ api }) => {
    const response = await api.initiatePayment(
      product,
      paymentBody({ creditorAccount: { iban: 'DE89 3704 0044 0532 0130 00' } }),
    );
    expectError(response, 400, ['FORMAT_ERROR']);
  };
}

/** A payment in currency "EURO" is refused with 400 FORMAT_ERROR (PIS-SCT-008, PIS-CBT-008). */
function refusesBadCurrency(product: string): CheckBody {
  return async ({ api }) => {
    const response = await api.initiatePayment(
      product,
      paymentBody({ instructedAmount: { currency: 'EURO', amount: '10.00' } }),
    );
    expectError(response, 400, ['FORMAT_ERROR']);
  };
}

/** A payment with the amount as a JSON number is refused with 400 FORMAT_ERROR (PIS-SCT-009, PIS-CBT-009). */
function refusesNumericAmount(product: string): CheckBody {
  return async ({ api }) => {
    const response = await api.initiatePayment(
      product,
      paymentBody({ instructedAmount: { currency: 'EUR', amount: 10.5 } }),
    );
    expectError(response, 400, ['FORMAT_ERROR']);
  };
}

/** A payment with three decimals too many is refused with 400 FORMAT_ERROR (PIS-SCT-010, PIS-CBT-010). */
function refusesExcessDecimals(product: string): CheckBody {
  return async ({ api }) => {
    const response = await api.initiatePayment(
      product,
      paymentBody({ instructedAmount: { currency: 'EUR', amount: '10.12345' } }),
    );
    expectError(response, 400, ['FORMAT_ERROR']);
  };
}

/** Cancelling a payment before SCA leaves it CANC (PIS-SCT-011, PIS-CBT-011). */
function cancelsBeforeSca(product: string): CheckBody {
  const base = `/v1/payments/${product}`;
  return async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment(product);
    const cancel = await api.send({ method: 'DELETE', url: `${base}/${encodeURIComponent(paymentId)}` });
    expect([202, 204]).toContain(cancel.status);
    if (cancel.status === 204) {
      const status = await api.get(`${base}/${encodeURIComponent(paymentId)}/status`);
      expect(field(status, 'transactionStatus')).toBe('CANC');
    }
  };
}

/** An approved payment is accepted (ACTC, ACSC, ...) (PIS-SCT-012, PIS-CBT-012). */
function acceptsApproved(product: string): CheckBody {
  return async ({ api, decidedPayment }) => {
    const { paymentId } = await decidedPayment(product, 'approve');
    expect(ACCEPTED).toContain((await api.paymentStatus(product, paymentId)).status);
  };
}

/** A declined payment is RJCT (PIS-SCT-013, PIS-CBT-013). */
function rejectsDeclined(product: string): CheckBody {
  return async ({ api, decidedPayment }) => {
    const { paymentId } = await decidedPayment(product, 'decline');
    expect((await api.paymentStatus(product, paymentId)).status).toBe('RJCT');
  };
}

/** A payment without PSU-IP-Address is refused with 400 FORMAT_ERROR (PIS-SCT-014, PIS-CBT-014). */
function refusesMissingPsuIp(product: string): CheckBody {
  const base = `/v1/payments/${product}`;
  return async ({ api }) => {
    const response = await api.send({
      method: 'POST',
      url: base,
      json: paymentBody(),
      headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
    });
    expectError(response, 400, ['FORMAT_ERROR']);
  };
}

/** Starting a payment authorisation answers 201 with an authorisationId (PIS-SCT-015, PIS-CBT-015). */
function startsAuthorisation(product: string): CheckBody {
  const base = `/v1/payments/${product}`;
  return async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment(product);
    const response = await api.startAuthorisation(`${base}/${encodeURIComponent(paymentId)}`);
    expect(response.status).toBe(201);
    expect(field(response, 'authorisationId'), 'authorisationId').toBeTruthy();
  };
}

test(
  ...check({
    id: 'PIS-SCT-001',
    title:
      'A SEPA payment is initiated: 201 with paymentId and a transactionStatus before SCA (RCVD, PDNG, ACTC or PATC)',
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (sepa-credit-transfers)',
    severity: 'blocker',
    operations: ['initiatePayment'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(initiated(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-001',
    title:
      'A cross-border payment is initiated: 201 with paymentId and a transactionStatus before SCA (RCVD, PDNG, ACTC or PATC)',
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (cross-border-credit-transfers)',
    severity: 'blocker',
    operations: ['initiatePayment'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(initiated(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-002',
    title: "The SEPA payment's 201 carries a Location header",
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (sepa-credit-transfers)',
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(carriesLocation(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-002',
    title: "The cross-border payment's 201 carries a Location header",
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (cross-border-credit-transfers)',
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(carriesLocation(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-003',
    title: "The SEPA payment's 201 carries ASPSP-SCA-Approach",
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (sepa-credit-transfers)',
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(carriesScaApproach(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-003',
    title: "The cross-border payment's 201 carries ASPSP-SCA-Approach",
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (cross-border-credit-transfers)',
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(carriesScaApproach(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-004',
    title: 'The SEPA payment links to its SCA',
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (sepa-credit-transfers); myPOS overview PIS step 2',
    severity: 'blocker',
    operations: ['initiatePayment'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(linksToSca(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-004',
    title: 'The cross-border payment links to its SCA',
    reference: 'BG IG 1.3 §5.3.1 initiatePayment (cross-border-credit-transfers); myPOS overview PIS step 2',
    severity: 'blocker',
    operations: ['initiatePayment'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(linksToSca(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-005',
    title: 'The SEPA payment reads back with its amount and creditor',
    reference: 'BG IG 1.3 §5.5 getPaymentInformation',
    severity: 'normal',
    operations: ['getPaymentInformation'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(readsBack(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-005',
    title: 'The cross-border payment reads back with its amount and creditor',
    reference: 'BG IG 1.3 §5.5 getPaymentInformation',
    severity: 'normal',
    operations: ['getPaymentInformation'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(readsBack(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-006',
    title: "The SEPA payment's status reads RCVD, PDNG, ACTC or PATC before SCA",
    reference: 'BG IG 1.3 §5.6 getPaymentInitiationStatus',
    severity: 'critical',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(readsStatusBeforeSca(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-006',
    title: "The cross-border payment's status reads RCVD, PDNG, ACTC or PATC before SCA",
    reference: 'BG IG 1.3 §5.6 getPaymentInitiationStatus',
    severity: 'critical',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(readsStatusBeforeSca(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-007',
    title: 'A SEPA payment to a malformed IBAN is refused with 400 FORMAT_ERROR',
    reference: 'BG IG 1.3 §14.11 FORMAT_ERROR; ISO 13616',
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(refusesMalformedIban(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-007',
    title: 'A cross-border payment to a malformed IBAN is refused with 400 FORMAT_ERROR',
    reference: 'BG IG 1.3 §14.11 FORMAT_ERROR; ISO 13616',
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['cross-border-credit-transfers'],
  })(refusesMalformedIban(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-008',
    title: 'A SEPA payment in currency "EURO" is refused with 400 FORMAT_ERROR',
    reference: 'BG IG 1.3 §14.11 FORMAT_ERROR; ISO 4217',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(refusesBadCurrency(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-008',
    title: 'A cross-border payment in currency "EURO" is refused with 400 FORMAT_ERROR',
    reference: 'BG IG 1.3 §14.11 FORMAT_ERROR; ISO 4217',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['cross-border-credit-transfers'],
  })(refusesBadCurrency(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-009',
    title: 'A SEPA payment with the amount as a JSON number is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 amountValue',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(refusesNumericAmount(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-009',
    title: 'A cross-border payment with the amount as a JSON number is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 amountValue',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['cross-border-credit-transfers'],
  })(refusesNumericAmount(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-010',
    title: 'A SEPA payment with three decimals too many is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 amountValue',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(refusesExcessDecimals(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-010',
    title: 'A cross-border payment with three decimals too many is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 amountValue',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['cross-border-credit-transfers'],
  })(refusesExcessDecimals(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-011',
    title: 'Cancelling a SEPA payment before SCA leaves it CANC',
    reference: 'BG IG 1.3 §5.4 cancelPayment',
    severity: 'critical',
    operations: ['cancelPayment', 'getPaymentInitiationStatus'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers', 'paymentCancellation'],
  })(cancelsBeforeSca(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-011',
    title: 'Cancelling a cross-border payment before SCA leaves it CANC',
    reference: 'BG IG 1.3 §5.4 cancelPayment',
    severity: 'critical',
    operations: ['cancelPayment', 'getPaymentInitiationStatus'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers', 'paymentCancellation'],
  })(cancelsBeforeSca(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-012',
    title: 'An approved SEPA payment is accepted (ACTC, ACSC, ...)',
    reference: 'BG IG 1.3 §5.6; ISO 20022',
    severity: 'blocker',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
    needs: ['sca'],
  })(acceptsApproved(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-012',
    title: 'An approved cross-border payment is accepted (ACTC, ACSC, ...)',
    reference: 'BG IG 1.3 §5.6; ISO 20022',
    severity: 'blocker',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
    needs: ['sca'],
  })(acceptsApproved(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-013',
    title: 'A declined SEPA payment is RJCT',
    reference: 'BG IG 1.3 §5.6 RJCT',
    severity: 'critical',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
    needs: ['sca'],
  })(rejectsDeclined(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-013',
    title: 'A declined cross-border payment is RJCT',
    reference: 'BG IG 1.3 §5.6 RJCT',
    severity: 'critical',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative'],
    requires: ['cross-border-credit-transfers'],
    needs: ['sca'],
  })(rejectsDeclined(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-014',
    title: 'A SEPA payment without PSU-IP-Address is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 initiatePayment PSU-IP-Address required',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(refusesMissingPsuIp(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-014',
    title: 'A cross-border payment without PSU-IP-Address is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 initiatePayment PSU-IP-Address required',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['cross-border-credit-transfers'],
  })(refusesMissingPsuIp(CBT)),
);

test(
  ...check({
    id: 'PIS-SCT-015',
    title: 'Starting a SEPA payment authorisation answers 201 with an authorisationId',
    reference: 'BG IG 1.3 §7.1 startPaymentAuthorisation',
    severity: 'normal',
    operations: ['startPaymentAuthorisation'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(startsAuthorisation(SCT)),
);

test(
  ...check({
    id: 'PIS-CBT-015',
    title: 'Starting a cross-border payment authorisation answers 201 with an authorisationId',
    reference: 'BG IG 1.3 §7.1 startPaymentAuthorisation',
    severity: 'normal',
    operations: ['startPaymentAuthorisation'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers'],
  })(startsAuthorisation(CBT)),
);

test(
  ...check({
    id: 'PIS-001',
    title: 'An unknown payment product is refused with 404 PRODUCT_UNKNOWN',
    reference: 'BG IG 1.3 §14.11 PRODUCT_UNKNOWN',
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    expectError(await api.initiatePayment('psd2-conformance-unknown-product'), 404, ['PRODUCT_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'PIS-002',
    title: 'An unknown paymentId is refused with RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
    severity: 'normal',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const response = await api.get(
      '/v1/payments/sepa-credit-transfers/psd2-conformance-no-such-payment/status',
    );
    expectError(response, [403, 404], ['RESOURCE_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'PIS-003',
    title: 'A payment body that is not JSON is refused with 400 FORMAT_ERROR',
    reference: 'BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const response = await api.send({
      method: 'POST',
      url: '/v1/payments/sepa-credit-transfers',
      body: '{"instructedAmount": {',
      headers: {
        'content-type': 'application/json',
        'tpp-redirect-uri': api.session.settings.client.redirectUri,
      },
      psuInitiated: true,
    });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'PIS-004',
    title: 'A payment sent as text/plain is refused with 415',
    reference: 'BG OpenAPI 1.3.12 responses 415',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const response = await api.send({
      method: 'POST',
      url: '/v1/payments/sepa-credit-transfers',
      body: JSON.stringify(paymentBody()),
      headers: { 'content-type': 'text/plain', 'tpp-redirect-uri': api.session.settings.client.redirectUri },
      psuInitiated: true,
    });
    expect(response.status).toBe(415);
  }),
);

test(
  ...check({
    id: 'PIS-005',
    title: 'A payment without creditorName is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 paymentInitiation_json creditorName required',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(async ({ api }) => {
    const { creditorName: _name, ...body } = paymentBody();
    expectError(await api.initiatePayment('sepa-credit-transfers', body), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'PIS-006',
    title: 'Starting an authorisation of a cancelled payment is refused with 409 STATUS_INVALID',
    reference:
      'BG IG 1.3 §5.4 cancelPayment, §7.1 startPaymentAuthorisation; §14.11 STATUS_INVALID (the resource does not allow additional authorisation)',
    severity: 'critical',
    operations: ['startPaymentAuthorisation'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers', 'paymentCancellation'],
  })(async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment(SCT);
    const url = `/v1/payments/${SCT}/${encodeURIComponent(paymentId)}`;
    const cancelled = await api.send({ method: 'DELETE', url });
    expect(cancelled.status, `cancelling before SCA: ${cancelled.body.slice(0, 200)}`).toBe(204);
    expectError(await startPaymentAuthorisation(api, paymentId), 409, ['STATUS_INVALID']);
  }),
);

test(
  ...check({
    id: 'PIS-007',
    title: "Another TPP's payment is refused with RESOURCE_UNKNOWN",
    reference: 'BG IG 1.3 §5.5 getPaymentInitiationStatus; §14.11 RESOURCE_UNKNOWN',
    severity: 'blocker',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['sepa-credit-transfers', 'otherTpp'],
  })(async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment(SCT);
    expect((await api.paymentStatus(SCT, paymentId)).response.status, 'the payment for its own TPP').toBe(
      200,
    );
    const { response } = await api.paymentStatus(SCT, paymentId, await api.asOtherTpp());
    expectError(response, [403, 404], ['RESOURCE_UNKNOWN']);
  }),
);

/** Starts an authorisation of a SEPA payment as its own TPP. */
function startPaymentAuthorisation(api: Parameters<CheckBody>[0]['api'], paymentId: string) {
  return api.startAuthorisation(`/v1/payments/${SCT}/${encodeURIComponent(paymentId)}`);
}

/** A payment whose SCA is over, approved or declined, takes no further authorisation (PIS-008, PIS-009). */
function authorisedOnce(decision: 'approve' | 'decline'): CheckBody {
  return async ({ api, sca }) => {
    const { created, paymentId } = await sca.createdPayment(SCT);
    await sca.runSca(sca.scaStartUrl(created, { paymentId }), decision);
    expectError(await startPaymentAuthorisation(api, paymentId), 409, ['STATUS_INVALID']);
  };
}

const NO_ADDITIONAL_AUTHORISATION =
  'BG IG 1.3 §7.1 startPaymentAuthorisation; §14.11 STATUS_INVALID (the addressed resource does not allow additional authorisation)';

test(
  ...check({
    id: 'PIS-008',
    title:
      'Starting an authorisation of a payment the PSU declined (RJCT) is refused with 409 STATUS_INVALID',
    reference: NO_ADDITIONAL_AUTHORISATION,
    severity: 'normal',
    operations: ['startPaymentAuthorisation'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
    needs: ['sca'],
  })(authorisedOnce('decline')),
);

test(
  ...check({
    id: 'PIS-009',
    title: 'Starting another authorisation of a payment the PSU approved is refused with 409 STATUS_INVALID',
    reference: `${NO_ADDITIONAL_AUTHORISATION}; a payment needing more authorisations (multi-level SCA) is PATC, not accepted`,
    severity: 'critical',
    operations: ['startPaymentAuthorisation'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
    needs: ['sca'],
  })(authorisedOnce('approve')),
);

test(
  ...check({
    id: 'PIS-010',
    title: "A payment's access token is refused on another payment",
    reference:
      'BG IG 1.3 §5.5 getPaymentInitiationStatus; RFC 6750 §3.1 invalid_token; §14.11 TOKEN_INVALID, RESOURCE_UNKNOWN',
    severity: 'critical',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['sepa-credit-transfers'],
    needs: ['sca'],
  })(async ({ api, sca, decidedPayment }) => {
    const { tokens } = await decidedPayment(SCT, 'approve');
    const other = await sca.createdPayment(SCT);
    const { response } = await api.paymentStatus(SCT, other.paymentId, { token: tokens?.accessToken });
    expectError(response, [401, 403, 404], ['TOKEN_INVALID', 'TOKEN_UNKNOWN', 'RESOURCE_UNKNOWN']);
  }),
);
