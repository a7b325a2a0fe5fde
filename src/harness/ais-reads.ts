import { expect } from '@playwright/test';
import type { AuthorisedConsent } from '../sca/flows.ts';
import type { Xs2aApi } from '../xs2a/api.ts';
import { isoDay } from './test-data.ts';

/** Where an account-information read of the run's consent goes: a valid URL, so that a check breaks one thing only. */
export type ReadTarget = (api: Xs2aApi, consent: AuthorisedConsent) => Promise<string>;

export const ACCOUNT: ReadTarget = async (api, consent) => (await api.firstAccount(consent)).path;
export const BALANCES: ReadTarget = async (api, consent) => `${await ACCOUNT(api, consent)}/balances`;
export const TRANSACTIONS: ReadTarget = async (api, consent) =>
  `${await ACCOUNT(api, consent)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-30)}`;
export const TRANSACTION: ReadTarget = async (api, consent) => {
  const list = await api.read(consent, await TRANSACTIONS(api, consent), { psuInitiated: true });
  expect(list.status, `listing the transactions: ${list.body.slice(0, 200)}`).toBe(200);
  const id = list
    .json<{ transactions?: { booked?: { transactionId?: string }[] } }>()
    .transactions?.booked?.find((t) => t.transactionId)?.transactionId;
  expect(id, 'a booked transaction with a transactionId').toBeTruthy();
  return `${await ACCOUNT(api, consent)}/transactions/${encodeURIComponent(id ?? '')}`;
};
export const CARD_LIST: ReadTarget = async () => '/v1/card-accounts';
export const CARD: ReadTarget = async (api, consent) => {
  const list = await api.read(consent, '/v1/card-accounts', { psuInitiated: true });
  expect(list.status, `listing the card accounts: ${list.body.slice(0, 200)}`).toBe(200);
  const card = api.accountsOf<{ resourceId?: string; accountNumber?: string }>(list, 'cardAccounts')[0];
  expect(card, 'a card account under the consent').toBeTruthy();
  return `/v1/card-accounts/${encodeURIComponent(api.accountId(card))}`;
};
export const CARD_BALANCES: ReadTarget = async (api, consent) => `${await CARD(api, consent)}/balances`;
export const CARD_TRANSACTIONS: ReadTarget = async (api, consent) =>
  `${await CARD(api, consent)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-30)}`;
