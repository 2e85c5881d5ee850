// Page helpers for driving the VS Code workbench in Chromium, and the per-file fixture that starts
// code-server with the packaged extension installed.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from '../harness/browser';
import { startCodeServer, type CodeServer, type CodeServerOptions } from '../harness/codeServer';

const RESULTS = resolve(__dirname, '..', '..', 'test-results', 'ui');

export interface Workbench {
  readonly server: CodeServer;
  readonly session: BrowserSession;
  readonly page: Page;
  close(): Promise<void>;
}

export async function openWorkbench(options: Omit<CodeServerOptions, 'vsix' | 'smokeTestDriver'> = {}): Promise<Workbench> {
  const vsix = process.env.AMB_VSIX;
  if (!vsix) throw new Error('AMB_VSIX is not set: run the UI tests through "npm test" or "npm run test:ui".');
  const server = await startCodeServer({ ...options, vsix });
  const session = await openBrowser();
  const { page } = session;
  await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`);
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
  return {
    server,
    session,
    page,
    async close() {
      await session.close();
      await server.stop();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Opens the Command Palette filtered to `text`; returns the matching rows. */
export async function searchCommands(page: Page, text: string): Promise<Locator> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await input.fill(`>${text}`);
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
}

export async function openAtlassianContainer(page: Page): Promise<void> {
  const icon = page.locator('.activitybar .action-item .action-label[aria-label^="Atlassian"]');
  await icon.waitFor({ timeout: 30_000 });
  await icon.click();
}

/** The body of a view in the side bar, found by its title. */
export function viewPane(page: Page, title: string): Locator {
  return page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: title }) });
}
