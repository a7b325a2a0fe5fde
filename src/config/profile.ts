import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { UsageError } from '../errors.ts';
import { PACKAGE_ROOT } from '../paths.ts';

export interface ScaAction {
  fill?: string;
  value?: string;
  click?: string;
  check?: string;
  /** With check: "all" (default) or "first". */
  select?: string;
  waitFor?: string;
  press?: string;
}

export interface ScaStep {
  name: string;
  /** The step runs once the page URL contains this (or matches it as /regex/) ... */
  url?: string;
  /** ... and/or this selector is on the page. */
  selector?: string;
  actions: ScaAction[];
}

export interface Deviation {
  check: string;
  reason: string;
  source: string;
  /**
   * What a failure the deviation explains looks like: a regular expression over the failure message
   * and its last exchange. A strict run names the deviation only on a failure that matches it.
   */
  explains?: string;
}

export interface Profile {
  name: string;
  description: string;
  file: string;
  contracts: string[];
  capabilities: {
    scaLink: 'scaRedirect' | 'scaOAuth' | 'authorizationUrl' | 'authorizeEndpoint';
    paymentProducts: string[];
    /** The payment services offered (Berlin Group paths): payments, periodic-payments, bulk-payments. */
    paymentServices: ('payments' | 'periodic-payments' | 'bulk-payments')[];
    cardAccounts: boolean;
    fundsConfirmation: boolean;
    bankOfferedConsent: boolean;
    clientAuthMethods: ('client_secret_post' | 'client_secret_basic')[];
    refreshTokens: boolean;
    pkce: boolean;
    transactionPagination: boolean;
    /** withBalance=true adds balances (Berlin Group: "This parameter might be ignored by the ASPSP"). */
    withBalance: boolean;
    /** bookingStatus pending and both (Berlin Group: "optional for the ASPSP"). */
    pendingTransactions: boolean;
    paymentCancellation: boolean;
    codeLifetimeSeconds: number;
    roleCertificates: boolean;
  };
  headers?: Record<string, string>;
  sca: {
    timeoutMs: number;
    ignoreHttpsErrors: boolean;
    /** When set, the browser may only visit these hosts (and the redirect URI's) during SCA. */
    allowedHosts?: string[];
    steps: ScaStep[];
    decisions: { approve: string; decline: string };
  };
  deviations: Deviation[];
  /**
   * The API flavour, the same choice as the sandbox's --flavour: the request and response shapes the
   * plumbing uses to reach the checks (consent and payment bodies, account ids, status paths),
   * berlin-group, or mypos for the API the myPOS pages document.
   * The checks themselves keep testing the Berlin Group rule they name.
   */
  flavour: 'berlin-group' | 'mypos';
  /**
   * Contracts of the standard the profile deviates from: contract checks also validate against these,
   * and a response that follows the profile's contracts but not these is a known deviation, not a pass.
   */
  baseline?: string[];
}

const PROFILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'contracts', 'capabilities', 'sca', 'deviations'],
  properties: {
    name: { type: 'string' },
    flavour: { enum: ['berlin-group', 'mypos'] },
    baseline: { type: 'array', minItems: 1, items: { type: 'string' } },
    description: { type: 'string' },
    contracts: { type: 'array', minItems: 1, items: { type: 'string' } },
    capabilities: {
      type: 'object',
      additionalProperties: false,
      required: ['scaLink', 'paymentProducts'],
      properties: {
        scaLink: { enum: ['scaRedirect', 'scaOAuth', 'authorizationUrl', 'authorizeEndpoint'] },
        paymentProducts: { type: 'array', items: { type: 'string' } },
        paymentServices: {
          type: 'array',
          items: { enum: ['payments', 'periodic-payments', 'bulk-payments'] },
        },
        cardAccounts: { type: 'boolean' },
        fundsConfirmation: { type: 'boolean' },
        bankOfferedConsent: { type: 'boolean' },
        clientAuthMethods: { type: 'array', items: { enum: ['client_secret_post', 'client_secret_basic'] } },
        refreshTokens: { type: 'boolean' },
        pkce: { type: 'boolean' },
        transactionPagination: { type: 'boolean' },
        withBalance: { type: 'boolean' },
        pendingTransactions: { type: 'boolean' },
        paymentCancellation: { type: 'boolean' },
        codeLifetimeSeconds: { type: 'integer', minimum: 1 },
        roleCertificates: { type: 'boolean' },
      },
    },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    sca: {
      type: 'object',
      additionalProperties: false,
      required: ['steps', 'decisions'],
      properties: {
        timeoutMs: { type: 'integer', minimum: 1000 },
        ignoreHttpsErrors: { type: 'boolean' },
        allowedHosts: { type: 'array', items: { type: 'string' } },
        steps: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'actions'],
            properties: {
              name: { type: 'string' },
              url: { type: 'string' },
              selector: { type: 'string' },
              actions: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    fill: { type: 'string' },
                    value: { type: 'string' },
                    click: { type: 'string' },
                    check: { type: 'string' },
                    select: { type: 'string' },
                    waitFor: { type: 'string' },
                    press: { type: 'string' },
                  },
                },
              },
            },
          },
        },
        decisions: {
          type: 'object',
          additionalProperties: false,
          required: ['approve', 'decline'],
          properties: { approve: { type: 'string' }, decline: { type: 'string' } },
        },
      },
    },
    deviations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['check', 'reason', 'source'],
        properties: {
          check: { type: 'string' },
          reason: { type: 'string' },
          source: { type: 'string' },
          explains: { type: 'string', minLength: 1 },
        },
      },
    },
  },
} as const;

const DEFAULT_CAPABILITIES: Profile['capabilities'] = {
  scaLink: 'scaRedirect',
  paymentProducts: [],
  paymentServices: ['payments'],
  cardAccounts: false,
  fundsConfirmation: false,
  bankOfferedConsent: false,
  clientAuthMethods: ['client_secret_post'],
  refreshTokens: false,
  pkce: false,
  transactionPagination: false,
  withBalance: false,
  pendingTransactions: false,
  paymentCancellation: false,
  codeLifetimeSeconds: 600,
  roleCertificates: false,
};

/** A profile by name (profiles/<name>.yaml) or by path. */
const loaded = new Map<string, Profile>();
let validateProfile: ReturnType<Ajv['compile']> | undefined;

/** A profile by name or path, read and checked once per process. */
export function loadProfile(nameOrPath: string): Profile {
  const file =
    nameOrPath.endsWith('.yaml') || nameOrPath.includes('/')
      ? path.resolve(nameOrPath)
      : path.join(PACKAGE_ROOT, 'profiles', `${nameOrPath}.yaml`);
  if (!existsSync(file)) {
    throw new UsageError(
      `profile "${nameOrPath}" not found: use sandbox, berlin-group, mypos or a path to a profile YAML`,
    );
  }
  const text = readFileSync(file, 'utf8');
  const cached = loaded.get(`${file}\n${text}`);
  if (cached) return cached;
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new UsageError(
      `profile ${file} is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : error}`,
    );
  }
  validateProfile ??= new Ajv({ allErrors: true, strict: false }).compile(PROFILE_SCHEMA);
  const validate = validateProfile;
  if (!validate(raw)) {
    const problems = [
      ...new Set(
        (validate.errors ?? []).map((e) => {
          const where = e.instancePath.slice(1).replaceAll('/', '.') || '(top)';
          const detail =
            e.keyword === 'additionalProperties'
              ? `unknown key "${e.params.additionalProperty}"${e.params.additionalProperty === 'dialect' ? ' (renamed flavour)' : ''}`
              : e.keyword === 'enum'
                ? `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`
                : e.message;
          return `${where}: ${detail}`;
        }),
      ),
    ];
    throw new UsageError(
      `profile ${file}: ${problems.length > 1 ? `${problems.length} problems: ` : ''}${problems.join('; ')}`,
    );
  }
  const profile = raw as Omit<Profile, 'file'>;
  for (const [i, d] of profile.deviations.entries()) {
    try {
      if (d.explains) new RegExp(d.explains);
    } catch (error) {
      throw new UsageError(
        `profile ${file}: deviations.${i}.explains: not a regular expression (${error instanceof Error ? error.message : error})`,
      );
    }
  }
  const result: Profile = {
    ...profile,
    description: profile.description ?? '',
    flavour: profile.flavour ?? 'berlin-group',
    file,
    capabilities: { ...DEFAULT_CAPABILITIES, ...profile.capabilities },
    sca: {
      ...profile.sca,
      timeoutMs: profile.sca.timeoutMs ?? 30_000,
      ignoreHttpsErrors: profile.sca.ignoreHttpsErrors ?? false,
    },
  };
  loaded.set(`${file}\n${text}`, result);
  return result;
}

/** A profile shipped in the package's profiles/ folder (sandbox, berlin-group, mypos), not a user's own. */
export function isBundledProfile(file: string): boolean {
  return path.dirname(path.resolve(file)) === path.join(PACKAGE_ROOT, 'profiles');
}

/**
 * How a report names a profile file without the machine's absolute paths: a bundled profile from the
 * package root (`profiles/mypos.yaml`), another from the folder the run was started in.
 */
export function portableProfilePath(file: string): string {
  const bundled = path.relative(PACKAGE_ROOT, file);
  return bundled.startsWith('..') || path.isAbsolute(bundled) ? path.relative(process.cwd(), file) : bundled;
}

/** The profile file a report names (see portableProfilePath). */
export function resolvePortableProfilePath(portable: string): string {
  const bundled = path.join(PACKAGE_ROOT, portable);
  return existsSync(bundled) ? bundled : path.resolve(portable);
}
