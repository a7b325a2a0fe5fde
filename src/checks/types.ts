import type { Profile } from '../config/profile.ts';

export type Severity = 'blocker' | 'critical' | 'normal' | 'minor';
/**
 * How the reference states a rule. MUST: a MUST, SHALL, REQUIRED or a closed list of the reference.
 * SHOULD: a recommendation; a failure is reported as advisory and never makes a run non-conformant.
 */
export type Obligation = 'MUST' | 'SHOULD';
export type Tag = 'mandatory' | 'negative' | 'security';
export type Service =
  | 'Transport'
  | 'OAuth2'
  | 'SCA'
  | 'Consents'
  | 'Accounts'
  | 'Card accounts'
  | 'Payments'
  | 'Funds confirmation'
  | 'Errors'
  | 'Contract';

/** What a target may or may not offer; a check that requires what the profile lacks is skipped with the reason. */
export type Capability =
  | 'cardAccounts'
  | 'fundsConfirmation'
  | 'bankOfferedConsent'
  | 'refreshTokens'
  | 'pkce'
  | 'transactionPagination'
  | 'withBalance'
  | 'pendingTransactions'
  | 'paymentCancellation'
  | 'roleCertificates'
  | 'clientSecretBasic'
  | 'shortCodeLifetime'
  | 'otherTpp'
  | 'otherPsu'
  | 'expiredConsentFixture'
  | 'sepa-credit-transfers'
  | 'cross-border-credit-transfers'
  /** The profile does not list periodic-payments (or bulk-payments) among its paymentServices. */
  | 'withoutPeriodicPayments'
  | 'withoutBulkPayments';

/**
 * What a check's body uses beyond plain API calls. `consent`: the run's consent over all accounts,
 * approved once in the browser. `sca`: the check drives the browser SCA itself. Either makes it a
 * browser check; a partial run (credentials from elsewhere) still runs `consent` checks, not `sca` ones.
 * `accountsOnlyConsent`: a second consent of the run, approved once, that names the PSU's first account for
 * account access only (no balances, no transactions): the scope checks read under it.
 * `clientToken`: a client_credentials token of the token endpoint itself, not a token given for a
 * partial run (which stands in for it where the target has no token endpoint).
 * `authorizationEndpoint`: the check sends its own requests to the bank's authorization endpoint (the SCA
 * link of a new consent), without a browser; a partial run, whose consent was authorised elsewhere, skips it.
 */
export type Need = 'consent' | 'accountsOnlyConsent' | 'sca' | 'clientToken' | 'authorizationEndpoint';

/** Whether a check runs through the browser: it needs the run's consent or drives the SCA itself. */
export const throughBrowser = (needs: readonly Need[]) =>
  needs.includes('consent') || needs.includes('accountsOnlyConsent') || needs.includes('sca');

/** A check as its spec declares it, next to its logic. */
export interface CheckSpec {
  /** Stable, written out in full: searching for it finds this declaration. */
  id: string;
  /** One line, in the words of the rule's source. */
  title: string;
  /** Where the rule is written: BG IG 1.3 §…, an operationId, RFC 6749 §…, ETSI TS 119 495 §… */
  reference: string;
  severity: Severity;
  /** MUST unless given: see Obligation. */
  obligation?: Obligation;
  /** The operationIds the check is about; on a contract check, any violation of them fails it. */
  operations?: string[];
  tags?: Tag[];
  requires?: Capability[];
  needs?: Need[];
}

/** A check in the catalogue: its declaration with the service of its spec and where it is written. */
export interface Check {
  id: string;
  title: string;
  service: Service;
  reference: string;
  severity: Severity;
  obligation: Obligation;
  operations: string[];
  /** Its tags, and `browser` when it needs the browser (derived from `needs`). */
  tags: (Tag | 'browser')[];
  requires: Capability[];
  needs: Need[];
  /** The spec file (from the package root) and line of its declaration. */
  location: { file: string; line: number };
}

/** Why a check cannot run on a target with this profile and configuration, or undefined when it can. */
export function missingCapability(
  check: Pick<Check, 'requires'>,
  profile: Profile,
  extra: { otherTpp: boolean; otherPsu: boolean; expiredConsentFixture: boolean; roleCertificates: boolean },
): string | undefined {
  const c = profile.capabilities;
  const offered: Record<Capability, boolean> = {
    cardAccounts: c.cardAccounts,
    fundsConfirmation: c.fundsConfirmation,
    bankOfferedConsent: c.bankOfferedConsent,
    refreshTokens: c.refreshTokens,
    pkce: c.pkce,
    transactionPagination: c.transactionPagination,
    withBalance: c.withBalance,
    pendingTransactions: c.pendingTransactions,
    paymentCancellation: c.paymentCancellation,
    roleCertificates: c.roleCertificates && extra.roleCertificates,
    clientSecretBasic: c.clientAuthMethods.includes('client_secret_basic'),
    shortCodeLifetime: c.codeLifetimeSeconds <= 10,
    otherTpp: extra.otherTpp,
    otherPsu: extra.otherPsu,
    expiredConsentFixture: extra.expiredConsentFixture,
    'sepa-credit-transfers': c.paymentProducts.includes('sepa-credit-transfers'),
    'cross-border-credit-transfers': c.paymentProducts.includes('cross-border-credit-transfers'),
    withoutPeriodicPayments: !c.paymentServices.includes('periodic-payments'),
    withoutBulkPayments: !c.paymentServices.includes('bulk-payments'),
  };
  const missing = check.requires.find((need) => !offered[need]);
  if (missing === 'withoutPeriodicPayments' || missing === 'withoutBulkPayments')
    return `the target offers ${missing === 'withoutPeriodicPayments' ? 'periodic-payments' : 'bulk-payments'} (profile ${profile.name}, capabilities.paymentServices)`;
  if (missing) return `the target does not offer "${missing}" (profile ${profile.name} or configuration)`;
  return undefined;
}

/** The annotations that carry a check's declaration into --list, the reports and JUnit properties. */
export const CHECK_ANNOTATIONS = [
  'check',
  'reference',
  'severity',
  'obligation',
  'service',
  'operations',
  'requires',
  'needs',
];
