// The forwarding endpoint's routes (one per remote, plus a private one per probe) and what it reads
// of VS Code's requests before forwarding them.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { SecretRedactor } from '../core/redact';
import type { RemoteServerConfig } from './config';
import type { ProxyFailure, RedirectRecord } from './forwardingTypes';

/** A route's path: /r/<secret>/, or /r/<name>/ with the secret in the route-key header. */
export const ROUTE = /^\/r\/([A-Za-z0-9_-]{1,128})\/?$/;

/** What a probe route records, so the report can say what happened on the wire. */
export interface Observer {
  readonly redirects: RedirectRecord[];
  reachable: boolean;
  readonly redactor: SecretRedactor;
}

export interface Route {
  readonly secret: string;
  /** Names the route in the path of the header form; not a secret. */
  readonly name: string;
  readonly digest: Buffer;
  remote: RemoteServerConfig;
  upstream: URL;
  readonly observer?: Observer;
}

export function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function newRoute(remote: RemoteServerConfig, observer?: Observer): Route {
  const secret = randomBytes(32).toString('base64url');
  const name = randomBytes(9).toString('base64url');
  return { secret, name, digest: digest(secret), remote, upstream: new URL(remote.url), observer };
}

export function isLoopbackOrigin(origin: string): boolean {
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
export function jsonRpcId(body: Buffer): string | number | null {
  try {
    const id = (JSON.parse(body.toString('utf8')) as { id?: unknown } | null)?.id;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

/** The request body, or undefined when it exceeds `max`. */
export async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
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

/**
 * The endpoint's own answer, instead of the remote's. Why these are 5xx with a JSON-RPC error body:
 * VS Code answers a 401 or 403 by running OAuth discovery against the server (and a dynamic client
 * registration prompt that can never work here), and answers a 4xx to its first POST by falling back
 * to the legacy SSE transport. A 5xx makes it show our message as the server's error, which tells the
 * user what to do.
 */
export function answerError(
  res: ServerResponse,
  status: number,
  reason: ProxyFailure,
  message: string,
  id: string | number | null,
  headers: OutgoingHttpHeaders,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32000, message, data: { reason } } });
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
