/**
 * The link the PSU's browser opens to authorise a consent or payment: the sandbox's OAuth2
 * authorization endpoint with the request prefilled. The TPP adds its own state (and PKCE challenge).
 */
export function scaRedirectHref(
  psuBaseUrl: string,
  clientId: string,
  redirectUri: string,
  subject: { consent_id: string } | { payment_id: string },
): string {
  const url = new URL('/oauth/authorize', psuBaseUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  for (const [key, value] of Object.entries(subject)) url.searchParams.set(key, value);
  return url.toString();
}
