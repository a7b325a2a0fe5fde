import type { FastifyInstance } from 'fastify';
import { type SandboxContext, today, type Xs2aRequest } from '../../context.ts';
import { sendError } from '../../errors.ts';
import { ownConsent, redirectUriFor, refreshExpiry } from '../../routes/consents.ts';
import { type Consent, newId } from '../../state.ts';
import { capitalised, scaOAuthHref } from './links.ts';

/** What a consent without a request body grants: the PSU picks the accounts on the consent page. */
const BANK_OFFERED = {
  access: { accounts: [], balances: [], transactions: [] },
  recurringIndicator: true,
  frequencyPerDay: 1000,
  combinedServiceIndicator: false,
};

/** Consents as the myPOS pages document them (create-consent 38, get-consent-status 39, delete-consent 41). */
export function registerMyposConsentRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { state, faults, options } = ctx;

  app.post('/v1/consents', async (request, reply) => {
    const xs2a = request.xs2a as Xs2aRequest;
    const clientId = xs2a.token?.clientId ?? '';
    const redirect = redirectUriFor(ctx, request, clientId);
    if (!redirect || request.headers['tpp-redirect-uri'] === undefined) {
      return sendError(reply, faults, 400, 'FORMAT_ERROR', 'TPP-Redirect-URI is missing or not registered', {
        path: 'TPP-Redirect-URI',
        service: 'AIS',
      });
    }
    const validUntil = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    // "Request body: No request body": whatever the TPP sends is not read.
    const consent: Consent = {
      id: newId(),
      clientId,
      request: { ...BANK_OFFERED, validUntil },
      status: 'received',
      lastActionDate: today(),
      usage: new Map(),
      authorisationIds: [],
      redirectUri: redirect,
    };
    state.consents.set(consent.id, consent);
    const self = `v1/consents/${consent.id}`;
    return reply.code(201).send({
      consentId: consent.id,
      consentStatus: capitalised(consent.status),
      _links: {
        self: { href: self },
        scaStatus: { href: `${self}/status` },
        scaOAuth: { href: scaOAuthHref(options.psuBaseUrl, { consentId: consent.id }) },
      },
    });
  });

  app.get('/v1/consents/:consentId', async (request, reply) => {
    const consent = ownConsent(ctx, request, reply, (request.params as { consentId: string }).consentId);
    if (!consent) return reply;
    refreshExpiry(consent);
    const ibans = (ids: Set<string> | undefined) => ({
      iban: [...(ids ?? [])].flatMap((id) => state.accountsById.get(id)?.iban ?? []),
    });
    return reply.send({
      access: {
        balances: ibans(consent.granted?.balances),
        transactions: ibans(consent.granted?.transactions),
      },
      recurringIndicator: consent.request.recurringIndicator,
      validUntil: `${consent.request.validUntil}T23:59:59.000`,
      frequencyPerDay: consent.request.frequencyPerDay,
      lastActionDate: consent.lastActionDate,
      consentStatus: capitalised(consent.status),
    });
  });

  app.get('/v1/consents/:consentId/status', async (request, reply) => {
    const consentId = (request.params as { consentId: string }).consentId;
    const consent = ownConsent(ctx, request, reply, consentId);
    if (!consent) return reply;
    refreshExpiry(consent);
    return reply.send({ consentId, consentStatus: capitalised(consent.status) });
  });

  app.delete('/v1/consents/:consentId', async (request, reply) => {
    const consent = ownConsent(ctx, request, reply, (request.params as { consentId: string }).consentId);
    if (!consent) return reply;
    consent.status = 'terminatedByTpp';
    return reply.code(200).send();
  });
}
