// The three ways to connect, as editor-agnostic flows: each validates what the user gave against
// Atlassian and returns the connection's metadata and its secret, ready for ConnectionManager.add.
// The editor adapter supplies prompts, the browser and progress.
import * as l10n from '@vscode/l10n';
import { AtlassianError } from '../atlassian/errors';
import { AtlassianHttpClient } from '../atlassian/http';
import type { ConnectionInfo } from './connections';
import { listenForCallback, CallbackError, type CallbackPages } from './loopback';
import { AtlassianOAuthClient, type AccessibleResource, type OAuthApp, type OAuthEndpoints } from './oauthClient';
import type { StoredCredential } from './secrets';

export interface SignInResult {
  readonly info: ConnectionInfo;
  readonly credential: StoredCredential;
}

export interface OAuthSignInOptions {
  readonly endpoints: OAuthEndpoints;
  readonly app: OAuthApp;
  readonly clientSecret: string;
  /** Opens the authorization page in the user's browser; false when it could not. */
  openBrowser(url: string): Promise<boolean>;
  /** Asked only when the grant reaches more than one site; undefined = the user cancelled. */
  pickSite(sites: readonly AccessibleResource[]): Promise<AccessibleResource | undefined>;
  readonly pages: CallbackPages;
  readonly portSettingName: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** Told when the flow moves past the browser, so progress can say what happens now. */
  readonly onStep?: (message: string) => void;
}

export async function signInWithOAuth(options: OAuthSignInOptions): Promise<SignInResult> {
  const now = options.now ?? Date.now;
  const client = new AtlassianOAuthClient(options.endpoints, options.app, { fetch: options.fetch, now });
  const request = await client.authorizationRequest();
  const pending = await listenForCallback({
    redirectUri: options.app.redirectUri,
    expectedState: request.state,
    timeoutMs: options.timeoutMs ?? 5 * 60_000,
    signal: options.signal,
    pages: options.pages,
    portSettingName: options.portSettingName,
    authorizationOrigin: options.endpoints.authBaseUrl,
  });
  try {
    if (!(await options.openBrowser(request.url)))
      throw new CallbackError('cancelled', l10n.t('The browser could not be opened for sign-in.'));
    const callback = await pending.result;
    options.onStep?.(l10n.t('Signed in; finishing…'));
    const tokens = await client.exchangeCode(callback, request, options.clientSecret);
    const sites = await client.accessibleResources(tokens.accessToken, options.signal);
    if (sites.length === 0)
      throw new Error(
        l10n.t(
          'The sign-in worked, but it grants access to no Atlassian site. Check the scopes of your OAuth app and the sites you chose on the consent page.',
        ),
      );
    const site = sites.length === 1 ? sites[0] : await options.pickSite(sites);
    if (!site) throw new CallbackError('cancelled', l10n.t('No site was chosen.'));

    const apiBase = options.endpoints.apiBaseUrl.replace(/\/+$/, '');
    const jiraBaseUrl = `${apiBase}/ex/jira/${site.id}`;
    const bearer = { authorization: async () => `Bearer ${tokens.accessToken}` };
    const me = await new AtlassianHttpClient(jiraBaseUrl, bearer, { fetch: options.fetch }).request<JiraUser>({
      path: '/rest/api/3/myself',
      signal: options.signal,
    });
    const accountId = me.accountId ?? 'unknown';
    return {
      info: {
        id: `oauth:${site.id}:${accountId}`,
        method: 'oauth',
        flavour: 'cloud',
        siteName: site.name,
        siteUrl: site.url.replace(/\/+$/, ''),
        cloudId: site.id,
        jiraBaseUrl,
        confluenceBaseUrl: `${apiBase}/ex/confluence/${site.id}/wiki`,
        user: { accountId: me.accountId, displayName: me.displayName ?? accountId, email: me.emailAddress },
        scopes: tokens.scopes,
        secretKey: `oauth-grant/${options.app.clientId}/${accountId}`,
        oauth: {
          clientId: options.app.clientId,
          authBaseUrl: options.endpoints.authBaseUrl,
          apiBaseUrl: options.endpoints.apiBaseUrl,
          redirectUri: options.app.redirectUri,
        },
        state: 'connected',
        stateReason: undefined,
        expiresAt: tokens.expiresAt,
        lastRefreshAt: undefined,
        createdAt: now(),
      },
      credential: {
        kind: 'oauth',
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: tokens.expiresAt,
      },
    };
  } finally {
    pending.close();
  }
}

export interface ApiTokenSignInOptions {
  readonly siteUrl: string;
  readonly email: string;
  readonly apiToken: string;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export async function signInWithApiToken(options: ApiTokenSignInOptions): Promise<SignInResult> {
  const siteUrl = normaliseBaseUrl(options.siteUrl);
  const credential: StoredCredential = {
    kind: 'apiToken',
    email: options.email.trim(),
    apiToken: options.apiToken.trim(),
  };
  const basic = `Basic ${Buffer.from(`${credential.email}:${credential.apiToken}`).toString('base64')}`;
  const http = new AtlassianHttpClient(
    siteUrl,
    { authorization: async () => basic },
    { fetch: options.fetch, retry: { maxRetries: 1 } },
  );
  const server = await http.request<ServerInfo>({ path: '/rest/api/3/serverInfo', signal: options.signal });
  if (server.deploymentType !== 'Cloud') {
    throw new AtlassianError(
      l10n.t(
        '{0} is a {1} instance: use "Data Center — personal access token" instead.',
        siteUrl,
        server.deploymentType ?? 'Server',
      ),
      { kind: 'badRequest', host: http.host },
    );
  }
  const me = await http.request<JiraUser>({ path: '/rest/api/3/myself', signal: options.signal });
  const tenant = await http.request<{ cloudId?: string }>({ path: '/_edge/tenant_info', signal: options.signal });
  const accountId = me.accountId ?? credential.email;
  const id = `apiToken:${tenant.cloudId ?? http.host}:${accountId}`;
  return {
    info: {
      id,
      method: 'apiToken',
      flavour: 'cloud',
      siteName: server.serverTitle && server.serverTitle !== 'Jira' ? server.serverTitle : displayHost(siteUrl),
      siteUrl,
      cloudId: tenant.cloudId,
      jiraBaseUrl: siteUrl,
      confluenceBaseUrl: `${siteUrl}/wiki`,
      user: {
        accountId: me.accountId,
        displayName: me.displayName ?? credential.email,
        email: me.emailAddress ?? credential.email,
      },
      ...tokenConnectionDefaults(id, options.now),
    },
    credential,
  };
}

export interface PatSignInOptions {
  readonly baseUrl: string;
  readonly token: string;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export async function signInWithPersonalAccessToken(options: PatSignInOptions): Promise<SignInResult> {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const credential: StoredCredential = { kind: 'pat', token: options.token.trim() };
  const http = new AtlassianHttpClient(
    baseUrl,
    { authorization: async () => `Bearer ${credential.token}` },
    { fetch: options.fetch, retry: { maxRetries: 1 } },
  );
  const server = await http.request<ServerInfo>({ path: '/rest/api/2/serverInfo', signal: options.signal });
  const me = await http.request<JiraUser & { name?: string; key?: string }>({
    path: '/rest/api/2/myself',
    signal: options.signal,
  });
  const userKey = me.key ?? me.name ?? me.accountId ?? 'unknown';
  const id = `pat:${http.host}${new URL(baseUrl).pathname.replace(/\/$/, '')}:${userKey}`;
  return {
    info: {
      id,
      method: 'pat',
      flavour: server.deploymentType === 'Cloud' ? 'cloud' : 'datacenter',
      siteName: server.serverTitle ?? http.host,
      siteUrl: baseUrl,
      cloudId: undefined,
      jiraBaseUrl: baseUrl,
      confluenceBaseUrl: baseUrl,
      user: { accountId: me.accountId ?? me.key, displayName: me.displayName ?? userKey, email: me.emailAddress },
      ...tokenConnectionDefaults(id, options.now),
    },
    credential,
  };
}

/** What API-token and PAT connections share: their own secret entry, no scopes, no expiry. */
function tokenConnectionDefaults(id: string, now: (() => number) | undefined) {
  return {
    scopes: [],
    secretKey: `connection/${id}`,
    oauth: undefined,
    state: 'connected',
    stateReason: undefined,
    expiresAt: undefined,
    lastRefreshAt: undefined,
    createdAt: (now ?? Date.now)(),
  } satisfies Partial<ConnectionInfo>;
}

interface JiraUser {
  readonly accountId?: string;
  readonly displayName?: string;
  readonly emailAddress?: string;
}

interface ServerInfo {
  readonly deploymentType?: string;
  readonly serverTitle?: string;
  readonly baseUrl?: string;
}

/** `acme.atlassian.net`, or host and path for a site below a path. */
function displayHost(url: string): string {
  const u = new URL(url);
  return `${u.host}${u.pathname}`.replace(/\/+$/, '');
}

/** https only, except on this machine (the sandbox, local proxies); no trailing slash. */
export function normaliseBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new Error(l10n.t('"{0}" is not a URL. Enter it like https://your-site.atlassian.net', input));
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(l10n.t('Use an https:// URL (plain http is only accepted on this machine): {0}', url.origin));
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}
