// The Confluence half of a connection's health: one cheap read (a single space) through the same
// sign-in, so a missing Confluence scope or licence shows up right after sign-in, not at the first
// agent call. Data Center connections are Jira servers; their Confluence is another server.
import type { ConnectionInfo } from '../auth/connections';
import { AtlassianHttpClient, type Credentials, type HttpClientOptions } from '../atlassian/http';

export interface ConfluenceCheck {
  /** What is called, for the Connection view ("GET /wiki/api/v2/spaces"). */
  readonly path: string;
  run(signal?: AbortSignal): Promise<unknown>;
}

export function confluenceCheckFactory(
  credentials: (connectionId: string) => Credentials,
  options: HttpClientOptions = {},
): (connection: ConnectionInfo) => ConfluenceCheck | undefined {
  return (connection) => {
    if (connection.flavour !== 'cloud') return undefined;
    const http = new AtlassianHttpClient(connection.confluenceBaseUrl, credentials(connection.id), {
      retry: { maxRetries: 1, maxRetryAfterMs: 5_000 },
      ...options,
    });
    return {
      path: `${new URL(connection.confluenceBaseUrl).pathname.replace(/\/+$/, '')}/api/v2/spaces`,
      run: (signal) =>
        http.request({
          path: '/api/v2/spaces',
          query: { limit: 1 },
          scopes: ['read:confluence-space.summary', 'read:space:confluence'],
          signal,
        }),
    };
  };
}
