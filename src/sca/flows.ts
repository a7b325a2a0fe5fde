import type { TestInfo } from '@playwright/test';
import type { Profile } from '../config/profile.ts';
import type { HttpResponse } from '../http/client.ts';
import type { TokenSet } from '../oauth/client.ts';
import { createPkce, randomState } from '../oauth/pkce.ts';
import type { Xs2aApi } from '../xs2a/api.ts';
import { createdId } from '../xs2a/created-id.ts';
import {
  type ScaDecision,
  ScaDriver,
  type ScaDriverOptions,
  type ScaOutcome,
  ScaStepError,
} from './driver.ts';
import type { ScaTabs } from './page-pool.ts';

export interface AuthorisedConsent {
  consentId: string;
  accessToken: string;
  refreshToken: string | undefined;
}

export interface ScaResult {
  outcome: ScaOutcome;
  /** The state the TPP sent. */
  state: string;
  codeVerifier: string | undefined;
}

/** The TPP's side of the redirect SCA: start it from the link the profile names, finish it in the browser. */
export class ScaFlows {
  constructor(
    private readonly api: Xs2aApi,
    private readonly testInfo: TestInfo | undefined,
  ) {}

  /** The start URL of the SCA for a created consent or payment (201 response). */
  scaStartUrl(created: HttpResponse, subject: { consentId: string } | { paymentId: string }): string {
    const session = this.api.session;
    const link = session.profile.capabilities.scaLink;
    if (link === 'authorizeEndpoint') {
      const extra: Record<string, string> =
        'consentId' in subject ? { consent_id: subject.consentId } : { payment_id: subject.paymentId };
      return session.oauth.authorizeUrl({ state: 'placeholder', extra });
    }
    const body = created.json<Record<string, unknown>>();
    const links = (body._links ?? {}) as Record<string, { href?: string }>;
    // The profile names the link it expects; another SCA link still lets the flow (and the other checks) go on,
    // while the check about the 201's link fails on its own.
    const href =
      link === 'authorizationUrl'
        ? (body.authorizationUrl as string | undefined)
        : (links[link] ?? links.scaRedirect ?? links.scaOAuth)?.href;
    if (!href)
      throw new Error(
        `the 201 response has no ${link === 'authorizationUrl' ? 'authorizationUrl' : `_links.${link}.href`} to start SCA`,
      );
    return new URL(href, `${session.settings.target.baseUrl.replace(/\/+$/, '')}/`).toString();
  }

  /** Runs the SCA in the browser; with PKCE when the client is set to send it, or when `pkce` asks. */
  async runSca(
    startUrl: string,
    decision: ScaDecision,
    selection: 'all' | 'first' = 'all',
    options: {
      pkce?: boolean;
      psu?: { id: string; password: string };
      /** A rehearsal (sca-try): the profile's own steps, its own tabs, told of each step. */
      rehearsal?: Pick<ScaDriverOptions, 'onStep' | 'onStepStart'> & { profile: Profile; tabs: ScaTabs };
    } = {},
  ): Promise<ScaResult> {
    const session = this.api.session;
    const state = randomState();
    const pkce = (options.pkce ?? session.settings.client.pkce) ? createPkce() : undefined;
    const url = new URL(startUrl);
    url.searchParams.set('state', state);
    if (pkce) {
      url.searchParams.set('code_challenge', pkce.challenge);
      url.searchParams.set('code_challenge_method', pkce.method);
    }
    const rehearsal = options.rehearsal;
    const driver = new ScaDriver(
      rehearsal?.tabs ?? session.browser.tabs,
      rehearsal?.profile ?? session.scaProfile(),
      { psu: options.psu ?? session.settings.psu },
      {
        redirectUri: session.settings.client.redirectUri,
        redactor: session.redactor,
        stepTimeoutMs: session.settings.browser.stepTimeoutMs,
        onStep: rehearsal?.onStep,
        onStepStart: rehearsal?.onStepStart,
      },
    );
    try {
      const outcome = await driver.authorize(url.toString(), decision, selection);
      session.redactor.addSecret(outcome.code);
      return { outcome, state, codeVerifier: pkce?.verifier };
    } catch (error) {
      if (error instanceof ScaStepError && this.testInfo) {
        if (error.screenshot)
          await this.testInfo.attach('sca-failure.png', { body: error.screenshot, contentType: 'image/png' });
        await this.testInfo.attach('sca-failure-page.txt', {
          body: `page: ${error.pageUrl}\n${error.message}`,
          contentType: 'text/plain',
        });
      }
      throw error;
    }
  }

  /**
   * The configuration's second PSU logs in at the SCA of a created consent or payment and approves: the flow must
   * end back at the TPP, with a code or an error, which the report notes as the bank's choice.
   */
  async approvedByOtherPsu(
    created: HttpResponse,
    subject: { consentId: string } | { paymentId: string },
  ): Promise<ScaResult> {
    const otherPsu = this.api.session.settings.otherPsu;
    if (!otherPsu) throw new Error('no otherPsu configured');
    const run = await this.runSca(this.scaStartUrl(created, subject), 'approve', 'all', { psu: otherPsu });
    this.testInfo?.annotations.push({
      type: 'bank-choice',
      description: run.outcome.code
        ? 'the second PSU completed the SCA'
        : `the SCA ended with error=${run.outcome.error ?? '(none)'}`,
    });
    return run;
  }

  async exchangeCode(result: ScaResult): Promise<TokenSet> {
    const code = result.outcome.code;
    if (!code)
      throw new Error(
        `the SCA redirect carries no code: ${this.api.session.redactor.url(result.outcome.redirectUrl)}`,
      );
    const token = await this.api.token((oauth) => oauth.authorizationCode(code, result.codeVerifier));
    if (!token.tokens)
      throw new Error(
        `the code exchange failed: HTTP ${token.response.status} ${token.response.body.slice(0, 200)}`,
      );
    return token.tokens;
  }

  /** Creates a consent, has the PSU approve it in the browser, and exchanges the code. */
  async authorisedConsent(body?: Record<string, unknown>, selection: 'all' | 'first' = 'all') {
    const created = await this.api.createConsent(body);
    const consentId = createdId(created, 'consentId', 'createConsent');
    const sca = await this.runSca(this.scaStartUrl(created, { consentId }), 'approve', selection);
    const tokens = await this.exchangeCode(sca);
    const consent: AuthorisedConsent = {
      consentId,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
    };
    return { consent, created, sca, tokens };
  }

  async createdPayment(product: string, body?: Record<string, unknown>) {
    const created = await this.api.initiatePayment(product, body);
    const paymentId = createdId(created, 'paymentId', 'initiatePayment');
    return { created, paymentId };
  }
}
