import { Xs2aApi } from './api.ts';
import { ExchangeLog } from './exchange-log.ts';
import { type AuthorisedConsent, ScaFlows } from './flows.ts';
import { TppSession, WorkerBrowser } from './session.ts';
import { type RunSettings, settingsOfTpp } from './settings.ts';

/**
 * A worker's sessions with the target, one browser between them: the run's TPP, and in a fault-matrix
 * run each TPP the sandbox registered with a fault of its own. Each is opened on first use.
 */
export class SessionPool {
  private readonly sessions = new Map<string | undefined, TppSession>();
  private readonly consents = new Map<TppSession, Promise<AuthorisedConsent>>();
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

  /** A consent over all the PSU's accounts, approved in the browser on first use, once per worker and TPP. */
  consent(session: TppSession): Promise<AuthorisedConsent> {
    const partial = session.settings.partial;
    if (partial?.accessToken && partial.consentId) {
      return Promise.resolve({
        consentId: partial.consentId,
        accessToken: partial.accessToken,
        refreshToken: undefined,
      });
    }
    let pending = this.consents.get(session);
    if (!pending) {
      const log = new ExchangeLog(session.contract, session.basePath, session.baseline);
      pending = new ScaFlows(new Xs2aApi(session, log), undefined).authorisedConsent().then((r) => r.consent);
      this.consents.set(session, pending);
    }
    return pending;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map((s) => s.close()));
    await this.browser.close();
  }
}
