// Confluence Data Center as its REST API documents it (no v2): `/rest/api/content` (read, create,
// update, delete, children, comments, versions, labels), `/rest/api/space/{key}` and CQL search with
// `start`/`limit`. Mounted under a context path (`/confluence` on its own host, or Jira's `/wiki`);
// links carry that path. `/api/v2/*` answers DC's HTML 404, as a real server does.
import express from 'express';
import type { Request, Response } from 'express';
import { context } from '../context';
import type { SiteRecord } from '../context';
import { confluenceV1Error } from '../errors';
import { USERS } from '../data/users';
import { createFilesRouter } from './files';
import { dcAdminRoutes } from './admin';
import { handleSearch } from './search';
import { ConfluenceError, latest, renderBody, webuiPath } from './store';
import type { ConfluenceStore, ContentRecord, VersionRecord } from './store';

function userJson(accountId: string): Record<string, unknown> {
  const user = USERS.find((u) => u.accountId === accountId);
  const username = user ? user.email.split('@')[0] : accountId;
  return { type: 'known', username, userKey: `key-${username}`, displayName: user?.displayName ?? username };
}

function versionJson(v: VersionRecord): Record<string, unknown> {
  return {
    by: userJson(v.authorId),
    when: new Date(v.createdAt).toISOString(),
    message: v.message,
    number: v.number,
    minorEdit: v.minorEdit,
  };
}

function contentJson(store: ConfluenceStore, res: Response, page: ContentRecord, v = latest(page)) {
  const base = context(res).confluenceBase;
  const space = store.space(page.spaceId)!;
  return {
    id: page.id,
    type: page.kind,
    status: page.status,
    title: v.title,
    space: { key: space.key, name: space.name, type: 'global' },
    version: versionJson(v),
    ancestors: store.ancestors(page).map((a) => ({ id: a.id, type: 'page', title: latest(a).title })),
    body: { storage: { value: renderBody(v.body, 'storage', base), representation: 'storage' } },
    _links: { webui: webuiPath(space.key, page.id, v.title), base, context: new URL(base).pathname },
  };
}

function visible(store: ConfluenceStore, id: string): ContentRecord {
  const page = store.content(id);
  if (!page || page.status === 'trashed') throw new ConfluenceError(404, `No content found with id: ${id}`);
  return page;
}

function paged(res: Response, req: Request, all: unknown[]): void {
  const start = Number(req.query.start ?? 0);
  const limit = Math.min(Number(req.query.limit ?? 25), 200);
  const results = all.slice(start, start + limit);
  const base = context(res).confluenceBase;
  const more = start + limit < all.length;
  res.json({
    results,
    start,
    limit,
    size: results.length,
    _links: { base, ...(more ? { next: `${req.path}?start=${start + limit}&limit=${limit}` } : {}) },
  });
}

/** What DC's v1 create/update accept (the parts the sandbox reads). */
interface V1Write {
  type?: string;
  title?: string;
  space?: { key?: string };
  container?: { id?: string };
  ancestors?: { id: string }[];
  body?: Record<string, { value?: string; representation?: string }>;
  version?: { number?: number; message?: string };
}

/** A v1 write body `{storage|wiki:{value,representation}}` as the store's input. */
function bodyInput(body: Record<string, { value?: string; representation?: string }> | undefined) {
  const kind = body?.storage ? 'storage' : body?.wiki ? 'wiki' : undefined;
  if (!kind) throw new ConfluenceError(400, 'A body in storage or wiki representation is required.');
  return { representation: kind, value: String(body![kind]!.value ?? '') } as const;
}

export function createConfluenceDcRouter(storeFor: (site: SiteRecord) => ConfluenceStore): express.Router {
  const router = express.Router();
  router.use(createFilesRouter((res) => storeFor(context(res).site), 'datacenter'));
  router.use(express.json({ limit: '5mb' }));
  router.use('/api/v2', (_req, res) => {
    res.status(404).type('html').send('<html><body><h1>HTTP Status 404 – Not Found</h1></body></html>');
  });
  const h =
    (handler: (req: Request, res: Response, store: ConfluenceStore) => void) =>
    (req: Request, res: Response): void => {
      try {
        handler(req, res, storeFor(context(res).site));
      } catch (error) {
        if (!(error instanceof ConfluenceError)) throw error;
        confluenceV1Error(res, error.status, error.detail ?? 'Bad Request');
      }
    };
  router.get('/rest/api/search', (req, res) => handleSearch(req, res, storeFor(context(res).site)));
  dcAdminRoutes(router, h);
  router.get(
    '/rest/api/space/:key',
    h((req, res, store) => {
      const space = store.spaceByKey(String(req.params.key));
      if (!space) throw new ConfluenceError(404, `No space with key : ${String(req.params.key)}`);
      res.json({ id: Number(space.id), key: space.key, name: space.name, type: 'global' });
    }),
  );
  router.get(
    '/rest/api/content',
    h((req, res, store) => {
      const space = store.spaceByKey(String(req.query.spaceKey ?? ''));
      const title = String(req.query.title ?? '');
      const found = store
        .pagesOf('page')
        .filter((p) => p.status === 'current' && (!space || p.spaceId === space.id))
        .filter((p) => !title || latest(p).title === title);
      paged(
        res,
        req,
        found.map((p) => contentJson(store, res, p)),
      );
    }),
  );
  router.post(
    '/rest/api/content',
    h((req, res, store) => {
      const b = req.body as V1Write;
      const author = context(res).user.accountId;
      if (b.type === 'comment') {
        const parent = (b.ancestors as { id: string }[] | undefined)?.[0]?.id ?? null;
        const c = store.createFooterComment(parent ? null : String(b.container?.id), parent, bodyInput(b.body), author);
        res.json({ id: c.id, type: 'comment', version: versionJson(latest(c)), body: b.body });
        return;
      }
      const space = store.spaceByKey(String(b.space?.key ?? ''));
      if (!space) throw new ConfluenceError(404, `No space with key : ${String(b.space?.key)}`);
      const page = store.createPage(
        {
          spaceId: space.id,
          title: b.title ?? null,
          parentId: b.ancestors?.[0]?.id ?? null,
          status: 'current',
          body: bodyInput(b.body),
          rootLevel: false,
        },
        author,
      );
      res.json(contentJson(store, res, page));
    }),
  );
  router.get(
    '/rest/api/content/:id',
    h((req, res, store) => {
      const page = visible(store, String(req.params.id));
      const wanted = req.query.version ? Number(req.query.version) : undefined;
      const v = wanted ? page.versions.find((x) => x.number === wanted) : latest(page);
      if (!v) throw new ConfluenceError(404, `No content found with id: ${page.id} and version ${wanted}`);
      res.json(contentJson(store, res, page, v));
    }),
  );
  router.put(
    '/rest/api/content/:id',
    h((req, res, store) => {
      const b = req.body as V1Write;
      const page = store.updatePage(
        String(req.params.id),
        {
          status: 'current',
          title: String(b.title ?? ''),
          spaceId: null,
          parentId: b.ancestors?.[0]?.id ?? null,
          ownerId: null,
          body: bodyInput(b.body),
          versionNumber: Number(b.version?.number),
          versionMessage: String(b.version?.message ?? ''),
        },
        context(res).user.accountId,
      );
      res.json(contentJson(store, res, page));
    }),
  );
  router.delete(
    '/rest/api/content/:id',
    h((req, res, store) => {
      store.deletePage(String(visible(store, String(req.params.id)).id), false);
      res.status(204).end();
    }),
  );
  router.get(
    '/rest/api/content/:id/child/page',
    h((req, res, store) => {
      const page = visible(store, String(req.params.id));
      paged(
        res,
        req,
        store.children(page.id).map((c) => contentJson(store, res, c)),
      );
    }),
  );
  router.get(
    '/rest/api/content/:id/child/comment',
    h((req, res, store) => {
      const page = visible(store, String(req.params.id));
      const base = context(res).confluenceBase;
      const comments = store.commentsOn(page.id).map((c) => ({
        id: c.id,
        type: 'comment',
        version: versionJson(latest(c)),
        body: { storage: { value: renderBody(latest(c).body, 'storage', base), representation: 'storage' } },
      }));
      paged(res, req, comments);
    }),
  );
  router.get(
    '/rest/api/content/:id/version',
    h((req, res, store) => {
      const page = visible(store, String(req.params.id));
      paged(res, req, [...page.versions].reverse().map(versionJson));
    }),
  );
  router.get(
    '/rest/api/content/:id/label',
    h((req, res, store) => {
      const page = visible(store, String(req.params.id));
      paged(
        res,
        req,
        page.labels.map((l) => ({ prefix: l.prefix, name: l.name, id: l.id })),
      );
    }),
  );
  router.post(
    '/rest/api/content/:id/label',
    h((req, res, store) => {
      const labels = (req.body as { prefix?: string; name: string }[]).map((l) => ({
        prefix: (l.prefix ?? 'global') as 'global',
        name: l.name,
      }));
      const page = store.addLabels(String(req.params.id), labels);
      paged(
        res,
        req,
        page.labels.map((l) => ({ prefix: l.prefix, name: l.name, id: l.id })),
      );
    }),
  );
  return router;
}
