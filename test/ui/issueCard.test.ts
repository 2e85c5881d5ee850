// The issue card (an MCP App) in real Chromium, hosted the way a chat client hosts it: the card's
// HTML from resources/read in an iframe, a host page speaking the ext-apps postMessage protocol
// (ui/initialize, the tool result, tools/call forwarded to the bridge through the real MCP client),
// the bridge on the sandbox. The card shows the issue, then assigns and transitions it for real.
// Needs no code-server: `flock /tmp/amb-heavy.lock npx mocha test/ui/issueCard.test.ts`.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { openBrowser, type BrowserSession } from '../harness/browser';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { ADA, connectStdio, ROOT, type Connected } from '../unit/bridge/harness';

const CARD = 'ui://atlassian-mcp-bridge/issue-card.html';
const SHOTS = join(ROOT, 'test-results', 'ui');

/** The host page: the card in a sandboxed frame, and the host half of the protocol. */
const HOST_PAGE = `<!doctype html><html><body style="margin:0;background:#fff">
<iframe id="card" sandbox="allow-scripts allow-same-origin" style="width:640px;height:220px;border:1px solid #ccc"></iframe>
<script>
  const frame = document.getElementById('card');
  window.toolCalls = [];
  const reply = (msg) => frame.contentWindow.postMessage(msg, '*');
  window.addEventListener('message', async (event) => {
    if (event.source !== frame.contentWindow) return;
    const msg = event.data;
    if (msg.method === 'ui/initialize')
      reply({ jsonrpc: '2.0', id: msg.id, result: { protocolVersion: msg.params.protocolVersion,
        hostInfo: { name: 'test-host', version: '1.0.0' }, hostCapabilities: { serverTools: {}, openLinks: {} },
        hostContext: { theme: 'light' } } });
    else if (msg.method === 'ui/notifications/initialized')
      reply({ jsonrpc: '2.0', method: 'ui/notifications/tool-result', params: window.initialResult });
    else if (msg.method === 'tools/call') {
      window.toolCalls.push(msg.params.name);
      reply({ jsonrpc: '2.0', id: msg.id, result: await window.callBridgeTool(msg.params.name, msg.params.arguments) });
    } else if (msg.id !== undefined) reply({ jsonrpc: '2.0', id: msg.id, result: {} });
  });
</script></body></html>`;

describe('the issue card (MCP App) in Chromium', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let bridge: Connected;
  let client: Client;
  let browser: BrowserSession;

  before(async () => {
    sandbox = await startSandbox();
    const site = sandbox.discovery.sites[0]!;
    bridge = await connectStdio({
      JIRA_URL: site.url,
      JIRA_USERNAME: ADA.email,
      JIRA_API_TOKEN: ADA.token,
    });
    client = bridge.client;
    browser = await openBrowser({ width: 700, height: 260 });
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await bridge?.close();
    await sandbox?.close();
  });

  it('shows status and assignee, then assigns and transitions through the bridge', async () => {
    const html = ((await client.readResource({ uri: CARD })).contents[0] as { text: string }).text;
    const initial = await client.callTool({ name: 'jira_get_issue', arguments: { issue_key: 'ENG-2' } });
    const issue = JSON.parse((initial.content as { text: string }[])[0]!.text) as { status: string; summary: string };
    const { page } = browser;
    await page.exposeFunction('callBridgeTool', (name: string, args: Record<string, unknown>) =>
      client.callTool({ name, arguments: args }),
    );
    await page.setContent(HOST_PAGE);
    await page.evaluate(
      ([result, srcdoc]) => {
        // Runs in the page (no DOM types here).
        const page = globalThis as unknown as {
          initialResult: unknown;
          document: { getElementById(id: string): { srcdoc: string } };
        };
        page.initialResult = result;
        page.document.getElementById('card').srcdoc = srcdoc;
      },
      [initial, html] as const,
    );
    const card = page.frameLocator('#card');
    await card.locator('.key', { hasText: 'ENG-2' }).waitFor();
    assert.equal(await card.locator('.summary').textContent(), issue.summary);
    assert.equal(await card.locator('.status').textContent(), issue.status);
    await page.screenshot({ path: join(SHOTS, 'issue-card-1-shown.png') });

    await card.getByRole('button', { name: 'Assign to me' }).click();
    await card.locator('.note', { hasText: 'Assign: done.' }).waitFor();
    assert.match((await card.locator('.pill', { hasText: 'Assignee:' }).textContent()) ?? '', /Ada/);

    const select = card.getByLabel('Transition');
    await select.focus();
    await card.locator('select option:nth-child(2)').waitFor({ state: 'attached' });
    const target = (await card.locator('select option:nth-child(2)').getAttribute('value'))!;
    await select.selectOption(target);
    await card.locator('.note', { hasText: 'Transition: done.' }).waitFor();
    const after = await client.callTool({
      name: 'jira_get_issue',
      arguments: { issue_key: 'ENG-2', fields: 'status' },
    });
    const status = (JSON.parse((after.content as { text: string }[])[0]!.text) as { status: string }).status;
    assert.equal(await card.locator('.status').textContent(), status);
    assert.notEqual(status, issue.status);
    await page.screenshot({ path: join(SHOTS, 'issue-card-2-assigned-and-moved.png') });
    assert.deepEqual(await page.evaluate(() => (globalThis as unknown as { toolCalls: string[] }).toolCalls), [
      'jira_assign_issue',
      'jira_get_issue',
      'jira_get_transitions',
      'jira_transition_issue',
      'jira_get_issue',
    ]);
    assert.deepEqual(browser.blockedRequests, [], 'the card fetches nothing from the network');
  });
});
