// VS Code connects to the team server with nothing but its URL: an `http` server in the user's
// mcp.json. Starting it gets our 401 challenge; VS Code's own MCP sign-in registers itself (DCR),
// the person consents in Chromium on Atlassian's (the sandbox's) page and then on ours, choosing a
// site; VS Code exchanges the code, discovers the tools, and an agent-style tool call
// (vscode.lm.invokeTool, from a small fixture extension) runs as that person. Two people, each in
// their own code-server and browser, use the same team server: the sandbox's request log shows each
// person's own Atlassian token on their calls.
//
// In a remote window (code-server) VS Code's redirect URI is https://vscode.dev/redirect, a page that
// forwards the code to the `state` URL (code-server's own callback). The browser here reaches
// nothing off the machine, so the test plays that page: it forwards as vscode.dev does.
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
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
const MYSELF = /\/ex\/jira\/[^/]+\/rest\/api\/3\/myself$/;

/** One person's VS Code: their own code-server (profile, secrets) and their own browser. */
interface Seat {
  readonly name: string;
  readonly server: CodeServer;
  readonly session: BrowserSession;
  readonly page: Page;
  /** Authorization responses that went through the (played) vscode.dev/redirect. */
  readonly forwarded: string[];
}

describe('VS Code signs in to the team server with only its URL', function () {
  this.timeout(300_000);
  let sandbox: Sandbox;
  let bridge: TeamBridge;
  const ports: number[] = [];
  const seats: Seat[] = [];
  const first = { person: USERS[2]!, site: 1 };
  const second = { person: USERS[1]!, site: 0 };

  before(async () => {
    sandbox = await startSandbox();
    ports.push(await freePort(), await freePort());
    // code-server opens loopback URLs through its port proxy, which keeps its own Host.
    const allowed = ports.map((port) => `127.0.0.1:${port}`).join(',');
    bridge = await startTeamBridge(sandbox, { extraEnv: { MCP_ALLOWED_HOSTS: allowed } });
    seats.push(await openSeat('first', ports[0]!, bridge));
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    const name = `failed-team-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`;
    for (const seat of seats) {
      await screenshot(seat.page, `${name}-${seat.name}`);
      // The sign-in runs in a popup: show where it stopped.
      for (const [i, other] of seat.session.context.pages().entries())
        if (other !== seat.page) {
          process.stdout.write(`${seat.name} popup ${i}: ${other.url()}\n`);
          await screenshot(other, `${name}-${seat.name}-popup-${i}`);
        }
      process.stdout.write(`${seat.name} VS Code logs:\n${await vscodeLogs(seat.server.root)}\n`);
      process.stdout.write(`${seat.name} forwarded: ${seat.forwarded.join('\n')}\n`);
    }
    process.stdout.write(`bridge log:\n${bridge.stdout()}\n`);
  });

  after(async () => {
    for (const seat of seats) {
      await seat.session.close();
      await seat.server.stop();
    }
    await bridge?.stop();
    await sandbox?.close();
  });

  it('starts the server, runs its own MCP sign-in against ours, and calls a tool as the person', async () => {
    const seat = seats[0]!;
    const site = sandbox.discovery.sites[first.site]!;
    await signIn(seat, first.person.accountId, site.cloudId, 'team');
    assert.ok(seat.forwarded.length > 0, 'the authorization response went through vscode.dev/redirect');

    const calls = await whoAmI(sandbox, seat, first.person.accountId, 'team-5-tool-call-as-the-person');
    assert.ok(calls.length > 0, 'the tool reached Atlassian');
    assert.deepEqual(new Set(calls.map((e) => e.accountId)), new Set([first.person.accountId]), JSON.stringify(calls));
    assert.ok(
      calls.every((e) => e.path.includes(site.cloudId)),
      'only the site the person allowed',
    );
  });

  it("a second person in their own VS Code signs in to the same server; each person's calls carry their own token", async () => {
    const seat = await openSeat('second', ports[1]!, bridge);
    seats.push(seat);
    const site = sandbox.discovery.sites[second.site]!;
    await signIn(seat, second.person.accountId, site.cloudId, 'team-second');

    const theirs = await whoAmI(sandbox, seat, second.person.accountId, 'team-second-5-tool-call-as-the-person');
    assert.ok(theirs.length > 0, 'the second person reached Atlassian');
    assert.deepEqual(new Set(theirs.map((e) => e.accountId)), new Set([second.person.accountId]));
    assert.ok(theirs.every((e) => e.path.includes(site.cloudId)));

    // The first person, still signed in, calls again after the second signed in: still their own token.
    const again = await whoAmI(sandbox, seats[0]!, first.person.accountId, 'team-6-first-person-again');
    assert.ok(again.length > 0);
    assert.deepEqual(new Set(again.map((e) => e.accountId)), new Set([first.person.accountId]), JSON.stringify(again));
    // Two people, two distinct registrations and grants on one server.
    const signedIn = bridge.logs().filter((l) => /^Signed in /.test(String(l.msg)));
    assert.equal(signedIn.length, 2, JSON.stringify(signedIn));
  });

  it('sends no request off the machine (vscode.dev/redirect is played by the test)', () => {
    for (const seat of seats) assert.deepEqual(seat.session.blockedRequests, [], seat.name);
  });

  /**
   * Starts the server from MCP: List Servers, allows VS Code's sign-in, consents as `accountId` on
   * Atlassian's page and to `cloudId` on ours, and waits for VS Code to discover the tools.
   */
  async function signIn(seat: Seat, accountId: string, cloudId: string, shots: string): Promise<void> {
    const { page, session } = seat;
    const authorizeRequests: string[] = [];
    session.context.on('request', (r) => {
      if (r.url().includes('/authorize')) authorizeRequests.push(r.url());
    });
    await pickThrough(page, 'MCP: List Servers', ['atlassian-team', 'Start Server']);

    const allow = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Allow' });
    await allow.waitFor({ timeout: 60_000 });
    await screenshot(page, `${shots}-1-vscode-asks-to-authenticate`);
    const popupOpened = session.context.waitForEvent('page', { timeout: 60_000 });
    await allow.click();
    const popup = await popupOpened;

    // Atlassian's consent (the sandbox's page), reached through our /authorize.
    await popup.locator('select#account_id').waitFor({ timeout: 60_000 });
    assert.ok(!new URL(popup.url()).searchParams.has('resource'), 'no MCP parameter reaches Atlassian');
    assert.ok(
      authorizeRequests.some((u) => new URL(u).searchParams.get('redirect_uri') === 'https://vscode.dev/redirect'),
      authorizeRequests.join('\n'),
    );
    await popup.locator('select#account_id').selectOption(accountId);
    await screenshot(popup, `${shots}-2-atlassian-consent`);
    await popup.getByRole('button', { name: 'Accept' }).click();

    // Our consent: which client, where the grant goes, which sites.
    await popup.locator('input[name="site"]').first().waitFor({ timeout: 30_000 });
    assert.match(await popup.locator('body').innerText(), /vscode\.dev\/redirect/);
    const boxes = await popup.locator('input[name="site"]').all();
    for (const box of boxes) await box.setChecked((await box.getAttribute('value')) === cloudId);
    assert.equal(
      (await Promise.all(boxes.map((b) => b.isChecked()))).filter(Boolean).length,
      1,
      'the chosen site is offered',
    );
    await screenshot(popup, `${shots}-3-team-server-consent`);
    await popup.getByRole('button', { name: 'Allow' }).click();

    // The forwarded redirect lands on VS Code's callback page, which hands the code to the workbench and
    // says "You can close this page now": the person closes it and goes back to VS Code. (While the popup
    // stays the active window, Chromium draws the workbench about once a second; a click waits for its
    // target to hold still over two frames, so a quick pick row took 2 s or more to click, or timed out
    // and pickThrough started over: 10-15 s here, 96 s on a busy machine.)
    await popup.waitForURL(/\/callback\?vscode-reqid=/, { timeout: 30_000 });
    await popup.close();
    await page.bringToFront();

    // VS Code exchanges the code and discovers the tools. The server shows Running from the start, before
    // the sign-in: the tool count in its output is what says the sign-in is done.
    await pickThrough(page, 'MCP: List Servers', ['atlassian-team', 'Show Output']);
    const discovered = page
      .locator('.monaco-workbench .part.panel')
      .getByText(/Discovered\s\d+\stools/)
      .first();
    await discovered.waitFor({ timeout: 60_000 });
    await screenshot(page, `${shots}-4-tools-discovered`);
  }
});

/** A code-server for one person with the fixture extension and the team server in its mcp.json, open in its own browser. */
async function openSeat(name: string, port: number, bridge: TeamBridge): Promise<Seat> {
  const server = await startCodeServer({ port, extensionFolders: [FIXTURE] });
  await writeFile(
    join(server.root, 'user-data', 'User', 'mcp.json'),
    JSON.stringify({ servers: { 'atlassian-team': { type: 'http', url: bridge.url } } }, null, 2),
  );
  const session = await openBrowser();
  const forwarded: string[] = [];
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
  const { page } = session;
  await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`, { timeout: 120_000 });
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
  return { name, server, session, page, forwarded };
}

/**
 * Runs the fixture's agent-style tool call (jira_get_user_profile for "me") and returns the upstream
 * /myself calls it caused, from the sandbox's request log; the answer names `accountId`.
 */
async function whoAmI(sandbox: Sandbox, seat: Seat, accountId: string, shot: string) {
  const { page } = seat;
  const before = sandbox.log.entries({ path: MYSELF }).length;
  await runCommand(page, 'Team Test: Who Am I');
  const confirm = page.locator('.monaco-dialog-box').getByRole('button', { name: /^(Allow|Continue|Yes|Run)/ });
  const answer = toast(page, new RegExp(`Team tool caller:.*${accountId}`));
  await Promise.race([
    confirm
      .first()
      .waitFor({ timeout: 60_000 })
      .then(() => confirm.first().click()),
    answer.waitFor({ timeout: 60_000 }),
  ]);
  await answer.waitFor({ timeout: 60_000 });
  await screenshot(page, shot);
  // Cleared so that the next call's answer is not this one still on screen.
  await runCommand(page, 'Notifications: Clear All Notifications');
  await answer.waitFor({ state: 'detached', timeout: 10_000 });
  return sandbox.log.entries({ path: MYSELF }).slice(before);
}

/** VS Code's own log files (the dynamic auth provider logs to "Auth: <label>"), for a failed sign-in. */
async function vscodeLogs(root: string): Promise<string> {
  const dir = join(root, 'user-data', 'logs');
  const files = (await readdir(dir, { recursive: true })).filter((f) =>
    /(mcp|Auth|exthost|renderer)[^/]*\.log$/.test(f),
  );
  const parts: string[] = [];
  for (const f of files) parts.push(`==== ${f}\n${(await readFile(join(dir, f), 'utf8')).slice(-6000)}`);
  return parts.join('\n');
}
