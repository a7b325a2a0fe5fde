import { expect } from '@playwright/test';
import type { HttpResponse } from '../http/client.ts';

/**
 * Plumbing, not a rule: the consent or payment a check stands on was created (any 2xx). That a create answers
 * 201 is the rule of the checks about creation (CON-001, PIS-SCT-001, PIS-CBT-001), which report it once.
 */
export function expectCreated(response: HttpResponse, what: string): void {
  expect(
    response.status >= 200 && response.status < 300,
    `${what}: HTTP ${response.status} ${response.body.slice(0, 200)}`,
  ).toBe(true);
}
