import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from '@playwright/test';

const require = createRequire(import.meta.url);

/** Chromium's headless shell: the same engine without the desktop browser around it, half the CPU per flow. */
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
];

/** Chromium flags for containers and closed networks: no sandbox as root, no calls home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface BrowserChoice {
  executablePath: string | undefined;
  source: 'configured' | 'playwright' | 'system';
}

/**
 * A configured path first, then Playwright's own Chromium if installed, then the system's: for a
 * headless run its headless shell when installed (Debian: chromium-headless-shell), as Playwright itself
 * prefers; a headed run needs the full browser.
 */
export function findBrowser(
  configured?: string,
  options: { headless?: boolean } = {},
): BrowserChoice | undefined {
  const fromEnv = configured ?? process.env.PSD2_BROWSER;
  if (fromEnv) return existsSync(fromEnv) ? { executablePath: fromEnv, source: 'configured' } : undefined;
  if (playwrightHasOwnBrowser()) return { executablePath: undefined, source: 'playwright' };
  if (options.headless !== false && existsSync(HEADLESS_SHELL)) {
    return { executablePath: HEADLESS_SHELL, source: 'system' };
  }
  const system = systemBrowser();
  return system ? { executablePath: system, source: 'system' } : undefined;
}

/**
 * A headless Chromium for flows outside a run (the reference TPP, tests, benchmarks): the browser findBrowser
 * finds, with the flags above. Undefined where there is none to find.
 */
export async function launchChromium(): Promise<Browser | undefined> {
  const choice = findBrowser(undefined, { headless: true });
  if (!choice) return undefined;
  // Loaded here: a process that only asks whether a browser is installed does not pay for Playwright.
  const { chromium } = await import('@playwright/test');
  return chromium.launch({
    headless: true,
    args: CHROMIUM_ARGS,
    ...(choice.executablePath ? { executablePath: choice.executablePath } : {}),
  });
}

/**
 * Whether any browser is there to find, cheapest question first: loading Playwright to ask for its
 * own browser costs half a second, which a process that only needs to know "is there one" can skip.
 */
export function browserInstalled(configured?: string): boolean {
  const fromEnv = configured ?? process.env.PSD2_BROWSER;
  if (fromEnv) return existsSync(fromEnv);
  return systemBrowser() !== undefined || playwrightHasOwnBrowser();
}

function systemBrowser(): string | undefined {
  return SYSTEM_BROWSERS.find((candidate) => existsSync(candidate));
}

function playwrightHasOwnBrowser(): boolean {
  try {
    const { chromium } = require('@playwright/test') as typeof import('@playwright/test');
    const own = chromium.executablePath();
    return Boolean(own && existsSync(own));
  } catch {
    // Playwright has no browser of its own here.
    return false;
  }
}
