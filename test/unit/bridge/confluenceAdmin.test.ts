// The Confluence toolbox's administration tools (copy, space page tree, templates, restrictions,
// permissions, page views), driven through the real MCP SDK client over stdio and HTTP against the
// sandbox's Confluence Cloud; effects are read back through the sandbox's own REST API. Data Center:
// confluenceAdminDc.test.ts.
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { USERS } from '../../sandbox/data/users';
import { ADA, basic, call, openBridge, type Connected, type HttpBridgeProcess } from './harness';

type Json = Record<string, unknown>;

const WRITES = ['confluence_copy_page', 'confluence_set_page_restrictions', 'confluence_create_page_from_template'];
const READS = [
  'confluence_get_space_page_tree',
  'confluence_get_page_restrictions',
  'confluence_list_page_templates',
  'confluence_get_page_template',
  'confluence_check_content_permissions',
  'confluence_get_space_permissions',
  'confluence_get_page_views',
];
const [ADA_USER, GRACE, LINUS] = [USERS[0]!, USERS[1]!, USERS[2]!];
/** Paths of the operations these tools call; nothing may reach them when a filter refuses. */
const ADMIN_PATHS =
  /\/copy$|\/restriction|\/permission|\/template\/page|\/analytics\/|\/spaces\/\d+\/pages$|\/rest\/api\/content$/;

for (const mode of ['stdio', 'http'] as const) {
  describe(`Confluence administration tools on Cloud over ${mode}`, function () {
    this.timeout(90_000);
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
      filtered = await open({ TOOLSETS: 'all', CONFLUENCE_SPACES_FILTER: 'ENG' });
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
      return r.json as Json;
    };
    const fails = async (name: string, args: Json, pattern: RegExp, client: Connected = c) => {
      const r = await call(client.client, name, args);
      assert.equal(r.isError, true, `${name} should have failed: ${r.text}`);
      assert.match(r.text, pattern);
    };
    const rest = async (path: string): Promise<Json> => {
      const res = await fetch(`${wiki}${path}`, {
        headers: { Authorization: basic(ADA.email, ADA.token), Accept: 'application/json' },
      });
      assert.equal(res.status, 200, `${path}: ${res.status}`);
      return (await res.json()) as Json;
    };
    const pageIn = async (space: string, title?: string) => {
      const r = await ok('confluence_search', {
        query: `space = ${space} AND type = page${title ? ` AND title = "${title}"` : ''}`,
        limit: 1,
      });
      return String((r.results as Json[])[0]!.id);
    };
    const spaceId = async (key: string) =>
      String(((await rest(`/api/v2/spaces?keys=${key}`)).results as Json[])[0]!.id);

    it('annotates honestly; read-only mode hides and refuses the writers and keeps the readers', async () => {
      const { tools } = await c.client.listTools();
      const hints = (name: string) => tools.find((t) => t.name === name)?.annotations;
      assert.deepEqual(hints('confluence_copy_page'), {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
      });
      assert.deepEqual(hints('confluence_set_page_restrictions'), {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: true,
      });
      assert.deepEqual(hints('confluence_create_page_from_template'), {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
      });
      for (const name of READS)
        assert.deepEqual(hints(name), { readOnlyHint: true, destructiveHint: false, idempotentHint: true }, name);
      const visible = (await readOnly.client.listTools()).tools.map((t) => t.name);
      for (const name of WRITES) assert.ok(!visible.includes(name), `${name} is hidden in read-only mode`);
      for (const name of READS) assert.ok(visible.includes(name), `${name} stays in read-only mode`);
      const page = await pageIn('ENG');
      sandbox.log.clear();
      await fails(
        'confluence_set_page_restrictions',
        { page_id: page, read_users: [GRACE.accountId] },
        /read-only/,
        readOnly,
      );
      await fails(
        'confluence_copy_page',
        { source_page_id: page, destination_space_key: 'ENG', new_title: 'x' },
        /read-only/,
        readOnly,
      );
      assert.equal(sandbox.log.count({}), 0);
    });

    it('confluence_copy_page copies body and labels, as a top-level page or under a parent', async () => {
      const source = await pageIn('ENG', 'Release Checklist');
      await ok('confluence_add_label', { page_id: source, name: 'copied-label' });
      const copy = await ok('confluence_copy_page', {
        source_page_id: source,
        destination_space_key: 'team',
        new_title: `Checklist copy (${mode})`,
      });
      assert.deepEqual([copy.space, copy.source_page_id, copy.source_space], ['TEAM', source, 'ENG']);
      assert.match(String(copy.url), new RegExp(`/spaces/TEAM/pages/${String(copy.id)}/`));
      const original = await rest(`/api/v2/pages/${source}?body-format=storage`);
      const copied = await rest(`/api/v2/pages/${String(copy.id)}?body-format=storage&include-labels=true`);
      assert.equal(copied.title, `Checklist copy (${mode})`);
      assert.equal(copied.spaceId, await spaceId('TEAM'));
      assert.equal(
        (copied.body as { storage: Json }).storage.value,
        (original.body as { storage: Json }).storage.value,
      );
      assert.ok(((copied.labels as Json).results as Json[]).some((l) => l.name === 'copied-label'));

      const parent = await pageIn('ENG');
      const under = await ok('confluence_copy_page', {
        source_page_id: source,
        destination_space_key: 'ENG',
        new_title: `Checklist child (${mode})`,
        destination_parent_id: parent,
      });
      assert.equal((await rest(`/api/v2/pages/${String(under.id)}`)).parentId, parent);

      await fails(
        'confluence_copy_page',
        { source_page_id: '999999999', destination_space_key: 'ENG', new_title: 'x' },
        /Page 999999999 was not found/,
      );
      await fails(
        'confluence_copy_page',
        { source_page_id: source, destination_space_key: 'NOPE', new_title: 'x' },
        /no space with key NOPE/,
      );
      await fails(
        'confluence_copy_page',
        { source_page_id: source, destination_space_key: 'TEAM', new_title: 'x', destination_parent_id: parent },
        /is in space ENG, not TEAM/,
      );
    });

    it('confluence_get_space_page_tree lists every page once, children right below their parents', async () => {
      const tree = await ok('confluence_get_space_page_tree', { space_key: 'ENG', limit: 1000 });
      const all = (await rest(`/api/v2/spaces/${await spaceId('ENG')}/pages?limit=250&status=current`))
        .results as Json[];
      const pages = tree.pages as Json[];
      assert.equal(tree.count, all.length);
      assert.equal(tree.truncated, undefined);
      assert.deepEqual(pages.map((p) => p.id).sort(), all.map((p) => p.id).sort());
      const at = new Map(pages.map((p, i) => [p.id, i]));
      for (const page of pages) {
        const real = all.find((p) => p.id === page.id)!;
        assert.equal(page.parent_id, real.parentId ?? null);
        if (page.parent_id !== null && at.has(page.parent_id)) {
          const parent = pages[at.get(page.parent_id)!]!;
          assert.equal(page.depth, Number(parent.depth) + 1);
          assert.ok(at.get(page.id)! > at.get(page.parent_id)!, 'a child comes after its parent');
        } else assert.equal(page.depth, 0);
      }
      const short = await ok('confluence_get_space_page_tree', { space_key: 'ENG', limit: 3 });
      assert.equal(short.count, 3);
      assert.match(String(short.truncated), /More pages exist/);
      await fails('confluence_get_space_page_tree', { space_key: 'NOPE' }, /no space with key NOPE/);
    });

    it('templates: list global and space templates, read one, create a page from one', async () => {
      const global = await ok('confluence_list_page_templates');
      assert.deepEqual(
        (global.templates as Json[]).map((t) => [t.name, t.space]),
        [
          ['Meeting notes', 'global'],
          ['Decision', 'global'],
        ],
      );
      const eng = await ok('confluence_list_page_templates', { space_key: 'eng' });
      const runbook = (eng.templates as Json[])[0]!;
      assert.deepEqual([runbook.name, runbook.space, runbook.labels], ['Runbook', 'ENG', ['runbook']]);
      const paged = await ok('confluence_list_page_templates', { limit: 1 });
      assert.equal(paged.next_start, 1);
      const rest2 = await ok('confluence_list_page_templates', { limit: 1, start: paged.next_start });
      assert.deepEqual(
        (rest2.templates as Json[]).map((t) => t.name),
        ['Decision'],
      );

      const got = await ok('confluence_get_page_template', { template_id: runbook.id });
      assert.equal(got.format, 'storage');
      assert.match(String(got.content), /<ac:structured-macro ac:name="info">/);
      const md = await ok('confluence_get_page_template', { template_id: runbook.id, content_format: 'markdown' });
      assert.match(String(md.content), /Page the on-call before restarting/);
      assert.doesNotMatch(String(md.content), /<p>/);

      const parent = await pageIn('ENG');
      const created = await ok('confluence_create_page_from_template', {
        space_key: 'ENG',
        title: `From template (${mode})`,
        template_id: runbook.id,
        parent_id: parent,
      });
      const stored = await rest(`/api/v2/pages/${String(created.id)}?body-format=storage`);
      assert.equal((stored.body as { storage: Json }).storage.value, got.content);
      assert.equal(stored.parentId, parent);

      await fails('confluence_get_page_template', { template_id: '424242' }, /Template 424242 was not found/);
      await fails('confluence_get_page_template', { template_id: 'abc' }, /expected a template id/);
    });

    it('restrictions: set view and edit, read back, permission checks follow, and lift again', async () => {
      const page = String(
        (await ok('confluence_create_page', { space_key: 'ENG', title: `Restricted (${mode})`, content: 'Secret' })).id,
      );
      const before = await ok('confluence_get_page_restrictions', { page_id: page });
      assert.deepEqual([(before.view as Json).restricted, (before.edit as Json).restricted], [false, false]);
      const check = async (who: string, operation: string, type = 'user') =>
        (
          await ok('confluence_check_content_permissions', {
            content_id: page,
            user_identifier: who,
            operation,
            subject_type: type,
          })
        ).allowed;
      assert.equal(await check(LINUS.accountId, 'read'), true);

      const set = await ok('confluence_set_page_restrictions', {
        page_id: page,
        read_users: [ADA_USER.accountId, GRACE.accountId],
        edit_groups: 'eng-team',
      });
      assert.deepEqual((set.view as Json).users, [
        { id: ADA_USER.accountId, name: 'Ada Lovelace' },
        { id: GRACE.accountId, name: 'Grace Hopper' },
      ]);
      assert.deepEqual([(set.edit as Json).groups, (set.edit as Json).users], [['eng-team'], []]);
      const stored = await rest(`/rest/api/content/${page}/restriction/byOperation`);
      const ids = (op: string) =>
        (((stored[op] as Json).restrictions as Json).user as { results: Json[] }).results.map((u) => u.accountId);
      assert.deepEqual(ids('read'), [ADA_USER.accountId, GRACE.accountId]);
      assert.deepEqual(await ok('confluence_get_page_restrictions', { page_id: page }), set);

      assert.equal(await check(GRACE.accountId, 'read'), true);
      assert.equal(await check(LINUS.accountId, 'read'), false);
      const denied = await ok('confluence_check_content_permissions', {
        content_id: page,
        user_identifier: LINUS.accountId,
        operation: 'read',
      });
      assert.deepEqual(denied.subject, { type: 'user', id: LINUS.accountId, name: 'Linus Torvalds' });
      assert.match(String((denied.reasons as string[])[0]), /view restriction/);
      assert.equal(await check('eng-team', 'delete', 'group'), false, 'the view restriction names no group');

      // Only what is given changes: edit stays restricted when view is lifted.
      const lifted = await ok('confluence_set_page_restrictions', { page_id: page, read_users: [] });
      assert.deepEqual([(lifted.view as Json).restricted, (lifted.edit as Json).groups], [false, ['eng-team']]);
      assert.equal(await check(LINUS.accountId, 'read'), true);
      // A group holds only its own space grants: eng-team may delete pages in ENG, confluence-users may not edit here.
      assert.equal(await check('eng-team', 'delete', 'group'), true);
      assert.equal(await check('confluence-users', 'update', 'group'), false);

      await fails('confluence_set_page_restrictions', { page_id: page }, /give at least one of `read_users`/);
      await fails('confluence_get_page_restrictions', { page_id: '999999999' }, /Page 999999999 was not found/);
      await fails(
        'confluence_set_page_restrictions',
        { page_id: page, read_users: ['no-such-account'] },
        /User not found/,
      );
    });

    it('confluence_get_space_permissions groups grants by holder, by key or id, with paging', async () => {
      const byKey = await ok('confluence_get_space_permissions', { space_id: 'ENG' });
      const holders = byKey.holders as Json[];
      const users = holders.find((h) => h.type === 'group' && (h.permissions as string[]).includes('create comment'))!;
      assert.deepEqual(users.permissions, ['read space', 'create page', 'create comment']);
      assert.ok(
        holders.some(
          (h) =>
            h.type === 'user' && typeof h.name === 'string' && (h.permissions as string[]).includes('administer space'),
        ),
        JSON.stringify(holders),
      );
      const byId = await ok('confluence_get_space_permissions', { space_id: await spaceId('ENG') });
      assert.deepEqual(byId, byKey);
      const seen: Json[] = [];
      let cursor: unknown;
      do {
        const page = await ok('confluence_get_space_permissions', {
          space_id: 'ENG',
          limit: 3,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...(page.holders as Json[]));
        cursor = page.next_cursor;
      } while (cursor);
      assert.equal(
        seen.reduce((n, h) => n + (h.permissions as string[]).length, 0),
        holders.reduce((n, h) => n + (h.permissions as string[]).length, 0),
      );
      await fails('confluence_get_space_permissions', { space_id: '999999999' }, /Space 999999999 was not found/);
      // A space read that fails is reported as the failure, never as "no such space".
      const engId = await spaceId('ENG');
      const fault = sandbox.faults.add({
        kind: 'error',
        status: 500,
        method: 'GET',
        path: new RegExp(`/spaces/${engId}$`),
      });
      try {
        const r = await call(c.client, 'confluence_get_space_permissions', { space_id: engId });
        assert.equal(r.isError, true, r.text);
        assert.doesNotMatch(r.text, /no space|not found/i);
        assert.match(r.text, /500/);
      } finally {
        sandbox.faults.remove(fault);
      }
    });

    it('confluence_get_page_views counts views and viewers', async () => {
      const page = await pageIn('ENG', 'Release Checklist');
      const views = await ok('confluence_get_page_views', { page_id: page });
      const raw = await rest(`/rest/api/analytics/content/${page}/views`);
      assert.deepEqual([views.title, views.views], ['Release Checklist', raw.count]);
      assert.ok(Number(views.distinct_viewers) >= 1 && Number(views.distinct_viewers) <= Number(views.views));
      assert.equal((await ok('confluence_get_page_views', { page_id: page, include_title: false })).title, undefined);
      await fails('confluence_get_page_views', { page_id: '999999999' }, /Page 999999999 was not found/);
    });

    it('CONFLUENCE_SPACES_FILTER refuses objects outside it before any operation is sent', async () => {
      const team = await pageIn('TEAM');
      const eng = await pageIn('ENG');
      const teamId = await spaceId('TEAM');
      sandbox.log.clear();
      const outside = /outside this bridge's allowed spaces \(ENG; CONFLUENCE_SPACES_FILTER\)/;
      const refused: [string, Json][] = [
        ['confluence_copy_page', { source_page_id: team, destination_space_key: 'ENG', new_title: 'x' }],
        ['confluence_copy_page', { source_page_id: eng, destination_space_key: 'TEAM', new_title: 'x' }],
        [
          'confluence_copy_page',
          { source_page_id: eng, destination_space_key: 'ENG', new_title: 'x', destination_parent_id: team },
        ],
        ['confluence_get_space_page_tree', { space_key: 'TEAM' }],
        ['confluence_list_page_templates', { space_key: 'OPS' }],
        ['confluence_get_page_template', { template_id: '98308' }],
        ['confluence_create_page_from_template', { space_key: 'TEAM', title: 'x', template_id: '98305' }],
        ['confluence_create_page_from_template', { space_key: 'ENG', title: 'x', template_id: '98308' }],
        ['confluence_get_page_restrictions', { page_id: team }],
        ['confluence_set_page_restrictions', { page_id: team, read_users: [ADA_USER.accountId] }],
        [
          'confluence_check_content_permissions',
          { content_id: team, user_identifier: ADA_USER.accountId, operation: 'read' },
        ],
        ['confluence_get_space_permissions', { space_id: 'TEAM' }],
        ['confluence_get_space_permissions', { space_id: teamId }],
        ['confluence_get_page_views', { page_id: team }],
      ];
      for (const [name, args] of refused) await fails(name, args, outside, filtered);
      assert.deepEqual(
        sandbox.log.entries({ path: ADMIN_PATHS }).map((e) => `${e.method} ${e.path}`),
        [],
        'no operation reached Confluence',
      );
      assert.equal(sandbox.log.count({ method: 'POST' }) + sandbox.log.count({ method: 'PUT' }), 0);
      // A template is read to learn its space (as a page is); nothing else about it was asked.
      assert.deepEqual(
        sandbox.log.entries({ path: /\/template\// }).map((e) => e.path.replace(/.*\/wiki/, '')),
        ['/rest/api/template/98308', '/rest/api/template/98308'],
      );
      // Inside the filter the same tools work.
      assert.equal((await ok('confluence_get_space_page_tree', { space_key: 'ENG', limit: 1 }, filtered)).count, 1);
      assert.equal((await ok('confluence_get_page_views', { page_id: eng }, filtered)).page_id, eng);
    });
  });
}
