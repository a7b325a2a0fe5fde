import { readFileSync } from 'node:fs';
import { loadContract } from '../contract/load-contract.ts';
import { formatViolation, type Violation } from '../contract/violation.ts';
import { EXIT, UsageError } from '../errors.ts';
import { DEFAULT_CONTRACTS } from '../paths.ts';
import { integerOption, parseCommandArgs } from './args.ts';

const USAGE = `usage: psd2-conformance validate --operation <operationId> --status <code> [--header 'Name: value']...
                                 [--request] [--body-only] [--contract file.yaml]... <file.json | ->`;

export async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    operation: { type: 'string' },
    status: { type: 'string' },
    header: { type: 'string', multiple: true, short: 'H' },
    request: { type: 'boolean' },
    'body-only': { type: 'boolean' },
    contract: { type: 'string', multiple: true },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.conformant;
  }
  if (!values.operation) throw new UsageError(`--operation is required; see --help`);
  const isRequest = values.request === true;
  const status = integerOption('status', values.status, 100, 599);
  if (!isRequest && status === undefined)
    throw new UsageError(`--status is required for a response; see --help`);
  if (positionals.length !== 1)
    throw new UsageError(`give exactly one file to validate, or - for stdin; see --help`);
  const headers = parseHeaders(values.header ?? []);
  headers['content-type'] ??= 'application/json';
  const body = readInput(positionals[0] ?? '-');

  const contract = loadContract(
    values.contract ?? DEFAULT_CONTRACTS,
    values.contract ? process.cwd() : undefined,
  );
  contract.operation(values.operation);
  let violations: Violation[] = isRequest
    ? contract.validateRequest(values.operation, { headers, body })
    : contract.validateResponse(values.operation, { status: status ?? 0, headers, body });
  if (values['body-only']) violations = violations.filter((v) => v.part === 'body' || v.part === 'status');
  for (const violation of violations) console.log(formatViolation(violation));
  return violations.length === 0 ? EXIT.conformant : EXIT.nonConformant;
}

function parseHeaders(list: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const item of list) {
    const colon = item.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header "${item}" must look like 'Name: value'`);
    headers[item.slice(0, colon).trim().toLowerCase()] = item.slice(colon + 1).trim();
  }
  return headers;
}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file === '-' ? 'standard input' : file}: check the path`);
  }
}
