import assert from 'node:assert/strict';
import { ConfluenceApi } from '../../../../src/atlassian/confluence';
import { AtlassianHttpClient } from '../../../../src/atlassian/http';
import { jiraClientFactory } from '../../../../src/atlassian/jiraClient';
import type { Json } from '../../../../src/atlassian/jira';
import { bounded, CHAT_COMMENTS, issueMarkdown, loadIssueForChat } from '../../../../src/issues/chat/issueMarkdown';
import { loadPageForChat, pageMarkdown } from '../../../../src/issues/chat/pageMarkdown';
import { sandboxConnections, type SandboxConnections } from '../../../support/sandboxConnections';

describe('issues and pages as Markdown for chat, against the sandbox', function () {
  this.timeout(30_000);
  let world: SandboxConnections;

  beforeEach(async () => {
    world = await sandboxConnections();
  });
  afterEach(() => world.close());

  for (const flavour of ['cloud', 'datacenter'] as const) {
    it(`${flavour}: fields, description, sub-tasks, links and the newest comments with "N of M"`, async () => {
      const c = flavour === 'cloud' ? await world.apiToken() : await world.dataCenter();
      const api = jiraClientFactory((id) => world.manager.credentials(id), { sleep: async () => undefined })(c);
      let issue: Json | undefined;
      for (const project of await api.projects()) {
        const found = await api.search({
          jql: `project = ${String(project.key)} ORDER BY key ASC`,
          fields: ['subtasks', 'summary'],
          limit: 100,
        });
        issue ??= found.issues.find((i) => ((i.fields as Json).subtasks as unknown[]).length > 0);
      }
      assert.ok(issue, 'the seed has an issue with sub-tasks');
      const key = String(issue.key);
      for (let n = 0; n < CHAT_COMMENTS + 2; n++)
        await api.addComment(
          key,
          api.cloud
            ? {
                type: 'doc',
                version: 1,
                content: [{ type: 'paragraph', content: [{ type: 'text', text: `note ${n}` }] }],
              }
            : `note ${n}`,
        );

      const markdown = issueMarkdown(await loadIssueForChat(api, key, c));
      const summary = String((issue.fields as Json).summary);
      assert.ok(markdown.startsWith(`# ${key}: ${summary}\n`), markdown.slice(0, 200));
      assert.match(
        markdown,
        new RegExp(`^- Site: ${c.siteName} \\(${c.siteUrl.replace(/\/+$/, '')}/browse/${key}\\)$`, 'm'),
      );
      assert.match(markdown, /^- Status: \S/m);
      assert.match(markdown, /^## Description$/m);
      assert.match(markdown, /^## Sub-tasks$/m);
      const subtask = ((issue.fields as Json).subtasks as Json[])[0]!;
      assert.ok(markdown.includes(`- ${String(subtask.key)} `), 'the sub-task is listed by key');
      // Newest first, and the count says what is left out.
      assert.match(markdown, new RegExp(`^## Comments \\(${CHAT_COMMENTS} of \\d+, newest first\\)$`, 'm'));
      assert.ok(markdown.indexOf(`note ${CHAT_COMMENTS + 1}`) < markdown.indexOf('note 5'));
      assert.ok(!markdown.includes('note 0\n'), 'the oldest of ours is beyond the first page');
    });
  }

  it('an unknown issue is an error, not an empty document', async () => {
    const c = await world.apiToken();
    const api = jiraClientFactory((id) => world.manager.credentials(id), { sleep: async () => undefined })(c);
    await assert.rejects(loadIssueForChat(api, 'NOPE-999999', c), /NOPE-999999|not found|does not exist/i);
  });

  it('cloud: a page with title, id, version, link and its body as Markdown', async () => {
    const c = await world.apiToken();
    const http = new AtlassianHttpClient(c.confluenceBaseUrl, world.manager.credentials(c.id));
    const first = (
      (await http.request<Json>({ path: '/api/v2/pages', query: { limit: 1 }, scopes: [] })).results as Json[]
    )[0]!;
    const markdown = await pageMarkdown(
      await loadPageForChat(new ConfluenceApi(http), String(first.id), {
        siteName: c.siteName,
        webBase: `${c.siteUrl}/wiki`,
      }),
    );
    assert.ok(markdown.startsWith(`# ${String(first.title)}\n`), markdown.slice(0, 200));
    assert.match(markdown, new RegExp(`^- Page id: ${String(first.id)}$`, 'm'));
    assert.match(markdown, /^- Version: \d+$/m);
    assert.ok(!/<\/?(p|ac:|ri:)/.test(markdown), 'no storage XHTML left');
  });

  it('cuts a long body at a line break and says how long it was', () => {
    const long = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    const cut = bounded(long, 1000);
    assert.ok(cut.length < 1100);
    assert.match(cut, new RegExp(`\\[… cut at 1000 of ${long.length} characters\\]$`));
    assert.equal(bounded('short'), 'short');
  });
});
