// v1 CQL search (`GET /rest/api/search`), still Confluence Cloud's only search API.
import type { Request, Response } from 'express';
import { context, requireScope } from '../context';
import { confluenceV1Error } from '../errors';
import { CqlError, excerptOf, highlightMatches, parseCql, runCql, textQueries, type CqlDocument } from '../cql';
import { tinyId } from './json';
import { decodeCursor, encodeCursor, queryParam } from './paging';
import { ConfluenceError, latest, webuiPath, type ConfluenceStore } from './store';
import { escapeXml } from './xhtml';
import { USERS } from '../data/users';

const SEARCH_SCOPES = ['search:confluence', 'read:content-details:confluence'];
const EXCERPTS = ['highlight', 'indexed', 'none', 'highlight_unescaped', 'indexed_unescaped'] as const;
type ExcerptMode = (typeof EXCERPTS)[number];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Confluence's human dates: "about 3 hours ago", "yesterday at 4:05 PM", "Mar 02, 2026". */
export function friendlyDate(at: number, now: number): string {
  const minutes = Math.floor((now - at) / 60_000);
  if (minutes < 1) return 'just a moment ago';
  if (minutes < 60) return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
  if (minutes < 24 * 60) {
    const hours = Math.floor(minutes / 60);
    return hours === 1 ? 'about an hour ago' : `about ${hours} hours ago`;
  }
  const d = new Date(at);
  const today = new Date(now);
  const yesterday = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 1));
  if (
    d.getUTCFullYear() === yesterday.getUTCFullYear() &&
    d.getUTCMonth() === yesterday.getUTCMonth() &&
    d.getUTCDate() === yesterday.getUTCDate()
  ) {
    const hour = d.getUTCHours() % 12 || 12;
    return `yesterday at ${hour}:${String(d.getUTCMinutes()).padStart(2, '0')} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
  }
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, '0')}, ${d.getUTCFullYear()}`;
}

function readOffset(req: Request): number {
  const cursor = queryParam(req, 'cursor');
  if (cursor !== undefined) return decodeCursor(cursor);
  const start = queryParam(req, 'start');
  if (start === undefined) return 0;
  if (!/^\d+$/.test(start)) throw new ConfluenceError(400, `Invalid start: ${start}`);
  return Number(start);
}

function readLimit(req: Request): number {
  const raw = queryParam(req, 'limit');
  if (raw === undefined) return 25;
  if (!/^\d+$/.test(raw)) throw new ConfluenceError(400, `Invalid limit: ${raw}`);
  return Number(raw);
}

function searchUrl(cql: string, params: Record<string, string>): string {
  return `/rest/api/search?${new URLSearchParams({ ...params, cql }).toString()}`;
}

export function handleSearch(req: Request, res: Response, store: ConfluenceStore): void {
  if (!requireScope(req, res, SEARCH_SCOPES)) return;
  const started = Date.now();
  const cql = queryParam(req, 'cql') ?? '';
  if (cql.trim() === '') return confluenceV1Error(res, 400, 'cql query parameter is required');
  let offset: number;
  let limit: number;
  let excerptMode: ExcerptMode;
  try {
    offset = readOffset(req);
    limit = readLimit(req);
    const excerpt = queryParam(req, 'excerpt') ?? 'highlight';
    if (!(EXCERPTS as readonly string[]).includes(excerpt))
      throw new ConfluenceError(400, `Invalid excerpt strategy: ${excerpt}`);
    excerptMode = excerpt as ExcerptMode;
  } catch (error) {
    if (error instanceof ConfluenceError) return confluenceV1Error(res, 400, error.detail ?? 'Bad request');
    throw error;
  }
  let query;
  try {
    query = parseCql(cql);
  } catch (error) {
    if (error instanceof CqlError) return confluenceV1Error(res, 400, error.message);
    throw error;
  }
  const ctx = context(res);
  const now = store.currentTime();
  const hits = runCql(query, store.cqlDocuments(), { currentUser: ctx.user.accountId, now });
  const slice = hits.slice(offset, offset + limit);
  const expand = new Set(
    (queryParam(req, 'expand') ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean),
  );
  const texts = textQueries(query.where);
  const base = ctx.confluenceBase;

  const links: Record<string, string> = { base, context: '/wiki' };
  if (offset + limit < hits.length && limit > 0) {
    links['next'] = searchUrl(cql, {
      next: 'true',
      cursor: encodeCursor(offset + limit),
      limit: String(limit),
      start: String(offset + limit),
    });
  }
  if (offset > 0) {
    const previous = Math.max(0, offset - limit);
    links['prev'] = searchUrl(cql, {
      prev: 'true',
      cursor: encodeCursor(previous),
      limit: String(limit),
      start: String(previous),
    });
  }
  links['self'] = `${base}${searchUrl(cql, {})}`;

  res.json({
    results: slice.map((doc) => searchResult(store, doc, { base, expand, texts, excerptMode, now })),
    start: offset,
    limit,
    size: slice.length,
    totalSize: hits.length,
    cqlQuery: cql,
    searchDuration: Math.max(1, Date.now() - started),
    _links: links,
  });
}

interface ResultOptions {
  readonly base: string;
  readonly expand: ReadonlySet<string>;
  readonly texts: readonly string[];
  readonly excerptMode: ExcerptMode;
  readonly now: number;
}

function highlighted(value: string, options: ResultOptions): string {
  const escape = options.excerptMode.endsWith('_unescaped') ? (s: string) => s : escapeXml;
  if (!options.excerptMode.startsWith('highlight')) return escape(value);
  return highlightMatches(value, options.texts, (w) => `@@@hl@@@${w}@@@endhl@@@`, escape);
}

function searchResult(store: ConfluenceStore, doc: CqlDocument, options: ResultOptions): Record<string, unknown> {
  const webui = webuiOf(store, doc);
  const content: Record<string, unknown> = {
    id: doc.id,
    type: doc.type,
    status: 'current',
    title: doc.title,
    childTypes: {},
    macroRenderedOutput: {},
    restrictions: {},
    _expandable: {
      container: '',
      metadata: '',
      extensions: '',
      operations: '',
      children: '',
      history: `/rest/api/content/${doc.id}/history`,
      ancestors: '',
      body: '',
      version: '',
      descendants: '',
      space: `/rest/api/space/${doc.spaceKey}`,
    },
    _links: { webui, self: `${options.base}/rest/api/content/${doc.id}`, tinyui: `/x/${tinyId(doc.id)}` },
  };
  expandContent(store, doc, content, options);
  const space = store.spaceByKey(doc.spaceKey)!;
  return {
    content,
    title: highlighted(doc.title, options),
    excerpt: options.excerptMode === 'none' ? '' : highlighted(excerptOf(doc, options.texts), options),
    url: webui,
    resultGlobalContainer: { title: space.name, displayUrl: `/spaces/${space.key}` },
    breadcrumbs: [],
    entityType: 'content',
    iconCssClass: `aui-icon content-type-${doc.type}`,
    lastModified: new Date(doc.lastModified).toISOString(),
    friendlyLastModified: friendlyDate(doc.lastModified, options.now),
    score: 0,
  };
}

function webuiOf(store: ConfluenceStore, doc: CqlDocument): string {
  if (doc.type === 'comment') {
    const container = store.content(doc.containerId!)!;
    return `${webuiPath(doc.spaceKey, container.id, latest(container).title)}?focusedCommentId=${doc.id}#comment-${doc.id}`;
  }
  if (doc.type === 'blogpost') {
    const date = new Date(doc.created).toISOString().slice(0, 10).replace(/-/g, '/');
    return `/spaces/${doc.spaceKey}/blog/${date}/${doc.id}/${encodeURIComponent(doc.title).replace(/%20/g, '+')}`;
  }
  return webuiPath(doc.spaceKey, doc.id, doc.title);
}

/** `expand=content.space,content.version,content.ancestors` (the ones search clients use). */
function expandContent(
  store: ConfluenceStore,
  doc: CqlDocument,
  content: Record<string, unknown>,
  options: ResultOptions,
): void {
  const expandable = content['_expandable'] as Record<string, string>;
  if (options.expand.has('content.space') || options.expand.has('space')) {
    const space = store.spaceByKey(doc.spaceKey)!;
    content['space'] = {
      id: Number(space.id),
      key: space.key,
      name: space.name,
      type: space.type,
      status: space.status,
      _expandable: {
        settings: '',
        metadata: '',
        operations: '',
        lookAndFeel: '',
        identifiers: '',
        permissions: '',
        icon: '',
        description: '',
        theme: '',
        history: '',
        homepage: `/rest/api/content/${space.homepageId ?? ''}`,
      },
      _links: { webui: `/spaces/${space.key}`, self: `${options.base}/rest/api/space/${space.key}` },
    };
    delete expandable['space'];
  }
  if (options.expand.has('content.version') || options.expand.has('version')) {
    const record = doc.type === 'comment' ? store.comments.get(doc.id) : store.content(doc.id);
    const version = record ? latest(record) : undefined;
    if (version) {
      const author = USERS.find((u) => u.accountId === version.authorId);
      content['version'] = {
        by: {
          type: 'known',
          accountId: version.authorId,
          accountType: 'atlassian',
          publicName: author?.displayName ?? 'Unknown User',
          displayName: author?.displayName ?? 'Unknown User',
        },
        when: new Date(version.createdAt).toISOString(),
        friendlyWhen: friendlyDate(version.createdAt, options.now),
        message: version.message,
        number: version.number,
        minorEdit: version.minorEdit,
        contentTypeModified: false,
      };
      delete expandable['version'];
    }
  }
  if (options.expand.has('content.ancestors') || options.expand.has('ancestors')) {
    content['ancestors'] = doc.ancestorIds.map((id) => {
      const ancestor = store.content(id)!;
      return { id, type: ancestor.kind, status: ancestor.status, title: latest(ancestor).title };
    });
    delete expandable['ancestors'];
  }
}
