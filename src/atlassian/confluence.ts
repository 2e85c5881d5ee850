// Typed Confluence Cloud REST calls over AtlassianHttpClient: pages, versions, children, footer
// comments and users through REST v2; CQL search (content and users), adding labels and moving pages
// through v1, which v2 has no equivalent for. The base URL ends in `/wiki`.
import type { AtlassianHttpClient } from './http';
import type { Json } from './jira';
import { pathSegment } from './ids';

const READ = ['read:confluence-content.all', 'read:page:confluence'];
const WRITE = ['write:confluence-content', 'write:page:confluence'];
const SEARCH = ['search:confluence', 'read:confluence-content.summary'];
const SPACES = ['read:confluence-space.summary', 'read:space:confluence'];
const DELETE = ['write:confluence-content', 'delete:page:confluence'];
const LABEL = ['write:confluence-content', 'write:label:confluence'];
const USERS = ['read:confluence-user', 'read:user:confluence'];
const USER_SEARCH = ['search:confluence', 'read:confluence-user'];

/** How a body is sent or read: storage XHTML, ADF (as a JSON string), or wiki markup (write only). */
export type BodyRepresentation = 'storage' | 'atlas_doc_format' | 'wiki';

export interface Paged<T> {
  readonly results: T[];
  /** Opaque cursor of the next page, if any. */
  readonly cursor?: string;
}

export class ConfluenceApi {
  readonly flavour: 'cloud' | 'datacenter' = 'cloud';

  constructor(readonly http: AtlassianHttpClient) {}

  private get<T = Json>(
    path: string,
    query?: Record<string, string | number | boolean | undefined>,
    scopes = READ,
    signal?: AbortSignal,
  ): Promise<T> {
    return this.http.request<T>({ path, query, scopes, signal });
  }

  page(id: string, bodyFormat: 'storage' | 'atlas_doc_format' | undefined, signal?: AbortSignal): Promise<Json> {
    return this.get(`/api/v2/pages/${enc(id)}`, { 'body-format': bodyFormat }, READ, signal);
  }

  /** A page as it was at an earlier (published) version. */
  pageAtVersion(
    id: string,
    version: number,
    bodyFormat: 'storage' | 'atlas_doc_format' | undefined,
    signal?: AbortSignal,
  ): Promise<Json> {
    return this.get(`/api/v2/pages/${enc(id)}`, { version, 'body-format': bodyFormat }, READ, signal);
  }

  /** A page's versions, newest first. */
  async pageVersions(
    id: string,
    options: { limit: number; cursor?: string; signal?: AbortSignal },
  ): Promise<Paged<Json>> {
    const body = await this.get(
      `/api/v2/pages/${enc(id)}/versions`,
      { limit: options.limit, cursor: options.cursor, sort: '-modified-date' },
      READ,
      options.signal,
    );
    return { results: (body.results as Json[] | undefined) ?? [], cursor: nextCursor(body) };
  }

  async pageByTitle(
    spaceId: string,
    title: string,
    bodyFormat: 'storage' | 'atlas_doc_format' | undefined,
    signal?: AbortSignal,
  ): Promise<Json | undefined> {
    const body = await this.get(
      '/api/v2/pages',
      { 'space-id': spaceId, title, 'body-format': bodyFormat, limit: 1 },
      READ,
      signal,
    );
    return ((body.results as Json[] | undefined) ?? [])[0];
  }

  async children(id: string, options: { limit: number; cursor?: string; signal?: AbortSignal }): Promise<Paged<Json>> {
    const body = await this.get(
      `/api/v2/pages/${enc(id)}/children`,
      { limit: options.limit, cursor: options.cursor },
      READ,
      options.signal,
    );
    return { results: (body.results as Json[] | undefined) ?? [], cursor: nextCursor(body) };
  }

  createPage(
    page: {
      spaceId: string;
      title: string;
      parentId?: string;
      body: { representation: BodyRepresentation; value: string };
    },
    signal?: AbortSignal,
  ): Promise<Json> {
    return this.http.request<Json>({
      method: 'POST',
      path: '/api/v2/pages',
      body: { status: 'current', ...page },
      scopes: WRITE,
      signal,
    });
  }

  updatePage(
    id: string,
    page: {
      title: string;
      parentId?: string;
      body: { representation: BodyRepresentation; value: string };
      version: { number: number; message?: string; minorEdit?: boolean };
    },
    signal?: AbortSignal,
  ): Promise<Json> {
    return this.http.request<Json>({
      method: 'PUT',
      path: `/api/v2/pages/${enc(id)}`,
      body: { id, status: 'current', ...page },
      scopes: WRITE,
      signal,
    });
  }

  /** Moves a page to the trash (v2 has no purge without a second call). */
  async deletePage(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'DELETE', path: `/api/v2/pages/${enc(id)}`, scopes: DELETE, signal });
  }

  /** v1 move: `append` makes the page the target's last child; `before`/`after` its sibling. */
  movePage(id: string, position: 'append' | 'before' | 'after', targetId: string, signal?: AbortSignal): Promise<Json> {
    return this.http.request<Json>({
      method: 'PUT',
      path: `/rest/api/content/${enc(id)}/move/${position}/${enc(targetId)}`,
      scopes: WRITE,
      signal,
    });
  }

  /** v1 (v2 cannot add labels); answers every label the content now has. Adding twice changes nothing, so it may be retried. */
  async addLabels(
    contentId: string,
    labels: readonly { prefix: 'global' | 'my' | 'team'; name: string }[],
    signal?: AbortSignal,
  ): Promise<Json[]> {
    const body = await this.http.request<Json>({
      method: 'POST',
      path: `/rest/api/content/${enc(contentId)}/label`,
      body: labels,
      scopes: LABEL,
      retryable: true,
      signal,
    });
    return (body.results as Json[] | undefined) ?? [];
  }

  async footerComments(
    pageId: string,
    options: { limit: number; cursor?: string; bodyFormat: 'storage' | 'atlas_doc_format'; signal?: AbortSignal },
  ): Promise<Paged<Json>> {
    const body = await this.get(
      `/api/v2/pages/${enc(pageId)}/footer-comments`,
      { limit: options.limit, cursor: options.cursor, 'body-format': options.bodyFormat },
      READ,
      options.signal,
    );
    return { results: (body.results as Json[] | undefined) ?? [], cursor: nextCursor(body) };
  }

  addFooterComment(
    pageId: string,
    body: { representation: BodyRepresentation; value: string },
    signal?: AbortSignal,
  ): Promise<Json> {
    return this.http.request<Json>({
      method: 'POST',
      path: '/api/v2/footer-comments',
      body: { pageId, body },
      scopes: WRITE,
      signal,
    });
  }

  footerComment(id: string, signal?: AbortSignal): Promise<Json> {
    return this.get(`/api/v2/footer-comments/${enc(id)}`, undefined, READ, signal);
  }

  /** A reply in the thread of a footer comment. */
  replyToFooterComment(
    parentCommentId: string,
    body: { representation: BodyRepresentation; value: string },
    signal?: AbortSignal,
  ): Promise<Json> {
    return this.http.request<Json>({
      method: 'POST',
      path: '/api/v2/footer-comments',
      body: { parentCommentId, body },
      scopes: WRITE,
      signal,
    });
  }

  blogPost(id: string, signal?: AbortSignal): Promise<Json> {
    return this.get(`/api/v2/blogposts/${enc(id)}`, undefined, READ, signal);
  }

  /** Users by account id, at most 250 at a time; unknown ids are left out. A read, so it may be retried. */
  async usersByAccountIds(accountIds: readonly string[], signal?: AbortSignal): Promise<Json[]> {
    const body = await this.http.request<Json>({
      method: 'POST',
      path: '/api/v2/users-bulk',
      body: { accountIds },
      scopes: USERS,
      retryable: true,
      signal,
    });
    return (body.results as Json[] | undefined) ?? [];
  }

  /** v1 CQL user search (user fields only), paged by offset. */
  async searchUsers(
    cql: string,
    options: { limit: number; start: number; signal?: AbortSignal },
  ): Promise<{ results: Json[]; totalSize?: number; more: boolean }> {
    const body = await this.get(
      '/rest/api/search/user',
      { cql, limit: options.limit, start: options.start },
      USER_SEARCH,
      options.signal,
    );
    return {
      results: (body.results as Json[] | undefined) ?? [],
      totalSize: typeof body.totalSize === 'number' ? body.totalSize : undefined,
      more: typeof (body._links as Json | undefined)?.next === 'string',
    };
  }

  async labels(pageId: string, signal?: AbortSignal): Promise<Json[]> {
    const body = await this.get(`/api/v2/pages/${enc(pageId)}/labels`, { limit: 250 }, READ, signal);
    return (body.results as Json[] | undefined) ?? [];
  }

  async search(
    cql: string,
    options: { limit: number; cursor?: string; signal?: AbortSignal },
  ): Promise<Paged<Json> & { totalSize?: number; base?: string }> {
    const body = await this.get(
      '/rest/api/search',
      { cql, limit: options.limit, cursor: options.cursor, excerpt: 'highlight' },
      SEARCH,
      options.signal,
    );
    return {
      results: (body.results as Json[] | undefined) ?? [],
      cursor: nextCursor(body),
      totalSize: typeof body.totalSize === 'number' ? body.totalSize : undefined,
      base:
        typeof (body._links as Json | undefined)?.base === 'string' ? String((body._links as Json).base) : undefined,
    };
  }

  async spacesByKeys(keys: readonly string[], signal?: AbortSignal): Promise<Json[]> {
    const body = await this.get('/api/v2/spaces', { keys: keys.join(','), limit: 250 }, SPACES, signal);
    return (body.results as Json[] | undefined) ?? [];
  }

  space(id: string, signal?: AbortSignal): Promise<Json> {
    return this.get(`/api/v2/spaces/${enc(id)}`, undefined, SPACES, signal);
  }
}

/** v2 and v1 both put the next page in `_links.next` as a relative URL carrying `cursor`. */
function nextCursor(body: Json): string | undefined {
  const next = (body._links as Json | undefined)?.next;
  if (typeof next !== 'string') return undefined;
  return new URL(next, 'http://x').searchParams.get('cursor') ?? undefined;
}

/** One URL path segment; `.`, `..` and empty ids would address another endpoint, so they never pass. */
function enc(segment: string): string {
  return pathSegment(segment);
}
