/** The data the checks send: consents, payments and the PSU's address, the same in every run. */

export const PSU_IP = '192.168.8.78';

export function isoDay(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** A bank-offered consent as the myPOS quick start sends it: the PSU picks the accounts during SCA. */
export function consentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    access: { accounts: [], balances: [], transactions: [] },
    recurringIndicator: true,
    validUntil: isoDay(90),
    frequencyPerDay: 1000,
    combinedServiceIndicator: false,
    ...overrides,
  };
}

export const CREDITOR_IBAN = 'DE89370400440532013000';

export function paymentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    instructedAmount: { currency: 'EUR', amount: '12.34' },
    creditorAccount: { iban: CREDITOR_IBAN },
    creditorName: 'Recipient Name',
    remittanceInformationUnstructured: 'psd2-conformance check',
    ...overrides,
  };
}
