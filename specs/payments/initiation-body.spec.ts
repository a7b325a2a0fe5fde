import { expect } from '@playwright/test';
import { type CheckBody, checksOf, test } from '../../src/checks/check.ts';
import { expectCreated } from '../../src/harness/expect-created.ts';
import { errorCodes, expectError } from '../../src/harness/expect-error.ts';
import { isoDay } from '../../src/harness/test-data.ts';

const check = checksOf('Payments');

const SCT = 'sepa-credit-transfers';
const CBT = 'cross-border-credit-transfers';
/** DE89370400440532013000 with its check digits changed: well formed, but no IBAN. */
const WRONG_CHECK_DIGITS = 'DE88370400440532013000';

/**
 * The payment is initiated with the flavour's body, and refused with `wrong` fields added to it: a bank that
 * refuses the body for another reason does not pass for checking the field.
 */
function refusesBodyWith(
  product: string,
  wrong: Record<string, unknown>,
  codes: string[],
  statuses: number | number[] = 400,
): CheckBody {
  return async ({ api }) => {
    const body = await api.flavourPaymentBody('12.34');
    const valid = await api.initiatePayment(product, body);
    expectCreated(valid, 'the same payment without the fault');
    expectError(await api.initiatePayment(product, { ...body, ...wrong }), statuses, codes);
  };
}

/** The payment with `extra` fields is initiated (201) or refused with 400 FORMAT_ERROR; never a 5xx. */
function takesOrRefusesBodyWith(product: string, extra: Record<string, unknown>): CheckBody {
  return async ({ api }) => {
    const body = await api.flavourPaymentBody('12.34');
    const response = await api.initiatePayment(product, { ...body, ...extra });
    if (response.status >= 200 && response.status < 300) return;
    expect(
      response.status,
      `neither initiated nor refused as a format error: ${response.body.slice(0, 200)}`,
    ).toBe(400);
    expect(errorCodes(response), response.body.slice(0, 200)).toContain('FORMAT_ERROR');
  };
}

/** The payment with `fields` at their longest is initiated: a bank that refuses the maximum refuses valid payments. */
function takesBodyWith(product: string, fields: Record<string, unknown>): CheckBody {
  return async ({ api }) => {
    const body = await api.flavourPaymentBody('12.34');
    const response = await api.initiatePayment(product, { ...body, ...fields });
    expectCreated(response, 'a valid payment refused');
  };
}

const amount = (value: string, currency = 'EUR') => ({ instructedAmount: { currency, amount: value } });
const IBAN = 'ISO 13616-1 (mod 97 check digits); BG IG 1.3 §14.11 FORMAT_ERROR';
const BODY_FORMAT = 'BG IG 1.3 §14.11 FORMAT_ERROR';
const NEGATIVE = ['mandatory', 'negative'] as const;

test(
  ...check({
    id: 'PIS-011',
    title:
      'A SEPA payment whose requestedExecutionDate lies in the past is refused with 400 EXECUTION_DATE_INVALID',
    reference: 'BG IG 1.3 §14.11 EXECUTION_DATE_INVALID; BG OpenAPI 1.3.12 requestedExecutionDate',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(
    refusesBodyWith(SCT, { requestedExecutionDate: isoDay(-7) }, ['EXECUTION_DATE_INVALID', 'FORMAT_ERROR']),
  ),
);

test(
  ...check({
    id: 'PIS-012',
    title: 'A SEPA payment whose endToEndIdentification has 36 characters is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 endToEndIdentification (maxLength 35); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(refusesBodyWith(SCT, { endToEndIdentification: 'E'.repeat(36) }, ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-013',
    title:
      'A SEPA payment whose remittanceInformationUnstructured has 141 characters is refused with 400 FORMAT_ERROR',
    reference:
      'BG OpenAPI 1.3.12 remittanceInformationUnstructured (maxLength 140); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(refusesBodyWith(SCT, { remittanceInformationUnstructured: 'R'.repeat(141) }, ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-014',
    title: 'A SEPA payment with chargeBearer "NONE" is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 chargeBearer (DEBT, CRED, SHAR, SLEV); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
  })(refusesBodyWith(SCT, { chargeBearer: 'NONE' }, ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-015',
    title: 'A SEPA payment to an IBAN with wrong check digits is refused with 400 FORMAT_ERROR',
    reference: IBAN,
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['sepa-credit-transfers'],
  })(refusesBodyWith(SCT, { creditorAccount: { iban: WRONG_CHECK_DIGITS } }, ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-016',
    title: 'A cross-border payment to an IBAN with wrong check digits is refused with 400 FORMAT_ERROR',
    reference: IBAN,
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['cross-border-credit-transfers'],
  })(refusesBodyWith(CBT, { creditorAccount: { iban: WRONG_CHECK_DIGITS } }, ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-017',
    title:
      'A SEPA payment from a debtorAccount IBAN with wrong check digits is refused with 400 FORMAT_ERROR',
    reference: IBAN,
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['sepa-credit-transfers'],
  })(refusesBodyWith(SCT, { debtorAccount: { iban: WRONG_CHECK_DIGITS } }, ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-018',
    title: 'A SEPA payment from a malformed debtorAccount IBAN is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 accountReference iban (iban pattern); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['sepa-credit-transfers'],
  })(refusesBodyWith(SCT, { debtorAccount: { iban: 'DE89 3704 0044 0532 0130 00' } }, ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-019',
    title:
      'A SEPA payment in USD is refused (400 FORMAT_ERROR or PARAMETER_NOT_CONSISTENT, 403 PRODUCT_INVALID)',
    reference: 'EPC SEPA Credit Transfer Rulebook (AT-04: the amount in euro); BG IG 1.3 §14.11',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['sepa-credit-transfers'],
  })(
    refusesBodyWith(
      SCT,
      amount('12.34', 'USD'),
      ['FORMAT_ERROR', 'PARAMETER_NOT_CONSISTENT', 'PRODUCT_INVALID'],
      [400, 403],
    ),
  ),
);

test(
  ...check({
    id: 'PIS-020',
    title: 'A SEPA payment of 0.00 EUR is refused with 400 FORMAT_ERROR',
    reference: 'EPC SEPA Credit Transfer Rulebook (AT-04 at least 0.01 EUR); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['sepa-credit-transfers'],
  })(refusesBodyWith(SCT, amount('0.00'), ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-021',
    title: 'A SEPA payment of -12.34 EUR is refused with 400 FORMAT_ERROR',
    reference: 'EPC SEPA Credit Transfer Rulebook (AT-04 at least 0.01 EUR); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['sepa-credit-transfers'],
  })(refusesBodyWith(SCT, amount('-12.34'), ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-022',
    title: 'A SEPA payment whose amount has 15 integer digits is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 amountValue (at most 14 integer digits); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['sepa-credit-transfers'],
  })(refusesBodyWith(SCT, amount('123456789012345.00'), ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-023',
    title: 'A SEPA payment whose creditorName has 71 characters is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 creditorName (Max70Text); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['sepa-credit-transfers'],
  })(refusesBodyWith(SCT, { creditorName: 'N'.repeat(71) }, ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-024',
    title: 'A cross-border payment whose creditorAgent is not a BIC is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 BICFI (ISO 9362); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['cross-border-credit-transfers'],
  })(refusesBodyWith(CBT, { creditorAgent: 'NOT A BIC' }, ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-025',
    title:
      'A cross-border payment whose creditorAddress country is "Germany" is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 address country (ISO 3166 alpha-2); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['cross-border-credit-transfers'],
  })(refusesBodyWith(CBT, { creditorAddress: { townName: 'Berlin', country: 'Germany' } }, ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'PIS-026',
    title: 'A cross-border payment whose creditorAddress has no country is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 address (country required); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['cross-border-credit-transfers'],
  })(
    refusesBodyWith(CBT, { creditorAddress: { streetName: 'Unter den Linden', townName: 'Berlin' } }, [
      'FORMAT_ERROR',
    ]),
  ),
);

test(
  ...check({
    id: 'PIS-027',
    title:
      'A SEPA payment whose requestedExecutionDate is not an ISO date (DD.MM.YYYY) is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 requestedExecutionDate (ISODate); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['sepa-credit-transfers'],
  })(
    refusesBodyWith(SCT, { requestedExecutionDate: isoDay(3).split('-').reverse().join('.') }, [
      'FORMAT_ERROR',
      'EXECUTION_DATE_INVALID',
    ]),
  ),
);

test(
  ...check({
    id: 'PIS-028',
    title:
      'A SEPA payment with a field Berlin Group does not define is initiated or refused with 400, never a 500',
    reference: `${BODY_FORMAT}; RFC 9110 §15.6.1 (a 500 is the server's own failure)`,
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['sepa-credit-transfers'],
  })(takesOrRefusesBodyWith(SCT, { psd2ConformanceNote: 'a field no bank defines' })),
);

test(
  ...check({
    id: 'PIS-029',
    title:
      'A cross-border payment with a field Berlin Group does not define is initiated or refused with 400, never a 500',
    reference: `${BODY_FORMAT}; RFC 9110 §15.6.1 (a 500 is the server's own failure)`,
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: [...NEGATIVE],
    requires: ['cross-border-credit-transfers'],
  })(takesOrRefusesBodyWith(CBT, { psd2ConformanceNote: 'a field no bank defines' })),
);

test(
  ...check({
    id: 'PIS-030',
    title:
      'A SEPA payment whose endToEndIdentification has 35 characters and remittanceInformationUnstructured 140 is initiated',
    reference:
      'BG OpenAPI 1.3.12 endToEndIdentification (Max35Text), remittanceInformationUnstructured (Max140Text)',
    severity: 'normal',
    operations: ['initiatePayment'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
  })(
    takesBodyWith(SCT, {
      endToEndIdentification: 'E'.repeat(35),
      remittanceInformationUnstructured: 'R'.repeat(140),
    }),
  ),
);
