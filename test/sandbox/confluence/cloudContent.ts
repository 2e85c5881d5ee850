// Confluence Cloud's v1 operations that Data Center's REST API lacks, as the Cloud docs describe
// them: page templates (`/rest/api/template`), the single-page copy (`/rest/api/content/{id}/copy`)
// and view analytics (`/rest/api/analytics/content/{id}/views|viewers`, deterministic counts).
import type { Request, Response, Router } from 'express';
import { context, requireScope } from '../context';
import { hashString } from '../data/confluence-seed';
import { USERS } from '../data/users';
import { queryParam } from './paging';
import { currentPage, restrictionsOf } from './admin';
import { ConfluenceError, latest, renderBody, webuiPath, type ConfluenceStore } from './store';

type Handler = (req: Request, res: Response, store: ConfluenceStore) => void;
type Wrap = (handler: Handler) => (req: Request, res: Response) => void;

interface TemplateRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly spaceKey: string | null;
  readonly labels: readonly string[];
  readonly storage: string;
}

const TEMPLATES: readonly TemplateRecord[] = [
  {
    id: '98305',
    name: 'Meeting notes',
    description: 'Agenda, attendees, decisions and action items',
    spaceKey: null,
    labels: ['meeting-notes'],
    storage:
      '<h2>Attendees</h2><ul><li><p><ac:placeholder>@mention attendees</ac:placeholder></p></li></ul><h2>Agenda</h2><p><at:var at:name="agenda" /></p><h2>Action items</h2><ac:task-list><ac:task><ac:task-status>incomplete</ac:task-status><ac:task-body>Follow up</ac:task-body></ac:task></ac:task-list>',
  },
  {
    id: '98306',
    name: 'Decision',
    description: 'Record a decision with its context and options',
    spaceKey: null,
    labels: ['decision'],
    storage:
      '<h2>Context</h2><p>What is being decided and why now.</p><h2>Options</h2><ol><li><p>Option A</p></li></ol>',
  },
  {
    id: '98307',
    name: 'Runbook',
    description: 'How to operate a service',
    spaceKey: 'ENG',
    labels: ['runbook'],
    storage:
      '<h2>Service</h2><p>Owner, dashboards, alerts.</p><ac:structured-macro ac:name="info"><ac:rich-text-body><p>Page the on-call before restarting.</p></ac:rich-text-body></ac:structured-macro>',
  },
  {
    id: '98308',
    name: 'Incident review',
    description: 'Timeline, impact and follow-ups',
    spaceKey: 'OPS',
    labels: ['incident'],
    storage: '<h2>Timeline</h2><p>When it started, when it was found, when it ended.</p>',
  },
];

function templateJson(res: Response, t: TemplateRecord, withBody: boolean): Record<string, unknown> {
  return {
    templateId: t.id,
    name: t.name,
    description: t.description,
    labels: t.labels.map((name, i) => ({ prefix: 'global', name, id: String(7000 + i) })),
    templateType: 'page',
    editorVersion: 'v2',
    ...(t.spaceKey ? { space: { key: t.spaceKey } } : {}),
    ...(withBody ? { body: { storage: { value: t.storage, representation: 'storage' } } } : {}),
    _links: { base: context(res).confluenceBase },
  };
}

const TEMPLATE_SCOPES = ['read:confluence-content.summary', 'read:template:confluence'];

/** `GET /rest/api/template/page?spaceKey=`: a space's templates, or the global ones without a key. */
const listTemplates: Handler = (req, res) => {
  if (!requireScope(req, res, TEMPLATE_SCOPES)) return;
  const spaceKey = queryParam(req, 'spaceKey') ?? null;
  const start = Number(queryParam(req, 'start') ?? 0);
  const limit = Math.min(Number(queryParam(req, 'limit') ?? 25), 200);
  const all = TEMPLATES.filter((t) => t.spaceKey === spaceKey);
  const results = all
    .slice(start, start + limit)
    .map((t) => templateJson(res, t, queryParam(req, 'expand') === 'body'));
  const more = start + limit < all.length;
  res.json({
    results,
    start,
    limit,
    size: results.length,
    _links: {
      base: context(res).confluenceBase,
      ...(more ? { next: `/rest/api/template/page?start=${start + limit}` } : {}),
    },
  });
};

const getTemplate: Handler = (req, res) => {
  if (!requireScope(req, res, TEMPLATE_SCOPES)) return;
  const template = TEMPLATES.find((t) => t.id === String(req.params['templateId']));
  if (!template)
    throw new ConfluenceError(404, `Cannot find content template with id: ${String(req.params['templateId'])}`);
  res.json(templateJson(res, template, true));
};

/** `POST /rest/api/content/{id}/copy` with a `space` or `parent_page` destination. */
const copyPage: Handler = (req, res, store) => {
  if (!requireScope(req, res, ['write:confluence-content', 'write:page:confluence'])) return;
  const source = currentPage(store, String(req.params['id']));
  const body = (req.body ?? {}) as {
    destination?: { type?: string; value?: string };
    pageTitle?: string;
    copyLabels?: boolean;
    copyPermissions?: boolean;
  };
  const { type, value } = body.destination ?? {};
  let spaceId: string;
  let parentId: string | null = null;
  if (type === 'space') {
    const space = store.spaceByKey(String(value));
    if (!space) throw new ConfluenceError(404, `No space with key : ${String(value)}`);
    spaceId = space.id;
  } else if (type === 'parent_page') {
    const parent = currentPage(store, String(value));
    spaceId = parent.spaceId;
    parentId = parent.id;
  } else throw new ConfluenceError(400, `Unsupported destination type: ${String(type)}`);
  const base = context(res).confluenceBase;
  const copy = store.createPage(
    {
      spaceId,
      title: body.pageTitle ?? latest(source).title,
      parentId,
      status: 'current',
      body: { representation: 'storage', value: renderBody(latest(source).body, 'storage', base) },
      rootLevel: type === 'space',
    },
    context(res).user.accountId,
  );
  if (body.copyLabels) store.addLabels(copy.id, source.labels);
  if (body.copyPermissions)
    Object.assign(restrictionsOf(store, copy.id), structuredClone(restrictionsOf(store, source.id)));
  const space = store.space(copy.spaceId)!;
  const v = latest(copy);
  res.json({
    id: copy.id,
    type: 'page',
    status: 'current',
    title: v.title,
    space: { key: space.key, name: space.name, type: 'global' },
    version: { number: v.number, when: new Date(v.createdAt).toISOString(), minorEdit: false },
    _links: { webui: webuiPath(space.key, copy.id, v.title), base, context: '/wiki' },
  });
};

/** `GET /rest/api/analytics/content/{id}/views|viewers`: deterministic counts per page. */
const analytics =
  (what: 'views' | 'viewers'): Handler =>
  (req, res, store) => {
    if (!requireScope(req, res, ['read:confluence-content.summary', 'read:analytics.content:confluence'])) return;
    const page = currentPage(store, String(req.params['id']));
    const seed = hashString(`views/${page.id}`);
    const views = 5 + (seed % 400);
    const count = what === 'views' ? views : 1 + (seed % USERS.length);
    res.json({ id: Number(page.id), count });
  };

/** Mounted before the retired v1 content API answers 410. */
export function cloudContentRoutes(router: Router, wrap: Wrap): void {
  router.post('/rest/api/content/:id/copy', wrap(copyPage));
  router.get('/rest/api/template/page', wrap(listTemplates));
  router.get('/rest/api/template/:templateId', wrap(getTemplate));
  router.get('/rest/api/analytics/content/:id/views', wrap(analytics('views')));
  router.get('/rest/api/analytics/content/:id/viewers', wrap(analytics('viewers')));
}
