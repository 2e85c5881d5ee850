import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const ROOT = resolve(__dirname, '..', '..', '..');

describe('bridge over stdio (real MCP SDK client)', () => {
  it('initializes and identifies itself', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', resolve(ROOT, 'src/bridge/main.ts')],
      cwd: ROOT,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'bridge-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const info = client.getServerVersion();
      assert.equal(info?.name, 'atlassian-mcp-bridge');
      assert.ok(client.getInstructions()?.includes('Jira'));
    } finally {
      await client.close();
    }
  });
});
