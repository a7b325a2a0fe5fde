import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { FAULTS, type FaultId } from '../../sandbox/faults/index.ts';
import { parseFaults } from '../../sandbox/faults/switch.ts';
import { tlsHandshake } from '../../src/harness/tls-probe.ts';
import { HttpError } from '../../src/http/errors.ts';
import { CONSENT, Harness, isoDay, PAYMENT } from './harness.ts';

type Probe = (h: Harness) => Promise<unknown>;

const OPTIONS = { codeLifetimeSeconds: 1, pageSize: 500 };

async function statusOrRefused(send: () => Promise<{ status: number }>): Promise<string> {
  try {
    return `HTTP ${(await send()).status}`;
  } catch (error) {
    if (error instanceof HttpError) return 'refused';
    throw error;
  }
}

/** RFC 7636 Appendix B: a code_verifier and its S256 code_challenge. */
const RFC7636_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC7636_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/** An authorization code for a fresh consent the PSU approved (for a PKCE S256 challenge when given). */
async function code(h: Harness, challenge?: string) {
  const created = (await h.createConsent()).json<{ _links: { scaRedirect: { href: string } } }>();
  const start = new URL(created._links.scaRedirect.href);
  if (challenge) {
    start.searchParams.set('code_challenge', challenge);
    start.searchParams.set('code_challenge_method', 'S256');
  }
  return (await h.psu(start.toString(), 'approve')).searchParams.get('code') ?? '';
}

async function approvedPayment(h: Harness, decision: 'approve' | 'decline' = 'approve') {
  const created = (await h.createPayment()).json<{
    paymentId: string;
    _links: { scaRedirect: { href: string } };
  }>();
  const redirect = await h.psu(created._links.scaRedirect.href, decision);
  return { paymentId: created.paymentId, redirect };
}

/** The access token of a fresh payment the PSU approved. */
async function approvedPaymentToken(h: Harness): Promise<string> {
  const { redirect } = await approvedPayment(h);
  const tokens = await h.token({
    grant_type: 'authorization_code',
    code: redirect.searchParams.get('code') ?? '',
    redirect_uri: h.config.redirectUri,
  });
  return tokens.json<{ access_token: string }>().access_token;
}

/** The status of starting an authorisation of the consent or payment at `path`. */
async function startAuthorisation(h: Harness, path: string, token?: string): Promise<number> {
  const started = await h.xs2a({
    method: 'POST',
    url: `${path}/authorisations`,
    token: token ?? (await h.clientToken()),
    psuIp: true,
    headers: h.redirectHeader(),
  });
  return started.status;
}

/** A consent naming the first account with an IBAN for account access only, approved. */
async function accountsOnlyConsent(h: Harness) {
  const iban = h.sandbox.context.state.seed.accounts.find((a) => a.iban && a.psuId === 'psu-alice')?.iban;
  return h.approvedConsent({ ...CONSENT, access: { accounts: [{ iban }], balances: [], transactions: [] } });
}

async function readAccounts(
  h: Harness,
  consent: { consentId: string; accessToken: string },
  url = '/v1/accounts',
) {
  return h.xs2a({ method: 'GET', url, token: consent.accessToken, consentId: consent.consentId });
}

/** One observation per fault: what its switch should change, and nothing the clean sandbox does differently otherwise. */
const PROBES: Record<FaultId, Probe> = {
  'tls-legacy-accepted': async (h) =>
    (
      await tlsHandshake(h.config.baseUrl, {
        ...h.material(),
        minVersion: 'TLSv1.1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      })
    ).ok,
  'client-cert-optional': (h) => statusOrRefused(() => h.token(undefined, h.client('none'))),
  'client-cert-untrusted-accepted': (h) =>
    statusOrRefused(() => h.token(undefined, h.client(h.material('untrusted')))),
  'client-cert-expired-accepted': (h) =>
    statusOrRefused(() => h.token(undefined, h.client(h.material('expired')))),
  'client-cert-revocation-not-checked': (h) =>
    statusOrRefused(() => h.token(undefined, h.client(h.material('revoked')))),
  'client-cert-purpose-ignored': (h) =>
    statusOrRefused(() => h.token(undefined, h.client(h.material('serverAuthOnly')))),
  'tls-null-cipher-accepted': async (h) =>
    (
      await tlsHandshake(h.config.baseUrl, {
        ...h.material(),
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.2',
        ciphers: 'eNULL:@SECLEVEL=0',
      })
    ).ok,
  'roles-not-enforced': async (h) =>
    (
      await h.xs2a(
        { method: 'POST', url: '/v1/consents', json: CONSENT, token: await h.clientToken(), psuIp: true },
        h.client(h.material('pisOnly')),
      )
    ).status,
  'qcstatement-not-required': async (h) =>
    (
      await h.xs2a(
        { method: 'POST', url: '/v1/consents', json: CONSENT, token: await h.clientToken(), psuIp: true },
        h.client(h.material('noQcStatement')),
      )
    ).status,
  'token-no-cache-control': async (h) => (await h.token()).headers['cache-control'] ?? null,
  'token-no-expires-in': async (h) => 'expires_in' in (await h.token()).json<object>(),
  'token-type-mac': async (h) => (await h.token()).json<{ token_type: string }>().token_type,
  'invalid-client-accepted': async (h) =>
    (await h.token(undefined, undefined, { id: h.config.clientId, secret: 'wrong-secret' })).status,
  'unsupported-grant-wrong-error': async (h) =>
    (await h.token({ grant_type: 'password' })).json<{ error: string }>().error,
  'code-any-client': async (h) => {
    const theirs = h.client(h.material('otherTpp'));
    const form = {
      grant_type: 'authorization_code',
      code: await code(h),
      redirect_uri: h.config.redirectUri,
    };
    return (
      await h.token(form, theirs, { id: h.config.otherTpp.clientId, secret: h.config.otherTpp.clientSecret })
    ).status;
  },
  'refresh-any-client': async (h) => {
    const { refreshToken } = await h.approvedConsent();
    const theirs = h.client(h.material('otherTpp'));
    const form = { grant_type: 'refresh_token', refresh_token: refreshToken };
    return (
      await h.token(form, theirs, { id: h.config.otherTpp.clientId, secret: h.config.otherTpp.clientSecret })
    ).status;
  },
  'code-reuse-accepted': async (h) => {
    const c = await code(h);
    await h.token({ grant_type: 'authorization_code', code: c, redirect_uri: h.config.redirectUri });
    return (await h.token({ grant_type: 'authorization_code', code: c, redirect_uri: h.config.redirectUri }))
      .status;
  },
  'redirect-uri-not-checked': async (h) =>
    (
      await h.token({
        grant_type: 'authorization_code',
        code: await code(h),
        redirect_uri: 'https://127.0.0.1/x',
      })
    ).status,
  'pkce-verifier-ignored': async (h) =>
    (
      await h.token({
        grant_type: 'authorization_code',
        code: await code(h, RFC7636_CHALLENGE),
        redirect_uri: h.config.redirectUri,
        code_verifier: 'another-verifier-another-verifier-another-verifier',
      })
    ).status,
  'pkce-challenge-hex': async (h) =>
    (
      await h.token({
        grant_type: 'authorization_code',
        code: await code(h, RFC7636_CHALLENGE),
        redirect_uri: h.config.redirectUri,
        code_verifier: RFC7636_VERIFIER,
      })
    ).status,
  'expired-code-accepted': async (h) => {
    const c = await code(h);
    await new Promise((r) => setTimeout(r, 1300));
    return (await h.token({ grant_type: 'authorization_code', code: c, redirect_uri: h.config.redirectUri }))
      .status;
  },
  'refresh-after-consent-deleted': async (h) => {
    const consent = await h.approvedConsent();
    await h.xs2a({
      method: 'DELETE',
      url: `/v1/consents/${consent.consentId}`,
      token: await h.clientToken(),
    });
    return (await h.token({ grant_type: 'refresh_token', refresh_token: consent.refreshToken })).status;
  },
  'refresh-not-rotated': async (h) => {
    const consent = await h.approvedConsent();
    await h.token({ grant_type: 'refresh_token', refresh_token: consent.refreshToken });
    return (await h.token({ grant_type: 'refresh_token', refresh_token: consent.refreshToken })).status;
  },
  'sca-state-dropped': async (h) => (await h.approvedConsent()).redirect.searchParams.get('state'),
  'authorize-any-client': async (h) => {
    const created = (await h.createConsent()).json<{ _links: { scaRedirect: { href: string } } }>();
    const authorize = new URL(created._links.scaRedirect.href);
    authorize.searchParams.set('client_id', h.config.otherTpp?.clientId ?? '');
    const browser = h.client(undefined, undefined, authorize.origin);
    const answer = await browser.send({
      method: 'GET',
      url: authorize.toString(),
      requestId: false,
      headers: { accept: 'text/html' },
    });
    return `${answer.status} ${new URL(answer.headers.location ?? 'https://none/').searchParams.get('error')}`;
  },
  'named-accounts-not-owned': async (h) => {
    const owner = await h.approvedConsent();
    const { accounts } = (
      await h.xs2a({
        method: 'GET',
        url: '/v1/accounts',
        token: owner.accessToken,
        consentId: owner.consentId,
      })
    ).json<{ accounts: { iban?: string }[] }>();
    const named = {
      accounts: [{ iban: accounts.find((a) => a.iban)?.iban }],
      balances: [],
      transactions: [],
    };
    const created = (await h.createConsent({ ...CONSENT, access: named })).json<{
      _links: { scaRedirect: { href: string } };
    }>();
    // The second PSU logs in for a consent on the first PSU's account.
    const redirect = await h.psu(created._links.scaRedirect.href, 'approve', { psu: 1 });
    return redirect.searchParams.has('code');
  },
  'sca-decline-approves': async (h) => {
    const created = (await h.createConsent()).json<{ _links: { scaRedirect: { href: string } } }>();
    return (await h.psu(created._links.scaRedirect.href, 'decline')).searchParams.get('error');
  },
  'consent-not-valid-after-sca': async (h) => {
    const consent = await h.approvedConsent();
    return (
      await h.xs2a({
        method: 'GET',
        url: `/v1/consents/${consent.consentId}/status`,
        token: await h.clientToken(),
      })
    ).body;
  },
  'consent-status-capitalised': async (h) =>
    (await h.createConsent()).json<{ consentStatus: string }>().consentStatus,
  'consent-no-location': async (h) => (await h.createConsent()).headers.location !== undefined,
  'consent-no-sca-approach': async (h) => (await h.createConsent()).headers['aspsp-sca-approach'] ?? null,
  'consent-delete-200': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    return (
      await h.xs2a({ method: 'DELETE', url: `/v1/consents/${consentId}`, token: await h.clientToken() })
    ).status;
  },
  'deleted-consent-served': async (h) => {
    const consent = await h.approvedConsent();
    await h.xs2a({
      method: 'DELETE',
      url: `/v1/consents/${consent.consentId}`,
      token: await h.clientToken(),
    });
    return (await readAccounts(h, consent)).status;
  },
  'one-off-frequency-kept': async (h) => {
    const token = await h.clientToken();
    const created = await h.createConsent(
      { ...CONSENT, recurringIndicator: false, frequencyPerDay: 4 },
      token,
    );
    const { consentId } = created.json<{ consentId: string }>();
    return (await h.xs2a({ method: 'GET', url: `/v1/consents/${consentId}`, token })).json<{
      frequencyPerDay: number;
    }>().frequencyPerDay;
  },
  'frequency-not-enforced': async (h) => {
    const consent = await h.approvedConsent({ ...CONSENT, frequencyPerDay: 1 });
    await readAccounts(h, consent);
    return (await readAccounts(h, consent)).status;
  },
  'expired-consent-served': async (h) => (await readAccounts(h, h.config.fixtures.expiredConsent)).status,
  'other-tpp-consent-served': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    const { client: other, token } = await h.otherTpp();
    return (await h.xs2a({ method: 'GET', url: `/v1/consents/${consentId}`, token }, other)).status;
  },
  'terminated-consent-authorisable': async (h) => {
    const token = await h.clientToken();
    const { consentId } = (await h.createConsent(CONSENT, token)).json<{ consentId: string }>();
    await h.xs2a({ method: 'DELETE', url: `/v1/consents/${consentId}`, token });
    return startAuthorisation(h, `/v1/consents/${consentId}`, token);
  },
  'authorised-consent-authorisable': async (h) => {
    const { consentId } = await h.approvedConsent();
    return startAuthorisation(h, `/v1/consents/${consentId}`);
  },
  'consent-token-not-bound': async (h) => {
    const mine = await h.approvedConsent();
    const other = await h.approvedConsent();
    return (await readAccounts(h, { consentId: other.consentId, accessToken: mine.accessToken })).status;
  },
  'other-tpp-authorisations-served': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    const { client: other, token } = await h.otherTpp();
    return (await h.xs2a({ method: 'GET', url: `/v1/consents/${consentId}/authorisations`, token }, other))
      .status;
  },
  'other-tpp-consent-deletable': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    const { client: other, token } = await h.otherTpp();
    return (await h.xs2a({ method: 'DELETE', url: `/v1/consents/${consentId}`, token }, other)).status;
  },
  'past-valid-until-accepted': async (h) =>
    (await h.createConsent({ ...CONSENT, validUntil: isoDay(-3) })).status,
  'amounts-as-numbers': async (h) => {
    const consent = await h.approvedConsent();
    const body = (
      await readAccounts(h, consent, `/v1/accounts/${await h.firstAccount(consent)}/balances`)
    ).json<{
      balances: { balanceAmount: { amount: unknown } }[];
    }>();
    return typeof body.balances[0]?.balanceAmount.amount;
  },
  'balance-without-type': async (h) => {
    const consent = await h.approvedConsent();
    const body = (
      await readAccounts(h, consent, `/v1/accounts/${await h.firstAccount(consent)}/balances`)
    ).json<{ balances: object[] }>();
    return 'balanceType' in (body.balances[0] ?? {});
  },
  'transactions-without-account-link': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-30)}`;
    return (
      'account' in
      (await readAccounts(h, consent, url)).json<{ transactions: { _links: object } }>().transactions._links
    );
  },
  'with-balance-ignored': async (h) => {
    const consent = await h.approvedConsent();
    return (
      (await readAccounts(h, consent, '/v1/accounts?withBalance=true')).json<{
        accounts: { balances?: unknown }[];
      }>().accounts[0]?.balances !== undefined
    );
  },
  'booking-status-ignored': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-30)}`;
    return 'pending' in (await readAccounts(h, consent, url)).json<{ transactions: object }>().transactions;
  },
  'date-range-ignored': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-20)}&dateTo=${isoDay(-10)}`;
    const booked = (await readAccounts(h, consent, url)).json<{
      transactions: { booked: { bookingDate: string }[] };
    }>().transactions.booked;
    return booked.some((t) => t.bookingDate < isoDay(-20) || t.bookingDate > isoDay(-10));
  },
  'date-from-optional': async (h) => {
    const consent = await h.approvedConsent();
    return (
      await readAccounts(
        h,
        consent,
        `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked`,
      )
    ).status;
  },
  'transactions-not-paged': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-400)}`;
    return (
      'next' in
      (await readAccounts(h, consent, url)).json<{ transactions: { _links: object } }>().transactions._links
    );
  },
  'pagination-next-loops': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-400)}&page=100`;
    return (
      'next' in
      (await readAccounts(h, consent, url)).json<{ transactions: { _links: object } }>().transactions._links
    );
  },
  'bare-boolean-accepted': async (h) =>
    (await readAccounts(h, await h.approvedConsent(), '/v1/accounts?withBalance')).status,
  'account-outside-consent-served': async (h) => {
    const all = await h.approvedConsent();
    const accounts = (await readAccounts(h, all)).json<{ accounts: { resourceId: string }[] }>().accounts;
    const narrow = await h.approvedConsent(CONSENT, 'first');
    return (await readAccounts(h, narrow, `/v1/accounts/${accounts[1]?.resourceId}/balances`)).status;
  },
  'unknown-account-500': async (h) =>
    (await readAccounts(h, await h.approvedConsent(), '/v1/accounts/no-such-account')).status,
  'payment-token-on-ais': async (h) => {
    const consent = await h.approvedConsent();
    const token = await approvedPaymentToken(h);
    return (await readAccounts(h, { consentId: consent.consentId, accessToken: token })).status;
  },
  'card-list-key-accounts': async (h) =>
    Object.keys((await readAccounts(h, await h.approvedConsent(), '/v1/card-accounts')).json<object>()),
  'card-masked-pan-missing': async (h) =>
    (await readAccounts(h, await h.approvedConsent(), '/v1/card-accounts')).json<{
      cardAccounts: { maskedPan?: string }[];
    }>().cardAccounts[0]?.maskedPan !== undefined,
  'payment-status-field-renamed': async (h) => Object.keys((await h.createPayment()).json<object>()).sort(),
  'payment-stays-rcvd-after-sca': async (h) => {
    const { paymentId } = await approvedPayment(h);
    return (
      await h.xs2a({
        method: 'GET',
        url: `/v1/payments/sepa-credit-transfers/${paymentId}/status`,
        token: await h.clientToken(),
      })
    ).body;
  },
  'payment-decline-not-rejected': async (h) => {
    const { paymentId } = await approvedPayment(h, 'decline');
    return (
      await h.xs2a({
        method: 'GET',
        url: `/v1/payments/sepa-credit-transfers/${paymentId}/status`,
        token: await h.clientToken(),
      })
    ).body;
  },
  'unknown-product-400': async (h) => (await h.createPayment('instant-sepa-credit-transfers')).status,
  'bad-iban-accepted': async (h) => paymentStatusWith(h, { creditorAccount: { iban: 'DE89 3704' } }),
  'payment-no-location': async (h) => (await h.createPayment()).headers.location !== undefined,
  'payment-no-sca-approach': async (h) => (await h.createPayment()).headers['aspsp-sca-approach'],
  'payment-sca-link-missing': async (h) =>
    'scaRedirect' in (await h.createPayment()).json<{ _links: object }>()._links,
  'cancel-not-effective': async (h) => {
    const { paymentId } = (await h.createPayment()).json<{ paymentId: string }>();
    const token = await h.clientToken();
    await h.xs2a({ method: 'DELETE', url: `/v1/payments/sepa-credit-transfers/${paymentId}`, token });
    return (
      await h.xs2a({ method: 'GET', url: `/v1/payments/sepa-credit-transfers/${paymentId}/status`, token })
    ).body;
  },
  'funds-always-available': async (h) => fundsAvailable(h, '99999999.00'),
  'funds-available-as-string': async (h) => typeof (await fundsAvailable(h, '1.00')),
  'error-code-not-allowed': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    const { client: other, token } = await h.otherTpp();
    return (
      (await h.xs2a({ method: 'GET', url: `/v1/consents/${consentId}/status`, token }, other)).body.match(
        /"code":"(\w+)"/,
      )?.[1] ?? null
    );
  },
  'error-without-tpp-messages': async (h) =>
    (
      await h.xs2a({ method: 'GET', url: '/v1/consents/nope/status', token: await h.clientToken() })
    ).body.includes('tppMessages'),
  'request-id-not-echoed': async (h) => {
    const response = await h.xs2a({
      method: 'GET',
      url: '/v1/consents/nope/status',
      token: await h.clientToken(),
    });
    return response.headers['x-request-id'] === response.requestId;
  },
  'request-replay-creates-again': async (h) => {
    const token = await h.clientToken();
    const requestId = randomUUID();
    const send = () =>
      h.xs2a({
        method: 'POST',
        url: '/v1/consents',
        json: CONSENT,
        token,
        psuIp: true,
        requestId,
        headers: h.redirectHeader(),
      });
    const ids = [await send(), await send()].map((r) => r.json<{ consentId: string }>().consentId);
    return ids[0] === ids[1];
  },
  'request-replay-across-tpps': async (h) => {
    const requestId = randomUUID();
    const { client: other, token: otherToken } = await h.otherTpp();
    const send = (token: string, client?: typeof other) =>
      h.xs2a(
        {
          method: 'POST',
          url: '/v1/consents',
          json: CONSENT,
          token,
          psuIp: true,
          requestId,
          headers: h.redirectHeader(),
        },
        client,
      );
    const theirs = (await send(otherToken, other)).json<{ consentId: string }>().consentId;
    const mine = (await send(await h.clientToken())).json<{ consentId: string }>().consentId;
    return theirs === mine;
  },
  'request-id-reuse-other-body-accepted': async (h) => {
    const token = await h.clientToken();
    const requestId = randomUUID();
    const send = (frequencyPerDay: number) =>
      h.xs2a({
        method: 'POST',
        url: '/v1/consents',
        json: { ...CONSENT, frequencyPerDay },
        token,
        psuIp: true,
        requestId,
        headers: h.redirectHeader(),
      });
    await send(4);
    return (await send(5)).status;
  },
  'request-id-format-not-checked': async (h) =>
    (
      await h.xs2a({
        method: 'POST',
        url: '/v1/consents',
        json: CONSENT,
        token: await h.clientToken(),
        psuIp: true,
        requestId: 'not-a-uuid',
        headers: h.redirectHeader(),
      })
    ).status,
  'psu-ip-format-not-checked': async (h) =>
    (
      await h.xs2a({
        method: 'POST',
        url: '/v1/consents',
        json: CONSENT,
        token: await h.clientToken(),
        headers: { ...h.redirectHeader(), 'psu-ip-address': '999.1.2.3' },
      })
    ).status,
  'missing-request-id-accepted': async (h) =>
    (
      await h.xs2a({
        method: 'POST',
        url: '/v1/consents',
        json: CONSENT,
        token: await h.clientToken(),
        psuIp: true,
        requestId: false,
      })
    ).status,
  'invalid-json-500': async (h) =>
    (
      await h.xs2a({
        method: 'POST',
        url: '/v1/consents',
        body: '{',
        headers: { 'content-type': 'application/json' },
        token: await h.clientToken(),
        psuIp: true,
      })
    ).status,
  'wrong-media-type-accepted': async (h) =>
    (
      await h.xs2a({
        method: 'POST',
        url: '/v1/consents',
        body: JSON.stringify(CONSENT),
        headers: { 'content-type': 'text/plain' },
        token: await h.clientToken(),
        psuIp: true,
      })
    ).status,
  'tls12-refused': async (h) =>
    (await tlsHandshake(h.config.baseUrl, { ...h.material(), minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }))
      .ok,
  'ais-role-refused': async (h) =>
    (
      await h.xs2a(
        { method: 'POST', url: '/v1/consents', json: CONSENT, token: await h.clientToken(), psuIp: true },
        h.client(h.material('aisOnly')),
      )
    ).status,
  'unknown-client-wrong-error': async (h) =>
    (await h.token(undefined, undefined, { id: 'no-such-client', secret: 'x' })).status,
  'missing-grant-type-wrong-error': async (h) => (await h.token({})).json<{ error: string }>().error,
  'unknown-code-500': async (h) =>
    (
      await h.token({
        grant_type: 'authorization_code',
        code: 'no-such-code',
        redirect_uri: h.config.redirectUri,
      })
    ).status,
  'client-auth-optional': async (h) =>
    (
      await h.client().send({
        method: 'POST',
        url: h.config.tokenUrl,
        form: { grant_type: 'client_credentials', client_id: h.config.clientId },
        requestId: false,
      })
    ).status,
  'basic-auth-refused': async (h) => {
    const basic = Buffer.from(`${h.config.clientId}:${h.config.clientSecret}`).toString('base64');
    return (
      await h.client().send({
        method: 'POST',
        url: h.config.tokenUrl,
        form: { grant_type: 'client_credentials' },
        headers: { authorization: `Basic ${basic}` },
        requestId: false,
      })
    ).status;
  },
  'refresh-token-missing': async (h) =>
    'refresh_token' in
    (
      await h.token({
        grant_type: 'authorization_code',
        code: await code(h),
        redirect_uri: h.config.redirectUri,
      })
    ).json<object>(),
  'refresh-token-loses-consent': async (h) => {
    const consent = await h.approvedConsent();
    const refreshed = (
      await h.token({ grant_type: 'refresh_token', refresh_token: consent.refreshToken })
    ).json<{ access_token: string }>();
    return (await readAccounts(h, { consentId: consent.consentId, accessToken: refreshed.access_token }))
      .status;
  },
  'consent-no-last-action-date': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    return (
      'lastActionDate' in
      (
        await h.xs2a({ method: 'GET', url: `/v1/consents/${consentId}`, token: await h.clientToken() })
      ).json<object>()
    );
  },
  'psu-reads-counted': async (h) => {
    const consent = await h.approvedConsent({ ...CONSENT, frequencyPerDay: 1 });
    const read = () =>
      h.xs2a({
        method: 'GET',
        url: '/v1/accounts',
        token: consent.accessToken,
        consentId: consent.consentId,
        psuIp: true,
      });
    await read();
    return (await read()).status;
  },
  'unknown-consent-500': async (h) =>
    (await h.xs2a({ method: 'GET', url: '/v1/consents/nope/status', token: await h.clientToken() })).status,
  'balances-always-included': async (h) =>
    (await readAccounts(h, await h.approvedConsent())).json<{ accounts: { balances?: unknown }[] }>()
      .accounts[0]?.balances !== undefined,
  'balance-currency-not-iso': async (h) => {
    const consent = await h.approvedConsent();
    const body = (
      await readAccounts(h, consent, `/v1/accounts/${await h.firstAccount(consent)}/balances`)
    ).json<{ balances: { balanceAmount: { currency: string } }[] }>();
    return body.balances[0]?.balanceAmount.currency;
  },
  'balances-empty': async (h) => {
    const consent = await h.approvedConsent();
    return (await readAccounts(h, consent, `/v1/accounts/${await h.firstAccount(consent)}/balances`)).json<{
      balances: unknown[];
    }>().balances.length;
  },
  'period-not-checked': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-1)}&dateTo=${isoDay(-10)}`;
    return (await readAccounts(h, consent, url)).status;
  },
  'booking-status-not-checked': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=nonsense&dateFrom=${isoDay(-30)}`;
    return (await readAccounts(h, consent, url)).status;
  },
  'unknown-transaction-500': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions/no-such-transaction`;
    return (await readAccounts(h, consent, url)).status;
  },
  'consent-id-optional': async (h) => {
    const consent = await h.approvedConsent();
    return (await h.xs2a({ method: 'GET', url: '/v1/accounts', token: consent.accessToken })).status;
  },
  'client-credentials-token-on-ais': async (h) => {
    const consent = await h.approvedConsent();
    return (await readAccounts(h, { consentId: consent.consentId, accessToken: await h.clientToken() }))
      .status;
  },
  'unknown-card-500': async (h) =>
    (await readAccounts(h, await h.approvedConsent(), '/v1/card-accounts/no-such-card')).status,
  'currency-code-not-checked': async (h) =>
    paymentStatusWith(h, { instructedAmount: { ...PAYMENT.instructedAmount, currency: 'EURO' } }),
  'amount-format-not-checked': async (h) =>
    paymentStatusWith(h, { instructedAmount: { ...PAYMENT.instructedAmount, amount: 12.5 } }),
  'creditor-name-optional': async (h) => {
    const { creditorName: _, ...withoutName } = PAYMENT;
    return (await h.createPayment('sepa-credit-transfers', withoutName)).status;
  },
  'psu-ip-address-optional': async (h) =>
    (
      await h.xs2a({
        method: 'POST',
        url: '/v1/payments/sepa-credit-transfers',
        json: PAYMENT,
        token: await h.clientToken(),
      })
    ).status,
  'cancelled-payment-authorisable': async (h) => {
    const { paymentId } = (await h.createPayment()).json<{ paymentId: string }>();
    const token = await h.clientToken();
    const url = `/v1/payments/sepa-credit-transfers/${paymentId}`;
    await h.xs2a({ method: 'DELETE', url, token });
    return startAuthorisation(h, url, token);
  },
  'authorised-payment-authorisable': async (h) => {
    const { paymentId } = await approvedPayment(h, 'decline');
    return startAuthorisation(h, `/v1/payments/sepa-credit-transfers/${paymentId}`);
  },
  'payment-token-not-bound': async (h) => {
    const token = await approvedPaymentToken(h);
    const { paymentId } = (await h.createPayment()).json<{ paymentId: string }>();
    return (
      await h.xs2a({ method: 'GET', url: `/v1/payments/sepa-credit-transfers/${paymentId}/status`, token })
    ).status;
  },
  'other-tpp-payment-served': async (h) => {
    const { paymentId } = (await h.createPayment()).json<{ paymentId: string }>();
    const { client: other, token } = await h.otherTpp();
    return (
      await h.xs2a(
        { method: 'GET', url: `/v1/payments/sepa-credit-transfers/${paymentId}/status`, token },
        other,
      )
    ).status;
  },
  'unknown-payment-500': async (h) =>
    (
      await h.xs2a({
        method: 'GET',
        url: '/v1/payments/sepa-credit-transfers/no-such-payment/status',
        token: await h.clientToken(),
      })
    ).status,
  'funds-account-optional': async (h) =>
    (
      await h.xs2a({
        method: 'POST',
        url: '/v1/funds-confirmations',
        json: { instructedAmount: { currency: 'EUR', amount: '1.00' } },
        token: await h.clientToken(),
      })
    ).status,
  'missing-token-accepted': async (h) =>
    (await h.xs2a({ method: 'POST', url: '/v1/consents', json: CONSENT, psuIp: true })).status,
  'unknown-path-400': async (h) =>
    (await h.xs2a({ method: 'GET', url: '/v1/no-such-thing', token: await h.clientToken() })).status,
  'accept-ignored': async (h) =>
    (
      await h.xs2a({
        method: 'GET',
        url: '/v1/consents/nope/status',
        token: await h.clientToken(),
        headers: { accept: 'application/xml' },
      })
    ).status,
  'consent-formats-not-checked': async (h) =>
    (await h.createConsent({ ...CONSENT, validUntil: '31.12.2030' })).status,
  'frequency-minimum-not-checked': async (h) =>
    (await h.createConsent({ ...CONSENT, frequencyPerDay: 0 })).status,
  'consent-required-fields-defaulted': async (h) => {
    const { frequencyPerDay: _, ...withoutFrequency } = CONSENT;
    return (await h.createConsent(withoutFrequency)).status;
  },
  'unknown-consent-field-500': async (h) =>
    (await h.createConsent({ ...CONSENT, access: { ...CONSENT.access, unknownField: true } })).status,
  'far-valid-until-refused': async (h) =>
    (await h.createConsent({ ...CONSENT, validUntil: '9999-12-31' })).status,
  'unknown-authorisation-served': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    return (
      await h.xs2a({
        method: 'GET',
        url: `/v1/consents/${consentId}/authorisations/no-such-authorisation`,
        token: await h.clientToken(),
      })
    ).status;
  },
  'consent-sca-status-link-broken': async (h) =>
    (await h.createConsent())
      .json<{ _links: { scaStatus: { href: string } } }>()
      ._links.scaStatus.href.includes('/authorisations/'),
  'authorisations-forgotten': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    const path = `/v1/consents/${consentId}`;
    await startAuthorisation(h, path);
    const listed = await h.xs2a({
      method: 'GET',
      url: `${path}/authorisations`,
      token: await h.clientToken(),
    });
    return listed.json<{ authorisationIds: string[] }>().authorisationIds.length;
  },
  'consent-delete-twice-500': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    const remove = async () =>
      (await h.xs2a({ method: 'DELETE', url: `/v1/consents/${consentId}`, token: await h.clientToken() }))
        .status;
    return [await remove(), await remove()];
  },
  'received-consent-not-deletable': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    return (
      await h.xs2a({ method: 'DELETE', url: `/v1/consents/${consentId}`, token: await h.clientToken() })
    ).status;
  },
  'account-codes-free-text': async (h) =>
    (await readAccounts(h, await h.approvedConsent())).json<{ accounts: { usage: string }[] }>().accounts[0]
      ?.usage,
  'iban-check-digits-wrong': async (h) =>
    (await readAccounts(h, await h.approvedConsent())).json<{ accounts: { iban: string }[] }>().accounts[0]
      ?.iban,
  'account-details-of-first-account': async (h) => {
    const consent = await h.approvedConsent();
    const accounts = (await readAccounts(h, consent)).json<{ accounts: { resourceId: string }[] }>().accounts;
    const last = accounts[accounts.length - 1]?.resourceId;
    return (
      (await readAccounts(h, consent, `/v1/accounts/${last}`)).json<{ account: { resourceId: string } }>()
        .account.resourceId === last
    );
  },
  'dates-as-timestamps': async (h) => {
    const consent = await h.approvedConsent();
    const body = (
      await readAccounts(h, consent, `/v1/accounts/${await h.firstAccount(consent)}/balances`)
    ).json<{ balances: { referenceDate: string }[] }>();
    return body.balances[0]?.referenceDate.length;
  },
  'balances-report-other-account': async (h) => {
    const consent = await h.approvedConsent();
    const accounts = (await readAccounts(h, consent)).json<{
      accounts: { resourceId: string; iban: string }[];
    }>().accounts;
    const [first] = accounts;
    const body = (await readAccounts(h, consent, `/v1/accounts/${first?.resourceId}/balances`)).json<{
      account: { iban: string };
    }>();
    return body.account.iban === first?.iban;
  },
  'information-as-booked': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=information`;
    return Object.keys(
      (await readAccounts(h, consent, url)).json<{ transactions: object }>().transactions,
    ).sort();
  },
  'transaction-dates-not-checked': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked&dateFrom=01.01.2026`;
    return (await readAccounts(h, consent, url)).status;
  },
  'entry-reference-from-ignored': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked&entryReferenceFrom=E00000100`;
    return (await readAccounts(h, consent, url)).json<{ transactions: { booked: object[] } }>().transactions
      .booked.length;
  },
  'transaction-details-of-other': async (h) => {
    const consent = await h.approvedConsent();
    const account = await h.firstAccount(consent);
    const listed = (
      await readAccounts(
        h,
        consent,
        `/v1/accounts/${account}/transactions?bookingStatus=booked&dateFrom=${isoDay(-30)}`,
      )
    ).json<{ transactions: { booked: { transactionId: string }[] } }>().transactions.booked;
    const id = listed[listed.length - 1]?.transactionId;
    return (
      (await readAccounts(h, consent, `/v1/accounts/${account}/transactions/${id}`)).json<{
        transactionDetails: { transactionId: string };
      }>().transactionDetails.transactionId === id
    );
  },
  'transaction-details-link-broken': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-30)}`;
    return (await readAccounts(h, consent, url))
      .json<{
        transactions: { booked: { _links: { transactionDetails: { href: string } } }[] };
      }>()
      .transactions.booked[0]?._links.transactionDetails.href.includes('/transactions/');
  },
  'pagination-links-off-by-one': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-400)}`;
    return (await readAccounts(h, consent, url)).json<{
      transactions: { _links: { last: { href: string } } };
    }>().transactions._links.last.href;
  },
  'delta-list-500': async (h) => {
    const consent = await h.approvedConsent();
    const url = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked&deltaList=true`;
    return (await readAccounts(h, consent, url)).status;
  },
  'date-bounds-exclusive': async (h) => {
    const consent = await h.approvedConsent();
    const base = `/v1/accounts/${await h.firstAccount(consent)}/transactions?bookingStatus=booked`;
    const listed = (await readAccounts(h, consent, `${base}&dateFrom=${isoDay(-30)}`)).json<{
      transactions: { booked: { bookingDate: string }[] };
    }>().transactions.booked;
    const day = listed[0]?.bookingDate;
    return (await readAccounts(h, consent, `${base}&dateFrom=${day}&dateTo=${day}`)).json<{
      transactions: { booked: object[] };
    }>().transactions.booked.length;
  },
  'credit-limit-included-string': async (h) => {
    const consent = await h.approvedConsent();
    const cards = (await readAccounts(h, consent, '/v1/card-accounts')).json<{
      cardAccounts: { resourceId: string }[];
    }>().cardAccounts;
    return typeof (
      await readAccounts(h, consent, `/v1/card-accounts/${cards[0]?.resourceId}/balances`)
    ).json<{ balances: { creditLimitIncluded: unknown }[] }>().balances[0]?.creditLimitIncluded;
  },
  'detailed-consent-grants-all': async (h) => {
    const limited = await accountsOnlyConsent(h);
    return (await readAccounts(h, limited)).json<{ accounts: object[] }>().accounts.length;
  },
  'consent-scope-not-enforced': async (h) => {
    const limited = await accountsOnlyConsent(h);
    return (await readAccounts(h, limited, `/v1/accounts/${await h.firstAccount(limited)}/balances`)).status;
  },
  'with-balance-beyond-consent': async (h) => {
    const limited = await accountsOnlyConsent(h);
    return (
      'balances' in
      ((await readAccounts(h, limited, '/v1/accounts?withBalance=true')).json<{ accounts: object[] }>()
        .accounts[0] ?? {})
    );
  },
  'links-beyond-consent': async (h) => {
    const limited = await accountsOnlyConsent(h);
    return Object.keys(
      (await readAccounts(h, limited)).json<{ accounts: { _links: object }[] }>().accounts[0]?._links ?? {},
    );
  },
  'sca-status-finalised-on-decline': async (h) => {
    const created = (await h.createConsent()).json<{
      consentId: string;
      _links: { scaRedirect: { href: string }; scaStatus: { href: string } };
    }>();
    await h.psu(created._links.scaRedirect.href, 'decline');
    return (
      await h.xs2a({ method: 'GET', url: created._links.scaStatus.href, token: await h.clientToken() })
    ).json<{
      scaStatus: string;
    }>().scaStatus;
  },
  'account-identifier-missing': async (h) =>
    (await readAccounts(h, await h.approvedConsent()))
      .json<{ accounts: { iban?: string }[] }>()
      .accounts.map((a) => a.iban === undefined),
  'multicurrency-currency-list': async (h) =>
    (await readAccounts(h, await h.approvedConsent()))
      .json<{ accounts: { currency: string }[] }>()
      .accounts.map((a) => a.currency),
  'multicurrency-balances-500': async (h) => {
    const consent = await h.approvedConsent();
    const accounts = (await readAccounts(h, consent)).json<{
      accounts: { resourceId: string; currency: string }[];
    }>().accounts;
    const multi = accounts.find((a) => a.currency === 'XXX');
    return (await readAccounts(h, consent, `/v1/accounts/${multi?.resourceId}/balances`)).status;
  },
  'consent-access-not-read-back': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    return Object.keys(
      (await h.xs2a({ method: 'GET', url: `/v1/consents/${consentId}`, token: await h.clientToken() })).json<{
        access: object;
      }>().access,
    );
  },
  'consent-details-status-stale': async (h) => {
    const { consentId } = await h.approvedConsent();
    return (
      await h.xs2a({ method: 'GET', url: `/v1/consents/${consentId}`, token: await h.clientToken() })
    ).json<{ consentStatus: string }>().consentStatus;
  },
  'start-authorisation-link-missing': async (h) =>
    Object.keys(
      (
        await h.xs2a({
          method: 'POST',
          url: '/v1/consents',
          json: CONSENT,
          token: await h.clientToken(),
          psuIp: true,
          headers: { ...h.redirectHeader(), 'tpp-explicit-authorisation-preferred': 'true' },
        })
      ).json<{ _links: object }>()._links,
    ).sort(),
  'nok-redirect-uri-refused': async (h) =>
    (
      await h.xs2a({
        method: 'POST',
        url: '/v1/consents',
        json: CONSENT,
        token: await h.clientToken(),
        psuIp: true,
        headers: { ...h.redirectHeader(), 'tpp-nok-redirect-uri': 'https://tpp.example/nok' },
      })
    ).status,
  'past-execution-date-accepted': async (h) => paymentStatusWith(h, { requestedExecutionDate: isoDay(-7) }),
  'payment-lengths-not-checked': async (h) =>
    paymentStatusWith(h, { endToEndIdentification: 'E'.repeat(36) }),
  'charge-bearer-not-checked': async (h) => paymentStatusWith(h, { chargeBearer: 'NONE' }),
  'body-size-unlimited': async (h) => paymentStatusWith(h, { padding: 'x'.repeat(2 * 1024 * 1024) }),
  'deep-json-500': async (h) =>
    (
      await h.xs2a({
        method: 'POST',
        url: '/v1/consents',
        body: `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
        headers: { 'content-type': 'application/json' },
        token: await h.clientToken(),
        psuIp: true,
      })
    ).status,
  'path-control-characters-500': async (h) =>
    (await h.xs2a({ method: 'GET', url: '/v1/consents/%00/status', token: await h.clientToken() })).status,
  'unknown-query-parameter-500': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    const url = `/v1/consents/${consentId}/status?psd2ConformanceProbe=1`;
    return (await h.xs2a({ method: 'GET', url, token: await h.clientToken() })).status;
  },
  'iban-check-digits-not-checked': async (h) =>
    paymentStatusWith(h, { creditorAccount: { iban: 'DE88370400440532013000' } }),
  'sepa-any-currency': async (h) =>
    paymentStatusWith(h, { instructedAmount: { currency: 'USD', amount: '12.34' } }),
  'non-positive-amount-accepted': async (h) =>
    paymentStatusWith(h, { instructedAmount: { currency: 'EUR', amount: '-12.34' } }),
  'creditor-agent-not-checked': async (h) =>
    paymentStatusWith(h, { creditorAgent: 'NOT A BIC' }, 'cross-border-credit-transfers'),
  'creditor-address-not-checked': async (h) =>
    paymentStatusWith(
      h,
      { creditorAddress: { townName: 'Berlin', country: 'Germany' } },
      'cross-border-credit-transfers',
    ),
  'execution-date-format-not-checked': async (h) =>
    paymentStatusWith(h, { requestedExecutionDate: '05.12.2099' }),
  'payment-unknown-field-500': async (h) => paymentStatusWith(h, { somethingElse: 1 }),
  'payment-lengths-off-by-one': async (h) => paymentStatusWith(h, { endToEndIdentification: 'E'.repeat(35) }),
  'payment-self-link-broken': async (h) => linkShape(await newPayment(h), 'self'),
  'payment-status-link-broken': async (h) => linkShape(await newPayment(h), 'status'),
  'payment-sca-status-link-broken': async (h) => linkShape(await newPayment(h), 'scaStatus'),
  'payment-location-elsewhere': async (h) => {
    const { location, paymentId } = await newPayment(h);
    return String(location).replace(paymentId, '{paymentId}');
  },
  'payment-details-without-status': async (h) => 'transactionStatus' in (await paymentRead(h, '')),
  'payment-details-drop-optional-fields': async (h) => Object.keys(await paymentRead(h, '')).sort(),
  'payment-authorisations-forgotten': async (h) =>
    ((await paymentRead(h, '/authorisations')) as { authorisationIds: string[] }).authorisationIds.length,
  'payment-started-authorisation-unlisted': async (h) => {
    const { path } = await newPayment(h);
    await startAuthorisation(h, path);
    return ((await paymentGet(h, `${path}/authorisations`)) as { authorisationIds: string[] })
      .authorisationIds.length;
  },
  'payment-sca-status-finalised-early': async (h) => {
    const { path, links } = await newPayment(h);
    return paymentGet(h, links.scaStatus?.href ?? path);
  },
  'payment-unknown-authorisation-served': async (h) => {
    const { path } = await newPayment(h);
    return paymentGet(h, `${path}/authorisations/not-an-authorisation`);
  },
  'payment-sca-status-stale': async (h) => {
    const { paymentId } = await approvedPayment(h);
    const path = `/v1/payments/sepa-credit-transfers/${paymentId}`;
    const { authorisationIds } = (await paymentGet(h, `${path}/authorisations`)) as {
      authorisationIds: string[];
    };
    return paymentGet(h, `${path}/authorisations/${authorisationIds[0]}`);
  },
  'payment-sca-status-finalised-on-decline': async (h) => {
    const { paymentId } = await approvedPayment(h, 'decline');
    const path = `/v1/payments/sepa-credit-transfers/${paymentId}`;
    const { authorisationIds } = (await paymentGet(h, `${path}/authorisations`)) as {
      authorisationIds: string[];
    };
    return paymentGet(h, `${path}/authorisations/${authorisationIds[0]}`);
  },
  'cancelled-payment-cancellable': async (h) => {
    const { path } = await newPayment(h);
    await cancel(h, path);
    return cancel(h, path);
  },
  'rejected-payment-cancellable': async (h) =>
    cancel(h, `/v1/payments/sepa-credit-transfers/${(await approvedPayment(h, 'decline')).paymentId}`),
  'settled-payment-cancellable': async (h) =>
    cancel(h, `/v1/payments/sepa-credit-transfers/${(await approvedPayment(h)).paymentId}`),
  'payment-product-not-checked': async (h) => {
    const { paymentId } = await newPayment(h);
    return paymentGet(h, `/v1/payments/cross-border-credit-transfers/${paymentId}/status`);
  },
  'funds-masked-pan-ignored': async (h) => {
    const maskedPan = h.sandbox.context.state.seed.accounts.find((a) => a.maskedPan)?.maskedPan;
    return fundsStatus(h, { account: { maskedPan }, instructedAmount: { currency: 'EUR', amount: '1.00' } });
  },
  'funds-payee-refused': async (h) =>
    fundsStatus(h, {
      account: { iban: h.sandbox.context.state.seed.accounts[0]?.iban },
      payee: 'Shop',
      instructedAmount: { currency: 'EUR', amount: '1.00' },
    }),
  'funds-payee-length-not-checked': async (h) =>
    fundsStatus(h, {
      account: { iban: h.sandbox.context.state.seed.accounts[0]?.iban },
      payee: 'P'.repeat(71),
      instructedAmount: { currency: 'EUR', amount: '1.00' },
    }),
  'funds-consent-id-ignored': async (h) =>
    fundsStatus(
      h,
      {
        account: { iban: h.sandbox.context.state.seed.accounts[0]?.iban },
        instructedAmount: { currency: 'EUR', amount: '1.00' },
      },
      { 'consent-id': 'no-such-consent' },
    ),
  'authorize-open-redirect': async (h) =>
    authorizeAnswer(h, (url) => url.searchParams.set('redirect_uri', 'https://attacker.invalid/cb')),
  'authorize-unknown-client-redirects': async (h) =>
    authorizeAnswer(h, (url) => url.searchParams.set('client_id', 'nobody')),
  'authorize-implicit-grant': async (h) =>
    authorizeAnswer(h, (url) => url.searchParams.set('response_type', 'token')),
  'pkce-plain-accepted': async (h) =>
    authorizeAnswer(h, (url) => {
      url.searchParams.set('code_challenge', RFC7636_VERIFIER);
      url.searchParams.set('code_challenge_method', 'plain');
    }),
  'sca-pages-frameable': async (h) => {
    const answer = await authorizeResponse(h, () => {});
    return [answer.headers['x-frame-options'], answer.headers['content-security-policy']];
  },
  'sca-cookie-insecure': async (h) => (await authorizeResponse(h, () => {})).headers['set-cookie'],
  'code-reuse-keeps-tokens': async (h) => {
    const created = (await h.createConsent()).json<{
      consentId: string;
      _links: { scaRedirect: { href: string } };
    }>();
    const redirect = await h.psu(created._links.scaRedirect.href, 'approve');
    const form = {
      grant_type: 'authorization_code',
      code: redirect.searchParams.get('code') ?? '',
      redirect_uri: h.config.redirectUri,
    };
    const token = (await h.token(form)).json<{ access_token: string }>().access_token;
    await h.token(form);
    return (await readAccounts(h, { consentId: created.consentId, accessToken: token })).status;
  },
  'cancelled-payment-approvable': async (h) => {
    const created = (await h.createPayment()).json<{
      paymentId: string;
      _links: { scaRedirect: { href: string } };
    }>();
    await cancel(h, `/v1/payments/sepa-credit-transfers/${created.paymentId}`);
    return (await h.psu(created._links.scaRedirect.href, 'approve')).searchParams.has('code');
  },
  'rejected-payment-approvable': async (h) => {
    const created = (await h.createPayment()).json<{
      paymentId: string;
      _links: { scaRedirect: { href: string } };
    }>();
    await h.psu(created._links.scaRedirect.href, 'decline');
    return (await h.psu(created._links.scaRedirect.href, 'approve')).searchParams.has('code');
  },
  'cancellation-202-without-link': async (h) => Object.keys((await cancelApproved(h)).links),
  'cancellation-authorisations-unlisted': async (h) => {
    const { path } = await cancelApproved(h);
    await startCancellation(h, path);
    return ((await paymentGet(h, `${path}/cancellation-authorisations`)) as { authorisationIds: string[] })
      .authorisationIds.length;
  },
  'cancellation-listed-as-payment-authorisation': async (h) => {
    const { path } = await cancelApproved(h);
    await startCancellation(h, path);
    return ((await paymentGet(h, `${path}/authorisations`)) as { authorisationIds: string[] })
      .authorisationIds.length;
  },
  'cancellation-sca-status-finalised-early': async (h) => {
    const { path } = await cancelApproved(h);
    const id = await startCancellation(h, path);
    return paymentGet(h, `${path}/cancellation-authorisations/${id}`);
  },
  'cancellation-effective-before-sca': async (h) => {
    const { path } = await cancelApproved(h);
    return paymentGet(h, `${path}/status`);
  },
  'debtor-account-not-recorded': async (h) => {
    const { paymentId } = await approvedPayment(h);
    const body = (await paymentGet(h, `/v1/payments/sepa-credit-transfers/${paymentId}`)) as Record<
      string,
      unknown
    >;
    return 'debtorAccount' in body;
  },
  'unoffered-payment-services-accepted': async (h) =>
    (
      await h.xs2a({
        method: 'POST',
        url: '/v1/periodic-payments/sepa-credit-transfers',
        json: PAYMENT,
        token: await h.clientToken(),
        psuIp: true,
      })
    ).status,
  'payment-fees-as-number': async (h) =>
    typeof (await h.createPayment()).json<{ transactionFees: unknown }>().transactionFees,
  'create-answers-200': async (h) => [(await h.createConsent()).status, (await h.createPayment()).status],
  'method-not-allowed-404': async (h) => {
    const { consentId } = (await h.createConsent()).json<{ consentId: string }>();
    return (
      await h.xs2a({
        method: 'PUT',
        url: `/v1/consents/${consentId}`,
        json: CONSENT,
        token: await h.clientToken(),
      })
    ).status;
  },
};

async function fundsAvailable(h: Harness, amount: string): Promise<unknown> {
  const iban = h.sandbox.context.state.seed.accounts[0]?.iban;
  const response = await h.xs2a({
    method: 'POST',
    url: '/v1/funds-confirmations',
    json: { account: { iban }, instructedAmount: { currency: 'EUR', amount } },
    token: await h.clientToken(),
  });
  return response.json<{ fundsAvailable: unknown }>().fundsAvailable;
}

/** A new SEPA payment: its path, links and Location. */
async function newPayment(h: Harness) {
  const created = await h.createPayment();
  const { paymentId, _links } = created.json<{
    paymentId: string;
    _links: Record<string, { href?: string }>;
  }>();
  return {
    paymentId,
    path: `/v1/payments/sepa-credit-transfers/${paymentId}`,
    links: _links,
    location: created.headers.location,
  };
}

/** A link of a new payment with its IDs replaced by their names. */
function linkShape(payment: Awaited<ReturnType<typeof newPayment>>, name: string): string {
  return String(payment.links[name]?.href)
    .replace(payment.paymentId, '{paymentId}')
    .replace(/authorisations\/[^/]+$/, 'authorisations/{authorisationId}');
}

/** The body (or the status where there is none) of a GET under the client token. */
async function paymentGet(h: Harness, url: string): Promise<unknown> {
  const response = await h.xs2a({ method: 'GET', url, token: await h.clientToken() });
  return response.status === 200 ? response.json() : response.status;
}

/** The body of a GET of `suffix` under a new SEPA payment with every optional field. */
async function paymentRead(h: Harness, suffix: string): Promise<Record<string, unknown>> {
  const created = await h.createPayment('sepa-credit-transfers', {
    ...PAYMENT,
    endToEndIdentification: 'E2E-1',
    remittanceInformationUnstructured: 'probe',
  });
  const { paymentId } = created.json<{ paymentId: string }>();
  return (await paymentGet(h, `/v1/payments/sepa-credit-transfers/${paymentId}${suffix}`)) as Record<
    string,
    unknown
  >;
}

async function cancel(h: Harness, path: string): Promise<number> {
  return (await h.xs2a({ method: 'DELETE', url: path, token: await h.clientToken() })).status;
}

async function fundsStatus(h: Harness, json: unknown, headers: Record<string, string> = {}): Promise<number> {
  const response = await h.xs2a({
    method: 'POST',
    url: '/v1/funds-confirmations',
    json,
    headers,
    token: await h.clientToken(),
  });
  return response.status;
}

/** The authorization endpoint's first answer to a consent's SCA link changed by `change`. */
async function authorizeResponse(h: Harness, change: (url: URL) => void) {
  const created = (await h.createConsent()).json<{ _links: { scaRedirect: { href: string } } }>();
  const url = new URL(created._links.scaRedirect.href);
  url.searchParams.set('state', 'probe');
  change(url);
  const browser = h.client(undefined, undefined, url.origin);
  return browser.send({
    method: 'GET',
    url: url.toString(),
    requestId: false,
    headers: { accept: 'text/html' },
  });
}

/** Its status and where it redirects, without the IDs. */
async function authorizeAnswer(h: Harness, change: (url: URL) => void) {
  const answer = await authorizeResponse(h, change);
  const location = answer.headers.location ? new URL(answer.headers.location) : undefined;
  return [
    answer.status,
    location ? `${location.origin}${location.pathname}` : '',
    location?.searchParams.get('error') ?? location?.hash.slice(0, 14),
  ];
}

/** An approved cross-border payment (ACTC), cancelled: its path and the 202's links. */
async function cancelApproved(h: Harness) {
  const created = (await h.createPayment('cross-border-credit-transfers')).json<{
    paymentId: string;
    _links: { scaRedirect: { href: string } };
  }>();
  await h.psu(created._links.scaRedirect.href, 'approve');
  const path = `/v1/payments/cross-border-credit-transfers/${created.paymentId}`;
  const response = await h.xs2a({ method: 'DELETE', url: path, token: await h.clientToken() });
  return { path, links: response.json<{ _links?: Record<string, unknown> }>()._links ?? {} };
}

async function startCancellation(h: Harness, path: string): Promise<string> {
  const started = await h.xs2a({
    method: 'POST',
    url: `${path}/cancellation-authorisations`,
    token: await h.clientToken(),
    psuIp: true,
    headers: h.redirectHeader(),
  });
  return started.json<{ authorisationId: string }>().authorisationId;
}

/** The status of a new payment: the test payment with `extra` fields. */
async function paymentStatusWith(
  h: Harness,
  extra: Record<string, unknown>,
  product = 'sepa-credit-transfers',
): Promise<number> {
  return (await h.createPayment(product, { ...PAYMENT, ...extra })).status;
}

describe('fault switches', () => {
  // One sandbox: each fault scoped to a TPP of its own (named after it); the default TPP sees the clean bank.
  let sandbox: Harness;
  const baseline = new Map<FaultId, unknown>();
  before(async () => {
    sandbox = await Harness.start([], {
      ...OPTIONS,
      tppFaults: Object.fromEntries(FAULTS.map((f) => [f.id, [f.id]])),
    });
    for (const fault of FAULTS) baseline.set(fault.id, await PROBES[fault.id](sandbox));
  });
  after(() => sandbox.stop());

  it('has a probe for every fault and at least 40 faults', () => {
    assert.ok(FAULTS.length >= 40, `${FAULTS.length} faults`);
    assert.deepEqual(
      FAULTS.map((f) => f.id).filter((id) => !(id in PROBES)),
      [],
    );
  });

  it('parses fault lists, faults scoped to a TPP, and names unknown faults', () => {
    assert.deepEqual(
      parseFaults(
        'consent-delete-200, nope, token-type-mac@acme, consent-delete-200@acme, a@b@c, token-type-mac@Bad',
      ),
      {
        ids: ['consent-delete-200'],
        scoped: { acme: ['token-type-mac', 'consent-delete-200'] },
        unknown: ['nope', 'a@b@c', 'token-type-mac@Bad'],
      },
    );
  });

  for (const fault of FAULTS) {
    it(`${fault.id} changes what it names for its TPP only: ${fault.behaviour}`, async () => {
      const observed = await PROBES[fault.id](sandbox.as(fault.id));
      assert.notDeepEqual(
        observed,
        baseline.get(fault.id),
        `the probe saw the same as on the clean sandbox: ${JSON.stringify(observed)}`,
      );
      // Still clean for the default TPP on the same sandbox, after the faulty TPP's requests.
      assert.deepEqual(await PROBES[fault.id](sandbox), baseline.get(fault.id));
    });
  }

  // --faults without a TPP still switches a fault on for every TPP, below HTTP too.
  for (const id of ['tls12-refused', 'consent-delete-200', 'sca-state-dropped'] as const) {
    it(`${id} for every TPP changes what it names for the default TPP`, async () => {
      const faulty = await Harness.start([id], OPTIONS);
      try {
        assert.notDeepEqual(await PROBES[id](faulty), baseline.get(id));
      } finally {
        await faulty.stop();
      }
    });
  }
});
