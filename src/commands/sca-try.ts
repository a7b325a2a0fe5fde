import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import type { SwitchId } from '../../sandbox/faults/index.ts';
import { startSandbox } from '../../sandbox/start.ts';
import { loadConfig } from '../config/load.ts';
import type { ScaStep } from '../config/profile.ts';
import { EXIT } from '../errors.ts';
import { ExchangeLog } from '../harness/exchange-log.ts';
import { embeddedSettings } from '../harness/global-setup.ts';
import { browserSettings, resolveRunPlan } from '../harness/resolve-run.ts';
import { TppSession, WorkerBrowser } from '../harness/session.ts';
import type { RunSettings } from '../harness/settings.ts';
import { type ScaDecision, ScaStepError, type ScaStepReport } from '../sca/driver.ts';
import { ScaFlows } from '../sca/flows.ts';
import { type ScaTab, ScaTabs } from '../sca/page-pool.ts';
import { Xs2aApi } from '../xs2a/api.ts';
import { createdId } from '../xs2a/created-id.ts';
import { parseCommandArgs } from './args.ts';
import { ensureBrowser } from './run.ts';

const USAGE = `usage: psd2-conformance sca-try [--config file.yaml] [--profile name|file.yaml] [--decision approve|decline]
                                [--out dir] [--headed]
Rehearses the profile's SCA steps: creates one consent at the configured target (or the embedded sandbox, whose
pages any profile's steps may target), drives its SCA in the browser with the profile's own steps, and prints
each step's outcome with a screenshot. Writes a Playwright trace of the flow (npx playwright show-trace FILE);
the step that types the PSU's password is left out of it, its screenshot stands in. Runs no checks.
Exit 0 when the browser came back to the redirect URI (with a code for approve, an error for decline), 1 when a
step or the flow failed, 2 on bad input.`;

const PASSWORD = '$' + '{psu.password}';

/**
 * Tabs that record a Playwright trace of the flow (actions and the screencast), in chunks: a trace records what a
 * step types, so the chunk is closed before the step that types the password and a new one opened after it. No DOM
 * snapshots: with them the trace keeps every request's body and headers, the login form's password and the PSU's
 * session cookies among them.
 */
class TracedTabs extends ScaTabs {
  readonly traces: string[] = [];
  private context: BrowserContext | undefined;
  private tracing = false;

  constructor(
    browser: WorkerBrowser,
    private readonly dir: string,
  ) {
    super(() => browser.browser());
  }

  override async borrow(ignoreHttpsErrors: boolean): Promise<ScaTab> {
    const tab = await super.borrow(ignoreHttpsErrors);
    this.context = tab.context;
    await tab.context.tracing.start({ screenshots: true, snapshots: false });
    await tab.context.tracing.startChunk();
    this.tracing = true;
    return tab;
  }

  async pause(): Promise<void> {
    if (!this.context || !this.tracing) return;
    const file = path.join(this.dir, `trace-${this.traces.length + 1}.zip`);
    await this.context.tracing.stopChunk({ path: file });
    this.traces.push(file);
    this.tracing = false;
  }

  paused(): boolean {
    return this.context !== undefined && !this.tracing;
  }

  async resume(): Promise<void> {
    if (!this.context || this.tracing) return;
    await this.context.tracing.startChunk();
    this.tracing = true;
  }

  override async giveBack(
    tab: ScaTab,
    ignoreHttpsErrors: boolean,
    visited: string[],
    healthy: boolean,
  ): Promise<void> {
    await this.pause().catch(() => {});
    await tab.context.tracing.stop().catch(() => {});
    await super.giveBack(tab, ignoreHttpsErrors, visited, healthy);
  }
}

export async function scaTryCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    config: { type: 'string' },
    profile: { type: 'string' },
    decision: { type: 'string' },
    out: { type: 'string' },
    headed: { type: 'boolean' },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.conformant;
  }
  const decision = (values.decision ?? 'approve') as ScaDecision;
  if (decision !== 'approve' && decision !== 'decline') {
    console.error(`psd2-conformance sca-try: --decision is approve or decline, got "${values.decision}"`);
    return EXIT.usage;
  }
  const config = loadConfig(values.config ? { file: values.config } : {});
  const plan = resolveRunPlan(config, {
    profile: values.profile,
    headed: values.headed === true,
    browser: (c, headed) => {
      ensureBrowser(c.browser.executablePath);
      return browserSettings(c, headed);
    },
  });
  const out = path.resolve(values.out ?? path.join(config.reportsDir, 'sca-try'));
  mkdirSync(out, { recursive: true });
  // Only what an earlier rehearsal wrote goes: --out may name a folder that holds other files.
  for (const name of readdirSync(out))
    if (/^(\d\d-.*\.png|trace-\d+\.zip)$/.test(name)) rmSync(path.join(out, name), { force: true });

  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let settings: RunSettings;
  if (plan.target) {
    settings = plan.target;
  } else {
    sandbox = await startSandbox({
      faults: plan.sandbox.faults as SwitchId[],
      tppFaults: plan.sandbox.scoped as Record<string, SwitchId[]>,
      flavour: plan.sandbox.flavour,
    });
    settings = embeddedSettings(plan, sandbox.config);
  }
  const browser = new WorkerBrowser(settings.browser);
  const session = new TppSession(settings, browser);
  const tabs = new TracedTabs(browser, out);
  const profile = plan.profile;
  const where = plan.target ? settings.target.baseUrl : `the embedded sandbox (${settings.target.baseUrl})`;
  console.log(
    `sca-try: profile ${profile.name} (${path.relative(process.cwd(), profile.file) || profile.file}), ${profile.sca.steps.length} steps, against ${where}, decision ${decision}`,
  );
  let shots = 0;
  const onStep = async (report: ScaStepReport, page: Page) => {
    shots++;
    const file = path.join(
      out,
      `${String(shots).padStart(2, '0')}-${report.step.replace(/[^\w-]+/g, '_')}.png`,
    );
    const saved = await page
      .screenshot({ path: file, fullPage: true })
      .then(() => true)
      .catch(() => false);
    const shot = saved ? path.relative(process.cwd(), file) : '(no screenshot)';
    const seconds = (report.ms / 1000).toFixed(1);
    console.log(
      report.ok
        ? `  ✓ step "${report.step}" ${seconds} s, on ${report.url.split('?')[0]}, screenshot ${shot}`
        : `  ✘ step "${report.step}" ${seconds} s: ${session.redactor.text(report.error ?? '')}\n    screenshot ${shot}`,
    );
    if (report.ok && tabs.paused()) {
      // The password's POST must be over before the trace records again: it would record its form body.
      await page.waitForLoadState('load').catch(() => {});
      await tabs.resume();
    }
  };
  const onStepStart = async (step: ScaStep) => {
    const typesPassword = step.actions.some((a) => [a.fill, a.value].some((v) => v?.includes(PASSWORD)));
    if (typesPassword) await tabs.pause();
  };
  try {
    const api = new Xs2aApi(session, new ExchangeLog(session.contract, session.basePath, session.baseline));
    const flows = new ScaFlows(api, undefined);
    const created = await api.createConsent();
    const consentId = createdId(created, 'consentId', 'createConsent');
    console.log(`  consent created (HTTP ${created.status}); SCA starts at ${profile.capabilities.scaLink}`);
    const run = await flows.runSca(flows.scaStartUrl(created, { consentId }), decision, 'all', {
      rehearsal: { profile, tabs, onStep, onStepStart },
    });
    const back = run.outcome.code
      ? 'with a code'
      : run.outcome.error
        ? `with error=${run.outcome.error}`
        : 'with neither code nor error';
    const stateKept = run.outcome.state === run.state ? 'state returned' : 'state NOT returned as sent';
    console.log(`  back at the redirect URI ${back}, ${stateKept}`);
    let ok = decision === 'approve' ? run.outcome.code !== undefined : run.outcome.error !== undefined;
    if (run.outcome.code) {
      const token = await api.token((oauth) =>
        oauth.authorizationCode(run.outcome.code ?? '', run.codeVerifier),
      );
      console.log(
        token.tokens
          ? '  the code was exchanged for an access token'
          : `  the code exchange failed: HTTP ${token.response.status} ${session.redactor.text(token.response.body.slice(0, 200))}`,
      );
      ok &&= token.tokens !== undefined;
    }
    printTraces(tabs);
    console.log(ok ? 'sca-try: the SCA steps work' : 'sca-try: the flow ended, but not as the decision asks');
    return ok ? EXIT.conformant : EXIT.nonConformant;
  } catch (error) {
    printTraces(tabs);
    if (error instanceof ScaStepError) {
      console.log(
        error.kind === 'profile'
          ? `sca-try: a profile problem in step "${error.step}": ${error.message}`
          : `sca-try: every step ran, but the flow failed: ${error.message}`,
      );
    } else {
      console.log(`sca-try: the flow could not start: ${session.redactor.text(errorLine(error))}`);
    }
    return EXIT.nonConformant;
  } finally {
    await session.close();
    await browser.close();
    await sandbox?.close();
  }
}

function printTraces(tabs: TracedTabs): void {
  if (tabs.traces.length === 0) return;
  const files = tabs.traces.map((t) => path.relative(process.cwd(), t));
  console.log(`  trace: ${files.join(', ')} (npx playwright show-trace ${files[0]})`);
}

function errorLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
