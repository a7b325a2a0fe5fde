import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadCatalogue } from '../../src/checks/catalogue.ts';
import { DEFAULT_CAPABILITIES, loadProfile, PROFILE_SCHEMA } from '../../src/config/profile.ts';
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

  it('states in its schema (docs/profile.md) the defaults the loader applies', () => {
    for (const [key, node] of Object.entries(PROFILE_SCHEMA.properties.capabilities.properties)) {
      if ('default' in node)
        assert.deepEqual(node.default, DEFAULT_CAPABILITIES[key as keyof typeof DEFAULT_CAPABILITIES], key);
    }
    const bare = loadProfile(packagePath('profiles/berlin-group.yaml'));
    assert.equal(PROFILE_SCHEMA.properties.sca.properties.ignoreHttpsErrors.default, false);
    assert.equal(bare.flavour, PROFILE_SCHEMA.properties.flavour.default);
  });
});
