/**
 * The catalogue of checks, assembled from the specs, where each check is declared next to its logic:
 * never a second list kept in sync by hand. Playwright lists the suite (`playwright test --list`) and
 * each test's annotations carry its declaration (src/checks/check.ts). Listing costs a few seconds, so
 * the result is cached in .cache/catalogue/, keyed on the source of the specs and of the engine.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MATRIX_PLAN_ENV, MATRIX_TESTS_ENV } from '../harness/matrix-plan.ts';
import { PACKAGE_ROOT } from '../paths.ts';
import type { Capability, Check, Need, Service, Severity, Tag } from './types.ts';

export type { Capability, Check, Need, Service, Severity, Tag } from './types.ts';

/** Bump when the cached shape changes. */
const CATALOGUE_FORMAT = 'catalogue-1';

let loaded: readonly Check[] | undefined;

/** Every check of the suite, in the order Playwright lists them (by spec file, then line). */
export function loadCatalogue(): readonly Check[] {
  if (loaded) return loaded;
  const key = sourceKey();
  const file = path.join(PACKAGE_ROOT, '.cache', 'catalogue', `${key}.json`);
  try {
    loaded = JSON.parse(readFileSync(file, 'utf8')) as Check[];
    return loaded;
  } catch {
    // Not listed yet for this source.
  }
  loaded = listSuite();
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const staged = `${file}.${process.pid}.tmp`;
    writeFileSync(staged, JSON.stringify(loaded));
    renameSync(staged, file);
  } catch {
    // A read-only installation lists the suite again next time.
  }
  return loaded;
}

export function getCheck(id: string): Check {
  const check = loadCatalogue().find((c) => c.id === id);
  if (!check) throw new Error(`check ${id} is not in the catalogue`);
  return check;
}

/** A hash over what a declaration can come from: the specs, the engine, the Playwright configuration. */
function sourceKey(): string {
  const hash = createHash('sha256').update(CATALOGUE_FORMAT);
  const files = [
    ...sourceFiles(path.join(PACKAGE_ROOT, 'specs')),
    ...sourceFiles(path.join(PACKAGE_ROOT, 'src')),
    path.join(PACKAGE_ROOT, 'playwright.config.ts'),
  ];
  for (const file of files)
    hash.update(path.relative(PACKAGE_ROOT, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex').slice(0, 32);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

interface ListedSpec {
  title: string;
  file: string;
  line: number;
  tags: string[];
  tests: { annotations: { type: string; description?: string }[] }[];
}
interface ListedSuite {
  specs?: ListedSpec[];
  suites?: ListedSuite[];
}

function listSuite(): Check[] {
  const require = createRequire(import.meta.url);
  const cli = path.join(path.dirname(require.resolve('@playwright/test/package.json')), 'cli.js');
  const { [MATRIX_PLAN_ENV]: _plan, [MATRIX_TESTS_ENV]: _tests, ...env } = process.env;
  const listed = spawnSync(
    process.execPath,
    [cli, 'test', '--list', '--reporter=json', '--config', path.join(PACKAGE_ROOT, 'playwright.config.ts')],
    { cwd: PACKAGE_ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  let report: { suites?: ListedSuite[]; errors?: { message?: string }[] };
  try {
    report = JSON.parse(listed.stdout) as typeof report;
  } catch {
    throw new Error(`listing the suite failed: ${(listed.stderr || listed.stdout).split('\n')[0]}`);
  }
  if (report.errors?.length) {
    throw new Error(
      `listing the suite failed: ${report.errors[0]?.message?.split('\n')[0] ?? 'unknown error'}`,
    );
  }
  const checks: Check[] = [];
  const walk = (suite: ListedSuite) => {
    for (const spec of suite.specs ?? []) checks.push(checkOf(spec));
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
  checks.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line);
  const seen = new Set<string>();
  for (const check of checks) {
    if (seen.has(check.id)) throw new Error(`check ${check.id} is declared twice (${check.location.file})`);
    seen.add(check.id);
  }
  return checks;
}

function checkOf(spec: ListedSpec): Check {
  const check = checkOfTest({
    title: spec.title,
    tags: spec.tags,
    annotations: spec.tests[0]?.annotations ?? [],
    location: { file: path.join(PACKAGE_ROOT, 'specs', spec.file), line: spec.line },
  });
  if (!check) throw new Error(`a test that is not a check: "${spec.title}" (${spec.file}:${spec.line})`);
  return check;
}

/** A check from a listed or running test's declaration (its annotations), or undefined for another test. */
export function checkOfTest(test: {
  title: string;
  tags: string[];
  annotations: { type: string; description?: string }[];
  location: { file: string; line: number };
}): Check | undefined {
  const value = (type: string) => test.annotations.find((a) => a.type === type)?.description ?? '';
  const list = (type: string) => value(type).split(',').filter(Boolean);
  const id = value('check');
  if (!id) return undefined;
  const title = test.title.replace(/^\[[^\]]+\] /, '');
  return {
    id,
    title: title.startsWith(`${id} `) ? title.slice(id.length + 1) : title,
    service: value('service') as Service,
    reference: value('reference'),
    severity: value('severity') as Severity,
    obligation: value('obligation') === 'SHOULD' ? 'SHOULD' : 'MUST',
    operations: list('operations'),
    tags: test.tags.map((t) => t.replace(/^@/, '')) as (Tag | 'browser')[],
    requires: list('requires') as Capability[],
    needs: list('needs') as Need[],
    location: { file: path.relative(PACKAGE_ROOT, test.location.file), line: test.location.line },
  };
}
