import { readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '../config/load.ts';
import type { Profile } from '../config/profile.ts';
import type { Summary } from '../report/summary.ts';

/** Everything a worker needs to reach the target, handed over from global setup in a private file. */
export interface RunSettings {
  embedded: boolean;
  /** The profile, read and checked once by whoever resolved the run. */
  profile: Profile;
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
  /** A second PSU of the target, when the configuration names one. */
  otherPsu?: { id: string; password: string } | undefined;
  otherTpp: Config['otherTpp'];
  fixtures: Config['fixtures'];
  http: Config['http'];
  browser: {
    executablePath: string | undefined;
    headless: boolean;
    /** How long one SCA step may wait for its URL, selector or action (browser.stepTimeoutMs). */
    stepTimeoutMs?: number | undefined;
  };
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

/**
 * What the CLI (or global setup, when Playwright is started directly) resolved from its flags, the
 * environment and the config file: the config is read once per run, and every later stage reads this.
 */
export interface RunPlan {
  profile: Profile;
  /** The configured target, resolved; undefined when the embedded sandbox is to be started. */
  target?: RunSettings;
  sandbox: {
    flavour: Profile['flavour'];
    faults: string[];
    /** Faults the sandbox switches on for one named TPP only. */
    scoped: Record<string, string[]>;
  };
  http: Config['http'];
  browser: RunSettings['browser'];
  waivers?: string;
  selection: Summary['selection'];
}

/** What the summary reporter says of the run. */
export interface ReportContext {
  target: string;
  profile: Pick<Profile, 'name' | 'deviations'> & { file?: string };
  embedded: boolean;
  partial?: string;
  waivers?: string;
  selection: Summary['selection'];
}

/** The run's one private file: the plan, then the settings the workers read and what the reporter reads. */
export interface RunFile {
  plan?: RunPlan;
  settings?: RunSettings;
  report?: ReportContext;
}

export const RUN_FILE_ENV = 'PSD2C_RUN_FILE';

export function writeRunFile(file: string, content: RunFile): void {
  writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
}

export function readRunFile(): RunFile {
  const file = process.env[RUN_FILE_ENV];
  if (!file)
    throw new Error(
      `${RUN_FILE_ENV} is not set: run the suite with "psd2-conformance run" or "npx playwright test"`,
    );
  return JSON.parse(readFileSync(file, 'utf8')) as RunFile;
}

let cached: RunSettings | undefined;

/** The settings global setup wrote for the workers. */
export function readRunSettings(): RunSettings {
  if (cached) return cached;
  const settings = readRunFile().settings;
  if (!settings)
    throw new Error(`the run file ${process.env[RUN_FILE_ENV]} holds no settings: global setup did not run`);
  cached = settings;
  return cached;
}
