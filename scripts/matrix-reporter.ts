import { writeFileSync } from 'node:fs';
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** One test of a fault-matrix run: which TPP ran which check, and how it ended. */
export interface MatrixResult {
  /** The registered TPP, or undefined for the run's clean TPP. */
  tpp: string | undefined;
  check: string;
  status: TestResult['status'];
  seconds: number;
  /** The first line of the failure. */
  error?: string;
  /** The causes the failed check annotated (src/checks/failure-causes.ts), as JSON. */
  causes?: string;
}

export const MATRIX_RESULTS_ENV = 'PSD2C_MATRIX_RESULTS';

/** Writes every test's outcome of a fault-matrix run to the file PSD2C_MATRIX_RESULTS names. */
export default class MatrixReporter implements Reporter {
  private readonly results: MatrixResult[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    const annotation = (type: string) => test.annotations.find((a) => a.type === type)?.description;
    const error = result.error?.message?.split('\n')[0];
    const causes = result.annotations.find((a) => a.type === 'failure-causes')?.description;
    this.results.push({
      tpp: annotation('tpp'),
      check: annotation('check') ?? test.title,
      status: result.status,
      seconds: result.duration / 1000,
      ...(error ? { error } : {}),
      ...(causes ? { causes } : {}),
    });
  }

  onEnd(): void {
    const file = process.env[MATRIX_RESULTS_ENV];
    if (file) writeFileSync(file, JSON.stringify(this.results));
  }

  printsToStdio(): boolean {
    return false;
  }
}
