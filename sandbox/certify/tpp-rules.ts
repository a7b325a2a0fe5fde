import { formatViolation } from '../../src/contract/violation.ts';
import { PROBE_RETRY_AFTER_SECONDS } from './examiner.ts';
import {
  type ApiCall,
  apiCalls,
  authorizations,
  type CodeIssued,
  codesIssued,
  describeAuthorization,
  describeCall,
  describeToken,
  type TokenCall,
  type TppObservations,
  tokenCalls,
} from './observations.ts';

/** passed: seen and followed. failed: seen and broken. not-exercised: the TPP never came where the rule applies. */
export type TppVerdict = 'passed' | 'failed' | 'not-exercised';

export interface TppJudgement {
  verdict: TppVerdict;
  /** The requests that broke the rule (failed), or why it was not exercised. */
  evidence: string[];
}

export interface TppRule {
  id: string;
  /** The break of the reference TPP (examples/tpp) that breaks this rule alone. */
  breakName: string;
  title: string;
  reference: string;
  /** warning: a recommendation; reported, never a failed certification. */
  severity: 'critical' | 'major' | 'warning';
  /** The severity on this bank, where the bank decides it (PKCE: asked for, or only recommended). */
  severityOn?: (o: TppObservations) => TppRule['severity'];
  area: 'requests' | 'oauth2' | 'redirect' | 'tokens' | 'usage';
  judge(o: TppObservations): TppJudgement;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The most requests to an operation a TPP may send in the minute after a 429. */
export const MAX_REQUESTS_AFTER_429 = 3;
const AIS_READS = new Set([
  'getAccountList',
  'readAccountDetails',
  'getBalances',
  'getTransactionList',
  'getTransactionDetails',
  'getCardAccountList',
  'readCardAccountDetails',
  'getCardAccountBalances',
  'getCardAccountTransactionList',
]);
const ACCOUNT_LISTS = new Set(['getAccountList', 'getCardAccountList']);
const PSU_INITIATED = new Set(['createConsent', 'initiatePayment']);

function judged(exercised: boolean, broken: string[], notExercised: string): TppJudgement {
  if (broken.length > 0) return { verdict: 'failed', evidence: broken };
  return exercised
    ? { verdict: 'passed', evidence: [] }
    : { verdict: 'not-exercised', evidence: [notExercised] };
}

/** Each exchange of a code the sandbox issued to the TPP, with that code. */
function exchangedCodes(o: TppObservations): { exchange: TokenCall; code: CodeIssued }[] {
  const codes = new Map(codesIssued(o).map((c) => [c.codeKey, c]));
  return tokenCalls(o).flatMap((exchange) => {
    const code = exchange.grant === 'authorization_code' ? codes.get(exchange.codeKey ?? '') : undefined;
    return code ? [{ exchange, code }] : [];
  });
}

/** The XS2A calls (the token endpoint apart). */
function xs2aCalls(o: TppObservations): ApiCall[] {
  return apiCalls(o).filter((c) => c.operationId !== undefined || c.path.startsWith('/v1/'));
}

/** Violations another rule owns: a request breaking one rule fails that rule, not this one as well. */
function ownedElsewhere(call: ApiCall, v: { part: string; pointer: string }): boolean {
  const name = v.pointer.slice(1);
  return (
    v.pointer === '/X-Request-ID' ||
    v.pointer === '/PSU-IP-Address' ||
    v.pointer === '/TPP-Redirect-URI' ||
    v.part === 'content-type' ||
    (v.part === 'query' && call.booleans.some((b) => b.name === name)) ||
    (v.part === 'query' && call.secretsInQuery.includes(name)) ||
    (v.part === 'body' && !call.contentType?.toLowerCase().startsWith('application/json'))
  );
}

export const TPP_RULES: readonly TppRule[] = [
  {
    id: 'TPP-001',
    breakName: 'request-id-not-uuid',
    title: 'Every XS2A request carries an X-Request-ID that is a UUID',
    reference: 'BG IG 1.3 §4.7 X-Request-ID; BG OpenAPI 1.3.12 X-Request-ID (format uuid)',
    severity: 'critical',
    area: 'requests',
    judge: (o) => {
      const calls = xs2aCalls(o);
      const broken = calls
        .filter((c) => c.requestId === undefined || !UUID.test(c.requestId))
        .map((c) => `${describeCall(c)}: ${c.requestId === undefined ? 'no X-Request-ID' : 'not a UUID'}`);
      return judged(calls.length > 0, broken, 'the TPP sent no XS2A request');
    },
  },
  {
    id: 'TPP-002',
    breakName: 'request-id-reused',
    title: 'An X-Request-ID is never sent twice: a retried request is a new request',
    reference:
      'BG IG 1.3 §4.7 X-Request-ID ("ID of the request, unique to the call, as determined by the initiating party")',
    severity: 'major',
    area: 'requests',
    judge: (o) => {
      const calls = xs2aCalls(o).filter((c) => c.requestId !== undefined);
      const first = new Map<string, ApiCall>();
      const broken: string[] = [];
      for (const call of calls) {
        const earlier = first.get(call.requestId ?? '');
        if (earlier) broken.push(`${describeCall(call)}: the X-Request-ID of #${earlier.seq} again`);
        else first.set(call.requestId ?? '', call);
      }
      return judged(calls.length > 1, broken, 'fewer than two requests with an X-Request-ID');
    },
  },
  {
    id: 'TPP-003',
    breakName: 'psu-ip-address-missing',
    title: 'Consent creation and payment initiation, which the PSU initiates, carry PSU-IP-Address',
    reference:
      'BG OpenAPI 1.3.12 createConsent, initiatePayment PSU-IP-Address (required; "the forwarded IP Address header field" of the PSU)',
    severity: 'critical',
    area: 'requests',
    judge: (o) => {
      const calls = xs2aCalls(o).filter((c) => PSU_INITIATED.has(c.operationId ?? ''));
      const broken = calls.filter((c) => !c.psuIpAddress).map((c) => `${describeCall(c)}: no PSU-IP-Address`);
      return judged(calls.length > 0, broken, 'the TPP created no consent and initiated no payment');
    },
  },
  {
    id: 'TPP-004',
    breakName: 'bare-boolean',
    title:
      'Boolean query parameters carry an explicit true or false (withBalance=true, never a bare withBalance)',
    reference: 'BG IG 1.3 §6.4.1 getAccountList withBalance; BG OpenAPI 1.3.12 withBalance (type boolean)',
    severity: 'major',
    area: 'requests',
    judge: (o) => {
      const calls = xs2aCalls(o).filter((c) => c.booleans.length > 0);
      const broken = calls.flatMap((c) =>
        c.booleans
          .filter((b) => b.value !== 'true' && b.value !== 'false')
          .map((b) => `${describeCall(c)}: ${b.name}=${JSON.stringify(b.value)} is not true or false`),
      );
      return judged(calls.length > 0, broken, 'the TPP sent no boolean query parameter (withBalance)');
    },
  },
  {
    id: 'TPP-005',
    breakName: 'wrong-content-type',
    title:
      'A request body is declared as what it is: application/json to the API, a form to the token endpoint',
    reference:
      'BG OpenAPI 1.3.12 request bodies (application/json); RFC 9110 §8.3; RFC 6749 §4.1.3 (application/x-www-form-urlencoded)',
    severity: 'major',
    area: 'requests',
    judge: (o) => {
      const withBody = xs2aCalls(o).filter((c) => c.hasBody);
      const tokens = tokenCalls(o);
      const mediaType = (value: string | undefined) => (value ?? '').split(';')[0]?.trim().toLowerCase();
      const broken = [
        ...withBody
          .filter((c) => mediaType(c.contentType) !== 'application/json')
          .map((c) => `${describeCall(c)}: Content-Type ${c.contentType ?? '(none)'}`),
        ...tokens
          .filter((c) => mediaType(c.contentType) !== 'application/x-www-form-urlencoded')
          .map((c) => `${describeToken(c)}: Content-Type ${c.contentType ?? '(none)'}`),
      ];
      return judged(withBody.length + tokens.length > 0, broken, 'the TPP sent no request with a body');
    },
  },
  {
    id: 'TPP-006',
    breakName: 'body-breaks-contract',
    title: 'Every request conforms to its operation: headers, query, path and body as the contract states',
    reference: 'openapi/xs2a.yaml, openapi/mypos/ (request parameters and bodies; BG IG 1.3 data model)',
    severity: 'critical',
    area: 'requests',
    judge: (o) => {
      const calls = xs2aCalls(o).filter((c) => c.operationId !== undefined);
      const broken = calls.flatMap((c) => {
        const own = c.violations.filter((v) => !ownedElsewhere(c, v));
        return own.length ? [`${describeCall(c)}: ${own.map(formatViolation).join('; ')}`] : [];
      });
      return judged(calls.length > 0, broken, 'the TPP sent no request to an operation of the contract');
    },
  },
  {
    id: 'TPP-007',
    breakName: 'redirect-uri-unregistered',
    title: 'TPP-Redirect-URI and redirect_uri are https and registered for the TPP',
    reference:
      'BG OpenAPI 1.3.12 createConsent TPP-Redirect-URI; RFC 6749 §3.1.2; RFC 9700 §2.1 (exact redirect URI matching)',
    severity: 'critical',
    area: 'redirect',
    judge: (o) => {
      const bad = (uri: string) =>
        !uri.startsWith('https://')
          ? 'not https'
          : !o.registeredRedirectUris.includes(uri)
            ? 'not registered for the TPP'
            : undefined;
      const headers = xs2aCalls(o).filter((c) => c.tppRedirectUri !== undefined);
      const auths = authorizations(o);
      const broken = [
        ...headers.flatMap((c) => {
          const why = bad(c.tppRedirectUri ?? '');
          return why ? [`${describeCall(c)}: TPP-Redirect-URI ${c.tppRedirectUri} is ${why}`] : [];
        }),
        ...auths.flatMap((a) => {
          const why = bad(a.redirectUri);
          return why ? [`${describeAuthorization(a)}: ${why}`] : [];
        }),
      ];
      return judged(headers.length + auths.length > 0, broken, 'no redirect URI was sent');
    },
  },
  {
    id: 'TPP-008',
    breakName: 'state-missing',
    title: 'Every authorisation request carries a state of its own, never one used before',
    reference: 'RFC 6749 §4.1.1, §10.12; RFC 9700 §2.1, §4.7.1 (CSRF protection)',
    severity: 'critical',
    area: 'redirect',
    judge: (o) => {
      const auths = authorizations(o);
      const seen = new Set<string>();
      const broken: string[] = [];
      for (const a of auths) {
        if (a.state === undefined || a.state.length === 0)
          broken.push(`${describeAuthorization(a)}: no state`);
        else if (seen.has(a.state))
          broken.push(`${describeAuthorization(a)}: the state of an earlier authorisation`);
        else seen.add(a.state);
      }
      return judged(auths.length > 0, broken, 'the PSU was never sent to the authorisation endpoint');
    },
  },
  {
    id: 'TPP-009',
    breakName: 'state-not-checked',
    title: 'The state is checked on return: a code that comes back with another state is never exchanged',
    reference: 'RFC 6749 §10.12; RFC 9700 §4.7.1 (the client checks the state before it uses the code)',
    severity: 'critical',
    area: 'redirect',
    judge: (o) => {
      const probed = codesIssued(o).filter((c) => c.stateReturned !== c.stateSent);
      const broken = exchangedCodes(o)
        .filter(({ code }) => code.stateReturned !== code.stateSent)
        .map(
          ({ exchange }) =>
            `${describeToken(exchange)}: exchanged the code that came back with another state than the TPP sent`,
        );
      return judged(
        probed.length > 0,
        broken,
        'no code came back to the TPP (certify-tpp returns the first with another state)',
      );
    },
  },
  {
    id: 'TPP-010',
    breakName: 'pkce-missing',
    title:
      'Every authorisation request carries a PKCE code_challenge with method S256 (where the bank asks for PKCE)',
    reference:
      'RFC 7636 §4.2, §4.3; RFC 9700 §2.1.1 (PKCE with S256; RECOMMENDED for confidential clients where the bank does not ask)',
    severity: 'major',
    severityOn: (o) => (o.pkceRequired ? 'major' : 'warning'),
    area: 'oauth2',
    judge: (o) => {
      const auths = authorizations(o);
      const broken = auths
        .filter((a) => a.codeChallengeMethod !== 'S256')
        .map(
          (a) =>
            `${describeAuthorization(a)}: ${a.codeChallengeMethod === undefined ? 'no code_challenge' : `code_challenge_method ${a.codeChallengeMethod}`}`,
        );
      return judged(auths.length > 0, broken, 'the PSU was never sent to the authorisation endpoint');
    },
  },
  {
    id: 'TPP-011',
    breakName: 'code-exchanged-twice',
    title: 'An authorisation code is exchanged once',
    reference: 'RFC 6749 §4.1.2 ("The client MUST NOT use the authorization code more than once")',
    severity: 'critical',
    area: 'oauth2',
    judge: (o) => {
      const exchanges = tokenCalls(o).filter((t) => t.grant === 'authorization_code' && t.codeKey);
      const seen = new Map<string, TokenCall>();
      const broken: string[] = [];
      for (const t of exchanges) {
        const earlier = seen.get(t.codeKey ?? '');
        if (earlier) broken.push(`${describeToken(t)}: the code of #${earlier.seq} again`);
        else seen.set(t.codeKey ?? '', t);
      }
      return judged(exchanges.length > 0, broken, 'the TPP exchanged no authorisation code');
    },
  },
  {
    id: 'TPP-012',
    breakName: 'code-exchanged-late',
    title: 'An authorisation code is exchanged within its lifetime',
    reference: 'RFC 6749 §4.1.2 (a short-lived code); RFC 9700 §4.5',
    severity: 'major',
    area: 'oauth2',
    judge: (o) => {
      const exchanges = exchangedCodes(o);
      const broken = exchanges.flatMap(({ exchange: t, code }) => {
        return t.at > code.expiresAt
          ? [
              `${describeToken(t)}: ${((t.at - code.at) / 1000).toFixed(1)} s after the code was issued, ${((code.expiresAt - code.at) / 1000).toFixed(0)} s its lifetime`,
            ]
          : [];
      });
      return judged(exchanges.length > 0, broken, 'the TPP exchanged no authorisation code');
    },
  },
  {
    id: 'TPP-013',
    breakName: 'code-redirect-uri-differs',
    title: 'A code is exchanged with the redirect_uri of its authorisation request',
    reference: 'RFC 6749 §4.1.3 (redirect_uri "REQUIRED ... their values MUST be identical")',
    severity: 'critical',
    area: 'oauth2',
    judge: (o) => {
      const exchanges = exchangedCodes(o);
      const broken = exchanges.flatMap(({ exchange: t, code }) => {
        return t.redirectUri !== code.redirectUri
          ? [
              `${describeToken(t)}: redirect_uri ${t.redirectUri ?? '(none)'}, the authorisation named ${code.redirectUri}`,
            ]
          : [];
      });
      return judged(exchanges.length > 0, broken, 'the TPP exchanged no authorisation code');
    },
  },
  {
    id: 'TPP-014',
    breakName: 'new-sca-on-expiry',
    title: 'An expired access token is renewed with the refresh token, not with a new SCA of the PSU',
    reference:
      'RFC 6749 §1.5, §6; BG IG 1.3 §6.3.1.1 validUntil, recurringIndicator (a consent serves its validity period)',
    severity: 'major',
    area: 'tokens',
    judge: (o) => {
      const expiries = apiCalls(o).filter((c) => c.status === 401 && c.code === 'TOKEN_EXPIRED');
      // A code for a payment is the PSU authorising a payment, not the TPP renewing its access to accounts.
      const consentCodes = new Set(
        codesIssued(o)
          .filter((c) => c.consentId)
          .map((c) => c.codeKey),
      );
      const grants = tokenCalls(o).filter(
        (t) =>
          t.status === 200 &&
          (t.grant === 'refresh_token' ||
            (t.grant === 'authorization_code' && consentCodes.has(t.codeKey ?? ''))),
      );
      const broken: string[] = [];
      let refreshed = false;
      for (const expiry of expiries) {
        const next = grants.find((g) => g.seq > expiry.seq);
        if (next?.grant === 'refresh_token') refreshed = true;
        else if (next)
          broken.push(`${describeCall(expiry)}, then ${describeToken(next)}: a new SCA, not a refresh`);
      }
      return judged(refreshed, broken, 'no access token of the TPP expired (certify-tpp expires two early)');
    },
  },
  {
    id: 'TPP-015',
    breakName: 'refresh-token-not-rotated',
    title:
      'After a refresh the new refresh token is the one used next: a used refresh token is never sent again',
    reference: 'RFC 6749 §6; RFC 9700 §4.14.2 (refresh token rotation)',
    severity: 'major',
    area: 'tokens',
    judge: (o) => {
      const refreshes = tokenCalls(o).filter((t) => t.grant === 'refresh_token' && t.refreshKey);
      const issuedByRefresh = new Set(refreshes.map((t) => t.issuedRefreshKey).filter(Boolean));
      const used = new Map<string, TokenCall>();
      const broken: string[] = [];
      for (const t of refreshes) {
        const earlier = used.get(t.refreshKey ?? '');
        if (earlier) broken.push(`${describeToken(t)}: the refresh token #${earlier.seq} already used`);
        else used.set(t.refreshKey ?? '', t);
      }
      const rotated = refreshes.some((t) => issuedByRefresh.has(t.refreshKey));
      return judged(
        rotated,
        broken,
        'no refresh token issued by a refresh was used (certify-tpp expires two access tokens early)',
      );
    },
  },
  {
    id: 'TPP-016',
    breakName: 'reads-beyond-frequency',
    title: "TPP-initiated reads (no PSU-IP-Address) stay within the consent's frequencyPerDay",
    reference: 'BG IG 1.3 §6.3.1.1 frequencyPerDay; §14.11 ACCESS_EXCEEDED; RTS (EU) 2018/389 Art. 36(5)(b)',
    severity: 'major',
    area: 'usage',
    judge: (o) => {
      const limits = new Map(o.consents.map((c) => [c.consentId, c.frequencyPerDay]));
      const reads = apiCalls(o).filter(
        (c) =>
          AIS_READS.has(c.operationId ?? '') && !c.psuIpAddress && c.consentId && c.probe !== 'rate-limit',
      );
      const counts = new Map<string, number>();
      const broken: string[] = [];
      for (const read of reads) {
        const key = `${read.consentId}|${read.operationId}|${read.path}|${new Date(read.at).toISOString().slice(0, 10)}`;
        const count = (counts.get(key) ?? 0) + 1;
        counts.set(key, count);
        const limit = limits.get(read.consentId ?? '') ?? Number.POSITIVE_INFINITY;
        if (count === limit + 1)
          broken.push(`${describeCall(read)}: read ${count} of ${read.path} today, frequencyPerDay ${limit}`);
      }
      return judged(reads.length > 0, broken, 'the TPP read nothing without the PSU (no PSU-IP-Address)');
    },
  },
  {
    id: 'TPP-017',
    breakName: 'account-list-skipped',
    title: "An account's resource ID is used only after the consent's account list named it",
    reference: 'BG IG 1.3 §6.4.1 getAccountList (resourceId, used in the path of §6.4.2-§6.6)',
    severity: 'major',
    area: 'usage',
    judge: (o) => {
      const calls = apiCalls(o);
      const listed = new Map<string, Set<string>>();
      const broken: string[] = [];
      let used = 0;
      for (const call of calls) {
        const consent = call.consentId ?? '';
        if (ACCOUNT_LISTS.has(call.operationId ?? '') && call.status === 200) {
          const ids = listed.get(consent) ?? new Set();
          for (const id of call.listedAccountIds) ids.add(id);
          listed.set(consent, ids);
          continue;
        }
        const accountId = /^\/v1\/(?:card-)?accounts\/([^/]+)/.exec(call.path)?.[1];
        if (!accountId || !AIS_READS.has(call.operationId ?? '')) continue;
        used++;
        if (!listed.get(consent)?.has(decodeURIComponent(accountId)))
          broken.push(
            `${describeCall(call)}: account ${decodeURIComponent(accountId)} not named by an account list read under this consent`,
          );
      }
      return judged(used > 0, broken, 'the TPP read no account by its resource ID');
    },
  },
  {
    id: 'TPP-018',
    breakName: 'retry-storm-after-429',
    title: `After a 429 the TPP waits Retry-After, and sends that operation at most ${MAX_REQUESTS_AFTER_429} more requests within a minute`,
    reference:
      'RFC 6585 §4 (429 Too Many Requests); RFC 9110 §10.2.3 Retry-After; BG IG 1.3 §14.11 ACCESS_EXCEEDED',
    severity: 'major',
    area: 'usage',
    judge: (o) => {
      const calls = apiCalls(o);
      const limited = calls.filter((c) => c.status === 429);
      const broken: string[] = [];
      for (const answer of limited) {
        const wait = (answer.retryAfterSeconds ?? PROBE_RETRY_AFTER_SECONDS) * 1000;
        const after = calls.filter(
          (c) => c.seq > answer.seq && c.operationId === answer.operationId && c.at - answer.at < 60_000,
        );
        const early = after.filter((c) => c.at - answer.at < wait);
        if (early.length > 0)
          broken.push(
            `${describeCall(answer)} with Retry-After ${wait / 1000} s, then ${describeCall(early[0] as ApiCall)} ${(((early[0] as ApiCall).at - answer.at) / 1000).toFixed(2)} s later`,
          );
        else if (after.length > MAX_REQUESTS_AFTER_429)
          broken.push(
            `${describeCall(answer)}, then ${after.length} requests to ${answer.operationId} within a minute`,
          );
      }
      return judged(
        limited.length > 0,
        broken,
        'the TPP was never answered 429 (certify-tpp answers its first transaction read so)',
      );
    },
  },
  {
    id: 'TPP-019',
    breakName: 'expired-token-retried',
    title: 'An access token answered 401 TOKEN_EXPIRED or TOKEN_INVALID is not sent again',
    reference:
      'RFC 6750 §3.1 (invalid_token: the client may request a new token); BG IG 1.3 §14.11 TOKEN_EXPIRED, TOKEN_INVALID',
    severity: 'major',
    area: 'tokens',
    judge: (o) => {
      const calls = apiCalls(o);
      const refused = calls.filter(
        (c) => c.status === 401 && (c.code === 'TOKEN_EXPIRED' || c.code === 'TOKEN_INVALID') && c.tokenKey,
      );
      const broken = refused.flatMap((r) => {
        const again = calls.find((c) => c.seq > r.seq && c.tokenKey === r.tokenKey);
        return again ? [`${describeCall(r)}, then ${describeCall(again)} with the same access token`] : [];
      });
      return judged(
        refused.length > 0,
        broken,
        'no access token of the TPP was refused (certify-tpp expires two early)',
      );
    },
  },
  {
    id: 'TPP-020',
    breakName: 'token-in-url',
    title:
      'No token, code verifier or client secret travels in a URL: access tokens go in the Authorization header',
    reference: 'RFC 6750 §2.3, §5.3 ("Don\'t pass bearer tokens in page URLs"); RFC 9700 §4.3.2',
    severity: 'critical',
    area: 'tokens',
    judge: (o) => {
      const calls = apiCalls(o);
      const tokens = tokenCalls(o);
      const auths = authorizations(o);
      const broken = [
        ...calls
          .filter((c) => c.secretsInQuery.length > 0)
          .map((c) => `${describeCall(c)}: ${c.secretsInQuery.join(', ')} in the URL`),
        ...tokens
          .filter((t) => t.secretsInQuery.length > 0)
          .map((t) => `${describeToken(t)}: ${t.secretsInQuery.join(', ')} in the URL`),
        ...auths
          .filter((a) => a.secretsInQuery.length > 0)
          .map((a) => `${describeAuthorization(a)}: ${a.secretsInQuery.join(', ')} in the URL`),
      ];
      return judged(calls.length + tokens.length > 0, broken, 'the TPP sent no request');
    },
  },
  {
    id: 'TPP-021',
    breakName: 'client-auth-unregistered',
    title: 'The TPP authenticates at the token endpoint with the method registered for it',
    reference: 'RFC 6749 §2.3.1; RFC 7591 token_endpoint_auth_method; myPOS PSD2 overview (HTTP Basic)',
    severity: 'critical',
    area: 'oauth2',
    judge: (o) => {
      const tokens = tokenCalls(o);
      const broken = tokens
        .filter((t) => t.authMethod !== o.registeredAuthMethod)
        .map((t) => `${describeToken(t)}: ${t.authMethod}, registered ${o.registeredAuthMethod}`);
      return judged(tokens.length > 0, broken, 'the TPP never called the token endpoint');
    },
  },
  {
    id: 'TPP-022',
    breakName: 'consents-kept',
    title: 'A consent the TPP is done with is deleted (a recommendation)',
    reference: 'BG IG 1.3 §6.3.5 deleteConsent; GDPR Art. 5(1)(c) (data minimisation)',
    severity: 'warning',
    area: 'usage',
    judge: (o) => {
      const authorised = new Set(
        apiCalls(o)
          .filter((c) => AIS_READS.has(c.operationId ?? '') && c.status === 200 && c.consentId)
          .map((c) => c.consentId as string),
      );
      const kept = o.consents.filter((c) => authorised.has(c.consentId) && c.status === 'valid');
      const broken = kept.map((c) => `consent ${c.consentId} is still valid when the TPP stopped`);
      return judged(authorised.size > 0, broken, 'the TPP read no account under a consent');
    },
  },
];

export function tppRule(id: string): TppRule | undefined {
  return TPP_RULES.find((r) => r.id === id);
}
