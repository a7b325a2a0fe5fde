import type { FaultDeclaration } from './fault.ts';

/** Faults of funds confirmation. */
export const piisFaults = [
  {
    id: 'funds-always-available',
    area: 'piis',
    behaviour: 'answers fundsAvailable: true whatever the amount',
    rule: 'fundsAvailable reflects the available balance',
    reference: 'BG IG 1.3 §8.1 checkAvailabilityOfFunds',
    detectedBy: ['COF-002', 'COF-009'],
  },
  {
    id: 'funds-available-as-string',
    area: 'piis',
    behaviour: 'writes fundsAvailable as the string "true"',
    rule: 'fundsAvailable is a boolean',
    reference: 'BG OpenAPI 1.3.12 inline 200 response of checkAvailabilityOfFunds',
    detectedBy: ['COF-001', 'COF-002', 'COF-003', 'CTR-024', 'COF-008', 'COF-009', 'COF-010'],
  },
  {
    id: 'funds-account-optional',
    area: 'piis',
    behaviour: 'answers a funds confirmation without account (404 for the missing account)',
    rule: 'account is required in a confirmation of funds request; else 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 confirmationOfFunds',
    detectedBy: ['COF-004'],
  },
  {
    id: 'funds-masked-pan-ignored',
    area: 'piis',
    behaviour: 'finds accounts by IBAN only: a card account named by its maskedPan is unknown (404)',
    rule: 'the account of a funds confirmation may be named by maskedPan (a card account)',
    reference: 'BG IG 1.3 §8.1 checkAvailabilityOfFunds (account: IBAN, BBAN, PAN, maskedPAN or MSISDN)',
    detectedBy: ['COF-008', 'COF-009'],
  },
  {
    id: 'funds-payee-refused',
    area: 'piis',
    behaviour: 'refuses a funds confirmation that names the payee with 400 FORMAT_ERROR',
    rule: 'payee is an optional field of a funds confirmation (Max70Text)',
    reference: 'BG OpenAPI 1.3.12 confirmationOfFunds (payee)',
    detectedBy: ['COF-010'],
  },
  {
    id: 'funds-payee-length-not-checked',
    area: 'piis',
    behaviour: 'answers a funds confirmation whose payee has 71 characters',
    rule: 'payee has at most 70 characters; else 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 confirmationOfFunds (payee Max70Text); BG IG 1.3 §14.11 FORMAT_ERROR',
    detectedBy: ['COF-011'],
  },
  {
    id: 'funds-consent-id-ignored',
    area: 'piis',
    behaviour: 'answers a funds confirmation under a Consent-ID it never issued',
    rule: 'a Consent-ID that names no consent is refused with CONSENT_UNKNOWN',
    reference: 'BG OpenAPI 1.3.12 checkAvailabilityOfFunds (Consent-ID); BG IG 1.3 §14.11 CONSENT_UNKNOWN',
    detectedBy: ['COF-014'],
  },
] as const satisfies readonly FaultDeclaration[];
