import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { createCa, ensureTestPki, type TestPki } from '../../sandbox/pki/test-pki.ts';
import { DEFAULT_CACHE_DIR } from '../../sandbox/start.ts';
import { packagePath } from '../../src/paths.ts';
import { cli, tempDir } from '../suite/helpers.ts';

const dir = tempDir('psd2c-bad-input-');
let pki: TestPki;
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** A complete, valid configuration of a (not running) target; each case breaks one thing in it. */
function config(overrides: (c: Record<string, Record<string, unknown>>) => void): string {
  const c: Record<string, Record<string, unknown>> = {
    target: { baseUrl: 'https://127.0.0.1:9/psd2', tokenUrl: 'https://127.0.0.1:9/oauth/token' },
    client: { clientId: 'tpp', clientSecret: 'secret-123456', redirectUri: 'https://127.0.0.1/cb' },
    tls: { cert: pki.clients.allRoles.cert, key: pki.clients.allRoles.key, ca: pki.ca },
    psu: { id: 'psu', password: 'password-123' },
  };
  overrides(c);
  return file(`config-${Math.random().toString(36).slice(2)}.yaml`, stringify(c));
}

before(async () => {
  pki = await ensureTestPki(DEFAULT_CACHE_DIR);
});

type Case = [
  name: string,
  args: () => string[] | Promise<string[]>,
  line: RegExp,
  env?: Record<string, string>,
];

const CASES: Case[] = [
  [
    '--no-token-endpoint without a token to stand in for it',
    () => ['run', '--config', config(() => {}), '--no-token-endpoint'],
    /partial\.noTokenEndpoint needs an access token/,
  ],
  [
    "a deviation's explains that is not a regular expression",
    () => [
      'run',
      '--profile',
      file(
        'bad-explains.yaml',
        `${readFileSync(packagePath('profiles/berlin-group.yaml'), 'utf8').replace('deviations: []', 'deviations:\n  - check: CON-001\n    reason: r\n    source: s\n    explains: "([a-z"')}`,
      ),
    ],
    /deviations\.0\.explains: not a regular expression/,
  ],
  [
    'a --config file that does not exist',
    () => ['run', '--config', path.join(dir, 'nope.yaml')],
    /config file .*nope\.yaml does not exist/,
  ],
  [
    'a config with three problems: all of them on one line',
    () => [
      'run',
      '--config',
      file('three.yaml', 'target:\n  baseUrl: nope\n  bogus: 1\nclient:\n  authMethod: magic\n'),
    ],
    /3 problems: unknown config key "target\.bogus".*; config key "target\.baseUrl".* must be an absolute URL.*; config key "client\.authMethod".* must be one of client_secret_post, client_secret_basic/,
  ],
  [
    'a profile with two problems: both on one line',
    () => [
      'run',
      '--profile',
      file(
        'two-problems.yaml',
        readFileSync(packagePath('profiles/berlin-group.yaml'), 'utf8')
          .replace('scaLink: scaRedirect', 'scaLink: scaPopup')
          .replace('timeoutMs: 60000', 'timeoutMs: 60000\n  colour: red'),
      ),
    ],
    /2 problems: .*capabilities\.scaLink: must be one of scaRedirect.*; sca: unknown key "colour"/,
  ],
  [
    'an --access-token-file that cannot be read',
    () => ['run', '--access-token-file', path.join(dir, 'no-token.txt')],
    /--access-token-file .*no-token\.txt cannot be read/,
  ],
  [
    'an --evidence that is neither failures nor all',
    () => ['run', '--evidence', 'some'],
    /--evidence is failures or all, got "some"/,
  ],
  [
    'sca-try with a decision that is neither approve nor decline',
    () => ['sca-try', '--decision', 'maybe'],
    /--decision is approve or decline, got "maybe"/,
  ],
  [
    'certify-tpp with a level it does not know',
    () => ['certify-tpp', '--level', 'everything'],
    /unknown level "everything": choose one of ais, pis, full/,
  ],
  [
    'certify-tpp with a redirect URI that is not https',
    () => ['certify-tpp', '--redirect-uri', 'http://tpp.example/callback'],
    /--redirect-uri http:\/\/tpp\.example\/callback is not an https URL without a fragment/,
  ],
  [
    'certify-tpp with an --idle-exit that is not a number of seconds',
    () => ['certify-tpp', '--idle-exit', 'soon'],
    /--idle-exit must be a whole number/,
  ],
  [
    'a config that is not YAML',
    () => ['run', '--config', file('broken.yaml', 'target: [oops')],
    /is not valid YAML/,
  ],
  [
    'an unknown config key',
    () => ['run', '--config', file('typo.yaml', 'target:\n  baseURL: https://x.example\n')],
    /unknown config key "target\.baseURL".*did you mean "baseUrl"/,
  ],
  [
    'a malformed base URL',
    () => [
      'run',
      '--config',
      config((c) => {
        c.target = { ...c.target, baseUrl: 'bank.example' };
      }),
    ],
    /target\.baseUrl.*absolute URL/,
  ],
  [
    'a malformed token URL from the environment',
    () => ['run', '--config', config(() => {})],
    /PSD2_TOKEN_URL.*absolute URL/,
    { PSD2_TOKEN_URL: 'token' },
  ],
  [
    'a target without client id',
    () => [
      'run',
      '--config',
      config((c) => {
        c.client = { ...c.client, clientId: undefined };
      }),
    ],
    /client\.clientId is not set.*PSD2_CLIENT_ID/,
  ],
  [
    'a certificate file that does not exist',
    () => [
      'run',
      '--config',
      config((c) => {
        c.tls = { ...c.tls, cert: path.join(dir, 'missing.pem') };
      }),
    ],
    /tls\.cert .* cannot be read/,
  ],
  [
    'a certificate that is not PEM',
    () => [
      'run',
      '--config',
      config((c) => {
        c.tls = { ...c.tls, cert: file('junk.pem', 'junk') };
      }),
    ],
    /not an X\.509 certificate/,
  ],
  [
    'a key that does not match the certificate',
    () => [
      'run',
      '--config',
      config((c) => {
        c.tls = { ...c.tls, key: pki.clients.aisOnly.key };
      }),
    ],
    /does not belong to tls\.cert/,
  ],
  [
    'an encrypted key with the wrong passphrase',
    async () => {
      const encrypted = createPrivateKey(readFileSync(pki.clients.allRoles.key)).export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'right',
      });
      const key = file('enc.pem', encrypted.toString());
      return [
        'run',
        '--config',
        config((c) => {
          c.tls = { ...c.tls, key, passphrase: 'wrong' };
        }),
      ];
    },
    /passphrase is wrong/,
  ],
  [
    'a PKCS#12 file with the wrong passphrase',
    () => {
      const p12 = path.join(dir, 'client.p12');
      execFileSync('openssl', [
        'pkcs12',
        '-export',
        '-inkey',
        pki.clients.allRoles.key,
        '-in',
        pki.clients.allRoles.cert,
        '-out',
        p12,
        '-passout',
        'pass:right',
      ]);
      return [
        'run',
        '--config',
        config((c) => {
          c.tls = { pfx: p12, passphrase: 'wrong', ca: pki.ca };
        }),
      ];
    },
    /tls\.pfx .*passphrase is wrong/,
  ],
  [
    'a PKCS#12 file without a key',
    () => {
      const p12 = path.join(dir, 'nokey.p12');
      execFileSync('openssl', [
        'pkcs12',
        '-export',
        '-nokeys',
        '-in',
        pki.clients.allRoles.cert,
        '-out',
        p12,
        '-passout',
        'pass:pw',
      ]);
      return [
        'run',
        '--config',
        config((c) => {
          c.tls = { pfx: p12, passphrase: 'pw', ca: pki.ca };
        }),
      ];
    },
    /holds no private key/,
  ],
  [
    'an expired CA',
    async () => {
      const old = await createCa(
        'CN=Expired CA',
        new Date(Date.now() - 90 * 86_400_000),
        new Date(Date.now() - 86_400_000),
      );
      const ca = file('expired-ca.pem', old.cert.toString('pem'));
      return [
        'run',
        '--config',
        config((c) => {
          c.tls = { ...c.tls, ca };
        }),
      ];
    },
    /tls\.ca .*expired on/,
  ],
  [
    'an expired client certificate',
    () => [
      'run',
      '--config',
      config((c) => {
        c.tls = { ...c.tls, cert: pki.clients.expired.cert, key: pki.clients.expired.key };
      }),
    ],
    /tls\.cert .*expired on/,
  ],
  ['an unknown profile', () => ['run', '--profile', 'hsbc'], /profile "hsbc" not found/],
  [
    'a profile with an unknown key',
    () => [
      'run',
      '--profile',
      file(
        'p.yaml',
        'name: x\ncontracts: [openapi/xs2a.yaml]\ncapabilities: {scaLink: scaRedirect, paymentProducts: []}\nsca: {steps: [], decisions: {approve: a, decline: b}}\ndeviations: []\ncolour: red\n',
      ),
    ],
    /unknown key "colour"/,
  ],
  [
    'a waiver file that does not exist',
    () => ['run', '--waivers', path.join(dir, 'no-waivers.yaml')],
    /waiver file .* does not exist/,
  ],
  [
    'a waiver without owner',
    () => [
      'run',
      '--waivers',
      file('w.yaml', 'waivers:\n  - check: CON-003\n    reason: known\n    expires: 2027-01-01\n'),
    ],
    /needs "owner"/,
  ],
  [
    'an unknown sandbox fault',
    () => ['run', '--faults', 'consent-is-wrong'],
    /unknown fault consent-is-wrong/,
  ],
  [
    'a malformed --shard',
    () => ['run', '--shard', 'two'],
    /--shard must be i\/n with 1 <= i <= n .*got "two"/,
  ],
  ['--workers 0', () => ['run', '--workers', '0'], /--workers must be a whole number from 1 to 64/],
  ['an invalid --grep', () => ['run', '--grep', '(unclosed'], /--grep .* is not a valid regular expression/],
  [
    'a --grep that selects no check',
    () => ['run', '--grep', 'NO-SUCH-CHECK'],
    /--grep "NO-SUCH-CHECK" selects no check/,
  ],
  ['list with a --grep that selects no check', () => ['list', '--grep', 'NO-SUCH-CHECK'], /selects no check/],
  ['an unknown flag', () => ['run', '--colour'], /Unknown option '--colour'/],
  ['an unknown command', () => ['certify'], /unknown command "certify"/],
  [
    'a contract that is not YAML',
    () => [
      'validate',
      '--operation',
      'x',
      '--status',
      '200',
      '--contract',
      file('c.yaml', 'openapi: [3'),
      '-',
    ],
    /contract .* is not valid YAML/,
  ],
  [
    'a contract that is not OpenAPI 3.0',
    () => [
      'validate',
      '--operation',
      'x',
      '--status',
      '200',
      '--contract',
      file('swagger.yaml', 'swagger: "2.0"\npaths: {}\n'),
      '-',
    ],
    /is not an OpenAPI 3\.0 document/,
  ],
  [
    'a sandbox port out of range',
    () => ['sandbox', '--port', '99999'],
    /--port must be a whole number from 0 to 65535/,
  ],
  [
    'a browser path that does not exist',
    () => ['run', '--config', file('b.yaml', 'browser:\n  executablePath: /nope/chromium\n')],
    /browser \/nope\/chromium does not exist/,
  ],
];

describe('bad input: exit 2 and one clear line, no stack trace', () => {
  it('has at least 20 cases', () => assert.ok(CASES.length >= 20));
  for (const [name, args, line, env] of CASES) {
    it(name, async () => {
      const r = await cli(await args(), { env: env ?? {}, cwd: dir, timeoutMs: 60_000 });
      assert.equal(r.code, 2, `exit ${r.code}: ${r.stderr}${r.stdout.slice(-500)}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', line);
      assert.doesNotMatch(r.stderr, /\n\s+at |Error:/);
    });
  }
});
