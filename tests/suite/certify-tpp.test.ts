import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from '@playwright/test';
import { ReferenceTpp, TPP_BREAKS, type TppClientConfig } from '../../examples/tpp/reference-tpp.ts';
import { type Certification, certify } from '../../sandbox/certify/certification.ts';
import { TPP_RULES } from '../../sandbox/certify/tpp-rules.ts';
import type { SandboxFlavour } from '../../sandbox/context.ts';
import { type RunningSandbox, startSandbox } from '../../sandbox/start.ts';
import { packagePath } from '../../src/paths.ts';
import { launchChromium } from '../../src/sca/browser.ts';
import { ScaTabs } from '../../src/sca/page-pool.ts';
import { tempDir } from './helpers.ts';

/** How many reference TPPs run at once against the one sandbox (each its own registered TPP). */
const AT_ONCE = 4;

let browser: Browser;

before(async () => {
  const launched = await launchChromium();
  assert.ok(launched, 'a Chromium to drive the PSU pages');
  browser = launched;
});

after(async () => {
  await browser.close();
});

/** The client configuration of one registered TPP, as certify-tpp would print it for that TPP. */
function configOf(sandbox: RunningSandbox, name: string): TppClientConfig {
  const tpp = sandbox.config.tpps[name];
  if (!tpp) throw new Error(`no TPP ${name}`);
  return { ...sandbox.config, ...tpp };
}

/**
 * One sandbox examining one TPP per run: the clean reference TPP and one per break, AT_ONCE at a time in one
 * browser; each run judged on its own observations.
 */
async function certifyEach(
  flavour: SandboxFlavour,
  runs: { name: string; breaks: string[] }[],
): Promise<Map<string, Certification>> {
  const sandbox = await startSandbox({
    flavour,
    examine: true,
    tppFaults: Object.fromEntries(runs.map((r) => [r.name, []])),
  });
  const examiner = sandbox.context.examiner;
  assert.ok(examiner);
  try {
    const queue = [...runs];
    const worker = async () => {
      const tabs = new ScaTabs(async () => browser);
      for (let run = queue.shift(); run; run = queue.shift()) {
        await new ReferenceTpp({ config: configOf(sandbox, run.name), breaks: run.breaks, tabs }).run();
      }
    };
    await Promise.all(Array.from({ length: AT_ONCE }, worker));
  } finally {
    await sandbox.close();
  }
  return new Map(
    runs.map((r) => [r.name, certify(examiner.observationsOf(configOf(sandbox, r.name).clientId), 'full')]),
  );
}

function broken(c: Certification): string[] {
  return c.rules.filter((r) => r.verdict === 'failed' || r.verdict === 'warning').map((r) => r.id);
}

/** The clean reference TPP is certified with every rule passed; each break fails exactly its rule, with evidence. */
async function expectEachBreakToFailItsRule(flavour: SandboxFlavour): Promise<Map<string, Certification>> {
  const runs = [
    { name: 'clean', breaks: [] as string[] },
    ...TPP_BREAKS.map((b) => ({ name: b, breaks: [b] })),
  ];
  const results = await certifyEach(flavour, runs);
  const clean = results.get('clean');
  assert.ok(clean);
  assert.equal(clean.status, 'certified', clean.headline);
  assert.deepEqual(
    clean.rules.filter((r) => r.verdict !== 'passed').map((r) => `${r.id} ${r.verdict}: ${r.evidence[0]}`),
    [],
  );
  assert.ok(clean.scenarios.every((s) => s.result === 'exercised'));
  const wrong: string[] = [];
  for (const rule of TPP_RULES) {
    const result = results.get(rule.breakName);
    assert.ok(result);
    const own = result.rules.find((r) => r.id === rule.id);
    // A recommendation (a warning on this bank) is reported as one, never failing the certification.
    const expected = own?.severity === 'warning' ? 'warning' : 'failed';
    if (own?.verdict !== expected) wrong.push(`--break ${rule.breakName}: ${rule.id} is ${own?.verdict}`);
    const others = broken(result).filter((id) => id !== rule.id);
    if (others.length) wrong.push(`--break ${rule.breakName} also breaks ${others.join(', ')}`);
    if (own && own.verdict !== 'passed' && own.evidence.length === 0)
      wrong.push(`--break ${rule.breakName}: ${rule.id} has no evidence`);
    if (expected === 'failed' && result.status !== 'not-certified')
      wrong.push(`--break ${rule.breakName} is still certified`);
  }
  assert.deepEqual(wrong, []);
  return results;
}

describe('certify-tpp judges a TPP by its own requests', () => {
  it('Berlin Group: the clean reference TPP is certified; each break fails exactly its rule, no secret in evidence', async () => {
    const results = await expectEachBreakToFailItsRule('berlin-group');
    // The evidence names the request, never the token it carried in its URL.
    const evidence = JSON.stringify(results.get('token-in-url'));
    assert.match(evidence, /access_token=\[redacted\]/);
    assert.doesNotMatch(evidence, /access_token=[A-Za-z0-9_-]{10,}/);
  });

  it('myPOS: the clean reference TPP is certified; each break fails exactly its rule', async () => {
    await expectEachBreakToFailItsRule('mypos');
  });

  it('psd2-conformance certify-tpp and the reference TPP, as the README runs them: exit 0 and the reports', async () => {
    const dir = tempDir('certify-tpp-');
    const clientConfig = path.join(dir, 'client.json');
    const reports = path.join(dir, 'reports');
    const examiner = spawn(
      process.execPath,
      [
        packagePath('bin/psd2-conformance.js'),
        'certify-tpp',
        '--client-config',
        clientConfig,
        '--idle-exit',
        '2',
        '--reports-dir',
        reports,
      ],
      { cwd: packagePath(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    examiner.stdout.on('data', (d) => {
      stdout += d;
    });
    const examinerExit = new Promise<number | null>((resolve) => examiner.on('exit', resolve));
    const kill = setTimeout(() => examiner.kill('SIGKILL'), 120_000);
    try {
      while (!existsSync(clientConfig) && examiner.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      const tpp = spawn(
        process.execPath,
        ['--import', 'tsx', packagePath('examples/tpp/main.ts'), '--config', clientConfig],
        { cwd: packagePath(), stdio: 'ignore' },
      );
      assert.equal(await new Promise((resolve) => tpp.on('exit', resolve)), 0);
      assert.equal(await examinerExit, 0, stdout);
    } finally {
      clearTimeout(kill);
    }
    assert.match(stdout, /^CERTIFIED: certified at level full/m);
    const summary = JSON.parse(readFileSync(path.join(reports, 'summary.json'), 'utf8'));
    assert.equal(summary.kind, 'tpp-certification');
    assert.equal(summary.rules.length, TPP_RULES.length);
    const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
    assert.match(junit, /failures="0"/);
    assert.ok(existsSync(path.join(reports, 'summary.md')));
    assert.ok(existsSync(path.join(reports, 'allure-report', 'index.html')));
    const config = readFileSync(clientConfig, 'utf8');
    for (const file of ['summary.json', 'summary.md', 'junit.xml']) {
      const text = readFileSync(path.join(reports, file), 'utf8');
      const secret = JSON.parse(config).clientSecret as string;
      assert.ok(!text.includes(secret), `${file} holds the client secret`);
    }
  });
});
