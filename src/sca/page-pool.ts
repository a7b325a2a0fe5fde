import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';

/** A browser tab an SCA flow borrows: its context holds the PSU's session. */
export interface ScaTab {
  context: BrowserContext;
  page: Page;
  /** The DevTools session that wipes storage between flows, opened on first use. */
  cdp?: CDPSession;
}

/**
 * The tabs SCA flows run in, in one browser. A flow borrows a tab and gives it back; a tab that served
 * a flow to its end is reused with the PSU's session wiped (cookies, and the storage of every origin
 * the flow visited), so that each flow starts as a fresh PSU session without Chromium starting a new
 * renderer process each time (a third of a flow's time). A tab whose flow failed is closed.
 */
export class ScaTabs {
  private readonly idle = new Map<boolean, ScaTab[]>();

  constructor(private readonly browser: () => Promise<Browser>) {}

  async borrow(ignoreHttpsErrors: boolean): Promise<ScaTab> {
    const reused = this.idle.get(ignoreHttpsErrors)?.pop();
    if (reused) return reused;
    const context = await (await this.browser()).newContext({ ignoreHTTPSErrors: ignoreHttpsErrors });
    return { context, page: await context.newPage() };
  }

  /** Takes a tab back: wiped and kept when its flow ended well, closed otherwise. */
  async giveBack(
    tab: ScaTab,
    ignoreHttpsErrors: boolean,
    visited: string[],
    healthy: boolean,
  ): Promise<void> {
    tab.page.removeAllListeners();
    if (healthy) {
      try {
        await leavePage(tab);
        await tab.context.clearCookies();
        await clearStorage(tab, visited);
        const idle = this.idle.get(ignoreHttpsErrors) ?? [];
        idle.push(tab);
        this.idle.set(ignoreHttpsErrors, idle);
        return;
      } catch {
        // A tab that cannot be wiped is not reused.
      }
    }
    await tab.context.close().catch(() => {});
  }
}

/**
 * Leaves the flow's last page, so that nothing of it (a navigation still in flight to the redirect URI
 * the driver took the code from) reaches the next flow. That navigation may interrupt ours: try again.
 */
async function leavePage(tab: ScaTab): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await tab.page.goto('about:blank');
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await tab.page.waitForLoadState('domcontentloaded').catch(() => {});
    }
  }
}

/** Local storage, IndexedDB, caches and service workers of each origin a flow visited. */
async function clearStorage(tab: ScaTab, visited: string[]): Promise<void> {
  const origins = [...new Set(visited.map(originOf).filter((o): o is string => o !== undefined))];
  if (origins.length === 0) return;
  tab.cdp ??= await tab.context.newCDPSession(tab.page);
  for (const origin of origins) {
    await tab.cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
  }
}

function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
