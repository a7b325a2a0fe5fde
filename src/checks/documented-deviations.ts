import { readdirSync } from 'node:fs';
import path from 'node:path';
import { type Deviation, loadProfile } from '../config/profile.ts';
import { PACKAGE_ROOT } from '../paths.ts';
import { loadCatalogue } from './catalogue.ts';
import { type Check, missingCapability } from './types.ts';

let byCheck: Map<string, { profile: string; deviation: Deviation }[]> | undefined;

/**
 * The deviations the bundled profiles document for a check: a strict run against a bank that follows
 * its documented variant (myPOS) names, on each failure, the deviation that explains it.
 */
export function documentedDeviations(checkId: string): { profile: string; deviation: Deviation }[] {
  if (!byCheck) {
    byCheck = new Map();
    const dir = path.join(PACKAGE_ROOT, 'profiles');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const profile = loadProfile(path.join(dir, file));
      for (const deviation of profile.deviations) {
        const list = byCheck.get(deviation.check) ?? [];
        list.push({ profile: profile.name, deviation });
        byCheck.set(deviation.check, list);
      }
    }
  }
  return byCheck.get(checkId) ?? [];
}

/**
 * The checks of one profile's documented deviations that a run under another profile reaches against the
 * embedded sandbox (which brings every fixture): those not skipped for a capability the other profile
 * lacks. tests/suite/mypos.test.ts holds that the strict run fails (or, for a SHOULD, advises) exactly these.
 */
export function deviationsReachedUnder(deviating: string, runProfile: string): Check[] {
  const documented = new Set(loadProfile(deviating).deviations.map((d) => d.check));
  const profile = loadProfile(runProfile);
  const embedded = { otherTpp: true, otherPsu: true, expiredConsentFixture: true, roleCertificates: true };
  return loadCatalogue().filter(
    (c) => documented.has(c.id) && missingCapability(c, profile, embedded) === undefined,
  );
}
