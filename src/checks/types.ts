import type { Profile } from '../config/profile.ts';

export type Severity = 'blocker' | 'critical' | 'normal' | 'minor';
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
  | 'paymentCancellation'
  | 'roleCertificates'
  | 'clientSecretBasic'
  | 'shortCodeLifetime'
  | 'otherTpp'
  | 'expiredConsentFixture'
  | 'sepa-credit-transfers'
  | 'cross-border-credit-transfers';

/**
 * What a check's body uses beyond plain API calls. `consent`: the run's consent over all accounts,
 * approved once in the browser. `sca`: the check drives the browser SCA itself. Either makes it a
 * browser check; a partial run (credentials from elsewhere) still runs `consent` checks, not `sca` ones.
 */
export type Need = 'consent' | 'sca';

/** A check as its spec declares it, next to its logic. */
export interface CheckSpec {
  /** Stable, written out in full: searching for it finds this declaration. */
  id: string;
  /** One line, in the words of the rule's source. */
  title: string;
  /** Where the rule is written: BG IG 1.3 §…, an operationId, RFC 6749 §…, ETSI TS 119 495 §… */
  reference: string;
  severity: Severity;
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
  extra: { otherTpp: boolean; expiredConsentFixture: boolean; roleCertificates: boolean },
): string | undefined {
  const c = profile.capabilities;
  const offered: Record<Capability, boolean> = {
    cardAccounts: c.cardAccounts,
    fundsConfirmation: c.fundsConfirmation,
    bankOfferedConsent: c.bankOfferedConsent,
    refreshTokens: c.refreshTokens,
    pkce: c.pkce,
    transactionPagination: c.transactionPagination,
    paymentCancellation: c.paymentCancellation,
    roleCertificates: c.roleCertificates && extra.roleCertificates,
    clientSecretBasic: c.clientAuthMethods.includes('client_secret_basic'),
    shortCodeLifetime: c.codeLifetimeSeconds <= 10,
    otherTpp: extra.otherTpp,
    expiredConsentFixture: extra.expiredConsentFixture,
    'sepa-credit-transfers': c.paymentProducts.includes('sepa-credit-transfers'),
    'cross-border-credit-transfers': c.paymentProducts.includes('cross-border-credit-transfers'),
  };
  const missing = check.requires.find((need) => !offered[need]);
  if (missing) return `the target does not offer "${missing}" (profile ${profile.name} or configuration)`;
  return undefined;
}
