/**
 * Runs the full suite N times against the clean embedded sandbox and fails unless every check has the
 * same verdict each time (compared by the summary's verdict hash, and check by check when it differs).
 *   node --import tsx scripts/stability.ts [--runs 10]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { packagePath } from '../src/paths.ts';
import type { Summary } from '../src/report/summary.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const verdicts: Map<string, string>[] = [];
const hashes: string[] = [];
for (let i = 1; i <= runs; i++) {
  const reports = mkdtempSync(path.join(tmpdir(), 'psd2c-stability-'));
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    [packagePath('bin/psd2-conformance.js'), 'run', '--reports-dir', reports],
    {
      encoding: 'utf8',
      env: { ...process.env, PSD2_QUIET: '1' },
      timeout: 600_000,
    },
  );
  const summary = JSON.parse(readFileSync(path.join(reports, 'summary.json'), 'utf8')) as Summary;
  rmSync(reports, { recursive: true, force: true });
  verdicts.push(new Map(summary.checks.map((c) => [c.id, c.verdict])));
  hashes.push(summary.verdictsSha256);
  console.log(
    `run ${i}/${runs}: exit ${r.status}, ${summary.totals.passed}/${summary.totals.total} passed, ${Math.round((Date.now() - started) / 1000)} s, verdicts ${summary.verdictsSha256.slice(0, 16)}`,
  );
}
const first = verdicts[0] ?? new Map();
const unstable = [...first.keys()].filter((id) => verdicts.some((v) => v.get(id) !== first.get(id)));
for (const id of unstable) console.log(`unstable: ${id}: ${verdicts.map((v) => v.get(id)).join(' ')}`);
const stable = unstable.length === 0 && new Set(hashes).size === 1;
console.log(
  stable
    ? `${runs} passed, 0 failed: every check had the same verdict in all ${runs} runs`
    : `0 passed, 1 failed: ${unstable.length} checks changed verdict`,
);
process.exitCode = stable ? 0 : 1;
