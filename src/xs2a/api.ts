import { PreconditionFailed } from '../checks/failure.ts';
import type { Violation } from '../contract/violation.ts';
import type { ExchangeLog } from '../harness/exchange-log.ts';
import type { TppSession } from '../harness/session.ts';
import { consentBody, PSU_IP } from '../harness/test-data.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/client.ts';
import { HttpError } from '../http/errors.ts';
import type { OAuthClient, TokenResult } from '../oauth/client.ts';
import { createdId } from './created-id.ts';
import { type Flavour, flavourOf } from './flavour.ts';

/** A response with the contract violations found in it. */
export type Xs2aResponse = HttpResponse & { violations: Violation[] };

export interface Xs2aCall extends Omit<HttpRequest, 'headers'> {
  headers?: Record<string, string | undefined>;
  /** The access token; undefined uses the client_credentials token, null sends none. */
  token?: string | null;
  consentId?: string;
  /** Send PSU-IP-Address: the PSU is present. */
  psuInitiated?: boolean;
  /** Another HTTP client (another certificate). */
  via?: HttpClient;
}

/** The XS2A calls of one test, each logged and checked against its contract. */
export class Xs2aApi {
  constructor(
    readonly session: TppSession,
    readonly log: ExchangeLog,
  ) {}

  async send(call: Xs2aCall): Promise<Xs2aResponse> {
    const { token, consentId, psuInitiated, via, headers, ...request } = call;
    const bearer = token === undefined ? await this.session.clientCredentialsToken() : token;
    const merged: Record<string, string | undefined> = { ...this.session.profileHeaders() };
    if (bearer) merged.authorization = `Bearer ${bearer}`;
    if (consentId !== undefined) merged['consent-id'] = consentId;
    if (psuInitiated) merged['psu-ip-address'] = PSU_IP;
    Object.assign(merged, headers);
    try {
      const response = await (via ?? this.session.http).send({ ...request, headers: merged });
      return Object.assign(response, { violations: this.log.add(response).violations });
    } catch (error) {
      if (error instanceof HttpError) this.log.addFailed(error.exchange);
      throw error;
    }
  }

  get(url: string, options: Omit<Xs2aCall, 'method' | 'url'> = {}): Promise<Xs2aResponse> {
    return this.send({ method: 'GET', url, ...options });
  }

  /** An AIS read under a consent: its token, its Consent-ID, TPP-initiated unless told otherwise. */
  read(
    consent: { consentId: string; accessToken: string },
    url: string,
    options: Omit<Xs2aCall, 'method' | 'url'> = {},
  ) {
    return this.send({
      method: 'GET',
      url,
      token: consent.accessToken,
      consentId: consent.consentId,
      ...options,
    });
  }

  get flavour(): Flavour {
    return flavourOf(this.session.profile);
  }

  /** Creates a consent; without a body, the flavour's (a bank-offered consent, or none for myPOS). */
  createConsent(body?: unknown, options: Omit<Xs2aCall, 'method' | 'url'> = {}): Promise<Xs2aResponse> {
    const json = body === undefined ? this.flavour.consentBody(consentBody()) : body;
    return this.send({
      method: 'POST',
      url: '/v1/consents',
      ...(json === undefined ? {} : { json }),
      psuInitiated: true,
      headers: { 'tpp-redirect-uri': this.session.settings.client.redirectUri, ...options.headers },
      ...withoutHeaders(options),
    });
  }

  /** Initiates a payment; without a body, the flavour's payment of 12.34 EUR to the test creditor. */
  async initiatePayment(
    product: string,
    body?: unknown,
    options: Omit<Xs2aCall, 'method' | 'url'> = {},
  ): Promise<Xs2aResponse> {
    const json = body ?? (await this.flavourPaymentBody('12.34'));
    return this.send({
      method: 'POST',
      url: `/v1/payments/${product}`,
      json,
      psuInitiated: true,
      headers: { 'tpp-redirect-uri': this.session.settings.client.redirectUri, ...options.headers },
      ...withoutHeaders(options),
    });
  }

  /** The id of an account (or card account) in paths, as the target's flavour addresses it. */
  accountId(account: { resourceId?: string; accountNumber?: string } | undefined): string {
    return account ? this.flavour.accountId(account) : '';
  }

  /** The listed accounts of a list response; card accounts may sit under "accounts" (myPOS). */
  accountsOf<T = Record<string, unknown>>(
    response: HttpResponse,
    key: 'accounts' | 'cardAccounts' = 'accounts',
  ): T[] {
    const body = response.json<Record<string, T[] | undefined>>();
    return body[key] ?? body.accounts ?? [];
  }

  /**
   * The first account under a consent (the first with an IBAN when `withIban`), listed PSU-initiated so that the
   * run's shared consent keeps its frequencyPerDay; throws unless the list answers 200 with such an account.
   */
  async firstAccount(
    consent: { consentId: string; accessToken: string },
    options: { withIban?: boolean } = {},
  ): Promise<{ path: string; iban: string | undefined }> {
    const list = await this.read(consent, '/v1/accounts', { psuInitiated: true });
    if (list.status !== 200)
      throw new PreconditionFailed(
        'the account list under the consent',
        `GET /v1/accounts answered ${list.status}: ${list.body.slice(0, 200)}`,
      );
    const accounts = this.accountsOf<{ iban?: string; resourceId?: string; accountNumber?: string }>(list);
    const account = options.withIban ? accounts.find((a) => a.iban) : accounts[0];
    if (!account) throw new Error(`no account${options.withIban ? ' with an IBAN' : ''} under the consent`);
    return { path: `/v1/accounts/${encodeURIComponent(this.accountId(account))}`, iban: account.iban };
  }

  /** The authorisation IDs of the consent or payment at `path`; throws unless its list answers 200. */
  async authorisationIds(path: string): Promise<string[]> {
    const listed = await this.get(`${path}/authorisations`);
    if (listed.status !== 200)
      throw new Error(`listing the authorisations answered ${listed.status}: ${listed.body.slice(0, 200)}`);
    return listed.json<{ authorisationIds?: string[] }>().authorisationIds ?? [];
  }

  /** The headers a funds confirmation needs besides the body (myPOS: Consent-ID and TPP-Redirect-URI, page 36). */
  fundsCall(consent: { consentId: string } | undefined): Pick<Xs2aCall, 'consentId' | 'headers'> {
    if (this.flavour.name !== 'mypos') return {};
    return {
      ...(consent ? { consentId: consent.consentId } : {}),
      headers: { 'tpp-redirect-uri': this.session.settings.client.redirectUri },
    };
  }

  /** A payment body in the target's flavour (myPOS: to the first stored beneficiary). */
  async flavourPaymentBody(amount: string): Promise<Record<string, unknown>> {
    let creditorId: number | undefined;
    if (this.flavour.needsBeneficiary) {
      const list = await this.get('/v1/payments/stored-beneficiaries');
      creditorId =
        list.status === 200
          ? list.json<{ beneficiaries?: { id: number }[] }>().beneficiaries?.[0]?.id
          : undefined;
      if (creditorId === undefined)
        throw new Error(
          `no stored beneficiary to pay: GET /v1/payments/stored-beneficiaries answered ${list.status}`,
        );
    }
    return this.flavour.paymentBody(amount, creditorId);
  }

  /** The payment's status by the flavour's path, and the status out of its body. */
  async paymentStatus(product: string, paymentId: string, options: Omit<Xs2aCall, 'method' | 'url'> = {}) {
    const response = await this.get(this.flavour.paymentStatusUrl(product, paymentId), options);
    const status = response.status === 200 ? this.flavour.paymentStatus(response.json()) : undefined;
    return { response, status };
  }

  /** Creates a consent (the flavour's unless `body` is given) and answers its path; throws unless it is created. */
  async createdConsentPath(body?: unknown): Promise<string> {
    const created = await this.createConsent(body);
    return `/v1/consents/${encodeURIComponent(createdId(created, 'consentId', 'createConsent'))}`;
  }

  /** Initiates the flavour's payment of 12.34 EUR and answers its path and id; throws unless it is created. */
  async createdPayment(product: string): Promise<{ path: string; paymentId: string }> {
    const created = await this.initiatePayment(product);
    const paymentId = createdId(created, 'paymentId', 'initiatePayment');
    return { path: this.flavour.paymentUrl(product, paymentId), paymentId };
  }

  /** Starts an authorisation of the consent or payment at `resourcePath`, the PSU present. */
  startAuthorisation(
    resourcePath: string,
    options: Omit<Xs2aCall, 'method' | 'url'> = {},
  ): Promise<Xs2aResponse> {
    return this.send({
      method: 'POST',
      url: `${resourcePath}/authorisations`,
      psuInitiated: true,
      ...options,
      headers: { 'tpp-redirect-uri': this.session.settings.client.redirectUri, ...options.headers },
    });
  }

  /** The configuration's other TPP: its client (its own certificate) and a client_credentials token of it. */
  async asOtherTpp(): Promise<Pick<Xs2aCall, 'token' | 'via'>> {
    const other = this.session.otherTpp();
    if (!other) throw new Error('no otherTpp configured');
    const token = await this.token((oauth) => oauth.clientCredentials(), other.oauth);
    return { token: token.tokens?.accessToken ?? null, via: other.http };
  }

  /** A token request through the session's OAuth client (or another), logged like every exchange. */
  async token(
    run: (oauth: OAuthClient) => Promise<TokenResult>,
    oauth = this.session.oauth,
  ): Promise<TokenResult> {
    try {
      const result = await run(oauth);
      this.log.add(result.response);
      return result;
    } catch (error) {
      if (error instanceof HttpError) this.log.addFailed(error.exchange);
      throw error;
    }
  }
}

function withoutHeaders<T extends { headers?: unknown }>(options: T): Omit<T, 'headers'> {
  const { headers: _headers, ...rest } = options;
  return rest;
}
