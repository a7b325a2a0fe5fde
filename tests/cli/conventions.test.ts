import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { packagePath } from '../../src/paths.ts';
import { cli, readSummary, tempDir } from '../suite/helpers.ts';

describe('small CLI conventions', () => {
  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    const { version } = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `psd2-conformance ${version}`);
  });

  it('sandbox --print-config writes a config file that run --config accepts as it is', async () => {
    const dir = tempDir('psd2c-print-config-');
    const file = path.join(dir, 'sandbox.yaml');
    const sandbox = spawn(
      process.execPath,
      [packagePath('bin/psd2-conformance.js'), 'sandbox', '--print-config', file],
      {
        cwd: packagePath(),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    try {
      const deadline = Date.now() + 30_000;
      while (!existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(existsSync(file), 'the config file was written');
      assert.equal(statSync(file).mode & 0o077, 0, 'readable by its owner only');
      const reports = path.join(dir, 'reports');
      const r = await cli([
        'run',
        '--config',
        file,
        '--grep',
        'CON-001 |CTR-001 ',
        '--allow-subset',
        '--reports-dir',
        reports,
      ]);
      assert.equal(r.code, 0, r.stdout.slice(-2000) + r.stderr);
      const summary = readSummary(reports);
      assert.equal(summary.embedded, false);
      assert.equal(summary.totals.passed, 2);
    } finally {
      sandbox.kill('SIGTERM');
    }
  });
});
