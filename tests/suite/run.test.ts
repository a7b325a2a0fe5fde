import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningSandbox, startSandbox } from '../../sandbox/start.ts';
import { loadCatalogue } from '../../src/checks/catalogue.ts';
import { packagePath } from '../../src/paths.ts';
import { allureWidget, cli, configFor, filesUnder, readSummary, tempDir } from './helpers.ts';

const CHECKS = loadCatalogue();

describe('the README run command against the embedded sandbox', () => {
  const reports = tempDir('psd2c-run-');
  let result: Awaited<ReturnType<typeof cli>>;
  before(async () => {
    result = await cli(['run', '--reports-dir', reports]);
  });

  it('exits 0 with every check passing, at least 150 of them, at least 6 through the browser', () => {
    assert.equal(result.code, 0, result.stdout.slice(-3000) + result.stderr.slice(-2000));
    const summary = readSummary(reports);
    assert.ok(summary.totals.total >= 150, `${summary.totals.total} checks`);
    assert.equal(summary.totals.passed, summary.totals.total);
    const browser = new Set(CHECKS.filter((c) => c.tags.includes('browser')).map((c) => c.id));
    const throughBrowser = summary.checks.filter((c) => browser.has(c.id) && c.verdict === 'passed').length;
    assert.ok(throughBrowser >= 6, `${throughBrowser} browser checks`);
    assert.equal(summary.embedded, true);
    assert.equal(summary.conformant, true);
    assert.match(summary.verdictsSha256, /^[0-9a-f]{64}$/);
    assert.match(
      result.stdout,
      /^CONFORMANT: the embedded sandbox \(https:\/\/127\.0\.0\.1:\d+\), profile sandbox: \d+ passed, 0 failed/m,
    );
  });

  it('writes the Allure single-file report without analytics, JUnit XML and the summaries', () => {
    for (const file of ['allure-report/index.html', 'junit.xml', 'summary.json', 'summary.md']) {
      assert.ok(existsSync(path.join(reports, file)), file);
    }
    const html = readFileSync(path.join(reports, 'allure-report/index.html'), 'utf8');
    assert.doesNotMatch(html, /googletagmanager|gtag\(/);
    const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
    assert.match(junit, /<testsuites[^>]* tests="\d{3}"/);
    const md = readFileSync(path.join(reports, 'summary.md'), 'utf8');
    assert.match(md.split('\n')[0] ?? '', /^# CONFORMANT: the embedded sandbox/);
  });

  it('carries the reference of each check: JUnit properties, the summary.md column, summary.json; no absolute path', () => {
    const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
    const con001 = CHECKS.find((c) => c.id === 'CON-001');
    assert.ok(con001);
    const testcase = /<testcase name="CON-001 [^"]*"[^>]*>([\s\S]*?)<\/testcase>/.exec(junit)?.[1] ?? '';
    assert.match(testcase, /<property name="check" value="CON-001"\/>/);
    assert.match(testcase, /<property name="severity" value="blocker"\/>/);
    assert.match(testcase, /<property name="reference" value="BG IG 1\.3 §6\.3\.1\.1 createConsent"\/>/);
    const md = readFileSync(path.join(reports, 'summary.md'), 'utf8');
    assert.match(md, /^\| check \| verdict \| title \| reference \| note \|$/m);
    assert.ok(md.includes(`| CON-001 | passed | ${con001.title} | ${con001.reference} |`));
    const json = readFileSync(path.join(reports, 'summary.json'), 'utf8');
    assert.equal(readSummary(reports).checks.find((c) => c.id === 'CON-001')?.reference, con001.reference);
    assert.ok(!json.includes(packagePath()), 'summary.json names no absolute path of this machine');
  });

  it('locates every test in its spec file, never in the wrapper', () => {
    const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
    assert.doesNotMatch(junit, /src\/checks\/check\.ts/);
    const files = new Set(
      [...junit.matchAll(/<testcase name="[^"]*" classname="([^"]+)"/g)].map((m) => m[1]),
    );
    for (const file of files) assert.match(file ?? '', /\.spec\.ts$/);
  });

  it('labels Allure results as Allure users expect: by service and operation, one label per tag, the rule as description, a reference link, no fake steps', () => {
    const results = filesUnder(path.join(reports, 'allure-results'))
      .filter((f) => f.endsWith('-result.json'))
      .map(
        (f) =>
          JSON.parse(readFileSync(f, 'utf8')) as {
            name: string;
            description?: string;
            labels: { name: string; value: string }[];
            links: unknown[];
            steps: { name: string }[];
          },
      );
    assert.ok(results.length >= 150);
    for (const r of results) {
      const names = r.labels.map((l) => l.name);
      for (const label of ['epic', 'feature', 'severity', 'obligation', 'tag'])
        assert.ok(names.includes(label), `${r.name}: ${label}`);
      assert.ok(!names.includes('story'), `${r.name}: no folder per check`);
      const tags = r.labels.filter((l) => l.name === 'tag').map((l) => l.value);
      assert.deepEqual(tags, [...new Set(tags)], `${r.name}: one label per tag`);
      assert.match(r.description ?? '', /^\*\*[A-Z]+(-[A-Z]+)?-\d+\*\*: .*Reference: /s, r.name);
      assert.ok(r.links.length > 0, r.name);
      assert.deepEqual(
        r.steps.filter((s) =>
          /^(check|reference|severity|obligation|service|operations|requires|needs): /.test(s.name),
        ),
        [],
        `${r.name}: no annotation shown as a step`,
      );
    }
  });
});

describe('a run against a sandbox with one fault', () => {
  for (const [fault, check] of [
    ['consent-no-location', 'CON-003'],
    ['amounts-as-numbers', 'BAL-003'],
  ] as const) {
    it(`${fault}: exits 1 with ${check} failed`, async () => {
      const reports = tempDir('psd2c-fault-');
      const r = await cli(['run', '--faults', fault, '--reports-dir', reports, '--grep', `${check}|CTR-`]);
      assert.equal(r.code, 1, r.stdout.slice(-2000) + r.stderr);
      const summary = readSummary(reports);
      const verdict = summary.checks.find((c) => c.id === check);
      assert.equal(verdict?.verdict, 'failed');
      assert.match(r.stdout, /NOT CONFORMANT/);
      // The kind of each failure is data: the check's rule broken, or its operation's contract.
      assert.equal(verdict?.failure?.kind, 'rule');
      assert.ok(summary.checks.some((c) => c.id.startsWith('CTR-') && c.failure?.kind === 'contract'));
      const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
      assert.match(junit, /<failure message="[^"]*" type="rule broken">/);
      assert.match(junit, /<failure message="[^"]*" type="contract broken">/);
    });
  }
});

describe('a step every check stands on fails', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  it('a refused client_credentials token blocks the checks that stand on it: named, typed, never a pass, one finding', async () => {
    const dir = tempDir('psd2c-precondition-');
    const config = configFor(sandbox, dir);
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        /clientSecret: .*/,
        'clientSecret: psd2-conformance-not-the-secret',
      ),
    );
    const reports = path.join(dir, 'reports');
    const r = await cli(['run', '--config', config, '--reports-dir', reports, '--grep', 'CON-00[25] ']);
    assert.equal(r.code, 1, r.stdout.slice(-2000) + r.stderr);
    const summary = readSummary(reports);
    for (const id of ['CON-002', 'CON-005']) {
      const c = summary.checks.find((v) => v.id === id);
      assert.equal(c?.verdict, 'blocked', id);
      assert.equal(c?.failure?.kind, 'precondition', id);
      assert.equal(c?.failure?.step, 'a client_credentials token', id);
      assert.ok(!c?.message?.includes('documented deviation'), `${id}: ${c?.message?.slice(0, 200)}`);
    }
    assert.equal(summary.status, 'not-conformant');
    assert.equal(summary.totals.blocked, 2);
    assert.deepEqual(summary.findings, [
      {
        cause: 'the precondition "a client_credentials token" failed',
        checks: ['CON-002', 'CON-005'],
        kind: 'precondition',
      },
    ]);
    assert.match(
      readFileSync(path.join(reports, 'summary.md'), 'utf8'),
      /blocked by "a client_credentials token" \(2\): CON-002, CON-005/,
    );
    assert.match(
      readFileSync(path.join(reports, 'junit.xml'), 'utf8'),
      /<skipped message="blocked by a client_credentials token: /,
    );
  });
});

describe('faults switched on from the config file', () => {
  it('sandbox.faults in the config: exits 1 with the check covering that rule failed', async () => {
    const dir = tempDir('psd2c-config-fault-');
    const config = path.join(dir, 'psd2-conformance.yaml');
    writeFileSync(config, 'sandbox:\n  faults: [consent-no-location]\n');
    const reports = path.join(dir, 'reports');
    const r = await cli(['run', '--config', config, '--reports-dir', reports, '--grep', 'CON-003 ']);
    assert.equal(r.code, 1, r.stdout.slice(-1500) + r.stderr);
    assert.equal(readSummary(reports).checks.find((c) => c.id === 'CON-003')?.verdict, 'failed');
    // Allure shows the verdict (Playwright runs a failed check as expected to fail) under its finding's category.
    const result = filesUnder(path.join(reports, 'allure-results'))
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(f, 'utf8')) as { name: string; status: string })
      .find((r) => r.name.startsWith('CON-003 '));
    assert.equal(result?.status, 'failed');
    assert.deepEqual(allureCategories(reports), [`1. ${readSummary(reports).findings[0]?.cause} (1 check)`]);
  });
});

describe('secrets stay out of every report', () => {
  let sandbox: RunningSandbox;
  const dir = tempDir('psd2c-secrets-');
  const reports = path.join(dir, 'reports');
  const apiKey = 'myPOS-consumer-key-0123456789';
  let result: Awaited<ReturnType<typeof cli>>;
  before(async () => {
    sandbox = await startSandbox();
    const config = configFor(sandbox, dir, {
      apiKey,
      profileHeaders: { 'API-Key': '$' + '{target.apiKey}' },
    });
    // --evidence all: the passed checks' exchanges are scanned too.
    result = await cli(['run', '--config', config, '--reports-dir', reports, '--evidence', 'all']);
  });
  after(() => sandbox.close());

  it('runs conformant against the sandbox as a configured target, keeping the evidence of passed checks', () => {
    assert.equal(result.code, 0, result.stdout.slice(-3000) + result.stderr.slice(-2000));
    assert.equal(readSummary(reports).embedded, false);
    const evidence = filesUnder(path.join(reports, 'allure-results')).filter((f) =>
      readFileSync(f, 'latin1').startsWith('### 1. '),
    );
    assert.ok(evidence.length > 300, `${evidence.length} exchange transcripts of passed checks`);
  });

  it('leaves no client secret, PSU password, token, code, API key or private key in reports/ or test-results/', () => {
    const c = sandbox.config;
    const state = sandbox.context.state;
    const secrets = new Map<string, string>([
      ['client secret', c.clientSecret],
      ['PSU password', c.psus[0]?.password ?? ''],
      ['other PSU password', c.psus[1]?.password ?? ''],
      ['other TPP secret', c.otherTpp.clientSecret],
      ['API key', apiKey],
      ['expired-consent token', c.fixtures.expiredConsent.accessToken],
    ]);
    for (const token of state.accessTokens.keys()) secrets.set(`access token ${token.slice(0, 4)}`, token);
    for (const token of state.refreshTokens.keys()) secrets.set(`refresh token ${token.slice(0, 4)}`, token);
    for (const code of state.codes.keys()) secrets.set(`authorization code ${code.slice(0, 4)}`, code);
    const keyBody = readFileSync(c.key, 'utf8')
      .split('\n')
      .filter((l) => l.length > 20 && !l.startsWith('-----'));
    for (const [i, line] of keyBody.entries()) secrets.set(`private key line ${i}`, line);
    assert.ok(state.codes.size > 5 && state.accessTokens.size > 10, 'the run issued codes and tokens');
    const files = [...filesUnder(reports), ...filesUnder(packagePath('test-results'))];
    assert.ok(files.length > 100, `${files.length} files to scan`);
    const leaks: string[] = [];
    for (const file of files) {
      const text = readFileSync(file).toString('latin1');
      for (const [name, value] of secrets) {
        const forms = [
          value,
          encodeURIComponent(value),
          Buffer.from(value).toString('base64'),
          Buffer.from(value).toString('base64url'),
        ];
        if (forms.some((f) => f.length >= 6 && text.includes(f)))
          leaks.push(`${name} in ${path.relative(dir, file)}`);
      }
    }
    assert.deepEqual(leaks, []);
  });
});

/** The names of the categories an Allure single-file report shows. */
function allureCategories(reportsDir: string): string[] {
  const widget = allureWidget<{ roots: string[]; nodes: Record<string, { name: string }> }>(
    reportsDir,
    'categories',
  );
  return widget.roots.map((id) => widget.nodes[id]?.name ?? id);
}
