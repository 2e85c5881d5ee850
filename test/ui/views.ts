// Page helpers for the Atlassian side bar views: rows, their menus and inline actions, and a wider
// side bar so screenshots show what a person reads.
import type { Locator, Page } from 'playwright-core';
import { viewPane } from './workbench';

/** A row of a view's tree, by text it contains. */
export function treeRow(page: Page, view: string, text: string | RegExp): Locator {
  return viewPane(page, view).locator('.monaco-list-row', { hasText: text }).first();
}

/** A row's description (the grey text after its label). */
export async function rowDescription(row: Locator): Promise<string> {
  return (await row.locator('.label-description').first().textContent())?.trim() ?? '';
}

/**
 * Shows a row's children. A click toggles, and whether the row starts expanded depends on the
 * state its item was first seen in (VS Code keeps that per id), so look before clicking.
 */
export async function expandRow(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
}

/** Runs a row's inline action (shown on hover) by its title. */
export async function inlineAction(row: Locator, title: string): Promise<void> {
  await row.hover();
  await row.locator(`.actions .action-label[aria-label="${title}"]`).click();
}

/** Opens a row's context menu and picks an entry. */
export async function contextMenu(page: Page, row: Locator, entry: string): Promise<void> {
  await row.click({ button: 'right' });
  const item = page.locator('.context-view .monaco-menu .action-item', { hasText: entry }).first();
  // The menu ignores a click that lands while it is still opening.
  await item.hover();
  await page.waitForTimeout(200);
  await item.click();
}

/** Collapses a view so the others in the side bar get the room. */
export async function collapseView(page: Page, view: string): Promise<void> {
  const header = viewPane(page, view).locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
}

/** Drags the side bar's edge so long labels fit in screenshots. */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar || sidebar.width >= width) return;
  const x = sidebar.x + sidebar.width;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + (width - sidebar.width), y, { steps: 5 });
  await page.mouse.up();
}

/** Lets a notification finish sliding in before a screenshot. */
export async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(500);
}

/** The extension's status bar item. */
export function statusBarItem(page: Page): Locator {
  return page.locator('.part.statusbar .statusbar-item', { hasText: 'Atlassian' }).first();
}
