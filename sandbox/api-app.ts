import { randomUUID } from 'node:crypto';
import { validateHeaderValue } from 'node:http';
import { createServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Violation } from '../src/contract/violation.ts';
import type { SandboxContext } from './context.ts';
import { sendError } from './errors.ts';
import type { FaultId } from './faults/index.ts';
import { registerMyposRoutes } from './flavours/mypos/index.ts';
import { registerAccountRoutes } from './routes/accounts.ts';
import { registerConsentRoutes } from './routes/consents.ts';
import { registerFundsRoutes } from './routes/funds.ts';
import { registerPaymentRoutes } from './routes/payments.ts';
import { registerTokenRoute } from './routes/token.ts';
import type { AccessToken } from './state.ts';
import { ROLE_FOR_SERVICE, tppIdentity } from './tpp-identity.ts';

export const PAYMENT_PRODUCTS = new Set(['sepa-credit-transfers', 'cross-border-credit-transfers']);
/** The largest body the API takes: far beyond any XS2A request, far below what would strain the server. */
const MAX_BODY_BYTES = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface HttpsOptions {
  key: Buffer;
  cert: Buffer;
  ca: Buffer[];
  requestCert: boolean;
  rejectUnauthorized: boolean;
  minVersion: 'TLSv1' | 'TLSv1.2' | 'TLSv1.3';
  ciphers?: string;
  /** The CAs' CRLs, PEM: a revoked client certificate fails the handshake. */
  crl?: string[];
}

/**
 * The TPP-facing server: XS2A endpoints and the token endpoint, behind mTLS. Each request is handled
 * on behalf of the TPP its client certificate names, or of `listenerTpp` on a TPP's own listener, so
 * that the faults scoped to that TPP (and only those) apply to it.
 */
export function buildApiApp(ctx: SandboxContext, https: HttpsOptions, listenerTpp?: string): FastifyInstance {
  const app = Fastify({
    serverFactory: (handler) =>
      createServer(https, (req, res) => {
        const tpp =
          listenerTpp ?? ctx.state.tppOfOrganization(tppIdentity(req.socket as TLSSocket)?.organizationId);
        ctx.faults.runAs(tpp, () => handler(req, res));
      }),
    logger: false,
    forceCloseConnections: true,
    // The gate refuses bodies over MAX_BODY_BYTES; above this, Fastify refuses before reading on.
    bodyLimit: 16 * MAX_BODY_BYTES,
    keepAliveTimeout: 30_000,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const examiner = ctx.examiner;
  if (examiner) {
    app.addHook('onSend', async (request, _reply, payload) => {
      examiner.keepPayload(request, payload);
      return payload;
    });
    app.addHook('onResponse', async (request, reply) => examiner.answered(request, reply));
  }

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/oauth/')) return payload;
    const sent = request.headers['x-request-id'];
    const echo = typeof sent === 'string' && UUID.test(sent) && !ctx.faults.has('request-id-not-echoed');
    reply.header('x-request-id', echo ? sent : randomUUID());
    ctx.state.replays.keep(request, reply, payload);
    return payload;
  });

  if (!https.rejectUnauthorized) {
    // Only a fault turns verification off: let through exactly what the fault allows, refuse the rest.
    app.addHook('onRequest', async (request) => {
      const socket = request.raw.socket as TLSSocket;
      if (socket.authorized) return;
      const noCertificate = !socket.getPeerCertificate()?.raw;
      const error = String(socket.authorizationError ?? '');
      const allowed =
        (noCertificate && ctx.faults.has('client-cert-optional')) ||
        (error === 'CERT_HAS_EXPIRED' && ctx.faults.has('client-cert-expired-accepted')) ||
        (error === 'INVALID_PURPOSE' && ctx.faults.has('client-cert-purpose-ignored'));
      if (!allowed) socket.destroy();
    });
  }

  // Callback style on purpose: an answer sent here must end the request. Fastify runs the route's handler
  // after an async hook that sent an answer whose onSend hooks are still running, so that a refused or
  // replayed request would still create what it asked for.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.url.startsWith('/oauth/')) return done();
    if (examiner?.probeBefore(request, reply)) return;
    gate(ctx, request, reply).then((refused) => {
      if (refused !== undefined) return;
      if (request.xs2a && ctx.state.replays.check(ctx, request, reply)) return;
      done();
    }, done);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (ctx.contract.pathExists(path) && !ctx.faults.has('method-not-allowed-404')) {
      const cancel = request.method === 'DELETE' && path.startsWith('/v1/payments/');
      return sendError(
        reply,
        ctx.faults,
        405,
        cancel ? 'CANCELLATION_INVALID' : 'SERVICE_INVALID',
        `${request.method} is not offered on ${path}`,
      );
    }
    if (ctx.faults.has('unknown-path-400') && !ctx.contract.pathExists(path))
      return sendError(reply, ctx.faults, 400, 'FORMAT_ERROR', `${path} is not a valid request`);
    return sendError(reply, ctx.faults, 404, 'RESOURCE_UNKNOWN', `no resource at ${path}`);
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 413) return sendError(reply, ctx.faults, 413, undefined, 'body too large');
    if (status >= 400 && status < 500)
      return sendError(
        reply,
        ctx.faults,
        400,
        'FORMAT_ERROR',
        error instanceof Error ? error.message : 'bad request',
      );
    request.log.error(error);
    return sendError(reply, ctx.faults, 500, undefined, 'internal error');
  });

  registerTokenRoute(app, ctx);
  if (ctx.options.flavour === 'mypos') {
    registerMyposRoutes(app, ctx);
    return app;
  }
  registerConsentRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerPaymentRoutes(app, ctx);
  registerFundsRoutes(app, ctx);
  return app;
}

/** Faults that let one kind of request violation through, as a bank that does not check it would. */
const LENIENCES: [FaultId, (v: Violation, operationId: string) => boolean][] = [
  ['bad-iban-accepted', (v) => v.pointer.endsWith('/iban')],
  [
    'payment-lengths-not-checked',
    (v, op) =>
      op === 'initiatePayment' &&
      (v.pointer === '/endToEndIdentification' || v.pointer === '/remittanceInformationUnstructured'),
  ],
  ['charge-bearer-not-checked', (v, op) => op === 'initiatePayment' && v.pointer === '/chargeBearer'],
  ['funds-payee-length-not-checked', (v, op) => op === 'checkAvailabilityOfFunds' && v.pointer === '/payee'],
  ['creditor-agent-not-checked', (v, op) => op === 'initiatePayment' && v.pointer === '/creditorAgent'],
  [
    'creditor-address-not-checked',
    (v, op) => op === 'initiatePayment' && v.pointer.startsWith('/creditorAddress'),
  ],
  [
    'execution-date-format-not-checked',
    (v, op) => op === 'initiatePayment' && v.pointer === '/requestedExecutionDate',
  ],
  [
    'consent-formats-not-checked',
    (v, op) => op === 'createConsent' && CONSENT_FORMATS.includes(v.pointer) && !isMissing(v),
  ],
  [
    'frequency-minimum-not-checked',
    (v, op) =>
      op === 'createConsent' && v.pointer === '/frequencyPerDay' && v.message.startsWith('must be >='),
  ],
  [
    'consent-required-fields-defaulted',
    (v, op) => op === 'createConsent' && CONSENT_DEFAULTED.includes(v.pointer) && isMissing(v),
  ],
  [
    'transaction-dates-not-checked',
    (v) => v.part === 'query' && (v.pointer === '/dateFrom' || v.pointer === '/dateTo'),
  ],
  ['missing-request-id-accepted', (v) => v.pointer === '/X-Request-ID' && isMissing(v)],
  ['request-id-format-not-checked', (v) => v.pointer === '/X-Request-ID' && !isMissing(v)],
  ['psu-ip-format-not-checked', (v) => v.pointer === '/PSU-IP-Address' && !isMissing(v)],
  ['currency-code-not-checked', (v) => v.pointer.endsWith('/currency')],
  ['amount-format-not-checked', (v) => v.pointer.endsWith('/amount')],
  ['creditor-name-optional', (v) => v.pointer === '/creditorName'],
  ['psu-ip-address-optional', (v) => v.pointer === '/PSU-IP-Address' && isMissing(v)],
  ['funds-account-optional', (v) => v.pointer === '/account'],
  ['booking-status-not-checked', (v) => v.pointer === '/bookingStatus'],
  ['consent-id-optional', (v) => v.pointer === '/Consent-ID'],
];

const CONSENT_FORMATS = [
  '/validUntil',
  '/recurringIndicator',
  '/combinedServiceIndicator',
  '/access/allPsd2',
  '/access/availableAccounts',
  '/access/availableAccountsWithBalance',
];
const CONSENT_DEFAULTED = [
  '/recurringIndicator',
  '/validUntil',
  '/frequencyPerDay',
  '/combinedServiceIndicator',
];

/** A violation that a required parameter or field is absent, not that its value is wrong. */
function isMissing(v: Violation): boolean {
  return v.message.endsWith('is missing') || v.message.endsWith('is required but missing');
}

/** An access token for the TPP the certificate names, as a bank that skips the token check would assume. */
function tokenOfTheCertificate(
  ctx: SandboxContext,
  organizationId: string | undefined,
): AccessToken | undefined {
  const client = [...ctx.state.clients.values()].find(
    (c) => organizationId === undefined || c.organizationId === organizationId,
  );
  return client
    ? ctx.state.issueAccessToken(client.clientId, undefined, ctx.options.tokenLifetimeMs)
    : undefined;
}

/** The checks every XS2A request passes, in the order a bank would make them. */
async function gate(ctx: SandboxContext, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const { faults, state, contract } = ctx;
  const [path = '', query = ''] = request.url.split('?');
  const match = contract.match(request.method, path);
  if (!match) return undefined;
  const { operation, pathParams } = match;
  const service = operation.service;
  const fail = (status: number, code: string | undefined, text: string, errorPath?: string) =>
    sendError(reply, faults, status, code, text, { service, ...(errorPath ? { path: errorPath } : {}) });

  const rawBody = typeof request.body === 'string' ? request.body : '';
  if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES && !faults.has('body-size-unlimited'))
    return fail(413, undefined, `the request body exceeds ${MAX_BODY_BYTES} bytes`);
  if (faults.has('path-control-characters-500')) {
    // The fault's defect: a resource ID copied into a header unchecked; Node throws on a control character.
    for (const value of Object.values(request.params as Record<string, string>))
      validateHeaderValue('x-psd2-resource', value);
  }
  if (faults.has('unknown-query-parameter-500')) {
    const known = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of new URLSearchParams(query).keys())
      if (!known.has(name)) return fail(500, undefined, 'internal error');
  }

  const tpp = tppIdentity(request.raw.socket as TLSSocket);
  if (tpp) {
    if (tpp.roles === undefined && !faults.has('qcstatement-not-required')) {
      return fail(
        401,
        'CERTIFICATE_INVALID',
        'the certificate carries no PSD2 QCStatement (ETSI TS 119 495)',
      );
    }
    const role = ROLE_FOR_SERVICE[service];
    if (role && tpp.roles && !tpp.roles.includes(role) && !faults.has('roles-not-enforced')) {
      return fail(401, 'ROLE_INVALID', `the certificate lacks the PSD2 role ${role} that ${service} needs`);
    }
    if (faults.has('ais-role-refused') && service === 'AIS' && !tpp.roles?.includes('PSP_PI')) {
      return fail(401, 'ROLE_INVALID', 'the certificate lacks the PSD2 role PSP_PI');
    }
  }
  const requestId = request.headers['x-request-id'];
  if (requestId === undefined && !faults.has('missing-request-id-accepted')) {
    return fail(400, 'FORMAT_ERROR', 'the X-Request-ID header is missing', 'X-Request-ID');
  }
  const accept = request.headers.accept;
  if (accept && !/application\/json|application\/\*|\*\/\*/.test(accept) && !faults.has('accept-ignored')) {
    return fail(
      406,
      service === 'AIS' ? 'REQUESTED_FORMATS_INVALID' : undefined,
      `cannot answer in ${accept}`,
    );
  }
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (rawBody.length > 0 && mediaType !== 'application/json' && !faults.has('wrong-media-type-accepted')) {
    return fail(415, undefined, `unsupported Content-Type ${mediaType || '(none)'}`);
  }
  const product = pathParams['payment-product'];
  if (product !== undefined && !PAYMENT_PRODUCTS.has(product)) {
    if (faults.has('unknown-product-400'))
      return fail(400, 'FORMAT_ERROR', `payment product ${product} is not valid`);
    return fail(404, 'PRODUCT_UNKNOWN', `payment product ${product} is not offered`);
  }

  const apiKey = ctx.options.apiKey;
  if (apiKey !== undefined && request.headers['api-key'] !== apiKey) {
    // myPOS documents no error codes; the Berlin Group code closest to "who is calling is not known".
    return fail(401, 'CERTIFICATE_INVALID', 'the API-Key header is missing or not known');
  }
  const authorization = request.headers.authorization ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
  const token = bearer
    ? state.accessTokens.get(bearer)
    : faults.has('missing-token-accepted')
      ? tokenOfTheCertificate(ctx, tpp?.organizationId)
      : undefined;
  if (!token)
    return fail(401, 'TOKEN_INVALID', bearer ? 'the access token is not known' : 'no Bearer access token');
  if (token.expiresAt < Date.now()) return fail(401, 'TOKEN_EXPIRED', 'the access token has expired');
  const client = state.clients.get(token.clientId);
  if (tpp?.organizationId && client && client.organizationId !== tpp.organizationId) {
    return fail(
      401,
      'TOKEN_INVALID',
      'the access token was issued to another TPP than the certificate names',
    );
  }

  let body: unknown;
  if (rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody);
    } catch {
      if (faults.has('invalid-json-500')) return fail(500, undefined, 'internal error');
      return fail(400, 'FORMAT_ERROR', 'the request body is not valid JSON');
    }
    // The fault's defect: an unbounded recursive walk; a deep body overflows the stack, the error handler answers 500.
    if (faults.has('deep-json-500')) nestingOf(body);
  }
  const searchParams = new URLSearchParams(query);
  const headers = { ...(request.headers as Record<string, string>) };
  if (faults.has('wrong-media-type-accepted')) headers['content-type'] = 'application/json';
  let violations = contract.validateRequest(operation.operationId, {
    headers,
    query: searchParams,
    pathParams,
    body: rawBody,
  });
  if (faults.has('bare-boolean-accepted')) {
    violations = violations.filter(
      (v) => !(v.part === 'query' && searchParams.get(v.pointer.slice(1)) === ''),
    );
  }
  for (const [fault, letThrough] of LENIENCES) {
    if (faults.has(fault)) violations = violations.filter((v) => !letThrough(v, operation.operationId));
  }
  const tppKey = token.clientId;
  ctx.recorder.call(tppKey, operation.operationId);
  if (violations.length > 0) {
    ctx.recorder.violation(tppKey, operation.operationId, String(requestId ?? ''), violations);
    const first = violations[0];
    const where = first ? `${first.part === 'body' ? '' : `${first.part}:`}${first.pointer}` : '';
    return fail(
      400,
      'FORMAT_ERROR',
      first ? `${first.pointer || first.part}: ${first.message}` : 'invalid request',
      where,
    );
  }
  request.xs2a = { operation, pathParams, tpp, token, body };
  return undefined;
}

/** How deeply a JSON value nests, by plain recursion (the deep-json-500 fault's walk). */
function nestingOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, nestingOf(child));
  return deepest + 1;
}
