import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cli, readSummary, tempDir } from './helpers.ts';

describe('the berlin-group profile assumes no optional feature of Berlin Group', () => {
  it('passes a bank that does not page its transactions: CONFORMANT, the paging check skipped with the reason', async () => {
    const reports = path.join(tempDir('psd2c-strict-'), 'reports');
    const r = await cli([
      'run',
      '--profile',
      'berlin-group',
      '--faults',
      'transactions-not-paged',
      '--reports-dir',
      reports,
    ]);
    assert.equal(r.code, 0, r.stdout.slice(-2000) + r.stderr);
    const summary = readSummary(reports);
    assert.equal(summary.status, 'conformant');
    const paging = summary.checks.find((c) => c.id === 'TRX-006');
    assert.equal(paging?.verdict, 'skipped');
    assert.match(paging?.reason ?? '', /does not offer "transactionPagination" \(profile berlin-group/);
  });

  it('fails the same bank under a profile that declares paging', async () => {
    const reports = path.join(tempDir('psd2c-paging-'), 'reports');
    const r = await cli([
      'run',
      '--profile',
      'sandbox',
      '--faults',
      'transactions-not-paged',
      '--grep',
      'TRX-006',
      '--reports-dir',
      reports,
    ]);
    assert.equal(r.code, 1, r.stdout.slice(-2000) + r.stderr);
    assert.equal(readSummary(reports).checks.find((c) => c.id === 'TRX-006')?.verdict, 'failed');
  });
});
