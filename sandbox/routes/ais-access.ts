import type { FastifyReply, FastifyRequest } from 'fastify';
import { type SandboxContext, today, type Xs2aRequest } from '../context.ts';
import { sendError } from '../errors.ts';
import type { SeedAccount } from '../seed.ts';
import type { AccessSelection, Consent } from '../state.ts';
import { refreshExpiry } from './consents.ts';
import { issuedFor } from './token-subject.ts';

type AccessKind = keyof AccessSelection;

/** Who may read what under which consent: shared by the Berlin Group routes and the myPOS flavour. */
export function aisAccess(ctx: SandboxContext) {
  const { faults } = ctx;
  const fail = (reply: FastifyReply, status: number, code: string | undefined, text: string, path?: string) =>
    sendError(reply, faults, status, code, text, { service: 'AIS', ...(path ? { path } : {}) });

  /** The consent of the Consent-ID header, checked for this TPP, this token, its status and its daily budget. */
  function consentFor(request: FastifyRequest, reply: FastifyReply): Consent | undefined {
    const xs2a = request.xs2a as Xs2aRequest;
    const subject = xs2a.token?.subject;
    const tokenConsent = subject && 'consentId' in subject ? subject.consentId : '';
    const consentId = String(
      request.headers['consent-id'] ?? (faults.has('consent-id-optional') ? tokenConsent : ''),
    );
    const consent = ctx.state.consents.get(consentId);
    if (!consent || (consent.clientId !== xs2a.token?.clientId && !faults.has('other-tpp-consent-served'))) {
      fail(reply, 403, 'CONSENT_UNKNOWN', `consent ${consentId} is not known for this TPP`);
      return undefined;
    }
    const tokenFits = subject !== undefined && issuedFor(ctx, subject, { consentId });
    const paymentToken = subject && 'paymentId' in subject;
    const excused =
      (paymentToken && faults.has('payment-token-on-ais')) ||
      (!subject && faults.has('client-credentials-token-on-ais'));
    if (!tokenFits && !excused) {
      fail(reply, 401, 'TOKEN_INVALID', 'the access token does not authorise this consent');
      return undefined;
    }
    refreshExpiry(consent);
    if (consent.status === 'expired' && !faults.has('expired-consent-served')) {
      fail(reply, 401, 'CONSENT_EXPIRED', `consent ${consentId} expired on ${consent.request.validUntil}`);
      return undefined;
    }
    const usable =
      consent.status === 'valid' ||
      consent.status === 'expired' ||
      (consent.status === 'terminatedByTpp' && faults.has('deleted-consent-served'));
    if (!usable || !consent.granted) {
      fail(reply, 401, 'CONSENT_INVALID', `consent ${consentId} is ${consent.status}`);
      return undefined;
    }
    const tppInitiated = request.headers['psu-ip-address'] === undefined || faults.has('psu-reads-counted');
    if (tppInitiated && !faults.has('frequency-not-enforced')) {
      const key = `${today()}|${xs2a.operation.operationId}|${JSON.stringify(request.params)}`;
      const used = (consent.usage.get(key) ?? 0) + 1;
      consent.usage.set(key, used);
      if (used > consent.request.frequencyPerDay) {
        fail(
          reply,
          429,
          'ACCESS_EXCEEDED',
          `more than ${consent.request.frequencyPerDay} TPP-initiated reads today`,
        );
        return undefined;
      }
    }
    consent.lastActionDate = today();
    return consent;
  }

  /** The account of the path, if it exists and the consent grants `kind` on it. */
  function accountFor(
    request: FastifyRequest,
    reply: FastifyReply,
    consent: Consent,
    kind: AccessKind,
    accountKind: SeedAccount['kind'],
  ): SeedAccount | undefined {
    const params = request.params as { accountId?: string; accountNumber?: string };
    const accountId = params.accountId ?? params.accountNumber ?? '';
    const account = ctx.state.accountsById.get(accountId);
    if (!account || account.kind !== accountKind) {
      if (faults.has(accountKind === 'card' ? 'unknown-card-500' : 'unknown-account-500')) {
        sendError(reply, faults, 500, undefined, 'internal error');
        return undefined;
      }
      fail(reply, 404, 'RESOURCE_UNKNOWN', `account ${accountId} is not known`);
      return undefined;
    }
    const granted =
      consent.granted?.[kind].has(accountId) ||
      ((kind === 'accounts' || faults.has('consent-scope-not-enforced')) && covered(consent, accountId));
    if (!granted && !faults.has('account-outside-consent-served')) {
      fail(reply, 401, 'CONSENT_INVALID', `the consent does not give ${kind} access to account ${accountId}`);
      return undefined;
    }
    return account;
  }

  return { consentFor, accountFor };
}

export function covered(consent: Consent, accountId: string): boolean {
  const g = consent.granted;
  return (
    g !== undefined &&
    (g.accounts.has(accountId) || g.balances.has(accountId) || g.transactions.has(accountId))
  );
}
