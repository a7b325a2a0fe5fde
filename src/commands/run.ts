import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCatalogue } from '../checks/catalogue.ts';
import { grepPattern, selectChecks } from '../checks/select.ts';
import type { Check } from '../checks/types.ts';
import { loadConfig } from '../config/load.ts';
import { EXIT, UsageError } from '../errors.ts';
import { browserSettings, resolveRunPlan } from '../harness/resolve-run.ts';
import { RUN_FILE_ENV, writeRunFile } from '../harness/settings.ts';
import { PACKAGE_ROOT } from '../paths.ts';
import { generateAllureReport } from '../report/allure.ts';
import type { Summary } from '../report/summary.ts';
import { browserInstalled } from '../sca/browser.ts';
import { integerOption, parseCommandArgs } from './args.ts';

const USAGE = `usage: psd2-conformance run [--config file.yaml] [--profile sandbox|berlin-group|mypos|file.yaml]
                            [--grep regex] [--shard i/n] [--workers n] [--headed] [--waivers file.yaml]
                            [--faults a,b (embedded sandbox only)] [--reports-dir dir]
                            [--access-token-file file | PSD2_ACCESS_TOKEN (partial run, with PSD2_CONSENT_ID)]
                            [--no-token-endpoint] [--require-target] [--allow-subset] [--evidence failures|all]
Runs every check against the configured target, or against the embedded sandbox when none is configured
(--require-target, or requireTarget: true in the config, refuses the embedded sandbox: a release gate).
A run that did not run every check (--grep, --shard, a partial run) is never CONFORMANT: it ends
PASSED (subset: N of M checks) and exits 1 unless --allow-subset.
--evidence all keeps the redacted exchanges of passed checks too (for a certification body); failures always keep theirs.
--access-token token works too, but other users of the machine see a command line (ps): prefer the file or variable.
Exit codes: 0 conformant, 1 not conformant, 2 usage or configuration error, 3 target unreachable.`;

export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    config: { type: 'string' },
    profile: { type: 'string' },
    grep: { type: 'string' },
    shard: { type: 'string' },
    workers: { type: 'string' },
    headed: { type: 'boolean' },
    waivers: { type: 'string' },
    faults: { type: 'string' },
    'reports-dir': { type: 'string' },
    'access-token': { type: 'string' },
    'access-token-file': { type: 'string' },
    'no-token-endpoint': { type: 'boolean' },
    evidence: { type: 'string' },
    'require-target': { type: 'boolean' },
    'allow-subset': { type: 'boolean' },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.conformant;
  }
  if (values.evidence !== undefined && !['failures', 'all'].includes(values.evidence)) {
    throw new UsageError(`--evidence is failures or all, got "${values.evidence}"`);
  }
  const accessToken = values['access-token-file']
    ? readAccessTokenFile(values['access-token-file'])
    : values['access-token'];
  const env = {
    ...process.env,
    ...(accessToken ? { PSD2_ACCESS_TOKEN: accessToken } : {}),
    ...(values['no-token-endpoint'] ? { PSD2_NO_TOKEN_ENDPOINT: '1' } : {}),
  };
  const config = loadConfig({ ...(values.config ? { file: values.config } : {}), env });
  const embedded = !config.target.baseUrl;
  if (embedded && (values['require-target'] || config.requireTarget)) {
    throw new UsageError(
      'no target is configured (target.baseUrl or PSD2_BASE_URL) and a target is required (--require-target / requireTarget): the embedded sandbox cannot pass this gate',
    );
  }
  checkShard(values.shard);
  const workers = integerOption('workers', values.workers, 1, 64);
  checkedSelection(values.grep);
  const plan = resolveRunPlan(config, {
    profile: values.profile,
    faults: values.faults ?? process.env.PSD2_SANDBOX_FAULTS,
    ...(values.waivers ? { waivers: path.resolve(values.waivers) } : {}),
    headed: values.headed === true,
    selection: {
      ...(values.grep ? { grep: values.grep } : {}),
      ...(values.shard ? { shard: values.shard } : {}),
    },
    browser: (c, headed) => {
      ensureBrowser(c.browser.executablePath);
      return browserSettings(c, headed);
    },
  });
  if (!embedded && !(await reachable(config.target.baseUrl ?? '', 5000))) {
    console.error(
      `psd2-conformance run: target ${config.target.baseUrl} is unreachable (no TCP connection within 5 s)`,
    );
    return EXIT.unreachable;
  }

  const reportsDir = path.resolve(values['reports-dir'] ?? config.reportsDir);
  // The run writes into a folder of its own; the last reports are replaced only once there is a verdict.
  const staging = stagingDir(reportsDir);
  const require = createRequire(import.meta.url);
  const playwrightCli = path.join(path.dirname(require.resolve('@playwright/test/package.json')), 'cli.js');
  const playwrightArgs = [playwrightCli, 'test', '--config', path.join(PACKAGE_ROOT, 'playwright.config.ts')];
  if (values.grep) playwrightArgs.push('--grep', values.grep);
  if (values.shard) playwrightArgs.push('--shard', values.shard);
  if (workers) playwrightArgs.push('--workers', String(workers));
  // The run's one private file: the plan now, the target's settings once global setup reached it.
  const runDir = mkdtempSync(path.join(tmpdir(), 'psd2c-run-'));
  const runFile = path.join(runDir, 'run.json');
  writeRunFile(runFile, { plan });
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PSD2_REPORTS_DIR: staging,
    [RUN_FILE_ENV]: runFile,
    ...(values.headed ? { PSD2_HEADED: '1' } : {}),
    ...(values.shard ? { PSD2_BLOB: '1' } : {}),
    ...(values.evidence ? { PSD2_EVIDENCE: values.evidence } : {}),
  };
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, playwrightArgs, {
      cwd: PACKAGE_ROOT,
      env: childEnv,
      stdio: 'inherit',
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (status) => resolve(status ?? 1));
  });
  rmSync(runDir, { recursive: true, force: true });
  if (!existsSync(path.join(staging, 'summary.json'))) {
    rmSync(staging, { recursive: true, force: true });
    console.error(
      `psd2-conformance run: the run ended without a summary (Playwright exit code ${code}); see the output above. The reports in ${path.relative(process.cwd(), reportsDir) || '.'}/ are left as they were`,
    );
    return code === 0 ? EXIT.nonConformant : code;
  }
  publishReports(staging, reportsDir);
  const summary = JSON.parse(readFileSync(path.join(reportsDir, 'summary.json'), 'utf8')) as Summary;
  if (!values.shard) {
    const allure = generateAllureReport({
      resultsDirs: [path.join(reportsDir, 'allure-results')],
      outputDir: path.join(reportsDir, 'allure-report'),
      historyPath: path.join(reportsDir, 'history.jsonl'),
      variables: reportVariables(summary),
      summary,
    });
    if (!allure.ok) console.error(`psd2-conformance run: ${allure.message}`);
  }
  return announce(summary, reportsDir, values['allow-subset'] === true);
}

/** Prints the verdict's last lines and returns the exit code it means. */
export function announce(summary: Summary, reportsDir: string, allowSubset: boolean): number {
  const t = summary.totals;
  if (summary.partial) console.log(`PARTIAL RUN, not a full conformance result: ${summary.partial}`);
  const notRun = summary.checks.filter((c) => c.verdict === 'not-run');
  if (notRun.length > 0) {
    const reasons = [...new Set(notRun.map((c) => c.reason ?? ''))];
    console.log(`${notRun.length} checks did not run: ${reasons.join('; ')} (each listed in summary.md)`);
  }
  for (const note of summary.waiverNotes) console.log(`waiver: ${note}`);
  const findings = summary.findings ?? [];
  if (findings.length > 0) {
    console.log(
      `${findings.length} ${findings.length === 1 ? 'finding' : 'findings'} by cause, largest first:`,
    );
    for (const f of findings.slice(0, 5))
      console.log(
        `  ${f.checks.length} × ${f.advisory ? '(SHOULD, advisory) ' : ''}${f.cause.split('\n')[0]?.slice(0, 160)}`,
      );
    if (findings.length > 5) console.log(`  ... ${findings.length - 5} more in summary.md`);
  }
  console.log(
    `${summary.headline}: ${t.passed} passed, ${t.failed} failed, ${t.advisory ? `${t.advisory} advisory (SHOULD not followed), ` : ''}${t.blocked ? `${t.blocked} blocked by a failed precondition, ` : ''}${t.waived} waived, ${t.skipped} skipped${t['not-run'] ? `, ${t['not-run']} not run` : ''} of ${t.total} checks; reports in ${path.relative(process.cwd(), reportsDir) || '.'}/`,
  );
  if (summary.status === 'conformant') return EXIT.conformant;
  if (summary.status === 'passed-subset') {
    if (allowSubset) return EXIT.conformant;
    console.log('exit 1: a subset is not a conformance result (pass --allow-subset to accept it)');
  }
  return EXIT.nonConformant;
}

export function reportVariables(summary: Summary): Record<string, string> {
  return {
    Target: `${summary.target}${summary.embedded ? ' (embedded sandbox)' : ''}`,
    Profile: summary.profile,
    Tool: `${summary.tool.name} ${summary.tool.version}`,
    Contracts: Object.entries(summary.contracts)
      .map(([file, version]) => `${file} ${version}`)
      .join(', '),
    'Verdicts SHA-256': summary.verdictsSha256,
  };
}

/** The checks a --grep selects; a pattern that is not one, or selects nothing, is a usage error. */
export function checkedSelection(grep: string | undefined): Check[] {
  if (grep !== undefined) {
    try {
      grepPattern(grep);
    } catch {
      throw new UsageError(`--grep "${grep}" is not a valid regular expression`);
    }
  }
  const selected = selectChecks(loadCatalogue(), grep);
  if (selected.length === 0) {
    throw new UsageError(
      `--grep "${grep}" selects no check: match a check ID or title (psd2-conformance list shows them)`,
    );
  }
  return selected;
}

/** A shard spec i/n with 1 <= i <= n; anything else is a usage error before anything starts. */
function checkShard(shard: string | undefined): void {
  if (shard === undefined) return;
  const match = /^(\d+)\/(\d+)$/.exec(shard);
  const [index, total] = [Number(match?.[1]), Number(match?.[2])];
  if (!match || index < 1 || total < 1 || index > total) {
    throw new UsageError(`--shard must be i/n with 1 <= i <= n (for example 1/3), got "${shard}"`);
  }
}

/** What a run writes into the reports folder; everything else there (history.jsonl) is kept. */
const RUN_ARTIFACTS = [
  'allure-results',
  'allure-report',
  'blob',
  'junit.xml',
  'summary.json',
  'summary.md',
  'test-results',
];

function stagingDir(reportsDir: string): string {
  const dir = path.join(reportsDir, `.run-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Replaces the last run's reports with this run's, which have a verdict. */
function publishReports(staging: string, reportsDir: string): void {
  for (const name of RUN_ARTIFACTS) {
    rmSync(path.join(reportsDir, name), { recursive: true, force: true });
    if (existsSync(path.join(staging, name)))
      renameSync(path.join(staging, name), path.join(reportsDir, name));
  }
  rmSync(staging, { recursive: true, force: true });
}

/** Finds a browser; on a Debian machine run as root, installs Debian's chromium when there is none. */
export function ensureBrowser(configured: string | undefined): void {
  if (browserInstalled(configured)) return;
  if (configured || process.env.PSD2_BROWSER) {
    throw new UsageError(
      `browser ${configured ?? process.env.PSD2_BROWSER} does not exist: fix browser.executablePath or PSD2_BROWSER`,
    );
  }
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.error(
      "psd2-conformance run: no Chromium found; installing Debian's chromium and its headless shell with apt-get",
    );
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium', 'chromium-headless-shell'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (browserInstalled()) return;
  }
  throw new UsageError(
    'no Chromium found: install one (Debian: apt-get install -y chromium) or set browser.executablePath',
  );
}

function reachable(baseUrl: string, timeoutMs: number): Promise<boolean> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'http:' ? 80 : 443));
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** The access token of a partial run from a file (its first line), so that it is not on the command line. */
function readAccessTokenFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--access-token-file ${file} cannot be read`);
  }
  const token = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (!token) throw new UsageError(`--access-token-file ${file} is empty: its first line is the token`);
  return token;
}
