import type { FailureCause } from '../checks/failure.ts';

/** A defect of the target and the failed checks it explains. */
export interface Finding {
  cause: string;
  checks: string[];
}

interface Seen {
  text: string;
  checks: Set<string>;
  operations: Set<string>;
}

/**
 * Failed checks grouped by the cause most of them share, largest group first: each check goes to the most widely
 * shared of its causes, so that one defect seen by thirty checks is one finding. A check with no cause it shares is
 * a finding of its own, named by its rule.
 */
export function groupFindings(
  failed: { id: string; title: string; causes: readonly FailureCause[] }[],
): Finding[] {
  const seenBy = new Map<string, Seen>();
  for (const check of failed) {
    for (const cause of check.causes) {
      const seen = seenBy.get(cause.key) ?? { text: cause.text, checks: new Set(), operations: new Set() };
      seen.checks.add(check.id);
      if (cause.operation) seen.operations.add(cause.operation);
      seenBy.set(cause.key, seen);
    }
  }
  const groups = new Map<string, Finding>();
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
    const key = seen && widest ? widest.key : `check ${check.id}`;
    const group = groups.get(key) ?? {
      cause: seen ? inWords(seen) : `${check.id} ${check.title}`,
      checks: [],
    };
    group.checks.push(check.id);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.checks.length - a.checks.length);
}

/** A cause in words, with the operations it was seen in where it spans several. */
function inWords(seen: Seen): string {
  const operations = [...seen.operations].sort();
  return operations.length ? `${seen.text} (in ${operations.join(', ')})` : seen.text;
}
