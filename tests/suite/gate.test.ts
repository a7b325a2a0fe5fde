import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cli, readSummary, tempDir } from './helpers.ts';

/** What a release gate can trust: a subset is never CONFORMANT, bad arguments destroy no evidence. */
describe('a verdict a release gate can trust', () => {
  it('a --grep subset is PASSED (subset), exits 1 unless --allow-subset, and lists every check it did not run', async () => {
    const reports = tempDir('psd2c-subset-');
    const r = await cli(['run', '--grep', 'CON-00[2-3]', '--reports-dir', reports]);
    assert.equal(r.code, 1, r.stdout.slice(-1500) + r.stderr);
    assert.match(r.stdout, /^PASSED \(subset: 2 of \d+ checks\): the embedded sandbox/m);
    assert.doesNotMatch(r.stdout, /^CONFORMANT/m);
    const summary = readSummary(reports);
    assert.equal(summary.status, 'passed-subset');
    assert.equal(summary.conformant, false);
    assert.deepEqual(summary.selection, { grep: 'CON-00[2-3]' });
    const notRun = summary.checks.filter((c) => c.verdict === 'not-run');
    assert.equal(notRun.length, summary.totals.total - 2);
    assert.ok(notRun.every((c) => c.reason === 'not selected by --grep "CON-00[2-3]"'));
    const md = readFileSync(path.join(reports, 'summary.md'), 'utf8');
    assert.match(md.split('\n')[0] ?? '', /^# PASSED \(subset: 2 of \d+ checks\)/);
    assert.match(md, /\| selection \| --grep "CON-00\[2-3\]" \|/);
    // JUnit: every check that did not run is a skipped testcase that says why.
    const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
    const skipped = [...junit.matchAll(/<skipped message="([^"]*)"\/>/g)].map((m) => m[1]);
    assert.equal(skipped.length, notRun.length);
    assert.ok(skipped.every((m) => m === 'not run: not selected by --grep &quot;CON-00[2-3]&quot;'));

    const allowed = await cli(['run', '--grep', 'CON-00[2-3]', '--allow-subset', '--reports-dir', reports]);
    assert.equal(allowed.code, 0, allowed.stdout.slice(-1500) + allowed.stderr);
  });

  it('a check the profile cannot run is skipped with its reason, in the summary and in JUnit', async () => {
    const dir = tempDir('psd2c-skip-');
    const profile = path.join(dir, 'no-cards.yaml');
    const sandbox = readFileSync(path.join(import.meta.dirname, '../../profiles/sandbox.yaml'), 'utf8');
    writeFileSync(
      profile,
      sandbox.replace('name: sandbox', 'name: no-cards').replace('cardAccounts: true', 'cardAccounts: false'),
    );
    const reports = path.join(dir, 'reports');
    const r = await cli([
      'run',
      '--profile',
      profile,
      '--grep',
      'CRD-001',
      '--reports-dir',
      reports,
      '--allow-subset',
    ]);
    assert.equal(r.code, 0, r.stdout.slice(-1500) + r.stderr);
    const verdict = readSummary(reports).checks.find((c) => c.id === 'CRD-001');
    assert.equal(verdict?.verdict, 'skipped');
    assert.match(verdict?.reason ?? '', /does not offer "cardAccounts"/);
    const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
    assert.match(
      junit,
      /<testcase name="CRD-001 [^"]*"[^>]*>[\s\S]*?<skipped message="the target does not offer &quot;cardAccounts&quot;[^"]*"\/>/,
    );
  });

  it('bad arguments stop the run before anything is deleted: the last reports stay as they were', async () => {
    const reports = tempDir('psd2c-evidence-');
    mkdirSync(path.join(reports, 'allure-report'), { recursive: true });
    const evidence = {
      'summary.json': '{"last night": true}',
      'junit.xml': '<testsuites/>',
      'allure-report/index.html': 'x',
    };
    for (const [file, text] of Object.entries(evidence)) writeFileSync(path.join(reports, file), text);
    const before = Object.keys(evidence).map((f) => statSync(path.join(reports, f)).mtimeMs);
    for (const args of [
      ['--shard', '4/3'],
      ['--grep', '(unclosed'],
      ['--grep', 'NO-SUCH-CHECK'],
      ['--profile', 'no-such-profile'],
      ['--workers', '0'],
    ]) {
      const r = await cli(['run', ...args, '--reports-dir', reports]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      for (const [file, text] of Object.entries(evidence))
        assert.equal(readFileSync(path.join(reports, file), 'utf8'), text, file);
    }
    assert.deepEqual(
      Object.keys(evidence).map((f) => statSync(path.join(reports, f)).mtimeMs),
      before,
    );
  });
});
