// The opt-in Jira tools that follow mcp-atlassian's (project issues, bulk create, epics, web links,
// board issues, sprints, versions), driven through the MCP SDK client over stdio and HTTP against
// the sandbox, on Cloud and on Data Center. Effects are read back through other tools or the
// sandbox's REST API; the projects filter and read-only mode are checked before anything is written.
import assert from 'node:assert/strict';
import { DEFAULT_TOOLS } from './defaultTools';
import type { Client } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import {
  ADA,
  basic,
  call,
  connectHttp,
  connectStdio,
  type Connected,
  type HttpBridgeProcess,
  openBridge,
  startHttpBridgeProcess,
} from './harness';

type Json = Record<string, unknown>;

const NEW_READ = ['jira_get_project_issues', 'jira_get_board_issues'];
const NEW_WRITE = [
  'jira_batch_create_issues',
  'jira_link_to_epic',
  'jira_create_remote_issue_link',
  'jira_create_sprint',
  'jira_update_sprint',
  'jira_batch_create_versions',
  'jira_update_version',
];
const ANNOTATIONS: Record<string, Json> = {
  jira_get_project_issues: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  jira_get_board_issues: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  jira_batch_create_issues: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  jira_link_to_epic: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  jira_create_remote_issue_link: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  jira_create_sprint: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  jira_update_sprint: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  jira_batch_create_versions: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  jira_update_version: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
};

async function ok<T = Json>(client: Client, name: string, args: Json = {}): Promise<T> {
  const r = await call(client, name, args);
  assert.equal(r.isError, false, `${name} failed: ${r.text}`);
  return r.json as T;
}

/** The tool's error text; fails the test when the call succeeded. */
async function fails(client: Client, name: string, args: Json): Promise<string> {
  const r = await call(client, name, args);
  assert.equal(r.isError, true, `${name} should have failed: ${r.text}`);
  return r.text;
}

const keysOf = (page: Json): string[] => (page.issues as Json[]).map((i) => String(i.key));

for (const mode of ['stdio', 'http'] as const) {
  describe(`more Jira tools over ${mode}`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    let acme: string;
    let client: Client;
    const opened: { c: Connected; bridge?: HttpBridgeProcess }[] = [];
    const start = async (env: Record<string, string> = {}) => {
      const o = await openBridge(mode, { JIRA_URL: acme, TOOLSETS: 'all', ...env });
      opened.push(o);
      return o.c.client;
    };
    /** The sandbox's own REST API, as Ada. */
    const rest = async (path: string): Promise<unknown> => {
      const res = await fetch(`${acme}${path}`, { headers: { authorization: basic(ADA.email, ADA.token) } });
      assert.equal(res.status, 200, path);
      return res.json();
    };
    const createIssue = async (summary: string, project = 'ENG', type = 'Task') =>
      String((await ok(client, 'jira_create_issue', { project_key: project, summary, issue_type: type })).key);
    const firstKey = async (jql: string) => keysOf(await ok(client, 'jira_search', { jql, limit: 1 }))[0]!;
    const boardOf = async (project: string) =>
      (await ok<Json[]>(client, 'jira_get_agile_boards', { project_key: project }))[0]!.id as number;

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

    it('lists the new tools with their annotations, in their toolsets, only the web link by default', async () => {
      const { tools } = await client.listTools();
      for (const name of [...NEW_READ, ...NEW_WRITE]) {
        const tool = tools.find((t) => t.name === name);
        assert.ok(tool, `${name} is listed with TOOLSETS=all`);
        assert.ok(tool.title, `${name} has a title`);
        assert.deepEqual(tool.annotations, ANNOTATIONS[name], name);
        assert.ok((tool.inputSchema.properties as Json).site, `${name} takes site`);
      }
      const byDefault = (await (await start({ TOOLSETS: 'default' })).listTools()).tools.map((t) => t.name);
      assert.equal(byDefault.length, DEFAULT_TOOLS.length);
      // Linking a pull request is what developers do most of these: it joined the default toolset (issue 16).
      assert.deepEqual(
        byDefault.filter((n) => [...NEW_READ, ...NEW_WRITE].includes(n)),
        ['jira_create_remote_issue_link'],
      );
      const some = (await (await start({ TOOLSETS: 'jira_links,jira_agile,jira_versions' })).listTools()).tools.map(
        (t) => t.name,
      );
      for (const name of [
        'jira_link_to_epic',
        'jira_create_remote_issue_link',
        'jira_get_board_issues',
        'jira_create_sprint',
        'jira_update_sprint',
        'jira_batch_create_versions',
        'jira_update_version',
      ]) {
        assert.ok(some.includes(name), `${name} is in its toolset`);
      }
      assert.ok(
        !some.includes('jira_get_project_issues') && !some.includes('jira_batch_create_issues'),
        'those belong to jira_issues',
      );
    });

    it('read-only mode hides the new write tools and refuses them by name', async () => {
      const readOnly = await start({ READ_ONLY_MODE: 'true' });
      const names = (await readOnly.listTools()).tools.map((t) => t.name);
      for (const name of NEW_READ) assert.ok(names.includes(name), `${name} stays`);
      for (const name of NEW_WRITE) assert.ok(!names.includes(name), `${name} is hidden`);
      sandbox.log.clear();
      const args: Record<string, Json> = {
        jira_batch_create_issues: { issues: '[{"project_key":"ENG","summary":"x","issue_type":"Task"}]' },
        jira_link_to_epic: { issue_key: 'ENG-2', epic_key: 'ENG-1' },
        jira_create_remote_issue_link: { issue_key: 'ENG-2', url: 'https://example.com', title: 'x' },
        jira_create_sprint: { board_id: 1, name: 'x' },
        jira_update_sprint: { sprint_id: 1, name: 'x' },
        jira_batch_create_versions: { project_key: 'ENG', versions: '[{"name":"x"}]' },
        jira_update_version: { version_id: '10000', name: 'x' },
      };
      for (const name of NEW_WRITE)
        assert.match(await fails(readOnly, name, args[name]!), /read-only mode \(READ_ONLY_MODE\)/, name);
      assert.equal(sandbox.log.count(), 0, 'nothing reached Jira');
    });

    it('jira_get_project_issues pages through one project, newest first', async () => {
      const newest = await createIssue(`Project issues ${mode}`);
      const first = await ok(client, 'jira_get_project_issues', { project_key: 'eng', limit: 5 });
      assert.equal(keysOf(first).length, 5);
      assert.equal(keysOf(first)[0], newest);
      assert.ok(keysOf(first).every((k) => k.startsWith('ENG-')));
      assert.equal(typeof first.next_page_token, 'string');
      const second = await ok(client, 'jira_get_project_issues', {
        project_key: 'ENG',
        limit: 5,
        page_token: first.next_page_token,
      });
      assert.equal(keysOf(second).length, 5);
      assert.ok(!keysOf(second).some((k) => keysOf(first).includes(k)), 'pages do not overlap');
      assert.deepEqual(
        keysOf(await ok(client, 'jira_get_project_issues', { project_key: 'ENG', limit: 5, start_at: 5 })),
        keysOf(second),
      );
      assert.match(
        await fails(client, 'jira_get_project_issues', { project_key: 'NOPE' }),
        /'NOPE' does not exist for the field 'project'/,
      );
      assert.match(await fails(client, 'jira_get_project_issues', { project_key: 'ENG-1' }), /not a project key/);
      assert.match(
        await fails(client, 'jira_get_project_issues', { project_key: 'ENG', page_token: 'garbage' }),
        /not a cursor this bridge returned/,
      );
    });

    it('jira_batch_create_issues creates the valid issues in one request and names each refused one', async () => {
      sandbox.log.clear();
      const result = await ok(client, 'jira_batch_create_issues', {
        issues: JSON.stringify([
          {
            project_key: 'ENG',
            summary: `Batch A ${mode}`,
            issue_type: 'Task',
            description: 'Some **bold** text',
            additional_fields: { labels: ['batch'] },
          },
          { project_key: 'ENG', summary: `Batch B ${mode}`, issue_type: 'Nonsense' },
          {
            project_key: 'ops',
            summary: `Batch C ${mode}`,
            issue_type: 'Bug',
            priority: 'High',
            assignee: 'linus@example.com',
          },
        ]),
      });
      assert.equal(
        sandbox.log.count({ method: 'POST', path: '/sites/acme/rest/api/3/issue/bulk' }),
        1,
        'one bulk request',
      );
      const created = result.created as Json[];
      assert.deepEqual(
        created.map((c) => c.index),
        [0, 2],
      );
      assert.match(String(created[0]!.key), /^ENG-\d+$/);
      assert.match(String(created[1]!.key), /^OPS-\d+$/);
      assert.equal(created[0]!.url, `${acme}/browse/${String(created[0]!.key)}`);
      assert.deepEqual(result.errors, [
        { index: 1, summary: `Batch B ${mode}`, errors: ['issuetype: The issue type selected is invalid.'] },
      ]);
      const a = await ok(client, 'jira_get_issue', { issue_key: created[0]!.key });
      assert.deepEqual([a.summary, a.description, a.labels], [`Batch A ${mode}`, 'Some **bold** text', ['batch']]);
      const c = await ok(client, 'jira_get_issue', { issue_key: created[1]!.key });
      assert.deepEqual([c.type, c.priority, c.assignee], ['Bug', 'High', 'Linus Torvalds']);
    });

    it('jira_batch_create_issues: validate_only writes nothing; bad input and total refusal are errors; a 429 is not repeated', async () => {
      const valid = { project_key: 'ENG', summary: `Validated ${mode}`, issue_type: 'Story' };
      sandbox.log.clear();
      const checked = await ok(client, 'jira_batch_create_issues', {
        issues: JSON.stringify([valid]),
        validate_only: true,
      });
      assert.deepEqual(checked, {
        validated: 1,
        created: 0,
        issues: [{ index: 0, project_key: 'ENG', summary: `Validated ${mode}` }],
      });
      assert.equal(sandbox.log.count({ method: 'POST' }), 0);
      assert.match(
        await fails(client, 'jira_batch_create_issues', { issues: '[{"summary":"x","issue_type":"Task"}]' }),
        /Missing required argument `issues\[0\]\.project_key`/,
      );
      assert.match(await fails(client, 'jira_batch_create_issues', { issues: '{not json' }), /not valid JSON/);
      const many = JSON.stringify(Array.from({ length: 51 }, () => valid));
      assert.match(await fails(client, 'jira_batch_create_issues', { issues: many }), /at most 50 per call/);
      assert.equal(sandbox.log.count({ method: 'POST' }), 0, 'input errors are caught before Jira');
      const refused = await fails(client, 'jira_batch_create_issues', {
        issues: JSON.stringify([
          { ...valid, issue_type: 'Nope' },
          { ...valid, issue_type: 'Nada' },
        ]),
      });
      assert.match(
        refused,
        /Jira created none of the 2 issues: .*issue 0: issuetype: The issue type selected is invalid\.; issue 1: issuetype: /,
      );
      assert.deepEqual(
        keysOf(await ok(client, 'jira_search', { jql: `summary ~ "Validated ${mode}"` })),
        [],
        'nothing was created',
      );

      sandbox.faults.add({
        kind: 'rateLimit',
        method: 'POST',
        path: '/sites/acme/rest/api/3/issue/bulk',
        times: 1,
        retryAfterSeconds: 1,
      });
      sandbox.log.clear();
      const limited = await fails(client, 'jira_batch_create_issues', { issues: JSON.stringify([valid]) });
      assert.match(limited, /rate limiting/);
      assert.match(limited, /did not create the issue/);
      assert.match(limited, /does not repeat a bulk create/);
      assert.equal(
        sandbox.log.count({ method: 'POST', path: '/sites/acme/rest/api/3/issue/bulk' }),
        1,
        'the 429 was not retried',
      );
      const later = await ok(client, 'jira_batch_create_issues', { issues: JSON.stringify([valid]) });
      assert.equal((later.created as Json[]).length, 1);
    });

    it('jira_link_to_epic sets the epic as parent, and refuses what is not an epic', async () => {
      const epic = await firstKey('project = ENG AND issuetype = Epic ORDER BY key ASC');
      const task = await createIssue(`Epic child ${mode}`);
      const linked = await ok(client, 'jira_link_to_epic', { issue_key: task, epic_key: epic });
      assert.deepEqual([linked.key, linked.epic_key], [task, epic]);
      const raw = await ok(client, 'jira_get_issue', { issue_key: task, raw: true, fields: 'parent' });
      assert.equal(((raw.fields as Json).parent as Json).key, epic);
      const other = await createIssue(`Not an epic ${mode}`);
      assert.match(
        await fails(client, 'jira_link_to_epic', { issue_key: task, epic_key: other }),
        new RegExp(`${other} is a Task, not an epic`),
      );
      assert.match(
        await fails(client, 'jira_link_to_epic', { issue_key: task, epic_key: 'ENG-99998' }),
        /Epic ENG-99998 was not found/,
      );
      assert.match(
        await fails(client, 'jira_link_to_epic', { issue_key: 'ENG-99999', epic_key: epic }),
        /Issue ENG-99999 was not found/,
      );
      const after = await ok(client, 'jira_get_issue', { issue_key: task, raw: true, fields: 'parent' });
      assert.equal(((after.fields as Json).parent as Json).key, epic, 'refused calls left the parent alone');
    });

    it('jira_create_remote_issue_link adds a web link to the issue', async () => {
      const key = await createIssue(`Web link ${mode}`);
      const created = await ok(client, 'jira_create_remote_issue_link', {
        issue_key: key,
        url: 'https://example.com/runbook',
        title: 'Runbook',
        summary: 'How to recover',
        relationship: 'documentation',
        icon_url: 'https://example.com/i.png',
      });
      assert.equal(typeof created.id, 'number');
      const links = (await rest(`/rest/api/3/issue/${key}/remotelink`)) as Json[];
      assert.equal(links.length, 1);
      assert.equal(links[0]!.id, created.id);
      assert.equal(links[0]!.relationship, 'documentation');
      assert.deepEqual(links[0]!.object, {
        icon: { url16x16: 'https://example.com/i.png', title: 'Runbook' },
        url: 'https://example.com/runbook',
        title: 'Runbook',
        summary: 'How to recover',
      });
      assert.match(
        await fails(client, 'jira_create_remote_issue_link', { issue_key: key, url: 'example dot com', title: 'x' }),
        /not an absolute URL/,
      );
      assert.match(
        await fails(client, 'jira_create_remote_issue_link', {
          issue_key: 'ENG-99999',
          url: 'https://x.test',
          title: 'x',
        }),
        /Issue ENG-99999 was not found/,
      );
      assert.match(
        await fails(client, 'jira_create_remote_issue_link', { issue_key: key, url: 'https://x.test' }),
        /Missing required argument `title`/,
      );
    });

    it('jira_get_board_issues pages through a board and honours jql and fields', async () => {
      const board = await boardOf('ENG');
      const first = await ok(client, 'jira_get_board_issues', { board_id: board, limit: 3 });
      assert.equal(keysOf(first).length, 3);
      assert.ok((first.total as number) > 3);
      const second = await ok(client, 'jira_get_board_issues', {
        board_id: board,
        limit: 3,
        page_token: first.next_page_token,
      });
      assert.equal(keysOf(second).length, 3);
      assert.ok(!keysOf(second).some((k) => keysOf(first).includes(k)));
      const key = keysOf(second)[1]!;
      const one = await ok(client, 'jira_get_board_issues', {
        board_id: String(board),
        jql: `key = ${key}`,
        fields: 'summary,status',
      });
      assert.deepEqual(Object.keys((one.issues as Json[])[0]!), ['key', 'summary', 'status']);
      assert.deepEqual([keysOf(one), one.total, one.next_page_token], [[key], 1, undefined]);
      assert.match(await fails(client, 'jira_get_board_issues', { board_id: 999 }), /Board 999 was not found/);
      assert.match(
        await fails(client, 'jira_get_board_issues', { board_id: board, jql: 'key = ' }),
        /Fix the arguments/,
      );
    });

    it('jira_create_sprint and jira_update_sprint, read back from the board', async () => {
      const board = await boardOf('ENG');
      const sprint = await ok(client, 'jira_create_sprint', {
        board_id: board,
        name: `Sprint ${mode}`,
        start_date: '2031-01-05',
        end_date: '2031-01-19T17:00:00Z',
        goal: 'Ship it',
      });
      assert.deepEqual(sprint, {
        id: sprint.id,
        name: `Sprint ${mode}`,
        state: 'future',
        start: '2031-01-05T00:00Z',
        end: '2031-01-19T17:00Z',
        goal: 'Ship it',
        board_id: board,
      });
      const future = async () =>
        (await ok<Json[]>(client, 'jira_get_sprints_from_board', { board_id: board, state: 'future', limit: 50 })).find(
          (s) => s.id === sprint.id,
        );
      assert.equal((await future())?.name, `Sprint ${mode}`);
      const updated = await ok(client, 'jira_update_sprint', {
        sprint_id: sprint.id,
        name: `Sprint ${mode} v2`,
        goal: 'Ship more',
        end_date: '2031-01-20',
      });
      assert.deepEqual(
        [updated.name, updated.goal, updated.end, updated.state],
        [`Sprint ${mode} v2`, 'Ship more', '2031-01-20T00:00Z', 'future'],
      );
      assert.deepEqual([(await future())?.name, (await future())?.goal], [`Sprint ${mode} v2`, 'Ship more']);
      assert.match(
        await fails(client, 'jira_update_sprint', { sprint_id: sprint.id, state: 'active' }),
        /Another sprint is already active/,
      );
      assert.equal((await future())?.state, 'future');
      assert.match(await fails(client, 'jira_update_sprint', { sprint_id: sprint.id }), /at least one of name, state/);
      assert.match(
        await fails(client, 'jira_update_sprint', { sprint_id: 99999, name: 'x' }),
        /Sprint 99999 was not found/,
      );
      assert.match(
        await fails(client, 'jira_create_sprint', { board_id: await boardOf('OPS'), name: 'Kanban' }),
        /does not support sprints/,
      );
      assert.match(
        await fails(client, 'jira_create_sprint', { board_id: board, name: 'x', start_date: 'next monday' }),
        /Invalid argument `start_date`/,
      );
    });

    it('jira_batch_create_versions and jira_update_version, read back from the project', async () => {
      const result = await ok(client, 'jira_batch_create_versions', {
        project_key: 'ENG',
        versions: JSON.stringify([
          { name: `b1-${mode}`, releaseDate: '2032-01-01', description: 'one' },
          { name: `b2-${mode}`, startDate: '2032-01-02' },
          { name: '1.0' },
        ]),
      });
      const created = result.created as Json[];
      assert.deepEqual(
        created.map((v) => [v.index, v.name]),
        [
          [0, `b1-${mode}`],
          [1, `b2-${mode}`],
        ],
      );
      assert.equal((result.errors as Json[]).length, 1);
      assert.deepEqual([(result.errors as Json[])[0]!.index, (result.errors as Json[])[0]!.name], [2, '1.0']);
      assert.match(String((result.errors as Json[])[0]!.error), /already exists/);
      const listed = async () => ok<Json[]>(client, 'jira_get_project_versions', { project_key: 'ENG' });
      const all = await listed();
      assert.ok(
        created.every((v) => all.some((x) => x.id === v.id)),
        'both are in the project',
      );
      const b1 = all.find((v) => v.id === created[0]!.id)!;
      assert.deepEqual([b1.name, b1.description, b1.release_date], [`b1-${mode}`, 'one', '2032-01-01']);

      const updated = await ok(client, 'jira_update_version', {
        version_id: String(b1.id),
        name: `b1x-${mode}`,
        released: true,
        release_date: '',
      });
      assert.deepEqual(
        [updated.name, updated.released, updated.release_date, updated.description],
        [`b1x-${mode}`, true, undefined, 'one'],
      );
      const readBack = (await listed()).find((v) => v.id === b1.id)!;
      assert.deepEqual([readBack.name, readBack.released, readBack.release_date], [`b1x-${mode}`, true, undefined]);

      assert.match(
        await fails(client, 'jira_update_version', { version_id: '99999', name: 'x' }),
        /Version 99999 was not found/,
      );
      assert.match(
        await fails(client, 'jira_update_version', { version_id: String(b1.id), release_date: '2032/01/01' }),
        /yyyy-MM-dd/,
      );
      assert.match(
        await fails(client, 'jira_update_version', { version_id: String(b1.id), name: '1.1' }),
        /already exists/,
      );
      assert.match(await fails(client, 'jira_update_version', { version_id: String(b1.id) }), /at least one of/);
      sandbox.log.clear();
      assert.match(
        await fails(client, 'jira_batch_create_versions', {
          project_key: 'ENG',
          versions: '[{"name":"ok"},{"name":"bad","releaseDate":"soon"}]',
        }),
        /versions\[1\]\.releaseDate/,
      );
      assert.equal(sandbox.log.count({ method: 'POST' }), 0, 'a bad item stops the batch before anything is created');
      assert.match(
        await fails(client, 'jira_batch_create_versions', {
          project_key: 'ENG',
          versions: '[{"name":"1.0"},{"name":"1.1"}]',
        }),
        /No version was created in ENG: .*already exists/,
      );
      assert.match(
        await fails(client, 'jira_batch_create_versions', { project_key: 'NOPE', versions: '[{"name":"x"}]' }),
        /Project NOPE was not found/,
      );
    });

    it('JIRA_PROJECTS_FILTER refuses every out-of-filter target before anything is written', async () => {
      const engBoard = await boardOf('ENG');
      const opsBoard = await boardOf('OPS');
      const engSprint = (
        await ok<Json[]>(client, 'jira_get_sprints_from_board', { board_id: engBoard, state: 'active' })
      )[0]!.id;
      const engVersion = (await ok<Json[]>(client, 'jira_get_project_versions', { project_key: 'ENG' }))[0]!.id;
      const engEpic = await firstKey('project = ENG AND issuetype = Epic ORDER BY key ASC');
      const opsIssue = await firstKey('project = OPS AND issuetype = Task ORDER BY key ASC');
      const filtered = await start({ JIRA_PROJECTS_FILTER: 'OPS' });
      sandbox.log.clear();
      const refused: [string, Json][] = [
        ['jira_get_project_issues', { project_key: 'ENG' }],
        [
          'jira_batch_create_issues',
          {
            issues: JSON.stringify([
              { project_key: 'OPS', summary: 'fine', issue_type: 'Task' },
              { project_key: 'ENG', summary: 'not fine', issue_type: 'Task' },
            ]),
          },
        ],
        ['jira_link_to_epic', { issue_key: 'ENG-2', epic_key: engEpic }],
        ['jira_link_to_epic', { issue_key: opsIssue, epic_key: engEpic }],
        ['jira_create_remote_issue_link', { issue_key: 'ENG-2', url: 'https://example.com', title: 'x' }],
        ['jira_get_board_issues', { board_id: engBoard }],
        ['jira_create_sprint', { board_id: engBoard, name: 'x' }],
        ['jira_update_sprint', { sprint_id: engSprint, name: 'x' }],
        ['jira_batch_create_versions', { project_key: 'eng', versions: '[{"name":"x"}]' }],
        ['jira_update_version', { version_id: String(engVersion), name: 'x' }],
      ];
      for (const [name, args] of refused)
        assert.match(await fails(filtered, name, args), /outside this bridge's allowed projects/, name);
      assert.equal(
        sandbox.log.count({ method: 'POST' }) + sandbox.log.count({ method: 'PUT' }),
        0,
        'nothing was written',
      );
      assert.equal(sandbox.log.count({ path: /search|\/board\/\d+\/issue/ }), 0, 'nothing was searched');
      const inside = await ok(filtered, 'jira_get_project_issues', { project_key: 'OPS', limit: 3 });
      assert.ok(keysOf(inside).length === 3 && keysOf(inside).every((k) => k.startsWith('OPS-')));
      const board = await ok(filtered, 'jira_get_board_issues', { board_id: opsBoard, limit: 3 });
      assert.ok(keysOf(board).length === 3 && keysOf(board).every((k) => k.startsWith('OPS-')));
    });
  });
}

for (const mode of ['stdio', 'http'] as const) {
  describe(`more Jira tools on Data Center over ${mode}`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    let client: Client;
    let c: Connected;
    let bridge: HttpBridgeProcess | undefined;

    before(async () => {
      sandbox = await startSandbox();
      const { url, personalAccessToken } = sandbox.discovery.dataCenter;
      if (mode === 'stdio')
        c = await connectStdio({ JIRA_URL: url, JIRA_PERSONAL_TOKEN: personalAccessToken, TOOLSETS: 'all' });
      else {
        bridge = await startHttpBridgeProcess({ JIRA_URL: url, TOOLSETS: 'all' });
        c = await connectHttp(bridge.url, { Authorization: `Token ${personalAccessToken}` });
      }
      client = c.client;
    });
    after(async () => {
      await c?.close();
      await bridge?.stop();
      await sandbox?.close();
    });

    it('serve the new tools over REST v2 with wiki markup and Jira Software', async () => {
      const dc = sandbox.discovery.dataCenter;
      const first = await ok(client, 'jira_get_project_issues', { project_key: 'LEGACY', limit: 4 });
      assert.equal(keysOf(first).length, 4);
      assert.equal(typeof first.total, 'number');
      const second = await ok(client, 'jira_get_project_issues', {
        project_key: 'LEGACY',
        limit: 4,
        page_token: first.next_page_token,
      });
      assert.ok(!keysOf(second).some((k) => keysOf(first).includes(k)));

      const batch = await ok(client, 'jira_batch_create_issues', {
        issues: JSON.stringify([
          { project_key: 'LEGACY', summary: `DC batch ${mode}`, issue_type: 'Task', description: 'Some **bold** text' },
        ]),
      });
      const key = String((batch.created as Json[])[0]!.key);
      const raw = await ok(client, 'jira_get_issue', { issue_key: key, raw: true, fields: 'description' });
      assert.equal((raw.fields as Json).description, 'Some *bold* text', 'Markdown became wiki markup');

      const epic = keysOf(
        await ok(client, 'jira_search', { jql: 'project = LEGACY AND issuetype = Epic ORDER BY key ASC', limit: 1 }),
      )[0]!;
      await ok(client, 'jira_link_to_epic', { issue_key: key, epic_key: epic });
      assert.equal(
        (
          ((await ok(client, 'jira_get_issue', { issue_key: key, raw: true, fields: 'parent' })).fields as Json)
            .parent as Json
        ).key,
        epic,
      );
      assert.equal(
        sandbox.log.count({ method: 'POST', path: `/dc/rest/agile/1.0/epic/${epic}/issue` }),
        1,
        'through Jira Software, as Data Center needs',
      );

      await ok(client, 'jira_create_remote_issue_link', {
        issue_key: key,
        url: 'https://wiki.internal/runbook',
        title: 'Runbook',
      });
      const links = (await (
        await fetch(`${dc.url}/rest/api/2/issue/${key}/remotelink`, {
          headers: { authorization: `Bearer ${dc.personalAccessToken}` },
        })
      ).json()) as Json[];
      assert.deepEqual(
        links.map((l) => (l.object as Json).title),
        ['Runbook'],
      );

      const board = (await ok<Json[]>(client, 'jira_get_agile_boards', { project_key: 'LEGACY' }))[0]!.id as number;
      const onBoard = await ok(client, 'jira_get_board_issues', { board_id: board, jql: `key = ${key}` });
      assert.deepEqual(keysOf(onBoard), [key]);
      const sprint = await ok(client, 'jira_create_sprint', {
        board_id: board,
        name: `DC ${mode}`,
        start_date: '2031-03-01',
        end_date: '2031-03-15',
      });
      const renamed = await ok(client, 'jira_update_sprint', { sprint_id: sprint.id, name: `DC ${mode} 2` });
      assert.equal(renamed.name, `DC ${mode} 2`);

      const versions = await ok(client, 'jira_batch_create_versions', {
        project_key: 'LEGACY',
        versions: JSON.stringify([{ name: `dc-${mode}` }]),
      });
      const version = (versions.created as Json[])[0]!;
      await ok(client, 'jira_update_version', { version_id: String(version.id), archived: true });
      const listed = (await ok<Json[]>(client, 'jira_get_project_versions', { project_key: 'LEGACY' })).find(
        (v) => v.id === version.id,
      )!;
      assert.equal(listed.archived, true);

      assert.equal(sandbox.log.count({ path: /^\/dc\/rest\/api\/3\// }), 0, 'Data Center is never asked for v3');
    });
  });
}
