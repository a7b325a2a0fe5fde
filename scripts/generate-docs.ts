/**
 * Writes the documentation that is generated from data: docs/checks.md (the check catalogue) and
 * docs/faults.md (the sandbox's fault catalogue). `--check` fails when a committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FAULTS } from '../sandbox/faults.ts';
import { CHECKS } from '../src/checks/catalogue.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';

const HEADER = (source: string) =>
  `<!-- Generated from ${source} by \`node --import tsx scripts/generate-docs.ts\`; do not edit by hand. -->\n\n`;

export function checksMarkdown(): string {
  const lines = [
    '# Checks',
    '',
    `${CHECKS.length} checks, ${CHECKS.filter((c) => c.tags.includes('browser')).length} of them through the browser. Each has a stable ID, the rule in the spec's words, the reference, a severity and tags; the IDs are what waivers, reports and the fault matrix name.`,
    '',
  ];
  const services = [...new Set(CHECKS.map((c) => c.service))];
  for (const service of services) {
    lines.push(
      `## ${service}`,
      '',
      '| ID | rule | reference | operations | severity | tags | needs |',
      '|---|---|---|---|---|---|---|',
    );
    for (const c of CHECKS.filter((x) => x.service === service)) {
      lines.push(
        `| ${c.id} | ${escapeCell(c.title)} | ${escapeCell(c.reference)} | ${c.operations.join(', ')} | ${c.severity} | ${c.tags.join(', ')} | ${c.requires.join(', ')} |`,
      );
    }
    lines.push('');
  }
  return HEADER('src/checks/catalogue.ts') + lines.join('\n');
}

export function faultsMarkdown(): string {
  const lines = [
    '# Sandbox faults',
    '',
    `${FAULTS.length} faults. Each breaks exactly one rule; switch them on with \`psd2-conformance sandbox --faults a,b\`, \`PSD2_SANDBOX_FAULTS=a,b\`, or \`psd2-conformance run --faults a\` against the embedded sandbox.`,
    '',
    '| fault | area | what the sandbox does | rule it breaks | reference | detected by |',
    '|---|---|---|---|---|---|',
  ];
  for (const f of FAULTS) {
    lines.push(
      `| \`${f.id}\` | ${f.area} | ${escapeCell(f.behaviour)} | ${escapeCell(f.rule)} | ${escapeCell(f.reference)} | ${f.detectedBy.join(', ')} |`,
    );
  }
  return `${HEADER('sandbox/faults.ts') + lines.join('\n')}\n`;
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
