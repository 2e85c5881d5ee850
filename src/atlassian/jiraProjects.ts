// Jira's projects, fields and create metadata, users, versions and components: the layer of the
// Jira client (./jira) that describes a site rather than its issues.
import { enc, JiraRest, READ, USER, type Json } from './jiraRest';

export class JiraProjectsApi extends JiraRest {
  /** Every visible project (Cloud pages through /project/search; Data Center lists them at once). */
  async projects(options: { includeArchived?: boolean; signal?: AbortSignal } = {}): Promise<Json[]> {
    if (!this.cloud)
      return this.get<Json[]>(
        '/rest/api/2/project',
        { includeArchived: options.includeArchived },
        READ,
        options.signal,
      );
    const all: Json[] = [];
    for (let startAt = 0; all.length < 5000;) {
      const page = await this.get(
        '/rest/api/3/project/search',
        { startAt, maxResults: 100, status: options.includeArchived ? ['live', 'archived'] : undefined },
        READ,
        options.signal,
      );
      const values = (page.values as Json[] | undefined) ?? [];
      all.push(...values);
      if (page.isLast !== false || values.length === 0) break;
      startAt += values.length;
    }
    return all;
  }

  project(key: string, signal?: AbortSignal): Promise<Json> {
    return this.get(`${this.api}/project/${enc(key)}`, undefined, READ, signal);
  }

  fields(signal?: AbortSignal): Promise<Json[]> {
    return this.get<Json[]>(`${this.api}/field`, undefined, READ, signal);
  }

  /** Allowed values of a field for creating an issue of one type in one project (works on both flavours). */
  async createMetaFields(projectKey: string, issueTypeId: string, signal?: AbortSignal): Promise<Json[]> {
    const body = await this.get(
      `${this.api}/issue/createmeta/${enc(projectKey)}/issuetypes/${enc(issueTypeId)}`,
      { maxResults: 200 },
      READ,
      signal,
    );
    return ((body.fields ?? body.values) as Json[] | undefined) ?? [];
  }

  async issueTypes(projectKey: string, signal?: AbortSignal): Promise<Json[]> {
    const body = await this.get(
      `${this.api}/issue/createmeta/${enc(projectKey)}/issuetypes`,
      { maxResults: 100 },
      READ,
      signal,
    );
    return ((body.issueTypes ?? body.values) as Json[] | undefined) ?? [];
  }

  /** Cloud custom-field contexts and their options. */
  async fieldContexts(fieldId: string, signal?: AbortSignal): Promise<Json[]> {
    const body = await this.get(
      `/rest/api/3/field/${enc(fieldId)}/context`,
      { maxResults: 100 },
      ['manage:jira-configuration', 'read:jira-work'],
      signal,
    );
    return (body.values as Json[] | undefined) ?? [];
  }

  fieldOptions(fieldId: string, contextId: string, signal?: AbortSignal): Promise<Json[]> {
    return this.pages(
      `/rest/api/3/field/${enc(fieldId)}/context/${enc(contextId)}/option`,
      2000,
      ['manage:jira-configuration', 'read:jira-work'],
      signal,
    );
  }

  myself(signal?: AbortSignal): Promise<Json> {
    return this.get(`${this.api}/myself`, undefined, USER, signal);
  }

  /** Users matching a name or e-mail (Cloud: `query`; Data Center: `username`, which also matches names). */
  findUsers(query: string, limit = 10, signal?: AbortSignal): Promise<Json[]> {
    return this.cloud
      ? this.get<Json[]>('/rest/api/3/user/search', { query, maxResults: limit }, USER, signal)
      : this.get<Json[]>('/rest/api/2/user/search', { username: query, maxResults: limit }, USER, signal);
  }

  user(id: string, signal?: AbortSignal): Promise<Json> {
    return this.get(`${this.api}/user`, this.cloud ? { accountId: id } : { username: id }, USER, signal);
  }

  versions(projectKey: string, signal?: AbortSignal): Promise<Json[]> {
    return this.get<Json[]>(`${this.api}/project/${enc(projectKey)}/versions`, undefined, READ, signal);
  }

  /** Creates a version; a POST, so never repeated. */
  createVersion(
    version: { projectId: number; name: string; description?: string; startDate?: string; releaseDate?: string },
    signal?: AbortSignal,
  ): Promise<Json> {
    return this.http.request<Json>({
      method: 'POST',
      path: `${this.api}/version`,
      body: version,
      scopes: ['manage:jira-project', 'write:project-version:jira'],
      signal,
    });
  }

  version(id: string, signal?: AbortSignal): Promise<Json> {
    return this.get(`${this.api}/version/${enc(id)}`, undefined, READ, signal);
  }

  /** Changes only the members given (name, description, startDate, releaseDate, released, archived); a PUT, safe to repeat. */
  updateVersion(id: string, changes: Json, signal?: AbortSignal): Promise<Json> {
    return this.http.request<Json>({
      method: 'PUT',
      path: `${this.api}/version/${enc(id)}`,
      body: changes,
      scopes: ['manage:jira-project', 'write:project-version:jira'],
      signal,
    });
  }

  components(projectKey: string, signal?: AbortSignal): Promise<Json[]> {
    return this.get<Json[]>(`${this.api}/project/${enc(projectKey)}/components`, undefined, READ, signal);
  }
}
