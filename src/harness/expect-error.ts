import { expect } from '@playwright/test';
import { formatViolation } from '../contract/violation.ts';
import type { HttpResponse } from '../http/client.ts';
import type { Xs2aResponse } from '../xs2a/api.ts';
import { messageCodes } from '../xs2a/message-codes.ts';

/**
 * Asserts a Berlin Group error: the status (one of), a message code (one of), read from
 * tppMessages or from an RFC 7807 body, and an error body that matches the contract. Says what came instead.
 */
export function expectError(response: Xs2aResponse, status: number | number[], codes: string[]): void {
  const statuses = Array.isArray(status) ? status : [status];
  const found = errorCodes(response);
  expect(
    statuses.includes(response.status) && found.some((c) => codes.includes(c)),
    `expected HTTP ${statuses.join(' or ')} with ${codes.join(' or ')}, got HTTP ${response.status} with ${found.length ? found.join(', ') : 'no message code'}: ${response.body.slice(0, 300)}`,
  ).toBe(true);
  const bodyViolations = response.violations.filter((v) => v.part === 'body' || v.part === 'content-type');
  expect(bodyViolations.map(formatViolation), 'the error body breaks the contract').toEqual([]);
}

export function errorCodes(response: HttpResponse): string[] {
  return messageCodes(response.body);
}
