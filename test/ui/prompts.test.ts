// The bridge's MCP prompts in the chat's `/` menu (code-server, no Copilot), against the sandbox: once
// the bridge runs, VS Code lists each prompt as `/mcp.<server label>.<prompt>`; picking one asks for its
// arguments in a quick pick (offering the bridge's completions) and puts the prompt's messages into the
// chat input (text, and the issue resource as an attachment) without any language model.
// Screenshots: test-results/ui/chat-5-*.png, chat-6-*.png.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../sandbox/index';
import {
  connectWithApiToken,
  openWorkbench,
  pickThrough,
  quickPickRow,
  runCommand,
  screenshot,
  toast,
  type Workbench,
} from './workbench';

/** VS Code's name for a prompt: `/mcp.` + the server's label (non-identifier characters as `_`) + `.` + the prompt. */
const PREFIX = '/mcp.Atlassian_MCP_Bridge.';
const PROMPTS = ['work_on_issue', 'standup_summary', 'release_notes'];

const chatInput = (page: Page): Locator => page.locator('.interactive-input-part .monaco-editor').first();

/** A row of the open suggest widget, by its label. */
const suggestion = (page: Page, label: string): Locator =>
  page.locator('.suggest-widget.visible .monaco-list-row', { hasText: label }).first();

describe('MCP prompts in the chat’s slash menu, against the sandbox', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let workbench: Workbench;

  before(async () => {
    sandbox = await startSandbox();
    workbench = await openWorkbench({
      settings: { 'atlassianMcpBridge.sandbox': `${sandbox.url}/.well-known/sandbox.json` },
    });
    const { page } = workbench;
    await connectWithApiToken(page);
    await toast(page, /Connected to/).waitFor();
    await runCommand(page, 'Notifications: Clear All Notifications');
    await pickThrough(page, 'MCP: List Servers', ['Atlassian MCP Bridge', 'Start Server']);
    // Running: VS Code has listed the bridge's tools and prompts.
    await pickThrough(page, 'MCP: List Servers', [/Atlassian MCP Bridge.*Running|Running.*Atlassian MCP Bridge/]);
    await page.keyboard.press('Escape');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(workbench.page, `failed-prompts-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('lists the three prompts when `/` is typed in the chat input', async () => {
    const { page } = workbench;
    await runCommand(page, 'Chat: New Chat');
    await chatInput(page).waitFor({ timeout: 60_000 });
    await chatInput(page).click();
    await page.keyboard.type('/');
    await page.locator('.suggest-widget.visible').waitFor({ timeout: 30_000 });
    // Narrow the menu to the bridge's prompts so all three rows are rendered at once.
    await page.keyboard.type('mcp.Atlassian');
    for (const name of PROMPTS) await suggestion(page, `${PREFIX}${name}`).waitFor({ timeout: 30_000 });
    await screenshot(page, 'chat-5-prompts-in-slash-menu');
  });

  it('fills the chat input from work_on_issue: its argument asked in a quick pick, the issue attached', async () => {
    const { page } = workbench;
    await suggestion(page, `${PREFIX}work_on_issue`).click();
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Value for: issue_key' }).waitFor();
    await page.locator('.quick-input-widget .quick-input-box input').fill('ENG-1');
    // The bridge completes issue keys (completion/complete): VS Code lists them under "Suggestions".
    const completed = page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: /^\s*ENG-1\d*\s*$/ }) })
      .first();
    await completed.waitFor({ timeout: 30_000 });
    await screenshot(page, 'chat-6-prompt-argument');
    // The typed key itself (the suggestions are the search's first 50, not necessarily ENG-1).
    await quickPickRow(page, 'Insert as text').click();
    // The optional site: left empty.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Value for: site' }).waitFor();
    await quickPickRow(page, 'Insert as text').click();

    const text = page.locator('.interactive-input-part .view-lines').first();
    await text.filter({ hasText: /work\s+on\s+Jira\s+issue\s+ENG-1\./ }).waitFor({ timeout: 60_000 });
    const chip = page.locator('.chat-attached-context .chat-attached-context-attachment').first();
    await chip.waitFor({ timeout: 30_000 });
    // The argument pick fades out after the prompt is resolved: screenshot the input, not the animation.
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await screenshot(page, 'chat-6-prompt-filled');
    assert.match((await chip.textContent()) ?? '', /ENG-1\b/);
  });

  it('sends no request off the machine', () => {
    assert.deepEqual(workbench.session.blockedRequests, []);
  });
});
