import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { type Browser, chromium } from '@playwright/test';
import { PreconditionFailed } from '../checks/failure.ts';
import { isBundledProfile, loadProfile, type Profile } from '../config/profile.ts';
import { loadTlsMaterial, type TlsMaterial } from '../config/tls-material.ts';
import type { Contract } from '../contract/contract.ts';
import { loadContract } from '../contract/load-contract.ts';
import { HttpClient } from '../http/client.ts';
import { Redactor } from '../http/redact.ts';
import { OAuthClient } from '../oauth/client.ts';
import { CHROMIUM_ARGS } from '../sca/browser.ts';
import { ScaTabs } from '../sca/page-pool.ts';
import type { RunSettings } from './settings.ts';

/** One Chromium per worker, launched on first use, and the tabs SCA flows borrow from it. */
export class WorkerBrowser {
  private launched: Promise<Browser> | undefined;
  readonly tabs = new ScaTabs(() => this.browser());

  constructor(private readonly settings: RunSettings['browser']) {}

  browser(): Promise<Browser> {
    this.launched ??= chromium.launch({
      headless: this.settings.headless,
      ...(this.settings.executablePath ? { executablePath: this.settings.executablePath } : {}),
      args: CHROMIUM_ARGS,
    });
    return this.launched;
  }

  async close(): Promise<void> {
    if (this.launched) await (await this.launched.catch(() => undefined))?.close();
  }
}

/** How a profile's headers refer to the configured target.apiKey. */
const API_KEY_PLACEHOLDER = '$' + '{target.apiKey}';

/** One worker's connection to the target: TLS material, HTTP clients, the OAuth client and a browser. */
export class TppSession {
  readonly profile: Profile;
  readonly contract: Contract;
  /** The standard the profile deviates from, when it names one. */
  readonly baseline: Contract | undefined;
  readonly redactor = new Redactor();
  readonly tls: TlsMaterial;
  readonly http: HttpClient;
  readonly oauth: OAuthClient;
  readonly basePath: string;
  private readonly extraClients: HttpClient[] = [];
  private clientToken: { token: string; expiresAt: number } | undefined;
  /** The worker's browser: shared by every session of the worker, closed by whoever made it. */
  readonly browser: WorkerBrowser;
  private readonly ownsBrowser: boolean;

  constructor(
    readonly settings: RunSettings,
    browser?: WorkerBrowser,
  ) {
    this.browser = browser ?? new WorkerBrowser(settings.browser);
    this.ownsBrowser = browser === undefined;
    this.profile = settings.profile;
    this.contract = loadContract(this.profile.contracts);
    this.baseline = this.profile.baseline ? loadContract(this.profile.baseline) : undefined;
    this.tls = loadTlsMaterial(settings.tls);
    for (const secret of [settings.client.clientSecret, settings.psu.password, settings.target.apiKey]) {
      this.redactor.addSecret(secret);
    }
    this.redactor.addSecret(settings.otherTpp?.clientSecret);
    this.redactor.addSecret(settings.otherPsu?.password);
    this.redactor.addSecret(settings.fixtures.expiredConsent?.accessToken);
    this.redactor.addSecret(settings.partial?.accessToken);
    if (settings.tls.key) this.redactor.addPem(readFileSync(settings.tls.key, 'utf8'));
    this.basePath = new URL(settings.target.baseUrl).pathname.replace(/\/+$/, '');
    this.http = this.client(this.tls);
    this.oauth = new OAuthClient(this.http, this.contract, {
      tokenUrl: settings.target.tokenUrl,
      authorizeUrl: settings.target.authorizeUrl,
      clientId: settings.client.clientId,
      clientSecret: settings.client.clientSecret,
      redirectUri: settings.client.redirectUri,
      authMethod: settings.client.authMethod,
      scope: settings.client.scope,
    });
  }

  /**
   * The SCA pages belong to the target, not to the API's flavour: against the embedded sandbox a bundled profile
   * (berlin-group, mypos) is driven with the sandbox's own steps. A profile of your own that declares steps keeps
   * them, so that steps written for the sandbox's pages can be rehearsed there (psd2-conformance sca-try).
   */
  scaProfile(): Profile {
    if (!this.settings.embedded || this.profile.name === 'sandbox') return this.profile;
    if (!isBundledProfile(this.profile.file) && this.profile.sca.steps.length > 0) return this.profile;
    this.sandboxPages ??= loadProfile('sandbox').sca;
    return { ...this.profile, sca: this.sandboxPages };
  }
  private sandboxPages: Profile['sca'] | undefined;

  /** The profile's extra headers; without any, a configured target.apiKey goes out as API-Key. */
  profileHeaders(): Record<string, string> {
    const apiKey = this.settings.target.apiKey;
    const declared = this.profile.headers ?? (apiKey ? { 'API-Key': API_KEY_PLACEHOLDER } : {});
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(declared)) {
      // A function, so that "$&" or "$$" in a key is not read as a replacement pattern.
      out[name] = value.replaceAll(API_KEY_PLACEHOLDER, () => apiKey ?? '');
    }
    return out;
  }

  /** Another HTTP client with other TLS material (a named test certificate, none at all, TLS 1.1 ...). */
  client(tls: TlsMaterial, connect?: ConnectionOptions): HttpClient {
    const client = new HttpClient({
      baseUrl: this.settings.target.baseUrl,
      tls,
      ...(connect ? { connect } : {}),
      timeoutMs: this.settings.http.timeoutMs,
      maxResponseBytes: this.settings.http.maxResponseBytes,
      redactor: this.redactor,
    });
    if (this.http) this.extraClients.push(client);
    return client;
  }

  /** TLS material of a named certificate from tls.certificates, with the configured CA. */
  namedCertificate(name: string): TlsMaterial | undefined {
    const pair = this.settings.tls.certificates?.[name];
    if (!pair) return undefined;
    return {
      cert: readFileSync(pair.cert),
      key: readFileSync(pair.key),
      ...(this.tls.ca ? { ca: this.tls.ca } : {}),
      minVersion: 'TLSv1.2',
    };
  }

  /** The second TPP of the configuration, with its own certificate and OAuth client. */
  otherTpp(): { http: HttpClient; oauth: OAuthClient } | undefined {
    const other = this.settings.otherTpp;
    if (!other) return undefined;
    const http = this.client({
      cert: readFileSync(other.cert),
      key: readFileSync(other.key),
      ...(this.tls.ca ? { ca: this.tls.ca } : {}),
      minVersion: 'TLSv1.2',
    });
    return { http, oauth: this.oauthFor(http, other) };
  }

  oauthFor(http: HttpClient, client: { clientId: string; clientSecret: string }): OAuthClient {
    return new OAuthClient(http, this.contract, { ...this.oauth.options, ...client });
  }

  /** A client_credentials token, reused while it lives. */
  async clientCredentialsToken(): Promise<string> {
    const partial = this.settings.partial;
    // A partial run without a token endpoint, or without the client's secret, uses the token it was given.
    if (partial?.accessToken && (partial.noTokenEndpoint || !this.settings.client.clientSecret))
      return partial.accessToken;
    if (this.clientToken && this.clientToken.expiresAt > Date.now() + 5_000) return this.clientToken.token;
    const result = await this.oauth.clientCredentials();
    if (!result.tokens) {
      throw new PreconditionFailed(
        'a client_credentials token',
        `HTTP ${result.response.status} ${result.response.body.slice(0, 200)}`,
      );
    }
    this.clientToken = {
      token: result.tokens.accessToken,
      expiresAt: Date.now() + (result.tokens.expiresIn ?? 300) * 1000,
    };
    return this.clientToken.token;
  }

  async close(): Promise<void> {
    await Promise.allSettled([
      this.http.close(),
      ...this.extraClients.map((c) => c.close()),
      this.ownsBrowser ? this.browser.close() : undefined,
    ]);
  }
}
