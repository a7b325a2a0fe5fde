import type { Exchange } from './exchange.ts';

export type NetworkFailure =
  | 'timeout'
  | 'tls'
  | 'connection-refused'
  | 'connection-reset'
  | 'too-large'
  | 'network';

/** A request that got no usable response; its message names the cause in a tester's words. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly kind: NetworkFailure,
    message: string,
    readonly exchange: Exchange,
  ) {
    super(message);
  }
}

export function describeNetworkError(
  error: unknown,
  url: string,
  timeoutMs: number,
  maxBytes: number,
): { kind: NetworkFailure; text: string } {
  const err = error as {
    name?: string;
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  const code = err.code ?? err.cause?.code ?? '';
  const message = err.message ?? String(error);
  const where = new URL(url).host;
  if (err.name === 'ResponseTooLarge' || message.includes('exceeds')) {
    return {
      kind: 'too-large',
      text: `response from ${where} exceeds the ${maxBytes}-byte cap; the body was cut off`,
    };
  }
  if (
    err.name === 'TimeoutError' ||
    err.name === 'AbortError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return {
      kind: 'timeout',
      text: `no complete response from ${where} within ${timeoutMs} ms (${code || err.name})`,
    };
  }
  if (code === 'ECONNREFUSED') return { kind: 'connection-refused', text: `connection to ${where} refused` };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return {
      kind: 'connection-reset',
      text: `connection to ${where} closed by the server (${code}: ${err.cause?.message ?? message}); under TLS 1.3 a refused client certificate looks like this`,
    };
  }
  if (/ssl|tls|certificate|handshake|alert|self.signed|CERT_|ERR_SSL/i.test(`${code} ${message}`)) {
    return { kind: 'tls', text: `TLS handshake with ${where} failed: ${code ? `${code} ` : ''}${message}` };
  }
  return { kind: 'network', text: `request to ${where} failed: ${code ? `${code} ` : ''}${message}` };
}
