// The Atlassian sites a call can reach and how to pick one from a tool's `site` argument. Sites
// come from the VS Code credentials channel, from the environment (standalone), or from the
// headers of one HTTP request; tools see the same thing either way.
import { ConfluenceApi } from '../atlassian/confluence';
import { ConfluenceDcApi } from '../atlassian/confluenceDc';
import { AtlassianError } from '../atlassian/errors';
import { AtlassianHttpClient, type Credentials, type HttpClientOptions } from '../atlassian/http';
import { JiraApi, jiraServerInfo, type Flavour, type ServerInfo } from '../atlassian/jira';
import { InputError } from './schema';

export type Product = 'jira' | 'confluence';

export interface SiteSpec {
  readonly id: string;
  readonly name: string;
  /** The site's own URL, for links people open. */
  readonly url: string;
  readonly cloudId?: string;
  readonly isDefault?: boolean;
  /** Known up front (VS Code connections, OAuth); otherwise read from Jira's serverInfo. */
  readonly flavour?: Flavour;
  readonly jira?: { readonly baseUrl: string; readonly credentials: Credentials };
  readonly confluence?: { readonly baseUrl: string; readonly credentials: Credentials };
}

/** serverInfo per Jira base URL, shared by every request of this process; failures are not kept. */
const detected = new Map<string, Promise<ServerInfo>>();

/** Confluence deployment type per Confluence base URL; failures are not kept. */
const confluenceDetected = new Map<string, Promise<Flavour>>();

async function confluenceFlavour(client: AtlassianHttpClient, signal?: AbortSignal): Promise<Flavour> {
  try {
    await client.request({ path: '/api/v2/spaces', query: { limit: 1 }, scopes: ['read:space:confluence'], signal });
    return 'cloud';
  } catch (err) {
    if (err instanceof AtlassianError && err.kind === 'notFound') return 'datacenter';
    throw err;
  }
}

export class Site {
  private jiraApi?: Promise<JiraApi>;
  private confluenceApi?: Promise<ConfluenceApi>;
  private info?: ServerInfo;

  constructor(
    readonly spec: SiteSpec,
    private readonly http: HttpClientOptions,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  has(product: Product): boolean {
    return product === 'jira' ? !!this.spec.jira : !!this.spec.confluence;
  }

  jira(signal?: AbortSignal): Promise<JiraApi> {
    const jira = this.spec.jira;
    if (!jira) return Promise.reject(new InputError(`Site ${this.name} has no Jira.`));
    this.jiraApi ??= (async () => {
      const client = new AtlassianHttpClient(jira.baseUrl, jira.credentials, this.http);
      let flavour = this.spec.flavour;
      if (!flavour) {
        let info = detected.get(jira.baseUrl);
        if (!info) {
          info = jiraServerInfo(client, signal);
          detected.set(jira.baseUrl, info);
          info.catch(() => detected.delete(jira.baseUrl));
        }
        this.info = await info;
        flavour = this.info.flavour;
      }
      return new JiraApi(client, flavour);
    })();
    // A failed detection (wrong token, network) is retried on the next call.
    this.jiraApi.catch(() => (this.jiraApi = undefined));
    return this.jiraApi;
  }

  /**
   * Confluence's own deployment type, learnt from Confluence (never from Jira or the host name):
   * Cloud answers its v2 API (`/api/v2/spaces`), Data Center has none and answers 404 there.
   */
  async confluence(signal?: AbortSignal): Promise<ConfluenceApi> {
    const confluence = this.spec.confluence;
    if (!confluence) throw new InputError(`Site ${this.name} has no Confluence.`);
    this.confluenceApi ??= (async () => {
      const client = new AtlassianHttpClient(confluence.baseUrl, confluence.credentials, this.http);
      let flavour = confluenceDetected.get(confluence.baseUrl);
      if (!flavour) {
        flavour = confluenceFlavour(client, signal);
        confluenceDetected.set(confluence.baseUrl, flavour);
        flavour.catch(() => confluenceDetected.delete(confluence.baseUrl));
      }
      return (await flavour) === 'datacenter' ? new ConfluenceDcApi(client) : new ConfluenceApi(client);
    })();
    this.confluenceApi.catch(() => (this.confluenceApi = undefined));
    return this.confluenceApi;
  }

  /**
   * A client for another Atlassian base URL with this site's Jira credentials (the Forms API lives on
   * the API gateway, not on the site). Only for URLs from the configuration, never from a response.
   */
  jiraClientFor(baseUrl: string): AtlassianHttpClient {
    const jira = this.spec.jira;
    if (!jira) throw new InputError(`Site ${this.name} has no Jira.`);
    return new AtlassianHttpClient(baseUrl, jira.credentials, this.http);
  }

  /** Where people open issues: Jira's own idea of its base URL, else the site URL. */
  browseUrl(key: string): string {
    const base = (this.spec.url || this.info?.baseUrl || this.spec.jira?.baseUrl || '').replace(/\/+$/, '');
    return `${base}/browse/${key}`;
  }

  /** What atlassian_list_sites shows; reads serverInfo when the flavour is not known yet, which also checks the sign-in. */
  async describe(signal?: AbortSignal): Promise<Record<string, unknown>> {
    let flavour: string | undefined = this.spec.flavour;
    let problem: string | undefined;
    if (!flavour && this.spec.jira) {
      try {
        flavour = (await this.jira(signal)).flavour;
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
    }
    let confluenceFlavourSeen: string | undefined;
    if (this.spec.confluence) {
      try {
        confluenceFlavourSeen = (await this.confluence(signal)).flavour;
      } catch (err) {
        problem ??= err instanceof Error ? err.message : String(err);
      }
    }
    return {
      name: this.name,
      url: this.spec.url,
      cloud_id: this.spec.cloudId,
      flavour: this.spec.jira ? (flavour ?? (problem ? undefined : 'cloud')) : confluenceFlavourSeen,
      confluence_flavour: confluenceFlavourSeen,
      error: problem,
      jira: !!this.spec.jira,
      confluence: !!this.spec.confluence,
      default: this.spec.isDefault || undefined,
    };
  }

  matches(ref: string): boolean {
    const r = ref.trim().toLowerCase().replace(/\/+$/, '');
    const s = this.spec;
    if ([s.id, s.name, s.cloudId].some((v) => v?.toLowerCase() === r)) return true;
    const urls = [s.url, s.jira?.baseUrl, s.confluence?.baseUrl]
      .filter((u): u is string => !!u)
      .map((u) => u.toLowerCase().replace(/\/+$/, ''));
    return urls.some(
      (u) => u === r || u === `https://${r}` || hostOf(u) === r || (r.startsWith(u + '/') && /^https?:/.test(r)),
    );
  }
}

export interface SiteDirectory {
  sites(signal?: AbortSignal): Promise<readonly Site[]>;
  /** Forget cached sites (the connection list may have changed). */
  refresh?(): void;
  /** What to tell the user when no site fits. */
  readonly connectHint: string;
}

export async function resolveSite(
  directory: SiteDirectory,
  ref: string | undefined,
  product: Product | undefined,
  signal?: AbortSignal,
): Promise<Site> {
  let sites = await directory.sites(signal);
  const fits = (site: Site) => !product || site.has(product);
  const what = product === 'jira' ? 'Jira' : product === 'confluence' ? 'Confluence' : 'Atlassian';
  const names = (list: readonly Site[]) => list.map((s) => `${s.name} (${s.spec.url})`).join(', ');

  if (ref && ref.trim()) {
    let site = sites.find((s) => s.matches(ref));
    if (!site && directory.refresh) {
      directory.refresh();
      sites = await directory.sites(signal);
      site = sites.find((s) => s.matches(ref));
    }
    if (!site)
      throw new InputError(
        `Invalid argument \`site\`: no connected site matches "${ref}". Connected: ${names(sites) || 'none'}.`,
      );
    if (!fits(site))
      throw new InputError(
        `Invalid argument \`site\`: ${site.name} has no ${what}. Sites with ${what}: ${names(sites.filter(fits)) || 'none'}.`,
      );
    return site;
  }
  const candidates = sites.filter(fits);
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new InputError(`No ${what} site is connected. ${directory.connectHint}`);
  const preferred = candidates.find((s) => s.spec.isDefault);
  if (preferred) return preferred;
  throw new InputError(
    `Several ${what} sites are connected; pass \`site\` with one of: ${candidates.map((s) => s.name).join(', ')}.`,
  );
}

/** A short, typeable name for a site URL: the subdomain on atlassian.net, else the last path segment or the host. */
export function shortName(url: string): string {
  try {
    const u = new URL(url);
    if (/\.(atlassian\.net|jira\.com|jira-dev\.com)$/i.test(u.hostname)) return u.hostname.split('.')[0]!.toLowerCase();
    const segments = u.pathname.split('/').filter((s) => s && s !== 'wiki');
    return (segments.at(-1) ?? u.hostname).toLowerCase();
  } catch {
    return url;
  }
}

/** The site a Jira or Confluence base URL belongs to: Confluence Cloud lives under the site's /wiki. */
export function siteRoot(url: string): string {
  return url
    .replace(/\/+$/, '')
    .replace(/\/wiki$/i, '')
    .toLowerCase();
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
