/** Where in an exchange a violation sits. */
export type ViolationPart = 'status' | 'content-type' | 'header' | 'query' | 'path' | 'body';

export interface Violation {
  part: ViolationPart;
  /** JSON pointer into the part: `/consentStatus` in a body, `/Location` for a header. */
  pointer: string;
  message: string;
  /** The contract rule broken, as file#pointer. */
  contractLocation: string;
}

export function formatViolation(v: Violation): string {
  return `${v.part} ${v.pointer || '/'}: ${v.message} [${v.contractLocation}]`;
}

export function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
