import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface AllureReportOptions {
  resultsDirs: string[];
  outputDir: string;
  /** A JSONL file carried from run to run: the report's history and trends. */
  historyPath: string;
  variables: Record<string, string>;
}

/** Category rules of the report, first match wins (Allure 3 categories). */
const CATEGORIES = `[
  { name: 'Known deviation', matchers: { statuses: ['failed', 'broken'], message: /\\[known deviation/ } },
  { name: 'SHOULD not followed (advisory, never a non-conformance)', matchers: { statuses: ['failed', 'broken'], labels: { obligation: 'SHOULD' } } },
  { name: 'Blocked: a precondition failed', matchers: { statuses: ['failed', 'broken'], message: /precondition "[^"]+" failed/ } },
  { name: 'Schema violation', matchers: { statuses: ['failed', 'broken'], message: /break the contract|must (be|match|have)|is required but missing/ } },
  { name: 'Transport', matchers: [{ statuses: ['failed', 'broken'], labels: { epic: 'Transport' } }, { statuses: ['failed', 'broken'], message: /TLS handshake|connection to .* (refused|closed)/ }] },
  { name: 'OAuth2', matchers: { statuses: ['failed', 'broken'], labels: { epic: 'OAuth2' } } },
  { name: 'SCA profile problem: a step of the profile could not run', matchers: { statuses: ['failed', 'broken'], message: /SCA step "[^"]+": / } },
  { name: 'Target error', matchers: { statuses: ['failed', 'broken'], message: /HTTP 5\\d\\d|no complete response|byte cap|not valid JSON|did not redirect/ } },
]`;

/**
 * Renders the Allure 3 report as one self-contained HTML file (opens from file://, no server), without
 * the analytics script Allure's template carries: a conformance report must not call home.
 */
export function generateAllureReport(options: AllureReportOptions): { ok: boolean; message: string } {
  const dirs = options.resultsDirs.filter((d) => existsSync(d));
  if (dirs.length === 0) return { ok: false, message: 'no allure-results to render' };
  for (const dir of dirs) markBlockedBroken(dir);
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
        plugins: {
          awesome: {
            options: {
              singleFile: true,
              reportName: 'psd2-conformance',
              groupBy: ['epic', 'feature', 'story'],
            },
          },
        },
        variables: options.variables,
      },
      null,
      2,
    ).replace(/\}\s*$/, `, categories: ${CATEGORIES} }`)};\n`,
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

/**
 * Allure's "broken" is a test that could not reach its assertion: a check blocked by a failed precondition is
 * shown so, apart from the checks whose own rule failed (Playwright reports both as failed).
 */
export function markBlockedBroken(resultsDir: string): number {
  let marked = 0;
  for (const name of readdirSync(resultsDir)) {
    if (!name.endsWith('-result.json')) continue;
    const file = path.join(resultsDir, name);
    const result = JSON.parse(readFileSync(file, 'utf8')) as {
      status?: string;
      statusDetails?: { message?: string };
    };
    if (result.status !== 'failed' || !BLOCKED.test(result.statusDetails?.message ?? '')) continue;
    result.status = 'broken';
    writeFileSync(file, JSON.stringify(result));
    marked++;
  }
  return marked;
}

export function withoutAnalytics(html: string): string {
  return html
    .replace(/<script[^>]*src="https:\/\/www\.googletagmanager\.com[^"]*"[^>]*><\/script>/g, '')
    .replace(/<script>(?:(?!<\/script>)[\s\S])*?gtag\((?:(?!<\/script>)[\s\S])*?<\/script>/g, '');
}
