import assert from 'node:assert/strict';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { USERS } from '../../sandbox/data/users';
import type { SandboxUser } from '../../sandbox/data/users';
import { createConfluenceStore } from '../../sandbox/confluence';
import { confluenceSeed } from '../../sandbox/data/confluence-seed';
import { fromAdfString } from '../../sandbox/confluence/adf';
import { fromStorage } from '../../sandbox/confluence/storage';
import { displayNameOf } from '../../sandbox/confluence/store';
import { basic, bearer } from './platform-support';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const DAY = 86_400_000;
const [ADA, GRACE] = [USERS[0]!, USERS[1]!];
type SiteName = 'acme' | 'globex';

/** Every Confluence scope a well-configured app asks for (used on gateway calls that are not about scopes). */
const ALL_SCOPES = [
  'read:confluence-content.all',
  'read:confluence-space.summary',
  'write:confluence-content',
  'search:confluence',
  'write:comment:confluence',
];

let sandbox: Sandbox;

function site(name: SiteName) {
  return sandbox.discovery.sites.find((s) => s.name === name)!;
}

/** The site's own Confluence base (Basic email:apiToken). */
function wiki(name: SiteName): string {
  return `${site(name).url}/wiki`;
}

/** The api.atlassian.com-style Confluence base (OAuth bearer). */
function gatewayWiki(name: SiteName): string {
  return `${sandbox.discovery.apiBaseUrl}/ex/confluence/${site(name).cloudId}/wiki`;
}

interface CallOptions {
  method?: string;
  body?: unknown;
  rawBody?: string;
  user?: SandboxUser;
  scopes?: string;
}

interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
}

// Loose JSON for assertions; the tests pin down the fields that matter.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call<T = Json>(url: string, options: CallOptions = {}): Promise<Reply<T>> {
  const user = options.user ?? ADA;
  const viaGateway = url.startsWith(sandbox.discovery.apiBaseUrl);
  const scopes = options.scopes ?? (viaGateway ? ALL_SCOPES.join(' ') : undefined);
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...(scopes === undefined
      ? basic(user.email, user.apiToken)
      : bearer(sandbox.tokens.issue({ user, scopes: scopes.split(' ') }).access_token)),
  };
  let body: string | undefined;
  if (options.rawBody !== undefined || options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = options.rawBody ?? JSON.stringify(options.body);
  }
  const res = await fetch(url, { method: options.method ?? 'GET', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}

/** Follows `_links.next` (relative to the site root) until the last page. */
async function collect(name: SiteName, firstUrl: string): Promise<{ results: Json[]; pages: number }> {
  const results: Json[] = [];
  let url: string | undefined = firstUrl;
  let pages = 0;
  while (url) {
    const reply: Reply<Json> = await call(url);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    results.push(...(reply.body['results'] as Json[]));
    pages++;
    const next = reply.body['_links']['next'] as string | undefined;
    url = next ? `${site(name).url}${next}` : undefined;
  }
  return { results, pages };
}

function v2Error(status: number, code: string, title: string): (body: Json) => void {
  return (body) => {
    assert.equal(body['errors'].length, 1);
    const [error] = body['errors'];
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    assert.equal(error.title, title);
  };
}
const badRequest = v2Error(400, 'INVALID_REQUEST_PARAMETER', 'Bad Request');
const notFound = v2Error(404, 'NOT_FOUND', 'Not Found');

describe('sandbox Confluence', () => {
  let eng: Json;
  let team: Json;

  before(async () => {
    sandbox = await startSandbox({ clock: { now: () => NOW } });
    const spaces = await call(`${wiki('acme')}/api/v2/spaces`);
    eng = spaces.body['results'].find((s: Json) => s['key'] === 'ENG');
    team = spaces.body['results'].find((s: Json) => s['key'] === 'TEAM');
  });
  after(async () => {
    await sandbox.close();
  });

  async function pageByTitle(title: string, spaceId: string = eng['id']): Promise<Json> {
    const reply = await call(`${wiki('acme')}/api/v2/pages?space-id=${spaceId}&title=${encodeURIComponent(title)}`);
    assert.equal(reply.body['results'].length, 1, `one page titled ${title}`);
    return reply.body['results'][0];
  }

  describe('seed', () => {
    it('gives each Cloud site two spaces of at least 50 pages in a real hierarchy', async () => {
      for (const [site, keys] of [
        ['acme', ['ENG', 'TEAM']],
        ['globex', ['OPS', 'PROD']],
      ] as const) {
        const spaces = await call(`${wiki(site)}/api/v2/spaces`);
        assert.deepEqual(
          spaces.body['results'].map((s: Json) => s['key']),
          keys,
        );
        for (const space of spaces.body['results'] as Json[]) {
          const { results } = await collect(site, `${wiki(site)}/api/v2/spaces/${space['id']}/pages?limit=250`);
          assert.ok(results.length >= 50, `${space['key']} has ${results.length} pages`);
          const byId = new Map(results.map((p) => [p['id'], p]));
          const depth = (p: Json): number => (p['parentId'] === null ? 0 : 1 + depth(byId.get(p['parentId'])!));
          assert.equal(
            results
              .filter((p) => p['parentId'] === null)
              .map((p) => p['id'])
              .join(),
            space['homepageId'],
            'the home page is the only root',
          );
          assert.ok(
            results.some((p) => depth(p) === 3),
            'some pages are three levels below the home page',
          );
          assert.ok(
            results.some((p) => p['version']['number'] > 1),
            'some pages have been edited',
          );
        }
      }
    });

    it('is deterministic and site-specific', () => {
      const a = JSON.stringify(
        confluenceSeed('acme', NOW).map((s) =>
          s.pages.map((p) => [p.title, p.parent, p.labels, p.versions.map((v) => [v.authorId, v.createdAt])]),
        ),
      );
      const b = JSON.stringify(
        confluenceSeed('acme', NOW).map((s) =>
          s.pages.map((p) => [p.title, p.parent, p.labels, p.versions.map((v) => [v.authorId, v.createdAt])]),
        ),
      );
      assert.equal(a, b);
      const record = (name: SiteName) => sandbox.sites.find((s) => s.name === name)!;
      const acme = createConfluenceStore(record('acme'), { now: () => NOW });
      const again = createConfluenceStore(record('acme'), { now: () => NOW });
      assert.deepEqual([...acme.contents.keys()], [...again.contents.keys()]);
      const globexIds = new Set(createConfluenceStore(record('globex'), { now: () => NOW }).contents.keys());
      assert.ok(
        [...acme.contents.keys()].every((id) => !globexIds.has(id)),
        'sites use different id ranges',
      );
      const dates = [...acme.contents.values()].flatMap((c) => c.versions.map((v) => v.createdAt));
      assert.ok(
        dates.every((d) => d < NOW),
        'everything happened in the past',
      );
      assert.ok(Math.min(...dates) < NOW - 200 * DAY, 'dates spread over months');
    });

    it('stores one content model per page, so storage and ADF say the same thing', async () => {
      const { results } = await collect(
        'acme',
        `${wiki('acme')}/api/v2/spaces/${eng['id']}/pages?limit=100&body-format=storage`,
      );
      const adf = await collect(
        'acme',
        `${wiki('acme')}/api/v2/spaces/${eng['id']}/pages?limit=100&body-format=atlas_doc_format`,
      );
      const adfById = new Map(adf.results.map((p) => [p['id'], p['body']['atlas_doc_format']['value'] as string]));
      const nodeTypes = new Set<string>();
      const collectTypes = (node: Json): void => {
        nodeTypes.add(node['type']);
        for (const mark of node['marks'] ?? []) nodeTypes.add(`mark:${mark['type']}`);
        for (const child of node['content'] ?? []) collectTypes(child);
      };
      for (const page of results) {
        const storage = page['body']['storage'];
        assert.equal(storage['representation'], 'storage');
        const adfValue = adfById.get(page['id'])!;
        assert.equal(typeof adfValue, 'string', 'ADF travels as a JSON string');
        collectTypes(JSON.parse(adfValue));
        assert.deepEqual(
          fromStorage(storage['value'], displayNameOf),
          fromAdfString(adfValue),
          `${page['title']}: both representations carry the same content`,
        );
      }
      for (const type of [
        'heading',
        'paragraph',
        'bulletList',
        'orderedList',
        'listItem',
        'table',
        'tableHeader',
        'tableCell',
        'codeBlock',
        'panel',
        'mention',
        'emoji',
        'mark:link',
        'mark:strong',
        'mark:em',
        'mark:code',
      ]) {
        assert.ok(nodeTypes.has(type), `the space uses ${type}`);
      }
      const storageText = results.map((p) => p['body']['storage']['value']).join('');
      for (const fragment of [
        '<h2>',
        '<ul><li><p>',
        '<table',
        '<ac:structured-macro ac:name="code"',
        '<ac:structured-macro ac:name="info"',
        '<ri:user ri:account-id=',
        '<a href="',
        '<ac:emoticon',
      ]) {
        assert.ok(storageText.includes(fragment), `storage uses ${fragment}`);
      }
    });
  });

  describe('spaces', () => {
    it('lists spaces with filters and cursor pagination in _links.next and the Link header', async () => {
      const first = await call(`${wiki('acme')}/api/v2/spaces?limit=1`);
      assert.equal(first.status, 200);
      assert.match(first.headers.get('content-type')!, /^application\/json/);
      assert.equal(first.body['results'].length, 1);
      const next = first.body['_links']['next'] as string;
      assert.match(next, /^\/wiki\/api\/v2\/spaces\?limit=1&cursor=[\w-]+$/);
      assert.equal(first.body['_links']['base'], wiki('acme'));
      assert.equal(first.headers.get('link'), `<${next}>; rel="next", <${wiki('acme')}>; rel="base"`);
      const second = await call(`${site('acme').url}${next}`);
      assert.equal(second.body['results'][0]['key'], 'TEAM');
      assert.equal(second.body['_links']['next'], undefined);
      assert.equal(second.headers.get('link'), `<${wiki('acme')}>; rel="base"`);

      const space = first.body['results'][0];
      assert.deepEqual(Object.keys(space), [
        'id',
        'key',
        'name',
        'type',
        'status',
        'authorId',
        'createdAt',
        'homepageId',
        'description',
        'icon',
        'currentActiveAlias',
        '_links',
      ]);
      assert.equal(space['key'], 'ENG');
      assert.equal(space['name'], 'Engineering Handbook');
      assert.match(space['id'], /^\d+$/);
      assert.match(space['createdAt'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(space['_links'], { webui: '/spaces/ENG' });

      const byKey = await call(`${wiki('acme')}/api/v2/spaces?keys=TEAM&description-format=plain`);
      assert.deepEqual(
        byKey.body['results'].map((s: Json) => s['key']),
        ['TEAM'],
      );
      assert.equal(byKey.body['results'][0]['description']['plain']['representation'], 'plain');
      const byIds = await call(`${wiki('acme')}/api/v2/spaces?ids=${team['id']},${eng['id']}&sort=-key`);
      assert.deepEqual(
        byIds.body['results'].map((s: Json) => s['key']),
        ['TEAM', 'ENG'],
      );
    });

    it('gets one space, 404s an unknown one and 400s a malformed id', async () => {
      const one = await call(`${wiki('acme')}/api/v2/spaces/${eng['id']}`);
      assert.equal(one.status, 200);
      assert.equal(one.body['key'], 'ENG');
      assert.equal(one.body['_links']['base'], wiki('acme'));
      const missing = await call(`${wiki('acme')}/api/v2/spaces/999`);
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, {
        errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }],
      });
      const malformed = await call(`${wiki('acme')}/api/v2/spaces/ENG`);
      assert.equal(malformed.status, 400);
      badRequest(malformed.body);
    });

    it('keeps sites apart', async () => {
      const other = await call(`${wiki('globex')}/api/v2/spaces/${eng['id']}`);
      assert.equal(other.status, 404);
    });

    it('lists root pages only with depth=root', async () => {
      const root = await call(`${wiki('acme')}/api/v2/spaces/${eng['id']}/pages?depth=root`);
      assert.deepEqual(
        root.body['results'].map((p: Json) => p['id']),
        [eng['homepageId']],
      );
      assert.equal(root.body['results'][0]['title'], 'Engineering Handbook');
      const bad = await call(`${wiki('acme')}/api/v2/spaces/${eng['id']}/pages?depth=deep`);
      assert.equal(bad.status, 400);
      const missing = await call(`${wiki('acme')}/api/v2/spaces/12345/pages`);
      assert.equal(missing.status, 404);
    });
  });

  describe('page lists', () => {
    it('pages through every page exactly once with small limits', async () => {
      const all = await call(`${wiki('acme')}/api/v2/pages?space-id=${eng['id']},${team['id']}&limit=250`);
      const paged = await collect(
        'acme',
        `${wiki('acme')}/api/v2/pages?space-id=${eng['id']}&space-id=${team['id']}&limit=7`,
      );
      assert.ok(paged.pages > 10);
      assert.deepEqual(
        paged.results.map((p) => p['id']),
        all.body['results'].map((p: Json) => p['id']),
      );
      assert.equal(new Set(paged.results.map((p) => p['id'])).size, paged.results.length);
      assert.ok(paged.results.every((p) => p['status'] === 'current' || p['status'] === 'archived'));
    });

    it('keeps the other query parameters in the next link', async () => {
      const first = await call(
        `${wiki('acme')}/api/v2/pages?space-id=${eng['id']}&sort=-title&body-format=storage&limit=2`,
      );
      const next = new URL(first.body['_links']['next'], sandbox.url);
      assert.equal(next.pathname, '/wiki/api/v2/pages');
      assert.equal(next.searchParams.get('space-id'), eng['id']);
      assert.equal(next.searchParams.get('sort'), '-title');
      assert.equal(next.searchParams.get('body-format'), 'storage');
      assert.equal(next.searchParams.get('limit'), '2');
      const titles = first.body['results'].map((p: Json) => p['title']);
      assert.deepEqual(titles, [...titles].sort().reverse());
    });

    it('sorts, filters by title and status, and leaves bodies out unless asked', async () => {
      const byModified = await call(`${wiki('acme')}/api/v2/pages?space-id=${eng['id']}&sort=-modified-date&limit=250`);
      const stamps = byModified.body['results'].map((p: Json) => Date.parse(p['version']['createdAt']));
      assert.deepEqual(
        stamps,
        [...stamps].sort((a, b) => b - a),
      );
      assert.deepEqual(byModified.body['results'][0]['body'], {});
      const archived = await call(`${wiki('acme')}/api/v2/pages?space-id=${eng['id']}&status=archived`);
      assert.deepEqual(
        archived.body['results'].map((p: Json) => p['title']),
        ['Legacy Deployment Guide'],
      );
      const page = await pageByTitle('Database Failover');
      assert.deepEqual(Object.keys(page), [
        'id',
        'status',
        'title',
        'spaceId',
        'parentId',
        'parentType',
        'position',
        'authorId',
        'ownerId',
        'lastOwnerId',
        'createdAt',
        'version',
        'body',
        '_links',
      ]);
      assert.equal(page['parentType'], 'page');
      assert.deepEqual(Object.keys(page['version']), ['createdAt', 'message', 'number', 'minorEdit', 'authorId']);
      assert.equal(page['_links']['webui'], `/spaces/ENG/pages/${page['id']}/Database+Failover`);
      assert.match(page['_links']['tinyui'], /^\/x\/[\w-]+$/);
    });

    it('refuses bad parameters with 400 in the v2 error shape', async () => {
      for (const query of [
        'limit=0',
        'limit=251',
        'limit=ten',
        'cursor=not-a-cursor',
        'cursor=%%%',
        'body-format=view',
        'sort=colour',
        'status=draft',
        'space-id=ENG',
      ]) {
        const reply = await call(`${wiki('acme')}/api/v2/pages?${query}`);
        assert.equal(reply.status, 400, query);
        badRequest(reply.body);
      }
    });
  });

  describe('one page', () => {
    it('returns each body representation on request', async () => {
      const page = await pageByTitle('Database Failover');
      const base = `${wiki('acme')}/api/v2/pages/${page['id']}`;
      const storage = await call(`${base}?body-format=storage`);
      assert.equal(storage.status, 200);
      assert.equal(storage.body['body']['storage']['representation'], 'storage');
      assert.match(
        storage.body['body']['storage']['value'],
        /<ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="[0-9a-f-]{36}"><ac:parameter ac:name="language">\w+<\/ac:parameter><ac:plain-text-body><!\[CDATA\[/,
      );
      assert.equal(storage.body['_links']['base'], wiki('acme'));
      const adf = await call(`${base}?body-format=atlas_doc_format`);
      const doc = JSON.parse(adf.body['body']['atlas_doc_format']['value']);
      assert.equal(doc.type, 'doc');
      assert.equal(doc.version, 1);
      assert.ok(doc.content.some((n: Json) => n['type'] === 'codeBlock' && typeof n['attrs']['language'] === 'string'));
      const view = await call(`${base}?body-format=view`);
      assert.match(view.body['body']['view']['value'], /<h2 id="Symptoms">Symptoms<\/h2>/);
      assert.ok(!view.body['body']['view']['value'].includes('ac:structured-macro'), 'view is rendered HTML');
      const none = await call(base);
      assert.deepEqual(none.body['body'], {});
      const labels = await call(`${base}?include-labels=true&include-version=false`);
      assert.ok(labels.body['labels']['results'].some((l: Json) => l['name'] === 'runbook'));
      assert.equal(labels.body['version'], undefined);
    });

    it('404s unknown pages and 400s malformed ids', async () => {
      const missing = await call(`${wiki('acme')}/api/v2/pages/1`);
      assert.equal(missing.status, 404);
      notFound(missing.body);
      const malformed = await call(`${wiki('acme')}/api/v2/pages/abc`);
      assert.equal(malformed.status, 400);
      badRequest(malformed.body);
      const unknownRoute = await call(`${wiki('acme')}/api/v2/whiteboards-nope`);
      assert.equal(unknownRoute.status, 404);
      notFound(unknownRoute.body);
    });

    it('answers through the API gateway with the gateway as base', async () => {
      const page = await pageByTitle('Database Failover');
      const reply = await call(`${gatewayWiki('acme')}/api/v2/pages/${page['id']}`);
      assert.equal(reply.status, 200);
      assert.equal(reply.body['_links']['base'], gatewayWiki('acme'));
      const list = await call(`${gatewayWiki('acme')}/api/v2/pages?limit=1`);
      assert.match(list.body['_links']['next'], /^\/wiki\/api\/v2\/pages\?/);
      assert.equal(
        list.headers.get('link'),
        `<${list.body['_links']['next']}>; rel="next", <${gatewayWiki('acme')}>; rel="base"`,
      );
    });

    it('walks the tree: children, direct children, ancestors, versions, labels', async () => {
      const release = await pageByTitle('Release Process');
      const children = await call(`${wiki('acme')}/api/v2/pages/${release['id']}/children`);
      assert.deepEqual(
        children.body['results'].map((c: Json) => [c['title'], c['childPosition']]),
        [
          ['Hotfix Procedure', 0],
          ['Release Checklist', 1],
        ],
      );
      assert.deepEqual(Object.keys(children.body['results'][0]), ['id', 'status', 'title', 'spaceId', 'childPosition']);
      const direct = await call(`${wiki('acme')}/api/v2/pages/${release['id']}/direct-children`);
      assert.equal(direct.body['results'][0]['type'], 'page');
      const hotfix = await pageByTitle('Hotfix Procedure');
      const ancestors = await call(`${wiki('acme')}/api/v2/pages/${hotfix['id']}/ancestors`);
      const section = await pageByTitle('Development Process');
      assert.deepEqual(ancestors.body['results'], [
        { id: eng['homepageId'], type: 'page' },
        { id: section['id'], type: 'page' },
        { id: release['id'], type: 'page' },
      ]);
      const nearest = await call(`${wiki('acme')}/api/v2/pages/${hotfix['id']}/ancestors?limit=1`);
      assert.deepEqual(nearest.body['results'], [{ id: release['id'], type: 'page' }]);
      const labels = await call(`${wiki('acme')}/api/v2/pages/${hotfix['id']}/labels`);
      assert.deepEqual(
        labels.body['results'].map((l: Json) => [l['name'], l['prefix']]),
        [
          ['release', 'global'],
          ['hotfix', 'global'],
        ],
      );
      const edited = (
        await collect('acme', `${wiki('acme')}/api/v2/pages?space-id=${eng['id']}&limit=250`)
      ).results.find((p) => p['version']['number'] > 2)!;
      const versions = await call(`${wiki('acme')}/api/v2/pages/${edited['id']}/versions`);
      assert.deepEqual(
        versions.body['results'].map((v: Json) => v['number']),
        Array.from({ length: edited['version']['number'] }, (_, i) => edited['version']['number'] - i),
      );
      const v1 = await call(`${wiki('acme')}/api/v2/pages/${edited['id']}?version=1&body-format=storage`);
      assert.equal(v1.body['version']['number'], 1);
      const latest = await call(`${wiki('acme')}/api/v2/pages/${edited['id']}?body-format=storage`);
      assert.ok(
        v1.body['body']['storage']['value'].length < latest.body['body']['storage']['value'].length,
        'earlier versions are shorter drafts',
      );
    });
  });

  describe('writes', () => {
    it('creates a page (200), under the home page by default, visible in lists, children and search', async () => {
      const created = await call(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        user: GRACE,
        body: {
          spaceId: eng['id'],
          status: 'current',
          title: 'Sandbox Notes',
          body: {
            representation: 'storage',
            value:
              '<h2>Why</h2><p>Notes about the <strong>sandbox</strong> for <ac:link><ri:user ri:account-id="' +
              ADA.accountId +
              '" /></ac:link>.</p><ul><li><p>one</p><ul><li><p>nested</p></li></ul></li></ul>',
          },
        },
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const page = created.body;
      assert.match(page['id'], /^\d+$/);
      assert.equal(page['parentId'], eng['homepageId']);
      assert.equal(page['authorId'], GRACE.accountId);
      assert.equal(page['version']['number'], 1);
      assert.equal(page['body']['storage']['representation'], 'storage');
      assert.equal(page['_links']['base'], wiki('acme'));

      const adf = await call(`${wiki('acme')}/api/v2/pages/${page['id']}?body-format=atlas_doc_format`);
      const doc = JSON.parse(adf.body['body']['atlas_doc_format']['value']);
      assert.deepEqual(doc.content[0], {
        type: 'heading',
        attrs: { level: 2 },
        content: [{ type: 'text', text: 'Why' }],
      });
      assert.deepEqual(doc.content[1].content[3], {
        type: 'mention',
        attrs: { id: ADA.accountId, text: '@Ada Lovelace', accessLevel: '' },
      });
      assert.equal(doc.content[2].content[0].content[1].type, 'bulletList', 'nested list survives');

      const children = await call(`${wiki('acme')}/api/v2/pages/${eng['homepageId']}/children?limit=250`);
      assert.ok(children.body['results'].some((c: Json) => c['id'] === page['id']));
      const search = await call(`${wiki('acme')}/rest/api/search?cql=${encodeURIComponent('title = "Sandbox Notes"')}`);
      assert.deepEqual(
        search.body['results'].map((r: Json) => r['content']['id']),
        [page['id']],
      );
      const byText = await call(
        `${wiki('acme')}/rest/api/search?cql=${encodeURIComponent('text ~ "sandbox" AND creator = "' + GRACE.accountId + '"')}`,
      );
      assert.ok(byText.body['results'].some((r: Json) => r['content']['id'] === page['id']));
    });

    it('accepts ADF and wiki bodies, and nested body objects', async () => {
      const adfDoc = {
        type: 'doc',
        version: 1,
        content: [
          {
            type: 'panel',
            attrs: { panelType: 'warning' },
            content: [
              { type: 'paragraph', content: [{ type: 'text', text: 'Mind the gap', marks: [{ type: 'em' }] }] },
            ],
          },
        ],
      };
      const created = await call(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        body: {
          spaceId: team['id'],
          title: 'ADF Page',
          body: { representation: 'atlas_doc_format', value: JSON.stringify(adfDoc, null, 2) },
        },
      });
      assert.equal(created.status, 200);
      assert.equal(
        created.body['body']['atlas_doc_format']['value'],
        JSON.stringify(adfDoc),
        'ADF comes back compacted',
      );
      const storage = await call(`${wiki('acme')}/api/v2/pages/${created.body['id']}?body-format=storage`);
      assert.match(
        storage.body['body']['storage']['value'],
        /^<ac:structured-macro ac:name="note" [^>]*><ac:rich-text-body><p><em>Mind the gap<\/em><\/p><\/ac:rich-text-body><\/ac:structured-macro>$/,
      );

      const wikiPage = await call(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        body: {
          spaceId: team['id'],
          title: 'Wiki Page',
          body: {
            wiki: { representation: 'wiki', value: 'h1. Title\n\n* one\n** two\n\n{code:bash}\necho hi\n{code}' },
          },
        },
      });
      assert.equal(wikiPage.status, 200);
      assert.equal(
        wikiPage.body['body']['storage']['value'].replace(/ ac:macro-id="[^"]+"/, ''),
        '<h1>Title</h1><ul><li><p>one</p><ul><li><p>two</p></li></ul></li></ul><ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">bash</ac:parameter><ac:plain-text-body><![CDATA[echo hi]]></ac:plain-text-body></ac:structured-macro>',
      );
    });

    it('refuses invalid creates', async () => {
      const noSpace = await call(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        body: { title: 'x', body: { representation: 'storage', value: '<p>x</p>' } },
      });
      assert.equal(noSpace.status, 400);
      badRequest(noSpace.body);
      const duplicate = await call(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        body: {
          spaceId: eng['id'],
          title: 'Database Failover',
          body: { representation: 'storage', value: '<p>x</p>' },
        },
      });
      assert.equal(duplicate.status, 400);
      assert.equal(
        duplicate.body['errors'][0]['detail'],
        'A page with this title already exists: A page already exists with the same TITLE in this space',
      );
      const badXhtml = await call(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        body: { spaceId: eng['id'], title: 'Broken', body: { representation: 'storage', value: '<p><strong>x</p>' } },
      });
      assert.equal(badXhtml.status, 400);
      assert.match(
        badXhtml.body['errors'][0]['detail'],
        /^Error parsing xhtml: Unexpected close tag <\/p>; expected <\/strong>/,
      );
      const badAdf = await call(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        body: {
          spaceId: eng['id'],
          title: 'Broken ADF',
          body: { representation: 'atlas_doc_format', value: '{"type":"paragraph"}' },
        },
      });
      assert.equal(badAdf.status, 400);
      const unknownSpace = await call(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        body: { spaceId: '424242', title: 'Nowhere' },
      });
      assert.equal(unknownSpace.status, 404);
      const foreignParent = await call(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        body: { spaceId: team['id'], title: 'Orphan', parentId: eng['homepageId'] },
      });
      assert.equal(foreignParent.status, 400);
      const badJson = await call(`${wiki('acme')}/api/v2/pages`, { method: 'POST', rawBody: '{"spaceId": ' });
      assert.equal(badJson.status, 400);
      badRequest(badJson.body);
      const notJson = await fetch(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...basic(ADA.email, ADA.apiToken) },
        body: JSON.stringify({ spaceId: eng['id'], title: 'Plain' }),
      });
      assert.equal(notJson.status, 415);
      assert.equal(((await notJson.json()) as Json)['errors'][0]['status'], 415);
    });

    it('updates with version+1 (200) and answers 409 otherwise', async () => {
      const created = await call(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        body: { spaceId: eng['id'], title: 'Versioned', body: { representation: 'storage', value: '<p>v1</p>' } },
      });
      const id = created.body['id'];
      const update = (number: number, title = 'Versioned') =>
        call(`${wiki('acme')}/api/v2/pages/${id}`, {
          method: 'PUT',
          user: GRACE,
          body: {
            id,
            status: 'current',
            title,
            body: { representation: 'storage', value: `<p>v${number}</p>` },
            version: { number, message: `to v${number}` },
          },
        });
      const stale = await update(1);
      assert.equal(stale.status, 409);
      assert.deepEqual(stale.body, {
        errors: [
          {
            status: 409,
            code: 'CONFLICT',
            title: 'Conflict',
            detail: 'Version must be incremented on update. Current version is: 1',
          },
        ],
      });
      assert.equal((await update(3)).status, 409, 'skipping a version is a conflict too');
      sandbox.clock.advance(60_000);
      const ok = await update(2, 'Versioned and renamed');
      assert.equal(ok.status, 200);
      assert.equal(ok.body['version']['number'], 2);
      assert.equal(ok.body['version']['message'], 'to v2');
      assert.equal(ok.body['version']['authorId'], GRACE.accountId);
      assert.equal(
        ok.body['version']['createdAt'],
        new Date(NOW + 60_000).toISOString(),
        'the injected clock dates versions',
      );
      const read = await call(`${wiki('acme')}/api/v2/pages/${id}?body-format=storage`);
      assert.equal(read.body['title'], 'Versioned and renamed');
      assert.equal(read.body['body']['storage']['value'], '<p>v2</p>');
      const old = await call(`${wiki('acme')}/api/v2/pages/${id}?version=1&body-format=storage`);
      assert.equal(old.body['title'], 'Versioned');
      assert.equal(old.body['body']['storage']['value'], '<p>v1</p>');
      const search = await call(
        `${wiki('acme')}/rest/api/search?cql=${encodeURIComponent('title ~ "renamed" AND contributor = "' + GRACE.accountId + '"')}`,
      );
      assert.deepEqual(
        search.body['results'].map((r: Json) => r['content']['id']),
        [id],
      );

      const incomplete = await call(`${wiki('acme')}/api/v2/pages/${id}`, {
        method: 'PUT',
        body: { id, title: 'x', version: { number: 3 } },
      });
      assert.equal(incomplete.status, 400);
      assert.equal(incomplete.body['errors'][0]['detail'], 'Missing required fields: status, body');
      const missing = await call(`${wiki('acme')}/api/v2/pages/7`, {
        method: 'PUT',
        body: {
          id: '7',
          status: 'current',
          title: 'x',
          body: { representation: 'storage', value: '' },
          version: { number: 2 },
        },
      });
      assert.equal(missing.status, 404);
    });

    it('moves a page under a new parent and refuses cycles', async () => {
      const parent = await pageByTitle('Tooling');
      const child = await pageByTitle('CI Pipeline');
      const move = await call(`${wiki('acme')}/api/v2/pages/${parent['id']}`, {
        method: 'PUT',
        body: {
          id: parent['id'],
          status: 'current',
          title: 'Tooling',
          parentId: child['id'],
          body: { representation: 'storage', value: '<p>x</p>' },
          version: { number: parent['version']['number'] + 1 },
        },
      });
      assert.equal(move.status, 400, 'a page cannot move below its own child');
    });

    it('deletes to the trash (204): gone from reads, lists and search; children move up', async () => {
      const parent = await call(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        body: {
          spaceId: team['id'],
          title: 'Doomed Parent',
          body: { representation: 'storage', value: '<p>unique-doomed-word</p>' },
        },
      });
      const child = await call(`${wiki('acme')}/api/v2/pages`, {
        method: 'POST',
        body: { spaceId: team['id'], title: 'Surviving Child', parentId: parent.body['id'] },
      });
      const deleted = await call(`${wiki('acme')}/api/v2/pages/${parent.body['id']}`, { method: 'DELETE' });
      assert.equal(deleted.status, 204);
      assert.equal(deleted.body, null);
      assert.equal((await call(`${wiki('acme')}/api/v2/pages/${parent.body['id']}`)).status, 404);
      const trashed = await call(`${wiki('acme')}/api/v2/pages/${parent.body['id']}?status=trashed`);
      assert.equal(trashed.body['status'], 'trashed');
      const moved = await call(`${wiki('acme')}/api/v2/pages/${child.body['id']}`);
      assert.equal(moved.body['parentId'], team['homepageId']);
      const search = await call(
        `${wiki('acme')}/rest/api/search?cql=${encodeURIComponent('text ~ "unique-doomed-word"')}`,
      );
      assert.equal(search.body['totalSize'], 0);
      assert.equal((await call(`${wiki('acme')}/api/v2/pages/${parent.body['id']}`, { method: 'DELETE' })).status, 404);
      assert.equal(
        (await call(`${wiki('acme')}/api/v2/pages/${parent.body['id']}?purge=true`, { method: 'DELETE' })).status,
        204,
      );
      assert.equal((await call(`${wiki('acme')}/api/v2/pages/${parent.body['id']}?status=trashed`)).status, 404);
    });
  });

  describe('footer comments', () => {
    it('lists seeded comments on a page, oldest first', async () => {
      const all = await collect('acme', `${wiki('acme')}/api/v2/footer-comments?limit=250`);
      const perPage = new Map<string, number>();
      for (const c of all.results) perPage.set(c['pageId'], (perPage.get(c['pageId']) ?? 0) + 1);
      const commented = { id: [...perPage].find(([, count]) => count >= 2)![0] };
      const reply = await call(`${wiki('acme')}/api/v2/pages/${commented.id}/footer-comments?body-format=storage`);
      assert.equal(reply.status, 200);
      const comments = reply.body['results'] as Json[];
      assert.ok(comments.length >= 2);
      assert.deepEqual(Object.keys(comments[0]!), ['id', 'status', 'title', 'pageId', 'version', 'body', '_links']);
      assert.equal(comments[0]!['pageId'], commented.id);
      assert.match(comments[0]!['title'], /^Re: /);
      assert.match(comments[0]!['body']['storage']['value'], /^<p>/);
      const stamps = comments.map((c) => Date.parse(c['version']['createdAt']));
      assert.deepEqual(
        stamps,
        [...stamps].sort((a, b) => a - b),
      );
    });

    it('creates a comment (201), readable by id, listed and searchable', async () => {
      const page = await pageByTitle('Cache Flush');
      const created = await call(`${wiki('acme')}/api/v2/footer-comments`, {
        method: 'POST',
        user: GRACE,
        body: {
          pageId: page['id'],
          body: {
            representation: 'atlas_doc_format',
            value: JSON.stringify({
              type: 'doc',
              version: 1,
              content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Flushing takes ages on Mondays' }] }],
            }),
          },
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body['pageId'], page['id']);
      assert.equal(created.body['title'], 'Re: Cache Flush');
      assert.equal(created.body['version']['authorId'], GRACE.accountId);
      assert.equal(created.body['_links']['base'], wiki('acme'));
      const byId = await call(`${wiki('acme')}/api/v2/footer-comments/${created.body['id']}?body-format=storage`);
      assert.equal(byId.body['body']['storage']['value'], '<p>Flushing takes ages on Mondays</p>');
      const list = await call(`${wiki('acme')}/api/v2/pages/${page['id']}/footer-comments`);
      assert.ok(list.body['results'].some((c: Json) => c['id'] === created.body['id']));
      const search = await call(
        `${wiki('acme')}/rest/api/search?cql=${encodeURIComponent('type = comment AND text ~ "mondays"')}`,
      );
      assert.deepEqual(
        search.body['results'].map((r: Json) => r['content']['id']),
        [created.body['id']],
      );
      assert.match(
        search.body['results'][0]['url'],
        new RegExp(`\\?focusedCommentId=${created.body['id']}#comment-${created.body['id']}$`),
      );
    });

    it('refuses comments without a target or body, and 404s unknown pages', async () => {
      const noTarget = await call(`${wiki('acme')}/api/v2/footer-comments`, {
        method: 'POST',
        body: { body: { representation: 'storage', value: '<p>x</p>' } },
      });
      assert.equal(noTarget.status, 400);
      const noBody = await call(`${wiki('acme')}/api/v2/footer-comments`, {
        method: 'POST',
        body: { pageId: eng['homepageId'] },
      });
      assert.equal(noBody.status, 400);
      const unknown = await call(`${wiki('acme')}/api/v2/footer-comments`, {
        method: 'POST',
        body: { pageId: '5', body: { representation: 'storage', value: '<p>x</p>' } },
      });
      assert.equal(unknown.status, 404);
      notFound(unknown.body);
      assert.equal((await call(`${wiki('acme')}/api/v2/footer-comments/5`)).status, 404);
      assert.equal((await call(`${wiki('acme')}/api/v2/pages/5/footer-comments`)).status, 404);
    });
  });

  describe('OAuth scopes', () => {
    it('accepts classic or granular scopes and refuses the rest like the gateway', async () => {
      const page = await pageByTitle('Database Failover');
      const url = `${gatewayWiki('acme')}/api/v2/pages/${page['id']}`;
      assert.equal((await call(url, { scopes: 'read:page:confluence' })).status, 200);
      assert.equal((await call(url, { scopes: 'read:confluence-content.all' })).status, 200);
      const refused = await call(url, { scopes: 'read:space:confluence read:jira-work' });
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.body, { code: 401, message: 'Unauthorized; scope does not match' });
      assert.equal(
        (await call(`${gatewayWiki('acme')}/api/v2/spaces`, { scopes: 'read:confluence-space.summary' })).status,
        200,
      );
      const write = await call(`${gatewayWiki('acme')}/api/v2/pages`, {
        method: 'POST',
        scopes: 'read:page:confluence',
        body: { spaceId: eng['id'], title: 'Nope' },
      });
      assert.equal(write.status, 401);
      const comment = await call(`${gatewayWiki('acme')}/api/v2/footer-comments`, {
        method: 'POST',
        scopes: 'write:comment:confluence',
        body: { pageId: page['id'], body: { representation: 'storage', value: '<p>scoped</p>' } },
      });
      assert.equal(comment.status, 201);
      assert.equal(
        (await call(`${gatewayWiki('acme')}/rest/api/search?cql=type=page`, { scopes: 'read:page:confluence' })).status,
        401,
      );
      assert.equal(
        (await call(`${gatewayWiki('acme')}/rest/api/search?cql=type=page`, { scopes: 'search:confluence' })).status,
        200,
      );
    });
  });

  describe('CQL search (v1)', () => {
    const search = (cql: string, extra = '') =>
      call(`${wiki('acme')}/rest/api/search?cql=${encodeURIComponent(cql)}${extra}`);

    it('answers in the v1 search shape', async () => {
      const reply = await search(
        'type = page AND space = ENG AND title ~ "failover"',
        '&expand=content.space,content.version',
      );
      assert.equal(reply.status, 200);
      assert.deepEqual(Object.keys(reply.body), [
        'results',
        'start',
        'limit',
        'size',
        'totalSize',
        'cqlQuery',
        'searchDuration',
        '_links',
      ]);
      assert.equal(reply.body['cqlQuery'], 'type = page AND space = ENG AND title ~ "failover"');
      assert.equal(reply.body['limit'], 25);
      assert.equal(reply.body['start'], 0);
      assert.equal(reply.body['size'], reply.body['results'].length);
      assert.equal(reply.body['_links']['base'], wiki('acme'));
      assert.equal(reply.body['_links']['context'], '/wiki');
      const [result] = reply.body['results'];
      assert.equal(result['content']['title'], 'Database Failover');
      assert.equal(result['title'], 'Database @@@hl@@@Failover@@@endhl@@@', 'highlight markers by default');
      assert.equal(result['content']['type'], 'page');
      assert.equal(result['content']['space']['key'], 'ENG');
      assert.equal(typeof result['content']['version']['number'], 'number');
      assert.equal(result['entityType'], 'content');
      assert.equal(result['url'], result['content']['_links']['webui']);
      assert.equal(result['content']['_links']['self'], `${wiki('acme')}/rest/api/content/${result['content']['id']}`);
      assert.deepEqual(result['resultGlobalContainer'], { title: 'Engineering Handbook', displayUrl: '/spaces/ENG' });
      assert.match(result['lastModified'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(typeof result['friendlyLastModified'], 'string');
      const plain = await search('type = page AND title ~ "failover"', '&excerpt=none');
      assert.equal(plain.body['results'][0]['title'], 'Database Failover');
      assert.equal(plain.body['results'][0]['excerpt'], '');
    });

    it('counts and pages with a cursor in _links.next', async () => {
      const pages = (
        await collect('acme', `${wiki('acme')}/api/v2/pages?space-id=${eng['id']}&status=current&limit=250`)
      ).results;
      const first = await search('type = page AND space = "ENG" ORDER BY title', '&limit=20');
      assert.equal(first.body['totalSize'], pages.length);
      assert.equal(first.body['size'], 20);
      const titles: string[] = first.body['results'].map((r: Json) => r['content']['title']);
      let next: string | undefined = first.body['_links']['next'];
      assert.match(next!, /^\/rest\/api\/search\?next=true&cursor=[\w-]+&limit=20&start=20&cql=/);
      while (next) {
        const page: Reply<Json> = await call(`${wiki('acme')}${next}`);
        assert.equal(page.status, 200);
        titles.push(...page.body['results'].map((r: Json) => r['content']['title']));
        next = page.body['_links']['next'];
        if (next) assert.ok(page.body['_links']['prev']);
      }
      assert.equal(titles.length, pages.length);
      assert.deepEqual(
        titles,
        [...titles].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
      );
    });

    it('resolves currentUser(), dates relative to the clock, labels and ancestors', async () => {
      const current = (await collect('acme', `${wiki('acme')}/api/v2/pages?status=current&limit=250`)).results;
      const idsOf = (reply: Reply<Json>): string[] => reply.body['results'].map((r: Json) => r['content']['id']).sort();
      const mine = await search('type = page AND creator = currentUser()', '&limit=500');
      assert.deepEqual(
        idsOf(mine),
        current
          .filter((p) => p['authorId'] === ADA.accountId)
          .map((p) => p['id'])
          .sort(),
      );
      const gracesView = await call(
        `${wiki('acme')}/rest/api/search?cql=${encodeURIComponent('type = page AND creator = currentUser()')}&limit=500`,
        { user: GRACE },
      );
      assert.deepEqual(
        idsOf(gracesView),
        current
          .filter((p) => p['authorId'] === GRACE.accountId)
          .map((p) => p['id'])
          .sort(),
      );
      const weekAgo = sandbox.clock.now() - 7 * DAY;
      const recent = await search('type = page AND lastmodified > now("-7d") ORDER BY lastmodified DESC', '&limit=500');
      assert.ok(recent.body['totalSize'] >= 3, 'the seed has recent edits');
      assert.deepEqual(
        idsOf(recent),
        current
          .filter((p) => Date.parse(p['version']['createdAt']) > weekAgo)
          .map((p) => p['id'])
          .sort(),
      );
      const stamps = recent.body['results'].map((r: Json) => Date.parse(r['lastModified']));
      assert.deepEqual(
        stamps,
        [...stamps].sort((a, b) => b - a),
      );
      const runbooks = await search('label = runbook AND space = ENG');
      assert.ok(runbooks.body['totalSize'] >= 6);
      const section = await pageByTitle('Runbooks');
      const below = await search(`ancestor = ${section['id']} AND type = page`);
      assert.ok(
        below.body['results'].some((r: Json) => r['content']['title'] === 'Severity Levels'),
        'grandchildren count as descendants',
      );
      const direct = await search(`parent = ${section['id']}`);
      assert.ok(!direct.body['results'].some((r: Json) => r['content']['title'] === 'Severity Levels'));
      const blogs = await search('type = blogpost');
      assert.equal(blogs.body['totalSize'], 5);
    });

    it('refuses missing and unparsable CQL with v1 errors', async () => {
      for (const url of [`${wiki('acme')}/rest/api/search`, `${wiki('acme')}/rest/api/search?cql=`]) {
        const reply = await call(url);
        assert.equal(reply.status, 400);
        assert.equal(reply.body['statusCode'], 400);
        assert.equal(reply.body['message'], 'cql query parameter is required');
      }
      const bad = await search('type = page AND (');
      assert.equal(bad.status, 400);
      assert.equal(bad.body['message'], 'Could not parse cql : type = page AND (');
      const badCursor = await search('type = page', '&cursor=bogus');
      assert.equal(badCursor.status, 400);
      assert.equal(badCursor.body['statusCode'], 400);
    });

    it('keeps the retired v1 content API at 410 Gone', async () => {
      for (const path of [
        '/rest/api/content',
        '/rest/api/content?spaceKey=ENG',
        `/rest/api/content/${eng['homepageId']}`,
      ]) {
        const reply = await call(`${wiki('acme')}${path}`);
        assert.equal(reply.status, 410, path);
        assert.equal(reply.body['statusCode'], 410);
      }
    });
  });
});
