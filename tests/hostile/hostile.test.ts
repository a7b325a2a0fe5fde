import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { ensureTestPki, type TestPki } from '../../sandbox/pki/test-pki.ts';
import { DEFAULT_CACHE_DIR } from '../../sandbox/start.ts';
import { packagePath } from '../../src/paths.ts';
import { cli, readSummary, tempDir } from '../suite/helpers.ts';
import { type HostileMode, startHostile } from './server.ts';

/** The bound the README states for a run against a misbehaving target with these time limits. */
const HTTP_TIMEOUT_MS = 2000;
const SCA_TIMEOUT_MS = 5000;
const RUN_BOUND_S = 90;

const CASES: { mode: HostileMode; grep: string; failed: string; cause: RegExp }[] = [
  {
    mode: 'hang-headers',
    grep: 'CON-001$|CON-001 ',
    failed: 'CON-001',
    cause: /no complete response from 127\.0\.0\.1:\d+ within 2000 ms/,
  },
  { mode: 'hang-body', grep: 'CON-001 ', failed: 'CON-001', cause: /no complete response .* within 2000 ms/ },
  {
    mode: 'reset',
    grep: 'CON-001 ',
    failed: 'CON-001',
    cause: /closed by the server|socket hang up|ECONNRESET/,
  },
  { mode: 'html-500', grep: 'CON-001 ', failed: 'CON-001', cause: /HTTP 500 text\/html/ },
  {
    mode: 'html-503',
    grep: 'CTR-001 ',
    failed: 'CTR-001',
    cause: /HTTP 503 is not a declared response|HTTP 503/,
  },
  { mode: 'malformed-json', grep: 'CTR-001 ', failed: 'CTR-001', cause: /not valid JSON/ },
  { mode: 'huge-body', grep: 'CON-001 ', failed: 'CON-001', cause: /exceeds the \d+-byte cap/ },
  {
    mode: 'wrong-content-type',
    grep: 'CTR-001 ',
    failed: 'CTR-001',
    cause: /Content-Type "text\/plain" is not declared/,
  },
  {
    mode: 'tls-fail',
    grep: 'OAU-001 ',
    failed: 'OAU-001',
    cause: /TLS handshake with 127\.0\.0\.1:\d+ failed/,
  },
  {
    mode: 'sca-never-redirects',
    grep: 'SCA-002 ',
    failed: 'SCA-002',
    cause: /did not redirect to .* within 5000 ms/,
  },
  { mode: 'redirect-loop', grep: 'SCA-002 ', failed: 'SCA-002', cause: /ERR_TOO_MANY_REDIRECTS/ },
  { mode: 'foreign-redirect', grep: 'SCA-002 ', failed: 'SCA-002', cause: /foreign host 127\.0\.0\.2/ },
  {
    mode: 'token-html',
    grep: 'OAU-005 |CON-001 ',
    failed: 'OAU-005',
    cause: /text\/html.*Maintenance/s,
  },
];

let pki: TestPki;
before(async () => {
  pki = await ensureTestPki(DEFAULT_CACHE_DIR);
});

function configFor(dir: string, baseUrl: string): string {
  const profile = path.join(dir, 'profile.yaml');
  writeFileSync(
    profile,
    readFileSync(packagePath('profiles/sandbox.yaml'), 'utf8').replace(
      'timeoutMs: 20000',
      `timeoutMs: ${SCA_TIMEOUT_MS}`,
    ),
  );
  const file = path.join(dir, 'psd2-conformance.yaml');
  writeFileSync(
    file,
    stringify({
      profile,
      target: { baseUrl, tokenUrl: `${baseUrl}/oauth/token` },
      client: {
        clientId: 'hostile-client',
        clientSecret: 'hostile-secret-123',
        redirectUri: `${baseUrl}/tpp/callback`,
      },
      tls: { cert: pki.clients.allRoles.cert, key: pki.clients.allRoles.key, ca: pki.ca },
      psu: { id: 'psu', password: 'psu-password-123' },
      http: { timeoutMs: HTTP_TIMEOUT_MS },
    }),
  );
  return file;
}

describe('hostile targets: bounded runs, failed checks naming the cause, no crash', () => {
  for (const c of CASES) {
    it(`${c.mode}: ${c.failed} fails naming the cause, exit 1, within ${RUN_BOUND_S} s`, async () => {
      const server = await startHostile(c.mode, pki);
      const dir = tempDir(`psd2c-hostile-${c.mode}-`);
      try {
        const r = await cli(
          [
            'run',
            '--config',
            configFor(dir, server.baseUrl),
            '--reports-dir',
            path.join(dir, 'reports'),
            '--grep',
            c.grep,
          ],
          {
            timeoutMs: RUN_BOUND_S * 1000,
          },
        );
        assert.equal(r.code, 1, `exit ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-1000)}`);
        assert.ok(r.seconds < RUN_BOUND_S, `${r.seconds} s`);
        const verdict = readSummary(path.join(dir, 'reports')).checks.find((v) => v.id === c.failed);
        assert.equal(verdict?.verdict, 'failed', JSON.stringify(verdict));
        assert.match(verdict?.message ?? '', c.cause);
        assert.doesNotMatch(r.stderr, /internal error|Unhandled|TypeError/);
      } finally {
        await server.close();
      }
    });
  }

  it('an unreachable target: exit 3 with one line, at once', async () => {
    const dir = tempDir('psd2c-unreachable-');
    const r = await cli([
      'run',
      '--config',
      configFor(dir, 'https://127.0.0.1:9'),
      '--reports-dir',
      path.join(dir, 'reports'),
    ]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /^psd2-conformance run: target https:\/\/127\.0\.0\.1:9 is unreachable/);
    assert.ok(r.seconds < 15);
  });
});
