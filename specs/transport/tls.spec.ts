import { expect } from '@playwright/test';
import { check } from '../../src/checks/check.ts';
import type { TlsMaterial } from '../../src/config/tls-material.ts';
import { HttpError } from '../../src/http/errors.ts';
import { consentBody, paymentBody } from '../../src/suite/api.ts';
import { expectError } from '../../src/suite/expect-error.ts';
import type { TppSession } from '../../src/suite/session.ts';
import { tlsHandshake } from '../../src/suite/tls-probe.ts';

function named(tpp: TppSession, name: string): TlsMaterial {
  const material = tpp.namedCertificate(name);
  if (!material) throw new Error(`tls.certificates.${name} is not configured`);
  return material;
}

/** Sends one request and expects no HTTP answer at all: the TLS layer refuses. */
async function expectRefusedConnection(send: () => Promise<unknown>): Promise<void> {
  let outcome: string;
  try {
    const response = (await send()) as { status: number };
    outcome = `an HTTP ${response.status} answer`;
  } catch (error) {
    if (error instanceof HttpError && ['tls', 'connection-reset'].includes(error.kind)) return;
    throw error;
  }
  throw new Error(
    `expected the connection to be refused during or right after the handshake, got ${outcome}`,
  );
}

for (const [id, version] of [
  ['TLS-001', 'TLSv1'],
  ['TLS-002', 'TLSv1.1'],
] as const) {
  check(id, async ({ tpp }) => {
    const result = await tlsHandshake(tpp.settings.target.baseUrl, {
      minVersion: version,
      maxVersion: version,
      ciphers: 'DEFAULT@SECLEVEL=0',
      cert: tpp.tls.cert,
      key: tpp.tls.key,
      ca: tpp.tls.ca,
      rejectUnauthorized: false,
    });
    expect(result.ok, `the server accepted a ${version} handshake (${result.protocol})`).toBe(false);
  });
}

check('TLS-003', async ({ tpp }) => {
  const result = await tlsHandshake(tpp.settings.target.baseUrl, {
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.2',
    cert: tpp.tls.cert,
    key: tpp.tls.key,
    pfx: tpp.tls.pfx,
    passphrase: tpp.tls.passphrase,
    ca: tpp.tls.ca,
  });
  expect(result.error).toBeUndefined();
  expect(result.protocol).toBe('TLSv1.2');
});

check('TLS-004', async ({ api, tpp }) => {
  const bare = tpp.client({ ...(tpp.tls.ca ? { ca: tpp.tls.ca } : {}), minVersion: 'TLSv1.2' });
  await expectRefusedConnection(() =>
    api.send({ method: 'GET', url: '/v1/accounts', via: bare, token: null }),
  );
});

check('TLS-005', async ({ api, tpp }) => {
  const bare = tpp.client({ ...(tpp.tls.ca ? { ca: tpp.tls.ca } : {}), minVersion: 'TLSv1.2' });
  const oauth = tpp.oauthFor(bare, tpp.settings.client);
  await expectRefusedConnection(() => api.token((o) => o.clientCredentials(), oauth));
});

check('TLS-006', async ({ api, tpp }) => {
  const untrusted = tpp.client(named(tpp, 'untrusted'));
  await expectRefusedConnection(() =>
    api.send({ method: 'POST', url: '/v1/consents', json: consentBody(), via: untrusted }),
  );
});

check('TLS-007', async ({ api, tpp }) => {
  const expired = tpp.client(named(tpp, 'expired'));
  await expectRefusedConnection(() =>
    api.send({ method: 'POST', url: '/v1/consents', json: consentBody(), via: expired }),
  );
});

check('TLS-008', async ({ api, tpp, consent }) => {
  const noQc = tpp.client(named(tpp, 'noQcStatement'));
  const response = await api.read(consent, '/v1/accounts', { via: noQc });
  expectError(response, 401, ['CERTIFICATE_INVALID']);
});

check('TLS-009', async ({ api, tpp }) => {
  const aisOnly = tpp.client(named(tpp, 'aisOnly'));
  const response = await api.initiatePayment('sepa-credit-transfers', paymentBody(), { via: aisOnly });
  expectError(response, 401, ['ROLE_INVALID']);
});

check('TLS-010', async ({ api, tpp }) => {
  const pisOnly = tpp.client(named(tpp, 'pisOnly'));
  expectError(await api.createConsent(consentBody(), { via: pisOnly }), 401, ['ROLE_INVALID']);
});

check('TLS-011', async ({ api, tpp }) => {
  const aisOnly = tpp.client(named(tpp, 'aisOnly'));
  const response = await api.send({
    method: 'POST',
    url: '/v1/funds-confirmations',
    json: {
      account: { iban: 'DE02120300000000202051' },
      instructedAmount: { currency: 'EUR', amount: '1.00' },
    },
    via: aisOnly,
  });
  expectError(response, 401, ['ROLE_INVALID']);
});

check('TLS-012', async ({ api, tpp, consent }) => {
  const piisOnly = tpp.client(named(tpp, 'piisOnly'));
  expectError(await api.read(consent, '/v1/accounts', { via: piisOnly }), 401, ['ROLE_INVALID']);
});

check('TLS-013', async ({ api, tpp }) => {
  const aisOnly = tpp.client(named(tpp, 'aisOnly'));
  expect((await api.createConsent(consentBody(), { via: aisOnly })).status).toBe(201);
});

check('TLS-014', async ({ tpp }) => {
  const result = await tlsHandshake(tpp.settings.target.baseUrl, {
    minVersion: 'TLSv1.2',
    cert: tpp.tls.cert,
    key: tpp.tls.key,
    pfx: tpp.tls.pfx,
    passphrase: tpp.tls.passphrase,
    ca: tpp.tls.ca,
    rejectUnauthorized: true,
  });
  expect(result.error, 'certificate verification').toBeUndefined();
  expect(result.ok).toBe(true);
});
