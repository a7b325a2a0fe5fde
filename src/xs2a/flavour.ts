import type { Profile } from '../config/profile.ts';

/**
 * The shapes the plumbing needs to reach a target's checks: what body creates a consent or a payment,
 * how an account is addressed, where a payment's status lives. Berlin Group 1.3 by default; the myPOS
 * pages document their own (shared reference mypos-api-notes.md). Checks still test their own rule:
 * the flavour only keeps one documented difference from failing every check that needs a consent.
 */
export interface Flavour {
  name: Profile['flavour'];
  /** The body of a consent the PSU completes on the SCA page, or undefined to send none. */
  consentBody(base: Record<string, unknown>): Record<string, unknown> | undefined;
  /** A payment of `amount` to the test creditor, given the creditor id a target may need. */
  paymentBody(amount: string, creditorId: number | undefined): Record<string, unknown>;
  /** Whether payments need a stored beneficiary's id (GET /v1/payments/stored-beneficiaries). */
  needsBeneficiary: boolean;
  paymentUrl(product: string, paymentId: string): string;
  paymentStatusUrl(product: string, paymentId: string): string;
  /** The payment status out of a payment, status or initiation response. */
  paymentStatus(body: Record<string, unknown>): unknown;
  /** The id an account (or card account) is addressed by in paths. */
  accountId(account: Record<string, unknown>): string;
  /** A consent status, lower-cased where the flavour capitalises it, for checks about something else. */
  consentStatus(status: unknown): unknown;
}

const BERLIN_GROUP: Flavour = {
  name: 'berlin-group',
  consentBody: (base) => base,
  paymentBody: (amount) => ({
    instructedAmount: { currency: 'EUR', amount },
    creditorAccount: { iban: 'DE89370400440532013000' },
    creditorName: 'Recipient Name',
    remittanceInformationUnstructured: 'psd2-conformance check',
  }),
  needsBeneficiary: false,
  paymentUrl: (product, id) => `/v1/payments/${product}/${encodeURIComponent(id)}`,
  paymentStatusUrl: (product, id) => `/v1/payments/${product}/${encodeURIComponent(id)}/status`,
  paymentStatus: (body) => body.transactionStatus,
  // Falls back to another documented id, so that a missing resourceId fails ACC-002 and not every read.
  accountId: (account) => String(account.resourceId ?? account.accountNumber ?? ''),
  consentStatus: (status) => status,
};

const MYPOS: Flavour = {
  name: 'mypos',
  // create-consent (page 38): "Request body: No request body".
  consentBody: () => undefined,
  // create-payment (page 32): numeric amount, instructedCurrency, a stored beneficiary's creditorId.
  paymentBody: (amount, creditorId) => ({
    instructedAmount: Number(amount),
    instructedCurrency: 'EUR',
    creditorId,
    paymentReason: 'psd2-conformance check',
  }),
  needsBeneficiary: true,
  paymentUrl: (_product, id) => `/v1/payments/${encodeURIComponent(id)}`,
  // get-payment-status (page 33): no payment product in the path.
  paymentStatusUrl: (_product, id) => `/v1/payments/${encodeURIComponent(id)}/status`,
  paymentStatus: (body) => body.paymentStatus,
  // read-account-list (page 18): accounts are addressed by accountNumber.
  accountId: (account) => String(account.accountNumber ?? account.resourceId ?? ''),
  consentStatus: (status) =>
    typeof status === 'string' ? status.charAt(0).toLowerCase() + status.slice(1) : status,
};

export function flavourOf(profile: Pick<Profile, 'flavour'>): Flavour {
  return profile.flavour === 'mypos' ? MYPOS : BERLIN_GROUP;
}
