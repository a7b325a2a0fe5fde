import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { markBlockedBroken } from '../../src/report/allure.ts';

describe('Allure results', () => {
  it('shows a check blocked by a failed precondition as broken, and leaves a check whose rule failed as failed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'psd2c-allure-unit-'));
    try {
      const write = (name: string, status: string, message: string) =>
        writeFileSync(
          path.join(dir, `${name}-result.json`),
          JSON.stringify({ status, statusDetails: { message } }),
        );
      write('blocked', 'failed', 'precondition "the run\'s consent" failed: HTTP 500');
      write('failed', 'failed', 'expected HTTP 400 with FORMAT_ERROR, got HTTP 201 with no message code');
      write('passed', 'passed', '');
      assert.equal(markBlockedBroken(dir), 1);
      const status = (name: string) =>
        (JSON.parse(readFileSync(path.join(dir, `${name}-result.json`), 'utf8')) as { status: string })
          .status;
      assert.deepEqual(['blocked', 'failed', 'passed'].map(status), ['broken', 'failed', 'passed']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
