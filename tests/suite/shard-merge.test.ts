import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cli, readSummary, tempDir } from './helpers.ts';

/** Two shards run one after the other (as two CI machines would), merged, give the verdicts of one run. */
describe('sharding: run --shard i/2 twice, report --merge, same verdicts as one unsharded run', () => {
  it('merges two shards into the verdicts of an unsharded run', async () => {
    const grep = 'CON-0|ACC-00|PIS-SCT-00|CTR-00';
    const whole = tempDir('psd2c-whole-');
    const one = tempDir('psd2c-shard1-');
    const two = tempDir('psd2c-shard2-');
    const merged = tempDir('psd2c-merged-');
    assert.equal((await cli(['run', '--grep', grep, '--reports-dir', whole])).code, 0);
    for (const [i, dir] of [
      [1, one],
      [2, two],
    ] as const) {
      const r = await cli(['run', '--grep', grep, '--shard', `${i}/2`, '--reports-dir', dir]);
      assert.equal(r.code, 0, r.stdout.slice(-1500) + r.stderr);
      assert.ok(existsSync(path.join(dir, 'blob')));
    }
    const shardTotals = readSummary(one).totals.total + readSummary(two).totals.total;
    const m = await cli(['report', '--merge', one, two, '--reports-dir', merged]);
    assert.equal(m.code, 0, m.stdout + m.stderr);
    const expected = readSummary(whole);
    const actual = readSummary(merged);
    assert.equal(shardTotals, expected.totals.total, 'the shards split the checks between them');
    assert.deepEqual(
      actual.checks.map((c) => `${c.id}=${c.verdict}`),
      expected.checks.map((c) => `${c.id}=${c.verdict}`),
    );
    assert.equal(actual.verdictsSha256, expected.verdictsSha256);
    for (const file of ['junit.xml', 'summary.md', 'allure-report/index.html'])
      assert.ok(existsSync(path.join(merged, file)), file);
  });
});
