import { expect } from '@playwright/test';
import { check } from '../../src/checks/check.ts';
import type { HttpResponse } from '../../src/http/client.ts';
import { CREDITOR_IBAN, paymentBody } from '../../src/suite/api.ts';
import { expectError } from '../../src/suite/expect-error.ts';

const ACCEPTED = ['ACTC', 'ACSC', 'ACCP', 'ACSP', 'ACWC', 'ACCC', 'ACFC', 'ACWP'];
const PRODUCTS = [
  ['SCT', 'sepa-credit-transfers'],
  ['CBT', 'cross-border-credit-transfers'],
] as const;

const field = (response: HttpResponse, name: string) => response.json<Record<string, unknown>>()[name];

for (const [key, product] of PRODUCTS) {
  const id = (n: string) => `PIS-${key}-${n}`;
  const base = `/v1/payments/${product}`;

  check(id('001'), async ({ api }) => {
    const response = await api.initiatePayment(product);
    expect(response.status).toBe(201);
    expect(field(response, 'paymentId'), 'paymentId').toBeTruthy();
    expect(field(response, 'transactionStatus')).toBe('RCVD');
  });

  check(id('002'), async ({ api }) => {
    const response = await api.initiatePayment(product);
    const location = response.header('location');
    expect(location, 'Location header').toBeTruthy();
    expect(location ?? '').toContain(String(field(response, 'paymentId')));
  });

  check(id('003'), async ({ api }) => {
    const response = await api.initiatePayment(product);
    expect(['REDIRECT', 'EMBEDDED', 'DECOUPLED']).toContain(response.header('aspsp-sca-approach'));
  });

  check(id('004'), async ({ api, sca }) => {
    const response = await api.initiatePayment(product);
    const url = sca.scaStartUrl(response, { paymentId: String(field(response, 'paymentId')) });
    expect(url).toMatch(/^https:\/\//);
  });

  check(id('005'), async ({ api, sca }) => {
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
  });

  check(id('006'), async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment(product);
    const response = await api.get(`${base}/${encodeURIComponent(paymentId)}/status`);
    expect(response.status).toBe(200);
    expect(field(response, 'transactionStatus')).toBe('RCVD');
  });

  check(id('007'), async ({ api }) => {
    const response = await api.initiatePayment(
      product,
      paymentBody({ creditorAccount: { iban: 'DE89 3704 0044 0532 0130 00' } }),
    );
    expectError(response, 400, ['FORMAT_ERROR']);
  });

  check(id('008'), async ({ api }) => {
    const response = await api.initiatePayment(
      product,
      paymentBody({ instructedAmount: { currency: 'EURO', amount: '10.00' } }),
    );
    expectError(response, 400, ['FORMAT_ERROR']);
  });

  check(id('009'), async ({ api }) => {
    const response = await api.initiatePayment(
      product,
      paymentBody({ instructedAmount: { currency: 'EUR', amount: 10.5 } }),
    );
    expectError(response, 400, ['FORMAT_ERROR']);
  });

  check(id('010'), async ({ api }) => {
    const response = await api.initiatePayment(
      product,
      paymentBody({ instructedAmount: { currency: 'EUR', amount: '10.12345' } }),
    );
    expectError(response, 400, ['FORMAT_ERROR']);
  });

  check(id('011'), async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment(product);
    const cancel = await api.send({ method: 'DELETE', url: `${base}/${encodeURIComponent(paymentId)}` });
    expect([202, 204]).toContain(cancel.status);
    if (cancel.status === 204) {
      const status = await api.get(`${base}/${encodeURIComponent(paymentId)}/status`);
      expect(field(status, 'transactionStatus')).toBe('CANC');
    }
  });

  check(id('012'), async ({ api, sca }) => {
    const { created, paymentId } = await sca.createdPayment(product);
    const run = await sca.runSca(sca.scaStartUrl(created, { paymentId }), 'approve');
    await sca.exchangeCode(run);
    expect(ACCEPTED).toContain((await api.paymentStatus(product, paymentId)).status);
  });

  check(id('013'), async ({ api, sca }) => {
    const { created, paymentId } = await sca.createdPayment(product);
    await sca.runSca(sca.scaStartUrl(created, { paymentId }), 'decline');
    expect((await api.paymentStatus(product, paymentId)).status).toBe('RJCT');
  });

  check(id('014'), async ({ api }) => {
    const response = await api.send({
      method: 'POST',
      url: base,
      json: paymentBody(),
      headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
    });
    expectError(response, 400, ['FORMAT_ERROR']);
  });

  check(id('015'), async ({ api, sca }) => {
    const { paymentId } = await sca.createdPayment(product);
    const response = await api.send({
      method: 'POST',
      url: `${base}/${encodeURIComponent(paymentId)}/authorisations`,
      headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
      psuInitiated: true,
    });
    expect(response.status).toBe(201);
    expect(field(response, 'authorisationId'), 'authorisationId').toBeTruthy();
  });
}

check('PIS-001', async ({ api }) => {
  expectError(await api.initiatePayment('psd2-conformance-unknown-product'), 404, ['PRODUCT_UNKNOWN']);
});

check('PIS-002', async ({ api }) => {
  const response = await api.get(
    '/v1/payments/sepa-credit-transfers/psd2-conformance-no-such-payment/status',
  );
  expectError(response, [403, 404], ['RESOURCE_UNKNOWN']);
});

check('PIS-003', async ({ api }) => {
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
});

check('PIS-004', async ({ api }) => {
  const response = await api.send({
    method: 'POST',
    url: '/v1/payments/sepa-credit-transfers',
    body: JSON.stringify(paymentBody()),
    headers: { 'content-type': 'text/plain', 'tpp-redirect-uri': api.session.settings.client.redirectUri },
    psuInitiated: true,
  });
  expect(response.status).toBe(415);
});

check('PIS-005', async ({ api }) => {
  const { creditorName: _name, ...body } = paymentBody();
  expectError(await api.initiatePayment('sepa-credit-transfers', body), 400, ['FORMAT_ERROR']);
});
