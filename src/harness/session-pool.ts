import path from 'node:path';
import { type AuthorisedConsent, ScaFlows } from '../sca/flows.ts';
import { Xs2aApi } from '../xs2a/api.ts';
import { ExchangeLog } from './exchange-log.ts';
import { TppSession, WorkerBrowser } from './session.ts';
import { RUN_FILE_ENV, type RunSettings, settingsOfTpp } from './settings.ts';
import { sharedAcrossWorkers } from './shared-consent.ts';

/**
 * A worker's sessions with the target, one browser between them: the run's TPP, and in a fault-matrix
 * run each TPP the sandbox registered with a fault of its own. Each is opened on first use.
 */
export class SessionPool {
  private readonly sessions = new Map<string | undefined, TppSession>();
  private readonly consents = new Map<string | undefined, Promise<AuthorisedConsent>>();
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

  async close(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map((s) => s.close()));
    await this.browser.close();
  }
}
