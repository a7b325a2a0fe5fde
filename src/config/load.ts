import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { UsageError } from '../errors.ts';
import { CONFIG_SCHEMA, ENV_OVERRIDES, TOOL_VARIABLES } from './schema.ts';

const addFormats = addFormatsModule.default;

export const DEFAULT_CONFIG_FILE = 'psd2-conformance.yaml';

export interface Config {
  /** The file read, if any. Relative paths in it are relative to its folder. */
  file: string | undefined;
  profile: string | undefined;
  target: { baseUrl?: string; tokenUrl?: string; authorizeUrl?: string; apiKey?: string };
  client: {
    clientId?: string;
    clientSecret?: string;
    redirectUri?: string;
    authMethod?: 'client_secret_post' | 'client_secret_basic';
    pkce?: boolean;
    scope?: string;
  };
  tls: {
    cert?: string;
    key?: string;
    pfx?: string;
    passphrase?: string;
    ca?: string;
    minVersion?: 'TLSv1.2' | 'TLSv1.3';
    certificates?: Record<string, { cert: string; key: string }>;
  };
  psu: { id?: string; password?: string };
  otherPsu: { id: string; password: string } | undefined;
  http: { timeoutMs: number; maxResponseBytes: number };
  browser: { executablePath?: string; headless?: boolean; stepTimeoutMs?: number };
  otherTpp: { clientId: string; clientSecret: string; cert: string; key: string } | undefined;
  fixtures: { expiredConsent?: { consentId: string; accessToken: string } };
  partial: { accessToken?: string; consentId?: string; noTokenEndpoint?: boolean };
  sandbox: { faults?: string[]; flavour?: 'berlin-group' | 'mypos' };
  waivers: string | undefined;
  reportsDir: string;
  /** A release gate: refuse to run against the embedded sandbox. */
  requireTarget: boolean;
}

export interface LoadConfigOptions {
  /** --config: must exist when given. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const explicit = options.file !== undefined;
  const file = path.resolve(cwd, options.file ?? DEFAULT_CONFIG_FILE);
  let raw: Record<string, unknown> = {};
  let usedFile: string | undefined;
  if (existsSync(file)) {
    raw = readYamlObject(file);
    usedFile = file;
  } else if (explicit) {
    throw new UsageError(`config file ${options.file} does not exist: check the --config path`);
  }
  checkVariables(env);
  const fromEnv = new Set<string>();
  for (const [variable, key] of Object.entries(ENV_OVERRIDES)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    setKey(raw, key, value);
    fromEnv.add(key);
  }
  validateShape(raw, usedFile, fromEnv);
  const baseDir = usedFile ? path.dirname(usedFile) : cwd;
  const config = raw as Partial<Config>;
  const tls = { ...(config.tls ?? {}) };
  for (const key of ['cert', 'key', 'pfx', 'ca'] as const) {
    if (tls[key]) tls[key] = path.resolve(fromEnv.has(`tls.${key}`) ? cwd : baseDir, tls[key]);
  }
  if (tls.certificates) {
    tls.certificates = Object.fromEntries(
      Object.entries(tls.certificates).map(([name, pair]) => [
        name,
        { cert: path.resolve(baseDir, pair.cert), key: path.resolve(baseDir, pair.key) },
      ]),
    );
  }
  return {
    file: usedFile,
    profile: config.profile,
    target: config.target ?? {},
    client: config.client ?? {},
    tls,
    psu: config.psu ?? {},
    otherPsu: config.otherPsu,
    http: { timeoutMs: 15_000, maxResponseBytes: 20 * 1024 * 1024, ...(config.http ?? {}) },
    browser: config.browser ?? {},
    otherTpp: config.otherTpp
      ? {
          ...config.otherTpp,
          cert: path.resolve(baseDir, config.otherTpp.cert),
          key: path.resolve(baseDir, config.otherTpp.key),
        }
      : undefined,
    fixtures: config.fixtures ?? {},
    partial: {
      ...(config.partial ?? {}),
      ...(env.PSD2_NO_TOKEN_ENDPOINT === '1' ? { noTokenEndpoint: true } : {}),
    },
    sandbox: config.sandbox ?? {},
    waivers: config.waivers ? path.resolve(baseDir, config.waivers) : undefined,
    reportsDir: path.resolve(baseDir, config.reportsDir ?? 'reports'),
    requireTarget: config.requireTarget ?? false,
  };
}

function readYamlObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`config file ${file} cannot be read: check its permissions`);
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new UsageError(`config file ${file} is not valid YAML: ${reason}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`config file ${file} must hold a mapping of keys (target:, client:, tls:, ...)`);
  }
  return value as Record<string, unknown>;
}

function setKey(target: Record<string, unknown>, dotted: string, value: string): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1) ?? dotted] = value;
}

let validator: ReturnType<Ajv['compile']> | undefined;

function validateShape(raw: Record<string, unknown>, file: string | undefined, fromEnv: Set<string>): void {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    addFormats(ajv);
    validator = ajv.compile(CONFIG_SCHEMA);
  }
  if (validator(raw)) return;
  // Every problem of the file at once, on one line: fixing one at a time costs a run each.
  const problems = [...new Set((validator.errors ?? []).map((e) => describeConfigError(e, file, fromEnv)))];
  if (problems.length === 1) throw new UsageError(problems[0] ?? '');
  if (problems.length > 1) throw new UsageError(`${problems.length} problems: ${problems.join('; ')}`);
}

function describeConfigError(error: ErrorObject, file: string | undefined, fromEnv: Set<string>): string {
  const key = error.instancePath.slice(1).replaceAll('/', '.');
  const source = (k: string) => {
    const variable = Object.entries(ENV_OVERRIDES).find(([, v]) => v === k)?.[0];
    if (fromEnv.has(k) && variable) return `environment variable ${variable}`;
    return `config key "${k}"${file ? ` in ${file}` : ''}`;
  };
  switch (error.keyword) {
    case 'additionalProperties': {
      const unknown = String(error.params.additionalProperty);
      const full = key ? `${key}.${unknown}` : unknown;
      const known = knownKeys(error.parentSchema);
      const hint = closest(unknown, known);
      return `unknown config key "${full}"${file ? ` in ${file}` : ''}: ${hint ? `did you mean "${hint}"?` : `known keys here are ${known.join(', ')}`}`;
    }
    case 'format':
      return `${source(key)} must be an absolute URL such as https://bank.example/psd2`;
    case 'enum':
      return `${source(key)} must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return `${source(key)} must be a ${error.params.type}`;
    case 'required':
      return `${source(key)} needs "${error.params.missingProperty}"`;
    default:
      return `${source(key)} ${error.message ?? 'is invalid'}`;
  }
}

/**
 * A PSD2_ variable the tool does not know is an error, not a silence: a misspelt PSD2_BASE_URL would
 * otherwise leave the target unset, and the run would test the embedded sandbox instead of the bank.
 */
export function checkVariables(env: NodeJS.ProcessEnv): void {
  const known = [...Object.keys(ENV_OVERRIDES), ...TOOL_VARIABLES];
  const unknown = Object.keys(env)
    .filter((name) => name.startsWith('PSD2_') && !known.includes(name))
    .sort();
  const first = unknown[0];
  if (first === undefined) return;
  const hint = closest(first, known);
  throw new UsageError(
    `unknown environment variable ${first}${unknown.length > 1 ? ` (and ${unknown.slice(1).join(', ')})` : ''}: ${hint ? `did you mean ${hint}?` : `the PSD2_ variables are ${Object.keys(ENV_OVERRIDES).join(', ')}`}`,
  );
}

function knownKeys(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties) : [];
}

function closest(word: string, candidates: string[]): string | undefined {
  const lower = word.toLowerCase();
  return (
    candidates.find((c) => c.toLowerCase() === lower) ??
    candidates.find((c) => distance(c.toLowerCase(), lower) <= 2)
  );
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}
