/**
 * The fault matrix: the suite against the sandbox with one fault at a time. For each fault the checks
 * its catalogue entry names must fail, and nothing else in the specs run for it may fail.
 * Writes reports/fault-matrix.json, and docs/fault-matrix.md with --write-docs.
 *   node --import tsx scripts/fault-matrix.ts [--write-docs] [--only a,b] [--discover]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FAULTS, type Fault } from '../sandbox/faults.ts';
import { CHECKS } from '../src/checks/catalogue.ts';
import { loadProfile } from '../src/config/profile.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';
import type { Summary } from '../src/report/summary.ts';

const AREA_SPECS: Record<Fault['area'], string[]> = {
  transport: ['specs/transport'],
  oauth2: ['specs/oauth'],
  sca: ['specs/sca'],
  consents: ['specs/consents'],
  ais: ['specs/accounts'],
  'card-accounts': ['specs/card-accounts'],
  pis: ['specs/payments', 'specs/sca'],
  piis: ['specs/funds-confirmations'],
  errors: ['specs/errors'],
};
const ALWAYS = ['specs/contract'];
/** Where the checks of each ID prefix live: a fault that a check of another area detects runs that area too. */
const PREFIX_SPECS: Record<string, string> = {
  TLS: 'specs/transport',
  OAU: 'specs/oauth',
  SCA: 'specs/sca',
  CON: 'specs/consents',
  ACC: 'specs/accounts',
  BAL: 'specs/accounts',
  TRX: 'specs/accounts',
  CRD: 'specs/card-accounts',
  PIS: 'specs/payments',
  COF: 'specs/funds-confirmations',
  ERR: 'specs/errors',
  CTR: 'specs/contract',
};

/** The specs run for a fault: its area's, those of every check it names, and the contract checks. */
function specsFor(fault: Fault): string[] {
  const named = fault.detectedBy.map((id) => PREFIX_SPECS[id.split('-')[0] ?? '']).filter(Boolean);
  return [...new Set([...AREA_SPECS[fault.area], ...(named as string[]), ...ALWAYS])];
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
  ran: number;
  ok: boolean;
  seconds: number;
}

const { values } = parseArgs({
  options: {
    'write-docs': { type: 'boolean' },
    only: { type: 'string' },
    discover: { type: 'boolean' },
    workers: { type: 'string' },
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
const selected = values.only ? FAULTS.filter((f) => values.only?.split(',').includes(f.id)) : FAULTS;
const rows: MatrixRow[] = [];

const clean = runSuite('', [...new Set(Object.values(AREA_SPECS).flat()), ...ALWAYS]);
console.log(
  `clean sandbox: ${clean.failed.length} failed of ${clean.ran}${clean.failed.length ? `: ${clean.failed.join(' ')}` : ''}`,
);

for (const fault of selected) {
  const started = Date.now();
  const result = runSuite(fault.id, specsFor(fault));
  const detectors = [...fault.detectedBy];
  const missed = detectors.filter((id) => !result.failed.includes(id));
  const unrelated = result.failed.filter((id) => !detectors.includes(id));
  const row: MatrixRow = {
    fault: fault.id,
    area: fault.area,
    rule: fault.rule,
    reference: fault.reference,
    detectors,
    failed: result.failed,
    missed,
    unrelated,
    ran: result.ran,
    ok: result.failed.length > 0 && missed.length === 0 && unrelated.length === 0 && detectors.length > 0,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  rows.push(row);
  console.log(
    values.discover
      ? `${fault.id}: ${result.failed.join(' ') || '(nothing failed)'}`
      : `${row.ok ? 'ok  ' : 'FAIL'} ${fault.id}: failed ${result.failed.join(' ') || 'nothing'}${missed.length ? `; missed ${missed.join(' ')}` : ''}${unrelated.length ? `; unrelated ${unrelated.join(' ')}` : ''} (${row.seconds}s)`,
  );
}

mkdirSync(path.join(PACKAGE_ROOT, 'reports'), { recursive: true });
writeFileSync(
  path.join(PACKAGE_ROOT, 'reports', 'fault-matrix.json'),
  `${JSON.stringify({ clean, rows }, null, 2)}\n`,
);
if (values['write-docs'])
  writeFileSync(path.join(PACKAGE_ROOT, 'docs', 'fault-matrix.md'), renderMatrix(rows, clean));
const bad = rows.filter((r) => !r.ok);
console.log(`${rows.length - bad.length} passed, ${bad.length + (clean.failed.length ? 1 : 0)} failed`);
process.exitCode = bad.length === 0 && clean.failed.length === 0 ? 0 : 1;

function runSuite(fault: string, specs: string[]): { failed: string[]; ran: number } {
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
      failed: summary.checks.filter((c) => c.verdict === 'failed').map((c) => c.id),
      ran: summary.totals.total,
    };
  } catch (error) {
    return { failed: [`(run failed: ${error instanceof Error ? error.message : error})`], ran: 0 };
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
    `Each row: the embedded sandbox started with one fault of its catalogue (docs/faults.md), the specs of the fault's area and of every check it names, plus the per-operation contract checks, run against it. "detected by" is what the catalogue names; "failed" is what failed. Clean sandbox: ${cleanRun.failed.length} of ${cleanRun.ran} checks failed.`,
    '',
    `Result: ${list.filter((r) => r.ok).length} of ${list.length} faults detected by exactly the checks named, nothing unrelated failing.`,
    '',
    '| fault | rule broken | detected by | failed | result |',
    '|---|---|---|---|---|',
  ];
  for (const r of list) {
    const result = r.ok
      ? 'detected'
      : `**${r.missed.length ? `missed ${r.missed.join(', ')}` : ''}${r.unrelated.length ? ` unrelated ${r.unrelated.join(', ')}` : ''}${r.failed.length ? '' : 'not detected'}**`;
    lines.push(
      `| \`${r.fault}\` | ${r.rule.replaceAll('|', '\\|')} (${r.reference}) | ${r.detectors.join(', ')} | ${r.failed.join(', ')} | ${result} |`,
    );
  }
  const detected = new Set(FAULTS.flatMap((f) => f.detectedBy));
  const uncovered = CHECKS.filter((c) => !detected.has(c.id)).map((c) => c.id);
  // tests/suite/mypos.test.ts runs the strict profile against the myPOS flavour: each deviation fails there.
  const myposFails = new Set(loadProfile('mypos').deviations.map((d) => d.check));
  const byMypos = uncovered.filter((id) => myposFails.has(id));
  const hostile = ['CON-001', 'CTR-001', 'OAU-001', 'OAU-005', 'SCA-002'];
  const byHostile = uncovered.filter((id) => hostile.includes(id) && !myposFails.has(id));
  const none = uncovered.filter((id) => !myposFails.has(id) && !hostile.includes(id));
  lines.push(
    '',
    '## Checks no sandbox fault breaks',
    '',
    `${uncovered.length} of ${CHECKS.length} checks are named by no fault.`,
    '',
    `- ${byMypos.length} fail in the strict run against the myPOS flavour of the sandbox (tests/suite/mypos.test.ts: \`--profile berlin-group\` fails exactly the deviations of profiles/mypos.yaml): ${byMypos.join(', ')}.`,
    `- ${byHostile.length} fail against the hostile targets of tests/hostile: ${byHostile.join(', ')}.`,
    `- ${none.length} are shown failing by nothing yet: ${none.join(', ') || '(none)'}. Each guards a step every flow needs, so a target that breaks it fails most of the suite with it.`,
  );
  return `${lines.join('\n')}\n`;
}
