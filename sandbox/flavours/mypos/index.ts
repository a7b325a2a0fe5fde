import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../../context.ts';
import { registerMyposAccountRoutes } from './accounts.ts';
import { registerMyposConsentRoutes } from './consents.ts';
import { registerMyposFundsRoutes } from './funds.ts';
import { registerMyposPaymentRoutes } from './payments.ts';

/** The XS2A routes of the myPOS flavour; the token endpoint, mTLS and the PSU pages are the sandbox's own. */
export function registerMyposRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  registerMyposConsentRoutes(app, ctx);
  registerMyposAccountRoutes(app, ctx);
  registerMyposPaymentRoutes(app, ctx);
  registerMyposFundsRoutes(app, ctx);
}
