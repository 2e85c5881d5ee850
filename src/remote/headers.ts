// Which headers cross the proxy. Node's IncomingMessage already folds a header sent twice in two
// casings into one lowercase entry; on top of that the proxy drops the client's own credentials,
// whatever their case, and sets exactly one of each from the connection.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1 connection-specific headers, plus proxy credentials meant for us, not upstream. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

const DROPPED_FROM_CLIENT = new Set([
  ...HOP_BY_HOP,
  // Set from the connection on every request; a client value (stale token, wrong site) never passes.
  'authorization',
  'x-atlassian-cloud-id',
  // The forwarding endpoint's own route secret (ROUTE_KEY_HEADER): meant for us, never for the remote.
  'x-atlassian-bridge-route-key',
  // Node sets Host for the upstream URL and Content-Length for the buffered body.
  'host',
  'content-length',
  // The body is already buffered, so there is nothing to continue.
  'expect',
  // Our loopback origin means nothing upstream and makes servers with Origin checks refuse the request.
  'origin',
  'referer',
]);

// The answer to a client we never let start its own OAuth (see forwardingProxy.ts).
const DROPPED_FROM_UPSTREAM = new Set([...HOP_BY_HOP, 'www-authenticate']);

export interface Credentials {
  readonly authorization: string;
  readonly cloudId?: string;
}

function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  const list = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    list
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * The headers for one upstream request: the client's (Accept and Content-Type untouched), then the
 * configured extras replacing same-named ones, then exactly one Authorization and at most one
 * X-Atlassian-Cloud-Id. Keys are lowercase, so no name can appear twice.
 */
export function upstreamRequestHeaders(
  client: IncomingHttpHeaders,
  extras: Readonly<Record<string, string>>,
  credentials: Credentials,
  bodyLength: number,
): OutgoingHttpHeaders {
  const listed = connectionListed(client);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(client)) {
    if (value === undefined || DROPPED_FROM_CLIENT.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  for (const [name, value] of Object.entries(extras)) out[name.toLowerCase()] = value;
  out.authorization = credentials.authorization;
  if (credentials.cloudId) out['x-atlassian-cloud-id'] = credentials.cloudId;
  if (bodyLength > 0 || client['content-length'] !== undefined) out['content-length'] = String(bodyLength);
  return out;
}

/** Upstream response headers as the client gets them: no hop-by-hop headers, no auth challenge. */
export function clientResponseHeaders(upstream: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = connectionListed(upstream);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || DROPPED_FROM_UPSTREAM.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}
