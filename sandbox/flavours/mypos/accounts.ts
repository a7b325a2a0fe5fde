import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../../context.ts';
import { sendError } from '../../errors.ts';
import { aisAccess, covered } from '../../routes/ais-access.ts';
import type { SeedAccount, SeedTransaction } from '../../seed.ts';
import type { Consent } from '../../state.ts';

/**
 * Accounts and card accounts as the myPOS pages document them: addressed by accountNumber, lists with
 * a pagination object, amounts as JSON numbers, the myPOS transaction model with a sign, card accounts
 * listed under "accounts" (pages 18, 19, 22, 25, 26, 28, 29, 31).
 */
export function registerMyposAccountRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { consentFor, accountFor } = aisAccess(ctx);
  const { faults } = ctx;

  const listed = (consent: Consent, kind: SeedAccount['kind']) =>
    ctx.state.seed.accounts.filter((a) => a.kind === kind && covered(consent, a.resourceId));
  const pagination = (total: number) => ({ page: 1, pageSize: total, total });
  const accountView = (account: SeedAccount) => ({
    accountNumber: account.resourceId,
    status: 'enabled',
    iban: account.iban,
    currency: account.currency,
    name: account.name,
    cashAccountType: 'E-Money',
  });
  const cardView = (account: SeedAccount) => ({
    accountNumber: account.resourceId,
    maskedPan: account.maskedPan,
    status: 'enabled',
    currency: account.currency,
    name: account.name,
  });
  const balances = (account: SeedAccount) =>
    account.balances.flatMap((b) => [
      { balanceAmount: { amount: b.bookedMinor / 100, currency: b.currency }, balanceType: 'closingBooked' },
      {
        balanceAmount: { amount: b.availableMinor / 100, currency: b.currency },
        balanceType: 'interimAvailable',
      },
    ]);
  const transaction = (t: SeedTransaction) => ({
    paymentReference: t.remittance,
    operation: 'Transfer',
    operationType: t.amountMinor < 0 ? 'Outgoing' : 'Incoming',
    transactionCurrency: t.currency,
    transactionAmount: Math.abs(t.amountMinor) / 100,
    originalCurrency: t.currency,
    originalAmount: Math.abs(t.amountMinor) / 100,
    date: t.bookingDate,
    sign: t.amountMinor < 0 ? 'D' : 'C',
  });

  /** bookingStatus is mandatory; dateFrom and dateTo narrow the list when given. */
  function transactionsOf(request: FastifyRequest, reply: FastifyReply, account: SeedAccount) {
    const query = request.query as Record<string, string | undefined>;
    const { bookingStatus, dateFrom, dateTo } = query;
    if (dateFrom && dateTo && dateFrom > dateTo) {
      sendError(reply, faults, 400, 'PERIOD_INVALID', 'dateFrom lies after dateTo', { service: 'AIS' });
      return undefined;
    }
    const selected = account.transactions.filter(
      (t) =>
        (bookingStatus === 'both' || t.status === bookingStatus) &&
        (!dateFrom || t.bookingDate >= dateFrom) &&
        (!dateTo || t.bookingDate <= dateTo),
    );
    return { transactions: selected.map(transaction), pagination: pagination(selected.length) };
  }

  app.get('/v1/accounts', async (request, reply) => {
    const consent = consentFor(request, reply);
    if (!consent) return reply;
    const accounts = listed(consent, 'account').map(accountView);
    return reply.send({ accounts, pagination: pagination(accounts.length) });
  });

  app.get('/v1/accounts/:accountNumber', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'accounts', 'account');
    if (!consent || !account) return reply;
    const main = account.balances[0];
    return reply.send({
      ...accountView(account),
      balance: (main?.availableMinor ?? 0) / 100,
      bicSwift: 'MPOSBGSF',
      beneficiaryName: account.ownerName,
      beneficiaryAddress: 'Sofia, Bulgaria',
    });
  });

  app.get('/v1/accounts/:accountNumber/balances', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'balances', 'account');
    if (!consent || !account) return reply;
    return reply.send({ account: { iban: account.iban }, balances: balances(account) });
  });

  app.get('/v1/accounts/:accountNumber/transactions', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'transactions', 'account');
    if (!consent || !account) return reply;
    const page = transactionsOf(request, reply, account);
    return page ? reply.send(page) : reply;
  });

  app.get('/v1/card-accounts', async (request, reply) => {
    const consent = consentFor(request, reply);
    if (!consent) return reply;
    const accounts = listed(consent, 'card').map(cardView);
    return reply.send({ accounts, pagination: pagination(accounts.length) });
  });

  app.get('/v1/card-accounts/:accountNumber', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'accounts', 'card');
    if (!consent || !account) return reply;
    return reply.send(cardView(account));
  });

  app.get('/v1/card-accounts/:accountNumber/balances', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'balances', 'card');
    if (!consent || !account) return reply;
    return reply.send({ cardAccount: { maskedPan: account.maskedPan }, balances: balances(account) });
  });

  app.get('/v1/card-accounts/:accountNumber/transactions', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'transactions', 'card');
    if (!consent || !account) return reply;
    const page = transactionsOf(request, reply, account);
    return page ? reply.send(page) : reply;
  });
}
