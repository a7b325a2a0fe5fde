import { createHash, timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { faultsOfClient, type SandboxContext } from '../context.ts';
import { verifierMatchesS256 } from '../oauth/pkce.ts';
import type { AuthorizationCode, TppClient } from '../state.ts';
import { tppIdentity } from '../tpp-identity.ts';

type OAuthError =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

/** POST /oauth/token: RFC 6749 §3.2, with the three grants of the myPOS overview. */
export function registerTokenRoute(app: FastifyInstance, ctx: SandboxContext): void {
  const { state, faults, options } = ctx;

  app.post('/oauth/token', async (request, reply) => {
    const error = (status: number, code: OAuthError, description: string) => {
      reply.code(status).header('cache-control', 'no-store').type('application/json');
      if (status === 401 && request.headers.authorization)
        reply.header('www-authenticate', 'Basic realm="token"');
      return reply.send({ error: code, error_description: description });
    };
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/x-www-form-urlencoded') {
      return error(400, 'invalid_request', 'the token request must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const credentials =
      clientCredentials(request.headers.authorization, form) ??
      (faults.has('client-auth-optional') ? unauthenticatedClient(request, form) : undefined);
    if (!credentials) return error(401, 'invalid_client', 'client authentication is missing');
    if (faults.has('basic-auth-refused') && credentials.method === 'client_secret_basic') {
      return error(401, 'invalid_client', 'client_secret_basic is not supported');
    }
    if (options.flavour === 'mypos' && credentials.method === 'client_secret_post') {
      return error(401, 'invalid_client', 'the client authenticates with HTTP Basic (client_secret_basic)');
    }
    const client = state.clients.get(credentials.clientId);
    if (!client && faults.has('unknown-client-wrong-error'))
      return error(400, 'invalid_request', `client_id ${credentials.clientId} is not valid`);
    const secretOk = client !== undefined && sameSecret(client.clientSecret, credentials.clientSecret);
    if (!client || (!secretOk && !faults.has('invalid-client-accepted'))) {
      return error(401, 'invalid_client', 'client authentication failed');
    }
    const tpp = tppIdentity(request.raw.socket as TLSSocket);
    if (tpp?.organizationId && tpp.organizationId !== client.organizationId) {
      return error(401, 'invalid_client', 'the client certificate belongs to another TPP');
    }
    const grantType = form.get('grant_type');
    if (!grantType) {
      if (faults.has('missing-grant-type-wrong-error'))
        return error(400, 'unsupported_grant_type', 'grant_type (none) is not supported');
      return error(400, 'invalid_request', 'grant_type is missing');
    }
    if (grantType === 'client_credentials') return issue(reply, client, undefined, false);
    if (grantType === 'authorization_code') {
      const code = state.codes.get(form.get('code') ?? '');
      if (!code && faults.has('unknown-code-500')) {
        return reply.code(500).type('application/json').send({ error: 'server_error' });
      }
      if (
        !code ||
        (code.clientId !== client.clientId && !faultsOfClient(ctx, code.clientId).has('code-any-client'))
      )
        return error(400, 'invalid_grant', 'the authorization code is not known');
      if (code.used && !faults.has('code-reuse-accepted')) {
        // RFC 6749 §4.1.2: a code used twice SHOULD revoke what it issued (it may have been stolen).
        if (!faults.has('code-reuse-keeps-tokens')) {
          for (const token of code.issued ?? []) {
            state.accessTokens.delete(token);
            state.refreshTokens.delete(token);
          }
        }
        return error(400, 'invalid_grant', 'the authorization code was already used');
      }
      if (code.expiresAt < Date.now() && !faults.has('expired-code-accepted')) {
        return error(400, 'invalid_grant', 'the authorization code has expired');
      }
      if (form.get('redirect_uri') !== code.redirectUri && !faults.has('redirect-uri-not-checked')) {
        return error(400, 'invalid_grant', 'redirect_uri differs from the authorization request');
      }
      if (code.codeChallenge && !faults.has('pkce-verifier-ignored')) {
        const verifier = form.get('code_verifier') ?? '';
        // Under the fault the sandbox hashes the verifier but compares hex, not base64url.
        const matches = faults.has('pkce-challenge-hex')
          ? createHash('sha256').update(verifier).digest('hex') === code.codeChallenge
          : verifierMatchesS256(verifier, code.codeChallenge);
        if (!matches) return error(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
      }
      code.used = true;
      if (!subjectAlive(ctx, code.subject))
        return error(400, 'invalid_grant', 'the consent or payment is no longer valid');
      return issue(reply, client, code.subject, !faults.has('refresh-token-missing'), code);
    }
    if (grantType === 'refresh_token') {
      const refresh = state.refreshTokens.get(form.get('refresh_token') ?? '');
      if (
        !refresh ||
        (refresh.clientId !== client.clientId &&
          !faultsOfClient(ctx, refresh.clientId).has('refresh-any-client'))
      )
        return error(400, 'invalid_grant', 'the refresh token is not known');
      if (refresh.used && !faults.has('refresh-not-rotated'))
        return error(400, 'invalid_grant', 'the refresh token was already used');
      if (!subjectAlive(ctx, refresh.subject) && !faults.has('refresh-after-consent-deleted')) {
        return error(400, 'invalid_grant', 'the consent of this refresh token is no longer valid');
      }
      refresh.used = true;
      // Under the fault the new access token is bound to no consent, as a client_credentials token is.
      if (faults.has('refresh-token-loses-consent')) return issue(reply, client, undefined, false);
      return issue(reply, client, refresh.subject, true);
    }
    if (faults.has('unsupported-grant-wrong-error'))
      return error(400, 'invalid_request', `grant_type ${grantType} is not valid`);
    return error(400, 'unsupported_grant_type', `grant_type ${grantType} is not supported`);
  });

  /** Who a bank that skips client authentication takes the caller for: client_id, else the certificate's TPP. */
  function unauthenticatedClient(request: FastifyRequest, form: URLSearchParams) {
    const organizationId = tppIdentity(request.raw.socket as TLSSocket)?.organizationId;
    const client =
      state.clients.get(form.get('client_id') ?? '') ??
      [...state.clients.values()].find((c) => c.organizationId === organizationId);
    return client
      ? { clientId: client.clientId, clientSecret: client.clientSecret, method: 'none' as const }
      : undefined;
  }

  function issue(
    reply: FastifyReply,
    client: TppClient,
    subject: Parameters<typeof state.issueAccessToken>[1],
    withRefresh: boolean,
    code?: AuthorizationCode,
  ) {
    const access = state.issueAccessToken(client.clientId, subject, options.tokenLifetimeMs);
    if (code) code.issued = [access.token];
    const body: Record<string, unknown> = {
      access_token: access.token,
      token_type: faults.has('token-type-mac') ? 'mac' : 'Bearer',
    };
    if (!faults.has('token-no-expires-in')) body.expires_in = Math.round(options.tokenLifetimeMs / 1000);
    if (withRefresh && subject) {
      body.refresh_token = state.issueRefreshToken(client.clientId, subject).token;
      code?.issued?.push(String(body.refresh_token));
    }
    if (!faults.has('token-no-cache-control'))
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return reply.code(200).type('application/json').send(body);
  }
}

function subjectAlive(ctx: SandboxContext, subject: { consentId: string } | { paymentId: string }): boolean {
  if ('consentId' in subject) {
    const consent = ctx.state.consents.get(subject.consentId);
    return consent !== undefined && (consent.status === 'valid' || consent.status === 'received');
  }
  return ctx.state.payments.has(subject.paymentId);
}

function clientCredentials(
  authorization: string | undefined,
  form: URLSearchParams,
):
  | { clientId: string; clientSecret: string; method: 'client_secret_basic' | 'client_secret_post' }
  | undefined {
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '')?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon)),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
      method: 'client_secret_basic',
    };
  }
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  return clientId && clientSecret ? { clientId, clientSecret, method: 'client_secret_post' } : undefined;
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
