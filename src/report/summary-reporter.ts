import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { loadCatalogue } from '../checks/catalogue.ts';
import { FAILURE_KINDS, type FailureKind, stripAnsi } from '../checks/failure.ts';
import { parseCauses } from '../checks/failure-causes.ts';
import { RUN_FILE_ENV, readRunFile } from '../harness/settings.ts';
import { renderJunit } from './junit.ts';
import { buildSummary, type CheckOutcome } from './summary.ts';
import { renderSummaryMarkdown } from './summary-markdown.ts';
import { deviationWaivers, loadWaivers } from './waivers.ts';

/** Writes summary.json and summary.md: one verdict per check, totals per service, a hash over the verdicts. */
export default class SummaryReporter implements Reporter {
  private readonly outcomes = new Map<string, CheckOutcome>();
  private startedAt = new Date();

  constructor(private readonly options: { outputDir: string }) {}

  onBegin(): void {
    this.startedAt = new Date();
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const id = test.annotations.find((a) => a.type === 'check')?.description;
    if (!id) return;
    const annotations = [...test.annotations, ...result.annotations];
    const skip = annotations.find((a) => a.type === 'skip')?.description;
    const value = (type: string) => annotations.find((a) => a.type === type)?.description;
    const kind = value('failure-kind') as FailureKind | undefined;
    const step = value('failure-step');
    const lastExchange = value('last-exchange');
    const causes = parseCauses(value('failure-causes'));
    const bankChoice = value('bank-choice');
    const message = result.error?.message ?? result.errors[0]?.message;
    const outcome: CheckOutcome = {
      id,
      status: result.status === 'passed' ? 'passed' : result.status === 'skipped' ? 'skipped' : 'failed',
      durationMs: result.duration,
      ...(result.status === 'skipped' ? { reason: skip ?? 'skipped' } : {}),
      ...(bankChoice && result.status === 'passed' ? { bankChoice } : {}),
      ...(result.status !== 'passed' && result.status !== 'skipped'
        ? { message: stripAnsi(message ?? result.status).slice(0, 2000) }
        : {}),
      ...(result.status !== 'passed' && result.status !== 'skipped'
        ? {
            failure: {
              // A failure outside the check's own code (a timeout, a crashed worker) breaks its rule as far as anyone can tell.
              kind: kind && FAILURE_KINDS.includes(kind) ? kind : 'rule',
              ...(step ? { step } : {}),
              ...(lastExchange ? { lastExchange } : {}),
              ...(causes.length ? { causes } : {}),
            },
          }
        : {}),
    };
    // A retried or repeated check keeps its worst verdict.
    const previous = this.outcomes.get(id);
    if (!previous || outcome.status === 'failed') this.outcomes.set(id, outcome);
  }

  onEnd(result: FullResult): void {
    // Without the run's context global setup failed: there is no verdict to write, and Playwright says why.
    const run = process.env[RUN_FILE_ENV] ? readRunFile().report : undefined;
    if (!run) return;
    const summary = buildSummary({
      checks: loadCatalogue(),
      outcomes: [...this.outcomes.values()],
      waivers: [...loadWaivers(run.waivers), ...deviationWaivers(run.profile)],
      startedAt: this.startedAt,
      finishedAt: new Date(),
      target: run.target,
      profile: run.profile.name,
      profileFile: run.profile.file,
      embedded: run.embedded,
      partial: run.partial,
      selection: run.selection,
      runStatus: result.status,
    });
    mkdirSync(this.options.outputDir, { recursive: true });
    writeFileSync(path.join(this.options.outputDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(path.join(this.options.outputDir, 'summary.md'), renderSummaryMarkdown(summary));
    writeFileSync(path.join(this.options.outputDir, 'junit.xml'), renderJunit(summary));
  }

  printsToStdio(): boolean {
    return false;
  }
}
