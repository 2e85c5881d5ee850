// The credentials channel between the extension host and the bridge it launches: what travels over
// it. The bridge never sees a refresh token or client secret, only short-lived Authorization values.

/** Environment variables the extension sets when it launches the bridge. */
export const CHANNEL_URL_ENV = 'ATLASSIAN_MCP_BRIDGE_CHANNEL_URL';
export const CHANNEL_SECRET_ENV = 'ATLASSIAN_MCP_BRIDGE_CHANNEL_SECRET';
/**
 * For a bridge started from an mcp.json entry (editors without the MCP provider API): the path of a
 * file only the user can read, holding the channel's address and secret (channelFile.ts). The bridge
 * reads it again for every request, so a reloaded window's new channel is found.
 */
export const CHANNEL_FILE_ENV = 'ATLASSIAN_MCP_BRIDGE_CHANNEL_FILE';

export const CONNECTIONS_PATH = '/v1/connections';
export const AUTHORIZATION_PATH = '/v1/authorization';

export type ConnectionFlavour = 'cloud' | 'datacenter';
export type AuthScheme = 'oauth' | 'basic' | 'pat';

/** One signed-in site as the bridge sees it. */
export interface ChannelConnection {
  /** Stable id the bridge sends back when asking for credentials. */
  readonly id: string;
  /** Short name agents can pass as `site` (e.g. "acme"). */
  readonly name: string;
  /** The site's own URL (browse links), e.g. https://acme.atlassian.net. */
  readonly url: string;
  readonly cloudId?: string;
  readonly flavour: ConnectionFlavour;
  /** REST base for Jira (the site URL, or the OAuth gateway's /ex/jira/{cloudId}); absent when Jira is not available. */
  readonly jiraBaseUrl?: string;
  /** REST base for Confluence, ending in /wiki on Cloud; absent when Confluence is not available. */
  readonly confluenceBaseUrl?: string;
  readonly authScheme: AuthScheme;
  /** The connection tools use when no `site` is given and several are connected. */
  readonly isDefault?: boolean;
}

/** `GET /v1/connections` → 200 */
export interface ConnectionsResponse {
  readonly connections: readonly ChannelConnection[];
}

/** `POST /v1/authorization` body. */
export interface AuthorizationRequest {
  readonly connectionId: string;
  /** The Authorization value Atlassian just rejected with 401: the extension refreshes instead of returning it again. */
  readonly rejected?: string;
}

/** `POST /v1/authorization` → 200 (404 `{"error":"unknownConnection"}` for an unknown id). */
export type AuthorizationResponse =
  | {
      readonly status: 'ok';
      readonly authorization: string;
      /** epoch ms after which the value should not be reused */ readonly expiresAt?: number;
    }
  | { readonly status: 'needsReconnect'; readonly message: string };
