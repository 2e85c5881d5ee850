// Confluence attachments and inline comments, for Cloud (v2 list/read/delete attachments and inline
// comments, v1 multipart upload) and Data Center (`/rest/api/content/{id}/child/attachment`,
// `child/comment?location=inline`, attachments as content). Both read and write the same per-site
// state; downloads are served at `/download/attachments/{pageId}/{file}` below the Confluence base,
// as `_links.download` says: Cloud redirects that to its media host (media.ts), Data Center serves it.
import express from 'express';
import type { Request, Response } from 'express';
import { context, requireScope } from '../context';
import { confluenceV1Error, confluenceV2Error } from '../errors';
import { plainText } from './model';
import {
  COMMENT_WRITE,
  COMMENTS,
  DELETE,
  READ,
  WRITE,
  attachmentsOf,
  cloudJson,
  download,
  inlineJson,
  liveAttachment,
  livePage,
  pageOf,
  state,
  storesBySite,
  upload,
  v1Json,
  type InlineCommentRecord,
} from './filesModel';
import type { MediaHost } from './media';
import { ConfluenceError, latest, parseBody, type ConfluenceStore } from './store';

export { seedInlineComment } from './filesModel';
/** Routes shared by the Cloud and Data Center routers; mounted before their own. */
export function createFilesRouter(
  storeFor: (res: Response) => ConfluenceStore,
  flavour: 'cloud' | 'datacenter',
  media?: MediaHost,
): express.Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    storesBySite.set(context(res).site.name, storeFor(res));
    next();
  });
  const fail = (res: Response, error: unknown, v2: boolean) => {
    if (!(error instanceof ConfluenceError)) throw error;
    if (v2) confluenceV2Error(res, error.status, error.detail);
    else confluenceV1Error(res, error.status, error.detail ?? 'Bad Request');
  };
  const h =
    (scopes: readonly string[], handler: (req: Request, res: Response, store: ConfluenceStore) => unknown) =>
    async (req: Request, res: Response): Promise<void> => {
      if (!requireScope(req, res, scopes)) return;
      try {
        await handler(req, res, storeFor(res));
      } catch (error) {
        fail(res, error, req.path.startsWith('/api/v2/'));
      }
    };
  const base = (res: Response) => context(res).confluenceBase;
  const links = (res: Response, next: string | undefined) => ({ base: base(res), ...(next ? { next } : {}) });

  router.get(
    '/download/attachments/:pageId/:file',
    h(READ, (req, res, store) => download(req, res, store, media)),
  );
  router.put(
    '/rest/api/content/:id/child/attachment',
    h(WRITE, async (req, res, store) => {
      const added = await upload(req, res, store);
      res.json({ results: added.map((a) => v1Json(store, a, base(res))), size: added.length });
    }),
  );

  if (flavour === 'cloud') {
    router.get(
      '/api/v2/pages/:id/attachments',
      h(READ, (req, res, store) => {
        const page = livePage(store, String(req.params.id));
        const all = attachmentsOf(store, page.id, req).map(cloudJson);
        const p = pageOf(
          req,
          all,
          (o) =>
            `/wiki/api/v2/pages/${page.id}/attachments?limit=${Number(req.query.limit ?? 25)}&cursor=${Buffer.from(String(o)).toString('base64url')}`,
        );
        res.json({ results: p.results, _links: links(res, p.next) });
      }),
    );
    router.get(
      '/api/v2/attachments/:id',
      h(READ, (req, res, store) => void res.json(cloudJson(liveAttachment(store, String(req.params.id))))),
    );
    router.delete(
      '/api/v2/attachments/:id',
      h(DELETE, (req, res, store) => {
        liveAttachment(store, String(req.params.id)).status = 'trashed';
        res.status(204).end();
      }),
    );
    router.get(
      '/api/v2/pages/:id/inline-comments',
      h(COMMENTS, (req, res, store) => {
        const page = livePage(store, String(req.params.id));
        const all = [...state(store).inline.values()]
          .filter((c) => c.pageId === page.id)
          .map((c) => inlineJson(c, 'cloud', base(res)));
        const p = pageOf(
          req,
          all,
          (o) => `/wiki/api/v2/pages/${page.id}/inline-comments?cursor=${Buffer.from(String(o)).toString('base64url')}`,
        );
        res.json({ results: p.results, _links: links(res, p.next) });
      }),
    );
    router.post(
      '/api/v2/inline-comments',
      express.json(),
      h(COMMENT_WRITE, (req, res, store) => {
        const b = (req.body ?? {}) as {
          pageId?: string;
          body?: { representation?: 'storage' | 'atlas_doc_format' | 'wiki'; value?: string };
          inlineCommentProperties?: {
            textSelection?: string;
            textSelectionMatchCount?: number;
            textSelectionMatchIndex?: number;
          };
        };
        const page = livePage(store, String(b.pageId ?? ''));
        const props = b.inlineCommentProperties ?? {};
        const selection = String(props.textSelection ?? '');
        const text = plainText(latest(page).body.doc);
        const count = selection ? text.split(selection).length - 1 : 0;
        if (!selection || count === 0) throw new ConfluenceError(400, 'The text selection was not found in the page.');
        if (props.textSelectionMatchCount !== count || !(Number(props.textSelectionMatchIndex) < count))
          throw new ConfluenceError(400, 'textSelectionMatchCount and textSelectionMatchIndex do not match the page.');
        if (!b.body?.representation || b.body.value === undefined)
          throw new ConfluenceError(400, 'A body is required.');
        const s = state(store);
        const id = String(s.next++);
        const record: InlineCommentRecord = {
          id,
          pageId: page.id,
          body: parseBody({ representation: b.body.representation, value: b.body.value }),
          selection,
          markerRef: `marker-${id}`,
          authorId: context(res).user.accountId,
          createdAt: store.currentTime(),
          resolution: 'open',
        };
        s.inline.set(id, record);
        res.json(inlineJson(record, 'cloud', base(res)));
      }),
    );
    return router;
  }

  router.get(
    '/rest/api/content/:id/child/attachment',
    h(READ, (req, res, store) => {
      const page = livePage(store, String(req.params.id));
      const all = attachmentsOf(store, page.id, req).map((a) => v1Json(store, a, base(res)));
      const p = pageOf(
        req,
        all,
        (o) => `/rest/api/content/${page.id}/child/attachment?start=${o}&limit=${Number(req.query.limit ?? 25)}`,
      );
      res.json({
        results: p.results,
        start: p.start,
        limit: p.limit,
        size: p.results.length,
        _links: links(res, p.next),
      });
    }),
  );
  // Footer comments (no location) are the Data Center router's own.
  router.get('/rest/api/content/:id/child/comment', (req, res, next) => {
    if (req.query.location !== 'inline') return next();
    void h(COMMENTS, (r, s, store) => {
      const page = livePage(store, String(r.params.id));
      const all = [...state(store).inline.values()]
        .filter((c) => c.pageId === page.id)
        .map((c) => inlineJson(c, 'datacenter', base(s)));
      const p = pageOf(r, all, (o) => `/rest/api/content/${page.id}/child/comment?location=inline&start=${o}`);
      s.json({ results: p.results, start: p.start, limit: p.limit, size: p.results.length, _links: links(s, p.next) });
    })(req, res);
  });
  // Attachments are content on Data Center: read and deleted by id like pages.
  router.get('/rest/api/content/:id', (req, res, next) => {
    if (!String(req.params.id).startsWith('att')) return next();
    void h(READ, (r, s, store) => void s.json(v1Json(store, liveAttachment(store, String(r.params.id)), base(s))))(
      req,
      res,
    );
  });
  router.delete('/rest/api/content/:id', (req, res, next) => {
    if (!String(req.params.id).startsWith('att')) return next();
    void h(DELETE, (r, s, store) => {
      liveAttachment(store, String(r.params.id)).status = 'trashed';
      s.status(204).end();
    })(req, res);
  });
  return router;
}
