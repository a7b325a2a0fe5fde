/**
 * myPOS's scaOAuth link opens the PSU's consent page by the consent (or payment) id alone
 * (create-consent page 38: "https://www.mypos.com?open_bank_consent_id={id}"); the sandbox's PSU
 * server answers it by starting its OAuth2 authorization with what the TPP sent at creation.
 */
export function scaOAuthHref(
  psuBaseUrl: string,
  subject: { consentId: string } | { paymentId: string },
): string {
  const url = new URL('/', psuBaseUrl);
  if ('consentId' in subject) url.searchParams.set('open_bank_consent_id', subject.consentId);
  else url.searchParams.set('open_bank_payment_id', subject.paymentId);
  return url.toString();
}

/** Capitalised as the myPOS examples write consent statuses ("Received", "Valid"). */
export function capitalised(status: string): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}
