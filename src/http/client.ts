import { randomUUID } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { Agent, request as undiciRequest } from 'undici';
import type { TlsMaterial } from '../config/tls-material.ts';
import { describeNetworkError, HttpError } from './errors.ts';
import type { Exchange } from './exchange.ts';
import type { Redactor } from './redact.ts';

export type QueryValue = string | number | boolean | undefined;

export interface HttpRequest {
  method: string;
  /** A path relative to the base URL ("/v1/accounts"), or an absolute URL. */
  url: string;
  headers?: Record<string, string | undefined>;
  /** Booleans are always sent with their value: withBalance=true, never a bare withBalance. */
  query?: Record<string, QueryValue>;
  /** Appended verbatim after the query, for negative checks (e.g. "withBalance" without a value). */
  rawQuery?: string;
  json?: unknown;
  form?: Record<string, string | undefined>;
  body?: string;
  /** false leaves out X-Request-ID (negative checks); a string sets it. Default: a new UUID v4. */
  requestId?: string | false;
  timeoutMs?: number;
  /** A name for the exchange in reports, e.g. the operationId. */
  label?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The request's X-Request-ID, or undefined when it was left out. */
  requestId: string | undefined;
  exchange: Exchange;
  json<T = unknown>(): T;
  header(name: string): string | undefined;
}

export interface HttpClientOptions {
  baseUrl: string;
  tls?: TlsMaterial | undefined;
  /** Further TLS options, for negative transport checks (e.g. maxVersion TLSv1.1). */
  connect?: ConnectionOptions;
  timeoutMs: number;
  maxResponseBytes: number;
  defaultHeaders?: Record<string, string>;
  redactor: Redactor;
  /** Called with every exchange, already redacted. */
  onExchange?: (exchange: Exchange) => void;
  /** How much of each body the exchange record keeps. */
  maxRecordedBodyBytes?: number;
}

/** The mTLS HTTP client: one X-Request-ID per request, bounded in time and size, every exchange recorded redacted. */
export class HttpClient {
  private readonly agent: Agent;
  private sequence = 0;

  constructor(readonly options: HttpClientOptions) {
    const { tls, connect } = options;
    this.agent = new Agent({
      connect: {
        ...(tls?.ca ? { ca: tls.ca } : {}),
        ...(tls?.cert ? { cert: tls.cert } : {}),
        ...(tls?.key ? { key: tls.key } : {}),
        ...(tls?.pfx ? { pfx: tls.pfx } : {}),
        ...(tls?.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
        minVersion: tls?.minVersion ?? 'TLSv1.2',
        rejectUnauthorized: true,
        timeout: options.timeoutMs,
        ...connect,
      },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connections: 16,
      pipelining: 1,
    });
  }

  get redactor(): Redactor {
    return this.options.redactor;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  resolveUrl(request: Pick<HttpRequest, 'url' | 'query' | 'rawQuery'>): string {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const url = /^https?:\/\//i.test(request.url)
      ? new URL(request.url)
      : new URL(base + (request.url.startsWith('/') ? request.url : `/${request.url}`));
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    let href = url.toString();
    if (request.rawQuery) href += (url.search ? '&' : '?') + request.rawQuery;
    return href;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = this.resolveUrl(request);
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.defaultHeaders };
    const requestId = request.requestId === false ? undefined : (request.requestId ?? randomUUID());
    if (requestId !== undefined) headers['x-request-id'] = requestId;
    let body: string | undefined = request.body;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] = 'application/json';
    } else if (request.form !== undefined) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(request.form)) if (v !== undefined) form.set(k, v);
      body = form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      const lower = name.toLowerCase();
      if (value === undefined) delete headers[lower];
      else headers[lower] = value;
    }
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    const startedAt = new Date();
    const started = performance.now();
    const record = (partial: Pick<Exchange, 'response' | 'error'>): Exchange => {
      const exchange = this.recordExchange(
        request,
        url,
        headers,
        body,
        requestId,
        startedAt,
        started,
        partial,
      );
      this.options.onExchange?.(exchange);
      return exchange;
    };
    let status: number;
    let responseHeaders: Record<string, string>;
    let responseBody: string;
    try {
      const response = await undiciRequest(url, {
        dispatcher: this.agent,
        method: request.method.toUpperCase() as 'GET',
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = response.statusCode;
      responseHeaders = flattenHeaders(response.headers);
      responseBody = await readCapped(response.body, this.options.maxResponseBytes);
    } catch (error) {
      const message = describeNetworkError(error, url, timeoutMs, this.options.maxResponseBytes);
      const exchange = record({ error: message.text });
      throw new HttpError(message.kind, message.text, exchange);
    }
    const exchange = record({ response: { status, headers: responseHeaders, body: responseBody } });
    return {
      status,
      headers: responseHeaders,
      body: responseBody,
      requestId,
      exchange,
      json<T>() {
        return JSON.parse(responseBody) as T;
      },
      header(name: string) {
        return responseHeaders[name.toLowerCase()];
      },
    };
  }

  private recordExchange(
    request: HttpRequest,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    requestId: string | undefined,
    startedAt: Date,
    started: number,
    partial: Pick<Exchange, 'response' | 'error'>,
  ): Exchange {
    const r = this.options.redactor;
    r.learnUrl(url);
    r.learn(body, headers['content-type']);
    if (partial.response) {
      r.learn(partial.response.body, partial.response.headers['content-type']);
      r.learnUrl(partial.response.headers.location);
    }
    const limit = this.options.maxRecordedBodyBytes ?? 256 * 1024;
    const keep = (text: string, contentType: string | undefined) => {
      const redacted = r.body(text, contentType);
      return redacted.length > limit
        ? `${redacted.slice(0, limit)}\n[... ${redacted.length - limit} more characters]`
        : redacted;
    };
    const exchange: Exchange = {
      id: ++this.sequence,
      label: request.label,
      requestId,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      request: {
        method: request.method.toUpperCase(),
        url: r.url(url),
        headers: r.headers(headers),
        body: body === undefined ? undefined : keep(body, headers['content-type']),
      },
    };
    if (partial.response) {
      exchange.response = {
        status: partial.response.status,
        headers: r.headers(partial.response.headers),
        body: keep(partial.response.body, partial.response.headers['content-type']),
      };
    }
    if (partial.error) exchange.error = r.text(partial.error);
    return exchange;
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(error?: Error): void },
  max: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      const error = new Error(`response body exceeds ${max} bytes`);
      error.name = 'ResponseTooLarge';
      body.destroy(error);
      throw error;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
