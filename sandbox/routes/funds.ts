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
      instructedAmount: { currency: string; amount: string };
    };
    const minor = parseAmount(body.instructedAmount.amount);
    if (minor === undefined || minor <= 0) {
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
        (body.account?.maskedPan !== undefined && a.maskedPan === body.account.maskedPan),
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
