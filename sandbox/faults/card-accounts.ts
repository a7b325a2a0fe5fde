import type { FaultDeclaration } from './fault.ts';

/** Faults of card accounts. */
export const cardAccountFaults = [
  {
    id: 'card-list-key-accounts',
    area: 'card-accounts',
    behaviour: 'lists card accounts under "accounts" instead of "cardAccounts"',
    rule: 'the card account list is {cardAccounts: [...]}',
    reference: 'BG OpenAPI 1.3.12 cardAccountList; getCardAccountList',
    // The other card checks find the cards under "accounts" too: one broken rule, one rule check.
    detectedBy: ['CRD-001', 'CTR-013'],
  },
  {
    id: 'card-masked-pan-missing',
    area: 'card-accounts',
    behaviour: 'leaves maskedPan out of card account details',
    rule: 'cardAccountDetails requires maskedPan and currency',
    reference: 'BG OpenAPI 1.3.12 cardAccountDetails',
    detectedBy: ['CRD-002', 'CRD-003', 'CTR-013', 'CTR-014'],
  },
  {
    id: 'unknown-card-500',
    area: 'card-accounts',
    behaviour: 'answers an unknown card account with 500',
    rule: 'an unknown resource is answered with 404 RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §14.11 RESOURCE_UNKNOWN',
    detectedBy: ['CRD-006', 'CRD-013', 'CRD-032'],
  },
  {
    id: 'credit-limit-included-string',
    area: 'card-accounts',
    behaviour: 'writes creditLimitIncluded of card balances as the string "true"',
    rule: 'creditLimitIncluded is a boolean',
    reference: 'BG OpenAPI 1.3.12 balance creditLimitIncluded (boolean)',
    detectedBy: ['CRD-015', 'CTR-015'],
  },
] as const satisfies readonly FaultDeclaration[];
