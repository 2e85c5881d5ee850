// Read-only mode, tool selection and project/space filters, enforced when a tool is called (not
// only when tools are listed) and not escapable through JQL/CQL.
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { call, type Connected, type HttpBridgeProcess, openBridge } from './harness';

type Json = Record<string, unknown>;

for (const mode of ['stdio', 'http'] as const) {
  describe(`bridge policy over ${mode}`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    let urls: Record<string, string>;
    const opened: { c: Connected; bridge?: HttpBridgeProcess }[] = [];
    const start = async (env: Record<string, string>) => {
      const o = await openBridge(mode, { ...urls, ...env });
      opened.push(o);
      return o.c.client;
    };

    before(async () => {
      sandbox = await startSandbox();
      const site = sandbox.discovery.sites[0]!;
      urls = { JIRA_URL: site.url, CONFLUENCE_URL: `${site.url}/wiki` };
    });
    after(async () => {
      for (const o of opened) {
        await o.c.close();
        await o.bridge?.stop();
      }
      await sandbox?.close();
    });

    it('READ_ONLY_MODE hides write tools and refuses them when called anyway', async () => {
      const client = await start({ READ_ONLY_MODE: 'true' });
      const { tools } = await client.listTools();
      assert.ok(
        tools.every((t) => t.annotations?.readOnlyHint === true),
        tools
          .filter((t) => !t.annotations?.readOnlyHint)
          .map((t) => t.name)
          .join(),
      );
      assert.ok(tools.some((t) => t.name === 'jira_search'));
      sandbox.log.clear();
      const r = await call(client, 'jira_create_issue', { project_key: 'ENG', summary: 'x', issue_type: 'Task' });
      assert.equal(r.isError, true);
      assert.match(r.text, /read-only mode \(READ_ONLY_MODE\)/);
      assert.equal(sandbox.log.count({ method: 'POST' }), 0);
    });

    it('TOOLSETS and ENABLED_TOOLS select tools; others cannot be called', async () => {
      const client = await start({
        TOOLSETS: 'jira_agile,jira_transitions',
        ENABLED_TOOLS: 'jira_get_agile_boards,jira_get_transitions,jira_search',
      });
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['jira_get_agile_boards', 'jira_get_transitions']);
      const r = await call(client, 'jira_search', { jql: 'project = ENG' });
      assert.equal(r.isError, true);
      assert.match(r.text, /not enabled here/);
      const all = await start({ TOOLSETS: 'all' });
      assert.ok((await all.listTools()).tools.length > 25);
    });

    it('attachments and versions follow read-only mode and the projects filter', async () => {
      const readOnly = await start({ READ_ONLY_MODE: 'true', TOOLSETS: 'jira_attachments,jira_versions' });
      assert.deepEqual((await readOnly.listTools()).tools.map((t) => t.name).sort(), [
        'jira_download_attachments',
        'jira_get_issue_images',
        'jira_get_project_versions',
      ]);
      sandbox.log.clear();
      assert.match(
        (await call(readOnly, 'jira_upload_attachment', { issue_key: 'ENG-1', filename: 'a.txt', content: 'x' })).text,
        /read-only mode/,
      );
      assert.match(
        (await call(readOnly, 'jira_create_version', { project_key: 'ENG', name: 'x' })).text,
        /read-only mode/,
      );
      assert.equal(sandbox.log.count({ method: 'POST' }), 0);
      const filtered = await start({ JIRA_PROJECTS_FILTER: 'ENG', TOOLSETS: 'jira_attachments,jira_versions' });
      for (const [tool, args] of [
        ['jira_download_attachments', { issue_key: 'OPS-1' }],
        ['jira_upload_attachment', { issue_key: 'OPS-1', filename: 'a.txt', content: 'x' }],
        ['jira_get_project_versions', { project_key: 'OPS' }],
        ['jira_create_version', { project_key: 'ops', name: 'x' }],
      ] as const) {
        const r = await call(filtered, tool, args);
        assert.equal(r.isError, true, tool);
        assert.match(r.text, /outside this bridge's allowed projects/, tool);
      }
      assert.equal(sandbox.log.count({ method: 'POST' }), 0);
      assert.equal(sandbox.log.count({ path: /OPS/ }), 0);
    });

    describe('JIRA_PROJECTS_FILTER / CONFLUENCE_SPACES_FILTER', () => {
      let client: Connected['client'];
      before(async () => {
        client = await start({ JIRA_PROJECTS_FILTER: 'ENG', CONFLUENCE_SPACES_FILTER: 'TEAM' });
      });

      const keys = async (jql: string) => {
        const r = await call(client, 'jira_search', { jql, limit: 100 });
        return r.isError ? r.text : ((r.json as Json).issues as Json[]).map((i) => String(i.key));
      };

      it('search only ever returns allowed projects', async () => {
        const ops = await keys('project = OPS');
        assert.deepEqual(ops, []);
        const both = await keys('project = OPS OR project = ENG');
        assert.ok(Array.isArray(both) && both.length > 0 && both.every((k) => k.startsWith('ENG-')), String(both));
      });

      it("cannot be escaped by closing the filter's parenthesis", async () => {
        for (const jql of [
          'project = ENG) OR (project = OPS',
          'project = ENG) OR project = OPS ORDER BY key',
          'key = ENG-1 ORDER BY key, project = OPS OR project = OPS',
          'summary ~ "x\\") OR project = OPS',
        ]) {
          const result = await keys(jql);
          assert.ok(
            typeof result === 'string' || result.every((k) => k.startsWith('ENG-')),
            `${jql} → ${String(result)}`,
          );
        }
        const r = await call(client, 'jira_search', { jql: 'project = ENG) OR (project = OPS' });
        assert.match(r.text, /Invalid argument `jql`: the JQL has a "\)" without a matching "\("/);
      });

      it('projects_filter can narrow but not widen', async () => {
        const r = await call(client, 'jira_search', { jql: 'order by key', projects_filter: 'OPS' });
        assert.equal(r.isError, true);
        assert.match(r.text, /Invalid argument `projects_filter`: none of OPS is an allowed project/);
      });

      it('issue tools refuse other projects before touching them', async () => {
        sandbox.log.clear();
        for (const [tool, args] of [
          ['jira_get_issue', { issue_key: 'OPS-1' }],
          ['jira_add_comment', { issue_key: 'OPS-1', body: 'x' }],
          ['jira_update_issue', { issue_key: 'OPS-1', fields: { summary: 'x' } }],
          ['jira_transition_issue', { issue_key: 'OPS-1', transition_id: 'Done' }],
          ['jira_create_issue_link', { link_type: 'Blocks', inward_issue_key: 'ENG-1', outward_issue_key: 'OPS-1' }],
        ] as const) {
          const r = await call(client, tool, args);
          assert.equal(r.isError, true, tool);
          assert.match(r.text, /outside this bridge's allowed projects \(ENG/, tool);
        }
        const create = await call(client, 'jira_create_issue', {
          project_key: 'OPS',
          summary: 'x',
          issue_type: 'Task',
        });
        assert.match(create.text, /Invalid argument `project_key`: project OPS is outside/);
        assert.equal(sandbox.log.count({ path: /OPS-1/ }), 0);
        assert.equal(sandbox.log.count({ method: 'POST' }), 0);
        const projects = (await call(client, 'jira_get_all_projects')).json as Json[];
        assert.deepEqual(
          projects.map((p) => p.key),
          ['ENG'],
        );
        assert.equal((await call(client, 'jira_get_issue', { issue_key: 'ENG-1' })).isError, false);
      });

      it('numeric issue ids are checked by their project', async () => {
        const ops = (
          await call(await start({}), 'jira_get_issue', { issue_key: 'OPS-1', raw: true, fields: 'summary' })
        ).json as Json;
        const r = await call(client, 'jira_get_issue', { issue_key: String(ops.id) });
        assert.equal(r.isError, true);
        assert.match(r.text, /outside this bridge's allowed projects/);
      });

      it('Confluence search and pages stay inside the allowed spaces', async () => {
        const r = await call(client, 'confluence_search', { query: 'type = page', limit: 50 });
        assert.equal(r.isError, false, r.text);
        const rows = (r.json as Json).results as Json[];
        assert.ok(
          rows.length > 0 && rows.every((row) => row.space === 'TEAM'),
          JSON.stringify(rows.map((x) => x.space)),
        );
        const escape = await call(client, 'confluence_search', { query: 'type = page) OR (space = ENG' });
        assert.equal(escape.isError, true);
        const engPage = await call(client, 'confluence_get_page', { page_id: '3117083' });
        assert.equal(engPage.isError, true);
        assert.match(engPage.text, /outside this bridge's allowed spaces \(TEAM/);
        const create = await call(client, 'confluence_create_page', { space_key: 'ENG', title: 'x', content: 'y' });
        assert.match(create.text, /outside this bridge's allowed spaces/);
        const narrowing = await call(client, 'confluence_search', { query: 'type = page', spaces_filter: 'ENG' });
        assert.match(narrowing.text, /Invalid argument `spaces_filter`/);
      });
    });
  });
}
