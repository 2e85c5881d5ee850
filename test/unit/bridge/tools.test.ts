// Every default tool, driven by the real MCP SDK client against the sandbox, over stdio and over
// streamable HTTP: the happy paths and what the model gets back.
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { DEFAULT_TOOLS } from './defaultTools';
import { call, type Connected, type HttpBridgeProcess, openBridge, ADA } from './harness';

type Json = Record<string, unknown>;

for (const mode of ['stdio', 'http'] as const) {
  describe(`bridge tools over ${mode} (Cloud site, API token)`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    let bridge: HttpBridgeProcess | undefined;
    let c: Connected;

    before(async () => {
      sandbox = await startSandbox();
      const site = sandbox.discovery.sites[0]!;
      const urls = { JIRA_URL: site.url, CONFLUENCE_URL: `${site.url}/wiki` };
      ({ c, bridge } = await openBridge(mode, {
        ...urls,
        TOOLSETS: 'default,jira_add_worklog,jira_get_field_options',
      }));
    });
    after(async () => {
      await c?.close();
      await bridge?.stop();
      await sandbox?.close();
    });

    const ok = async (name: string, args: Json = {}) => {
      const r = await call(c.client, name, args);
      assert.equal(r.isError, false, `${name} failed: ${r.text}`);
      return r.json as never;
    };

    it('lists a compact default toolset with titles, annotations and `site` everywhere', async () => {
      const { tools } = await c.client.listTools();
      assert.ok(tools.length <= 25, `${tools.length} tools`);
      // The default toolset, plus the two tools this suite also drives (see `before`).
      assert.deepEqual(
        tools.map((t) => t.name).sort(),
        [...DEFAULT_TOOLS, 'jira_add_worklog', 'jira_get_field_options'].sort(),
      );
      for (const tool of tools) {
        assert.ok(tool.title, `${tool.name} has no title`);
        assert.equal(typeof tool.annotations?.readOnlyHint, 'boolean', `${tool.name} has no readOnlyHint`);
        assert.ok((tool.inputSchema.properties as Json).site, `${tool.name} has no site parameter`);
      }
      assert.equal(tools.find((t) => t.name === 'jira_update_issue')!.annotations!.destructiveHint, true);
      assert.equal(tools.find((t) => t.name === 'jira_search')!.annotations!.readOnlyHint, true);
      // Compact: no pretty-printing, no nullable unions.
      assert.ok(!JSON.stringify(tools).includes('anyOf'));
    });

    it('atlassian_list_sites names the site', async () => {
      const sites = (await ok('atlassian_list_sites')) as Json[];
      assert.equal(sites.length, 1);
      assert.equal(sites[0]!.name, 'acme');
      assert.equal(sites[0]!.flavour, 'cloud');
    });

    it('jira_search pages with opaque tokens and honours fields exactly', async () => {
      const first = (await ok('jira_search', { jql: 'project = ENG ORDER BY key ASC', limit: 2 })) as Json;
      const issues = first.issues as Json[];
      assert.deepEqual(
        issues.map((i) => i.key),
        ['ENG-1', 'ENG-2'],
      );
      assert.deepEqual(
        Object.keys(issues[0]!).sort(),
        ['assignee', 'key', 'priority', 'status', 'summary', 'type', 'updated'].filter((k) => k in issues[0]!).sort(),
      );
      assert.equal(typeof first.next_page_token, 'string');
      const second = (await ok('jira_search', {
        jql: 'project = ENG ORDER BY key ASC',
        limit: 2,
        page_token: first.next_page_token,
      })) as Json;
      assert.deepEqual(
        (second.issues as Json[]).map((i) => i.key),
        ['ENG-3', 'ENG-4'],
      );
      const offset = (await ok('jira_search', {
        jql: 'project = ENG ORDER BY key ASC',
        limit: 1,
        start_at: 4,
      })) as Json;
      assert.deepEqual(
        (offset.issues as Json[]).map((i) => i.key),
        ['ENG-5'],
      );
      const exact = (await ok('jira_search', { jql: 'key = ENG-1', fields: 'summary,labels' })) as Json;
      assert.deepEqual(Object.keys((exact.issues as Json[])[0]!).sort(), ['key', 'labels', 'summary']);
    });

    it('jira_get_issue gives a compact view with Markdown, and raw JSON on request', async () => {
      const issue = (await ok('jira_get_issue', { issue_key: 'ENG-2', comment_limit: 2 })) as Json;
      assert.equal(issue.key, 'ENG-2');
      assert.match(String(issue.url), /\/browse\/ENG-2$/);
      assert.match(String(issue.description), /^# /);
      for (const k of ['summary', 'status', 'type', 'priority', 'reporter', 'created', 'updated'])
        assert.ok(k in issue, `no ${k}`);
      assert.ok(!JSON.stringify(issue).includes('avatarUrls'));
      assert.ok(!JSON.stringify(issue).includes('"self"'));
      const fields = (await ok('jira_get_issue', { issue_key: 'ENG-2', fields: 'summary,status' })) as Json;
      assert.deepEqual(fields, { key: 'ENG-2', summary: issue.summary, status: issue.status });
      const raw = (await ok('jira_get_issue', { issue_key: 'ENG-2', raw: true, fields: 'description' })) as Json;
      assert.equal(((raw.fields as Json).description as Json).type, 'doc');
    });

    let created = '';
    it('jira_create_issue turns Markdown into ADF and returns the key', async () => {
      const result = (await ok('jira_create_issue', {
        project_key: 'ENG',
        summary: 'Bridge-created task',
        issue_type: 'Task',
        description: '## Steps\n\n1. one\n2. two\n   - nested\n\n```ts\nconst x = 1;\n```',
        assignee: ADA.email,
        additional_fields: { priority: 'High', labels: ['bridge'] },
      })) as Json;
      created = String(result.key);
      assert.match(created, /^ENG-\d+$/);
      const raw = (await ok('jira_get_issue', {
        issue_key: created,
        raw: true,
        fields: 'description,priority,labels,assignee',
      })) as Json;
      const f = raw.fields as Json;
      const types = ((f.description as Json).content as Json[]).map((n) => n.type);
      assert.deepEqual(types, ['heading', 'orderedList', 'codeBlock']);
      assert.equal((f.priority as Json).name, 'High');
      assert.deepEqual(f.labels, ['bridge']);
      const view = (await ok('jira_get_issue', { issue_key: created })) as Json;
      assert.equal(view.assignee, 'Ada Lovelace');
      assert.match(String(view.description), /## Steps\n\n1\. one\n2\. two\n {3}- nested\n\n```ts\nconst x = 1;\n```/);
    });

    it('jira_update_issue changes the fields given', async () => {
      const result = (await ok('jira_update_issue', {
        issue_key: created,
        fields: { summary: 'Renamed by bridge', labels: 'a,b', priority: 'Low' },
      })) as Json;
      assert.deepEqual((result.updated as string[]).sort(), ['labels', 'priority', 'summary']);
      const view = (await ok('jira_get_issue', { issue_key: created, fields: 'summary,labels,priority' })) as Json;
      assert.deepEqual(view, { key: created, summary: 'Renamed by bridge', labels: ['a', 'b'], priority: 'Low' });
    });

    it('jira_get_transitions and jira_transition_issue by name or target status', async () => {
      const transitions = (await ok('jira_get_transitions', { issue_key: created })) as Json[];
      assert.ok(transitions.some((t) => t.name === 'In Progress'));
      const moved = (await ok('jira_transition_issue', {
        issue_key: created,
        transition_id: 'in progress',
        comment: 'Starting **now**',
      })) as Json;
      assert.equal(moved.status, 'In Progress');
      const byStatus = (await ok('jira_transition_issue', { issue_key: created, transition_id: 'In Review' })) as Json;
      assert.equal(byStatus.status, 'In Review');
      const view = (await ok('jira_get_issue', { issue_key: created })) as Json;
      assert.equal(view.status, 'In Review');
      assert.ok((view.comments as Json[]).some((cm) => cm.body === 'Starting **now**'));
    });

    it('jira_add_comment, jira_assign_issue, jira_add_worklog', async () => {
      const comment = (await ok('jira_add_comment', {
        issue_key: created,
        body: 'See [docs](https://example.com/docs) and `code`',
      })) as Json;
      assert.ok(comment.id);
      const view = (await ok('jira_get_issue', { issue_key: created })) as Json;
      assert.ok((view.comments as Json[]).some((cm) => cm.body === 'See [docs](https://example.com/docs) and `code`'));

      await ok('jira_assign_issue', { issue_key: created, assignee: 'Grace Hopper' });
      assert.equal(
        ((await ok('jira_get_issue', { issue_key: created, fields: 'assignee' })) as Json).assignee,
        'Grace Hopper',
      );
      await ok('jira_assign_issue', { issue_key: created, assignee: 'me' });
      assert.equal(
        ((await ok('jira_get_issue', { issue_key: created, fields: 'assignee' })) as Json).assignee,
        'Ada Lovelace',
      );
      await ok('jira_assign_issue', { issue_key: created });
      assert.equal(((await ok('jira_get_issue', { issue_key: created, fields: 'assignee' })) as Json).assignee, null);

      const worklog = (await ok('jira_add_worklog', {
        issue_key: created,
        time_spent: '1h 30m',
        comment: 'pairing',
        started: '2026-11-20T09:00:00Z',
      })) as Json;
      assert.ok(worklog.id);
      assert.equal(worklog.started, '2026-11-20T09:00Z');
    });

    it('jira_create_issue_link links two issues', async () => {
      await ok('jira_create_issue_link', {
        link_type: 'Blocks',
        inward_issue_key: created,
        outward_issue_key: 'ENG-5',
      });
      const view = (await ok('jira_get_issue', { issue_key: created })) as Json;
      assert.ok(
        (view.links as string[]).some((l) => l.endsWith('ENG-5')),
        JSON.stringify(view.links),
      );
    });

    it('jira_get_all_projects, jira_search_fields, jira_get_field_options, jira_get_user_profile', async () => {
      const projects = (await ok('jira_get_all_projects')) as Json[];
      assert.deepEqual(projects.map((p) => p.key).sort(), ['DOC', 'ENG', 'OPS']);
      const fields = (await ok('jira_search_fields', { keyword: 'story points' })) as Json[];
      assert.equal(fields[0]!.id, 'customfield_10016');
      const options = (await ok('jira_get_field_options', {
        field_id: 'priority',
        project_key: 'ENG',
        issue_type: 'Bug',
        values_only: true,
      })) as string[];
      assert.deepEqual(options, ['Highest', 'High', 'Medium', 'Low', 'Lowest']);
      const user = (await ok('jira_get_user_profile', { user_identifier: 'grace@example.com' })) as Json;
      assert.equal(user.display_name, 'Grace Hopper');
      assert.match(String(user.account_id), /^712020:/);
    });

    it('confluence_search takes plain text or CQL', async () => {
      const text = (await ok('confluence_search', { query: 'release checklist', limit: 5 })) as Json;
      const results = text.results as Json[];
      assert.ok(
        results.some((r) => r.title === 'Release Checklist'),
        JSON.stringify(results),
      );
      assert.ok(results.every((r) => !String(r.title).includes('@@@')));
      const cql = (await ok('confluence_search', { query: 'space = ENG AND title ~ "release"', limit: 1 })) as Json;
      assert.equal((cql.results as Json[]).length, 1);
      assert.equal(typeof cql.next_page_token, 'string');
      const next = (await ok('confluence_search', {
        query: 'space = ENG AND title ~ "release"',
        limit: 1,
        page_token: cql.next_page_token,
      })) as Json;
      assert.notEqual((next.results as Json[])[0]!.id, (cql.results as Json[])[0]!.id);
    });

    let pageId = '';
    it('confluence_get_page by id, URL, or title + space, as Markdown or storage', async () => {
      const found = ((await ok('confluence_search', { query: 'title = "Release Checklist"' })) as Json)
        .results as Json[];
      pageId = String(found[0]!.id);
      const page = (await ok('confluence_get_page', { page_id: pageId })) as Json;
      assert.equal(page.title, 'Release Checklist');
      assert.equal(page.space, 'ENG');
      assert.match(String(page.content), /^#+ |\n#+ /m);
      const byUrl = (await ok('confluence_get_page', { page_id: String(page.url) })) as Json;
      assert.equal(byUrl.id, pageId);
      const byTitle = (await ok('confluence_get_page', { title: 'Release Checklist', space_key: 'ENG' })) as Json;
      assert.equal(byTitle.id, pageId);
      const storage = (await ok('confluence_get_page', { page_id: pageId, convert_to_markdown: false })) as Json;
      assert.equal(storage.format, 'storage');
      assert.match(String(storage.content), /<(h\d|p)>/);
    });

    it('confluence_get_page_children lists children', async () => {
      const home = (await ok('confluence_get_page', { title: 'Engineering Handbook', space_key: 'ENG' }).catch(
        () => undefined,
      )) as Json | undefined;
      const parent = home?.id ?? ((await ok('confluence_get_page', { page_id: pageId })) as Json).parent_id;
      const children = (await ok('confluence_get_page_children', { parent_id: String(parent), limit: 50 })) as Json;
      assert.ok((children.pages as Json[]).length > 0);
    });

    let newPage = '';
    it('confluence_create_page and confluence_update_page write Markdown', async () => {
      const page = (await ok('confluence_create_page', {
        space_key: 'ENG',
        title: `Bridge page ${mode}`,
        content: '# Hello\n\n- [ ] task\n\n| a | b |\n| --- | --- |\n| 1 | 2 |',
        parent_id: pageId,
      })) as Json;
      newPage = String(page.id);
      assert.equal(page.version, 1);
      const read = (await ok('confluence_get_page', { page_id: newPage })) as Json;
      assert.match(String(read.content), /# Hello/);
      assert.match(String(read.content), /\| a \| b \|/);
      const updated = (await ok('confluence_update_page', {
        page_id: newPage,
        title: `Bridge page ${mode} v2`,
        content: 'Replaced **body**',
        version_comment: 'by test',
      })) as Json;
      assert.equal(updated.version, 2);
      const again = (await ok('confluence_get_page', { page_id: newPage })) as Json;
      assert.equal(again.title, `Bridge page ${mode} v2`);
      assert.equal(again.content, 'Replaced **body**');
      // Title only: the body survives untouched.
      await ok('confluence_update_page', { page_id: newPage, title: `Bridge page ${mode} v3` });
      assert.equal(((await ok('confluence_get_page', { page_id: newPage })) as Json).content, 'Replaced **body**');
    });

    it('confluence_add_comment and confluence_get_comments', async () => {
      const comment = (await ok('confluence_add_comment', { page_id: newPage, body: 'Looks _good_' })) as Json;
      assert.ok(comment.id);
      const comments = (await ok('confluence_get_comments', { page_id: newPage })) as Json;
      assert.ok(
        (comments.comments as Json[]).some((cm) => cm.body === 'Looks _good_'),
        JSON.stringify(comments),
      );
    });
  });
}
