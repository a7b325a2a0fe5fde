/**
 * The sandbox's fault catalogue: each fault breaks exactly one rule, named with its source.
 * `docs/faults.md` is generated from this list.
 */
export interface Fault {
  id: string;
  area: 'transport' | 'oauth2' | 'sca' | 'consents' | 'ais' | 'card-accounts' | 'pis' | 'piis' | 'errors';
  /** What the sandbox does wrong when the fault is on. */
  behaviour: string;
  /** The rule it breaks, in the source's words. */
  rule: string;
  reference: string;
  /** The suite checks that detect it. */
  detectedBy: string[];
}

const FAULT_DEFINITIONS = [
  // transport
  {
    id: 'tls-legacy-accepted',
    area: 'transport',
    behaviour: 'accepts TLS 1.0 and 1.1 handshakes',
    rule: 'TLS 1.2 or higher is mandatory',
    reference: 'myPOS PSD2 overview, Security Requirements; BG IG 1.3 §4.1',
  },
  {
    id: 'client-cert-optional',
    area: 'transport',
    behaviour: 'accepts connections without a client certificate',
    rule: 'the TLS connection has to be established always including client (TPP) authentication',
    reference: 'myPOS PSD2 overview; RTS (EU) 2018/389 Art. 34',
  },
  {
    id: 'client-cert-untrusted-accepted',
    area: 'transport',
    behaviour: 'accepts client certificates from an untrusted CA',
    rule: 'the certificate must be issued by a qualified trust service provider',
    reference: 'ETSI TS 119 495 §5; myPOS PSD2 overview',
  },
  {
    id: 'client-cert-expired-accepted',
    area: 'transport',
    behaviour: 'accepts expired client certificates',
    rule: 'an expired certificate is not valid for client authentication',
    reference: 'RFC 5280 §4.1.2.5; ETSI TS 119 495',
  },
  {
    id: 'roles-not-enforced',
    area: 'transport',
    behaviour: 'serves a service to a certificate without the PSD2 role it needs',
    rule: 'the TPP certificate must carry the role for the service; else 401 ROLE_INVALID',
    reference: 'ETSI TS 119 495 §5.1; BG IG 1.3 §14.11 ROLE_INVALID',
  },
  {
    id: 'qcstatement-not-required',
    area: 'transport',
    behaviour: 'serves a certificate without the PSD2 QCStatement',
    rule: 'a certificate without PSD2 attributes is refused with 401 CERTIFICATE_INVALID',
    reference: 'ETSI TS 119 495 §5.1; BG IG 1.3 §14.11',
  },
  // oauth2
  {
    id: 'token-no-cache-control',
    area: 'oauth2',
    behaviour: 'answers tokens without Cache-Control: no-store',
    rule: 'the token response MUST include Cache-Control: no-store',
    reference: 'RFC 6749 §5.1',
  },
  {
    id: 'token-no-expires-in',
    area: 'oauth2',
    behaviour: 'answers tokens without expires_in',
    rule: 'expires_in is returned with the token (the myPOS overview always returns it)',
    reference: 'RFC 6749 §5.1; myPOS PSD2 overview step 2',
  },
  {
    id: 'token-type-mac',
    area: 'oauth2',
    behaviour: 'answers token_type "mac"',
    rule: 'token_type is Bearer',
    reference: 'RFC 6750 §4; myPOS PSD2 overview step 2',
  },
  {
    id: 'invalid-client-accepted',
    area: 'oauth2',
    behaviour: 'issues tokens for a wrong client secret',
    rule: 'failed client authentication is answered with invalid_client',
    reference: 'RFC 6749 §5.2',
  },
  {
    id: 'unsupported-grant-wrong-error',
    area: 'oauth2',
    behaviour: 'answers an unknown grant_type with invalid_request',
    rule: 'an unsupported grant type is answered with unsupported_grant_type',
    reference: 'RFC 6749 §5.2',
  },
  {
    id: 'code-reuse-accepted',
    area: 'oauth2',
    behaviour: 'accepts an authorization code twice',
    rule: 'the client MUST NOT use the authorization code more than once; the server MUST deny the request',
    reference: 'RFC 6749 §4.1.2',
  },
  {
    id: 'redirect-uri-not-checked',
    area: 'oauth2',
    behaviour: 'exchanges a code for a different redirect_uri',
    rule: 'redirect_uri must be identical to the one in the authorization request',
    reference: 'RFC 6749 §4.1.3',
  },
  {
    id: 'expired-code-accepted',
    area: 'oauth2',
    behaviour: 'exchanges an expired authorization code',
    rule: 'an expired code is answered with invalid_grant',
    reference: 'RFC 6749 §4.1.2, §5.2',
  },
  {
    id: 'refresh-after-consent-deleted',
    area: 'oauth2',
    behaviour: 'refreshes tokens of a consent the TPP deleted',
    rule: 'a refresh token of a terminated consent is answered with invalid_grant',
    reference: 'RFC 6749 §6, §5.2; BG IG 1.3 §6.3.5',
  },
  {
    id: 'refresh-not-rotated',
    area: 'oauth2',
    behaviour: 'keeps accepting a refresh token after it was used',
    rule: 'a rotated refresh token is invalidated once used',
    reference: 'RFC 6749 §6; RFC 9700 §4.14.2',
  },
  // sca
  {
    id: 'sca-state-dropped',
    area: 'sca',
    behaviour: 'redirects back to the TPP without the state parameter',
    rule: 'state is REQUIRED in the authorization response if it was in the request',
    reference: 'RFC 6749 §4.1.2',
  },
  {
    id: 'sca-decline-approves',
    area: 'sca',
    behaviour: 'treats Decline as Approve',
    rule: 'a declined authorisation redirects with error=access_denied and leaves the consent rejected',
    reference: 'RFC 6749 §4.1.2.1; BG IG 1.3 §6.3.1',
  },
  {
    id: 'consent-not-valid-after-sca',
    area: 'sca',
    behaviour: 'leaves an approved consent in status received',
    rule: 'an approved consent has status valid',
    reference: 'BG IG 1.3 §6.3.3 consentStatus',
  },
  // consents
  {
    id: 'consent-status-capitalised',
    area: 'consents',
    behaviour: 'writes consentStatus capitalised ("Received", "Valid")',
    rule: 'consentStatus is one of received, rejected, valid, ... (lower case)',
    reference: 'BG OpenAPI 1.3.12 consentStatus; createConsent',
  },
  {
    id: 'consent-no-location',
    area: 'consents',
    behaviour: 'answers 201 to createConsent without Location',
    rule: 'Location is mandatory in the 201 response',
    reference: 'BG IG 1.3 §6.3.1.1 createConsent',
  },
  {
    id: 'consent-no-sca-approach',
    area: 'consents',
    behaviour: 'answers 201 to createConsent without ASPSP-SCA-Approach',
    rule: 'ASPSP-SCA-Approach is mandatory in the 201 response',
    reference: 'BG IG 1.3 §6.3.1.1 createConsent',
  },
  {
    id: 'consent-delete-200',
    area: 'consents',
    behaviour: 'answers DELETE /v1/consents/{id} with 200',
    rule: 'deleteConsent answers 204 No Content',
    reference: 'BG IG 1.3 §6.3.5 deleteConsent',
  },
  {
    id: 'deleted-consent-served',
    area: 'consents',
    behaviour: 'keeps serving account data after the consent was deleted',
    rule: 'after DELETE the consent is terminatedByTpp and AIS reads are refused',
    reference: 'BG IG 1.3 §6.3.5; §14.11 CONSENT_INVALID',
  },
  {
    id: 'frequency-not-enforced',
    area: 'consents',
    behaviour: 'ignores frequencyPerDay',
    rule: 'TPP-initiated reads beyond frequencyPerDay are refused with 429 ACCESS_EXCEEDED',
    reference: 'BG IG 1.3 §6.3.1.1 frequencyPerDay; §14.11 ACCESS_EXCEEDED',
  },
  {
    id: 'expired-consent-served',
    area: 'consents',
    behaviour: 'serves account data under a consent past validUntil',
    rule: 'an expired consent is refused with 401 CONSENT_EXPIRED',
    reference: 'BG IG 1.3 §6.3.1.1 validUntil; §14.11 CONSENT_EXPIRED',
  },
  {
    id: 'other-tpp-consent-served',
    area: 'consents',
    behaviour: "serves another TPP's consent",
    rule: 'a consent of another TPP is refused with 403 CONSENT_UNKNOWN',
    reference: 'BG IG 1.3 §14.11 CONSENT_UNKNOWN',
  },
  {
    id: 'past-valid-until-accepted',
    area: 'consents',
    behaviour: 'creates consents with validUntil in the past',
    rule: 'validUntil must not lie in the past',
    reference: 'BG IG 1.3 §6.3.1.1 validUntil',
  },
  // ais
  {
    id: 'amounts-as-numbers',
    area: 'ais',
    behaviour: 'writes balance and transaction amounts as JSON numbers',
    rule: 'amount is a string matching -?[0-9]{1,14}(\\.[0-9]{1,3})?',
    reference: 'BG OpenAPI 1.3.12 amountValue',
  },
  {
    id: 'balance-without-type',
    area: 'ais',
    behaviour: 'leaves balanceType out of balances',
    rule: 'balance requires balanceAmount and balanceType',
    reference: 'BG OpenAPI 1.3.12 balance; getBalances',
  },
  {
    id: 'transactions-without-account-link',
    area: 'ais',
    behaviour: 'leaves _links.account out of transaction reports',
    rule: 'the account report requires _links.account',
    reference: 'BG OpenAPI 1.3.12 _linksAccountReport; getTransactionList',
  },
  {
    id: 'with-balance-ignored',
    area: 'ais',
    behaviour: 'ignores withBalance=true on the account list',
    rule: 'withBalance=true includes the balances in the response',
    reference: 'BG IG 1.3 §6.4.1 withBalance',
  },
  {
    id: 'booking-status-ignored',
    area: 'ais',
    behaviour: 'returns pending transactions for bookingStatus=booked',
    rule: 'bookingStatus selects booked, pending or both',
    reference: 'BG IG 1.3 §6.6.1 bookingStatus',
  },
  {
    id: 'date-range-ignored',
    area: 'ais',
    behaviour: 'returns booked transactions outside dateFrom..dateTo',
    rule: 'dateFrom and dateTo bound the transactions reported',
    reference: 'BG IG 1.3 §6.6.1 dateFrom, dateTo',
  },
  {
    id: 'date-from-optional',
    area: 'ais',
    behaviour: 'defaults dateFrom instead of refusing a booked read without it',
    rule: 'dateFrom is mandated if no delta access is required and bookingStatus is not information',
    reference: 'BG OpenAPI 1.3.12 getTransactionList dateFrom',
  },
  {
    id: 'pagination-next-loops',
    area: 'ais',
    behaviour: 'points _links.next of the last page back at the first page',
    rule: 'following next links ends, and each transaction is reported once',
    reference: 'BG IG 1.3 §6.6.1 _links first/next/last',
  },
  {
    id: 'bare-boolean-accepted',
    area: 'ais',
    behaviour: 'accepts ?withBalance without a value',
    rule: 'boolean query values must be explicit (withBalance=true); otherwise 400 FORMAT_ERROR',
    reference: 'myPOS PSD2 overview, Query Parameters; BG IG 1.3 §4.13',
  },
  {
    id: 'account-outside-consent-served',
    area: 'ais',
    behaviour: 'serves an account the consent does not cover',
    rule: 'access is limited to the accounts of the consent (403 CONSENT_INVALID or RESOURCE_UNKNOWN)',
    reference: 'BG IG 1.3 §6.4',
  },
  {
    id: 'unknown-account-500',
    area: 'ais',
    behaviour: 'answers 500 for an unknown account id',
    rule: 'an unknown account is answered with 404 RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
  },
  {
    id: 'payment-token-on-ais',
    area: 'ais',
    behaviour: "serves AIS reads with a payment's access token",
    rule: 'an access token authorises only the consent or payment it was issued for',
    reference: 'BG IG 1.3 §6; RFC 6750 §3.1 invalid_token',
  },
  // card accounts
  {
    id: 'card-list-key-accounts',
    area: 'card-accounts',
    behaviour: 'lists card accounts under "accounts" instead of "cardAccounts"',
    rule: 'the card account list is {cardAccounts: [...]}',
    reference: 'BG OpenAPI 1.3.12 cardAccountList; getCardAccountList',
  },
  {
    id: 'card-masked-pan-missing',
    area: 'card-accounts',
    behaviour: 'leaves maskedPan out of card account details',
    rule: 'cardAccountDetails requires maskedPan and currency',
    reference: 'BG OpenAPI 1.3.12 cardAccountDetails',
  },
  // pis
  {
    id: 'payment-status-field-renamed',
    area: 'pis',
    behaviour: 'writes paymentStatus instead of transactionStatus',
    rule: 'the payment status is transactionStatus',
    reference: 'BG OpenAPI 1.3.12 paymentInitiationStatusResponse-200_json',
  },
  {
    id: 'payment-stays-rcvd-after-sca',
    area: 'pis',
    behaviour: 'leaves an approved payment in RCVD',
    rule: 'an authorised payment moves on from RCVD (ACTC, ACSC, ...)',
    reference: 'BG IG 1.3 §5.6 transactionStatus',
  },
  {
    id: 'payment-decline-not-rejected',
    area: 'pis',
    behaviour: 'leaves a declined payment in RCVD',
    rule: 'a payment the PSU declined is RJCT',
    reference: 'BG IG 1.3 §5.6 transactionStatus RJCT',
  },
  {
    id: 'unknown-product-400',
    area: 'pis',
    behaviour: 'answers an unknown payment product with 400 FORMAT_ERROR',
    rule: 'an unknown payment product is answered with 404 PRODUCT_UNKNOWN',
    reference: 'BG IG 1.3 §14.11 PRODUCT_UNKNOWN',
  },
  {
    id: 'bad-iban-accepted',
    area: 'pis',
    behaviour: 'initiates payments to a malformed IBAN',
    rule: 'a malformed IBAN is refused with 400 FORMAT_ERROR',
    reference: 'BG IG 1.3 §14.11 FORMAT_ERROR; ISO 13616',
  },
  {
    id: 'payment-no-location',
    area: 'pis',
    behaviour: 'answers 201 to initiatePayment without Location',
    rule: 'Location is mandatory in the 201 response',
    reference: 'BG IG 1.3 §5.3.1 initiatePayment',
  },
  {
    id: 'cancel-not-effective',
    area: 'pis',
    behaviour: 'answers the cancellation but leaves the payment as it was',
    rule: 'a cancelled payment has transactionStatus CANC',
    reference: 'BG IG 1.3 §5.4 cancelPayment',
  },
  // piis
  {
    id: 'funds-always-available',
    area: 'piis',
    behaviour: 'answers fundsAvailable: true whatever the amount',
    rule: 'fundsAvailable reflects the available balance',
    reference: 'BG IG 1.3 §8.1 checkAvailabilityOfFunds',
  },
  {
    id: 'funds-available-as-string',
    area: 'piis',
    behaviour: 'writes fundsAvailable as the string "true"',
    rule: 'fundsAvailable is a boolean',
    reference: 'BG OpenAPI 1.3.12 inline 200 response of checkAvailabilityOfFunds',
  },
  // errors
  {
    id: 'error-code-not-allowed',
    area: 'errors',
    behaviour: 'answers 403 CONSENT_UNKNOWN as 403 FORMAT_ERROR',
    rule: 'a 403 AIS error uses CONSENT_UNKNOWN, SERVICE_BLOCKED, RESOURCE_UNKNOWN or RESOURCE_EXPIRED',
    reference: 'BG OpenAPI 1.3.12 MessageCode403_AIS',
  },
  {
    id: 'error-without-tpp-messages',
    area: 'errors',
    behaviour: 'answers errors as {"error": "..."} without tppMessages',
    rule: 'an error body carries tppMessages (or RFC 7807 type and code)',
    reference: 'BG IG 1.3 §14.11; BG OpenAPI 1.3.12 Error400_NG_AIS',
  },
  {
    id: 'request-id-not-echoed',
    area: 'errors',
    behaviour: "answers with a new X-Request-ID instead of the request's",
    rule: 'the response carries the X-Request-ID of the request',
    reference: 'BG IG 1.3 §4.7 X-Request-ID',
  },
  {
    id: 'missing-request-id-accepted',
    area: 'errors',
    behaviour: 'serves requests without X-Request-ID',
    rule: 'X-Request-ID is mandatory; without it 400 FORMAT_ERROR',
    reference: 'BG IG 1.3 §4.7; §14.11 FORMAT_ERROR',
  },
  {
    id: 'invalid-json-500',
    area: 'errors',
    behaviour: 'answers a body that is not JSON with 500',
    rule: 'a malformed body is answered with 400 FORMAT_ERROR',
    reference: 'BG IG 1.3 §14.11 FORMAT_ERROR',
  },
  {
    id: 'wrong-media-type-accepted',
    area: 'errors',
    behaviour: 'accepts a request body sent as text/plain',
    rule: 'an unsupported Content-Type is answered with 415',
    reference: 'BG OpenAPI 1.3.12 responses 415; RFC 9110 §15.5.16',
  },
] as const satisfies readonly Omit<Fault, 'detectedBy'>[];

export type FaultId = (typeof FAULT_DEFINITIONS)[number]['id'];

/**
 * The suite's checks that fail when the fault is on (IDs only: the sandbox does not import the suite).
 * The fault matrix (scripts/fault-matrix.ts) holds the suite to exactly these.
 */
const DETECTED_BY: Record<FaultId, string[]> = {
  'tls-legacy-accepted': ['TLS-001', 'TLS-002'],
  'client-cert-optional': ['TLS-004', 'TLS-005'],
  'client-cert-untrusted-accepted': ['TLS-006'],
  'client-cert-expired-accepted': ['TLS-007'],
  'roles-not-enforced': ['TLS-009', 'TLS-010', 'TLS-011', 'TLS-012'],
  'qcstatement-not-required': ['TLS-008'],
  'token-no-cache-control': ['OAU-002', 'OAU-005', 'CTR-025'],
  'token-no-expires-in': ['OAU-004', 'OAU-005', 'CTR-025'],
  'token-type-mac': ['OAU-003', 'OAU-005', 'CTR-025'],
  'invalid-client-accepted': ['OAU-007', 'OAU-018'],
  'unsupported-grant-wrong-error': ['OAU-009'],
  'code-reuse-accepted': ['OAU-012'],
  'redirect-uri-not-checked': ['OAU-013'],
  'expired-code-accepted': ['OAU-014'],
  'refresh-after-consent-deleted': ['OAU-017'],
  'refresh-not-rotated': ['OAU-016'],
  'sca-state-dropped': ['SCA-003', 'SCA-008'],
  'sca-decline-approves': ['SCA-004', 'SCA-005', 'SCA-007'],
  // Every contract check that reads accounts never reaches the operation's success path.
  'consent-not-valid-after-sca': [
    'SCA-001',
    'SCA-009',
    'CTR-008',
    'CTR-009',
    'CTR-010',
    'CTR-011',
    'CTR-012',
    'CTR-013',
    'CTR-014',
    'CTR-015',
    'CTR-016',
    'CTR-024',
  ],
  'consent-status-capitalised': ['CON-002', 'CON-010', 'CON-012', 'CTR-001', 'CTR-002', 'CTR-003'],
  'consent-no-location': ['CON-003', 'CON-004', 'CTR-001'],
  'consent-no-sca-approach': ['CON-005', 'CTR-001'],
  'consent-delete-200': ['CON-011', 'CTR-004'],
  'deleted-consent-served': ['CON-013', 'CON-014', 'CON-015'],
  'frequency-not-enforced': ['CON-016'],
  'expired-consent-served': ['CON-026'],
  'other-tpp-consent-served': ['CON-018', 'CON-019'],
  'past-valid-until-accepted': ['CON-020'],
  'amounts-as-numbers': [
    'BAL-003',
    'TRX-012',
    'CTR-008',
    'CTR-009',
    'CTR-010',
    'CTR-011',
    'CTR-012',
    'CTR-015',
    'CTR-016',
  ],
  'balance-without-type': ['BAL-002', 'CTR-008', 'CTR-009', 'CTR-010', 'CTR-011', 'CTR-015'],
  'transactions-without-account-link': ['TRX-005', 'CTR-011'],
  'with-balance-ignored': ['ACC-003'],
  'booking-status-ignored': ['TRX-001'],
  'date-range-ignored': ['TRX-004'],
  'date-from-optional': ['TRX-014'],
  'pagination-next-loops': ['TRX-006'],
  'bare-boolean-accepted': ['ACC-006'],
  'account-outside-consent-served': ['ACC-010'],
  'unknown-account-500': ['ACC-009', 'BAL-005'],
  'payment-token-on-ais': ['ACC-013'],
  // The other card checks find the cards under "accounts" too: one broken rule, one rule check.
  'card-list-key-accounts': ['CRD-001', 'CTR-013'],
  'card-masked-pan-missing': ['CRD-002', 'CRD-003', 'CTR-013', 'CTR-014'],
  'payment-status-field-renamed': [
    'SCA-006',
    'SCA-007',
    'PIS-SCT-001',
    'PIS-SCT-006',
    'PIS-SCT-011',
    'PIS-SCT-012',
    'PIS-SCT-013',
    'PIS-CBT-001',
    'PIS-CBT-006',
    'PIS-CBT-011',
    'PIS-CBT-012',
    'PIS-CBT-013',
    'CTR-017',
    'CTR-018',
    'CTR-019',
  ],
  'payment-stays-rcvd-after-sca': ['SCA-006', 'PIS-SCT-012', 'PIS-CBT-012'],
  'payment-decline-not-rejected': ['SCA-007', 'PIS-SCT-013', 'PIS-CBT-013'],
  'unknown-product-400': ['PIS-001'],
  'bad-iban-accepted': ['PIS-SCT-007', 'PIS-CBT-007'],
  'payment-no-location': ['PIS-SCT-002', 'PIS-CBT-002', 'CTR-017'],
  'cancel-not-effective': ['PIS-SCT-011', 'PIS-CBT-011'],
  'funds-always-available': ['COF-002'],
  'funds-available-as-string': ['COF-001', 'COF-002', 'COF-003', 'CTR-024'],
  'error-code-not-allowed': ['ERR-006', 'CTR-002', 'CTR-003', 'CTR-004'],
  'error-without-tpp-messages': ['ERR-001', 'ERR-004', 'ERR-006', 'ERR-009', 'ERR-012'],
  'request-id-not-echoed': [
    'ERR-002',
    'ERR-003',
    'CTR-001',
    'CTR-002',
    'CTR-003',
    'CTR-004',
    'CTR-005',
    'CTR-006',
    'CTR-007',
    'CTR-008',
    'CTR-009',
    'CTR-010',
    'CTR-011',
    'CTR-012',
    'CTR-013',
    'CTR-014',
    'CTR-015',
    'CTR-016',
    'CTR-017',
    'CTR-018',
    'CTR-019',
    'CTR-020',
    'CTR-021',
    'CTR-022',
    'CTR-023',
    'CTR-024',
  ],
  'missing-request-id-accepted': ['ERR-001'],
  'invalid-json-500': ['ERR-009'],
  'wrong-media-type-accepted': ['ERR-010'],
};

export const FAULTS: readonly (Fault & { id: FaultId })[] = FAULT_DEFINITIONS.map((f) => ({
  ...f,
  detectedBy: DETECTED_BY[f.id],
}));

export const FAULT_IDS: ReadonlySet<string> = new Set(FAULTS.map((f) => f.id));

export class FaultSwitch {
  private readonly on: Set<FaultId>;
  constructor(ids: Iterable<FaultId>) {
    this.on = new Set(ids);
  }
  has(id: FaultId): boolean {
    return this.on.has(id);
  }
  list(): FaultId[] {
    return [...this.on];
  }
}

/** Parses "a,b,c" into fault ids; an unknown name is a usage error the caller reports. */
export function parseFaults(text: string | undefined): { ids: FaultId[]; unknown: string[] } {
  const names = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !FAULT_IDS.has(n));
  return { ids: names.filter((n) => FAULT_IDS.has(n)) as FaultId[], unknown };
}
