import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FaultId } from '../../sandbox/faults/index.ts';
import { parseFaults } from '../../sandbox/faults/switch.ts';
import { startSandbox } from '../../sandbox/start.ts';
import { loadConfig } from '../config/load.ts';
import { loadProfile } from '../config/profile.ts';
import { warmContractCache } from '../contract/load-contract.ts';
import { matrixPlan } from './matrix-plan.ts';
import { browserSettings, settingsForTarget } from './resolve-settings.ts';
import { RUN_FILE_ENV, type RunSettings } from './settings.ts';

/**
 * Resolves the target once for all workers: the configured one, or the embedded sandbox started
 * here (and stopped in teardown). Workers get the settings through a private file, not reports/.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const config = loadConfig(process.env.PSD2_CONFIG_FILE ? { file: process.env.PSD2_CONFIG_FILE } : {});
  const profileName = process.env.PSD2_PROFILE_OVERRIDE ?? config.profile;
  let settings: RunSettings;
  let stop: (() => Promise<void>) | undefined;
  if (config.target.baseUrl) {
    settings = settingsForTarget(config, profileName ?? 'berlin-group');
  } else {
    const faults = parseFaults(process.env.PSD2_SANDBOX_FAULTS);
    const plan = matrixPlan();
    const tppFaults = plan
      ? Object.fromEntries(Object.entries(plan.tpps).map(([tpp, p]) => [tpp, p.faults as FaultId[]]))
      : faults.scoped;
    // The mypos profile is checked against the sandbox answering as myPOS documents its API.
    const chosen = loadProfile(profileName ?? 'sandbox');
    const dialect = chosen.dialect;
    const flavour = config.sandbox.flavour ?? (dialect === 'mypos' ? 'mypos' : 'berlin-group');
    const sandbox = await startSandbox({ faults: faults.ids, tppFaults, flavour });
    stop = () => sandbox.close();
    const c = sandbox.config;
    const psu = c.psus[0] ?? { id: '', password: '' };
    settings = {
      embedded: true,
      profile: profileName ?? 'sandbox',
      target: { baseUrl: c.baseUrl, tokenUrl: c.tokenUrl, authorizeUrl: c.authorizeUrl, apiKey: c.apiKey },
      client: {
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        redirectUri: c.redirectUri,
        authMethod: c.authMethod,
        // The sandbox verifies PKCE with an implementation of its own: send it where the profile says the target supports it.
        pkce: chosen.capabilities.pkce,
      },
      tls: { cert: c.cert, key: c.key, ca: c.ca, certificates: c.certificates },
      psu,
      otherTpp: c.otherTpp,
      fixtures: c.fixtures,
      http: config.http,
      browser: browserSettings(config),
      faults: c.faults,
      tpps: Object.fromEntries(
        Object.entries(c.tpps).map(([name, t]) => [
          name,
          {
            target: { baseUrl: t.baseUrl, tokenUrl: t.tokenUrl },
            client: { clientId: t.clientId, clientSecret: t.clientSecret },
            tls: { cert: t.cert, key: t.key, certificates: t.certificates },
            otherTpp: t.otherTpp,
            fixtures: t.fixtures,
            faults: t.faults,
          },
        ]),
      ),
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'psd2c-run-'));
  const file = path.join(dir, 'settings.json');
  writeFileSync(file, JSON.stringify(settings), { mode: 0o600 });
  process.env[RUN_FILE_ENV] = file;
  process.env.PSD2C_TARGET = settings.target.baseUrl;
  const profile = loadProfile(settings.profile);
  // Once per machine and contract version: workers then validate with standalone code from the cache.
  for (const files of [profile.contracts, profile.baseline]) {
    try {
      if (files) warmContractCache(files);
    } catch {
      // A contract that cannot compile is reported where the workers load it, with its usual message.
    }
  }
  process.env.PSD2C_PROFILE = profile.name;
  process.env.PSD2C_PROFILE_FILE = profile.file;
  process.env.PSD2C_EMBEDDED = settings.embedded ? '1' : '0';
  process.env.PSD2C_PARTIAL = settings.partial?.reason ?? '';
  return async () => {
    await stop?.();
    rmSync(dir, { recursive: true, force: true });
  };
}
