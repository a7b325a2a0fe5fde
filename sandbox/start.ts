import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadContract } from '../src/contract/load-contract.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';
import { buildApiApp, type HttpsOptions } from './api-app.ts';
import { TppExaminer } from './certify/examiner.ts';
import { type SandboxContext, type SandboxFlavour, TppRecorder } from './context.ts';
import { FAULTS, type SwitchId } from './faults/index.ts';
import { FaultSwitch, type FaultView } from './faults/switch.ts';
import {
  type CertificateFiles,
  type ClientCertificateName,
  DEFAULT_ORGANIZATIONS,
  ensureTestPki,
  ensureTppCertificates,
  revocationList,
  type TestPki,
} from './pki/test-pki.ts';
import { buildPsuApp } from './psu-app.ts';
import { createSeed } from './seed.ts';
import { newId, SandboxState, secret, type TppClient } from './state.ts';

export interface SandboxStartOptions {
  host?: string;
  /** 0 picks a free port. The PSU pages listen on a port of their own. */
  port?: number;
  psuPort?: number;
  /** Faults for every TPP. */
  faults?: SwitchId[];
  /**
   * Faults for one TPP each, by name: the sandbox registers each such TPP (a client, its certificates
   * and a second TPP that shares its faults) and answers it with those faults; every other TPP sees
   * the clean bank. A fault below HTTP gives the TPP an API listener of its own.
   */
  tppFaults?: Record<string, SwitchId[]>;
  seed?: number;
  cacheDir?: string;
  tokenLifetimeSeconds?: number;
  codeLifetimeSeconds?: number;
  pageSize?: number;
  /** berlin-group (default) or mypos: the API the sandbox answers as. */
  flavour?: SandboxFlavour;
  /** Keep what each TPP does and probe how it copes, for certify-tpp (sandbox/certify/). */
  examine?: boolean;
}

export const SANDBOX_FLAVOURS: readonly SandboxFlavour[] = ['berlin-group', 'mypos'];

/** What one TPP needs to reach the sandbox: where, its client, its certificates, its second TPP. */
export interface SandboxTppConfig {
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  cert: string;
  key: string;
  certificates: Record<string, { cert: string; key: string }>;
  otherTpp: { clientId: string; clientSecret: string; cert: string; key: string };
  fixtures: { expiredConsent: { consentId: string; accessToken: string } };
  /** The faults this TPP sees on top of those for everyone. */
  faults: string[];
}

/** The printed, ready-to-use client configuration: the default TPP's, and each registered TPP's. */
export interface SandboxClientConfig extends Omit<SandboxTppConfig, 'faults'> {
  authorizeUrl: string;
  redirectUri: string;
  ca: string;
  psus: { id: string; password: string }[];
  /** The faults for every TPP. */
  faults: string[];
  /** The TPPs registered with faults of their own (tppFaults), by name. */
  tpps: Record<string, SandboxTppConfig>;
  seed: number;
  flavour: SandboxFlavour;
  /** How the token endpoint wants the client to authenticate (the myPOS flavour: Basic only). */
  authMethod: 'client_secret_post' | 'client_secret_basic';
  /** The API-Key the myPOS flavour expects on every XS2A request. */
  apiKey?: string;
}

export interface RunningSandbox {
  config: SandboxClientConfig;
  context: SandboxContext;
  pki: TestPki;
  close(): Promise<void>;
}

export const DEFAULT_CACHE_DIR = path.join(PACKAGE_ROOT, '.cache', 'sandbox-pki');

export async function startSandbox(options: SandboxStartOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const tppFaults = options.tppFaults ?? {};
  const faults = new FaultSwitch(options.faults ?? [], tppFaults);
  const pki = await ensureTestPki(options.cacheDir ?? process.env.PSD2_SANDBOX_CACHE ?? DEFAULT_CACHE_DIR);
  const seedNumber = options.seed ?? 1;
  const seed = createSeed(seedNumber);
  const registered = await Promise.all(Object.keys(tppFaults).map((name) => registerTpp(pki, name)));
  const clients: TppClient[] = [
    {
      clientId: 'conformance-tpp',
      clientSecret: secret(),
      redirectUris: [],
      organizationId: DEFAULT_ORGANIZATIONS.own,
    },
    {
      clientId: 'other-tpp',
      clientSecret: secret(),
      redirectUris: [],
      organizationId: DEFAULT_ORGANIZATIONS.other,
    },
    ...registered.flatMap((r) => [r.client, r.other]),
  ];
  const state = new SandboxState(seed, clients);
  const flavour = options.flavour ?? 'berlin-group';
  const contract = loadContract(
    flavour === 'mypos' ? ['openapi/mypos/xs2a-mypos.yaml', 'openapi/oauth2.yaml'] : undefined,
  );
  const apiKey = flavour === 'mypos' ? secret() : undefined;
  const context: SandboxContext = {
    state,
    faults,
    contract,
    recorder: new TppRecorder(),
    options: {
      apiBaseUrl: '',
      psuBaseUrl: '',
      tokenLifetimeMs: (options.tokenLifetimeSeconds ?? 600) * 1000,
      codeLifetimeMs: (options.codeLifetimeSeconds ?? 3) * 1000,
      pageSize: options.pageSize ?? 500,
      flavour,
      apiKey,
    },
  };
  if (options.examine) context.examiner = new TppExaminer(context);
  const serverKey = readFileSync(pki.server.key);
  const serverCert = readFileSync(pki.server.cert);
  const crl = await revocationList(pki, [pki.clients, ...registered.map((r) => r.certificates)]);
  const psuApp = buildPsuApp(context, { key: serverKey, cert: serverCert });
  // Published as a QTSP publishes its CRL: what a bank would fetch to know the revoked certificates.
  psuApp.get('/pki/ca.crl', async (_request, reply) => reply.type('application/pkix-crl').send(crl[0]));
  const tls = (view: FaultView) => apiTls(pki, serverKey, serverCert, view, crl);
  const apiApp = buildApiApp(context, tls(faults.forTpp(undefined)));
  // A TPP scoped to a fault below HTTP gets a listener with those TLS settings; its requests there are its own.
  const ownListeners = Object.entries(tppFaults)
    .filter(([, ids]) => ids.some((id) => LISTENER_FAULTS.has(id)))
    .map(([name]) => ({ name, app: buildApiApp(context, tls(faults.forTpp(name)), name) }));
  const apps = [psuApp, apiApp, ...ownListeners.map((l) => l.app)];
  try {
    await psuApp.listen({ host, port: options.psuPort ?? 0 });
    await apiApp.listen({ host, port: options.port ?? 0 });
    for (const listener of ownListeners) await listener.app.listen({ host, port: 0 });
  } catch (error) {
    await Promise.allSettled(apps.map((app) => app.close()));
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const urlOf = (app: typeof apiApp) => `https://${urlHost}:${(app.server.address() as AddressInfo).port}`;
  context.options.apiBaseUrl = urlOf(apiApp);
  context.options.psuBaseUrl = urlOf(psuApp);
  const redirectUri = `${context.options.psuBaseUrl}/tpp/callback`;
  for (const client of clients) client.redirectUris.push(redirectUri);
  const [main, other] = clients as [TppClient, TppClient];
  const tppConfig = (
    baseUrl: string,
    own: TppClient,
    second: TppClient,
    certificates: Record<ClientCertificateName, CertificateFiles>,
    tppFaultIds: string[],
  ): SandboxTppConfig => ({
    baseUrl,
    tokenUrl: `${baseUrl}/oauth/token`,
    clientId: own.clientId,
    clientSecret: own.clientSecret,
    cert: certificates.allRoles.cert,
    key: certificates.allRoles.key,
    certificates: { ...certificates },
    otherTpp: { clientId: second.clientId, clientSecret: second.clientSecret, ...certificates.otherTpp },
    fixtures: { expiredConsent: seedExpiredConsent(state, own.clientId, context.options.tokenLifetimeMs) },
    faults: tppFaultIds,
  });
  const tpps = Object.fromEntries(
    registered.map((r) => {
      const listener = ownListeners.find((l) => l.name === r.name);
      const baseUrl = listener ? urlOf(listener.app) : context.options.apiBaseUrl;
      return [r.name, tppConfig(baseUrl, r.client, r.other, r.certificates, tppFaults[r.name] ?? [])];
    }),
  );
  const { faults: _mainOwn, ...mainTpp } = tppConfig(
    context.options.apiBaseUrl,
    main,
    other,
    pki.clients,
    [],
  );
  const config: SandboxClientConfig = {
    ...mainTpp,
    authorizeUrl: `${context.options.psuBaseUrl}/oauth/authorize`,
    redirectUri,
    ca: pki.ca,
    psus: seed.psus.map((p) => ({ id: p.id, password: p.password })),
    faults: faults.list(),
    tpps,
    seed: seedNumber,
    flavour,
    authMethod: flavour === 'mypos' ? 'client_secret_basic' : 'client_secret_post',
    ...(apiKey ? { apiKey } : {}),
  };
  return {
    config,
    context,
    pki,
    async close() {
      await Promise.allSettled(apps.map((app) => app.close()));
    },
  };
}

/** Faults that live in the API listener's TLS settings. */
const LISTENER_FAULTS: ReadonlySet<SwitchId> = new Set(FAULTS.filter((f) => f.listener).map((f) => f.id));

/** The API listener's TLS settings under the faults one TPP (or everyone) sees. */
function apiTls(pki: TestPki, key: Buffer, cert: Buffer, faults: FaultView, crl: string[]): HttpsOptions {
  const legacyTls = faults.has('tls-legacy-accepted');
  const ca = [readFileSync(pki.ca)];
  if (faults.has('client-cert-untrusted-accepted')) ca.push(readFileSync(pki.untrustedCa));
  return {
    key,
    cert,
    ca,
    requestCert: true,
    // Under these faults the handshake lets bad certificates through and the app decides (see api-app).
    rejectUnauthorized:
      !faults.has('client-cert-optional') &&
      !faults.has('client-cert-expired-accepted') &&
      !faults.has('client-cert-purpose-ignored'),
    minVersion: legacyTls ? 'TLSv1' : faults.has('tls12-refused') ? 'TLSv1.3' : 'TLSv1.2',
    ...(legacyTls ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
    ...(faults.has('tls-null-cipher-accepted') ? { ciphers: 'HIGH:ECDHE-ECDSA-NULL-SHA:@SECLEVEL=0' } : {}),
    ...(faults.has('client-cert-revocation-not-checked') ? {} : { crl }),
  };
}

/** A TPP registered by name: its client, its second TPP, and certificates under organizationIdentifiers of its own. */
async function registerTpp(pki: TestPki, name: string) {
  const orgs = { own: `PSDBG-BNB-T-${name}`, other: `PSDBG-BNB-O-${name}` };
  const certificates = await ensureTppCertificates(pki, name, orgs);
  const client: TppClient = {
    clientId: `tpp-${name}`,
    clientSecret: secret(),
    redirectUris: [],
    organizationId: orgs.own,
    tpp: name,
  };
  const other: TppClient = {
    clientId: `tpp-${name}-other`,
    clientSecret: secret(),
    redirectUris: [],
    organizationId: orgs.other,
    tpp: name,
  };
  return { name, client, other, certificates };
}

/** A consent whose validUntil has passed, with a token for it: the checks cannot wait for one to expire. */
function seedExpiredConsent(state: SandboxState, clientId: string, tokenLifetimeMs: number) {
  const psu = state.seed.psus[0];
  const accounts = new Set(state.accountsOf(psu?.id ?? '').map((a) => a.resourceId));
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const consentId = newId();
  state.consents.set(consentId, {
    id: consentId,
    clientId,
    request: {
      access: { allPsd2: 'allAccounts' },
      recurringIndicator: true,
      validUntil: yesterday,
      frequencyPerDay: 4,
      combinedServiceIndicator: false,
    },
    status: 'valid',
    psuId: psu?.id ?? '',
    granted: { accounts, balances: new Set(accounts), transactions: new Set(accounts) },
    lastActionDate: yesterday,
    usage: new Map(),
    authorisationIds: [],
  });
  const token = state.issueAccessToken(clientId, { consentId }, tokenLifetimeMs * 100);
  return { consentId, accessToken: token.token };
}
