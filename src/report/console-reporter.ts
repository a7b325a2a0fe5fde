import type { FullResult, Reporter, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { stripAnsi } from '../checks/failure.ts';

/**
 * One line per check on the console, by the check's own status: a failed check is marked failed even though
 * the run expects failures (see runCheck), which Playwright's list and dot reporters would print as passed.
 * `⊘` marks a check blocked by a failed precondition. `dots`: one character per check (CI logs), then the
 * failed and blocked checks by name.
 */
export default class ConsoleReporter implements Reporter {
  private readonly failed: string[] = [];
  private count = 0;

  constructor(private readonly options: { dots?: boolean } = {}) {}

  onTestEnd(test: TestCase, result: TestResult): void {
    this.count++;
    const blocked = result.annotations.some(
      (a) => a.type === 'failure-kind' && a.description === 'precondition',
    );
    const mark = result.status === 'passed' ? '✓' : result.status === 'skipped' ? '-' : blocked ? '⊘' : '✘';
    const name = test.title;
    if (mark === '✘' || mark === '⊘') this.failed.push(`${mark} ${name}`);
    if (this.options.dots) {
      process.stdout.write(mark === '✓' ? '·' : mark === '-' ? '°' : mark === '⊘' ? 'B' : 'F');
      if (this.count % 80 === 0) process.stdout.write('\n');
      return;
    }
    const seconds = `${(result.duration / 1000).toFixed(1)}s`;
    const why =
      mark === '✘' || mark === '⊘'
        ? `: ${firstLine(result.error?.message ?? result.status)}`
        : mark === '-'
          ? ` (${test.annotations.concat(result.annotations).find((a) => a.type === 'skip')?.description ?? 'skipped'})`
          : '';
    process.stdout.write(`  ${mark} ${name} (${seconds})${why}\n`);
  }

  /** An error outside any check: global setup, a spec that does not load. */
  onError(error: TestError): void {
    process.stderr.write(`${stripAnsi(error.stack ?? error.message ?? String(error.value))}\n`);
  }

  onEnd(result: FullResult): void {
    if (this.options.dots) process.stdout.write('\n');
    if (this.options.dots && this.failed.length > 0)
      process.stdout.write(`${this.failed.map((line) => `  ${line}`).join('\n')}\n`);
    process.stdout.write(`  ${this.count} checks ran in ${(result.duration / 1000).toFixed(1)} s\n`);
  }

  printsToStdio(): boolean {
    return true;
  }
}

function firstLine(text: string): string {
  return (
    stripAnsi(text)
      .split('\n')
      .find((line) => line.trim() !== '') ?? ''
  )
    .trim()
    .slice(0, 200);
}
