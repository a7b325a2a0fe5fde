import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { allureVerdicts, findingCategories, tidyAllureResults } from '../../src/report/allure.ts';
import type { Summary } from '../../src/report/summary.ts';

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

  it("shows the summary's verdict, not Playwright's (a failed check runs expected to fail), and ties each result to its finding's category", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'psd2c-allure-unit-'));
    try {
      const write = (name: string, status: string) =>
        writeFileSync(
          path.join(dir, `${name}-result.json`),
          JSON.stringify({ name: `${name} a title`, status }),
        );
      // allure-playwright reports a check that failed as expected as passed.
      for (const id of ['CON-001', 'CON-002', 'ERR-007', 'ACC-001', 'PIS-SCT-001']) write(id, 'passed');
      const summary = {
        checks: [
          { id: 'CON-001', verdict: 'failed' },
          { id: 'CON-002', verdict: 'blocked' },
          { id: 'ERR-007', verdict: 'advisory' },
          { id: 'ACC-001', verdict: 'passed' },
          { id: 'PIS-SCT-001', verdict: 'skipped' },
        ],
        findings: [
          { cause: 'answers HTTP 500', checks: ['CON-001'], kind: 'answer' },
          { cause: 'the precondition "x" failed', checks: ['CON-002'], kind: 'precondition' },
          { cause: 'ERR-007 An unknown path answers 404', checks: ['ERR-007'], kind: 'rule', advisory: true },
        ],
      } as unknown as Pick<Summary, 'checks' | 'findings'>;
      tidyAllureResults(dir, allureVerdicts(summary));
      const read = (name: string) =>
        JSON.parse(readFileSync(path.join(dir, `${name}-result.json`), 'utf8')) as {
          status: string;
          labels?: { name: string; value: string }[];
        };
      assert.deepEqual(
        ['CON-001', 'CON-002', 'ERR-007', 'ACC-001', 'PIS-SCT-001'].map((id) => read(id).status),
        ['failed', 'broken', 'failed', 'passed', 'skipped'],
      );
      assert.deepEqual(read('ERR-007').labels, [{ name: 'finding', value: '3' }]);
      assert.equal(read('ACC-001').labels, undefined);
      const categories = findingCategories(summary.findings) as { name: string; matchers: unknown }[];
      assert.deepEqual(
        categories.map((c) => c.name),
        [
          '1. answers HTTP 500 (1 check)',
          '2. the precondition "x" failed (1 check)',
          '3. (SHOULD, advisory) ERR-007 An unknown path answers 404 (1 check)',
        ],
      );
      // Anchored: finding 1 never takes the results of finding 10.
      assert.deepEqual(categories[0]?.matchers, { labels: { finding: '^1$' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
