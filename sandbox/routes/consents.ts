import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type SandboxContext, today, type Xs2aRequest } from '../context.ts';
import { sendError } from '../errors.ts';
import type { FaultId } from '../faults/index.ts';
import type { Consent } from '../state.ts';
import { newId } from '../state.ts';
import { createdStatus, scaRedirectHref, sendStartedAuthorisation } from './sca-links.ts';
import { issuedFor } from './token-subject.ts';

/** Consent status as the sandbox writes it (the capitalised variant is a fault). */
export function consentStatusOut(ctx: SandboxContext, consent: Consent): string {
  refreshExpiry(consent);
  const status = consent.status;
  return ctx.faults.has('consent-status-capitalised')
    ? status.charAt(0).toUpperCase() + status.slice(1)
    : status;
}

export function refreshExpiry(consent: Consent): void {
  if (consent.status === 'valid' && consent.request.validUntil < today()) consent.status = 'expired';
}

/** The consent addressed by the path, if the calling TPP may see it; otherwise the error is sent. */
export function ownConsent(
  ctx: SandboxContext,
  request: FastifyRequest,
  reply: FastifyReply,
  consentId: string,
  /** A fault that lets another TPP through on this route only. */
  otherTppServedBy?: FaultId,
): Consent | undefined {
  const xs2a = request.xs2a as Xs2aRequest;
  const consent = ctx.state.consents.get(consentId);
  const mine =
    consent &&
    (consent.clientId === xs2a.token?.clientId ||
      (otherTppServedBy !== undefined && ctx.faults.has(otherTppServedBy)));
  if (!consent && ctx.faults.has('unknown-consent-500')) {
    sendError(reply, ctx.faults, 500, undefined, 'internal error');
    return undefined;
  }
  if (!consent || (!mine && !ctx.faults.has('other-tpp-consent-served'))) {
    sendError(reply, ctx.faults, 403, 'CONSENT_UNKNOWN', `consent ${consentId} is not known for this TPP`, {
      service: 'AIS',
    });
    return undefined;
  }
  const subject = xs2a.token?.subject;
  if (subject && !issuedFor(ctx, subject, { consentId })) {
    sendError(
      reply,
      ctx.faults,
      401,
      'TOKEN_INVALID',
      'the access token was issued for another consent or payment',
      {
        service: 'AIS',
      },
    );
    return undefined;
  }
  return consent;
}

export function registerConsentRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { state, faults, options } = ctx;
  /** The consent the path names, if the calling TPP may see it (see ownConsent). */
  const pathConsent = (request: FastifyRequest, reply: FastifyReply, otherTppServedBy?: FaultId) =>
    ownConsent(ctx, request, reply, (request.params as { consentId: string }).consentId, otherTppServedBy);

  app.post('/v1/consents', async (request, reply) => {
    const xs2a = request.xs2a as Xs2aRequest;
    const body = withDefaults(ctx, xs2a.body as Consent['request']);
    if (faults.has('unknown-consent-field-500') && Object.keys(body.access).some((k) => !ACCESS_KEYS.has(k)))
      return sendError(reply, faults, 500, undefined, 'internal error');
    if (faults.has('far-valid-until-refused') && body.validUntil > isoDay(180)) {
      return sendError(reply, faults, 400, 'FORMAT_ERROR', 'validUntil lies more than 180 days ahead', {
        path: 'validUntil',
        service: 'AIS',
      });
    }
    if (body.validUntil < today() && !faults.has('past-valid-until-accepted')) {
      return sendError(reply, faults, 400, 'FORMAT_ERROR', 'validUntil lies in the past', {
        path: 'validUntil',
        service: 'AIS',
      });
    }
    const redirect = redirectUriFor(ctx, request, xs2a.token?.clientId ?? '');
    const explicitStart = request.headers['tpp-explicit-authorisation-preferred'] === 'true';
    if (request.headers['tpp-nok-redirect-uri'] !== undefined && faults.has('nok-redirect-uri-refused')) {
      return sendError(reply, faults, 400, 'FORMAT_ERROR', 'TPP-Nok-Redirect-URI is not a supported header', {
        path: 'TPP-Nok-Redirect-URI',
        service: 'AIS',
      });
    }
    if (!redirect) {
      return sendError(
        reply,
        faults,
        400,
        'FORMAT_ERROR',
        'TPP-Redirect-URI is not registered for this TPP',
        {
          path: 'TPP-Redirect-URI',
          service: 'AIS',
        },
      );
    }
    // Berlin Group: "For a one-off access, this attribute is set to 1". The sandbox sets it, or refuses the
    // request as a bank may choose to.
    const oneOff = body.recurringIndicator === false && !faults.has('one-off-frequency-kept');
    if (oneOff && Number(body.frequencyPerDay) > 1 && faults.has('one-off-frequency-refused')) {
      return sendError(reply, faults, 400, 'FORMAT_ERROR', 'a one-off consent has frequencyPerDay 1', {
        path: 'frequencyPerDay',
        service: 'AIS',
      });
    }
    const consent: Consent = {
      id: newId(),
      clientId: xs2a.token?.clientId ?? '',
      request: oneOff ? { ...body, frequencyPerDay: 1 } : body,
      status: 'received',
      lastActionDate: today(),
      usage: new Map(),
      // A TPP that prefers to start the authorisation itself gets a startAuthorisation link instead.
      authorisationIds: explicitStart ? [] : [newId()],
    };
    state.consents.set(consent.id, consent);
    const self = `/v1/consents/${consent.id}`;
    if (!faults.has('consent-no-location')) reply.header('location', self);
    if (!faults.has('consent-no-sca-approach')) reply.header('aspsp-sca-approach', 'REDIRECT');
    if (explicitStart) {
      return reply.code(createdStatus(faults)).send({
        consentStatus: consentStatusOut(ctx, consent),
        consentId: consent.id,
        _links: {
          ...(faults.has('start-authorisation-link-missing')
            ? {}
            : { startAuthorisation: { href: `${self}/authorisations` } }),
          self: { href: self },
          status: { href: `${self}/status` },
        },
      });
    }
    return reply.code(createdStatus(faults)).send({
      consentStatus: consentStatusOut(ctx, consent),
      consentId: consent.id,
      _links: {
        scaRedirect: {
          href: scaRedirectHref(options.psuBaseUrl, consent.clientId, redirect, { consent_id: consent.id }),
        },
        self: { href: self },
        status: { href: `${self}/status` },
        scaStatus: {
          href: `${self}/${faults.has('consent-sca-status-link-broken') ? 'authorisation' : 'authorisations'}/${consent.authorisationIds[0]}`,
        },
      },
    });
  });

  app.get('/v1/consents/:consentId', async (request, reply) => {
    const consent = pathConsent(request, reply);
    if (!consent) return reply;
    const access =
      consent.status === 'received' && faults.has('consent-access-not-read-back')
        ? {}
        : grantedAccess(ctx, consent);
    return reply.send({
      access,
      recurringIndicator: consent.request.recurringIndicator,
      validUntil: consent.request.validUntil,
      frequencyPerDay: consent.request.frequencyPerDay,
      ...(faults.has('consent-no-last-action-date') ? {} : { lastActionDate: consent.lastActionDate }),
      consentStatus: faults.has('consent-details-status-stale') ? 'received' : consentStatusOut(ctx, consent),
      _links: { status: { href: `/v1/consents/${consent.id}/status` } },
    });
  });

  app.get('/v1/consents/:consentId/status', async (request, reply) => {
    const consent = pathConsent(request, reply);
    if (!consent) return reply;
    return reply.send({ consentStatus: consentStatusOut(ctx, consent) });
  });

  app.delete('/v1/consents/:consentId', async (request, reply) => {
    const consent = pathConsent(request, reply, 'other-tpp-consent-deletable');
    if (!consent) return reply;
    if (consent.status === 'terminatedByTpp' && faults.has('consent-delete-twice-500'))
      return sendError(reply, faults, 500, undefined, 'internal error');
    if (consent.status === 'received' && faults.has('received-consent-not-deletable')) {
      return sendError(
        reply,
        faults,
        409,
        'STATUS_INVALID',
        'a consent waiting for its SCA cannot be deleted',
        {
          service: 'AIS',
        },
      );
    }
    consent.status = 'terminatedByTpp';
    return reply.code(faults.has('consent-delete-200') ? 200 : 204).send();
  });

  app.post('/v1/consents/:consentId/authorisations', async (request, reply) => {
    const consent = pathConsent(request, reply, 'other-tpp-authorisations-served');
    if (!consent) return reply;
    refreshExpiry(consent);
    // Only a consent still waiting for its SCA takes an authorisation: a valid, rejected, revoked, expired or
    // terminated one does not allow additional authorisation.
    const excused =
      (consent.status === 'terminatedByTpp' && faults.has('terminated-consent-authorisable')) ||
      ((consent.status === 'valid' || consent.status === 'rejected') &&
        faults.has('authorised-consent-authorisable'));
    if (consent.status !== 'received' && !excused) {
      return sendError(
        reply,
        faults,
        409,
        'STATUS_INVALID',
        `a consent in status ${consent.status} does not allow additional authorisation`,
        { service: 'AIS' },
      );
    }
    const authorisationId = newId();
    if (!faults.has('authorisations-forgotten')) consent.authorisationIds.push(authorisationId);
    const redirect = redirectUriFor(ctx, request, consent.clientId) ?? '';
    return sendStartedAuthorisation(
      reply,
      authorisationId,
      scaRedirectHref(options.psuBaseUrl, consent.clientId, redirect, { consent_id: consent.id }),
      `/v1/consents/${consent.id}/authorisations/${authorisationId}`,
    );
  });

  app.get('/v1/consents/:consentId/authorisations', async (request, reply) => {
    const consent = pathConsent(request, reply, 'other-tpp-authorisations-served');
    if (!consent) return reply;
    return reply.send({ authorisationIds: consent.authorisationIds });
  });

  app.get('/v1/consents/:consentId/authorisations/:authorisationId', async (request, reply) => {
    const params = request.params as { consentId: string; authorisationId: string };
    const consent = ownConsent(ctx, request, reply, params.consentId, 'other-tpp-authorisations-served');
    if (!consent) return reply;
    if (
      !consent.authorisationIds.includes(params.authorisationId) &&
      !faults.has('unknown-authorisation-served')
    ) {
      return sendError(reply, faults, 404, 'RESOURCE_UNKNOWN', 'no such authorisation', { service: 'AIS' });
    }
    const declined = consent.status === 'rejected' && !faults.has('sca-status-finalised-on-decline');
    const scaStatus = consent.status === 'received' ? 'received' : declined ? 'failed' : 'finalised';
    return reply.send({ scaStatus });
  });
}

const ACCESS_KEYS = new Set([
  'accounts',
  'balances',
  'transactions',
  'additionalInformation',
  'availableAccounts',
  'availableAccountsWithBalance',
  'allPsd2',
  'restrictedTo',
]);

/** The consent request, with what a bank that defaults missing fields would put in their place. */
function withDefaults(ctx: SandboxContext, body: Consent['request']): Consent['request'] {
  if (!ctx.faults.has('consent-required-fields-defaulted')) return body;
  const given: Partial<Consent['request']> = body;
  const defaults = { recurringIndicator: false, validUntil: isoDay(90), frequencyPerDay: 4 };
  return { ...defaults, combinedServiceIndicator: false, access: {}, ...given };
}

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The TPP-Redirect-URI if it is one of the TPP's registered URIs, else the first registered one. */
export function redirectUriFor(
  ctx: SandboxContext,
  request: FastifyRequest,
  clientId: string,
): string | undefined {
  const client = ctx.state.clients.get(clientId);
  const given = request.headers['tpp-redirect-uri'];
  if (typeof given !== 'string') return client?.redirectUris[0];
  return client?.redirectUris.includes(given) ? given : undefined;
}

function grantedAccess(ctx: SandboxContext, consent: Consent): Record<string, unknown> {
  if (!consent.granted) return consent.request.access;
  const refs = (ids: Set<string>) =>
    [...ids].map((id) => {
      const account = ctx.state.accountsById.get(id);
      return account?.iban ? { iban: account.iban } : { maskedPan: account?.maskedPan ?? '' };
    });
  return {
    accounts: refs(consent.granted.accounts),
    balances: refs(consent.granted.balances),
    transactions: refs(consent.granted.transactions),
  };
}
