import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { FAULTS } from '../../sandbox/faults/index.ts';
import { deviationsReachedUnder } from '../../src/checks/documented-deviations.ts';
import { loadProfile } from '../../src/config/profile.ts';
import { KNOWN_DEVIATION_ACCEPTED } from '../../src/report/allure.ts';
import { allureWidget, cli, filesUnder, readSummary, tempDir } from './helpers.ts';

const MYPOS = loadProfile('mypos');
const DEVIATIONS = new Set(MYPOS.deviations.map((d) => d.check));
/**
 * The deviations a strict run reaches: the berlin-group profile assumes no optional feature, so a
 * deviation in one (paging, card accounts, cancellation, ...) is skipped there; a deviation from a
 * SHOULD is advisory, not a failure.
 */
const reached = deviationsReachedUnder('mypos', 'berlin-group');
const STRICT_FAILS = new Set(reached.filter((c) => c.obligation === 'MUST').map((c) => c.id));
const STRICT_ADVISES = new Set(reached.filter((c) => c.obligation === 'SHOULD').map((c) => c.id));

/** Allure results by check ID (the test's name starts with it), for the labels of each check's test. */
function allureByCheck(
  reports: string,
): Map<string, { labels: { name: string; value: string }[]; status: string }> {
  const out = new Map<string, { labels: { name: string; value: string }[]; status: string }>();
  for (const file of filesUnder(path.join(reports, 'allure-results')).filter((f) =>
    f.endsWith('-result.json'),
  )) {
    const result = JSON.parse(readFileSync(file, 'utf8')) as {
      name: string;
      labels: { name: string; value: string }[];
      status: string;
    };
    const id = result.name.split(' ')[0];
    if (id) out.set(id, result);
  }
  return out;
}

describe('the myPOS sandbox flavour checked with --profile mypos', () => {
  const reports = tempDir('psd2c-mypos-');
  const cwd = tempDir('psd2c-mypos-cwd-');
  let result: Awaited<ReturnType<typeof cli>>;
  before(async () => {
    // No target configured: the mypos profile brings up the sandbox answering as myPOS documents its API.
    result = await cli(['run', '--profile', 'mypos', '--reports-dir', reports], {
      cwd,
      timeoutMs: 1_200_000,
    });
  });

  it("writes nothing outside its reports directory (run from a user's own directory)", () => {
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('passes: nothing fails that the profile does not document', () => {
    const summary = readSummary(reports);
    const failed = summary.checks.filter((c) => c.verdict === 'failed');
    assert.deepEqual(
      failed.map((c) => `${c.id}: ${c.message?.slice(0, 300)}`),
      [],
      result.stdout.slice(-2000),
    );
    assert.equal(result.code, 0);
    assert.equal(summary.conformant, true);
  });

  it('shows every documented deviation as a known deviation in the summary', () => {
    const summary = readSummary(reports);
    const listed = summary.checks.filter((c) => c.waiver?.deviation).map((c) => c.id);
    assert.deepEqual(new Set(listed), DEVIATIONS);
    const waived = summary.checks.filter((c) => c.verdict === 'waived');
    assert.ok(waived.length > 20, `${waived.length} deviations observed`);
    for (const c of waived) assert.match(c.message ?? '', /\[known deviation of profile mypos: /, c.id);
    const md = readFileSync(path.join(reports, 'summary.md'), 'utf8');
    for (const id of DEVIATIONS)
      assert.match(md, new RegExp(`^\\| ${id} \\| .* \\| (observed|not observed) \\|$`, 'm'), id);
  });

  it('observes each deviation of a feature the strict profile does not assume, unless a fault proves its check', () => {
    const proven = new Set(FAULTS.flatMap((f) => f.detectedBy));
    const summary = readSummary(reports);
    const unobserved = [...DEVIATIONS]
      .filter((id) => !STRICT_FAILS.has(id) && !STRICT_ADVISES.has(id) && !proven.has(id))
      .filter((id) => summary.checks.find((c) => c.id === id)?.verdict !== 'waived');
    assert.deepEqual(unobserved, []);
  });

  it('marks every documented deviation in the Allure results', () => {
    const results = allureByCheck(reports);
    for (const id of DEVIATIONS) {
      const labels = results.get(id)?.labels ?? [];
      assert.ok(
        labels.some((l) => l.name === 'tag' && l.value === 'known-deviation'),
        `${id} tagged known-deviation`,
      );
      assert.ok(
        labels.some((l) => l.name === 'knownDeviation'),
        `${id} names its deviation`,
      );
    }
  });

  it('files every waived check under an accepted resolution in the Allure report: a conformant run does not read red', () => {
    const waived = readSummary(reports)
      .checks.filter((c) => c.verdict === 'waived')
      .map((c) => c.id);
    const { groups } = allureWidget<{
      groups: { resolution: string; name: string; testResults: { name: string }[] }[];
    }>(reports, 'resolution-categories');
    assert.deepEqual(
      groups.map((g) => [g.resolution, g.name]),
      [['accepted', KNOWN_DEVIATION_ACCEPTED.comment]],
    );
    assert.deepEqual(groups[0]?.testResults.map((t) => t.name.split(' ')[0]).sort(), waived.sort());
    const statistic = allureWidget<{ failed?: number; resolutions?: { accepted?: number } }>(
      reports,
      'statistic',
    );
    assert.equal(statistic.resolutions?.accepted, waived.length);
    assert.equal(statistic.failed, waived.length, 'the only failures are the accepted ones');
  });
});

describe('the myPOS sandbox flavour checked with --profile berlin-group', () => {
  const reports = tempDir('psd2c-bg-mypos-');
  let result: Awaited<ReturnType<typeof cli>>;
  before(async () => {
    const config = path.join(reports, 'bg-vs-mypos.yaml');
    writeFileSync(config, 'sandbox:\n  flavour: mypos\n');
    result = await cli(['run', '--profile', 'berlin-group', '--config', config, '--reports-dir', reports], {
      timeoutMs: 1_200_000,
    });
  });

  it('fails exactly the deviations the strict profile reaches: its MUSTs fail, its SHOULDs are advisory, the shared payments are blocked', () => {
    assert.equal(result.code, 1, result.stdout.slice(-2000));
    const checks = readSummary(reports).checks;
    const failed = checks.filter((c) => c.verdict === 'failed').map((c) => c.id);
    const advisory = checks.filter((c) => c.verdict === 'advisory').map((c) => c.id);
    // The checks that read a shared payment stand on its initiation, which refuses the Berlin Group body (a
    // deviation of the initiation checks): blocked by that step, never failed in its name, never passed.
    const blocked = checks.filter((c) => c.verdict === 'blocked');
    for (const c of blocked) {
      assert.match(
        c.failure?.step ?? '',
        /^a [a-z-]+ payment, (approved|declined) by the PSU in the browser$/,
        c.id,
      );
      assert.match(c.message ?? '', /initiatePayment answered 400/, c.id);
    }
    assert.ok(blocked.length > 0, 'the shared payments are blocked by their initiation');
    assert.deepEqual(
      {
        unexpected: failed.filter((id) => !STRICT_FAILS.has(id)),
        missing: [...STRICT_FAILS].filter((id) => !failed.includes(id) && !blocked.some((c) => c.id === id)),
        advisory: new Set(advisory),
      },
      { unexpected: [], missing: [], advisory: STRICT_ADVISES },
    );
    assert.ok(STRICT_FAILS.size > 20, `${STRICT_FAILS.size} deviations reached by the strict run`);
  });

  it('names the documented deviation on each failure', () => {
    for (const c of readSummary(reports).checks.filter((x) => ['failed', 'advisory'].includes(x.verdict))) {
      const deviation = MYPOS.deviations.find((d) => d.check === c.id);
      assert.ok(deviation, c.id);
      assert.ok(
        c.message?.includes(`profile mypos: ${deviation.reason}`),
        `${c.id} names "${deviation.reason}": ${c.message?.slice(0, 200)}`,
      );
    }
  });
});
