import type { Summary } from './summary.ts';

const cell = (text: string) => text.replaceAll('|', '\\|');

export function renderSummaryMarkdown(s: Summary): string {
  const lines: string[] = [];
  if (s.partial) lines.push(`> **Partial run, not a full conformance result:** ${s.partial}`, '');
  lines.push(`# ${s.headline}`, '');
  lines.push('| | |', '|---|---|');
  lines.push(`| target | ${s.target}${s.embedded ? ' (embedded sandbox)' : ''} |`);
  lines.push(`| profile | ${s.profile} |`);
  const chosen = [
    ...(s.selection.grep !== undefined ? [`--grep "${s.selection.grep}"`] : []),
    ...(s.selection.shard ? [`--shard ${s.selection.shard}`] : []),
    ...(s.selection.merged ? [`merged shards ${s.selection.merged.join(', ')}`] : []),
  ];
  lines.push(`| selection | ${chosen.length ? cell(chosen.join(', ')) : 'the whole catalogue'} |`);
  lines.push(`| tool | ${s.tool.name} ${s.tool.version} |`);
  lines.push(
    `| contracts | ${Object.entries(s.contracts)
      .map(([f, v]) => `${f} ${v}`)
      .join(', ')} |`,
  );
  lines.push(`| started | ${s.startedAt} |`, `| finished | ${s.finishedAt} |`);
  lines.push(`| verdicts SHA-256 | \`${s.verdictsSha256}\` |`, '');
  lines.push(
    '| service | total | passed | failed | advisory | blocked | waived | skipped | not run |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const [service, t] of Object.entries(s.services)) {
    lines.push(
      `| ${service} | ${t.total} | ${t.passed} | ${t.failed} | ${t.advisory ?? 0} | ${t.blocked ?? 0} | ${t.waived} | ${t.skipped} | ${t['not-run']} |`,
    );
  }
  const t = s.totals;
  lines.push(
    `| **all** | ${t.total} | ${t.passed} | ${t.failed} | ${t.advisory ?? 0} | ${t.blocked ?? 0} | ${t.waived} | ${t.skipped} | ${t['not-run']} |`,
    '',
  );
  if (s.status === 'passed-subset') {
    lines.push(
      `Not a conformance result: ${t['not-run']} of ${t.total} checks did not run${s.partial ? ' and the run was partial' : ''} (each is listed below with the reason).`,
      '',
    );
  }
  const deviations = s.checks.filter((c) => c.waiver?.deviation);
  if (deviations.length) {
    lines.push(
      '## Known deviations',
      '',
      'Documented by the profile. *observed*: the check fails as the deviation describes (waived); *not observed*: it passes on this target.',
      '',
      '| check | deviation | source | on this target |',
      '|---|---|---|---|',
    );
    for (const c of deviations) {
      const seen = c.verdict === 'waived' ? 'observed' : c.verdict === 'passed' ? 'not observed' : c.verdict;
      lines.push(`| ${c.id} | ${c.waiver?.reason ?? ''} | ${c.waiver?.source ?? ''} | ${seen} |`);
    }
    lines.push('');
  }
  if (s.waiverNotes.length) lines.push('## Waivers', '', ...s.waiverNotes.map((n) => `- ${n}`), '');
  if (s.findings?.length) {
    lines.push(
      '## Findings by cause',
      '',
      "The failed and blocked checks grouped by the defect most of them share (a contract rule their responses broke, the answer given where another was due, or a check's own rule), largest first; a failed precondition comes after them, naming the checks it blocked. Recommendations not followed (SHOULD) come last, grouped alike: never a non-conformance.",
      '',
    );
    s.findings.forEach((f, i) => {
      const shown = f.checks.slice(0, 15).join(', ');
      const more = f.checks.length > 15 ? ` and ${f.checks.length - 15} more` : '';
      lines.push(
        `${i + 1}. ${f.advisory ? '(SHOULD, advisory) ' : ''}${cell(f.cause)} (${f.checks.length} ${f.checks.length === 1 ? 'check' : 'checks'}: ${shown}${more})`,
      );
    });
    lines.push('');
  }
  const failed = s.checks.filter((c) => c.verdict === 'failed');
  if (failed.length) {
    lines.push('## Failed checks', '');
    for (const c of failed) {
      lines.push(`### ${c.id} ${c.title}`, '', `Reference: ${c.reference}. Severity: ${c.severity}.`, '');
      if (c.failure?.kind === 'precondition')
        lines.push(
          `The check's rule was not reached: the precondition "${c.failure.step ?? ''}" failed.`,
          '',
        );
      else if (c.failure?.kind === 'contract')
        lines.push('A response broke the contract of the operation.', '');
      lines.push('```', (c.message ?? '').trim(), '```', '');
    }
  }
  const blocked = s.checks.filter((c) => c.verdict === 'blocked');
  if (blocked.length) {
    const byStep = new Map<string, string[]>();
    for (const c of blocked) {
      const step = c.failure?.step ?? 'a precondition';
      byStep.set(step, [...(byStep.get(step) ?? []), c.id]);
    }
    lines.push(
      '## Blocked checks',
      '',
      "A step these checks stand on failed, so their own rules were never reached: neither passed nor failed, and the run is not conformant. The step's own failure is reported by the check about its rule.",
      '',
    );
    for (const [step, ids] of byStep) {
      const cause =
        blocked.find((c) => (c.failure?.step ?? 'a precondition') === step)?.message?.split('\n')[0] ?? '';
      lines.push(`- blocked by "${step}" (${ids.length}): ${ids.join(', ')}. ${cell(cause)}`);
    }
    lines.push('');
  }
  const advisory = s.checks.filter((c) => c.verdict === 'advisory');
  if (advisory.length) {
    lines.push(
      '## Recommendations not followed (SHOULD)',
      '',
      'Each rule below is a SHOULD of its reference: the target does otherwise, which is worth knowing and never a non-conformance.',
      '',
    );
    for (const c of advisory) {
      lines.push(`### ${c.id} ${c.title}`, '', `Reference: ${c.reference} (SHOULD).`, '');
      lines.push('```', (c.message ?? '').trim(), '```', '');
    }
  }
  lines.push('## All checks', '', '| check | verdict | title | reference | note |', '|---|---|---|---|---|');
  for (const c of s.checks) {
    const note =
      c.reason ??
      (c.waiver
        ? `waiver: ${c.waiver.reason} (${c.waiver.state})`
        : c.bankChoice
          ? `the target's choice: ${c.bankChoice}`
          : '');
    lines.push(`| ${c.id} | ${c.verdict} | ${cell(c.title)} | ${cell(c.reference)} | ${cell(note)} |`);
  }
  return `${lines.join('\n')}\n`;
}
