// The local forwarding endpoint for remote MCP servers. VS Code freezes an HTTP server definition's
// headers for the life of the connection, and answers a 401 by starting its own OAuth discovery
// against the server. So VS Code never gets a token: its definition points at
// http://127.0.0.1:PORT/r/<name>/ with the route's secret in a header (VS Code caches definitions on
// disk and writes server URLs to its logs, never request headers), and this proxy adds a fresh Authorization and
// X-Atlassian-Cloud-Id to every request it forwards, refreshing once on a 401, and streams the
// answers (SSE included) straight back.
import * as l10n from '@vscode/l10n';
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { credentialSecrets, SecretRedactor } from '../core/redact';
import { remoteConfigProblem } from './config';
import type { RemoteServerConfig } from './config';
import {
  ROUTE_KEY_HEADER,
  type ForwardingProxyOptions,
  type ProbeReport,
  type ProxyFailure,
  type RemoteAuthorization,
  type RemoteCredentials,
  type RouteResult,
} from './forwardingTypes';
import {
  answerError,
  digest,
  isLoopbackOrigin,
  jsonRpcId,
  newRoute,
  readBody,
  ROUTE,
  type Observer,
  type Route,
} from './forwardingRoutes';
import { clientResponseHeaders } from './headers';
import type { Credentials } from './headers';
import type * as Probe from './probe';
import { ClientGone, ForwardError, readSnippet, relayError, UpstreamClient } from './upstreamRequest';

export * from './forwardingTypes';

const MIB = 1024 * 1024;

export class ForwardingProxy {
  private readonly routes = new Map<string, Route>();
  private readonly probes = new Set<Route>();
  private readonly upstream: UpstreamClient;
  private readonly maxBodyBytes: number;
  private server: Server | undefined;
  private listening: Promise<number> | undefined;
  private allowedHosts = new Set<string>();
  private closed = false;

  constructor(
    private readonly credentials: RemoteCredentials,
    private readonly options: ForwardingProxyOptions = {},
  ) {
    this.upstream = new UpstreamClient({
      ca: options.ca,
      logger: options.logger,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      responseTimeoutMs: options.responseTimeoutMs ?? 5 * 60_000,
    });
    this.maxBodyBytes = options.maxBodyBytes ?? 16 * MIB;
  }

  /** Upstream requests currently open (waiting for or streaming a response). */
  get activeForwards(): number {
    return this.upstream.active;
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
    this.upstream.destroy();
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
        return await relayError(upstream, res, secrets);
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

  /** Answers in the remote's place (answerError), logging why when it concerns a configured remote. */
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
    answerError(res, status, reason, message, id, headers);
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
    let upstream = await this.upstream.exchange(route, req, body, first, signal);
    if (upstream.statusCode === 401) {
      upstream.resume();
      const refreshed = await this.credentialsFor(route, secrets, first.authorization);
      upstream = await this.upstream.exchange(route, req, body, refreshed, signal);
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
}
