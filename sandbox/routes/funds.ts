import type { FastifyInstance } from 'fastify';
import type { SandboxContext, Xs2aRequest } from '../context.ts';
import { sendError } from '../errors.ts';
import { parseAmount } from '../seed.ts';

/** Confirmation of funds (PIIS): is the amount covered by the available balance? */
export function registerFundsRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { state, faults } = ctx;
  app.post('/v1/funds-confirmations', async (request, reply) => {
    const body = (request.xs2a as Xs2aRequest).body as {
      account?: { iban?: string; maskedPan?: string };
      payee?: string;
      instructedAmount: { currency: string; amount: string };
    };
    const consentId = request.headers['consent-id'];
    if (
      typeof consentId === 'string' &&
      !state.consents.has(consentId) &&
      !faults.has('funds-consent-id-ignored')
    ) {
      return sendError(reply, faults, 400, 'CONSENT_UNKNOWN', `consent ${consentId} is not known`, {
        service: 'PIIS',
      });
    }
    if (body.payee !== undefined && faults.has('funds-payee-refused')) {
      return sendError(reply, faults, 400, 'FORMAT_ERROR', 'payee is not supported', {
        path: 'payee',
        service: 'PIIS',
      });
    }
    const minor = parseAmount(String(body.instructedAmount.amount));
    if (minor === undefined || (minor <= 0 && !faults.has('non-positive-amount-accepted'))) {
      return sendError(
        reply,
        faults,
        400,
        'FORMAT_ERROR',
        'instructedAmount.amount must be greater than zero',
        {
          path: 'instructedAmount.amount',
          service: 'PIIS',
        },
      );
    }
    const account = state.seed.accounts.find(
      (a) =>
        (body.account?.iban !== undefined && a.iban === body.account.iban) ||
        (body.account?.maskedPan !== undefined &&
          a.maskedPan === body.account.maskedPan &&
          !faults.has('funds-masked-pan-ignored')),
    );
    if (!account) {
      return sendError(reply, faults, 404, 'RESOURCE_UNKNOWN', 'the account is not known', {
        service: 'PIIS',
      });
    }
    const balance = account.balances.find((b) => b.currency === body.instructedAmount.currency);
    const available =
      faults.has('funds-always-available') || (balance !== undefined && balance.availableMinor >= minor);
    return reply.send({
      fundsAvailable: faults.has('funds-available-as-string') ? String(available) : available,
    });
  });
}
