// Issues into chat in the workbench (code-server, no Copilot), against the sandbox: from a My Issues
// row's menu and from the detail panel's title bar, the issue appears as an attachment chip in the
// chat input; Ask Agent prefills a prompt. Screenshots: test-results/ui/chat-*.png.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { collapseView, contextMenu, widenSideBar } from './views';
import {
  connectWithApiToken,
  openAtlassianContainer,
  openWorkbench,
  quickPickRow,
  runCommand,
  screenshot,
  toast,
  viewPane,
  type Workbench,
} from './workbench';

const VIEW = 'My Issues';

/** The chat input's attachment chip of a document (its label is the file name, KEY.md). */
function chip(page: Page, fileName: string): Locator {
  return page.locator('.chat-attached-context .chat-attached-context-attachment', { hasText: fileName }).first();
}

describe('issues into chat in the workbench, against the sandbox', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let workbench: Workbench;

  /** The n-th issue row of My Issues and its key (the row's label is the key alone). */
  const issueRow = async (n: number): Promise<{ row: Locator; key: string }> => {
    const { page } = workbench;
    const rows = viewPane(page, VIEW)
      .locator('.monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: /^\s*[A-Z][A-Z0-9]*-\d+\s*$/ }) });
    await rows.nth(n).waitFor();
    const row = rows.nth(n);
    const key = ((await row.locator('.label-name').first().textContent()) ?? '').trim();
    return { row, key };
  };

  before(async () => {
    sandbox = await startSandbox();
    workbench = await openWorkbench({
      settings: {
        'atlassianMcpBridge.sandbox': `${sandbox.url}/.well-known/sandbox.json`,
        'workbench.tree.enableStickyScroll': false,
      },
    });
    await connectWithApiToken(workbench.page);
    await toast(workbench.page, /Connected to/).waitFor();
    await runCommand(workbench.page, 'Notifications: Clear All Notifications');
    await openAtlassianContainer(workbench.page);
    await widenSideBar(workbench.page, 420);
    await collapseView(workbench.page, 'Connection');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(workbench.page, `failed-chat-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('adds an issue to chat from a My Issues row: the chat opens with the issue attached', async () => {
    const { page } = workbench;
    const { row, key } = await issueRow(0);
    await contextMenu(page, row, 'Add Jira Issue to Chat');
    await chip(page, `${key}.md`).waitFor({ timeout: 60_000 });
    await screenshot(page, 'chat-1-issue-from-tree');
  });

  it('adds an issue to chat from its detail panel’s title bar', async () => {
    const { page } = workbench;
    await runCommand(page, 'Chat: New Chat');
    const { row, key } = await issueRow(1);
    await row.click();
    await page.locator('iframe.webview.ready').first().waitFor();
    await page.locator('.editor-actions .action-label[aria-label^="Add Jira Issue to Chat"]').click();
    await chip(page, `${key}.md`).waitFor({ timeout: 60_000 });
    await screenshot(page, 'chat-2-issue-from-detail-view');
  });

  it('asks the agent about an issue: a prompt to pick, the chat input prefilled, the issue attached', async () => {
    const { page } = workbench;
    await runCommand(page, 'Chat: New Chat');
    const { row, key } = await issueRow(2);
    await contextMenu(page, row, 'Ask Agent About Jira Issue…');
    await quickPickRow(page, 'Plan the work').waitFor();
    await screenshot(page, 'chat-3-ask-agent-prompts');
    await quickPickRow(page, 'Plan the work').click();
    await chip(page, `${key}.md`).waitFor({ timeout: 60_000 });
    const input = page.locator('.interactive-input-part .view-lines').first();
    await input.waitFor();
    assert.match((await input.textContent()) ?? '', new RegExp(`propose a plan.*|${key}`));
    await screenshot(page, 'chat-4-ask-agent-prefilled');
  });
});
