// Streamable HTTP mode: stateless (a fresh MCP server per request), GET /healthz, Host and Origin
// checks against DNS rebinding, loopback unless told otherwise. Every request brings its own
// Atlassian credentials; a request without them is refused, never served with the operator's.
// Behind those guards one SDK handler serves both MCP eras: 2026-07-28 requests (per-request
// envelope, MCP-Protocol-Version/Mcp-Method/Mcp-Name headers) and 2025 ones (stateless fallback).
// With `--auth oauth` a PersonAccess (the team server) replaces the header contract: it serves its
// own routes first and decides on the MCP route who calls and which sites serve them.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createMcpHandler, type McpRequestContext } from '@modelcontextprotocol/server';
import type { HttpClientOptions } from '../atlassian/http';
import { isCloudId } from '../atlassian/ids';
import type { Logger } from '../core/logger';
import { credentialSecrets, SecretRedactor } from '../core/redact';
import type { AuditSink } from './audit';
import type { BridgeConfig } from './config';
import {
  allowedHostHeaders,
  GuardError,
  hardenServer,
  overConnectionLimit,
  readMessage,
  UPLOAD_BODY_BYTES,
} from './httpGuards';
import {
  credentialDirectory,
  personDirectory,
  staticCredentials,
  type PersonSites,
  type RequestCredentials,
} from './directories';
import type { SiteDirectory } from './sites';
import { createBridgeServer } from './server';
import type { ToolDef } from './tooling';

/** Read-only probe routes of the access layer: they answer whatever the Host (a kubelet names the pod's IP). */
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** SIGTERM closes the listener once no MCP request has arrived for this long (or the grace period ends). */
const DRAIN_QUIET_MS = 1000;
const DRAIN_POLL_MS = 50;
export interface HttpBridge {
  readonly url: string;
  close(): Promise<void>;
  /** SIGTERM: not ready, stop accepting, let in-flight requests finish (at most `graceMs`), then close. */
  shutdown(graceMs: number): Promise<void>;
}

/**
 * What a signed-in caller gets on the MCP route. The bridge builds the sites from it, so the errors
 * tools see are its own classes whichever bundle the access layer came from.
 */
export interface PersonGrant extends PersonSites {
  /** The fetch this person's upstream requests go through (the team's fair share). */
  readonly fetch: typeof fetch;
  /** Told how each tool call ended (metrics). */
  onToolCall(tool: string, seconds: number, error?: unknown): void;
  /** Who this is (the account id), named in the audit log. */
  readonly person?: string;
}

interface Caller {
  readonly directory: SiteDirectory;
  /** Knows this caller's credentials: every tool result passes it. */
  readonly redactor: SecretRedactor;
  readonly onToolCall?: PersonGrant['onToolCall'];
  readonly person?: string;
}

/** Per-person sign-in in front of the MCP route (the team server, `--auth oauth`). */
export interface PersonAccess {
  /** Hosts of the public URL, accepted like MCP_ALLOWED_HOSTS. */
  readonly publicHosts: readonly string[];
  /** Serves the access layer's own routes (OAuth, probes, metrics); false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The caller's grant, or undefined once it has answered (401 with the sign-in challenge). */
  authorize(req: IncomingMessage, res: ServerResponse): Promise<PersonGrant | undefined>;
  /** Shutdown began: report not ready. */
  drain(): void;
  close(): Promise<void>;
}

export async function startHttpBridge(
  config: BridgeConfig,
  version: string,
  http: HttpClientOptions,
  logger: Logger,
  options: {
    readonly tools?: readonly ToolDef[];
    readonly access?: PersonAccess;
    readonly redactor?: SecretRedactor;
    readonly audit?: AuditSink;
  } = {},
): Promise<HttpBridge> {
  const { access } = options;
  // Filled once the port is known; until then every Host is refused.
  let allowedHosts: ReadonlySet<string> = new Set<string>();

  // The request's own credentials reach the per-request server through the SDK's pass-through authInfo.
  const mcp = createMcpHandler(
    (context: McpRequestContext) =>
      createBridgeServer(version, {
        config,
        directory: context.authInfo?.extra?.directory as SiteDirectory,
        tools: options.tools,
        redactor: context.authInfo?.extra?.redactor as SecretRedactor,
        onInternalError: (tool, err) => logger.error('%s failed: %s', tool, err),
        onToolCall: context.authInfo?.extra?.onToolCall as Caller['onToolCall'],
        audit: options.audit,
        person: context.authInfo?.extra?.person as string | undefined,
      }),
    { maxRequestBodySize: UPLOAD_BODY_BYTES, onerror: (err) => logger.debug('MCP: %s', err.message) },
  );

  // MCP requests being served; SIGTERM waits for them.
  let inFlight = 0;
  let draining = false;
  let lastArrival = 0;
  const server = createServer((req, res) => {
    if (draining) res.setHeader('Connection', 'close');
    handle(req, res).catch((err: unknown) => {
      logger.error('HTTP request failed: %s', err);
      if (!res.headersSent) json(res, 500, { error: 'Internal error' });
      else res.destroy();
    });
  });

  hardenServer(server);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const probe = req.method === 'GET' && PROBE_PATHS.has((req.url ?? '/').split('?')[0]!);
    if (access && probe && (await access.handle(req, res))) return;
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(host))
      return json(res, 403, {
        error: `Host "${host}" is not allowed (DNS rebinding protection; see MCP_ALLOWED_HOSTS).`,
      });
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin))
      return json(res, 403, { error: `Origin "${origin}" is not allowed (see MCP_ALLOWED_ORIGINS).` });

    if (access && (await access.handle(req, res))) return;
    const path = (req.url ?? '/').split('?')[0]!.replace(/(.)\/+$/, '$1');
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return json(res, 200, { status: 'ok' });
    if (path !== config.path) return json(res, 404, { error: 'Not found' });
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return json(res, 405, {
        jsonrpc: '2.0',
        error: { code: -32000, message: 'Method not allowed: this server is stateless; POST JSON-RPC messages.' },
        id: null,
      });
    }

    // MCP requests only: the balancer's health checks keep coming while it stops sending these.
    lastArrival = Date.now();
    if (draining) {
      // A request that reached this replica after SIGTERM (before the load balancer saw /readyz): another one serves the retry.
      res.setHeader('Retry-After', '1');
      return json(res, 503, { error: 'Shutting down: retry the request.' });
    }
    if (overConnectionLimit(req)) {
      res.setHeader('Retry-After', '1');
      res.setHeader('Connection', 'close');
      return json(res, 503, { error: 'Server busy: too many open connections; retry the request.' });
    }
    inFlight++;
    try {
      await serveMcp(req, res);
    } finally {
      inFlight--;
    }
  }

  async function serveMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const caller = access ? await personCaller(req, res, access) : headerCaller(req, res);
    if (!caller) return;

    let body: unknown;
    try {
      body = await readMessage(req);
    } catch (err) {
      if (!(err instanceof GuardError)) throw err;
      res.setHeader('Connection', 'close');
      return json(res, err.status, { jsonrpc: '2.0', error: { code: err.code, message: err.message }, id: null });
    }

    const abort = new AbortController();
    // Aborts only a request whose client went away before its answer (an abort builds an error with a stack).
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const answer = await mcp.fetch(webRequest(req, abort.signal), {
      parsedBody: body,
      authInfo: {
        token: '',
        clientId: 'request',
        scopes: [],
        extra: {
          directory: caller.directory,
          onToolCall: caller.onToolCall,
          redactor: caller.redactor,
          person: caller.person,
        },
      },
    });
    await sendWeb(res, answer);
  }

  /** The team server's sign-in: the person's allowed sites with their own tokens, or its 401 challenge. */
  async function personCaller(
    req: IncomingMessage,
    res: ServerResponse,
    layer: PersonAccess,
  ): Promise<Caller | undefined> {
    const grant = await layer.authorize(req, res);
    if (!grant) return undefined;
    const directory = personDirectory(config.apiBaseUrl, grant, { ...http, fetch: grant.fetch });
    return {
      directory,
      redactor: new SecretRedactor(options.redactor),
      onToolCall: (tool, seconds, error) => grant.onToolCall(tool, seconds, error),
      person: grant.person,
    };
  }

  /** The header contract: the request's own Atlassian credentials, or a 401 saying what to send. */
  function headerCaller(req: IncomingMessage, res: ServerResponse): Caller | undefined {
    // Per-request secrets are never logged (the logger's patterns also catch Authorization values), so they are not collected.
    const credentials = requestCredentials(req, config);
    if ('error' in credentials) return void json(res, 401, { error: credentials.error });
    const directory = credentialDirectory(
      config,
      credentials.value,
      http,
      'Send Atlassian credentials with the request (see the README).',
    );
    // What a site echoes of this caller's credentials never reaches the model (tool results pass it).
    const redactor = new SecretRedactor(options.redactor);
    for (const secret of credentialSecrets(req.headers.authorization ?? '')) redactor.add(secret);
    return { directory, redactor };
  }

  function originAllowed(origin: string): boolean {
    if (config.allowedOrigins.includes(origin)) return true;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && allowedHosts.has(url.host.toLowerCase());
    } catch {
      return false;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = allowedHostHeaders(config.host, port, [...config.allowedHosts, ...(access?.publicHosts ?? [])]);
  const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host;
  const close = async () => {
    await new Promise<void>((resolve) => {
      void mcp.close();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await access?.close();
  };
  return {
    url: `http://${shownHost}:${port}${config.path}`,
    close,
    async shutdown(graceMs) {
      // Still listening while calls finish: probes answer (/readyz 503), new MCP requests get 503 (a
      // load balancer retries them elsewhere). Closing only once nothing has arrived for a moment: a
      // request the balancer sent before its next health check would otherwise meet a closed socket.
      draining = true;
      access?.drain();
      if (inFlight > 0) logger.info('Shutting down: waiting for %d request(s) in flight.', inFlight);
      const deadline = Date.now() + graceMs;
      while (Date.now() < deadline && (inFlight > 0 || Date.now() - lastArrival < DRAIN_QUIET_MS))
        await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      await close();
    },
  };
}

/**
 * The header contract of mcp-atlassian: `Bearer <token>` + `X-Atlassian-Cloud-Id` (OAuth),
 * `Token <PAT>` (Data Center), `Basic base64(email:api_token)`. A Bearer token without a cloud id
 * is a PAT when Jira/Confluence URLs are configured, else an OAuth token for every site it reaches.
 */
function requestCredentials(
  req: IncomingMessage,
  config: BridgeConfig,
): { value: RequestCredentials } | { error: string } {
  const header = req.headers.authorization?.trim();
  if (!header)
    return {
      error:
        'Authentication required: no Atlassian credentials were provided. Send Authorization: Bearer <token> with X-Atlassian-Cloud-Id, Token <PAT>, or Basic <base64 email:api_token>.',
    };
  const match = /^(Bearer|Token|Basic)\s+(\S+)$/.exec(header);
  if (!match)
    return { error: "Only 'Bearer <OAuthToken>', 'Token <PAT>', or 'Basic <base64>' Authorization is supported." };
  const [, scheme, secret] = match as unknown as [string, string, string];
  const cloudId = headerValue(req, 'x-atlassian-cloud-id');
  // The cloud id becomes a gateway path segment: only a UUID may get there.
  if (cloudId && !isCloudId(cloudId)) return { error: 'X-Atlassian-Cloud-Id must be a cloud id (a UUID).' };
  const hasUrls = !!(config.jira || config.confluence);
  const urlCredentials = (authorization: string): RequestCredentials => {
    const credentials = staticCredentials(authorization);
    return { jira: config.jira ? credentials : undefined, confluence: config.confluence ? credentials : undefined };
  };
  if (scheme === 'Bearer' && (cloudId || config.oauth?.cloudIds.length || !hasUrls)) {
    return {
      value: { oauth: { accessToken: secret, cloudIds: cloudId ? [cloudId] : (config.oauth?.cloudIds ?? []) } },
    };
  }
  if (!hasUrls)
    return {
      error:
        'This server has no JIRA_URL or CONFLUENCE_URL configured, so Token and Basic credentials have nowhere to go. Use Bearer <OAuth token> with X-Atlassian-Cloud-Id.',
    };
  if (scheme === 'Basic') {
    const decoded = Buffer.from(secret, 'base64').toString('utf8');
    if (!decoded.includes(':')) return { error: 'Basic credentials must be base64 of email:api_token.' };
    return { value: urlCredentials(`Basic ${secret}`) };
  }
  return { value: urlCredentials(`Bearer ${secret}`) };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text?.trim() || undefined;
}

/** The request as the SDK's fetch-shaped handler takes it; the body is already read (and bounded). */
function webRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    signal,
  });
}

async function sendWeb(res: ServerResponse, answer: Response): Promise<void> {
  const headers = Object.fromEntries(answer.headers);
  if (!answer.body) {
    res.writeHead(answer.status, headers);
    return void res.end();
  }
  // A JSON answer (every 2026-07-28 result) is complete when the SDK hands it over: one write with
  // its length beats streaming it through a web-to-Node pipe in chunks (bench: modern_call_ms).
  // Event streams (2025 requests, which may carry notifications before the result) stay streamed.
  if (!/^text\/event-stream\b/i.test(answer.headers.get('content-type') ?? '')) {
    const body = Buffer.from(await answer.arrayBuffer());
    delete headers['transfer-encoding'];
    res.writeHead(answer.status, { ...headers, 'content-length': String(body.length) });
    return void res.end(body);
  }
  res.writeHead(answer.status, headers);
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(answer.body as WebReadableStream<Uint8Array>)
      .on('error', reject)
      .pipe(res)
      .on('finish', resolve)
      .on('close', resolve);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
