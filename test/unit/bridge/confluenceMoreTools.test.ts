// The opt-in Confluence tools (page history, delete, move, replies, labels, people) and author names
// in confluence_get_comments, driven through the real MCP SDK client over stdio and HTTP against the
// sandbox; effects are read back through other tools or the sandbox's own REST API.
import assert from 'node:assert/strict';
import { DEFAULT_TOOLS } from './defaultTools';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { USERS } from '../../sandbox/data/users';
import { loadConfig } from '../../../src/bridge/config';
import { selectTools } from '../../../src/bridge/tooling';
import { ALL_TOOLS } from '../../../src/bridge/tools';
import { ADA, basic, call, connectStdio, type Connected, type HttpBridgeProcess, openBridge } from './harness';

type Json = Record<string, unknown>;

const NEW_WRITES = [
  'confluence_add_label',
  'confluence_delete_page',
  'confluence_move_page',
  'confluence_reply_to_comment',
];
const NEW_READS = ['confluence_get_page_history', 'confluence_search_user'];
const [ADA_USER, GRACE] = [USERS[0]!, USERS[1]!];

describe('opt-in Confluence tools: selection', () => {
  it('leaves the default toolset as it was and puts each new tool in its mcp-atlassian toolset', () => {
    const defaults = selectTools(ALL_TOOLS, loadConfig({}, []));
    assert.equal(defaults.length, DEFAULT_TOOLS.length);
    assert.ok(defaults.every((t) => !NEW_WRITES.includes(t.name) && !NEW_READS.includes(t.name)));
    const toolsetOf = (name: string) => ALL_TOOLS.find((t) => t.name === name)?.toolset;
    assert.deepEqual([...NEW_WRITES, ...NEW_READS].map(toolsetOf), [
      'confluence_labels',
      'confluence_pages',
      'confluence_pages',
      'confluence_comments',
      'confluence_pages',
      'confluence_users',
    ]);
    const users = selectTools(ALL_TOOLS, loadConfig({ TOOLSETS: 'confluence_users' }, []));
    assert.deepEqual(
      users.map((t) => t.name),
      ['confluence_search_user'],
    );
  });
});

describe('confluence_get_comments with an OAuth token that may not look users up', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.close();
  });

  it('shows account ids, and does not ask again on the next call', async () => {
    // An OAuth app without read:confluence-user: the scope is in the default list, but an app may lack it.
    const scopes = [
      'read:confluence-content.all',
      'read:confluence-space.summary',
      'write:confluence-content',
      'search:confluence',
    ];
    const acme = sandbox.discovery.sites[0]!;
    const c = await connectStdio({
      ATLASSIAN_OAUTH_ACCESS_TOKEN: sandbox.tokens.issue({ scopes }).access_token,
      ATLASSIAN_OAUTH_CLOUD_ID: acme.cloudId,
      ATLASSIAN_API_BASE_URL: sandbox.discovery.apiBaseUrl,
    });
    try {
      const page = String(
        (
          (await call(c.client, 'confluence_create_page', { space_key: 'ENG', title: 'Scoped comments', content: 'x' }))
            .json as Json
        ).id,
      );
      assert.equal((await call(c.client, 'confluence_add_comment', { page_id: page, body: 'Hello' })).isError, false);
      for (let i = 0; i < 2; i++) {
        const r = await call(c.client, 'confluence_get_comments', { page_id: page });
        assert.equal(r.isError, false, r.text);
        assert.deepEqual(
          ((r.json as Json).comments as Json[]).map((cm) => [cm.body, cm.author]),
          [['Hello', ADA_USER.accountId]],
        );
      }
      assert.deepEqual(
        sandbox.log.entries({ path: /\/users-bulk$/ }).map((e) => e.status),
        [401],
      );
    } finally {
      await c.close();
    }
  });
});

for (const mode of ['stdio', 'http'] as const) {
  describe(`opt-in Confluence tools over ${mode}`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    let wiki: string;
    const opened: { c: Connected; bridge?: HttpBridgeProcess }[] = [];
    let c: Connected;
    let filtered: Connected;
    let readOnly: Connected;

    const open = async (env: Record<string, string>) => {
      const site = sandbox.discovery.sites[0]!;
      const o = await openBridge(mode, { JIRA_URL: site.url, CONFLUENCE_URL: `${site.url}/wiki`, ...env });
      opened.push(o);
      return o.c;
    };

    before(async () => {
      sandbox = await startSandbox();
      wiki = `${sandbox.discovery.sites[0]!.url}/wiki`;
      c = await open({ TOOLSETS: 'all' });
      filtered = await open({
        TOOLSETS: 'confluence_pages,confluence_comments,confluence_labels,confluence_users',
        CONFLUENCE_SPACES_FILTER: 'ENG',
      });
      readOnly = await open({ TOOLSETS: 'all', READ_ONLY_MODE: 'true' });
    });
    after(async () => {
      for (const o of opened) {
        await o.c.close();
        await o.bridge?.stop();
      }
      await sandbox?.close();
    });

    const ok = async (name: string, args: Json = {}, client: Connected = c) => {
      const r = await call(client.client, name, args);
      assert.equal(r.isError, false, `${name} failed: ${r.text}`);
      return r.json as never;
    };
    const fails = async (name: string, args: Json, pattern: RegExp, client: Connected = c) => {
      const r = await call(client.client, name, args);
      assert.equal(r.isError, true, `${name} should have failed: ${r.text}`);
      assert.match(r.text, pattern);
      return r.text;
    };
    /** The sandbox's own REST API, as Ada: what really happened, not what the bridge says. */
    const rest = async (path: string): Promise<{ status: number; body: Json }> => {
      const res = await fetch(`${wiki}${path}`, {
        headers: { Authorization: basic(ADA.email, ADA.token), Accept: 'application/json' },
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
    };
    const pageId = async (title: string, space: string) =>
      String(((await ok('confluence_get_page', { title, space_key: space, include_metadata: true })) as Json).id);
    const createPage = async (title: string, content: string, extra: Json = {}) =>
      String(
        (
          (await ok('confluence_create_page', {
            space_key: 'ENG',
            title: `${title} (${mode})`,
            content,
            ...extra,
          })) as Json
        ).id,
      );

    it('annotates the new tools, and read-only mode hides and refuses the writes', async () => {
      const { tools } = await c.client.listTools();
      const hints = (name: string) => tools.find((t) => t.name === name)?.annotations;
      assert.deepEqual(hints('confluence_add_label'), {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
      });
      assert.deepEqual(hints('confluence_delete_page'), {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: true,
      });
      assert.deepEqual(hints('confluence_move_page'), {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: true,
      });
      assert.deepEqual(hints('confluence_reply_to_comment'), {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
      });
      assert.deepEqual(hints('confluence_get_page_history'), {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
      });
      assert.deepEqual(hints('confluence_search_user'), {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
      });
      for (const name of [...NEW_WRITES, ...NEW_READS])
        assert.ok(tools.find((t) => t.name === name)?.title, `${name} has a title`);

      const visible = (await readOnly.client.listTools()).tools.map((t) => t.name);
      for (const name of NEW_WRITES) assert.ok(!visible.includes(name), `${name} is hidden in read-only mode`);
      for (const name of NEW_READS) assert.ok(visible.includes(name), `${name} stays in read-only mode`);
      const target = await pageId('Release Checklist', 'ENG');
      sandbox.log.clear();
      await fails('confluence_delete_page', { page_id: target }, /read-only mode \(READ_ONLY_MODE\)/, readOnly);
      await fails('confluence_add_label', { page_id: target, name: 'x' }, /read-only mode/, readOnly);
      assert.equal(sandbox.log.count({ method: 'DELETE' }) + sandbox.log.count({ method: 'POST' }), 0);
      assert.equal((await rest(`/api/v2/pages/${target}`)).status, 200);
    });

    it('confluence_get_comments names authors, looked up in one bulk call', async () => {
      const page = await createPage('Comment names', 'Body');
      await ok('confluence_add_comment', { page_id: page, body: 'First' });
      await ok('confluence_add_comment', { page_id: page, body: 'Second' });
      sandbox.log.clear();
      const mine = ((await ok('confluence_get_comments', { page_id: page })) as Json).comments as Json[];
      assert.deepEqual(
        mine.map((cm) => [cm.body, cm.author, cm.author_id]),
        [
          ['First', 'Ada Lovelace', ADA_USER.accountId],
          ['Second', 'Ada Lovelace', ADA_USER.accountId],
        ],
      );
      assert.equal(sandbox.log.count({ method: 'POST', path: /\/users-bulk$/ }), 1);

      // Seeded comments come from several people: every id gets its own name.
      const all = (await rest('/api/v2/footer-comments?limit=250')).body.results as Json[];
      const authorsOn = (id: unknown) =>
        new Set(all.filter((cm) => cm.pageId === id).map((cm) => (cm.version as Json).authorId)).size;
      const seeded = [...new Set(all.map((cm) => cm.pageId))].sort((a, b) => authorsOn(b) - authorsOn(a))[0];
      assert.ok(authorsOn(seeded) > 1, 'a seeded page has comments by several people');
      sandbox.log.clear();
      const theirs = ((await ok('confluence_get_comments', { page_id: seeded, limit: 100 })) as Json)
        .comments as Json[];
      assert.equal(new Set(theirs.map((cm) => cm.author)).size, authorsOn(seeded));
      assert.equal(sandbox.log.count({ method: 'POST', path: /\/users-bulk$/ }), 1);
      for (const cm of theirs)
        assert.equal(cm.author, USERS.find((u) => u.accountId === cm.author_id)?.displayName, JSON.stringify(cm));
    });

    it('confluence_get_comments falls back to account ids when the lookup fails', async () => {
      const page = await createPage('Comment fallback', 'Body');
      await ok('confluence_add_comment', { page_id: page, body: 'Still here' });
      const fault = sandbox.faults.add({ kind: 'error', status: 500, method: 'POST', path: /\/users-bulk$/ });
      try {
        const comments = ((await ok('confluence_get_comments', { page_id: page })) as Json).comments as Json[];
        assert.deepEqual(
          comments.map((cm) => [cm.body, cm.author, cm.author_id]),
          [['Still here', ADA_USER.accountId, ADA_USER.accountId]],
        );
      } finally {
        sandbox.faults.remove(fault);
      }
      const after = ((await ok('confluence_get_comments', { page_id: page })) as Json).comments as Json[];
      assert.equal(after[0]!.author, 'Ada Lovelace');
    });

    it("confluence_get_page_history lists versions and returns one version's content", async () => {
      const page = await createPage('History', 'First _draft_');
      await ok('confluence_update_page', { page_id: page, content: 'Second draft', version_comment: 'tightened' });
      await ok('confluence_update_page', { page_id: page, content: 'Final text' });
      const history = (await ok('confluence_get_page_history', { page_id: page })) as Json;
      assert.equal(history.latest_version, 3);
      assert.deepEqual(
        (history.versions as Json[]).map((v) => [v.version, v.author, v.message]),
        [
          [3, 'Ada Lovelace', undefined],
          [2, 'Ada Lovelace', 'tightened'],
          [1, 'Ada Lovelace', undefined],
        ],
      );
      const paged = (await ok('confluence_get_page_history', { page_id: page, limit: 2 })) as Json;
      assert.deepEqual(
        (paged.versions as Json[]).map((v) => v.version),
        [3, 2],
      );
      const rest2 = (await ok('confluence_get_page_history', {
        page_id: page,
        limit: 2,
        page_token: paged.next_page_token,
      })) as Json;
      assert.deepEqual(
        (rest2.versions as Json[]).map((v) => v.version),
        [1],
      );

      const first = (await ok('confluence_get_page_history', { page_id: page, version: 1 })) as Json;
      assert.deepEqual(
        [first.version, first.latest_version, first.format, first.content],
        [1, 3, 'markdown', 'First _draft_'],
      );
      const storage = (await ok('confluence_get_page_history', {
        page_id: page,
        version: 2,
        convert_to_markdown: false,
      })) as Json;
      assert.equal(storage.format, 'storage');
      assert.match(String(storage.content), /<p>Second draft<\/p>/);
      await fails(
        'confluence_get_page_history',
        { page_id: page, version: 9 },
        /has no version 9 \(its versions are 1 to 3\)/,
      );
      await fails('confluence_get_page_history', { page_id: '999999999' }, /Page 999999999 was not found/);
    });

    it('confluence_add_label adds a label that reads, and searches, back', async () => {
      const page = await createPage('Labels', 'Label me');
      const labels = (await ok('confluence_add_label', { page_id: page, name: 'Needs-Review' })) as string[];
      assert.deepEqual(labels, ['needs-review']);
      assert.deepEqual(
        await ok('confluence_add_label', { page_id: page, name: 'needs-review' }),
        ['needs-review'],
        'adding twice changes nothing',
      );
      assert.deepEqual(((await ok('confluence_add_label', { page_id: page, name: 'q3_release' })) as string[]).sort(), [
        'needs-review',
        'q3_release',
      ]);
      assert.deepEqual(((await ok('confluence_get_labels', { page_id: page })) as string[]).sort(), [
        'needs-review',
        'q3_release',
      ]);
      const found = ((await ok('confluence_search', { query: 'label = "needs-review"' })) as Json).results as Json[];
      assert.ok(
        found.some((r) => r.id === page),
        JSON.stringify(found),
      );

      sandbox.log.clear();
      await fails('confluence_add_label', { page_id: page, name: 'two words' }, /cannot contain spaces/);
      await fails('confluence_add_label', { page_id: page, name: 'v1.0' }, /"\." is not allowed in a label/);
      assert.equal(sandbox.log.count({ method: 'POST' }), 0);
      await fails('confluence_add_label', { page_id: '999999999', name: 'x' }, /Page 999999999 was not found/);
    });

    it('confluence_reply_to_comment replies in the thread of a footer comment', async () => {
      const page = await createPage('Replies', 'Discuss');
      const comment = (await ok('confluence_add_comment', { page_id: page, body: 'Question?' })) as Json;
      const reply = (await ok('confluence_reply_to_comment', {
        comment_id: comment.id,
        body: 'An **answer**',
      })) as Json;
      assert.equal(reply.parent_comment_id, comment.id);
      assert.equal(reply.page_id, page);
      const stored = await rest(`/api/v2/footer-comments/${String(reply.id)}?body-format=storage`);
      assert.equal(stored.body.parentCommentId, comment.id);
      assert.match(
        String((stored.body.body as Json as { storage: { value: string } }).storage.value),
        /<strong>answer<\/strong>/,
      );
      const thread = await rest(`/api/v2/footer-comments/${String(comment.id)}/children`);
      assert.deepEqual(
        (thread.body.results as Json[]).map((r) => r.id),
        [reply.id],
      );
      // Replies stay in their thread: the page's top-level comments are unchanged.
      assert.deepEqual(
        (((await ok('confluence_get_comments', { page_id: page })) as Json).comments as Json[]).map((cm) => cm.id),
        [comment.id],
      );

      await fails(
        'confluence_reply_to_comment',
        { comment_id: '999999999', body: 'x' },
        /Footer comment 999999999 was not found/,
      );
      await fails('confluence_reply_to_comment', { comment_id: 'abc', body: 'x' }, /expected a comment id/);
      await fails(
        'confluence_reply_to_comment',
        { comment_id: comment.id, body: '   ' },
        /Missing required argument `body`/,
      );
    });

    it('confluence_search_user finds people by name or user CQL, with paging', async () => {
      const byName = (await ok('confluence_search_user', { query: 'ada' })) as Json;
      assert.deepEqual(byName.users, [
        { account_id: ADA_USER.accountId, display_name: 'Ada Lovelace', email: 'ada@example.com' },
      ]);
      const byCql = (await ok('confluence_search_user', { query: 'user.fullname ~ "gra"' })) as Json;
      assert.deepEqual(
        (byCql.users as Json[]).map((u) => u.display_name),
        ['Grace Hopper'],
      );
      const byId = (await ok('confluence_search_user', { query: `user = "${GRACE.accountId}"` })) as Json;
      assert.deepEqual(
        (byId.users as Json[]).map((u) => u.account_id),
        [GRACE.accountId],
      );
      const none = (await ok('confluence_search_user', { query: 'Nobody Here' })) as Json;
      assert.deepEqual([none.users, none.total], [[], 0]);

      const seen: string[] = [];
      let token: unknown;
      do {
        const page = (await ok('confluence_search_user', {
          query: 'type = user',
          limit: 2,
          ...(token ? { page_token: token } : {}),
        })) as Json;
        assert.equal(page.total, USERS.length);
        seen.push(...(page.users as Json[]).map((u) => String(u.display_name)));
        token = page.next_page_token;
      } while (token);
      assert.deepEqual(seen, USERS.map((u) => u.displayName).sort());
      await fails('confluence_search_user', { query: 'user.fullname ~' }, /Could not parse cql/);
    });

    it('confluence_move_page moves under a page, next to one, and into another space', async () => {
      const parent = await createPage('Move parent', 'P');
      const child = await createPage('Move child', 'C', { parent_id: parent });
      const mover = await createPage('Mover', 'M');
      const grandchild = await createPage('Mover kid', 'K', { parent_id: mover });

      const moved = (await ok('confluence_move_page', { page_id: mover, target_parent_id: parent })) as Json;
      assert.deepEqual([moved.id, moved.space, moved.parent_id], [mover, 'ENG', parent]);
      const children = async (id: string) =>
        ((await rest(`/api/v2/pages/${id}/children`)).body.results as Json[]).map((r) => r.id);
      assert.deepEqual(await children(parent), [child, mover]);
      await ok('confluence_move_page', { page_id: mover, target_parent_id: child, position: 'above' });
      assert.deepEqual(await children(parent), [mover, child]);
      await ok('confluence_move_page', { page_id: mover, target_parent_id: child, position: 'after' });
      assert.deepEqual(await children(parent), [child, mover]);
      assert.deepEqual(await children(mover), [grandchild], 'children move along');

      const team = (await ok('confluence_move_page', { page_id: mover, target_space_key: 'team' })) as Json;
      const teamSpace = ((await rest('/api/v2/spaces?keys=TEAM')).body.results as Json[])[0]!;
      assert.deepEqual([team.space, team.parent_id], ['TEAM', teamSpace.homepageId]);
      const kid = (await rest(`/api/v2/pages/${grandchild}`)).body;
      assert.deepEqual([kid.spaceId, kid.parentId], [teamSpace.id, mover]);
      assert.deepEqual(await children(parent), [child]);

      await fails('confluence_move_page', { page_id: parent, target_parent_id: child }, /parent-child loop/);
      await fails('confluence_move_page', { page_id: parent }, /Missing argument: give `target_parent_id`/);
      await fails(
        'confluence_move_page',
        { page_id: parent, target_space_key: 'TEAM', position: 'below' },
        /above\/below need `target_parent_id`/,
      );
      await fails(
        'confluence_move_page',
        { page_id: parent, target_parent_id: child, target_space_key: 'TEAM' },
        /is in space ENG, not TEAM/,
      );
      await fails(
        'confluence_move_page',
        { page_id: parent, target_parent_id: '999999999' },
        /Page 999999999 was not found/,
      );
      await fails('confluence_move_page', { page_id: parent, target_space_key: 'NOPE' }, /no space with key NOPE/);
    });

    it('confluence_delete_page moves a page to the trash', async () => {
      const doomed = await createPage('Doomed', 'Bye');
      const orphan = await createPage('Doomed child', 'Kept', { parent_id: doomed });
      const parentOfDoomed = (await rest(`/api/v2/pages/${doomed}`)).body.parentId;
      assert.deepEqual(await ok('confluence_delete_page', { page_id: doomed }), {
        deleted: doomed,
        title: `Doomed (${mode})`,
        space: 'ENG',
      });
      assert.equal((await rest(`/api/v2/pages/${doomed}`)).status, 404);
      assert.equal((await rest(`/api/v2/pages/${doomed}?status=trashed`)).body.status, 'trashed');
      assert.equal(
        (await rest(`/api/v2/pages/${orphan}`)).body.parentId,
        parentOfDoomed,
        'the child page survives, one level up',
      );
      await fails('confluence_get_page', { page_id: doomed }, /was not found/);
      await fails('confluence_delete_page', { page_id: doomed }, new RegExp(`Page ${doomed} was not found`));
    });

    it('CONFLUENCE_SPACES_FILTER guards every new tool, for the page and for the target', async () => {
      const team = String(((await rest('/api/v2/spaces?keys=TEAM')).body.results as Json[])[0]!.homepageId);
      const eng = await createPage('Filtered', 'Stay in ENG');
      const engComment = (await ok('confluence_add_comment', { page_id: eng, body: 'ENG comment' })) as Json;
      const posted = await fetch(`${wiki}/api/v2/footer-comments`, {
        method: 'POST',
        headers: { Authorization: basic(ADA.email, ADA.token), 'Content-Type': 'application/json' },
        body: JSON.stringify({ pageId: team, body: { representation: 'storage', value: '<p>TEAM comment</p>' } }),
      });
      assert.equal(posted.status, 201);
      const teamComment = (await posted.json()) as Json;
      sandbox.log.clear();
      const outside = /outside this bridge's allowed spaces \(ENG; CONFLUENCE_SPACES_FILTER\)/;
      await fails('confluence_move_page', { page_id: eng, target_space_key: 'TEAM' }, outside, filtered);
      await fails('confluence_move_page', { page_id: eng, target_parent_id: team }, outside, filtered);
      await fails('confluence_move_page', { page_id: team, target_space_key: 'ENG' }, outside, filtered);
      await fails('confluence_delete_page', { page_id: team }, outside, filtered);
      await fails('confluence_add_label', { page_id: team, name: 'nope' }, outside, filtered);
      await fails('confluence_reply_to_comment', { comment_id: teamComment.id, body: 'nope' }, outside, filtered);
      await fails('confluence_get_page_history', { page_id: team }, outside, filtered);
      await fails('confluence_get_page_history', { page_id: team, version: 1 }, outside, filtered);
      assert.equal(
        sandbox.log.count({ method: 'PUT' }) +
          sandbox.log.count({ method: 'DELETE' }) +
          sandbox.log.count({ method: 'POST', path: /footer-comments|label/ }),
        0,
      );
      assert.equal((await rest(`/api/v2/pages/${team}`)).status, 200);
      assert.equal(
        (await rest(`/api/v2/pages/${eng}`)).body.spaceId,
        (await rest(`/api/v2/pages/${await pageId('Release Checklist', 'ENG')}`)).body.spaceId,
      );

      // Inside the filter the same tools work.
      assert.deepEqual(await ok('confluence_add_label', { page_id: eng, name: 'inside' }, filtered), ['inside']);
      assert.equal(
        ((await ok('confluence_reply_to_comment', { comment_id: engComment.id, body: 'fine' }, filtered)) as Json)
          .parent_comment_id,
        engComment.id,
      );
      assert.equal(((await ok('confluence_get_page_history', { page_id: eng }, filtered)) as Json).latest_version, 1);
      assert.equal(
        ((await ok('confluence_move_page', { page_id: eng, target_space_key: 'ENG' }, filtered)) as Json).space,
        'ENG',
      );
      assert.equal(((await ok('confluence_delete_page', { page_id: eng }, filtered)) as Json).deleted, eng);
    });
  });
}
