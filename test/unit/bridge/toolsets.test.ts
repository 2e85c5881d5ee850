// The opt-in toolsets (TOOLSETS=all), driven like the default ones over stdio and HTTP.
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { call, type Connected, type HttpBridgeProcess, openBridge } from './harness';

type Json = Record<string, unknown>;

for (const mode of ['stdio', 'http'] as const) {
  describe(`opt-in toolsets over ${mode}`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    let bridge: HttpBridgeProcess | undefined;
    let c: Connected;

    before(async () => {
      sandbox = await startSandbox();
      const site = sandbox.discovery.sites[0]!;
      const env = { JIRA_URL: site.url, CONFLUENCE_URL: `${site.url}/wiki`, TOOLSETS: 'all' };
      ({ c, bridge } = await openBridge(mode, env));
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

    let key = '';
    before(async () => {
      key = String(
        (
          (
            await call(c.client, 'jira_create_issue', {
              project_key: 'ENG',
              summary: 'Toolset test',
              issue_type: 'Task',
            })
          ).json as Json
        ).key,
      );
    });

    it('comments, worklogs, watchers', async () => {
      const comment = (await ok('jira_add_comment', { issue_key: key, body: 'first' })) as Json;
      const edited = (await ok('jira_edit_comment', {
        issue_key: key,
        comment_id: comment.id,
        body: 'second **take**',
      })) as Json;
      assert.equal(edited.body, 'second **take**');
      await ok('jira_add_worklog', { issue_key: key, time_spent: '2h' });
      const worklogs = (await ok('jira_get_worklog', { issue_key: key })) as Json[];
      assert.equal(worklogs.at(-1)!.seconds, 7200);
      await ok('jira_add_watcher', { issue_key: key, user_identifier: 'linus@example.com' });
      assert.ok(
        ((await ok('jira_get_issue_watchers', { issue_key: key })) as Json[]).some(
          (w) => w.display_name === 'Linus Torvalds',
        ),
      );
      await ok('jira_remove_watcher', { issue_key: key, user_identifier: 'Linus Torvalds' });
      assert.ok(
        !((await ok('jira_get_issue_watchers', { issue_key: key })) as Json[]).some(
          (w) => w.display_name === 'Linus Torvalds',
        ),
      );
    });

    it('attachments both ways', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
      const text = (await ok('jira_upload_attachment', {
        issue_key: key,
        filename: 'notes.md',
        content: '# Hi\nthere',
      })) as Json;
      assert.deepEqual(
        (text.attachments as Json[]).map((a) => [a.filename, a.mime_type, a.size]),
        [['notes.md', 'text/markdown', 10]],
      );
      await ok('jira_upload_attachment', {
        issue_key: key,
        filename: 'pic.png',
        content_base64: png.toString('base64'),
      });
      const both = await call(c.client, 'jira_upload_attachment', {
        issue_key: key,
        filename: 'x.txt',
        content: 'a',
        content_base64: 'YQ==',
      });
      assert.equal(both.isError, true);
      const result = (await c.client.callTool({
        name: 'jira_download_attachments',
        arguments: { issue_key: key },
      })) as { isError?: boolean; content: Json[] };
      assert.notEqual(result.isError, true);
      const summary = JSON.parse(String(result.content[0]!.text)) as Json;
      assert.deepEqual(
        (summary.attachments as Json[]).map((a) => [a.filename, a.included]),
        [
          ['notes.md', true],
          ['pic.png', true],
        ],
      );
      const resources = result.content.slice(1).map((b) => b.resource as Json);
      assert.deepEqual(
        resources.map((r) => [r.mimeType, r.text ?? r.blob]),
        [
          ['text/markdown', '# Hi\nthere'],
          ['image/png', png.toString('base64')],
        ],
      );
      assert.ok(resources.every((r) => typeof r.uri === 'string' && String(r.uri).includes('/attachment/content/')));
    });

    it('project versions', async () => {
      const versions = (await ok('jira_get_project_versions', { project_key: 'ENG' })) as Json[];
      assert.deepEqual(
        versions.map((v) => v.name),
        ['1.0', '1.1', '2.0'],
      );
      assert.equal(versions[0]!.released, true);
      const created = (await ok('jira_create_version', {
        project_key: 'ENG',
        name: `9.${mode}`,
        description: 'Later',
        release_date: '2031-02-03',
      })) as Json;
      assert.deepEqual(
        { name: created.name, released: created.released, release_date: created.release_date },
        { name: `9.${mode}`, released: false, release_date: '2031-02-03' },
      );
      assert.ok(
        ((await ok('jira_get_project_versions', { project_key: 'ENG' })) as Json[]).some((v) => v.id === created.id),
      );
      const duplicate = await call(c.client, 'jira_create_version', { project_key: 'ENG', name: `9.${mode}` });
      assert.equal(duplicate.isError, true);
      assert.match(duplicate.text, /already exists/);
      assert.match(
        (await call(c.client, 'jira_create_version', { project_key: 'ENG', name: 'x', release_date: '03/02/2031' }))
          .text,
        /yyyy-MM-dd/,
      );
    });

    it('link types and removing a link', async () => {
      const types = (await ok('jira_get_link_types', { name_filter: 'block' })) as Json[];
      assert.deepEqual(
        types.map((t) => t.name),
        ['Blocks'],
      );
      await ok('jira_create_issue_link', { link_type: 'Relates', inward_issue_key: key, outward_issue_key: 'ENG-3' });
      const rawIssue = (await ok('jira_get_issue', { issue_key: key, raw: true, fields: 'issuelinks' })) as Json;
      const linkId = ((rawIssue.fields as Json).issuelinks as Json[])[0]!.id;
      await ok('jira_remove_issue_link', { link_id: linkId });
      assert.deepEqual(
        (((await ok('jira_get_issue', { issue_key: key, raw: true, fields: 'issuelinks' })) as Json).fields as Json)
          .issuelinks,
        [],
      );
    });

    it('project components', async () => {
      const components = (await ok('jira_get_project_components', { project_key: 'ENG' })) as Json[];
      assert.ok(components.some((x) => x.name === 'Search'));
    });

    it('boards, sprints, sprint issues, moving issues into a sprint', async () => {
      const boards = (await ok('jira_get_agile_boards', { project_key: 'ENG' })) as Json[];
      assert.equal(boards[0]!.type, 'scrum');
      const sprints = (await ok('jira_get_sprints_from_board', { board_id: boards[0]!.id, state: 'active' })) as Json[];
      assert.equal(sprints.length, 1);
      await ok('jira_add_issues_to_sprint', { sprint_id: sprints[0]!.id, issue_keys: key });
      const issues = (await ok('jira_get_sprint_issues', {
        sprint_id: sprints[0]!.id,
        jql: `key = ${key}`,
        fields: 'summary',
      })) as Json;
      assert.ok((issues.issues as Json[]).some((i) => i.key === key && i.summary === 'Toolset test'));
    });

    it('Confluence labels', async () => {
      const page = (
        (await ok('confluence_search', { query: 'type = page AND label is not null', limit: 1 }).catch(
          () => undefined,
        )) as Json | undefined
      )?.results as Json[] | undefined;
      const id =
        page?.[0]?.id ??
        (((await ok('confluence_search', { query: 'title = "Release Checklist"' })) as Json).results as Json[])[0]!.id;
      const labels = (await ok('confluence_get_labels', { page_id: id })) as string[];
      assert.ok(Array.isArray(labels));
    });

    it('deleting an issue', async () => {
      await ok('jira_delete_issue', { issue_key: key });
      const r = await call(c.client, 'jira_get_issue', { issue_key: key });
      assert.match(r.text, /was not found/);
    });
  });
}
