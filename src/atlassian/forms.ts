// Jira Cloud's Forms REST API (forms on issues, formerly ProForma). It lives on the API gateway at
// /jira/forms/cloud/{cloudId}, for OAuth and API tokens alike; Data Center has no such API.
import type { AtlassianHttpClient } from './http';
import { isCloudId, pathSegment } from './ids';
import type { Json } from './jira';

/** The Forms API root beside an OAuth Jira base (`…/ex/jira/{cloudId}`), or undefined for a site URL. */
export function formsRootBesideGateway(jiraBaseUrl: string): string | undefined {
  const m = /^(.*)\/ex\/jira\/([^/]+)\/?$/.exec(jiraBaseUrl);
  return m && isCloudId(m[2]!) ? `${m[1]}/jira/forms/cloud/${m[2]}` : undefined;
}

export function formsRoot(apiBaseUrl: string, cloudId: string): string {
  return `${apiBaseUrl.replace(/\/+$/, '')}/jira/forms/cloud/${pathSegment(cloudId)}`;
}

/** A Cloud site's id, from the site itself (`/_edge/tenant_info`), for API-token connections. */
export async function siteCloudId(site: AtlassianHttpClient, signal?: AbortSignal): Promise<string | undefined> {
  const tenant = await site.request<Json>({ path: '/_edge/tenant_info', signal });
  const id = typeof tenant.cloudId === 'string' ? tenant.cloudId : undefined;
  return id && isCloudId(id) ? id : undefined;
}

export class FormsApi {
  /** `client` must serve `root`'s origin; `root` is absolute. */
  constructor(
    private readonly client: AtlassianHttpClient,
    private readonly root: string,
  ) {}

  private url(issueKey: string, formId?: string): string {
    return `${this.root}/issue/${pathSegment(issueKey)}/form${formId === undefined ? '' : `/${pathSegment(formId)}`}`;
  }

  /** The forms on an issue: `[{ id, formTemplate: {id}, name, submitted, lock, internal, updated }]`. */
  issueForms(issueKey: string, signal?: AbortSignal): Promise<unknown> {
    return this.client.request({ path: this.url(issueKey), scopes: ['read:jira-work'], signal });
  }

  /** One form with its design (questions) and state (answers). */
  form(issueKey: string, formId: string, signal?: AbortSignal): Promise<Json> {
    return this.client.request<Json>({ path: this.url(issueKey, formId), scopes: ['read:jira-work'], signal });
  }

  /** Saves answers (`{ questionId: { text | choices | date | time | users } }`); the same answers twice is harmless. */
  saveAnswers(issueKey: string, formId: string, answers: Json, signal?: AbortSignal): Promise<Json> {
    return this.client.request<Json>({
      method: 'PUT',
      path: this.url(issueKey, formId),
      body: { answers },
      scopes: ['write:jira-work'],
      signal,
    });
  }
}
