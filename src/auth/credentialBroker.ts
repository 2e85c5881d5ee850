// Answers the bridge's credential requests from the connection store: which sites exist, and a
// current Authorization value for one of them (refreshed after a 401). Refresh tokens and client
// secrets never leave the extension host; only short-lived header values do.
import { AtlassianError } from '../atlassian/errors';
import type { AuthorizationResponse, ChannelConnection, CredentialBroker } from '../credentials/channelServer';
import type { RemoteAuthorization, RemoteCredentials, RemoteServerConfig } from '../remote/forwardingProxy';
import type { ConnectionInfo, ConnectionManager } from './connections';

export function createCredentialBroker(connections: ConnectionManager): CredentialBroker {
  return {
    connections: () => channelConnections(connections.list(), connections.defaultConnection()?.id),
    async authorization(connectionId: string, rejected?: string): Promise<AuthorizationResponse | undefined> {
      const info = connections.get(connectionId);
      if (!info) return undefined;
      try {
        const credentials = connections.credentials(connectionId);
        if (rejected && credentials.renew) await credentials.renew(rejected);
        const authorization = await credentials.authorization();
        // Read after the call: a refresh it triggered has updated the expiry.
        const expiresAt = connections.get(connectionId)?.expiresAt;
        return expiresAt ? { status: 'ok', authorization, expiresAt } : { status: 'ok', authorization };
      } catch (err) {
        if (err instanceof AtlassianError && err.kind === 'needsReconnect')
          return { status: 'needsReconnect', message: err.message };
        throw err;
      }
    },
  };
}

/** Fresh credentials for each request the forwarding endpoint sends to a remote MCP server. */
export function createRemoteCredentials(connections: ConnectionManager): RemoteCredentials {
  const broker = createCredentialBroker(connections);
  return {
    async authorization(
      remote: RemoteServerConfig,
      options: { readonly rejected?: string },
    ): Promise<RemoteAuthorization> {
      const answer = await broker.authorization(remote.connectionId, options.rejected);
      if (!answer)
        return {
          status: 'needsReconnect',
          message: `The connection for "${remote.label}" no longer exists. Run "Connect Atlassian".`,
        };
      if (answer.status !== 'ok') return answer;
      const info = connections.get(remote.connectionId);
      // mcp-atlassian's header contract reads `Bearer` as an OAuth token and `Token` as a personal access token.
      const authorization =
        info?.method === 'pat' ? answer.authorization.replace(/^Bearer /, 'Token ') : answer.authorization;
      return info?.cloudId ? { status: 'ok', authorization, cloudId: info.cloudId } : { status: 'ok', authorization };
    },
  };
}

/** Connections as the bridge sees them, each with a short unique name agents can pass as `site`. */
export function channelConnections(
  list: readonly ConnectionInfo[],
  defaultId: string | undefined,
): ChannelConnection[] {
  const taken = new Set<string>();
  return list.map((c) => {
    let name = shortSiteName(c.siteUrl);
    if (taken.has(name)) name = `${name}-${c.method.toLowerCase()}`;
    for (let i = 2; taken.has(name); i++) name = `${shortSiteName(c.siteUrl)}-${i}`;
    taken.add(name);
    return {
      id: c.id,
      name,
      url: c.siteUrl,
      ...(c.cloudId ? { cloudId: c.cloudId } : {}),
      flavour: c.flavour,
      jiraBaseUrl: c.jiraBaseUrl,
      confluenceBaseUrl: c.confluenceBaseUrl,
      authScheme: c.method === 'apiToken' ? 'basic' : c.method,
      isDefault: c.id === defaultId,
    };
  });
}

/** `acme` for https://acme.atlassian.net, the last path segment for a site below a path (…/sites/acme, …/jira). */
export function shortSiteName(siteUrl: string): string {
  const url = new URL(siteUrl);
  const segment = url.pathname.split('/').filter(Boolean).pop();
  return (segment ?? url.hostname.split('.')[0] ?? url.hostname).toLowerCase();
}
