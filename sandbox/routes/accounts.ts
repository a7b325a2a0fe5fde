import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type SandboxContext, today, type Xs2aRequest } from '../context.ts';
import { sendError } from '../errors.ts';
import { formatMinor, isoDate, type SeedAccount, type SeedTransaction } from '../seed.ts';
import type { AccessSelection, Consent } from '../state.ts';
import { refreshExpiry } from './consents.ts';

type AccessKind = keyof AccessSelection;

/** Account information (accounts and card accounts), served under a valid consent only. */
export function registerAccountRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { faults } = ctx;
  const fail = (reply: FastifyReply, status: number, code: string | undefined, text: string, path?: string) =>
    sendError(reply, faults, status, code, text, { service: 'AIS', ...(path ? { path } : {}) });

  /** The consent of the Consent-ID header, checked for this TPP, this token, its status and its daily budget. */
  function consentFor(request: FastifyRequest, reply: FastifyReply): Consent | undefined {
    const xs2a = request.xs2a as Xs2aRequest;
    const consentId = String(request.headers['consent-id'] ?? '');
    const consent = ctx.state.consents.get(consentId);
    if (!consent || (consent.clientId !== xs2a.token?.clientId && !faults.has('other-tpp-consent-served'))) {
      fail(reply, 403, 'CONSENT_UNKNOWN', `consent ${consentId} is not known for this TPP`);
      return undefined;
    }
    const subject = xs2a.token?.subject;
    const tokenFits = subject && 'consentId' in subject && subject.consentId === consentId;
    const paymentToken = subject && 'paymentId' in subject;
    if (!tokenFits && !(paymentToken && faults.has('payment-token-on-ais'))) {
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
    if (request.headers['psu-ip-address'] === undefined && !faults.has('frequency-not-enforced')) {
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
    const accountId = (request.params as { accountId: string }).accountId;
    const account = ctx.state.accountsById.get(accountId);
    if (!account || account.kind !== accountKind) {
      if (faults.has('unknown-account-500')) {
        sendError(reply, faults, 500, undefined, 'internal error');
        return undefined;
      }
      fail(reply, 404, 'RESOURCE_UNKNOWN', `account ${accountId} is not known`);
      return undefined;
    }
    const granted =
      consent.granted?.[kind].has(accountId) || (kind === 'accounts' && covered(consent, accountId));
    if (!granted && !faults.has('account-outside-consent-served')) {
      fail(reply, 401, 'CONSENT_INVALID', `the consent does not give ${kind} access to account ${accountId}`);
      return undefined;
    }
    return account;
  }

  const amount = (minor: number, currency: string) => ({
    currency,
    amount: faults.has('amounts-as-numbers') ? minor / 100 : formatMinor(minor),
  });

  const balances = (account: SeedAccount) =>
    account.balances.flatMap((b) =>
      [
        { type: 'closingBooked', minor: b.bookedMinor },
        { type: 'interimAvailable', minor: b.availableMinor },
      ].map(({ type, minor }) => ({
        balanceAmount: amount(minor, b.currency),
        ...(faults.has('balance-without-type') ? {} : { balanceType: type }),
        referenceDate: today(),
      })),
    );

  const accountView = (account: SeedAccount, withBalances: boolean, base: string) => {
    const view: Record<string, unknown> =
      account.kind === 'card'
        ? {
            resourceId: account.resourceId,
            ...(faults.has('card-masked-pan-missing') ? {} : { maskedPan: account.maskedPan }),
            currency: account.currency,
            name: account.name,
            product: account.product,
            ownerName: account.ownerName,
            status: 'enabled',
            usage: 'PRIV',
          }
        : {
            resourceId: account.resourceId,
            iban: account.iban,
            currency: account.currency,
            name: account.name,
            product: account.product,
            cashAccountType: account.cashAccountType,
            ownerName: account.ownerName,
            status: 'enabled',
            usage: 'PRIV',
            bic: 'SNDBXBGS',
          };
    if (withBalances) view.balances = balances(account);
    view._links = {
      balances: { href: `${base}/${account.resourceId}/balances` },
      transactions: { href: `${base}/${account.resourceId}/transactions` },
    };
    return view;
  };

  const listed = (consent: Consent, kind: SeedAccount['kind']) =>
    ctx.state.seed.accounts.filter((a) => a.kind === kind && covered(consent, a.resourceId));

  const wantsBalance = (request: FastifyRequest) =>
    (request.query as Record<string, string>).withBalance === 'true';

  app.get('/v1/accounts', async (request, reply) => {
    const consent = consentFor(request, reply);
    if (!consent) return reply;
    const withBalance = wantsBalance(request) && !faults.has('with-balance-ignored');
    const accounts = listed(consent, 'account').map((a) =>
      accountView(a, withBalance && (consent.granted?.balances.has(a.resourceId) ?? false), '/v1/accounts'),
    );
    return reply.send({ accounts });
  });

  app.get('/v1/accounts/:accountId', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'accounts', 'account');
    if (!consent || !account) return reply;
    const withBalance = wantsBalance(request) && (consent.granted?.balances.has(account.resourceId) ?? false);
    return reply.send({ account: accountView(account, withBalance, '/v1/accounts') });
  });

  app.get('/v1/accounts/:accountId/balances', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'balances', 'account');
    if (!consent || !account) return reply;
    return reply.send({
      account: { iban: account.iban, currency: account.currency },
      balances: balances(account),
    });
  });

  app.get('/v1/accounts/:accountId/transactions', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'transactions', 'account');
    if (!consent || !account) return reply;
    const page = transactionPage(request, reply, account, [
      'information',
      'booked',
      'pending',
      'both',
      'all',
    ]);
    if (!page) return reply;
    const base = `/v1/accounts/${account.resourceId}`;
    const entry = (t: SeedTransaction) => ({
      transactionId: t.transactionId,
      entryReference: t.entryReference,
      ...(t.status === 'booked' ? { bookingDate: t.bookingDate } : {}),
      valueDate: t.valueDate,
      transactionAmount: amount(t.amountMinor, t.currency),
      ...(t.amountMinor < 0
        ? { creditorName: t.counterpartyName, creditorAccount: { iban: t.counterpartyIban } }
        : { debtorName: t.counterpartyName, debtorAccount: { iban: t.counterpartyIban } }),
      remittanceInformationUnstructured: t.remittance,
      _links: { transactionDetails: { href: `${base}/transactions/${t.transactionId}` } },
    });
    const links = pageLinks(page, base, !faults.has('transactions-without-account-link'), 'account');
    const report: Record<string, unknown> = { _links: links };
    if (page.bookingStatus === 'information') report.information = [];
    else {
      if (page.bookingStatus !== 'pending')
        report.booked = page.items.filter((t) => t.status === 'booked').map(entry);
      if (page.bookingStatus !== 'booked' || faults.has('booking-status-ignored')) {
        report.pending = page.items.filter((t) => t.status === 'pending').map(entry);
      }
    }
    const body: Record<string, unknown> = { account: { iban: account.iban }, transactions: report };
    if (wantsBalance(request) && consent.granted?.balances.has(account.resourceId))
      body.balances = balances(account);
    return reply.send(body);
  });

  app.get('/v1/accounts/:accountId/transactions/:transactionId', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'transactions', 'account');
    if (!consent || !account) return reply;
    const id = (request.params as { transactionId: string }).transactionId;
    const t = account.transactions.find((x) => x.transactionId === id);
    if (!t) return fail(reply, 404, 'RESOURCE_UNKNOWN', `transaction ${id} is not known`);
    return reply.send({
      transactionDetails: {
        transactionId: t.transactionId,
        entryReference: t.entryReference,
        ...(t.status === 'booked' ? { bookingDate: t.bookingDate } : {}),
        valueDate: t.valueDate,
        transactionAmount: amount(t.amountMinor, t.currency),
        remittanceInformationUnstructured: t.remittance,
      },
    });
  });

  app.get('/v1/card-accounts', async (request, reply) => {
    const consent = consentFor(request, reply);
    if (!consent) return reply;
    const cards = listed(consent, 'card').map((a) => accountView(a, false, '/v1/card-accounts'));
    return reply.send(faults.has('card-list-key-accounts') ? { accounts: cards } : { cardAccounts: cards });
  });

  app.get('/v1/card-accounts/:accountId', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'accounts', 'card');
    if (!consent || !account) return reply;
    return reply.send({ cardAccount: accountView(account, false, '/v1/card-accounts') });
  });

  app.get('/v1/card-accounts/:accountId/balances', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'balances', 'card');
    if (!consent || !account) return reply;
    return reply.send({ cardAccount: { maskedPan: account.maskedPan }, balances: balances(account) });
  });

  app.get('/v1/card-accounts/:accountId/transactions', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'transactions', 'card');
    if (!consent || !account) return reply;
    const page = transactionPage(request, reply, account, ['booked', 'pending', 'both']);
    if (!page) return reply;
    const entry = (t: SeedTransaction) => ({
      cardTransactionId: t.transactionId,
      transactionDate: t.valueDate,
      ...(t.status === 'booked' ? { bookingDate: t.bookingDate } : {}),
      transactionAmount: amount(t.amountMinor, t.currency),
      maskedPAN: account.maskedPan,
      transactionDetails: t.counterpartyName,
    });
    const report: Record<string, unknown> = {
      _links: pageLinks(page, `/v1/card-accounts/${account.resourceId}`, true, 'cardAccount'),
    };
    if (page.bookingStatus !== 'pending')
      report.booked = page.items.filter((t) => t.status === 'booked').map(entry);
    if (page.bookingStatus !== 'booked')
      report.pending = page.items.filter((t) => t.status === 'pending').map(entry);
    return reply.send({ cardAccount: { maskedPan: account.maskedPan }, cardTransactions: report });
  });

  interface Page {
    items: SeedTransaction[];
    page: number;
    pages: number;
    bookingStatus: string;
    query: URLSearchParams;
  }

  function transactionPage(
    request: FastifyRequest,
    reply: FastifyReply,
    account: SeedAccount,
    allowed: string[],
  ): Page | undefined {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const bookingStatus = query.get('bookingStatus') ?? '';
    if (!allowed.includes(bookingStatus)) {
      fail(
        reply,
        400,
        'PARAMETER_NOT_SUPPORTED',
        `bookingStatus ${bookingStatus} is not supported`,
        'bookingStatus',
      );
      return undefined;
    }
    const dateFrom = query.get('dateFrom') ?? (faults.has('date-from-optional') ? isoDay(-90) : null);
    const dateTo = query.get('dateTo') ?? today();
    if (
      !dateFrom &&
      bookingStatus !== 'information' &&
      !query.get('entryReferenceFrom') &&
      query.get('deltaList') !== 'true'
    ) {
      fail(reply, 400, 'FORMAT_ERROR', 'dateFrom is mandated unless delta access is requested', 'dateFrom');
      return undefined;
    }
    if (dateFrom && dateFrom > dateTo) {
      fail(reply, 400, 'PERIOD_INVALID', 'dateFrom lies after dateTo', 'dateFrom');
      return undefined;
    }
    const pageText = query.get('page') ?? '1';
    const page = Number(pageText);
    if (!Number.isInteger(page) || page < 1) {
      fail(reply, 400, 'FORMAT_ERROR', `page ${pageText} is not a page number`, 'page');
      return undefined;
    }
    const from = dateFrom ?? '0000-01-01';
    const inRange = (t: SeedTransaction) =>
      t.status === 'pending' ||
      faults.has('date-range-ignored') ||
      (t.bookingDate >= from && t.bookingDate <= dateTo);
    const wanted = (t: SeedTransaction) =>
      bookingStatus === 'both' ||
      bookingStatus === 'all' ||
      t.status === bookingStatus ||
      (faults.has('booking-status-ignored') && bookingStatus === 'booked');
    const all =
      bookingStatus === 'information' ? [] : account.transactions.filter((t) => wanted(t) && inRange(t));
    const size = ctx.options.pageSize;
    const pages = Math.max(1, Math.ceil(all.length / size));
    return { items: all.slice((page - 1) * size, page * size), page, pages, bookingStatus, query };
  }

  function pageLinks(page: Page, base: string, withAccount: boolean, accountKey: string) {
    const at = (n: number) => {
      const query = new URLSearchParams(page.query);
      query.set('page', String(n));
      return { href: `${base}/transactions?${query.toString()}` };
    };
    const links: Record<string, { href: string }> = {};
    if (withAccount) links[accountKey] = { href: base };
    if (page.pages > 1) {
      links.first = at(1);
      links.last = at(page.pages);
      if (page.page > 1) links.previous = at(page.page - 1);
      if (page.page < page.pages) links.next = at(page.page + 1);
      else if (faults.has('pagination-next-loops')) links.next = at(1);
    }
    return links;
  }
}

function covered(consent: Consent, accountId: string): boolean {
  const g = consent.granted;
  return (
    g !== undefined &&
    (g.accounts.has(accountId) || g.balances.has(accountId) || g.transactions.has(accountId))
  );
}

function isoDay(offset: number): string {
  return isoDate(new Date(Date.now() + offset * 86_400_000));
}
