import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { generateTestPki, type TestPki } from '../../sandbox/pki/test-pki.ts';
import { loadTlsMaterial } from '../../src/config/tls-material.ts';
import { HttpClient } from '../../src/http/client.ts';
import { HttpError } from '../../src/http/errors.ts';
import type { Exchange } from '../../src/http/exchange.ts';
import { Redactor } from '../../src/http/redact.ts';

let pki: TestPki;
let server: Server;
let baseUrl = '';
const seen: { url: string; headers: Record<string, unknown>; peer: string }[] = [];

before(async () => {
  pki = await generateTestPki(mkdtempSync(path.join(tmpdir(), 'psd2c-http-')));
  server = createServer(
    {
      cert: readFileSync(pki.server.cert),
      key: readFileSync(pki.server.key),
      ca: readFileSync(pki.ca),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? '';
      seen.push({ url: req.url ?? '', headers: req.headers, peer });
      if (req.url?.startsWith('/hang')) return;
      if (req.url?.startsWith('/big')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(Buffer.alloc(2 * 1024 * 1024, 'a'));
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-request-id': String(req.headers['x-request-id'] ?? ''),
        'set-cookie': 'sid=server-session-cookie; HttpOnly',
      });
      res.end(JSON.stringify({ access_token: 'token-from-server-123', ok: true }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

function client(
  overrides: Partial<ConstructorParameters<typeof HttpClient>[0]> = {},
  exchanges: Exchange[] = [],
) {
  return new HttpClient({
    baseUrl,
    tls: loadTlsMaterial({ cert: pki.clients.allRoles.cert, key: pki.clients.allRoles.key, ca: pki.ca }),
    timeoutMs: 2000,
    maxResponseBytes: 1024 * 1024,
    redactor: new Redactor(),
    onExchange: (e) => exchanges.push(e),
    ...overrides,
  });
}

describe('HTTP client over mTLS', () => {
  it('presents the client certificate, sends a UUID v4 X-Request-ID and explicit booleans', async () => {
    const http = client();
    const response = await http.send({
      method: 'GET',
      url: '/v1/accounts',
      query: { withBalance: true, deltaList: false },
    });
    await http.close();
    assert.equal(response.status, 200);
    const request = seen.at(-1);
    assert.equal(request?.peer, 'Conformance TPP (all roles)');
    assert.equal(request?.url, '/v1/accounts?withBalance=true&deltaList=false');
    assert.match(
      String(request?.headers['x-request-id']),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(response.requestId, request?.headers['x-request-id']);
  });

  it('uses a fresh X-Request-ID per request and can leave it out for negative checks', async () => {
    const http = client();
    const a = await http.send({ method: 'GET', url: '/a' });
    const b = await http.send({ method: 'GET', url: '/b' });
    await http.send({ method: 'GET', url: '/c', requestId: false });
    await http.close();
    assert.notEqual(a.requestId, b.requestId);
    assert.equal(seen.at(-1)?.headers['x-request-id'], undefined);
  });

  it('accepts the client certificate as PKCS#12 with a passphrase', async () => {
    const p12 = path.join(pki.dir, 'client.p12');
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      pki.clients.aisOnly.key,
      '-in',
      pki.clients.aisOnly.cert,
      '-out',
      p12,
      '-passout',
      'pass:pw',
    ]);
    const http = client({ tls: loadTlsMaterial({ pfx: p12, passphrase: 'pw', ca: pki.ca }) });
    await http.send({ method: 'GET', url: '/p12' });
    await http.close();
    assert.equal(seen.at(-1)?.peer, 'Conformance TPP (AIS only)');
  });

  it('records every exchange with secrets redacted', async () => {
    const exchanges: Exchange[] = [];
    const http = client({}, exchanges);
    await http.send({
      method: 'POST',
      url: '/token',
      headers: { authorization: 'Bearer my-access-token-abcdef', 'api-key': 'consumer-key-123456' },
      form: { grant_type: 'client_credentials', client_secret: 'client-secret-987654' },
    });
    await http.close();
    const recorded = JSON.stringify(exchanges);
    for (const secret of [
      'my-access-token-abcdef',
      'consumer-key-123456',
      'client-secret-987654',
      'token-from-server-123',
      'server-session-cookie',
    ]) {
      assert.ok(!recorded.includes(secret), `${secret} leaked: ${recorded}`);
    }
    assert.equal(exchanges[0]?.response?.status, 200);
    assert.equal(exchanges[0]?.request.method, 'POST');
  });

  it('gives up on a server that never answers, within the timeout, naming the cause', async () => {
    const exchanges: Exchange[] = [];
    const http = client({ timeoutMs: 300 }, exchanges);
    const started = Date.now();
    await assert.rejects(http.send({ method: 'GET', url: '/hang' }), (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /within 300 ms/);
      return true;
    });
    assert.ok(Date.now() - started < 2000);
    assert.match(exchanges[0]?.error ?? '', /within 300 ms/);
    await http.close();
  });

  it('cuts off a response larger than the cap', async () => {
    const http = client();
    await assert.rejects(http.send({ method: 'GET', url: '/big' }), (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.kind, 'too-large');
      return true;
    });
    await http.close();
  });

  it('fails the handshake when the server is below the minimum TLS version', async () => {
    const http = client({ connect: { minVersion: 'TLSv1.3' } });
    await assert.rejects(http.send({ method: 'GET', url: '/' }), (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.kind, 'tls');
      return true;
    });
    await http.close();
  });

  it('fails when the server certificate is not signed by the configured CA', async () => {
    const http = client({ tls: { minVersion: 'TLSv1.2' } });
    await assert.rejects(http.send({ method: 'GET', url: '/' }), (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.kind, 'tls');
      return true;
    });
    await http.close();
  });
});
