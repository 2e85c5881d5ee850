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
  /** The workbench's console, for diagnosing a failed step. */
  readonly consoleLines: string[];
  close(): Promise<void>;
}

export async function openWorkbench(
  options: Omit<CodeServerOptions, 'vsix' | 'smokeTestDriver'> = {},
): Promise<Workbench> {
  const vsix = process.env.AMB_VSIX;
  if (!vsix) throw new Error('AMB_VSIX is not set: run the UI tests through "npm test" or "npm run test:ui".');
  const server = await startCodeServer({ ...options, vsix });
  const session = await openBrowser().catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  const { page } = session;
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  try {
    // The first load compiles the workbench's scripts: on a busy 2-core machine that can take over 30 s.
    await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`, { timeout: 120_000 });
    await workbenchReady(page);
  } catch (err) {
    // A failed `before` hook never reaches the suite's `after`: without this the browser and code-server
    // outlive mocha and keep its process (and any lock it holds) alive.
    await session.close();
    await server.stop();
    throw err;
  }
  return {
    server,
    session,
    page,
    consoleLines,
    async close() {
      await session.close();
      await server.stop();
    },
  };
}

/** The workbench has rendered and loaded our extension's contributions (the palette knows our commands). */
export async function workbenchReady(page: Page): Promise<void> {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
  await page.locator(ATLASSIAN_CONTAINER).waitFor({ timeout: 60_000 });
}

const ATLASSIAN_CONTAINER = '.activitybar .action-item .action-label[aria-label^="Atlassian"]';

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Runs a command from the Command Palette by its title. Right after (re)loading, the palette may
 * not list extension commands yet ("No matching commands"), so it retries until the row shows.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = (await searchCommands(page, title)).filter({ hasText: title }).first();
    try {
      await row.waitFor({ timeout: 3000 });
      await row.click();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Runs a command, then clicks through its quick pick row by row (`path`). The whole walk is retried
 * from the command because a quick pick closes when something else takes focus, e.g. the Output
 * panel VS Code opens on its own while an MCP server starts.
 */
export async function pickThrough(
  page: Page,
  command: string,
  path: readonly (string | RegExp)[],
  options: { timeoutMs?: number; beforeClick?: (step: number) => Promise<unknown> } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    try {
      await runCommand(page, command, Math.max(deadline - Date.now(), 5000));
      for (const [step, text] of path.entries()) {
        const row = quickPickRow(page, text);
        await row.waitFor({ timeout: 3000 });
        await options.beforeClick?.(step);
        await row.click({ timeout: 3000 });
      }
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Opens the Command Palette filtered to `text`; returns its rows.
 *
 * A quick input that closes stays in the page for its closing animation, inert, and then hides.
 * The palette can close right after F1 opened it (focus moved: a popup page closing, a view
 * refreshing), and typing into that closing input waits for it to come back, which it never does.
 * So only an open palette (not `quick-input-widget-closing`) takes the text, and a palette that
 * closed is opened again.
 */
export async function searchCommands(page: Page, text: string, timeoutMs = 30_000): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator(`${OPEN_QUICK_INPUT} .quick-input-box input`);
  for (;;) {
    await page.keyboard.press('F1');
    try {
      await input.fill(`>${text}`, { timeout: 3000 });
      return page.locator(`${OPEN_QUICK_INPUT} .quick-input-list .monaco-list-row`);
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

/** The quick input while it is open (during its closing animation it is inert). */
const OPEN_QUICK_INPUT = '.quick-input-widget:not(.quick-input-widget-closing)';

export async function openAtlassianContainer(page: Page): Promise<void> {
  await page.locator(ATLASSIAN_CONTAINER).click();
}

/** The body of a view in the side bar, found by its title. */
export function viewPane(page: Page, title: string): Locator {
  return page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: title }) });
}

/** A row of the open quick pick. */
export function quickPickRow(page: Page, text: string | RegExp): Locator {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
}

export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

/** Connect Atlassian → the given method. */
export async function chooseConnectMethod(page: Page, method: string): Promise<void> {
  await runCommand(page, 'Connect Atlassian');
  await quickPickRow(page, method).click();
}

/** Signs in with the API-token method; the sandbox setting pre-fills every prompt. */
export async function connectWithApiToken(page: Page, onTokenPrompt?: () => Promise<unknown>): Promise<void> {
  await chooseConnectMethod(page, 'API token');
  for (const title of ['Site', 'Email', 'API token']) {
    // The site is checked before the next prompt opens: wait for each prompt by its title.
    await inputTitled(page, `Connect Atlassian: ${title}`).waitFor();
    if (title === 'API token') await onTokenPrompt?.();
    await page.locator(`${OPEN_QUICK_INPUT} .quick-input-box input`).press('Enter');
  }
}

/** The open input box with this exact title. */
export function inputTitled(page: Page, title: string): Locator {
  return page.locator(`${OPEN_QUICK_INPUT} .quick-input-title`, { hasText: new RegExp(`^${title}$`) });
}
