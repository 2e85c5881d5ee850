import assert from 'node:assert/strict';
import { freePort } from '../harness/process';
import { startSandbox, type Sandbox } from '../sandbox/index';
import {
  chooseConnectMethod,
  connectWithApiToken,
  openWorkbench,
  quickPickRow,
  runCommand,
  screenshot,
  toast,
  workbenchReady,
  type Workbench,
} from './workbench';

describe('Connect Atlassian in the workbench, against the sandbox', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let workbench: Workbench;

  before(async () => {
    sandbox = await startSandbox({ redirectUris: [`http://127.0.0.1:${await freePort()}/callback`] });
    workbench = await openWorkbench({
      settings: { 'atlassianMcpBridge.sandbox': `${sandbox.url}/.well-known/sandbox.json` },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await screenshot(workbench.page, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
      console.log(
        workbench.consoleLines
          .filter((l) => /atlassian|error/i.test(l))
          .slice(-30)
          .join('\n'),
      );
    }
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('signs in with OAuth: palette → consent page → Accept → site pick → connected', async () => {
    const { page, session } = workbench;
    const popupOpened = session.context.waitForEvent('page');
    await chooseConnectMethod(page, 'sign in with the browser');
    await screenshot(page, 'oauth-1-waiting-for-browser');

    const consent = await popupOpened;
    await consent.locator('button[value="accept"]').waitFor();
    await screenshot(consent, 'oauth-2-consent-page');
    await consent.locator('button[value="accept"]').click();
    await consent.waitForLoadState();
    await screenshot(consent, 'oauth-3-callback-page');
    assert.match(await consent.locator('body').innerText(), /signed in/i);

    await quickPickRow(page, 'Acme Corp').waitFor();
    await screenshot(page, 'oauth-4-site-pick');
    await quickPickRow(page, 'Acme Corp').click();
    await toast(page, 'Connected to Acme Corp as Ada Lovelace').waitFor();
    await screenshot(page, 'oauth-5-connected');

    const tokenCalls = sandbox.log.entries().filter((e) => e.path === '/auth/oauth/token');
    assert.equal(tokenCalls.length, 1, 'one code exchange');
  });

  it('signs in with an API token and keeps the connection across a window reload', async () => {
    const { page } = workbench;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await connectWithApiToken(page, () => screenshot(page, 'api-token-prompt'));
    // Same site (cloud id) and same account as the OAuth connection: asked, never stored silently.
    const dialog = page.locator('.monaco-dialog-box', {
      hasText: 'You are already connected to Acme Corp as Ada Lovelace',
    });
    await dialog.waitFor();
    for (const button of ['Replace', 'Keep Both', 'Cancel'])
      await dialog.locator('.monaco-button', { hasText: new RegExp(`^${button}$`) }).waitFor();
    await dialog.locator('.monaco-button', { hasText: /^Keep Both$/ }).click();
    await toast(page, /Connected to|failed/).waitFor();
    await screenshot(page, 'api-token-connected');
    await toast(page, /Connected to 127\.0\.0\.1:\d+\/sites\/acme as Ada Lovelace/).waitFor({ timeout: 1000 });

    await page.reload();
    await workbenchReady(page);
    await runCommand(page, 'Atlassian: Disconnect');
    const list = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await list.filter({ hasText: 'API token' }).first().waitFor();
    await list.filter({ hasText: 'OAuth' }).first().waitFor();
    await screenshot(page, 'connections-after-reload');
    await page.keyboard.press('Escape');
  });

  it('sends no request off the machine', () => {
    assert.deepEqual(workbench.session.blockedRequests, []);
  });
});
