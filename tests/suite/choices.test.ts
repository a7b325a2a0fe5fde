import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BANK_CHOICES } from '../../sandbox/faults/choices.ts';
import { cli, readSummary, tempDir } from './helpers.ts';

/**
 * Where Berlin Group leaves the answer to the bank, the checks accept every allowed one: with each choice of
 * sandbox/faults/choices.ts on, the sandbox answers the other way and the checks of the rule still pass, saying
 * which answer they saw.
 */
describe('bank choices: no false alarm against a bank that chose differently', () => {
  for (const choice of BANK_CHOICES) {
    it(`${choice.id}: ${choice.mustPass.join(', ')} pass and name the bank's choice`, async () => {
      const reports = tempDir('psd2c-choice-');
      const grep = `(${choice.mustPass.join('|')}) `;
      const baseline = await cli(['run', '--grep', grep, '--allow-subset', '--reports-dir', reports]);
      assert.equal(baseline.code, 0, baseline.stdout.slice(-1500) + baseline.stderr);
      const choicesBefore = new Map(readSummary(reports).checks.map((c) => [c.id, c.bankChoice]));
      const r = await cli([
        'run',
        '--faults',
        choice.id,
        '--grep',
        grep,
        '--allow-subset',
        '--reports-dir',
        reports,
      ]);
      assert.equal(r.code, 0, r.stdout.slice(-1500) + r.stderr);
      const mustPass: readonly string[] = choice.mustPass;
      const checks = readSummary(reports).checks.filter((c) => mustPass.includes(c.id));
      assert.deepEqual(
        checks.map((c) => `${c.id} ${c.verdict}`),
        choice.mustPass.map((id) => `${id} passed`),
      );
      // The choice changed what the sandbox answers: a check that reports the bank's choice now reports another.
      const changed = checks.filter((c) => c.bankChoice && c.bankChoice !== choicesBefore.get(c.id));
      assert.ok(
        changed.length > 0,
        `no check saw the choice: ${JSON.stringify(checks.map((c) => c.bankChoice))}`,
      );
    });
  }
});
