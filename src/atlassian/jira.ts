// Typed Jira REST calls over AtlassianHttpClient, for Cloud (REST v3, ADF, enhanced JQL search) and
// Data Center (REST v2, wiki markup, offset search). Returns Atlassian's JSON as is; shaping for
// models lives with the callers (the bridge's formatters, the views). This file holds the issues'
// calls; the layers below it are ./jiraRest (requests), ./jiraProjects and ./jiraAgile.
import type { RequestOptions } from './http';
import { JiraAgileApi } from './jiraAgile';
import { multipartFiles, type UploadFile } from './multipart';
import { enc, READ, WRITE, type Json } from './jiraRest';

export { jiraServerInfo, withNotFound, type Flavour, type Json, type ServerInfo } from './jiraRest';

export interface SearchPage {
  readonly issues: Json[];
  /** Cloud: token of the next page. */
  readonly nextPageToken?: string;
  /** Data Center: offset of the next page. */
  readonly nextStartAt?: number;
  readonly total?: number;
}

export class JiraApi extends JiraAgileApi {
  async search(options: {
    jql: string;
    fields: readonly string[];
    limit: number;
    pageToken?: string;
    startAt?: number;
    expand?: string;
    signal?: AbortSignal;
  }): Promise<SearchPage> {
    const { jql, fields, limit, signal } = options;
    if (this.cloud) {
      const body: Json = { jql, fields, maxResults: limit };
      if (options.pageToken) body.nextPageToken = options.pageToken;
      if (options.expand) body.expand = options.expand;
      // A search changes nothing, so this POST may be retried.
      const page = await this.http.request<Json>({
        method: 'POST',
        path: '/rest/api/3/search/jql',
        body,
        retryable: true,
        scopes: READ,
        signal,
      });
      const issues = (page.issues as Json[] | undefined) ?? [];
      const token = typeof page.nextPageToken === 'string' && page.isLast !== true ? page.nextPageToken : undefined;
      return { issues, nextPageToken: token };
    }
    const startAt = options.startAt ?? 0;
    const page = await this.http.request<Json>({
      path: '/rest/api/2/search',
      query: { jql, fields, maxResults: limit, startAt, expand: options.expand },
      signal,
    });
    const issues = (page.issues as Json[] | undefined) ?? [];
    const total = typeof page.total === 'number' ? page.total : undefined;
    const next = startAt + issues.length;
    return {
      issues,
      total,
      nextStartAt: issues.length > 0 && (total === undefined || next < total) ? next : undefined,
    };
  }

  /** Cloud only: how many issues a query finds (enhanced search reports no total); undefined on Data Center. */
  async approximateCount(jql: string, signal?: AbortSignal): Promise<number | undefined> {
    if (!this.cloud) return undefined;
    const body = await this.http.request<Json>({
      method: 'POST',
      path: '/rest/api/3/search/approximate-count',
      body: { jql },
      retryable: true,
      scopes: READ,
      signal,
    });
    return typeof body.count === 'number' ? body.count : undefined;
  }

  getIssue(
    key: string,
    options: { fields?: readonly string[]; expand?: string; signal?: AbortSignal } = {},
  ): Promise<Json> {
    return this.get(
      `${this.api}/issue/${enc(key)}`,
      { fields: options.fields, expand: options.expand },
      READ,
      options.signal,
    );
  }

  createIssue(fields: Json, update?: Json, signal?: AbortSignal): Promise<{ id: string; key: string }> {
    return this.write<{ id: string; key: string }>(
      'POST',
      `${this.api}/issue`,
      update ? { fields, update } : { fields },
      undefined,
      signal,
    );
  }

  /**
   * Creates up to 50 issues in one request (POST /issue/bulk): each element is `{fields, update?}`.
   * Jira answers 201 with the created issues and an error per refused element
   * (`{status, elementErrors, failedElementNumber}`), or 400 when it created none. A POST, so
   * never repeated: a retry could create the same issues twice.
   */
  async bulkCreateIssues(
    issueUpdates: readonly Json[],
    signal?: AbortSignal,
  ): Promise<{ issues: Json[]; errors: Json[] }> {
    const body = await this.write<Json>('POST', `${this.api}/issue/bulk`, { issueUpdates }, undefined, signal);
    return { issues: (body.issues as Json[] | undefined) ?? [], errors: (body.errors as Json[] | undefined) ?? [] };
  }

  async editIssue(key: string, fields: Json, update?: Json, signal?: AbortSignal): Promise<void> {
    const body: Json = {};
    if (Object.keys(fields).length > 0) body.fields = fields;
    if (update && Object.keys(update).length > 0) body.update = update;
    await this.write('PUT', `${this.api}/issue/${enc(key)}`, body, undefined, signal);
  }

  deleteIssue(key: string, signal?: AbortSignal): Promise<void> {
    return this.write('DELETE', `${this.api}/issue/${enc(key)}`, undefined, { deleteSubtasks: 'true' }, signal);
  }

  async transitions(key: string, signal?: AbortSignal): Promise<Json[]> {
    const body = await this.get(`${this.api}/issue/${enc(key)}/transitions`, undefined, READ, signal);
    return (body.transitions as Json[] | undefined) ?? [];
  }

  /** The transitions with the fields each one's screen asks for (`expand=transitions.fields`). */
  async transitionsWithFields(key: string, signal?: AbortSignal): Promise<Json[]> {
    const body = await this.get(
      `${this.api}/issue/${enc(key)}/transitions`,
      { expand: 'transitions.fields' },
      READ,
      signal,
    );
    return (body.transitions as Json[] | undefined) ?? [];
  }

  /**
   * The issue's change history, oldest first. Cloud pages it at /changelog; Data Center has no such
   * resource and returns it with the issue (`expand=changelog`).
   */
  async changelog(key: string, signal?: AbortSignal): Promise<Json[]> {
    if (!this.cloud) {
      const issue = await this.getIssue(key, { fields: ['summary'], expand: 'changelog', signal });
      return (((issue.changelog ?? {}) as Json).histories as Json[] | undefined) ?? [];
    }
    return this.pages(`${this.api}/issue/${enc(key)}/changelog`, 1000, READ, signal);
  }

  async transition(
    key: string,
    transitionId: string,
    extra: { fields?: Json; update?: Json } = {},
    signal?: AbortSignal,
  ): Promise<void> {
    // A transition is not idempotent but re-running one that already happened fails harmlessly (400).
    await this.write(
      'POST',
      `${this.api}/issue/${enc(key)}/transitions`,
      { transition: { id: transitionId }, ...extra },
      undefined,
      signal,
    );
  }

  async comments(
    key: string,
    options: { limit: number; startAt?: number; signal?: AbortSignal },
  ): Promise<{ comments: Json[]; total: number }> {
    const body = await this.get(
      `${this.api}/issue/${enc(key)}/comment`,
      { maxResults: options.limit, orderBy: '-created', startAt: options.startAt },
      READ,
      options.signal,
    );
    const comments = (body.comments as Json[] | undefined) ?? [];
    return { comments, total: typeof body.total === 'number' ? body.total : comments.length };
  }

  addComment(key: string, body: unknown, visibility?: Json, signal?: AbortSignal): Promise<Json> {
    return this.write(
      'POST',
      `${this.api}/issue/${enc(key)}/comment`,
      visibility ? { body, visibility } : { body },
      undefined,
      signal,
    );
  }

  editComment(key: string, commentId: string, body: unknown, signal?: AbortSignal): Promise<Json> {
    return this.write('PUT', `${this.api}/issue/${enc(key)}/comment/${enc(commentId)}`, { body }, undefined, signal);
  }

  addWorklog(key: string, worklog: Json, query: RequestOptions['query'], signal?: AbortSignal): Promise<Json> {
    return this.write('POST', `${this.api}/issue/${enc(key)}/worklog`, worklog, query, signal);
  }

  async worklogs(key: string, signal?: AbortSignal): Promise<Json[]> {
    const body = await this.get(`${this.api}/issue/${enc(key)}/worklog`, undefined, READ, signal);
    return (body.worklogs as Json[] | undefined) ?? [];
  }

  async linkIssues(link: Json, signal?: AbortSignal): Promise<void> {
    await this.write('POST', `${this.api}/issueLink`, link, undefined, signal);
  }

  async deleteLink(linkId: string, signal?: AbortSignal): Promise<void> {
    await this.write('DELETE', `${this.api}/issueLink/${enc(linkId)}`, undefined, undefined, signal);
  }

  remoteLinks(key: string, signal?: AbortSignal): Promise<Json[]> {
    return this.get<Json[]>(`${this.api}/issue/${enc(key)}/remotelink`, undefined, READ, signal);
  }

  /** Adds a remote (web) link: `{object:{url,title,summary?,icon?}, relationship?, globalId?}`. A POST, so never repeated. */
  createRemoteLink(key: string, link: Json, signal?: AbortSignal): Promise<Json> {
    return this.write('POST', `${this.api}/issue/${enc(key)}/remotelink`, link, undefined, signal);
  }

  async linkTypes(signal?: AbortSignal): Promise<Json[]> {
    const body = await this.get(`${this.api}/issueLinkType`, undefined, READ, signal);
    return (body.issueLinkTypes as Json[] | undefined) ?? [];
  }

  /** Assigns (or with null, unassigns) through the dedicated endpoint. */
  async assign(key: string, user: string | null, signal?: AbortSignal): Promise<void> {
    await this.write(
      'PUT',
      `${this.api}/issue/${enc(key)}/assignee`,
      this.cloud ? { accountId: user } : { name: user },
      undefined,
      signal,
    );
  }

  async watchers(key: string, signal?: AbortSignal): Promise<Json[]> {
    const body = await this.get(`${this.api}/issue/${enc(key)}/watchers`, undefined, READ, signal);
    return (body.watchers as Json[] | undefined) ?? [];
  }

  async addWatcher(key: string, user: string, signal?: AbortSignal): Promise<void> {
    // The body is a bare JSON string; adding the same watcher twice is harmless, so retries are fine.
    await this.http.request({
      method: 'POST',
      path: `${this.api}/issue/${enc(key)}/watchers`,
      body: user,
      retryable: true,
      scopes: WRITE,
      signal,
    });
  }

  async removeWatcher(key: string, user: string, signal?: AbortSignal): Promise<void> {
    await this.write(
      'DELETE',
      `${this.api}/issue/${enc(key)}/watchers`,
      undefined,
      this.cloud ? { accountId: user } : { username: user },
      signal,
    );
  }

  // --- attachments ---------------------------------------------------------------------------------

  async attachments(key: string, signal?: AbortSignal): Promise<Json[]> {
    const issue = await this.getIssue(key, { fields: ['attachment'], signal });
    return ((issue.fields as Json | undefined)?.attachment as Json[] | undefined) ?? [];
  }

  /**
   * An attachment's bytes. Cloud redirects `attachment/content` to its media host unless
   * `redirect=false`; Data Center serves the `content` URL of the attachment itself. `maxBytes`
   * replaces the client's response limit (attachments have their own).
   */
  async attachmentContent(attachment: Json, signal?: AbortSignal, maxBytes?: number): Promise<Uint8Array> {
    const id = enc(String(attachment.id));
    const path =
      !this.cloud && typeof attachment.content === 'string'
        ? attachment.content
        : `${this.api}/attachment/content/${id}`;
    return this.http.request<Uint8Array>({
      path,
      query: this.cloud ? { redirect: false } : undefined,
      responseType: 'bytes',
      scopes: ['read:jira-work', 'read:attachment:jira'],
      signal,
      maxResponseBytes: maxBytes,
    });
  }

  /** Uploads one file (multipart field `file`); a POST, so never repeated. Answers the new attachments. */
  uploadAttachment(key: string, file: UploadFile, signal?: AbortSignal): Promise<Json[]> {
    return this.http.request<Json[]>({
      method: 'POST',
      path: `${this.api}/issue/${enc(key)}/attachments`,
      rawBody: multipartFiles([file]),
      headers: { 'X-Atlassian-Token': 'no-check' },
      scopes: ['write:jira-work', 'write:attachment:jira'],
      signal,
    });
  }
}
