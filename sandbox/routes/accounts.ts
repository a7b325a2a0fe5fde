import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type SandboxContext, today } from '../context.ts';
import { sendError } from '../errors.ts';
import { formatMinor, isoDate, type SeedAccount, type SeedTransaction } from '../seed.ts';
import type { Consent } from '../state.ts';
import { aisAccess, covered } from './ais-access.ts';

/** Account information (accounts and card accounts), served under a valid consent only. */
export function registerAccountRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { faults } = ctx;
  const fail = (reply: FastifyReply, status: number, code: string | undefined, text: string, path?: string) =>
    sendError(reply, faults, status, code, text, { service: 'AIS', ...(path ? { path } : {}) });

  const { consentFor, accountFor } = aisAccess(ctx);

  const amount = (minor: number, currency: string) => ({
    currency,
    amount: faults.has('amounts-as-numbers') ? minor / 100 : formatMinor(minor),
  });

  const timestamps = () => faults.has('dates-as-timestamps');
  const dateOut = (date: string) => (timestamps() ? `${date}T00:00:00Z` : date);

  const balances = (account: SeedAccount) =>
    (faults.has('balances-empty') ? [] : account.balances).flatMap((b) =>
      [
        { type: 'closingBooked', minor: b.bookedMinor, creditLimitIncluded: false },
        { type: 'interimAvailable', minor: b.availableMinor, creditLimitIncluded: true },
      ].map(({ type, minor, creditLimitIncluded }) => ({
        balanceAmount: amount(minor, faults.has('balance-currency-not-iso') ? 'EURO' : b.currency),
        ...(faults.has('balance-without-type') ? {} : { balanceType: type }),
        ...(account.kind === 'card'
          ? {
              creditLimitIncluded: faults.has('credit-limit-included-string')
                ? String(creditLimitIncluded)
                : creditLimitIncluded,
            }
          : {}),
        ...(type === 'interimAvailable'
          ? { lastChangeDateTime: timestamps() ? `${localDay(today())} 10:15` : `${today()}T10:15:00Z` }
          : {}),
        referenceDate: dateOut(today()),
      })),
    );

  const multiCurrency = (account: SeedAccount) => account.currency === 'XXX';

  /** The IBAN as reported: its check digits turned wrong by a fault. */
  const ibanOut = (iban: string | undefined) =>
    iban && faults.has('iban-check-digits-wrong')
      ? `${iban.slice(0, 2)}${String((Number(iban.slice(2, 4)) + 1) % 100).padStart(2, '0')}${iban.slice(4)}`
      : iban;

  const accountView = (consent: Consent, account: SeedAccount, withBalances: boolean, base: string) => {
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
            ...(multiCurrency(account) && faults.has('account-identifier-missing')
              ? {}
              : { iban: ibanOut(account.iban) }),
            currency:
              multiCurrency(account) && faults.has('multicurrency-currency-list')
                ? account.balances.map((b) => b.currency).join(',')
                : account.currency,
            name: account.name,
            product: account.product,
            ...(faults.has('account-codes-free-text')
              ? {
                  cashAccountType: account.cashAccountType === 'SVGS' ? 'Savings account' : 'Current account',
                  ownerName: account.ownerName,
                  status: 'Enabled',
                  usage: 'Private',
                }
              : {
                  cashAccountType: account.cashAccountType,
                  ownerName: account.ownerName,
                  status: 'enabled',
                  usage: 'PRIV',
                }),
            bic: 'SNDBXBGS',
          };
    if (withBalances) view.balances = balances(account);
    // "These links are only supported, when the corresponding consent has been already granted."
    const linked = (kind: 'balances' | 'transactions') =>
      faults.has('links-beyond-consent') || (consent.granted?.[kind].has(account.resourceId) ?? false);
    view._links = {
      ...(linked('balances') ? { balances: { href: `${base}/${account.resourceId}/balances` } } : {}),
      ...(linked('transactions')
        ? { transactions: { href: `${base}/${account.resourceId}/transactions` } }
        : {}),
    };
    return view;
  };

  /** withBalance=true adds the balances the consent grants. */
  const balancesGranted = (consent: Consent, account: SeedAccount) =>
    faults.has('with-balance-beyond-consent') || (consent.granted?.balances.has(account.resourceId) ?? false);

  const listed = (consent: Consent, kind: SeedAccount['kind']) =>
    ctx.state.seed.accounts.filter((a) => a.kind === kind && covered(consent, a.resourceId));

  const wantsBalance = (request: FastifyRequest) =>
    (request.query as Record<string, string>).withBalance === 'true';

  app.get('/v1/accounts', async (request, reply) => {
    const consent = consentFor(request, reply);
    if (!consent) return reply;
    const withBalance =
      (wantsBalance(request) || faults.has('balances-always-included')) &&
      !faults.has('with-balance-ignored');
    const accounts = listed(consent, 'account').map((a) =>
      accountView(consent, a, withBalance && balancesGranted(consent, a), '/v1/accounts'),
    );
    return reply.send({ accounts });
  });

  app.get('/v1/accounts/:accountId', async (request, reply) => {
    const consent = consentFor(request, reply);
    const addressed = consent && accountFor(request, reply, consent, 'accounts', 'account');
    if (!consent || !addressed) return reply;
    const account =
      (faults.has('account-details-of-first-account') && listed(consent, 'account')[0]) || addressed;
    const withBalance = wantsBalance(request) && balancesGranted(consent, account);
    return reply.send({ account: accountView(consent, account, withBalance, '/v1/accounts') });
  });

  app.get('/v1/accounts/:accountId/balances', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'balances', 'account');
    if (!consent || !account) return reply;
    if (multiCurrency(account) && faults.has('multicurrency-balances-500'))
      return sendError(reply, faults, 500, undefined, 'internal error');
    const named =
      (faults.has('balances-report-other-account') &&
        listed(consent, 'account').find((a) => a.resourceId !== account.resourceId)) ||
      account;
    return reply.send({
      account: { iban: ibanOut(named.iban), currency: named.currency },
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
      valueDate: dateOut(t.valueDate),
      transactionAmount: amount(t.amountMinor, t.currency),
      ...(t.amountMinor < 0
        ? { creditorName: t.counterpartyName, creditorAccount: { iban: t.counterpartyIban } }
        : { debtorName: t.counterpartyName, debtorAccount: { iban: t.counterpartyIban } }),
      remittanceInformationUnstructured: t.remittance,
      _links: {
        transactionDetails: {
          href: `${base}/${faults.has('transaction-details-link-broken') ? 'transaction' : 'transactions'}/${t.transactionId}`,
        },
      },
    });
    const links = pageLinks(page, base, !faults.has('transactions-without-account-link'), 'account');
    const report: Record<string, unknown> = { _links: links };
    if (page.bookingStatus === 'information') report.information = [];
    else {
      if (page.bookingStatus !== 'pending' || faults.has('booking-status-ignored'))
        report.booked = page.items.filter((t) => t.status === 'booked').map(entry);
      if (page.bookingStatus !== 'booked' || faults.has('booking-status-ignored')) {
        report.pending = page.items.filter((t) => t.status === 'pending').map(entry);
      }
    }
    const body: Record<string, unknown> = { account: { iban: ibanOut(account.iban) }, transactions: report };
    if (wantsBalance(request) && consent.granted?.balances.has(account.resourceId))
      body.balances = balances(account);
    return reply.send(body);
  });

  app.get('/v1/accounts/:accountId/transactions/:transactionId', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'transactions', 'account');
    if (!consent || !account) return reply;
    const id = (request.params as { transactionId: string }).transactionId;
    const found = account.transactions.find((x) => x.transactionId === id);
    const t = found && faults.has('transaction-details-of-other') ? account.transactions[0] : found;
    if (!t && faults.has('unknown-transaction-500')) return fail(reply, 500, undefined, 'internal error');
    if (!t) return fail(reply, 404, 'RESOURCE_UNKNOWN', `transaction ${id} is not known`);
    return reply.send({
      transactionDetails: {
        transactionId: t.transactionId,
        entryReference: t.entryReference,
        ...(t.status === 'booked' ? { bookingDate: t.bookingDate } : {}),
        valueDate: dateOut(t.valueDate),
        transactionAmount: amount(t.amountMinor, t.currency),
        remittanceInformationUnstructured: t.remittance,
      },
    });
  });

  app.get('/v1/card-accounts', async (request, reply) => {
    const consent = consentFor(request, reply);
    if (!consent) return reply;
    const cards = listed(consent, 'card').map((a) => accountView(consent, a, false, '/v1/card-accounts'));
    return reply.send(faults.has('card-list-key-accounts') ? { accounts: cards } : { cardAccounts: cards });
  });

  app.get('/v1/card-accounts/:accountId', async (request, reply) => {
    const consent = consentFor(request, reply);
    const account = consent && accountFor(request, reply, consent, 'accounts', 'card');
    if (!consent || !account) return reply;
    return reply.send({ cardAccount: accountView(consent, account, false, '/v1/card-accounts') });
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
    const asked = query.get('bookingStatus') ?? '';
    const readAsBooked =
      (faults.has('booking-status-not-checked') && !allowed.includes(asked)) ||
      (faults.has('information-as-booked') && asked === 'information');
    const bookingStatus = readAsBooked ? 'booked' : asked;
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
    if (query.get('deltaList') === 'true' && faults.has('delta-list-500')) {
      sendError(reply, faults, 500, undefined, 'internal error');
      return undefined;
    }
    if (
      !dateFrom &&
      asked !== 'information' &&
      !query.get('entryReferenceFrom') &&
      query.get('deltaList') !== 'true'
    ) {
      fail(reply, 400, 'FORMAT_ERROR', 'dateFrom is mandated unless delta access is requested', 'dateFrom');
      return undefined;
    }
    if (dateFrom && dateFrom > dateTo && !faults.has('period-not-checked')) {
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
    const exclusive = faults.has('date-bounds-exclusive');
    const inRange = (t: SeedTransaction) =>
      t.status === 'pending' ||
      faults.has('date-range-ignored') ||
      (exclusive
        ? t.bookingDate > from && t.bookingDate < dateTo
        : t.bookingDate >= from && t.bookingDate <= dateTo);
    // Entry references grow with age (E00000000 is the latest): "after" the referenced entry is newer.
    const entryFrom = query.get('entryReferenceFrom');
    const afterEntry = (t: SeedTransaction) =>
      entryFrom === null || faults.has('entry-reference-from-ignored') || t.entryReference < entryFrom;
    const wanted = (t: SeedTransaction) =>
      bookingStatus === 'both' ||
      bookingStatus === 'all' ||
      t.status === bookingStatus ||
      faults.has('booking-status-ignored');
    const all =
      bookingStatus === 'information'
        ? []
        : account.transactions.filter((t) => wanted(t) && inRange(t) && afterEntry(t));
    // A bank that does not page answers the whole list at once (Berlin Group leaves paging to the bank).
    const size = faults.has('transactions-not-paged') ? Number.MAX_SAFE_INTEGER : ctx.options.pageSize;
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
      const offByOne = faults.has('pagination-links-off-by-one');
      if (offByOne) {
        links.first = at(0);
        links.last = at(Math.max(1, page.pages - 1));
      }
      if (page.page > 1) links.previous = at(offByOne ? page.page : page.page - 1);
      if (page.page < page.pages) links.next = at(page.page + 1);
      else if (faults.has('pagination-next-loops')) links.next = at(1);
    }
    return links;
  }
}

/** 2026-12-04 as 04.12.2026. */
function localDay(date: string): string {
  return date.split('-').reverse().join('.');
}

function isoDay(offset: number): string {
  return isoDate(new Date(Date.now() + offset * 86_400_000));
}
