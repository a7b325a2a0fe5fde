/**
 * The fault matrix: the suite against the sandbox with each fault of its catalogue. For each fault the
 * checks its catalogue entry names must fail, and nothing else in the fault's scope (the specs of its
 * area, of every check it names, and the contract checks) may fail; a clean TPP on the same sandbox
 * must pass everything.
 *
 * One sandbox and one Playwright run: the sandbox registers one TPP per fault with that fault scoped
 * to it (faults below HTTP get that TPP a listener of its own), and each check of a fault's scope is
 * declared once more for that TPP, expected to fail where the fault names it (src/checks/check.ts).
 * `--serial` runs the old way instead, one Playwright run per fault with the fault on for every TPP:
 * the baseline the benchmark compares with.
 *
 * Writes reports/fault-matrix.json, and docs/fault-matrix.md with --write-docs.
 * `--tpps N` registers N TPPs, the catalogue's faults over and over under new names: the benchmark's
 * figure for a catalogue of that size, before its faults exist.
 *   node --import tsx scripts/fault-matrix.ts [--write-docs] [--only a,b] [--discover] [--workers n] [--serial] [--tpps n]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FAULTS, type Fault } from '../sandbox/faults/index.ts';
import { loadCatalogue } from '../src/checks/catalogue.ts';
import { deviationsReachedUnder } from '../src/checks/documented-deviations.ts';
import { parseCauses } from '../src/checks/failure-causes.ts';
import { loadProfile } from '../src/config/profile.ts';
import { MATRIX_PLAN_ENV, MATRIX_TESTS_ENV, type MatrixPlan } from '../src/harness/matrix-plan.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';
import { type Finding, runFindings } from '../src/report/findings.ts';
import type { Summary } from '../src/report/summary.ts';
import { MATRIX_RESULTS_ENV, type MatrixResult } from './matrix-reporter.ts';

const AREA_SPECS: Record<Fault['area'], string[]> = {
  transport: ['specs/transport'],
  oauth2: ['specs/oauth'],
  sca: ['specs/sca', 'specs/sca/payments'],
  consents: ['specs/consents'],
  ais: ['specs/accounts'],
  'card-accounts': ['specs/card-accounts'],
  pis: ['specs/payments', 'specs/sca/payments'],
  piis: ['specs/funds-confirmations'],
  errors: ['specs/errors'],
};
const ALWAYS = ['specs/contract'];
// specs/access (the access rules of every account-information read, and the reads under the run's second
// consent) belongs to no area: it runs for the faults that name its checks, which spares the other faults of
// account information a browser flow each.
/** Tests per generated file: Playwright's cost per test grows with the size of its file. */
const TESTS_PER_FILE = 80;
const CHECKS = loadCatalogue();
const CATALOGUE_ORDER = new Map(CHECKS.map((c, i) => [c.id, i]));
/** The spec folder a check is declared in. */
const specOf = (id: string) => path.dirname(CHECKS.find((c) => c.id === id)?.location.file ?? '');

/** The specs run for a fault: its area's, those of every check it names, and the contract checks. */
function specsFor(fault: Fault): string[] {
  const named = fault.detectedBy.map(specOf).filter(Boolean);
  return [...new Set([...AREA_SPECS[fault.area], ...named, ...ALWAYS])];
}

/** The checks of a fault's scope: every check of the specs run for it. */
function scopeOf(fault: Fault): string[] {
  const specs = new Set(specsFor(fault));
  return CHECKS.filter((c) => specs.has(path.dirname(c.location.file))).map((c) => c.id);
}

export interface MatrixRow {
  fault: string;
  area: string;
  rule: string;
  reference: string;
  detectors: string[];
  failed: string[];
  missed: string[];
  unrelated: string[];
  /** Why each unrelated check failed (the first line of its failure), so that a flaky row can be diagnosed. */
  unrelatedErrors: string[];
  /** Checks of the scope that never reported (a crashed worker, an interrupted run). */
  notRun: string[];
  /** The failed checks grouped by cause as a run's summary groups them: the fault's blast radius. */
  findings: Finding[];
  ran: number;
  ok: boolean;
  /** Test time spent on this fault (in the one-run matrix, lanes run faults side by side). */
  seconds: number;
}

const { values } = parseArgs({
  options: {
    'write-docs': { type: 'boolean' },
    only: { type: 'string' },
    discover: { type: 'boolean' },
    workers: { type: 'string' },
    serial: { type: 'boolean' },
    /** Register this many TPPs, the faults again and again under new names: the matrix at a larger catalogue's size. */
    tpps: { type: 'string' },
    /** Render docs/fault-matrix.md from a reports/fault-matrix.json written by an earlier run. */
    render: { type: 'string' },
  },
});

if (values.render) {
  const saved = JSON.parse(readFileSync(values.render, 'utf8')) as {
    clean: { failed: string[]; ran: number };
    rows: MatrixRow[];
  };
  writeFileSync(path.join(PACKAGE_ROOT, 'docs', 'fault-matrix.md'), renderMatrix(saved.rows, saved.clean));
  console.log(`rendered docs/fault-matrix.md from ${values.render}`);
  process.exit(0);
}

const require = createRequire(import.meta.url);
const playwrightCli = path.join(path.dirname(require.resolve('@playwright/test/package.json')), 'cli.js');
const only = values.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((id) => !FAULTS.some((f) => f.id === id)) ?? [];
if (unknown.length > 0) {
  console.error(`fault-matrix: unknown fault ${unknown.join(', ')}: see docs/faults.md`);
  process.exit(2);
}
const selected = only ? FAULTS.filter((f) => only.includes(f.id)) : FAULTS;
const tppCount = values.tpps ? Number(values.tpps) : selected.length;
if (!Number.isInteger(tppCount) || tppCount < 1 || (values.serial && values.tpps)) {
  console.error('fault-matrix: --tpps takes a whole number of TPPs, and does not go with --serial');
  process.exit(2);
}
/** Each registered TPP and its fault: the selected faults, again under new names when --tpps asks for more. */
const entries = Array.from({ length: tppCount }, (_, i) => {
  const fault = selected[i % selected.length] as (typeof selected)[number];
  const round = Math.floor(i / selected.length);
  return { tpp: round === 0 ? fault.id : `${fault.id}-r${round + 1}`, fault };
});
// Four on two cores: with three the cores idled about a tenth of the run while workers waited on the
// browser and the sandbox (103 faults: 246 s with three, 229 s with four, idle under 5%).
const workers = values.workers ?? '4';
const started = Date.now();

const { clean, rows, tests } = values.serial ? serialMatrix() : oneRunMatrix();
for (const row of rows) console.log(describeRow(row));
console.log(
  `clean TPP: ${clean.failed.length} failed of ${clean.ran}${clean.failed.length ? `: ${clean.failed.join(' ')}` : ''}`,
);

const seconds = Math.round((Date.now() - started) / 1000);
mkdirSync(path.join(PACKAGE_ROOT, 'reports'), { recursive: true });
writeFileSync(
  path.join(PACKAGE_ROOT, 'reports', 'fault-matrix.json'),
  `${JSON.stringify({ mode: values.serial ? 'serial' : 'one-run', workers: Number(workers), seconds, clean, rows, tests }, null, 2)}\n`,
);
if (values['write-docs'])
  writeFileSync(path.join(PACKAGE_ROOT, 'docs', 'fault-matrix.md'), renderMatrix(rows, clean));
const bad = rows.filter((r) => !r.ok);
console.log(
  `${rows.length - bad.length} passed, ${bad.length + (clean.failed.length ? 1 : 0)} failed (${rows.length} faults in ${seconds} s)`,
);
process.exitCode = bad.length === 0 && clean.failed.length === 0 ? 0 : 1;

function describeRow(row: MatrixRow): string {
  if (values.discover) return `${row.fault}: ${row.failed.join(' ') || '(nothing failed)'}`;
  const parts = [
    `failed ${row.failed.join(' ') || 'nothing'}`,
    ...(row.missed.length ? [`missed ${row.missed.join(' ')}`] : []),
    ...(row.unrelated.length ? [`unrelated ${row.unrelated.join(' ')}`] : []),
    ...row.unrelatedErrors.map((e) => `\n       ${e}`),
    ...(row.notRun.length ? [`did not run ${row.notRun.join(' ')}`] : []),
    ...(row.failed.length && !namesARule(row.findings[0])
      ? ['the first finding is a failed precondition']
      : []),
  ];
  return `${row.ok ? 'ok  ' : 'FAIL'} ${row.fault}: ${parts.join('; ')} (${row.seconds}s)`;
}

function judge(fault: Fault, scope: string[], results: MatrixResult[], seconds: number): MatrixRow {
  const failed = results
    .filter((r) => isFailure(r.status))
    .map((r) => r.check)
    .sort((a, b) => (CATALOGUE_ORDER.get(a) ?? 0) - (CATALOGUE_ORDER.get(b) ?? 0));
  const reported = new Set(results.map((r) => r.check));
  const detectors = [...fault.detectedBy];
  const missed = detectors.filter((id) => !failed.includes(id));
  const unrelated = failed.filter((id) => !detectors.includes(id));
  const unrelatedErrors = results
    .filter((r) => unrelated.includes(r.check) && isFailure(r.status))
    .map((r) => `${r.check}: ${r.error ?? r.status}`);
  const notRun = scope.filter((id) => !reported.has(id));
  // As a run's summary has them: a SHOULD's failures are advisory, grouped after the others.
  const failures = results
    .filter((r) => isFailure(r.status))
    .map((r) => ({ check: CHECKS.find((c) => c.id === r.check), id: r.check, causes: parseCauses(r.causes) }))
    .map(({ check, id, causes }) => ({
      id,
      title: check?.title ?? id,
      causes,
      should: check?.obligation === 'SHOULD',
    }));
  const findings = runFindings(
    failures.filter((f) => !f.should),
    failures.filter((f) => f.should),
  );
  return {
    fault: fault.id,
    area: fault.area,
    rule: fault.rule,
    reference: fault.reference,
    detectors,
    failed,
    missed,
    unrelated,
    unrelatedErrors,
    notRun,
    findings,
    ran: results.length,
    ok:
      failed.length > 0 &&
      missed.length === 0 &&
      unrelated.length === 0 &&
      notRun.length === 0 &&
      detectors.length > 0 &&
      namesARule(findings[0]),
    seconds: Math.round(seconds),
  };
}

function isFailure(status: MatrixResult['status']): boolean {
  return status === 'failed' || status === 'timedOut' || status === 'interrupted';
}

/** Every fault in one Playwright run against one sandbox, each as a TPP of its own. */
interface MatrixOutcome {
  clean: { failed: string[]; ran: number };
  rows: MatrixRow[];
  /** Every test's outcome (one-run mode). */
  tests: MatrixResult[];
}

function oneRunMatrix(): MatrixOutcome {
  const scopes = new Map(selected.map((f) => [f.id, scopeOf(f)]));
  const plan: MatrixPlan = {
    clean: CHECKS.map((c) => c.id).filter((id) => selected.some((f) => scopes.get(f.id)?.includes(id))),
    tpps: Object.fromEntries(
      entries.map(({ tpp, fault }) => [
        tpp,
        {
          faults: [fault.id],
          checks: scopes.get(fault.id) ?? [],
          expectFailed: values.discover ? [] : [...fault.detectedBy],
        },
      ]),
    ),
  };
  const results = runPlaywright(plan);
  const cleanResults = results.filter((r) => r.tpp === undefined);
  const reported = new Set(cleanResults.map((r) => r.check));
  const clean = {
    failed: [
      ...cleanResults.filter((r) => isFailure(r.status)).map((r) => r.check),
      ...plan.clean.filter((id) => !reported.has(id)).map((id) => `${id} (did not run)`),
    ],
    ran: cleanResults.length,
  };
  const rows = entries.map(({ tpp, fault }) => {
    const own = results.filter((r) => r.tpp === tpp);
    const row = judge(
      fault,
      scopes.get(fault.id) ?? [],
      own,
      own.reduce((sum, r) => sum + r.seconds, 0),
    );
    return { ...row, fault: tpp };
  });
  return { clean, rows, tests: results };
}

function runPlaywright(plan: MatrixPlan): MatrixResult[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'psd2c-matrix-'));
  try {
    const planFile = path.join(dir, 'plan.json');
    const resultsFile = path.join(dir, 'results.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const tests = writeTestFiles(dir, plan);
    const reporter = path.join(PACKAGE_ROOT, 'scripts', 'matrix-reporter.ts');
    const run = spawnSync(
      process.execPath,
      [playwrightCli, 'test', '--config', 'playwright.config.ts', `--reporter=dot,${reporter}`],
      {
        cwd: PACKAGE_ROOT,
        env: {
          ...process.env,
          [MATRIX_PLAN_ENV]: planFile,
          [MATRIX_TESTS_ENV]: tests,
          [MATRIX_RESULTS_ENV]: resultsFile,
          PSD2_SANDBOX_FAULTS: '',
          PSD2_REPORTS_DIR: path.join(dir, 'reports'),
          PSD2_WORKERS: workers,
          PSD2_CONFIG_FILE: '',
          PSD2_QUIET: '1',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
        timeout: 3_600_000,
      },
    );
    if (!existsSync(resultsFile)) {
      console.error(`fault-matrix: the Playwright run ended without results (exit ${run.status})`);
      return [];
    }
    return JSON.parse(readFileSync(resultsFile, 'utf8')) as MatrixResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The run's test files: each declares one part of the run's tests (src/harness/matrix-entry.ts), so that no
 * file holds thousands of them.
 */
function writeTestFiles(dir: string, plan: MatrixPlan): string {
  const folder = path.join(dir, 'tests');
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'package.json'), '{ "type": "module" }\n');
  const total = CHECKS.length + Object.values(plan.tpps).reduce((sum, tpp) => sum + tpp.checks.length, 0);
  const parts = Math.max(1, Math.ceil(total / TESTS_PER_FILE));
  const entry = pathToFileURL(path.join(PACKAGE_ROOT, 'src', 'harness', 'matrix-entry.ts')).href;
  for (let part = 0; part < parts; part++) {
    writeFileSync(
      path.join(folder, `part-${String(part).padStart(3, '0')}.spec.ts`),
      `import { declareMatrixPart } from ${JSON.stringify(entry)};\nawait declareMatrixPart(${part}, ${parts});\n`,
    );
  }
  return folder;
}

/** The baseline: one Playwright run per fault, the fault on for every TPP, and one clean run. */
function serialMatrix(): MatrixOutcome {
  const clean = runSerial('', [...new Set(CHECKS.map((c) => path.dirname(c.location.file)))]);
  const rows = selected.map((fault) => {
    const t = Date.now();
    const result = runSerial(fault.id, specsFor(fault));
    const results: MatrixResult[] = result.verdicts.map(([check, verdict]) => ({
      tpp: fault.id,
      check,
      // A SHOULD check that fails is reported advisory: for the matrix it failed all the same.
      status: failedVerdict(verdict) ? 'failed' : verdict === 'skipped' ? 'skipped' : 'passed',
      seconds: 0,
    }));
    return judge(fault, scopeOf(fault), results, (Date.now() - t) / 1000);
  });
  return { clean: { failed: clean.failed, ran: clean.verdicts.length }, rows, tests: [] };
}

function failedVerdict(verdict: string): boolean {
  return verdict === 'failed' || verdict === 'advisory' || verdict === 'blocked';
}

function runSerial(fault: string, specs: string[]): { failed: string[]; verdicts: [string, string][] } {
  const reports = mkdtempSync(path.join(tmpdir(), 'psd2c-matrix-'));
  try {
    spawnSync(process.execPath, [playwrightCli, 'test', '--config', 'playwright.config.ts', ...specs], {
      cwd: PACKAGE_ROOT,
      env: {
        ...process.env,
        PSD2_SANDBOX_FAULTS: fault,
        PSD2_REPORTS_DIR: reports,
        PSD2_WORKERS: values.workers ?? '2',
        PSD2_CONFIG_FILE: '',
        PSD2_QUIET: '1',
      },
      encoding: 'utf8',
      timeout: 600_000,
    });
    const summary = JSON.parse(readFileSync(path.join(reports, 'summary.json'), 'utf8')) as Summary;
    return {
      failed: summary.checks.filter((c) => failedVerdict(c.verdict)).map((c) => c.id),
      verdicts: summary.checks.map((c) => [c.id, c.verdict]),
    };
  } catch (error) {
    return { failed: [`(run failed: ${error instanceof Error ? error.message : error})`], verdicts: [] };
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

function renderMatrix(list: MatrixRow[], cleanRun: { failed: string[]; ran: number }): string {
  const lines = [
    '# Fault matrix',
    '',
    'Generated by `node --import tsx scripts/fault-matrix.ts --write-docs`; do not edit by hand.',
    '',
    `One sandbox, one Playwright run: the sandbox registers a TPP per fault of its catalogue (docs/faults.md) with that fault switched on for it alone, and each row is the checks of the fault's scope (the specs of its area and of every check it names, plus the per-operation contract checks) run as that TPP. "detected by" is what the catalogue names; "failed" is what failed. A clean TPP on the same sandbox ran the union of the scopes: ${cleanRun.failed.length} of ${cleanRun.ran} checks failed.`,
    '',
    `Result: ${list.filter((r) => r.ok).length} of ${list.length} faults detected by exactly the checks named, nothing unrelated failing.`,
    '',
    blastRadius(list),
    '',
    '| fault | rule broken | detected by | failed | findings (first: its kind; checks it explains) | result |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of list) {
    const result = r.ok
      ? 'detected'
      : `**${r.missed.length ? `missed ${r.missed.join(', ')}` : ''}${r.unrelated.length ? ` unrelated ${r.unrelated.join(', ')}` : ''}${r.failed.length ? '' : 'not detected'}${r.failed.length && !namesARule(r.findings[0]) ? ' first finding a precondition' : ''}**`;
    lines.push(
      `| \`${r.fault}\` | ${r.rule.replaceAll('|', '\\|')} (${r.reference}) | ${r.detectors.join(', ')} | ${r.failed.join(', ')} | ${firstFinding(r)} | ${result} |`,
    );
  }
  const detected = new Set(FAULTS.flatMap((f) => f.detectedBy));
  const uncovered = CHECKS.filter((c) => !detected.has(c.id)).map((c) => c.id);
  // tests/suite/mypos.test.ts runs the strict profile against the myPOS flavour: each deviation it reaches
  // (one of no optional feature) fails there, advisory where its rule is a SHOULD.
  const deviations = new Set(loadProfile('mypos').deviations.map((d) => d.check));
  const myposFails = new Set(deviationsReachedUnder('mypos', 'berlin-group').map((c) => c.id));
  const byMypos = uncovered.filter((id) => myposFails.has(id));
  // The deviations of optional features fail (observed, waived) under --profile mypos: mypos.test.ts holds it.
  const byMyposProfile = uncovered.filter((id) => deviations.has(id) && !myposFails.has(id));
  const hostile = ['CON-001', 'CTR-001', 'OAU-001', 'OAU-005', 'SCA-002'];
  const byHostile = uncovered.filter((id) => hostile.includes(id) && !deviations.has(id));
  const none = uncovered.filter((id) => !deviations.has(id) && !hostile.includes(id));
  lines.push(
    '',
    '## Checks no sandbox fault breaks',
    '',
    `${uncovered.length} of ${CHECKS.length} checks are named by no fault.`,
    '',
    `- ${byMypos.length} fail in the strict run against the myPOS flavour of the sandbox (tests/suite/mypos.test.ts: \`--profile berlin-group\` fails exactly the deviations of profiles/mypos.yaml it reaches, advisory where the rule is a SHOULD): ${byMypos.join(', ')}.`,
    `- ${byMyposProfile.length} belong to features the strict profile does not assume, and fail as observed deviations under \`--profile mypos\` (tests/suite/mypos.test.ts): ${byMyposProfile.join(', ')}.`,
    `- ${byHostile.length} fail against the hostile targets of tests/hostile: ${byHostile.join(', ')}.`,
    `- ${none.length} are shown failing by nothing yet: ${none.join(', ') || '(none)'}. Each guards a step every flow needs, so a target that breaks it fails most of the suite with it.`,
  );
  return `${lines.join('\n')}\n`;
}

/** The number of findings of a row and its first, with the share of the failures it explains. */
function firstFinding(r: MatrixRow): string {
  const first = r.findings[0];
  if (!first) return '0';
  return `${r.findings.length}: ${first.cause.replaceAll('|', '\\|').slice(0, 160)} (${first.kind}${first.advisory ? ', SHOULD: advisory' : ''}; ${first.checks.length} of ${r.failed.length})`;
}

/** A finding that names a rule the target broke, not only a step it blocked. */
function namesARule(finding: Finding | undefined): boolean {
  return finding !== undefined && finding.kind !== 'precondition';
}

/** How many findings a fault makes of its failures: one defect should read as one finding. */
function blastRadius(list: MatrixRow[]): string {
  const counts = list.map((r) => r.findings.length).sort((a, b) => a - b);
  const median = counts[Math.floor((counts.length - 1) / 2)] ?? 0;
  const one = counts.filter((n) => n === 1).length;
  const atMostThree = counts.filter((n) => n <= 3).length;
  const whole = list.filter(
    (r) => r.findings.length > 0 && r.findings[0]?.checks.length === r.failed.length,
  ).length;
  const naming = list.filter((r) => namesARule(r.findings[0]));
  const notNaming = list.filter((r) => !namesARule(r.findings[0])).map((r) => `\`${r.fault}\``);
  return `Blast radius: a run's summary groups the failed and blocked checks by cause (src/report/findings.ts). Per fault: median ${median} findings; ${one} faults make one finding, ${atMostThree} at most three; for ${whole} the first finding explains every failed check. The first finding names a rule for ${naming.length} of ${list.length} faults${notNaming.length ? ` (not for ${notNaming.join(', ')})` : ''}: a contract rule the responses broke (contract), a check's own rule (rule), or the answer given where another was due or a shared symptom, with the rule of the first check it explains (answer, symptom); never a failed precondition, which only says what the fault blocked. The largest: ${[
    ...list,
  ]
    .sort((a, b) => b.findings.length - a.findings.length)
    .slice(0, 5)
    .map((r) => `\`${r.fault}\` ${r.findings.length}`)
    .join(', ')}.`;
}
