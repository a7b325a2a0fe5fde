/**
 * What a failed check reports as data (annotation `failure-kind`, read by the summary, JUnit and Allure):
 * rule: the check's rule is broken; contract: a response breaks its operation's contract (or the profile's
 * baseline); precondition: a step the check stands on failed, its rule was never reached; deviation: the
 * failure is the profile's documented deviation of that check.
 */
export type FailureKind = 'rule' | 'contract' | 'precondition' | 'deviation';

export const FAILURE_KINDS: readonly FailureKind[] = ['rule', 'contract', 'precondition', 'deviation'];

/**
 * A defect a failed check saw that other checks may share: a contract rule a response broke (operation, part,
 * pointer and the contract's location) or a precondition that failed. The summary groups failures by it.
 */
export interface FailureCause {
  /** Equal for every check that saw the same defect. */
  key: string;
  /** The defect in words, as the first check that saw it reported it. */
  text: string;
  /** Where the same break is seen in several operations: the operation this check saw it in. */
  operation?: string;
  /**
   * What the cause is: a contract rule broken, a precondition failed, the answer the target gave where the check
   * expected another, or the failure's own first line (a symptom). Missing in annotations of older runs: read
   * from the key (causeKind).
   */
  kind?: CauseKind;
}

/** How a failure's message begins its note when the profile waives the check (reports match on it). */
export const KNOWN_DEVIATION_NOTE = '[known deviation of profile ';

/** A UUID anywhere in a text: resource IDs and request IDs, which differ from run to run. */
export const ANY_UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export type CauseKind = 'contract' | 'precondition' | 'answer' | 'symptom';

/** A cause's kind, from its key where an older annotation lacks it. */
export function causeKind(cause: FailureCause): CauseKind {
  if (cause.kind) return cause.kind;
  if (cause.key.startsWith('precondition ')) return 'precondition';
  if (cause.key.startsWith('answered ')) return 'answer';
  if (cause.key.startsWith('says ')) return 'symptom';
  return 'contract';
}

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

/** A response follows the profile's contract but breaks its baseline (Berlin Group under mypos). */
export class BaselineBroken extends Error {
  override name = 'BaselineBroken';
}

/**
 * Whether a failure that is no failed precondition is about the rule of a check, so that a documented
 * deviation of that check may explain it: where the check names its operations, it ended on one of them.
 */
export function endedOnItsOperation(
  operations: readonly string[],
  lastOperation: string | undefined,
): boolean {
  if (operations.length === 0) return true;
  return lastOperation !== undefined && operations.includes(lastOperation);
}

/** A failure message without the terminal colours Playwright's expect adds. */
export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
