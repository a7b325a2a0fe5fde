// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the profile's placeholders, not templates
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandPlaceholders } from '../../src/sca/driver.ts';

const values = {
  'psu.id': 'psu-${decision}',
  'psu.password': "pa$$w$&rd$'",
  decision: 'approve',
  accounts: 'first',
};

describe('SCA step placeholders', () => {
  it('fills a password holding $ patterns as written', () => {
    assert.equal(expandPlaceholders('${psu.password}', values), "pa$$w$&rd$'");
  });
  it('expands once: a PSU ID that holds a placeholder stays as it is', () => {
    assert.equal(expandPlaceholders('#${psu.id} ${decision}', values), '#psu-${decision} approve');
  });
  it('leaves unknown placeholders alone', () => {
    assert.equal(expandPlaceholders('${target.apiKey} ${accounts}', values), '${target.apiKey} first');
  });
});
