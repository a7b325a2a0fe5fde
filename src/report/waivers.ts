import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { UsageError } from '../errors.ts';

/** A known deviation: a failing check that does not fail the gate until it expires. */
export interface Waiver {
  check: string;
  reason: string;
  owner: string;
  /** YYYY-MM-DD; the waiver no longer applies after this day. */
  expires: string;
  source?: string;
  /** A documented deviation of the target's profile rather than a waiver someone filed. */
  deviation?: boolean;
}

/** A profile's documented deviations, as waivers that do not expire. */
export function deviationWaivers(profile: {
  name: string;
  deviations: { check: string; reason: string; source: string }[];
}): Waiver[] {
  return profile.deviations.map((d) => ({
    check: d.check,
    reason: `known deviation of profile ${profile.name}: ${d.reason}`,
    owner: `profile ${profile.name}`,
    expires: '9999-12-31',
    source: d.source,
    deviation: true,
  }));
}

export function loadWaivers(file: string | undefined): Waiver[] {
  if (!file) return [];
  if (!existsSync(file))
    throw new UsageError(`waiver file ${file} does not exist: fix "waivers" in the config`);
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `waiver file ${file} is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : error}`,
    );
  }
  const list = (raw as { waivers?: unknown } | null)?.waivers ?? raw;
  if (!Array.isArray(list)) throw new UsageError(`waiver file ${file} must hold a list under "waivers:"`);
  return list.map((item, i) => {
    const w = item as Partial<Waiver>;
    for (const key of ['check', 'reason', 'owner', 'expires'] as const) {
      if (typeof w[key] !== 'string' && !(key === 'expires' && (w.expires as unknown) instanceof Date)) {
        throw new UsageError(
          `waiver ${i + 1} in ${file} needs "${key}" (check, reason, owner, expires: YYYY-MM-DD)`,
        );
      }
    }
    const expires =
      (w.expires as unknown) instanceof Date
        ? (w.expires as unknown as Date).toISOString().slice(0, 10)
        : String(w.expires);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(expires))
      throw new UsageError(`waiver ${i + 1} in ${file}: expires must be YYYY-MM-DD`);
    return {
      check: String(w.check),
      reason: String(w.reason),
      owner: String(w.owner),
      expires,
      ...(w.source ? { source: w.source } : {}),
    };
  });
}
