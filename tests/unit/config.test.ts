import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { createCa, issue, privateKeyPem } from '../../sandbox/pki/test-pki.ts';
import { loadConfig } from '../../src/config/load.ts';
import { loadTlsMaterial } from '../../src/config/tls-material.ts';
import { UsageError } from '../../src/errors.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'psd2c-config-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), `one line expected: ${error.message}`);
    return true;
  });
}

const DAY = 86_400_000;
let certFile = '';
let keyFile = '';
let otherKeyFile = '';
let expiredCert = '';
let expiredCaFile = '';

before(async () => {
  const now = Date.now();
  const ca = await createCa('CN=Test CA', new Date(now - DAY), new Date(now + 30 * DAY));
  const leaf = await issue(ca, 'CN=tpp', new Date(now - DAY), new Date(now + 30 * DAY), {});
  const other = await issue(ca, 'CN=other', new Date(now - DAY), new Date(now + 30 * DAY), {});
  const old = await issue(ca, 'CN=old', new Date(now - 90 * DAY), new Date(now - 30 * DAY), {});
  const oldCa = await createCa('CN=Old CA', new Date(now - 90 * DAY), new Date(now - DAY));
  certFile = file('tpp.pem', leaf.cert.toString('pem'));
  keyFile = file('tpp-key.pem', await privateKeyPem(leaf.keys.privateKey));
  otherKeyFile = file('other-key.pem', await privateKeyPem(other.keys.privateKey));
  expiredCert = file('old.pem', old.cert.toString('pem'));
  expiredCaFile = file('old-ca.pem', oldCa.cert.toString('pem'));
  file('ca.pem', ca.cert.toString('pem'));
});

describe('configuration file and environment', () => {
  it('reads the file, resolves paths against its folder, and lets the environment override', () => {
    const config = file(
      'ok.yaml',
      'profile: berlin-group\ntarget:\n  baseUrl: https://bank.example/psd2\ntls:\n  ca: ca.pem\n',
    );
    const loaded = loadConfig({ file: config, env: { PSD2_PROFILE: 'mypos', PSD2_CLIENT_ID: 'tpp-1' } });
    assert.equal(loaded.profile, 'mypos');
    assert.equal(loaded.client.clientId, 'tpp-1');
    assert.equal(loaded.target.baseUrl, 'https://bank.example/psd2');
    assert.equal(loaded.tls.ca, path.join(dir, 'ca.pem'));
    assert.equal(loaded.http.timeoutMs, 15000);
  });

  it('works with no file at all', () => {
    const loaded = loadConfig({ cwd: dir, env: {} });
    assert.equal(loaded.file, undefined);
    assert.equal(loaded.target.baseUrl, undefined);
  });

  const cases: [string, string, Record<string, string>, RegExp][] = [
    ['a --config file that is missing', '', {}, /does not exist/],
    ['invalid YAML', 'target: [unclosed', {}, /not valid YAML/],
    ['a list at the top', '- a\n- b', {}, /must hold a mapping/],
    [
      'an unknown top-level key',
      'targte:\n  baseUrl: https://x.example',
      {},
      /unknown config key "targte".*did you mean "target"/,
    ],
    [
      'an unknown nested key',
      'target:\n  baseURL: https://x.example',
      {},
      /unknown config key "target.baseURL".*did you mean "baseUrl"/,
    ],
    ['a malformed base URL', 'target:\n  baseUrl: not a url', {}, /target.baseUrl.*absolute URL/],
    [
      'a malformed URL from the environment',
      'profile: sandbox',
      { PSD2_TOKEN_URL: 'token' },
      /PSD2_TOKEN_URL.*absolute URL/,
    ],
    [
      'an unknown auth method',
      'client:\n  authMethod: private_key_jwt',
      {},
      /client.authMethod.*client_secret_post/,
    ],
    ['a string timeout', 'http:\n  timeoutMs: soon', {}, /http.timeoutMs.*integer/],
    ['an old TLS version', 'tls:\n  minVersion: TLSv1.1', {}, /tls.minVersion.*TLSv1.2/],
  ];
  for (const [name, yaml, env, pattern] of cases) {
    it(`refuses ${name} with one line`, () => {
      const config = yaml ? file(`${name.replaceAll(' ', '-')}.yaml`, yaml) : path.join(dir, 'missing.yaml');
      rejects(() => loadConfig({ file: config, env }), pattern);
    });
  }
});

describe('certificates', () => {
  it('accepts a matching certificate and key with their CA', () => {
    const material = loadTlsMaterial({ cert: certFile, key: keyFile, ca: path.join(dir, 'ca.pem') });
    assert.ok(material.cert && material.key && material.ca);
    assert.equal(material.minVersion, 'TLSv1.2');
  });

  const cases: [string, () => Parameters<typeof loadTlsMaterial>[0], RegExp][] = [
    [
      'a missing certificate file',
      () => ({ cert: path.join(dir, 'nope.pem'), key: keyFile }),
      /tls.cert .* cannot be read/,
    ],
    ['a certificate without its key', () => ({ cert: certFile }), /tls.key is missing/],
    ['a key without its certificate', () => ({ key: keyFile }), /tls.cert is missing/],
    [
      "a key that is not the certificate's",
      () => ({ cert: certFile, key: otherKeyFile }),
      /does not belong to/,
    ],
    [
      'a certificate that is not PEM',
      () => ({ cert: file('junk.pem', 'hello'), key: keyFile }),
      /not an X.509 certificate/,
    ],
    [
      'a key that is not a key',
      () => ({ cert: certFile, key: file('junk-key.pem', 'hello') }),
      /not a private key/,
    ],
    ['an expired client certificate', () => ({ cert: expiredCert, key: keyFile }), /expired on/],
    ['an expired CA', () => ({ ca: expiredCaFile }), /tls.ca .*expired on/],
    [
      'a CA file without certificates',
      () => ({ ca: file('empty-ca.pem', 'nothing') }),
      /holds no PEM certificate/,
    ],
    ['both a PKCS#12 and a PEM pair', () => ({ pfx: certFile, cert: certFile, key: keyFile }), /not both/],
  ];
  for (const [name, tls, pattern] of cases) {
    it(`refuses ${name} with one line`, () => rejects(() => loadTlsMaterial(tls()), pattern));
  }

  it('tells an encrypted key without passphrase from a wrong passphrase', async () => {
    const { createPrivateKey } = await import('node:crypto');
    const { readFileSync } = await import('node:fs');
    const encrypted = createPrivateKey(readFileSync(keyFile)).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'right-passphrase',
    });
    const encryptedFile = file('enc-key.pem', encrypted.toString());
    rejects(
      () => loadTlsMaterial({ cert: certFile, key: encryptedFile }),
      /is encrypted: set tls.passphrase/,
    );
    rejects(
      () => loadTlsMaterial({ cert: certFile, key: encryptedFile, passphrase: 'wrong' }),
      /passphrase is wrong/,
    );
    assert.ok(loadTlsMaterial({ cert: certFile, key: encryptedFile, passphrase: 'right-passphrase' }).key);
  });

  it('checks PKCS#12 files: wrong passphrase, no key, and a good one', async () => {
    const { execFileSync } = await import('node:child_process');
    const p12 = path.join(dir, 'ok.p12');
    const noKey = path.join(dir, 'nokey.p12');
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      keyFile,
      '-in',
      certFile,
      '-out',
      p12,
      '-passout',
      'pass:pw',
    ]);
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-nokeys',
      '-in',
      certFile,
      '-out',
      noKey,
      '-passout',
      'pass:pw',
    ]);
    rejects(() => loadTlsMaterial({ pfx: p12, passphrase: 'bad' }), /passphrase is wrong/);
    rejects(() => loadTlsMaterial({ pfx: noKey, passphrase: 'pw' }), /holds no private key/);
    assert.ok(loadTlsMaterial({ pfx: p12, passphrase: 'pw' }).pfx);
    copyFileSync(certFile, path.join(dir, 'not.p12'));
    rejects(() => loadTlsMaterial({ pfx: path.join(dir, 'not.p12') }), /PKCS#12/);
  });
});
