/**
 * Writes the documentation that is generated from data: docs/checks.md (the check catalogue) and
 * docs/faults.md (the sandbox's fault catalogue). `--check` fails when a committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FAULTS } from '../sandbox/faults/index.ts';
import { loadCatalogue } from '../src/checks/catalogue.ts';
import { throughBrowser } from '../src/checks/types.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';

const HEADER = (source: string) =>
  `<!-- Generated from ${source} by \`node --import tsx scripts/generate-docs.ts\`; do not edit by hand. -->\n\n`;

const CHECKS = loadCatalogue();

/** An anchor for a check or fault in the generated tables. */
const anchor = (id: string) => `<a id="${id.toLowerCase()}"></a>`;

export function checksMarkdown(): string {
  const browser = CHECKS.filter((c) => throughBrowser(c.needs));
  const lines = [
    '# Checks',
    '',
    `${CHECKS.length} checks, ${browser.length} of them through the browser (they declare \`needs\`: \`sca\`, ${browser.filter((c) => c.needs.includes('sca')).length} drive the SCA pages themselves; \`consent\`, the others use the run's consent, approved there once). Each is declared in its spec, next to its logic: a stable ID, the rule in the spec's words, the reference, a severity and tags; the IDs are what waivers, reports and the fault matrix name. "proven by" names the sandbox faults that break the rule ([faults.md](faults.md)); the fault matrix shows each of them failing the check ([fault-matrix.md](fault-matrix.md)).`,
    '',
    `"obligation" records the audit of each rule against its reference: **MUST** (a MUST, SHALL, REQUIRED or closed list there; ${CHECKS.filter((c) => c.obligation === 'MUST').length} checks), **SHOULD** (a recommendation: a failure is reported as advisory and never makes a run non-conformant; ${CHECKS.filter((c) => c.obligation === 'SHOULD').length} checks), and "if <capability>" where the rule holds only for a target whose profile offers what the check requires (an optional feature such as paging, card accounts or withBalance, or what the configuration must provide); without it the check is skipped with that reason. The \`berlin-group\` profile offers no optional feature.`,
    '',
  ];
  const obligation = (c: (typeof CHECKS)[number]) =>
    `${c.obligation}${c.requires.length ? `, if ${c.requires.join(' and ')}` : ''}`;
  const services = [...new Set(CHECKS.map((c) => c.service))];
  for (const service of services) {
    lines.push(
      `## ${service}`,
      '',
      '| ID | rule | obligation | reference | operations | severity | tags | needs | declared in | proven by |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const c of CHECKS.filter((x) => x.service === service)) {
      const proofs = FAULTS.filter((f) => f.detectedBy.includes(c.id)).map(
        (f) => `[\`${f.id}\`](faults.md#${f.id})`,
      );
      lines.push(
        `| ${anchor(c.id)}${c.id} | ${escapeCell(c.title)} | ${obligation(c)} | ${escapeCell(c.reference)} | ${c.operations.join(', ')} | ${c.severity} | ${c.tags.join(', ')} | ${c.needs.join(', ')} | [${c.location.file}:${c.location.line}](../${c.location.file}#L${c.location.line}) | ${proofs.join(', ')} |`,
      );
    }
    lines.push('');
  }
  return `${HEADER('the check declarations in specs/ (src/checks/catalogue.ts)') + lines.join('\n')}\n`;
}

export function faultsMarkdown(): string {
  const lines = [
    '# Sandbox faults',
    '',
    `${FAULTS.length} faults. Each breaks exactly one rule; switch them on with \`psd2-conformance sandbox --faults a,b\`, \`PSD2_SANDBOX_FAULTS=a,b\`, or \`psd2-conformance run --faults a\` against the embedded sandbox; \`a@tpp\` switches one on for the TPP "tpp" alone. Each fault is declared in its area's file under sandbox/faults/; "detected by" links to the checks ([checks.md](checks.md)).`,
    '',
    '| fault | area | what the sandbox does | rule it breaks | reference | detected by |',
    '|---|---|---|---|---|---|',
  ];
  for (const f of FAULTS) {
    const checks = f.detectedBy.map((id) => `[${id}](checks.md#${id.toLowerCase()})`);
    lines.push(
      `| ${anchor(f.id)}\`${f.id}\` | ${f.area} | ${escapeCell(f.behaviour)} | ${escapeCell(f.rule)} | ${escapeCell(f.reference)} | ${checks.join(', ')} |`,
    );
  }
  return `${HEADER('sandbox/faults/') + lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

const outputs: [string, string][] = [
  ['docs/checks.md', checksMarkdown()],
  ['docs/faults.md', faultsMarkdown()],
];

if (process.argv.includes('--check')) {
  const stale = outputs.filter(([file, text]) => {
    try {
      return readFileSync(path.join(PACKAGE_ROOT, file), 'utf8') !== text;
    } catch {
      return true;
    }
  });
  for (const [file] of stale)
    console.error(`${file} is stale: run node --import tsx scripts/generate-docs.ts`);
  process.exitCode = stale.length ? 1 : 0;
} else {
  for (const [file, text] of outputs) writeFileSync(path.join(PACKAGE_ROOT, file), text);
}
