import type { FaultDeclaration } from './fault.ts';

/** Faults of the SCA pages. */
export const scaFaults = [
  {
    id: 'named-accounts-not-owned',
    area: 'sca',
    behaviour:
      "lets whoever logs in at the SCA grant the accounts a consent names, or pay from a payment's debtorAccount, whoever holds them",
    rule: "the PSU who authorises a consent or payment grants access to, or pays from, only accounts that PSU holds: another PSU's named account is refused",
    reference:
      "BG IG 1.3 §6.3.1.1 (a consent on dedicated accounts of the PSU); PSD2 Art. 66, 67 (access and payment with the PSU's consent)",
    detectedBy: ['SCA-010', 'SCA-011'],
  },
  {
    id: 'sca-state-dropped',
    area: 'sca',
    behaviour: 'redirects back to the TPP without the state parameter',
    rule: 'state is REQUIRED in the authorization response if it was in the request',
    reference: 'RFC 6749 §4.1.2',
    detectedBy: ['SCA-003', 'SCA-008'],
  },
  {
    id: 'sca-decline-approves',
    area: 'sca',
    behaviour: 'treats Decline as Approve',
    rule: 'a declined authorisation redirects with error=access_denied and leaves the consent rejected',
    reference: 'RFC 6749 §4.1.2.1; BG IG 1.3 §6.3.1',
    detectedBy: ['SCA-004', 'SCA-005', 'SCA-007', 'SCA-012', 'PIS-034', 'PIS-036', 'PIS-044'],
  },
  {
    id: 'consent-not-valid-after-sca',
    area: 'sca',
    behaviour: 'leaves an approved consent in status received',
    rule: 'an approved consent has status valid',
    reference: 'BG IG 1.3 §6.3.3 consentStatus',
    // Every contract check that reads accounts never reaches the operation's success path, and the checks that
    // read the first PSU's accounts under the run's consent (SCA-010, SCA-011) cannot.
    detectedBy: [
      'SCA-001',
      'SCA-009',
      'SCA-010',
      'SCA-011',
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
      'PIS-050',
    ],
  },
  {
    id: 'sca-status-finalised-on-decline',
    area: 'sca',
    behaviour: 'reads scaStatus finalised for a consent authorisation the PSU declined',
    rule: 'an authorisation the PSU declined reads scaStatus failed',
    reference: 'BG IG 1.3 §7.6 getConsentScaStatus; BG OpenAPI 1.3.12 scaStatus (failed)',
    detectedBy: ['SCA-012'],
  },
] as const satisfies readonly FaultDeclaration[];
