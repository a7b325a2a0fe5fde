import { type Check, missingCapability } from '../checks/types.ts';
import { loadConfig } from '../config/load.ts';
import { loadProfile } from '../config/profile.ts';
import { EXIT } from '../errors.ts';
import { parseCommandArgs } from './args.ts';
import { checkedSelection } from './run.ts';

const USAGE = `usage: psd2-conformance list [--profile sandbox|berlin-group|mypos|file.yaml] [--grep regex] [--config file.yaml] [--json]
Prints the checks a run would select, without a target: ID, title, reference, service, tags, what each needs,
where it is declared, and why the profile would skip it. --json prints them as a JSON array.`;

/** A check as `list` prints it: its declaration, and whether the profile lets it run. */
interface Listed extends Check {
  /** Why a run with this profile and configuration skips it; absent when it runs. */
  skip?: string;
}

export async function listCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    profile: { type: 'string' },
    grep: { type: 'string' },
    config: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.conformant;
  }
  const config = loadConfig(values.config ? { file: values.config } : {});
  const embedded = !config.target.baseUrl;
  const profile = loadProfile(
    values.profile ?? process.env.PSD2_PROFILE ?? config.profile ?? (embedded ? 'sandbox' : 'berlin-group'),
  );
  // The embedded sandbox brings every fixture; a configured target only what its configuration gives.
  const extra = {
    otherTpp: embedded || config.otherTpp !== undefined,
    otherPsu: embedded || config.otherPsu !== undefined,
    expiredConsentFixture: embedded || config.fixtures.expiredConsent !== undefined,
    roleCertificates: embedded || Object.keys(config.tls.certificates ?? {}).length > 0,
  };
  const listed: Listed[] = checkedSelection(values.grep).map((check) => {
    const skip = missingCapability(check, profile, extra);
    return skip ? { ...check, skip } : check;
  });
  if (values.json) {
    console.log(JSON.stringify(listed, null, 2));
    return EXIT.conformant;
  }
  const rows = listed.map((c) => [
    c.id,
    c.title,
    c.reference,
    c.service,
    c.tags.join(','),
    c.needs.join(',') || '-',
    `${c.location.file}:${c.location.line}`,
    c.skip ? `skipped: ${c.skip}` : 'runs',
  ]);
  const head = [
    'ID',
    'TITLE',
    'REFERENCE',
    'SERVICE',
    'TAGS',
    'NEEDS',
    'DECLARED',
    `WITH PROFILE ${profile.name}`,
  ];
  const widths = head.map((h, i) =>
    Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : clip(cell, widths[i] ?? 0).padEnd(widths[i] ?? 0)))
      .join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  const skipped = listed.filter((c) => c.skip).length;
  console.log(
    `${listed.length} checks selected, ${listed.length - skipped} would run, ${skipped} skipped by profile ${profile.name}`,
  );
  return EXIT.conformant;
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
