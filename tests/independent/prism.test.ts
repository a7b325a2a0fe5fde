import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { ensurePrism, startPrism } from '../../scripts/prism.ts';
import { packagePath } from '../../src/paths.ts';
import type { Summary } from '../../src/report/summary.ts';
import { type CliResult, cli, readSummary, tempDir } from '../suite/helpers.ts';

type Listed = Record<string, string | { reason: string; hint?: boolean }>;
const EXPECTED = parse(readFileSync(path.join(import.meta.dirname, 'prism-expected.yaml'), 'utf8')) as {
  failed: Listed;
  advisory: Listed;
};
const HINT = '[a documented deviation may explain this';
const hinted = (list: Listed) =>
  Object.entries(list)
    .filter(([, v]) => typeof v === 'object' && v.hint)
    .map(([id]) => id);

/**
 * An independent target: Stoplight Prism mocking our own contract, with no token endpoint, no mTLS
 * and no browser, checked the way a user checks a bank's mock with a token from elsewhere.
 */
describe('a partial run against Prism mocking openapi/xs2a.yaml (an independent target)', () => {
  let prism: ChildProcess | undefined;
  let result: CliResult;
  let summary: Summary;
  before(async () => {
    const installed = ensurePrism();
    if ('reason' in installed) assert.fail(installed.reason);
    const started = await startPrism(installed.bin, ['mock', packagePath('openapi/xs2a.yaml')]);
    prism = started.child;
    const dir = tempDir('psd2c-prism-');
    const config = path.join(dir, 'psd2-conformance.yaml');
    writeFileSync(
      config,
      stringify({
        profile: 'berlin-group',
        target: { baseUrl: started.url },
        partial: { consentId: 'consent-from-elsewhere' },
      }),
    );
    const reports = path.join(dir, 'reports');
    result = await cli(
      [
        'run',
        '--config',
        config,
        '--access-token',
        'token-from-elsewhere',
        '--reports-dir',
        reports,
        '--allow-subset',
      ],
      { timeoutMs: 300_000 },
    );
    summary = readSummary(reports);
    console.log(`partial run against Prism: ${result.seconds.toFixed(0)} s; ${summary.headline}`);
  });
  after(() => {
    prism?.kill();
  });

  it('uses the given token where there is no token endpoint, and skips the token endpoint checks saying so', () => {
    assert.equal(result.code, 1, result.stdout.slice(-2000) + result.stderr);
    assert.match(summary.partial ?? '', /no token endpoint/);
    const blamed = summary.checks.filter((c) =>
      /precondition|client_credentials failed/.test(c.message ?? ''),
    );
    assert.deepEqual(
      blamed.map((c) => c.id),
      [],
    );
    const tokenChecks = summary.checks.filter((c) => c.id.startsWith('OAU-') && c.verdict !== 'skipped');
    assert.deepEqual(
      tokenChecks.map((c) => `${c.id} ${c.verdict}`),
      [],
    );
    assert.match(summary.checks.find((c) => c.id === 'OAU-001')?.reason ?? '', /no token endpoint/);
    // Checks that need no browser and no token of the endpoint ran.
    assert.equal(summary.checks.find((c) => c.id === 'ACC-001')?.verdict, 'passed');
  });

  it('fails exactly the checks listed in prism-expected.yaml, each for the reason given there', () => {
    for (const verdict of ['failed', 'advisory'] as const) {
      const actual = summary.checks.filter((c) => c.verdict === verdict).map((c) => c.id);
      const listed = Object.keys(EXPECTED[verdict]);
      assert.deepEqual(
        {
          verdict,
          notListed: actual
            .filter((id) => !listed.includes(id))
            .map((id) => `${id}: ${summary.checks.find((c) => c.id === id)?.message?.slice(0, 300)}`),
          noLongerSo: listed.filter((id) => !actual.includes(id)),
        },
        { verdict, notListed: [], noLongerSo: [] },
      );
    }
  });

  it('names a documented deviation only on the failures it may explain', () => {
    const withHint = summary.checks.filter((c) => c.message?.includes(HINT)).map((c) => c.id);
    assert.deepEqual(new Set(withHint), new Set([...hinted(EXPECTED.failed), ...hinted(EXPECTED.advisory)]));
  });
});
