import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadContract } from '../../src/contract/load-contract.ts';
import { formatViolation, type Violation } from '../../src/contract/violation.ts';
import { EXAMPLES, REQUEST_ID } from '../fixtures/examples.ts';

const contract = loadContract();

function setPointer(target: unknown, pointer: string, value: unknown, remove: boolean): void {
  const parts = pointer.slice(1).split('/');
  let node = target as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  const last = parts.at(-1) ?? '';
  if (remove) delete node[last];
  else node[last] = value;
}

const show = (violations: Violation[]) => violations.map(formatViolation).join('\n');

describe('every operation has an example and the examples cover the contract', () => {
  it('covers every operation with a body-carrying success response', () => {
    const covered = new Set(EXAMPLES.map((e) => e.operationId));
    const missing = [...contract.operations.values()]
      .filter((op) =>
        Object.entries(op.responses).some(([s, r]) => s.startsWith('2') && Object.keys(r.content).length),
      )
      .map((op) => op.operationId)
      .filter((id) => !covered.has(id));
    assert.deepEqual(missing, []);
  });
});

describe('success responses', () => {
  for (const example of EXAMPLES) {
    it(`${example.operationId} ${example.status}: the correct example passes`, () => {
      const violations = contract.validateResponse(example.operationId, {
        status: example.status,
        headers: example.headers,
        body: JSON.stringify(example.body),
      });
      assert.equal(violations.length, 0, show(violations));
    });
    it(`${example.operationId} ${example.status}: a broken ${example.breakAt.pointer} is caught there`, () => {
      const body = structuredClone(example.body);
      setPointer(body, example.breakAt.pointer, example.breakAt.value, example.breakAt.remove === true);
      const violations = contract.validateResponse(example.operationId, {
        status: example.status,
        headers: example.headers,
        body: JSON.stringify(body),
      });
      assert.ok(
        violations.some((v) => v.part === 'body' && v.pointer === example.breakAt.pointer),
        `expected a violation at ${example.breakAt.pointer}, got:\n${show(violations)}`,
      );
    });
  }
});

const headers = { 'content-type': 'application/json', 'x-request-id': REQUEST_ID };

describe('error bodies', () => {
  it('accepts a 403 AIS error with CONSENT_UNKNOWN in both media types', () => {
    const ng = { tppMessages: [{ category: 'ERROR', code: 'CONSENT_UNKNOWN', text: 'unknown consent' }] };
    assert.deepEqual(
      contract.validateResponse('getAccountList', { status: 403, headers, body: JSON.stringify(ng) }),
      [],
    );
    const problem = { type: 'https://berlingroup.com/error-codes/CONSENT_UNKNOWN', code: 'CONSENT_UNKNOWN' };
    const problemHeaders = { ...headers, 'content-type': 'application/problem+json' };
    assert.deepEqual(
      contract.validateResponse('getAccountList', {
        status: 403,
        headers: problemHeaders,
        body: JSON.stringify(problem),
      }),
      [],
    );
  });

  for (const [operationId, status, code] of [
    ['getAccountList', 403, 'FORMAT_ERROR'],
    ['createConsent', 401, 'PRODUCT_UNKNOWN'],
    ['initiatePayment', 404, 'CONSENT_UNKNOWN'],
    ['checkAvailabilityOfFunds', 400, 'SESSIONS_NOT_SUPPORTED'],
    ['getBalances', 429, 'FORMAT_ERROR'],
    ['cancelPayment', 405, 'STATUS_INVALID'],
  ] as const) {
    it(`rejects ${code} on a ${status} of ${operationId}`, () => {
      const body = JSON.stringify({ tppMessages: [{ category: 'ERROR', code }] });
      const violations = contract.validateResponse(operationId, { status, headers, body });
      assert.ok(
        violations.some((v) => v.pointer === '/tppMessages/0/code' && v.message.includes(code)),
        show(violations),
      );
    });
  }

  it('accepts PRODUCT_UNKNOWN on a 404 of a payment and CANCELLATION_INVALID on a 405 cancellation', () => {
    const product = JSON.stringify({ tppMessages: [{ category: 'ERROR', code: 'PRODUCT_UNKNOWN' }] });
    assert.deepEqual(
      contract.validateResponse('initiatePayment', { status: 404, headers, body: product }),
      [],
    );
    const cancel = JSON.stringify({ tppMessages: [{ category: 'ERROR', code: 'CANCELLATION_INVALID' }] });
    assert.deepEqual(contract.validateResponse('cancelPayment', { status: 405, headers, body: cancel }), []);
  });

  it('rejects a problem+json error without type', () => {
    const problemHeaders = { ...headers, 'content-type': 'application/problem+json' };
    const violations = contract.validateResponse('getAccountList', {
      status: 400,
      headers: problemHeaders,
      body: JSON.stringify({ code: 'FORMAT_ERROR' }),
    });
    assert.deepEqual(
      violations.map((v) => v.pointer),
      ['/type'],
    );
  });

  it('rejects an undeclared status and an undeclared content type', () => {
    const teapot = contract.validateResponse('getAccountList', { status: 418, headers, body: '{}' });
    assert.equal(teapot[0]?.part, 'status');
    const html = contract.validateResponse('getAccountList', {
      status: 200,
      headers: { ...headers, 'content-type': 'text/html' },
      body: '<html></html>',
    });
    assert.equal(html[0]?.part, 'content-type');
  });

  it('reports a body that is not JSON', () => {
    const violations = contract.validateResponse('getAccountList', {
      status: 200,
      headers,
      body: '{"accounts": [',
    });
    assert.equal(violations[0]?.part, 'body');
    assert.match(violations[0]?.message ?? '', /not valid JSON/);
  });

  it('reports a body nested too deeply to print as a violation, not an exception', () => {
    const body = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const violations = contract.validateResponse('getAccountList', { status: 200, headers, body });
    assert.equal(violations[0]?.part, 'body');
    assert.match(violations[0]?.message ?? '', /nested too deeply/);
  });

  it('ignores the body of statuses Berlin Group declares without one', () => {
    assert.deepEqual(
      contract.validateResponse('initiatePayment', { status: 503, headers, body: '<html/>' }),
      [],
    );
  });
});

describe('headers', () => {
  const consent = JSON.stringify({ consentStatus: 'received', consentId: 'c1', _links: {} });
  const base = { ...headers, location: '/v1/consents/c1', 'aspsp-sca-approach': 'REDIRECT' };

  it('requires Location and ASPSP-SCA-Approach on a 201 consent', () => {
    const { location: _l, ...noLocation } = base;
    const violations = contract.validateResponse('createConsent', {
      status: 201,
      headers: noLocation,
      body: consent,
    });
    assert.deepEqual(
      violations.map((v) => `${v.part} ${v.pointer}`),
      ['header /Location'],
    );
    const { 'aspsp-sca-approach': _a, ...noApproach } = base;
    const v2 = contract.validateResponse('createConsent', {
      status: 201,
      headers: noApproach,
      body: consent,
    });
    assert.deepEqual(
      v2.map((v) => v.pointer),
      ['/ASPSP-SCA-Approach'],
    );
  });

  it('accepts a relative and an absolute Location, and rejects an unknown SCA approach', () => {
    for (const location of ['/v1/consents/c1', 'v1/consents/c1', 'https://api.bank.example/v1/consents/c1']) {
      assert.deepEqual(
        contract.validateResponse('createConsent', {
          status: 201,
          headers: { ...base, location },
          body: consent,
        }),
        [],
      );
    }
    const oauth = contract.validateResponse('createConsent', {
      status: 201,
      headers: { ...base, 'aspsp-sca-approach': 'OAUTH' },
      body: consent,
    });
    assert.equal(oauth[0]?.pointer, '/ASPSP-SCA-Approach');
  });

  it('requires X-Request-ID as a UUID on every response, errors included', () => {
    const { 'x-request-id': _x, ...none } = headers;
    const missing = contract.validateResponse('getAccountList', {
      status: 200,
      headers: none,
      body: '{"accounts":[]}',
    });
    assert.deepEqual(
      missing.map((v) => v.pointer),
      ['/X-Request-ID'],
    );
    const error = contract.validateResponse('getAccountList', {
      status: 401,
      headers: { ...headers, 'x-request-id': 'abc' },
      body: JSON.stringify({ tppMessages: [{ category: 'ERROR', code: 'TOKEN_INVALID' }] }),
    });
    assert.deepEqual(
      error.map((v) => v.pointer),
      ['/X-Request-ID'],
    );
  });

  it('requires Cache-Control: no-store on a token response', () => {
    const body = JSON.stringify({ access_token: 'a', token_type: 'Bearer', expires_in: 60 });
    const cached = contract.validateResponse('requestToken', {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'max-age=60' },
      body,
    });
    assert.equal(cached[0]?.pointer, '/Cache-Control');
    const ok = contract.validateResponse('requestToken', {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-cache, no-store' },
      body,
    });
    assert.deepEqual(ok, []);
  });
});

describe('requests', () => {
  it('checks the headers, the query and the body of a request', () => {
    const match = contract.match('GET', '/v1/accounts/abc/transactions');
    assert.equal(match?.operation.operationId, 'getTransactionList');
    const ok = contract.validateRequest('getTransactionList', {
      headers: { 'x-request-id': REQUEST_ID, 'consent-id': 'c1' },
      query: new URLSearchParams('bookingStatus=booked&dateFrom=2026-01-01&withBalance=true'),
      pathParams: match?.pathParams ?? {},
    });
    assert.deepEqual(ok, []);
    const bad = contract.validateRequest('getTransactionList', {
      headers: { 'consent-id': 'c1' },
      query: new URLSearchParams('bookingStatus=everything&withBalance'),
    });
    assert.deepEqual(bad.map((v) => `${v.part} ${v.pointer}`).sort(), [
      'header /X-Request-ID',
      'query /bookingStatus',
      'query /withBalance',
    ]);
  });

  it('checks a consent request body and a payment request body', () => {
    const consent = contract.validateRequest('createConsent', {
      headers: {
        'x-request-id': REQUEST_ID,
        'psu-ip-address': '2001:db8::1',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        access: {},
        recurringIndicator: false,
        validUntil: '2026-12-31',
        frequencyPerDay: 0,
      }),
    });
    assert.deepEqual(consent.map((v) => v.pointer).sort(), ['/combinedServiceIndicator', '/frequencyPerDay']);
    const payment = contract.validateRequest('initiatePayment', {
      headers: {
        'x-request-id': REQUEST_ID,
        'psu-ip-address': '10.0.0.1',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        instructedAmount: { currency: 'EUR', amount: '1.2345' },
        creditorAccount: { iban: 'DE89 3704' },
        creditorName: 'X',
      }),
    });
    assert.deepEqual(payment.map((v) => v.pointer).sort(), [
      '/creditorAccount/iban',
      '/instructedAmount/amount',
    ]);
  });

  it('checks a token request form', () => {
    const violations = contract.validateRequest('requestToken', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=abc',
    });
    assert.ok(violations.length > 0);
    assert.deepEqual(
      contract.validateRequest('requestToken', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=a&client_secret=b',
      }),
      [],
    );
  });

  it('matches paths to operations, literal segments first', () => {
    assert.equal(
      contract.match('POST', '/v1/payments/sepa-credit-transfers')?.operation.operationId,
      'initiatePayment',
    );
    assert.equal(
      contract.match('GET', '/v1/payments/sepa-credit-transfers/p1/status')?.operation.operationId,
      'getPaymentInitiationStatus',
    );
    assert.equal(contract.match('DELETE', '/v1/consents/c1')?.operation.operationId, 'deleteConsent');
    assert.equal(contract.match('PATCH', '/v1/consents/c1'), undefined);
    assert.equal(contract.pathExists('/v1/consents/c1'), true);
    assert.equal(contract.match('GET', '/v2/nothing'), undefined);
  });
});
