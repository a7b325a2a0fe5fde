import type { FailureKind } from '../checks/failure.ts';
import type { CheckVerdict, Summary } from './summary.ts';

/**
 * JUnit XML from the summary: one testsuite per service, one testcase per check of the catalogue, located
 * at its spec file and line (classname, file, line), with
 * the check's ID, reference, severity and verdict as properties. A failure carries its message; a skip,
 * a waiver and a check that did not run each say why, so a CI dashboard shows every reason.
 */
export function renderJunit(summary: Summary): string {
  const services = [...new Set(summary.checks.map((c) => c.service))];
  const suites = services.map((service) => {
    const checks = summary.checks.filter((c) => c.service === service);
    const count = (verdicts: string[]) => checks.filter((c) => verdicts.includes(c.verdict)).length;
    const cases = checks.map(testcase).join('');
    return `  <testsuite name="${xml(service)}" tests="${checks.length}" failures="${count(['failed'])}" skipped="${count(['skipped', 'blocked', 'waived', 'not-run'])}" errors="0">\n${cases}  </testsuite>\n`;
  });
  const t = summary.totals;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="psd2-conformance: ${xml(summary.headline)}" tests="${t.total}" failures="${t.failed}" skipped="${t.skipped + (t.blocked ?? 0) + t.waived + t['not-run']}" errors="0">\n${suites.join('')}</testsuites>\n`;
}

function testcase(c: CheckVerdict): string {
  const properties = [
    ['check', c.id],
    ['reference', c.reference],
    ['severity', c.severity],
    ['obligation', c.obligation],
    ['verdict', c.verdict],
    ...(c.failure ? [['failure-kind', c.failure.kind]] : []),
    ...(c.failure?.step ? [['failure-step', c.failure.step]] : []),
    ...(c.waiver ? [['waiver', `${c.waiver.reason} (${c.waiver.state})`]] : []),
  ]
    .map(([name, value]) => `        <property name="${xml(name ?? '')}" value="${xml(value ?? '')}"/>\n`)
    .join('');
  const outcome =
    c.verdict === 'failed'
      ? `      <failure message="${xml(firstLine(c.message ?? 'failed'))}" type="${xml(FAILURE_TYPES[c.failure?.kind ?? 'rule'])}">${xml(c.message ?? '')}</failure>\n`
      : c.verdict === 'blocked'
        ? `      <skipped message="${xml(`blocked by ${c.failure?.step ?? 'a precondition'}: ${firstLine(c.message ?? '')}`)}"/>\n`
        : c.verdict === 'skipped'
          ? `      <skipped message="${xml(c.reason ?? 'skipped')}"/>\n`
          : c.verdict === 'waived'
            ? `      <skipped message="${xml(`waived: ${c.waiver?.reason ?? ''}`)}"/>\n`
            : c.verdict === 'not-run'
              ? `      <skipped message="${xml(`not run: ${c.reason ?? ''}`)}"/>\n`
              : c.verdict === 'advisory'
                ? `      <system-out>${xml(`advisory: a SHOULD of ${c.reference} not followed (never a non-conformance)\n${c.message ?? ''}`)}</system-out>\n`
                : '';
  return `    <testcase name="${xml(`${c.id} ${c.title}`)}" classname="${xml(c.location.file)}" file="${xml(c.location.file)}" line="${c.location.line}">\n      <properties>\n${properties}      </properties>\n${outcome}    </testcase>\n`;
}

const FAILURE_TYPES: Record<FailureKind, string> = {
  rule: 'rule broken',
  contract: 'contract broken',
  precondition: 'precondition failed',
  deviation: 'known deviation',
};

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 500) ?? '';
}

export function xml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: characters XML 1.0 cannot carry.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
  );
}
