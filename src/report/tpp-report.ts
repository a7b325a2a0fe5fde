import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Certification, RuleResult } from '../../sandbox/certify/certification.ts';
import { generateAllureReport } from './allure.ts';
import { xml } from './junit.ts';
import { packageVersion } from './summary.ts';

/** What a certify-tpp session's reports say beside the verdicts. */
export interface CertificationContext {
  flavour: string;
  startedAt: string;
  finishedAt: string;
  /** Why the session ended: a signal, or the TPP idle for --idle-exit seconds. */
  stoppedBy: string;
}

export interface CertificationSummary extends Certification {
  tool: { name: string; version: string };
  kind: 'tpp-certification';
  flavour: string;
  startedAt: string;
  finishedAt: string;
  stoppedBy: string;
}

/** summary.json, summary.md, junit.xml and the Allure report of a certify-tpp session, in `dir`. */
export function writeCertificationReports(
  certification: Certification,
  context: CertificationContext,
  dir: string,
): { summary: CertificationSummary; allure: { ok: boolean; message: string } } {
  mkdirSync(dir, { recursive: true });
  const summary: CertificationSummary = {
    tool: { name: 'psd2-conformance', version: packageVersion() },
    kind: 'tpp-certification',
    ...context,
    ...certification,
  };
  writeFileSync(path.join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(dir, 'summary.md'), renderCertificationMarkdown(summary));
  writeFileSync(path.join(dir, 'junit.xml'), renderCertificationJunit(summary));
  const results = path.join(dir, 'allure-results');
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  writeAllureResults(summary, results);
  const allure = generateAllureReport({
    resultsDirs: [results],
    outputDir: path.join(dir, 'allure-report'),
    historyPath: path.join(dir, 'history.jsonl'),
    variables: {
      'TPP client': summary.clientId,
      Flavour: summary.flavour,
      Level: summary.level,
      Verdict: summary.headline,
    },
  });
  return { summary, allure };
}

const MARK: Record<RuleResult['verdict'], string> = {
  passed: 'passed',
  failed: '**FAILED**',
  'not-exercised': 'not exercised',
  warning: 'warning',
};

export function renderCertificationMarkdown(s: CertificationSummary): string {
  const lines = [
    '# TPP certification',
    '',
    `**${s.status === 'certified' ? 'CERTIFIED' : 'NOT CERTIFIED'}**: ${s.headline}`,
    '',
    `- TPP (OAuth2 client): \`${s.clientId}\``,
    `- Sandbox flavour: ${s.flavour}; level: ${s.level}`,
    `- Session: ${s.startedAt} to ${s.finishedAt}, stopped by ${s.stoppedBy}; ${s.requests} requests seen`,
    `- Tool: ${s.tool.name} ${s.tool.version}; results hash ${s.resultsHash}`,
    '',
    '## Scenarios',
    '',
    '| scenario | required at this level | result |',
    '|---|---|---|',
    ...s.scenarios.map((x) => `| ${x.title} | ${x.required ? 'yes' : 'no'} | ${x.result} |`),
    '',
    '## Rules',
    '',
    `${s.totals.passed} passed, ${s.totals.failed} failed, ${s.totals.warning} warnings, ${s.totals['not-exercised']} not exercised, of ${s.totals.total}.`,
    '',
    '| rule | title | severity | verdict | reference |',
    '|---|---|---|---|---|',
    ...s.rules.map(
      (r) => `| ${r.id} | ${cell(r.title)} | ${r.severity} | ${MARK[r.verdict]} | ${cell(r.reference)} |`,
    ),
    '',
  ];
  const explained = s.rules.filter((r) => r.evidence.length > 0);
  if (explained.length > 0) {
    lines.push('## Evidence', '');
    for (const r of explained) {
      lines.push(`### ${r.id} ${r.title} (${MARK[r.verdict]})`, '');
      for (const e of r.evidence.slice(0, 20)) lines.push(`- ${e}`);
      if (r.evidence.length > 20) lines.push(`- ... and ${r.evidence.length - 20} more`);
      lines.push('');
    }
  }
  return `${lines.join('\n')}\n`;
}

export function renderCertificationJunit(s: CertificationSummary): string {
  const cases = s.rules.map((r) => {
    const body =
      r.verdict === 'failed'
        ? `      <failure message="${xml(r.evidence[0] ?? 'failed')}" type="TPP rule broken">${xml(r.evidence.join('\n'))}</failure>\n`
        : r.verdict === 'not-exercised'
          ? `      <skipped message="${xml(`not exercised: ${r.evidence[0] ?? ''}`)}"/>\n`
          : r.verdict === 'warning'
            ? `      <system-out>${xml(`warning (a recommendation, never a failed certification):\n${r.evidence.join('\n')}`)}</system-out>\n`
            : '';
    return `    <testcase name="${xml(`${r.id} ${r.title}`)}" classname="tpp.${xml(r.area)}">\n      <properties>\n        <property name="rule" value="${xml(r.id)}"/>\n        <property name="reference" value="${xml(r.reference)}"/>\n        <property name="severity" value="${xml(r.severity)}"/>\n        <property name="verdict" value="${xml(r.verdict)}"/>\n      </properties>\n${body}    </testcase>\n`;
  });
  const scenarioCases = s.scenarios
    .filter((x) => x.required)
    .map((x) => {
      const body =
        x.result === 'not-exercised'
          ? `      <failure message="${xml(`scenario of level ${s.level} not exercised`)}" type="scenario not exercised"/>\n`
          : x.result === 'not-offered'
            ? `      <skipped message="not offered by the ${xml(s.flavour)} flavour"/>\n`
            : '';
      return `    <testcase name="${xml(`scenario ${x.id}: ${x.title}`)}" classname="tpp.scenarios">\n${body}    </testcase>\n`;
    });
  const failures =
    s.totals.failed + s.scenarios.filter((x) => x.required && x.result === 'not-exercised').length;
  const skipped =
    s.totals['not-exercised'] + s.scenarios.filter((x) => x.required && x.result === 'not-offered').length;
  const tests = cases.length + scenarioCases.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="psd2-conformance certify-tpp: ${xml(s.headline)}" tests="${tests}" failures="${failures}" skipped="${skipped}" errors="0">\n  <testsuite name="TPP ${xml(s.clientId)}" tests="${tests}" failures="${failures}" skipped="${skipped}" errors="0">\n${cases.join('')}${scenarioCases.join('')}  </testsuite>\n</testsuites>\n`;
}

const ALLURE_STATUS: Record<RuleResult['verdict'], string> = {
  passed: 'passed',
  failed: 'failed',
  'not-exercised': 'skipped',
  warning: 'broken',
};

function writeAllureResults(s: CertificationSummary, dir: string): void {
  const started = Date.parse(s.startedAt);
  const stopped = Date.parse(s.finishedAt);
  for (const r of s.rules) {
    const historyId = createHash('md5').update(`tpp:${r.id}`).digest('hex');
    const message =
      r.verdict === 'not-exercised'
        ? `not exercised: ${r.evidence[0] ?? ''}`
        : r.verdict === 'warning'
          ? `a recommendation not followed: ${r.evidence[0] ?? ''}`
          : (r.evidence[0] ?? '');
    const result = {
      uuid: randomUUID(),
      historyId,
      testCaseId: historyId,
      fullName: `tpp:${r.id}`,
      name: `${r.id} ${r.title}`,
      status: ALLURE_STATUS[r.verdict],
      statusDetails: r.verdict === 'passed' ? {} : { message, trace: r.evidence.join('\n') },
      stage: 'finished',
      description: `${r.title}\n\nReference: ${r.reference}\n\nSeverity: ${r.severity}`,
      labels: [
        { name: 'epic', value: 'TPP certification' },
        { name: 'feature', value: r.area },
        { name: 'severity', value: r.severity === 'warning' ? 'minor' : r.severity },
        { name: 'tag', value: s.flavour },
      ],
      links: [],
      parameters: [],
      steps: [],
      attachments: [],
      start: started,
      stop: stopped,
    };
    writeFileSync(path.join(dir, `${result.uuid}-result.json`), JSON.stringify(result));
  }
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}
