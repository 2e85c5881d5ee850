// Entry point of dist/bridge.js: the bundled MCP server, run by VS Code (stdio) or on its own.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createBridgeServer } from './server';

declare const BRIDGE_VERSION: string | undefined;

async function main(): Promise<void> {
  const server = createBridgeServer(typeof BRIDGE_VERSION === 'string' ? BRIDGE_VERSION : '0.0.0-dev');
  await server.connect(new StdioServerTransport());
  // stdio servers end when their client closes stdin.
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`atlassian-mcp-bridge: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
