import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadContract } from '../src/contract/load-contract.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';
import { ensureTestPki, type TestPki } from '../src/pki/test-pki.ts';
import { buildApiApp } from './api-app.ts';
import { type SandboxContext, type SandboxFlavour, TppRecorder } from './context.ts';
import { type FaultId, FaultSwitch } from './faults.ts';
import { buildPsuApp } from './psu-app.ts';
import { createSeed } from './seed.ts';
import { newId, SandboxState, secret, type TppClient } from './state.ts';

export interface SandboxStartOptions {
  host?: string;
  /** 0 picks a free port. The PSU pages listen on a port of their own. */
  port?: number;
  psuPort?: number;
  faults?: FaultId[];
  seed?: number;
  cacheDir?: string;
  tokenLifetimeSeconds?: number;
  codeLifetimeSeconds?: number;
  pageSize?: number;
  /** berlin-group (default) or mypos: the API the sandbox answers as. */
  flavour?: SandboxFlavour;
}

export const SANDBOX_FLAVOURS: readonly SandboxFlavour[] = ['berlin-group', 'mypos'];

/** The printed, ready-to-use client configuration. */
export interface SandboxClientConfig {
  baseUrl: string;
  tokenUrl: string;
  authorizeUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  ca: string;
  cert: string;
  key: string;
  certificates: Record<string, { cert: string; key: string }>;
  psus: { id: string; password: string }[];
  otherTpp: { clientId: string; clientSecret: string; cert: string; key: string };
  fixtures: { expiredConsent: { consentId: string; accessToken: string } };
  faults: string[];
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
  const faults = new FaultSwitch(options.faults ?? []);
  const pki = await ensureTestPki(options.cacheDir ?? process.env.PSD2_SANDBOX_CACHE ?? DEFAULT_CACHE_DIR);
  const seedNumber = options.seed ?? 1;
  const seed = createSeed(seedNumber);
  const clients: TppClient[] = [
    {
      clientId: 'conformance-tpp',
      clientSecret: secret(),
      redirectUris: [],
      organizationId: 'PSDBG-BNB-1000001',
    },
    { clientId: 'other-tpp', clientSecret: secret(), redirectUris: [], organizationId: 'PSDBG-BNB-1000009' },
  ];
  const state = new SandboxState(seed, clients);
  const flavour = options.flavour ?? 'berlin-group';
  const contract = loadContract(
    flavour === 'mypos' ? ['openapi/mypos/xs2a-mypos.yaml', 'openapi/oauth2.yaml'] : undefined,
  );
  const apiKey = flavour === 'mypos' ? secret() : undefined;
  const serverKey = readFileSync(pki.server.key);
  const serverCert = readFileSync(pki.server.cert);
  const legacyTls = faults.has('tls-legacy-accepted');
  const ca = [readFileSync(pki.ca)];
  if (faults.has('client-cert-untrusted-accepted')) ca.push(readFileSync(pki.untrustedCa));
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
  const psuApp = buildPsuApp(context, { key: serverKey, cert: serverCert });
  const apiApp = buildApiApp(context, {
    key: serverKey,
    cert: serverCert,
    ca,
    requestCert: true,
    // Under these faults the handshake lets bad certificates through and the app decides (see api-app).
    rejectUnauthorized: !faults.has('client-cert-optional') && !faults.has('client-cert-expired-accepted'),
    minVersion: legacyTls ? 'TLSv1' : faults.has('tls12-refused') ? 'TLSv1.3' : 'TLSv1.2',
    ...(legacyTls ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
  });
  try {
    await psuApp.listen({ host, port: options.psuPort ?? 0 });
    await apiApp.listen({ host, port: options.port ?? 0 });
  } catch (error) {
    await Promise.allSettled([psuApp.close(), apiApp.close()]);
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const apiPort = (apiApp.server.address() as AddressInfo).port;
  const psuPort = (psuApp.server.address() as AddressInfo).port;
  context.options.apiBaseUrl = `https://${urlHost}:${apiPort}`;
  context.options.psuBaseUrl = `https://${urlHost}:${psuPort}`;
  const redirectUri = `${context.options.psuBaseUrl}/tpp/callback`;
  for (const client of clients) client.redirectUris.push(redirectUri);
  const [main, other] = clients as [TppClient, TppClient];
  const expiredConsent = seedExpiredConsent(state, main.clientId, context.options.tokenLifetimeMs);
  const certificates = Object.fromEntries(Object.entries(pki.clients));
  const config: SandboxClientConfig = {
    baseUrl: context.options.apiBaseUrl,
    tokenUrl: `${context.options.apiBaseUrl}/oauth/token`,
    authorizeUrl: `${context.options.psuBaseUrl}/oauth/authorize`,
    clientId: main.clientId,
    clientSecret: main.clientSecret,
    redirectUri,
    ca: pki.ca,
    cert: pki.clients.allRoles.cert,
    key: pki.clients.allRoles.key,
    certificates,
    psus: seed.psus.map((p) => ({ id: p.id, password: p.password })),
    otherTpp: { clientId: other.clientId, clientSecret: other.clientSecret, ...pki.clients.otherTpp },
    fixtures: { expiredConsent },
    faults: faults.list(),
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
      await Promise.allSettled([apiApp.close(), psuApp.close()]);
    },
  };
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
