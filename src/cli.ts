import { readFileSync } from 'node:fs';
import { EXIT, errorMessage, UsageError } from './errors.ts';
import { packagePath } from './paths.ts';

const USAGE = `psd2-conformance <command> [options]

Commands:
  run        run the conformance suite against the configured target (or the embedded sandbox)
  list       print the checks a run would select (ID, title, reference, service, tags, needs), without a target
  validate   check one captured request or response against the contract
  sandbox    start the reference ASPSP sandbox
  sca-try    rehearse the profile's SCA steps on one consent, step by step, with screenshots and a trace
  certify-tpp  start the sandbox as an examiner of a TPP's own client; on stop, a verdict per TPP rule
  report     merge sharded results and render the reports

Run "psd2-conformance <command> --help" for the options of a command, "psd2-conformance --version" for the version.`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate.ts')).validateCommand,
  run: async () => (await import('./commands/run.ts')).runCommand,
  list: async () => (await import('./commands/list.ts')).listCommand,
  sandbox: async () => (await import('./commands/sandbox.ts')).sandboxCommand,
  'sca-try': async () => (await import('./commands/sca-try.ts')).scaTryCommand,
  report: async () => (await import('./commands/report.ts')).reportCommand,
  'certify-tpp': async () => (await import('./commands/certify-tpp.ts')).certifyTppCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? EXIT.conformant : EXIT.usage;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(`psd2-conformance ${toolVersion()}`);
    return EXIT.conformant;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(
      `psd2-conformance: unknown command "${name}"; use one of ${Object.keys(COMMANDS).join(', ')}`,
    );
    return EXIT.usage;
  }
  try {
    const command = await load();
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`psd2-conformance ${name}: ${error.message}`);
      return EXIT.usage;
    }
    console.error(`psd2-conformance ${name}: internal error: ${errorMessage(error)}`);
    return EXIT.usage;
  }
}

function toolVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}
