import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { TPP_RULES } from '../../sandbox/certify/tpp-rules.ts';
import type { SandboxClientConfig } from '../../sandbox/start.ts';
import { loadProfile } from '../../src/config/profile.ts';
import { loadContract } from '../../src/contract/load-contract.ts';
import { HttpClient, type HttpRequest, type HttpResponse } from '../../src/http/client.ts';
import { Redactor } from '../../src/http/redact.ts';
import { OAuthClient, type TokenSet } from '../../src/oauth/client.ts';
import { createPkce, randomState } from '../../src/oauth/pkce.ts';
import { ScaDriver } from '../../src/sca/driver.ts';
import type { ScaTabs } from '../../src/sca/page-pool.ts';
import { type Flavour, flavourOf } from '../../src/xs2a/flavour.ts';

/** Each break makes the reference TPP break one TPP rule, the rule of that name (docs/tpp-rules.md). */
export const TPP_BREAKS: readonly string[] = TPP_RULES.map((r) => r.breakName);

/** What the TPP needs of the bank: the configuration certify-tpp prints. */
export type TppClientConfig = Pick<
  SandboxClientConfig,
  | 'baseUrl'
  | 'tokenUrl'
  | 'authorizeUrl'
  | 'redirectUri'
  | 'clientId'
  | 'clientSecret'
  | 'cert'
  | 'key'
  | 'ca'
  | 'psus'
  | 'flavour'
  | 'authMethod'
  | 'apiKey'
>;

export interface ReferenceTppOptions {
  config: TppClientConfig;
  breaks?: Iterable<string>;
  /** The browser tabs the PSU authorises in. */
  tabs: ScaTabs;
  log?: (line: string) => void;
}

export interface ReferenceTppOutcome {
  /** The flows that ran to their end: ais, pis, funds. */
  completed: string[];
  /** Why the others stopped. */
  problems: string[];
}

/** The PSU's address as the TPP's front end saw it. */
const PSU_IP = '192.0.2.10';
const PRODUCT = 'sepa-credit-transfers';
const UNREGISTERED_REDIRECT = 'https://tpp.invalid/callback';
/** The most reads without the PSU the TPP makes in one go, whatever a consent allows. */
const MAX_BACKGROUND_READS = 2_000;
/** Longer than the sandbox's default code lifetime (3 s). */
const LATE_EXCHANGE_MS = 3_500;

interface HeldConsent {
  consentId: string;
  accessToken: string;
  refreshToken: string | undefined;
  /** The refresh token of the code exchange: what a TPP that does not rotate keeps sending. */
  firstRefreshToken: string | undefined;
  accountIds: string[];
  ibans: string[];
}

/**
 * A small TPP written on the project's own HTTP, OAuth2 and SCA clients, as a TPP's developer would write
 * one: it creates a consent, sends the PSU through SCA, reads the accounts, initiates a payment, confirms
 * funds, refreshes expired tokens, honours 429 and deletes its consent. Each break (TPP_BREAKS) makes it
 * break one TPP rule, so that certify-tpp can be shown to catch each.
 */
export class ReferenceTpp {
  private readonly breaks: Set<string>;
  private readonly redactor = new Redactor();
  private readonly http: HttpClient;
  private readonly oauth: OAuthClient;
  private readonly flavour: Flavour;
  private readonly log: (line: string) => void;
  private readonly usedRequestIds: string[] = [];

  constructor(private readonly options: ReferenceTppOptions) {
    const { config } = options;
    this.breaks = new Set(options.breaks ?? []);
    for (const b of this.breaks)
      if (!TPP_BREAKS.includes(b)) throw new Error(`unknown break "${b}": one of ${TPP_BREAKS.join(', ')}`);
    this.log = options.log ?? (() => {});
    this.flavour = flavourOf({ flavour: config.flavour === 'mypos' ? 'mypos' : 'berlin-group' });
    this.http = new HttpClient({
      baseUrl: config.baseUrl,
      tls: {
        cert: readFileSync(config.cert),
        key: readFileSync(config.key),
        ca: readFileSync(config.ca),
        minVersion: 'TLSv1.2',
      },
      timeoutMs: 15_000,
      maxResponseBytes: 1024 * 1024,
      redactor: this.redactor,
      ...(config.apiKey ? { defaultHeaders: { 'api-key': config.apiKey } } : {}),
    });
    const registered = config.authMethod;
    const other = registered === 'client_secret_basic' ? 'client_secret_post' : 'client_secret_basic';
    this.oauth = new OAuthClient(this.http, loadContract(), {
      tokenUrl: config.tokenUrl,
      authorizeUrl: config.authorizeUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      redirectUri: config.redirectUri,
      authMethod: this.breaks.has('client-auth-unregistered') ? other : registered,
    });
  }

  /** Runs every flow; a flow that fails is reported and the next one still runs. */
  async run(): Promise<ReferenceTppOutcome> {
    const outcome: ReferenceTppOutcome = { completed: [], problems: [] };
    try {
      for (const [name, flow] of [
        ['ais', () => this.accountInformation()],
        ['pis', () => this.paymentInitiation()],
      ] as const) {
        try {
          await flow();
          outcome.completed.push(name);
          this.log(`${name}: done`);
        } catch (error) {
          const message = this.redactor.text(error instanceof Error ? error.message : String(error));
          outcome.problems.push(`${name}: ${message}`);
          this.log(`${name}: stopped: ${message}`);
        }
      }
    } finally {
      await this.http.close();
    }
    return outcome;
  }

  private async accountInformation(): Promise<void> {
    const client = await this.clientToken();
    const consent = await this.authorisedConsent(client);
    try {
      const status = await this.send({
        method: 'GET',
        url: `/v1/consents/${consent.consentId}/status`,
        token: consent.accessToken,
        ...(this.breaks.has('request-id-not-uuid') ? { requestId: `status-${Date.now()}` } : {}),
      });
      // The status is for the TPP's records; a refused token is not sent again.
      if (status.status === 401)
        throw new Error(`the consent status answered 401 ${errorCode(status) ?? ''}`);
      await this.readAccountList(consent);
      const accountId = consent.accountIds[0];
      if (!accountId) throw new Error('the consent grants no account');
      await this.read(consent, `/v1/accounts/${encodeURIComponent(accountId)}/balances`, true);
      await this.read(consent, `/v1/accounts/${encodeURIComponent(accountId)}/transactions`, true, {
        bookingStatus: 'booked',
        dateFrom: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
      });
      // A nightly refresh without the PSU: no PSU-IP-Address, counted against the consent's frequencyPerDay.
      const limit = await this.readsPerDay(consent);
      const background = this.breaks.has('reads-beyond-frequency') ? limit + 1 : Math.min(1, limit);
      for (let i = 0; i < background; i++) {
        const reuse = this.breaks.has('request-id-reused') ? this.usedRequestIds.at(-1) : undefined;
        await this.read(consent, `/v1/accounts/${encodeURIComponent(accountId)}`, false, {}, reuse);
      }
      await this.confirmFunds(client, consent);
      if (this.breaks.has('account-list-skipped')) {
        // A TPP that keeps account IDs from an earlier consent and skips the new consent's account list.
        const second = await this.authorisedConsent(client);
        try {
          second.accountIds = consent.accountIds;
          await this.read(second, `/v1/accounts/${encodeURIComponent(accountId)}/balances`, true);
        } finally {
          await this.deleteConsent(client, second);
        }
      }
    } finally {
      if (!this.breaks.has('consents-kept')) await this.deleteConsent(client, consent);
    }
  }

  /** How many reads a day without the PSU the consent allows (its frequencyPerDay, as the bank states it). */
  private async readsPerDay(consent: HeldConsent): Promise<number> {
    const info = await this.send({
      method: 'GET',
      url: `/v1/consents/${consent.consentId}`,
      token: consent.accessToken,
    });
    const limit =
      info.status === 200 ? Number(info.json<{ frequencyPerDay?: unknown }>().frequencyPerDay) : 0;
    return Number.isInteger(limit) && limit > 0 ? Math.min(limit, MAX_BACKGROUND_READS) : 0;
  }

  private async paymentInitiation(): Promise<void> {
    const client = await this.clientToken();
    for (let attempt = 1; attempt <= 2; attempt++) {
      const created = await this.initiatePayment(client);
      const paymentId = String(created.json<{ paymentId?: string }>().paymentId ?? '');
      const tokens = await this.authorise(created);
      if (!tokens) continue;
      const status = await this.send({
        method: 'GET',
        url: this.flavour.paymentStatusUrl(PRODUCT, paymentId),
        token: tokens.accessToken,
      });
      if (status.status !== 200) throw new Error(`the payment status answered HTTP ${status.status}`);
      this.log(`pis: payment ${paymentId} is ${String(this.flavour.paymentStatus(status.json()))}`);
      return;
    }
    throw new Error('the PSU came back with another state twice');
  }

  private async initiatePayment(client: string): Promise<HttpResponse> {
    let creditorId: number | undefined;
    if (this.flavour.needsBeneficiary) {
      const list = await this.send({
        method: 'GET',
        url: '/v1/payments/stored-beneficiaries',
        token: client,
      });
      creditorId = list.json<{ beneficiaries?: { id: number }[] }>().beneficiaries?.[0]?.id;
    }
    const body = this.flavour.paymentBody('12.34', creditorId);
    if (this.breaks.has('body-breaks-contract')) {
      if (this.flavour.name === 'mypos') body.instructedAmount = '12.34';
      else body.instructedAmount = { currency: 'EUR', amount: 12.34 };
    }
    const wrongType = this.breaks.has('wrong-content-type');
    const created = await this.send({
      method: 'POST',
      url: `/v1/payments/${PRODUCT}`,
      token: client,
      psuPresent: true,
      headers: {
        'tpp-redirect-uri': this.redirectUriHeader(),
        ...(wrongType ? { 'content-type': 'text/plain' } : {}),
      },
      ...(wrongType ? { body: JSON.stringify(body) } : { json: body }),
    });
    if (created.status !== 201) throw new Error(`the payment initiation answered HTTP ${created.status}`);
    return created;
  }

  private async confirmFunds(client: string, consent: HeldConsent): Promise<void> {
    const iban = consent.ibans[0];
    if (!iban) return;
    const mypos = this.flavour.name === 'mypos';
    const answer = await this.send({
      method: 'POST',
      url: '/v1/funds-confirmations',
      token: mypos ? consent.accessToken : client,
      json: { account: { iban }, instructedAmount: { currency: 'EUR', amount: '1.00' } },
      ...(mypos
        ? { headers: { 'consent-id': consent.consentId, 'tpp-redirect-uri': this.redirectUriHeader() } }
        : {}),
    });
    this.log(`funds: HTTP ${answer.status}`);
  }

  private async clientToken(): Promise<string> {
    const result = await this.oauth.clientCredentials();
    if (!result.tokens)
      throw new Error(`the client credentials grant answered HTTP ${result.response.status}`);
    return result.tokens.accessToken;
  }

  /** A consent the PSU authorised, its tokens, and (after readAccountList) its accounts. */
  private async authorisedConsent(client: string): Promise<HeldConsent> {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const body = this.flavour.consentBody({
        access: { allPsd2: 'allAccounts' },
        recurringIndicator: true,
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        frequencyPerDay: 4,
        combinedServiceIndicator: false,
      });
      const created = await this.send({
        method: 'POST',
        url: '/v1/consents',
        token: client,
        psuPresent: !this.breaks.has('psu-ip-address-missing'),
        headers: { 'tpp-redirect-uri': this.redirectUriHeader() },
        ...(body ? { json: body } : {}),
      });
      if (created.status !== 201) throw new Error(`the consent creation answered HTTP ${created.status}`);
      const consentId = String(created.json<{ consentId?: string }>().consentId ?? '');
      const tokens = await this.authorise(created);
      if (!tokens) {
        // The code came back with a state the TPP did not send: never used. The consent is of no use either.
        await this.deleteConsent(client, { consentId });
        continue;
      }
      return {
        consentId,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        firstRefreshToken: tokens.refreshToken,
        accountIds: [],
        ibans: [],
      };
    }
    throw new Error('the PSU came back with another state twice');
  }

  /** Sends the PSU through SCA from the 201's link; the tokens, or undefined when the state came back wrong. */
  private async authorise(created: HttpResponse): Promise<TokenSet | undefined> {
    const links = created.json<{ _links?: Record<string, { href?: string }> }>()._links ?? {};
    const href = (links.scaRedirect ?? links.scaOAuth)?.href;
    if (!href) throw new Error('the 201 response has no SCA link');
    const url = new URL(href, this.options.config.baseUrl);
    const state = randomState();
    if (!this.breaks.has('state-missing')) url.searchParams.set('state', state);
    const pkce = this.breaks.has('pkce-missing') ? undefined : createPkce();
    if (pkce) {
      url.searchParams.set('code_challenge', pkce.challenge);
      url.searchParams.set('code_challenge_method', 'S256');
    }
    const psu = this.options.config.psus[0];
    if (!psu) throw new Error('the configuration names no PSU');
    const driver = new ScaDriver(
      this.options.tabs,
      loadProfile('sandbox'),
      { psu },
      {
        redirectUri: this.options.config.redirectUri,
        redactor: this.redactor,
      },
    );
    const outcome = await driver.authorize(url.toString(), 'approve');
    if (!outcome.code) throw new Error(`the SCA ended without a code (error=${outcome.error ?? 'none'})`);
    this.redactor.addSecret(outcome.code);
    const stateChecked = !this.breaks.has('state-missing') && !this.breaks.has('state-not-checked');
    if (stateChecked && outcome.state !== state) {
      this.log('sca: the PSU came back with a state this TPP did not send: the code is discarded');
      return undefined;
    }
    if (this.breaks.has('code-exchanged-late')) await sleep(LATE_EXCHANGE_MS);
    const overrides = this.breaks.has('code-redirect-uri-differs')
      ? { extraForm: { redirect_uri: `${this.options.config.redirectUri}?again=1` } }
      : {};
    const result = await this.oauth.authorizationCode(outcome.code, pkce?.verifier, overrides);
    if (this.breaks.has('code-exchanged-twice'))
      await this.oauth.authorizationCode(outcome.code, pkce?.verifier, overrides);
    if (!result.tokens) throw new Error(`the code exchange answered HTTP ${result.response.status}`);
    return result.tokens;
  }

  private async readAccountList(consent: HeldConsent): Promise<void> {
    const query = this.breaks.has('bare-boolean')
      ? { rawQuery: 'withBalance' }
      : this.breaks.has('token-in-url')
        ? { query: { withBalance: true, access_token: consent.accessToken } }
        : { query: { withBalance: true } };
    const list = await this.read(consent, '/v1/accounts', true, query.query ?? {}, undefined, query.rawQuery);
    const accounts = list.json<{ accounts?: Record<string, unknown>[] }>().accounts ?? [];
    consent.accountIds = accounts.map((a) => this.flavour.accountId(a)).filter(Boolean);
    consent.ibans = accounts.map((a) => a.iban).filter((i): i is string => typeof i === 'string');
  }

  /**
   * One read under a consent, as a TPP that copes: an expired token is refreshed and the read sent again
   * (as a new request); a 429 is waited out for its Retry-After.
   */
  private async read(
    consent: HeldConsent,
    url: string,
    psuPresent: boolean,
    query: HttpRequest['query'] = {},
    requestId?: string,
    rawQuery?: string,
  ): Promise<HttpResponse> {
    let retriedSameToken = false;
    let waited = 0;
    for (let attempt = 1; attempt <= 8; attempt++) {
      const response = await this.send({
        method: 'GET',
        url,
        token: consent.accessToken,
        psuPresent,
        headers: { 'consent-id': consent.consentId },
        query,
        ...(rawQuery ? { rawQuery } : {}),
        ...(requestId ? { requestId } : {}),
      });
      if (response.status === 200) return response;
      const code = errorCode(response);
      if (response.status === 401 && code === 'TOKEN_EXPIRED') {
        if (this.breaks.has('expired-token-retried') && !retriedSameToken) {
          retriedSameToken = true;
          continue;
        }
        await this.renew(consent);
        continue;
      }
      if (response.status === 429) {
        if (this.breaks.has('retry-storm-after-429')) continue;
        if (waited++ > 0) throw new Error(`${url} answered 429 ${code ?? ''} again`);
        const seconds = Number(response.header('retry-after') ?? '1');
        await sleep(Math.min(Number.isFinite(seconds) ? seconds : 1, 30) * 1000);
        continue;
      }
      throw new Error(`${url} answered HTTP ${response.status} ${code ?? ''}`);
    }
    throw new Error(`${url}: no answer after 8 attempts`);
  }

  /** A new access token for the consent: by its refresh token, as RFC 6749 §6 has it. */
  private async renew(consent: HeldConsent): Promise<void> {
    if (this.breaks.has('new-sca-on-expiry')) {
      const client = await this.clientToken();
      const fresh = await this.authorisedConsent(client);
      await this.deleteConsent(client, consent);
      Object.assign(consent, fresh);
      await this.readAccountList(consent);
      return;
    }
    const refreshToken = this.breaks.has('refresh-token-not-rotated')
      ? consent.firstRefreshToken
      : consent.refreshToken;
    if (!refreshToken) throw new Error('the access token expired and there is no refresh token');
    const result = await this.oauth.refresh(refreshToken);
    if (!result.tokens) throw new Error(`the refresh answered HTTP ${result.response.status}`);
    consent.accessToken = result.tokens.accessToken;
    consent.refreshToken = result.tokens.refreshToken ?? consent.refreshToken;
    this.log('tokens: refreshed');
  }

  private async deleteConsent(client: string, consent: { consentId: string }): Promise<void> {
    await this.send({ method: 'DELETE', url: `/v1/consents/${consent.consentId}`, token: client });
  }

  private redirectUriHeader(): string {
    return this.breaks.has('redirect-uri-unregistered')
      ? UNREGISTERED_REDIRECT
      : this.options.config.redirectUri;
  }

  private async send(request: HttpRequest & { token: string; psuPresent?: boolean }): Promise<HttpResponse> {
    const { token, psuPresent, headers, ...rest } = request;
    this.redactor.addSecret(token);
    const response = await this.http.send({
      ...rest,
      headers: {
        authorization: `Bearer ${token}`,
        ...(psuPresent ? { 'psu-ip-address': PSU_IP } : {}),
        ...headers,
      },
    });
    if (response.requestId) this.usedRequestIds.push(response.requestId);
    return response;
  }
}

function errorCode(response: HttpResponse): string | undefined {
  try {
    return response.json<{ tppMessages?: { code?: string }[] }>().tppMessages?.[0]?.code;
  } catch {
    return undefined;
  }
}
