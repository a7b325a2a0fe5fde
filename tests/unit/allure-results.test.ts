import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tidyAllureResults } from '../../src/report/allure.ts';

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
      tidyAllureResults(dir);
      const status = (name: string) =>
        (JSON.parse(readFileSync(path.join(dir, `${name}-result.json`), 'utf8')) as { status: string })
          .status;
      assert.deepEqual(['blocked', 'failed', 'passed'].map(status), ['broken', 'failed', 'passed']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows no fake steps for our annotations, no error-context prompt, and messages without IDs or ports', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'psd2c-allure-unit-'));
    try {
      writeFileSync(path.join(dir, 'ctx.md'), 'prompt');
      writeFileSync(
        path.join(dir, 'a-result.json'),
        JSON.stringify({
          status: 'failed',
          statusDetails: {
            message:
              'GET https://127.0.0.1:41234/v1/consents/3f2c1a9e-1111-4222-8333-944455556666 -> HTTP 500',
          },
          steps: [
            { name: 'check: CON-001', steps: [], attachments: [] },
            { name: 'reference: BG IG 1.3 §6.3', steps: [], attachments: [] },
            { name: 'a real step', steps: [], attachments: [] },
          ],
          attachments: [
            { name: 'error-context', source: 'ctx.md' },
            { name: 'exchanges.txt', source: 'x.txt' },
          ],
        }),
      );
      assert.equal(tidyAllureResults(dir), 1);
      const result = JSON.parse(readFileSync(path.join(dir, 'a-result.json'), 'utf8')) as {
        statusDetails: { message: string };
        steps: { name: string }[];
        attachments: { name: string }[];
      };
      assert.equal(result.statusDetails.message, 'GET https://127.0.0.1:{port}/v1/consents/{id} -> HTTP 500');
      assert.deepEqual(
        result.steps.map((s) => s.name),
        ['a real step'],
      );
      assert.deepEqual(
        result.attachments.map((a) => a.name),
        ['exchanges.txt'],
      );
      assert.equal(existsSync(path.join(dir, 'ctx.md')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
