import { expect } from '@playwright/test';
import { checksOf, test } from '../../src/checks/check.ts';
import { PreconditionFailed } from '../../src/checks/failure.ts';
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
  // Finding the account is plumbing the checks stand on; an account's balances are BAL-001's rule.
  throw new PreconditionFailed(
    'a funded EUR account under the consent',
    `none of the ${accounts.length} accounts has an IBAN and an EUR balance above 1`,
  );
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

/** A card account of the PSU with its maskedPan, found through the consent's card account list. */
async function maskedPanOfCard(api: Xs2aApi, consent: AuthorisedConsent): Promise<string> {
  const list = await api.read(consent, '/v1/card-accounts', { psuInitiated: true });
  expect(list.status, `listing the card accounts: ${list.body.slice(0, 200)}`).toBe(200);
  const card = api.accountsOf<{ maskedPan?: string }>(list, 'cardAccounts').find((c) => c.maskedPan);
  expect(card?.maskedPan, 'a card account with a maskedPan under the consent').toBeTruthy();
  return card?.maskedPan ?? '';
}

/** A funds confirmation of `amount` EUR on the card account named by its maskedPan answers `available`. */
function confirmsOnCard(amount: string, available: boolean) {
  return async ({ api, consent }: { api: Xs2aApi; consent: AuthorisedConsent }) => {
    const maskedPan = await maskedPanOfCard(api, consent);
    const response = await confirm(
      api,
      { account: { maskedPan }, instructedAmount: { currency: 'EUR', amount } },
      consent,
    );
    expect(response.status, response.body.slice(0, 200)).toBe(200);
    expect(response.json<{ fundsAvailable: unknown }>().fundsAvailable).toBe(available);
  };
}

/** The funds confirmation of 1.00 EUR on the funded account, valid but for `change`: refused with 400 `codes`. */
function refusesWith(change: (body: Record<string, unknown>) => Record<string, unknown>, codes: string[]) {
  return async ({ api, consent }: { api: Xs2aApi; consent: AuthorisedConsent }) => {
    const { iban } = await fundedAccount(api, consent);
    const body = { account: { iban }, instructedAmount: { currency: 'EUR', amount: '1.00' } };
    const valid = await confirm(api, body, consent);
    expect(valid.status, `the same request without the fault: ${valid.body.slice(0, 200)}`).toBe(200);
    expectError(await confirm(api, change(body), consent), 400, codes);
  };
}

test(
  ...check({
    id: 'COF-008',
    title: 'A small amount on a card account named by its maskedPan is available',
    reference: 'BG IG 1.3 §8.1 checkAvailabilityOfFunds (account by IBAN, BBAN, PAN, maskedPAN or MSISDN)',
    severity: 'normal',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory'],
    requires: ['fundsConfirmation', 'cardAccounts'],
    needs: ['consent'],
  })(confirmsOnCard('1.00', true)),
);

test(
  ...check({
    id: 'COF-009',
    title: 'An amount beyond the limit of a card account named by its maskedPan is not available',
    reference: 'BG IG 1.3 §8.1 checkAvailabilityOfFunds',
    severity: 'critical',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', 'negative'],
    requires: ['fundsConfirmation', 'cardAccounts'],
    needs: ['consent'],
  })(confirmsOnCard('99999999999.00', false)),
);

test(
  ...check({
    id: 'COF-010',
    title: 'A request naming the payee (70 characters) is answered',
    reference: 'BG OpenAPI 1.3.12 confirmationOfFunds (payee, Max70Text, optional)',
    severity: 'minor',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory'],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { iban } = await fundedAccount(api, consent);
    const response = await confirm(
      api,
      { account: { iban }, payee: 'P'.repeat(70), instructedAmount: { currency: 'EUR', amount: '1.00' } },
      consent,
    );
    expect(response.status, response.body.slice(0, 200)).toBe(200);
    expect(response.json<{ fundsAvailable: unknown }>().fundsAvailable).toBe(true);
  }),
);

test(
  ...check({
    id: 'COF-011',
    title: 'A request whose payee has 71 characters is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 confirmationOfFunds (payee Max70Text); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', 'negative'],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(refusesWith((body) => ({ ...body, payee: 'P'.repeat(71) }), ['FORMAT_ERROR'])),
);

test(
  ...check({
    id: 'COF-012',
    title: 'A request with the amount as a JSON number is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 amountValue (a string); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', 'negative'],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(
    refusesWith((body) => ({ ...body, instructedAmount: { currency: 'EUR', amount: 1 } }), ['FORMAT_ERROR']),
  ),
);

test(
  ...check({
    id: 'COF-013',
    title: 'A request for 0.00 EUR is refused with 400 FORMAT_ERROR',
    reference:
      'BG IG 1.3 §8.1 checkAvailabilityOfFunds (the amount a payment would take); §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', 'negative'],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(
    refusesWith(
      (body) => ({ ...body, instructedAmount: { currency: 'EUR', amount: '0.00' } }),
      ['FORMAT_ERROR'],
    ),
  ),
);

test(
  ...check({
    id: 'COF-014',
    title: 'A request under a Consent-ID the bank never issued is refused with CONSENT_UNKNOWN',
    reference: 'BG OpenAPI 1.3.12 checkAvailabilityOfFunds (Consent-ID); BG IG 1.3 §14.11 CONSENT_UNKNOWN',
    severity: 'normal',
    operations: ['checkAvailabilityOfFunds'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['fundsConfirmation'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { iban } = await fundedAccount(api, consent);
    const response = await api.send({
      method: 'POST',
      url: '/v1/funds-confirmations',
      ...api.fundsCall(consent),
      consentId: `unknown-${consent.consentId}`,
      json: { account: { iban }, instructedAmount: { currency: 'EUR', amount: '1.00' } },
    });
    expectError(response, [400, 401, 403], ['CONSENT_UNKNOWN', 'CONSENT_INVALID']);
  }),
);
