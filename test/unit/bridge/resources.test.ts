// MCP resources, prompts, completions and the issue card, through the real MCP SDK client against
// the bundled bridge and the sandbox: over stdio and HTTP, in the 2025 handshake (as VS Code) and
// in 2026-07-28. Then the projects and spaces filters on resources, completions and prompts.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import {
  ADA,
  basic,
  connectHttp,
  connectStdio,
  startHttpBridgeProcess,
  type Connected,
  type Era,
  type HttpBridgeProcess,
  type Mode,
} from './harness';

type Block = { type: string; text?: string; uri?: string; name?: string; title?: string; mimeType?: string };

const ISSUE_TEMPLATE = 'jira://{site}/issue/{key}';

describe('MCP resources, prompts and completions (real MCP client)', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let env: Record<string, string>;
  const bridges: HttpBridgeProcess[] = [];
  const open: Connected[] = [];

  before(async () => {
    sandbox = await startSandbox();
    const site = sandbox.discovery.sites[0]!;
    env = { JIRA_URL: site.url, CONFLUENCE_URL: `${site.url}/wiki` };
  });

  after(async () => {
    for (const c of open) await c.close().catch(() => undefined);
    for (const b of bridges) await b.stop();
    await sandbox?.close();
  });

  async function connect(mode: Mode, era: Era, extra: Record<string, string> = {}): Promise<Client> {
    let c: Connected;
    if (mode === 'stdio') {
      c = await connectStdio(
        {
          ...env,
          ...extra,
          JIRA_USERNAME: ADA.email,
          JIRA_API_TOKEN: ADA.token,
          CONFLUENCE_USERNAME: ADA.email,
          CONFLUENCE_API_TOKEN: ADA.token,
        },
        era,
      );
    } else {
      const bridge = await startHttpBridgeProcess({ ...env, ...extra });
      bridges.push(bridge);
      c = await connectHttp(bridge.url, { Authorization: basic(ADA.email, ADA.token) }, era);
    }
    open.push(c);
    return c.client;
  }

  /** The name the bridge gives the sandbox site (what atlassian_list_sites says). */
  async function siteName(client: Client): Promise<string> {
    const sites = (await client.callTool({ name: 'atlassian_list_sites', arguments: {} })) as { content: Block[] };
    return (JSON.parse(sites.content[0]!.text!) as { name: string }[])[0]!.name;
  }

  for (const mode of ['stdio', 'http'] as const)
    for (const era of ['legacy', 'modern'] as const)
      describe(`${mode}, ${era === 'legacy' ? '2025-11-25' : '2026-07-28'}`, () => {
        let client: Client;
        let site: string;
        before(async () => {
          client = await connect(mode, era);
          site = await siteName(client);
        });

        it('lists the resource templates, the issue card and the three prompts', async () => {
          const { resourceTemplates } = await client.listResourceTemplates();
          assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate).sort(), [
            'confluence://{site}/page/{id}',
            'confluence://{site}/space/{space}',
            'jira://{site}/issue/{key}',
            'jira://{site}/search{?jql}',
          ]);
          const { resources } = await client.listResources();
          assert.deepEqual(
            resources.map((r) => [r.uri, r.mimeType]),
            [['ui://atlassian-mcp-bridge/issue-card.html', 'text/html;profile=mcp-app']],
          );
          const { prompts } = await client.listPrompts();
          assert.deepEqual(prompts.map((p) => p.name).sort(), ['release_notes', 'standup_summary', 'work_on_issue']);
          const work = prompts.find((p) => p.name === 'work_on_issue')!;
          assert.deepEqual(
            work.arguments?.map((a) => [a.name, a.required ?? false]),
            [
              ['issue_key', true],
              ['site', false],
            ],
          );
        });

        it('reads an issue resource as Markdown, through jira_get_issue', async () => {
          const uri = `jira://${site}/issue/ENG-1`;
          const { contents } = await client.readResource({ uri });
          const doc = contents[0] as { uri: string; mimeType: string; text: string };
          assert.equal(doc.uri, uri);
          assert.equal(doc.mimeType, 'text/markdown');
          assert.match(doc.text, /^# ENG-1: \S/);
          assert.match(doc.text, /- \*\*status:\*\* \S/);
        });

        it('completes issue keys, sites and prompt arguments', async () => {
          const keys = await client.complete({
            ref: { type: 'ref/resource', uri: ISSUE_TEMPLATE },
            argument: { name: 'key', value: 'ENG-' },
          });
          assert.ok(keys.completion.values.length > 0, JSON.stringify(keys));
          assert.ok(
            keys.completion.values.every((k) => k.startsWith('ENG-')),
            JSON.stringify(keys),
          );
          const sites = await client.complete({
            ref: { type: 'ref/resource', uri: ISSUE_TEMPLATE },
            argument: { name: 'site', value: site.slice(0, 2) },
          });
          assert.deepEqual(sites.completion.values, [site]);
          const projects = await client.complete({
            ref: { type: 'ref/prompt', name: 'release_notes' },
            argument: { name: 'project', value: 'E' },
          });
          assert.ok(projects.completion.values.includes('ENG'), JSON.stringify(projects));
          const versions = await client.complete({
            ref: { type: 'ref/prompt', name: 'release_notes' },
            argument: { name: 'version', value: '' },
            context: { arguments: { project: 'ENG' } },
          });
          assert.ok(versions.completion.values.length > 0, JSON.stringify(versions));
          const boards = await client.complete({
            ref: { type: 'ref/prompt', name: 'standup_summary' },
            argument: { name: 'board', value: 'ENG' },
          });
          assert.ok(
            boards.completion.values.some((b) => b.startsWith('ENG')),
            JSON.stringify(boards),
          );
        });

        it('completes a complete old key that is not among the recently updated issues', async () => {
          const oldest = (await client.callTool({
            name: 'jira_search',
            arguments: { jql: 'project = ENG ORDER BY updated ASC', limit: 1, fields: 'summary' },
          })) as { content: Block[] };
          const key = (JSON.parse(oldest.content[0]!.text!) as { issues: { key: string }[] }).issues[0]!.key;
          const recent = (await client.callTool({
            name: 'jira_search',
            arguments: { jql: 'project = ENG ORDER BY updated DESC', limit: 100, fields: 'summary' },
          })) as { content: Block[] };
          const recentKeys = (JSON.parse(recent.content[0]!.text!) as { issues: { key: string }[] }).issues;
          assert.ok(!recentKeys.some((i) => i.key === key), `${key} is older than the 100 most recent`);
          const keys = await client.complete({
            ref: { type: 'ref/resource', uri: ISSUE_TEMPLATE },
            argument: { name: 'key', value: key.toLowerCase() },
          });
          assert.equal(keys.completion.values[0], key, JSON.stringify(keys));
          const unknown = await client.complete({
            ref: { type: 'ref/resource', uri: ISSUE_TEMPLATE },
            argument: { name: 'key', value: 'ENG-999999' },
          });
          assert.deepEqual(unknown.completion.values, []);
        });

        it('jira_search results carry resource_links, and a link can be followed', async () => {
          const result = (await client.callTool({
            name: 'jira_search',
            arguments: { jql: 'project = ENG ORDER BY key ASC', limit: 3 },
          })) as { content: Block[] };
          assert.equal(result.content[0]!.type, 'text', 'the text result stays first');
          const rows = (JSON.parse(result.content[0]!.text!) as { issues: { key: string }[] }).issues;
          const links = result.content.filter((b) => b.type === 'resource_link');
          assert.deepEqual(
            links.slice(0, 3).map((l) => l.uri),
            rows.map((r) => `jira://${site}/issue/${r.key}`),
          );
          assert.match(links.at(-1)!.uri!, /^jira:\/\/[^/]+\/search\?jql=project%20%3D%20ENG/);
          const followed = await client.readResource({ uri: links[0]!.uri! });
          assert.match((followed.contents[0] as { text: string }).text, new RegExp(`^# ${rows[0]!.key}: `));
          const set = await client.readResource({ uri: links.at(-1)!.uri! });
          const page = JSON.parse((set.contents[0] as { text: string }).text) as { issues: unknown[] };
          assert.ok(page.issues.length >= 3);
        });

        it('gets each prompt: the issue embedded, tools named with their arguments', async () => {
          const work = await client.getPrompt({ name: 'work_on_issue', arguments: { issue_key: 'ENG-1' } });
          const [instructions, attached] = work.messages.map((m) => m.content as Block & { resource?: Block });
          assert.match(instructions!.text!, /jira_get_issue/);
          assert.match(instructions!.text!, /jira_get_transitions with issue_key="ENG-1"/);
          assert.equal(attached!.type, 'resource');
          assert.equal(attached!.resource!.uri, `jira://${site}/issue/ENG-1`);
          assert.match(attached!.resource!.text!, /^# ENG-1: /);
          const standup = await client.getPrompt({ name: 'standup_summary', arguments: { board: 'ENG board' } });
          const standupText = (standup.messages[0]!.content as Block).text!;
          assert.match(standupText, /Board "ENG board"/);
          // The JQL the prompt hands the model runs as it is.
          const jql = JSON.parse(/jira_search with jql=("(?:[^"\\]|\\.)*")/.exec(standupText)![1]!) as string;
          const sprint = (await client.callTool({ name: 'jira_search', arguments: { jql } })) as {
            content: Block[];
            isError?: boolean;
          };
          assert.equal(sprint.isError, undefined, sprint.content[0]!.text);
          assert.ok((JSON.parse(sprint.content[0]!.text!) as { issues: unknown[] }).issues.length > 0, jql);
          const notes = await client.getPrompt({
            name: 'release_notes',
            arguments: { project: 'ENG', version: '1.0' },
          });
          assert.match(
            (notes.messages[0]!.content as Block).text!,
            /jira_search with jql="project = \\"ENG\\" AND fixVersion = \\"1.0\\"/,
          );
          await assert.rejects(client.getPrompt({ name: 'release_notes', arguments: { project: 'ENG' } }), /version/);
        });

        it('jira_get_issue points at the issue card, which is served as an MCP App', async () => {
          const { tools } = await client.listTools();
          const getIssue = tools.find((t) => t.name === 'jira_get_issue')!;
          assert.deepEqual((getIssue._meta as { ui?: unknown }).ui, {
            resourceUri: 'ui://atlassian-mcp-bridge/issue-card.html',
          });
          assert.equal(tools.find((t) => t.name === 'jira_search')!._meta, undefined);
          const result = (await client.callTool({ name: 'jira_get_issue', arguments: { issue_key: 'ENG-1' } })) as {
            content: Block[];
            _meta?: { ui?: { resourceUri?: string } };
          };
          assert.equal(result._meta?.ui?.resourceUri, 'ui://atlassian-mcp-bridge/issue-card.html');
          const card = await client.readResource({ uri: 'ui://atlassian-mcp-bridge/issue-card.html' });
          const html = card.contents[0] as { mimeType: string; text: string };
          assert.equal(html.mimeType, 'text/html;profile=mcp-app');
          assert.match(html.text, /^<!doctype html>/);
          assert.match(html.text, /"transition":true,"assign":true/);
          assert.ok(html.text.includes('ui/initialize'), 'the App SDK handshake is in the card');
          if (mode === 'stdio' && era === 'legacy')
            console.log(`    [resources] issue card resource: ${Math.round(html.text.length / 1024)} KB`);
        });
      });

  describe('filters hold on resources, completions and prompts', () => {
    let client: Client;
    let site: string;
    before(async () => {
      client = await connect('stdio', 'legacy', { JIRA_PROJECTS_FILTER: 'OPS', CONFLUENCE_SPACES_FILTER: 'OPS' });
      site = await siteName(client);
    });

    it('refuses an issue of a filtered-out project without its content', async () => {
      const summary = (
        JSON.parse(
          (
            (
              await (
                await connect('stdio', 'legacy')
              ).callTool({ name: 'jira_get_issue', arguments: { issue_key: 'ENG-1' } })
            ).content as Block[]
          )[0]!.text!,
        ) as { summary: string }
      ).summary;
      const refused = await client.readResource({ uri: `jira://${site}/issue/ENG-1` }).then(
        () => assert.fail('read'),
        (err: Error) => err,
      );
      assert.match(refused.message, /outside this bridge's allowed projects \(OPS/);
      assert.ok(!refused.message.includes(summary), refused.message);
      await assert.rejects(
        client.getPrompt({ name: 'work_on_issue', arguments: { issue_key: 'ENG-1' } }),
        /allowed projects/,
      );
      const ok = await client.readResource({ uri: `jira://${site}/issue/OPS-1` });
      assert.match((ok.contents[0] as { text: string }).text, /^# OPS-1: /);
    });

    it('offers only allowed keys, projects and spaces, and confines a JQL resource', async () => {
      const keys = await client.complete({
        ref: { type: 'ref/resource', uri: ISSUE_TEMPLATE },
        argument: { name: 'key', value: '' },
      });
      assert.ok(keys.completion.values.length > 0);
      assert.ok(
        keys.completion.values.every((k) => k.startsWith('OPS-')),
        JSON.stringify(keys),
      );
      const eng = await client.complete({
        ref: { type: 'ref/resource', uri: ISSUE_TEMPLATE },
        argument: { name: 'key', value: 'ENG-' },
      });
      assert.deepEqual(eng.completion.values, []);
      const projects = await client.complete({
        ref: { type: 'ref/prompt', name: 'release_notes' },
        argument: { name: 'project', value: '' },
      });
      assert.deepEqual(projects.completion.values, ['OPS']);
      const spaces = await client.complete({
        ref: { type: 'ref/resource', uri: 'confluence://{site}/space/{space}' },
        argument: { name: 'space', value: '' },
      });
      assert.deepEqual(spaces.completion.values, ['OPS']);
      const set = await client.readResource({
        uri: `jira://${site}/search?jql=${encodeURIComponent('project = ENG')}`,
      });
      assert.deepEqual((JSON.parse((set.contents[0] as { text: string }).text) as { issues: unknown[] }).issues, []);
      await assert.rejects(client.readResource({ uri: `confluence://${site}/space/ENG` }), /allowed spaces/);
    });
  });

  describe('what is offered follows the exposed tools', () => {
    it('only the resources, links and prompts whose tools are exposed; no card actions in read-only mode', async () => {
      const client = await connect('stdio', 'modern', { ENABLED_TOOLS: 'jira_search,atlassian_list_sites' });
      const { resourceTemplates } = await client.listResourceTemplates();
      assert.deepEqual(
        resourceTemplates.map((t) => t.uriTemplate),
        ['jira://{site}/search{?jql}'],
      );
      assert.deepEqual((await client.listResources()).resources, []);
      assert.deepEqual((await client.listPrompts()).prompts.map((p) => p.name).sort(), [
        'release_notes',
        'standup_summary',
      ]);
      const result = (await client.callTool({
        name: 'jira_search',
        arguments: { jql: 'project = ENG', limit: 2 },
      })) as {
        content: Block[];
      };
      assert.deepEqual(
        result.content.filter((b) => b.type === 'resource_link').map((b) => b.name),
        ['JQL result'],
      );
      await assert.rejects(
        client.readResource({ uri: `jira://${await siteName(client)}/issue/ENG-1` }),
        /No such resource/,
      );

      const readOnly = await connect('stdio', 'legacy', { READ_ONLY_MODE: 'true' });
      const card = await readOnly.readResource({ uri: 'ui://atlassian-mcp-bridge/issue-card.html' });
      assert.match((card.contents[0] as { text: string }).text, /"transition":false,"assign":false/);
    });

    it('reads a Confluence page and links the pages confluence_search finds', async () => {
      const client = await connect('http', 'legacy');
      const site = await siteName(client);
      const result = (await client.callTool({
        name: 'confluence_search',
        arguments: { query: 'type = page', limit: 2 },
      })) as {
        content: Block[];
      };
      const links = result.content.filter((b) => b.type === 'resource_link');
      assert.equal(links.length, 2, JSON.stringify(result.content));
      assert.match(links[0]!.uri!, new RegExp(`^confluence://${site}/page/\\d+$`));
      const page = await client.readResource({ uri: links[0]!.uri! });
      const text = (page.contents[0] as { text: string }).text;
      assert.equal(`# ${links[0]!.title}`, text.split('\n')[0]);
      const space = await client.complete({
        ref: { type: 'ref/resource', uri: 'confluence://{site}/space/{space}' },
        argument: { name: 'space', value: '' },
      });
      assert.ok(space.completion.values.length > 0, JSON.stringify(space));
      const pages = await client.readResource({ uri: `confluence://${site}/space/${space.completion.values[0]}` });
      assert.ok(
        (JSON.parse((pages.contents[0] as { text: string }).text) as { results: unknown[] }).results.length > 0,
      );
    });
  });
});
