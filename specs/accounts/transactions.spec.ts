import { expect } from '@playwright/test';
import { check } from '../../src/checks/check.ts';
import { isoDay, type Xs2aApi } from '../../src/suite/api.ts';
import { expectError } from '../../src/suite/expect-error.ts';
import type { AuthorisedConsent } from '../../src/suite/flows.ts';

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

check('TRX-001', async ({ api, consent }) => {
  const account = await busiestAccount(api, consent);
  const response = await api.read(consent, transactionsUrl(account), {
    query: { bookingStatus: 'booked', ...YEAR },
  });
  expect(response.status).toBe(200);
  const report = response.json<Report>().transactions;
  expect(report?.booked?.length ?? 0, 'booked transactions reported').toBeGreaterThan(0);
  expect(report?.pending ?? [], 'no pending transactions for bookingStatus=booked').toEqual([]);
});

check('TRX-002', async ({ api, consent }) => {
  const account = await busiestAccount(api, consent);
  const response = await api.read(consent, transactionsUrl(account), {
    query: { bookingStatus: 'pending', ...YEAR },
  });
  expect(response.status).toBe(200);
  const report = response.json<Report>().transactions;
  expect(report?.booked ?? [], 'no booked transactions for bookingStatus=pending').toEqual([]);
});

check('TRX-003', async ({ api, consent }) => {
  const account = await busiestAccount(api, consent);
  const response = await api.read(consent, transactionsUrl(account), {
    query: { bookingStatus: 'both', ...YEAR },
  });
  expect(response.status).toBe(200);
  const report = response.json<Report>().transactions;
  expect(Array.isArray(report?.booked), 'booked list present').toBe(true);
  expect(Array.isArray(report?.pending), 'pending list present').toBe(true);
});

check('TRX-004', async ({ api, consent }) => {
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
});

check('TRX-005', async ({ api, consent }) => {
  const account = await busiestAccount(api, consent);
  const response = await api.read(consent, transactionsUrl(account), {
    query: { bookingStatus: 'booked', ...YEAR },
  });
  expect(response.json<Report>().transactions?._links?.account?.href, '_links.account.href').toBeTruthy();
});

check('TRX-006', async ({ api, consent }) => {
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
});

check('TRX-007', async ({ api, consent }) => {
  const account = await busiestAccount(api, consent);
  const response = await api.read(consent, transactionsUrl(account), {
    query: { bookingStatus: 'booked', dateFrom: isoDay(-1), dateTo: isoDay(-30) },
  });
  expectError(response, 400, ['PERIOD_INVALID', 'FORMAT_ERROR', 'PARAMETER_NOT_CONSISTENT']);
});

check('TRX-008', async ({ api, consent }) => {
  const account = await busiestAccount(api, consent);
  const response = await api.read(consent, transactionsUrl(account), { query: YEAR });
  expectError(response, 400, ['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED', 'PARAMETER_NOT_CONSISTENT']);
});

check('TRX-009', async ({ api, consent }) => {
  const account = await busiestAccount(api, consent);
  const response = await api.read(consent, transactionsUrl(account), {
    query: { bookingStatus: 'everything', ...YEAR },
  });
  expectError(response, 400, ['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED']);
});

check('TRX-010', async ({ api, consent }) => {
  const account = await busiestAccount(api, consent);
  const list = await api.read(consent, transactionsUrl(account), {
    query: { bookingStatus: 'booked', ...YEAR },
  });
  const id = list.json<Report>().transactions?.booked?.find((t) => t.transactionId)?.transactionId;
  expect(id, 'a booked transaction with a transactionId').toBeTruthy();
  const response = await api.read(consent, `${transactionsUrl(account)}/${encodeURIComponent(id ?? '')}`);
  expect(response.status).toBe(200);
  expect(response.json<{ transactionDetails?: Transaction }>().transactionDetails?.transactionId ?? id).toBe(
    id,
  );
});

check('TRX-011', async ({ api, consent }) => {
  const account = await busiestAccount(api, consent);
  const response = await api.read(
    consent,
    `${transactionsUrl(account)}/psd2-conformance-no-such-transaction`,
  );
  expectError(response, [400, 403, 404], ['RESOURCE_UNKNOWN']);
});

check('TRX-012', async ({ api, consent }) => {
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
});

check('TRX-013', async ({ api, consent }) => {
  const account = await busiestAccount(api, consent);
  const response = await api.read(consent, transactionsUrl(account), {
    query: { bookingStatus: 'booked', ...YEAR, withBalance: true },
  });
  expect(response.status).toBe(200);
  expect(response.json<Report>().balances?.length ?? 0, 'balances in the report').toBeGreaterThan(0);
});

check('TRX-014', async ({ api, consent }) => {
  const account = await busiestAccount(api, consent);
  const response = await api.read(consent, transactionsUrl(account), { query: { bookingStatus: 'booked' } });
  expectError(response, 400, ['FORMAT_ERROR', 'PARAMETER_NOT_CONSISTENT', 'PERIOD_INVALID']);
});
