import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadProfile, resolvePortableProfilePath } from '../config/profile.ts';
import { EXIT, UsageError } from '../errors.ts';
import { type ReportContext, RUN_FILE_ENV, writeRunFile } from '../harness/settings.ts';
import { PACKAGE_ROOT } from '../paths.ts';
import { generateAllureReport } from '../report/allure.ts';
import type { Summary } from '../report/summary.ts';
import { parseCommandArgs } from './args.ts';
import { announce, reportVariables } from './run.ts';

const USAGE = `usage: psd2-conformance report --merge <shard reports dir>... [--reports-dir dir] [--waivers file.yaml] [--allow-subset]
Merges the reports of sharded runs (psd2-conformance run --shard i/n on each machine) into one:
junit.xml, summary.json, summary.md and the Allure report, with the same verdict per check as one run.
A merge that lacks a shard is never CONFORMANT: it names the missing shards and exits 1 (0 with --allow-subset).`;

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    merge: { type: 'boolean' },
    'reports-dir': { type: 'string' },
    waivers: { type: 'string' },
    'allow-subset': { type: 'boolean' },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.conformant;
  }
  if (!values.merge || positionals.length === 0)
    throw new UsageError('give --merge and the shard reports folders to merge (see --help)');
  const shards = positionals.map((dir) => path.resolve(dir));
  // Read before anything is removed: the output folder may be a shard's own (GitLab extracts every
  // shard's artifacts into one reports/ folder).
  const shardSummaries = sameRunSummaries(shards);
  const shardSummary = shardSummaries[0] as Summary;
  const mergedShards = shardSummaries.map((x, i) => x.selection?.shard ?? path.basename(shards[i] ?? ''));
  const out = path.resolve(values['reports-dir'] ?? 'reports');
  mkdirSync(out, { recursive: true });
  for (const name of ['allure-report', 'junit.xml', 'summary.json', 'summary.md'])
    rmSync(path.join(out, name), { recursive: true, force: true });

  const blobs = mkdtempSync(path.join(tmpdir(), 'psd2c-blobs-'));
  let blobCount = 0;
  shards.forEach((dir, i) => {
    for (const file of readdirSync(path.join(dir, 'blob'))) {
      copyFileSync(path.join(dir, 'blob', file), path.join(blobs, `${i}-${file}`));
      blobCount++;
    }
  });
  const runFile = path.join(blobs, 'run.json');
  writeRunFile(runFile, { report: mergedReportContext(shardSummary, mergedShards, values.waivers) });
  const mergeConfig = path.join(blobs, 'merge.config.mjs');
  writeFileSync(
    mergeConfig,
    `export default { testDir: ${JSON.stringify(path.join(PACKAGE_ROOT, 'specs'))}, reporter: [[${JSON.stringify(path.join(PACKAGE_ROOT, 'src/report/summary-reporter.ts'))}, { outputDir: ${JSON.stringify(out)} }]] };\n`,
  );
  const require = createRequire(import.meta.url);
  const playwrightCli = path.join(path.dirname(require.resolve('@playwright/test/package.json')), 'cli.js');
  const merged = spawnSync(
    process.execPath,
    [playwrightCli, 'merge-reports', '--config', mergeConfig, blobs],
    {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
      env: { ...process.env, [RUN_FILE_ENV]: runFile },
    },
  );
  rmSync(blobs, { recursive: true, force: true });
  if (!existsSync(path.join(out, 'summary.json'))) {
    throw new UsageError(
      `merging failed: ${(merged.stderr || merged.stdout).trim().split('\n').slice(-2).join(' ')}`,
    );
  }
  const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as Summary;
  const allure = generateAllureReport({
    resultsDirs: shards.map((dir) => path.join(dir, 'allure-results')),
    outputDir: path.join(out, 'allure-report'),
    historyPath: path.join(out, 'history.jsonl'),
    variables: reportVariables(summary),
    summary,
  });
  if (!allure.ok) console.error(`psd2-conformance report: ${allure.message}`);
  const missing = missingShards(mergedShards);
  if (missing.length > 0) console.log(`missing shard reports: ${missing.join(', ')}`);
  console.log(
    `merged ${blobCount} shard reports from ${shards.length} folder${shards.length === 1 ? '' : 's'}`,
  );
  return announce(summary, out, values['allow-subset'] === true);
}

/** The shards i/n of a run that no merged report came from, when the reports name their shards. */
function missingShards(merged: string[]): string[] {
  const specs = merged.map((m) => /^(\d+)\/(\d+)$/.exec(m)).filter((m) => m !== null);
  const total = Number(specs[0]?.[2]);
  if (specs.length !== merged.length || !specs.every((m) => Number(m[2]) === total)) return [];
  const present = new Set(specs.map((m) => Number(m[1])));
  return Array.from({ length: total }, (_, i) => i + 1)
    .filter((i) => !present.has(i))
    .map((i) => `${i}/${total}`);
}

/** The shards' summaries, once every folder is shown to hold a shard of the same target and profile. */
function sameRunSummaries(shards: string[]): Summary[] {
  const summaries = shards.map((dir) => {
    if (!existsSync(path.join(dir, 'blob')))
      throw new UsageError(`${dir} holds no blob/ folder: run each shard with --shard i/n`);
    const file = path.join(dir, 'summary.json');
    if (!existsSync(file))
      throw new UsageError(`${dir} holds no summary.json: the shard's run did not finish`);
    try {
      return { dir, summary: JSON.parse(readFileSync(file, 'utf8')) as Summary };
    } catch {
      throw new UsageError(`${file} is not valid JSON: copy the shard's reports again`);
    }
  });
  const first = summaries[0];
  if (!first) throw new UsageError('give --merge and the shard reports folders to merge (see --help)');
  // Each shard of an embedded run starts its own sandbox on its own port: the same target all the same.
  const targetOf = (summary: Summary) => (summary.embedded ? 'the embedded sandbox' : summary.target);
  for (const { dir, summary } of summaries.slice(1)) {
    for (const [what, of] of [
      ['target', targetOf],
      ['profile', (x: Summary) => x.profile],
    ] as const) {
      if (of(summary) !== of(first.summary))
        throw new UsageError(
          `${dir} ran against ${what} ${of(summary)}, ${first.dir} against ${of(first.summary)}: merge the shards of one run only`,
        );
    }
  }
  return summaries.map((x) => x.summary);
}

/** What the summary reporter says of a merged run: the shards' target and profile, the merge's waivers. */
function mergedReportContext(
  shard: Summary,
  mergedShards: string[],
  waivers: string | undefined,
): ReportContext {
  const profileFile = shard.profileFile ? resolvePortableProfilePath(shard.profileFile) : undefined;
  const deviations = profileFile ? loadProfile(profileFile).deviations : [];
  return {
    target: shard.target,
    profile: { name: shard.profile, deviations, ...(shard.profileFile ? { file: shard.profileFile } : {}) },
    embedded: shard.embedded,
    ...(waivers ? { waivers: path.resolve(waivers) } : {}),
    selection: { merged: mergedShards },
  };
}
