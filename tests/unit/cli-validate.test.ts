import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { packagePath } from '../../src/paths.ts';
import { REQUEST_ID } from '../fixtures/examples.ts';

function validate(args: string[], body: unknown) {
  const result = spawnSync(
    process.execPath,
    [packagePath('bin/psd2-conformance.js'), 'validate', ...args, '-'],
    {
      input: typeof body === 'string' ? body : JSON.stringify(body),
      encoding: 'utf8',
    },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const H = (name: string, value: string) => ['-H', `${name}: ${value}`];
const consentHeaders = [
  ...H('X-Request-ID', REQUEST_ID),
  ...H('Location', '/v1/consents/c1'),
  ...H('ASPSP-SCA-Approach', 'REDIRECT'),
];
const consent = {
  consentStatus: 'received',
  consentId: 'c1',
  _links: { scaRedirect: { href: 'https://bank.example/sca' } },
};
const balances = {
  balances: [{ balanceAmount: { currency: 'EUR', amount: '12.50' }, balanceType: 'closingBooked' }],
};

describe('psd2-conformance validate', () => {
  it('accepts a correct Berlin Group consent response: exit 0, no output', () => {
    const r = validate(['--operation', 'createConsent', '--status', '201', ...consentHeaders], consent);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(r.out, '');
  });

  const rejections: [string, string[], unknown, string][] = [
    [
      'a missing required field',
      ['--operation', 'getBalances', '--status', '200', ...H('X-Request-ID', REQUEST_ID)],
      { balances: [{ balanceAmount: { currency: 'EUR', amount: '1.00' } }] },
      'body /balances/0/balanceType',
    ],
    [
      'consentStatus "Valid"',
      ['--operation', 'getConsentStatus', '--status', '200', ...H('X-Request-ID', REQUEST_ID)],
      { consentStatus: 'Valid' },
      'body /consentStatus',
    ],
    [
      'an amount given as a JSON number',
      ['--operation', 'getBalances', '--status', '200', ...H('X-Request-ID', REQUEST_ID)],
      { balances: [{ balanceAmount: { currency: 'EUR', amount: 12.5 }, balanceType: 'expected' }] },
      'body /balances/0/balanceAmount/amount',
    ],
    [
      'a currency "xx EUR yy"',
      ['--operation', 'getBalances', '--status', '200', ...H('X-Request-ID', REQUEST_ID)],
      { balances: [{ balanceAmount: { currency: 'xx EUR yy', amount: '1.00' }, balanceType: 'expected' }] },
      'body /balances/0/balanceAmount/currency',
    ],
    [
      'a 403 AIS error with FORMAT_ERROR',
      ['--operation', 'getAccountList', '--status', '403', ...H('X-Request-ID', REQUEST_ID)],
      { tppMessages: [{ category: 'ERROR', code: 'FORMAT_ERROR' }] },
      'body /tppMessages/0/code',
    ],
    [
      'a 201 consent response without Location',
      [
        '--operation',
        'createConsent',
        '--status',
        '201',
        ...H('X-Request-ID', REQUEST_ID),
        ...H('ASPSP-SCA-Approach', 'REDIRECT'),
      ],
      consent,
      'header /Location',
    ],
  ];
  for (const [name, args, body, pointer] of rejections) {
    it(`rejects ${name}: exit 1, a line naming ${pointer}`, () => {
      const r = validate(args, body);
      assert.equal(r.code, 1, r.out + r.err);
      const lines = r.out.trim().split('\n');
      assert.equal(lines.length, 1, r.out);
      assert.ok(lines[0]?.startsWith(`${pointer}:`), r.out);
      assert.match(lines[0] ?? '', /\[openapi\/xs2a\.yaml#\/.+\]$/);
    });
  }

  it('validates a request body with --request', () => {
    const good = validate(
      ['--operation', 'checkAvailabilityOfFunds', '--request', ...H('X-Request-ID', REQUEST_ID)],
      {
        account: { iban: 'DE2310010010123456789' },
        instructedAmount: { currency: 'EUR', amount: '10.00' },
      },
    );
    assert.equal(good.code, 0, good.out + good.err);
    const bad = validate(['--operation', 'checkAvailabilityOfFunds', '--request', '--body-only'], {
      account: {},
    });
    assert.equal(bad.code, 1);
    assert.match(bad.out, /^body \/instructedAmount: is required/m);
  });

  it('checks the body alone with --body-only', () => {
    const r = validate(['--operation', 'getBalances', '--status', '200', '--body-only'], balances);
    assert.equal(r.code, 0, r.out + r.err);
  });

  const usage: [string, string[], RegExp][] = [
    ['no --operation', ['--status', '200'], /--operation is required/],
    [
      'an unknown operation',
      ['--operation', 'getAccounts', '--status', '200'],
      /unknown operation "getAccounts"/,
    ],
    [
      'a status that is not a number',
      ['--operation', 'getAccountList', '--status', 'ok'],
      /--status must be a whole number/,
    ],
    [
      'an unknown flag',
      ['--operation', 'getAccountList', '--status', '200', '--verbose'],
      /Unknown option '--verbose'/,
    ],
    [
      'a malformed header',
      ['--operation', 'getAccountList', '--status', '200', '-H', 'no-colon'],
      /must look like 'Name: value'/,
    ],
    [
      'a missing contract file',
      ['--operation', 'getAccountList', '--status', '200', '--contract', 'nope.yaml'],
      /cannot be read/,
    ],
  ];
  for (const [name, args, pattern] of usage) {
    it(`answers ${name} with exit 2 and one line, no stack trace`, () => {
      const r = validate(args, balances);
      assert.equal(r.code, 2, r.out + r.err);
      const lines = r.err.trim().split('\n');
      assert.equal(lines.length, 1, r.err);
      assert.match(lines[0] ?? '', pattern);
      assert.doesNotMatch(r.err, /\n\s+at /);
    });
  }
});
