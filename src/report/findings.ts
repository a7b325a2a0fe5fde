import { type CauseKind, causeKind, type FailureCause } from '../checks/failure.ts';

/**
 * What a finding is: a contract rule the responses broke, one check's own rule, the answer the target gave where
 * checks expected another, a symptom the failures share, or a failed precondition that blocked checks.
 */
export type FindingKind = CauseKind | 'rule';

/** A defect of the target and the failed checks it explains. */
export interface Finding {
  cause: string;
  checks: string[];
  kind: FindingKind;
  /** The checks it explains are SHOULDs not followed: worth fixing, never a non-conformance. */
  advisory?: true;
}

interface Seen {
  text: string;
  kind: CauseKind;
  checks: Set<string>;
  operations: Set<string>;
}

/** Of findings as large, the more precise first: a contract rule, a check's rule, an answer, a symptom. */
const PRECISION: Record<FindingKind, number> = {
  contract: 0,
  rule: 1,
  answer: 2,
  symptom: 3,
  precondition: 4,
};

const byId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * Failed checks grouped by the cause most of them share, largest group first: each check goes to the most widely
 * shared of its causes, so that one defect seen by thirty checks is one finding. A check with no cause it shares is
 * a finding of its own, named by its rule. A group held together by an answer or a symptom is named by the rule of
 * its first check too, so that every finding names a rule. A failed precondition comes after every defect seen by a
 * check's own rule: it explains checks that never reached theirs, and the step's own defect is reported by the check
 * that owns it.
 */
export function groupFindings(
  failed: { id: string; title: string; causes: readonly FailureCause[] }[],
): Finding[] {
  const seenBy = new Map<string, Seen>();
  for (const check of failed) {
    for (const cause of check.causes) {
      const seen = seenBy.get(cause.key) ?? {
        text: cause.text,
        kind: causeKind(cause),
        checks: new Set(),
        operations: new Set(),
      };
      seen.checks.add(check.id);
      if (cause.operation) seen.operations.add(cause.operation);
      seenBy.set(cause.key, seen);
    }
  }
  const titles = new Map(failed.map((c) => [c.id, c.title]));
  const groups = new Map<string, { seen: Seen | undefined; checks: string[] }>();
  for (const check of failed) {
    // The widest cause; of causes as wide, one that names its operation (the more precise).
    const widest = check.causes
      .map((c) => ({
        key: c.key,
        count: seenBy.get(c.key)?.checks.size ?? 0,
        general: c.operation !== undefined,
      }))
      .sort(
        (a, b) => b.count - a.count || Number(a.general) - Number(b.general) || a.key.localeCompare(b.key),
      )[0];
    const seen = widest && widest.count > 1 ? seenBy.get(widest.key) : undefined;
    // A precondition blocks even one check: it is never that check's own rule.
    const blocking = check.causes.find((c) => causeKind(c) === 'precondition');
    const key = seen && widest ? widest.key : blocking ? blocking.key : `check ${check.id}`;
    const group = groups.get(key) ?? {
      seen: seen ?? (blocking ? seenBy.get(blocking.key) : undefined),
      checks: [],
    };
    group.checks.push(check.id);
    groups.set(key, group);
  }
  const findings = [...groups.values()].map(({ seen, checks }): Finding => {
    const sorted = [...checks].sort(byId);
    const lead = sorted[0] ?? '';
    const rule = `${lead} ${titles.get(lead) ?? ''}`.trim();
    if (!seen) return { cause: rule, checks: sorted, kind: 'rule' };
    const named =
      seen.kind === 'answer' || seen.kind === 'symptom'
        ? `${inWords(seen)} (as ${rule}${sorted.length > 1 ? ` and ${sorted.length - 1} more` : ''})`
        : inWords(seen);
    return { cause: named, checks: sorted, kind: seen.kind };
  });
  return findings.sort(
    (a, b) =>
      Number(a.kind === 'precondition') - Number(b.kind === 'precondition') ||
      b.checks.length - a.checks.length ||
      PRECISION[a.kind] - PRECISION[b.kind] ||
      byId(a.checks[0] ?? '', b.checks[0] ?? ''),
  );
}

/**
 * The findings of a run: the failed and blocked checks' first, then the advisory checks' (SHOULDs not followed),
 * grouped apart so that a recommendation never hides a defect and a run of recommendations alone still reads as a
 * list of its causes.
 */
export function runFindings(
  failed: Parameters<typeof groupFindings>[0],
  advisory: Parameters<typeof groupFindings>[0],
): Finding[] {
  return [
    ...groupFindings(failed),
    ...groupFindings(advisory).map((f): Finding => ({ ...f, advisory: true })),
  ];
}

/** A cause in words, with the operations it was seen in where it spans several. */
function inWords(seen: Seen): string {
  const operations = [...seen.operations].sort();
  return operations.length ? `${seen.text} (in ${operations.join(', ')})` : seen.text;
}
