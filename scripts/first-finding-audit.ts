/**
 * Issue 17's own test, at full scale: for each fault, a whole run of the catalogue against the embedded sandbox
 * with that fault on (`psd2-conformance run --faults <id>`), and whether the first finding of its summary names
 * the fault's rule: one of the checks the catalogue says detect the fault is among the checks the first finding
 * explains. The fault matrix runs each fault's scope only; this runs everything, one fault at a time, so it takes
 * about 35 s a fault (two hours for the catalogue, about half with --parallel 2) and is not part of npm test.
 *
 *   node --import tsx scripts/first-finding-audit.ts [--only a,b] [--parallel n] [--write-docs]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FAULTS } from '../sandbox/faults/index.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';
import type { Summary } from '../src/report/summary.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    parallel: { type: 'string' },
    'write-docs': { type: 'boolean' },
  },
});
const only = values.only?.split(',').filter(Boolean);
const unknown = only?.filter((id) => !FAULTS.some((f) => f.id === id)) ?? [];
if (unknown.length > 0) {
  console.error(`first-finding-audit: unknown fault ${unknown.join(', ')}`);
  process.exit(2);
}
// In the order given: the faults most worth knowing first.
const faults = only ? only.map((id) => FAULTS.find((f) => f.id === id) as (typeof FAULTS)[number]) : FAULTS;
const parallel = Math.max(1, Number.parseInt(values.parallel ?? '1', 10) || 1);

interface AuditRow {
  fault: string;
  detectors: readonly string[];
  failed: number;
  blocked: number;
  advisory: number;
  findings: number;
  first: string;
  firstKind: string;
  firstChecks: string[];
  namesItsRule: boolean;
  seconds: number;
}

// The commit the runs measure, read once: a commit made while the audit runs is not what it measured.
const measuredAt = commitMeasured();
const work = mkdtempSync(path.join(tmpdir(), 'psd2c-audit-'));
const rows: AuditRow[] = [];
const started = Date.now();
try {
  const queue = [...faults];
  const lane = async () => {
    for (let fault = queue.shift(); fault; fault = queue.shift()) {
      const row = await audit(fault);
      rows.push(row);
      // Written after each fault: a two-hour measurement cut short still leaves what it saw.
      if (values['write-docs']) writeDocs();
      console.log(
        `${row.namesItsRule ? 'ok  ' : 'MISS'} ${row.fault}: ${row.failed} failed, ${row.blocked} blocked, ${row.advisory} advisory, ${row.findings} findings; first (${row.firstKind}, ${row.firstChecks.length} checks): ${row.first.slice(0, 140)} (${row.seconds} s)`,
      );
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
} finally {
  rmSync(work, { recursive: true, force: true });
}

const naming = rows.filter((r) => r.namesItsRule).length;
console.log(
  `${naming} of ${rows.length} faults: the first finding names the fault's rule (${minutesSoFar()} min)`,
);
if (values['write-docs']) writeDocs();
process.exitCode = naming === rows.length ? 0 : 1;

function minutesSoFar(): string {
  return ((Date.now() - started) / 60_000).toFixed(0);
}

function writeDocs(): void {
  const order = new Map<string, number>(FAULTS.map((f, i) => [f.id, i]));
  const sorted = [...rows].sort((a, b) => (order.get(a.fault) ?? 0) - (order.get(b.fault) ?? 0));
  writeFileSync(path.join(PACKAGE_ROOT, 'docs', 'first-findings.md'), render(sorted));
}

function commitMeasured(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'an unknown commit';
  }
}

/** A whole run with the fault on, and what its summary's first finding says. */
async function audit(fault: (typeof FAULTS)[number]): Promise<AuditRow> {
  const reports = path.join(work, fault.id);
  const t0 = Date.now();
  await new Promise<void>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(PACKAGE_ROOT, 'bin/psd2-conformance.js'),
        'run',
        '--faults',
        fault.id,
        '--reports-dir',
        reports,
      ],
      { cwd: PACKAGE_ROOT, env: { ...process.env, PSD2_QUIET: '1' }, stdio: 'ignore', timeout: 600_000 },
    );
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
  const seconds = Math.round((Date.now() - t0) / 1000);
  let summary: Summary | undefined;
  try {
    summary = JSON.parse(readFileSync(path.join(reports, 'summary.json'), 'utf8')) as Summary;
  } catch {
    summary = undefined;
  }
  rmSync(reports, { recursive: true, force: true });
  const first = summary?.findings[0];
  const count = (verdict: string) => summary?.checks.filter((c) => c.verdict === verdict).length ?? 0;
  return {
    fault: fault.id,
    detectors: fault.detectedBy,
    failed: count('failed'),
    blocked: count('blocked'),
    advisory: count('advisory'),
    findings: summary?.findings.length ?? 0,
    first: first?.cause ?? (summary ? '(no finding)' : '(no summary: the run did not end)'),
    firstKind: first ? `${first.kind}${first.advisory ? ', SHOULD: advisory' : ''}` : '',
    firstChecks: first?.checks ?? [],
    namesItsRule: first?.checks.some((id) => fault.detectedBy.includes(id)) ?? false,
    seconds,
  };
}

function render(list: AuditRow[]): string {
  const median = [...list.map((r) => r.findings)].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
  const naming = list.filter((r) => r.namesItsRule).length;
  const scope =
    list.length === faults.length
      ? `${list.length} faults`
      : `${list.length} of ${faults.length} faults so far`;
  const lines = [
    '<!-- Generated by `node --import tsx scripts/first-finding-audit.ts --write-docs`; do not edit by hand. -->',
    '',
    '# First findings of whole runs',
    '',
    `Each fault of the catalogue switched on alone, and the whole catalogue run against the embedded sandbox (\`psd2-conformance run --faults <id>\`): does the first finding of \`summary.md\` name the fault's rule, that is, is one of the checks the catalogue says detect the fault among the checks it explains? ${naming} of ${scope}: yes. Median findings per run: ${median}. Measured at commit ${measuredAt} on ${new Date().toISOString().slice(0, 10)}, ${minutesSoFar()} minutes on one machine of 2 cores.`,
    '',
    '| fault | failed | blocked | advisory | findings | first finding (kind; checks it explains) | names its rule |',
    '|---|---|---|---|---|---|---|',
    ...list.map(
      (r) =>
        `| \`${r.fault}\` | ${r.failed} | ${r.blocked} | ${r.advisory} | ${r.findings} | ${r.first.replaceAll('|', '\\|').slice(0, 160)} (${r.firstKind}; ${r.firstChecks.length}) | ${r.namesItsRule ? 'yes' : `**no** (detected by ${r.detectors.join(', ')})`} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
