// Answers the bridge's credential requests from the connection store: which sites exist, and a
// current Authorization value for one of them (refreshed after a 401). Refresh tokens and client
// secrets never leave the extension host; only short-lived header values do.
import { AtlassianError } from '../atlassian/errors';
import type { AuthorizationResponse, ChannelConnection, CredentialBroker } from '../credentials/channelServer';
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
        if (err instanceof AtlassianError && err.kind === 'needsReconnect') return { status: 'needsReconnect', message: err.message };
        throw err;
      }
    },
  };
}

/** Connections as the bridge sees them, each with a short unique name agents can pass as `site`. */
export function channelConnections(list: readonly ConnectionInfo[], defaultId: string | undefined): ChannelConnection[] {
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
