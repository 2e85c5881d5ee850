// Jira clients for what a person watches happen (the views and their actions): same HTTP path as
// the bridge, but a long Retry-After fails at once, saying when to retry, instead of freezing a view.
import type { ConnectionInfo } from '../auth/connections';
import type { Credentials, HttpClientOptions, RetryPolicy } from './http';
import { AtlassianHttpClient } from './http';
import { JiraApi } from './jira';

const INTERACTIVE_RETRY: Partial<RetryPolicy> = { maxRetries: 2, maxRetryAfterMs: 5_000 };

export function jiraClientFactory(
  credentials: (connectionId: string) => Credentials,
  options: HttpClientOptions = {},
): (connection: ConnectionInfo) => JiraApi {
  return (connection) =>
    new JiraApi(
      new AtlassianHttpClient(connection.jiraBaseUrl, credentials(connection.id), {
        retry: INTERACTIVE_RETRY,
        ...options,
      }),
      connection.flavour,
    );
}
