// What a new user sees first, in the packaged extension: readable My Issues rows in a side bar of
// the default width, the default connection marked, the diagnostics report as a read-only preview
// with Copy Report, the walkthrough ticking steps done before it was opened, and the extension's
// details page with its images.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from '../harness/browser';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { frameWith } from './frames';
import { collapseView, rowDescription, settle, treeRow } from './views';
import {
  connectWithApiToken,
  openAtlassianContainer,
  openWorkbench,
  quickPickRow,
  runCommand,
  screenshot,
  toast,
  viewPane,
  workbenchReady,
  type Workbench,
} from './workbench';

const ROOT = resolve(__dirname, '..', '..');
const VIEW = 'My Issues';

/** The little of the browser's DOM these checks use (the tests compile without the DOM library). */
interface Rect {
  readonly right: number;
}
interface PageNode {
  readonly firstChild: PageNode | null;
  readonly textContent: string | null;
  closest(selector: string): { getBoundingClientRect(): Rect } | null;
}
interface PageImage {
  readonly complete: boolean;
  readonly naturalWidth: number;
  getAttribute(name: string): string | null;
}
interface PageDocument {
  readonly images: ArrayLike<PageImage>;
  createRange(): { setStart(n: PageNode, o: number): void; setEnd(n: PageNode, o: number): void } & {
    getBoundingClientRect(): Rect;
  };
}

/** Whether the first `chars` characters of an element's text are inside its clipping container. */
async function leadingTextVisible(element: Locator, container: string, chars: number): Promise<boolean> {
  return element.evaluate(
    (el, [containerSelector, n]) => {
      const node = el as unknown as PageNode;
      const text = node.firstChild;
      const box = node.closest(containerSelector);
      if (!text || !box) return false;
      const range = (globalThis as unknown as { document: PageDocument }).document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, Math.min(n, text.textContent?.length ?? 0));
      return range.getBoundingClientRect().right <= box.getBoundingClientRect().right + 0.5;
    },
    [container, chars] as const,
  );
}

/** The activity bar and side bar only: what a narrow-side-bar check is about, small enough for a README. */
async function sideBarScreenshot(page: Page, name: string): Promise<void> {
  const box = (await page.locator('.part.sidebar').boundingBox())!;
  await page.screenshot({
    path: join(ROOT, 'test-results', 'ui', `${name}.png`),
    clip: { x: 0, y: 0, width: box.x + box.width + 8, height: Math.min(box.y + box.height, 520) },
  });
}

async function openDetailsPage(page: Page): Promise<void> {
  await runCommand(page, 'Extensions: Show Installed Extensions');
  const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Atlassian MCP Bridge' }).first();
  await row.click();
  await page.locator('.extension-editor .header .name', { hasText: 'Atlassian MCP Bridge' }).waitFor();
}

/** The details page's images: each `src` and whether the browser decoded it. */
async function readmeImages(page: Page): Promise<{ src: string | null; loaded: boolean }[]> {
  const frame = await frameWith(page, 'h1', /^\s*Atlassian MCP Bridge\s*$/);
  await frame.waitForFunction(() =>
    Array.from((globalThis as unknown as { document: PageDocument }).document.images).every((img) => img.complete),
  );
  return frame
    .locator('img')
    .evaluateAll((imgs) =>
      (imgs as unknown as PageImage[]).map((img) => ({ src: img.getAttribute('src'), loaded: img.naturalWidth > 0 })),
    );
}

describe('first look: rows, default, diagnostics, walkthrough (packaged VSIX, sandbox)', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let workbench: Workbench;

  before(async () => {
    sandbox = await startSandbox();
    workbench = await openWorkbench({
      settings: {
        'atlassianMcpBridge.sandbox': `${sandbox.url}/.well-known/sandbox.json`,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.tree.enableStickyScroll': false,
      },
    });
    await connectWithApiToken(workbench.page);
    await toast(workbench.page, /Connected to/).waitFor();
    await runCommand(workbench.page, 'Notifications: Clear All Notifications');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(workbench.page, `failed-first-look-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('My Issues at the default side bar width: the status of every row is readable, the default connection marked', async () => {
    const { page } = workbench;
    await openAtlassianContainer(page);
    await collapseView(page, 'Connection');
    const width = (await page.locator('.part.sidebar').boundingBox())!.width;
    assert.ok(width < 320, `the side bar keeps its default width (${width}px)`);
    await treeRow(page, VIEW, /^Assigned to me100 of 334$/).waitFor();
    await treeRow(page, VIEW, /Ada Lovelace · default$/).waitFor();

    const rows = viewPane(page, VIEW).locator('.monaco-list-row[aria-level="3"]');
    await rows.first().waitFor();
    const count = Math.min(await rows.count(), 10);
    for (let i = 0; i < count; i++) {
      const row = rows.nth(i);
      const description = await rowDescription(row);
      const status = /^(.+?) · /.exec(description)?.[1];
      assert.ok(status, `row ${i} describes "Status · summary": "${description}"`);
      const visible = await leadingTextVisible(
        row.locator('.label-description').first(),
        '.monaco-icon-label-container',
        status.length,
      );
      assert.ok(visible, `row ${i}: "${status}" is cut off at ${width}px`);
    }
    await page.mouse.move(900, 500);
    await settle(page);
    await sideBarScreenshot(page, 'issues-narrow-sidebar');
  });

  it('groups by status in workflow order, counting "loaded" while pages are missing', async () => {
    const { page } = workbench;
    await runCommand(page, 'Atlassian: Toggle Grouping of Jira Issues by Status');
    const groups = viewPane(page, VIEW).locator('.monaco-list-row[aria-level="3"]');
    await treeRow(page, VIEW, /^In Progress\d+ loaded$/).waitFor();
    const labels = (await groups.allTextContents()).map((t) => t.replace(/\d+ loaded$/, ''));
    // Work in progress (Blocked, In Progress, In Review: all "in progress" in Jira) before To Do.
    assert.ok(labels.indexOf('In Progress') >= 0 && labels.indexOf('In Progress') < 3, labels.join(' | '));
    assert.ok(labels.indexOf('To Do') > labels.indexOf('In Review'), labels.join(' | '));
    await sideBarScreenshot(page, 'issues-grouped-narrow');
    await runCommand(page, 'Atlassian: Toggle Grouping of Jira Issues by Status');
    await treeRow(page, VIEW, /^In Progress\d+ loaded$/).waitFor({ state: 'detached' });
  });

  it('Run Diagnostics opens a read-only preview with Copy Report, and closes without asking to save', async () => {
    const { page } = workbench;
    await runCommand(page, 'Atlassian: Run Diagnostics');
    const preview = await frameWith(page, 'h1', 'Atlassian MCP Bridge diagnostics');
    await preview.locator('h2', { hasText: 'Connections' }).first().waitFor();
    const offer = toast(page, 'The diagnostics report is open');
    await offer.waitFor();
    await page.locator('.tabs-container .tab', { hasText: 'Preview' }).first().waitFor();
    assert.equal(await page.locator('.tabs-container .tab.dirty').count(), 0, 'no unsaved editor');
    await settle(page);
    await screenshot(page, 'diagnostics-preview');
    await offer.locator('.monaco-button', { hasText: 'Copy Report' }).click();
    await page.locator('.part.statusbar', { hasText: 'Copied the diagnostics report' }).waitFor();
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no "save changes?" dialog');
  });

  it('the walkthrough shows the steps done before it was opened as done', async () => {
    const { page } = workbench;
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await quickPickRow(page, 'Get started with Atlassian MCP Bridge').click();
    const step = (id: string) => page.locator(`button.getting-started-step[data-step-id$="${id}"]`).first();
    await step('connect').waitFor();
    assert.equal(await step('connect').getAttribute('aria-checked'), 'true', 'connected before opening it');
    assert.equal(await step('issues').getAttribute('aria-checked'), 'true', 'My Issues seen before opening it');
    assert.equal(await step('remote').getAttribute('aria-checked'), 'false', 'no remote server yet');
    await settle(page);
    await screenshot(page, 'walkthrough-steps-done');
  });

  it('the details page of the VSIX as packaged by default: the user page, and no broken image', async () => {
    const { page } = workbench;
    await openDetailsPage(page);
    // VS Code keeps only http(s) image sources in an installed extension's README (its sanitizer),
    // and its CSP allows only https: with no https home for the screenshots, package.sh leaves them out.
    assert.deepEqual(await readmeImages(page), []);
    await settle(page);
    await screenshot(page, 'extension-details-page-without-images');
    await runCommand(page, 'View: Close All Editors');
  });

  it('sends no request off the machine', () => {
    assert.deepEqual(workbench.session.blockedRequests, []);
  });
});

describe('the extension details page with its images (VSIX packaged with AMB_README_IMAGES_URL)', function () {
  this.timeout(240_000);
  const imagesUrl = 'https://readme-images.invalid/amb/';
  const vsix = join(ROOT, 'out', 'atlassian-mcp-bridge-readme-images.vsix');
  let server: CodeServer;
  let session: BrowserSession;
  const served: string[] = [];

  before(async () => {
    const packaged = spawnSync('bash', ['scripts/package.sh'], {
      cwd: ROOT,
      env: { ...process.env, AMB_README_IMAGES_URL: imagesUrl, AMB_VSIX_OUT: vsix },
      encoding: 'utf8',
    });
    assert.equal(packaged.status, 0, packaged.stderr);
    server = await startCodeServer({
      vsix,
      settings: { 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
    });
    const readme = readFileSync(join(server.installedExtension!, 'readme.md'), 'utf8');
    assert.match(readme, new RegExp(`\\(${imagesUrl.replace(/[./]/g, '\\$&')}docs/screenshots/`));
    session = await openBrowser();
    // Stands in for the https host of the images (the repository's raw URL in a release): serves
    // the screenshots of this run, else the committed ones. Registered last, so it runs first.
    await session.context.route(`${imagesUrl}**`, async (route) => {
      const path = new URL(route.request().url()).pathname.slice(new URL(imagesUrl).pathname.length);
      const name = path.split('/').at(-1)!;
      const file = [join(ROOT, 'test-results', 'ui', name), join(ROOT, path)].find((f) => existsSync(f));
      served.push(path);
      if (!file) return route.fulfill({ status: 404 });
      return route.fulfill({ status: 200, contentType: 'image/png', body: readFileSync(file) });
    });
    await session.page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`);
    await workbenchReady(session.page);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('renders every image of the user page', async () => {
    const { page } = session;
    await openDetailsPage(page);
    const images = await readmeImages(page);
    assert.ok(images.length >= 5, `the page has its images (${images.length})`);
    for (const image of images) assert.ok(image.loaded, `not rendered: ${image.src}`);
    assert.ok(served.length >= images.length);
    await settle(page);
    await screenshot(page, 'extension-details-page');
  });

  it('sends no request off the machine', () => {
    assert.deepEqual(session.blockedRequests, []);
  });
});
