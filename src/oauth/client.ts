import type { Contract } from '../contract/contract.ts';
import type { Violation } from '../contract/violation.ts';
import type { HttpClient, HttpResponse } from '../http/client.ts';

export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic';

export interface OAuthClientOptions {
  tokenUrl: string;
  authorizeUrl?: string | undefined;
  clientId: string;
  clientSecret: string;
  redirectUri?: string | undefined;
  authMethod: ClientAuthMethod;
  scope?: string | undefined;
}

export interface TokenSet {
  accessToken: string;
  tokenType: string;
  expiresIn: number | undefined;
  refreshToken: string | undefined;
  scope: string | undefined;
}

export interface TokenResult {
  response: HttpResponse;
  /** Set when the response is a 200 with an access token. */
  tokens: TokenSet | undefined;
  /** Where the response breaks openapi/oauth2.yaml. */
  violations: Violation[];
}

/**
 * The TPP's side of RFC 6749: the three grants the myPOS overview uses. Every token it sees is
 * registered with the redactor before anything can record it.
 */
export class OAuthClient {
  constructor(
    private readonly http: HttpClient,
    private readonly contract: Contract,
    readonly options: OAuthClientOptions,
  ) {
    http.redactor.addSecret(options.clientSecret);
  }

  clientCredentials(overrides: TokenRequestOverrides = {}): Promise<TokenResult> {
    return this.token({ grant_type: 'client_credentials', scope: this.options.scope }, overrides);
  }

  authorizationCode(
    code: string,
    codeVerifier?: string,
    overrides: TokenRequestOverrides = {},
  ): Promise<TokenResult> {
    this.http.redactor.addSecret(code);
    this.http.redactor.addSecret(codeVerifier);
    return this.token(
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.options.redirectUri,
        code_verifier: codeVerifier,
      },
      overrides,
    );
  }

  refresh(refreshToken: string, overrides: TokenRequestOverrides = {}): Promise<TokenResult> {
    this.http.redactor.addSecret(refreshToken);
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken }, overrides);
  }

  /** Any form, for negative checks (unsupported grant type, wrong secret, missing fields). */
  async token(
    form: Record<string, string | undefined>,
    overrides: TokenRequestOverrides = {},
  ): Promise<TokenResult> {
    const method = overrides.authMethod ?? this.options.authMethod;
    const clientId = overrides.clientId ?? this.options.clientId;
    const clientSecret = overrides.clientSecret ?? this.options.clientSecret;
    this.http.redactor.addSecret(clientSecret);
    const body: Record<string, string | undefined> = { ...form, ...overrides.extraForm };
    const headers: Record<string, string> = {};
    if (method === 'client_secret_post') {
      body.client_id = clientId;
      body.client_secret = clientSecret;
    } else {
      // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined and base64-encoded.
      const credentials = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    const response = await this.http.send({
      method: 'POST',
      url: this.options.tokenUrl,
      form: body,
      headers,
      label: 'requestToken',
      requestId: false,
    });
    const tokens = response.status === 200 ? parseTokens(response, this.http) : undefined;
    const violations = this.contract.validateResponse('requestToken', response);
    return { response, tokens, violations };
  }

  /** The URL the PSU's browser opens when the profile starts SCA from the authorization endpoint. */
  authorizeUrl(params: {
    state: string;
    codeChallenge?: string;
    scope?: string;
    extra?: Record<string, string>;
  }): string {
    if (!this.options.authorizeUrl) throw new Error('no authorizeUrl is configured for this target');
    const url = new URL(this.options.authorizeUrl);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.options.clientId);
    if (this.options.redirectUri) url.searchParams.set('redirect_uri', this.options.redirectUri);
    url.searchParams.set('state', params.state);
    if (params.scope) url.searchParams.set('scope', params.scope);
    if (params.codeChallenge) {
      url.searchParams.set('code_challenge', params.codeChallenge);
      url.searchParams.set('code_challenge_method', 'S256');
    }
    for (const [k, v] of Object.entries(params.extra ?? {})) url.searchParams.set(k, v);
    return url.toString();
  }
}

export interface TokenRequestOverrides {
  authMethod?: ClientAuthMethod;
  clientId?: string;
  clientSecret?: string;
  extraForm?: Record<string, string | undefined>;
}

function parseTokens(response: HttpResponse, http: HttpClient): TokenSet | undefined {
  let body: Record<string, unknown>;
  try {
    body = response.json<Record<string, unknown>>();
  } catch {
    return undefined;
  }
  if (typeof body.access_token !== 'string') return undefined;
  http.redactor.addSecret(body.access_token);
  if (typeof body.refresh_token === 'string') http.redactor.addSecret(body.refresh_token);
  return {
    accessToken: body.access_token,
    tokenType: typeof body.token_type === 'string' ? body.token_type : '',
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : undefined,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
  };
}
