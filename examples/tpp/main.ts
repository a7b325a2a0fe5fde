import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launchChromium } from '../../src/sca/browser.ts';
import { ScaTabs } from '../../src/sca/page-pool.ts';
import { ReferenceTpp, TPP_BREAKS, type TppClientConfig } from './reference-tpp.ts';

const USAGE = `usage: node --import tsx examples/tpp/main.ts --config client.json [--break name,...]
Runs the reference TPP against the bank whose client configuration certify-tpp wrote (--client-config).
--break makes it break the TPP rules of those names: ${TPP_BREAKS.join(', ')}.`;

async function main(): Promise<number> {
  let values: { config?: string; break?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { config: { type: 'string' }, break: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    console.error(`reference-tpp: ${(error as Error).message}`);
    return 2;
  }
  if (values.help || !values.config) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  let config: TppClientConfig;
  try {
    config = JSON.parse(readFileSync(values.config, 'utf8')) as TppClientConfig;
  } catch {
    console.error(`reference-tpp: ${values.config} is not a client configuration written by certify-tpp`);
    return 2;
  }
  const breaks = (values.break ?? '').split(',').filter(Boolean);
  const unknown = breaks.filter((b) => !TPP_BREAKS.includes(b));
  if (unknown.length > 0) {
    console.error(`reference-tpp: unknown break ${unknown.join(', ')}: one of ${TPP_BREAKS.join(', ')}`);
    return 2;
  }
  const browser = await launchChromium();
  if (!browser) {
    console.error('reference-tpp: no Chromium found: set PSD2_BROWSER or install chromium');
    return 2;
  }
  const started = performance.now();
  try {
    const tpp = new ReferenceTpp({
      config,
      breaks,
      tabs: new ScaTabs(async () => browser),
      log: (line) =>
        console.log(`reference-tpp: ${((performance.now() - started) / 1000).toFixed(1)} s ${line}`),
    });
    const outcome = await tpp.run();
    return outcome.problems.length === 0 ? 0 : 1;
  } finally {
    await browser.close();
  }
}

process.exitCode = await main();
