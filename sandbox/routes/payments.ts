import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type SandboxContext, today, type Xs2aRequest } from '../context.ts';
import { sendError } from '../errors.ts';
import { ibanCheckDigitsValid, parseAmount } from '../seed.ts';
import { newId, type Payment } from '../state.ts';
import { redirectUriFor } from './consents.ts';
import { createdStatus, scaRedirectHref, sendStartedAuthorisation } from './sca-links.ts';
import { issuedFor } from './token-subject.ts';

const CANCELLABLE = new Set(['RCVD', 'ACTC', 'PDNG', 'ACCP']);
/** Statuses of an authorised payment that is not final yet: its cancellation needs the PSU's authorisation. */
const AUTHORISED_NOT_FINAL = new Set(['ACTC', 'ACCP', 'ACSP', 'ACWC', 'ACWP', 'PDNG']);
/** The fields of a Berlin Group 1.3 single payment body (SCT and cross-border). */
const PAYMENT_FIELDS = new Set([
  'endToEndIdentification',
  'instructionIdentification',
  'debtorName',
  'debtorAccount',
  'debtorId',
  'ultimateDebtor',
  'instructedAmount',
  'currencyOfTransfer',
  'exchangeRateInformation',
  'creditorAccount',
  'creditorAgent',
  'creditorAgentName',
  'creditorName',
  'creditorId',
  'creditorAddress',
  'creditorNameAndAddress',
  'ultimateCreditor',
  'purposeCode',
  'chargeBearer',
  'remittanceInformationUnstructured',
  'remittanceInformationUnstructuredArray',
  'remittanceInformationStructured',
  'remittanceInformationStructuredArray',
  'requestedExecutionDate',
  'requestedExecutionTime',
]);

/**
 * Stores a new payment of the calling TPP, or answers 400 when its TPP-Redirect-URI is not registered.
 * Both flavours keep the body in the Berlin Group shape the PSU pages read.
 */
export function storeNewPayment(
  ctx: SandboxContext,
  request: FastifyRequest,
  reply: FastifyReply,
  product: string,
  body: Record<string, unknown>,
): { payment: Payment; redirect: string } | undefined {
  const clientId = (request.xs2a as Xs2aRequest).token?.clientId ?? '';
  const redirect = redirectUriFor(ctx, request, clientId);
  if (!redirect) {
    sendError(reply, ctx.faults, 400, 'FORMAT_ERROR', 'TPP-Redirect-URI is not registered', {
      service: 'PIS',
      path: 'TPP-Redirect-URI',
    });
    return undefined;
  }
  const payment: Payment = {
    id: newId(),
    clientId,
    product,
    body,
    status: 'RCVD',
    authorisationIds: [newId()],
    cancellationIds: [],
    redirectUri: redirect,
  };
  ctx.state.payments.set(payment.id, payment);
  return { payment, redirect };
}

/** Payment initiation for the two products of the myPOS overview. */
export function registerPaymentRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { state, faults, options } = ctx;
  const fail = (reply: FastifyReply, status: number, code: string | undefined, text: string, path?: string) =>
    sendError(reply, faults, status, code, text, { service: 'PIS', ...(path ? { path } : {}) });
  const statusField = () =>
    faults.has('payment-status-field-renamed') ? 'paymentStatus' : 'transactionStatus';

  /**
   * Whether a payment takes another authorisation: not once its SCA is over (approved or declined), nor
   * once cancelled. The sandbox has no multi-level SCA, so one authorisation completes a payment.
   */
  function authorisable(payment: Payment): boolean {
    if (payment.status === 'CANC') return faults.has('cancelled-payment-authorisable');
    if (payment.status === 'RJCT' || payment.psuId !== undefined)
      return faults.has('authorised-payment-authorisable');
    return true;
  }

  /** The scaStatus of a payment's authorisation: one authorisation completes a payment here. */
  function scaStatusOf(payment: Payment): string {
    if (payment.status === 'RCVD')
      return faults.has('payment-sca-status-finalised-early') ? 'finalised' : 'received';
    if (payment.status === 'RJCT')
      return faults.has('payment-sca-status-finalised-on-decline') ? 'finalised' : 'failed';
    if (payment.psuId !== undefined && faults.has('payment-sca-status-stale')) return 'received';
    return 'finalised';
  }

  function ownPayment(request: FastifyRequest, reply: FastifyReply): Payment | undefined {
    const xs2a = request.xs2a as Xs2aRequest;
    const { product, paymentId } = request.params as { product: string; paymentId: string };
    const payment = state.payments.get(paymentId);
    if (!payment && faults.has('unknown-payment-500')) {
      fail(reply, 500, undefined, 'internal error');
      return undefined;
    }
    if (!payment || (payment.product !== product && !faults.has('payment-product-not-checked'))) {
      fail(reply, 404, 'RESOURCE_UNKNOWN', `payment ${paymentId} is not known`);
      return undefined;
    }
    if (payment.clientId !== xs2a.token?.clientId && !faults.has('other-tpp-payment-served')) {
      fail(reply, 403, 'RESOURCE_UNKNOWN', `payment ${paymentId} is not known for this TPP`);
      return undefined;
    }
    const subject = xs2a.token?.subject;
    if (subject && !issuedFor(ctx, subject, { paymentId })) {
      fail(reply, 401, 'TOKEN_INVALID', 'the access token was issued for another consent or payment');
      return undefined;
    }
    return payment;
  }

  app.post('/v1/payments/:product', async (request, reply) => {
    const xs2a = request.xs2a as Xs2aRequest;
    const { product } = request.params as { product: string };
    const body = xs2a.body as Record<string, unknown>;
    const instructed = body.instructedAmount as { amount: string; currency: string };
    // A bank that does not check the amount's format takes whatever number it can read.
    const minor = faults.has('amount-format-not-checked')
      ? Math.round(Number(instructed.amount) * 100)
      : parseAmount(instructed.amount);
    if (minor === undefined || (minor <= 0 && !faults.has('non-positive-amount-accepted'))) {
      return fail(
        reply,
        400,
        'FORMAT_ERROR',
        'instructedAmount.amount must be greater than zero',
        'instructedAmount.amount',
      );
    }
    // A malformed currency is the format check's to refuse; a well-formed one other than EUR is not SEPA.
    if (
      product === 'sepa-credit-transfers' &&
      /^[A-Z]{3}$/.test(instructed.currency) &&
      instructed.currency !== 'EUR' &&
      !faults.has('sepa-any-currency')
    ) {
      return fail(
        reply,
        400,
        'FORMAT_ERROR',
        `a SEPA credit transfer is in EUR, not ${instructed.currency}`,
        'instructedAmount.currency',
      );
    }
    for (const side of ['creditorAccount', 'debtorAccount'] as const) {
      const iban = (body[side] as { iban?: string } | undefined)?.iban;
      // A malformed IBAN is the format check's to refuse; only a well-formed one has check digits to verify.
      const wellFormed = iban !== undefined && /^[A-Z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$/.test(iban);
      if (wellFormed && !ibanCheckDigitsValid(iban) && !faults.has('iban-check-digits-not-checked'))
        return fail(reply, 400, 'FORMAT_ERROR', `${side}.iban has wrong check digits`, `${side}.iban`);
    }
    if (faults.has('payment-unknown-field-500') && Object.keys(body).some((k) => !PAYMENT_FIELDS.has(k)))
      return fail(reply, 500, undefined, 'internal error');
    if (
      faults.has('payment-lengths-off-by-one') &&
      (String(body.endToEndIdentification ?? '').length === 35 ||
        String(body.remittanceInformationUnstructured ?? '').length === 140)
    ) {
      return fail(reply, 400, 'FORMAT_ERROR', 'a field is too long', 'endToEndIdentification');
    }
    const executionDate = body.requestedExecutionDate;
    if (
      typeof executionDate === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(executionDate) &&
      executionDate < today() &&
      !faults.has('past-execution-date-accepted')
    ) {
      return fail(
        reply,
        400,
        'EXECUTION_DATE_INVALID',
        `requestedExecutionDate ${executionDate} lies in the past`,
        'requestedExecutionDate',
      );
    }
    const stored = storeNewPayment(ctx, request, reply, product, body);
    if (!stored) return reply;
    const { payment, redirect } = stored;
    const clientId = payment.clientId;
    const self = `/v1/payments/${product}/${payment.id}`;
    if (!faults.has('payment-no-location'))
      reply.header('location', faults.has('payment-location-elsewhere') ? `${self}/status` : self);
    if (!faults.has('payment-no-sca-approach')) reply.header('aspsp-sca-approach', 'REDIRECT');
    const scaRedirect = {
      href: scaRedirectHref(options.psuBaseUrl, clientId, redirect, { payment_id: payment.id }),
    };
    return reply.code(createdStatus(faults)).send({
      [statusField()]: payment.status,
      paymentId: payment.id,
      // The sandbox charges nothing, and says so in the shapes Berlin Group gives the fee fields.
      transactionFees: faults.has('payment-fees-as-number') ? 0 : { currency: 'EUR', amount: '0.00' },
      transactionFeeIndicator: false,
      _links: {
        ...(faults.has('payment-sca-link-missing') ? {} : { scaRedirect }),
        self: { href: faults.has('payment-self-link-broken') ? `/v1/payments/${payment.id}` : self },
        status: {
          href: `${self}/${faults.has('payment-status-link-broken') ? 'transactionStatus' : 'status'}`,
        },
        scaStatus: {
          href: faults.has('payment-sca-status-link-broken')
            ? `${self}/authorisations`
            : `${self}/authorisations/${payment.authorisationIds[0]}`,
        },
      },
    });
  });

  // The sandbox offers single payments only. Under the fault it answers a periodic or bulk payment as if taken.
  for (const service of ['periodic-payments', 'bulk-payments']) {
    app.post(`/v1/${service}/:product`, async (_request, reply) => {
      if (!faults.has('unoffered-payment-services-accepted')) {
        return fail(reply, 404, 'RESOURCE_UNKNOWN', `no resource at /v1/${service}`);
      }
      return reply.code(201).send({ transactionStatus: 'RCVD', paymentId: newId(), _links: {} });
    });
  }

  app.get('/v1/payments/:product/:paymentId', async (request, reply) => {
    const payment = ownPayment(request, reply);
    if (!payment) return reply;
    const body = faults.has('payment-details-drop-optional-fields')
      ? pick(payment.body, ['instructedAmount', 'creditorAccount', 'creditorName'])
      : payment.body;
    if (faults.has('payment-details-without-status')) return reply.send(body);
    return reply.send({ ...body, [statusField()]: payment.status });
  });

  app.get('/v1/payments/:product/:paymentId/status', async (request, reply) => {
    const payment = ownPayment(request, reply);
    if (!payment) return reply;
    return reply.send({ [statusField()]: payment.status });
  });

  app.delete('/v1/payments/:product/:paymentId', async (request, reply) => {
    const payment = ownPayment(request, reply);
    if (!payment) return reply;
    const cancellable =
      CANCELLABLE.has(payment.status) ||
      (payment.status === 'CANC' && faults.has('cancelled-payment-cancellable')) ||
      (payment.status === 'RJCT' && faults.has('rejected-payment-cancellable')) ||
      (payment.status === 'ACSC' && faults.has('settled-payment-cancellable'));
    // An authorised payment not yet final is cancelled through an authorisation of the cancellation (202).
    if (payment.psuId !== undefined && AUTHORISED_NOT_FINAL.has(payment.status)) {
      const self = `/v1/payments/${payment.product}/${payment.id}`;
      if (faults.has('cancellation-effective-before-sca')) payment.status = 'CANC';
      return reply.code(202).send({
        [statusField()]: payment.status,
        _links: faults.has('cancellation-202-without-link')
          ? {}
          : { startAuthorisation: { href: `${self}/cancellation-authorisations` } },
      });
    }
    if (!cancellable) {
      return fail(
        reply,
        405,
        'CANCELLATION_INVALID',
        `a payment in status ${payment.status} cannot be cancelled`,
      );
    }
    if (!faults.has('cancel-not-effective')) payment.status = 'CANC';
    return reply.code(204).send();
  });

  for (const kind of ['authorisations', 'cancellation-authorisations'] as const) {
    const ids = (p: Payment) => (kind === 'authorisations' ? p.authorisationIds : p.cancellationIds);
    app.post(`/v1/payments/:product/:paymentId/${kind}`, async (request, reply) => {
      const payment = ownPayment(request, reply);
      if (!payment) return reply;
      if (kind === 'authorisations' && !authorisable(payment)) {
        return fail(
          reply,
          409,
          'STATUS_INVALID',
          `a payment in status ${payment.status} does not allow additional authorisation`,
        );
      }
      const authorisationId = newId();
      ids(payment).push(authorisationId);
      const redirect = redirectUriFor(ctx, request, payment.clientId) ?? '';
      return sendStartedAuthorisation(
        reply,
        authorisationId,
        scaRedirectHref(options.psuBaseUrl, payment.clientId, redirect, { payment_id: payment.id }),
        `/v1/payments/${payment.product}/${payment.id}/${kind}/${authorisationId}`,
      );
    });
    app.get(`/v1/payments/:product/:paymentId/${kind}`, async (request, reply) => {
      const payment = ownPayment(request, reply);
      if (!payment) return reply;
      if (kind === 'cancellation-authorisations' && faults.has('cancellation-authorisations-unlisted'))
        return reply.send({ authorisationIds: [] });
      if (kind === 'authorisations' && faults.has('cancellation-listed-as-payment-authorisation'))
        return reply.send({ authorisationIds: [...payment.authorisationIds, ...payment.cancellationIds] });
      if (kind === 'authorisations' && faults.has('payment-authorisations-forgotten'))
        return reply.send({ authorisationIds: [] });
      if (kind === 'authorisations' && faults.has('payment-started-authorisation-unlisted'))
        return reply.send({ authorisationIds: ids(payment).slice(0, 1) });
      return reply.send({ authorisationIds: ids(payment) });
    });
    app.get(`/v1/payments/:product/:paymentId/${kind}/:authorisationId`, async (request, reply) => {
      const payment = ownPayment(request, reply);
      if (!payment) return reply;
      const { authorisationId } = request.params as { authorisationId: string };
      if (!ids(payment).includes(authorisationId) && !faults.has('payment-unknown-authorisation-served'))
        return fail(reply, 404, 'RESOURCE_UNKNOWN', 'no such authorisation');
      // No cancellation is authorised here: a cancellation authorisation waits for a PSU it never meets.
      if (kind === 'cancellation-authorisations' && !faults.has('cancellation-sca-status-finalised-early'))
        return reply.send({ scaStatus: 'received' });
      return reply.send({ scaStatus: scaStatusOf(payment) });
    });
  }
}

function pick(body: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in body).map((k) => [k, body[k]]));
}
