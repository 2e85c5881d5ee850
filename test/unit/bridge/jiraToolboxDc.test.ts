// The Jira toolbox on the sandbox's Data Center, over stdio and HTTP: what Data Center has works
// (project picker, usernames, changelogs without bulk fetch, dev-status from Bitbucket, the backlog),
// and moving an issue between projects, which it has no API for, is refused plainly with nothing written.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { connectHttp, connectStdio, type Connected, type HttpBridgeProcess, startHttpBridgeProcess } from './harness';
import { fails, ok } from './jiraToolboxNames';

type Json = Record<string, unknown>;

describe('Jira toolbox on Data Center', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  const open: Connected[] = [];
  const bridges: HttpBridgeProcess[] = [];
  const clients: Record<string, Client> = {};

  before(async () => {
    sandbox = await startSandbox();
    const { url, personalAccessToken } = sandbox.discovery.dataCenter;
    const stdio = await connectStdio({ JIRA_URL: url, JIRA_PERSONAL_TOKEN: personalAccessToken, TOOLSETS: 'all' });
    const bridge = await startHttpBridgeProcess({ JIRA_URL: url, TOOLSETS: 'all' });
    bridges.push(bridge);
    const http = await connectHttp(bridge.url, { Authorization: `Token ${personalAccessToken}` });
    open.push(stdio, http);
    clients.stdio = stdio.client;
    clients.http = http.client;
  });
  after(async () => {
    for (const c of open) await c.close();
    for (const b of bridges) await b.stop();
    await sandbox?.close();
  });

  for (const mode of ['stdio', 'http']) {
    it(`works where Data Center has the API, and says plainly where it does not (${mode})`, async () => {
      const client = clients[mode]!;
      const found = await ok(client, 'jira_search_projects', { query: 'leg' });
      assert.deepEqual(found, {
        projects: [{ key: 'LEGACY', name: 'Legacy Platform', id: '10200' }],
        total_matches: 1,
      });
      const types = await ok<Json[]>(client, 'jira_get_project_issue_types', { project_key: 'TOOLS' });
      const story = types.find((t) => t.name === 'Story')!;
      const fields = await ok<Json[]>(client, 'jira_get_create_fields', {
        project_key: 'TOOLS',
        issue_type_id: story.id,
      });
      assert.equal(fields.find((f) => f.field_id === 'customfield_10050')!.required, true);
      const users = await ok(client, 'jira_search_assignable_users', { query: 'lin', project_key: 'LEGACY' });
      assert.deepEqual(
        (users.users as Json[]).map((u) => [u.display_name, u.username]),
        [['Linus Torvalds', 'linus']],
      );

      const key = String(
        (await ok(client, 'jira_create_issue', { project_key: 'LEGACY', summary: `DC ${mode}`, issue_type: 'Task' }))
          .key,
      );
      await ok(client, 'jira_transition_issue', { issue_key: key, transition_id: '21' });
      const logs = await ok<Json[]>(client, 'jira_batch_get_changelogs', { issue_ids_or_keys: key, fields: 'status' });
      assert.deepEqual(
        (logs[0]!.changelogs as Json[]).map((c) => c.changes),
        [['status: To Do → In Progress']],
      );
      assert.equal(sandbox.log.count({ path: /changelog\/bulkfetch/ }), 0, 'Data Center has no bulk fetch: not asked');
      const dates = await ok(client, 'jira_get_issue_dates', { issue_key: key });
      assert.deepEqual(
        (dates.status_changes as Json[]).map((c) => c.to),
        ['In Progress'],
      );

      const dev = await ok(client, 'jira_get_issue_development_info', { issue_key: 'LEGACY-2' });
      assert.deepEqual(dev.tools, ['stash']);
      assert.deepEqual(
        (dev.branches as Json[]).map((b) => b.name),
        ['bugfix/LEGACY-2-ldap'],
      );
      assert.deepEqual(
        (dev.commits as Json[]).map((c) => c.message),
        ['LEGACY-2 LDAP sync retries'],
      );

      const board = (await ok<Json[]>(client, 'jira_get_agile_boards', { project_key: 'LEGACY' }))[0]!.id;
      const sprint = (await ok<Json[]>(client, 'jira_get_sprints_from_board', { board_id: board, state: 'active' }))[0]!
        .id;
      await ok(client, 'jira_add_issues_to_sprint', { sprint_id: sprint, issue_keys: key });
      await ok(client, 'jira_move_issues_to_backlog', { issue_keys: key });
      const left = await ok(client, 'jira_get_sprint_issues', { sprint_id: sprint, jql: `key = ${key}` });
      assert.deepEqual(left.issues, []);

      sandbox.log.clear();
      assert.match(
        await fails(client, 'jira_move_issue', { issue_key: key, target_project_key: 'TOOLS' }),
        /no REST API on Jira Data Center; use More \(…\) → Move .* Nothing was changed\./,
      );
      assert.equal(sandbox.log.entries({}).filter((e) => e.method !== 'GET').length, 0, 'nothing was written');
    });
  }
});
