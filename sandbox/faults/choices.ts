/**
 * Choices Berlin Group leaves to the bank: switched on like a fault (`--faults <id>`), the sandbox answers the
 * other allowed way, and the checks of the rule must still pass (tests/suite/choices.test.ts). They prove the
 * suite raises no false alarm against a bank that chose differently from the sandbox. docs/faults.md lists them.
 */
export interface ChoiceDeclaration {
  id: string;
  area: 'consents' | 'pis' | 'ais' | 'errors';
  /** What the sandbox does instead of its default when the choice is on. */
  behaviour: string;
  /** Where Berlin Group allows it. */
  allowedBy: string;
  /** The checks of the rule: each must pass with the choice on. */
  mustPass: readonly string[];
}

export const BANK_CHOICES = [
  {
    id: 'one-off-frequency-refused',
    area: 'consents',
    behaviour:
      'refuses a one-off consent (recurringIndicator false) asking a frequencyPerDay above 1 with 400 FORMAT_ERROR, instead of setting it to 1',
    allowedBy:
      'BG OpenAPI 1.3.12 frequencyPerDay ("For a one-off access, this attribute is set to 1"): the bank sets it, or refuses the request as malformed (what WSO2\'s toolkit expects)',
    mustPass: ['CON-008', 'CON-028'],
  },
] as const satisfies readonly ChoiceDeclaration[];

export type ChoiceId = (typeof BANK_CHOICES)[number]['id'];
