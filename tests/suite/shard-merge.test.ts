import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cli, readSummary, tempDir } from './helpers.ts';

const grep = 'CON-0|ACC-00|PIS-SCT-00|CTR-00';
// A fault, so that the merged verdicts include failures and the merge's exit code has something to gate.
const faults = 'consent-no-location';

/** Two shards run one after the other (as two CI machines would), merged, give the verdicts of one run. */
describe('sharding: run --shard i/2 twice, report --merge, same verdicts as one unsharded run', () => {
  it('merges two shards into the verdicts of an unsharded run, failures included', async () => {
    const whole = tempDir('psd2c-whole-');
    const one = tempDir('psd2c-shard1-');
    const two = tempDir('psd2c-shard2-');
    const merged = tempDir('psd2c-merged-');
    const unsharded = await cli(['run', '--grep', grep, '--faults', faults, '--reports-dir', whole]);
    assert.equal(unsharded.code, 1, unsharded.stdout.slice(-1500) + unsharded.stderr);
    for (const [i, dir] of [
      [1, one],
      [2, two],
    ] as const) {
      const r = await cli([
        'run',
        '--grep',
        grep,
        '--faults',
        faults,
        '--shard',
        `${i}/2`,
        '--reports-dir',
        dir,
      ]);
      assert.ok(r.code === 0 || r.code === 1, r.stdout.slice(-1500) + r.stderr);
      assert.ok(existsSync(path.join(dir, 'blob')));
    }
    const ran = (dir: string) => readSummary(dir).checks.filter((c) => c.verdict !== 'not-run').length;
    const shardTotals = ran(one) + ran(two);
    const m = await cli(['report', '--merge', one, two, '--reports-dir', merged]);
    assert.equal(m.code, 1, m.stdout + m.stderr);
    const expected = readSummary(whole);
    const actual = readSummary(merged);
    assert.equal(shardTotals, ran(whole), 'the shards split the checks between them');
    assert.ok(expected.totals.failed >= 3, 'the fault fails CON-003, CON-004 and CTR-001');
    assert.deepEqual(
      actual.checks.map((c) => `${c.id}=${c.verdict}`),
      expected.checks.map((c) => `${c.id}=${c.verdict}`),
    );
    assert.equal(actual.verdictsSha256, expected.verdictsSha256);
    for (const file of ['junit.xml', 'summary.md', 'allure-report/index.html'])
      assert.ok(existsSync(path.join(merged, file)), file);

    // GitLab CI extracts every shard's artifacts into one reports/ folder, and the merge writes there too.
    const together = path.join(tempDir('psd2c-gitlab-'), 'reports');
    mkdirSync(together);
    for (const dir of [one, two]) cpSync(dir, together, { recursive: true });
    const inPlace = await cli(['report', '--merge', 'reports'], { cwd: path.dirname(together) });
    assert.equal(inPlace.code, 1, inPlace.stdout + inPlace.stderr);
    assert.match(inPlace.stdout, /merged 2 shard reports from 1 folder/);
    assert.equal(readSummary(together).verdictsSha256, expected.verdictsSha256);

    // A merge that lacks a shard says which, and is never a conformance result.
    const half = tempDir('psd2c-half-');
    const partial = await cli(['report', '--merge', one, '--reports-dir', half]);
    assert.match(partial.stdout, /^missing shard reports: 2\/2$/m);
    assert.notEqual(readSummary(half).status, 'conformant');
    assert.ok(
      readSummary(half).checks.some(
        (c) => c.verdict === 'not-run' && /merged shard reports \(1\/2\)/.test(c.reason ?? ''),
      ),
    );
  });

  it('refuses to merge shards of different profiles with one line and exit code 2', async () => {
    const sandbox = tempDir('psd2c-shard-sandbox-');
    const berlin = tempDir('psd2c-shard-bg-');
    for (const [profile, dir] of [
      ['sandbox', sandbox],
      ['berlin-group', berlin],
    ] as const) {
      const r = await cli([
        'run',
        '--grep',
        'TLS-014',
        '--profile',
        profile,
        '--shard',
        '1/2',
        '--reports-dir',
        dir,
        '--allow-subset',
      ]);
      assert.equal(r.code, 0, r.stdout.slice(-1500) + r.stderr);
    }
    const m = await cli(['report', '--merge', sandbox, berlin, '--reports-dir', tempDir('psd2c-merged-')]);
    assert.equal(m.code, 2);
    assert.match(
      m.stderr,
      /ran against profile berlin-group, .* against sandbox: merge the shards of one run only/,
    );
    assert.equal(m.stderr.trim().split('\n').length, 1, m.stderr);
  });
});
