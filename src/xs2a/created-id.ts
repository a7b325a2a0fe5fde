import type { HttpResponse } from '../http/client.ts';

/**
 * The id a create answered (consentId, paymentId). Tolerant plumbing: any 2xx that names the resource lets the
 * checks that stand on it go on; the status code itself (201) is the rule of the checks about creation, which
 * report it once, instead of every check that needed a consent or a payment failing with it.
 */
export function createdId(
  response: HttpResponse,
  field: 'consentId' | 'paymentId',
  operation: string,
): string {
  const id =
    response.status >= 200 && response.status < 300
      ? response.json<Record<string, unknown>>()[field]
      : undefined;
  if (typeof id !== 'string' || id === '')
    throw new Error(`${operation} answered ${response.status}: ${response.body.slice(0, 300)}`);
  return id;
}
