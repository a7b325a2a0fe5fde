import { expect } from '@playwright/test';
import { type CheckBody, checksOf, test } from '../../src/checks/check.ts';
import type { TlsMaterial } from '../../src/config/tls-material.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import type { TppSession } from '../../src/harness/session.ts';
import { consentBody, paymentBody } from '../../src/harness/test-data.ts';
import { tlsHandshake } from '../../src/harness/tls-probe.ts';
import { HttpError } from '../../src/http/errors.ts';

const check = checksOf('Transport');

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

/** A handshake at a TLS version below 1.2 is refused (TLS-001, TLS-002). */
function refusesLegacyTls(version: 'TLSv1' | 'TLSv1.1'): CheckBody {
  return async ({ tpp }) => {
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
  };
}

test(
  ...check({
    id: 'TLS-001',
    title: 'A TLS 1.0 handshake is refused',
    reference: 'myPOS PSD2 overview, Security Requirements; RTS (EU) 2018/389 Art. 34',
    severity: 'blocker',
    tags: ['mandatory', 'negative', 'security'],
  })(refusesLegacyTls('TLSv1')),
);

test(
  ...check({
    id: 'TLS-002',
    title: 'A TLS 1.1 handshake is refused',
    reference: 'myPOS PSD2 overview, Security Requirements; RTS (EU) 2018/389 Art. 34',
    severity: 'blocker',
    tags: ['mandatory', 'negative', 'security'],
  })(refusesLegacyTls('TLSv1.1')),
);

test(
  ...check({
    id: 'TLS-003',
    title: 'A TLS 1.2 handshake with the client certificate succeeds',
    reference: 'myPOS PSD2 overview, Security Requirements; RTS (EU) 2018/389 Art. 34',
    severity: 'blocker',
    tags: ['mandatory'],
  })(async ({ tpp }) => {
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
  }),
);

test(
  ...check({
    id: 'TLS-004',
    title: 'The XS2A API refuses a connection without a client certificate',
    reference: 'myPOS PSD2 overview, Security Requirements; RTS (EU) 2018/389 Art. 34',
    severity: 'blocker',
    tags: ['mandatory', 'negative', 'security'],
  })(async ({ api, tpp }) => {
    const bare = tpp.client({ ...(tpp.tls.ca ? { ca: tpp.tls.ca } : {}), minVersion: 'TLSv1.2' });
    await expectRefusedConnection(() =>
      api.send({ method: 'GET', url: '/v1/accounts', via: bare, token: null }),
    );
  }),
);

test(
  ...check({
    id: 'TLS-005',
    title: 'The token endpoint refuses a connection without a client certificate',
    reference: 'myPOS PSD2 overview, Security Requirements; RTS (EU) 2018/389 Art. 34',
    severity: 'blocker',
    tags: ['mandatory', 'negative', 'security'],
  })(async ({ api, tpp }) => {
    const bare = tpp.client({ ...(tpp.tls.ca ? { ca: tpp.tls.ca } : {}), minVersion: 'TLSv1.2' });
    const oauth = tpp.oauthFor(bare, tpp.settings.client);
    await expectRefusedConnection(() => api.token((o) => o.clientCredentials(), oauth));
  }),
);

test(
  ...check({
    id: 'TLS-006',
    title: 'A client certificate from an untrusted CA is refused',
    reference: 'ETSI TS 119 495 §5; eIDAS Art. 45',
    severity: 'blocker',
    tags: ['mandatory', 'negative', 'security'],
    requires: ['roleCertificates'],
  })(async ({ api, tpp }) => {
    const untrusted = tpp.client(named(tpp, 'untrusted'));
    await expectRefusedConnection(() =>
      api.send({ method: 'POST', url: '/v1/consents', json: consentBody(), via: untrusted }),
    );
  }),
);

test(
  ...check({
    id: 'TLS-007',
    title: 'An expired client certificate is refused',
    reference: 'RFC 5280 §4.1.2.5; ETSI TS 119 495',
    severity: 'blocker',
    tags: ['mandatory', 'negative', 'security'],
    requires: ['roleCertificates'],
  })(async ({ api, tpp }) => {
    const expired = tpp.client(named(tpp, 'expired'));
    await expectRefusedConnection(() =>
      api.send({ method: 'POST', url: '/v1/consents', json: consentBody(), via: expired }),
    );
  }),
);

test(
  ...check({
    id: 'TLS-008',
    title: 'A certificate without the PSD2 QCStatement is refused with 401 CERTIFICATE_INVALID',
    reference: 'ETSI TS 119 495 §5.1; BG IG 1.3 §14.11 CERTIFICATE_INVALID',
    severity: 'critical',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['roleCertificates'],
    needs: ['consent'],
  })(async ({ api, tpp, consent }) => {
    const noQc = tpp.client(named(tpp, 'noQcStatement'));
    const response = await api.read(consent, '/v1/accounts', { via: noQc });
    expectError(response, 401, ['CERTIFICATE_INVALID']);
  }),
);

test(
  ...check({
    id: 'TLS-009',
    title: 'An AIS-only certificate is refused on payment initiation with 401 ROLE_INVALID',
    reference: 'ETSI TS 119 495 §5.1 PSP_PI; BG IG 1.3 §14.11 ROLE_INVALID',
    severity: 'critical',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['roleCertificates'],
  })(async ({ api, tpp }) => {
    const aisOnly = tpp.client(named(tpp, 'aisOnly'));
    const response = await api.initiatePayment('sepa-credit-transfers', paymentBody(), { via: aisOnly });
    expectError(response, 401, ['ROLE_INVALID']);
  }),
);

test(
  ...check({
    id: 'TLS-010',
    title: 'A PIS-only certificate is refused on consent creation with 401 ROLE_INVALID',
    reference: 'ETSI TS 119 495 §5.1 PSP_AI; BG IG 1.3 §14.11 ROLE_INVALID',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['roleCertificates'],
  })(async ({ api, tpp }) => {
    const pisOnly = tpp.client(named(tpp, 'pisOnly'));
    expectError(await api.createConsent(consentBody(), { via: pisOnly }), 401, ['ROLE_INVALID']);
  }),
);

test(
  ...check({
    id: 'TLS-011',
    title: 'An AIS-only certificate is refused on funds confirmation with 401 ROLE_INVALID',
    reference: 'ETSI TS 119 495 §5.1 PSP_IC; BG IG 1.3 §14.11 ROLE_INVALID',
    severity: 'critical',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['roleCertificates', 'fundsConfirmation'],
  })(async ({ api, tpp }) => {
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
  }),
);

test(
  ...check({
    id: 'TLS-012',
    title: 'A PIIS-only certificate is refused on account information with 401 ROLE_INVALID',
    reference: 'ETSI TS 119 495 §5.1 PSP_AI; BG IG 1.3 §14.11 ROLE_INVALID',
    severity: 'critical',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['roleCertificates'],
    needs: ['consent'],
  })(async ({ api, tpp, consent }) => {
    const piisOnly = tpp.client(named(tpp, 'piisOnly'));
    expectError(await api.read(consent, '/v1/accounts', { via: piisOnly }), 401, ['ROLE_INVALID']);
  }),
);

test(
  ...check({
    id: 'TLS-013',
    title: 'An AIS-only certificate is accepted for consent creation',
    reference: 'ETSI TS 119 495 §5.1 PSP_AI',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory'],
    requires: ['roleCertificates'],
  })(async ({ api, tpp }) => {
    const aisOnly = tpp.client(named(tpp, 'aisOnly'));
    expect((await api.createConsent(consentBody(), { via: aisOnly })).status).toBe(201);
  }),
);

test(
  ...check({
    id: 'TLS-014',
    title: 'The server certificate chains to the configured CA and names the host',
    reference: 'RFC 9110 §4.3.4; RFC 6125',
    severity: 'critical',
    tags: ['mandatory'],
  })(async ({ tpp }) => {
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
  }),
);

test(
  ...check({
    id: 'TLS-015',
    title: 'A TLS 1.2 handshake offering only NULL-encryption cipher suites is refused',
    reference:
      'RFC 9325 §4.1 (MUST NOT negotiate the cipher suites with NULL encryption); RTS (EU) 2018/389 Art. 35',
    severity: 'blocker',
    tags: ['mandatory', 'negative', 'security'],
  })(async ({ tpp }) => {
    const result = await tlsHandshake(tpp.settings.target.baseUrl, {
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: 'eNULL:@SECLEVEL=0',
      cert: tpp.tls.cert,
      key: tpp.tls.key,
      ca: tpp.tls.ca,
      rejectUnauthorized: false,
    });
    expect(result.ok, `the server negotiated a cipher without encryption (${result.protocol})`).toBe(false);
  }),
);

test(
  ...check({
    id: 'TLS-016',
    title: 'A client certificate for server authentication only (no clientAuth usage) is refused',
    reference: 'RFC 5280 §4.2.1.12; ETSI TS 119 495 §4.1 (a QWAC authenticates the TPP to the ASPSP)',
    severity: 'critical',
    tags: ['mandatory', 'negative', 'security'],
    requires: ['roleCertificates'],
  })(async ({ api, tpp }) => {
    test.skip(
      !tpp.namedCertificate('serverAuthOnly'),
      'tls.certificates.serverAuthOnly (a certificate whose extendedKeyUsage is serverAuth only) is not configured',
    );
    const serverOnly = tpp.client(named(tpp, 'serverAuthOnly'));
    await expectRefusedConnection(() =>
      api.send({ method: 'POST', url: '/v1/consents', json: consentBody(), via: serverOnly }),
    );
  }),
);

test(
  ...check({
    id: 'TLS-017',
    title: 'A client certificate its CA has revoked is refused',
    reference:
      'RFC 5280 §6.3 (CRL validation); ETSI TS 119 495 §6.2.4 (the ASPSP checks revocation); RTS (EU) 2018/389 Art. 34',
    severity: 'blocker',
    tags: ['mandatory', 'negative', 'security'],
    requires: ['roleCertificates'],
  })(async ({ api, tpp }) => {
    test.skip(
      !tpp.namedCertificate('revoked'),
      'tls.certificates.revoked (a certificate its CA has revoked) is not configured',
    );
    const revoked = tpp.client(named(tpp, 'revoked'));
    await expectRefusedConnection(() =>
      api.send({ method: 'POST', url: '/v1/consents', json: consentBody(), via: revoked }),
    );
  }),
);
