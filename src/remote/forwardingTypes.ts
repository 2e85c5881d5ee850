// What the forwarding endpoint for remote MCP servers (forwardingProxy.ts) takes and reports. Its own
// module so the extension can hold these types without loading the proxy (dist/forwardingProxy.js).
import type { SecureContextOptions } from 'node:tls';
import type { Logger } from '../core/logger';
import type { RemoteServerConfig } from './config';
import type { McpProbeResult } from './probe';

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

/**
 * What the connection-health view shows for a remote; never contains a token or the route secret: the
 * MCP probe's findings (its `error` and `legacyError` redacted) and what the HTTP requests showed.
 */
export interface ProbeReport extends McpProbeResult {
  readonly remoteId: string;
  readonly label: string;
  readonly url: string;
  /** https to the remote (plain http is only ever allowed on loopback). */
  readonly secure: boolean;
  /** The remote answered at least one HTTP request. */
  readonly reachable: boolean;
  readonly redirects: readonly RedirectRecord[];
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
