import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../../context.ts';
import { registerFundsRoutes } from '../../routes/funds.ts';

/**
 * Confirmation of funds as page 36 documents it: the Berlin Group body and answer, behind a mandatory
 * Consent-ID and TPP-Redirect-URI (the contract's request validation enforces both), with
 * ASPSP-SCA-Approach: REDIRECT on the 200.
 */
export function registerMyposFundsRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      request.method === 'POST' &&
      request.url.startsWith('/v1/funds-confirmations') &&
      reply.statusCode === 200
    )
      reply.header('aspsp-sca-approach', 'REDIRECT');
    return payload;
  });
  registerFundsRoutes(app, ctx);
}
