// The startup/memory baseline: the smallest useful MCP server built on the same SDK v2 as the bridge
// (@modelcontextprotocol/server: the high-level McpServer, one zod-typed tool, served over stdio to
// both MCP eras by serveStdio). The benchmark bundles it exactly as esbuild.js bundles
// dist/bridge.js, so both pay the same parse and module-loading costs.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

serveStdio(() => {
  const server = new McpServer({ name: 'bench-baseline', version: '1.0.0' });
  server.registerTool(
    'echo',
    {
      title: 'Echo',
      description: 'Returns its input.',
      inputSchema: z.object({ text: z.string() }),
      annotations: { readOnlyHint: true },
    },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
});
process.stdin.on('end', () => process.exit(0));
