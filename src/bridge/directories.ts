// Where sites come from: the VS Code credentials channel, the environment (standalone), or the
// Authorization header of one HTTP request. Each builds the same Site objects.
import { AtlassianHttpClient, type Credentials, type HttpClientOptions } from '../atlassian/http';
import type { Json } from '../atlassian/jira';
import type { ChannelClient } from './credentials';
import type { BridgeConfig, ServiceConfig } from './config';
import { ConfigError } from './config';
import { Site, shortName, siteRoot, type SiteDirectory, type SiteSpec } from './sites';

export function staticCredentials(authorization: string): Credentials {
  return { authorization: () => Promise.resolve(authorization) };
}

export function basicAuthorization(username: string, secret: string): string {
  return `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;
}

/** Sites behind the VS Code credentials channel; the list is re-read when a `site` is not found. */
export function channelDirectory(channel: ChannelClient, http: HttpClientOptions): SiteDirectory {
  let cached: Promise<readonly Site[]> | undefined;
  let loadedAt = 0;
  const load = async (signal?: AbortSignal): Promise<readonly Site[]> => {
    const connections = await channel.connections(signal);
    return connections.map(
      (c) =>
        new Site(
          {
            id: c.id,
            name: c.name,
            url: c.url,
            cloudId: c.cloudId,
            isDefault: c.isDefault,
            flavour: c.flavour,
            jira: c.jiraBaseUrl ? { baseUrl: c.jiraBaseUrl, credentials: channel.credentials(c) } : undefined,
            confluence: c.confluenceBaseUrl
              ? { baseUrl: c.confluenceBaseUrl, credentials: channel.credentials(c) }
              : undefined,
          },
          http,
        ),
    );
  };
  return {
    connectHint: 'Run "Connect Atlassian" in VS Code to sign in.',
    sites(signal) {
      // Sign-ins change while the bridge runs; a short cache keeps calls quick without going stale.
      if (!cached || Date.now() - loadedAt > 30_000) {
        loadedAt = Date.now();
        cached = load(signal);
        cached.catch(() => (cached = undefined));
      }
      return cached;
    },
    refresh() {
      cached = undefined;
    },
  };
}

export interface RequestCredentials {
  /** Credentials for the configured Jira/Confluence URLs (Basic or PAT). */
  readonly jira?: Credentials;
  readonly confluence?: Credentials;
  /** An OAuth access token for the API gateway, with the cloud ids it may use (empty = every accessible site). */
  readonly oauth?: { readonly accessToken: string; readonly cloudIds: readonly string[] };
}

/** Credentials standalone: from JIRA_* / CONFLUENCE_* / ATLASSIAN_OAUTH_* variables. */
export function envCredentials(config: BridgeConfig): RequestCredentials {
  const service = (name: 'JIRA' | 'CONFLUENCE', s: ServiceConfig | undefined): Credentials | undefined => {
    if (!s) return undefined;
    if (s.personalToken) return staticCredentials(`Bearer ${s.personalToken}`);
    if (s.username && s.apiToken) return staticCredentials(basicAuthorization(s.username, s.apiToken));
    if (config.oauth) return undefined;
    throw new ConfigError(
      `${name}_URL is set, but neither ${name}_USERNAME + ${name}_API_TOKEN nor ${name}_PERSONAL_TOKEN is.`,
    );
  };
  return {
    jira: service('JIRA', config.jira),
    confluence: service('CONFLUENCE', config.confluence),
    oauth: config.oauth,
  };
}

/** Sites for a set of credentials: the configured URLs (one site per site root) plus OAuth sites. */
export function credentialDirectory(
  config: BridgeConfig,
  credentials: RequestCredentials,
  http: HttpClientOptions,
  connectHint: string,
): SiteDirectory {
  let cached: Promise<readonly Site[]> | undefined;
  const load = async (signal?: AbortSignal): Promise<readonly Site[]> => {
    const specs: SiteSpec[] = [];
    const jira =
      config.jira && credentials.jira ? { baseUrl: config.jira.url, credentials: credentials.jira } : undefined;
    const confluenceCredentials =
      credentials.confluence ??
      (config.jira && config.confluence && siteRoot(config.jira.url) === siteRoot(config.confluence.url)
        ? credentials.jira
        : undefined);
    const confluence =
      config.confluence && confluenceCredentials
        ? { baseUrl: config.confluence.url, credentials: confluenceCredentials }
        : undefined;
    if (jira && confluence && siteRoot(jira.baseUrl) === siteRoot(confluence.baseUrl)) {
      specs.push({ id: shortName(jira.baseUrl), name: shortName(jira.baseUrl), url: jira.baseUrl, jira, confluence });
    } else {
      if (jira) specs.push({ id: shortName(jira.baseUrl), name: shortName(jira.baseUrl), url: jira.baseUrl, jira });
      if (confluence)
        specs.push({
          id: shortName(confluence.baseUrl),
          name: shortName(confluence.baseUrl),
          url: siteRoot(confluence.baseUrl),
          confluence,
        });
    }
    if (credentials.oauth) specs.push(...(await oauthSites(config.apiBaseUrl, credentials.oauth, http, signal)));
    return specs.map((spec) => new Site(spec, http));
  };
  return {
    connectHint,
    sites(signal) {
      cached ??= load(signal);
      cached.catch(() => (cached = undefined));
      return cached;
    },
  };
}

/** A signed-in person's sites (the team server): only the cloud ids they allowed, with their own refreshing credentials. */
export interface PersonSites {
  readonly cloudIds: readonly string[];
  readonly credentials: Credentials;
  readonly connectHint: string;
}

export function personDirectory(apiBaseUrl: string, person: PersonSites, http: HttpClientOptions): SiteDirectory {
  let cached: Promise<readonly Site[]> | undefined;
  const load = async (signal?: AbortSignal): Promise<readonly Site[]> => {
    // No site allowed means none: an empty list must not widen to every site the grant reaches.
    if (person.cloudIds.length === 0) return [];
    const accessToken = (await person.credentials.authorization(signal)).replace(/^Bearer\s+/i, '');
    const oauth = { accessToken, cloudIds: person.cloudIds };
    const specs = await oauthSites(apiBaseUrl, oauth, http, signal, person.credentials);
    return specs.map((spec) => new Site(spec, http));
  };
  return {
    connectHint: person.connectHint,
    sites(signal) {
      cached ??= load(signal);
      cached.catch(() => (cached = undefined));
      return cached;
    },
  };
}

/** accessible-resources per token for a few minutes: HTTP mode builds sites for every request. */
const resourceCache = new Map<string, { at: number; resources: Promise<Json[]> }>();

function accessibleResources(
  apiBaseUrl: string,
  credentials: Credentials,
  accessToken: string,
  http: HttpClientOptions,
  signal?: AbortSignal,
): Promise<Json[]> {
  const key = `${apiBaseUrl} ${accessToken}`;
  const hit = resourceCache.get(key);
  if (hit && Date.now() - hit.at < 5 * 60_000) return hit.resources;
  for (const [k, v] of resourceCache) if (Date.now() - v.at >= 5 * 60_000) resourceCache.delete(k);
  const resources = new AtlassianHttpClient(apiBaseUrl, credentials, http).request<Json[]>({
    path: '/oauth/token/accessible-resources',
    signal,
  });
  resourceCache.set(key, { at: Date.now(), resources });
  resources.catch(() => resourceCache.delete(key));
  return resources;
}

/**
 * OAuth sites through the API gateway; names and URLs come from accessible-resources when it answers.
 * `credentials` default to the token itself; a person's come from the team server's vault.
 */
async function oauthSites(
  apiBaseUrl: string,
  oauth: NonNullable<RequestCredentials['oauth']>,
  http: HttpClientOptions,
  signal?: AbortSignal,
  credentials: Credentials = staticCredentials(`Bearer ${oauth.accessToken}`),
): Promise<SiteSpec[]> {
  let resources: Json[] = [];
  try {
    resources = await accessibleResources(apiBaseUrl, credentials, oauth.accessToken, http, signal);
  } catch (err) {
    // Without explicit cloud ids there is nothing to go on; with them, names are merely less friendly.
    if (oauth.cloudIds.length === 0) throw err;
  }
  const ids = oauth.cloudIds.length > 0 ? oauth.cloudIds : [...new Set(resources.map((r) => String(r.id)))];
  return ids.map((cloudId) => {
    const resource = resources.find((r) => r.id === cloudId);
    const url = typeof resource?.url === 'string' ? resource.url : '';
    const scopes = resources
      .filter((r) => r.id === cloudId)
      .flatMap((r) => (Array.isArray(r.scopes) ? (r.scopes as string[]) : []));
    // accessible-resources lists a product's scopes per site; without it, offer both and let calls tell.
    const hasJira = !resource || scopes.some((s) => s.includes('jira'));
    const hasConfluence = !resource || scopes.some((s) => s.includes('confluence'));
    const name = url ? shortName(url) : cloudId;
    return {
      id: cloudId,
      name,
      url,
      cloudId,
      flavour: 'cloud' as const,
      jira: hasJira ? { baseUrl: `${apiBaseUrl}/ex/jira/${cloudId}`, credentials } : undefined,
      confluence: hasConfluence ? { baseUrl: `${apiBaseUrl}/ex/confluence/${cloudId}/wiki`, credentials } : undefined,
    };
  });
}
