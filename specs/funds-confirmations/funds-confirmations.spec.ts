import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import type { AuthorisedConsent } from '../../src/sca/flows.ts';
import type { Xs2aApi } from '../../src/xs2a/api.ts';

const check = checksOf('Funds confirmation');

type Balance = { balanceAmount: { amount: string | number; currency: string } };

/**
 * A funded EUR account of the PSU, found through the consent (funds confirmation names accounts by IBAN):
 * from the list with balances, or account by account where the list carries none (myPOS, page 18).
 */
async function fundedAccount(
  api: Xs2aApi,
  consent: AuthorisedConsent,
): Promise<{ iban: string; available: number }> {
  const { accounts } = (await api.read(consent, '/v1/accounts', { query: { withBalance: true } })).json<{
    accounts: { iban?: string; resourceId?: string; accountNumber?: string; balances?: Balance[] }[];
  }>();
  for (const account of accounts) {
    const balances =
      account.balances ??
      (await api.read(consent, `/v1/accounts/${encodeURIComponent(api.accountId(account))}/balances`)).json<{
        balances?: Balance[];
      }>().balances;
    const eur = balances?.find((b) => b.balanceAmount.currency === 'EUR');
    if (account.iban && eur && Number(eur.balanceAmount.amount) > 1) {
      return { iban: account.iban, available: Number(eur.balanceAmount.amount) };
    }
  }
  throw new Error('no EUR account with a positive balance under the consent');
}

function confirm(
  api: Xs2aApi,
  body: unknown,
  consent?: AuthorisedConsent,
  raw?: { body: string; contentType: string },
) {
  const extra = api.fundsCall(consent);
  return api.send({
    method: 'POST',
    url: '/v1/funds-confirmations',
    ...extra,
    ...(raw
      ? { body: raw.body, headers: { ...extra.headers, 'content-type': raw.contentType } }
      : { json: body }),
  });
}

test(
  ...check({
    id: 'COF-001',
    title: 'A small amount on a funded account is available',
    reference: 'BG IG 1.3 §8.1 checkAvailabilityOfFunds',
    severity: 'critical',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory'],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { iban } = await fundedAccount(api, consent);
    const response = await confirm(
      api,
      {
        account: { iban },
        instructedAmount: { currency: 'EUR', amount: '1.00' },
      },
      consent,
    );
    expect(response.status).toBe(200);
    expect(response.json<{ fundsAvailable: unknown }>().fundsAvailable).toBe(true);
  }),
);

test(
  ...check({
    id: 'COF-002',
    title: 'An amount beyond the balance is not available',
    reference: 'BG IG 1.3 §8.1 checkAvailabilityOfFunds',
    severity: 'critical',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', 'negative'],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { iban } = await fundedAccount(api, consent);
    const response = await confirm(
      api,
      {
        account: { iban },
        instructedAmount: { currency: 'EUR', amount: '99999999999.00' },
      },
      consent,
    );
    expect(response.status).toBe(200);
    expect(response.json<{ fundsAvailable: unknown }>().fundsAvailable).toBe(false);
  }),
);

test(
  ...check({
    id: 'COF-003',
    title: 'fundsAvailable is a JSON boolean',
    reference: 'BG OpenAPI 1.3.12 fundsAvailable boolean',
    severity: 'critical',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory'],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { iban } = await fundedAccount(api, consent);
    const response = await confirm(
      api,
      {
        account: { iban },
        instructedAmount: { currency: 'EUR', amount: '1.00' },
      },
      consent,
    );
    expect(typeof response.json<{ fundsAvailable: unknown }>().fundsAvailable).toBe('boolean');
  }),
);

test(
  ...check({
    id: 'COF-004',
    title: 'A request without account is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 confirmationOfFunds (account required)',
    severity: 'normal',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', 'negative'],
    requires: ['fundsConfirmation'],
  })(async ({ api }) => {
    const response = await confirm(api, { instructedAmount: { currency: 'EUR', amount: '1.00' } });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'COF-005',
    title: 'A request in currency "EURO" is refused with 400 FORMAT_ERROR',
    reference: 'BG IG 1.3 §14.11 FORMAT_ERROR; ISO 4217',
    severity: 'normal',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', 'negative'],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { iban } = await fundedAccount(api, consent);
    const response = await confirm(
      api,
      {
        account: { iban },
        instructedAmount: { currency: 'EURO', amount: '1.00' },
      },
      consent,
    );
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'COF-006',
    title: 'An unknown account is refused with RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
    severity: 'normal',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', 'negative'],
    requires: ['fundsConfirmation'],
  })(async ({ api }) => {
    const response = await confirm(api, {
      account: { iban: 'DE02120300000000202051' },
      instructedAmount: { currency: 'EUR', amount: '1.00' },
    });
    expectError(response, [400, 403, 404], ['RESOURCE_UNKNOWN', 'CARD_INVALID']);
  }),
);

test(
  ...check({
    id: 'COF-007',
    title: 'A request body that is not JSON is refused with 400 FORMAT_ERROR',
    reference: 'BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', 'negative'],
    requires: ['fundsConfirmation'],
  })(async ({ api }) => {
    const response = await confirm(api, undefined, undefined, {
      body: '{"account": {"iban": ',
      contentType: 'application/json',
    });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);
