import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Contract } from '../../src/contract/contract.ts';
import { warmContractCache } from '../../src/contract/load-contract.ts';
import { DEFAULT_CONTRACTS, PACKAGE_ROOT } from '../../src/paths.ts';
import { EXAMPLES } from '../fixtures/examples.ts';

function setPointer(target: unknown, pointer: string, value: unknown, remove: boolean): void {
  const tokens = pointer.split('/').slice(1);
  const last = tokens.pop() ?? '';
  let node = target as Record<string, unknown>;
  for (const token of tokens) node = node[token] as Record<string, unknown>;
  if (remove) delete node[last];
  else node[last] = value;
}

describe('validators compiled ahead into the cache', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'psd2c-precompiled-'));
  let cached: Contract;
  let compiled: Contract;
  before(() => {
    process.env.PSD2_CONTRACT_CACHE = dir;
    assert.equal(warmContractCache(), true);
    cached = new Contract(DEFAULT_CONTRACTS, PACKAGE_ROOT);
    compiled = new Contract(DEFAULT_CONTRACTS, PACKAGE_ROOT, { precompiled: false });
  });
  after(() => {
    delete process.env.PSD2_CONTRACT_CACHE;
    rmSync(dir, { recursive: true, force: true });
  });

  it('are written to the cache and read back by a new contract', () => {
    assert.ok(readdirSync(dir).some((f) => f.startsWith('validators-') && f.endsWith('-body.cjs')));
    assert.equal(cached.usesPrecompiled, true);
    assert.equal(compiled.usesPrecompiled, false);
  });

  it('give every example, correct and broken, the same violations as validators compiled on first use', () => {
    for (const example of EXAMPLES) {
      const broken = structuredClone(example.body);
      setPointer(broken, example.breakAt.pointer, example.breakAt.value, example.breakAt.remove === true);
      for (const body of [example.body, broken]) {
        const response = { status: example.status, headers: example.headers, body: JSON.stringify(body) };
        assert.deepEqual(
          cached.validateResponse(example.operationId, response),
          compiled.validateResponse(example.operationId, response),
          `${example.operationId} ${example.status}`,
        );
      }
    }
  });

  it('are not read when the contracts change', () => {
    const other = new Contract(['openapi/mypos/xs2a-mypos.yaml', 'openapi/oauth2.yaml'], PACKAGE_ROOT);
    assert.equal(other.usesPrecompiled, false);
  });
});
