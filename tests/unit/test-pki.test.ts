import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('test PKI cache', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'psd2c-pki-race-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives processes that ask at once on a fresh cache one consistent PKI', async () => {
    // Each process checks right away what a sandbox would load: the server and client certificates
    // must all be signed by the CA it was told about, whoever else is writing the cache meanwhile.
    const script = `import { readFileSync } from 'node:fs';
      import { X509Certificate } from 'node:crypto';
      import { ensureTestPki } from ${JSON.stringify(path.join(ROOT, 'sandbox/pki/test-pki.ts'))};
      const pki = await ensureTestPki(${JSON.stringify(dir)});
      const ca = new X509Certificate(readFileSync(pki.ca));
      const leaves = [pki.server.cert, pki.clients.allRoles.cert, pki.clients.aisOnly.cert];
      const consistent = leaves.every((file) => new X509Certificate(readFileSync(file)).verify(ca.publicKey));
      console.log(JSON.stringify({ ...pki, consistent }));`;
    const outputs = await Promise.all(
      Array.from({ length: 6 }, () =>
        run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT }),
      ),
    );
    const pkis = outputs.map(
      (output) => JSON.parse(output.stdout) as { ca: string; server: { cert: string }; consistent: boolean },
    );
    assert.deepEqual(
      pkis.map((pki) => pki.consistent),
      pkis.map(() => true),
      'each process saw certificates signed by its CA',
    );
    assert.equal(new Set(pkis.map((pki) => pki.ca)).size, 1, 'every process reads the same generation');
    const ca = new X509Certificate(readFileSync(pkis[0]!.ca));
    const server = new X509Certificate(readFileSync(pkis[0]!.server.cert));
    assert.ok(server.verify(ca.publicKey), 'the server certificate is signed by the CA next to it');
  });
});
