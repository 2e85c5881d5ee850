import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { freePort } from '../harness/process';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { collapseView, contextMenu, statusBarItem, treeRow, widenSideBar } from './views';
import {
  inputTitled,
  openWorkbench,
  quickPickRow,
  runCommand,
  screenshot,
  toast,
  viewPane,
  type Workbench,
} from './workbench';

const VIEW = 'Connection';
const INPUT = '.quick-input-widget:not(.quick-input-widget-closing) .quick-input-box input';

describe('signing in and managing connections in the workbench, against the sandbox', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let workbench: Workbench;
  const input = () => workbench.page.locator(INPUT);
  const dialog = (page: Page, text: string) => page.locator('.monaco-dialog-box', { hasText: text });
  const dialogButton = (page: Page, text: string, button: string) =>
    dialog(page, text).locator('.monaco-button', { hasText: new RegExp(`^${button}$`) });
  const atlassianBadge = (page: Page) =>
    page
      .locator('.activitybar .action-item', { has: page.locator('.action-label[aria-label^="Atlassian"]') })
      .locator('.badge-content');

  before(async () => {
    sandbox = await startSandbox({ redirectUris: [`http://127.0.0.1:${await freePort()}/callback`] });
    workbench = await openWorkbench({
      settings: {
        'atlassianMcpBridge.sandbox': `${sandbox.url}/.well-known/sandbox.json`,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.tree.enableStickyScroll': false,
      },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(workbench.page, `failed-signin-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('API token first; the site checked before any secret; the token page button; a wrong token and Try Again keeping the inputs; Jira and Confluence checked at once', async () => {
    const { page } = workbench;
    const acme = sandbox.discovery.sites.find((s) => s.name === 'acme')!;
    await runCommand(page, 'Connect Atlassian');
    await quickPickRow(page, 'API token').waitFor();
    const methods = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    assert.match(await methods.first().innerText(), /API token[\s\S]*needs no admin/);
    assert.match(await methods.nth(1).innerText(), /sign in with the browser[\s\S]*needs your own OAuth app/);
    await screenshot(page, 'signin-1-methods-api-token-first');
    await quickPickRow(page, 'API token').click();

    // A site that does not exist is refused in the site box itself, before email and token.
    await inputTitled(page, 'Connect Atlassian: Site').waitFor();
    await input().fill(`${sandbox.url}/sites/acmee`);
    await input().press('Enter');
    await page.locator('.quick-input-widget .quick-input-message', { hasText: 'No Jira answers at' }).waitFor();
    await screenshot(page, 'signin-2-early-site-error');
    assert.deepEqual(
      sandbox.log.entries().filter((e) => e.authKind !== 'none' && e.path.startsWith('/sites/')),
      [],
      'no credentials sent before the site was right',
    );

    // A link copied from the browser is fine: the site is what counts.
    const link = `${acme.url}/jira/software/projects/ACME/boards/1`;
    await input().fill(link);
    await input().press('Enter');
    await inputTitled(page, 'Connect Atlassian: Email').waitFor();
    await input().press('Enter');
    await inputTitled(page, 'Connect Atlassian: API token').waitFor();
    await page.locator('.quick-input-widget [aria-label^="Create an API token"]').first().waitFor();
    await input().fill('not-the-right-token');
    await screenshot(page, 'signin-3-api-token-page-button');
    await input().press('Enter');

    const refused = toast(page, 'did not accept the email and API token');
    await refused.waitFor();
    // Screenshot once the progress toast has gone and the error has finished sliding in.
    await toast(page, 'Checking').waitFor({ state: 'detached' });
    // A trial click waits until the button stands still (the toast has slid in), and clicks nothing.
    await refused.locator('.monaco-button', { hasText: 'Try Again' }).click({ trial: true });
    assert.doesNotMatch(await refused.innerText(), /\.\./);
    await refused.locator('.monaco-button', { hasText: 'Create API Token' }).waitFor();
    await screenshot(page, 'signin-4-wrong-token-error');
    await refused.locator('.monaco-button', { hasText: 'Try Again' }).click();

    // Everything typed is still there; the token masked, with the reason under it.
    await inputTitled(page, 'Connect Atlassian: Site').waitFor();
    assert.equal(await input().inputValue(), link);
    await input().press('Enter');
    await inputTitled(page, 'Connect Atlassian: Email').waitFor();
    assert.equal(await input().inputValue(), sandbox.discovery.users[0]!.email);
    await input().press('Enter');
    await inputTitled(page, 'Connect Atlassian: API token').waitFor();
    assert.equal(await input().inputValue(), 'not-the-right-token');
    assert.equal(await input().getAttribute('type'), 'password');
    await page.locator('.quick-input-widget .quick-input-message', { hasText: 'did not accept' }).waitFor();
    await screenshot(page, 'signin-5-try-again-keeps-inputs');
    await input().fill(sandbox.discovery.users[0]!.apiToken);
    await input().press('Enter');
    await toast(page, /Connected to .*sites\/acme as Ada Lovelace/).waitFor();
    await runCommand(page, 'Notifications: Clear All Notifications');

    await statusBarItem(page).click();
    await viewPane(page, VIEW).waitFor();
    await widenSideBar(page, 880);
    const row = treeRow(
      page,
      VIEW,
      /sites\/acme★ default · API token · Ada Lovelace · connected · Jira \d+ ms · Confluence \d+ ms$/,
    );
    await row.waitFor();
    await row.click();
    await treeRow(page, VIEW, /^Confluence APIreachable · \d+ ms/).waitFor();
    await screenshot(page, 'signin-6-jira-and-confluence-checked');
    await row.click();
  });

  it('the same site and account again: Replace / Keep Both / Cancel; Replace leaves one connection and the badge as it was', async () => {
    const { page, session } = workbench;
    const badge = atlassianBadge(page);
    await badge.filter({ hasText: /^\d+$/ }).waitFor();
    const before = (await badge.innerText()).trim();

    const popup = session.context.waitForEvent('page');
    await runCommand(page, 'Connect Atlassian');
    await quickPickRow(page, 'sign in with the browser').click();
    const consent = await popup;
    await consent.locator('button[value="accept"]').click();
    await consent.waitForLoadState();
    await consent.close();
    await page.bringToFront();
    await quickPickRow(page, 'Acme Corp').click();

    const question = 'You are already connected to';
    await dialog(page, question).waitFor();
    for (const button of ['Replace', 'Keep Both', 'Cancel']) await dialogButton(page, question, button).waitFor();
    await screenshot(page, 'signin-7-duplicate-replace-keep-cancel');
    await dialogButton(page, question, 'Replace').click();
    await toast(page, 'Connected to Acme Corp as Ada Lovelace').waitFor();
    await runCommand(page, 'Notifications: Clear All Notifications');

    await treeRow(page, VIEW, /^Acme Corp★ default · OAuth · Ada Lovelace · connected/).waitFor();
    await treeRow(page, VIEW, /sites\/acme★/).waitFor({ state: 'detached' });
    await badge.filter({ hasText: new RegExp(`^${before}$`) }).waitFor();
    assert.equal((await badge.innerText()).trim(), before, 'the badge is not doubled');
  });

  it('the default marked in the view and the status bar; a row context menu; disconnecting the default asks who takes over', async () => {
    const { page } = workbench;
    await runCommand(page, 'Connect Atlassian');
    await quickPickRow(page, 'personal access token').click();
    await inputTitled(page, 'Connect Atlassian: Site').waitFor();
    await input().press('Enter');
    await inputTitled(page, 'Connect Atlassian: Personal access token').waitFor();
    await input().press('Enter');
    await toast(page, 'Connected to').waitFor();
    await runCommand(page, 'Notifications: Clear All Notifications');

    const acme = treeRow(page, VIEW, /^Acme Corp★ default · OAuth/);
    const dc = treeRow(page, VIEW, /^Jirapersonal access token · Ada Lovelace · connected/);
    await acme.waitFor();
    await dc.waitFor();
    await treeRow(page, VIEW, /^Local MCP bridge.*serves Acme Corp \(default\), Jira$/).waitFor();
    await statusBarItem(page).hover();
    await page.locator('.monaco-hover, .workbench-hover', { hasText: 'Acme Corp (default):' }).first().waitFor();
    await screenshot(page, 'signin-8-default-marked');
    await page.mouse.move(900, 500);

    await acme.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    for (const entry of ['Reconnect', 'Open Site in Browser', 'Copy Cloud ID', 'Disconnect…'])
      await menu.locator('.action-item', { hasText: entry }).first().waitFor();
    assert.equal(await menu.locator('.action-item', { hasText: 'Make Default' }).count(), 0, 'already the default');
    await screenshot(page, 'signin-9-connection-context-menu');
    await page.keyboard.press('Escape');

    await contextMenu(page, acme, 'Disconnect…');
    await dialogButton(page, 'Disconnect Acme Corp', 'Disconnect').click();
    await quickPickRow(page, 'Jira').waitFor();
    await page
      .locator('.quick-input-widget .quick-input-title', {
        hasText: 'Acme Corp is the default connection. Which connection becomes the default?',
      })
      .waitFor();
    await screenshot(page, 'signin-10-disconnecting-the-default');
    await quickPickRow(page, 'Jira').click();
    await toast(page, 'Disconnected Acme Corp. The default connection is now Jira.').waitFor();
    await treeRow(page, VIEW, /^Jira★ default · personal access token/).waitFor();
    await collapseView(page, 'My Issues');
  });

  it('shows no secret on screen and sends no request off the machine', async () => {
    const text = await workbench.page.locator('body').innerText();
    for (const secret of [
      sandbox.discovery.oauthClient.clientSecret,
      sandbox.discovery.dataCenter.personalAccessToken,
      ...sandbox.discovery.users.map((u) => u.apiToken),
    ])
      assert.ok(!text.includes(secret), `secret on screen: ${secret.slice(0, 6)}…`);
    assert.deepEqual(workbench.session.blockedRequests, []);
  });
});
