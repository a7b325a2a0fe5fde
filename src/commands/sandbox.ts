import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { SandboxFlavour } from '../../sandbox/context.ts';
import { parseFaults } from '../../sandbox/faults/switch.ts';
import { runConfigOf } from '../../sandbox/run-config.ts';
import {
  type RunningSandbox,
  SANDBOX_FLAVOURS,
  type SandboxStartOptions,
  startSandbox,
} from '../../sandbox/start.ts';
import { loadConfig } from '../config/load.ts';
import { EXIT, UsageError } from '../errors.ts';
import { integerOption, parseCommandArgs } from './args.ts';

const USAGE = `usage: psd2-conformance sandbox [--port N] [--psu-port N] [--host 127.0.0.1] [--faults a,b,...] [--seed N]
                                [--flavour berlin-group|mypos] [--record file.json] [--token-lifetime seconds]
                                [--code-lifetime seconds] [--print-config file.yaml]
--flavour mypos answers as the myPOS PSD2 API its pages document (openapi/mypos/) instead of Berlin Group 1.3.
--faults a,b@acme switches a on for every TPP and b for the TPP "acme" only: the sandbox registers acme (its own
client, certificates and second TPP) and prints its configuration under "tpps"; every other TPP sees a clean bank.
--print-config writes a configuration file that points "psd2-conformance run --config file.yaml" at this sandbox as a
configured target (its secrets are the sandbox's test secrets; the file is readable by its owner only).
Faults can also come from PSD2_SANDBOX_FAULTS or sandbox.faults in the config file (--config). See docs/faults.md for the catalogue.`;

export async function sandboxCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    port: { type: 'string' },
    'psu-port': { type: 'string' },
    host: { type: 'string' },
    faults: { type: 'string' },
    seed: { type: 'string' },
    record: { type: 'string' },
    flavour: { type: 'string' },
    config: { type: 'string' },
    'token-lifetime': { type: 'string' },
    'code-lifetime': { type: 'string' },
    'print-config': { type: 'string' },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.conformant;
  }
  const config = loadConfig(values.config ? { file: values.config } : {});
  const faults = parseFaults(
    values.faults ?? process.env.PSD2_SANDBOX_FAULTS ?? config.sandbox.faults?.join(','),
  );
  if (faults.unknown.length > 0) {
    throw new UsageError(
      `unknown fault ${faults.unknown.map((f) => `"${f}"`).join(', ')}: see docs/faults.md for the names`,
    );
  }
  const sandbox = await startSandboxOf(values, {
    faults: faults.ids,
    tppFaults: faults.scoped,
    flavour: sandboxFlavour(values.flavour ?? config.sandbox.flavour),
    seed: integerOption('seed', values.seed, 0, 2 ** 31) ?? 1,
  });
  process.stdout.write(`${JSON.stringify(sandbox.config)}\n`);
  if (values['print-config']) {
    const file = path.resolve(values['print-config']);
    try {
      writeFileSync(
        file,
        `# psd2-conformance run --config ${path.basename(file)}: the sandbox started by psd2-conformance sandbox\n${stringify(runConfigOf(sandbox.config))}`,
        { mode: 0o600 },
      );
    } catch {
      await sandbox.close();
      throw new UsageError(`--print-config ${file} cannot be written`);
    }
    console.error(
      `psd2-conformance sandbox: wrote ${path.relative(process.cwd(), file) || file}; run: psd2-conformance run --config ${path.relative(process.cwd(), file) || file}`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.close();
  if (values.record)
    writeFileSync(values.record, `${JSON.stringify(sandbox.context.recorder.toJSON(), null, 2)}\n`);
  return EXIT.conformant;
}

/** The listener options both sandbox commands take. */
export interface SandboxListenerFlags {
  host?: string | undefined;
  port?: string | undefined;
  'psu-port'?: string | undefined;
  'token-lifetime'?: string | undefined;
  'code-lifetime'?: string | undefined;
}

/** A flavour named on the command line or in the config, or Berlin Group; another name is bad input. */
export function sandboxFlavour(name: string | undefined): SandboxFlavour {
  const flavour = name ?? 'berlin-group';
  if (!(SANDBOX_FLAVOURS as readonly string[]).includes(flavour))
    throw new UsageError(`unknown flavour "${flavour}": choose one of ${SANDBOX_FLAVOURS.join(', ')}`);
  return flavour as SandboxFlavour;
}

/** Starts the sandbox on the listener the flags name; a port it cannot take is bad input, not a crash. */
export async function startSandboxOf(
  flags: SandboxListenerFlags,
  options: SandboxStartOptions,
): Promise<RunningSandbox> {
  try {
    return await startSandbox({
      host: flags.host ?? '127.0.0.1',
      port: integerOption('port', flags.port, 0, 65535) ?? 0,
      psuPort: integerOption('psu-port', flags['psu-port'], 0, 65535) ?? 0,
      tokenLifetimeSeconds: integerOption('token-lifetime', flags['token-lifetime'], 1, 86400),
      codeLifetimeSeconds: integerOption('code-lifetime', flags['code-lifetime'], 1, 3600),
      ...options,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new UsageError('the port is already in use: choose another with --port');
    if (code === 'EACCES')
      throw new UsageError('no permission to listen on that port: choose one above 1024');
    throw error;
  }
}
