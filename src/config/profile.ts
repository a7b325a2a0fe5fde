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

/** How a profile's text names a configured value (${psu.id}), written so that it reads as text, not as a template. */
const placeholder = (name: string) => `$${'{'}${name}}`;

/** The profile file's schema: every key, what it holds (docs/profile.md is generated from it). Unknown keys are errors. */
export const PROFILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'contracts', 'capabilities', 'sca', 'deviations'],
  properties: {
    name: { type: 'string', description: "The profile's name, as reports show it." },
    flavour: {
      enum: ['berlin-group', 'mypos'],
      default: 'berlin-group',
      description:
        'The API flavour the plumbing speaks (consent and payment bodies, account ids, status paths); the checks keep testing the Berlin Group rule they name.',
    },
    baseline: {
      type: 'array',
      minItems: 1,
      items: { type: 'string' },
      description:
        "Contracts of the standard the profile deviates from: contract checks validate against these too, and a response that follows the profile's contracts but not these is a known deviation.",
    },
    description: { type: 'string', description: 'One line on the target, for the reports.' },
    contracts: {
      type: 'array',
      minItems: 1,
      items: { type: 'string' },
      description:
        'The OpenAPI files responses are validated against (openapi/xs2a.yaml, openapi/oauth2.yaml).',
    },
    capabilities: {
      type: 'object',
      additionalProperties: false,
      required: ['scaLink', 'paymentProducts'],
      description:
        'What the bank offers. A check that needs a capability the profile does not offer is skipped with that reason, never passed.',
      properties: {
        scaLink: {
          enum: ['scaRedirect', 'scaOAuth', 'authorizationUrl', 'authorizeEndpoint'],
          description:
            "Where SCA starts: the 201's _links.scaRedirect or _links.scaOAuth, a top-level authorizationUrl, or the OAuth2 authorization endpoint (target.authorizeUrl) with the consent or payment id.",
        },
        paymentProducts: {
          type: 'array',
          items: { type: 'string' },
          description: 'The payment products offered: sepa-credit-transfers, cross-border-credit-transfers.',
        },
        paymentServices: {
          type: 'array',
          items: { enum: ['payments', 'periodic-payments', 'bulk-payments'] },
          default: ['payments'],
          description: 'The payment services offered (Berlin Group paths).',
        },
        cardAccounts: { type: 'boolean', default: false, description: 'Card accounts (/v1/card-accounts).' },
        fundsConfirmation: {
          type: 'boolean',
          default: false,
          description: 'Funds confirmation (/v1/funds-confirmations).',
        },
        bankOfferedConsent: {
          type: 'boolean',
          default: false,
          description: 'Bank-offered consents (empty access lists).',
        },
        clientAuthMethods: {
          type: 'array',
          items: { enum: ['client_secret_post', 'client_secret_basic'] },
          default: ['client_secret_post'],
          description: 'How the token endpoint accepts client authentication.',
        },
        refreshTokens: {
          type: 'boolean',
          default: false,
          description: 'The token endpoint issues refresh tokens.',
        },
        pkce: {
          type: 'boolean',
          default: false,
          description: 'The authorization endpoint checks PKCE (S256).',
        },
        transactionPagination: {
          type: 'boolean',
          default: false,
          description: 'Transaction lists are paged (_links.next).',
        },
        withBalance: {
          type: 'boolean',
          default: false,
          description: 'withBalance=true adds balances (Berlin Group: "might be ignored by the ASPSP").',
        },
        pendingTransactions: {
          type: 'boolean',
          default: false,
          description: 'bookingStatus pending and both ("optional for the ASPSP").',
        },
        paymentCancellation: { type: 'boolean', default: false, description: 'DELETE of a payment.' },
        codeLifetimeSeconds: {
          type: 'integer',
          minimum: 1,
          default: 600,
          description:
            'How long an authorization code lives: the expired-code check waits that long and one second more.',
        },
        roleCertificates: {
          type: 'boolean',
          default: false,
          description:
            'The configuration names further certificates (tls.certificates) for the transport and role checks.',
        },
      },
    },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description:
        'Extra headers on every XS2A request; ' +
        placeholder('target.apiKey') +
        ' stands for the configured API key (the mypos profile sends API-Key).',
    },
    sca: {
      type: 'object',
      additionalProperties: false,
      required: ['steps', 'decisions'],
      description: "How the browser drives the PSU's pages (docs/sca-steps.md).",
      properties: {
        timeoutMs: {
          type: 'integer',
          minimum: 1000,
          default: 30000,
          description:
            'How long a flow may take, ms: once every step ran, the rest of it is waited for the redirect to the TPP.',
        },
        ignoreHttpsErrors: {
          type: 'boolean',
          default: false,
          description: "Accept the SCA pages' certificate unchecked (a sandbox with a test CA).",
        },
        allowedHosts: {
          type: 'array',
          items: { type: 'string' },
          description:
            "When set, the browser may visit only these hosts (and the redirect URI's) during SCA; any other fails the flow.",
        },
        steps: {
          type: 'array',
          description:
            'The steps in order. A step starts once its url and/or selector is there, then runs its actions; each wait is bounded by browser.stepTimeoutMs (config, default 10 s).',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'actions'],
            properties: {
              name: { type: 'string', description: "The step's name, as failures and sca-try show it." },
              url: {
                type: 'string',
                description:
                  'The step starts once the page URL contains this, or matches it written as /regex/.',
              },
              selector: {
                type: 'string',
                description: 'The step starts once this selector is visible (Playwright selector syntax).',
              },
              actions: {
                type: 'array',
                description: 'What the step does, in order: one verb per action.',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    fill: { type: 'string', description: 'Fill this field with value.' },
                    value: {
                      type: 'string',
                      description:
                        'The text for fill; ' +
                        placeholder('psu.id') +
                        ' and ' +
                        placeholder('psu.password') +
                        ' stand for the configured PSU.',
                    },
                    click: {
                      type: 'string',
                      description:
                        'Click the first match; ' +
                        placeholder('decision') +
                        ' stands for decisions.approve or decisions.decline.',
                    },
                    check: {
                      type: 'string',
                      description:
                        'Check every matching checkbox (radios: the first), or the first with select.',
                    },
                    select: {
                      type: 'string',
                      description:
                        'With check: all (default) or first; ' +
                        placeholder('accounts') +
                        ' lets the check choose.',
                    },
                    waitFor: { type: 'string', description: 'Wait until this selector is there.' },
                    press: { type: 'string', description: 'Press a key (Enter, Tab).' },
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
          description: `The selectors ${placeholder('decision')} stands for: the PSU's approve and decline buttons.`,
          properties: {
            approve: { type: 'string', description: 'The approve button.' },
            decline: { type: 'string', description: 'The decline button.' },
          },
        },
      },
    },
    deviations: {
      type: 'array',
      description:
        'Known deviations of this bank from Berlin Group: a failure of the check that matches explains is reported as a known deviation, not a non-conformance.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['check', 'reason', 'source'],
        properties: {
          check: { type: 'string', description: 'The check ID.' },
          reason: { type: 'string', description: 'What differs.' },
          source: { type: 'string', description: 'Where the bank documents it.' },
          explains: {
            type: 'string',
            minLength: 1,
            description:
              'A regular expression over the failure message and its last exchange: the deviation explains only a failure that matches.',
          },
        },
      },
    },
  },
} as const;

export const DEFAULT_CAPABILITIES: Profile['capabilities'] = {
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
