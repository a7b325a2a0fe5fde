import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PreconditionFailed } from '../../src/checks/failure.ts';
import { failureCauses } from '../../src/checks/failure-causes.ts';
import { groupFindings, runFindings } from '../../src/report/findings.ts';

const cause = (key: string, operation?: string) => ({
  key,
  text: `text of ${key}`,
  ...(operation ? { operation } : {}),
});

describe('findings by cause', () => {
  it('puts each failed check under the cause most failures share, largest group first', () => {
    const findings = groupFindings([
      { id: 'A-1', title: 'one', causes: [cause('x'), cause('y')] },
      { id: 'A-2', title: 'two', causes: [cause('y')] },
      { id: 'A-3', title: 'three', causes: [cause('y'), cause('z')] },
      { id: 'A-4', title: 'four', causes: [cause('z')] },
      { id: 'A-5', title: 'five', causes: [] },
    ]);
    assert.deepEqual(
      findings.map((f) => [f.cause, f.checks]),
      [
        ['text of y', ['A-1', 'A-2', 'A-3']],
        ['text of z', ['A-4']],
        ['A-5 five', ['A-5']],
      ],
    );
  });

  it('prefers the cause that names its operation where a general one is as wide, and lists the operations of a general one', () => {
    const findings = groupFindings([
      { id: 'B-1', title: 'one', causes: [cause('op status'), cause('any status', 'createConsent')] },
      { id: 'B-2', title: 'two', causes: [cause('op status'), cause('any status', 'createConsent')] },
      { id: 'B-3', title: 'three', causes: [cause('any amount', 'getBalances')] },
      { id: 'B-4', title: 'four', causes: [cause('any amount', 'getTransactionList')] },
    ]);
    assert.deepEqual(
      findings.map((f) => f.cause),
      ['text of op status', 'text of any amount (in getBalances, getTransactionList)'],
    );
  });

  it('names a failed precondition, and what the target answered where a check expected another answer', () => {
    const log = { violationsFor: () => [], entries: [] } as unknown as Parameters<typeof failureCauses>[1];
    assert.deepEqual(
      failureCauses(new PreconditionFailed('the run consent', 'HTTP 500'), log).map((c) => c.key),
      ['precondition the run consent'],
    );
    const answered = failureCauses(
      new Error('expected HTTP 400 with FORMAT_ERROR, got HTTP 201 with no message code: {"paymentId":"1"}'),
      log,
    );
    assert.deepEqual(
      answered.map((c) => c.key),
      [
        'answered 2xx no message code for HTTP 400 FORMAT_ERROR',
        'says expected HTTP 400 with FORMAT_ERROR, got HTTP 201 with no message code',
      ],
    );
    assert.equal(
      answered[0]?.text,
      'answers HTTP 2xx with no message code where HTTP 400 FORMAT_ERROR is due',
    );
    const oauth = failureCauses(
      new Error(
        'the code exchange failed: HTTP 400 {"error":"invalid_grant","error_description":"PKCE verification failed"}',
      ),
      log,
    );
    assert.deepEqual(
      oauth.map((c) => c.text),
      ['the code exchange failed: HTTP 400 error=invalid_grant'],
    );
    const refused = {
      violationsFor: () => [],
      entries: [
        {
          exchange: {
            response: {
              status: 401,
              body: '{"tppMessages":[{"category":"ERROR","code":"CONSENT_INVALID"}]}',
            },
          },
        },
      ],
    } as unknown as Parameters<typeof failureCauses>[1];
    assert.deepEqual(
      failureCauses(new Error('listing the card accounts: {"tppMessages":[]}'), refused).map((c) => [
        c.key,
        c.kind,
      ]),
      [
        ['stopped 401 CONSENT_INVALID', 'answer'],
        ['says listing the card accounts', 'symptom'],
      ],
    );
    // The answer where another was due, and the answer itself: checks of other rules that stopped on it share it.
    const served500 = {
      violationsFor: () => [],
      entries: [{ exchange: { response: { status: 500, body: '' } } }],
    } as unknown as Parameters<typeof failureCauses>[1];
    assert.deepEqual(
      failureCauses(
        new Error('expected HTTP 403 with CONSENT_UNKNOWN, got HTTP 500 with no message code: '),
        served500,
      )
        .filter((c) => c.kind === 'answer')
        .map((c) => c.key),
      ['answered 5xx no message code for HTTP 403 CONSENT_UNKNOWN', 'stopped 500 no message code'],
    );
    // Playwright's bare assertion line says nothing of the target: no symptom.
    assert.deepEqual(failureCauses(new Error('expect(received).toBe(expected)'), log), []);
  });

  it('names a group held by an answer or a symptom by the rule of its first check, and puts a failed precondition after the defects', () => {
    const answer = {
      key: 'answered 2xx no message code for HTTP 400 FORMAT_ERROR',
      text: 'answers 2xx',
      kind: 'answer' as const,
    };
    const blocked = {
      key: 'precondition the run consent',
      text: 'the precondition "the run consent" failed',
    };
    const findings = groupFindings([
      { id: 'C-10', title: 'ten', causes: [answer] },
      { id: 'C-2', title: 'two', causes: [answer] },
      { id: 'D-1', title: 'one', causes: [blocked] },
      { id: 'D-2', title: 'two', causes: [blocked] },
      { id: 'D-3', title: 'three', causes: [blocked] },
      { id: 'E-1', title: 'alone', causes: [blocked] },
    ]);
    assert.deepEqual(
      findings.map((f) => [f.kind, f.cause, f.checks]),
      [
        ['answer', 'answers 2xx (as C-2 two and 1 more)', ['C-2', 'C-10']],
        ['precondition', 'the precondition "the run consent" failed', ['D-1', 'D-2', 'D-3', 'E-1']],
      ],
    );
    const alone = groupFindings([
      { id: 'F-1', title: 'own rule', causes: [] },
      { id: 'G-1', title: 'blocked', causes: [blocked] },
    ]);
    assert.deepEqual(
      alone.map((f) => f.kind),
      ['rule', 'precondition'],
    );
  });

  it('lists the advisory findings after every finding of a failed or blocked check, marked advisory', () => {
    const findings = runFindings(
      [{ id: 'A-1', title: 'a must', causes: [] }],
      [
        { id: 'S-1', title: 'a should', causes: [cause('s')] },
        { id: 'S-2', title: 'another should', causes: [cause('s')] },
      ],
    );
    assert.deepEqual(
      findings.map((f) => [f.cause, f.checks, f.advisory]),
      [
        ['A-1 a must', ['A-1'], undefined],
        ['text of s', ['S-1', 'S-2'], true],
      ],
    );
    assert.deepEqual(
      runFindings([], [{ id: 'S-3', title: 'alone', causes: [] }]).map((f) => [f.cause, f.advisory]),
      [['S-3 alone', true]],
    );
  });
});
