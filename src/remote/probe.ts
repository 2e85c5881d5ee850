// The MCP half of a remote server's health check: connect with the real SDK client and report who
// answered, in which MCP era, how many tools it offers and how long that took. `server/discover`
// (2026-07-28) is tried first, `initialize` (2025) after; a server that answers discover is asked
// for the 2025 handshake too, because that is what VS Code still speaks.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export interface McpProbeResult {
  readonly server?: { readonly name: string; readonly version: string };
  readonly protocolVersion?: string;
  /** `modern`: answered server/discover (2026-07-28); `legacy`: only the initialize handshake. */
  readonly era?: 'modern' | 'legacy';
  /** The modern revisions server/discover listed. */
  readonly supportedVersions?: readonly string[];
  /** Whether the 2025 initialize handshake works (VS Code's only way in today); unset when unknown. */
  readonly legacyHandshake?: boolean;
  /** Why the 2025 handshake failed, when it did (unredacted). */
  readonly legacyError?: string;
  readonly toolCount?: number;
  readonly latencyMs: { readonly initialize?: number; readonly listTools?: number };
  /** Unredacted; the caller redacts before anything leaves. */
  readonly error?: string;
}

// A server that keeps handing out cursors must not keep the health view busy forever.
const MAX_TOOL_PAGES = 20;

export async function probeMcp(url: URL, timeoutMs: number, clientVersion: string): Promise<McpProbeResult> {
  const latencyMs: { initialize?: number; listTools?: number } = {};
  let result: Omit<McpProbeResult, 'latencyMs'> = {};
  let started = performance.now();
  // server/discover first; on any failure the 2025 handshake, whose error (if it fails too) is the
  // one reported: it carries what the server said, where the modern probe only names a status.
  let connection = await connect(url, timeoutMs, clientVersion, 'modern').catch(() => undefined);
  try {
    if (!connection) {
      started = performance.now();
      connection = await connect(url, timeoutMs, clientVersion, 'legacy');
    }
    const { client } = connection;
    latencyMs.initialize = Math.round(performance.now() - started);
    const info = client.getServerVersion();
    const era = client.getProtocolEra();
    result = {
      server: info && { name: info.name, version: info.version },
      protocolVersion: client.getNegotiatedProtocolVersion(),
      era,
      supportedVersions: client.getDiscoverResult()?.supportedVersions,
      legacyHandshake: era === 'legacy' ? true : undefined,
    };

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
    if (era === 'modern') result = { ...result, ...(await legacyHandshake(url, timeoutMs, clientVersion)) };
  } catch (err) {
    result = { ...result, error: err instanceof Error ? err.message : String(err) };
  } finally {
    if (connection) await close(connection);
  }
  return { ...result, latencyMs };
}

interface Connection {
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
}

async function connect(
  url: URL,
  timeoutMs: number,
  clientVersion: string,
  era: 'modern' | 'legacy',
): Promise<Connection> {
  const client = new Client(
    { name: 'atlassian-mcp-bridge-probe', version: clientVersion },
    // The legacy check must speak only the 2025 handshake, as VS Code does (no server/discover first).
    era === 'modern'
      ? { versionNegotiation: { mode: { pin: '2026-07-28' }, probe: { timeoutMs } } }
      : { versionNegotiation: { mode: 'legacy' } },
  );
  const transport = new StreamableHTTPClientTransport(url);
  try {
    await client.connect(transport, { timeout: timeoutMs });
  } catch (err) {
    await close({ client, transport });
    throw err;
  }
  return { client, transport };
}

/** Whether a plain 2025 client (as VS Code is) gets through the initialize handshake. */
async function legacyHandshake(
  url: URL,
  timeoutMs: number,
  clientVersion: string,
): Promise<{ legacyHandshake: boolean; legacyError?: string }> {
  try {
    await close(await connect(url, timeoutMs, clientVersion, 'legacy'));
    return { legacyHandshake: true };
  } catch (err) {
    return { legacyHandshake: false, legacyError: describeHttpError(err) };
  }
}

/** The SDK's HTTP errors keep the status beside the message, which may be empty; say both. */
function describeHttpError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const status = (err as { data?: { status?: unknown } } | undefined)?.data?.status;
  return typeof status === 'number' && !message.includes(String(status)) ? `${message} (HTTP ${status})` : message;
}

async function close({ client, transport }: Connection): Promise<void> {
  // Ends the server-side session too (2025 servers), so probes do not pile up sessions upstream.
  if (transport.sessionId !== undefined) await transport.terminateSession().catch(() => undefined);
  await client.close().catch(() => undefined);
}
