import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { createSeed } from '../../sandbox/seed.ts';
import { packagePath } from '../../src/paths.ts';
import { cli, readSummary, tempDir } from '../suite/helpers.ts';

/** The entries of a zip file (a Playwright trace), inflated: enough of the format to read what a trace holds. */
function zipEntries(file: string): Map<string, Buffer> {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : data);
    at += 46 + skip;
  }
  return entries;
}

/** A profile of one's own: the sandbox's steps, with one selector changed. */
function profileWith(dir: string, change: (yaml: string) => string): string {
  const file = path.join(dir, 'mine.yaml');
  const sandbox = readFileSync(packagePath('profiles/sandbox.yaml'), 'utf8').replace(
    /^name: sandbox$/m,
    'name: mine',
  );
  writeFileSync(file, change(sandbox));
  return file;
}

describe('psd2-conformance sca-try: rehearse the SCA steps', () => {
  it('drives the sandbox with the profile, step by step, with screenshots and a trace that holds no password', async () => {
    const out = tempDir('psd2c-sca-try-');
    writeFileSync(path.join(out, 'notes.txt'), 'a file of the user');
    const r = await cli(['sca-try', '--out', out]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ step "login" .*screenshot .*01-login\.png/);
    assert.match(r.stdout, /✓ step "review" .*screenshot .*02-review\.png/);
    assert.match(r.stdout, /back at the redirect URI with a code, state returned/);
    assert.match(r.stdout, /sca-try: the SCA steps work/);
    const files = readdirSync(out);
    assert.ok(files.includes('notes.txt'), 'a rehearsal removes only what an earlier one wrote');
    assert.ok(files.includes('01-login.png') && files.includes('02-review.png'), files.join(' '));
    const traces = files.filter((f) => f.endsWith('.zip'));
    assert.ok(traces.length >= 1, files.join(' '));
    const passwords = createSeed(1).psus.map((p) => p.password);
    let actions = 0;
    for (const trace of traces) {
      for (const [name, data] of zipEntries(path.join(out, trace))) {
        const text = data.toString('latin1');
        if (name === 'trace.trace') actions += (text.match(/"type":"before"/g) ?? []).length;
        for (const password of passwords)
          assert.ok(!text.includes(password), `the password in ${trace}/${name}`);
      }
    }
    assert.ok(actions > 0, 'the traces record the steps');
  });

  it("rehearses a profile of one's own against the sandbox: its own steps, to the end", async () => {
    const dir = tempDir('psd2c-sca-mine-');
    const profile = profileWith(dir, (yaml) => yaml);
    const r = await cli(['sca-try', '--profile', profile, '--out', path.join(dir, 'out')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^sca-try: profile mine \(.*mine\.yaml\), 2 steps, against the embedded sandbox/m);
    assert.match(r.stdout, /sca-try: the SCA steps work/);
  });

  it('names the step and the selector a broken profile cannot find, as a problem of the profile, in sca-try and in a run', async () => {
    const dir = tempDir('psd2c-sca-broken-');
    const profile = profileWith(dir, (yaml) => yaml.replace("click: '#login'", "click: '#log-in'"));
    const config = path.join(dir, 'config.yaml');
    writeFileSync(config, 'browser:\n  stepTimeoutMs: 1500\n');
    const tried = await cli([
      'sca-try',
      '--config',
      config,
      '--profile',
      profile,
      '--out',
      path.join(dir, 'out'),
    ]);
    assert.equal(tried.code, 1, tried.stdout + tried.stderr);
    assert.match(
      tried.stdout,
      /✘ step "login" .*SCA step "login": selector #log-in not found on https:\/\/127\.0\.0\.1:\d+\/oauth\/authorize within 1500 ms \(to click\)/,
    );
    assert.match(tried.stdout, /sca-try: a profile problem in step "login"/);
    assert.ok(existsSync(path.join(dir, 'out', '01-login.png')));
    assert.doesNotMatch(tried.stdout, /did not redirect/);

    const reports = path.join(dir, 'reports');
    const run = await cli([
      'run',
      '--config',
      config,
      '--profile',
      profile,
      '--grep',
      'SCA-002 |ACC-001 ',
      '--reports-dir',
      reports,
    ]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const failed = readSummary(reports).checks.find((c) => c.id === 'SCA-002');
    assert.equal(failed?.verdict, 'failed');
    assert.match(
      failed?.message ?? '',
      /SCA step "login": selector #log-in not found on https:\/\/127\.0\.0\.1:\d+\/oauth\/authorize/,
    );
    assert.match(
      failed?.message ?? '',
      /a problem of the profile's SCA steps .*mine\.yaml.*, not of the bank/,
    );
    assert.doesNotMatch(failed?.message ?? '', /did not redirect|documented deviation/);
    // ACC-001 stands on the run's consent: blocked by it, with the page the flow failed on kept as a file.
    const blocked = readSummary(reports).checks.find((c) => c.id === 'ACC-001');
    assert.equal(blocked?.verdict, 'blocked');
    assert.match(
      blocked?.message ?? '',
      /SCA step "login": selector #log-in not found.*screenshot: test-results\/sca-failure-consent-run\.png/s,
    );
    assert.ok(existsSync(path.join(reports, 'test-results', 'sca-failure-consent-run.png')));
  });
});
