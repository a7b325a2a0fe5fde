import { readFileSync } from 'node:fs';
import type { Config } from '../config/load.ts';

/** Everything a worker needs to reach the target, handed over from global setup in a private file. */
export interface RunSettings {
  embedded: boolean;
  profile: string;
  target: {
    baseUrl: string;
    /** Empty in a partial run without a token endpoint. */
    tokenUrl: string;
    authorizeUrl?: string | undefined;
    apiKey?: string | undefined;
  };
  client: {
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    authMethod: 'client_secret_post' | 'client_secret_basic';
    pkce: boolean;
    scope?: string | undefined;
  };
  tls: Config['tls'];
  psu: { id: string; password: string };
  otherTpp: Config['otherTpp'];
  fixtures: Config['fixtures'];
  http: Config['http'];
  browser: { executablePath: string | undefined; headless: boolean };
  faults: string[];
  /** The TPPs the embedded sandbox registered with faults of their own (the fault matrix), by name. */
  tpps?: Record<string, TppOverride>;
  /** Set for a partial run: why it is not a full conformance result. */
  partial?: {
    reason: string;
    accessToken?: string | undefined;
    consentId?: string | undefined;
    noMtls: boolean;
    /** No token endpoint to test: the given access token stands in for client_credentials. */
    noTokenEndpoint: boolean;
  };
}

/** What differs for a TPP the embedded sandbox registered with faults of its own. */
export interface TppOverride {
  target: { baseUrl: string; tokenUrl: string };
  client: { clientId: string; clientSecret: string };
  tls: { cert: string; key: string; certificates: Record<string, { cert: string; key: string }> };
  otherTpp: NonNullable<Config['otherTpp']>;
  fixtures: Config['fixtures'];
  faults: string[];
}

/** The settings of one registered TPP: the run's, with what differs for it. */
export function settingsOfTpp(settings: RunSettings, tpp: string): RunSettings {
  const own = settings.tpps?.[tpp];
  if (!own) throw new Error(`the run has no registered TPP ${tpp}`);
  const { tpps: _all, ...shared } = settings;
  return {
    ...shared,
    target: { ...settings.target, ...own.target },
    client: { ...settings.client, ...own.client },
    tls: { ...settings.tls, ...own.tls },
    otherTpp: own.otherTpp,
    fixtures: own.fixtures,
    faults: own.faults,
  };
}

export const RUN_FILE_ENV = 'PSD2C_RUN_FILE';

let cached: RunSettings | undefined;

export function readRunSettings(): RunSettings {
  if (cached) return cached;
  const file = process.env[RUN_FILE_ENV];
  if (!file)
    throw new Error(
      `${RUN_FILE_ENV} is not set: run the suite with "psd2-conformance run" or "npx playwright test"`,
    );
  cached = JSON.parse(readFileSync(file, 'utf8')) as RunSettings;
  return cached;
}
