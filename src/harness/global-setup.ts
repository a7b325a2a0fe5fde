import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SwitchId } from '../../sandbox/faults/index.ts';
import { type SandboxClientConfig, startSandbox } from '../../sandbox/start.ts';
import { loadConfig } from '../config/load.ts';
import { portableProfilePath } from '../config/profile.ts';
import { warmContractCache } from '../contract/load-contract.ts';
import { matrixPlan } from './matrix-plan.ts';
import { resolveRunPlan } from './resolve-run.ts';
import { RUN_FILE_ENV, type RunPlan, type RunSettings, readRunFile, writeRunFile } from './settings.ts';

/** The access tokens' lifetime on the fault matrix's sandbox: longer than any matrix run. */
const MATRIX_TOKEN_LIFETIME_SECONDS = 3600;

/**
 * Reaches the target once for all workers: the configured one, or the embedded sandbox started here
 * (and stopped in teardown). The plan comes from the CLI's run file; when Playwright was started
 * directly, it is resolved here from the config file and the variables. Workers and the reporter read
 * the same private file, not reports/.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const handedOver = process.env[RUN_FILE_ENV];
  const file = handedOver ?? ownRunFile();
  const plan = (handedOver ? readRunFile().plan : undefined) ?? planOfDirectRun();
  let settings: RunSettings;
  let stop: (() => Promise<void>) | undefined;
  if (plan.target) {
    settings = plan.target;
  } else {
    const matrix = matrixPlan();
    const tppFaults = matrix
      ? Object.fromEntries(Object.entries(matrix.tpps).map(([tpp, p]) => [tpp, p.faults as SwitchId[]]))
      : (plan.sandbox.scoped as Record<string, SwitchId[]>);
    const sandbox = await startSandbox({
      faults: plan.sandbox.faults as SwitchId[],
      tppFaults,
      flavour: plan.sandbox.flavour,
      // Each TPP approves its consent once per run and reads with it to the end: the matrix's run lasts as long
      // as all its faults together (17 minutes on a slow 2-core machine), beyond the sandbox's default 10 minutes.
      ...(matrix ? { tokenLifetimeSeconds: MATRIX_TOKEN_LIFETIME_SECONDS } : {}),
    });
    stop = () => sandbox.close();
    settings = embeddedSettings(plan, sandbox.config);
  }
  writeRunFile(file, {
    plan,
    settings,
    report: {
      target: settings.target.baseUrl,
      profile: {
        name: plan.profile.name,
        deviations: plan.profile.deviations,
        file: portableProfilePath(plan.profile.file),
      },
      embedded: settings.embedded,
      ...(settings.partial ? { partial: settings.partial.reason } : {}),
      ...(plan.waivers ? { waivers: plan.waivers } : {}),
      selection: plan.selection,
    },
  });
  process.env[RUN_FILE_ENV] = file;
  // Once per machine and contract version: workers then validate with standalone code from the cache.
  for (const files of [plan.profile.contracts, plan.profile.baseline]) {
    try {
      if (files) warmContractCache(files);
    } catch {
      // A contract that cannot compile is reported where the workers load it, with its usual message.
    }
  }
  return async () => {
    await stop?.();
  };
}

/** `npx playwright test` without the CLI: the same resolution, from the config file and the variables. */
function planOfDirectRun(): RunPlan {
  const config = loadConfig(process.env.PSD2_CONFIG_FILE ? { file: process.env.PSD2_CONFIG_FILE } : {});
  return resolveRunPlan(config, {
    faults: process.env.PSD2_SANDBOX_FAULTS,
    waivers: process.env.PSD2_WAIVERS || undefined,
    headed: process.env.PSD2_HEADED === '1',
  });
}

/** A private folder for a direct run's file; the reporter reads it after teardown, so it goes at exit. */
function ownRunFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'psd2c-run-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'run.json');
}

export function embeddedSettings(plan: RunPlan, c: SandboxClientConfig): RunSettings {
  return {
    embedded: true,
    profile: plan.profile,
    target: { baseUrl: c.baseUrl, tokenUrl: c.tokenUrl, authorizeUrl: c.authorizeUrl, apiKey: c.apiKey },
    client: {
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      redirectUri: c.redirectUri,
      authMethod: c.authMethod,
      // The sandbox verifies PKCE with an implementation of its own: send it where the profile says the target supports it.
      pkce: plan.profile.capabilities.pkce,
    },
    tls: { cert: c.cert, key: c.key, ca: c.ca, certificates: c.certificates },
    psu: c.psus[0] ?? { id: '', password: '' },
    otherPsu: c.psus[1],
    otherTpp: c.otherTpp,
    fixtures: c.fixtures,
    http: plan.http,
    browser: plan.browser,
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
