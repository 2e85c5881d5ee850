// Test doubles for the forwarding proxy: a real streamable-HTTP MCP server (the SDK's McpServer)
// standing in for a self-hosted mcp-atlassian, which records every request's raw headers and
// checks Authorization + X-Atlassian-Cloud-Id against the sandbox's token store on each request;
// a credentials provider that mints sandbox tokens; the clients VS Code would be; and the measures
// the back-pressure tests share.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
// The upstream stands in for today's mcp-atlassian: a sessionful 2025-only server on SDK v1.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { RemoteAuthorization, RemoteCredentials, RemoteServerConfig } from '../../../src/remote/forwardingProxy';
import type { Sandbox } from '../../sandbox/index';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly rawHeaders: readonly string[];
}

/** How many times `name` appears in the raw request, whatever its case. */
export function headerCount(request: RecordedRequest, name: string): number {
  return request.rawHeaders.filter((value, i) => i % 2 === 0 && value.toLowerCase() === name.toLowerCase()).length;
}

export function headerValue(request: RecordedRequest, name: string): string | undefined {
  const i = request.rawHeaders.findIndex((value, j) => j % 2 === 0 && value.toLowerCase() === name.toLowerCase());
  return i < 0 ? undefined : request.rawHeaders[i + 1];
}

export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Upstream {
  readonly origin: string;
  readonly server: Server;
  /** Every request, in arrival order, before any handling. */
  readonly requests: RecordedRequest[];
  /** Handlers by exact path, tried before the MCP endpoint. */
  readonly routes: Map<string, RawHandler>;
  /** Requests the MCP endpoint refused with 401 (expired or unknown token). */
  unauthorized: number;
  /** The `stream_progress` tool waits on this after its first progress notification. */
  progressGate: Promise<void>;
  close(): Promise<void>;
}

export interface UpstreamOptions {
  /** Serves MCP at this path, checking tokens against the sandbox; omit for a recorder only. */
  readonly mcp?: { readonly sandbox: Sandbox; readonly path: string };
  readonly tls?: { readonly key: string; readonly cert: string };
}

async function tokenCheck(
  sandbox: Sandbox,
  headers: IncomingHttpHeaders,
): Promise<'ok' | 'unauthorized' | 'badCloudId'> {
  const authorization = headers.authorization;
  if (!authorization) return 'unauthorized';
  const res = await fetch(`${sandbox.url}/api/oauth/token/accessible-resources`, { headers: { authorization } });
  if (res.status === 401) return 'unauthorized';
  const sites = (await res.json()) as { id: string }[];
  return sites.some((site) => site.id === headers['x-atlassian-cloud-id']) ? 'ok' : 'badCloudId';
}

function mcpServer(sandbox: Sandbox, upstream: Upstream): McpServer {
  const server = new McpServer({ name: 'test-mcp-atlassian', version: '9.8.7' });
  server.registerTool('whoami', { description: 'Who the token belongs to' }, async (extra) => {
    const headers = extra.requestInfo?.headers ?? {};
    const me = await fetch(`${sandbox.url}/api/me`, { headers: { authorization: String(headers.authorization) } });
    const profile = (await me.json()) as { name?: string };
    return {
      content: [{ type: 'text', text: `${profile.name ?? '?'} on ${String(headers['x-atlassian-cloud-id'])}` }],
    };
  });
  server.registerTool(
    'stream_progress',
    { description: 'Reports progress, then waits for the test' },
    async (extra) => {
      const progressToken = extra._meta?.progressToken;
      if (progressToken !== undefined)
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress: 1, total: 2, message: 'first' },
        });
      await upstream.progressGate;
      return { content: [{ type: 'text', text: 'done' }] };
    },
  );
  return server;
}

export async function startUpstream(options: UpstreamOptions = {}): Promise<Upstream> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    upstream.requests.push({ method: req.method ?? '', path, rawHeaders: [...req.rawHeaders] });
    const raw = upstream.routes.get(path);
    if (raw) return raw(req, res);
    if (!options.mcp || path !== options.mcp.path) return void res.writeHead(404).end();
    void serveMcp(options.mcp.sandbox, req, res).catch(() => res.destroy());
  };
  const serveMcp = async (sandbox: Sandbox, req: IncomingMessage, res: ServerResponse) => {
    const check = await tokenCheck(sandbox, req.headers);
    if (check === 'unauthorized') {
      upstream.unauthorized++;
      res
        .writeHead(401, { 'www-authenticate': 'Bearer realm="test"', 'content-type': 'application/json' })
        .end('{"error":"invalid_token"}');
      return;
    }
    if (check === 'badCloudId')
      return void res
        .writeHead(400, { 'content-type': 'application/json' })
        .end('{"error":"X-Atlassian-Cloud-Id missing or wrong"}');
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId !== undefined) return void res.writeHead(404).end();
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (id) => void sessions.set(id, created),
      });
      created.onclose = () => void (created.sessionId && sessions.delete(created.sessionId));
      await mcpServer(sandbox, upstream).connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res);
  };
  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : createHttpServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const upstream: Upstream = {
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    server,
    requests: [],
    routes: new Map(),
    unauthorized: 0,
    progressGate: Promise.resolve(),
    close: async () => {
      for (const transport of sessions.values()) await transport.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return upstream;
}

/** The extension's side, reduced: one current token per connection, refreshed only when rejected. */
export class SandboxCredentials implements RemoteCredentials {
  readonly calls: { remoteId: string; rejected?: string }[] = [];
  readonly issued: string[] = [];
  needsReconnect = false;
  private current: string | undefined;

  constructor(
    private readonly sandbox: Sandbox,
    readonly cloudId: string,
  ) {}

  async authorization(remote: RemoteServerConfig, options: { rejected?: string }): Promise<RemoteAuthorization> {
    this.calls.push({ remoteId: remote.id, rejected: options.rejected });
    if (this.needsReconnect)
      return { status: 'needsReconnect', message: 'The Atlassian session ended (refresh token revoked)' };
    if (this.current === undefined || options.rejected === this.current) {
      const token = this.sandbox.tokens.issue().access_token;
      this.issued.push(token);
      this.current = `Bearer ${token}`;
    }
    return { status: 'ok', authorization: this.current, cloudId: this.cloudId };
  }

  get refreshes(): number {
    return this.calls.filter((call) => call.rejected !== undefined).length;
  }
}

export interface ConnectedClient {
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
  /** Every HTTP status the client saw. */
  readonly statuses: number[];
  close(): Promise<void>;
}

/** The MCP SDK client over streamable HTTP, as VS Code's client would talk to the route. */
export async function connectClient(url: string, headers: Record<string, string> = {}): Promise<ConnectedClient> {
  const statuses: number[] = [];
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { 'user-agent': 'Visual Studio Code/1.139.1', ...headers } },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      return response;
    },
  });
  const client = new Client({ name: 'vscode-like', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    transport,
    statuses,
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** One plain HTTP request; `headers` as a flat [name, value, …] list may repeat names. */
export function raw(
  url: string,
  options: { method?: string; headers?: OutgoingHttpHeaders | string[]; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 7,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/**
 * What the kernel alone may hold on one loopback TCP connection: the largest send buffer plus the
 * largest receive buffer it autotunes to (Linux reads them from /proc; elsewhere a generous guess).
 * Under load a receiver's buffer grows towards tcp_rmem's maximum (32 MiB on some machines), so
 * the bytes in flight depend on the machine, not on the endpoint.
 */
export function kernelBytesPerConnection(): number {
  const largest = (file: string) => Number(readFileSync(file, 'utf8').trim().split(/\s+/)[2]);
  try {
    return largest('/proc/sys/net/ipv4/tcp_wmem') + largest('/proc/sys/net/ipv4/tcp_rmem');
  } catch {
    return 40 * 1024 * 1024;
  }
}

/** Waits until `read()` stops changing: the only sign that back-pressure has stalled a stream. */
export async function settled(read: () => number | Promise<number>): Promise<number> {
  let last = -1;
  for (let stable = 0; stable < 5;) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = await read();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}
