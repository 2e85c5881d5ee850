// Confluence Cloud REST: v2 spaces, pages, blog posts and footer comments, the v1 CQL search, and
// the retired v1 content API. Mounted at a Confluence base (`…/wiki`).
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { context, requireScope } from '../context';
import type { SiteRecord } from '../context';
import { confluenceV1Error, confluenceV2Error } from '../errors';
import { cloudAdminV1Routes, cloudAdminV2Routes } from './admin';
import { cloudContentRoutes } from './cloudContent';
import {
  blogPostJson,
  childCommentJson,
  childJson,
  commentJson,
  detailedVersionJson,
  labelJson,
  pageJson,
  spaceJson,
  versionJson,
} from './json';
import { queryList, queryParam, readPage, sendPage } from './paging';
import { createFilesRouter } from './files';
import type { MediaHost } from './media';
import { handleSearch } from './search';
import { searchUsers, usersBulk } from './users';
import {
  ConfluenceError,
  latest,
  type BodyInput,
  type ConfluenceStore,
  type ContentRecord,
  type ReadRepresentation,
  type WriteRepresentation,
} from './store';

// Classic scopes and their granular equivalents; either family is accepted, as on the real gateway.
const SCOPES = {
  readSpace: ['read:confluence-space.summary', 'read:space:confluence'],
  readPage: ['read:confluence-content.all', 'read:confluence-content.summary', 'read:page:confluence'],
  readBlogPost: ['read:confluence-content.all', 'read:confluence-content.summary', 'read:blogpost:confluence'],
  readHierarchy: [
    'read:confluence-content.all',
    'read:confluence-content.summary',
    'read:page:confluence',
    'read:hierarchical-content:confluence',
    'read:content.metadata:confluence',
  ],
  writePage: ['write:confluence-content', 'write:page:confluence'],
  deletePage: ['write:confluence-content', 'delete:page:confluence'],
  readComment: ['read:confluence-content.all', 'read:confluence-content.summary', 'read:comment:confluence'],
  writeComment: ['write:confluence-content', 'write:comment:confluence'],
  writeLabel: ['write:confluence-content', 'write:label:confluence'],
} as const;

const BULK_FORMATS = ['storage', 'atlas_doc_format'] as const;
const SINGLE_FORMATS = [
  'storage',
  'atlas_doc_format',
  'view',
  'export_view',
  'anonymous_export_view',
  'styled_view',
  'editor',
] as const;
const WRITE_FORMATS = ['storage', 'atlas_doc_format', 'wiki'] as const;
const PAGE_SORTS = [
  'id',
  '-id',
  'created-date',
  '-created-date',
  'modified-date',
  '-modified-date',
  'title',
  '-title',
] as const;
const SPACE_SORTS = ['id', '-id', 'key', '-key', 'name', '-name'] as const;
const CHILD_SORTS = [
  'created-date',
  '-created-date',
  'id',
  '-id',
  'child-position',
  '-child-position',
  'modified-date',
  '-modified-date',
] as const;
const COMMENT_SORTS = ['created-date', '-created-date', 'modified-date', '-modified-date'] as const;
const LIST_STATUSES = ['current', 'archived', 'deleted', 'trashed'] as const;
const SINGLE_STATUSES = ['current', 'archived', 'trashed', 'deleted', 'historical', 'draft'] as const;

type Handler = (req: Request, res: Response, store: ConfluenceStore) => void;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | null {
  if (value === undefined) return null;
  if (!(allowed as readonly string[]).includes(value))
    throw new ConfluenceError(400, `Invalid value for ${name}: ${value}. Allowed values: ${allowed.join(', ')}`);
  return value as T;
}

function allOf<T extends string>(
  values: readonly string[] | undefined,
  allowed: readonly T[],
  name: string,
): T[] | null {
  if (values === undefined) return null;
  return values.map((v) => oneOf(v, allowed, name)!);
}

function numericId(value: string, name = 'id'): string {
  if (!/^\d{1,18}$/.test(value)) throw new ConfluenceError(400, `Invalid ${name}: ${value}`);
  return value;
}

function flag(req: Request, name: string): boolean {
  const value = queryParam(req, name);
  if (value === undefined) return false;
  if (value !== 'true' && value !== 'false') throw new ConfluenceError(400, `Invalid value for ${name}: ${value}`);
  return value === 'true';
}

function wikiBase(res: Response): string {
  return context(res).confluenceBase;
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortPages(pages: ContentRecord[], sort: string | null): ContentRecord[] {
  if (sort === null) return pages.sort((a, b) => Number(a.id) - Number(b.id));
  const descending = sort.startsWith('-');
  const key = (p: ContentRecord): string | number => {
    switch (sort.replace(/^-/, '')) {
      case 'title':
        return latest(p).title.toLowerCase();
      case 'created-date':
        return p.createdAt;
      case 'modified-date':
        return latest(p).createdAt;
      case 'child-position':
        return p.position;
      default:
        return Number(p.id);
    }
  };
  return pages.sort((a, b) => (descending ? -1 : 1) * compare(key(a), key(b)) || Number(a.id) - Number(b.id));
}

/** The body a write carries: `{representation, value}` or `{storage: {representation, value}}`. */
function readBodyInput(raw: unknown, required: boolean): BodyInput | null {
  if (raw === undefined || raw === null) {
    if (required) throw new ConfluenceError(400, 'body is required');
    return null;
  }
  if (typeof raw !== 'object') throw new ConfluenceError(400, 'body must be an object');
  const body = raw as Record<string, unknown>;
  const nested = WRITE_FORMATS.find((format) => typeof body[format] === 'object' && body[format] !== null);
  const candidate = (nested ? body[nested] : body) as Record<string, unknown>;
  const representation = oneOf(
    typeof candidate['representation'] === 'string' ? candidate['representation'] : nested,
    WRITE_FORMATS,
    'body.representation',
  );
  if (representation === null) throw new ConfluenceError(400, 'body.representation is required');
  if (typeof candidate['value'] !== 'string') throw new ConfluenceError(400, 'body.value must be a string');
  return { representation: representation as WriteRepresentation, value: candidate['value'] };
}

function stringField(body: Record<string, unknown>, name: string): string | null {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new ConfluenceError(400, `${name} must be a string`);
  return value;
}

/** Format the response echoes for a write: what was sent (wiki comes back as storage). */
function echoFormat(input: BodyInput | null): ReadRepresentation | null {
  if (input === null) return null;
  return input.representation === 'wiki' ? 'storage' : input.representation;
}

// ---- spaces ----

const listSpaces: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readSpace)) return;
  const page = readPage(req);
  const ids = queryList(req, 'ids')?.map((id) => numericId(id, 'ids'));
  const keys = queryList(req, 'keys');
  const type = queryParam(req, 'type');
  const status = oneOf(queryParam(req, 'status'), ['current', 'archived'], 'status');
  const sort = oneOf(queryParam(req, 'sort'), SPACE_SORTS, 'sort');
  const descriptionFormat = oneOf(queryParam(req, 'description-format'), ['plain', 'view'], 'description-format');
  const includeIcon = flag(req, 'include-icon');
  let spaces = store.spaces.filter(
    (s) =>
      (!ids || ids.includes(s.id)) &&
      (!keys || keys.includes(s.key)) &&
      (!type || s.type === type) &&
      (!status || s.status === status),
  );
  const field = sort?.replace(/^-/, '') ?? 'id';
  spaces = spaces.sort((a, b) => {
    const order =
      field === 'key'
        ? compare(a.key, b.key)
        : field === 'name'
          ? compare(a.name.toLowerCase(), b.name.toLowerCase())
          : Number(a.id) - Number(b.id);
    return sort?.startsWith('-') ? -order : order;
  });
  sendPage(req, res, spaces, page, wikiBase(res), (s) => spaceJson(s, { descriptionFormat, includeIcon }));
};

const getSpace: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readSpace)) return;
  const space = store.space(numericId(String(req.params['id'])));
  const descriptionFormat = oneOf(queryParam(req, 'description-format'), ['plain', 'view'], 'description-format');
  const includeIcon = flag(req, 'include-icon');
  if (!space) throw new ConfluenceError(404);
  res.json({
    ...spaceJson(space, { descriptionFormat, includeIcon }),
    _links: { webui: `/spaces/${space.key}`, base: wikiBase(res) },
  });
};

// ---- pages ----

function listPagesOf(req: Request, res: Response, store: ConfluenceStore, candidates: ContentRecord[]): void {
  const page = readPage(req);
  const format = oneOf(queryParam(req, 'body-format'), BULK_FORMATS, 'body-format');
  const sort = oneOf(queryParam(req, 'sort'), PAGE_SORTS, 'sort');
  const statuses = allOf(queryList(req, 'status'), LIST_STATUSES, 'status') ?? ['current', 'archived'];
  const title = queryParam(req, 'title');
  const ids = queryList(req, 'id')?.map((id) => numericId(id));
  const matching = candidates.filter(
    (p) =>
      (statuses as string[]).includes(p.status) &&
      (title === undefined || latest(p).title === title) &&
      (!ids || ids.includes(p.id)),
  );
  const base = wikiBase(res);
  sendPage(req, res, sortPages(matching, sort), page, base, (p) => pageJson(store, p, { format, wikiBase: base }));
}

const listPages: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readPage)) return;
  const spaceIds = queryList(req, 'space-id')?.map((id) => numericId(id, 'space-id'));
  oneOf(queryParam(req, 'subtype'), ['live', 'page'], 'subtype');
  listPagesOf(
    req,
    res,
    store,
    store.pagesOf('page').filter((p) => !spaceIds || spaceIds.includes(p.spaceId)),
  );
};

const listSpacePages: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readPage)) return;
  const space = store.space(numericId(String(req.params['id'])));
  const depth = oneOf(queryParam(req, 'depth'), ['all', 'root'], 'depth') ?? 'all';
  if (!space) throw new ConfluenceError(404);
  listPagesOf(
    req,
    res,
    store,
    store.pagesOf('page').filter((p) => p.spaceId === space.id && (depth === 'all' || p.parentId === null)),
  );
};

/** A page the caller may see with the given status filter (drafts and trash are hidden by default). */
function visiblePage(req: Request, store: ConfluenceStore, id: string): ContentRecord {
  const statuses = allOf(queryList(req, 'status'), SINGLE_STATUSES, 'status') ?? ['current', 'archived'];
  if (flag(req, 'get-draft')) statuses.push('draft');
  const page = store.page(numericId(id));
  if (!page || !(statuses as string[]).includes(page.status)) throw new ConfluenceError(404);
  return page;
}

const getPage: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readPage)) return;
  const format = oneOf(queryParam(req, 'body-format'), SINGLE_FORMATS, 'body-format');
  const page = visiblePage(req, store, String(req.params['id']));
  const versionParam = queryParam(req, 'version');
  let version = latest(page);
  if (versionParam !== undefined) {
    const found = /^\d+$/.test(versionParam) ? page.versions.find((v) => v.number === Number(versionParam)) : undefined;
    if (!found) throw new ConfluenceError(404);
    version = found;
  }
  const includeVersion = queryParam(req, 'include-version') !== 'false';
  const base = wikiBase(res);
  const json = pageJson(store, page, { format, wikiBase: base, version, includeVersion, single: true });
  const { _links: links, ...rest } = json;
  const extras: Record<string, unknown> = {};
  if (flag(req, 'include-labels'))
    extras['labels'] = optionalField(page.labels.map(labelJson), `/api/v2/pages/${page.id}/labels`);
  if (flag(req, 'include-versions'))
    extras['versions'] = optionalField(
      [...page.versions].reverse().map(versionJson),
      `/api/v2/pages/${page.id}/versions`,
    );
  res.json({ ...rest, ...extras, _links: links });
};

/** The `include-*` envelope PageSingle uses for embedded collections. */
function optionalField(results: unknown[], self: string): Record<string, unknown> {
  const shown = results.slice(0, 50);
  return { results: shown, meta: { hasMore: results.length > shown.length, cursor: '' }, _links: { self } };
}

const createPage: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.writePage)) return;
  const body = requestBody(req);
  const spaceId = stringField(body, 'spaceId');
  if (spaceId === null) throw new ConfluenceError(400, 'spaceId is required');
  numericId(spaceId, 'spaceId');
  const status = oneOf(stringField(body, 'status') ?? undefined, ['current', 'draft'], 'status') ?? 'current';
  const bodyInput = readBodyInput(body['body'], false);
  const page = store.createPage(
    {
      spaceId,
      title: stringField(body, 'title'),
      parentId: stringField(body, 'parentId'),
      status,
      body: bodyInput,
      rootLevel: flag(req, 'root-level'),
    },
    context(res).user.accountId,
  );
  res.status(200).json(pageJson(store, page, { format: echoFormat(bodyInput), wikiBase: wikiBase(res), single: true }));
};

const updatePage: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.writePage)) return;
  const id = numericId(String(req.params['id']));
  const body = requestBody(req);
  const missing = ['id', 'status', 'title', 'body', 'version'].filter(
    (field) => body[field] === undefined || body[field] === null,
  );
  if (missing.length > 0) throw new ConfluenceError(400, `Missing required fields: ${missing.join(', ')}`);
  if (stringField(body, 'id') !== id)
    throw new ConfluenceError(400, 'The id in the request body must match the id in the path');
  const status = oneOf(stringField(body, 'status') ?? undefined, ['current', 'draft'], 'status')!;
  const version = body['version'] as Record<string, unknown>;
  if (typeof version !== 'object' || !Number.isInteger(version['number']))
    throw new ConfluenceError(400, 'version.number must be an integer');
  const bodyInput = readBodyInput(body['body'], true)!;
  const page = store.updatePage(
    id,
    {
      status,
      title: stringField(body, 'title') ?? '',
      spaceId: stringField(body, 'spaceId'),
      parentId: stringField(body, 'parentId'),
      ownerId: stringField(body, 'ownerId'),
      body: bodyInput,
      versionNumber: version['number'] as number,
      versionMessage: typeof version['message'] === 'string' ? version['message'] : '',
    },
    context(res).user.accountId,
  );
  res.status(200).json(pageJson(store, page, { format: echoFormat(bodyInput), wikiBase: wikiBase(res), single: true }));
};

const deletePage: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.deletePage)) return;
  store.deletePage(numericId(String(req.params['id'])), flag(req, 'purge'));
  res.status(204).end();
};

const pageChildren =
  (withType: boolean): Handler =>
  (req, res, store) => {
    if (!requireScope(req, res, withType ? SCOPES.readHierarchy : SCOPES.readPage)) return;
    const id = numericId(String(req.params['id']));
    const page = readPage(req);
    const sort = oneOf(queryParam(req, 'sort'), CHILD_SORTS, 'sort') ?? 'child-position';
    const parent = store.page(id);
    // The spec gives /children no 404: an unknown parent simply has no children.
    if (withType && (!parent || parent.status === 'trashed')) throw new ConfluenceError(404);
    const children = sortPages(store.children(id), sort);
    sendPage(req, res, children, page, wikiBase(res), (p) => childJson(p, withType));
  };

const pageAncestors: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readHierarchy)) return;
  const page = visiblePage(req, store, String(req.params['id']));
  const limit = readPage(req).limit;
  // Top-to-bottom; with a limit, the nearest ancestors (fetch more from the highest one returned).
  const ancestors = store.ancestors(page).slice(-limit);
  res.json({ results: ancestors.map((a) => ({ id: a.id, type: 'page' })), _links: { base: wikiBase(res) } });
};

const pageVersions: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readPage)) return;
  const page = visiblePage(req, store, String(req.params['id']));
  const pageReq = readPage(req);
  oneOf(queryParam(req, 'body-format'), BULK_FORMATS, 'body-format');
  const sort = oneOf(queryParam(req, 'sort'), ['modified-date', '-modified-date'], 'sort') ?? '-modified-date';
  const versions = sort === '-modified-date' ? [...page.versions].reverse() : [...page.versions];
  sendPage(req, res, versions, pageReq, wikiBase(res), (v) => ({
    ...versionJson(v),
    page: { id: page.id, title: v.title },
  }));
};

const pageVersionDetails: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readPage)) return;
  const page = visiblePage(req, store, String(req.params['id']));
  const wanted = String(req.params['version']);
  if (!/^\d{1,9}$/.test(wanted)) throw new ConfluenceError(400, `Invalid version-number: ${wanted}`);
  const version = page.versions.find((v) => v.number === Number(wanted));
  if (!version) throw new ConfluenceError(404);
  res.json(detailedVersionJson(page.versions, version));
};

const pageLabels: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readPage)) return;
  const page = visiblePage(req, store, String(req.params['id']));
  const pageReq = readPage(req);
  const prefix = oneOf(queryParam(req, 'prefix'), ['my', 'team', 'global', 'system'], 'prefix');
  const sort = oneOf(queryParam(req, 'sort'), ['created-date', '-created-date', 'id', '-id', 'name', '-name'], 'sort');
  let labels = page.labels.filter((l) => prefix === null || l.prefix === prefix);
  if (sort?.endsWith('name'))
    labels = [...labels].sort((a, b) => compare(a.name, b.name) * (sort.startsWith('-') ? -1 : 1));
  if (sort?.endsWith('id'))
    labels = [...labels].sort((a, b) => (Number(a.id) - Number(b.id)) * (sort.startsWith('-') ? -1 : 1));
  sendPage(req, res, labels, pageReq, wikiBase(res), labelJson);
};

// ---- blog posts ----

const listBlogPosts: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readBlogPost)) return;
  const page = readPage(req);
  const format = oneOf(queryParam(req, 'body-format'), BULK_FORMATS, 'body-format');
  const sort = oneOf(queryParam(req, 'sort'), PAGE_SORTS, 'sort');
  const spaceIds = queryList(req, 'space-id')?.map((id) => numericId(id, 'space-id'));
  const statuses = allOf(queryList(req, 'status'), LIST_STATUSES, 'status') ?? ['current'];
  const title = queryParam(req, 'title');
  const posts = store
    .pagesOf('blogpost')
    .filter(
      (p) =>
        (!spaceIds || spaceIds.includes(p.spaceId)) &&
        (statuses as string[]).includes(p.status) &&
        (title === undefined || latest(p).title === title),
    );
  const base = wikiBase(res);
  sendPage(req, res, sortPages(posts, sort), page, base, (p) => blogPostJson(store, p, { format, wikiBase: base }));
};

const getBlogPost: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readBlogPost)) return;
  const format = oneOf(queryParam(req, 'body-format'), SINGLE_FORMATS, 'body-format');
  const post = store.content(numericId(String(req.params['id'])));
  if (!post || post.kind !== 'blogpost' || post.status !== 'current') throw new ConfluenceError(404);
  res.json(blogPostJson(store, post, { format, wikiBase: wikiBase(res), single: true }));
};

// ---- footer comments ----

function sortComments<T extends { createdAt: number; versions: readonly { createdAt: number }[]; id: string }>(
  comments: T[],
  sort: string,
): T[] {
  const key = (c: T): number =>
    sort.endsWith('modified-date') ? c.versions[c.versions.length - 1]!.createdAt : c.createdAt;
  return comments.sort((a, b) => (sort.startsWith('-') ? -1 : 1) * (key(a) - key(b)) || Number(a.id) - Number(b.id));
}

const pageFooterComments: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readComment)) return;
  const page = visiblePage(req, store, String(req.params['id']));
  const pageReq = readPage(req);
  const format = oneOf(queryParam(req, 'body-format'), BULK_FORMATS, 'body-format');
  const sort = oneOf(queryParam(req, 'sort'), COMMENT_SORTS, 'sort') ?? 'created-date';
  // Replies are fetched from their parent comment, not listed with the page.
  const comments = sortComments(
    store.commentsOn(page.id).filter((c) => c.parentCommentId === null),
    sort,
  );
  const base = wikiBase(res);
  sendPage(req, res, comments, pageReq, base, (c) => commentJson(store, c, { format, wikiBase: base }));
};

const listFooterComments: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readComment)) return;
  const pageReq = readPage(req);
  const format = oneOf(queryParam(req, 'body-format'), BULK_FORMATS, 'body-format');
  const sort = oneOf(queryParam(req, 'sort'), COMMENT_SORTS, 'sort') ?? 'created-date';
  const comments = sortComments(
    [...store.comments.values()].filter((c) => c.status === 'current'),
    sort,
  );
  const base = wikiBase(res);
  sendPage(req, res, comments, pageReq, base, (c) => commentJson(store, c, { format, wikiBase: base, single: true }));
};

const getFooterComment: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readComment)) return;
  const format = oneOf(queryParam(req, 'body-format'), SINGLE_FORMATS, 'body-format');
  const comment = store.comments.get(numericId(String(req.params['id']), 'comment-id'));
  if (!comment || comment.status !== 'current') throw new ConfluenceError(404);
  res.json(commentJson(store, comment, { format, wikiBase: wikiBase(res), single: true }));
};

const createFooterComment: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.writeComment)) return;
  const body = requestBody(req);
  const containerId = stringField(body, 'pageId') ?? stringField(body, 'blogPostId');
  const parentCommentId = stringField(body, 'parentCommentId');
  if (containerId === null && parentCommentId === null)
    throw new ConfluenceError(400, 'One of pageId, blogPostId or parentCommentId is required');
  const bodyInput = readBodyInput(body['body'], true)!;
  const comment = store.createFooterComment(
    containerId === null ? null : numericId(containerId, 'pageId'),
    parentCommentId === null ? null : numericId(parentCommentId, 'parentCommentId'),
    bodyInput,
    context(res).user.accountId,
  );
  res
    .status(201)
    .json(commentJson(store, comment, { format: echoFormat(bodyInput), wikiBase: wikiBase(res), single: true }));
};

const footerCommentChildren: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.readComment)) return;
  const parent = store.comments.get(numericId(String(req.params['id'])));
  if (!parent || parent.status !== 'current') throw new ConfluenceError(404);
  const pageReq = readPage(req);
  const format = oneOf(queryParam(req, 'body-format'), BULK_FORMATS, 'body-format');
  const sort = oneOf(queryParam(req, 'sort'), COMMENT_SORTS, 'sort') ?? 'created-date';
  const base = wikiBase(res);
  sendPage(req, res, sortComments(store.repliesTo(parent.id), sort), pageReq, base, (c) =>
    childCommentJson(store, c, { format, wikiBase: base }),
  );
};

// ---- v1 content operations v2 has no equivalent for (still live) ----

const LABEL_PREFIXES = ['global', 'my', 'team'] as const;
const LABEL_INVALID = /[!#&()*,.:;<>?@[\]^]/;
const LABEL_MAX = 255;

/** `POST /rest/api/content/{id}/label` with a LabelCreate or an array of them; answers every label. */
const addContentLabels: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.writeLabel)) return;
  const id = numericId(String(req.params['id']));
  const content = store.content(id);
  if (!content || content.status === 'trashed' || content.status === 'draft')
    throw new ConfluenceError(404, `No content found with id: ${id}`);
  const raw: unknown = req.body;
  const items = Array.isArray(raw) ? raw : [raw];
  if (items.length === 0) throw new ConfluenceError(400, 'At least one label is required');
  const labels: { prefix: (typeof LABEL_PREFIXES)[number]; name: string }[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || typeof (item as Record<string, unknown>)['name'] !== 'string')
      throw new ConfluenceError(400, 'Each label needs a name');
    const fields = item as Record<string, unknown>;
    const prefix =
      oneOf(typeof fields['prefix'] === 'string' ? fields['prefix'] : undefined, LABEL_PREFIXES, 'prefix') ?? 'global';
    // A space separates labels, as in the editor; names are stored in lower case.
    const names = (fields['name'] as string).trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (names.length === 0) throw new ConfluenceError(400, 'Label name cannot be empty');
    for (const name of names) {
      if (name.length > LABEL_MAX)
        throw new ConfluenceError(
          400,
          `Label '${name.slice(0, 40)}…' is too long: a label can have at most ${LABEL_MAX} characters`,
        );
      if (LABEL_INVALID.test(name))
        throw new ConfluenceError(
          400,
          `Label '${name}' contains an invalid character. Labels cannot contain spaces or any of: ! # & ( ) * , . : ; < > ? @ [ ] ^`,
        );
      labels.push({ prefix, name });
    }
  }
  const labelled = store.addLabels(id, labels);
  const base = wikiBase(res);
  const results = labelled.labels.map((l) => ({
    prefix: l.prefix,
    name: l.name,
    id: l.id,
    label: l.prefix === 'global' ? l.name : `${l.prefix}:${l.name}`,
  }));
  res.json({
    results,
    start: 0,
    limit: 200,
    size: results.length,
    _links: { base, context: '/wiki', self: `${base}/rest/api/content/${id}/label` },
  });
};

/** `PUT /rest/api/content/{pageId}/move/{position}/{targetId}` → `{pageId}`. */
const moveContent: Handler = (req, res, store) => {
  if (!requireScope(req, res, SCOPES.writePage)) return;
  const position = oneOf(String(req.params['position']), ['before', 'after', 'append'], 'position')!;
  const id = numericId(String(req.params['id']), 'pageId');
  const targetId = numericId(String(req.params['targetId']), 'targetId');
  store.movePage(id, position, targetId);
  res.json({ pageId: id });
};

function requestBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ConfluenceError(400, 'The request body must be a JSON object');
  return body as Record<string, unknown>;
}

// ---- wiring ----

/**
 * The Confluence router. It sees `/api/v2/...` and `/rest/api/...` relative to the Confluence base
 * and reads the site, user and scopes the gateway put in the request context.
 */
export function createConfluenceRouter(
  storeFor: (site: SiteRecord) => ConfluenceStore,
  media: MediaHost,
): express.Router {
  const router = express.Router();
  const v2 =
    (handler: Handler) =>
    (req: Request, res: Response): void => {
      try {
        handler(req, res, storeFor(context(res).site));
      } catch (error) {
        if (!(error instanceof ConfluenceError)) throw error;
        confluenceV2Error(res, error.status, error.detail);
      }
    };

  router.use(createFilesRouter((res) => storeFor(context(res).site), 'cloud', media));
  router.use(express.json({ limit: '5mb' }));
  router.use('/api/v2', (req, res, next) => {
    // Writes must say they are JSON; Confluence answers anything else with 415.
    if ((req.method === 'POST' || req.method === 'PUT') && !req.is('application/json')) {
      return void res.status(415).json({
        errors: [{ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported Media Type', detail: null }],
      });
    }
    next();
  });
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    // Malformed JSON bodies: answered in the API's own error shape.
    const status = (error as { status?: number }).status ?? 400;
    if (req.path.startsWith('/api/v2/'))
      return confluenceV2Error(
        res,
        status,
        status === 413 ? 'Request entity too large' : 'Invalid JSON in the request body',
      );
    if (req.path.startsWith('/rest/')) return confluenceV1Error(res, status, 'Invalid JSON in the request body');
    next(error);
  });

  router.get('/api/v2/spaces', v2(listSpaces));
  router.get('/api/v2/spaces/:id', v2(getSpace));
  router.get('/api/v2/spaces/:id/pages', v2(listSpacePages));
  router.get('/api/v2/pages', v2(listPages));
  router.post('/api/v2/pages', v2(createPage));
  router.get('/api/v2/pages/:id', v2(getPage));
  router.put('/api/v2/pages/:id', v2(updatePage));
  router.delete('/api/v2/pages/:id', v2(deletePage));
  router.get('/api/v2/pages/:id/children', v2(pageChildren(false)));
  router.get('/api/v2/pages/:id/direct-children', v2(pageChildren(true)));
  router.get('/api/v2/pages/:id/ancestors', v2(pageAncestors));
  router.get('/api/v2/pages/:id/versions', v2(pageVersions));
  router.get('/api/v2/pages/:id/versions/:version', v2(pageVersionDetails));
  router.get('/api/v2/pages/:id/labels', v2(pageLabels));
  router.get('/api/v2/pages/:id/footer-comments', v2(pageFooterComments));
  router.get('/api/v2/blogposts', v2(listBlogPosts));
  router.get('/api/v2/blogposts/:id', v2(getBlogPost));
  router.get('/api/v2/footer-comments', v2(listFooterComments));
  router.post('/api/v2/footer-comments', v2(createFooterComment));
  router.get('/api/v2/footer-comments/:id', v2(getFooterComment));
  router.get('/api/v2/footer-comments/:id/children', v2(footerCommentChildren));
  router.post('/api/v2/users-bulk', v2(usersBulk));
  cloudAdminV2Routes(router, v2);
  router.use('/api/v2', (_req, res) => confluenceV2Error(res, 404, null));

  const v1 =
    (handler: Handler) =>
    (req: Request, res: Response): void => {
      try {
        handler(req, res, storeFor(context(res).site));
      } catch (error) {
        if (!(error instanceof ConfluenceError)) throw error;
        confluenceV1Error(res, error.status, error.detail ?? (error.status === 404 ? 'Not Found' : 'Bad Request'));
      }
    };
  router.get('/rest/api/search', (req, res) => handleSearch(req, res, storeFor(context(res).site)));
  router.get('/rest/api/search/user', v1(searchUsers));
  router.post(
    '/rest/api/content/:id/label',
    (req, res, next) => {
      // v1 writes must be JSON too; Confluence answers anything else with 415.
      if (!req.is('application/json')) return void confluenceV1Error(res, 415, 'Unsupported Media Type');
      next();
    },
    v1(addContentLabels),
  );
  router.put('/rest/api/content/:id/move/:position/:targetId', v1(moveContent));
  cloudAdminV1Routes(router, v1);
  cloudContentRoutes(router, v1);
  // The v1 content API was removed in favour of v2 (RFC-19); newer sites answer 410 Gone.
  const gone = (_req: Request, res: Response): void => {
    confluenceV1Error(
      res,
      410,
      'This API has been removed. Please migrate to the Confluence REST API v2: https://developer.atlassian.com/cloud/confluence/rest/v2/intro/',
    );
  };
  router.all('/rest/api/content', gone);
  router.all(['/rest/api/content/:id', '/rest/api/content/:id/*rest'], (req, res, next) => {
    if (/^\d+$/.test(String(req.params['id']))) gone(req, res);
    else next();
  });
  return router;
}
