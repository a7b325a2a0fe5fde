import { AsyncLocalStorage } from 'node:async_hooks';
import { SWITCH_IDS, type SwitchId } from './index.ts';

/** What one TPP's requests see: whether a fault is on. */
export interface FaultView {
  has(id: SwitchId): boolean;
}

/**
 * Which faults are on: some for every TPP, some for one registered TPP only (and the second TPP it
 * works with), so that one sandbox can be a faulty bank to one TPP and a clean bank to every other.
 * `has` answers for the TPP whose request is being handled: the API server runs each request inside
 * `runAs` (see start.ts), so route code deep inside a handler needs no TPP passed down to it.
 */
export class FaultSwitch implements FaultView {
  private readonly everyone: ReadonlySet<SwitchId>;
  private readonly byTpp: ReadonlyMap<string, ReadonlySet<SwitchId>>;
  private readonly caller = new AsyncLocalStorage<string | undefined>();

  constructor(everyone: Iterable<SwitchId>, byTpp: Record<string, Iterable<SwitchId>> = {}) {
    this.everyone = new Set(everyone);
    this.byTpp = new Map(Object.entries(byTpp).map(([tpp, ids]) => [tpp, new Set(ids)]));
  }

  has(id: SwitchId): boolean {
    return this.forTpp(this.caller.getStore()).has(id);
  }

  /** The faults one TPP sees (undefined: a TPP without faults of its own). */
  forTpp(tpp: string | undefined): FaultView {
    const own = tpp === undefined ? undefined : this.byTpp.get(tpp);
    return { has: (id) => this.everyone.has(id) || own?.has(id) === true };
  }

  /** Runs `fn` on behalf of a TPP: every `has` inside it, however deep or late, answers for that TPP. */
  runAs<T>(tpp: string | undefined, fn: () => T): T {
    return this.caller.run(tpp, fn);
  }

  /** The faults on for every TPP. */
  list(): SwitchId[] {
    return [...this.everyone];
  }

  /** The faults of each registered TPP that has its own. */
  scoped(): Record<string, SwitchId[]> {
    return Object.fromEntries([...this.byTpp].map(([tpp, ids]) => [tpp, [...ids]]));
  }
}

/** A TPP name in a scoped fault (`fault@tpp`): lower case letters, digits and dashes. */
export const TPP_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface ParsedFaults {
  /** Faults for every TPP. */
  ids: SwitchId[];
  /** Faults for one registered TPP each, by TPP name. */
  scoped: Record<string, SwitchId[]>;
  /** Names that are not faults of the catalogue (or not a valid `fault@tpp`). */
  unknown: string[];
}

/**
 * Parses "a,b@acme,c": `a` and `c` for every TPP, `b` for the registered TPP "acme" only (the sandbox
 * registers it and prints its credentials). An unknown name is a usage error the caller reports.
 */
export function parseFaults(text: string | undefined): ParsedFaults {
  const parsed: ParsedFaults = { ids: [], scoped: {}, unknown: [] };
  for (const name of (text ?? '').split(',').map((s) => s.trim())) {
    if (!name) continue;
    const [id = '', tpp, ...rest] = name.split('@');
    if (!SWITCH_IDS.has(id) || rest.length > 0 || (tpp !== undefined && !TPP_NAME.test(tpp))) {
      parsed.unknown.push(name);
    } else if (tpp === undefined) {
      parsed.ids.push(id as SwitchId);
    } else {
      parsed.scoped[tpp] = [...(parsed.scoped[tpp] ?? []), id as SwitchId];
    }
  }
  return parsed;
}
