import path from 'node:path';
import { type AuthorisedConsent, ScaFlows } from '../sca/flows.ts';
import { Xs2aApi } from '../xs2a/api.ts';
import { ExchangeLog } from './exchange-log.ts';
import { TppSession, WorkerBrowser } from './session.ts';
import { RUN_FILE_ENV, type RunSettings, settingsOfTpp } from './settings.ts';
import { sharedAcrossWorkers } from './shared-consent.ts';
import { consentBody } from './test-data.ts';

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
  private readonly consents = new Map<string | undefined, Promise<AuthorisedConsent>>();
  private readonly accountsOnly = new Map<string | undefined, Promise<AccountsOnlyConsent>>();
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
    let pending = this.consents.get(tpp);
    if (!pending) {
      const approve = async () => {
        const log = new ExchangeLog(session.contract, session.basePath, session.baseline);
        return (await new ScaFlows(new Xs2aApi(session, log), undefined).authorisedConsent()).consent;
      };
      const runFile = process.env[RUN_FILE_ENV];
      pending = runFile
        ? sharedAcrossWorkers(path.dirname(runFile), `consent-${tpp ?? 'run'}`, approve)
        : approve();
      pending.then(
        (consent) => {
          session.redactor.addSecret(consent.accessToken);
          session.redactor.addSecret(consent.refreshToken);
        },
        () => {},
      );
      this.consents.set(tpp, pending);
    }
    return pending;
  }

  /**
   * A consent that names the PSU's first account with an IBAN for account access only, approved in the
   * browser on first use: once per run and TPP, shared by the run's workers like the run's consent.
   */
  accountsOnlyConsent(tpp?: string): Promise<AccountsOnlyConsent> {
    let pending = this.accountsOnly.get(tpp);
    if (!pending) {
      const session = this.get(tpp);
      const approve = async () => {
        const api = new Xs2aApi(
          session,
          new ExchangeLog(session.contract, session.basePath, session.baseline),
        );
        const { iban } = await api.firstAccount(await this.consent(tpp), { withIban: true });
        if (!iban) throw new Error("no account with an IBAN under the run's consent");
        const body = consentBody({ access: { accounts: [{ iban }], balances: [], transactions: [] } });
        const { consent } = await new ScaFlows(api, undefined).authorisedConsent(body);
        return { consent, iban };
      };
      const runFile = process.env[RUN_FILE_ENV];
      pending = runFile
        ? sharedAcrossWorkers(path.dirname(runFile), `accounts-only-${tpp ?? 'run'}`, approve)
        : approve();
      pending.then(
        ({ consent }) => {
          session.redactor.addSecret(consent.accessToken);
          session.redactor.addSecret(consent.refreshToken);
        },
        () => {},
      );
      this.accountsOnly.set(tpp, pending);
    }
    return pending;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map((s) => s.close()));
    await this.browser.close();
  }
}
