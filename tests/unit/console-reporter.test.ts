import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { FullResult, TestCase, TestResult } from '@playwright/test/reporter';
import ConsoleReporter from '../../src/report/console-reporter.ts';

/** Only what the reporter reads of Playwright's objects. */
function check(title: string, annotations: { type: string; description?: string }[] = []): TestCase {
  return { title, annotations } as unknown as TestCase;
}
function result(status: TestResult['status'], message?: string): TestResult {
  return {
    status,
    duration: 1234,
    annotations: [],
    ...(message ? { error: { message } } : {}),
  } as unknown as TestResult;
}

describe('the console reporter', () => {
  let written: string[];
  const write = process.stdout.write.bind(process.stdout);
  beforeEach(() => {
    written = [];
    process.stdout.write = ((chunk: string) => {
      written.push(chunk);
      return true;
    }) as typeof process.stdout.write;
  });
  afterEach(() => {
    process.stdout.write = write;
  });

  it('prints a failed check as failed, with the first line of its message, whatever Playwright expected', () => {
    const reporter = new ConsoleReporter();
    // runCheck marks a failing check as an expected failure so that its worker goes on: the status says failed.
    reporter.onTestEnd(
      check('CON-001 Creating a consent answers 201 Created'),
      result('failed', '\u001b[31mError: expected 201\u001b[39m\nmore'),
    );
    reporter.onTestEnd(check('CON-002 A new consent has consentStatus received'), result('passed'));
    reporter.onTestEnd(
      check('TLS-006 An untrusted CA is refused', [
        { type: 'skip', description: 'the target does not offer "roleCertificates"' },
      ]),
      result('skipped'),
    );
    reporter.onEnd({ duration: 5000 } as FullResult);
    assert.deepEqual(written, [
      '  ✘ CON-001 Creating a consent answers 201 Created (1.2s): Error: expected 201\n',
      '  ✓ CON-002 A new consent has consentStatus received (1.2s)\n',
      '  - TLS-006 An untrusted CA is refused (1.2s) (the target does not offer "roleCertificates")\n',
      '  3 checks ran in 5.0 s\n',
    ]);
  });

  it('prints a character per check under CI, then the failed checks by name', () => {
    const reporter = new ConsoleReporter({ dots: true });
    reporter.onTestEnd(check('CON-001 a'), result('passed'));
    reporter.onTestEnd(check('CON-002 b'), result('timedOut'));
    reporter.onTestEnd(check('CON-003 c'), result('skipped'));
    reporter.onEnd({ duration: 1000 } as FullResult);
    assert.equal(written.join(''), '·F°\n  ✘ CON-002 b\n  3 checks ran in 1.0 s\n');
  });
});
