import type { SandboxContext } from '../context.ts';
import type { AuthorizationRequest } from '../state.ts';

/**
 * Whether a PSU's access token was issued for this consent or payment: it answers for what the PSU
 * authorised and nothing else, unless a fault unbinds the tokens of that kind from their resource.
 */
export function issuedFor(
  ctx: SandboxContext,
  subject: AuthorizationRequest['subject'],
  target: { consentId: string } | { paymentId: string },
): boolean {
  if ('consentId' in target) {
    return (
      'consentId' in subject &&
      (subject.consentId === target.consentId || ctx.faults.has('consent-token-not-bound'))
    );
  }
  return (
    'paymentId' in subject &&
    (subject.paymentId === target.paymentId || ctx.faults.has('payment-token-not-bound'))
  );
}
