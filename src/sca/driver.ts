import type { Page, Request } from '@playwright/test';
import type { Profile, ScaAction, ScaStep } from '../config/profile.ts';
import type { Redactor } from '../http/redact.ts';
import type { ScaTabs } from './page-pool.ts';

export type ScaDecision = 'approve' | 'decline';

export interface ScaVariables {
  psu: { id: string; password: string };
}

export interface ScaOutcome {
  /** The URL the ASPSP redirected the browser to (the TPP's redirect URI with its parameters). */
  redirectUrl: string;
  params: URLSearchParams;
  code: string | undefined;
  state: string | undefined;
  error: string | undefined;
  /** The pages the browser went through, redacted. */
  pages: string[];
}

/**
 * Where a flow failed: the page URL and a screenshot, never the password. `profile`: a step of the profile could
 * not run (its URL never came, its selector is not on the page): the profile needs fixing, not the bank.
 * `target`: every step ran and the ASPSP did not send the browser back, or sent it elsewhere.
 */
export class ScaStepError extends Error {
  override readonly name = 'ScaStepError';
  constructor(
    message: string,
    readonly pageUrl: string,
    readonly screenshot: Buffer | undefined,
    readonly kind: 'profile' | 'target' = 'target',
    readonly step?: string,
  ) {
    super(message);
  }
}

/** A step of the profile that could not run: what it waited for or acted on, and where. */
class StepProblem extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
  }
}

/** One step's outcome, for a rehearsal that reports step by step (psd2-conformance sca-try). */
export interface ScaStepReport {
  step: string;
  ok: boolean;
  ms: number;
  /** The page the step ended on, redacted. */
  url: string;
  error?: string;
}

/** The default time a step may wait for its URL, selector or action, when neither config nor profile sets one. */
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;

export interface ScaDriverOptions {
  redirectUri: string;
  redactor: Redactor;
  headless?: boolean;
  /** How long one step may wait (default DEFAULT_STEP_TIMEOUT_MS, at most the profile's sca.timeoutMs). */
  stepTimeoutMs?: number | undefined;
  /** Told before each step, with the page: a rehearsal pauses its trace around the step that types the password. */
  onStepStart?: ((step: ScaStep, page: Page) => Promise<void>) | undefined;
  /** Told after each step, with the page: a rehearsal takes a screenshot there. */
  onStep?: ((report: ScaStepReport, page: Page) => Promise<void>) | undefined;
}

/**
 * Drives the PSU's side of redirect SCA in a real browser: the profile's steps as data (match a
 * URL or selector, then fill, click, check, wait), until the ASPSP sends the browser back to the
 * TPP's redirect URI. The redirect is caught on the request event: page.route does not see a 302's target.
 */
export class ScaDriver {
  constructor(
    private readonly tabs: ScaTabs,
    private readonly profile: Profile,
    private readonly variables: ScaVariables,
    private readonly options: ScaDriverOptions,
  ) {
    options.redactor.addSecret(variables.psu.password);
  }

  async authorize(
    startUrl: string,
    decision: ScaDecision,
    selection: 'all' | 'first' = 'all',
  ): Promise<ScaOutcome> {
    const ignoreHttpsErrors = this.profile.sca.ignoreHttpsErrors;
    const tab = await this.tabs.borrow(ignoreHttpsErrors);
    const visited: string[] = [];
    let healthy = false;
    try {
      const outcome = await this.run(tab.page, visited, startUrl, decision, selection);
      healthy = true;
      return outcome;
    } finally {
      await this.tabs.giveBack(tab, ignoreHttpsErrors, visited, healthy);
    }
  }

  private async run(
    page: Page,
    visited: string[],
    startUrl: string,
    decision: ScaDecision,
    selection: 'all' | 'first',
  ): Promise<ScaOutcome> {
    const { sca } = this.profile;
    const stepTimeout = this.stepTimeout();
    page.setDefaultTimeout(stepTimeout);
    const pages: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      visited.push(frame.url());
      pages.push(this.options.redactor.url(frame.url()));
    });
    const allowed = sca.allowedHosts
      ? new Set([...sca.allowedHosts, new URL(this.options.redirectUri).hostname])
      : undefined;
    let leftAllowedHosts: ((host: string) => void) | undefined;
    const foreign = new Promise<never>((_, reject) => {
      leftAllowedHosts = (host) =>
        reject(new Error(`the SCA pages sent the browser to a foreign host ${host}`));
    });
    foreign.catch(() => {});
    const redirected = new Promise<string>((resolve) => {
      page.on('request', (request: Request) => {
        if (!request.isNavigationRequest()) return;
        if (request.url().startsWith(this.options.redirectUri)) resolve(request.url());
        const host = new URL(request.url()).hostname;
        if (allowed && !allowed.has(host)) leftAllowedHosts?.(host);
      });
    });
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    // A redirect may come before the last step (an error redirect after login): the steps still waiting then
    // must not act on the page once it serves the next flow.
    const flow = { over: false };
    try {
      // Each step is bounded by its own timeout and fails naming itself. The flow's timeout is the bank's only
      // once every step ran: then the browser waits out the rest of it for the redirect.
      const steps = this.runSteps(page, startUrl, decision, selection, flow);
      const noRedirect = steps.then(
        () =>
          new Promise<never>((_, reject) => {
            // The redirect may have come while the last step was still settling: no timer outlives the flow.
            if (flow.over) return;
            timer = setTimeout(
              () =>
                reject(
                  new Error(
                    `every SCA step of profile ${this.profile.name} ran, but the ASPSP did not redirect to ${this.options.redirectUri} within ${sca.timeoutMs} ms`,
                  ),
                ),
              Math.max(sca.timeoutMs - (Date.now() - started), Math.min(stepTimeout, 2000)),
            );
          }),
      );
      const redirectUrl = await Promise.race([redirected, noRedirect, foreign]);
      if (this.options.onStep) {
        // A rehearsal reports the step that led to the redirect too: let it finish before the tab goes back.
        flow.over = true;
        await steps.catch(() => {});
      }
      const params = new URL(redirectUrl).searchParams;
      return {
        redirectUrl,
        params,
        code: params.get('code') ?? undefined,
        state: params.get('state') ?? undefined,
        error: params.get('error') ?? undefined,
        pages,
      };
    } catch (error) {
      const visited = pages.map((p) => new URL(p).host).filter((h, i, all) => all.indexOf(h) === i);
      const first = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      const message =
        error instanceof StepProblem
          ? `${first}: a problem of the profile's SCA steps (${this.profile.file}), not of the bank; rehearse them with psd2-conformance sca-try`
          : `${first} (pages visited on ${visited.join(' -> ') || 'no host'})`;
      const screenshot = await page.screenshot({ fullPage: true }).catch(() => undefined);
      throw new ScaStepError(
        this.options.redactor.text(message),
        this.options.redactor.url(page.url()),
        screenshot,
        error instanceof StepProblem ? 'profile' : 'target',
        error instanceof StepProblem ? error.step : undefined,
      );
    } finally {
      flow.over = true;
      clearTimeout(timer);
    }
  }

  private stepTimeout(): number {
    return Math.min(this.options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS, this.profile.sca.timeoutMs);
  }

  private async runSteps(
    page: Page,
    startUrl: string,
    decision: ScaDecision,
    selection: string,
    flow: { over: boolean },
  ): Promise<void> {
    await page.goto(startUrl, { waitUntil: 'domcontentloaded' });
    if (this.profile.sca.steps.length === 0) {
      throw new StepProblem(
        '(none)',
        `the profile ${this.profile.name} declares no SCA steps: write them (docs/sca-steps.md) and rehearse them with psd2-conformance sca-try`,
      );
    }
    for (const step of this.profile.sca.steps) {
      if (flow.over) return;
      const began = Date.now();
      await this.options.onStepStart?.(step, page);
      try {
        await this.waitForStep(page, step);
        for (const action of step.actions) {
          if (flow.over) return;
          await this.act(page, step, action, decision, selection);
        }
      } catch (error) {
        // A redirect that ended the flow while the step waited is the flow's outcome, not the step's failure.
        if (flow.over) return;
        await this.options.onStep?.(
          {
            step: step.name,
            ok: false,
            ms: Date.now() - began,
            url: this.options.redactor.url(page.url()),
            error: error instanceof Error ? error.message : String(error),
          },
          page,
        );
        throw error;
      }
      await this.options.onStep?.(
        { step: step.name, ok: true, ms: Date.now() - began, url: this.options.redactor.url(page.url()) },
        page,
      );
    }
  }

  private async waitForStep(page: Page, step: ScaStep): Promise<void> {
    const within = `within ${this.stepTimeout()} ms`;
    if (step.url) {
      try {
        await page.waitForURL((url) => urlMatches(url.toString(), step.url ?? ''));
      } catch {
        throw new StepProblem(
          step.name,
          `SCA step "${step.name}": the page never reached URL ${step.url} ${within} (it is at ${this.where(page)})`,
        );
      }
    }
    if (step.selector) {
      try {
        await page.locator(step.selector).first().waitFor({ state: 'visible' });
      } catch {
        throw new StepProblem(
          step.name,
          `SCA step "${step.name}": selector ${step.selector} not found on ${this.where(page)} ${within}`,
        );
      }
    }
  }

  /** The page a step failed on, redacted and without its query (the flow's parameters say nothing here). */
  private where(page: Page): string {
    const url = this.options.redactor.url(page.url());
    return url.split(/[?#]/)[0] ?? url;
  }

  private async act(
    page: Page,
    step: ScaStep,
    action: ScaAction,
    decision: ScaDecision,
    selection: string,
  ): Promise<void> {
    const values: Record<string, string> = {
      'psu.id': this.variables.psu.id,
      'psu.password': this.variables.psu.password,
      decision: this.profile.sca.decisions[decision],
      accounts: selection,
    };
    const expand = (text: string) => expandPlaceholders(text, values);
    const target = action.fill ?? action.check ?? action.click ?? action.waitFor ?? action.press ?? '';
    const verb = action.fill
      ? 'fill'
      : action.check
        ? 'check'
        : action.click
          ? 'click'
          : action.waitFor
            ? 'wait for'
            : 'press';
    try {
      if (action.fill !== undefined) await page.locator(expand(action.fill)).fill(expand(action.value ?? ''));
      if (action.check !== undefined) {
        const boxes = page.locator(expand(action.check));
        const count = await boxes.count();
        // Radios are one choice: checking each in turn only leaves the last one checked.
        const oneChoice =
          expand(action.select ?? 'all') === 'first' ||
          (count > 1 && (await boxes.first().getAttribute('type')) === 'radio');
        const howMany = oneChoice ? Math.min(count, 1) : count;
        for (let i = 0; i < howMany; i++) await boxes.nth(i).check();
      }
      if (action.click !== undefined) await page.locator(expand(action.click)).first().click();
      if (action.press !== undefined) await page.keyboard.press(action.press);
      if (action.waitFor !== undefined) await page.locator(expand(action.waitFor)).first().waitFor();
    } catch (error) {
      const selector = this.options.redactor.text(expand(target));
      const missing =
        action.press === undefined &&
        (await page
          .locator(expand(target))
          .count()
          .then((n) => n === 0)
          .catch(() => false));
      const why = missing
        ? `selector ${selector} not found on ${this.where(page)} within ${this.stepTimeout()} ms (to ${verb})`
        : `cannot ${verb} ${selector} on ${this.where(page)}: ${this.options.redactor.text(firstLine(error))}`;
      throw new StepProblem(step.name, `SCA step "${step.name}": ${why}`);
    }
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** The variables a profile's SCA steps may name: ${psu.id}, ${psu.password}, ${decision}, ${accounts}. */
const PLACEHOLDER = /\$\{(psu\.id|psu\.password|decision|accounts)\}/g;

/**
 * A step's text with its placeholders filled, in one pass and through a function: a string replacement
 * would read "$&" or "$$" in a password as a pattern, and a PSU ID holding "${decision}" would be expanded again.
 */
export function expandPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

function urlMatches(url: string, pattern: string): boolean {
  const regex = /^\/(.+)\/$/.exec(pattern);
  return regex ? new RegExp(regex[1] ?? '').test(url) : url.includes(pattern);
}
