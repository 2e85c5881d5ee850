// The bridge's end of the credentials channel (inside VS Code): it lists the signed-in sites and
// fetches a short-lived Authorization value per connection, on demand and again after a 401. It
// never holds a refresh token. "Needs reconnect" becomes an error tools report as such. The channel's
// address and secret are fixed (from the environment) or read before each request (a channel file).
import { AtlassianError } from '../atlassian/errors';
import type { Credentials } from '../atlassian/http';
import type { ChannelEndpoint } from '../credentials/channelFile';
import {
  AUTHORIZATION_PATH,
  CONNECTIONS_PATH,
  type AuthorizationResponse,
  type ChannelConnection,
  type ConnectionsResponse,
} from '../credentials/protocol';

/** Reuse a value until shortly before the extension says it expires. */
const EXPIRY_MARGIN_MS = 60_000;
const CHANNEL_TIMEOUT_MS = 15_000;

export class ChannelClient {
  private readonly endpoint: () => Promise<ChannelEndpoint>;
  /** The channel's host:port as last read, for errors. */
  private host = 'VS Code';

  constructor(
    endpoint: ChannelEndpoint | (() => Promise<ChannelEndpoint>),
    private readonly onSecret: (value: string) => void = () => {},
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.endpoint = typeof endpoint === 'function' ? endpoint : () => Promise.resolve(endpoint);
  }

  async connections(signal?: AbortSignal): Promise<readonly ChannelConnection[]> {
    const body = await this.call<ConnectionsResponse>('GET', CONNECTIONS_PATH, undefined, signal);
    return Array.isArray(body.connections) ? (body.connections as ChannelConnection[]) : [];
  }

  /** Credentials for one connection, implementing the http client's contract. */
  credentials(connection: ChannelConnection): Credentials {
    let cached: { value: string; expiresAt: number } | undefined;
    let pending: Promise<string> | undefined;
    const fetchValue = async (rejected: string | undefined, signal?: AbortSignal): Promise<string> => {
      const answer = await this.call<AuthorizationResponse>(
        'POST',
        AUTHORIZATION_PATH,
        { connectionId: connection.id, rejected },
        signal,
      );
      if (answer.status === 'needsReconnect') {
        cached = undefined;
        throw new AtlassianError(
          `${answer.message || `The sign-in for ${connection.name} has expired.`} Run "Connect Atlassian" in VS Code to sign in to ${connection.name} again.`,
          {
            kind: 'needsReconnect',
            host: hostOf(connection),
          },
        );
      }
      if (answer.status !== 'ok' || typeof answer.authorization !== 'string')
        throw this.protocolError('an authorization answer', this.host);
      this.onSecret(answer.authorization);
      cached = { value: answer.authorization, expiresAt: answer.expiresAt ?? Number.POSITIVE_INFINITY };
      return answer.authorization;
    };
    return {
      authorization: (signal) => {
        if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > Date.now()) return Promise.resolve(cached.value);
        // Concurrent tool calls share one round trip.
        pending ??= fetchValue(undefined, signal).finally(() => (pending = undefined));
        return pending;
      },
      renew: async (rejected, signal) => {
        cached = undefined;
        const fresh = await fetchValue(rejected, signal);
        return fresh !== rejected;
      },
    };
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    let endpoint: ChannelEndpoint;
    try {
      endpoint = await this.endpoint();
    } catch (err) {
      throw new AtlassianError(err instanceof Error ? err.message : String(err), {
        kind: 'network',
        host: 'VS Code',
        cause: err,
      });
    }
    const host = new URL(endpoint.url).host;
    this.host = host;
    const timeout = AbortSignal.timeout(CHANNEL_TIMEOUT_MS);
    let response: Response;
    try {
      response = await this.fetchImpl(endpoint.url + path, {
        method,
        headers: {
          Authorization: `Bearer ${endpoint.secret}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      throw new AtlassianError(
        'The bridge lost its connection to VS Code (the credentials channel did not answer). Restart the MCP server from VS Code.',
        {
          kind: 'network',
          host,
          cause: err,
        },
      );
    }
    if (response.status === 404 && path === AUTHORIZATION_PATH) {
      throw new AtlassianError(
        'This connection was removed in VS Code. Call atlassian_list_sites to see what is connected now.',
        { kind: 'needsReconnect', host },
      );
    }
    if (!response.ok) {
      throw new AtlassianError(
        `The VS Code credentials channel refused the request (${response.status}). Restart the MCP server from VS Code.`,
        {
          kind: response.status === 401 ? 'unauthorized' : 'server',
          host,
          status: response.status,
        },
      );
    }
    try {
      return (await response.json()) as T;
    } catch {
      throw this.protocolError('JSON', host);
    }
  }

  private protocolError(expected: string, host: string): AtlassianError {
    return new AtlassianError(`The VS Code credentials channel sent something other than ${expected}.`, {
      kind: 'server',
      host,
    });
  }
}

function hostOf(connection: ChannelConnection): string {
  try {
    return new URL(connection.url).host;
  } catch {
    return connection.name;
  }
}
