import { expect } from '@playwright/test';
import { type CheckBody, checksOf, test } from '../../src/checks/check.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import type { HttpResponse } from '../../src/http/client.ts';

// A payment after its SCA, approved or declined: each check drives the browser once. This folder belongs to no
// fault-matrix area, so that only the faults naming these checks pay for their flows.
const check = checksOf('Payments');

const SCT = 'sepa-credit-transfers';
const shown = (response: HttpResponse) => `HTTP ${response.status} ${response.body.slice(0, 200)}`;

/** The scaStatus of the payment's authorisation after the PSU's decision. */
function readsScaStatusAfter(decision: 'approve' | 'decline', expected: string): CheckBody {
  return async ({ api, sca }) => {
    const { created, paymentId } = await sca.createdPayment(SCT);
    const path = api.flavour.paymentUrl(SCT, paymentId);
    await sca.runSca(sca.scaStartUrl(created, { paymentId }), decision);
    const ids = await api.authorisationIds(path);
    expect(ids.length, `authorisationIds of ${path}`).toBeGreaterThan(0);
    const response = await api.get(`${path}/authorisations/${encodeURIComponent(ids[0] ?? '')}`);
    expect(response.status, shown(response)).toBe(200);
    expect(response.json<{ scaStatus?: string }>().scaStatus, `scaStatus after ${decision}`).toBe(expected);
  };
}

test(
  ...check({
    id: 'PIS-033',
    title: "An approved payment's authorisation reads scaStatus finalised",
    reference: 'BG IG 1.3 §7.6 getPaymentInitiationScaStatus; BG OpenAPI 1.3.12 scaStatus finalised',
    severity: 'normal',
    operations: ['getPaymentInitiationScaStatus'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
    needs: ['sca'],
  })(readsScaStatusAfter('approve', 'finalised')),
);

test(
  ...check({
    id: 'PIS-034',
    title: "A declined payment's authorisation reads scaStatus failed",
    reference: 'BG IG 1.3 §7.6 getPaymentInitiationScaStatus; BG OpenAPI 1.3.12 scaStatus failed',
    severity: 'normal',
    operations: ['getPaymentInitiationScaStatus'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
    needs: ['sca'],
  })(readsScaStatusAfter('decline', 'failed')),
);

test(
  ...check({
    id: 'PIS-036',
    title: 'Cancelling a payment the PSU declined (RJCT) is refused with 405 CANCELLATION_INVALID',
    reference: 'BG IG 1.3 §5.4 cancelPayment; §14.11 CANCELLATION_INVALID (405); ISO 20022 RJCT is final',
    severity: 'normal',
    operations: ['cancelPayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers', 'paymentCancellation'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { created, paymentId } = await sca.createdPayment(SCT);
    await sca.runSca(sca.scaStartUrl(created, { paymentId }), 'decline');
    expect((await api.paymentStatus(SCT, paymentId)).status, 'the status after the decline').toBe('RJCT');
    const url = api.flavour.paymentUrl(SCT, paymentId);
    expectError(await api.send({ method: 'DELETE', url }), 405, ['CANCELLATION_INVALID']);
  }),
);

test(
  ...check({
    id: 'PIS-037',
    title:
      'Cancelling a settled payment (ACSC) is refused with 405 CANCELLATION_INVALID; an approved one not settled is cancelled through an authorisation (202) or refused',
    reference:
      'BG IG 1.3 §5.4 cancelPayment (202 with a link to authorise the cancellation, or 204); §14.11 CANCELLATION_INVALID (405); ISO 20022 ACSC is final',
    severity: 'normal',
    operations: ['cancelPayment'],
    tags: ['mandatory', 'negative'],
    requires: ['sepa-credit-transfers', 'paymentCancellation'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { created, paymentId } = await sca.createdPayment(SCT);
    await sca.exchangeCode(await sca.runSca(sca.scaStartUrl(created, { paymentId }), 'approve'));
    const status = (await api.paymentStatus(SCT, paymentId)).status;
    const url = api.flavour.paymentUrl(SCT, paymentId);
    const cancelled = await api.send({ method: 'DELETE', url });
    if (status === 'ACSC') {
      expectError(cancelled, 405, ['CANCELLATION_INVALID']);
      return;
    }
    if (cancelled.status === 202) {
      const links = cancelled.json<{ _links?: Record<string, unknown> }>()._links ?? {};
      expect(
        Object.keys(links).some((k) => /^(startAuthorisation|scaRedirect|scaOAuth)/.test(k)),
        `a 202 links to the authorisation of the cancellation: ${shown(cancelled)}`,
      ).toBe(true);
      return;
    }
    if (cancelled.status === 204) return;
    expectError(cancelled, 405, ['CANCELLATION_INVALID']);
  }),
);
