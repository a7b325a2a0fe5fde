import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { runConfigOf } from '../../sandbox/run-config.ts';
import type { RunningSandbox } from '../../sandbox/start.ts';
import { packagePath } from '../../src/paths.ts';
import type { Summary } from '../../src/report/summary.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs the CLI as a user would, bounded in time. */
export function cli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [packagePath('bin/psd2-conformance.js'), ...args], {
      cwd: options.cwd ?? packagePath(),
      env: { ...process.env, PSD2_QUIET: '1', ...options.env },
    });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

export function readSummary(reportsDir: string): Summary {
  return JSON.parse(readFileSync(path.join(reportsDir, 'summary.json'), 'utf8')) as Summary;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A config file that points the suite at a running sandbox as a configured (not embedded) target. */
export function configFor(
  sandbox: RunningSandbox,
  dir: string,
  extra: { apiKey?: string; profileHeaders?: Record<string, string> } = {},
) {
  const c = sandbox.config;
  let profile = 'sandbox';
  if (extra.profileHeaders) {
    profile = path.join(dir, 'profile.yaml');
    const base = readFileSync(packagePath('profiles/sandbox.yaml'), 'utf8');
    writeFileSync(
      profile,
      `${base}\nheaders:\n${Object.entries(extra.profileHeaders)
        .map(([k, v]) => `  ${k}: '${v}'`)
        .join('\n')}\n`,
    );
  }
  const base = runConfigOf(c, profile);
  const config = {
    ...base,
    target: { ...(base.target as object), ...(extra.apiKey ? { apiKey: extra.apiKey } : {}) },
  };
  const file = path.join(dir, 'psd2-conformance.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const name of entries) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** A widget's data in an Allure single-file report (embedded in base64 under its path, `widgets/<name>.json`). */
export function allureWidget<T>(reportsDir: string, name: string): T {
  const html = readFileSync(path.join(reportsDir, 'allure-report', 'index.html'), 'utf8');
  const data = new RegExp(`d\\("widgets/${name}\\.json","([^"]*)"\\)`).exec(html)?.[1];
  if (data === undefined) throw new Error(`the Allure report has no widget ${name}`);
  return JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as T;
}
