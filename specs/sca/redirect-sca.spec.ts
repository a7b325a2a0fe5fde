import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { consentBody, paymentBody } from '../../src/harness/test-data.ts';
import type { HttpResponse } from '../../src/http/client.ts';
import type { ScaDecision } from '../../src/sca/driver.ts';
import type { ScaFlows, ScaResult } from '../../src/sca/flows.ts';
import type { Xs2aApi } from '../../src/xs2a/api.ts';

const check = checksOf('SCA');

const ACCEPTED = ['ACTC', 'ACSC', 'ACCP', 'ACSP', 'ACWC', 'ACCC', 'ACFC', 'ACWP'];

async function consentSca(api: Xs2aApi, sca: ScaFlows, decision: ScaDecision) {
  const created = await api.createConsent();
  const consentId = created.json<{ consentId: string }>().consentId;
  const run = await sca.runSca(sca.scaStartUrl(created, { consentId }), decision);
  return { consentId, run };
}

async function paymentSca(sca: ScaFlows, decision: ScaDecision, product = 'sepa-credit-transfers') {
  const { created, paymentId } = await sca.createdPayment(product);
  const run = await sca.runSca(sca.scaStartUrl(created, { paymentId }), decision);
  return { paymentId, run, product };
}

function status(response: HttpResponse, field: string): unknown {
  return response.json<Record<string, unknown>>()[field];
}

test(
  ...check({
    id: 'SCA-001',
    title: 'An approved consent has status valid',
    reference: 'BG IG 1.3 §6.3.3; myPOS overview AIS step 3',
    severity: 'blocker',
    operations: ['getConsentStatus'],
    tags: ['mandatory'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { consentId, run } = await consentSca(api, sca, 'approve');
    await sca.exchangeCode(run);
    const response = await api.get(`/v1/consents/${encodeURIComponent(consentId)}/status`);
    expect(status(response, 'consentStatus')).toBe('valid');
  }),
);

test(
  ...check({
    id: 'SCA-002',
    title: 'After approval the browser returns to the redirect URI with a code',
    reference: 'RFC 6749 §4.1.2',
    severity: 'blocker',
    tags: ['mandatory'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { run } = await consentSca(api, sca, 'approve');
    expect(run.outcome.error, 'error on the redirect').toBeUndefined();
    expect(run.outcome.code, 'code on the redirect').toBeTruthy();
  }),
);

test(
  ...check({
    id: 'SCA-003',
    title: 'The state sent with the authorization request comes back unchanged',
    reference: 'RFC 6749 §4.1.2, §10.12',
    severity: 'critical',
    tags: ['mandatory', 'negative', 'security'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { run } = await consentSca(api, sca, 'approve');
    expect(run.outcome.state, 'state on the redirect').toBe(run.state);
  }),
);

test(
  ...check({
    id: 'SCA-004',
    title: 'A declined authorisation returns error=access_denied',
    reference: 'RFC 6749 §4.1.2.1',
    severity: 'critical',
    tags: ['mandatory', 'negative'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { run } = await consentSca(api, sca, 'decline');
    expect(run.outcome.error).toBe('access_denied');
    expect(run.outcome.code, 'no code after a decline').toBeUndefined();
  }),
);

test(
  ...check({
    id: 'SCA-005',
    title: 'A declined consent has status rejected',
    reference: 'BG IG 1.3 §6.3.3 consentStatus rejected',
    severity: 'critical',
    operations: ['getConsentStatus'],
    tags: ['mandatory', 'negative'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { consentId } = await consentSca(api, sca, 'decline');
    const response = await api.get(`/v1/consents/${encodeURIComponent(consentId)}/status`);
    expect(status(response, 'consentStatus')).toBe('rejected');
  }),
);

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
  })(async ({ api, sca }) => {
    const { paymentId, run, product } = await paymentSca(sca, 'approve');
    await sca.exchangeCode(run);
    expect(ACCEPTED).toContain((await api.paymentStatus(product, paymentId)).status);
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
  })(async ({ api, sca }) => {
    const { paymentId, run, product } = await paymentSca(sca, 'decline');
    expect(run.outcome.error).toBe('access_denied');
    expect((await api.paymentStatus(product, paymentId)).status).toBe('RJCT');
  }),
);

test(
  ...check({
    id: 'SCA-008',
    title: 'The state comes back unchanged on a declined authorisation too',
    reference: 'RFC 6749 §4.1.2.1',
    severity: 'normal',
    tags: ['mandatory', 'negative'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { run } = await consentSca(api, sca, 'decline');
    expect(run.outcome.state, 'state on the declined redirect').toBe(run.state);
  }),
);

test(
  ...check({
    id: 'SCA-009',
    title: 'The consent authorisation reads finalised after approval',
    reference: 'BG IG 1.3 §7.6 scaStatus',
    severity: 'normal',
    operations: ['getConsentScaStatus'],
    tags: ['mandatory'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const created = await api.createConsent();
    const consentId = created.json<{ consentId: string }>().consentId;
    const scaStatusHref = created.json<{ _links?: { scaStatus?: { href?: string } } }>()._links?.scaStatus
      ?.href;
    const run = await sca.runSca(sca.scaStartUrl(created, { consentId }), 'approve');
    await sca.exchangeCode(run);
    let url = scaStatusHref;
    if (!url) {
      const list = await api.get(`/v1/consents/${encodeURIComponent(consentId)}/authorisations`);
      const id = list.json<{ authorisationIds?: string[] }>().authorisationIds?.[0];
      url = `/v1/consents/${encodeURIComponent(consentId)}/authorisations/${encodeURIComponent(id ?? '')}`;
    }
    const response = await api.get(url);
    expect(response.status).toBe(200);
    expect(status(response, 'scaStatus')).toBe('finalised');
  }),
);

const OTHER_PSU_REFERENCE =
  "BG IG 1.3 §6.3.1.1 (a consent on dedicated accounts of the PSU); RFC 6749 §4.1.2.1 (access_denied); PSD2 Art. 66, 67 (only with the account holder's consent)";

/** The second PSU logs in at the SCA and approves: the flow must end back at the TPP, with a code or an error. */
async function approvedByOtherPsu(
  api: Xs2aApi,
  sca: ScaFlows,
  created: HttpResponse,
  subject: { consentId: string } | { paymentId: string },
): Promise<ScaResult> {
  const otherPsu = api.session.settings.otherPsu;
  if (!otherPsu) throw new Error('no otherPsu configured');
  const run = await sca.runSca(sca.scaStartUrl(created, subject), 'approve', 'all', { psu: otherPsu });
  test.info().annotations.push({
    type: 'bank-choice',
    description: run.outcome.code
      ? 'the second PSU completed the SCA'
      : `the SCA ended with error=${run.outcome.error ?? '(none)'}`,
  });
  return run;
}

test(
  ...check({
    id: 'SCA-010',
    title: "A consent naming one PSU's account, authorised by another PSU, grants no access to that account",
    reference: OTHER_PSU_REFERENCE,
    severity: 'blocker',
    operations: ['createConsent', 'getConsentStatus', 'getAccountList', 'getBalances'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['otherPsu'],
    needs: ['consent', 'sca'],
  })(async ({ api, sca, consent }) => {
    const theirs = await api.firstAccount(consent, { withIban: true });
    const named = { accounts: [{ iban: theirs.iban }], balances: [{ iban: theirs.iban }], transactions: [] };
    const created = await api.createConsent(consentBody({ access: named }));
    expect(created.status, `creating the consent on the account: ${created.body.slice(0, 200)}`).toBe(201);
    const consentId = created.json<{ consentId: string }>().consentId;
    const run = await approvedByOtherPsu(api, sca, created, { consentId });
    if (!run.outcome.code) {
      const status = await api.get(`/v1/consents/${encodeURIComponent(consentId)}/status`);
      expect(
        status.json<{ consentStatus?: string }>().consentStatus,
        'the consent after the failed SCA',
      ).not.toBe('valid');
      return;
    }
    const tokens = await sca.exchangeCode(run);
    const granted = { consentId, accessToken: tokens.accessToken };
    const listed = await api.read(granted, '/v1/accounts', { psuInitiated: true });
    const ibans = listed.status === 200 ? api.accountsOf<{ iban?: string }>(listed).map((a) => a.iban) : [];
    expect(ibans, "the second PSU's consent lists the first PSU's account").not.toContain(theirs.iban);
    const balances = await api.read(granted, `${theirs.path}/balances`, {
      psuInitiated: true,
    });
    expect(
      balances.status,
      `the first PSU's balances under the second PSU's consent: ${balances.body.slice(0, 200)}`,
    ).toBeGreaterThanOrEqual(400);
  }),
);

test(
  ...check({
    id: 'SCA-011',
    title: "A payment from one PSU's account, authorised by another PSU, is not accepted",
    reference: OTHER_PSU_REFERENCE,
    severity: 'blocker',
    operations: ['initiatePayment', 'getPaymentInitiationStatus'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['sepa-credit-transfers', 'otherPsu'],
    needs: ['consent', 'sca'],
  })(async ({ api, sca, consent }) => {
    const theirs = await api.firstAccount(consent, { withIban: true });
    const body = paymentBody({ debtorAccount: { iban: theirs.iban } });
    const { created, paymentId } = await sca.createdPayment('sepa-credit-transfers', body);
    const run = await approvedByOtherPsu(api, sca, created, { paymentId });
    if (run.outcome.code) await sca.exchangeCode(run);
    const { status } = await api.paymentStatus('sepa-credit-transfers', paymentId);
    expect(ACCEPTED, `the payment from the first PSU's account is ${String(status)}`).not.toContain(status);
  }),
);
