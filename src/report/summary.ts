import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Check } from '../checks/catalogue.ts';
import type { FailureCause, FailureKind } from '../checks/failure.ts';
import { packagePath } from '../paths.ts';
import { type Finding, runFindings } from './findings.ts';
import type { Waiver } from './waivers.ts';

/**
 * advisory: a SHOULD of the check's reference not followed (reported with its evidence, never a
 * non-conformance). blocked: a step the check stands on failed (a precondition), so its own rule was never
 * reached: neither a pass nor a failure of its rule, and a run with one is not conformant. not-run: a check of
 * the catalogue this run did not run (another --grep or shard, an interrupted run).
 */
export type Verdict = 'passed' | 'failed' | 'advisory' | 'blocked' | 'skipped' | 'waived' | 'not-run';

/**
 * What a run proves. conformant: every check of the catalogue ran (passed, waived with a valid waiver, or
 * skipped for a capability the profile lacks) and none failed. not-conformant: a check failed.
 * passed-subset: nothing failed, but not every check ran, or the run was partial (credentials from
 * elsewhere, no mTLS): never a conformance result.
 */
export type RunStatus = 'conformant' | 'not-conformant' | 'passed-subset';

export interface CheckOutcome {
  id: string;
  status: 'passed' | 'failed' | 'skipped' | 'not-run';
  durationMs: number;
  reason?: string;
  message?: string;
  /** Why a failed check failed, as its test reported it (src/checks/failure.ts). */
  failure?: FailureDetails;
  /** Which of the answers Berlin Group allows the target gave, where the check accepts more than one. */
  bankChoice?: string;
}

export interface FailureDetails {
  kind: FailureKind;
  /** The precondition that failed (kind precondition). */
  step?: string;
  /** The last exchange of the check: method, URL, status, content type and the start of the body (redacted). */
  lastExchange?: string;
  /** The contract rules its exchanges broke, or the precondition that failed: what it may share with others. */
  causes?: FailureCause[];
}

export interface CheckVerdict {
  id: string;
  title: string;
  service: string;
  severity: string;
  /** MUST or SHOULD: how the reference states the rule. */
  obligation: 'MUST' | 'SHOULD';
  reference: string;
  /** The spec file (from the package root) and line the check is declared at. */
  location: { file: string; line: number };
  verdict: Verdict;
  reason?: string;
  message?: string;
  failure?: FailureDetails;
  /** Which of the answers Berlin Group allows the target gave, where the check accepts more than one. */
  bankChoice?: string;
  /** not-observed: a profile's documented deviation whose check passes on this target. */
  waiver?: Waiver & { state: 'active' | 'expired' | 'stale' | 'not-observed' };
}

export interface Summary {
  tool: { name: string; version: string };
  contracts: Record<string, string>;
  target: string;
  profile: string;
  /** The profile file, so that merged shard reports read the same deviations. */
  profileFile: string | undefined;
  embedded: boolean;
  /** Set when the run cannot be a full conformance result (partial credentials, no mTLS). */
  partial: string | undefined;
  /** What chose the checks of this run, when not the whole catalogue. */
  selection: { grep?: string; shard?: string; merged?: string[] };
  startedAt: string;
  finishedAt: string;
  status: RunStatus;
  /** The first line of the summary: the status, the checks it covers, the target. */
  headline: string;
  conformant: boolean;
  totals: Record<Verdict | 'total', number>;
  services: Record<string, Record<Verdict | 'total', number>>;
  waiverNotes: string[];
  verdictsSha256: string;
  /**
   * The failed and blocked checks grouped by the defect most of them share, largest first, then the advisory
   * checks grouped alike (src/report/findings.ts).
   */
  findings: Finding[];
  checks: CheckVerdict[];
}

export function buildSummary(input: {
  checks: readonly Check[];
  outcomes: CheckOutcome[];
  waivers: Waiver[];
  startedAt: Date;
  finishedAt: Date;
  target: string;
  profile: string;
  profileFile: string | undefined;
  embedded: boolean;
  partial: string | undefined;
  selection?: Summary['selection'];
  runStatus: string;
}): Summary {
  const selection = input.selection ?? {};
  const byId = new Map(input.outcomes.map((o) => [o.id, o]));
  const today = input.finishedAt.toISOString().slice(0, 10);
  const waiverNotes: string[] = [];
  const verdicts: CheckVerdict[] = [];
  for (const check of input.checks) {
    const outcome = byId.get(check.id) ?? notRun(check.id, selection, input.runStatus);
    const waiver = input.waivers.find((w) => w.check === check.id);
    const verdict: CheckVerdict = {
      id: check.id,
      title: check.title,
      service: check.service,
      severity: check.severity,
      obligation: check.obligation ?? 'MUST',
      reference: check.reference,
      location: check.location,
      verdict: outcome.status,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.message ? { message: outcome.message } : {}),
      ...(outcome.failure ? { failure: outcome.failure } : {}),
      ...(outcome.bankChoice ? { bankChoice: outcome.bankChoice } : {}),
    };
    if (waiver) {
      const expired = waiver.expires < today;
      // A profile's deviation covers the failure it describes, not any failure of that check (see check.ts).
      const otherFailure = waiver.deviation && outcome.failure?.kind !== 'deviation';
      if (outcome.status === 'failed' && otherFailure) {
        waiverNotes.push(
          `${check.id}: fails for another reason than its documented deviation; the failure counts`,
        );
      } else if (outcome.status === 'failed' && !expired) {
        verdict.verdict = 'waived';
        verdict.waiver = { ...waiver, state: 'active' };
      } else if (outcome.status === 'failed' && expired) {
        verdict.waiver = { ...waiver, state: 'expired' };
        waiverNotes.push(
          `${check.id}: the waiver expired on ${waiver.expires} (owner ${waiver.owner}); the failure counts`,
        );
      } else if (outcome.status === 'passed' && waiver.deviation) {
        // The target follows the Berlin Group rule here (or the profile's flavour reached it): worth knowing, not stale.
        verdict.waiver = { ...waiver, state: 'not-observed' };
      } else if (outcome.status === 'passed') {
        verdict.waiver = { ...waiver, state: 'stale' };
        waiverNotes.push(
          `${check.id}: waived but passing: the waiver is stale, remove it (owner ${waiver.owner})`,
        );
      }
    }
    // A check whose precondition failed never reached its rule: blocked, whatever its obligation.
    if (verdict.verdict === 'failed' && outcome.failure?.kind === 'precondition') verdict.verdict = 'blocked';
    // A recommendation not followed is reported, never a non-conformance.
    if (verdict.verdict === 'failed' && check.obligation === 'SHOULD') verdict.verdict = 'advisory';
    verdicts.push(verdict);
  }
  for (const waiver of input.waivers) {
    if (!input.checks.some((c) => c.id === waiver.check))
      waiverNotes.push(`${waiver.check}: waiver names no known check`);
  }
  const empty = () => ({
    total: 0,
    passed: 0,
    failed: 0,
    advisory: 0,
    blocked: 0,
    skipped: 0,
    waived: 0,
    'not-run': 0,
  });
  const totals = empty();
  const services: Record<string, ReturnType<typeof empty>> = {};
  for (const v of verdicts) {
    totals.total++;
    totals[v.verdict]++;
    services[v.service] ??= empty();
    const service = services[v.service] as ReturnType<typeof empty>;
    service.total++;
    service[v.verdict]++;
  }
  const status: RunStatus =
    totals.failed > 0 || totals.blocked > 0
      ? 'not-conformant'
      : totals['not-run'] > 0 || input.partial || totals.total === 0
        ? 'passed-subset'
        : 'conformant';
  const hash = createHash('sha256');
  for (const v of [...verdicts].sort((a, b) => a.id.localeCompare(b.id)))
    hash.update(`${v.id}=${v.verdict}\n`);
  return {
    tool: { name: 'psd2-conformance', version: packageVersion() },
    contracts: contractVersions(),
    target: input.target,
    profile: input.profile,
    profileFile: input.profileFile,
    embedded: input.embedded,
    partial: input.partial || undefined,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    selection,
    status,
    headline: headline(status, totals, input),
    conformant: status === 'conformant',
    totals,
    services,
    waiverNotes,
    verdictsSha256: hash.digest('hex'),
    findings: runFindings(
      verdicts.filter((v) => v.verdict === 'failed' || v.verdict === 'blocked').map(causesOf),
      verdicts.filter((v) => v.verdict === 'advisory').map(causesOf),
    ),
    checks: verdicts,
  };
}

const causesOf = (v: CheckVerdict) => ({ id: v.id, title: v.title, causes: v.failure?.causes ?? [] });

/** Why a check of the catalogue has no outcome in this run. */
function notRun(id: string, selection: Summary['selection'], runStatus: string): CheckOutcome {
  const reason = selection.merged
    ? `in none of the merged shard reports (${selection.merged.join(', ')})`
    : selection.grep !== undefined
      ? `not selected by --grep "${selection.grep}"`
      : selection.shard
        ? `in another shard than --shard ${selection.shard}`
        : `did not run (the run ended ${runStatus === 'interrupted' ? 'interrupted' : 'before it'})`;
  return { id, status: 'not-run', durationMs: 0, reason };
}

function headline(
  status: RunStatus,
  totals: Record<Verdict | 'total', number>,
  input: { target: string; embedded: boolean; profile: string; partial: string | undefined },
): string {
  const ran = totals.total - totals['not-run'];
  const what =
    status === 'conformant'
      ? 'CONFORMANT'
      : status === 'not-conformant'
        ? 'NOT CONFORMANT'
        : `PASSED (${input.partial ? 'partial run' : 'subset'}: ${ran} of ${totals.total} checks)`;
  const target = input.embedded ? `the embedded sandbox (${input.target})` : input.target;
  return `${what}: ${target}, profile ${input.profile}`;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}

function contractVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of ['openapi/xs2a.yaml', 'openapi/oauth2.yaml']) {
    const text = readFileSync(packagePath(file), 'utf8');
    out[file] = /\n {2}version: (.+)/.exec(text)?.[1]?.trim() ?? 'unknown';
  }
  return out;
}
