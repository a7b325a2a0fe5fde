import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TestPki } from '../../sandbox/pki/test-pki.ts';

export type HostileMode =
  | 'hang-headers'
  | 'hang-body'
  | 'reset'
  | 'html-500'
  | 'html-503'
  | 'malformed-json'
  | 'huge-body'
  | 'wrong-content-type'
  | 'tls-fail'
  | 'sca-never-redirects'
  | 'redirect-loop'
  | 'foreign-redirect'
  | 'token-html';

export interface HostileServer {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A target that misbehaves in one way, on loopback. The token endpoint works unless the mode is about
 * it, so that the failure reaches the XS2A calls and the SCA pages. Every connection is closed on stop.
 */
export async function startHostile(
  mode: HostileMode,
  pki: TestPki,
  host = '127.0.0.1',
): Promise<HostileServer> {
  const sockets = new Set<Duplex>();
  const tls =
    mode === 'tls-fail'
      ? { cert: readFileSync(pki.clients.untrusted.cert), key: readFileSync(pki.clients.untrusted.key) }
      : { cert: readFileSync(pki.server.cert), key: readFileSync(pki.server.key) };
  let baseUrl = '';
  const server: Server = createServer({ ...tls, minVersion: 'TLSv1.2' }, (req, res) => {
    const url = req.url ?? '/';
    // The headers of a 201, so that what breaks is the body and nothing before it.
    const created = (method: string | undefined): Record<string, string> => ({
      'x-request-id': String(req.headers['x-request-id'] ?? randomUUID()),
      ...(method === 'POST' ? { location: `${url}/x`, 'aspsp-sca-approach': 'REDIRECT' } : {}),
    });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-request-id': String(req.headers['x-request-id'] ?? randomUUID()),
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    if (url.startsWith('/oauth/token')) {
      if (mode === 'token-html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Maintenance</body></html>');
        return;
      }
      json(
        200,
        { access_token: `hostile-${randomUUID()}`, token_type: 'Bearer', expires_in: 300 },
        { 'cache-control': 'no-store' },
      );
      return;
    }
    if (url.startsWith('/sca/loop')) {
      res.writeHead(302, { location: '/sca/loop' });
      res.end();
      return;
    }
    if (url.startsWith('/sca/foreign')) {
      res.writeHead(302, { location: `https://127.0.0.2:${new URL(baseUrl).port}/elsewhere` });
      res.end();
      return;
    }
    if (url.startsWith('/sca/oauth/authorize')) {
      // Pages the profile's steps find (the sandbox's login and review), whose buttons lead nowhere.
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        '<html><body><input id="psu-id"><input id="psu-password" type="password"><button id="login" type="button">Log in</button>' +
          '<input type="checkbox" name="account"><button id="approve" type="button">Approve</button><button id="decline" type="button">Decline</button></body></html>',
      );
      return;
    }
    if (url.startsWith('/sca/')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body><h1>Please wait</h1><p>Nothing will happen here.</p></body></html>');
      return;
    }
    const scaPage =
      mode === 'redirect-loop'
        ? '/sca/loop'
        : mode === 'foreign-redirect'
          ? '/sca/foreign'
          : mode === 'sca-never-redirects'
            ? '/sca/oauth/authorize'
            : '';
    if (scaPage && req.method === 'POST' && url.startsWith('/v1/')) {
      const id = randomUUID();
      json(
        201,
        {
          consentStatus: 'received',
          consentId: id,
          paymentId: id,
          transactionStatus: 'RCVD',
          _links: { scaRedirect: { href: `${baseUrl}${scaPage}` } },
        },
        { location: `${url}/${id}`, 'aspsp-sca-approach': 'REDIRECT' },
      );
      return;
    }
    switch (mode) {
      case 'hang-headers':
        return;
      case 'hang-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"accounts": [');
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'html-500':
      case 'html-503':
        res.writeHead(mode === 'html-500' ? 500 : 503, { 'content-type': 'text/html' });
        res.end('<html><body><h1>Internal Server Error</h1></body></html>');
        return;
      case 'malformed-json':
        res.writeHead(req.method === 'POST' ? 201 : 200, {
          ...created(req.method),
          'content-type': 'application/json',
        });
        res.end('{"consentStatus": "received", "consentId": ');
        return;
      case 'huge-body': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 50 && res.write(chunk)) sent++;
          if (sent < 50) res.once('drain', pump);
          else res.end();
        };
        pump();
        return;
      }
      case 'wrong-content-type':
        res.writeHead(req.method === 'POST' ? 201 : 200, {
          ...created(req.method),
          'content-type': 'text/plain',
        });
        res.end('consentStatus=received');
        return;
      default:
        json(404, { tppMessages: [{ category: 'ERROR', code: 'RESOURCE_UNKNOWN' }] });
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  baseUrl = `https://${host}:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
