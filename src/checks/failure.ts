/**
 * A step every check stands on (a client_credentials token, the run's approved consent) failed: the
 * check's own rule was never reached, so no documented deviation of that rule can explain the failure.
 */
export class PreconditionFailed extends Error {
  constructor(
    readonly step: string,
    cause: string,
  ) {
    super(`precondition "${step}" failed: ${cause}`);
    this.name = 'PreconditionFailed';
  }
}

/** A response broke the contract of the check's own operation (a contract check). */
export class OwnContractBroken extends Error {
  override name = 'OwnContractBroken';
}

/**
 * Whether a failure is about the rule of a check, so that a documented deviation of that check may
 * explain it: not a failed precondition, and, where the check names its operations, ended on one of them.
 */
export function aboutTheRule(
  error: unknown,
  operations: readonly string[],
  lastOperation: string | undefined,
): boolean {
  if (error instanceof PreconditionFailed) return false;
  if (operations.length === 0) return true;
  return lastOperation !== undefined && operations.includes(lastOperation);
}
