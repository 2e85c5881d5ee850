import assert from 'node:assert/strict';
import type { ConnectionInfo } from '../../../src/auth/connections';
import { jiraClientFactory } from '../../../src/atlassian/jiraClient';
import type { JiraApi, Json } from '../../../src/atlassian/jira';
import {
  attachmentBytes,
  editDescription,
  editSummary,
  findUsers,
  imageDataUri,
} from '../../../src/issues/detail/detailActions';
import { transitionsWithFields, transitionWithFields } from '../../../src/issues/transitions';
import { COMMENT_PAGE, loadChangelog, loadComments, loadIssueDetail } from '../../../src/issues/detail/issueDetail';
import { commentBody } from '../../../src/issues/detail/mentions';
import { richTextToHtml } from '../../../src/issues/detail/richText';
import { sandboxConnections, type SandboxConnections } from '../../support/sandboxConnections';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('the issue detail model, against the sandbox', function () {
  this.timeout(30_000);
  let world: SandboxConnections;
  let jira: (c: ConnectionInfo) => JiraApi;

  beforeEach(async () => {
    world = await sandboxConnections();
    jira = jiraClientFactory((id) => world.manager.credentials(id), { sleep: async () => undefined });
  });
  afterEach(() => world.close());

  const firstProject = async (api: JiraApi) => String((await api.projects())[0]!.key);

  /** An issue with sub-tasks, links and more than a page of comments, found through the API like a person would. */
  const richIssue = async (api: JiraApi): Promise<string> => {
    let issue: Json | undefined;
    for (const project of await api.projects()) {
      const page = await api.search({
        jql: `project = ${String(project.key)} ORDER BY key ASC`,
        fields: ['subtasks', 'issuelinks'],
        limit: 100,
      });
      issue ??= page.issues.find((i) => {
        const f = i.fields as Json;
        return (f.subtasks as unknown[]).length > 0 && (f.issuelinks as unknown[]).length > 0;
      });
    }
    assert.ok(issue, 'the seed has an issue with sub-tasks and links');
    const key = String(issue.key);
    for (let n = 0; n < COMMENT_PAGE + 3; n++)
      await api.addComment(key, api.cloud ? adfText(`note ${n}`) : `note ${n}`);
    return key;
  };

  for (const flavour of ['cloud', 'datacenter'] as const) {
    it(`${flavour}: shapes fields, sub-tasks, links, attachments and renders the description with an inline image`, async () => {
      const c = flavour === 'cloud' ? await world.apiToken() : await world.dataCenter();
      const api = jira(c);
      const key = await richIssue(api);
      const [uploaded] = await api.uploadAttachment(key, { filename: 'shot.png', data: PNG, mimeType: 'image/png' });
      const description = api.cloud
        ? {
            type: 'doc',
            version: 1,
            content: [
              { type: 'paragraph', content: [{ type: 'text', text: 'See <b>this</b>:' }] },
              { type: 'mediaSingle', content: [{ type: 'media', attrs: { type: 'file', id: 'x', alt: 'shot.png' } }] },
              {
                type: 'panel',
                attrs: { panelType: 'info' },
                content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Heads up' }] }],
              },
            ],
          }
        : 'See <b>this</b>:\n\n!shot.png|thumbnail!\n\n{info}Heads up{info}';
      await api.editIssue(key, { description });

      const detail = await loadIssueDetail(api, c, key);
      assert.equal(detail.key, key);
      assert.equal(detail.cloud, flavour === 'cloud');
      assert.ok(detail.summary.summary.length > 0);
      assert.ok(detail.reporter?.name);
      assert.ok(detail.subtasks.length > 0 && detail.subtasks.every((s) => /^[A-Z]+-\d+$/.test(s.key) && s.summary));
      assert.ok(detail.links.length > 0 && detail.links.every((l) => l.relation && l.key));
      assert.deepEqual(
        detail.attachments.map((a) => [a.id, a.filename, a.mimeType, a.size]),
        [[String(uploaded!.id), 'shot.png', 'image/png', PNG.length]],
      );
      assert.match(detail.descriptionHtml, /See &lt;b&gt;this&lt;\/b&gt;:/, 'raw HTML in the text is shown, not run');
      assert.match(detail.descriptionHtml, new RegExp(`<img data-attachment="${uploaded!.id}" alt="shot.png">`));
      assert.match(detail.descriptionHtml, /<div class="panel panel-note" role="note"><p>Heads up/);
      assert.equal(detail.comments.comments.length, COMMENT_PAGE);
      assert.equal(detail.comments.comments[0]!.html.trim(), `<p>note ${COMMENT_PAGE + 2}</p>`, 'newest first');
      assert.equal(detail.comments.nextStartAt, COMMENT_PAGE);

      const older = await loadComments(api, key, detail.comments.nextStartAt!, detail.attachments);
      assert.ok(older.comments.length >= 3);
      assert.equal(older.comments[0]!.html.trim(), '<p>note 2</p>');

      const bytes = await attachmentBytes(api, detail.attachments[0]!);
      assert.deepEqual(Buffer.from(bytes), PNG);
      assert.equal(imageDataUri(detail.attachments[0]!, bytes), `data:image/png;base64,${PNG.toString('base64')}`);
      await assert.rejects(attachmentBytes(api, detail.attachments[0]!, 10), /shot\.png is 0\.0 MB/);
    });

    it(`${flavour}: a transition whose screen requires the resolution, then the changelog names it`, async () => {
      const c = flavour === 'cloud' ? await world.apiToken() : await world.dataCenter();
      const api = jira(c);
      const key = String(
        (
          await api.search({
            jql: `project = ${await firstProject(api)} AND status = "To Do"`,
            fields: ['status'],
            limit: 1,
          })
        ).issues[0]!.key,
      );
      const transitions = await transitionsWithFields(api, key);
      const wontDo = transitions.find((t) => t.name === "Won't Do");
      assert.ok(wontDo);
      assert.deepEqual(
        wontDo.required.map((f) => [f.id, f.name]),
        [['resolution', 'Resolution']],
      );
      const duplicate = wontDo.required[0]!.allowed!.find((a) => a.name === 'Duplicate');
      assert.ok(duplicate, 'the resolutions are offered');
      assert.deepEqual(transitions.find((t) => t.name === 'In Progress')?.required, []);

      await transitionWithFields(api, key, wontDo.id, { resolution: { id: duplicate.id } });
      const after = await loadIssueDetail(api, c, key);
      assert.equal(after.resolution, 'Duplicate');
      const log = await loadChangelog(api, key);
      assert.deepEqual(log[0]!.changes, [{ field: 'status', from: 'To Do', to: 'Done' }]);
      assert.ok(log[0]!.author);
    });

    it(`${flavour}: edits summary and description from Markdown and assigns through user search`, async () => {
      const c = flavour === 'cloud' ? await world.apiToken() : await world.dataCenter();
      const api = jira(c);
      const key = String(
        (await api.search({ jql: `project = ${await firstProject(api)}`, fields: ['summary'], limit: 1 })).issues[0]!
          .key,
      );
      await editSummary(api, key, '  A clearer summary  ');
      await editDescription(api, key, '## Steps\n\n1. run `make`\n2. **see** it fail');
      const users = await findUsers(api, 'grace');
      assert.equal(users.length, 1);
      await api.assign(key, users[0]!.id);
      const detail = await loadIssueDetail(api, c, key);
      assert.equal(detail.summary.summary, 'A clearer summary');
      assert.equal(detail.assignee?.name, users[0]!.name);
      assert.match(detail.descriptionHtml, /<h2>Steps<\/h2>/);
      assert.match(detail.descriptionHtml, /<li>run <code>make<\/code><\/li>/);
      assert.match(detail.descriptionMarkdown, /\*\*see\*\* it fail/);
      const log = await loadChangelog(api, key);
      assert.equal(log[0]!.changes[0]!.field, 'assignee');
    });
  }

  it('reads a change without `toString` as its `to`, not as Object.prototype.toString', async () => {
    const changelog = async (): Promise<Json[]> => [{ created: '2026-01-01', items: [{ field: 'labels', to: 'x' }] }];
    const log = await loadChangelog({ changelog } as unknown as JiraApi, 'K-1');
    assert.deepEqual(log[0]!.changes, [{ field: 'labels', from: '', to: 'x' }]);
  });

  for (const flavour of ['cloud', 'datacenter'] as const) {
    it(`${flavour}: @mentions in a Markdown comment become real mentions of the users Jira knows`, async () => {
      const c = flavour === 'cloud' ? await world.apiToken() : await world.dataCenter();
      const api = jira(c);
      const body = await commentBody(api, 'Ping @grace and @[Alan Turing], not `@grace` in code nor @nobody.');
      const grace = (await findUsers(api, 'grace'))[0]!;
      const alan = (await findUsers(api, 'Alan Turing'))[0]!;
      if (typeof body === 'string') {
        assert.equal(body, `Ping [~${grace.id}] and [~${alan.id}], not {{@grace}} in code nor @nobody.`);
        return;
      }
      const paragraph = body.content[0]!.content!;
      assert.deepEqual(
        paragraph.filter((n) => n.type === 'mention').map((n) => [n.attrs!.id, n.attrs!.text]),
        [
          [grace.id, '@Grace Hopper'],
          [alan.id, '@Alan Turing'],
        ],
      );
      assert.ok(paragraph.some((n) => n.type === 'text' && n.text === '@grace' && n.marks?.[0]?.type === 'code'));
      assert.ok(paragraph.some((n) => n.type === 'text' && n.text?.includes('@nobody')));
    });
  }

  it('renders what the converters give, and nothing that could run or load from elsewhere', async () => {
    const html = await richTextToHtml(
      {
        type: 'doc',
        version: 1,
        content: [
          {
            type: 'paragraph',
            content: [
              { type: 'mention', attrs: { id: 'acc-1', text: '@Ada Lovelace' } },
              { type: 'text', text: ' ' },
              { type: 'emoji', attrs: { shortName: ':tada:', text: '🎉' } },
              { type: 'text', text: ' click', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] },
              { type: 'text', text: ' ok', marks: [{ type: 'link', attrs: { href: 'https://example.com/a' } }] },
            ],
          },
          { type: 'codeBlock', attrs: { language: 'ts' }, content: [{ type: 'text', text: 'const a = "<b>";' }] },
          {
            type: 'mediaSingle',
            content: [{ type: 'media', attrs: { type: 'external', url: 'https://evil.example/x.png' } }],
          },
          {
            type: 'table',
            content: [
              {
                type: 'tableRow',
                content: ['A', 'B'].map((t) => ({
                  type: 'tableHeader',
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }],
                })),
              },
              {
                type: 'tableRow',
                content: ['1', '2'].map((t) => ({
                  type: 'tableCell',
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }],
                })),
              },
            ],
          },
        ],
      },
      [],
    );
    assert.match(html, /<span class="mention" data-account="acc-1">@Ada Lovelace<\/span> 🎉/);
    assert.doesNotMatch(html, /javascript:/);
    assert.match(html, /<a href="https:\/\/example.com\/a"/);
    assert.match(html, /<code class="language-ts">const a = &quot;&lt;b&gt;&quot;;/);
    assert.doesNotMatch(html, /<img/, 'no remote image');
    assert.match(html, /<th>A<\/th>[\s\S]*<td>2<\/td>/);
  });
});

function adfText(text: string): Json {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}
