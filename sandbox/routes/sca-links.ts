import type { FastifyReply } from 'fastify';
import type { FaultView } from '../faults/switch.ts';

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

/** The 201 of a started authorisation sub-resource (BG IG 1.3 §7.1), for consents and payments alike. */
export function sendStartedAuthorisation(
  reply: FastifyReply,
  authorisationId: string,
  scaRedirect: string,
  scaStatus: string,
): FastifyReply {
  reply.header('aspsp-sca-approach', 'REDIRECT');
  return reply.code(201).send({
    scaStatus: 'received',
    authorisationId,
    _links: { scaRedirect: { href: scaRedirect }, scaStatus: { href: scaStatus } },
  });
}

/** The status of a created consent or payment: 201, or 200 under the create-answers-200 fault. */
export function createdStatus(faults: FaultView): 200 | 201 {
  return faults.has('create-answers-200') ? 200 : 201;
}
