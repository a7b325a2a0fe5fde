/**
 * The rule catalogue: one entry per check, with a stable ID, the spec's words, the reference and a
 * severity. Specs implement the checks by ID; docs/checks.md and the report labels come from here.
 */
import type { Profile } from '../config/profile.ts';

export type Severity = 'blocker' | 'critical' | 'normal' | 'minor';
export type Tag = 'mandatory' | 'negative' | 'security' | 'browser';
export type Service =
  | 'Transport'
  | 'OAuth2'
  | 'SCA'
  | 'Consents'
  | 'Accounts'
  | 'Card accounts'
  | 'Payments'
  | 'Funds confirmation'
  | 'Errors'
  | 'Contract';

export type Capability =
  | 'cardAccounts'
  | 'fundsConfirmation'
  | 'bankOfferedConsent'
  | 'refreshTokens'
  | 'transactionPagination'
  | 'paymentCancellation'
  | 'roleCertificates'
  | 'clientSecretBasic'
  | 'shortCodeLifetime'
  | 'otherTpp'
  | 'expiredConsentFixture'
  | 'sepa-credit-transfers'
  | 'cross-border-credit-transfers';

export interface Check {
  id: string;
  title: string;
  service: Service;
  /** The operationIds the check is about; contract violations on them fail the check. */
  operations: string[];
  reference: string;
  severity: Severity;
  tags: Tag[];
  requires: Capability[];
}

const checks: Check[] = [];

function add(
  id: string,
  service: Service,
  operations: string | string[],
  severity: Severity,
  tags: Tag[],
  reference: string,
  title: string,
  requires: Capability[] = [],
): void {
  checks.push({
    id,
    title,
    service,
    operations: Array.isArray(operations) ? operations : operations ? [operations] : [],
    reference,
    severity,
    tags,
    requires,
  });
}

const M: Tag[] = ['mandatory'];
const N: Tag[] = ['mandatory', 'negative'];
const S: Tag[] = ['mandatory', 'negative', 'security'];
const B: Tag[] = ['mandatory', 'browser'];
const BN: Tag[] = ['mandatory', 'negative', 'browser'];
const BS: Tag[] = ['mandatory', 'negative', 'security', 'browser'];

// Transport: TLS and the QWAC client certificate.
const TLS_REF = 'myPOS PSD2 overview, Security Requirements; RTS (EU) 2018/389 Art. 34';
add('TLS-001', 'Transport', [], 'blocker', S, TLS_REF, 'A TLS 1.0 handshake is refused');
add('TLS-002', 'Transport', [], 'blocker', S, TLS_REF, 'A TLS 1.1 handshake is refused');
add(
  'TLS-003',
  'Transport',
  [],
  'blocker',
  M,
  TLS_REF,
  'A TLS 1.2 handshake with the client certificate succeeds',
);
add(
  'TLS-004',
  'Transport',
  [],
  'blocker',
  S,
  TLS_REF,
  'The XS2A API refuses a connection without a client certificate',
);
add(
  'TLS-005',
  'Transport',
  [],
  'blocker',
  S,
  TLS_REF,
  'The token endpoint refuses a connection without a client certificate',
);
add(
  'TLS-006',
  'Transport',
  [],
  'blocker',
  S,
  'ETSI TS 119 495 §5; eIDAS Art. 45',
  'A client certificate from an untrusted CA is refused',
  ['roleCertificates'],
);
add(
  'TLS-007',
  'Transport',
  [],
  'blocker',
  S,
  'RFC 5280 §4.1.2.5; ETSI TS 119 495',
  'An expired client certificate is refused',
  ['roleCertificates'],
);
add(
  'TLS-008',
  'Transport',
  'getAccountList',
  'critical',
  S,
  'ETSI TS 119 495 §5.1; BG IG 1.3 §14.11 CERTIFICATE_INVALID',
  'A certificate without the PSD2 QCStatement is refused with 401 CERTIFICATE_INVALID',
  ['roleCertificates'],
);
add(
  'TLS-009',
  'Transport',
  'initiatePayment',
  'critical',
  S,
  'ETSI TS 119 495 §5.1 PSP_PI; BG IG 1.3 §14.11 ROLE_INVALID',
  'An AIS-only certificate is refused on payment initiation with 401 ROLE_INVALID',
  ['roleCertificates'],
);
add(
  'TLS-010',
  'Transport',
  'createConsent',
  'critical',
  S,
  'ETSI TS 119 495 §5.1 PSP_AI; BG IG 1.3 §14.11 ROLE_INVALID',
  'A PIS-only certificate is refused on consent creation with 401 ROLE_INVALID',
  ['roleCertificates'],
);
add(
  'TLS-011',
  'Transport',
  'checkAvailabilityOfFunds',
  'critical',
  S,
  'ETSI TS 119 495 §5.1 PSP_IC; BG IG 1.3 §14.11 ROLE_INVALID',
  'An AIS-only certificate is refused on funds confirmation with 401 ROLE_INVALID',
  ['roleCertificates', 'fundsConfirmation'],
);
add(
  'TLS-012',
  'Transport',
  'getAccountList',
  'critical',
  S,
  'ETSI TS 119 495 §5.1 PSP_AI; BG IG 1.3 §14.11 ROLE_INVALID',
  'A PIIS-only certificate is refused on account information with 401 ROLE_INVALID',
  ['roleCertificates'],
);
add(
  'TLS-013',
  'Transport',
  'createConsent',
  'normal',
  M,
  'ETSI TS 119 495 §5.1 PSP_AI',
  'An AIS-only certificate is accepted for consent creation',
  ['roleCertificates'],
);
add(
  'TLS-014',
  'Transport',
  [],
  'critical',
  M,
  'RFC 9110 §4.3.4; RFC 6125',
  'The server certificate chains to the configured CA and names the host',
);

// OAuth2 token endpoint (RFC 6749) as the myPOS overview uses it.
add(
  'OAU-001',
  'OAuth2',
  'requestToken',
  'blocker',
  M,
  'RFC 6749 §4.4; myPOS overview step 2',
  'client_credentials issues an access token (client_secret_post)',
);
add(
  'OAU-002',
  'OAuth2',
  'requestToken',
  'critical',
  ['mandatory', 'security'],
  'RFC 6749 §5.1',
  'The token response carries Cache-Control: no-store',
);
add(
  'OAU-003',
  'OAuth2',
  'requestToken',
  'critical',
  M,
  'RFC 6749 §5.1, §7.1; RFC 6750 §4',
  'The token_type is Bearer',
);
add(
  'OAU-004',
  'OAuth2',
  'requestToken',
  'normal',
  M,
  'RFC 6749 §5.1; myPOS overview step 2',
  'expires_in is a positive number of seconds',
);
add(
  'OAU-005',
  'OAuth2',
  'requestToken',
  'critical',
  M,
  'RFC 6749 §5.1',
  'The token response is JSON and matches the token contract',
);
add(
  'OAU-006',
  'OAuth2',
  'requestToken',
  'normal',
  M,
  'RFC 6749 §2.3.1',
  'client_secret_basic authenticates the client',
  ['clientSecretBasic'],
);
add(
  'OAU-007',
  'OAuth2',
  'requestToken',
  'blocker',
  S,
  'RFC 6749 §5.2 invalid_client',
  'A wrong client secret is refused with 401 invalid_client',
);
add(
  'OAU-008',
  'OAuth2',
  'requestToken',
  'critical',
  S,
  'RFC 6749 §5.2 invalid_client',
  'An unknown client_id is refused with invalid_client',
);
add(
  'OAU-009',
  'OAuth2',
  'requestToken',
  'normal',
  N,
  'RFC 6749 §5.2 unsupported_grant_type',
  'An unsupported grant_type is refused with unsupported_grant_type',
);
add(
  'OAU-010',
  'OAuth2',
  'requestToken',
  'normal',
  N,
  'RFC 6749 §5.2 invalid_request',
  'A token request without grant_type is refused with invalid_request',
);
add(
  'OAU-011',
  'OAuth2',
  'requestToken',
  'blocker',
  B,
  'RFC 6749 §4.1.3, §4.1.4',
  'authorization_code issues an access token and a refresh token',
);
add(
  'OAU-012',
  'OAuth2',
  'requestToken',
  'blocker',
  BS,
  'RFC 6749 §4.1.2',
  'An authorization code is accepted once only (invalid_grant on reuse)',
);
add(
  'OAU-013',
  'OAuth2',
  'requestToken',
  'critical',
  BS,
  'RFC 6749 §4.1.3',
  'A code exchanged with another redirect_uri is refused with invalid_grant',
);
add(
  'OAU-014',
  'OAuth2',
  'requestToken',
  'critical',
  BS,
  'RFC 6749 §4.1.2, §5.2',
  'An expired authorization code is refused with invalid_grant',
  ['shortCodeLifetime'],
);
add(
  'OAU-015',
  'OAuth2',
  'requestToken',
  'critical',
  B,
  'RFC 6749 §6; myPOS overview step 8',
  'refresh_token issues a new access token that reads accounts',
  ['refreshTokens'],
);
add(
  'OAU-016',
  'OAuth2',
  'requestToken',
  'normal',
  BS,
  'RFC 6749 §6; RFC 9700 §4.14.2',
  'A refresh token is rotated: once used it is refused',
  ['refreshTokens'],
);
add(
  'OAU-017',
  'OAuth2',
  'requestToken',
  'critical',
  BS,
  'RFC 6749 §6; BG IG 1.3 §6.3.5',
  'The refresh token of a deleted consent is refused with invalid_grant',
  ['refreshTokens'],
);
add(
  'OAU-018',
  'OAuth2',
  'requestToken',
  'normal',
  N,
  'RFC 6749 §5.2',
  'Token errors are JSON with a closed RFC 6749 error code',
);
add(
  'OAU-019',
  'OAuth2',
  'requestToken',
  'critical',
  S,
  'RFC 6749 §5.2 invalid_grant',
  'An unknown authorization code is refused with invalid_grant',
);
add(
  'OAU-020',
  'OAuth2',
  'requestToken',
  'critical',
  S,
  'RFC 6749 §2.3, §5.2',
  'A token request without client authentication is refused with invalid_client',
);

// SCA: the PSU's browser journey.
add(
  'SCA-001',
  'SCA',
  ['getConsentStatus'],
  'blocker',
  B,
  'BG IG 1.3 §6.3.3; myPOS overview AIS step 3',
  'An approved consent has status valid',
);
add(
  'SCA-002',
  'SCA',
  [],
  'blocker',
  B,
  'RFC 6749 §4.1.2',
  'After approval the browser returns to the redirect URI with a code',
);
add(
  'SCA-003',
  'SCA',
  [],
  'critical',
  BS,
  'RFC 6749 §4.1.2, §10.12',
  'The state sent with the authorization request comes back unchanged',
);
add(
  'SCA-004',
  'SCA',
  [],
  'critical',
  BN,
  'RFC 6749 §4.1.2.1',
  'A declined authorisation returns error=access_denied',
);
add(
  'SCA-005',
  'SCA',
  ['getConsentStatus'],
  'critical',
  BN,
  'BG IG 1.3 §6.3.3 consentStatus rejected',
  'A declined consent has status rejected',
);
add(
  'SCA-006',
  'SCA',
  ['getPaymentInitiationStatus'],
  'blocker',
  B,
  'BG IG 1.3 §5.6; ISO 20022 status codes',
  'An approved payment is accepted (ACTC, ACSC, ACCP, ACSP, ACWC or ACCC)',
  ['sepa-credit-transfers'],
);
add(
  'SCA-007',
  'SCA',
  ['getPaymentInitiationStatus'],
  'critical',
  BN,
  'BG IG 1.3 §5.6 RJCT',
  'A declined payment is rejected (RJCT)',
  ['sepa-credit-transfers'],
);
add(
  'SCA-008',
  'SCA',
  [],
  'normal',
  BN,
  'RFC 6749 §4.1.2.1',
  'The state comes back unchanged on a declined authorisation too',
);
add(
  'SCA-009',
  'SCA',
  ['getConsentScaStatus'],
  'normal',
  B,
  'BG IG 1.3 §7.6 scaStatus',
  'The consent authorisation reads finalised after approval',
);

// Consents.
const CREATE = 'BG IG 1.3 §6.3.1.1 createConsent';
add('CON-001', 'Consents', 'createConsent', 'blocker', M, CREATE, 'Creating a consent answers 201 Created');
add(
  'CON-002',
  'Consents',
  'createConsent',
  'critical',
  M,
  CREATE,
  'A new consent has consentStatus received',
);
add(
  'CON-003',
  'Consents',
  'createConsent',
  'critical',
  M,
  CREATE,
  'The 201 response carries a Location header',
);
add(
  'CON-004',
  'Consents',
  ['createConsent', 'getConsentInformation'],
  'normal',
  M,
  `${CREATE}; RFC 9110 §10.2.2`,
  'The Location header points at the created consent',
);
add(
  'CON-005',
  'Consents',
  'createConsent',
  'critical',
  M,
  CREATE,
  'The 201 response carries ASPSP-SCA-Approach REDIRECT',
);
add(
  'CON-006',
  'Consents',
  'createConsent',
  'blocker',
  M,
  `${CREATE}; myPOS overview AIS step 2`,
  "The 201 response links to the SCA (_links.scaRedirect or the profile's link)",
);
add('CON-007', 'Consents', 'createConsent', 'critical', M, CREATE, 'The consentId is returned and non-empty');
add(
  'CON-008',
  'Consents',
  'getConsentInformation',
  'critical',
  M,
  'BG IG 1.3 §6.3.4 getConsentInformation',
  'Reading the consent returns its recurringIndicator, validUntil and frequencyPerDay as requested',
);
add(
  'CON-009',
  'Consents',
  'getConsentInformation',
  'normal',
  M,
  'BG IG 1.3 §6.3.4 getConsentInformation',
  'The consent carries lastActionDate',
);
add(
  'CON-010',
  'Consents',
  'getConsentStatus',
  'critical',
  M,
  'BG IG 1.3 §6.3.3 getConsentStatus',
  'The status of a new consent reads received',
);
add(
  'CON-011',
  'Consents',
  'deleteConsent',
  'critical',
  B,
  'BG IG 1.3 §6.3.5 deleteConsent',
  'Deleting a consent answers 204 No Content',
);
add(
  'CON-012',
  'Consents',
  'getConsentStatus',
  'critical',
  B,
  'BG IG 1.3 §6.3.5',
  'A deleted consent reads terminatedByTpp',
);
add(
  'CON-013',
  'Consents',
  'getAccountList',
  'blocker',
  BS,
  'BG IG 1.3 §6.3.5; §14.11 CONSENT_INVALID',
  'After deletion the account list is refused (CONSENT_INVALID or CONSENT_EXPIRED)',
);
add(
  'CON-014',
  'Consents',
  'getBalances',
  'blocker',
  BS,
  'BG IG 1.3 §6.3.5; §14.11 CONSENT_INVALID',
  'After deletion balances are refused (CONSENT_INVALID or CONSENT_EXPIRED)',
);
add(
  'CON-015',
  'Consents',
  'getTransactionList',
  'blocker',
  BS,
  'BG IG 1.3 §6.3.5; §14.11 CONSENT_INVALID',
  'After deletion transactions are refused (CONSENT_INVALID or CONSENT_EXPIRED)',
);
add(
  'CON-016',
  'Consents',
  'getBalances',
  'critical',
  BN,
  'BG IG 1.3 §6.3.1.1 frequencyPerDay; §14.11 ACCESS_EXCEEDED',
  'A TPP-initiated read beyond frequencyPerDay is refused with 429 ACCESS_EXCEEDED',
);
add(
  'CON-017',
  'Consents',
  'getBalances',
  'normal',
  B,
  'BG IG 1.3 §6.3.1.1 frequencyPerDay; PSU-IP-Address',
  'Reads the PSU initiates (with PSU-IP-Address) do not count against frequencyPerDay',
);
add(
  'CON-018',
  'Consents',
  'getConsentInformation',
  'blocker',
  S,
  'BG IG 1.3 §14.11 CONSENT_UNKNOWN',
  "Another TPP's consent is refused with 403 CONSENT_UNKNOWN",
  ['otherTpp'],
);
add(
  'CON-019',
  'Consents',
  'getAccountList',
  'blocker',
  S,
  'BG IG 1.3 §14.11 CONSENT_UNKNOWN',
  "Reading accounts under another TPP's consent is refused with 403 CONSENT_UNKNOWN",
  ['otherTpp'],
);
add(
  'CON-020',
  'Consents',
  'createConsent',
  'normal',
  N,
  'BG IG 1.3 §6.3.1.1 validUntil',
  'A consent with validUntil in the past is refused with 400',
);
add(
  'CON-021',
  'Consents',
  'createConsent',
  'normal',
  N,
  'BG OpenAPI 1.3.12 consents (required access)',
  'A consent without access is refused with 400 FORMAT_ERROR',
);
add(
  'CON-022',
  'Consents',
  'createConsent',
  'normal',
  N,
  'BG OpenAPI 1.3.12 frequencyPerDay minimum 1',
  'A consent with frequencyPerDay 0 is refused with 400 FORMAT_ERROR',
);
add(
  'CON-023',
  'Consents',
  'getConsentStatus',
  'critical',
  S,
  'BG IG 1.3 §14.11 CONSENT_UNKNOWN',
  'An unknown consentId is refused with CONSENT_UNKNOWN (403) or RESOURCE_UNKNOWN',
);
add(
  'CON-024',
  'Consents',
  'startConsentAuthorisation',
  'normal',
  M,
  'BG IG 1.3 §7.1 startConsentAuthorisation',
  'Starting a consent authorisation answers 201 with an authorisationId and scaStatus',
);
add(
  'CON-025',
  'Consents',
  'getConsentAuthorisation',
  'minor',
  M,
  'BG IG 1.3 §7.5 getConsentAuthorisation',
  'The authorisation sub-resources of a consent are listed',
);
add(
  'CON-026',
  'Consents',
  'getAccountList',
  'critical',
  S,
  'BG IG 1.3 §6.3.1.1 validUntil; §14.11 CONSENT_EXPIRED',
  'A consent past validUntil is refused with 401 CONSENT_EXPIRED',
  ['expiredConsentFixture'],
);
add(
  'CON-027',
  'Consents',
  'createConsent',
  'critical',
  M,
  'BG IG 1.3 §6.3.1.1; myPOS overview AIS step 2',
  'A bank-offered consent (empty access lists) is accepted',
  ['bankOfferedConsent'],
);

// Account information.
const LIST = 'BG IG 1.3 §6.4.1 getAccountList';
add(
  'ACC-001',
  'Accounts',
  'getAccountList',
  'blocker',
  B,
  `${LIST}; myPOS overview "Always start by calling GET /v1/accounts"`,
  'GET /v1/accounts lists the accounts of the consent',
);
add(
  'ACC-002',
  'Accounts',
  'getAccountList',
  'critical',
  B,
  LIST,
  'Every listed account has a resourceId for the calls that follow',
);
add(
  'ACC-003',
  'Accounts',
  'getAccountList',
  'normal',
  B,
  `${LIST} withBalance`,
  'withBalance=true adds balances to the listed accounts',
);
add(
  'ACC-004',
  'Accounts',
  'getAccountList',
  'minor',
  B,
  `${LIST} withBalance`,
  'Without withBalance the list carries no balances',
);
add(
  'ACC-005',
  'Accounts',
  'getAccountList',
  'minor',
  B,
  `${LIST} withBalance`,
  'withBalance=false, given explicitly, is accepted and carries no balances',
);
add(
  'ACC-006',
  'Accounts',
  'getAccountList',
  'normal',
  BN,
  'myPOS overview "Boolean values must be explicit"; BG IG 1.3 §4.13',
  'A bare ?withBalance without value is refused with 400 FORMAT_ERROR',
);
add(
  'ACC-007',
  'Accounts',
  'readAccountDetails',
  'critical',
  B,
  'BG IG 1.3 §6.4.2 readAccountDetails',
  'Account details are read by the resourceId from the list',
);
add(
  'ACC-008',
  'Accounts',
  'readAccountDetails',
  'normal',
  B,
  'BG IG 1.3 §6.4.2 withBalance',
  'Account details with withBalance=true carry balances',
);
add(
  'ACC-009',
  'Accounts',
  'readAccountDetails',
  'critical',
  BN,
  'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
  'An unknown account is refused with RESOURCE_UNKNOWN',
);
add(
  'ACC-010',
  'Accounts',
  'readAccountDetails',
  'blocker',
  BS,
  'BG IG 1.3 §6.4; §14.11 CONSENT_INVALID',
  'An account outside the consent is refused',
  ['bankOfferedConsent'],
);
add(
  'ACC-011',
  'Accounts',
  'getAccountList',
  'critical',
  BN,
  'BG OpenAPI 1.3.12 getAccountList Consent-ID required',
  'A read without Consent-ID is refused with 400 FORMAT_ERROR',
);
add(
  'ACC-012',
  'Accounts',
  'getAccountList',
  'blocker',
  S,
  'BG IG 1.3 §6; RFC 6750 §3.1',
  'A client_credentials token is refused on account information',
);
add(
  'ACC-013',
  'Accounts',
  'getAccountList',
  'blocker',
  BS,
  'BG IG 1.3 §6; RFC 6750 §3.1',
  "A payment's access token is refused on account information",
  ['sepa-credit-transfers'],
);
add(
  'ACC-014',
  'Accounts',
  'getAccountList',
  'minor',
  B,
  'BG IG 1.3 §6.4.1 _links',
  'The listed accounts link to balances or transactions that answer',
);
add(
  'BAL-001',
  'Accounts',
  'getBalances',
  'critical',
  B,
  'BG IG 1.3 §6.5.1 getBalances',
  'Balances are read for a listed account',
);
add(
  'BAL-002',
  'Accounts',
  'getBalances',
  'critical',
  B,
  'BG OpenAPI 1.3.12 balance, balanceType',
  'Every balance has a balanceType from the Berlin Group list',
);
add(
  'BAL-003',
  'Accounts',
  'getBalances',
  'critical',
  B,
  'BG OpenAPI 1.3.12 amountValue',
  'Balance amounts are decimal strings, not JSON numbers',
);
add(
  'BAL-004',
  'Accounts',
  'getBalances',
  'normal',
  B,
  'BG OpenAPI 1.3.12 currencyCode; ISO 4217',
  'Balance currencies are ISO 4217 codes',
);
add(
  'BAL-005',
  'Accounts',
  'getBalances',
  'normal',
  BN,
  'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
  'Balances of an unknown account are refused with RESOURCE_UNKNOWN',
);
const TRX = 'BG IG 1.3 §6.6.1 getTransactionList';
add(
  'TRX-001',
  'Accounts',
  'getTransactionList',
  'critical',
  B,
  `${TRX} bookingStatus`,
  'bookingStatus=booked reports booked transactions only',
);
add(
  'TRX-002',
  'Accounts',
  'getTransactionList',
  'normal',
  B,
  `${TRX} bookingStatus`,
  'bookingStatus=pending reports pending transactions only',
);
add(
  'TRX-003',
  'Accounts',
  'getTransactionList',
  'normal',
  B,
  `${TRX} bookingStatus`,
  'bookingStatus=both reports booked and pending transactions',
);
add(
  'TRX-004',
  'Accounts',
  'getTransactionList',
  'critical',
  B,
  `${TRX} dateFrom, dateTo`,
  'Booked transactions lie within dateFrom and dateTo',
);
add(
  'TRX-005',
  'Accounts',
  'getTransactionList',
  'critical',
  B,
  'BG OpenAPI 1.3.12 _linksAccountReport (account required)',
  'The transaction report links back to its account',
);
add(
  'TRX-006',
  'Accounts',
  'getTransactionList',
  'critical',
  B,
  `${TRX} _links next`,
  'Following _links.next ends, and reports each transaction once',
  ['transactionPagination'],
);
add(
  'TRX-007',
  'Accounts',
  'getTransactionList',
  'normal',
  BN,
  'BG IG 1.3 §14.11 PERIOD_INVALID',
  'dateFrom after dateTo is refused with 400',
);
add(
  'TRX-008',
  'Accounts',
  'getTransactionList',
  'normal',
  BN,
  'BG OpenAPI 1.3.12 bookingStatus required',
  'A transaction read without bookingStatus is refused with 400',
);
add(
  'TRX-009',
  'Accounts',
  'getTransactionList',
  'normal',
  BN,
  'BG OpenAPI 1.3.12 bookingStatus enum',
  'An unknown bookingStatus is refused with 400',
);
add(
  'TRX-010',
  'Accounts',
  'getTransactionDetails',
  'normal',
  B,
  'BG IG 1.3 §6.6.3 getTransactionDetails',
  'A listed transaction can be read by its transactionId',
);
add(
  'TRX-011',
  'Accounts',
  'getTransactionDetails',
  'minor',
  BN,
  'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
  'An unknown transactionId is refused with RESOURCE_UNKNOWN',
);
add(
  'TRX-012',
  'Accounts',
  'getTransactionList',
  'critical',
  B,
  'BG OpenAPI 1.3.12 amountValue',
  'Transaction amounts are decimal strings with an ISO 4217 currency',
);
add(
  'TRX-013',
  'Accounts',
  'getTransactionList',
  'minor',
  B,
  `${TRX} withBalance`,
  'withBalance=true adds balances to the transaction report',
);
add(
  'TRX-014',
  'Accounts',
  'getTransactionList',
  'normal',
  B,
  `${TRX} dateFrom`,
  'A booked read without dateFrom is refused with 400 (dateFrom is mandated)',
);

// Card accounts.
add(
  'CRD-001',
  'Card accounts',
  'getCardAccountList',
  'critical',
  B,
  'BG IG 1.3 §6.7.1 getCardAccountList',
  'GET /v1/card-accounts lists cardAccounts',
  ['cardAccounts'],
);
add(
  'CRD-002',
  'Card accounts',
  'getCardAccountList',
  'critical',
  B,
  'BG OpenAPI 1.3.12 cardAccountDetails',
  'Every card account has a maskedPan and a currency',
  ['cardAccounts'],
);
add(
  'CRD-003',
  'Card accounts',
  'readCardAccountDetails',
  'normal',
  B,
  'BG IG 1.3 §6.7.2 readCardAccountDetails',
  'Card account details are read by resourceId',
  ['cardAccounts'],
);
add(
  'CRD-004',
  'Card accounts',
  'getCardAccountBalances',
  'normal',
  B,
  'BG IG 1.3 §6.7.3 getCardAccountBalances',
  'Card account balances are read',
  ['cardAccounts'],
);
add(
  'CRD-005',
  'Card accounts',
  'getCardAccountTransactionList',
  'normal',
  B,
  'BG IG 1.3 §6.7.4 getCardAccountTransactionList',
  'Card transactions are read for bookingStatus=booked',
  ['cardAccounts'],
);
add(
  'CRD-006',
  'Card accounts',
  'readCardAccountDetails',
  'minor',
  BN,
  'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
  'An unknown card account is refused with RESOURCE_UNKNOWN',
  ['cardAccounts'],
);
add(
  'CRD-007',
  'Card accounts',
  'getCardAccountTransactionList',
  'normal',
  B,
  'BG OpenAPI 1.3.12 _linksCardAccountReport',
  'The card transaction report links back to its card account',
  ['cardAccounts'],
);

// Payments, per product.
const PRODUCTS = [
  { key: 'SCT', product: 'sepa-credit-transfers' as const, name: 'SEPA' },
  { key: 'CBT', product: 'cross-border-credit-transfers' as const, name: 'cross-border' },
];
for (const { key, product, name } of PRODUCTS) {
  const p = (n: string) => `PIS-${key}-${n}`;
  const INIT = `BG IG 1.3 §5.3.1 initiatePayment (${product})`;
  add(
    p('001'),
    'Payments',
    'initiatePayment',
    'blocker',
    M,
    INIT,
    `A ${name} payment is initiated: 201 with paymentId and transactionStatus RCVD`,
    [product],
  );
  add(
    p('002'),
    'Payments',
    'initiatePayment',
    'critical',
    M,
    INIT,
    `The ${name} payment's 201 carries a Location header`,
    [product],
  );
  add(
    p('003'),
    'Payments',
    'initiatePayment',
    'critical',
    M,
    INIT,
    `The ${name} payment's 201 carries ASPSP-SCA-Approach`,
    [product],
  );
  add(
    p('004'),
    'Payments',
    'initiatePayment',
    'blocker',
    M,
    `${INIT}; myPOS overview PIS step 2`,
    `The ${name} payment links to its SCA`,
    [product],
  );
  add(
    p('005'),
    'Payments',
    'getPaymentInformation',
    'normal',
    M,
    'BG IG 1.3 §5.5 getPaymentInformation',
    `The ${name} payment reads back with its amount and creditor`,
    [product],
  );
  add(
    p('006'),
    'Payments',
    'getPaymentInitiationStatus',
    'critical',
    M,
    'BG IG 1.3 §5.6 getPaymentInitiationStatus',
    `The ${name} payment's status reads RCVD before SCA`,
    [product],
  );
  add(
    p('007'),
    'Payments',
    'initiatePayment',
    'critical',
    N,
    'BG IG 1.3 §14.11 FORMAT_ERROR; ISO 13616',
    `A ${name} payment to a malformed IBAN is refused with 400 FORMAT_ERROR`,
    [product],
  );
  add(
    p('008'),
    'Payments',
    'initiatePayment',
    'normal',
    N,
    'BG IG 1.3 §14.11 FORMAT_ERROR; ISO 4217',
    `A ${name} payment in currency "EURO" is refused with 400 FORMAT_ERROR`,
    [product],
  );
  add(
    p('009'),
    'Payments',
    'initiatePayment',
    'normal',
    N,
    'BG OpenAPI 1.3.12 amountValue',
    `A ${name} payment with the amount as a JSON number is refused with 400 FORMAT_ERROR`,
    [product],
  );
  add(
    p('010'),
    'Payments',
    'initiatePayment',
    'normal',
    N,
    'BG OpenAPI 1.3.12 amountValue',
    `A ${name} payment with three decimals too many is refused with 400 FORMAT_ERROR`,
    [product],
  );
  add(
    p('011'),
    'Payments',
    ['cancelPayment', 'getPaymentInitiationStatus'],
    'critical',
    M,
    'BG IG 1.3 §5.4 cancelPayment',
    `Cancelling a ${name} payment before SCA leaves it CANC`,
    [product, 'paymentCancellation'],
  );
  add(
    p('012'),
    'Payments',
    'getPaymentInitiationStatus',
    'blocker',
    B,
    'BG IG 1.3 §5.6; ISO 20022',
    `An approved ${name} payment is accepted (ACTC, ACSC, ...)`,
    [product],
  );
  add(
    p('013'),
    'Payments',
    'getPaymentInitiationStatus',
    'critical',
    BN,
    'BG IG 1.3 §5.6 RJCT',
    `A declined ${name} payment is RJCT`,
    [product],
  );
  add(
    p('014'),
    'Payments',
    'initiatePayment',
    'normal',
    N,
    'BG OpenAPI 1.3.12 initiatePayment PSU-IP-Address required',
    `A ${name} payment without PSU-IP-Address is refused with 400 FORMAT_ERROR`,
    [product],
  );
  add(
    p('015'),
    'Payments',
    'startPaymentAuthorisation',
    'normal',
    M,
    'BG IG 1.3 §7.1 startPaymentAuthorisation',
    `Starting a ${name} payment authorisation answers 201 with an authorisationId`,
    [product],
  );
}
add(
  'PIS-001',
  'Payments',
  'initiatePayment',
  'critical',
  N,
  'BG IG 1.3 §14.11 PRODUCT_UNKNOWN',
  'An unknown payment product is refused with 404 PRODUCT_UNKNOWN',
);
add(
  'PIS-002',
  'Payments',
  'getPaymentInitiationStatus',
  'normal',
  N,
  'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
  'An unknown paymentId is refused with RESOURCE_UNKNOWN',
  ['sepa-credit-transfers'],
);
add(
  'PIS-003',
  'Payments',
  'initiatePayment',
  'normal',
  N,
  'BG IG 1.3 §14.11 FORMAT_ERROR',
  'A payment body that is not JSON is refused with 400 FORMAT_ERROR',
  ['sepa-credit-transfers'],
);
add(
  'PIS-004',
  'Payments',
  'initiatePayment',
  'normal',
  N,
  'BG OpenAPI 1.3.12 responses 415',
  'A payment sent as text/plain is refused with 415',
  ['sepa-credit-transfers'],
);
add(
  'PIS-005',
  'Payments',
  'initiatePayment',
  'normal',
  N,
  'BG OpenAPI 1.3.12 paymentInitiation_json creditorName required',
  'A payment without creditorName is refused with 400 FORMAT_ERROR',
  ['sepa-credit-transfers'],
);

// Funds confirmation.
const COF = 'BG IG 1.3 §8.1 checkAvailabilityOfFunds';
add(
  'COF-001',
  'Funds confirmation',
  'checkAvailabilityOfFunds',
  'critical',
  B,
  COF,
  'A small amount on a funded account is available',
  ['fundsConfirmation'],
);
add(
  'COF-002',
  'Funds confirmation',
  'checkAvailabilityOfFunds',
  'critical',
  BN,
  COF,
  'An amount beyond the balance is not available',
  ['fundsConfirmation'],
);
add(
  'COF-003',
  'Funds confirmation',
  'checkAvailabilityOfFunds',
  'critical',
  B,
  'BG OpenAPI 1.3.12 fundsAvailable boolean',
  'fundsAvailable is a JSON boolean',
  ['fundsConfirmation'],
);
add(
  'COF-004',
  'Funds confirmation',
  'checkAvailabilityOfFunds',
  'normal',
  N,
  'BG OpenAPI 1.3.12 confirmationOfFunds (account required)',
  'A request without account is refused with 400 FORMAT_ERROR',
  ['fundsConfirmation'],
);
add(
  'COF-005',
  'Funds confirmation',
  'checkAvailabilityOfFunds',
  'normal',
  N,
  'BG IG 1.3 §14.11 FORMAT_ERROR; ISO 4217',
  'A request in currency "EURO" is refused with 400 FORMAT_ERROR',
  ['fundsConfirmation'],
);
add(
  'COF-006',
  'Funds confirmation',
  'checkAvailabilityOfFunds',
  'normal',
  N,
  'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
  'An unknown account is refused with RESOURCE_UNKNOWN',
  ['fundsConfirmation'],
);
add(
  'COF-007',
  'Funds confirmation',
  'checkAvailabilityOfFunds',
  'minor',
  N,
  'BG IG 1.3 §14.11 FORMAT_ERROR',
  'A request body that is not JSON is refused with 400 FORMAT_ERROR',
  ['fundsConfirmation'],
);

// Errors and headers that every service shares.
add(
  'ERR-001',
  'Errors',
  'createConsent',
  'critical',
  N,
  'BG IG 1.3 §4.7 X-Request-ID; §14.11 FORMAT_ERROR',
  'A request without X-Request-ID is refused with 400 FORMAT_ERROR',
);
add(
  'ERR-002',
  'Errors',
  'createConsent',
  'critical',
  M,
  'BG IG 1.3 §4.7 X-Request-ID',
  "A success response echoes the request's X-Request-ID",
);
add(
  'ERR-003',
  'Errors',
  'getConsentStatus',
  'critical',
  N,
  'BG IG 1.3 §4.7 X-Request-ID',
  "An error response echoes the request's X-Request-ID",
);
add(
  'ERR-004',
  'Errors',
  'getAccountList',
  'blocker',
  S,
  'BG IG 1.3 §14.11 TOKEN_INVALID; RFC 6750 §3.1',
  'An unknown access token is refused with 401',
);
add(
  'ERR-005',
  'Errors',
  'createConsent',
  'blocker',
  S,
  'BG IG 1.3 §14.11; RFC 6750 §3.1',
  'A request without access token is refused with 401',
);
add(
  'ERR-006',
  'Errors',
  'getConsentStatus',
  'critical',
  N,
  'BG IG 1.3 §14.11; BG OpenAPI 1.3.12 tppMessage403_AIS',
  'An error body carries tppMessages with category and a code allowed for its status',
);
add('ERR-007', 'Errors', [], 'minor', N, 'RFC 9110 §15.5.5', 'An unknown path answers 404');
add(
  'ERR-008',
  'Errors',
  'getAccountList',
  'minor',
  N,
  'BG OpenAPI 1.3.12 responses 406; RFC 9110 §15.5.7',
  'Accept: application/xml is answered with 406',
);
add(
  'ERR-009',
  'Errors',
  'createConsent',
  'normal',
  N,
  'BG IG 1.3 §14.11 FORMAT_ERROR',
  'A consent body that is not JSON is refused with 400 FORMAT_ERROR',
);
add(
  'ERR-010',
  'Errors',
  'createConsent',
  'normal',
  N,
  'BG OpenAPI 1.3.12 responses 415',
  'A consent sent as text/plain is refused with 415',
);
add(
  'ERR-011',
  'Errors',
  [],
  'minor',
  N,
  'BG OpenAPI 1.3.12 responses 405; RFC 9110 §15.5.6',
  'PUT on /v1/consents/{id} is answered with 405',
);
add(
  'ERR-012',
  'Errors',
  'createConsent',
  'normal',
  N,
  'BG OpenAPI 1.3.12 createConsent PSU-IP-Address required',
  'A consent request without PSU-IP-Address is refused with 400 FORMAT_ERROR',
);

// Every operation's responses against its contract.
const CONTRACT_OPERATIONS: [string, string, Capability[]][] = [
  ['createConsent', 'BG IG 1.3 §6.3.1.1', []],
  ['getConsentInformation', 'BG IG 1.3 §6.3.4', []],
  ['getConsentStatus', 'BG IG 1.3 §6.3.3', []],
  ['deleteConsent', 'BG IG 1.3 §6.3.5', []],
  ['startConsentAuthorisation', 'BG IG 1.3 §7.1', []],
  ['getConsentAuthorisation', 'BG IG 1.3 §7.5', []],
  ['getConsentScaStatus', 'BG IG 1.3 §7.6', []],
  ['getAccountList', 'BG IG 1.3 §6.4.1', []],
  ['readAccountDetails', 'BG IG 1.3 §6.4.2', []],
  ['getBalances', 'BG IG 1.3 §6.5.1', []],
  ['getTransactionList', 'BG IG 1.3 §6.6.1', []],
  ['getTransactionDetails', 'BG IG 1.3 §6.6.3', []],
  ['getCardAccountList', 'BG IG 1.3 §6.7.1', ['cardAccounts']],
  ['readCardAccountDetails', 'BG IG 1.3 §6.7.2', ['cardAccounts']],
  ['getCardAccountBalances', 'BG IG 1.3 §6.7.3', ['cardAccounts']],
  ['getCardAccountTransactionList', 'BG IG 1.3 §6.7.4', ['cardAccounts']],
  ['initiatePayment', 'BG IG 1.3 §5.3.1', ['sepa-credit-transfers']],
  ['getPaymentInformation', 'BG IG 1.3 §5.5', ['sepa-credit-transfers']],
  ['getPaymentInitiationStatus', 'BG IG 1.3 §5.6', ['sepa-credit-transfers']],
  ['cancelPayment', 'BG IG 1.3 §5.4', ['sepa-credit-transfers', 'paymentCancellation']],
  ['startPaymentAuthorisation', 'BG IG 1.3 §7.1', ['sepa-credit-transfers']],
  ['getPaymentInitiationAuthorisation', 'BG IG 1.3 §7.5', ['sepa-credit-transfers']],
  ['getPaymentInitiationScaStatus', 'BG IG 1.3 §7.6', ['sepa-credit-transfers']],
  ['checkAvailabilityOfFunds', 'BG IG 1.3 §8.1', ['fundsConfirmation']],
  ['requestToken', 'RFC 6749 §5.1, §5.2', []],
];
CONTRACT_OPERATIONS.forEach(([operationId, section, requires], i) => {
  const browser = /Account|Balances|Transaction|Card|Funds/.test(operationId);
  add(
    `CTR-${String(i + 1).padStart(3, '0')}`,
    'Contract',
    operationId,
    'critical',
    browser ? B : M,
    `${section} ${operationId}; openapi contract`,
    `Every ${operationId} response matches its contract (status, headers, media type, body, X-Request-ID echoed)`,
    requires,
  );
});

export const CHECKS: readonly Check[] = checks;

const byId = new Map(checks.map((c) => [c.id, c]));

export function getCheck(id: string): Check {
  const check = byId.get(id);
  if (!check) throw new Error(`check ${id} is not in the catalogue`);
  return check;
}

export const CONTRACT_CHECK_FOR_OPERATION: ReadonlyMap<string, string> = new Map(
  checks.filter((c) => c.service === 'Contract').map((c) => [c.operations[0] ?? '', c.id]),
);

/** Why a check cannot run on a target with this profile and configuration, or undefined when it can. */
export function missingCapability(
  check: Check,
  profile: Profile,
  extra: { otherTpp: boolean; expiredConsentFixture: boolean; roleCertificates: boolean },
): string | undefined {
  const c = profile.capabilities;
  const offered: Record<Capability, boolean> = {
    cardAccounts: c.cardAccounts,
    fundsConfirmation: c.fundsConfirmation,
    bankOfferedConsent: c.bankOfferedConsent,
    refreshTokens: c.refreshTokens,
    transactionPagination: c.transactionPagination,
    paymentCancellation: c.paymentCancellation,
    roleCertificates: c.roleCertificates && extra.roleCertificates,
    clientSecretBasic: c.clientAuthMethods.includes('client_secret_basic'),
    shortCodeLifetime: c.codeLifetimeSeconds <= 10,
    otherTpp: extra.otherTpp,
    expiredConsentFixture: extra.expiredConsentFixture,
    'sepa-credit-transfers': c.paymentProducts.includes('sepa-credit-transfers'),
    'cross-border-credit-transfers': c.paymentProducts.includes('cross-border-credit-transfers'),
  };
  const missing = check.requires.find((need) => !offered[need]);
  if (missing) return `the target does not offer "${missing}" (profile ${profile.name} or configuration)`;
  return undefined;
}
