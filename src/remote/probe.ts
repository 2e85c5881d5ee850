// The MCP half of a remote server's health check: connect with the real SDK client, as VS Code
// would, and report who answered, how many tools it offers and how long that took.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface McpProbeResult {
  readonly server?: { readonly name: string; readonly version: string };
  readonly protocolVersion?: string;
  readonly toolCount?: number;
  readonly latencyMs: { readonly initialize?: number; readonly listTools?: number };
  /** Unredacted; the caller redacts before anything leaves. */
  readonly error?: string;
}

// A server that keeps handing out cursors must not keep the health view busy forever.
const MAX_TOOL_PAGES = 20;

export async function probeMcp(url: URL, timeoutMs: number, clientVersion: string): Promise<McpProbeResult> {
  const client = new Client({ name: 'atlassian-mcp-bridge-probe', version: clientVersion });
  const transport = new StreamableHTTPClientTransport(url);
  const latencyMs: { initialize?: number; listTools?: number } = {};
  let result: Omit<McpProbeResult, 'latencyMs'> = {};
  try {
    let started = performance.now();
    await client.connect(transport, { timeout: timeoutMs });
    latencyMs.initialize = Math.round(performance.now() - started);
    const info = client.getServerVersion();
    result = { server: info && { name: info.name, version: info.version }, protocolVersion: transport.protocolVersion };

    started = performance.now();
    let toolCount = 0;
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page++) {
      const listed = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: timeoutMs });
      toolCount += listed.tools.length;
      cursor = listed.nextCursor;
      if (cursor === undefined) break;
    }
    latencyMs.listTools = Math.round(performance.now() - started);
    result = { ...result, toolCount };
  } catch (err) {
    result = { ...result, error: err instanceof Error ? err.message : String(err) };
  } finally {
    // Ends the server-side session too, so probes do not pile up sessions upstream.
    if (transport.sessionId !== undefined) await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
  return { ...result, latencyMs };
}
