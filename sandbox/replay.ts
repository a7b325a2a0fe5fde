import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from './context.ts';
import { sendError } from './errors.ts';

/** The first answer to a request that changes state, kept for its X-Request-ID. */
interface Answered {
  fingerprint: string;
  status: number;
  headers: Record<string, string>;
  payload: string;
}

/** Headers of the first answer a repeat gets again (X-Request-ID is echoed anew). */
const KEPT_HEADERS = ['content-type', 'location', 'aspsp-sca-approach'];
/** Requests remembered per sandbox, oldest forgotten first. */
const REMEMBERED = 50_000;

/**
 * X-Request-ID is "unique to the call" (BG OpenAPI 1.3.12): a request that creates, starts or deletes
 * something, sent again with the same X-Request-ID, is the same call. The sandbox answers it with the
 * first answer (the same consent, payment or authorisation, never a second one), and refuses the ID
 * reused for another request with 400 FORMAT_ERROR.
 */
export class RequestReplays {
  private readonly answered = new Map<string, Answered>();
  /** The last answer kept for each X-Request-ID, whichever TPP sent it: what a bank keyed on the ID alone finds. */
  private readonly byRequestId = new Map<string, Answered>();

  /** Answers a repeated request, or returns undefined to let it through (and keep its answer). */
  check(ctx: SandboxContext, request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
    const key = replayKey(request);
    if (!key || ctx.faults.has('request-replay-creates-again')) return undefined;
    const fingerprint = fingerprintOf(request);
    const first = ctx.faults.has('request-replay-across-tpps')
      ? this.byRequestId.get(String(request.headers['x-request-id']))
      : this.answered.get(key);
    if (first === undefined) {
      pending.set(request, { key, fingerprint });
      return undefined;
    }
    if (first.fingerprint === fingerprint) {
      return reply.code(first.status).headers(first.headers).send(first.payload);
    }
    if (ctx.faults.has('request-id-reuse-other-body-accepted')) return undefined;
    return sendError(
      reply,
      ctx.faults,
      400,
      'FORMAT_ERROR',
      'this X-Request-ID was already used for another request: it is unique to the call',
      { path: 'X-Request-ID', service: request.xs2a?.operation.service },
    );
  }

  /** Keeps the answer of a request check() let through, unless the sandbox failed it. */
  keep(request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
    const entry = pending.get(request);
    if (!entry || reply.statusCode >= 500) return;
    pending.delete(request);
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const answer: Answered = {
      fingerprint: entry.fingerprint,
      status: reply.statusCode,
      headers,
      payload: typeof payload === 'string' ? payload : '',
    };
    remember(this.answered, entry.key, answer);
    remember(this.byRequestId, String(request.headers['x-request-id']), answer);
  }
}

const pending = new WeakMap<FastifyRequest, { key: string; fingerprint: string }>();

/** The TPP and its X-Request-ID, for a request that changes state (POST or DELETE); else undefined. */
function replayKey(request: FastifyRequest): string | undefined {
  if (request.method !== 'POST' && request.method !== 'DELETE') return undefined;
  const requestId = request.headers['x-request-id'];
  const clientId = request.xs2a?.token?.clientId;
  if (typeof requestId !== 'string' || clientId === undefined) return undefined;
  return `${clientId} ${requestId}`;
}

/** Sets key to value, forgetting the oldest entry past REMEMBERED. */
function remember(map: Map<string, Answered>, key: string, value: Answered): void {
  map.set(key, value);
  if (map.size > REMEMBERED) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

function fingerprintOf(request: FastifyRequest): string {
  return `${request.method} ${request.url}\n${typeof request.body === 'string' ? request.body : ''}`;
}
