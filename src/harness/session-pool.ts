import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ScaStepError } from '../sca/driver.ts';
import { type AuthorisedConsent, ScaFlows } from '../sca/flows.ts';
import { Xs2aApi } from '../xs2a/api.ts';
import { ExchangeLog } from './exchange-log.ts';
import { TppSession, WorkerBrowser } from './session.ts';
import { RUN_FILE_ENV, type RunSettings, settingsOfTpp } from './settings.ts';
import { sharedAcrossWorkers } from './shared-consent.ts';
import { consentBody } from './test-data.ts';

/**
 * A payment the PSU decided on in the browser: approved (its code exchanged for the payment's tokens) or declined
 * (the error the redirect carried). Checks that only read it share one per product, decision and TPP.
 */
export interface DecidedPayment {
  paymentId: string;
  /** The error parameter of the redirect back to the TPP, if any. */
  error: string | undefined;
  /** The payment's tokens, where the PSU approved. */
  tokens: { accessToken: string; refreshToken: string | undefined } | undefined;
}

/** A consent on one account for account access only, and the IBAN it names. */
export interface AccountsOnlyConsent {
  consent: AuthorisedConsent;
  iban: string;
}

/**
 * A worker's sessions with the target, one browser between them: the run's TPP, and in a fault-matrix
 * run each TPP the sandbox registered with a fault of its own. Each is opened on first use.
 */
export class SessionPool {
  private readonly sessions = new Map<string | undefined, TppSession>();
  /** The flows made once per run and TPP (consents, decided payments), by key: see once(). */
  private readonly made = new Map<string, Promise<unknown>>();
  private readonly browser: WorkerBrowser;

  constructor(private readonly settings: RunSettings) {
    this.browser = new WorkerBrowser(settings.browser);
  }

  /** The session of a registered TPP, or of the run's TPP when none is named. */
  get(tpp?: string): TppSession {
    let session = this.sessions.get(tpp);
    if (!session) {
      session = new TppSession(tpp ? settingsOfTpp(this.settings, tpp) : this.settings, this.browser);
      this.sessions.set(tpp, session);
    }
    return session;
  }

  /**
   * A consent over all the PSU's accounts, approved in the browser on first use: once per run and TPP,
   * shared by the run's workers (the restarted ones too) through the run's private folder.
   */
  consent(tpp?: string): Promise<AuthorisedConsent> {
    const session = this.get(tpp);
    const partial = session.settings.partial;
    if (partial?.accessToken && partial.consentId) {
      return Promise.resolve({
        consentId: partial.consentId,
        accessToken: partial.accessToken,
        refreshToken: undefined,
      });
    }
    return this.once(
      tpp,
      `consent-${tpp ?? 'run'}`,
      async () => {
        const log = new ExchangeLog(session.contract, session.basePath, session.baseline);
        try {
          return (await new ScaFlows(new Xs2aApi(session, log), undefined).authorisedConsent()).consent;
        } catch (error) {
          keepScreenshot(error, `sca-failure-consent-${tpp ?? 'run'}.png`);
          throw error;
        }
      },
      (consent) => [consent.accessToken, consent.refreshToken],
    );
  }

  /**
   * A consent that names the PSU's first account with an IBAN for account access only, approved in the
   * browser on first use: once per run and TPP, shared by the run's workers like the run's consent.
   */
  accountsOnlyConsent(tpp?: string): Promise<AccountsOnlyConsent> {
    const session = this.get(tpp);
    return this.once(
      tpp,
      `accounts-only-${tpp ?? 'run'}`,
      async () => {
        const api = new Xs2aApi(
          session,
          new ExchangeLog(session.contract, session.basePath, session.baseline),
        );
        const { iban } = await api.firstAccount(await this.consent(tpp), { withIban: true });
        if (!iban) throw new Error("no account with an IBAN under the run's consent");
        const body = consentBody({ access: { accounts: [{ iban }], balances: [], transactions: [] } });
        const { consent } = await new ScaFlows(api, undefined).authorisedConsent(body);
        return { consent, iban };
      },
      ({ consent }) => [consent.accessToken, consent.refreshToken],
    );
  }

  /**
   * A payment of the product the PSU approved or declined in the browser on first use: once per run, TPP, product
   * and decision, shared by the run's workers like the run's consent. Only checks that read it take it: a check
   * that changes a payment (cancels it, authorises it again) makes its own.
   */
  decidedPayment(
    tpp: string | undefined,
    product: string,
    decision: 'approve' | 'decline',
  ): Promise<DecidedPayment> {
    const key = `${tpp ?? 'run'}-${product}-${decision}`;
    const session = this.get(tpp);
    return this.once(
      tpp,
      `payment-${key}`,
      async (): Promise<DecidedPayment> => {
        const log = new ExchangeLog(session.contract, session.basePath, session.baseline);
        const flows = new ScaFlows(new Xs2aApi(session, log), undefined);
        try {
          const { created, paymentId } = await flows.createdPayment(product);
          const run = await flows.runSca(flows.scaStartUrl(created, { paymentId }), decision);
          const tokens = decision === 'approve' ? await flows.exchangeCode(run) : undefined;
          return {
            paymentId,
            error: run.outcome.error,
            tokens: tokens && { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
          };
        } catch (error) {
          // Each check that shares the payment reports the failure as its own would end: with the last exchange.
          keepScreenshot(error, `sca-failure-payment-${key}.png`);
          const last = log.lastLine();
          if (error instanceof Error && last) error.message += `\n${last}`;
          throw error;
        }
      },
      ({ tokens }) => [tokens?.accessToken, tokens?.refreshToken],
    );
  }

  /**
   * A value made once per worker and key, and once per run where the run has its private folder: the first
   * worker to ask makes it, the others read it from there (sharedAcrossWorkers). The secrets it carries are
   * registered with the TPP's redactor before any caller sees the value.
   */
  private once<T>(
    tpp: string | undefined,
    key: string,
    make: () => Promise<T>,
    secrets: (value: T) => (string | undefined)[],
  ): Promise<T> {
    let pending = this.made.get(key) as Promise<T> | undefined;
    if (!pending) {
      const runFile = process.env[RUN_FILE_ENV];
      pending = runFile ? sharedAcrossWorkers(path.dirname(runFile), key, make) : make();
      const redactor = this.get(tpp).redactor;
      pending.then(
        (value) => {
          for (const secret of secrets(value)) redactor.addSecret(secret);
        },
        () => {},
      );
      this.made.set(key, pending);
    }
    return pending;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map((s) => s.close()));
    await this.browser.close();
  }
}

/**
 * The page a shared flow failed on, kept in the reports folder: the checks that stand on the flow are blocked by
 * it, and none of them has the screenshot attached. The failure names the file.
 */
function keepScreenshot(error: unknown, name: string): void {
  if (!(error instanceof ScaStepError) || !error.screenshot) return;
  const reports = process.env.PSD2_REPORTS_DIR;
  if (!reports) return;
  try {
    // test-results/ is published with the reports; Playwright empties it before the first test, not after.
    mkdirSync(path.join(reports, 'test-results'), { recursive: true });
    writeFileSync(path.join(reports, 'test-results', name), error.screenshot);
    error.message += ` (screenshot: test-results/${name} in the reports folder)`;
  } catch {
    // Without the file the failure still names its step and page.
  }
}
