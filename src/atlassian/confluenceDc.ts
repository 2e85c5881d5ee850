// Confluence Data Center (and Server) through its REST API (`/rest/api/content`, CQL search with
// `start`/`limit` paging, storage format only). DC has no v2 API, so each answer is reshaped into the
// v2 fields the tools read (spaceId, parentId, version.createdAt, body.storage). DC spaces have no
// separate ids in its API, so the space key stands in as the space id.
import { ConfluenceApi, type BodyRepresentation, type Paged } from './confluence';
import { AtlassianError } from './errors';
import type { Json } from './jira';

const READ = ['read:confluence-content.all'];
const WRITE = ['write:confluence-content'];
const PAGE_EXPAND = 'body.storage,version,space,ancestors';

/** Says plainly that an operation has no Data Center equivalent (never "not found"). */
export class NotOnDataCenterError extends Error {
  constructor(what: string) {
    super(`${what} does not exist on Confluence Data Center; it is a Confluence Cloud API only.`);
    this.name = 'NotOnDataCenterError';
  }
}

export function notOnDataCenter(what: string): NotOnDataCenterError {
  return new NotOnDataCenterError(what);
}

export class ConfluenceDcApi extends ConfluenceApi {
  override readonly flavour = 'datacenter' as const;

  private getJson(path: string, query?: Record<string, string | number | undefined>, signal?: AbortSignal) {
    return this.http.request<Json>({ path, query, scopes: READ, signal });
  }

  override async page(id: string, _bodyFormat: unknown, signal?: AbortSignal): Promise<Json> {
    return dcPage(await this.getJson(`/rest/api/content/${enc(id)}`, { expand: PAGE_EXPAND }, signal));
  }

  override async pageAtVersion(id: string, version: number, _f: unknown, signal?: AbortSignal): Promise<Json> {
    const query = { status: 'historical', version, expand: PAGE_EXPAND };
    return dcPage(await this.getJson(`/rest/api/content/${enc(id)}`, query, signal));
  }

  override async pageVersions(
    id: string,
    options: { limit: number; cursor?: string; signal?: AbortSignal },
  ): Promise<Paged<Json>> {
    const start = Number(options.cursor ?? 0);
    const body = await this.getJson(
      `/rest/api/content/${enc(id)}/version`,
      { start, limit: options.limit, expand: 'by' },
      options.signal,
    );
    const results = list(body).map((v) => dcVersion(v));
    return { results, cursor: nextStart(body, start) };
  }

  override async pageByTitle(spaceKey: string, title: string, _f: unknown, signal?: AbortSignal) {
    const body = await this.getJson(
      '/rest/api/content',
      { spaceKey, title, type: 'page', expand: PAGE_EXPAND },
      signal,
    );
    const found = list(body)[0];
    return found ? dcPage(found) : undefined;
  }

  override async children(
    id: string,
    options: { limit: number; cursor?: string; signal?: AbortSignal },
  ): Promise<Paged<Json>> {
    const start = Number(options.cursor ?? 0);
    const body = await this.getJson(
      `/rest/api/content/${enc(id)}/child/page`,
      { start, limit: options.limit },
      options.signal,
    );
    return { results: list(body).map(dcPage), cursor: nextStart(body, start) };
  }

  override async createPage(
    page: {
      spaceId: string;
      title: string;
      parentId?: string;
      body: { representation: BodyRepresentation; value: string };
    },
    signal?: AbortSignal,
  ): Promise<Json> {
    const created = await this.http.request<Json>({
      method: 'POST',
      path: '/rest/api/content',
      body: {
        type: 'page',
        title: page.title,
        space: { key: page.spaceId },
        ancestors: page.parentId ? [{ id: page.parentId }] : undefined,
        body: dcBody(page.body),
      },
      scopes: WRITE,
      signal,
    });
    return dcPage(created);
  }

  override async updatePage(
    id: string,
    page: {
      title: string;
      parentId?: string;
      body: { representation: BodyRepresentation; value: string };
      version: { number: number; message?: string; minorEdit?: boolean };
    },
    signal?: AbortSignal,
  ): Promise<Json> {
    const updated = await this.http.request<Json>({
      method: 'PUT',
      path: `/rest/api/content/${enc(id)}`,
      body: {
        id,
        type: 'page',
        title: page.title,
        ancestors: page.parentId ? [{ id: page.parentId }] : undefined,
        body: dcBody(page.body),
        version: page.version,
      },
      scopes: WRITE,
      signal,
    });
    return dcPage(updated);
  }

  override async deletePage(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'DELETE', path: `/rest/api/content/${enc(id)}`, scopes: WRITE, signal });
  }

  override async footerComments(
    pageId: string,
    options: { limit: number; cursor?: string; signal?: AbortSignal },
  ): Promise<Paged<Json>> {
    const start = Number(options.cursor ?? 0);
    const body = await this.getJson(
      `/rest/api/content/${enc(pageId)}/child/comment`,
      { start, limit: options.limit, expand: 'body.storage,version,ancestors' },
      options.signal,
    );
    return { results: list(body).map(dcPage), cursor: nextStart(body, start) };
  }

  override async addFooterComment(
    pageId: string,
    body: { representation: BodyRepresentation; value: string },
    signal?: AbortSignal,
  ): Promise<Json> {
    const created = await this.http.request<Json>({
      method: 'POST',
      path: '/rest/api/content',
      body: { type: 'comment', container: { id: pageId, type: 'page' }, body: dcBody(body) },
      scopes: WRITE,
      signal,
    });
    return dcPage(created);
  }

  override async footerComment(id: string, signal?: AbortSignal): Promise<Json> {
    return dcPage(
      await this.getJson(`/rest/api/content/${enc(id)}`, { expand: 'body.storage,version,container' }, signal),
    );
  }

  override async replyToFooterComment(
    parentCommentId: string,
    body: { representation: BodyRepresentation; value: string },
    signal?: AbortSignal,
  ): Promise<Json> {
    const parent = await this.getJson(`/rest/api/content/${enc(parentCommentId)}`, { expand: 'container' }, signal);
    const container = (parent.container as Json | undefined) ?? {};
    const created = await this.http.request<Json>({
      method: 'POST',
      path: '/rest/api/content',
      body: {
        type: 'comment',
        container: { id: container.id, type: container.type ?? 'page' },
        ancestors: [{ id: parentCommentId }],
        body: dcBody(body),
      },
      scopes: WRITE,
      signal,
    });
    return dcPage(created);
  }

  override async blogPost(id: string, signal?: AbortSignal): Promise<Json> {
    return this.page(id, undefined, signal);
  }

  /** DC users have no account ids; names come with each object (`by.displayName`). */
  override usersByAccountIds(): Promise<Json[]> {
    return Promise.resolve([]);
  }

  override searchUsers(): Promise<{ results: Json[]; totalSize?: number; more: boolean }> {
    return Promise.reject(notOnDataCenter('CQL user search (/rest/api/search/user)'));
  }

  override async labels(pageId: string, signal?: AbortSignal): Promise<Json[]> {
    return list(await this.getJson(`/rest/api/content/${enc(pageId)}/label`, { limit: 200 }, signal));
  }

  override async search(cql: string, options: { limit: number; cursor?: string; signal?: AbortSignal }) {
    const start = Number(options.cursor ?? 0);
    const body = await this.getJson(
      '/rest/api/search',
      { cql, start, limit: options.limit, excerpt: 'highlight' },
      options.signal,
    );
    const links = (body._links as Json | undefined) ?? {};
    return {
      results: list(body),
      cursor: nextStart(body, start),
      totalSize: typeof body.totalSize === 'number' ? body.totalSize : undefined,
      base: typeof links.base === 'string' ? links.base : undefined,
    };
  }

  override async spacesByKeys(keys: readonly string[], signal?: AbortSignal): Promise<Json[]> {
    const spaces = await Promise.all(
      keys.map((key) =>
        this.space(key, signal).catch((err: unknown) => {
          if (err instanceof AtlassianError && err.kind === 'notFound') return undefined;
          throw err;
        }),
      ),
    );
    return spaces.filter((s): s is Json => !!s);
  }

  override async space(key: string, signal?: AbortSignal): Promise<Json> {
    const space = await this.getJson(`/rest/api/space/${enc(key)}`, undefined, signal);
    return { ...space, id: space.key };
  }
}

/** A v1 content object in the v2 shape the tools read. */
export function dcPage(content: Json): Json {
  const version = (content.version as Json | undefined) ?? {};
  const ancestors = (content.ancestors as Json[] | undefined) ?? [];
  const storage = ((content.body as Json | undefined)?.storage as Json | undefined)?.value;
  const space = content.space as Json | undefined;
  return {
    ...content,
    spaceId: space?.key,
    parentId: ancestors.length ? ancestors[ancestors.length - 1]!.id : undefined,
    version: dcVersion(version),
    body: typeof storage === 'string' ? { storage: { representation: 'storage', value: storage } } : undefined,
  };
}

function dcVersion(version: Json): Json {
  const by = (version.by as Json | undefined) ?? {};
  return {
    number: version.number,
    message: version.message,
    minorEdit: version.minorEdit,
    createdAt: version.when,
    authorId: by.displayName ?? by.username ?? by.userKey,
  };
}

/** DC takes storage or wiki; ADF does not exist there. */
function dcBody(body: { representation: BodyRepresentation; value: string }): Json {
  if (body.representation === 'atlas_doc_format') throw notOnDataCenter('An ADF (atlas_doc_format) body');
  return { [body.representation]: { value: body.value, representation: body.representation } };
}

function list(body: Json): Json[] {
  return (body.results as Json[] | undefined) ?? [];
}

/** Offset of the next page when `_links.next` says there is one. */
function nextStart(body: Json, start: number): string | undefined {
  const links = (body._links as Json | undefined) ?? {};
  if (typeof links.next !== 'string') return undefined;
  return String(start + list(body).length);
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
