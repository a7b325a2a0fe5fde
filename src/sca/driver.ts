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

/** Where a step failed: the page URL and a screenshot, never the password. */
export class ScaStepError extends Error {
  override readonly name = 'ScaStepError';
  constructor(
    message: string,
    readonly pageUrl: string,
    readonly screenshot: Buffer | undefined,
  ) {
    super(message);
  }
}

export interface ScaDriverOptions {
  redirectUri: string;
  redactor: Redactor;
  headless?: boolean;
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
    page.setDefaultTimeout(sca.timeoutMs);
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
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`the ASPSP did not redirect to ${this.options.redirectUri} within ${sca.timeoutMs} ms`),
          ),
        sca.timeoutMs,
      );
    });
    // A redirect may come before the last step (an error redirect after login): the steps still waiting then
    // must not act on the page once it serves the next flow.
    const flow = { over: false };
    try {
      const steps = this.runSteps(page, startUrl, decision, selection, flow);
      // Whichever comes first: the redirect (possibly before the last step) or a failed step.
      const redirectUrl = await Promise.race([redirected, steps.then(() => redirected), deadline, foreign]);
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
      const message = `${error instanceof Error ? error.message.split('\n')[0] : String(error)} (pages visited on ${visited.join(' -> ') || 'no host'})`;
      const screenshot = await page.screenshot({ fullPage: true }).catch(() => undefined);
      throw new ScaStepError(
        this.options.redactor.text(message),
        this.options.redactor.url(page.url()),
        screenshot,
      );
    } finally {
      flow.over = true;
      clearTimeout(timer);
    }
  }

  private async runSteps(
    page: Page,
    startUrl: string,
    decision: ScaDecision,
    selection: string,
    flow: { over: boolean },
  ): Promise<void> {
    await page.goto(startUrl, { waitUntil: 'domcontentloaded' });
    for (const step of this.profile.sca.steps) {
      if (flow.over) return;
      await this.waitForStep(page, step);
      for (const action of step.actions) {
        if (flow.over) return;
        await this.act(page, step, action, decision, selection);
      }
    }
    if (this.profile.sca.steps.length === 0) {
      throw new Error('the profile declares no SCA steps: write them after a first run with --headed');
    }
  }

  private async waitForStep(page: Page, step: ScaStep): Promise<void> {
    try {
      if (step.url) await page.waitForURL((url) => urlMatches(url.toString(), step.url ?? ''));
      if (step.selector) await page.locator(step.selector).first().waitFor({ state: 'visible' });
    } catch {
      throw new Error(
        `SCA step "${step.name}" never started: expected ${step.url ? `URL ${step.url}` : ''}${step.selector ? ` selector ${step.selector}` : ''}`,
      );
    }
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
    const failureText = (verb: string, selector: string) =>
      `SCA step "${step.name}": cannot ${verb} ${selector}`;
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
    } catch {
      const target = action.fill ?? action.check ?? action.click ?? action.waitFor ?? action.press ?? '';
      const verb = action.fill ? 'fill' : action.check ? 'check' : action.click ? 'click' : 'wait for';
      throw new Error(failureText(verb, this.options.redactor.text(expand(target))));
    }
  }
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
