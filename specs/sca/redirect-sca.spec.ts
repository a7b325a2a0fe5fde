import { expect } from '@playwright/test';
import { check } from '../../src/checks/check.ts';
import type { HttpResponse } from '../../src/http/client.ts';
import type { ScaDecision } from '../../src/sca/driver.ts';
import type { Xs2aApi } from '../../src/suite/api.ts';
import type { ScaFlows } from '../../src/suite/flows.ts';

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

check('SCA-001', async ({ api, sca }) => {
  const { consentId, run } = await consentSca(api, sca, 'approve');
  await sca.exchangeCode(run);
  const response = await api.get(`/v1/consents/${encodeURIComponent(consentId)}/status`);
  expect(status(response, 'consentStatus')).toBe('valid');
});

check('SCA-002', async ({ api, sca }) => {
  const { run } = await consentSca(api, sca, 'approve');
  expect(run.outcome.error, 'error on the redirect').toBeUndefined();
  expect(run.outcome.code, 'code on the redirect').toBeTruthy();
});

check('SCA-003', async ({ api, sca }) => {
  const { run } = await consentSca(api, sca, 'approve');
  expect(run.outcome.state, 'state on the redirect').toBe(run.state);
});

check('SCA-004', async ({ api, sca }) => {
  const { run } = await consentSca(api, sca, 'decline');
  expect(run.outcome.error).toBe('access_denied');
  expect(run.outcome.code, 'no code after a decline').toBeUndefined();
});

check('SCA-005', async ({ api, sca }) => {
  const { consentId } = await consentSca(api, sca, 'decline');
  const response = await api.get(`/v1/consents/${encodeURIComponent(consentId)}/status`);
  expect(status(response, 'consentStatus')).toBe('rejected');
});

check('SCA-006', async ({ api, sca }) => {
  const { paymentId, run, product } = await paymentSca(sca, 'approve');
  await sca.exchangeCode(run);
  expect(ACCEPTED).toContain((await api.paymentStatus(product, paymentId)).status);
});

check('SCA-007', async ({ api, sca }) => {
  const { paymentId, run, product } = await paymentSca(sca, 'decline');
  expect(run.outcome.error).toBe('access_denied');
  expect((await api.paymentStatus(product, paymentId)).status).toBe('RJCT');
});

check('SCA-008', async ({ api, sca }) => {
  const { run } = await consentSca(api, sca, 'decline');
  expect(run.outcome.state, 'state on the declined redirect').toBe(run.state);
});

check('SCA-009', async ({ api, sca }) => {
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
});
