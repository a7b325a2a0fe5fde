import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { AMOUNT_VALUE, ISO_DATE } from '../../src/harness/berlin-group-formats.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import { isoDay } from '../../src/harness/test-data.ts';
import type { AuthorisedConsent } from '../../src/sca/flows.ts';
import type { Xs2aApi } from '../../src/xs2a/api.ts';

const check = checksOf('Accounts');

interface Transaction {
  transactionId?: string;
  bookingDate?: string;
  transactionAmount?: { currency?: unknown; amount?: unknown };
}
interface Report {
  transactions?: {
    booked?: Transaction[];
    pending?: Transaction[];
    _links?: Record<string, { href?: string }>;
  };
  balances?: unknown[];
}

/** The account with the most transactions over the last year: the one pagination shows on. */
async function busiestAccount(api: Xs2aApi, consent: AuthorisedConsent): Promise<string> {
  const { accounts } = (await api.read(consent, '/v1/accounts')).json<{
    accounts: { resourceId?: string; accountNumber?: string }[];
  }>();
  return api.accountId(accounts[0]);
}

function transactionsUrl(accountId: string): string {
  return `/v1/accounts/${encodeURIComponent(accountId)}/transactions`;
}

const YEAR = { dateFrom: isoDay(-365), dateTo: isoDay(0) };

test(
  ...check({
    id: 'TRX-001',
    title: 'bookingStatus=booked reports booked transactions only',
    reference: 'BG IG 1.3 §6.6.1 getTransactionList bookingStatus',
    severity: 'critical',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'booked', ...YEAR },
    });
    expect(response.status).toBe(200);
    const report = response.json<Report>().transactions;
    expect(report?.booked?.length ?? 0, 'booked transactions reported').toBeGreaterThan(0);
    expect(report?.pending ?? [], 'no pending transactions for bookingStatus=booked').toEqual([]);
  }),
);

test(
  ...check({
    id: 'TRX-002',
    title: 'bookingStatus=pending reports pending transactions only',
    reference:
      'BG IG 1.3 §6.6.1 getTransactionList bookingStatus ("pending" and "both" optional for the ASPSP)',
    severity: 'normal',
    requires: ['pendingTransactions'],
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'pending', ...YEAR },
    });
    expect(response.status).toBe(200);
    const report = response.json<Report>().transactions;
    expect(report?.booked ?? [], 'no booked transactions for bookingStatus=pending').toEqual([]);
  }),
);

test(
  ...check({
    id: 'TRX-003',
    title: 'bookingStatus=both reports booked and pending transactions',
    reference:
      'BG IG 1.3 §6.6.1 getTransactionList bookingStatus ("pending" and "both" optional for the ASPSP)',
    severity: 'normal',
    requires: ['pendingTransactions'],
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'both', ...YEAR },
    });
    expect(response.status).toBe(200);
    const report = response.json<Report>().transactions;
    expect(Array.isArray(report?.booked), 'booked list present').toBe(true);
    expect(Array.isArray(report?.pending), 'pending list present').toBe(true);
  }),
);

test(
  ...check({
    id: 'TRX-004',
    title: 'Booked transactions lie within dateFrom and dateTo',
    reference: 'BG IG 1.3 §6.6.1 getTransactionList dateFrom, dateTo',
    severity: 'critical',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const dateFrom = isoDay(-60);
    const dateTo = isoDay(-30);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'booked', dateFrom, dateTo },
    });
    expect(response.status).toBe(200);
    const outside = (response.json<Report>().transactions?.booked ?? []).filter(
      (t) => t.bookingDate !== undefined && (t.bookingDate < dateFrom || t.bookingDate > dateTo),
    );
    expect(
      outside.map((t) => `${t.transactionId} ${t.bookingDate}`),
      `booked outside ${dateFrom}..${dateTo}`,
    ).toEqual([]);
  }),
);

test(
  ...check({
    id: 'TRX-005',
    title: 'The transaction report links back to its account',
    reference: 'BG OpenAPI 1.3.12 _linksAccountReport (account required)',
    severity: 'critical',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'booked', ...YEAR },
    });
    expect(response.json<Report>().transactions?._links?.account?.href, '_links.account.href').toBeTruthy();
  }),
);

test(
  ...check({
    id: 'TRX-006',
    title: 'Following _links.next ends, and reports each transaction once',
    reference: 'BG IG 1.3 §6.6.1 getTransactionList _links next',
    severity: 'critical',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    requires: ['transactionPagination'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    let url: string | undefined =
      `${transactionsUrl(account)}?bookingStatus=booked&dateFrom=${YEAR.dateFrom}&dateTo=${YEAR.dateTo}`;
    const seen = new Map<string, number>();
    const visited = new Set<string>();
    let pages = 0;
    while (url) {
      expect(visited.has(url), `next link revisits ${url}`).toBe(false);
      expect(pages, 'pagination ends within 100 pages').toBeLessThan(100);
      visited.add(url);
      const response = await api.read(consent, url);
      expect(response.status).toBe(200);
      const report = response.json<Report>().transactions;
      for (const t of report?.booked ?? [])
        seen.set(t.transactionId ?? '', (seen.get(t.transactionId ?? '') ?? 0) + 1);
      url = report?._links?.next?.href;
      pages++;
    }
    const twice = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    expect(twice, 'transactions reported more than once').toEqual([]);
    expect(pages, 'the long transaction list is paginated').toBeGreaterThan(1);
  }),
);

test(
  ...check({
    id: 'TRX-007',
    title: 'dateFrom after dateTo is refused with 400',
    reference: 'BG IG 1.3 §14.11 PERIOD_INVALID',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'booked', dateFrom: isoDay(-1), dateTo: isoDay(-30) },
    });
    expectError(response, 400, ['PERIOD_INVALID', 'FORMAT_ERROR', 'PARAMETER_NOT_CONSISTENT']);
  }),
);

test(
  ...check({
    id: 'TRX-008',
    title: 'A transaction read without bookingStatus is refused with 400',
    reference: 'BG OpenAPI 1.3.12 bookingStatus required',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), { query: YEAR });
    expectError(response, 400, ['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED', 'PARAMETER_NOT_CONSISTENT']);
  }),
);

test(
  ...check({
    id: 'TRX-009',
    title: 'An unknown bookingStatus is refused with 400',
    reference: 'BG OpenAPI 1.3.12 bookingStatus enum',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'everything', ...YEAR },
    });
    expectError(response, 400, ['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED']);
  }),
);

test(
  ...check({
    id: 'TRX-010',
    title: 'A listed transaction can be read by its transactionId',
    reference: 'BG IG 1.3 §6.6.3 getTransactionDetails',
    severity: 'normal',
    operations: ['getTransactionDetails'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const list = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'booked', ...YEAR },
    });
    const id = list.json<Report>().transactions?.booked?.find((t) => t.transactionId)?.transactionId;
    expect(id, 'a booked transaction with a transactionId').toBeTruthy();
    const response = await api.read(consent, `${transactionsUrl(account)}/${encodeURIComponent(id ?? '')}`);
    expect(response.status).toBe(200);
    expect(
      response.json<{ transactionDetails?: Transaction }>().transactionDetails?.transactionId ?? id,
    ).toBe(id);
  }),
);

test(
  ...check({
    id: 'TRX-011',
    title: 'An unknown transactionId is refused with RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
    severity: 'minor',
    operations: ['getTransactionDetails'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(
      consent,
      `${transactionsUrl(account)}/psd2-conformance-no-such-transaction`,
    );
    expectError(response, [400, 403, 404], ['RESOURCE_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'TRX-012',
    title: 'Transaction amounts are decimal strings with an ISO 4217 currency',
    reference: 'BG OpenAPI 1.3.12 amountValue',
    severity: 'critical',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'both', ...YEAR },
    });
    const report = response.json<Report>().transactions;
    const all = [...(report?.booked ?? []), ...(report?.pending ?? [])];
    expect(all.length).toBeGreaterThan(0);
    const bad = all.filter(
      (t) =>
        typeof t.transactionAmount?.amount !== 'string' ||
        !AMOUNT_VALUE.test(t.transactionAmount.amount) ||
        !/^[A-Z]{3}$/.test(String(t.transactionAmount?.currency)),
    );
    expect(
      bad.slice(0, 3).map((t) => JSON.stringify(t.transactionAmount)),
      'amounts that are not strings with ISO currency',
    ).toEqual([]);
  }),
);

test(
  ...check({
    id: 'TRX-013',
    title: 'withBalance=true adds balances to the transaction report',
    reference: 'BG IG 1.3 §6.6.1 getTransactionList withBalance ("might be ignored by the ASPSP")',
    severity: 'minor',
    requires: ['withBalance'],
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'booked', ...YEAR, withBalance: true },
    });
    expect(response.status).toBe(200);
    expect(response.json<Report>().balances?.length ?? 0, 'balances in the report').toBeGreaterThan(0);
  }),
);

test(
  ...check({
    id: 'TRX-014',
    title: 'A booked read without dateFrom is refused with 400 (dateFrom is mandated)',
    reference: 'BG IG 1.3 §6.6.1 getTransactionList dateFrom',
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'booked' },
    });
    expectError(response, 400, ['FORMAT_ERROR', 'PARAMETER_NOT_CONSISTENT', 'PERIOD_INVALID']);
  }),
);

test(
  ...check({
    id: 'TRX-015',
    title: 'A client_credentials token is refused on transactions',
    reference: 'BG IG 1.3 §6 (account information needs the PSU-authorised consent); RFC 6750 §3.1',
    severity: 'blocker',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['consent', 'clientToken'],
  })(async ({ api, consent }) => {
    const url = `${transactionsUrl(await busiestAccount(api, consent))}?bookingStatus=booked`;
    const response = await api.send({ method: 'GET', url, consentId: consent.consentId });
    expectError(response, [401, 403], ['TOKEN_INVALID', 'CONSENT_INVALID', 'TOKEN_UNKNOWN']);
  }),
);

interface Entry extends Transaction {
  entryReference?: string;
  valueDate?: string;
  _links?: { transactionDetails?: { href?: string } };
}

/** The booked entries of the busiest account over the last year, first page. */
async function bookedEntries(api: Xs2aApi, consent: AuthorisedConsent) {
  const account = await busiestAccount(api, consent);
  const response = await api.read(consent, transactionsUrl(account), {
    query: { bookingStatus: 'booked', ...YEAR },
  });
  expect(response.status, response.body.slice(0, 200)).toBe(200);
  const booked: Entry[] = response.json<{ transactions?: { booked?: Entry[] } }>().transactions?.booked ?? [];
  expect(booked.length, 'booked transactions over the last year').toBeGreaterThan(0);
  return { account, booked };
}

test(
  ...check({
    id: 'TRX-016',
    title:
      'bookingStatus=information reports no booked or pending transactions (or is refused as not supported)',
    reference:
      'BG IG 1.3 §6.6.1 getTransactionList bookingStatus "information" (standing orders); BG OpenAPI 1.3.12 accountReport information; §14.11 PARAMETER_NOT_SUPPORTED',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'information' },
    });
    if (response.status !== 200) {
      expectError(response, 400, ['PARAMETER_NOT_SUPPORTED', 'FORMAT_ERROR']);
      return;
    }
    const report = response.json<Report>().transactions;
    expect(
      { booked: report?.booked ?? [], pending: report?.pending ?? [] },
      'transactions in a report of standing orders',
    ).toEqual({ booked: [], pending: [] });
  }),
);

test(
  ...check({
    id: 'TRX-017',
    title: 'A dateFrom that is not an ISO date (01.01.2026) is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 getTransactionList dateFrom (format date); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'booked', dateFrom: '01.01.2026' },
    });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'TRX-018',
    title: 'A dateTo that is not an ISO date (31/12/2026) is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 getTransactionList dateTo (format date); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'booked', dateFrom: YEAR.dateFrom, dateTo: '31/12/2026' },
    });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'TRX-019',
    title:
      'entryReferenceFrom reports only the transactions after the referenced entry (or is refused as not supported)',
    reference:
      'BG OpenAPI 1.3.12 getTransactionList entryReferenceFrom ("all transactions after the transaction with identification entryReferenceFrom"; "Optional if supported by API provider"); §14.11 PARAMETER_NOT_SUPPORTED',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { account, booked } = await bookedEntries(api, consent);
    const referenced = booked.find((t, i) => t.entryReference && i > 0);
    if (!referenced?.entryReference) {
      test
        .info()
        .annotations.push({ type: 'bank-choice', description: 'booked entries carry no entryReference' });
      return;
    }
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'booked', entryReferenceFrom: referenced.entryReference },
    });
    if (response.status !== 200) {
      expectError(response, 400, ['PARAMETER_NOT_SUPPORTED']);
      return;
    }
    const after: Entry[] =
      response.json<{ transactions?: { booked?: Entry[] } }>().transactions?.booked ?? [];
    expect(
      after.map((t) => t.entryReference),
      'the referenced entry is not after itself',
    ).not.toContain(referenced.entryReference);
    const older = after.filter((t) => (t.bookingDate ?? '') < (referenced.bookingDate ?? ''));
    expect(
      older.map((t) => `${t.entryReference} booked ${t.bookingDate}`),
      `entries booked before the referenced one (${referenced.bookingDate})`,
    ).toEqual([]);
  }),
);

test(
  ...check({
    id: 'TRX-020',
    title: 'The details of a listed transaction describe that transaction: same transactionId and amount',
    reference: 'BG IG 1.3 §6.6.3 getTransactionDetails',
    severity: 'normal',
    operations: ['getTransactionDetails'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { account, booked } = await bookedEntries(api, consent);
    const listed = booked.filter((t) => t.transactionId).at(-1);
    expect(listed, 'a booked transaction with a transactionId').toBeTruthy();
    const response = await api.read(
      consent,
      `${transactionsUrl(account)}/${encodeURIComponent(listed?.transactionId ?? '')}`,
    );
    expect(response.status).toBe(200);
    const details = response.json<{ transactionDetails?: Transaction }>().transactionDetails;
    expect(
      { transactionId: details?.transactionId, amount: details?.transactionAmount },
      `details of ${listed?.transactionId}`,
    ).toEqual({ transactionId: listed?.transactionId, amount: listed?.transactionAmount });
  }),
);

test(
  ...check({
    id: 'TRX-021',
    title: 'bookingDate and valueDate of reported transactions are ISO 8601 dates',
    reference: 'BG OpenAPI 1.3.12 transactions bookingDate, valueDate (format date)',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { booked } = await bookedEntries(api, consent);
    const malformed = booked.flatMap((t) =>
      (['bookingDate', 'valueDate'] as const)
        .filter((field) => t[field] !== undefined && !ISO_DATE.test(String(t[field])))
        .map((field) => `${t.transactionId}: ${field} ${t[field]}`),
    );
    expect(malformed, 'dates that are not ISO 8601 dates').toEqual([]);
  }),
);

test(
  ...check({
    id: 'TRX-022',
    title: "A transaction's transactionDetails link leads to its details",
    reference: 'BG OpenAPI 1.3.12 transactions _links transactionDetails; BG IG 1.3 §6.6.3',
    severity: 'minor',
    operations: ['getTransactionList', 'getTransactionDetails'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { booked } = await bookedEntries(api, consent);
    const linked = booked.find((t) => t._links?.transactionDetails?.href);
    if (!linked) {
      test.info().annotations.push({ type: 'bank-choice', description: 'no transactionDetails links' });
      return;
    }
    const href = linked._links?.transactionDetails?.href ?? '';
    const response = await api.read(consent, href);
    expect(response.status, `GET ${href}`).toBe(200);
    expect(response.json<{ transactionDetails?: Transaction }>().transactionDetails?.transactionId).toBe(
      linked.transactionId,
    );
  }),
);

/** The first page of the busiest account's booked transactions over the last year, and its links. */
async function firstPage(api: Xs2aApi, consent: AuthorisedConsent) {
  const account = await busiestAccount(api, consent);
  const url = `${transactionsUrl(account)}?bookingStatus=booked&dateFrom=${YEAR.dateFrom}&dateTo=${YEAR.dateTo}`;
  const response = await api.read(consent, url);
  expect(response.status).toBe(200);
  const report = response.json<Report>().transactions;
  expect(report?._links?.next?.href, 'the long transaction list is paginated (_links.next)').toBeTruthy();
  return { url, links: report?._links ?? {}, ids: (report?.booked ?? []).map((t) => t.transactionId) };
}

/** The page a link leads to reports the transactions of the first page, in its order. */
async function expectFirstPageAt(api: Xs2aApi, consent: AuthorisedConsent, href: string, ids: unknown[]) {
  const response = await api.read(consent, href);
  expect(response.status, `GET ${href}`).toBe(200);
  const reported = (response.json<Report>().transactions?.booked ?? []).map((t) => t.transactionId);
  expect(reported, `the transactions of the page ${href} leads to`).toEqual(ids);
}

test(
  ...check({
    id: 'TRX-023',
    title: 'The last link of a paged report leads to a page that has no next link',
    reference: 'BG IG 1.3 §6.6.1 getTransactionList _links last, next',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    requires: ['transactionPagination'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { links } = await firstPage(api, consent);
    const href = links.last?.href;
    expect(href, '_links.last of a paged report').toBeTruthy();
    const last = await api.read(consent, href ?? '');
    expect(last.status).toBe(200);
    expect(
      last.json<Report>().transactions?._links?.next,
      `_links.next on the last page (${href})`,
    ).toBeUndefined();
  }),
);

test(
  ...check({
    id: 'TRX-024',
    title: 'The previous link of the second page leads back to the first page',
    reference: 'BG IG 1.3 §6.6.1 getTransactionList _links previous, next',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    requires: ['transactionPagination'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const first = await firstPage(api, consent);
    const second = await api.read(consent, first.links.next?.href ?? '');
    expect(second.status).toBe(200);
    const href = second.json<Report>().transactions?._links?.previous?.href;
    expect(href, '_links.previous of the second page').toBeTruthy();
    await expectFirstPageAt(api, consent, href ?? '', first.ids);
  }),
);

test(
  ...check({
    id: 'TRX-025',
    title: 'deltaList=true is served or refused as not supported (400), never a server error',
    reference:
      'BG OpenAPI 1.3.12 getTransactionList deltaList ("might be rejected by the ASPSP if this function is not supported"); BG IG 1.3 §14.11 PARAMETER_NOT_SUPPORTED',
    severity: 'minor',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const account = await busiestAccount(api, consent);
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'booked', deltaList: true },
    });
    if (response.status === 200) return;
    expectError(response, 400, ['PARAMETER_NOT_SUPPORTED', 'FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'TRX-026',
    title: 'dateFrom and dateTo are inclusive: a transaction booked on the day asked is reported',
    reference:
      'BG OpenAPI 1.3.12 getTransactionList dateFrom ("inclusive the date dateFrom"), dateTo ("inclusive the data dateTo")',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { account, booked } = await bookedEntries(api, consent);
    const day = booked.find((t) => t.bookingDate && t.transactionId);
    expect(day, 'a booked transaction with a bookingDate').toBeTruthy();
    const response = await api.read(consent, transactionsUrl(account), {
      query: { bookingStatus: 'booked', dateFrom: day?.bookingDate, dateTo: day?.bookingDate },
    });
    expect(response.status).toBe(200);
    const reported = (response.json<Report>().transactions?.booked ?? []).map((t) => t.transactionId);
    expect(reported, `transactions booked on ${day?.bookingDate}`).toContain(day?.transactionId);
  }),
);

test(
  ...check({
    id: 'TRX-037',
    title: 'The first link of a paged report leads to its first page',
    reference: 'BG IG 1.3 §6.6.1 getTransactionList _links first',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory'],
    requires: ['transactionPagination'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const first = await firstPage(api, consent);
    const href = first.links.first?.href;
    expect(href, '_links.first of a paged report').toBeTruthy();
    await expectFirstPageAt(api, consent, href ?? '', first.ids);
  }),
);
