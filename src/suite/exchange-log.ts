import type { Contract } from '../contract/contract.ts';
import { formatViolation, type Violation } from '../contract/violation.ts';
import type { HttpResponse } from '../http/client.ts';
import { type Exchange, formatExchange } from '../http/exchange.ts';

export interface CheckedExchange {
  exchange: Exchange;
  operationId: string | undefined;
  violations: Violation[];
}

/**
 * The exchanges of one test, each checked against its operation's contract as it arrives,
 * including the echo of X-Request-ID (BG IG 1.3 §4.7).
 */
export class ExchangeLog {
  readonly entries: CheckedExchange[] = [];

  constructor(
    private readonly contract: Contract,
    private readonly basePath: string,
  ) {}

  add(response: HttpResponse): CheckedExchange {
    const url = new URL(response.exchange.request.url);
    const path = url.pathname.startsWith(this.basePath)
      ? url.pathname.slice(this.basePath.length) || '/'
      : url.pathname;
    const match = this.contract.match(response.exchange.request.method, path);
    const violations: Violation[] = [];
    if (match) {
      violations.push(...this.contract.validateResponse(match.operation.operationId, response));
      const echoed = response.header('x-request-id');
      if (response.requestId !== undefined && echoed !== undefined && echoed !== response.requestId) {
        violations.push({
          part: 'header',
          pointer: '/X-Request-ID',
          message: `does not echo the request's X-Request-ID (sent ${response.requestId}, got ${echoed})`,
          contractLocation: 'BG IG 1.3 §4.7 X-Request-ID',
        });
      }
    }
    const entry = { exchange: response.exchange, operationId: match?.operation.operationId, violations };
    this.entries.push(entry);
    return entry;
  }

  addFailed(exchange: Exchange): void {
    this.entries.push({ exchange, operationId: undefined, violations: [] });
  }

  violationsFor(
    operations: readonly string[] | 'all',
  ): { operationId: string; status: number; violation: Violation }[] {
    return this.entries.flatMap((e) =>
      e.operationId && (operations === 'all' || operations.includes(e.operationId))
        ? e.violations.map((violation) => ({
            operationId: e.operationId ?? '',
            status: e.exchange.response?.status ?? 0,
            violation,
          }))
        : [],
    );
  }

  describe(list: { operationId: string; status: number; violation: Violation }[]): string {
    return list.map((v) => `${v.operationId} ${v.status} ${formatViolation(v.violation)}`).join('\n');
  }

  transcript(): string {
    return this.entries
      .map((e, i) => {
        const notes = e.violations.map((v) => `  ! ${formatViolation(v)}`).join('\n');
        return `### ${i + 1}. ${e.operationId ?? e.exchange.label ?? ''}\n${formatExchange(e.exchange)}${notes ? `\n${notes}` : ''}`;
      })
      .join('\n\n');
  }
}
