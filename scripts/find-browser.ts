import { findBrowser } from '../src/sca/browser.ts';

const choice = findBrowser();
if (!choice) {
  console.error('no Chromium found: set PSD2_BROWSER, or install one (Debian: apt-get install -y chromium)');
  process.exit(1);
}
console.log(`${choice.source}: ${choice.executablePath ?? 'playwright-managed chromium'}`);
