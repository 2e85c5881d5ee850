// The rest of mcp-atlassian's Jira toolbox (issue 16, item 6): changelogs in bulk, create meta, project
// search, assignable users, issue dates and images, moving issues (to a project, to the backlog), the
// epic hierarchy, cross-project dependencies and development information. Driven through the MCP SDK
// client over stdio and HTTP against the sandbox's Cloud site (Data Center: jiraToolboxDc.test.ts);
// effects are read back, the projects filter refuses with no request sent, read-only mode hides writers.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { call, type Connected, type HttpBridgeProcess, openBridge } from './harness';
import { ANNOTATIONS, READS, WRITES, fails, ok } from './jiraToolboxNames';

type Json = Record<string, unknown>;

for (const mode of ['stdio', 'http'] as const) {
  describe(`Jira toolbox over ${mode} (Cloud)`, function () {
    this.timeout(90_000);
    let sandbox: Sandbox;
    let acme: string;
    let client: Client;
    const opened: { c: Connected; bridge?: HttpBridgeProcess }[] = [];
    const start = async (env: Record<string, string> = {}) => {
      const o = await openBridge(mode, { JIRA_URL: acme, TOOLSETS: 'all', ...env });
      opened.push(o);
      return o.c.client;
    };
    const createIssue = async (summary: string, project = 'ENG', type = 'Task') =>
      String((await ok(client, 'jira_create_issue', { project_key: project, summary, issue_type: type })).key);

    before(async () => {
      sandbox = await startSandbox();
      acme = sandbox.discovery.sites[0]!.url;
      client = await start();
    });
    after(async () => {
      for (const o of opened) {
        await o.c.close();
        await o.bridge?.stop();
      }
      await sandbox?.close();
    });

    it('lists all 14 tools with honest annotations; read-only mode hides and refuses the two writers', async () => {
      const { tools } = await client.listTools();
      for (const name of [...READS, ...WRITES]) {
        const tool = tools.find((t) => t.name === name);
        assert.ok(tool, `${name} is listed`);
        assert.ok(tool.title && (tool.description ?? '').length > 60, `${name} has a title and a description`);
        assert.deepEqual(
          tool.annotations,
          ANNOTATIONS[name] ?? { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
          name,
        );
      }
      const readOnly = await start({ READ_ONLY_MODE: 'true' });
      const names = (await readOnly.listTools()).tools.map((t) => t.name);
      for (const name of READS) assert.ok(names.includes(name), `${name} stays`);
      for (const name of WRITES) assert.ok(!names.includes(name), `${name} is hidden`);
      sandbox.log.clear();
      assert.match(
        await fails(readOnly, 'jira_move_issue', { issue_key: 'ENG-2', target_project_key: 'OPS' }),
        /read-only mode/,
      );
      assert.match(await fails(readOnly, 'jira_move_issues_to_backlog', { issue_keys: 'ENG-2' }), /read-only mode/);
      assert.equal(sandbox.log.count(), 0, 'nothing reached Jira');
      assert.match(
        await fails(client, 'jira_get_issue_dates', { issue_key: 'ENG-2', include_status_change: true }),
        /Unknown argument `include_status_change`\. Did you mean `include_status_changes`\?/,
      );
    });

    it('project issue types, create fields (required, allowed values) and project fields', async () => {
      const types = await ok<Json[]>(client, 'jira_get_project_issue_types', { project_key: 'ops' });
      assert.deepEqual(
        types.map((t) => t.name),
        ['Story', 'Task', 'Bug', 'Sub-task', 'Epic'],
      );
      const story = types.find((t) => t.name === 'Story')!;
      assert.equal(types.find((t) => t.name === 'Sub-task')!.subtask, true);
      const fields = await ok<Json[]>(client, 'jira_get_create_fields', {
        project_key: 'OPS',
        issue_type_id: story.id,
      });
      const risk = fields.find((f) => f.field_id === 'customfield_10050')!;
      assert.deepEqual([risk.required, risk.allowed_values], [true, ['Low', 'Medium', 'High']]);
      assert.equal(fields.find((f) => f.field_id === 'summary')!.required, true);
      const byName = await ok<Json[]>(client, 'jira_get_create_fields', { project_key: 'OPS', issue_type_id: 'story' });
      assert.deepEqual(byName, fields);
      const taskFields = await ok<Json[]>(client, 'jira_get_create_fields', {
        project_key: 'OPS',
        issue_type_id: 'Task',
      });
      assert.ok(!taskFields.some((f) => f.field_id === 'customfield_10050'), 'only stories need a change risk');
      const projectFields = await ok<Json[]>(client, 'jira_get_project_fields', { project_key: 'OPS' });
      const merged = projectFields.find((f) => f.field_id === 'customfield_10050')!;
      assert.deepEqual([merged.custom, merged.required_for], [true, ['Story']]);
      assert.ok((projectFields.find((f) => f.field_id === 'summary')!.issue_types as string[]).includes('Bug'));
      assert.match(
        await fails(client, 'jira_get_project_issue_types', { project_key: 'NOPE' }),
        /Project NOPE was not found/,
      );
      assert.match(
        await fails(client, 'jira_get_create_fields', { project_key: 'OPS', issue_type_id: 'Saga' }),
        /OPS has no issue type "Saga"\. Types: Story \(\d+\)/,
      );
      assert.match(
        await fails(client, 'jira_get_create_fields', { project_key: 'OPS', issue_type_id: '99999' }),
        /not valid for this project/,
      );
      assert.match(await fails(client, 'jira_get_project_fields', { project_key: 'ENG-1' }), /not a project key/);
    });

    it('searching projects and assignable users', async () => {
      const found = await ok(client, 'jira_search_projects', { query: 'eng' });
      const eng = (found.projects as Json[]).find((p) => p.key === 'ENG')!;
      assert.equal(eng.name, 'Engineering');
      assert.equal(found.total_matches, (found.projects as Json[]).length);
      const without = await ok(client, 'jira_search_projects', { query: 'eng', current_project_ids: String(eng.id) });
      assert.ok(!(without.projects as Json[]).some((p) => p.key === 'ENG'));
      assert.deepEqual((await ok(client, 'jira_search_projects', { query: 'zzz-none' })).projects, []);
      const users = await ok(client, 'jira_search_assignable_users', { query: 'gra', project_key: 'ENG' });
      assert.equal(users.count, 1);
      const grace = (users.users as Json[])[0]!;
      assert.equal(grace.display_name, 'Grace Hopper');
      assert.equal(typeof grace.account_id, 'string');
      const onIssue = await ok(client, 'jira_search_assignable_users', { query: 'Grace', issue_key: 'ENG-2' });
      assert.deepEqual(onIssue.users, users.users);
      // The account id it returns is what an assignee takes.
      await ok(client, 'jira_assign_issue', { issue_key: 'ENG-2', assignee: grace.account_id });
      assert.match(
        await fails(client, 'jira_search_assignable_users', { query: 'g' }),
        /exactly one of `project_key` or `issue_key`/,
      );
      assert.match(
        await fails(client, 'jira_search_assignable_users', { query: 'g', issue_key: 'ENG-99999' }),
        /Issue ENG-99999 was not found/,
      );
      assert.match(
        await fails(client, 'jira_search_assignable_users', { query: 'g', project_key: 'NOPE' }),
        /Project NOPE was not found/,
      );
    });

    it('changelogs of several issues, and an issue’s dates with time in each status', async () => {
      const a = await createIssue(`Changelog A ${mode}`);
      const b = await createIssue(`Changelog B ${mode}`);
      await ok(client, 'jira_transition_issue', { issue_key: a, transition_id: '21' });
      await ok(client, 'jira_assign_issue', { issue_key: a, assignee: 'linus@example.com' });
      await ok(client, 'jira_transition_issue', { issue_key: b, transition_id: '51' });
      const all = await ok<Json[]>(client, 'jira_batch_get_changelogs', { issue_ids_or_keys: `${a},${b}` });
      assert.deepEqual(
        all.map((x) => [x.key, x.total]),
        [
          [a, 2],
          [b, 1],
        ],
      );
      assert.deepEqual(((all[0]!.changelogs as Json[])[0]!.changes as string[])[0], 'status: To Do → In Progress');
      assert.equal(typeof all[0]!.issue_id, 'string');
      const statusOnly = await ok<Json[]>(client, 'jira_batch_get_changelogs', {
        issue_ids_or_keys: [a, b],
        fields: 'status',
        limit: 1,
      });
      assert.deepEqual(
        statusOnly.map((x) => (x.changelogs as Json[]).map((c) => (c.changes as string[]).join())),
        [['status: To Do → In Progress'], ['status: To Do → Blocked']],
      );
      assert.match(
        await fails(client, 'jira_batch_get_changelogs', { issue_ids_or_keys: `${a},ENG-99999` }),
        /Issue ENG-99999 was not found/,
      );
      assert.match(
        await fails(client, 'jira_batch_get_changelogs', { issue_ids_or_keys: 'not a key' }),
        /"NOT A KEY" is not an issue key/,
      );

      const dates = await ok(client, 'jira_get_issue_dates', { issue_key: a });
      assert.equal(dates.key, a);
      assert.equal(dates.status, 'In Progress');
      assert.match(String(dates.created), /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
      assert.deepEqual(
        (dates.status_changes as Json[]).map((c) => [c.from, c.to, c.by]),
        [['To Do', 'In Progress', 'Ada Lovelace']],
      );
      assert.deepEqual(
        (dates.time_in_status as Json[]).map((s) => [s.status, s.visits, s.current]),
        [
          ['To Do', 1, undefined],
          ['In Progress', 1, true],
        ],
      );
      const bare = await ok(client, 'jira_get_issue_dates', {
        issue_key: a,
        include_status_changes: false,
        include_status_summary: false,
      });
      assert.deepEqual([bare.status_changes, bare.time_in_status], [undefined, undefined]);
      assert.match(
        await fails(client, 'jira_get_issue_dates', { issue_key: 'ENG-99999' }),
        /Issue ENG-99999 was not found/,
      );
    });

    it('an issue’s images come back as image content; other files are only counted', async () => {
      const key = await createIssue(`Images ${mode}`);
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
      await ok(client, 'jira_upload_attachment', {
        issue_key: key,
        filename: 'shot.png',
        content_base64: png.toString('base64'),
      });
      await ok(client, 'jira_upload_attachment', { issue_key: key, filename: 'notes.txt', content: 'hello' });
      const result = (await client.callTool({ name: 'jira_get_issue_images', arguments: { issue_key: key } })) as {
        isError?: boolean;
        content: Json[];
      };
      assert.notEqual(result.isError, true, JSON.stringify(result.content));
      const head = JSON.parse(String(result.content[0]!.text)) as Json;
      assert.deepEqual(
        (head.images as Json[]).map((i) => [i.filename, i.mime_type, i.included]),
        [['shot.png', 'image/png', true]],
      );
      assert.equal(head.other_attachments, 1);
      assert.deepEqual(result.content.slice(1), [
        { type: 'image', data: png.toString('base64'), mimeType: 'image/png' },
      ]);
      const none = await call(client, 'jira_get_issue_images', { issue_key: await createIssue(`No images ${mode}`) });
      assert.deepEqual((none.json as Json).images, []);
      assert.match(
        await fails(client, 'jira_get_issue_images', { issue_key: 'ENG-99999' }),
        /Issue ENG-99999 was not found/,
      );
    });

    it('jira_move_issue moves an issue to another project; the old key resolves to the new one', async () => {
      const key = await createIssue(`Moving ${mode}`);
      sandbox.log.clear();
      const moved = await ok(client, 'jira_move_issue', { issue_key: key, target_project_key: 'ops' });
      assert.equal(sandbox.log.count({ method: 'POST', path: '/sites/acme/rest/api/3/bulk/issues/move' }), 1);
      assert.ok(sandbox.log.count({ path: /\/rest\/api\/3\/bulk\/queue\// }) >= 2, 'the task was followed to its end');
      assert.equal(moved.moved_from, key);
      assert.match(String(moved.key), /^OPS-\d+$/);
      assert.deepEqual([moved.project, moved.url], ['OPS', `${acme}/browse/${String(moved.key)}`]);
      const read = await ok(client, 'jira_get_issue', { issue_key: key });
      assert.deepEqual([read.key, read.summary, read.type], [moved.key, `Moving ${mode}`, 'Task']);
      const history = await ok<Json[]>(client, 'jira_batch_get_changelogs', { issue_ids_or_keys: String(moved.key) });
      assert.ok(
        (history[0]!.changelogs as Json[]).some((c) =>
          (c.changes as string[]).includes('project: Engineering → Operations'),
        ),
      );

      // Its old key still says ENG, but the issue is in OPS now: an ENG-only bridge refuses it.
      const engOnly = await start({ JIRA_PROJECTS_FILTER: 'ENG' });
      for (const name of ['jira_get_issue_dates', 'jira_get_issue_development_info', 'jira_batch_get_changelogs'])
        assert.match(
          await fails(
            engOnly,
            name,
            name === 'jira_batch_get_changelogs' ? { issue_ids_or_keys: key } : { issue_key: key },
          ),
          new RegExp(`Issue ${key} is outside this bridge's allowed projects`),
          name,
        );
      assert.match(
        await fails(client, 'jira_move_issue', { issue_key: String(moved.key), target_project_key: 'OPS' }),
        /is already in OPS/,
      );
      const bug = await createIssue(`Bug to docs ${mode}`, 'ENG', 'Bug');
      assert.match(
        await fails(client, 'jira_move_issue', { issue_key: bug, target_project_key: 'DOC' }),
        /DOC has no issue type "Bug" \(it has Task, Sub-task, Epic\)/,
      );
      assert.match(
        await fails(client, 'jira_move_issue', { issue_key: 'ENG-99999', target_project_key: 'OPS' }),
        /Issue ENG-99999 was not found/,
      );
      assert.match(
        await fails(client, 'jira_move_issue', { issue_key: bug, target_project_key: 'NOPE' }),
        /Project NOPE was not found/,
      );
      assert.equal((await ok(client, 'jira_get_issue', { issue_key: bug })).key, bug, 'refused moves changed nothing');
    });

    it('jira_move_issues_to_backlog takes issues out of the active sprint', async () => {
      const board = (await ok<Json[]>(client, 'jira_get_agile_boards', { project_key: 'ENG' }))[0]!.id;
      const sprint = (await ok<Json[]>(client, 'jira_get_sprints_from_board', { board_id: board, state: 'active' }))[0]!
        .id;
      const a = await createIssue(`Backlog A ${mode}`);
      const b = await createIssue(`Backlog B ${mode}`);
      await ok(client, 'jira_add_issues_to_sprint', { sprint_id: sprint, issue_keys: `${a},${b}` });
      const inSprint = async () =>
        (
          (await ok(client, 'jira_get_sprint_issues', { sprint_id: sprint, jql: `key in (${a}, ${b})` }))
            .issues as Json[]
        ).map((i) => i.key);
      assert.deepEqual((await inSprint()).sort(), [a, b].sort());
      assert.deepEqual(await ok(client, 'jira_move_issues_to_backlog', { issue_keys: `${a}, ${b}` }), {
        moved_to_backlog: [a, b],
      });
      assert.deepEqual(await inSprint(), []);
      const raw = await ok(client, 'jira_get_issue', { issue_key: a, raw: true, fields: 'customfield_10020' });
      assert.ok(!((raw.fields as Json).customfield_10020 as unknown[] | null)?.length, 'no sprint left');
      assert.match(await fails(client, 'jira_move_issues_to_backlog', { issue_keys: 'ENG-99999' }), /does not exist/);
      const many = Array.from({ length: 51 }, (_, i) => `ENG-${i + 1}`).join(',');
      assert.match(await fails(client, 'jira_move_issues_to_backlog', { issue_keys: many }), /at most 50 per call/);
    });

    it('the epic hierarchy groups epics under their parents; cross-project dependencies list links to other projects', async () => {
      const epic = await createIssue(`Epic under initiative ${mode}`, 'ENG', 'Epic');
      const initiative = await createIssue(`Initiative ${mode}`, 'OPS', 'Task');
      await ok(client, 'jira_create_issue_link', {
        link_type: 'Hierarchy',
        inward_issue_key: initiative,
        outward_issue_key: epic,
      });
      const tree = await ok(client, 'jira_get_project_epic_hierarchy', { project_key: 'ENG' });
      const group = (tree.groups as Json[]).find((g) => (g.parent as Json).key === initiative)!;
      assert.deepEqual(group.parent, {
        key: initiative,
        project: 'OPS',
        summary: `Initiative ${mode}`,
        type: 'Task',
        status: 'To Do',
        via: 'link "is child of"',
      });
      assert.deepEqual(group.epics, [{ key: epic, summary: `Epic under initiative ${mode}`, status: 'To Do' }]);
      assert.ok((tree.unlinked as Json[]).length > 0, 'the seeded epics have no parent');
      assert.equal(tree.total_epics, (tree.unlinked as Json[]).length + 1);
      // Outside the projects filter, the parent stays a key.
      const engOnly = await start({ JIRA_PROJECTS_FILTER: 'ENG' });
      const filteredTree = await ok(engOnly, 'jira_get_project_epic_hierarchy', { project_key: 'ENG' });
      const filteredGroup = (filteredTree.groups as Json[]).find((g) => (g.parent as Json).key === initiative)!;
      assert.deepEqual(filteredGroup.parent, { key: initiative, project: 'OPS', via: 'link "is child of"' });

      const task = await createIssue(`Depends on ops ${mode}`);
      await ok(client, 'jira_create_issue_link', {
        link_type: 'Blocks',
        inward_issue_key: initiative,
        outward_issue_key: task,
      });
      const deps = await ok(client, 'jira_get_cross_project_dependencies', { project_key: 'ENG', max_issues: 5 });
      assert.equal(deps.issues_scanned, 5);
      assert.match(String(deps.note), /Only the 5 most recently updated issues/);
      const ops = (deps.by_project as Json).OPS as Json;
      assert.deepEqual(
        ((ops.by_link as Json)['is blocked by'] as Json[]).find((l) => l.source === task),
        {
          source: task,
          target: initiative,
          target_summary: `Initiative ${mode}`,
          target_status: 'To Do',
        },
      );
      assert.ok(((ops.by_link as Json)['is child of'] as Json[]).some((l) => l.source === epic));
      const filteredDeps = await ok(engOnly, 'jira_get_cross_project_dependencies', {
        project_key: 'ENG',
        max_issues: 5,
      });
      const keyOnly = (
        (((filteredDeps.by_project as Json).OPS as Json).by_link as Json)['is blocked by'] as Json[]
      ).find((l) => l.source === task);
      assert.deepEqual(keyOnly, { source: task, target: initiative });
      assert.match(
        await fails(client, 'jira_get_cross_project_dependencies', { project_key: 'NOPE' }),
        /'NOPE' does not exist for the field 'project'/,
      );
      assert.match(
        await fails(client, 'jira_get_project_epic_hierarchy', { project_key: 'NOPE' }),
        /'NOPE' does not exist for the field 'project'/,
      );
    });

    it('development information: pull requests, branches and commits from GitHub', async () => {
      const info = await ok(client, 'jira_get_issue_development_info', { issue_key: 'ENG-2' });
      assert.deepEqual(info.summary, { pull_requests: 1, branches: 1, commits: 2 });
      assert.deepEqual(info.tools, ['GitHub']);
      assert.deepEqual(info.pull_requests, [
        {
          id: '#42',
          title: 'ENG-2 Search filters',
          status: 'OPEN',
          url: 'https://github.example/acme/web/pull/42',
          author: 'Ada Lovelace',
          source_branch: 'feature/ENG-2-search-filters',
          destination_branch: 'main',
          repository: 'acme/web',
          reviewers: ['Grace Hopper (approved)'],
          comments: 0,
          updated: '2026-11-03T17:00Z',
          tool: 'GitHub',
        },
      ]);
      assert.deepEqual(
        (info.branches as Json[]).map((b) => [b.name, b.repository]),
        [['feature/ENG-2-search-filters', 'acme/web']],
      );
      assert.deepEqual(
        (info.commits as Json[]).map((c) => [c.id, c.message, c.author]),
        [
          ['8f14e45', 'ENG-2 Add search filters', 'Ada Lovelace'],
          ['c9f0f89', 'ENG-2 Test the filters', 'Grace Hopper'],
        ],
      );
      const branches = await ok(client, 'jira_get_issue_development_info', { issue_key: 'ENG-2', data_type: 'branch' });
      assert.deepEqual(
        [branches.pull_requests, branches.commits, (branches.branches as Json[]).length],
        [undefined, undefined, 1],
      );
      const gitlab = await ok(client, 'jira_get_issue_development_info', {
        issue_key: 'ENG-2',
        application_type: 'GitLab',
      });
      assert.match(String(gitlab.note), /No pullrequest, branch, repository data is linked to ENG-2 from GitLab/);
      const nothing = await ok(client, 'jira_get_issue_development_info', { issue_key: 'ENG-5' });
      assert.deepEqual(nothing.summary, { pull_requests: 0, branches: 0, commits: 0 });
      assert.match(
        await fails(client, 'jira_get_issue_development_info', { issue_key: 'ENG-2', data_type: 'build' }),
        /Invalid argument `data_type`: "build"/,
      );
      assert.match(
        await fails(client, 'jira_get_issue_development_info', { issue_key: 'ENG-99999' }),
        /Issue ENG-99999 was not found/,
      );
      const several = await ok<Json[]>(client, 'jira_get_issues_development_info', {
        issue_keys: 'ENG-2,ENG-3,ENG-99999',
        data_type: 'pullrequest',
      });
      assert.deepEqual(
        several.map((x) => [
          x.key,
          (x.pull_requests as Json[] | undefined)?.map((p) => p.status),
          x.error !== undefined,
        ]),
        [
          ['ENG-2', ['OPEN'], false],
          ['ENG-3', ['MERGED'], false],
          ['ENG-99999', undefined, true],
        ],
      );
      assert.match(String(several[2]!.error), /Issue ENG-99999 was not found/);
    });

    it('JIRA_PROJECTS_FILTER refuses objects outside it with no request sent', async () => {
      const filtered = await start({ JIRA_PROJECTS_FILTER: 'OPS' });
      await ok(filtered, 'jira_search_projects', { query: 'ops' });
      sandbox.log.clear();
      const refused: [string, Json][] = [
        ['jira_batch_get_changelogs', { issue_ids_or_keys: 'OPS-1,ENG-2' }],
        ['jira_get_create_fields', { project_key: 'ENG', issue_type_id: '10002' }],
        ['jira_get_project_issue_types', { project_key: 'eng' }],
        ['jira_get_project_fields', { project_key: 'ENG' }],
        ['jira_search_assignable_users', { query: 'g', project_key: 'ENG' }],
        ['jira_search_assignable_users', { query: 'g', issue_key: 'ENG-2' }],
        ['jira_get_issue_dates', { issue_key: 'ENG-2' }],
        ['jira_get_issue_images', { issue_key: 'ENG-2' }],
        ['jira_move_issue', { issue_key: 'ENG-2', target_project_key: 'OPS' }],
        ['jira_move_issue', { issue_key: 'OPS-1', target_project_key: 'ENG' }],
        ['jira_move_issues_to_backlog', { issue_keys: 'OPS-1,ENG-2' }],
        ['jira_get_project_epic_hierarchy', { project_key: 'ENG' }],
        ['jira_get_cross_project_dependencies', { project_key: 'ENG' }],
        ['jira_get_issue_development_info', { issue_key: 'ENG-2' }],
        ['jira_get_issues_development_info', { issue_keys: 'OPS-1,ENG-2' }],
      ];
      for (const [name, args] of refused)
        assert.match(await fails(filtered, name, args), /outside this bridge's allowed projects/, name);
      assert.deepEqual(
        sandbox.log.entries({}).map((e) => `${e.method} ${e.path}`),
        [],
        'no request was sent',
      );
      const search = await ok(filtered, 'jira_search_projects', { query: 'e' });
      assert.ok((search.projects as Json[]).every((p) => p.key === 'OPS'));
      assert.equal(search.total_matches, undefined, "Jira's count no longer holds once projects were left out");
    });
  });
}
