import { parseFaults } from '../../sandbox/faults/switch.ts';
import type { Config } from '../config/load.ts';
import { loadProfile, type Profile } from '../config/profile.ts';
import { loadTlsMaterial } from '../config/tls-material.ts';
import { UsageError } from '../errors.ts';
import type { Summary } from '../report/summary.ts';
import { loadWaivers } from '../report/waivers.ts';
import { findBrowser } from '../sca/browser.ts';
import type { RunPlan, RunSettings } from './settings.ts';

/** What chooses the run besides the config file: the CLI's flags, or the variables of a direct Playwright run. */
export interface RunChoices {
  profile?: string | undefined;
  faults?: string | undefined;
  waivers?: string | undefined;
  headed?: boolean;
  selection?: Summary['selection'];
  /** Finds the browser; the CLI installs one first where it may. */
  browser?: (config: Config, headed: boolean) => RunSettings['browser'];
}

/**
 * Resolves the run once: the profile, the faults, the waivers, the browser and, for a configured target,
 * every setting the workers need. Anything wrong is a usage error naming its key, before a test starts.
 */
export function resolveRunPlan(config: Config, choices: RunChoices = {}): RunPlan {
  const embedded = !config.target.baseUrl;
  const profile = loadProfile(choices.profile ?? config.profile ?? (embedded ? 'sandbox' : 'berlin-group'));
  const faults = parseFaults(choices.faults ?? config.sandbox.faults?.join(','));
  if (faults.unknown.length)
    throw new UsageError(`unknown fault ${faults.unknown.join(', ')}: see docs/faults.md`);
  if ((faults.ids.length || Object.keys(faults.scoped).length) && !embedded)
    throw new UsageError('--faults applies to the embedded sandbox only: remove target.baseUrl');
  const waivers = choices.waivers ?? config.waivers;
  loadWaivers(waivers);
  const headed = choices.headed ?? false;
  const browser = (choices.browser ?? browserSettings)(config, headed);
  const target = embedded ? undefined : settingsForTarget(config, profile, browser);
  if (target) loadTlsMaterial(config.tls);
  return {
    profile,
    ...(target ? { target } : {}),
    sandbox: {
      // The mypos profile is checked against the sandbox answering as myPOS documents its API.
      flavour: config.sandbox.flavour ?? profile.flavour,
      faults: faults.ids,
      scoped: faults.scoped,
    },
    http: config.http,
    browser,
    ...(waivers ? { waivers } : {}),
    selection: choices.selection ?? {},
  };
}

/** The settings for a configured (not embedded) target; every missing piece is a usage error naming its key. */
function settingsForTarget(config: Config, profile: Profile, browser: RunSettings['browser']): RunSettings {
  const need = (value: string | undefined, key: string, env: string): string => {
    if (!value) throw new UsageError(`${key} is not set: give it in the config file or as ${env}`);
    return value;
  };
  const baseUrl = need(config.target.baseUrl, 'target.baseUrl', 'PSD2_BASE_URL');
  const partial = partialRun(config);
  // A partial run may lack what only the browser flows need.
  const optional = (value: string | undefined, key: string, env: string) =>
    partial?.accessToken ? (value ?? '') : need(value, key, env);
  return {
    embedded: false,
    profile,
    target: {
      baseUrl,
      tokenUrl: partial?.noTokenEndpoint
        ? ''
        : need(config.target.tokenUrl, 'target.tokenUrl', 'PSD2_TOKEN_URL'),
      authorizeUrl: config.target.authorizeUrl,
      apiKey: config.target.apiKey,
    },
    client: {
      clientId: optional(config.client.clientId, 'client.clientId', 'PSD2_CLIENT_ID'),
      clientSecret: optional(config.client.clientSecret, 'client.clientSecret', 'PSD2_CLIENT_SECRET'),
      redirectUri: optional(config.client.redirectUri, 'client.redirectUri', 'PSD2_REDIRECT_URI'),
      authMethod: config.client.authMethod ?? 'client_secret_post',
      pkce: config.client.pkce ?? false,
      scope: config.client.scope,
    },
    tls: config.tls,
    psu: {
      id: optional(config.psu.id, 'psu.id', 'PSD2_PSU_ID'),
      password: optional(config.psu.password, 'psu.password', 'PSD2_PSU_PASSWORD'),
    },
    otherPsu: config.otherPsu,
    otherTpp: config.otherTpp,
    fixtures: config.fixtures,
    http: config.http,
    browser,
    faults: [],
    ...(partial ? { partial } : {}),
  };
}

/** A run that cannot be a full conformance result: credentials from elsewhere, or no client certificate. */
export function partialRun(config: Config): RunSettings['partial'] {
  const noMtls = !config.tls.cert && !config.tls.pfx;
  const { accessToken, consentId } = config.partial;
  if (accessToken && !consentId)
    throw new UsageError('partial.accessToken needs partial.consentId (PSD2_CONSENT_ID) too');
  if (config.partial.noTokenEndpoint && !accessToken)
    throw new UsageError(
      'partial.noTokenEndpoint needs an access token (--access-token or PSD2_ACCESS_TOKEN) to stand in for client_credentials',
    );
  if (!accessToken && !noMtls) return undefined;
  // With a token given, a token endpoint left out is one the target does not have.
  const noTokenEndpoint = Boolean(accessToken && (config.partial.noTokenEndpoint || !config.target.tokenUrl));
  const reasons = [
    ...(accessToken
      ? ['an access token and consent obtained elsewhere: checks that need the browser are skipped']
      : []),
    ...(noTokenEndpoint
      ? [
          'no token endpoint: the given access token stands in for client_credentials, and the token endpoint checks are skipped',
        ]
      : []),
    ...(noMtls ? ['no client certificate (a target without mTLS): transport checks are skipped'] : []),
  ];
  return { reason: reasons.join('; '), accessToken, consentId, noMtls, noTokenEndpoint };
}

export function browserSettings(config: Config, headed: boolean): RunSettings['browser'] {
  const headless = headed ? false : (config.browser.headless ?? true);
  const choice = findBrowser(config.browser.executablePath, { headless });
  if (!choice) {
    throw new UsageError(
      config.browser.executablePath || process.env.PSD2_BROWSER
        ? `browser ${config.browser.executablePath ?? process.env.PSD2_BROWSER} does not exist: fix browser.executablePath or PSD2_BROWSER`
        : 'no Chromium found: install one (Debian: apt-get install -y chromium) or set browser.executablePath',
    );
  }
  return {
    executablePath: choice.executablePath,
    headless,
    ...(config.browser.stepTimeoutMs ? { stepTimeoutMs: config.browser.stepTimeoutMs } : {}),
  };
}
