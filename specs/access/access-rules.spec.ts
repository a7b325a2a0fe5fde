import { type CheckBody, checksOf, test } from '../../src/checks/check.ts';
import {
  ACCOUNT,
  BALANCES,
  CARD,
  CARD_BALANCES,
  CARD_LIST,
  CARD_TRANSACTIONS,
  type ReadTarget,
  TRANSACTION,
  TRANSACTIONS,
} from '../../src/harness/ais-reads.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import { isoDay } from '../../src/harness/test-data.ts';

// The access rules of account information hold on every read, not only on the account list: a bank that checks
// the consent on one endpoint and forgets it on another serves data without the PSU's authorisation.
const accounts = checksOf('Accounts');
const cards = checksOf('Card accounts');

const WITHOUT_CONSENT_ID =
  'BG OpenAPI 1.3.12 Consent-ID (required on every AIS read); BG IG 1.3 §14.11 FORMAT_ERROR';
const CLIENT_TOKEN =
  'BG IG 1.3 §6 (account information needs the PSU-authorised consent); RFC 6750 §3.1 invalid_token';
const OTHER_CONSENTS_TOKEN =
  'BG IG 1.3 §6 (the PSU authorises the access of one consent); RFC 6750 §3.1 invalid_token; §14.11 TOKEN_INVALID, CONSENT_INVALID';
const OTHER_TPP = 'BG IG 1.3 §14.11 CONSENT_UNKNOWN ("not matching the addressed PSU/TPP")';

/** The read with the consent's token but no Consent-ID header. */
function withoutConsentId(target: ReadTarget): CheckBody {
  return async ({ api, consent }) => {
    const url = await target(api, consent);
    expectError(await api.send({ method: 'GET', url, token: consent.accessToken }), 400, ['FORMAT_ERROR']);
  };
}

/** The read with the Consent-ID but a client_credentials token instead of the consent's. */
function withClientToken(target: ReadTarget): CheckBody {
  return async ({ api, consent }) => {
    const url = await target(api, consent);
    const response = await api.send({ method: 'GET', url, consentId: consent.consentId });
    expectError(response, [401, 403], ['TOKEN_INVALID', 'CONSENT_INVALID', 'TOKEN_UNKNOWN']);
  };
}

/** The read of the run's consent with the token of the run's other consent. */
function withOtherConsentsToken(target: ReadTarget): CheckBody {
  return async ({ api, consent, accountsOnly }) => {
    const url = await target(api, consent);
    const response = await api.read(
      { consentId: consent.consentId, accessToken: accountsOnly.consent.accessToken },
      url,
    );
    expectError(
      response,
      [401, 403],
      ['TOKEN_INVALID', 'CONSENT_INVALID', 'CONSENT_UNKNOWN', 'TOKEN_UNKNOWN'],
    );
  };
}

/** The read of the run's consent by another TPP, with its own client and token. */
function asOtherTpp(target: ReadTarget): CheckBody {
  return async ({ api, consent }) => {
    const url = await target(api, consent);
    const response = await api.send({
      method: 'GET',
      url,
      consentId: consent.consentId,
      ...(await api.asOtherTpp()),
    });
    expectError(response, [401, 403], ['CONSENT_UNKNOWN']);
  };
}

const NEGATIVE = ['mandatory', 'negative', 'security'] as const;

test(
  ...accounts({
    id: 'ACC-026',
    title: 'Account details without Consent-ID are refused with 400 FORMAT_ERROR',
    reference: WITHOUT_CONSENT_ID,
    severity: 'critical',
    operations: ['readAccountDetails'],
    tags: [...NEGATIVE],
    needs: ['consent'],
  })(withoutConsentId(ACCOUNT)),
);

test(
  ...accounts({
    id: 'ACC-027',
    title: 'A client_credentials token is refused on account details',
    reference: CLIENT_TOKEN,
    severity: 'blocker',
    operations: ['readAccountDetails'],
    tags: [...NEGATIVE],
    needs: ['consent', 'clientToken'],
  })(withClientToken(ACCOUNT)),
);

test(
  ...accounts({
    id: 'ACC-028',
    title: "Another consent's access token is refused on account details",
    reference: OTHER_CONSENTS_TOKEN,
    severity: 'blocker',
    operations: ['readAccountDetails'],
    tags: [...NEGATIVE],
    needs: ['consent', 'accountsOnlyConsent'],
  })(withOtherConsentsToken(ACCOUNT)),
);

test(
  ...accounts({
    id: 'ACC-029',
    title: "Another TPP reading account details under a TPP's consent is refused with CONSENT_UNKNOWN",
    reference: OTHER_TPP,
    severity: 'blocker',
    operations: ['readAccountDetails'],
    tags: [...NEGATIVE],
    requires: ['otherTpp'],
    needs: ['consent'],
  })(asOtherTpp(ACCOUNT)),
);

test(
  ...accounts({
    id: 'BAL-009',
    title: 'Balances without Consent-ID are refused with 400 FORMAT_ERROR',
    reference: WITHOUT_CONSENT_ID,
    severity: 'critical',
    operations: ['getBalances'],
    tags: [...NEGATIVE],
    needs: ['consent'],
  })(withoutConsentId(BALANCES)),
);

test(
  ...accounts({
    id: 'BAL-010',
    title: 'A client_credentials token is refused on balances',
    reference: CLIENT_TOKEN,
    severity: 'blocker',
    operations: ['getBalances'],
    tags: [...NEGATIVE],
    needs: ['consent', 'clientToken'],
  })(withClientToken(BALANCES)),
);

test(
  ...accounts({
    id: 'BAL-011',
    title: "Another consent's access token is refused on balances",
    reference: OTHER_CONSENTS_TOKEN,
    severity: 'blocker',
    operations: ['getBalances'],
    tags: [...NEGATIVE],
    needs: ['consent', 'accountsOnlyConsent'],
  })(withOtherConsentsToken(BALANCES)),
);

test(
  ...accounts({
    id: 'BAL-012',
    title: "Another TPP reading balances under a TPP's consent is refused with CONSENT_UNKNOWN",
    reference: OTHER_TPP,
    severity: 'blocker',
    operations: ['getBalances'],
    tags: [...NEGATIVE],
    requires: ['otherTpp'],
    needs: ['consent'],
  })(asOtherTpp(BALANCES)),
);

test(
  ...accounts({
    id: 'TRX-029',
    title: 'Transactions without Consent-ID are refused with 400 FORMAT_ERROR',
    reference: WITHOUT_CONSENT_ID,
    severity: 'critical',
    operations: ['getTransactionList'],
    tags: [...NEGATIVE],
    needs: ['consent'],
  })(withoutConsentId(TRANSACTIONS)),
);

test(
  ...accounts({
    id: 'TRX-030',
    title: "Another consent's access token is refused on transactions",
    reference: OTHER_CONSENTS_TOKEN,
    severity: 'blocker',
    operations: ['getTransactionList'],
    tags: [...NEGATIVE],
    needs: ['consent', 'accountsOnlyConsent'],
  })(withOtherConsentsToken(TRANSACTIONS)),
);

test(
  ...accounts({
    id: 'TRX-031',
    title: "Another TPP reading transactions under a TPP's consent is refused with CONSENT_UNKNOWN",
    reference: OTHER_TPP,
    severity: 'blocker',
    operations: ['getTransactionList'],
    tags: [...NEGATIVE],
    requires: ['otherTpp'],
    needs: ['consent'],
  })(asOtherTpp(TRANSACTIONS)),
);

test(
  ...accounts({
    id: 'TRX-032',
    title: 'Transaction details without Consent-ID are refused with 400 FORMAT_ERROR',
    reference: WITHOUT_CONSENT_ID,
    severity: 'critical',
    operations: ['getTransactionDetails'],
    tags: [...NEGATIVE],
    needs: ['consent'],
  })(withoutConsentId(TRANSACTION)),
);

test(
  ...accounts({
    id: 'TRX-033',
    title: 'A client_credentials token is refused on transaction details',
    reference: CLIENT_TOKEN,
    severity: 'blocker',
    operations: ['getTransactionDetails'],
    tags: [...NEGATIVE],
    needs: ['consent', 'clientToken'],
  })(withClientToken(TRANSACTION)),
);

test(
  ...accounts({
    id: 'TRX-034',
    title: "Another consent's access token is refused on transaction details",
    reference: OTHER_CONSENTS_TOKEN,
    severity: 'blocker',
    operations: ['getTransactionDetails'],
    tags: [...NEGATIVE],
    needs: ['consent', 'accountsOnlyConsent'],
  })(withOtherConsentsToken(TRANSACTION)),
);

test(
  ...accounts({
    id: 'TRX-035',
    title: "Another TPP reading transaction details under a TPP's consent is refused with CONSENT_UNKNOWN",
    reference: OTHER_TPP,
    severity: 'blocker',
    operations: ['getTransactionDetails'],
    tags: [...NEGATIVE],
    requires: ['otherTpp'],
    needs: ['consent'],
  })(asOtherTpp(TRANSACTION)),
);

test(
  ...accounts({
    id: 'TRX-036',
    title: 'Transactions of an unknown account are refused with RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §6.6.1 getTransactionList; §14.11 RESOURCE_UNKNOWN',
    severity: 'normal',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const url = `/v1/accounts/psd2-conformance-no-such-account/transactions?bookingStatus=booked&dateFrom=${isoDay(-30)}`;
    expectError(await api.read(consent, url), [400, 403, 404], ['RESOURCE_UNKNOWN']);
  }),
);

test(
  ...cards({
    id: 'CRD-016',
    title: 'The card account list without Consent-ID is refused with 400 FORMAT_ERROR',
    reference: WITHOUT_CONSENT_ID,
    severity: 'critical',
    operations: ['getCardAccountList'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(withoutConsentId(CARD_LIST)),
);

test(
  ...cards({
    id: 'CRD-017',
    title: 'A client_credentials token is refused on the card account list',
    reference: CLIENT_TOKEN,
    severity: 'blocker',
    operations: ['getCardAccountList'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts'],
    needs: ['consent', 'clientToken'],
  })(withClientToken(CARD_LIST)),
);

test(
  ...cards({
    id: 'CRD-018',
    title: "Another consent's access token is refused on the card account list",
    reference: OTHER_CONSENTS_TOKEN,
    severity: 'blocker',
    operations: ['getCardAccountList'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts'],
    needs: ['consent', 'accountsOnlyConsent'],
  })(withOtherConsentsToken(CARD_LIST)),
);

test(
  ...cards({
    id: 'CRD-019',
    title: "Another TPP reading card accounts under a TPP's consent is refused with CONSENT_UNKNOWN",
    reference: OTHER_TPP,
    severity: 'blocker',
    operations: ['getCardAccountList'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts', 'otherTpp'],
    needs: ['consent'],
  })(asOtherTpp(CARD_LIST)),
);

test(
  ...cards({
    id: 'CRD-020',
    title: 'Card account details without Consent-ID are refused with 400 FORMAT_ERROR',
    reference: WITHOUT_CONSENT_ID,
    severity: 'critical',
    operations: ['readCardAccountDetails'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(withoutConsentId(CARD)),
);

test(
  ...cards({
    id: 'CRD-021',
    title: 'A client_credentials token is refused on card account details',
    reference: CLIENT_TOKEN,
    severity: 'blocker',
    operations: ['readCardAccountDetails'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts'],
    needs: ['consent', 'clientToken'],
  })(withClientToken(CARD)),
);

test(
  ...cards({
    id: 'CRD-022',
    title: "Another consent's access token is refused on card account details",
    reference: OTHER_CONSENTS_TOKEN,
    severity: 'blocker',
    operations: ['readCardAccountDetails'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts'],
    needs: ['consent', 'accountsOnlyConsent'],
  })(withOtherConsentsToken(CARD)),
);

test(
  ...cards({
    id: 'CRD-023',
    title: "Another TPP reading card account details under a TPP's consent is refused with CONSENT_UNKNOWN",
    reference: OTHER_TPP,
    severity: 'blocker',
    operations: ['readCardAccountDetails'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts', 'otherTpp'],
    needs: ['consent'],
  })(asOtherTpp(CARD)),
);

test(
  ...cards({
    id: 'CRD-024',
    title: 'Card account balances without Consent-ID are refused with 400 FORMAT_ERROR',
    reference: WITHOUT_CONSENT_ID,
    severity: 'critical',
    operations: ['getCardAccountBalances'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(withoutConsentId(CARD_BALANCES)),
);

test(
  ...cards({
    id: 'CRD-025',
    title: 'A client_credentials token is refused on card account balances',
    reference: CLIENT_TOKEN,
    severity: 'blocker',
    operations: ['getCardAccountBalances'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts'],
    needs: ['consent', 'clientToken'],
  })(withClientToken(CARD_BALANCES)),
);

test(
  ...cards({
    id: 'CRD-026',
    title: "Another consent's access token is refused on card account balances",
    reference: OTHER_CONSENTS_TOKEN,
    severity: 'blocker',
    operations: ['getCardAccountBalances'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts'],
    needs: ['consent', 'accountsOnlyConsent'],
  })(withOtherConsentsToken(CARD_BALANCES)),
);

test(
  ...cards({
    id: 'CRD-027',
    title: "Another TPP reading card account balances under a TPP's consent is refused with CONSENT_UNKNOWN",
    reference: OTHER_TPP,
    severity: 'blocker',
    operations: ['getCardAccountBalances'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts', 'otherTpp'],
    needs: ['consent'],
  })(asOtherTpp(CARD_BALANCES)),
);

test(
  ...cards({
    id: 'CRD-028',
    title: 'Card transactions without Consent-ID are refused with 400 FORMAT_ERROR',
    reference: WITHOUT_CONSENT_ID,
    severity: 'critical',
    operations: ['getCardAccountTransactionList'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(withoutConsentId(CARD_TRANSACTIONS)),
);

test(
  ...cards({
    id: 'CRD-029',
    title: 'A client_credentials token is refused on card transactions',
    reference: CLIENT_TOKEN,
    severity: 'blocker',
    operations: ['getCardAccountTransactionList'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts'],
    needs: ['consent', 'clientToken'],
  })(withClientToken(CARD_TRANSACTIONS)),
);

test(
  ...cards({
    id: 'CRD-030',
    title: "Another consent's access token is refused on card transactions",
    reference: OTHER_CONSENTS_TOKEN,
    severity: 'blocker',
    operations: ['getCardAccountTransactionList'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts'],
    needs: ['consent', 'accountsOnlyConsent'],
  })(withOtherConsentsToken(CARD_TRANSACTIONS)),
);

test(
  ...cards({
    id: 'CRD-031',
    title: "Another TPP reading card transactions under a TPP's consent is refused with CONSENT_UNKNOWN",
    reference: OTHER_TPP,
    severity: 'blocker',
    operations: ['getCardAccountTransactionList'],
    tags: [...NEGATIVE],
    requires: ['cardAccounts', 'otherTpp'],
    needs: ['consent'],
  })(asOtherTpp(CARD_TRANSACTIONS)),
);

test(
  ...cards({
    id: 'CRD-032',
    title: 'Transactions of an unknown card account are refused with RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §6.7.4 getCardAccountTransactionList; §14.11 RESOURCE_UNKNOWN',
    severity: 'minor',
    operations: ['getCardAccountTransactionList'],
    tags: ['mandatory', 'negative'],
    requires: ['cardAccounts'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const url = `/v1/card-accounts/psd2-conformance-no-such-card/transactions?bookingStatus=booked&dateFrom=${isoDay(-30)}`;
    expectError(await api.read(consent, url), [400, 403, 404], ['RESOURCE_UNKNOWN']);
  }),
);
