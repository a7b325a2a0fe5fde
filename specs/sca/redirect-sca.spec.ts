import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { expectCreated } from '../../src/harness/expect-created.ts';
import { consentBody } from '../../src/harness/test-data.ts';
import type { HttpResponse } from '../../src/http/client.ts';
import type { ScaDecision } from '../../src/sca/driver.ts';
import type { ScaFlows } from '../../src/sca/flows.ts';
import type { Xs2aApi } from '../../src/xs2a/api.ts';

const check = checksOf('SCA');

async function consentSca(api: Xs2aApi, sca: ScaFlows, decision: ScaDecision) {
  const created = await api.createConsent();
  const consentId = created.json<{ consentId: string }>().consentId;
  const run = await sca.runSca(sca.scaStartUrl(created, { consentId }), decision);
  return { consentId, run };
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

test(
  ...check({
    id: 'SCA-010',
    title: "A consent naming one PSU's account, authorised by another PSU, grants no access to that account",
    reference:
      "BG IG 1.3 §6.3.1.1 (a consent on dedicated accounts of the PSU); RFC 6749 §4.1.2.1 (access_denied); PSD2 Art. 67 (access with the account holder's consent)",
    severity: 'blocker',
    operations: ['createConsent', 'getConsentStatus', 'getAccountList', 'getBalances'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['otherPsu'],
    needs: ['consent', 'sca'],
  })(async ({ api, sca, consent }) => {
    const theirs = await api.firstAccount(consent, { withIban: true });
    const named = { accounts: [{ iban: theirs.iban }], balances: [{ iban: theirs.iban }], transactions: [] };
    const created = await api.createConsent(consentBody({ access: named }));
    expectCreated(created, 'creating the consent on the account');
    const consentId = created.json<{ consentId: string }>().consentId;
    const run = await sca.approvedByOtherPsu(created, { consentId });
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
    id: 'SCA-012',
    title: 'A consent authorisation the PSU declined reads scaStatus failed',
    reference: 'BG IG 1.3 §7.6 getConsentScaStatus; BG OpenAPI 1.3.12 scaStatus (failed)',
    severity: 'normal',
    operations: ['getConsentScaStatus'],
    tags: ['mandatory', 'negative'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const created = await api.createConsent();
    const consentId = created.json<{ consentId: string }>().consentId;
    const path = `/v1/consents/${encodeURIComponent(consentId)}`;
    const declined = await sca.runSca(sca.scaStartUrl(created, { consentId }), 'decline');
    expect(declined.outcome.code, 'a declined SCA issued a code').toBeUndefined();
    const [authorisationId] = await api.authorisationIds(path);
    const response = await api.get(`${path}/authorisations/${encodeURIComponent(authorisationId ?? '')}`);
    expect(response.status).toBe(200);
    expect(status(response, 'scaStatus')).toBe('failed');
  }),
);
