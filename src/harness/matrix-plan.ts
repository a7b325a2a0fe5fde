import { readFileSync } from 'node:fs';

/**
 * A fault-matrix run (scripts/fault-matrix.ts): one embedded sandbox with one registered TPP per fault,
 * each running the checks of its fault's scope as its own TPP, beside the run's clean TPP running all.
 */
export interface MatrixPlan {
  /** The checks the run's own TPP runs against the same sandbox, where it sees no fault: all must pass. */
  clean: string[];
  tpps: Record<
    string,
    {
      /** The faults the sandbox switches on for this TPP only. */
      faults: string[];
      /** The checks this TPP runs. */
      checks: string[];
      /** The checks that must fail for it (the fault's detecting checks); every other one must not. */
      expectFailed: string[];
    }
  >;
}

export const MATRIX_PLAN_ENV = 'PSD2C_MATRIX_PLAN';
/** The folder of a fault-matrix run's generated test files, each declaring a part of the run (src/harness/matrix-entry.ts). */
export const MATRIX_TESTS_ENV = 'PSD2C_MATRIX_TESTS';

let cached: MatrixPlan | null | undefined;

/** The plan of this run when it is a fault-matrix run, else undefined. */
export function matrixPlan(): MatrixPlan | undefined {
  if (cached === undefined) {
    const file = process.env[MATRIX_PLAN_ENV];
    cached = file ? (JSON.parse(readFileSync(file, 'utf8')) as MatrixPlan) : null;
  }
  return cached ?? undefined;
}
