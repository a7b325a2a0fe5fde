import type { Violation } from '../../src/contract/violation.ts';

/**
 * What the sandbox saw one TPP do, as certify-tpp judges it. Tokens, codes and secrets are kept as
 * fingerprints only ("key"): the observations reach the reports, the secrets never do.
 */
export interface ApiCall {
  kind: 'api';
  seq: number;
  at: number;
  method: string;
  path: string;
  /** The query string as sent, its secret-looking parameters redacted. */
  query: string;
  operationId: string | undefined;
  service: string | undefined;
  requestId: string | undefined;
  psuIpAddress: boolean;
  contentType: string | undefined;
  hasBody: boolean;
  tppRedirectUri: string | undefined;
  /** The bearer token's fingerprint, and what it was issued for. */
  tokenKey: string | undefined;
  consentId: string | undefined;
  paymentId: string | undefined;
  /** The query parameters the URL carries that only a secret would fill (access_token, code, ...). */
  secretsInQuery: string[];
  /** Query parameters the contract declares boolean, with the value sent ("" for a bare name). */
  booleans: { name: string; value: string }[];
  violations: Violation[];
  status: number;
  /** The first tppMessages code of an error answer. */
  code: string | undefined;
  retryAfterSeconds: number | undefined;
  /** The answer body's resource IDs, where it lists accounts (the account list). */
  listedAccountIds: string[];
  /** The payment or consent status an answer states. */
  answeredStatus: string | undefined;
  /** Set when certify-tpp answered in place of the bank, to see how the TPP copes. */
  probe: 'rate-limit' | 'token-expiry' | undefined;
}

export interface TokenCall {
  kind: 'token';
  seq: number;
  at: number;
  grant: string | undefined;
  authMethod: 'client_secret_basic' | 'client_secret_post' | 'none';
  contentType: string | undefined;
  secretsInQuery: string[];
  codeKey: string | undefined;
  redirectUri: string | undefined;
  codeVerifier: boolean;
  refreshKey: string | undefined;
  status: number;
  error: string | undefined;
  issuedAccessKey: string | undefined;
  issuedRefreshKey: string | undefined;
}

export interface AuthorizationCall {
  kind: 'authorize';
  seq: number;
  at: number;
  redirectUri: string;
  state: string | undefined;
  codeChallengeMethod: string | undefined;
  secretsInQuery: string[];
  consentId: string | undefined;
  paymentId: string | undefined;
}

export interface CodeIssued {
  kind: 'code';
  seq: number;
  at: number;
  codeKey: string;
  expiresAt: number;
  redirectUri: string;
  /** The state the TPP sent, and the one the redirect carried back (another one when probed). */
  stateSent: string | undefined;
  stateReturned: string | undefined;
  consentId: string | undefined;
  paymentId: string | undefined;
}

export type Observation = ApiCall | TokenCall | AuthorizationCall | CodeIssued;

/** Everything seen of one TPP (one OAuth2 client), in the order it happened. */
export interface TppObservations {
  clientId: string;
  registeredRedirectUris: string[];
  registeredAuthMethod: 'client_secret_basic' | 'client_secret_post';
  /** Whether the bank asks for PKCE (a requirement), or only recommends it (RFC 9700 §2.1.1 for confidential clients). */
  pkceRequired: boolean;
  observations: Observation[];
  /** The consents this TPP holds at the end, with their status and daily limit. */
  consents: { consentId: string; status: string; frequencyPerDay: number }[];
  /** Where the sandbox offers an operation (funds confirmation is not offered by every flavour). */
  offers: (operationId: string) => boolean;
}

export function apiCalls(o: TppObservations): ApiCall[] {
  return o.observations.filter((x): x is ApiCall => x.kind === 'api');
}

export function tokenCalls(o: TppObservations): TokenCall[] {
  return o.observations.filter((x): x is TokenCall => x.kind === 'token');
}

export function authorizations(o: TppObservations): AuthorizationCall[] {
  return o.observations.filter((x): x is AuthorizationCall => x.kind === 'authorize');
}

export function codesIssued(o: TppObservations): CodeIssued[] {
  return o.observations.filter((x): x is CodeIssued => x.kind === 'code');
}

/** One line of evidence for an API call: what was asked, what was answered. Never a secret. */
export function describeCall(call: ApiCall): string {
  const id = call.requestId === undefined ? 'no X-Request-ID' : `X-Request-ID ${call.requestId}`;
  const answer = `${call.status}${call.code ? ` ${call.code}` : ''}`;
  return `#${call.seq} ${call.method} ${call.path}${call.query ? `?${call.query}` : ''} (${id}) -> HTTP ${answer}`;
}

export function describeToken(call: TokenCall): string {
  const answer =
    call.status === 200 ? 'HTTP 200' : `HTTP ${call.status}${call.error ? ` error=${call.error}` : ''}`;
  return `#${call.seq} POST /oauth/token grant_type=${call.grant ?? '(none)'} (${call.authMethod}) -> ${answer}`;
}

export function describeAuthorization(call: AuthorizationCall): string {
  const subject = call.consentId
    ? `consent ${call.consentId}`
    : call.paymentId
      ? `payment ${call.paymentId}`
      : 'no subject';
  return `#${call.seq} GET /oauth/authorize for ${subject}, redirect_uri ${call.redirectUri}`;
}
