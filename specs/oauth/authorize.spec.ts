import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { expectCreated } from '../../src/harness/expect-created.ts';
import { createPkce } from '../../src/oauth/pkce.ts';
import type { ScaFlows } from '../../src/sca/flows.ts';
import type { Xs2aApi, Xs2aResponse } from '../../src/xs2a/api.ts';

// The authorization endpoint as an attacker probes it: requests a browser would send, answered hop by hop
// without following a redirect that leaves the authorization server. A bank that validates a request only after
// the PSU logs in is judged by what it answers first; the browser SCA checks cover the flow to its end.
const check = checksOf('OAuth2');

/** RFC 6761 §6.4: a name that never resolves, so no probe reaches a real host. */
const FOREIGN_REDIRECT = 'https://attacker.invalid/callback';
const MAX_HOPS = 6;

interface Hop {
  url: string;
  response: Xs2aResponse;
  location: string | undefined;
}

/** The SCA start URL of a new consent: the bank's authorization request, state and all. */
async function authorizeUrl(api: Xs2aApi, sca: ScaFlows): Promise<URL> {
  const created = await api.createConsent();
  expectCreated(created, 'creating the consent');
  const consentId = created.json<{ consentId: string }>().consentId;
  const url = new URL(sca.scaStartUrl(created, { consentId }));
  url.searchParams.set('state', `psd2-conformance-${Date.now()}`);
  return url;
}

/** The SCA start URL of a new consent with `name` set to `value`; skipped where the bank's link has no such parameter. */
async function withParameter(
  api: Xs2aApi,
  sca: ScaFlows,
  name: string,
  value: string,
  why: string,
): Promise<URL> {
  const start = await authorizeUrl(api, sca);
  test.skip(!start.searchParams.has(name), `the SCA link names no ${name}: ${why}`);
  start.searchParams.set(name, value);
  return start;
}

/** Follows the authorization request's redirects while they stay on the authorization server. */
async function hops(api: Xs2aApi, start: URL): Promise<Hop[]> {
  const seen: Hop[] = [];
  let url = start.toString();
  for (let i = 0; i < MAX_HOPS; i++) {
    const response = await api.send({
      method: 'GET',
      url,
      token: null,
      requestId: false,
      label: 'authorize',
    });
    const location = response.header('location');
    seen.push({ url, response, location });
    if (response.status < 300 || response.status >= 400 || !location) break;
    const next = new URL(location, url);
    if (next.host !== start.host) break;
    url = next.toString();
  }
  return seen;
}

const redirectsTo = (all: Hop[], prefix: string) =>
  all.filter((h) => h.location && new URL(h.location, h.url).toString().startsWith(prefix));
const last = (all: Hop[]) => all[all.length - 1] as Hop;
const hopsOf = (all: Hop[]) =>
  all.map((h) => `${h.response.status}${h.location ? ` -> ${h.location.slice(0, 120)}` : ''}`).join('; ');
const titleOf = (body: string) => /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim() ?? '';

test(
  ...check({
    id: 'OAU-026',
    title: 'An authorization request with an unregistered redirect_uri is never redirected to it',
    reference:
      'RFC 6749 §4.1.2.1 (invalid redirection URI: MUST NOT automatically redirect the user-agent to it); RFC 9700 §4.11',
    severity: 'blocker',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['authorizationEndpoint'],
  })(async ({ api, sca }) => {
    const start = await withParameter(
      api,
      sca,
      'redirect_uri',
      FOREIGN_REDIRECT,
      'the request cannot be sent with another one',
    );
    const seen = await hops(api, start);
    expect(redirectsTo(seen, FOREIGN_REDIRECT), `redirected to ${FOREIGN_REDIRECT}: ${hopsOf(seen)}`).toEqual(
      [],
    );
  }),
);

test(
  ...check({
    id: 'OAU-027',
    title: 'An authorization request of an unknown client_id is never redirected',
    reference: 'RFC 6749 §4.1.2.1 (client identifier missing or invalid: MUST NOT automatically redirect)',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['authorizationEndpoint'],
  })(async ({ api, sca }) => {
    const start = await withParameter(
      api,
      sca,
      'client_id',
      'psd2-conformance-unknown-client',
      'the request cannot be sent under another one',
    );
    const seen = await hops(api, start);
    const redirectUri = start.searchParams.get('redirect_uri') ?? api.session.settings.client.redirectUri;
    expect(redirectsTo(seen, redirectUri), `redirected to ${redirectUri}: ${hopsOf(seen)}`).toEqual([]);
  }),
);

test(
  ...check({
    id: 'OAU-028',
    title: 'response_type=token issues no token: an error (unsupported_response_type) or no redirect',
    reference:
      'RFC 6749 §4.1.2.1 unsupported_response_type; RFC 9700 §2.1.2 (the implicit grant SHOULD NOT be used)',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['authorizationEndpoint'],
  })(async ({ api, sca }) => {
    const start = await withParameter(
      api,
      sca,
      'response_type',
      'token',
      'the request cannot be sent with another one',
    );
    const seen = await hops(api, start);
    const tokens = seen.filter((h) => /[#?&]access_token=/.test(h.location ?? ''));
    expect(tokens.length, `an access token in a redirect: ${hopsOf(seen)}`).toBe(0);
    for (const hop of redirectsTo(seen, api.session.settings.client.redirectUri)) {
      const error = new URL(hop.location ?? '', hop.url).searchParams.get('error');
      expect(['unsupported_response_type', 'invalid_request'], `the error of ${hop.location}`).toContain(
        error,
      );
    }
  }),
);

test(
  ...check({
    id: 'OAU-029',
    title: 'An authorization request with a plain PKCE challenge is refused',
    reference:
      'RFC 9700 §2.1.1 (S256 is the only method that does not expose the verifier); FAPI 2.0 Security Profile §5.3.2.2 (PKCE with S256)',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['pkce'],
    needs: ['authorizationEndpoint'],
  })(async ({ api, sca }) => {
    const pkce = createPkce();
    const control = await authorizeUrl(api, sca);
    control.searchParams.set('code_challenge', pkce.challenge);
    control.searchParams.set('code_challenge_method', 'S256');
    const taken = last(await hops(api, control));
    const plain = await authorizeUrl(api, sca);
    plain.searchParams.set('code_challenge', pkce.verifier);
    plain.searchParams.set('code_challenge_method', 'plain');
    const seen = await hops(api, plain);
    const answer = last(seen);
    const errorRedirect = redirectsTo(seen, api.session.settings.client.redirectUri).some((h) =>
      new URL(h.location ?? '', h.url).searchParams.has('error'),
    );
    if (errorRedirect || answer.response.status >= 400) return;
    // The same page as for S256 (the login): the plain challenge was taken.
    expect(
      answer.response.status === taken.response.status &&
        titleOf(answer.response.body) === titleOf(taken.response.body),
      `the plain request was answered as the S256 one (${hopsOf(seen)})`,
    ).toBe(false);
  }),
);

test(
  ...check({
    id: 'OAU-030',
    title: 'The SCA pages refuse to be framed (X-Frame-Options or CSP frame-ancestors)',
    reference: 'RFC 9700 §4.16 (authorization servers MUST prevent clickjacking); RFC 6749 §10.13',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory', 'security'],
    needs: ['authorizationEndpoint'],
  })(async ({ api, sca }) => {
    const seen = await hops(api, await authorizeUrl(api, sca));
    const pages = seen.filter((h) => /text\/html/i.test(h.response.header('content-type') ?? ''));
    expect(pages.length, `an HTML page of the authorization server: ${hopsOf(seen)}`).toBeGreaterThan(0);
    for (const hop of pages) {
      const xfo = (hop.response.header('x-frame-options') ?? '').trim().toUpperCase();
      const ancestors = /frame-ancestors\s+([^;]+)/i.exec(
        hop.response.header('content-security-policy') ?? '',
      );
      const byCsp = ancestors !== null && !/(^|\s)\*(\s|$)/.test(ancestors[1] ?? '');
      expect(
        xfo === 'DENY' || xfo === 'SAMEORIGIN' || byCsp,
        `${hop.url.split('?')[0]}: X-Frame-Options "${xfo}", CSP "${hop.response.header('content-security-policy') ?? ''}"`,
      ).toBe(true);
    }
  }),
);

test(
  ...check({
    id: 'OAU-031',
    title: 'The session cookies of the SCA pages are Secure and HttpOnly',
    reference: 'RFC 6265 §4.1.2.5 (Secure), §4.1.2.6 (HttpOnly); OWASP ASVS 4.0 V3.4.1, V3.4.2',
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['createConsent'],
    tags: ['security'],
    needs: ['authorizationEndpoint'],
  })(async ({ api, sca }) => {
    const seen = await hops(api, await authorizeUrl(api, sca));
    for (const hop of seen) {
      for (const cookie of (hop.response.header('set-cookie') ?? '').split(/,(?=\s*[^;,=\s]+=)/)) {
        if (!cookie.trim()) continue;
        const name = cookie.split('=')[0]?.trim();
        expect(/;\s*secure(\s*;|\s*$)/i.test(cookie), `cookie ${name} is Secure`).toBe(true);
        expect(/;\s*httponly(\s*;|\s*$)/i.test(cookie), `cookie ${name} is HttpOnly`).toBe(true);
      }
    }
  }),
);

test(
  ...check({
    id: 'OAU-032',
    title: 'An authorization code presented twice revokes the tokens it issued',
    reference:
      'RFC 6749 §4.1.2 (SHOULD revoke all tokens previously issued based on that authorization code); RFC 9700 §4.5',
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['requestToken', 'getAccountList'],
    tags: ['security'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const created = await api.createConsent();
    const consentId = created.json<{ consentId: string }>().consentId;
    const run = await sca.runSca(sca.scaStartUrl(created, { consentId }), 'approve');
    const tokens = await sca.exchangeCode(run);
    const consent = { consentId, accessToken: tokens.accessToken };
    const before = await api.read(consent, '/v1/accounts', { psuInitiated: true });
    expect(before.status, `the token reads accounts before the reuse: ${before.body.slice(0, 200)}`).toBe(
      200,
    );
    const again = await api.token((oauth) =>
      oauth.authorizationCode(run.outcome.code ?? '', run.codeVerifier),
    );
    expect(again.response.status, 'the reused code').toBe(400);
    const after = await api.read(consent, '/v1/accounts', { psuInitiated: true });
    expect([401, 403], `the token of the reused code still reads accounts: HTTP ${after.status}`).toContain(
      after.status,
    );
  }),
);
