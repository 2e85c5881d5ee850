// The Confluence administration tools on Data Center (its own host, and under Jira's /wiki), driven
// through the real MCP SDK client over stdio and HTTP: what DC has works through its REST API and is
// read back; what only Cloud has says so and sends nothing; the space filter refuses before sending.
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import {
  call,
  connectHttp,
  connectStdio,
  startHttpBridgeProcess,
  type Connected,
  type HttpBridgeProcess,
} from './harness';

type Json = Record<string, unknown>;

/** Paths of the operations these tools call; nothing may reach them when a filter refuses. */
const ADMIN_PATHS = /\/restriction|\/permission|\/rest\/api\/content$/;

for (const [mode, where] of [
  ['stdio', 'own host'],
  ['http', 'own host'],
  ['stdio', 'under /wiki'],
] as const) {
  describe(`Confluence administration tools on Data Center (${where}) over ${mode}`, function () {
    this.timeout(90_000);
    let sandbox: Sandbox;
    let c: Connected;
    let filtered: Connected;
    const opened: { c: Connected; bridge?: HttpBridgeProcess }[] = [];
    let confluenceUrl: string;
    let pat: string;

    const open = async (extra: Record<string, string>) => {
      const jira: Record<string, string> =
        where === 'under /wiki' ? { JIRA_URL: `${sandbox.url}/dc`, JIRA_PERSONAL_TOKEN: pat } : {};
      const env = { CONFLUENCE_URL: confluenceUrl, TOOLSETS: 'all', ...extra };
      if (mode === 'stdio') {
        const client = await connectStdio({ ...env, ...jira, CONFLUENCE_PERSONAL_TOKEN: pat });
        opened.push({ c: client });
        return client;
      }
      const bridge = await startHttpBridgeProcess(env);
      const client = await connectHttp(bridge.url, { Authorization: `Token ${pat}` });
      opened.push({ c: client, bridge });
      return client;
    };
    before(async () => {
      sandbox = await startSandbox();
      pat = sandbox.discovery.dataCenter.personalAccessToken;
      confluenceUrl = where === 'under /wiki' ? `${sandbox.url}/dc/wiki` : `${sandbox.url}/confluence-dc/confluence`;
      c = await open({});
      filtered = await open({ CONFLUENCE_SPACES_FILTER: 'ENG' });
    });
    after(async () => {
      for (const o of opened) {
        await o.c.close();
        await o.bridge?.stop();
      }
      await sandbox?.close();
    });

    const ok = async (name: string, args: Json = {}) => {
      const r = await call(c.client, name, args);
      assert.equal(r.isError, false, `${name} failed: ${r.text}`);
      return r.json as Json;
    };
    const rest = async (path: string): Promise<Json> => {
      const res = await fetch(`${confluenceUrl}${path}`, { headers: { Authorization: `Bearer ${pat}` } });
      assert.equal(res.status, 200, `${path}: ${res.status}`);
      return (await res.json()) as Json;
    };
    const pageIn = async (space: string, title: string) =>
      String(
        ((await rest(`/rest/api/content?spaceKey=${space}&title=${encodeURIComponent(title)}`)).results as Json[])[0]!
          .id,
      );

    it('page tree, copy, restrictions and space permissions work through the DC REST API', async () => {
      const tree = await ok('confluence_get_space_page_tree', { space_key: 'ENG', limit: 1000 });
      const all = (await rest('/rest/api/content?spaceKey=ENG&type=page&limit=200')).results as Json[];
      assert.equal(tree.count, all.length);
      assert.ok(
        (tree.pages as Json[]).some((p) => Number(p.depth) > 0),
        'nested pages have a depth',
      );

      const source = await pageIn('ENG', 'Release Checklist');
      await ok('confluence_add_label', { page_id: source, name: 'dc-label' });
      const copy = await ok('confluence_copy_page', {
        source_page_id: source,
        destination_space_key: 'TEAM',
        new_title: `DC copy (${mode})`,
      });
      assert.equal(copy.space, 'TEAM');
      assert.ok(String(copy.url).startsWith(confluenceUrl), String(copy.url));
      const original = await rest(`/rest/api/content/${source}?expand=body.storage`);
      const copied = await rest(`/rest/api/content/${String(copy.id)}?expand=body.storage`);
      assert.equal(((copied.body as Json).storage as Json).value, ((original.body as Json).storage as Json).value);
      const labels = (await rest(`/rest/api/content/${String(copy.id)}/label`)).results as Json[];
      assert.ok(
        labels.some((l) => l.name === 'dc-label'),
        JSON.stringify(labels),
      );

      const set = await ok('confluence_set_page_restrictions', {
        page_id: String(copy.id),
        read_users: 'grace',
        edit_groups: ['eng-team'],
      });
      assert.deepEqual((set.view as Json).users, [{ id: 'grace', name: 'Grace Hopper' }]);
      const stored = await rest(`/rest/api/content/${String(copy.id)}/restriction/byOperation`);
      const users = (((stored.read as Json).restrictions as Json).user as { results: Json[] }).results;
      assert.deepEqual(
        users.map((u) => u.username),
        ['grace'],
      );
      assert.deepEqual(await ok('confluence_get_page_restrictions', { page_id: String(copy.id) }), set);

      const perms = await ok('confluence_get_space_permissions', { space_id: 'ENG' });
      const group = (perms.holders as Json[]).find((h) => h.id === 'confluence-users')!;
      assert.deepEqual(group.permissions, ['read space', 'create page', 'create comment']);
    });

    it('Cloud-only operations say plainly that Data Center lacks them, and send nothing', async () => {
      const page = await pageIn('ENG', 'Release Checklist');
      sandbox.log.clear();
      const cloudOnly: [string, Json][] = [
        ['confluence_list_page_templates', {}],
        ['confluence_get_page_template', { template_id: '98305' }],
        ['confluence_create_page_from_template', { space_key: 'ENG', title: 'x', template_id: '98305' }],
        ['confluence_check_content_permissions', { content_id: page, user_identifier: 'grace', operation: 'read' }],
        ['confluence_get_page_views', { page_id: page }],
        [
          'confluence_copy_page',
          { source_page_id: page, destination_space_key: 'ENG', new_title: 'x', copy_attachments: true },
        ],
      ];
      for (const [name, args] of cloudOnly) {
        const r = await call(c.client, name, args);
        assert.equal(r.isError, true, `${name}: ${r.text}`);
        assert.match(r.text, /does not exist on Confluence Data Center/, name);
      }
      assert.equal(sandbox.log.count({}), 0);
      const numeric = await call(c.client, 'confluence_get_space_permissions', { space_id: '12345' });
      assert.match(numeric.text, /names spaces by key/);
      const missing = await call(c.client, 'confluence_get_page_restrictions', { page_id: '999999999' });
      assert.match(missing.text, /Page 999999999 was not found/);
    });

    it('CONFLUENCE_SPACES_FILTER refuses pages and spaces outside it before any operation is sent', async () => {
      const team = await pageIn(
        'TEAM',
        ((await rest('/rest/api/content?spaceKey=TEAM&limit=1')).results as Json[])[0]!.title as string,
      );
      const eng = await pageIn('ENG', 'Release Checklist');
      sandbox.log.clear();
      const refused: [string, Json][] = [
        ['confluence_copy_page', { source_page_id: team, destination_space_key: 'ENG', new_title: 'x' }],
        ['confluence_copy_page', { source_page_id: eng, destination_space_key: 'TEAM', new_title: 'x' }],
        ['confluence_get_space_page_tree', { space_key: 'TEAM' }],
        ['confluence_get_page_restrictions', { page_id: team }],
        ['confluence_set_page_restrictions', { page_id: team, read_users: 'ada' }],
        ['confluence_get_space_permissions', { space_id: 'TEAM' }],
      ];
      for (const [name, args] of refused) {
        const r = await call(filtered.client, name, args);
        assert.equal(r.isError, true, `${name}: ${r.text}`);
        assert.match(r.text, /outside this bridge's allowed spaces \(ENG; CONFLUENCE_SPACES_FILTER\)/, name);
      }
      assert.deepEqual(
        sandbox.log.entries({ path: ADMIN_PATHS }).map((e) => `${e.method} ${e.path}`),
        [],
      );
      assert.equal(sandbox.log.count({ method: 'POST' }) + sandbox.log.count({ method: 'PUT' }), 0);
    });
  });
}
