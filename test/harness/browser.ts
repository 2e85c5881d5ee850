// Headless Debian Chromium driven by playwright-core. Anything not on loopback is aborted, so a
// test can never depend on (or leak to) the internet.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { tools } from './tools';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly blockedRequests: string[];
  close(): Promise<void>;
}

export async function openBrowser(viewport = { width: 1400, height: 900 }): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: tools.chromium, headless: true, args: CHROMIUM_FLAGS });
  const context = await browser.newContext({ viewport });
  const blockedRequests: string[] = [];
  await context.route(/.*/, (route) => {
    const url = new URL(route.request().url());
    if (
      ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) ||
      url.protocol === 'data:' ||
      url.protocol === 'blob:'
    ) {
      return route.continue();
    }
    blockedRequests.push(url.origin);
    return route.abort();
  });
  const page = await context.newPage();
  return { browser, context, page, blockedRequests, close: () => browser.close() };
}
