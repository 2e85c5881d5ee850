// What a chat document's URI resolves to: the connection its site names, then the issue or page read
// from Atlassian and rendered to Markdown. Loaded on first use (dist/chatRender.js), so activation
// does not carry the Markdown converters. Editor-free.
import { ConfluenceApi } from '../../atlassian/confluence';
import { ConfluenceDcApi } from '../../atlassian/confluenceDc';
import { AtlassianHttpClient, type Credentials, type HttpClientOptions } from '../../atlassian/http';
import type { JiraApi } from '../../atlassian/jira';
import type { ConnectionInfo } from '../../auth/connections';
import { siteSegment, type ChatDocumentRef } from './chatDocument';
import { issueMarkdown, loadIssueForChat } from './issueMarkdown';
import { loadPageForChat, pageMarkdown } from './pageMarkdown';

export interface ChatRenderDependencies {
  readonly connections: () => readonly ConnectionInfo[];
  readonly defaultConnectionId: () => string | undefined;
  readonly jira: (connection: ConnectionInfo) => JiraApi;
  readonly credentials: (connectionId: string) => Credentials;
  readonly http: HttpClientOptions;
}

/** Thrown when no connection is signed in to the site a URI names. */
export class NoConnectionError extends Error {
  constructor(readonly site: string) {
    super(`No connection is signed in to ${site}.`);
  }
}

/** The connections a URI's site can mean (a Data Center Confluence may live on a host of its own); the default first. */
export function connectionsForSite(
  site: string,
  connections: readonly ConnectionInfo[],
  defaultId?: string,
): ConnectionInfo[] {
  const hostOf = (url: string) => {
    try {
      return siteSegment(url);
    } catch {
      return undefined;
    }
  };
  const matches = connections.filter(
    (c) => hostOf(c.siteUrl) === site || (c.flavour === 'datacenter' && hostOf(c.confluenceBaseUrl) === site),
  );
  return matches.sort((a, b) => Number(b.id === defaultId) - Number(a.id === defaultId));
}

export async function renderChatDocument(
  ref: ChatDocumentRef,
  deps: ChatRenderDependencies,
  signal?: AbortSignal,
): Promise<{ readonly markdown: string; readonly connection: ConnectionInfo }> {
  const connection = connectionsForSite(ref.site, deps.connections(), deps.defaultConnectionId())[0];
  if (!connection) throw new NoConnectionError(ref.site);
  if (ref.kind === 'issue') {
    const issue = await loadIssueForChat(deps.jira(connection), ref.key, connection, signal);
    return { markdown: issueMarkdown(issue), connection };
  }
  const http = new AtlassianHttpClient(connection.confluenceBaseUrl, deps.credentials(connection.id), {
    retry: { maxRetries: 2, maxRetryAfterMs: 5_000 },
    ...deps.http,
  });
  const cloud = connection.flavour === 'cloud';
  const api = cloud ? new ConfluenceApi(http) : new ConfluenceDcApi(http);
  const webBase = cloud ? `${connection.siteUrl.replace(/\/+$/, '')}/wiki` : connection.confluenceBaseUrl;
  const page = await loadPageForChat(api, ref.id, { siteName: connection.siteName, webBase }, signal);
  return { markdown: await pageMarkdown(page), connection };
}
