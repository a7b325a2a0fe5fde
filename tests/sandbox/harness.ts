import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { SandboxFlavour } from '../../sandbox/context.ts';
import type { FaultId } from '../../sandbox/faults/index.ts';
import { type RunningSandbox, type SandboxClientConfig, startSandbox } from '../../sandbox/start.ts';
import type { TlsMaterial } from '../../src/config/tls-material.ts';
import { HttpClient, type HttpRequest, type HttpResponse } from '../../src/http/client.ts';
import { Redactor } from '../../src/http/redact.ts';

export const PSU_IP = '10.1.2.3';

export function isoDay(offset = 0): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

export const CONSENT = {
  access: { accounts: [], balances: [], transactions: [] },
  recurringIndicator: true,
  validUntil: isoDay(30),
  frequencyPerDay: 50,
  combinedServiceIndicator: false,
};

export const PAYMENT = {
  instructedAmount: { currency: 'EUR', amount: '10.00' },
  creditorAccount: { iban: 'DE89370400440532013000' },
  creditorName: 'Creditor',
};

/**
 * A TPP talking to a real sandbox over real HTTPS with the generated certificates, and a PSU that
 * answers the SCA pages with plain form posts (the browser journey is the suite's business).
 */
export class Harness {
  private clients: HttpClient[] = [];
  private constructor(
    readonly config: SandboxClientConfig,
    private readonly running: RunningSandbox | undefined,
    private readonly ownsSandbox = true,
  ) {}

  /** A sandbox in this process. */
  static async start(
    faults: FaultId[] = [],
    options: {
      codeLifetimeSeconds?: number;
      pageSize?: number;
      flavour?: SandboxFlavour;
      tppFaults?: Record<string, FaultId[]>;
    } = {},
  ) {
    const sandbox = await startSandbox({ faults, ...options });
    return new Harness(sandbox.config, sandbox);
  }

  /** The same sandbox, seen by one of the TPPs it registered with faults of their own. */
  as(tpp: string): Harness {
    const own = this.config.tpps[tpp];
    if (!own) throw new Error(`the sandbox registered no TPP ${tpp}`);
    return new Harness({ ...this.config, ...own }, this.running, false);
  }

  /** A sandbox running elsewhere (another process), from the configuration it printed. */
  static attach(config: SandboxClientConfig): Harness {
    return new Harness(config, undefined);
  }

  get sandbox(): RunningSandbox {
    if (!this.running) throw new Error('this harness is attached to a sandbox in another process');
    return this.running;
  }

  material(name = 'allRoles'): TlsMaterial {
    const pair = name === 'allRoles' ? this.config : this.config.certificates[name];
    if (!pair) throw new Error(`no certificate ${name}`);
    return {
      cert: readFileSync(pair.cert),
      key: readFileSync(pair.key),
      ca: readFileSync(this.config.ca),
      minVersion: 'TLSv1.2',
    };
  }

  /** An HTTP client with a certificate ('none' for a connection without one). */
  client(
    tls: TlsMaterial | 'none' = this.material(),
    connect?: ConnectionOptions,
    baseUrl = this.config.baseUrl,
  ) {
    const client = new HttpClient({
      baseUrl,
      tls: tls === 'none' ? { ca: readFileSync(this.config.ca), minVersion: 'TLSv1.2' } : tls,
      ...(connect ? { connect } : {}),
      timeoutMs: 5000,
      maxResponseBytes: 10 * 1024 * 1024,
      redactor: new Redactor(),
    });
    this.clients.push(client);
    return client;
  }

  async token(
    form: Record<string, string> = { grant_type: 'client_credentials' },
    via = this.client(),
    credentials = { id: this.config.clientId, secret: this.config.clientSecret },
  ): Promise<HttpResponse> {
    if (this.config.authMethod === 'client_secret_basic') {
      const basic = Buffer.from(
        `${encodeURIComponent(credentials.id)}:${encodeURIComponent(credentials.secret)}`,
      ).toString('base64');
      return via.send({
        method: 'POST',
        url: this.config.tokenUrl,
        form,
        headers: { authorization: `Basic ${basic}` },
        requestId: false,
      });
    }
    return via.send({
      method: 'POST',
      url: this.config.tokenUrl,
      form: { ...form, client_id: credentials.id, client_secret: credentials.secret },
      requestId: false,
    });
  }

  async clientToken(): Promise<string> {
    return (await this.token()).json<{ access_token: string }>().access_token;
  }

  async xs2a(
    request: HttpRequest & { token?: string; consentId?: string; psuIp?: boolean },
    via = this.client(),
  ) {
    const { token, consentId, psuIp, headers, ...rest } = request;
    return via.send({
      ...rest,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(consentId ? { 'consent-id': consentId } : {}),
        ...(psuIp ? { 'psu-ip-address': PSU_IP } : {}),
        ...(this.config.apiKey ? { 'api-key': this.config.apiKey } : {}),
        ...headers,
      },
    });
  }

  async createConsent(body: unknown = CONSENT, token?: string) {
    return this.xs2a({
      method: 'POST',
      url: '/v1/consents',
      json: body,
      token: token ?? (await this.clientToken()),
      psuIp: true,
      headers: this.redirectHeader(),
    });
  }

  async createPayment(product = 'sepa-credit-transfers', body: unknown = PAYMENT) {
    return this.xs2a({
      method: 'POST',
      url: `/v1/payments/${product}`,
      json: body,
      token: await this.clientToken(),
      psuIp: true,
      headers: this.redirectHeader(),
    });
  }

  /** myPOS documents TPP-Redirect-URI as mandatory; the Berlin Group sandbox falls back to the registered one. */
  redirectHeader(): Record<string, string> {
    return this.config.flavour === 'mypos' ? { 'tpp-redirect-uri': this.config.redirectUri } : {};
  }

  /** The PSU logs in and approves or declines; returns the redirect's URL. */
  async psu(
    scaRedirect: string,
    decision: 'approve' | 'decline',
    options: { state?: string; pick?: 'all' | 'first'; psu?: number } = {},
  ) {
    const browser = this.client(undefined, undefined, new URL(scaRedirect).origin);
    const start = new URL(scaRedirect);
    start.searchParams.set('state', options.state ?? 'state-123');
    let login = await browser.send({
      method: 'GET',
      url: start.toString(),
      requestId: false,
      headers: { accept: 'text/html' },
    });
    if (login.status === 302 && login.headers.location) {
      login = await browser.send({
        method: 'GET',
        url: login.headers.location,
        requestId: false,
        headers: { accept: 'text/html' },
      });
    }
    const requestId = hidden(login.body, 'request');
    const psu = this.config.psus[options.psu ?? 0] ?? { id: '', password: '' };
    const review = await browser.send({
      method: 'POST',
      url: '/oauth/login',
      form: { request: requestId, psuId: psu.id, password: psu.password },
      requestId: false,
    });
    // An authorisation that fails at login (another PSU's named account) redirects straight away.
    if (review.status === 302) return new URL(review.headers.location ?? 'https://invalid/');
    const accounts = [
      ...review.body.matchAll(/name="account" id="account-\d+" value="([^"]+)"(?! checked disabled)/g),
    ].map((m) => m[1] ?? '');
    const chosen = options.pick === 'first' ? accounts.slice(0, 1) : accounts;
    const form = new URLSearchParams({ request: hidden(review.body, 'request'), decision });
    for (const id of chosen) form.append('account', id);
    const done = await browser.send({
      method: 'POST',
      url: '/oauth/decision',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      requestId: false,
    });
    return new URL(done.headers.location ?? 'https://invalid/');
  }

  /** A consent approved by the PSU, with its tokens. */
  async approvedConsent(body: unknown = CONSENT, pick: 'all' | 'first' = 'all') {
    const created = (await this.createConsent(body)).json<{
      consentId: string;
      _links: { scaRedirect?: { href: string }; scaOAuth?: { href: string } };
    }>();
    const link = created._links.scaRedirect ?? created._links.scaOAuth;
    const redirect = await this.psu(link?.href ?? '', 'approve', { pick });
    const tokens = (
      await this.token({
        grant_type: 'authorization_code',
        code: redirect.searchParams.get('code') ?? '',
        redirect_uri: this.config.redirectUri,
      })
    ).json<{ access_token: string; refresh_token: string }>();
    return {
      consentId: created.consentId,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      redirect,
    };
  }

  /** The second TPP's client (its own certificate) and a client_credentials token of it. */
  async otherTpp(): Promise<{ client: HttpClient; token: string }> {
    const client = this.client(this.material('otherTpp'));
    const response = await this.token(undefined, client, {
      id: this.config.otherTpp.clientId,
      secret: this.config.otherTpp.clientSecret,
    });
    return { client, token: response.json<{ access_token: string }>().access_token };
  }

  async firstAccount(consent: { consentId: string; accessToken: string }): Promise<string> {
    const list = await this.xs2a({
      method: 'GET',
      url: '/v1/accounts',
      token: consent.accessToken,
      consentId: consent.consentId,
    });
    return list.json<{ accounts: { resourceId: string }[] }>().accounts[0]?.resourceId ?? '';
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.clients.map((c) => c.close()));
    if (this.ownsSandbox) await this.running?.close();
  }
}

function hidden(html: string, name: string): string {
  return new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';
}
