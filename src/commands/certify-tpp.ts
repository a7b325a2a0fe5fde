import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CERTIFICATION_LEVELS,
  type CertificationLevel,
  certify,
} from '../../sandbox/certify/certification.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeCertificationReports } from '../report/tpp-report.ts';
import { integerOption, parseCommandArgs } from './args.ts';
import { sandboxFlavour, startSandboxOf } from './sandbox.ts';

const USAGE = `usage: psd2-conformance certify-tpp [--port N] [--psu-port N] [--host 127.0.0.1] [--flavour berlin-group|mypos]
                                    [--level ais|pis|full] [--reports-dir DIR] [--idle-exit S]
                                    [--client-config file.json] [--pkce required|recommended] [--redirect-uri URL]...
                                    [--token-lifetime seconds] [--code-lifetime seconds]
Starts the sandbox as an examiner of a TPP's own client: point the TPP at the configuration it prints (or writes to
--client-config), let it run its flows, then stop certify-tpp (Ctrl-C, SIGTERM, or --idle-exit S seconds without a
request). It writes summary.md, summary.json, junit.xml and an Allure report to DIR (default reports/certify-tpp)
with a verdict per TPP rule (docs/tpp-rules.md): passed, failed with the requests as evidence, or not exercised.
--level says which flows the TPP must have gone through: ais (a consent and its reads), pis (a payment to a final
status), full (both, and funds confirmation; default). To see how the TPP copes, certify-tpp sends the PSU back
with another state once, answers the first transaction read with 429, and expires two access tokens early.
--redirect-uri registers the TPP's own redirect URI (https; repeat for several) beside the sandbox's landing page.
--pkce: whether the bank asks TPPs for PKCE (default: required for berlin-group, recommended for mypos, whose
pages document none); where only recommended, a TPP without it gets a warning.
Exit code 0: no rule broken and every scenario of the level exercised; 1 otherwise; 2 bad input.`;

/** How long --idle-exit waits for a TPP's first request. */
const FIRST_REQUEST_GRACE_MS = 120_000;

export async function certifyTppCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    port: { type: 'string' },
    'psu-port': { type: 'string' },
    host: { type: 'string' },
    flavour: { type: 'string' },
    level: { type: 'string' },
    'reports-dir': { type: 'string' },
    'idle-exit': { type: 'string' },
    'client-config': { type: 'string' },
    'token-lifetime': { type: 'string' },
    'code-lifetime': { type: 'string' },
    pkce: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.conformant;
  }
  const flavour = sandboxFlavour(values.flavour);
  const level = values.level ?? 'full';
  if (!(CERTIFICATION_LEVELS as readonly string[]).includes(level))
    throw new UsageError(`unknown level "${level}": choose one of ${CERTIFICATION_LEVELS.join(', ')}`);
  const pkce = values.pkce;
  if (pkce !== undefined && pkce !== 'required' && pkce !== 'recommended')
    throw new UsageError(`--pkce is required or recommended, got "${pkce}"`);
  const redirectUris = (values['redirect-uri'] ?? []) as string[];
  for (const uri of redirectUris) {
    let url: URL | undefined;
    try {
      url = new URL(uri);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:' || url.hash)
      throw new UsageError(`--redirect-uri ${uri} is not an https URL without a fragment (RFC 6749 §3.1.2)`);
  }
  const idleExitSeconds = integerOption('idle-exit', values['idle-exit'], 1, 86400);
  const reportsDir = path.resolve(values['reports-dir'] ?? path.join('reports', 'certify-tpp'));
  const sandbox = await startSandboxOf(values, { flavour, examine: true });
  const examiner = sandbox.context.examiner;
  if (!examiner) throw new Error('the sandbox started without its examiner');
  if (pkce) examiner.pkceRequired = pkce === 'required';
  // The TPP's own redirect URIs, registered beside the sandbox's landing page.
  sandbox.context.state.clients.get(sandbox.config.clientId)?.redirectUris.push(...redirectUris);
  const startedAt = new Date().toISOString();
  process.stdout.write(`${JSON.stringify(sandbox.config)}\n`);
  if (values['client-config']) {
    const file = path.resolve(values['client-config']);
    try {
      writeFileSync(file, `${JSON.stringify(sandbox.config, null, 2)}\n`, { mode: 0o600 });
    } catch {
      await sandbox.close();
      throw new UsageError(`--client-config ${file} cannot be written`);
    }
  }
  console.error(
    `psd2-conformance certify-tpp: examining TPP ${sandbox.config.clientId} at ${sandbox.config.baseUrl} (${flavour}, level ${level})${idleExitSeconds ? `; stops after ${idleExitSeconds} s without a request` : '; stop with Ctrl-C'}`,
  );
  const stoppedBy = await new Promise<string>((resolve) => {
    const stop = (how: string) => () => resolve(how);
    process.once('SIGINT', stop('SIGINT'));
    process.once('SIGTERM', stop('SIGTERM'));
    if (idleExitSeconds) {
      // Before its first request a TPP may still be starting: it gets at least FIRST_REQUEST_GRACE_MS.
      const started = Date.now();
      const timer = setInterval(() => {
        const idleMs = Date.now() - (examiner.lastActivityAt ?? started);
        const allowedMs =
          examiner.lastActivityAt === undefined
            ? Math.max(idleExitSeconds * 1000, FIRST_REQUEST_GRACE_MS)
            : idleExitSeconds * 1000;
        if (idleMs >= allowedMs) {
          clearInterval(timer);
          resolve(`${idleExitSeconds} s without a request`);
        }
      }, 200);
      timer.unref();
    }
  });
  await sandbox.close();
  const certification = certify(
    examiner.observationsOf(sandbox.config.clientId),
    level as CertificationLevel,
  );
  const { summary, allure } = writeCertificationReports(
    certification,
    { flavour, startedAt, finishedAt: new Date().toISOString(), stoppedBy },
    reportsDir,
  );
  if (!allure.ok) console.error(`psd2-conformance certify-tpp: ${allure.message}`);
  for (const rule of summary.rules.filter((r) => r.verdict === 'failed' || r.verdict === 'warning'))
    console.log(
      `${rule.verdict === 'failed' ? 'FAILED' : 'warning'} ${rule.id} ${rule.title}: ${rule.evidence[0] ?? ''}`,
    );
  const where = path.relative(process.cwd(), reportsDir) || '.';
  console.log(
    `${summary.status === 'certified' ? 'CERTIFIED' : 'NOT CERTIFIED'}: ${summary.headline} (${where}/summary.md)`,
  );
  return summary.status === 'certified' ? EXIT.conformant : EXIT.nonConformant;
}
