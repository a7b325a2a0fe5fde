import type { TestInfo } from '@playwright/test';
import * as allure from 'allure-js-commons';
import type { Profile } from '../config/profile.ts';
import { ExchangeLog } from '../harness/exchange-log.ts';
import { test as baseTest } from '../harness/fixtures.ts';
import { matrixPlan } from '../harness/matrix-plan.ts';
import type { TppSession } from '../harness/session.ts';
import type { DecidedPayment, SessionPool } from '../harness/session-pool.ts';
import { ScaStepError } from '../sca/driver.ts';
import { type AuthorisedConsent, ScaFlows } from '../sca/flows.ts';
import { Xs2aApi } from '../xs2a/api.ts';
import { documentedDeviations } from './documented-deviations.ts';
import {
  BaselineBroken,
  endedOnItsOperation,
  type FailureKind,
  KNOWN_DEVIATION_NOTE,
  OwnContractBroken,
  PreconditionFailed,
  stripAnsi,
} from './failure.ts';
import { failureCauses } from './failure-causes.ts';
import { referenceUrl } from './references.ts';
import { type Check, type CheckSpec, missingCapability, type Service, throughBrowser } from './types.ts';

export interface CheckFixtures {
  tpp: TppSession;
  log: ExchangeLog;
  /** XS2A calls, each logged and checked against its contract. */
  api: Xs2aApi;
  /** Browser SCA flows. */
  sca: ScaFlows;
  /** The run's consent over all the PSU's accounts, approved in the browser once (declare `needs: ['consent']`). */
  consent: AuthorisedConsent;
  /**
   * The run's consent on the PSU's first account for account access only, approved once
   * (declare `needs: ['accountsOnlyConsent']`), and the IBAN it names.
   */
  accountsOnly: { consent: AuthorisedConsent; iban: string };
  /**
   * A payment of the product the PSU approved or declined in the browser, shared by the checks of the run and TPP
   * that only read it (declare `needs: ['sca']`); a check that changes a payment makes its own with `sca`.
   */
  decidedPayment: (product: string, decision: 'approve' | 'decline') => Promise<DecidedPayment>;
}

export type CheckBody = (fixtures: CheckFixtures) => Promise<void>;

/** What Playwright's `test()` takes: title, details, body. */
type TestArgs = [
  string,
  { tag: string[]; annotation: { type: string; description: string }[] },
  (fixtures: { sessions: SessionPool }, testInfo: TestInfo) => Promise<void>,
];

/**
 * The checks of one spec file, all of one service. A spec declares each check where its logic is and
 * calls Playwright's `test()` itself, so that every report locates the check at its own line:
 *
 *   const check = checksOf('Consents');
 *   test(...check({ id: 'CON-001', title: '…', reference: '…', severity: 'blocker' })(async ({ api }) => { … }));
 *
 * The test's title, tags and report labels come from the declaration; it is skipped with the reason when
 * the target lacks a capability it requires. Every response is validated against the contract: violations
 * fail the contract check of their operation (CTR-*) and are noted on the others, so one broken rule fails
 * the checks about it and no unrelated ones. A failure carries the redacted exchanges.
 * In a fault-matrix run the check is declared once more for each registered TPP whose fault's scope
 * holds it, expected to fail where the fault names it (those copies are made here, not in the spec, and
 * declared with the rest of the run by src/harness/matrix-entry.ts).
 */
export function checksOf(service: Service) {
  return (spec: CheckSpec) =>
    (body: CheckBody): TestArgs =>
      declare(entryOf(service, spec), body);
}

function entryOf(service: Service, spec: CheckSpec): Omit<Check, 'location'> {
  const needs = spec.needs ?? [];
  return {
    id: spec.id,
    title: spec.title,
    service,
    reference: spec.reference,
    severity: spec.severity,
    obligation: spec.obligation ?? 'MUST',
    operations: spec.operations ?? [],
    tags: [...(spec.tags ?? []), ...(throughBrowser(needs) ? (['browser'] as const) : [])],
    requires: spec.requires ?? [],
    needs,
  };
}

function declare(entry: Omit<Check, 'location'>, body: CheckBody): TestArgs {
  const details = {
    tag: entry.tags.map((t) => `@${t}`),
    annotation: [
      { type: 'check', description: entry.id },
      { type: 'reference', description: entry.reference },
      { type: 'severity', description: entry.severity },
      { type: 'obligation', description: entry.obligation },
      { type: 'service', description: entry.service },
      { type: 'operations', description: entry.operations.join(',') },
      { type: 'requires', description: entry.requires.join(',') },
      { type: 'needs', description: entry.needs.join(',') },
      // Allure: the rule as the test's description, suites by service and operation (allure-playwright reads these).
      { type: 'description', description: describeCheck(entry) },
      { type: 'allure.label.epic', description: entry.service },
      { type: 'allure.label.feature', description: entry.operations[0] ?? entry.service },
      { type: 'allure.label.severity', description: entry.severity },
      { type: 'allure.label.obligation', description: entry.obligation },
    ],
  };
  const matrix = matrixPlan();
  for (const [tpp, plan] of Object.entries(matrix?.tpps ?? {})) {
    if (!plan.checks.includes(entry.id)) continue;
    const annotation = [...details.annotation, { type: 'tpp', description: tpp }];
    (waitsOutALifetime(entry) ? recorded.waiting : recorded.copies).push([
      `[${tpp}] ${entry.id} ${entry.title}`,
      { ...details, annotation },
      async ({ sessions }, testInfo) => {
        baseTest.fail(
          plan.expectFailed.includes(entry.id),
          `fault ${plan.faults.join(', ')} names ${entry.id}`,
        );
        await runCheck(entry, body, sessions, tpp, testInfo);
      },
    ]);
  }
  // In a fault-matrix run the run's own TPP runs only the checks of the faults' scopes.
  const skipped = matrix !== undefined && !matrix.clean.includes(entry.id);
  return [
    `${entry.id} ${entry.title}`,
    details,
    async ({ sessions }, testInfo) => {
      baseTest.skip(skipped, 'not in the scope of any fault of this fault-matrix run');
      // A fault-matrix run writes no Allure report: its labels would only cost time.
      if (!matrix) await labels(entry);
      await runCheck(entry, body, sessions, undefined, testInfo);
    },
  ];
}

async function runCheck(
  entry: Omit<Check, 'location'>,
  body: CheckBody,
  sessions: SessionPool,
  tppName: string | undefined,
  testInfo: TestInfo,
): Promise<void> {
  const tpp = sessions.get(tppName);
  const log = new ExchangeLog(tpp.contract, tpp.basePath, tpp.baseline);
  const api = new Xs2aApi(tpp, log);
  const sca = new ScaFlows(api, testInfo);
  const documented = tpp.profile.deviations.find((d) => d.check === entry.id);
  if (documented) {
    await allure.tag('known-deviation');
    await allure.label('knownDeviation', `${documented.reason} (${documented.source})`);
    testInfo.annotations.push({
      type: 'known-deviation',
      description: `${documented.reason} (${documented.source})`,
    });
  }
  const missing = missingCapability(entry, tpp.profile, {
    otherTpp: tpp.settings.otherTpp !== undefined,
    otherPsu: tpp.settings.otherPsu !== undefined,
    expiredConsentFixture: tpp.settings.fixtures.expiredConsent !== undefined,
    roleCertificates: Object.keys(tpp.settings.tls.certificates ?? {}).length > 0,
  });
  baseTest.skip(missing !== undefined, missing);
  const partial = tpp.settings.partial;
  baseTest.skip(
    Boolean(
      partial?.accessToken && (entry.needs.includes('sca') || entry.needs.includes('accountsOnlyConsent')),
    ),
    'partial run: the access token and consent were obtained elsewhere; this check needs the browser SCA',
  );
  baseTest.skip(
    Boolean(partial?.accessToken && entry.needs.includes('authorizationEndpoint')),
    "partial run: the access token and consent were obtained elsewhere; this check probes the bank's authorization endpoint",
  );
  baseTest.skip(
    Boolean(
      partial?.noTokenEndpoint &&
        (entry.operations.includes('requestToken') || entry.needs.includes('clientToken')),
    ),
    'partial run: no token endpoint (target.tokenUrl left out, or partial.noTokenEndpoint): this check needs a token from it; the given access token stands in for client_credentials elsewhere',
  );
  baseTest.skip(
    Boolean(partial?.noMtls && entry.service === 'Transport'),
    'partial run: no client certificate (a target without mTLS)',
  );
  try {
    // Only checks that declare they need it wait for the run's browser-approved consent.
    const consent = entry.needs.includes('consent')
      ? await sessions.consent(tppName).catch((error: unknown) => {
          throw new PreconditionFailed(
            "the run's consent, approved in the browser",
            error instanceof Error ? error.message : String(error),
          );
        })
      : (undefined as unknown as AuthorisedConsent);
    const accountsOnly = entry.needs.includes('accountsOnlyConsent')
      ? await sessions.accountsOnlyConsent(tppName).catch((error: unknown) => {
          throw new PreconditionFailed(
            "the run's consent for account access only, approved in the browser",
            error instanceof Error ? error.message : String(error),
          );
        })
      : (undefined as unknown as CheckFixtures['accountsOnly']);
    // The payment these checks read is made once and shared: its failure is a step they stand on, owned by the
    // payment initiation checks, so it blocks them.
    const decidedPayment = (product: string, decision: 'approve' | 'decline') =>
      sessions.decidedPayment(tppName, product, decision).catch((error: unknown) => {
        throw new PreconditionFailed(
          `a ${product} payment, ${decision === 'approve' ? 'approved' : 'declined'} by the PSU in the browser`,
          error instanceof Error ? error.message : String(error),
        );
      });
    await body({ tpp, log, api, sca, consent, accountsOnly, decidedPayment });
    // Contract checks fail on any violation of their operation; other checks stay about their one rule.
    const own = entry.service === 'Contract' ? log.violationsFor(entry.operations) : [];
    if (own.length > 0) {
      throw new OwnContractBroken(`[${entry.id}] responses break the contract:\n${log.describe(own)}`);
    }
    const baseline = entry.service === 'Contract' ? log.baselineViolationsFor(entry.operations) : [];
    if (baseline.length > 0) {
      throw new BaselineBroken(
        `[${entry.id}] responses follow the profile's contract but break the baseline (${tpp.profile.baseline?.join(', ')}):\n${log.describe(baseline)}`,
      );
    }
    // A certification body may ask for the evidence of what passed too (run --evidence all).
    if (process.env.PSD2_EVIDENCE === 'all' && log.entries.length > 0)
      await testInfo.attach('exchanges.txt', { body: log.transcript(), contentType: 'text/plain' });
  } catch (thrown) {
    // A failed check keeps its worker: Playwright starts a new one after every unexpected failure, half a
    // second each, a minute on a run with a hundred failures. The verdict is the reporters': they read the
    // status, which stays failed.
    testInfo.expectedStatus = 'failed';
    await testInfo.attach('exchanges.txt', { body: log.transcript(), contentType: 'text/plain' });
    const lastEntry = log.entries.at(-1);
    const lastLine = log.lastLine();
    // A documented deviation (of this profile, or one that may explain it) speaks to the crash as it stands;
    // otherwise a crash on an error answer is blocked by the call that failed.
    const note =
      thrown instanceof Error
        ? deviationNote(thrown, entry, tpp.profile, lastEntry?.operationId, lastLine)
        : undefined;
    // A blocked check (crashedOnAnError) has no deviation: deviationNote gives none for a failed precondition.
    const error = note ? thrown : crashedOnAnError(thrown, log);
    if (error instanceof Error) {
      if (note) error.message = `${note.text} ${error.message}`;
      if (lastLine) error.message += `\n${lastLine}`;
      const kind: FailureKind =
        error instanceof PreconditionFailed
          ? 'precondition'
          : note?.own
            ? 'deviation'
            : error instanceof OwnContractBroken || error instanceof BaselineBroken
              ? 'contract'
              : 'rule';
      testInfo.annotations.push(
        { type: 'failure-kind', description: kind },
        { type: 'failure-causes', description: JSON.stringify(failureCauses(error, log)) },
        ...(error instanceof PreconditionFailed ? [{ type: 'failure-step', description: error.step }] : []),
        ...(lastLine
          ? [{ type: 'last-exchange', description: lastLine.replace(/^Last exchange: /, '') }]
          : []),
      );
    }
    throw error;
  }
  const others = entry.service === 'Contract' ? [] : log.violationsFor('all');
  if (others.length > 0) {
    testInfo.annotations.push({ type: 'contract-note', description: log.describe(others) });
  }
}

/**
 * The note a documented deviation puts on a failure it explains. The profile's own deviation covers any
 * failure of its check but a failed precondition or a break of the profile's own contract (its flavour
 * changes how the check fails, not that it passes). Another profile's deviation is named only on a failure of the same
 * kind: one that matches its `explains`, or, where it has none, one that ended on the check's operation.
 */
function deviationNote(
  error: Error,
  entry: Omit<Check, 'location'>,
  profile: Profile,
  lastOperation: string | undefined,
  lastLine: string | undefined,
): { text: string; own: boolean } | undefined {
  if (error instanceof PreconditionFailed) return undefined;
  // A step of the profile that could not run is the profile's problem: no deviation of the bank explains it.
  if (error instanceof ScaStepError && error.kind === 'profile') return undefined;
  const own = profile.deviations.find((d) => d.check === entry.id);
  if (own && error instanceof OwnContractBroken) return undefined;
  if (own)
    return {
      text: `${KNOWN_DEVIATION_NOTE}${profile.name}: ${own.reason} (${own.source})]`,
      own: true,
    };
  const text = stripAnsi(`${error.message}\n${lastLine ?? ''}`);
  const elsewhere = documentedDeviations(entry.id).filter(
    (d) =>
      d.profile !== profile.name &&
      (d.deviation.explains
        ? new RegExp(d.deviation.explains).test(text)
        : endedOnItsOperation(entry.operations, lastOperation)),
  );
  if (elsewhere.length === 0) return undefined;
  const named = elsewhere.map((d) => `profile ${d.profile}: ${d.deviation.reason} (${d.deviation.source})`);
  return { text: `[a documented deviation may explain this, ${named.join('; ')}]`, own: false };
}

/** The reference as the report's link (the labels and the description are the declaration's annotations). */
async function labels(entry: Omit<Check, 'location'>): Promise<void> {
  await allure.link(referenceUrl(entry.reference), entry.reference);
}

/** A check's rule in words, for the report's description: what it checks, where the rule comes from, how binding. */
function describeCheck(entry: Omit<Check, 'location'>): string {
  const operations = entry.operations.length ? `Operations: ${entry.operations.join(', ')}.` : '';
  return [
    `**${entry.id}**: ${entry.title}.`,
    `Reference: ${entry.reference}.`,
    `Obligation: ${entry.obligation} (${entry.obligation === 'SHOULD' ? 'a failure is advisory' : 'a failure is a non-conformance'}); severity ${entry.severity}. ${operations}`.trim(),
  ].join('\n\n');
}

/**
 * What a fault-matrix run declares, collected instead of declared: the specs' own test() calls (the run's
 * clean TPP) and each registered TPP's copies. src/harness/matrix-entry.ts declares them spread over many
 * small test files: Playwright's cost per test grows with the size of its file (a test file of 5,000
 * tests costs twice the CPU of five files of 1,000), and a matrix run has 5,000 tests and more.
 */
const recorded: { clean: TestArgs[]; copies: TestArgs[]; waiting: TestArgs[] } = {
  clean: [],
  copies: [],
  waiting: [],
};

/** A check that sleeps until something expires (OAU-014 waits out the authorization code's lifetime). */
function waitsOutALifetime(entry: Omit<Check, 'location'>): boolean {
  return entry.requires.includes('shortCodeLifetime');
}

/** The test() the specs call: Playwright's, or in a fault-matrix run one that records the declaration. */
export const test: typeof baseTest = matrixPlan()
  ? (Object.setPrototypeOf((...args: TestArgs) => {
      recorded.clean.push(args);
    }, baseTest) as typeof baseTest)
  : baseTest;

/**
 * Every declaration of this fault-matrix run, in the order they are to run: the clean TPP's checks, then
 * each check's copies next to each other, in the order the specs declare them (the same in every process,
 * so that each worker finds the tests the runner listed). The copies of a check that waits out a lifetime
 * are spread evenly among the others: twenty OAU-014s in a row idled both cores for about 25 s. A
 * pseudo-random order of every copy was measured too: it cost more CPU than it saved (245 s against 237 s
 * at 94 faults).
 */
export function matrixDeclarations(): readonly TestArgs[] {
  return [...recorded.clean, ...spreadAmong(recorded.copies, recorded.waiting)];
}

/** `others` with `spread` inserted at even intervals, none at either end. */
function spreadAmong<T>(others: readonly T[], spread: readonly T[]): T[] {
  const out = [...others];
  // From the last to the first, so that each insertion leaves the earlier positions where they were.
  for (let k = spread.length; k >= 1; k--) {
    out.splice(Math.round((k * others.length) / (spread.length + 1)), 0, spread[k - 1] as T);
  }
  return out;
}

/** Declares declarations as tests of the file being loaded. */
export function declareTests(declarations: readonly TestArgs[]): void {
  for (const args of declarations) baseTest(...args);
}

/**
 * A check whose own code crashed reading an answer (a TypeError) right after the target answered an error never
 * reached its rule: the call it stood on failed. Reported as that precondition, so that it groups with the
 * others the same failed call stopped, instead of as "Cannot read properties of undefined".
 */
function crashedOnAnError(error: unknown, log: ExchangeLog): unknown {
  const last = log.entries.at(-1);
  const status = last?.exchange.response?.status;
  if (!(error instanceof TypeError) || status === undefined || status < 400) return error;
  return new PreconditionFailed(
    `${last?.operationId ?? last?.exchange.request.method ?? 'a call'} answering a success`,
    `HTTP ${status} (the check could not read on: ${error.message})`,
  );
}
