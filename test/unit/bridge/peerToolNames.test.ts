// With TOOLSETS=all the real bridge, over stdio and HTTP, lists every tool name mcp-atlassian has.
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { openBridge, type Mode } from './harness';
import { PEER_CONFLUENCE_TOOLS, PEER_JIRA_TOOLS } from './peerToolNames';

describe("mcp-atlassian's tool names with TOOLSETS=all", function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox?.close());

  for (const mode of ['stdio', 'http'] as Mode[]) {
    it(`${mode}: all ${PEER_CONFLUENCE_TOOLS.length} Confluence and ${PEER_JIRA_TOOLS.length} Jira names`, async () => {
      const site = sandbox.discovery.sites[0]!;
      const { c, bridge } = await openBridge(mode, {
        JIRA_URL: site.url,
        CONFLUENCE_URL: `${site.url}/wiki`,
        TOOLSETS: 'all',
      });
      try {
        const listed = new Set((await c.client.listTools()).tools.map((t) => t.name));
        assert.deepEqual(
          PEER_CONFLUENCE_TOOLS.filter((n) => !listed.has(n)),
          [],
        );
        assert.deepEqual(
          PEER_JIRA_TOOLS.filter((n) => !listed.has(n)),
          [],
        );
      } finally {
        await c.close();
        await bridge?.stop();
      }
    });
  }
});
