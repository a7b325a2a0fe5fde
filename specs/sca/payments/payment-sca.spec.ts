import { expect } from '@playwright/test';
import { checksOf, test } from '../../../src/checks/check.ts';
import { paymentBody } from '../../../src/harness/test-data.ts';

// The payment side of the redirect SCA, apart from the consent side so that a payment fault's matrix row runs these only.
const check = checksOf('SCA');

const ACCEPTED = ['ACTC', 'ACSC', 'ACCP', 'ACSP', 'ACWC', 'ACCC', 'ACFC', 'ACWP'];

const SCT = 'sepa-credit-transfers';

test(
  ...check({
    id: 'SCA-006',
    title: 'An approved payment is accepted (ACTC, ACSC, ACCP, ACSP, ACWC or ACCC)',
    reference: 'BG IG 1.3 §5.6; ISO 20022 status codes',
    severity: 'blocker',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
    needs: ['sca'],
  })(async ({ api, decidedPayment }) => {
    const { paymentId } = await decidedPayment(SCT, 'approve');
    expect(ACCEPTED).toContain((await api.paymentStatus(SCT, paymentId)).status);
  }),
);

test(
  ...check({
    id: 'SCA-007',
    title: 'A declined payment is rejected (RJCT)',
    reference: 'BG IG 1.3 §5.6 RJCT',
    severity: 'critical',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers'],
    needs: ['sca'],
  })(async ({ api, decidedPayment }) => {
    const { paymentId, error } = await decidedPayment(SCT, 'decline');
    expect(error).toBe('access_denied');
    expect((await api.paymentStatus(SCT, paymentId)).status).toBe('RJCT');
  }),
);

test(
  ...check({
    id: 'SCA-011',
    title: "A payment from one PSU's account, authorised by another PSU, is not accepted",
    reference:
      "BG IG 1.3 §5.3.1 debtorAccount; RFC 6749 §4.1.2.1 (access_denied); PSD2 Art. 64, 66 (a payment with the payer's consent)",
    severity: 'blocker',
    operations: ['initiatePayment', 'getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['sepa-credit-transfers', 'otherPsu'],
    needs: ['consent', 'sca'],
  })(async ({ api, sca, consent }) => {
    const theirs = await api.firstAccount(consent, { withIban: true });
    const body = paymentBody({ debtorAccount: { iban: theirs.iban } });
    const { created, paymentId } = await sca.createdPayment('sepa-credit-transfers', body);
    const run = await sca.approvedByOtherPsu(created, { paymentId });
    if (run.outcome.code) await sca.exchangeCode(run);
    const { status } = await api.paymentStatus('sepa-credit-transfers', paymentId);
    expect(ACCEPTED, `the payment from the first PSU's account is ${String(status)}`).not.toContain(status);
  }),
);
