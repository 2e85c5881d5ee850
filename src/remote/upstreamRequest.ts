// The forwarding endpoint's requests to a remote MCP server: each bounded by the connect and response
// timeouts, following only the redirects decideRedirect allows, and the errors they can end in (each
// answered to VS Code as a 5xx).
import * as l10n from '@vscode/l10n';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { Logger } from '../core/logger';
import type { SecretRedactor } from '../core/redact';
import { readErrorBody } from './errorBody';
import type { Route } from './forwardingRoutes';
import type { ProxyFailure, RedirectRecord } from './forwardingTypes';
import { clientResponseHeaders, upstreamRequestHeaders, type Credentials } from './headers';
import { decideRedirect, REDIRECT_STATUSES } from './redirects';

const MAX_ERROR_SNIPPET = 2048;
const MAX_REDIRECTS = 5;

export class ForwardError extends Error {
  constructor(
    readonly status: number,
    readonly reason: ProxyFailure,
    message: string,
  ) {
    super(message);
  }
}

export class ClientGone extends Error {}

/** The start of an error answer, for a message. */
export async function readSnippet(res: IncomingMessage): Promise<string> {
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

/**
 * A remote's own error answer, read (bounded), decompressed and relayed without the credentials
 * of this request: a server may echo the Authorization it was sent.
 */
export async function relayError(
  upstream: IncomingMessage,
  res: ServerResponse,
  secrets: SecretRedactor,
): Promise<void> {
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

export interface UpstreamOptions {
  readonly logger?: Logger;
  readonly ca?: SecureContextOptions['ca'];
  readonly connectTimeoutMs: number;
  readonly responseTimeoutMs: number;
}

/** Kept-alive connections to the remotes, and how many requests are open on them. */
export class UpstreamClient {
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent: HttpsAgent;
  private inFlight = 0;

  constructor(private readonly options: UpstreamOptions) {
    this.httpsAgent = new HttpsAgent({ keepAlive: true, ca: options.ca });
  }

  /** Upstream requests currently open (waiting for or streaming a response). */
  get active(): number {
    return this.inFlight;
  }

  /** One upstream request; resolves with the response headers, the body still to stream. */
  send(
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
              l10n.t(
                'The MCP server at {0} did not answer within {1} s.',
                url.href,
                this.options.responseTimeoutMs / 1000,
              ),
            ),
          this.options.responseTimeoutMs,
        ),
      );
      request.once('socket', (socket) => {
        if (!socket.connecting) return; // a kept-alive connection
        const timer = setTimeout(
          () =>
            giveUp(l10n.t('Could not connect to {0} within {1} s.', url.origin, this.options.connectTimeoutMs / 1000)),
          this.options.connectTimeoutMs,
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

  /** Sends the request, following only the redirects `decideRedirect` allows. */
  async exchange(
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
  destroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
