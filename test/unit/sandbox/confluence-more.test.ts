// The sandbox's Confluence routes behind the opt-in bridge tools: v2 bulk user lookup, page version
// details and comment replies; v1 user search, adding labels and moving pages. Same shapes, status
// codes and scopes as Confluence Cloud, so a client can fail here for the reasons it fails there.
import assert from 'node:assert/strict';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import { USERS } from '../../sandbox/data/users';
import { basic, bearer } from './platform-support';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const [ADA, GRACE, LINUS] = [USERS[0]!, USERS[1]!, USERS[2]!];

// Loose JSON for assertions; the tests pin down the fields that matter.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sandbox: Sandbox;

function wiki(): string {
  return `${sandbox.discovery.sites[0]!.url}/wiki`;
}

function gatewayWiki(): string {
  return `${sandbox.discovery.apiBaseUrl}/ex/confluence/${sandbox.discovery.sites[0]!.cloudId}/wiki`;
}

async function call(
  url: string,
  options: { method?: string; body?: unknown; rawBody?: string; contentType?: string; scopes?: string } = {},
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...(options.scopes === undefined
      ? basic(ADA.email, ADA.apiToken)
      : bearer(sandbox.tokens.issue({ user: ADA, scopes: options.scopes.split(' ') }).access_token)),
  };
  let body: string | undefined;
  if (options.body !== undefined || options.rawBody !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    body = options.rawBody ?? JSON.stringify(options.body);
  }
  const res = await fetch(url, { method: options.method ?? 'GET', headers, body });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
}

describe('sandbox Confluence: users, labels, moves, replies, versions', () => {
  let eng: Json;
  let team: Json;

  before(async () => {
    sandbox = await startSandbox({ clock: { now: () => NOW } });
    const spaces = (await call(`${wiki()}/api/v2/spaces`)).body['results'] as Json[];
    eng = spaces.find((s) => s['key'] === 'ENG')!;
    team = spaces.find((s) => s['key'] === 'TEAM')!;
  });
  after(async () => {
    await sandbox.close();
  });

  async function newPage(title: string, space: Json = eng, parentId?: string): Promise<string> {
    const reply = await call(`${wiki()}/api/v2/pages`, {
      method: 'POST',
      body: { spaceId: space['id'], title, parentId, body: { representation: 'storage', value: `<p>${title}</p>` } },
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body['id'] as string;
  }
  const page = async (id: string) => (await call(`${wiki()}/api/v2/pages/${id}`)).body;
  const childIds = async (id: string) =>
    ((await call(`${wiki()}/api/v2/pages/${id}/children`)).body['results'] as Json[]).map((c) => c['id']);

  describe('POST /api/v2/users-bulk', () => {
    it('returns known users in the v2 User shape, leaving unknown ids out', async () => {
      const reply = await call(`${wiki()}/api/v2/users-bulk`, {
        method: 'POST',
        body: { accountIds: [GRACE.accountId, 'unknown:id', ADA.accountId, GRACE.accountId] },
      });
      assert.equal(reply.status, 200);
      assert.deepEqual(
        reply.body['results'].map((u: Json) => [u['accountId'], u['displayName']]),
        [
          [GRACE.accountId, 'Grace Hopper'],
          [ADA.accountId, 'Ada Lovelace'],
        ],
      );
      assert.deepEqual(Object.keys(reply.body['results'][0]).sort(), [
        'accountId',
        'accountStatus',
        'accountType',
        'displayName',
        'email',
        'isExternalCollaborator',
        'personalSpaceId',
        'profilePicture',
        'publicName',
        'timeZone',
      ]);
      assert.equal(reply.body['_links']['base'], wiki());
    });

    it('refuses bad bodies with 400 and a token without a user scope with 401', async () => {
      for (const body of [
        {},
        { accountIds: [] },
        { accountIds: 'x' },
        { accountIds: Array.from({ length: 251 }, (_, i) => `id-${i}`) },
      ]) {
        const reply = await call(`${wiki()}/api/v2/users-bulk`, { method: 'POST', body });
        assert.equal(reply.status, 400, JSON.stringify(body));
        assert.equal(reply.body['errors'][0]['code'], 'INVALID_REQUEST_PARAMETER');
      }
      assert.equal(
        (
          await call(`${wiki()}/api/v2/users-bulk`, {
            method: 'POST',
            rawBody: 'accountIds=x',
            contentType: 'text/plain',
          })
        ).status,
        415,
      );
      const url = `${gatewayWiki()}/api/v2/users-bulk`;
      const refused = await call(url, {
        method: 'POST',
        body: { accountIds: [ADA.accountId] },
        scopes: 'read:confluence-content.all search:confluence',
      });
      assert.deepEqual(
        [refused.status, refused.body],
        [401, { code: 401, message: 'Unauthorized; scope does not match' }],
      );
      assert.equal(
        (await call(url, { method: 'POST', body: { accountIds: [ADA.accountId] }, scopes: 'read:confluence-user' }))
          .status,
        200,
      );
      assert.equal(
        (await call(url, { method: 'POST', body: { accountIds: [ADA.accountId] }, scopes: 'read:user:confluence' }))
          .status,
        200,
      );
    });
  });

  describe('GET /rest/api/search/user', () => {
    const search = (cql: string, extra = '') =>
      call(`${wiki()}/rest/api/search/user?cql=${encodeURIComponent(cql)}${extra}`);
    const names = (body: Json) => body['results'].map((r: Json) => r['user']['displayName']);

    it('answers in the v1 search shape with a user per result', async () => {
      const reply = await search('type = user');
      assert.equal(reply.status, 200);
      assert.deepEqual(names(reply.body), USERS.map((u) => u.displayName).sort());
      assert.deepEqual(
        [reply.body['start'], reply.body['limit'], reply.body['size'], reply.body['totalSize'], reply.body['cqlQuery']],
        [0, 25, USERS.length, USERS.length, 'type = user'],
      );
      const [first] = reply.body['results'];
      assert.equal(first['entityType'], 'user');
      assert.equal(first['title'], 'Ada Lovelace');
      assert.equal(first['url'], `/people/${ADA.accountId}`);
      assert.deepEqual(
        [first['user']['type'], first['user']['accountId'], first['user']['email']],
        ['known', ADA.accountId, ADA.email],
      );
    });

    it('matches account ids, names by prefix, currentUser() and negations', async () => {
      assert.deepEqual(names((await search(`user = "${LINUS.accountId}"`)).body), ['Linus Torvalds']);
      assert.deepEqual(names((await search(`user.accountid in ("${GRACE.accountId}", "${ADA.accountId}")`)).body), [
        'Ada Lovelace',
        'Grace Hopper',
      ]);
      assert.deepEqual(names((await search('user.fullname ~ "a"')).body), ['Ada Lovelace', 'Alan Turing']);
      assert.deepEqual(names((await search('user.fullname ~ "hop"')).body), ['Grace Hopper']);
      assert.deepEqual(names((await search('user.fullname ~ "grace hop"')).body), ['Grace Hopper']);
      assert.deepEqual(names((await search('user = currentUser()')).body), ['Ada Lovelace']);
      assert.deepEqual(
        names((await search(`type = user AND user != "${ADA.accountId}" AND NOT user.fullname ~ "a"`)).body),
        ['Grace Hopper', 'Linus Torvalds', 'Margaret Hamilton'],
      );
      assert.equal((await search('user.userkey = "ff8080815a"')).body['totalSize'], 0);
    });

    it('pages with start/limit and a cursor in _links.next', async () => {
      const first = await search('type = user', '&limit=2');
      assert.equal(first.body['size'], 2);
      const next = first.body['_links']['next'] as string;
      assert.match(next, /^\/rest\/api\/search\/user\?/);
      const second = await call(`${wiki()}${next}`);
      assert.deepEqual(
        names(second.body),
        USERS.map((u) => u.displayName)
          .sort()
          .slice(2, 4),
      );
      const third = await search('type = user', '&limit=2&start=4');
      assert.equal(third.body['size'], 1);
      assert.equal(third.body['_links']['next'], undefined);
    });

    it('refuses missing, unparsable and content CQL with v1 400s', async () => {
      const missing = await call(`${wiki()}/rest/api/search/user`);
      assert.deepEqual([missing.status, missing.body['message']], [400, 'cql query parameter is required']);
      for (const cql of ['user.fullname ~', 'title ~ "release"', 'user.fullname = "Ada"']) {
        const reply = await search(cql);
        assert.equal(reply.status, 400, cql);
        assert.equal(reply.body['statusCode'], 400);
        assert.match(reply.body['message'], /^Could not parse cql : /);
      }
      assert.equal((await search('type = user', '&limit=x')).status, 400);
    });
  });

  describe('POST /rest/api/content/{id}/label', () => {
    it('adds labels (one or an array), lower-cased, and answers every label of the content', async () => {
      const id = await newPage('Label target');
      const one = await call(`${wiki()}/rest/api/content/${id}/label`, {
        method: 'POST',
        body: { prefix: 'global', name: 'Needs-Review' },
      });
      assert.equal(one.status, 200);
      assert.deepEqual(
        one.body['results'].map((l: Json) => [l['prefix'], l['name'], l['label']]),
        [['global', 'needs-review', 'needs-review']],
      );
      assert.deepEqual([one.body['start'], one.body['size']], [0, 1]);
      const many = await call(`${wiki()}/rest/api/content/${id}/label`, {
        method: 'POST',
        body: [{ name: 'needs-review' }, { prefix: 'my', name: 'favourite' }, { name: 'alpha beta' }],
      });
      assert.deepEqual(
        many.body['results'].map((l: Json) => l['label']),
        ['needs-review', 'my:favourite', 'alpha', 'beta'],
        'a space separates labels',
      );
      const v2 = await call(`${wiki()}/api/v2/pages/${id}/labels`);
      assert.deepEqual(
        v2.body['results'].map((l: Json) => [l['prefix'], l['name']]),
        [
          ['global', 'needs-review'],
          ['my', 'favourite'],
          ['global', 'alpha'],
          ['global', 'beta'],
        ],
      );
      const found = await call(`${wiki()}/rest/api/search?cql=${encodeURIComponent('label = "needs-review"')}`);
      assert.ok(found.body['results'].some((r: Json) => r['content']['id'] === id));
    });

    it('refuses invalid labels (400), unknown content (404), non-JSON (415) and a read-only token (401)', async () => {
      const id = await newPage('Label refusals');
      for (const body of [
        { name: 'v1.0' },
        { name: 'a:b' },
        { name: '' },
        { name: 'x'.repeat(256) },
        [],
        { prefix: 'secret', name: 'x' },
        { label: 'x' },
      ]) {
        const reply = await call(`${wiki()}/rest/api/content/${id}/label`, { method: 'POST', body });
        assert.equal(reply.status, 400, JSON.stringify(body));
        assert.equal(reply.body['statusCode'], 400);
      }
      assert.deepEqual((await call(`${wiki()}/api/v2/pages/${id}/labels`)).body['results'], []);
      const unknown = await call(`${wiki()}/rest/api/content/999999999/label`, { method: 'POST', body: { name: 'x' } });
      assert.deepEqual([unknown.status, unknown.body['statusCode']], [404, 404]);
      assert.equal(
        (
          await call(`${wiki()}/rest/api/content/${id}/label`, {
            method: 'POST',
            rawBody: 'name=x',
            contentType: 'text/plain',
          })
        ).status,
        415,
      );
      const url = `${gatewayWiki()}/rest/api/content/${id}/label`;
      assert.equal(
        (await call(url, { method: 'POST', body: { name: 'x' }, scopes: 'read:confluence-content.all' })).status,
        401,
      );
      assert.equal(
        (await call(url, { method: 'POST', body: { name: 'x' }, scopes: 'write:label:confluence' })).status,
        200,
      );
    });
  });

  describe('PUT /rest/api/content/{id}/move/{position}/{targetId}', () => {
    it('appends under a target, or places before/after it, without a new version', async () => {
      const parent = await newPage('Move parent');
      const a = await newPage('Move A', eng, parent);
      const b = await newPage('Move B', eng, parent);
      const mover = await newPage('Mover');
      const moved = await call(`${wiki()}/rest/api/content/${mover}/move/append/${parent}`, { method: 'PUT' });
      assert.deepEqual([moved.status, moved.body], [200, { pageId: mover }]);
      assert.deepEqual(await childIds(parent), [a, b, mover]);
      await call(`${wiki()}/rest/api/content/${mover}/move/before/${b}`, { method: 'PUT' });
      assert.deepEqual(await childIds(parent), [a, mover, b]);
      await call(`${wiki()}/rest/api/content/${mover}/move/after/${b}`, { method: 'PUT' });
      assert.deepEqual(await childIds(parent), [a, b, mover]);
      await call(`${wiki()}/rest/api/content/${mover}/move/before/${a}`, { method: 'PUT' });
      assert.deepEqual(await childIds(parent), [mover, a, b]);
      assert.equal((await page(mover))['version']['number'], 1);
    });

    it('moves a page with its descendants into another space', async () => {
      const root = await newPage('Travelling root');
      const kid = await newPage('Travelling kid', eng, root);
      const grandkid = await newPage('Travelling grandkid', eng, kid);
      const moved = await call(`${wiki()}/rest/api/content/${root}/move/append/${team['homepageId']}`, {
        method: 'PUT',
      });
      assert.equal(moved.status, 200);
      for (const id of [root, kid, grandkid]) assert.equal((await page(id))['spaceId'], team['id']);
      assert.equal((await page(root))['parentId'], team['homepageId']);
      assert.equal((await page(grandkid))['parentId'], kid);
      const search = await call(
        `${wiki()}/rest/api/search?cql=${encodeURIComponent('space = TEAM AND title = "Travelling grandkid"')}`,
      );
      assert.equal(search.body['totalSize'], 1);
    });

    it('refuses loops, self-moves and title clashes (400), unknown pages (404), bad positions (400) and read-only tokens (401)', async () => {
      const top = await newPage('Loop top');
      const below = await newPage('Loop below', eng, top);
      const loop = await call(`${wiki()}/rest/api/content/${top}/move/append/${below}`, { method: 'PUT' });
      assert.equal(loop.status, 400);
      assert.match(loop.body['message'], /parent-child loop/);
      assert.equal(
        (await call(`${wiki()}/rest/api/content/${top}/move/after/${below}`, { method: 'PUT' })).status,
        400,
      );
      assert.equal((await call(`${wiki()}/rest/api/content/${top}/move/append/${top}`, { method: 'PUT' })).status, 400);
      await newPage('Clashing title', team);
      const clash = await newPage('Clashing title');
      const clashed = await call(`${wiki()}/rest/api/content/${clash}/move/append/${team['homepageId']}`, {
        method: 'PUT',
      });
      assert.equal(clashed.status, 400);
      assert.match(clashed.body['message'], /already exists/);
      assert.equal((await page(clash))['spaceId'], eng['id']);
      const unknown = await call(`${wiki()}/rest/api/content/999999999/move/append/${top}`, { method: 'PUT' });
      assert.deepEqual([unknown.status, unknown.body['statusCode']], [404, 404]);
      assert.equal(
        (await call(`${wiki()}/rest/api/content/${top}/move/append/999999999`, { method: 'PUT' })).status,
        404,
      );
      assert.equal(
        (await call(`${wiki()}/rest/api/content/${top}/move/inside/${below}`, { method: 'PUT' })).status,
        400,
      );
      const url = `${gatewayWiki()}/rest/api/content/${below}/move/append/${eng['homepageId']}`;
      assert.equal((await call(url, { method: 'PUT', scopes: 'read:page:confluence' })).status, 401);
      assert.equal((await call(url, { method: 'PUT', scopes: 'write:page:confluence' })).status, 200);
    });

    it('leaves the rest of the retired v1 content API at 410', async () => {
      const id = await newPage('Still retired');
      for (const path of [
        `/rest/api/content/${id}`,
        `/rest/api/content/${id}/child/page`,
        `/rest/api/content/${id}/move/append`,
      ]) {
        const reply = await call(`${wiki()}${path}`, { method: path.includes('move') ? 'PUT' : 'GET' });
        assert.equal(reply.status, 410, path);
      }
    });
  });

  describe('replies and versions (v2)', () => {
    it('lists the replies to a footer comment', async () => {
      const id = await newPage('Thread');
      const parent = await call(`${wiki()}/api/v2/footer-comments`, {
        method: 'POST',
        body: { pageId: id, body: { representation: 'storage', value: '<p>Top</p>' } },
      });
      const reply = await call(`${wiki()}/api/v2/footer-comments`, {
        method: 'POST',
        body: { parentCommentId: parent.body['id'], body: { representation: 'storage', value: '<p>Reply</p>' } },
      });
      assert.equal(reply.status, 201);
      const children = await call(`${wiki()}/api/v2/footer-comments/${parent.body['id']}/children?body-format=storage`);
      assert.equal(children.status, 200);
      assert.deepEqual(
        children.body['results'].map((c: Json) => [c['id'], c['parentCommentId'], c['body']['storage']['value']]),
        [[reply.body['id'], parent.body['id'], '<p>Reply</p>']],
      );
      assert.deepEqual(Object.keys(children.body['results'][0]), [
        'id',
        'status',
        'title',
        'parentCommentId',
        'version',
        'body',
        '_links',
      ]);
      assert.deepEqual(
        (await call(`${wiki()}/api/v2/pages/${id}/footer-comments`)).body['results'].map((c: Json) => c['id']),
        [parent.body['id']],
      );
      assert.equal((await call(`${wiki()}/api/v2/footer-comments/999999999/children`)).status, 404);
    });

    it('describes one version of a page, with its neighbours', async () => {
      const id = await newPage('Versioned');
      const current = await page(id);
      await call(`${wiki()}/api/v2/pages/${id}`, {
        method: 'PUT',
        body: {
          id,
          status: 'current',
          title: 'Versioned',
          body: { representation: 'storage', value: '<p>two</p>' },
          version: { number: 2, message: 'second' },
        },
      });
      await call(`${wiki()}/api/v2/pages/${id}`, {
        method: 'PUT',
        body: {
          id,
          status: 'current',
          title: 'Versioned',
          body: { representation: 'storage', value: '<p>three</p>' },
          version: { number: 3 },
        },
      });
      const two = await call(`${wiki()}/api/v2/pages/${id}/versions/2`);
      assert.equal(two.status, 200);
      assert.deepEqual(
        [
          two.body['number'],
          two.body['message'],
          two.body['authorId'],
          two.body['prevVersion'],
          two.body['nextVersion'],
          two.body['collaborators'],
        ],
        [2, 'second', ADA.accountId, 1, 3, [ADA.accountId]],
      );
      const one = await call(`${wiki()}/api/v2/pages/${id}/versions/1`);
      assert.deepEqual(
        [one.body['createdAt'], 'prevVersion' in one.body, one.body['nextVersion']],
        [current['createdAt'], false, 2],
      );
      assert.equal((await call(`${wiki()}/api/v2/pages/${id}/versions/4`)).status, 404);
      assert.equal((await call(`${wiki()}/api/v2/pages/${id}/versions/x`)).status, 400);
    });
  });
});
