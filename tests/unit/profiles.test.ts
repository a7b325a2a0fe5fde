import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadCatalogue } from '../../src/checks/catalogue.ts';
import { loadProfile } from '../../src/config/profile.ts';
import { loadContract } from '../../src/contract/load-contract.ts';
import { packagePath } from '../../src/paths.ts';

const CHECKS = loadCatalogue();

const ids = new Set(CHECKS.map((c) => c.id));

describe('profiles', () => {
  for (const file of readdirSync(packagePath('profiles')).filter((f) => f.endsWith('.yaml'))) {
    const name = file.replace(/\.yaml$/, '');
    it(`${name}: loads, its contracts compile, its deviations name catalogue checks with a source`, () => {
      const profile = loadProfile(name);
      assert.equal(profile.name, name);
      const contract = loadContract(profile.contracts);
      assert.ok(contract.operations.size > 10);
      for (const d of profile.deviations) {
        assert.ok(ids.has(d.check), `deviation names unknown check ${d.check}`);
        assert.ok(d.source.length > 5 && d.reason.length > 5);
      }
    });
  }

  it('the catalogue has unique IDs, at least 150 checks, and operations the contract declares', () => {
    assert.equal(ids.size, CHECKS.length);
    assert.ok(CHECKS.length >= 150);
    const operations = loadContract().operations;
    const unknown = CHECKS.flatMap((c) => c.operations).filter((op) => !operations.has(op));
    assert.deepEqual(unknown, []);
  });
});
