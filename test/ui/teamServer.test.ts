// VS Code connects to the team server with nothing but its URL: an `http` server in the user's
// mcp.json. Starting it gets our 401 challenge; VS Code's own MCP sign-in registers itself (DCR),
// the person consents in Chromium on Atlassian's (the sandbox's) page and then on ours, choosing a
// site; VS Code exchanges the code, discovers the tools, and an agent-style tool call
// (vscode.lm.invokeTool, from a small fixture extension) runs as that person: the sandbox's request
// log shows their account on the upstream call.
//
// In a remote window (code-server) VS Code's redirect URI is https://vscode.dev/redirect, a page that
// forwards the code to the `state` URL (code-server's own callback). The browser here reaches
// nothing off the machine, so the test plays that page: it forwards as vscode.dev does.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from '../harness/browser';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { freePort } from '../harness/process';
import { USERS } from '../sandbox/data/users';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { startTeamBridge, type TeamBridge } from '../unit/team/teamBridge';
import { pickThrough, runCommand, screenshot, toast } from './workbench';

const FIXTURE = resolve(__dirname, 'fixtures', 'team-tool-caller');

describe('VS Code signs in to the team server with only its URL', function () {
  this.timeout(300_000);
  let sandbox: Sandbox;
  let bridge: TeamBridge;
  let server: CodeServer;
  let session: BrowserSession;
  let page: Page;
  const forwarded: string[] = [];
  const authorizeRequests: string[] = [];

  before(async () => {
    sandbox = await startSandbox();
    const codeServerPort = await freePort();
    // code-server opens loopback URLs through its port proxy, which may keep its own Host.
    bridge = await startTeamBridge(sandbox, { extraEnv: { MCP_ALLOWED_HOSTS: `127.0.0.1:${codeServerPort}` } });
    server = await startCodeServer({ port: codeServerPort, extensionFolders: [FIXTURE] });
    await writeFile(
      join(server.root, 'user-data', 'User', 'mcp.json'),
      JSON.stringify({ servers: { 'atlassian-team': { type: 'http', url: bridge.url } } }, null, 2),
    );
    session = await openBrowser();
    page = session.page;
    // Registered after the harness's catch-all, so it runs first (Playwright: last registered wins).
    await session.context.route(/^https:\/\/vscode\.dev\/redirect/, (route) => {
      const url = new URL(route.request().url());
      // vscode.dev/redirect decodes the state once more (VS Code encodes its callback's query into the
      // path) and sets the other parameters on it.
      const target = new URL(decodeURIComponent(url.searchParams.get('state')!));
      for (const [key, value] of url.searchParams) if (key !== 'state') target.searchParams.set(key, value);
      forwarded.push(target.toString());
      return route.fulfill({ status: 302, headers: { Location: target.toString() } });
    });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = `failed-team-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`;
      await screenshot(page, name);
      // The sign-in runs in a popup: show where it stopped.
      for (const [i, other] of session.context.pages().entries())
        if (other !== page) {
          process.stdout.write(`popup ${i}: ${other.url()}\n`);
          await screenshot(other, `${name}-popup-${i}`);
        }
      process.stdout.write(await vscodeLogs(server.root));
      process.stdout.write(
        `bridge log:\n${bridge.stdout()}\nauthorize: ${authorizeRequests.join('\n')}\nforwarded: ${forwarded.join('\n')}\n`,
      );
    }
  });

  after(async () => {
    await session?.close();
    await server?.stop();
    await bridge?.stop();
    await sandbox?.close();
  });

  // Skipped with what its real runs showed (2026-12-04). Fixed on the way: code-server's port proxy
  // collapses `//` in /authorize's query (`resource=http:/…`, now compared as a URL), the consent page's
  // CSP form-action blocked the redirect after Allow (now names the client's redirect origin), and
  // vscode.dev/redirect decodes the state once more (now played so). The popup now reaches
  // code-server's /callback with the code, but VS Code's URL-handler flow ends in "Failed to create
  // authentication token" without calling /token (the bridge logs no POST /token). Next step: read the
  // "Dynamic Auth Provider" output channel to see why $waitForUriHandler did not resolve.
  it('starts the server, runs its own MCP sign-in against ours, and calls a tool as the person', async () => {
    session.context.on('request', (r) => {
      if (r.url().includes('/authorize')) authorizeRequests.push(r.url());
    });
    const person = USERS[2]!;
    const site = sandbox.discovery.sites[1]!;
    await pickThrough(page, 'MCP: List Servers', ['atlassian-team', 'Start Server']);

    const allow = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Allow' });
    await allow.waitFor({ timeout: 60_000 });
    await screenshot(page, 'team-1-vscode-asks-to-authenticate');
    const popupOpened = session.context.waitForEvent('page', { timeout: 60_000 });
    await allow.click();
    const popup = await popupOpened;

    // Atlassian's consent (the sandbox's page), reached through our /authorize.
    await popup.locator('select#account_id').waitFor({ timeout: 60_000 });
    assert.ok(!new URL(popup.url()).searchParams.has('resource'), 'no MCP parameter reaches Atlassian');
    await popup.locator('select#account_id').selectOption(person.accountId);
    await screenshot(popup, 'team-2-atlassian-consent');
    await popup.getByRole('button', { name: 'Accept' }).click();

    // Our consent: which client, where the grant goes, which sites.
    await popup.locator('input[name="site"]').first().waitFor({ timeout: 30_000 });
    assert.match(await popup.locator('body').innerText(), /vscode\.dev\/redirect/);
    for (const box of await popup.locator('input[name="site"]').all())
      await box.setChecked((await box.getAttribute('value')) === site.cloudId);
    await screenshot(popup, 'team-3-team-server-consent');
    await popup.getByRole('button', { name: 'Allow' }).click();

    // VS Code has the code (through the forwarded redirect), exchanges it and discovers the tools.
    await pickThrough(page, 'MCP: List Servers', [/atlassian-team.*Running|Running.*atlassian-team/, 'Show Output'], {
      timeoutMs: 90_000,
    });
    const discovered = page
      .locator('.monaco-workbench .part.panel')
      .getByText(/Discovered\s\d+\stools/)
      .first();
    await discovered.waitFor({ timeout: 60_000 });
    await screenshot(page, 'team-4-tools-discovered');
    assert.ok(forwarded.length > 0, 'the authorization response went through vscode.dev/redirect');

    await runCommand(page, 'Team Test: Who Am I');
    const confirm = page.locator('.monaco-dialog-box').getByRole('button', { name: /^(Allow|Continue|Yes|Run)/ });
    const answer = toast(page, /Team tool caller:/);
    await Promise.race([
      confirm
        .first()
        .waitFor({ timeout: 60_000 })
        .then(() => confirm.first().click()),
      answer.waitFor({ timeout: 60_000 }),
    ]);
    await answer.waitFor({ timeout: 60_000 });
    const text = await answer.innerText();
    await screenshot(page, 'team-5-tool-call-as-the-person');
    assert.match(text, new RegExp(person.accountId));
    const upstream = sandbox.log.entries({ path: /\/ex\/jira\/[^/]+\/rest\/api\/3\/myself$/ });
    assert.ok(upstream.length > 0 && upstream.every((e) => e.accountId === person.accountId), JSON.stringify(upstream));
    assert.ok(
      upstream.every((e) => e.path.includes(site.cloudId)),
      'only the site the person allowed',
    );
  });

  it('sends no request off the machine (vscode.dev/redirect is played by the test)', () => {
    assert.deepEqual(session.blockedRequests, []);
  });
});

/** VS Code's own log files (the dynamic auth provider logs to "Auth: <label>"), for a failed sign-in. */
async function vscodeLogs(root: string): Promise<string> {
  const { readdir, readFile } = await import('node:fs/promises');
  const dir = join(root, 'user-data', 'logs');
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.log'));
  const parts: string[] = [];
  for (const f of files) parts.push(`==== ${f}\n${(await readFile(join(dir, f), 'utf8')).slice(-6000)}`);
  return parts.join('\n');
}
