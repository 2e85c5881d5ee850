// Replays Jira payloads other projects recorded (../shared/fixtures/real-payloads, read at test time,
// never copied here) through the real bridge and the real MCP client, against a fake upstream on
// 127.0.0.1 that answers each endpoint with its recorded payload, in a Cloud and a Data Center set-up.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { ROOT, connectStdio, type Connected } from './harness';

type Json = Record<string, unknown>;
/** `../shared` beside the repository — for a git worktree, beside the main checkout. */
function sharedPayloads(): string {
  const beside = join(ROOT, '..', 'shared', 'fixtures', 'real-payloads');
  if (existsSync(beside)) return beside;
  const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: ROOT })
    .toString()
    .trim();
  return join(dirname(common), '..', 'shared', 'fixtures', 'real-payloads');
}
const PAYLOADS = sharedPayloads();
const present = existsSync(PAYLOADS);
const load = (file: string): Json => JSON.parse(readFileSync(join(PAYLOADS, file), 'utf8')) as Json;

/** Serves `serverinfo.json` and `issue-KEY.json` of one flavour's folder; the changelog on `expand=changelog`. */
function fakeJira(folder: 'jira-cloud' | 'jira-dc'): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/rest/api/2/serverInfo') return send(200, load(`${folder}/serverinfo.json`));
    const key = /^\/rest\/api\/[23]\/issue\/([A-Z]+-\d+)$/.exec(url.pathname)?.[1];
    const file = key && join(folder, `issue-${key}.json`);
    if (!file || !existsSync(join(PAYLOADS, file))) return send(404, load('jira-common/error-issue-404.json'));
    const issue = load(file);
    const expand = url.searchParams.get('expand') ?? '';
    if (expand.includes('changelog')) issue.changelog = load('jira-common/changelog.json');
    if (!expand.includes('names')) delete issue.names;
    return send(200, issue);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

async function getIssue(client: Client, args: Json): Promise<string> {
  const r = (await client.callTool({ name: 'jira_get_issue', arguments: args })) as {
    isError?: boolean;
    content: { type: string; text: string }[];
  };
  const text = r.content.map((c) => c.text).join('\n');
  assert.equal(r.isError ?? false, false, text);
  assert.doesNotMatch(text, /undefined/, 'nothing prints "undefined"');
  return text;
}

const setups = [
  { folder: 'jira-cloud', env: { JIRA_USERNAME: 'ada@example.com', JIRA_API_TOKEN: 'recorded' } },
  { folder: 'jira-dc', env: { JIRA_PERSONAL_TOKEN: 'recorded' } },
] as const;

for (const setup of setups) {
  describe(`Jira real payloads through the bridge (${setup.folder})`, function () {
    this.timeout(60_000);
    let upstream: { server: Server; url: string };
    let bridge: Connected;
    before(async function () {
      if (!present) {
        console.log(`  (skipped: ${PAYLOADS} is absent — these tests replay other projects' recorded payloads)`);
        this.skip();
      }
      upstream = await fakeJira(setup.folder);
      bridge = await connectStdio({ JIRA_URL: upstream.url, ...setup.env });
    });
    after(async () => {
      await bridge?.close();
      upstream?.server.close();
    });

    if (setup.folder === 'jira-cloud') {
      it('PROJ-123: people, epic parent, sprint, custom fields named, attachment by name, comments', async () => {
        const text = await getIssue(bridge.client, { issue_key: 'PROJ-123' });
        for (const fact of [
          'Test Issue Summary',
          'Reporter User',
          'PROJ-122 Parent Issue Summary',
          'test_attachment.txt',
          'timetracking',
          'customfield_10001 (My Custom Text Field)',
          'customfield_10020 (Sprint)',
          'Backend',
          'v1.0',
        ])
          assert.ok(text.includes(fact), `${fact} in ${text}`);
        assert.doesNotMatch(text, /null/);
        const view = JSON.parse(text) as Json;
        const description = String(view.description);
        assert.ok(description.includes('1\\. Some text') && !description.includes('\\1.'), description);
        assert.ok(description.includes('<https://antiklabs.atlassian.net/wiki/spaces/ANK/pages/124234/hello-world>'));
        // Inline cards that carry only `data` keep their link; bare mentions get the name the issue knows.
        const comments = JSON.stringify(view.comments);
        assert.doesNotMatch(comments, /see {2}and/, comments);
      });

      it('PROJ-123 with fields: the sprint keeps state and goal, custom fields are labelled', async () => {
        const json = JSON.parse(
          await getIssue(bridge.client, {
            issue_key: 'PROJ-123',
            fields: 'customfield_10020,customfield_10002,customfield_10001,environment',
            expand: 'names',
          }),
        ) as Json;
        const sprint = (json.customfield_10020 as Json[])[0]!;
        assert.equal(sprint.name, 'Garbage Can Sprint');
        assert.equal(sprint.state, 'future');
        assert.match(String(sprint.goal), /hanging/);
        assert.equal(json.customfield_10002, 'Custom Select Value');
        assert.equal((json.field_names as Json).customfield_10001, 'My Custom Text Field');
        assert.ok(!('environment' in json), 'a field Jira did not send is absent');
      });

      it('TEST-1: issue links without a type read "linked to", not "undefined"', async () => {
        const text = await getIssue(bridge.client, { issue_key: 'TEST-1' });
        assert.match(text, /Bug summary/);
        assert.match(text, /Test description/);
        assert.match(text, /linked to TEST-2/);
      });
    } else {
      it('FOO-124: wiki markup as Markdown (colours, attachments, images, panel title, quote lists, mentions)', async () => {
        const json = JSON.parse(await getIssue(bridge.client, { issue_key: 'FOO-124' })) as Json;
        const d = String(json.description);
        assert.ok(d.includes('## Heading'), d);
        assert.doesNotMatch(d, /\{color/);
        assert.ok(d.includes('[attachment: attachment.ext]'), d);
        assert.ok(d.includes('![attached-image.gif](attached-image.gif)'), d);
        assert.ok(d.includes('![image.jpg](image.jpg) (width=300)'), d);
        assert.ok(d.includes('> [!PANEL] My Title'), d);
        assert.ok(d.includes('> - Item\n>   - Line'), d);
        assert.ok(d.includes('@Firstname Lastname'), d);
        assert.ok(d.includes('[Example text](http://example.com)'), d);
        assert.ok(d.includes('```xml'), d);
      });

      it('EX-1: links both ways, comments, worklog visibility and comment, attachment in more_fields', async () => {
        const view = JSON.parse(await getIssue(bridge.client, { issue_key: 'EX-1' })) as Json;
        assert.deepEqual((view.links as string[]).slice(0, 2), ['is depended by PRJ-2', 'depends on PRJ-3']);
        assert.match(JSON.stringify(view.comments), /Fred F\. User/);
        assert.match(JSON.stringify(view.more_fields), /attachment \(picture\.jpg/);
        const fields = JSON.parse(await getIssue(bridge.client, { issue_key: 'EX-1', fields: 'worklog' })) as Json;
        const worklog = ((fields.worklog as Json).worklogs as Json[])[0]!;
        assert.equal(worklog.comment, 'I did some work here.');
        assert.equal(worklog.visibility, 'group: jira-developers');
      });

      it('PROJ-123: the Data Center Epic Link is shown; expand=changelog lists the changes', async () => {
        const view = JSON.parse(await getIssue(bridge.client, { issue_key: 'PROJ-123', expand: 'changelog' })) as Json;
        assert.equal(view.epic, 'EPIC-KEY-1');
        const changes = JSON.stringify(view.changelog);
        assert.match(changes, /status: Open → In Progress/);
        assert.match(changes, /Rank/);
      });
    }
  });
}
