import { readFileSync } from 'node:fs';
import type { Config } from '../config/load.ts';

/** Everything a worker needs to reach the target, handed over from global setup in a private file. */
export interface RunSettings {
  embedded: boolean;
  profile: string;
  target: {
    baseUrl: string;
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
  /** Set for a partial run: why it is not a full conformance result. */
  partial?: {
    reason: string;
    accessToken?: string | undefined;
    consentId?: string | undefined;
    noMtls: boolean;
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
