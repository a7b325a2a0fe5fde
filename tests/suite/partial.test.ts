import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { Harness } from '../sandbox/harness.ts';
import { cli, readSummary, tempDir } from './helpers.ts';

describe('partial runs: never reported as a full conformance result', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start(['client-cert-optional']);
  });
  after(() => h.stop());

  it('with an access token and consent from elsewhere: no browser, browser-flow checks skipped with the reason', async () => {
    const consent = await h.approvedConsent();
    const dir = tempDir('psd2c-partial-');
    const c = h.config;
    const config = path.join(dir, 'psd2-conformance.yaml');
    writeFileSync(
      config,
      stringify({
        profile: 'sandbox',
        target: { baseUrl: c.baseUrl, tokenUrl: c.tokenUrl },
        tls: { cert: c.cert, key: c.key, ca: c.ca },
        partial: { consentId: consent.consentId },
      }),
    );
    const reports = path.join(dir, 'reports');
    const r = await cli([
      'run',
      '--config',
      config,
      '--access-token',
      consent.accessToken,
      '--reports-dir',
      reports,
      '--grep',
      'ACC-00[1-9]|BAL-00|SCA-00[1-4]',
      '--allow-subset',
    ]);
    assert.equal(r.code, 0, r.stdout.slice(-2000) + r.stderr);
    assert.match(r.stdout, /PARTIAL RUN, not a full conformance result/);
    assert.match(r.stdout, /^PASSED \(partial run: \d+ of \d+ checks\)/m);
    const summary = readSummary(reports);
    assert.match(summary.partial ?? '', /access token and consent obtained elsewhere/);
    const byId = new Map(summary.checks.map((v) => [v.id, v]));
    assert.equal(byId.get('ACC-001')?.verdict, 'passed');
    assert.equal(byId.get('BAL-001')?.verdict, 'passed');
    assert.equal(byId.get('SCA-002')?.verdict, 'skipped');
    assert.match(byId.get('SCA-002')?.reason ?? '', /needs the browser SCA/);
    assert.match(
      readFileSync(path.join(reports, 'summary.md'), 'utf8').split('\n')[0] ?? '',
      /^> \*\*Partial run, not a full conformance result/,
    );
    assert.ok(!readFileSync(path.join(reports, 'summary.md'), 'utf8').includes(consent.accessToken));
  });

  it('against a target without mTLS: transport checks skipped, the summary says so on its first line', async () => {
    const dir = tempDir('psd2c-nomtls-');
    const c = h.config;
    const psu = c.psus[0] ?? { id: '', password: '' };
    const config = path.join(dir, 'psd2-conformance.yaml');
    writeFileSync(
      config,
      stringify({
        profile: 'sandbox',
        target: { baseUrl: c.baseUrl, tokenUrl: c.tokenUrl },
        client: { clientId: c.clientId, clientSecret: c.clientSecret, redirectUri: c.redirectUri },
        tls: { ca: c.ca },
        psu,
      }),
    );
    const reports = path.join(dir, 'reports');
    const r = await cli([
      'run',
      '--config',
      config,
      '--reports-dir',
      reports,
      '--grep',
      'TLS-00[1-4]|CON-00[1-3]',
    ]);
    // A partial run is never a conformance result: without --allow-subset it exits 1 though nothing failed.
    assert.equal(r.code, 1, r.stdout.slice(-2000) + r.stderr);
    assert.match(r.stdout, /a subset is not a conformance result/);
    const summary = readSummary(reports);
    assert.equal(summary.status, 'passed-subset');
    assert.match(summary.partial ?? '', /no client certificate/);
    const ran = summary.checks.filter((v) => v.verdict !== 'not-run');
    const tls = ran.filter((v) => v.id.startsWith('TLS-'));
    assert.ok(tls.length > 0 && tls.every((v) => v.verdict === 'skipped'));
    assert.ok(ran.filter((v) => v.id.startsWith('CON-')).every((v) => v.verdict === 'passed'));
    assert.match(readFileSync(path.join(reports, 'summary.md'), 'utf8').split('\n')[0] ?? '', /Partial run/);
  });
});
