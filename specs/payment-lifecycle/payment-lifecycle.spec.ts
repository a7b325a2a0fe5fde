import { expect } from '@playwright/test';
import { type CheckBody, checksOf, test } from '../../src/checks/check.ts';
import { expectCreated } from '../../src/harness/expect-created.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import type { HttpResponse } from '../../src/http/client.ts';
import { ScaStepError } from '../../src/sca/driver.ts';

// A payment after its SCA, approved or declined: each check drives the browser once. This folder belongs to no
// fault-matrix area, so that only the faults naming these checks pay for their flows.
const check = checksOf('Payments');

const SCT = 'sepa-credit-transfers';
const shown = (response: HttpResponse) => `HTTP ${response.status} ${response.body.slice(0, 200)}`;

/** The scaStatus of the payment's authorisation after the PSU's decision. */
function readsScaStatusAfter(decision: 'approve' | 'decline', expected: string): CheckBody {
  return async ({ api, decidedPayment }) => {
    const { paymentId } = await decidedPayment(SCT, decision);
    const path = api.flavour.paymentUrl(SCT, paymentId);
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

const CBT = 'cross-border-credit-transfers';

/** A final status is not left through the payment's SCA link: no code, and the status stays (PIS-043, PIS-044). */
function staysFinal(makeFinal: 'cancel' | 'decline', final: string): CheckBody {
  return async ({ api, sca }) => {
    const { created, paymentId } = await sca.createdPayment(SCT);
    const start = sca.scaStartUrl(created, { paymentId });
    if (makeFinal === 'cancel') {
      const cancelled = await api.send({ method: 'DELETE', url: api.flavour.paymentUrl(SCT, paymentId) });
      expect(cancelled.status, `cancelling before SCA: ${shown(cancelled)}`).toBe(204);
    } else {
      await sca.runSca(start, 'decline');
    }
    expect((await api.paymentStatus(SCT, paymentId)).status, `the status once ${makeFinal}ed`).toBe(final);
    try {
      const run = await sca.runSca(start, 'approve');
      expect(run.outcome.code, `a code for a ${final} payment`).toBeUndefined();
    } catch (error) {
      // The bank stopped the flow on its own page: nothing was authorised.
      if (!(error instanceof ScaStepError)) throw error;
    }
    expect((await api.paymentStatus(SCT, paymentId)).status, 'the status after the attempt').toBe(final);
  };
}

test(
  ...check({
    id: 'PIS-043',
    title: 'A payment cancelled before SCA is not authorised through its SCA link afterwards: it stays CANC',
    reference: 'BG IG 1.3 §5.4 cancelPayment; ISO 20022 CANC is final; RFC 6749 §4.1.2.1',
    severity: 'critical',
    operations: ['cancelPayment', 'getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['sepa-credit-transfers', 'paymentCancellation'],
    needs: ['sca'],
  })(staysFinal('cancel', 'CANC')),
);

test(
  ...check({
    id: 'PIS-044',
    title: 'A payment the PSU declined is not authorised through its SCA link afterwards: it stays RJCT',
    reference: 'BG IG 1.3 §5.6 (RJCT is final); RFC 6749 §4.1.2.1',
    severity: 'critical',
    operations: ['getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['sepa-credit-transfers'],
    needs: ['sca'],
  })(staysFinal('decline', 'RJCT')),
);

/**
 * A cross-border payment the PSU approved, cancelled: the DELETE's answer, the status before it and the link to
 * authorise the cancellation. A bank that cancels it at once (204) or refuses (405) has no cancellation
 * authorisation to check: the check is skipped, saying which.
 */
async function cancellationOfApproved(
  api: Parameters<CheckBody>[0]['api'],
  sca: Parameters<CheckBody>[0]['sca'],
) {
  const { created, paymentId } = await sca.createdPayment(CBT);
  await sca.exchangeCode(await sca.runSca(sca.scaStartUrl(created, { paymentId }), 'approve'));
  const path = api.flavour.paymentUrl(CBT, paymentId);
  const before = (await api.paymentStatus(CBT, paymentId)).status;
  const cancelled = await api.send({ method: 'DELETE', url: path });
  test.skip(
    cancelled.status === 204 || cancelled.status === 405,
    `the bank answers the cancellation of an approved payment with HTTP ${cancelled.status}: no cancellation authorisation`,
  );
  expect(cancelled.status, `cancelling the approved payment: ${shown(cancelled)}`).toBe(202);
  const links = cancelled.json<{ _links?: Record<string, { href?: string } | undefined> }>()._links ?? {};
  return { path, paymentId, before, cancelled, link: links.startAuthorisation?.href };
}

/** Starts the cancellation authorisation by the 202's link; answers its authorisationId. */
async function startedCancellation(api: Parameters<CheckBody>[0]['api'], link: string | undefined) {
  expect(link, '_links.startAuthorisation of the 202').toBeTruthy();
  const started = await api.send({
    method: 'POST',
    url: link ?? '',
    psuInitiated: true,
    headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
  });
  expect(started.status, `starting the cancellation authorisation: ${shown(started)}`).toBe(201);
  const { authorisationId } = started.json<{ authorisationId?: string }>();
  expect(authorisationId, 'authorisationId of the cancellation authorisation').toBeTruthy();
  return authorisationId ?? '';
}

const CANCELLATION = 'BG IG 1.3 §5.4 cancelPayment (202); §7.1, §7.5, §7.6 cancellation-authorisations';

test(
  ...check({
    id: 'PIS-045',
    title:
      "A 202 to an approved payment's cancellation carries its transactionStatus and a link to authorise the cancellation",
    reference:
      'BG IG 1.3 §5.4 cancelPayment (202: transactionStatus; _links startAuthorisation, scaRedirect, ...)',
    severity: 'normal',
    operations: ['cancelPayment'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers', 'paymentCancellation'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { cancelled } = await cancellationOfApproved(api, sca);
    const body = cancelled.json<{ transactionStatus?: string; _links?: Record<string, unknown> }>();
    expect(body.transactionStatus, 'transactionStatus of the 202').toBeTruthy();
    expect(
      Object.keys(body._links ?? {}).some((k) => /^(startAuthorisation|scaRedirect|scaOAuth)/.test(k)),
      `a link to authorise the cancellation: ${shown(cancelled)}`,
    ).toBe(true);
  }),
);

test(
  ...check({
    id: 'PIS-046',
    title: 'A started cancellation authorisation is listed under cancellation-authorisations',
    reference: CANCELLATION,
    severity: 'normal',
    operations: ['cancelPayment'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers', 'paymentCancellation'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { path, link } = await cancellationOfApproved(api, sca);
    const id = await startedCancellation(api, link);
    const listed = await api.get(`${path}/cancellation-authorisations`);
    expect(listed.status, shown(listed)).toBe(200);
    expect(listed.json<{ authorisationIds?: string[] }>().authorisationIds ?? []).toContain(id);
  }),
);

test(
  ...check({
    id: 'PIS-047',
    title: "A cancellation authorisation is not listed among the payment's initiation authorisations",
    reference: CANCELLATION,
    severity: 'minor',
    operations: ['getPaymentInitiationAuthorisation'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers', 'paymentCancellation'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { path, link } = await cancellationOfApproved(api, sca);
    const id = await startedCancellation(api, link);
    expect(await api.authorisationIds(path), `authorisationIds of ${path}`).not.toContain(id);
  }),
);

test(
  ...check({
    id: 'PIS-048',
    title: 'A started cancellation authorisation reads scaStatus received before the PSU authorises it',
    reference: CANCELLATION,
    severity: 'normal',
    operations: ['cancelPayment'],
    tags: ['mandatory'],
    requires: ['cross-border-credit-transfers', 'paymentCancellation'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { path, link } = await cancellationOfApproved(api, sca);
    const id = await startedCancellation(api, link);
    const response = await api.get(`${path}/cancellation-authorisations/${encodeURIComponent(id)}`);
    expect(response.status, shown(response)).toBe(200);
    expect(response.json<{ scaStatus?: string }>().scaStatus).toBe('received');
  }),
);

test(
  ...check({
    id: 'PIS-049',
    title:
      'A payment whose cancellation awaits an authorisation (202) keeps its status until the PSU authorises it',
    reference: 'BG IG 1.3 §5.4 cancelPayment (202: the cancellation needs an authorisation)',
    severity: 'critical',
    operations: ['cancelPayment', 'getPaymentInitiationStatus'],
    tags: ['mandatory', 'security'],
    requires: ['cross-border-credit-transfers', 'paymentCancellation'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { paymentId, before } = await cancellationOfApproved(api, sca);
    expect((await api.paymentStatus(CBT, paymentId)).status, 'the status after the 202').toBe(before);
  }),
);

test(
  ...check({
    id: 'PIS-050',
    title: 'A payment initiated without debtorAccount reads back with the account the PSU chose during SCA',
    reference:
      'BG IG 1.3 §5.3.1 (debtorAccount optional where the ASPSP lets the PSU choose it); §5.5 getPaymentInformation; myPOS overview PIS step 3',
    severity: 'normal',
    operations: ['getPaymentInformation'],
    tags: ['mandatory'],
    requires: ['sepa-credit-transfers'],
    needs: ['sca', 'consent'],
  })(async ({ api, sca, consent }) => {
    const { debtorAccount: _debtor, ...body } = await api.flavourPaymentBody('12.34');
    const created = await api.initiatePayment(SCT, body);
    test.skip(
      created.status === 400 && /debtorAccount/i.test(created.body),
      `the bank requires debtorAccount in the payment body: ${created.body.slice(0, 160)}`,
    );
    expectCreated(created, 'initiating the payment');
    const paymentId = created.json<{ paymentId: string }>().paymentId;
    await sca.exchangeCode(await sca.runSca(sca.scaStartUrl(created, { paymentId }), 'approve'));
    const payment = await api.get(api.flavour.paymentUrl(SCT, paymentId));
    expect(payment.status, shown(payment)).toBe(200);
    const chosen = payment.json<{ debtorAccount?: { iban?: string } }>().debtorAccount?.iban;
    expect(chosen, 'debtorAccount.iban of the approved payment').toBeTruthy();
    const list = await api.read(consent, '/v1/accounts', { psuInitiated: true });
    const ibans = api.accountsOf<{ iban?: string }>(list).map((a) => a.iban);
    expect(ibans, "the PSU's accounts").toContain(chosen);
  }),
);
