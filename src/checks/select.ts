import type { Check } from './types.ts';

/**
 * The text Playwright matches `--grep` against: the file (from the test folder), the test's title
 * (`ID title`) and its tags, as Playwright joins them, so that a selection here is the run's selection.
 */
export function grepText(check: Check): string {
  const file = check.location.file.replace(/^specs\//, '');
  return ['', '', file, `${check.id} ${check.title}`, ...check.tags.map((t) => `@${t}`)].join(' ');
}

/** A `--grep` pattern as Playwright reads it: `/re/flags`, or a case-insensitive expression. */
export function grepPattern(grep: string): RegExp {
  const literal = /^\/(.*)\/([gi]*)$/.exec(grep);
  return literal ? new RegExp(literal[1] ?? '', (literal[2] ?? '').replace('g', '')) : new RegExp(grep, 'i');
}

/** The checks a `--grep` pattern selects (all without one). */
export function selectChecks(checks: readonly Check[], grep: string | undefined): Check[] {
  if (grep === undefined) return [...checks];
  const pattern = grepPattern(grep);
  return checks.filter((c) => pattern.test(grepText(c)));
}
