import type { Contract } from '../contract/contract.ts';
import { formatViolation, type Violation } from '../contract/violation.ts';
import type { HttpResponse } from '../http/client.ts';
import { type Exchange, formatExchange } from '../http/exchange.ts';

export interface CheckedExchange {
  exchange: Exchange;
  operationId: string | undefined;
  violations: Violation[];
  /** Where the profile has a baseline (Berlin Group under the mypos profile): what breaks it. */
  baselineViolations: Violation[];
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
    private readonly baseline?: Contract,
  ) {}

  /** The last exchange in one line (method, URL, status, media type, the body's start), as a failure ends with it. */
  lastLine(): string | undefined {
    const last = this.entries.at(-1)?.exchange;
    if (!last) return undefined;
    return `Last exchange: ${last.request.method} ${last.request.url} -> ${
      last.response
        ? `HTTP ${last.response.status} ${last.response.headers['content-type'] ?? '(no content type)'} ${JSON.stringify(last.response.body.slice(0, 160))}`
        : `no response: ${last.error ?? ''}`
    }`;
  }

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
    const baselineViolations = match ? this.checkBaseline(response, path, match.operation.operationId) : [];
    const entry = {
      exchange: response.exchange,
      operationId: match?.operation.operationId,
      violations,
      baselineViolations,
    };
    this.entries.push(entry);
    return entry;
  }

  addFailed(exchange: Exchange): void {
    this.entries.push({ exchange, operationId: undefined, violations: [], baselineViolations: [] });
  }

  /** The same exchange against the baseline: its operation there must be the same one, and its answer fit. */
  private checkBaseline(response: HttpResponse, path: string, operationId: string): Violation[] {
    if (!this.baseline) return [];
    const request = response.exchange.request;
    const match = this.baseline.match(request.method, path);
    if (match?.operation.operationId === operationId)
      return this.baseline.validateResponse(operationId, response);
    return [
      {
        part: 'status',
        pointer: '',
        message: `${request.method} ${path} is ${operationId} here, but ${match ? `${match.operation.operationId} in the baseline` : 'no operation of the baseline'}`,
        contractLocation: this.baseline.files.join(', '),
      },
    ];
  }

  baselineViolationsFor(
    operations: readonly string[],
  ): { operationId: string; status: number; violation: Violation }[] {
    return this.entries.flatMap((e) =>
      e.operationId && operations.includes(e.operationId)
        ? e.baselineViolations.map((violation) => ({
            operationId: e.operationId ?? '',
            status: e.exchange.response?.status ?? 0,
            violation,
          }))
        : [],
    );
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
