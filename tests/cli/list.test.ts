import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalogue } from '../../src/checks/catalogue.ts';
import { cli, tempDir } from '../suite/helpers.ts';

describe('psd2-conformance list', () => {
  const cwd = tempDir('psd2c-list-');

  it('--json prints every check with its reference, where it is declared and whether it runs', async () => {
    const r = await cli(['list', '--json'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    const listed = JSON.parse(r.stdout) as {
      id: string;
      reference: string;
      location: { file: string };
      skip?: string;
    }[];
    assert.deepEqual(
      listed.map((c) => c.id),
      loadCatalogue().map((c) => c.id),
    );
    for (const c of listed) {
      assert.ok(c.reference.length > 3, c.id);
      assert.match(c.location.file, /^specs\/.+\.spec\.ts$/, c.id);
    }
  });

  it('--grep and a profile: the selection, with the checks the profile skips and why', async () => {
    const r = await cli(['list', '--profile', 'mypos', '--grep', 'CRD-|TLS-00[1-2]', '--json'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    const listed = JSON.parse(r.stdout) as { id: string; skip?: string }[];
    assert.ok(listed.length >= 3);
    assert.ok(listed.every((c) => /^(CRD-|TLS-00[12])/.test(c.id)));
    const table = await cli(['list', '--grep', 'TLS-00[1-2]'], { cwd });
    assert.match(table.stdout, /^TLS-001 +A TLS 1\.0 handshake is refused +myPOS PSD2 overview/m);
    assert.match(table.stdout, /2 checks selected, 2 would run, 0 skipped by profile sandbox/);
  });
});
