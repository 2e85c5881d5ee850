// The MCP server that agents talk to. Tools arrive with the bridge issue; this is its shell.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export const BRIDGE_NAME = 'atlassian-mcp-bridge';

export function createBridgeServer(version: string): McpServer {
  return new McpServer(
    { name: BRIDGE_NAME, title: 'Atlassian MCP Bridge', version },
    { instructions: 'Jira and Confluence tools. Sign in with "Connect Atlassian" in VS Code, or set JIRA_URL and credentials when running standalone.' },
  );
}
