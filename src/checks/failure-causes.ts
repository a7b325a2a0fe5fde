import type { ExchangeLog } from '../harness/exchange-log.ts';
import { messageCodes } from '../xs2a/message-codes.ts';
import { ANY_UUID, type FailureCause, PreconditionFailed, stripAnsi } from './failure.ts';

/** Causes listed per failed check at most: a response that breaks many rules is one defect for the grouping. */
const MAX_CAUSES = 10;

/**
 * The causes a failed check saw: the precondition that failed, or every contract rule its exchanges broke. A check
 * whose exchanges all kept the contract has none: its failure is about its own rule alone.
 */
export function failureCauses(error: unknown, log: ExchangeLog): FailureCause[] {
  if (error instanceof PreconditionFailed) {
    return [
      {
        key: `precondition ${error.step}`,
        text: `the precondition "${error.step}" failed`,
        kind: 'precondition',
      },
    ];
  }
  const causes = new Map<string, FailureCause>();
  for (const { operationId, violation } of log.violationsFor('all')) {
    const where = `${violation.part} ${violation.pointer || '/'}`;
    const key = `${operationId} ${where} ${violation.contractLocation}`;
    if (!causes.has(key))
      causes.set(key, { key, text: `${operationId}: ${where}: ${violation.message}`, kind: 'contract' });
    // The same break in every operation (amounts as numbers, 200 for 201 on every create) is one defect too.
    const field = violation.pointer.split('/').at(-1) || '/';
    const rule = violation.message
      .replace(/, got .*$/, '')
      .replace(/ of [A-Za-z]+ \(declared: [^)]*\)/, '')
      .replace(/"[^"]*"/g, '"…"');
    const across = `any ${violation.part} ${field} ${rule}`;
    if (!causes.has(across))
      causes.set(across, {
        key: across,
        text: `${violation.part} ${field}: ${rule}`,
        operation: operationId,
        kind: 'contract',
      });
  }
  // Both: the answer where another was due, and the answer itself, which checks of other rules that stopped on
  // it share (a 500 for an unknown consent fails the consent's rule and every check that reads one).
  const answered = [unexpectedAnswer(error), stoppedOnAnError(error, log)].filter(
    (c): c is FailureCause => c !== undefined,
  );
  const symptom = sameSymptom(error);
  return [...answered, ...causes.values(), ...(symptom ? [symptom] : [])].slice(0, MAX_CAUSES);
}

/**
 * The failure's own first line without the values that differ from check to check (IDs, numbers, quoted text):
 * checks that stopped on the same step of the target ("the 201 response has no _links.scaRedirect.href to start
 * SCA") share it. Playwright's bare "expect(received)..." says nothing of the target and is left out.
 */
function sameSymptom(error: unknown): FailureCause | undefined {
  if (!(error instanceof Error)) return undefined;
  const first = (stripAnsi(error.message).split('\n')[0] ?? '')
    .replace(/^(Error: )?(\[[^\]]*\] )*/, '')
    .trim();
  // Bare assertion lines and raw bodies say nothing of the step the target failed.
  if (first.length < 12 || first.startsWith('expect(') || /^[{[<]/.test(first)) return undefined;
  const text = first
    .replace(ANY_UUID, '{id}')
    // An OAuth2 error body says its defect by its error code (invalid_grant): keep it, drop the rest.
    .replace(/\{[^{}]*"error"\s*:\s*"([a-z_]+)"[^{}]*\}/g, 'error=$1')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b\d{4,}\b|\b\d+\.\d+\b/g, '#')
    .replace(/:\s*[{[].*$/, '')
    .slice(0, 160);
  return { key: `says ${text}`, text, kind: 'symptom' };
}

/**
 * What the target answered where a check expected another answer ("expected HTTP 400 with FORMAT_ERROR, got HTTP 201
 * with no message code"), by the answer expected and the status class and message code given: the checks of one
 * rule that a defect breaks fail with the same answer.
 */
function unexpectedAnswer(error: unknown): FailureCause | undefined {
  if (!(error instanceof Error)) return undefined;
  const answer =
    /expected HTTP ([\d ]+(?:or [\d ]+)*) with ([A-Z_]+(?: or [A-Z_]+)*), got HTTP (\d)\d\d with ([A-Z_]+(?:, [A-Z_]+)*|no message code)/.exec(
      error.message,
    );
  if (!answer) return undefined;
  const [, statuses, expectedCodes, statusClass, codes] = answer;
  const expected = `HTTP ${statuses?.trim()} ${expectedCodes}`;
  return {
    key: `answered ${statusClass}xx ${codes} for ${expected}`,
    text: `answers HTTP ${statusClass}xx with ${codes} where ${expected} is due`,
    kind: 'answer',
  };
}

/**
 * A check that stopped right after an error answer of the target (its last exchange: HTTP 401 with
 * CONSENT_INVALID): checks of every service that stopped on the same answer share one defect, whatever step each
 * was on ("listing the card accounts", "reading the balances").
 */
function stoppedOnAnError(error: unknown, log: ExchangeLog): FailureCause | undefined {
  if (!(error instanceof Error)) return undefined;
  const response = log.entries.at(-1)?.exchange.response;
  if (!response || response.status < 400) return undefined;
  // Berlin Group message codes, or an OAuth2 error code (invalid_grant).
  const codes = [...messageCodes(response.body), ...oauthError(response.body)];
  const what = codes.length ? codes.join(', ') : 'no message code';
  return {
    key: `stopped ${response.status} ${what}`,
    text: `answers HTTP ${response.status} with ${what}, the last answer before the checks stopped`,
    kind: 'answer',
  };
}

function oauthError(body: string): string[] {
  try {
    const { error } = JSON.parse(body) as { error?: unknown };
    return typeof error === 'string' ? [error] : [];
  } catch {
    return [];
  }
}

/** The causes a failed check annotated (JSON), or none where the annotation is missing or unreadable. */
export function parseCauses(text: string | undefined): FailureCause[] {
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed)
      ? parsed.filter((c): c is FailureCause => typeof c?.key === 'string' && typeof c?.text === 'string')
      : [];
  } catch {
    return [];
  }
}
