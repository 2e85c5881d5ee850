// The startup/memory baseline: the smallest useful MCP server built on @modelcontextprotocol/sdk
// (the high-level McpServer, one zod-typed tool, stdio). The benchmark bundles it exactly as
// esbuild.js bundles dist/bridge.js, so both pay the same parse and module-loading costs.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bench-baseline', version: '1.0.0' });
server.registerTool(
  'echo',
  {
    title: 'Echo',
    description: 'Returns its input.',
    inputSchema: { text: z.string() },
    annotations: { readOnlyHint: true },
  },
  ({ text }) => ({ content: [{ type: 'text', text }] }),
);

void server.connect(new StdioServerTransport()).then(() => {
  process.stdin.on('end', () => process.exit(0));
});
