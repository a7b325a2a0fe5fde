/**
 * Writes the documentation that is generated from data: docs/checks.md (the check catalogue),
 * docs/faults.md (the sandbox's fault catalogue), docs/profile.md (the profile schema) and docs/coverage.md (docs/data/depth-coverage.yaml, docs/data/wso2-coverage.yaml).
 * `--check` fails when a committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SCENARIOS } from '../sandbox/certify/certification.ts';
import { TPP_RULES } from '../sandbox/certify/tpp-rules.ts';
import { BANK_CHOICES } from '../sandbox/faults/choices.ts';
import { FAULTS } from '../sandbox/faults/index.ts';
import { loadCatalogue } from '../src/checks/catalogue.ts';
import { throughBrowser } from '../src/checks/types.ts';
import { PROFILE_SCHEMA } from '../src/config/profile.ts';
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
    `${CHECKS.length} checks, ${browser.length} of them through the browser (they declare \`needs\`: \`sca\`, ${browser.filter((c) => c.needs.includes('sca')).length} drive the SCA pages themselves; \`accountsOnlyConsent\`, ${browser.filter((c) => c.needs.includes('accountsOnlyConsent') && !c.needs.includes('sca')).length} read under the run's second consent, on one account for account access only; \`consent\`, the others use the run's consent over all accounts; each of the two consents is approved there once per run). Each is declared in its spec, next to its logic: a stable ID, the rule in the spec's words, the reference, a severity and tags; the IDs are what waivers, reports and the fault matrix name. "proven by" names the sandbox faults that break the rule ([faults.md](faults.md)); the fault matrix shows each of them failing the check ([fault-matrix.md](fault-matrix.md)).`,
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
  lines.push(
    '',
    '## Bank choices',
    '',
    `${BANK_CHOICES.length} choices Berlin Group leaves to the bank, switched on the same way: the sandbox answers the other allowed way, and the checks of the rule must still pass (tests/suite/choices.test.ts). They show the suite raises no false alarm against a bank that chose differently. Declared in sandbox/faults/choices.ts.`,
    '',
    '| choice | area | what the sandbox does | allowed by | must still pass |',
    '|---|---|---|---|---|',
  );
  for (const c of BANK_CHOICES) {
    const checks = c.mustPass.map((id) => `[${id}](checks.md#${id.toLowerCase()})`);
    lines.push(
      `| ${anchor(c.id)}\`${c.id}\` | ${c.area} | ${escapeCell(c.behaviour)} | ${escapeCell(c.allowedBy)} | ${checks.join(', ')} |`,
    );
  }
  return `${HEADER('sandbox/faults/') + lines.join('\n')}\n`;
}

interface CoverageFamily {
  family: string;
  rule: string;
  wso2: string[];
  checks: string[];
  coverage: 'covered' | 'partly' | 'not yet' | 'not a rule';
  note?: string;
}

const COVERAGE_SOURCE = 'docs/data/wso2-coverage.yaml';
const DEPTH_SOURCE = 'docs/data/depth-coverage.yaml';

interface DepthFamily {
  family: string;
  section: string;
  rules: {
    rule: string;
    checks: string[];
    coverage: 'covered' | 'partly' | 'not yet' | 'left out';
    note?: string;
  }[];
}

function refuseUnknownChecks(source: string, ids: string[]): void {
  const known = new Set(CHECKS.map((c) => c.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw new Error(`${source} names checks that do not exist: ${unknown.join(', ')}`);
}

const checkLinks = (ids: string[]) => ids.map((id) => `[${id}](checks.md#${id.toLowerCase()})`).join(', ');

/** The Berlin Group rule families of the depth issues, with the checks that test each. */
function depthCoverageLines(): string[] {
  const { families } = parse(readFileSync(path.join(PACKAGE_ROOT, DEPTH_SOURCE), 'utf8')) as {
    families: DepthFamily[];
  };
  const rules = families.flatMap((f) => f.rules);
  refuseUnknownChecks(
    DEPTH_SOURCE,
    rules.flatMap((r) => r.checks),
  );
  const empty = rules.filter(
    (r) => (r.coverage === 'covered' || r.coverage === 'partly') && !r.checks.length,
  );
  if (empty.length)
    throw new Error(`${DEPTH_SOURCE}: covered without checks: ${empty.map((r) => r.rule).join('; ')}`);
  const count = (coverage: DepthFamily['rules'][number]['coverage']) =>
    rules.filter((r) => r.coverage === coverage).length;
  const lines = [
    '# Coverage of Berlin Group NextGenPSD2 1.3',
    '',
    `The rule families of the Implementation Guide that the suite tests in depth, each with its section and the checks that test it. Of ${rules.length} rules listed, ${count('covered')} are covered, ${count('partly')} partly, ${count('not yet')} not yet, and ${count('left out')} left out with the reason.`,
    '',
  ];
  for (const f of families) {
    const checks = new Set(f.rules.flatMap((r) => r.checks));
    lines.push(
      `## ${f.family} (${f.section})`,
      '',
      `${checks.size} checks.`,
      '',
      '| rule | checks | coverage | note |',
      '|---|---|---|---|',
    );
    for (const r of f.rules)
      lines.push(
        `| ${escapeCell(r.rule)} | ${checkLinks(r.checks)} | ${r.coverage} | ${escapeCell(r.note ?? '')} |`,
      );
    lines.push('');
  }
  return lines;
}

export function coverageMarkdown(): string {
  const { families } = parse(readFileSync(path.join(PACKAGE_ROOT, COVERAGE_SOURCE), 'utf8')) as {
    families: CoverageFamily[];
  };
  refuseUnknownChecks(
    COVERAGE_SOURCE,
    families.flatMap((f) => f.checks),
  );
  const scenarios = (f: CoverageFamily) => f.wso2.length;
  const count = (coverage: CoverageFamily['coverage']) =>
    families.filter((f) => f.coverage === coverage).reduce((n, f) => n + scenarios(f), 0);
  const lines = [
    ...depthCoverageLines(),
    "# Coverage against WSO2's Berlin Group toolkit",
    '',
    `The rules where resources are used in the wrong state, bound to the wrong party, sent twice, or called with the wrong kind of token, as the integration tests of WSO2's Berlin Group toolkit (github.com/wso2/reference-implementation-nextgenpsd2, open-banking-test-suite/toolkit-berlin-test) exercise them, and the checks of this suite that cover each rule. Of the ${families.reduce((n, f) => n + scenarios(f), 0)} WSO2 scenarios listed, ${count('covered')} are covered, ${count('partly')} partly, ${count('not yet')} not yet, and ${count('not a rule')} test what Berlin Group leaves open. Rules without a WSO2 scenario are this suite's own.`,
    '',
  ];
  for (const family of [...new Set(families.map((f) => f.family))]) {
    lines.push(
      `## ${family}`,
      '',
      '| rule | WSO2 scenarios | checks | coverage | note |',
      '|---|---|---|---|---|',
    );
    for (const f of families.filter((x) => x.family === family)) {
      lines.push(
        `| ${escapeCell(f.rule)} | ${f.wso2.join(', ')} | ${checkLinks(f.checks)} | ${f.coverage} | ${escapeCell(f.note ?? '')} |`,
      );
    }
    lines.push('');
  }
  return `${HEADER(`${DEPTH_SOURCE} and ${COVERAGE_SOURCE}`) + lines.join('\n')}\n`;
}

interface SchemaNode {
  type?: string;
  enum?: readonly unknown[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  required?: readonly string[];
  additionalProperties?: boolean | SchemaNode;
  default?: unknown;
  description?: string;
  minimum?: number;
}

/** A schema node's type in words: its values, its item type, its bounds. */
function typeOf(node: SchemaNode): string {
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (node.type === 'array' && node.items) return `list of ${typeOf(node.items)}`;
  if (node.type === 'object' && typeof node.additionalProperties === 'object')
    return 'map of names to strings';
  return `${node.type ?? 'any'}${node.minimum !== undefined ? ` ≥ ${node.minimum}` : ''}`;
}

function schemaRows(node: SchemaNode, prefix: string, required: readonly string[], rows: string[]): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const name = `${prefix}${key}`;
    const fallback = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
    rows.push(
      `| \`${name}\` | ${typeOf(child)} | ${required.includes(key) ? 'yes' : ''} | ${fallback} | ${escapeCell(child.description ?? '')} |`,
    );
    if (child.properties) schemaRows(child, `${name}.`, child.required ?? [], rows);
    if (child.items?.properties) schemaRows(child.items, `${name}[].`, child.items.required ?? [], rows);
  }
}

export function profileMarkdown(): string {
  const schema = PROFILE_SCHEMA as unknown as SchemaNode;
  const rows: string[] = [];
  schemaRows(schema, '', schema.required ?? [], rows);
  return `${HEADER('PROFILE_SCHEMA in src/config/profile.ts')}${[
    '# Profile reference',
    '',
    "A profile (`--profile file.yaml`, or `profile:` in the configuration) says what the bank offers and how the browser drives its PSU pages. Start from `profiles/berlin-group.yaml` (no optional feature) or `profiles/sandbox.yaml` (everything on, steps for the sandbox's pages); an unknown key, a wrong type or a value outside a list is an error naming the key, all of them at once. Write and rehearse the steps with [sca-steps.md](sca-steps.md); the configuration file's keys are in `examples/berlin-group-bank.yaml`.",
    '',
    '| key | type | required | default | meaning |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n')}\n`;
}

const TROUBLESHOOTING_SOURCE = 'docs/data/troubleshooting.yaml';

interface Trouble {
  message: string;
  source: string;
  words: string;
  fix: string;
}

/**
 * docs/troubleshooting.md from the messages the tool prints: each entry names the file that prints it and the
 * fixed words of the message, which must still be there, so that the page never explains a message that is gone.
 */
export function troubleshootingMarkdown(): string {
  const areas = parse(readFileSync(path.join(PACKAGE_ROOT, TROUBLESHOOTING_SOURCE), 'utf8')) as {
    area: string;
    entries: Trouble[];
  }[];
  const lines = [
    '# Troubleshooting',
    '',
    'The messages psd2-conformance prints, by where they stop you, with what to do. Exit codes: 0 conformant, 1 not conformant (or a subset), 2 a usage or configuration error (one line naming the problem), 3 the target unreachable.',
    '',
  ];
  for (const { area, entries } of areas) {
    lines.push(`## ${area}`, '');
    for (const e of entries) {
      const source = readFileSync(path.join(PACKAGE_ROOT, e.source), 'utf8');
      if (!source.includes(e.words))
        throw new Error(
          `${TROUBLESHOOTING_SOURCE}: "${e.words}" is no longer in ${e.source}: update the entry`,
        );
      lines.push(
        `### \`${e.message}\``,
        '',
        e.fix,
        '',
        `<sub>Printed by [${e.source}](../${e.source}).</sub>`,
        '',
      );
    }
  }
  return `${HEADER(TROUBLESHOOTING_SOURCE)}${lines.join('\n')}`;
}

export function tppRulesMarkdown(): string {
  const lines = [
    '# TPP rules',
    '',
    `${TPP_RULES.length} rules \`psd2-conformance certify-tpp\` judges a TPP's own client by, from the requests the sandbox sees it send. Each is declared in sandbox/certify/tpp-rules.ts with the judge that decides it; the reference TPP (examples/tpp/) breaks each alone with \`--break <name>\`, and tests/suite/certify-tpp.test.ts shows every break failing exactly its rule. A rule is passed (seen and followed), failed (seen and broken, with the requests as evidence) or not exercised (the TPP never came where it applies); a rule of severity warning is a recommendation and never fails a certification.`,
    '',
    'To see how a TPP copes, certify-tpp answers three times in place of the bank: the first code of a TPP comes back with another state than it sent (TPP-009), its first transaction read is answered 429 with Retry-After (TPP-018), and two of its access tokens expire at their first balance read (TPP-014, TPP-015, TPP-019).',
    '',
    '| rule | title | severity | reference | --break |',
    '|---|---|---|---|---|',
    ...TPP_RULES.map(
      (r) =>
        `| ${anchor(r.id.toLowerCase())}${r.id} | ${escapeCell(r.title)} | ${r.severity} | ${escapeCell(r.reference)} | \`${r.breakName}\` |`,
    ),
    '',
    '## Scenarios',
    '',
    '`--level ais` asks for the AIS scenarios, `--level pis` for the payment, `--level full` (the default) for all four; a scenario whose operation the flavour does not offer is not required.',
    '',
    '| scenario | what shows it |',
    '|---|---|',
    ...SCENARIOS.map((s) => `| \`${s.id}\` | ${escapeCell(s.title)} |`),
  ];
  return `${HEADER('sandbox/certify/tpp-rules.ts and certification.ts') + lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

const outputs: [string, string][] = [
  ['docs/checks.md', checksMarkdown()],
  ['docs/faults.md', faultsMarkdown()],
  ['docs/profile.md', profileMarkdown()],
  ['docs/troubleshooting.md', troubleshootingMarkdown()],
  ['docs/coverage.md', coverageMarkdown()],
  ['docs/tpp-rules.md', tppRulesMarkdown()],
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
