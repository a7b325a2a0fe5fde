import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSeed } from '../../sandbox/seed.ts';
import { tlsHandshake } from '../../src/harness/tls-probe.ts';
import { HttpError } from '../../src/http/errors.ts';
import { CONSENT, Harness, isoDay, PAYMENT } from './harness.ts';

let h: Harness;
before(async () => {
  h = await Harness.start([], { codeLifetimeSeconds: 2 });
});
after(() => h.stop());

async function refused(send: () => Promise<unknown>): Promise<string> {
  try {
    const response = (await send()) as { status: number };
    return `answered ${response.status}`;
  } catch (error) {
    assert.ok(error instanceof HttpError, String(error));
    assert.ok(['tls', 'connection-reset'].includes(error.kind), error.message);
    return 'refused';
  }
}

describe('transport', () => {
  it('refuses TLS 1.0 and 1.1, accepts TLS 1.2 and 1.3', async () => {
    const material = h.material();
    for (const version of ['TLSv1', 'TLSv1.1'] as const) {
      const r = await tlsHandshake(h.config.baseUrl, {
        ...material,
        minVersion: version,
        maxVersion: version,
        ciphers: 'DEFAULT@SECLEVEL=0',
      });
      assert.equal(r.ok, false, `${version} accepted`);
    }
    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      const r = await tlsHandshake(h.config.baseUrl, {
        ...material,
        minVersion: version,
        maxVersion: version,
      });
      assert.equal(r.protocol, version, r.error);
    }
  });

  it('refuses a connection without certificate, on the API and on the token endpoint', async () => {
    const bare = h.client('none');
    assert.equal(await refused(() => bare.send({ method: 'GET', url: '/v1/accounts' })), 'refused');
    assert.equal(await refused(() => h.token(undefined, h.client('none'))), 'refused');
  });

  it('refuses expired and untrusted certificates in the handshake', async () => {
    for (const name of ['expired', 'untrusted']) {
      assert.equal(await refused(() => h.token(undefined, h.client(h.material(name)))), 'refused', name);
    }
  });

  it('answers 401 CERTIFICATE_INVALID without the PSD2 QCStatement and 401 ROLE_INVALID without the role', async () => {
    const token = await h.clientToken();
    const noQc = await h.xs2a(
      { method: 'POST', url: '/v1/consents', json: CONSENT, token, psuIp: true },
      h.client(h.material('noQcStatement')),
    );
    assert.equal(noQc.status, 401);
    assert.match(noQc.body, /CERTIFICATE_INVALID/);
    const pis = await h.xs2a(
      { method: 'POST', url: '/v1/consents', json: CONSENT, token, psuIp: true },
      h.client(h.material('pisOnly')),
    );
    assert.equal(pis.status, 401);
    assert.match(pis.body, /ROLE_INVALID/);
    const ais = await h.xs2a(
      { method: 'POST', url: '/v1/consents', json: CONSENT, token, psuIp: true },
      h.client(h.material('aisOnly')),
    );
    assert.equal(ais.status, 201);
    const piis = await h.xs2a(
      {
        method: 'POST',
        url: '/v1/funds-confirmations',
        json: {
          account: { iban: 'DE02120300000000202051' },
          instructedAmount: { currency: 'EUR', amount: '1.00' },
        },
        token,
      },
      h.client(h.material('aisOnly')),
    );
    assert.match(piis.body, /ROLE_INVALID/);
  });
});

describe('OAuth2 grants', () => {
  it('issues client_credentials tokens with client_secret_post and client_secret_basic, no-store', async () => {
    const post = await h.token();
    assert.equal(post.status, 200);
    assert.equal(post.headers['cache-control'], 'no-store');
    const body = post.json<{ token_type: string; expires_in: number; refresh_token?: string }>();
    assert.equal(body.token_type, 'Bearer');
    assert.ok(body.expires_in > 0);
    assert.equal(body.refresh_token, undefined);
    const basic = await h.client().send({
      method: 'POST',
      url: h.config.tokenUrl,
      form: { grant_type: 'client_credentials' },
      headers: {
        authorization: `Basic ${Buffer.from(`${h.config.clientId}:${h.config.clientSecret}`).toString('base64')}`,
      },
      requestId: false,
    });
    assert.equal(basic.status, 200);
  });

  it('refuses a wrong secret, an unknown grant and a missing grant type with the RFC 6749 codes', async () => {
    const wrong = await h.token(undefined, undefined, { id: h.config.clientId, secret: 'nope-nope' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json<{ error: string }>().error, 'invalid_client');
    const grant = await h.token({ grant_type: 'password' });
    assert.equal(grant.json<{ error: string }>().error, 'unsupported_grant_type');
    const none = await h.token({});
    assert.equal(none.json<{ error: string }>().error, 'invalid_request');
  });

  it('exchanges a code once (a reuse revokes its tokens), for the same redirect_uri, before it expires; rotates refresh tokens', async () => {
    const created = (await h.createConsent()).json<{ _links: { scaRedirect: { href: string } } }>();
    const redirect = await h.psu(created._links.scaRedirect.href, 'approve', { state: 'xyz' });
    assert.equal(redirect.searchParams.get('state'), 'xyz');
    const code = redirect.searchParams.get('code') ?? '';
    const wrongUri = await h.token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://127.0.0.1/elsewhere',
    });
    assert.equal(wrongUri.json<{ error: string }>().error, 'invalid_grant');
    const created2 = (await h.createConsent()).json<{ _links: { scaRedirect: { href: string } } }>();
    const code2 = (await h.psu(created2._links.scaRedirect.href, 'approve')).searchParams.get('code') ?? '';
    const first = await h.token({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: h.config.redirectUri,
    });
    assert.equal(first.status, 200);
    const again = await h.token({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: h.config.redirectUri,
    });
    assert.equal(again.json<{ error: string }>().error, 'invalid_grant');
    // RFC 6749 §4.1.2: the reused code revoked what it issued.
    const revoked = await h.token({
      grant_type: 'refresh_token',
      refresh_token: first.json<{ refresh_token: string }>().refresh_token,
    });
    assert.equal(revoked.json<{ error: string }>().error, 'invalid_grant');
    const created3 = (await h.createConsent()).json<{ _links: { scaRedirect: { href: string } } }>();
    const code3 = (await h.psu(created3._links.scaRedirect.href, 'approve')).searchParams.get('code') ?? '';
    const third = await h.token({
      grant_type: 'authorization_code',
      code: code3,
      redirect_uri: h.config.redirectUri,
    });
    const refresh = third.json<{ refresh_token: string }>().refresh_token;
    const rotated = await h.token({ grant_type: 'refresh_token', refresh_token: refresh });
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.json<{ refresh_token: string }>().refresh_token, refresh);
    const reused = await h.token({ grant_type: 'refresh_token', refresh_token: refresh });
    assert.equal(reused.json<{ error: string }>().error, 'invalid_grant');
  });

  it('lets authorization codes expire', async () => {
    const created = (await h.createConsent()).json<{ _links: { scaRedirect: { href: string } } }>();
    const code = (await h.psu(created._links.scaRedirect.href, 'approve')).searchParams.get('code') ?? '';
    await new Promise((r) => setTimeout(r, 2500));
    const late = await h.token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: h.config.redirectUri,
    });
    assert.equal(late.json<{ error: string }>().error, 'invalid_grant');
  });
});

describe('consent lifecycle', () => {
  it('goes received -> valid on approval, and terminatedByTpp after DELETE, after which reads are refused', async () => {
    const created = await h.createConsent();
    assert.equal(created.status, 201);
    assert.equal(created.headers['aspsp-sca-approach'], 'REDIRECT');
    assert.equal(created.json<{ consentStatus: string }>().consentStatus, 'received');
    const { consentId, _links } = created.json<{
      consentId: string;
      _links: { scaRedirect: { href: string } };
    }>();
    const token = await h.clientToken();
    const redirect = await h.psu(_links.scaRedirect.href, 'approve');
    const tokens = (
      await h.token({
        grant_type: 'authorization_code',
        code: redirect.searchParams.get('code') ?? '',
        redirect_uri: h.config.redirectUri,
      })
    ).json<{ access_token: string; refresh_token: string }>();
    const status = await h.xs2a({ method: 'GET', url: `/v1/consents/${consentId}/status`, token });
    assert.equal(status.json<{ consentStatus: string }>().consentStatus, 'valid');
    const list = await h.xs2a({ method: 'GET', url: '/v1/accounts', token: tokens.access_token, consentId });
    assert.equal(list.status, 200);
    const deleted = await h.xs2a({ method: 'DELETE', url: `/v1/consents/${consentId}`, token });
    assert.equal(deleted.status, 204);
    const after = await h.xs2a({ method: 'GET', url: `/v1/consents/${consentId}/status`, token });
    assert.equal(after.json<{ consentStatus: string }>().consentStatus, 'terminatedByTpp');
    const read = await h.xs2a({ method: 'GET', url: '/v1/accounts', token: tokens.access_token, consentId });
    assert.equal(read.status, 401);
    assert.match(read.body, /CONSENT_INVALID/);
    const refresh = await h.token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(refresh.json<{ error: string }>().error, 'invalid_grant');
  });

  it('goes received -> rejected on decline, with error=access_denied', async () => {
    const { consentId, _links } = (await h.createConsent()).json<{
      consentId: string;
      _links: { scaRedirect: { href: string } };
    }>();
    const redirect = await h.psu(_links.scaRedirect.href, 'decline', { state: 's1' });
    assert.equal(redirect.searchParams.get('error'), 'access_denied');
    assert.equal(redirect.searchParams.get('state'), 's1');
    const status = await h.xs2a({
      method: 'GET',
      url: `/v1/consents/${consentId}/status`,
      token: await h.clientToken(),
    });
    assert.equal(status.json<{ consentStatus: string }>().consentStatus, 'rejected');
  });

  it('refuses an expired consent with CONSENT_EXPIRED and reads it as expired', async () => {
    const { consentId, accessToken } = h.config.fixtures.expiredConsent;
    const read = await h.xs2a({ method: 'GET', url: '/v1/accounts', token: accessToken, consentId });
    assert.equal(read.status, 401);
    assert.match(read.body, /CONSENT_EXPIRED/);
  });

  it('counts TPP-initiated reads against frequencyPerDay, not the PSU-initiated ones', async () => {
    const consent = await h.approvedConsent({ ...CONSENT, frequencyPerDay: 2 });
    const account = await h.firstAccount(consent);
    const read = (psuIp: boolean) =>
      h.xs2a({
        method: 'GET',
        url: `/v1/accounts/${account}/balances`,
        token: consent.accessToken,
        consentId: consent.consentId,
        psuIp,
      });
    assert.equal((await read(true)).status, 200);
    assert.equal((await read(true)).status, 200);
    assert.equal((await read(true)).status, 200);
    assert.equal((await read(false)).status, 200);
    assert.equal((await read(false)).status, 200);
    const third = await read(false);
    assert.equal(third.status, 429);
    assert.match(third.body, /ACCESS_EXCEEDED/);
  });

  it("refuses another TPP's consent with CONSENT_UNKNOWN, and a past validUntil with 400", async () => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    const { client: other, token: otherToken } = await h.otherTpp();
    const response = await h.xs2a(
      { method: 'GET', url: `/v1/consents/${consentId}`, token: otherToken },
      other,
    );
    assert.equal(response.status, 403);
    assert.match(response.body, /CONSENT_UNKNOWN/);
    const past = await h.createConsent({ ...CONSENT, validUntil: isoDay(-2) });
    assert.equal(past.status, 400);
  });
});

describe('account information', () => {
  it('filters transactions by bookingStatus and dates and paginates long lists to the end', async () => {
    const consent = await h.approvedConsent();
    const account = await h.firstAccount(consent);
    const get = (url: string) =>
      h.xs2a({ method: 'GET', url, token: consent.accessToken, consentId: consent.consentId });
    const pending = await get(
      `/v1/accounts/${account}/transactions?bookingStatus=pending&dateFrom=${isoDay(-365)}`,
    );
    const report = pending.json<{ transactions: { booked?: unknown[]; pending: unknown[] } }>().transactions;
    assert.equal(report.booked, undefined);
    assert.ok(report.pending.length > 0);
    let url: string | undefined =
      `/v1/accounts/${account}/transactions?bookingStatus=booked&dateFrom=${isoDay(-400)}`;
    let total = 0;
    let pages = 0;
    while (url) {
      const page: {
        transactions: { booked: { bookingDate: string }[]; _links: { next?: { href: string } } };
      } = (await get(url)).json<{
        transactions: { booked: { bookingDate: string }[]; _links: { next?: { href: string } } };
      }>();
      total += page.transactions.booked.length;
      url = page.transactions._links.next?.href;
      pages++;
    }
    assert.ok(total >= 2000, `only ${total} booked transactions`);
    assert.ok(pages > 1);
    const window = await get(
      `/v1/accounts/${account}/transactions?bookingStatus=booked&dateFrom=${isoDay(-40)}&dateTo=${isoDay(-20)}`,
    );
    for (const t of window.json<{ transactions: { booked: { bookingDate: string }[] } }>().transactions
      .booked) {
      assert.ok(t.bookingDate >= isoDay(-40) && t.bookingDate <= isoDay(-20), t.bookingDate);
    }
  });

  it('adds balances for withBalance=true and refuses a bare ?withBalance', async () => {
    const consent = await h.approvedConsent();
    const get = (url: string) =>
      h.xs2a({ method: 'GET', url, token: consent.accessToken, consentId: consent.consentId });
    const withBalance = (await get('/v1/accounts?withBalance=true')).json<{
      accounts: { balances?: unknown[] }[];
    }>();
    assert.ok(withBalance.accounts.every((a) => (a.balances?.length ?? 0) > 0));
    const bare = await get('/v1/accounts?withBalance');
    assert.equal(bare.status, 400);
    assert.match(bare.body, /FORMAT_ERROR/);
  });

  it('answers unknown accounts with 404 RESOURCE_UNKNOWN and accounts outside the consent with 401 CONSENT_INVALID', async () => {
    const all = await h.approvedConsent();
    const accounts = (
      await h.xs2a({ method: 'GET', url: '/v1/accounts', token: all.accessToken, consentId: all.consentId })
    ).json<{
      accounts: { resourceId: string }[];
    }>().accounts;
    const narrow = await h.approvedConsent(CONSENT, 'first');
    const outside = accounts[1]?.resourceId ?? '';
    const refused = await h.xs2a({
      method: 'GET',
      url: `/v1/accounts/${outside}/balances`,
      token: narrow.accessToken,
      consentId: narrow.consentId,
    });
    assert.equal(refused.status, 401);
    assert.match(refused.body, /CONSENT_INVALID/);
    const unknown = await h.xs2a({
      method: 'GET',
      url: '/v1/accounts/nope',
      token: all.accessToken,
      consentId: all.consentId,
    });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body, /RESOURCE_UNKNOWN/);
  });
});

describe('payments and funds confirmation', () => {
  it('goes RCVD -> ACSC (SEPA) or ACTC (cross-border) on approval, RJCT on decline, CANC on cancellation', async () => {
    for (const [product, accepted] of [
      ['sepa-credit-transfers', 'ACSC'],
      ['cross-border-credit-transfers', 'ACTC'],
    ] as const) {
      const created = await h.createPayment(product);
      assert.equal(created.status, 201);
      const { paymentId, transactionStatus, _links } = created.json<{
        paymentId: string;
        transactionStatus: string;
        _links: { scaRedirect: { href: string } };
      }>();
      assert.equal(transactionStatus, 'RCVD');
      await h.psu(_links.scaRedirect.href, 'approve');
      const status = await h.xs2a({
        method: 'GET',
        url: `/v1/payments/${product}/${paymentId}/status`,
        token: await h.clientToken(),
      });
      assert.equal(status.json<{ transactionStatus: string }>().transactionStatus, accepted);
    }
    const declined = (await h.createPayment()).json<{
      paymentId: string;
      _links: { scaRedirect: { href: string } };
    }>();
    await h.psu(declined._links.scaRedirect.href, 'decline');
    const rjct = await h.xs2a({
      method: 'GET',
      url: `/v1/payments/sepa-credit-transfers/${declined.paymentId}/status`,
      token: await h.clientToken(),
    });
    assert.equal(rjct.json<{ transactionStatus: string }>().transactionStatus, 'RJCT');
    const cancelled = (await h.createPayment()).json<{ paymentId: string }>();
    const token = await h.clientToken();
    assert.equal(
      (
        await h.xs2a({
          method: 'DELETE',
          url: `/v1/payments/sepa-credit-transfers/${cancelled.paymentId}`,
          token,
        })
      ).status,
      204,
    );
    const canc = await h.xs2a({
      method: 'GET',
      url: `/v1/payments/sepa-credit-transfers/${cancelled.paymentId}/status`,
      token,
    });
    assert.equal(canc.json<{ transactionStatus: string }>().transactionStatus, 'CANC');
  });

  it('refuses a bad IBAN, currency and amount with FORMAT_ERROR and an unknown product with 404 PRODUCT_UNKNOWN', async () => {
    for (const body of [
      { ...PAYMENT, creditorAccount: { iban: 'DE89 3704' } },
      { ...PAYMENT, instructedAmount: { currency: 'EURO', amount: '1.00' } },
      { ...PAYMENT, instructedAmount: { currency: 'EUR', amount: 1 } },
    ]) {
      const response = await h.createPayment('sepa-credit-transfers', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(response.body, /FORMAT_ERROR/);
    }
    const product = await h.createPayment('instant-sepa-credit-transfers');
    assert.equal(product.status, 404);
    assert.match(product.body, /PRODUCT_UNKNOWN/);
  });

  it('confirms funds from the available balance', async () => {
    const seed = createSeed(1);
    const iban = seed.accounts[0]?.iban ?? '';
    const token = await h.clientToken();
    const ask = (amount: string) =>
      h.xs2a({
        method: 'POST',
        url: '/v1/funds-confirmations',
        json: { account: { iban }, instructedAmount: { currency: 'EUR', amount } },
        token,
      });
    assert.equal((await ask('1.00')).json<{ fundsAvailable: boolean }>().fundsAvailable, true);
    assert.equal((await ask('99999999.00')).json<{ fundsAvailable: boolean }>().fundsAvailable, false);
  });
});

describe('errors and what TPPs send', () => {
  it('echoes X-Request-ID, and refuses a missing one, invalid JSON, wrong media types and methods', async () => {
    const token = await h.clientToken();
    const echoed = await h.xs2a({
      method: 'GET',
      url: '/v1/consents/nope/status',
      token,
      requestId: '5f1c9d3e-1111-4222-8333-444455556666',
    });
    assert.equal(echoed.headers['x-request-id'], '5f1c9d3e-1111-4222-8333-444455556666');
    const missing = await h.xs2a({
      method: 'POST',
      url: '/v1/consents',
      json: CONSENT,
      token,
      psuIp: true,
      requestId: false,
    });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /FORMAT_ERROR/);
    const invalid = await h.xs2a({
      method: 'POST',
      url: '/v1/consents',
      body: '{',
      headers: { 'content-type': 'application/json' },
      token,
      psuIp: true,
    });
    assert.equal(invalid.status, 400);
    const text = await h.xs2a({
      method: 'POST',
      url: '/v1/consents',
      body: '{}',
      headers: { 'content-type': 'text/plain' },
      token,
      psuIp: true,
    });
    assert.equal(text.status, 415);
    const xml = await h.xs2a({
      method: 'GET',
      url: '/v1/consents/x/status',
      headers: { accept: 'application/xml' },
      token,
    });
    assert.equal(xml.status, 406);
    const put = await h.xs2a({ method: 'PUT', url: '/v1/consents/x', json: {}, token });
    assert.equal(put.status, 405);
    const expiredToken = await h.xs2a({ method: 'GET', url: '/v1/consents/x/status', token: 'not-a-token' });
    assert.equal(expiredToken.status, 401);
    assert.match(expiredToken.body, /TOKEN_INVALID/);
  });

  it('records per TPP which operations it called and which requests broke the contract, with the path', async () => {
    const token = await h.clientToken();
    const bad = await h.xs2a({
      method: 'POST',
      url: '/v1/consents',
      json: { ...CONSENT, frequencyPerDay: 0 },
      token,
      psuIp: true,
    });
    assert.equal(bad.status, 400);
    assert.match(
      bad.json<{ tppMessages: { path: string }[] }>().tppMessages[0]?.path ?? '',
      /frequencyPerDay/,
    );
    const record = h.sandbox.context.recorder.toJSON() as Record<
      string,
      { calls: Record<string, number>; violations: { operationId: string }[] }
    >;
    const mine = record[h.config.clientId];
    assert.ok((mine?.calls.createConsent ?? 0) > 0);
    assert.ok(mine?.violations.some((v) => v.operationId === 'createConsent'));
  });
});

describe('seed data', () => {
  it('is deterministic per seed, with two PSUs, a multi-currency account, card accounts and 2,000+ transactions', () => {
    const a = createSeed(7, new Date('2026-01-01'));
    const b = createSeed(7, new Date('2026-01-01'));
    assert.deepEqual(a, b);
    assert.notDeepEqual(createSeed(8, new Date('2026-01-01')).accounts[0]?.iban, a.accounts[0]?.iban);
    assert.equal(a.psus.length, 2);
    for (const psu of a.psus) {
      const mine = a.accounts.filter((x) => x.psuId === psu.id);
      assert.ok(mine.filter((x) => x.kind === 'account').length >= 2);
      assert.ok(mine.some((x) => x.kind === 'card'));
    }
    assert.ok(a.accounts.some((x) => x.balances.length > 1));
    const big = a.accounts.find((x) => x.transactions.length >= 2000);
    assert.ok(big?.transactions.some((t) => t.status === 'pending'));
  });
});
