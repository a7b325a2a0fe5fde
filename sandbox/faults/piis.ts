import type { FaultDeclaration } from './fault.ts';

/** Faults of funds confirmation. */
export const piisFaults = [
  {
    id: 'funds-always-available',
    area: 'piis',
    behaviour: 'answers fundsAvailable: true whatever the amount',
    rule: 'fundsAvailable reflects the available balance',
    reference: 'BG IG 1.3 §8.1 checkAvailabilityOfFunds',
    detectedBy: ['COF-002'],
  },
  {
    id: 'funds-available-as-string',
    area: 'piis',
    behaviour: 'writes fundsAvailable as the string "true"',
    rule: 'fundsAvailable is a boolean',
    reference: 'BG OpenAPI 1.3.12 inline 200 response of checkAvailabilityOfFunds',
    detectedBy: ['COF-001', 'COF-002', 'COF-003', 'CTR-024'],
  },
  {
    id: 'funds-account-optional',
    area: 'piis',
    behaviour: 'answers a funds confirmation without account (404 for the missing account)',
    rule: 'account is required in a confirmation of funds request; else 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 confirmationOfFunds',
    detectedBy: ['COF-004'],
  },
] as const satisfies readonly FaultDeclaration[];
