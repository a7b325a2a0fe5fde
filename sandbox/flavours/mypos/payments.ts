import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext, Xs2aRequest } from '../../context.ts';
import { sendError } from '../../errors.ts';
import { storeNewPayment } from '../../routes/payments.ts';
import { formatMinor } from '../../seed.ts';
import type { Payment } from '../../state.ts';
import { scaOAuthHref } from './links.ts';

/** The PSU's stored beneficiaries: payments name their creditor by one of these ids (page 68). */
export const STORED_BENEFICIARIES = [
  { id: 101, fullName: 'Recipient Name', accountNumber: 'DE89370400440532013000' },
  { id: 102, fullName: 'Hristo Georgiev', accountNumber: 'BG80BNBG96611020345678' },
];

interface MyposPaymentBody {
  instructedAmount: number;
  instructedCurrency: string;
  debtorAccount?: string;
  creditorId: number;
  paymentReason?: string;
}

/**
 * Payments as the myPOS pages document them (create-payment 32, get-payment-status 33, get-payment-details 34,
 * get-payment-beneficiaries-list 68): creditorId and paymentReason, numeric amounts, paymentStatus, the status
 * without the product in the path, no cancellation and no authorisation sub-resources.
 */
export function registerMyposPaymentRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { state, faults, options } = ctx;
  const fail = (reply: FastifyReply, status: number, code: string, text: string, path?: string) =>
    sendError(reply, faults, status, code, text, { service: 'PIS', ...(path ? { path } : {}) });

  function ownPayment(request: FastifyRequest, reply: FastifyReply): Payment | undefined {
    const xs2a = request.xs2a as Xs2aRequest;
    const { paymentId } = request.params as { paymentId: string };
    const payment = state.payments.get(paymentId);
    if (!payment || payment.clientId !== xs2a.token?.clientId) {
      fail(reply, 404, 'RESOURCE_UNKNOWN', `payment ${paymentId} is not known`);
      return undefined;
    }
    const subject = xs2a.token?.subject;
    if (subject && !('paymentId' in subject && subject.paymentId === paymentId)) {
      fail(reply, 401, 'TOKEN_INVALID', 'the access token was issued for another consent or payment');
      return undefined;
    }
    return payment;
  }

  app.get('/v1/payments/stored-beneficiaries', async (_request, reply) =>
    reply.send({
      beneficiaries: STORED_BENEFICIARIES,
      pagination: { page: 1, pageSize: STORED_BENEFICIARIES.length, total: STORED_BENEFICIARIES.length },
    }),
  );

  app.post('/v1/payments/:product', async (request, reply) => {
    const xs2a = request.xs2a as Xs2aRequest;
    const { product } = request.params as { product: string };
    const body = xs2a.body as MyposPaymentBody;
    const beneficiary = STORED_BENEFICIARIES.find((b) => b.id === body.creditorId);
    if (!beneficiary) {
      return fail(
        reply,
        400,
        'FORMAT_ERROR',
        `creditorId ${body.creditorId} is not a stored beneficiary`,
        'creditorId',
      );
    }
    const stored = storeNewPayment(
      ctx,
      request,
      reply,
      product,
      // Kept in the Berlin Group shape the PSU pages read; the myPOS views are derived from it.
      {
        instructedAmount: {
          amount: formatMinor(Math.round(body.instructedAmount * 100)),
          currency: body.instructedCurrency,
        },
        creditorAccount: { iban: beneficiary.accountNumber },
        creditorName: beneficiary.fullName,
        ...(body.debtorAccount ? { debtorAccount: { iban: body.debtorAccount } } : {}),
        ...(body.paymentReason ? { remittanceInformationUnstructured: body.paymentReason } : {}),
      },
    );
    if (!stored) return reply;
    const { payment } = stored;
    const self = `/v1/payments/${payment.id}`;
    reply.header('location', self);
    reply.header('aspsp-sca-approach', 'REDIRECT');
    return reply.code(201).send({
      paymentStatus: payment.status,
      paymentId: payment.id,
      _links: {
        scaOAuth: { href: scaOAuthHref(options.psuBaseUrl, { paymentId: payment.id }) },
        self: { href: self },
        status: { href: `${self}/status` },
      },
    });
  });

  app.get('/v1/payments/:paymentId', async (request, reply) => {
    const payment = ownPayment(request, reply);
    if (!payment) return reply;
    const amount = payment.body.instructedAmount as { amount: string; currency: string };
    return reply.send({
      paymentId: payment.id,
      paymentDateTime: new Date().toISOString().slice(0, 23),
      paymentStatus: payment.status,
      creditorAccount: (payment.body.creditorAccount as { iban: string }).iban,
      instructedAmount: Number(amount.amount),
      instructedCurrency: amount.currency,
      creditorName: payment.body.creditorName,
    });
  });

  app.get('/v1/payments/:paymentId/status', async (request, reply) => {
    const payment = ownPayment(request, reply);
    if (!payment) return reply;
    return reply.send({ paymentId: payment.id, paymentStatus: payment.status });
  });
}
