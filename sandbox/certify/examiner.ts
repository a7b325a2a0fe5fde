import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.ts';
import type { AuthorizationCode } from '../state.ts';
import { tppIdentity } from '../tpp-identity.ts';
import type { ApiCall, Observation, TokenCall, TppObservations } from './observations.ts';

/** Query parameters only a secret would fill: none of them belongs in a URL (RFC 6750 §2.3, RFC 9700 §4.3). */
const SECRET_QUERY_NAMES = ['access_token', 'refresh_token', 'client_secret', 'code_verifier', 'password'];

/** How long certify-tpp asks a TPP to wait after the 429 it answers in place of the bank. */
export const PROBE_RETRY_AFTER_SECONDS = 1;
/** How many of a TPP's access tokens certify-tpp expires early: two, so that a refresh token is rotated once. */
const TOKEN_EXPIRY_PROBES = 2;

interface ProbeState {
  stateProbed: boolean;
  rateLimitProbed: boolean;
  expiredTokens: Set<string>;
}

/**
 * certify-tpp's examiner: the sandbox tells it of every request a TPP sends (API, token endpoint, the PSU's
 * authorisation) and of every code it issues; it keeps what certify-tpp judges, per TPP. Three times per TPP
 * it answers in place of the bank, as certification suites for clients do, to see the TPP cope: the first
 * code comes back with another state, the first transaction read is answered 429 with Retry-After, and two
 * access tokens expire at their first balance read.
 */
export class TppExaminer {
  /** When a TPP last sent anything (undefined before its first request): certify-tpp --idle-exit counts from here. */
  lastActivityAt: number | undefined;
  private seq = 0;
  private readonly byClient = new Map<string, Observation[]>();
  private readonly probes = new Map<string, ProbeState>();
  /** The client and subject of every access token issued, by fingerprint: a revoked token still names its TPP. */
  private readonly tokens = new Map<string, { clientId: string; consentId?: string; paymentId?: string }>();
  private readonly payloads = new WeakMap<FastifyRequest, string>();
  private readonly probed = new WeakMap<FastifyRequest, ApiCall['probe']>();

  /**
   * Whether the bank asks TPPs for PKCE: the Berlin Group sandbox does (its profile sends it); the myPOS pages
   * document no PKCE, so there it is a recommendation. certify-tpp --pkce sets it.
   */
  pkceRequired: boolean;

  constructor(private readonly ctx: SandboxContext) {
    this.pkceRequired = ctx.options.flavour !== 'mypos';
  }

  /** Before the bank's gate: the probes that answer in place of the bank, or let a token expire. */
  probeBefore(request: FastifyRequest, reply: FastifyReply): boolean {
    const bearer = bearerOf(request);
    const token = bearer ? this.ctx.state.accessTokens.get(bearer) : undefined;
    if (!token || token.expiresAt < Date.now() || !token.subject || !('consentId' in token.subject))
      return false;
    const operation = this.ctx.contract.match(request.method, request.url.split('?')[0] ?? '')?.operation;
    const probes = this.probesOf(token.clientId);
    const id = operation?.operationId;
    if ((id === 'getTransactionList' || id === 'getCardAccountTransactionList') && !probes.rateLimitProbed) {
      probes.rateLimitProbed = true;
      this.probed.set(request, 'rate-limit');
      reply
        .code(429)
        .header('retry-after', String(PROBE_RETRY_AFTER_SECONDS))
        .type('application/json')
        .send({
          tppMessages: [
            { category: 'ERROR', code: 'ACCESS_EXCEEDED', text: 'too many requests: retry after a second' },
          ],
        });
      return true;
    }
    if (
      (id === 'getBalances' || id === 'getCardAccountBalances') &&
      probes.expiredTokens.size < TOKEN_EXPIRY_PROBES &&
      !probes.expiredTokens.has(fingerprint(token.token))
    ) {
      probes.expiredTokens.add(fingerprint(token.token));
      token.expiresAt = Date.now() - 1;
      this.probed.set(request, 'token-expiry');
    }
    return false;
  }

  /** The state the redirect carries back: another one for a TPP's first code, to see whether it checks. */
  stateOnReturn(code: AuthorizationCode, stateSent: string | undefined): string | undefined {
    const probes = this.probesOf(code.clientId);
    const probe = stateSent !== undefined && !probes.stateProbed;
    if (probe) probes.stateProbed = true;
    const stateReturned = probe ? `${stateSent}-not-yours` : stateSent;
    const subject = code.subject;
    this.add(code.clientId, {
      kind: 'code',
      seq: 0,
      at: Date.now(),
      codeKey: fingerprint(code.code),
      expiresAt: code.expiresAt,
      redirectUri: code.redirectUri,
      stateSent,
      stateReturned,
      consentId: 'consentId' in subject ? subject.consentId : undefined,
      paymentId: 'paymentId' in subject ? subject.paymentId : undefined,
    });
    return stateReturned;
  }

  keepPayload(request: FastifyRequest, payload: unknown): void {
    if (typeof payload === 'string') this.payloads.set(request, payload);
    else if (Buffer.isBuffer(payload)) this.payloads.set(request, payload.toString('utf8'));
  }

  /** The PSU's browser asked the authorization endpoint on behalf of a TPP. */
  authorization(request: FastifyRequest): void {
    const url = new URL(request.url, 'https://sandbox.invalid');
    const q = url.searchParams;
    const clientId = q.get('client_id') ?? '';
    if (!this.ctx.state.clients.has(clientId)) return;
    this.add(clientId, {
      kind: 'authorize',
      seq: 0,
      at: Date.now(),
      redirectUri: q.get('redirect_uri') ?? '',
      state: q.get('state') ?? undefined,
      codeChallengeMethod: q.has('code_challenge') ? (q.get('code_challenge_method') ?? 'plain') : undefined,
      secretsInQuery: secretNames(q),
      consentId: q.get('consent_id') ?? undefined,
      paymentId: q.get('payment_id') ?? undefined,
    });
  }

  /** A request to the API listener has been answered. */
  answered(request: FastifyRequest, reply: FastifyReply): void {
    try {
      if ((request.url.split('?')[0] ?? '') === '/oauth/token') this.tokenAnswered(request, reply);
      else this.apiAnswered(request, reply);
    } catch {
      // A request too malformed to read (a broken Basic header, a path that does not decode) is answered by the
      // bank as it is; the examiner keeps what it can read and never fails the bank's answer.
    }
  }

  /** What was seen of one TPP, with the state of its consents now. */
  observationsOf(clientId: string): TppObservations {
    const client = this.ctx.state.clients.get(clientId);
    const consents = [...this.ctx.state.consents.values()]
      .filter((c) => c.clientId === clientId)
      .map((c) => ({ consentId: c.id, status: c.status, frequencyPerDay: c.request.frequencyPerDay }));
    const contract = this.ctx.contract;
    return {
      clientId,
      registeredRedirectUris: [...(client?.redirectUris ?? [])],
      registeredAuthMethod:
        this.ctx.options.flavour === 'mypos' ? 'client_secret_basic' : 'client_secret_post',
      pkceRequired: this.pkceRequired,
      observations: [...(this.byClient.get(clientId) ?? [])],
      consents,
      offers: (operationId) => contract.operations.has(operationId),
    };
  }

  private apiAnswered(request: FastifyRequest, reply: FastifyReply): void {
    const [path = '', query = ''] = request.url.split('?');
    const search = new URLSearchParams(query);
    const match = this.ctx.contract.match(request.method, path);
    const bearer = bearerOf(request);
    const tokenKey = bearer ? fingerprint(bearer) : undefined;
    const issued = tokenKey ? this.tokens.get(tokenKey) : undefined;
    const clientId = issued?.clientId ?? this.clientOfCertificate(request);
    if (!clientId) return;
    const rawBody = typeof request.body === 'string' ? request.body : '';
    const headers = request.headers as Record<string, string | undefined>;
    const violations = match
      ? this.ctx.contract.validateRequest(match.operation.operationId, {
          headers: headers as Record<string, string>,
          query: search,
          pathParams: match.pathParams,
          body: rawBody,
        })
      : [];
    const booleanNames = new Set(
      (match?.operation.parameters ?? [])
        .filter((p) => p.in === 'query' && (p.schema as { type?: string }).type === 'boolean')
        .map((p) => p.name),
    );
    const answer = parseJson(this.payloads.get(request));
    const retryAfter = Number(reply.getHeader('retry-after'));
    this.add(clientId, {
      kind: 'api',
      seq: 0,
      at: Date.now(),
      method: request.method,
      path,
      query: redactedQuery(search),
      operationId: match?.operation.operationId,
      service: match?.operation.service,
      requestId: headers['x-request-id'],
      psuIpAddress: headers['psu-ip-address'] !== undefined,
      contentType: headers['content-type'],
      hasBody: rawBody.length > 0,
      tppRedirectUri: headers['tpp-redirect-uri'],
      tokenKey,
      consentId: issued?.consentId ?? match?.pathParams.consentId,
      paymentId: issued?.paymentId ?? match?.pathParams.paymentId,
      secretsInQuery: [...secretNames(search), ...(search.has('code') ? ['code'] : [])],
      booleans: [...search.entries()]
        .filter(([name]) => booleanNames.has(name))
        .map(([name, value]) => ({ name, value })),
      violations,
      status: reply.statusCode,
      code: firstCode(answer),
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      listedAccountIds: listedAccountIds(answer),
      answeredStatus: statusOf(answer),
      probe: this.probed.get(request),
    });
  }

  private tokenAnswered(request: FastifyRequest, reply: FastifyReply): void {
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const basicClient = basic
      ? decodeURIComponent(Buffer.from(basic, 'base64').toString('utf8').split(':')[0] ?? '')
      : undefined;
    const authMethod: TokenCall['authMethod'] = basic
      ? 'client_secret_basic'
      : form.has('client_secret')
        ? 'client_secret_post'
        : 'none';
    const clientId = basicClient ?? form.get('client_id') ?? this.clientOfCertificate(request);
    if (!clientId || !this.ctx.state.clients.has(clientId)) return;
    const answer = parseJson(this.payloads.get(request)) as Record<string, unknown> | undefined;
    const access = typeof answer?.access_token === 'string' ? answer.access_token : undefined;
    const refresh = typeof answer?.refresh_token === 'string' ? answer.refresh_token : undefined;
    if (access) {
      const subject = this.ctx.state.accessTokens.get(access)?.subject;
      this.tokens.set(fingerprint(access), {
        clientId,
        ...(subject && 'consentId' in subject ? { consentId: subject.consentId } : {}),
        ...(subject && 'paymentId' in subject ? { paymentId: subject.paymentId } : {}),
      });
    }
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const code = form.get('code');
    const refreshSent = form.get('refresh_token');
    this.add(clientId, {
      kind: 'token',
      seq: 0,
      at: Date.now(),
      grant: form.get('grant_type') ?? undefined,
      authMethod,
      contentType: request.headers['content-type'],
      secretsInQuery: [...secretNames(query), ...(query.has('code') ? ['code'] : [])],
      codeKey: code ? fingerprint(code) : undefined,
      redirectUri: form.get('redirect_uri') ?? undefined,
      codeVerifier: form.has('code_verifier'),
      refreshKey: refreshSent ? fingerprint(refreshSent) : undefined,
      status: reply.statusCode,
      error: typeof answer?.error === 'string' ? answer.error : undefined,
      issuedAccessKey: access ? fingerprint(access) : undefined,
      issuedRefreshKey: refresh ? fingerprint(refresh) : undefined,
    });
  }

  private clientOfCertificate(request: FastifyRequest): string | undefined {
    const organizationId = tppIdentity(request.raw.socket as TLSSocket)?.organizationId;
    if (!organizationId) return undefined;
    return [...this.ctx.state.clients.values()].find((c) => c.organizationId === organizationId)?.clientId;
  }

  private add(clientId: string, observation: Observation): void {
    observation.seq = ++this.seq;
    this.lastActivityAt = Date.now();
    const list = this.byClient.get(clientId) ?? [];
    list.push(observation);
    this.byClient.set(clientId, list);
  }

  private probesOf(clientId: string): ProbeState {
    let probes = this.probes.get(clientId);
    if (!probes) {
      probes = { stateProbed: false, rateLimitProbed: false, expiredTokens: new Set() };
      this.probes.set(clientId, probes);
    }
    return probes;
  }
}

/** A token's or code's stand-in in observations and reports: enough to tell two apart, nothing to reuse. */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

function bearerOf(request: FastifyRequest): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

function secretNames(query: URLSearchParams): string[] {
  return SECRET_QUERY_NAMES.filter((name) => query.has(name));
}

function redactedQuery(query: URLSearchParams): string {
  const copy = new URLSearchParams(query);
  for (const name of [...SECRET_QUERY_NAMES, 'code']) if (copy.has(name)) copy.set(name, '[redacted]');
  return copy.toString().replaceAll('%5Bredacted%5D', '[redacted]');
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function firstCode(answer: unknown): string | undefined {
  const messages = (answer as { tppMessages?: { code?: unknown }[] } | undefined)?.tppMessages;
  const code = Array.isArray(messages) ? messages[0]?.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function listedAccountIds(answer: unknown): string[] {
  const body = answer as { accounts?: unknown; cardAccounts?: unknown } | undefined;
  const lists = [body?.accounts, body?.cardAccounts].filter(Array.isArray) as Record<string, unknown>[][];
  return lists
    .flat()
    .map((a) => a.resourceId ?? a.accountNumber)
    .filter((id): id is string => typeof id === 'string');
}

function statusOf(answer: unknown): string | undefined {
  const body = answer as Record<string, unknown> | undefined;
  const status = body?.transactionStatus ?? body?.paymentStatus ?? body?.consentStatus;
  return typeof status === 'string' ? status : undefined;
}
