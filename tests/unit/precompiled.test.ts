import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
    assert.ok(existsSync(path.join(dir, `validators-${cached.cacheKey()}`, 'index.json')));
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

  /** Runs `use` with the validators warmed into a cache folder of its own; gives it that cache's module folder. */
  function withOwnCache(use: (folder: string) => void): void {
    const other = mkdtempSync(path.join(tmpdir(), 'psd2c-precompiled-own-'));
    try {
      process.env.PSD2_CONTRACT_CACHE = other;
      assert.equal(warmContractCache(), true);
      use(path.join(other, `validators-${cached.cacheKey()}`));
    } finally {
      process.env.PSD2_CONTRACT_CACHE = dir;
      rmSync(other, { recursive: true, force: true });
    }
  }

  it('are loaded an operation at a time, on its first validation', () => {
    withOwnCache((folder) => {
      const chunks = readdirSync(folder).filter((f) => f.endsWith('.cjs'));
      assert.ok(chunks.length > 10, `one module per operation, found ${chunks.length}`);
      const fresh = new Contract(DEFAULT_CONTRACTS, PACKAGE_ROOT);
      assert.equal(fresh.usesPrecompiled, true);
      assert.equal(fresh.precompiledModulesLoaded, 0, 'constructing a contract loads no validator module');
      fresh.validateResponseBody('getAccountList', 200, 'application/json', { accounts: [] });
      assert.equal(fresh.precompiledModulesLoaded, 1, 'validating one operation loads its own module only');
    });
  });

  it('fall back to compiling when a module in the cache is damaged', () => {
    withOwnCache((folder) => {
      for (const f of readdirSync(folder).filter((name) => name.endsWith('.cjs')))
        writeFileSync(path.join(folder, f), 'this is not JavaScript(');
      const damaged = new Contract(DEFAULT_CONTRACTS, PACKAGE_ROOT);
      assert.equal(damaged.usesPrecompiled, true);
      assert.deepEqual(
        damaged.validateResponseBody('getAccountList', 200, 'application/json', { accounts: [] }),
        [],
      );
      assert.ok(damaged.validateResponseBody('getAccountList', 200, 'application/json', {}).length > 0);
    });
  });

  it('are not read when the contracts change', () => {
    const other = new Contract(['openapi/mypos/xs2a-mypos.yaml', 'openapi/oauth2.yaml'], PACKAGE_ROOT);
    assert.equal(other.usesPrecompiled, false);
  });
});
