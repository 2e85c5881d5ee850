import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { connectWithApiToken, openWorkbench, quickPickRow, runCommand, screenshot, toast, type Workbench } from './workbench';

describe('MCP servers in the workbench, against the sandbox', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let workbench: Workbench;

  before(async () => {
    sandbox = await startSandbox();
    workbench = await openWorkbench({ settings: { 'atlassianMcpBridge.sandbox': `${sandbox.url}/.well-known/sandbox.json` } });
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('lists the bridge in "MCP: List Servers" after connecting, starts it, and discovers its tools', async () => {
    const { page } = workbench;
    await connectWithApiToken(page);
    await toast(page, /Connected to/).waitFor();

    await runCommand(page, 'MCP: List Servers');
    const bridge = quickPickRow(page, 'Atlassian MCP Bridge');
    await bridge.waitFor();
    await screenshot(page, 'mcp-1-list-servers');
    await bridge.click();
    const start = quickPickRow(page, 'Start Server');
    await start.waitFor();
    await screenshot(page, 'mcp-2-server-actions');
    await start.click();

    // Once running, the server's output says how many tools VS Code discovered.
    const running = quickPickRow(page, /Atlassian MCP Bridge.*Running|Running.*Atlassian MCP Bridge/);
    const deadline = Date.now() + 60_000;
    for (;;) {
      await runCommand(page, 'MCP: List Servers');
      if (await running.waitFor({ timeout: 2000 }).then(() => true, () => false)) break;
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error('the bridge never showed as Running');
    }
    await screenshot(page, 'mcp-3-running');
    await running.click();
    await quickPickRow(page, 'Show Output').click();
    const output = page.locator('.monaco-workbench .part.panel').getByText(/Discovered\s\d+\stools/).first();
    await output.waitFor({ timeout: 60_000 });
    await screenshot(page, 'mcp-4-tools-discovered');
    // Monaco renders spaces as no-break spaces: match any white space.
    const discovered = Number(/Discovered\s(\d+)\stools/.exec(await output.innerText())?.[1]);
    assert.ok(discovered >= 20 && discovered <= 25, `discovered ${discovered} tools`);
  });

  it('sends no request off the machine', () => {
    assert.deepEqual(workbench.session.blockedRequests, []);
  });
});
