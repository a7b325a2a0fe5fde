import type { Contract, Operation } from '../src/contract/contract.ts';
import type { Violation } from '../src/contract/violation.ts';
import type { TppExaminer } from './certify/examiner.ts';
import type { FaultSwitch, FaultView } from './faults/switch.ts';
import type { AccessToken, SandboxState } from './state.ts';
import type { TppIdentity } from './tpp-identity.ts';

export interface SandboxOptions {
  apiBaseUrl: string;
  psuBaseUrl: string;
  tokenLifetimeMs: number;
  codeLifetimeMs: number;
  pageSize: number;
  /** Which API the sandbox answers as: Berlin Group 1.3, or myPOS as its pages document it. */
  flavour: SandboxFlavour;
  /** The myPOS API-Key the flavour expects on XS2A requests. */
  apiKey: string | undefined;
}

export type SandboxFlavour = 'berlin-group' | 'mypos';

/** What the sandbox keeps of each TPP's requests: which operations, which broke the contract. */
export class TppRecorder {
  readonly byTpp = new Map<
    string,
    {
      calls: Record<string, number>;
      violations: { operationId: string; requestId: string; violations: string[] }[];
    }
  >();

  call(tpp: string, operationId: string): void {
    const entry = this.entry(tpp);
    entry.calls[operationId] = (entry.calls[operationId] ?? 0) + 1;
  }

  violation(tpp: string, operationId: string, requestId: string, violations: Violation[]): void {
    this.entry(tpp).violations.push({
      operationId,
      requestId,
      violations: violations.map(
        (v) => `${v.part} ${v.pointer || '/'}: ${v.message} [${v.contractLocation}]`,
      ),
    });
  }

  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.byTpp);
  }

  private entry(tpp: string) {
    let entry = this.byTpp.get(tpp);
    if (!entry) {
      entry = { calls: {}, violations: [] };
      this.byTpp.set(tpp, entry);
    }
    return entry;
  }
}

export interface SandboxContext {
  state: SandboxState;
  faults: FaultSwitch;
  contract: Contract;
  options: SandboxOptions;
  recorder: TppRecorder;
  /** certify-tpp's examiner of the TPPs' own requests, when the sandbox runs as one. */
  examiner?: TppExaminer;
}

/** What the gatekeeping hooks learnt about a request, for the handlers. */
export interface Xs2aRequest {
  operation: Operation;
  pathParams: Record<string, string>;
  tpp: TppIdentity | undefined;
  token: AccessToken | undefined;
  /** The parsed JSON body, when there is one. */
  body: unknown;
}

declare module 'fastify' {
  interface FastifyRequest {
    xs2a?: Xs2aRequest;
  }
}

/**
 * The faults of the TPP a client_id belongs to: for requests that do not come with that TPP's certificate (the
 * PSU's browser, or another client presenting its code or refresh token).
 */
export function faultsOfClient(ctx: SandboxContext, clientId: string): FaultView {
  return ctx.faults.forTpp(ctx.state.tppOfClient(clientId));
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
