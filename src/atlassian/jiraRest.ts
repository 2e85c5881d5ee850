// The base of the Jira REST client: the flavour (Cloud: REST v3, ADF; Data Center: REST v2, wiki
// markup), the request helpers with the OAuth scopes each call needs, and serverInfo, which tells
// the flavour. JiraApi (./jira) is layered on it by concern: projects, fields, users and versions
// (./jiraProjects), Jira Software's boards, sprints and epics (./jiraAgile), then issues (./jira).
import { AtlassianError } from './errors';
import type { AtlassianHttpClient, RequestOptions } from './http';
import { pathSegment } from './ids';
import { textOf } from '../core/text';

export type Flavour = 'cloud' | 'datacenter';
export type Json = Record<string, unknown>;

export const READ = ['read:jira-work'];
export const WRITE = ['write:jira-work'];
export const USER = ['read:jira-user'];

export interface ServerInfo {
  readonly flavour: Flavour;
  /** The site's own URL (browse links), as Jira reports it. */
  readonly baseUrl?: string;
  readonly version?: string;
}

/** Reads serverInfo; `deploymentType` decides Cloud vs Data Center, whatever the host name says. */
export async function jiraServerInfo(http: AtlassianHttpClient, signal?: AbortSignal): Promise<ServerInfo> {
  const info = await http.request<Json>({ path: '/rest/api/2/serverInfo', signal });
  const deployment = textOf(info.deploymentType, '');
  return {
    flavour: /cloud/i.test(deployment) ? 'cloud' : 'datacenter',
    baseUrl: typeof info.baseUrl === 'string' ? info.baseUrl : undefined,
    version: typeof info.version === 'string' ? info.version : undefined,
  };
}

export class JiraRest {
  constructor(
    readonly http: AtlassianHttpClient,
    readonly flavour: Flavour,
  ) {}

  get cloud(): boolean {
    return this.flavour === 'cloud';
  }

  /** REST root for this flavour: v3 (ADF) on Cloud, v2 (wiki markup) on Data Center. */
  get api(): string {
    return this.cloud ? '/rest/api/3' : '/rest/api/2';
  }

  protected get<T = Json>(
    path: string,
    query?: RequestOptions['query'],
    scopes = READ,
    signal?: AbortSignal,
  ): Promise<T> {
    return this.http.request<T>({ path, query, scopes, signal });
  }

  /** The `values` of a paged resource (`startAt`, `isLast`), page after page up to `max`. */
  protected async pages(path: string, max: number, scopes: string[], signal?: AbortSignal): Promise<Json[]> {
    const all: Json[] = [];
    for (let startAt = 0; all.length < max;) {
      const page = await this.get(path, { startAt, maxResults: 100 }, scopes, signal);
      const values = (page.values as Json[] | undefined) ?? [];
      all.push(...values);
      if (page.isLast !== false || values.length === 0) break;
      startAt += values.length;
    }
    return all;
  }

  protected write<T = Json>(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    query?: RequestOptions['query'],
    signal?: AbortSignal,
  ): Promise<T> {
    return this.http.request<T>({ method, path, body, query, scopes: WRITE, signal });
  }
}

/** Rewrites a 404 so it names the thing that was not found. */
export function withNotFound(err: unknown, what: string): unknown {
  if (err instanceof AtlassianError && err.kind === 'notFound') {
    return new AtlassianError(`${what} was not found on ${err.host}, or you lack permission to see it.`, {
      kind: 'notFound',
      host: err.host,
      status: err.status,
      messages: err.messages,
    });
  }
  return err;
}

/** One URL path segment; `.`, `..` and empty ids would address another endpoint, so they never pass. */
export function enc(segment: string): string {
  return pathSegment(segment);
}
