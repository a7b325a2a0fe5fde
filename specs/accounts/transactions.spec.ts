import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
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
        !/^-?[0-9]{1,14}(\.[0-9]{1,3})?$/.test(t.transactionAmount.amount) ||
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
