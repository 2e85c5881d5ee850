// The audit re-run as an attacker would (issue 13, "Done when"): every attack class of the audit,
// replayed against the real listeners on 127.0.0.1 — the bridge in HTTP mode (multi-user with
// project and space filters, read-only, bound to 127.0.0.2), the credentials channel, the OAuth
// callback and the forwarding endpoint — with the sandbox as Atlassian and a canary server that
// must never be reached. Each attack either holds or is a breach; a listener that stops answering
// is a crash. The run prints a table per class and fails on any breach or crash (goal 0/0).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackPages } from '../../../src/auth/callbackPages';
import { listenForCallback, type PendingCallback } from '../../../src/auth/loopback';
import { credentialSecrets } from '../../../src/core/redact';
import { startChannelServer, type ChannelServer } from '../../../src/credentials/channelServer';
import { AUTHORIZATION_PATH, CONNECTIONS_PATH } from '../../../src/credentials/protocol';
import { ALL_TOOLS } from '../../../src/bridge/tools';
import { ForwardingProxy, ROUTE_KEY_HEADER } from '../../../src/remote/forwardingProxy';
import { freePort } from '../../harness/process';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ADA, basic, startHttpBridgeProcess, type HttpBridgeProcess } from '../bridge/harness';
import { INITIALIZE, startUpstream, type Upstream } from '../remote/upstream';
import { figure } from './support';

const MIB = 1024 * 1024;
const MCP = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const GOOD = basic(ADA.email, ADA.token);

interface Answer {
  readonly status: number;
  readonly text: string;
}

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    // A refused connection or a reset is an answer too (the listener's choice, or a crash found later).
    req.on('error', (err) => resolve({ status: 0, text: err.message }));
    req.end(options.body);
  });
}

interface ToolAnswer extends Answer {
  readonly isError: boolean;
}

/** One stateless tools/call; the text of the result (or of the JSON-RPC error). */
async function tool(
  url: string,
  name: string,
  args: Record<string, unknown>,
  headers: Record<string, string> = { authorization: GOOD },
): Promise<ToolAnswer> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
  const answer = await send(url, { headers: { ...MCP, ...headers }, body });
  const data = answer.text.includes('data: ')
    ? answer.text
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .pop()!
        .slice(6)
    : answer.text;
  try {
    const message = JSON.parse(data) as {
      result?: { isError?: boolean; content?: { text?: string }[] };
      error?: { message: string };
    };
    if (message.result)
      return {
        ...answer,
        isError: message.result.isError === true,
        text: (message.result.content ?? []).map((c) => c.text ?? '').join('\n'),
      };
    return { ...answer, isError: true, text: message.error?.message ?? answer.text };
  } catch {
    return { ...answer, isError: true };
  }
}

function peakRss(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}

/** undefined when the attack held; otherwise what got through. */
type Verdict = string | undefined;

describe('hardening: the audit re-run as an attacker (0 breaches, 0 crashes)', function () {
  this.timeout(300_000);
  let sandbox: Sandbox;
  let site: string;
  let multi: HttpBridgeProcess;
  let readOnly: HttpBridgeProcess;
  let otherLoopback: HttpBridgeProcess;
  let canary: Server;
  let canaryHits = 0;
  let canaryOrigin: string;
  let channel: ChannelServer;
  let brokerCalls = 0;
  let callback: PendingCallback;
  let callbackSettled = false;
  let callbackUrl: string;
  let state: string;
  let upstream: Upstream;
  let proxy: ForwardingProxy;
  let route: { url: string; headers: Record<string, string>; secret: string };

  const results = new Map<string, { attacks: number; breaches: string[]; ms: number }>();
  async function attack(cls: string, name: string, run: () => Promise<Verdict>): Promise<void> {
    const row = results.get(cls) ?? { attacks: 0, breaches: [], ms: 0 };
    results.set(cls, row);
    row.attacks++;
    const started = performance.now();
    const verdict = await run();
    row.ms += performance.now() - started;
    if (verdict !== undefined) row.breaches.push(`${name}: ${verdict.slice(0, 300)}`);
  }

  before(async () => {
    sandbox = await startSandbox();
    site = sandbox.discovery.sites[0]!.url;
    canary = createServer((_req, res) => {
      canaryHits++;
      res.end('canary');
    });
    canary.listen(0, '127.0.0.1');
    await once(canary, 'listening');
    canaryOrigin = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
    // OAuth callers go to the sandbox's gateway: nothing here may leave 127.0.0.1.
    const gateway = { ATLASSIAN_API_BASE_URL: sandbox.discovery.apiBaseUrl };
    const filtered = {
      ...gateway,
      JIRA_URL: site,
      CONFLUENCE_URL: `${site}/wiki`,
      TOOLSETS: 'all',
      JIRA_PROJECTS_FILTER: 'ENG',
      CONFLUENCE_SPACES_FILTER: 'ENG',
    };
    [multi, readOnly, otherLoopback] = await Promise.all([
      startHttpBridgeProcess(filtered),
      startHttpBridgeProcess({
        ...gateway,
        JIRA_URL: site,
        CONFLUENCE_URL: `${site}/wiki`,
        TOOLSETS: 'all',
        READ_ONLY_MODE: 'true',
      }),
      startHttpBridgeProcess(filtered, ['--host', '127.0.0.2']),
    ]);
    channel = await startChannelServer({
      connections: () => [],
      authorization: async () => {
        brokerCalls++;
        return { status: 'ok', authorization: 'Bearer handed-out' };
      },
    });
    const port = await freePort();
    state = randomBytes(16).toString('base64url');
    callbackUrl = `http://localhost:${port}/callback`;
    callback = await listenForCallback({
      redirectUri: callbackUrl,
      expectedState: state,
      timeoutMs: 300_000,
      pages: callbackPages,
      portSettingName: 'x',
    });
    void callback.result.then(
      () => (callbackSettled = true),
      () => (callbackSettled = true),
    );
    upstream = await startUpstream();
    upstream.routes.set('/mcp', (req, res) => {
      res.writeHead(403, { 'content-type': 'text/plain' }).end(`denied for ${req.headers.authorization ?? ''}`);
    });
    upstream.routes.set('/moved', (_req, res) => res.writeHead(307, { location: `${canaryOrigin}/mcp` }).end());
    proxy = new ForwardingProxy({
      authorization: async () => ({ status: 'ok', authorization: 'Bearer proxy-token-77c1e0', cloudId: 'c' }),
    });
    const [configured] = await proxy.configure([
      { id: 'r', label: 'r', url: `${upstream.origin}/mcp`, connectionId: 'c' },
      { id: 'm', label: 'm', url: `${upstream.origin}/moved`, connectionId: 'c' },
    ]);
    assert.ok(configured && 'definition' in configured);
    route = {
      url: configured.definition.url,
      headers: { ...configured.definition.headers },
      secret: configured.definition.headers[ROUTE_KEY_HEADER]!,
    };
  });

  after(async () => {
    callback?.close();
    await proxy?.close();
    await channel?.close();
    await Promise.all([multi?.stop(), readOnly?.stop(), otherLoopback?.stop()]);
    await upstream?.close();
    canary?.close();
    await sandbox?.close();
  });

  it('replays every attack class and finds 0 breaches and 0 crashes', async () => {
    // Straight from the site (a caller with Ada's rights could learn them the same way).
    const opsIssue = JSON.parse(
      (await send(`${site}/rest/api/3/issue/OPS-1?fields=project`, { method: 'GET', headers: { authorization: GOOD } }))
        .text,
    ) as { id: string };
    assert.match(opsIssue.id, /^\d+$/);
    const opsBoards = JSON.parse((await tool(readOnly.url, 'jira_get_agile_boards', { project_key: 'OPS' })).text) as {
      id: number;
    }[];
    const leaksOps = (a: ToolAnswer) =>
      !a.isError && /\bOPS-\d+|"(space|spaceKey|key)":\s*"OPS"/.test(a.text) ? a.text : undefined;

    // Host/Origin games: every listener, a genuine request with one thing wrong.
    const listeners: { name: string; url: string; headers: Record<string, string>; effects: () => number }[] = [
      { name: 'bridge', url: multi.url, headers: { ...MCP, authorization: GOOD }, effects: () => sandbox.log.count() },
      {
        name: 'bridge@127.0.0.2',
        url: otherLoopback.url,
        headers: { ...MCP, authorization: GOOD },
        effects: () => sandbox.log.count(),
      },
      {
        name: 'forwarding endpoint',
        url: route.url,
        headers: { ...MCP, ...route.headers },
        effects: () => upstream.requests.length,
      },
      {
        name: 'channel',
        url: `${channel.url}${AUTHORIZATION_PATH}`,
        headers: { authorization: `Bearer ${channel.secret}`, 'content-type': 'application/json' },
        effects: () => brokerCalls,
      },
    ];
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'jira_get_issue', arguments: { issue_key: 'ENG-1' } },
    });
    for (const l of listeners) {
      const port = new URL(l.url).port;
      const hosts = [
        `evil.example:${port}`,
        'evil.example',
        `127.0.0.1.nip.io:${port}`,
        `localhost.evil.example:${port}`,
        `127.0.0.1:${Number(port) + 1}`,
        `[::ffff:7f00:1]:${port}`,
        `0x7f000001:${port}`,
      ];
      const origins = ['http://evil.example', 'null', `http://127.0.0.1.evil.example:${port}`, 'file://'];
      for (const host of hosts)
        await attack('Host/Origin games', `${l.name} Host ${host}`, async () => {
          const before = l.effects();
          const a = await send(l.url, { headers: { ...l.headers, host }, body: l.name === 'channel' ? '{}' : body });
          return a.status < 300 || l.effects() !== before ? `${a.status} ${a.text}` : undefined;
        });
      for (const origin of origins)
        await attack('Host/Origin games', `${l.name} Origin ${origin}`, async () => {
          const before = l.effects();
          const a = await send(l.url, { headers: { ...l.headers, origin }, body: l.name === 'channel' ? '{}' : body });
          return a.status < 300 || l.effects() !== before ? `${a.status} ${a.text}` : undefined;
        });
    }

    // Anonymous and made-up credentials: nothing is served without Atlassian checking the caller.
    for (const authorization of [
      '',
      'Bearer',
      'Basic Og==',
      'Token x',
      basic('mallory@example.com', 'guess'),
      'Bearer forged',
    ])
      await attack('anonymous requests', `Authorization "${authorization}"`, async () => {
        const a = await tool(
          multi.url,
          'jira_get_issue',
          { issue_key: 'ENG-1' },
          authorization ? { authorization } : {},
        );
        return a.isError ? undefined : a.text;
      });

    // Read-only mode: no write tool runs, nothing but GETs reach Atlassian.
    const writes = ALL_TOOLS.filter((t) => t.write);
    sandbox.log.clear();
    for (const t of writes)
      await attack('read-only mode', t.name, async () => {
        const a = await tool(readOnly.url, t.name, { issue_key: 'ENG-1', page_id: '1', summary: 'x', body: 'x' });
        return a.isError ? undefined : a.text;
      });
    const written = sandbox.log.entries({}).filter((e) => e.method !== 'GET');
    if (written.length > 0) results.get('read-only mode')!.breaches.push(`writes reached Atlassian: ${written.length}`);

    // SSRF: ids, site names and cloud ids that try to point a request at the canary.
    const canaryHost = canaryOrigin.replace('http://', '');
    const ssrf: [string, Record<string, unknown>, Record<string, string>?][] = [
      ['jira_get_issue', { issue_key: `${canaryOrigin}/x` }],
      ['jira_get_issue', { issue_key: `//${canaryHost}/x` }],
      ['jira_get_issue', { issue_key: '../../../..' }],
      ['jira_get_issue', { issue_key: 'ENG-1', site: canaryOrigin }],
      ['confluence_get_page', { page_id: `//${canaryHost}` }],
      ['confluence_get_page', { page_id: `@${canaryHost}` }],
      [
        'jira_get_issue',
        { issue_key: 'ENG-1' },
        { authorization: 'Bearer x', 'x-atlassian-cloud-id': `../../..//${canaryHost}` },
      ],
      [
        'jira_get_issue',
        { issue_key: 'ENG-1' },
        { authorization: 'Bearer x', 'x-atlassian-cloud-id': '../../../auth/oauth/token' },
      ],
    ];
    for (const [name, args, headers] of ssrf)
      await attack('SSRF', `${name} ${JSON.stringify(args)} ${JSON.stringify(headers ?? {})}`, async () => {
        const before = canaryHits;
        sandbox.log.clear();
        await tool(multi.url, name, args, headers);
        const stray = sandbox.log.entries({}).filter((e) => /oauth\/token/.test(e.path));
        return canaryHits !== before || stray.length > 0
          ? `canary ${canaryHits - before}, token endpoint ${stray.length}`
          : undefined;
      });

    // The credentials channel without its secret.
    for (const [method, path, authorization] of [
      ['POST', AUTHORIZATION_PATH, ''],
      ['POST', AUTHORIZATION_PATH, 'Bearer wrong'],
      ['POST', `${AUTHORIZATION_PATH}?secret=${channel.secret}`, ''],
      ['POST', AUTHORIZATION_PATH, `Bearer ${channel.secret.slice(0, -1)}`],
      ['GET', CONNECTIONS_PATH, ''],
      ['GET', CONNECTIONS_PATH, `Basic ${Buffer.from(`x:${channel.secret}`).toString('base64')}`],
    ] as const)
      await attack('channel', `${method} ${path.split('?')[0]} "${authorization.slice(0, 12)}"`, async () => {
        const before = brokerCalls;
        const a = await send(`${channel.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: method === 'POST' ? JSON.stringify({ connectionId: 'c' }) : undefined,
        });
        return a.status < 300 || brokerCalls !== before ? `${a.status} ${a.text}` : undefined;
      });

    // Forged OAuth callbacks: only the genuine navigation may end the sign-in.
    const forged: [string, string, Record<string, string>][] = [
      ['GET', `${callbackUrl}?code=evil&state=wrong`, {}],
      ['GET', `${callbackUrl}?code=evil`, {}],
      ['POST', `${callbackUrl}?code=evil&state=${state}`, {}],
      ['GET', `${callbackUrl}?code=evil&state=${state}`, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' }],
      ['GET', `${callbackUrl}?code=evil&state=${state}`, { origin: 'http://evil.example' }],
      ['GET', `${callbackUrl}?code=evil&state=${state}&state=${state}`, {}],
      ['GET', `${callbackUrl}?code=evil&state=${state}`, { host: 'evil.example' }],
      ['GET', `${callbackUrl.replace('/callback', '/other')}?code=evil&state=${state}`, {}],
    ];
    for (const [method, url, headers] of forged)
      await attack(
        'forged callbacks',
        `${method} ${url.replace(state, 'STATE')} ${JSON.stringify(headers)}`,
        async () => {
          await send(url.replace('localhost', '127.0.0.1'), { method, headers });
          await send(url.replace('localhost', '[::1]'), { method, headers });
          return callbackSettled ? 'the sign-in ended' : undefined;
        },
      );

    // Redirects: a site or a remote that points elsewhere gets nothing sent there.
    for (const status of [301, 302, 303, 307, 308]) {
      await attack('redirects', `site ${status} to the canary`, async () => {
        sandbox.faults.clear();
        sandbox.faults.add({
          path: /\/rest\/api\/3\/issue\/ENG-1$/,
          kind: 'redirect',
          status,
          location: `${canaryOrigin}/steal`,
        });
        const before = canaryHits;
        const a = await tool(multi.url, 'jira_get_issue', { issue_key: 'ENG-1' });
        sandbox.faults.clear();
        if (canaryHits !== before) return 'the canary was reached';
        return /redirect/.test(a.text) ? undefined : `reported as: ${a.text}`;
      });
    }
    await attack('redirects', 'remote 307 to the canary', async () => {
      const before = canaryHits;
      const [, moved] = await proxy.configure([
        { id: 'r', label: 'r', url: `${upstream.origin}/mcp`, connectionId: 'c' },
        { id: 'm', label: 'm', url: `${upstream.origin}/moved`, connectionId: 'c' },
      ]);
      assert.ok(moved && 'definition' in moved);
      await send(moved.definition.url, { headers: { ...MCP, ...moved.definition.headers }, body: INITIALIZE });
      return canaryHits !== before ? 'the canary was reached' : undefined;
    });

    // Caches across callers: what caller A got never answers caller B unchecked.
    for (const [name, args] of [
      ['jira_search_fields', { keyword: 'story' }],
      ['confluence_search', { query: 'space = ENG' }],
      ['jira_get_issue', { issue_key: 'ENG-1' }],
    ] as const) {
      await tool(multi.url, name, args);
      for (const mallory of [basic('mallory@example.com', 'made-up'), 'Bearer forged-token'])
        await attack('caches across callers', `${name} as ${mallory.slice(0, 12)}`, async () => {
          const a = await tool(multi.url, name, args, {
            authorization: mallory,
            ...(mallory.startsWith('Bearer') ? { 'x-atlassian-cloud-id': sandbox.discovery.sites[0]!.cloudId } : {}),
          });
          return a.isError ? undefined : a.text;
        });
    }

    // JQL/CQL escapes: whatever the query, nothing of OPS comes back.
    const jql = [
      'project = OPS',
      'summary ~ a\\" ) OR project = OPS OR ( summary ~ "x\\"y"',
      ') OR (project = OPS',
      'project = ENG OR project = OPS',
      "summary ~ 'a\\' ) OR project = OPS OR ( summary ~ 'b'",
      'key = OPS-1',
      'issuekey in (OPS-1, OPS-2)',
      'text ~ "\\\\" ) OR project = OPS OR ( text ~ "x"',
      'project in (ENG) ) OR ( project = OPS',
      'project = ENG ORDER BY key ASC ) OR ( project = OPS',
    ];
    for (const q of jql)
      await attack('JQL/CQL escapes', `JQL ${q}`, async () =>
        leaksOps(await tool(multi.url, 'jira_search', { jql: q })),
      );
    const cql = [
      'space = OPS',
      'text ~ "x" ) OR space = OPS OR ( text ~ "y"',
      'text ~ x\\" ) OR space = OPS OR ( text ~ "y\\"z"',
      'space in (ENG) ) OR ( space = OPS',
      'space = ENG OR space = OPS',
    ];
    for (const q of cql)
      await attack('JQL/CQL escapes', `CQL ${q}`, async () =>
        leaksOps(await tool(multi.url, 'confluence_search', { query: q })),
      );

    // Id walks: objects of another project, by key, numeric id, board and sprint.
    const walks: [string, Record<string, unknown>][] = [
      ...[1, 2, 3, 4, 5].map((n): [string, Record<string, unknown>] => ['jira_get_issue', { issue_key: `OPS-${n}` }]),
      ['jira_get_issue', { issue_key: opsIssue.id }],
      ['jira_add_comment', { issue_key: 'OPS-1', body: 'x' }],
      ['jira_get_sprints_from_board', { board_id: opsBoards[0]?.id ?? 2 }],
      ['jira_get_board_issues', { board_id: opsBoards[0]?.id ?? 2, jql: 'project = OPS' }],
      ['jira_get_project_versions', { project_key: 'OPS' }],
    ];
    for (const [name, args] of walks)
      await attack('id walks', `${name} ${JSON.stringify(args)}`, async () => {
        const a = await tool(multi.url, name, args);
        return a.isError ? undefined : a.text;
      });

    // Big bodies with made-up credentials: refused unread, and other callers are not held up.
    await attack('big bodies', '12 × 8 MiB at once, then a genuine call', async () => {
      const big = Buffer.alloc(8 * MIB, 0x61);
      const floods = Array.from({ length: 12 }, () =>
        send(multi.url, { headers: { ...MCP, authorization: basic('m@x', 'made-up') }, body: big }),
      );
      const started = performance.now();
      const genuine = await tool(multi.url, 'jira_get_issue', { issue_key: 'ENG-1' });
      const waited = performance.now() - started;
      const answers = await Promise.all(floods);
      const peak = peakRss(multi.child.pid!);
      if (answers.some((a) => a.status >= 200 && a.status < 300)) return 'a flood body was accepted';
      if (genuine.isError) return `the genuine call failed: ${genuine.text}`;
      return waited > 3000 || peak > 300 * MIB
        ? `waited ${Math.round(waited)} ms, peak RSS ${peak / MIB} MiB`
        : undefined;
    });

    // Batches: one HTTP request, one JSON-RPC message.
    await attack('batches', '100 tools/call in one request', async () => {
      sandbox.log.clear();
      const call = { jsonrpc: '2.0', method: 'tools/call', params: { name: 'jira_search_fields', arguments: {} } };
      await send(multi.url, {
        headers: { ...MCP, authorization: GOOD },
        body: JSON.stringify(Array.from({ length: 100 }, (_, id) => ({ ...call, id }))),
      });
      return sandbox.log.count() > 1 ? `${sandbox.log.count()} Atlassian requests` : undefined;
    });

    // Gzip bombs: the response limit holds and memory stays bounded.
    await attack('gzip bombs', '300 MiB inflated from ~300 KiB', async () => {
      sandbox.faults.add({ path: /\/rest\/api\/3\/issue\/ENG-1$/, kind: 'gzipBomb', inflatedMiB: 300 });
      const a = await tool(multi.url, 'jira_get_issue', { issue_key: 'ENG-1' });
      sandbox.faults.clear();
      const peak = peakRss(multi.child.pid!);
      return !/MAX_RESPONSE_BYTES/.test(a.text) || peak > 300 * MIB ? `peak ${peak / MIB} MiB: ${a.text}` : undefined;
    });

    // Header injection: CR/LF and other control characters never reach a header or a path.
    for (const mime of ['text/plain\r\nX-Injected: 1', 'text/plain\nContent-Disposition: evil', 'text/plain\u0000'])
      await attack('header injection', `mime_type ${JSON.stringify(mime)}`, async () => {
        const a = await tool(multi.url, 'jira_upload_attachment', {
          issue_key: 'ENG-1',
          filename: 'a.txt',
          content: 'x',
          mime_type: mime,
        });
        return a.isError ? undefined : a.text;
      });
    for (const id of ['ENG-1\r\nX-Injected: 1', 'ENG-1%0d%0aX: 1', 'ENG-1\u0000'])
      await attack('header injection', `issue_key ${JSON.stringify(id)}`, async () => {
        const a = await tool(multi.url, 'jira_get_issue', { issue_key: id });
        return a.isError ? undefined : a.text;
      });

    // Echoed credentials and the route secret: never back to the model or VS Code.
    await attack('echoed secrets', 'a site echoes the Basic login', async () => {
      sandbox.faults.add({ path: /\/rest\/api\/3\/issue\/ENG-1$/, kind: 'echoCredentials', status: 400 });
      const a = await tool(multi.url, 'jira_get_issue', { issue_key: 'ENG-1' });
      sandbox.faults.clear();
      const leaked = credentialSecrets(GOOD).filter((s) => a.text.includes(s));
      return leaked.length > 0 ? `leaked ${leaked.length} forms: ${a.text}` : undefined;
    });
    await attack('echoed secrets', 'a remote echoes the token through the forwarding endpoint', async () => {
      const a = await send(route.url, { headers: { ...MCP, ...route.headers }, body: INITIALIZE });
      return /proxy-token-77c1e0/.test(a.text) || a.text.includes(route.secret) ? a.text : undefined;
    });

    // Crashes: every listener still answers its genuine request.
    let crashes = 0;
    for (const bridge of [multi, readOnly, otherLoopback]) {
      const port = new URL(bridge.url).port;
      const host = new URL(bridge.url).hostname;
      const health = await send(`http://${host.replace(/^\[|\]$/g, '')}:${port}/healthz`, { method: 'GET' });
      if (bridge.child.exitCode !== null || health.status !== 200) crashes++;
    }
    const channelAlive = await send(`${channel.url}${CONNECTIONS_PATH}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${channel.secret}` },
    });
    if (channelAlive.status !== 200) crashes++;
    const proxyAlive = await send(route.url, { headers: { ...MCP, ...route.headers }, body: INITIALIZE });
    if (proxyAlive.status === 0) crashes++;
    const genuineCallback = await send(`${callbackUrl.replace('localhost', '127.0.0.1')}?code=real&state=${state}`, {
      method: 'GET',
      headers: { host: new URL(callbackUrl).host, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' },
    });
    if (genuineCallback.status !== 200 || (await callback.result).get('code') !== 'real') crashes++;

    const rows = [...results.entries()].map(
      ([cls, row]) =>
        `      ${cls.padEnd(24)} ${String(row.attacks).padStart(4)} attacks, ${row.breaches.length} breaches (${Math.round(row.ms)} ms)`,
    );
    const attacks = [...results.values()].reduce((n, r) => n + r.attacks, 0);
    const breaches = [...results.values()].flatMap((r) => r.breaches);
    figure(
      `attack run: ${attacks} attacks in ${results.size} classes, ${breaches.length} breaches, ${crashes} crashes\n${rows.join('\n')}`,
    );
    assert.deepEqual(breaches, []);
    assert.equal(crashes, 0);
  });
});
