import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { connectWithApiToken, openWorkbench, pickThrough, screenshot, toast, type Workbench } from './workbench';

describe('MCP servers in the workbench, against the sandbox', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let workbench: Workbench;

  before(async () => {
    sandbox = await startSandbox();
    workbench = await openWorkbench({
      settings: { 'atlassianMcpBridge.sandbox': `${sandbox.url}/.well-known/sandbox.json` },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(workbench.page, `failed-mcp-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('lists the bridge in "MCP: List Servers" after connecting, starts it, and discovers its tools', async () => {
    const { page } = workbench;
    await connectWithApiToken(page);
    await toast(page, /Connected to/).waitFor();

    await pickThrough(page, 'MCP: List Servers', ['Atlassian MCP Bridge', 'Start Server'], {
      beforeClick: (step) => screenshot(page, step === 0 ? 'mcp-1-list-servers' : 'mcp-2-server-actions'),
    });

    // Once running, the server's output says how many tools VS Code discovered.
    await pickThrough(
      page,
      'MCP: List Servers',
      [/Atlassian MCP Bridge.*Running|Running.*Atlassian MCP Bridge/, 'Show Output'],
      {
        beforeClick: (step) => (step === 0 ? screenshot(page, 'mcp-3-running') : Promise.resolve()),
      },
    );
    const output = page
      .locator('.monaco-workbench .part.panel')
      .getByText(/Discovered\s\d+\stools/)
      .first();
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
