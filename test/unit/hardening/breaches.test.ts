// Regression tests for the audit's breaches (issue 13, B1–B5), against the real bridge and the sandbox,
// and a walk over EVERY tool that takes an id, proving each one checks the filters on its own objects.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import type { Json, JiraApi } from '../../../src/atlassian/jira';
import type { BridgeConfig } from '../../../src/bridge/config';
import { allowIssue } from '../../../src/bridge/tools/jira/shared';
import type { ToolContext } from '../../../src/bridge/tooling';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import {
  ADA,
  basic,
  call,
  connectHttp,
  connectStdio,
  startHttpBridgeProcess,
  type Connected,
  type HttpBridgeProcess,
} from '../bridge/harness';

/** Argument names that name an Atlassian object, and how each is checked. */
const ID_ARGS = new Set([
  'issue_key',
  'issue_keys',
  'issue_ids_or_keys',
  'inward_issue_key',
  'outward_issue_key',
  'epic_key',
  'board_id',
  'sprint_id',
  'version_id',
  'link_id',
  'project_key',
  'target_project_key',
  'page_id',
  'parent_id',
  'target_parent_id',
  'space_key',
  'target_space_key',
  'comment_id',
  'content_id',
  'attachment_id',
  'source_page_id',
  'destination_space_key',
  'destination_parent_id',
  'space_id',
  'template_id',
  // Jira Service Management: the service desk is checked; queues and request types live under it.
  'service_desk_id',
  'queue_id',
  'request_type_id',
  // A form lives on an issue (issue_key is checked).
  'form_id',
]);

/** Ids that name objects without a project or space (site-wide), and why they need no filter check. */
const GLOBAL_ARGS = new Set([
  'field_id',
  'context_id',
  'transition_id',
  'account_id',
  'user_identifier',
  'issue_type_id',
]);

describe('breaches B1–B5 (issue 13)', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let site: string;
  const open: Connected[] = [];
  const bridges: HttpBridgeProcess[] = [];
  const stdio = async (env: Record<string, string>): Promise<Client> => {
    const c = await connectStdio({
      JIRA_URL: site,
      CONFLUENCE_URL: `${site}/wiki`,
      JIRA_USERNAME: ADA.email,
      JIRA_API_TOKEN: ADA.token,
      CONFLUENCE_USERNAME: ADA.email,
      CONFLUENCE_API_TOKEN: ADA.token,
      TOOLSETS: 'all',
      ...env,
    });
    open.push(c);
    return c.client;
  };
  const ok = async (client: Client, name: string, args: Json): Promise<Json> => {
    const r = await call(client, name, args);
    assert.equal(r.isError, false, `${name}: ${r.text}`);
    return r.json as Json;
  };

  before(async () => {
    sandbox = await startSandbox();
    site = sandbox.discovery.sites[0]!.url;
  });
  after(async () => {
    for (const c of open) await c.close();
    for (const b of bridges) await b.stop();
    await sandbox?.close();
  });

  it('B1: in HTTP mode the field cache never answers a caller Jira has not checked', async () => {
    const bridge = await startHttpBridgeProcess({ JIRA_URL: site });
    bridges.push(bridge);
    const a = await connectHttp(bridge.url, { Authorization: basic(ADA.email, ADA.token) });
    open.push(a);
    const first = await call(a.client, 'jira_search_fields', { keyword: 'story' });
    assert.equal(first.isError, false, first.text);
    const mallory = await connectHttp(bridge.url, { Authorization: basic('mallory@example.com', 'made-up') });
    open.push(mallory);
    sandbox.log.clear();
    const second = await call(mallory.client, 'jira_search_fields', { keyword: 'story' });
    assert.equal(second.isError, true, `a made-up login got: ${second.text.slice(0, 200)}`);
    assert.ok(sandbox.log.count({ path: /\/field/ }) >= 1, 'the made-up login went upstream to be checked');
  });

  it('B2: an issue is allowed by the project Jira says it is in, not by its key', async () => {
    // Jira keeps a moved issue's old key resolving: ENG-7 now answers as OPS-33.
    const asked: string[] = [];
    const jira = {
      getIssue: (key: string) => {
        asked.push(key);
        return Promise.resolve({ key: 'OPS-33', fields: { project: { key: 'OPS' } } });
      },
    } as unknown as JiraApi;
    const ctx = {
      config: { projectsFilter: ['ENG'] } as unknown as BridgeConfig,
      signal: new AbortController().signal,
    } as ToolContext;
    await assert.rejects(allowIssue(ctx, jira, 'ENG-7'), /outside this bridge's allowed projects/);
    assert.deepEqual(asked, ['ENG-7']);
  });

  it('B4/B5 and every tool that takes an id: objects outside the filters are refused, nothing is written', async () => {
    const free = await stdio({});
    const boardOf = async (project: string) =>
      ((await ok(free, 'jira_get_agile_boards', { project_key: project })) as unknown as Json[])[0]!.id as number;
    const engBoard = await boardOf('ENG');
    const engSprint = ((await ok(free, 'jira_get_sprints_from_board', { board_id: engBoard })) as unknown as Json[])[0]!
      .id as number;
    const engVersion = ((await ok(free, 'jira_get_project_versions', { project_key: 'ENG' })) as unknown as Json[])[0]!
      .id as string;
    const engPage = String(
      ((await ok(free, 'confluence_search', { query: 'space = ENG AND type = page' })).results as Json[])[0]!.id,
    );
    const opsIssue = (
      (await ok(free, 'jira_search', { jql: 'project = OPS ORDER BY key ASC', limit: 1 })).issues as Json[]
    )[0]!.key as string;
    const engComment = String((await ok(free, 'confluence_add_comment', { page_id: engPage, body: 'hello' })).id);
    const engAttachment = String(
      (
        (
          await ok(free, 'confluence_upload_attachment', {
            content_id: engPage,
            content_base64: Buffer.from('x').toString('base64'),
            filename: 'walk.txt',
          })
        ).attachments as Json[]
      )[0]!.id,
    );
    const values: Record<string, unknown> = {
      issue_key: 'ENG-2',
      // One allowed issue and one outside: a batch is refused as a whole, before any of it is done.
      issue_keys: `${opsIssue},ENG-2`,
      issue_ids_or_keys: 'ENG-2',
      inward_issue_key: 'ENG-2',
      outward_issue_key: opsIssue,
      epic_key: 'ENG-1',
      board_id: engBoard,
      sprint_id: engSprint,
      version_id: String(engVersion),
      link_id: '10000',
      project_key: 'ENG',
      target_project_key: 'ENG',
      page_id: engPage,
      parent_id: engPage,
      target_parent_id: engPage,
      space_key: 'ENG',
      target_space_key: 'ENG',
      comment_id: engComment,
      content_id: engPage,
      attachment_id: engAttachment,
      source_page_id: engPage,
      destination_space_key: 'ENG',
      destination_parent_id: engPage,
      space_id: 'ENG',
      template_id: '98307',
      // Service desk 2 is the DOC project's; the walk's filter allows OPS only.
      service_desk_id: '2',
      queue_id: '1',
      request_type_id: '20',
      form_id: 'c18bde7a-d846-41ed-afa1-000000000001',
    };
    const filler: Record<string, unknown> = {
      summary: 'x',
      issue_type: 'Task',
      body: 'x',
      name: 'x',
      title: 'x',
      content: 'x',
      time_spent: '1h',
      filename: 'a.txt',
      url: 'https://example.com',
      link_type: 'Relates',
      user_identifier: 'me',
      versions: '[{"name":"x"}]',
      transition_id: '11',
      field_id: 'priority',
      issue_type_id: '10002',
      query: 'x',
      from_version: 1,
      file_paths: 'a.txt',
      operation: 'read',
      read_users: ['x'],
      issues: JSON.stringify([{ project_key: 'ENG', summary: 'x', issue_type: 'Task' }]),
      request_field_values: { summary: 'x' },
      answers: [{ questionId: '1', value: 'x' }],
    };
    const filtered = await stdio({ JIRA_PROJECTS_FILTER: 'OPS', CONFLUENCE_SPACES_FILTER: 'OPS' });
    const { tools } = await filtered.listTools();
    sandbox.log.clear();
    let walked = 0;
    for (const tool of tools) {
      const props = Object.keys((tool.inputSchema.properties ?? {}) as Json);
      const ids = props.filter((p) => ID_ARGS.has(p));
      const unknown = props.filter((p) => /(_id|_key|_keys)$/.test(p) && !ID_ARGS.has(p) && !GLOBAL_ARGS.has(p));
      assert.deepEqual(unknown, [], `${tool.name} takes ids this walk does not know: add them to ID_ARGS`);
      if (ids.length === 0) continue;
      const args: Json = {};
      for (const p of [
        ...(tool.inputSchema.required ?? []),
        ...ids,
        ...props.filter((q) => ['transition_id', 'issue_type', 'content', 'name', 'body', 'read_users'].includes(q)),
      ])
        args[p] = p in values ? values[p] : (filler[p] ?? 'x');
      const r = await call(filtered, tool.name, args);
      assert.equal(r.isError, true, `${tool.name} ${JSON.stringify(args)} was allowed: ${r.text.slice(0, 300)}`);
      assert.match(
        r.text,
        /outside this bridge's allowed|unavailable while|allowed (projects|spaces)/,
        `${tool.name}: ${r.text}`,
      );
      walked++;
    }
    const writes = sandbox.log.entries({}).filter((e) => e.method !== 'GET');
    assert.deepEqual(
      writes.map((e) => `${e.method} ${e.path}`),
      [],
      'nothing was written outside the filters',
    );
    assert.ok(walked >= 75, `walked ${walked} tools`);
  });

  it('W3/W7/W8: dot ids, header-bound control characters and forged cloud ids never reach a URL or a header', async () => {
    const client = await stdio({});
    sandbox.log.clear();
    for (const key of ['..', '.', ' .. '])
      assert.equal((await call(client, 'jira_add_comment', { issue_key: key, body: 'x' })).isError, true, key);
    const upload = await call(client, 'jira_upload_attachment', {
      issue_key: 'ENG-1',
      filename: 'a.txt',
      content: 'x',
      mime_type: 'text/plain\r\nContent-Disposition: form-data; name="x"',
    });
    assert.match(upload.text, /Invalid argument `mime_type`/);
    assert.deepEqual(
      sandbox.log
        .entries({})
        .filter((e) => e.method !== 'GET')
        .map((e) => `${e.method} ${e.path}`),
      [],
    );
    const bridge = await startHttpBridgeProcess({});
    bridges.push(bridge);
    sandbox.log.clear();
    const forged = await fetch(bridge.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: 'Bearer forged',
        'X-Atlassian-Cloud-Id': '../../../auth/oauth/token',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
    });
    assert.equal(forged.status, 401, await forged.text());
    assert.equal(sandbox.log.count({}), 0);
  });

  it('W4: linked issues outside the filter are shown as keys only, also in raw', async () => {
    const free = await stdio({});
    const ops = (
      (await ok(free, 'jira_search', { jql: 'project = OPS ORDER BY key DESC', limit: 1 })).issues as Json[]
    )[0]!.key as string;
    const linked = await call(free, 'jira_create_issue_link', {
      link_type: 'Relates',
      inward_issue_key: ops,
      outward_issue_key: 'ENG-2',
    });
    assert.equal(linked.isError, false, linked.text);
    const filtered = await stdio({ JIRA_PROJECTS_FILTER: 'OPS' });
    for (const args of [{ raw: true }, { fields: 'issuelinks' }, {}]) {
      const r = await call(filtered, 'jira_get_issue', { issue_key: ops, ...args });
      assert.equal(r.isError, false, r.text);
      assert.ok(r.text.includes('ENG-2'), `the link is still shown: ${r.text.slice(0, 300)}`);
      const found: Json[] = [];
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') {
          if ((v as Json).key === 'ENG-2') found.push(v as Json);
          Object.values(v).forEach(walk);
        }
      };
      walk(r.json);
      assert.ok(
        found.every((o) => Object.keys(o).join() === 'key'),
        `${JSON.stringify(args)}: ${JSON.stringify(found).slice(0, 300)}`,
      );
    }
  });
});
