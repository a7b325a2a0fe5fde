import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ANY_UUID, KNOWN_DEVIATION_NOTE } from '../checks/failure.ts';
import { CHECK_ANNOTATIONS } from '../checks/types.ts';
import type { Finding } from './findings.ts';
import type { Summary } from './summary.ts';

export interface AllureReportOptions {
  resultsDirs: string[];
  outputDir: string;
  /** A JSONL file carried from run to run: the report's history and trends. */
  historyPath: string;
  variables: Record<string, string>;
  /** The run's verdicts and findings: each result's status and its finding's category come from them. */
  summary?: Pick<Summary, 'checks' | 'findings'>;
}

/** Runs the report's history and trend keep. */
export const HISTORY_LIMIT = 20;

/**
 * Category rules of the report after the run's findings, first match wins (Allure 3 categories): what no finding
 * holds (a known deviation) and results rendered without a summary.
 */
const CATEGORIES = `
  { name: 'Known deviation', matchers: { statuses: ['failed', 'broken'], message: /\\[known deviation/ } },
  { name: 'SHOULD not followed (advisory, never a non-conformance)', matchers: { statuses: ['failed', 'broken'], labels: { obligation: 'SHOULD' } } },
  { name: 'Blocked: a precondition failed', matchers: { statuses: ['failed', 'broken'], message: /precondition "[^"]+" failed/ } },
  { name: 'Schema violation', matchers: { statuses: ['failed', 'broken'], message: /break the contract|must (be|match|have)|is required but missing/ } },
  { name: 'Transport', matchers: [{ statuses: ['failed', 'broken'], labels: { epic: 'Transport' } }, { statuses: ['failed', 'broken'], message: /TLS handshake|connection to .* (refused|closed)/ }] },
  { name: 'OAuth2', matchers: { statuses: ['failed', 'broken'], labels: { epic: 'OAuth2' } } },
  { name: 'SCA profile problem: a step of the profile could not run', matchers: { statuses: ['failed', 'broken'], message: /SCA step "[^"]+": / } },
  { name: 'Target error', matchers: { statuses: ['failed', 'broken'], message: /HTTP 5\\d\\d|no complete response|byte cap|not valid JSON|did not redirect/ } },
`;

/**
 * A check the profile waives fails as the bank documents: Allure 3 files it under Resolutions as accepted, out of
 * the Failed counter, so a conformant run does not read red. The note is added to a failure only when waived.
 */
export const KNOWN_DEVIATION_ACCEPTED = {
  resolution: 'accepted',
  messageRegexp: KNOWN_DEVIATION_NOTE.replace('[', '\\['),
  comment: 'Known deviation: the profile documents it, so the check is waived (never a non-conformance)',
} as const;

/** The label that ties a result to its finding (its number in the summary). */
const FINDING_LABEL = 'finding';

/** One category per finding of the run, in the summary's order: the Categories tab reads as its list of defects. */
export function findingCategories(findings: readonly Finding[]): object[] {
  return findings.map((f, i) => ({
    name: `${i + 1}. ${f.advisory ? '(SHOULD, advisory) ' : ''}${f.cause.split('\n')[0]?.slice(0, 160)} (${f.checks.length} ${f.checks.length === 1 ? 'check' : 'checks'})`,
    matchers: { labels: { [FINDING_LABEL]: `^${i + 1}$` } },
  }));
}

/**
 * Renders the Allure 3 report as one self-contained HTML file (opens from file://, no server), without
 * the analytics script Allure's template carries: a conformance report must not call home.
 */
export function generateAllureReport(options: AllureReportOptions): { ok: boolean; message: string } {
  const dirs = options.resultsDirs.filter((d) => existsSync(d));
  if (dirs.length === 0) return { ok: false, message: 'no allure-results to render' };
  const verdicts = options.summary ? allureVerdicts(options.summary) : undefined;
  for (const dir of dirs) tidyAllureResults(dir, verdicts);
  const require = createRequire(import.meta.url);
  // The package exports only ./dist; its CLI sits beside dist/.
  const cli = path.join(path.dirname(require.resolve('allure')), '..', 'cli.js');
  const work = mkdtempSync(path.join(tmpdir(), 'psd2c-allure-'));
  const configFile = path.join(work, 'allurerc.mjs');
  writeFileSync(
    configFile,
    `export default ${JSON.stringify(
      {
        name: 'psd2-conformance',
        output: options.outputDir,
        historyPath: options.historyPath,
        // The trend of the last runs, not every run ever: the history file stays small.
        historyLimit: HISTORY_LIMIT,
        plugins: {
          awesome: {
            options: {
              singleFile: true,
              reportName: 'psd2-conformance',
              // Suites by service and operation (epic, feature): no folder per check.
              groupBy: ['epic', 'feature'],
            },
          },
        },
        variables: options.variables,
        // Allure writes its known-issues file beside the config by default: in the user's working directory.
        resolutions: {
          rules: [KNOWN_DEVIATION_ACCEPTED],
          knownIssuesPath: path.join(work, 'known-issues.json'),
        },
      },
      null,
      2,
    ).replace(
      /\}\s*$/,
      `, categories: [${[...findingCategories(options.summary?.findings ?? []).map((c) => JSON.stringify(c)), CATEGORIES].join(',\n')}] }`,
    )};\n`,
  );
  try {
    const result = spawnSync(process.execPath, [cli, 'generate', ...dirs, '--config', configFile], {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    const index = path.join(options.outputDir, 'index.html');
    if (result.status !== 0 || !existsSync(index)) {
      return {
        ok: false,
        message: `allure generate failed: ${(result.stderr || result.stdout || '').trim().split('\n').slice(-3).join(' ')}`,
      };
    }
    writeFileSync(index, withoutAnalytics(readFileSync(index, 'utf8')));
    return { ok: true, message: index };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const BLOCKED = /precondition "[^"]+" failed/;

/** The annotations the checks carry for the project's own reporters: allure-playwright shows each as a fake step. */
const OWN_ANNOTATIONS = new Set([
  ...CHECK_ANNOTATIONS,
  'tpp',
  'failure-kind',
  'failure-causes',
  'failure-step',
  'last-exchange',
  'known-deviation',
  'bank-choice',
  'contract-note',
]);

interface AllureStep {
  name?: string;
  steps?: AllureStep[];
  attachments?: { name?: string; source?: string }[];
}

interface AllureResult extends AllureStep {
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  labels?: { name: string; value: string }[];
}

/** What the summary decided of each check, by check ID: the Allure status it shows and its finding's number. */
export interface AllureVerdicts {
  status: Map<string, 'passed' | 'failed' | 'broken' | 'skipped'>;
  finding: Map<string, number>;
}

/**
 * The summary's verdicts as Allure statuses. Playwright's own status is not the verdict: a failed check runs as
 * expected to fail (it keeps its worker), which allure-playwright reports as passed.
 */
export function allureVerdicts(summary: Pick<Summary, 'checks' | 'findings'>): AllureVerdicts {
  const STATUS = {
    passed: 'passed',
    failed: 'failed',
    advisory: 'failed',
    waived: 'failed',
    blocked: 'broken',
    skipped: 'skipped',
    'not-run': 'skipped',
  } as const;
  const finding = new Map<string, number>();
  summary.findings.forEach((f, i) => {
    for (const id of f.checks) finding.set(id, i + 1);
  });
  return { status: new Map(summary.checks.map((c) => [c.id, STATUS[c.verdict]])), finding };
}

/**
 * Makes the results read as Allure users expect, before the report is rendered: each shows the summary's verdict
 * where one is given (a blocked check "broken": it never reached its assertion) and carries its finding's number
 * for the finding's category; without a summary, a check blocked by a failed precondition is "broken"; the
 * annotations meant for our own reporters are not shown as steps; Playwright's error-context prompt is dropped;
 * and the failure message loses the values that differ from run to run (IDs, ports), so that the same failure
 * groups under its category run after run (the trace keeps them). Answers how many results it changed.
 */
export function tidyAllureResults(resultsDir: string, verdicts?: AllureVerdicts): number {
  let changed = 0;
  for (const name of readdirSync(resultsDir)) {
    if (!name.endsWith('-result.json')) continue;
    const file = path.join(resultsDir, name);
    const result = JSON.parse(readFileSync(file, 'utf8')) as AllureResult;
    const before = JSON.stringify(result);
    // A check's test is named by its ID and title (PIS-SCT-012 An approved payment ...).
    const id = (result.name ?? '').split(' ')[0];
    const status = id ? verdicts?.status.get(id) : undefined;
    if (status) result.status = status;
    else if (result.status === 'failed' && BLOCKED.test(result.statusDetails?.message ?? ''))
      result.status = 'broken';
    const finding = id ? verdicts?.finding.get(id) : undefined;
    if (finding !== undefined) {
      result.labels = [
        ...(result.labels ?? []).filter((l) => l.name !== FINDING_LABEL),
        { name: FINDING_LABEL, value: String(finding) },
      ];
    }
    if (result.statusDetails?.message)
      result.statusDetails.message = stableMessage(result.statusDetails.message);
    tidySteps(result, resultsDir);
    const after = JSON.stringify(result);
    if (after !== before) {
      writeFileSync(file, after);
      changed++;
    }
  }
  return changed;
}

function tidySteps(step: AllureStep, resultsDir: string): void {
  if (step.attachments) {
    for (const a of step.attachments.filter((x) => x.name === 'error-context' && x.source))
      rmSync(path.join(resultsDir, a.source ?? ''), { force: true });
    step.attachments = step.attachments.filter((a) => a.name !== 'error-context');
  }
  if (!step.steps) return;
  step.steps = step.steps.filter((s) => {
    const type = /^([a-z-]+): /.exec(s.name ?? '')?.[1];
    return !(type && OWN_ANNOTATIONS.has(type) && !s.steps?.length && !s.attachments?.length);
  });
  for (const child of step.steps) tidySteps(child, resultsDir);
}

/** A failure message without what differs from run to run: resource IDs and the target's ports. */
export function stableMessage(message: string): string {
  return message.replace(ANY_UUID, '{id}').replace(/(https?:\/\/[^/\s:"']+):\d{2,5}/g, '$1:{port}');
}

export function withoutAnalytics(html: string): string {
  return html
    .replace(/<script[^>]*src="https:\/\/www\.googletagmanager\.com[^"]*"[^>]*><\/script>/g, '')
    .replace(/<script>(?:(?!<\/script>)[\s\S])*?gtag\((?:(?!<\/script>)[\s\S])*?<\/script>/g, '');
}
