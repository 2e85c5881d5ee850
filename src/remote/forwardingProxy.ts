// The local forwarding endpoint for remote MCP servers. VS Code freezes an HTTP server definition's
// headers for the life of the connection, and answers a 401 by starting its own OAuth discovery
// against the server. So VS Code never gets a token: its definition points at
// http://127.0.0.1:PORT/r/<name>/ with the route's secret in a header (VS Code caches definitions on
// disk and writes server URLs to its logs, never request headers), and this proxy adds a fresh Authorization and
// X-Atlassian-Cloud-Id to every request it forwards, refreshing once on a 401, and streams the
// answers (SSE included) straight back.
import * as l10n from '@vscode/l10n';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Agent as HttpAgent, createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../core/logger';
import { credentialSecrets, SecretRedactor } from '../core/redact';
import { remoteConfigProblem } from './config';
import type { RemoteServerConfig } from './config';
import { readErrorBody } from './errorBody';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers';
import type { Credentials } from './headers';
import type * as Probe from './probe';
import { decideRedirect, REDIRECT_STATUSES } from './redirects';

export type { RemoteServerConfig } from './config';

export type RemoteAuthorization =
  | {
      readonly status: 'ok';
      readonly authorization: string;
      /** Required for Atlassian Cloud connections. */ readonly cloudId?: string;
    }
  | { readonly status: 'needsReconnect'; readonly message: string };

/** Implemented by the extension with its token store; asked on every forwarded request. */
export interface RemoteCredentials {
  /**
   * The Authorization value (e.g. `Bearer …`) and cloud id for the remote's connection. With
   * `rejected`, the server just answered 401 to that value: refresh rather than return it again.
   */
  authorization(remote: RemoteServerConfig, options: { readonly rejected?: string }): Promise<RemoteAuthorization>;
}

export interface ForwardingProxyOptions {
  readonly logger?: Logger;
  /** Largest request body accepted (it is buffered for a replay after a 401); default 16 MiB. */
  readonly maxBodyBytes?: number;
  /** TCP + TLS connect to the remote server; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** From sending a request to the remote's response headers (a long tool call); default 5 min. No limit applies once a response streams. */
  readonly responseTimeoutMs?: number;
  /** Extra trusted CA certificates, for self-hosted servers behind a private CA. */
  readonly ca?: SecureContextOptions['ca'];
  /** Per MCP request of `probe()`; default 20 s. */
  readonly probeTimeoutMs?: number;
  /** Reported as the probe client's version. */
  readonly clientVersion?: string;
}

/** Carries a route's secret in VS Code's definitions; never forwarded upstream. */
export const ROUTE_KEY_HEADER = 'x-atlassian-bridge-route-key';

export type RouteResult =
  | {
      readonly id: string;
      /** The route with its secret in the path: for this process only, never to be written anywhere. */
      readonly url: string;
      /** What VS Code gets: a URL without the secret (safe in its caches and logs), and the header that holds it. */
      readonly definition: { readonly url: string; readonly headers: Readonly<Record<string, string>> };
    }
  | { readonly id: string; readonly error: string };

export interface RedirectRecord {
  readonly status: number;
  readonly from: string;
  readonly to: string;
  readonly followed: boolean;
  /** What the user should change (or why the redirect was refused). */
  readonly message: string;
}

/** What the connection-health view shows for a remote; never contains a token or the route secret. */
export interface ProbeReport {
  readonly remoteId: string;
  readonly label: string;
  readonly url: string;
  /** https to the remote (plain http is only ever allowed on loopback). */
  readonly secure: boolean;
  /** The remote answered at least one HTTP request. */
  readonly reachable: boolean;
  readonly redirects: readonly RedirectRecord[];
  readonly server?: { readonly name: string; readonly version: string };
  readonly protocolVersion?: string;
  /** `modern`: answered server/discover (2026-07-28); `legacy`: only the initialize handshake. */
  readonly era?: 'modern' | 'legacy';
  readonly supportedVersions?: readonly string[];
  /** Whether the 2025 initialize handshake works: VS Code's only way in today. */
  readonly legacyHandshake?: boolean;
  /** Why the 2025 handshake failed, redacted. */
  readonly legacyError?: string;
  readonly toolCount?: number;
  readonly latencyMs: { readonly initialize?: number; readonly listTools?: number };
  readonly error?: string;
}

/** Why the proxy answered instead of the remote; `data.reason` in the error body. */
export type ProxyFailure =
  | 'forbidden'
  | 'notFound'
  | 'bodyTooLarge'
  | 'needsReconnect'
  | 'credentialsUnavailable'
  | 'unauthorized'
  | 'upstreamForbidden'
  | 'redirectRefused'
  | 'upstreamUnreachable'
  | 'upstreamTimeout';

const MIB = 1024 * 1024;
const MAX_REDIRECTS = 5;
const MAX_ERROR_SNIPPET = 2048;
const ROUTE = /^\/r\/([A-Za-z0-9_-]{1,128})\/?$/;

/** What a probe route records, so the report can say what happened on the wire. */
interface Observer {
  readonly redirects: RedirectRecord[];
  reachable: boolean;
  readonly redactor: SecretRedactor;
}

interface Route {
  readonly secret: string;
  /** Names the route in the path of the header form; not a secret. */
  readonly name: string;
  readonly digest: Buffer;
  remote: RemoteServerConfig;
  upstream: URL;
  readonly observer?: Observer;
}

class ForwardError extends Error {
  constructor(
    readonly status: number,
    readonly reason: ProxyFailure,
    message: string,
  ) {
    super(message);
  }
}

class ClientGone extends Error {}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function newRoute(remote: RemoteServerConfig, observer?: Observer): Route {
  const secret = randomBytes(32).toString('base64url');
  const name = randomBytes(9).toString('base64url');
  return { secret, name, digest: digest(secret), remote, upstream: new URL(remote.url), observer };
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    if (url.protocol === 'vscode-webview:' || url.protocol === 'vscode-file:') return true;
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
    );
  } catch {
    return false;
  }
}

/** The JSON-RPC id of a single request in `body`, so an error answer pairs with it. */
function jsonRpcId(body: Buffer): string | number | null {
  try {
    const id = (JSON.parse(body.toString('utf8')) as { id?: unknown } | null)?.id;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

/** The request body, or undefined when it exceeds `max`. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > max) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

async function readSnippet(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    if (text.length >= MAX_ERROR_SNIPPET) {
      res.destroy();
      break;
    }
  }
  return text.slice(0, MAX_ERROR_SNIPPET).trim();
}

function describeNetworkError(err: Error & { code?: string }, url: URL): string {
  const code = err.code ?? '';
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code)) {
    return l10n.t({
      message: 'The TLS connection to {0} failed ({1}): {2}',
      args: [url.origin, code, err.message],
      comment: ["{1}: Node's error code, e.g. CERT_HAS_EXPIRED; {2}: Node's error message"],
    });
  }
  return l10n.t('Could not reach the MCP server at {0}: {1}', url.href, err.message);
}

export class ForwardingProxy {
  private readonly routes = new Map<string, Route>();
  private readonly probes = new Set<Route>();
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent: HttpsAgent;
  private readonly maxBodyBytes: number;
  private readonly connectTimeoutMs: number;
  private readonly responseTimeoutMs: number;
  private server: Server | undefined;
  private listening: Promise<number> | undefined;
  private allowedHosts = new Set<string>();
  private inFlight = 0;
  private closed = false;

  constructor(
    private readonly credentials: RemoteCredentials,
    private readonly options: ForwardingProxyOptions = {},
  ) {
    this.httpsAgent = new HttpsAgent({ keepAlive: true, ca: options.ca });
    this.maxBodyBytes = options.maxBodyBytes ?? 16 * MIB;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.responseTimeoutMs = options.responseTimeoutMs ?? 5 * 60_000;
  }

  /** Upstream requests currently open (waiting for or streaming a response). */
  get activeForwards(): number {
    return this.inFlight;
  }

  /**
   * Replaces the set of remotes, starting the listener on first use. An id keeps its route URL for
   * the proxy's lifetime, so VS Code's definitions stay stable while their settings change.
   */
  async configure(remotes: readonly RemoteServerConfig[]): Promise<RouteResult[]> {
    if (this.closed) throw new Error(l10n.t('The forwarding proxy is closed.'));
    const port = await this.listen();
    const results: RouteResult[] = [];
    const kept = new Set<string>();
    for (const remote of remotes) {
      const problem = remoteConfigProblem(remote);
      if (problem !== undefined || kept.has(remote.id)) {
        results.push({
          id: remote.id,
          error: problem ?? l10n.t('Remote MCP server id "{0}" is used twice.', remote.id),
        });
        continue;
      }
      kept.add(remote.id);
      const existing = this.routes.get(remote.id);
      if (existing) {
        // Same URL: keep a permanent redirect the route has learnt.
        if (existing.remote.url !== remote.url) existing.upstream = new URL(remote.url);
        existing.remote = remote;
      } else {
        this.routes.set(remote.id, newRoute(remote));
      }
      const route = this.routes.get(remote.id)!;
      results.push({
        id: remote.id,
        url: this.routeUrl(port, route),
        definition: { url: `http://127.0.0.1:${port}/r/${route.name}/`, headers: { [ROUTE_KEY_HEADER]: route.secret } },
      });
    }
    for (const id of [...this.routes.keys()]) if (!kept.has(id)) this.routes.delete(id);
    return results;
  }

  /** The URL VS Code should use for a configured remote. */
  async urlFor(remoteId: string): Promise<string | undefined> {
    const route = this.routes.get(remoteId);
    return route && this.routeUrl(await this.listen(), route);
  }

  /**
   * Connects to a remote through a private route of its own (so VS Code's traffic does not blur
   * what is seen), initializes, lists tools and reports, with every secret redacted.
   */
  async probe(remoteId: string): Promise<ProbeReport> {
    const configured = this.routes.get(remoteId);
    if (!configured) throw new Error(l10n.t('No remote MCP server with id "{0}" is configured.', remoteId));
    const observer: Observer = { redirects: [], reachable: false, redactor: new SecretRedactor() };
    const route = newRoute(configured.remote, observer);
    observer.redactor.add(route.secret);
    this.probes.add(route);
    try {
      // Loaded only here: the MCP SDK client is most of the extension's code and most people never
      // probe a remote (esbuild.js ships it as a separate file, so activation does not pay for it).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { probeMcp } = require('./probe') as typeof Probe;
      const result = await probeMcp(
        new URL(this.routeUrl(await this.listen(), route)),
        this.options.probeTimeoutMs ?? 20_000,
        this.options.clientVersion ?? '0.0.0',
      );
      const redact = (text: string) => observer.redactor.redact(text);
      return {
        remoteId,
        label: route.remote.label,
        url: route.upstream.href,
        secure: route.upstream.protocol === 'https:',
        reachable: observer.reachable,
        redirects: observer.redirects.map((r) => ({ ...r, message: redact(r.message) })),
        server: result.server && { name: redact(result.server.name), version: redact(result.server.version) },
        protocolVersion: result.protocolVersion,
        era: result.era,
        supportedVersions: result.supportedVersions,
        legacyHandshake: result.legacyHandshake,
        legacyError: result.legacyError === undefined ? undefined : redact(result.legacyError),
        toolCount: result.toolCount,
        latencyMs: result.latencyMs,
        error: result.error === undefined ? undefined : redact(result.error),
      };
    } finally {
      this.probes.delete(route);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.routes.clear();
    this.probes.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private routeUrl(port: number, route: Route): string {
    return `http://127.0.0.1:${port}/r/${route.secret}/`;
  }

  private listen(): Promise<number> {
    this.listening ??= new Promise<number>((resolve, reject) => {
      const server = createServer((req, res) => {
        this.handle(req, res).catch((err: unknown) => {
          this.options.logger?.error('Forwarding proxy request failed: %s', err);
          res.destroy();
        });
      });
      this.server = server;
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        server.on('error', (err) => this.options.logger?.error('Forwarding proxy: %s', err));
        const { port } = server.address() as AddressInfo;
        this.allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
        resolve(port);
      });
    });
    return this.listening;
  }

  /**
   * The route whose secret the request carries: in the route-key header (then the path names the
   * route), or as the path itself. Compared in constant time per route.
   */
  private findRoute(path: string, key: string | string[] | undefined): Route | undefined {
    const segment = ROUTE.exec(path)?.[1];
    if (segment === undefined || Array.isArray(key)) return undefined;
    const candidate = digest(key ?? segment);
    let found: Route | undefined;
    for (const route of [...this.routes.values(), ...this.probes])
      if (timingSafeEqual(candidate, route.digest) && (key === undefined || route.name === segment)) found = route;
    return found;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Loopback alone is not enough: a web page can reach 127.0.0.1 through DNS rebinding (wrong
    // Host) or a cross-site request (foreign Origin). VS Code's Node fetch sends no Origin.
    if (!this.allowedHosts.has((req.headers.host ?? '').toLowerCase()))
      return this.fail(
        res,
        403,
        'forbidden',
        l10n.t('This endpoint only answers requests addressed to 127.0.0.1 or localhost.'),
      );
    const origin = req.headers.origin;
    if (origin !== undefined && !isLoopbackOrigin(origin))
      return this.fail(res, 403, 'forbidden', l10n.t('Origin "{0}" is not allowed.', origin));
    const route = this.findRoute((req.url ?? '/').split('?')[0]!, req.headers[ROUTE_KEY_HEADER]);
    if (!route)
      return this.fail(
        res,
        404,
        'notFound',
        l10n.t('Unknown route. Restart the MCP server from VS Code so it picks up the current address.'),
      );

    const client = new AbortController();
    res.once('close', () => client.abort(new ClientGone()));
    let id: string | number | null = null;
    // This request's credentials and the route's secret: no error text sent back or logged holds them.
    const secrets = new SecretRedactor(route.observer?.redactor);
    secrets.add(route.secret);
    try {
      const body = await readBody(req, this.maxBodyBytes);
      if (body === undefined) {
        res.once('finish', () => req.destroy());
        return this.fail(
          res,
          413,
          'bodyTooLarge',
          l10n.t('The request body exceeds {0} bytes.', this.maxBodyBytes),
          null,
          { connection: 'close' },
        );
      }
      id = jsonRpcId(body);
      const upstream = await this.exchangeWithRefresh(route, req, body, secrets, client.signal);
      if ((upstream.statusCode ?? 0) >= 400 && !/event-stream/.test(upstream.headers['content-type'] ?? ''))
        return await this.relayError(upstream, res, secrets);
      res.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, clientResponseHeaders(upstream.headers));
      // Headers go out now, so an SSE stream is seen as open before its first event.
      res.flushHeaders();
      await pipeline(upstream, res);
    } catch (err) {
      if (client.signal.aborted) return; // VS Code went away; the upstream request is already aborted.
      if (err instanceof ForwardError)
        return this.fail(res, err.status, err.reason, secrets.redactKnown(err.message), id, {}, route);
      this.options.logger?.error(
        'Forwarding to %s failed: %s',
        route.upstream.origin,
        secrets.redactKnown(err instanceof Error ? (err.stack ?? err.message) : String(err)),
      );
      if (res.headersSent) res.destroy();
      else
        this.fail(
          res,
          502,
          'upstreamUnreachable',
          secrets.redactKnown(
            l10n.t(
              'Forwarding to {0} failed: {1}',
              route.upstream.href,
              err instanceof Error ? err.message : String(err),
            ),
          ),
          id,
          {},
          route,
        );
    }
  }

  /**
   * A remote's own error answer, read (bounded), decompressed and relayed without the credentials
   * of this request: a server may echo the Authorization it was sent.
   */
  private async relayError(upstream: IncomingMessage, res: ServerResponse, secrets: SecretRedactor): Promise<void> {
    const text = secrets.redactKnown((await readErrorBody(upstream)) ?? '');
    const headers = clientResponseHeaders(upstream.headers);
    delete headers['content-encoding'];
    delete headers['content-length'];
    res.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, {
      ...headers,
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  /**
   * Why these answers are 5xx with a JSON-RPC error body: VS Code answers a 401 or 403 by running
   * OAuth discovery against the server (and a dynamic client registration prompt that can never
   * work here), and answers a 4xx to its first POST by falling back to the legacy SSE transport.
   * A 5xx makes it show our message as the server's error, which tells the user what to do.
   */
  private fail(
    res: ServerResponse,
    status: number,
    reason: ProxyFailure,
    message: string,
    id: string | number | null = null,
    headers: OutgoingHttpHeaders = {},
    route?: Route,
  ): void {
    if (route && reason !== 'notFound')
      this.options.logger?.warn('Remote MCP server "%s": %s', route.remote.label, message);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const text = JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32000, message, data: { reason } } });
    res.writeHead(status, {
      ...headers,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private async credentialsFor(route: Route, secrets: SecretRedactor, rejected?: string): Promise<Credentials> {
    let answer: RemoteAuthorization;
    try {
      answer = await this.credentials.authorization(route.remote, rejected === undefined ? {} : { rejected });
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new ForwardError(
        503,
        'credentialsUnavailable',
        l10n.t('Could not get Atlassian credentials for "{0}": {1}', route.remote.label, detail),
      );
    }
    if (answer.status === 'needsReconnect') {
      const why = answer.message.trim().replace(/([^.!?])$/, '$1.');
      throw new ForwardError(
        503,
        'needsReconnect',
        l10n.t({
          message:
            '"{0}" needs you to sign in again: {1} Reconnect with "Connect Atlassian", then restart this MCP server.',
          args: [route.remote.label, why],
          comment: ['{0}: the name of an MCP server; {1}: why, a full sentence. "Connect Atlassian" is a command.'],
        }),
      );
    }
    for (const secret of credentialSecrets(answer.authorization)) {
      secrets.add(secret);
      route.observer?.redactor.add(secret);
    }
    return { authorization: answer.authorization, cloudId: answer.cloudId };
  }

  /** One exchange, and on a 401 one more with refreshed credentials; a second 401 ends here. */
  private async exchangeWithRefresh(
    route: Route,
    req: IncomingMessage,
    body: Buffer,
    secrets: SecretRedactor,
    signal: AbortSignal,
  ): Promise<IncomingMessage> {
    const first = await this.credentialsFor(route, secrets);
    let upstream = await this.exchange(route, req, body, first, signal);
    if (upstream.statusCode === 401) {
      upstream.resume();
      const refreshed = await this.credentialsFor(route, secrets, first.authorization);
      upstream = await this.exchange(route, req, body, refreshed, signal);
      if (upstream.statusCode === 401) {
        upstream.resume();
        throw new ForwardError(
          503,
          'unauthorized',
          l10n.t(
            'The MCP server at {0} rejected freshly refreshed Atlassian credentials (HTTP 401). Reconnect with "Connect Atlassian" (and check that this connection may use the server), then restart this MCP server.',
            route.upstream.href,
          ),
        );
      }
    }
    if (upstream.statusCode === 403) {
      const detail = await readSnippet(upstream);
      throw new ForwardError(
        502,
        'upstreamForbidden',
        detail
          ? l10n.t('The MCP server at {0} refused the request (HTTP 403): {1}', route.upstream.href, detail)
          : l10n.t('The MCP server at {0} refused the request (HTTP 403).', route.upstream.href),
      );
    }
    return upstream;
  }

  /** Sends the request, following only the redirects `decideRedirect` allows. */
  private async exchange(
    route: Route,
    req: IncomingMessage,
    body: Buffer,
    credentials: Credentials,
    signal: AbortSignal,
  ): Promise<IncomingMessage> {
    const originalMethod = req.method ?? 'GET';
    let url = route.upstream;
    let method = originalMethod;
    for (let hop = 0; ; hop++) {
      const payload = method === originalMethod ? body : Buffer.alloc(0);
      const headers = upstreamRequestHeaders(req.headers, route.remote.headers ?? {}, credentials, payload.length);
      const upstream = await this.send(url, method, headers, payload, signal);
      if (route.observer) route.observer.reachable = true;
      const status = upstream.statusCode ?? 0;
      if (!REDIRECT_STATUSES.has(status)) return upstream;
      upstream.resume();
      const decision = decideRedirect(status, method, url, upstream.headers.location);
      const to = decision.follow ? decision.url.href : String(upstream.headers.location ?? '');
      this.observeRedirect(route, {
        status,
        from: url.href,
        to,
        followed: decision.follow,
        message: decision.follow ? decision.note : decision.message,
      });
      if (!decision.follow) throw new ForwardError(502, 'redirectRefused', decision.message);
      if (hop + 1 >= MAX_REDIRECTS)
        throw new ForwardError(
          502,
          'redirectRefused',
          l10n.t('The MCP server at {0} redirected more than {1} times.', route.upstream.href, MAX_REDIRECTS),
        );
      this.options.logger?.debug('Remote MCP server "%s": %s', route.remote.label, decision.note);
      // A permanent redirect that keeps the method: later requests of this route go straight there
      // (until its URL setting changes); the health view still reports it so the URL gets fixed.
      if (status === 308 && url.href === route.upstream.href) route.upstream = decision.url;
      url = decision.url;
      method = decision.method;
    }
  }

  /** Each distinct redirect once: every request of a session meets the same one. */
  private observeRedirect(route: Route, record: RedirectRecord): void {
    const seen = route.observer?.redirects;
    if (seen && !seen.some((r) => r.status === record.status && r.from === record.from && r.to === record.to))
      seen.push(record);
  }

  /** One upstream request; resolves with the response headers, the body still to stream. */
  private send(
    url: URL,
    method: string,
    headers: OutgoingHttpHeaders,
    body: Buffer,
    signal: AbortSignal,
  ): Promise<IncomingMessage> {
    if (signal.aborted) return Promise.reject(new ClientGone());
    const secure = url.protocol === 'https:';
    const request = (secure ? httpsRequest : httpRequest)(url, {
      method,
      headers,
      agent: secure ? this.httpsAgent : this.httpAgent,
      signal,
    });
    this.inFlight++;
    request.once('close', () => this.inFlight--);
    return new Promise<IncomingMessage>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      const clear = () => timers.forEach(clearTimeout);
      const giveUp = (message: string) => request.destroy(new ForwardError(504, 'upstreamTimeout', message));
      timers.push(
        setTimeout(
          () =>
            giveUp(
              l10n.t('The MCP server at {0} did not answer within {1} s.', url.href, this.responseTimeoutMs / 1000),
            ),
          this.responseTimeoutMs,
        ),
      );
      request.once('socket', (socket) => {
        if (!socket.connecting) return; // a kept-alive connection
        const timer = setTimeout(
          () => giveUp(l10n.t('Could not connect to {0} within {1} s.', url.origin, this.connectTimeoutMs / 1000)),
          this.connectTimeoutMs,
        );
        timers.push(timer);
        socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(timer));
      });
      request.once('response', (response) => {
        clear();
        resolve(response);
      });
      request.once('error', (err: Error & { code?: string }) => {
        clear();
        if (err instanceof ForwardError) reject(err);
        else if (signal.aborted) reject(new ClientGone());
        else reject(new ForwardError(502, 'upstreamUnreachable', describeNetworkError(err, url)));
      });
      request.end(body.length > 0 ? body : undefined);
    });
  }
}
