/** A sandbox fault: the sandbox breaks exactly one rule, named with its source, and the checks that see it. */
export interface FaultDeclaration {
  id: string;
  area: 'transport' | 'oauth2' | 'sca' | 'consents' | 'ais' | 'card-accounts' | 'pis' | 'piis' | 'errors';
  /** What the sandbox does wrong when the fault is on. */
  behaviour: string;
  /** The rule it breaks, in the source's words. */
  rule: string;
  reference: string;
  /** The suite checks that detect it: exactly these fail in the fault matrix, nothing else. */
  detectedBy: readonly string[];
  /** It lives below HTTP, in the TLS settings: a TPP it is scoped to gets an API listener of its own. */
  listener?: true;
}
