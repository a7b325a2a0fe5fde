import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

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

/** A configured path first, then Playwright's own Chromium if installed, then the system's. */
export function findBrowser(configured?: string): BrowserChoice | undefined {
  const fromEnv = configured ?? process.env.PSD2_BROWSER;
  if (fromEnv) return existsSync(fromEnv) ? { executablePath: fromEnv, source: 'configured' } : undefined;
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return { executablePath: undefined, source: 'playwright' };
  } catch {
    // Playwright has no browser of its own here.
  }
  const system = SYSTEM_BROWSERS.find((candidate) => existsSync(candidate));
  return system ? { executablePath: system, source: 'system' } : undefined;
}
