import { type ConnectionOptions, connect } from 'node:tls';

export interface HandshakeResult {
  ok: boolean;
  protocol: string | undefined;
  error: string | undefined;
}

/** One TLS handshake, nothing sent: did the server accept it? Bounded by `timeoutMs`. */
export function tlsHandshake(
  url: string,
  options: ConnectionOptions,
  timeoutMs = 5000,
): Promise<HandshakeResult> {
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port: Number(port || 443),
      servername: isIp(host) ? undefined : host,
      ...options,
    });
    const done = (result: HandshakeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => done({ ok: false, protocol: undefined, error: `no handshake within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.once('secureConnect', () =>
      done({ ok: true, protocol: socket.getProtocol() ?? undefined, error: undefined }),
    );
    socket.once('error', (error) => done({ ok: false, protocol: undefined, error: error.message }));
  });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
