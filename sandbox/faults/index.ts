/**
 * The sandbox's fault catalogue, one file per area: each fault breaks exactly one rule, named with its
 * source, and names the checks that detect it. docs/faults.md is generated from it.
 */

import { aisFaults } from './ais.ts';
import { cardAccountFaults } from './card-accounts.ts';
import { BANK_CHOICES, type ChoiceId } from './choices.ts';
import { consentsFaults } from './consents.ts';
import { errorsFaults } from './errors.ts';
import type { FaultDeclaration } from './fault.ts';
import { hardeningFaults } from './hardening.ts';
import { oauth2Faults } from './oauth2.ts';
import { piisFaults } from './piis.ts';
import { pisFaults } from './pis.ts';
import { scaFaults } from './sca.ts';
import { transportFaults } from './transport.ts';

const DECLARED = [
  ...transportFaults,
  ...oauth2Faults,
  ...scaFaults,
  ...consentsFaults,
  ...aisFaults,
  ...cardAccountFaults,
  ...pisFaults,
  ...piisFaults,
  ...errorsFaults,
  ...hardeningFaults,
] as const;

export type FaultId = (typeof DECLARED)[number]['id'];
export type Fault = FaultDeclaration & { id: FaultId };

export const FAULTS: readonly Fault[] = DECLARED;

export const FAULT_IDS: ReadonlySet<string> = new Set(FAULTS.map((f) => f.id));

/** What the sandbox can be switched to: a fault, or another answer a bank may choose (choices.ts). */
export type SwitchId = FaultId | ChoiceId;

export const SWITCH_IDS: ReadonlySet<string> = new Set([...FAULT_IDS, ...BANK_CHOICES.map((c) => c.id)]);
