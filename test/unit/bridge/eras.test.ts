// Both MCP eras from a raw JSON-RPC client (no SDK), against the bundled bridge: 2026-07-28
// (server/discover, the per-request _meta envelope, MCP-Protocol-Version/Mcp-Method/Mcp-Name over
// HTTP) and 2025-11-25 (the initialize handshake) list the same tools and call them, over stdio and
// over HTTP. Also the header/body checks the 2026-07-28 HTTP binding asks for.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ADA, basic, bridgeBundle, startHttpBridgeProcess, type HttpBridgeProcess } from './harness';
import { envelope, initialize, LEGACY, MODERN, postMcp, RawStdio, type Message } from './rawClient';

type Tool = { name: string; inputSchema: unknown };
const names = (result: unknown) => ((result as { tools: Tool[] }).tools ?? []).map((t) => t.name);
const text = (result: unknown) =>
  ((result as { content?: { text?: string }[] }).content ?? []).map((c) => c.text ?? '').join('\n');

describe('bridge in both MCP eras (raw JSON-RPC client)', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];
  let http: HttpBridgeProcess;

  before(async () => {
    sandbox = await startSandbox();
    const site = sandbox.discovery.sites[0]!;
    env = { JIRA_URL: site.url, CONFLUENCE_URL: `${site.url}/wiki` };
    http = await startHttpBridgeProcess(env);
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill();
    await http?.stop();
    await sandbox?.close();
  });

  async function stdioBridge(): Promise<{ rpc: RawStdio; spawnedAt: number }> {
    const bundle = await bridgeBundle();
    const spawnedAt = performance.now();
    const child = spawn(process.execPath, [bundle], {
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
        JIRA_USERNAME: ADA.email,
        JIRA_API_TOKEN: ADA.token,
        CONFLUENCE_USERNAME: ADA.email,
        CONFLUENCE_API_TOKEN: ADA.token,
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    children.push(child);
    return { rpc: new RawStdio(child.stdin, child.stdout), spawnedAt };
  }

  it('stdio: the same tools and a working tools/call in 2026-07-28 and 2025-11-25', async () => {
    const modern = await stdioBridge();
    const discover = await modern.rpc.request('server/discover', { _meta: envelope() });
    const discoveredMs = Math.round(performance.now() - modern.spawnedAt);
    const discovered = discover.result as { supportedVersions: string[]; capabilities: Record<string, unknown> };
    assert.ok(discovered.supportedVersions.includes(MODERN), JSON.stringify(discover));
    assert.ok(discovered.capabilities.tools);
    const modernList = await modern.rpc.request('tools/list', { _meta: envelope() });
    const modernCall = await modern.rpc.request('tools/call', {
      name: 'atlassian_list_sites',
      arguments: {},
      _meta: envelope(),
    });

    const legacy = await stdioBridge();
    const init = await legacy.rpc.request('initialize', initialize().params as Record<string, unknown>, 1);
    const initializedMs = Math.round(performance.now() - legacy.spawnedAt);
    assert.equal((init.result as { protocolVersion: string }).protocolVersion, LEGACY);
    legacy.rpc.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const legacyList = await legacy.rpc.request('tools/list');
    const legacyCall = await legacy.rpc.request('tools/call', { name: 'atlassian_list_sites', arguments: {} });

    assert.ok(names(modernList.result).length > 10, JSON.stringify(modernList).slice(0, 300));
    assert.deepEqual(
      modernList.result && (modernList.result as { tools: Tool[] }).tools,
      (legacyList.result as { tools: Tool[] }).tools,
    );
    for (const answer of [modernCall, legacyCall]) {
      assert.equal((answer.result as { isError?: boolean }).isError, undefined, JSON.stringify(answer));
      assert.match(text(answer.result), new RegExp(sandbox.discovery.sites[0]!.url.replace(/[.:/]/g, '.')));
    }
    console.log(
      `    [eras] stdio spawn→first answer: server/discover ${discoveredMs} ms, initialize ${initializedMs} ms; ${names(modernList.result).length} tools in both eras`,
    );
  });

  it('HTTP: the same tools and a working tools/call in 2026-07-28 (no session) and 2025-11-25', async () => {
    const auth = { Authorization: basic(ADA.email, ADA.token) };
    const rpc = (id: number, method: string, params: Record<string, unknown>): Message => ({
      jsonrpc: '2.0',
      id,
      method,
      params,
    });
    const discover = await postMcp(http.url, rpc(1, 'server/discover', { _meta: envelope() }), auth, 'modern');
    assert.equal(discover.status, 200, discover.text);
    assert.ok((discover.message?.result as { supportedVersions: string[] }).supportedVersions.includes(MODERN));
    const modernList = await postMcp(http.url, rpc(2, 'tools/list', { _meta: envelope() }), auth, 'modern');
    const modernCall = await postMcp(
      http.url,
      rpc(3, 'tools/call', { name: 'atlassian_list_sites', arguments: {}, _meta: envelope() }),
      auth,
      'modern',
    );
    for (const answer of [modernList, modernCall]) assert.equal(answer.status, 200, answer.text);
    assert.equal(
      modernCall.message?.result && (modernCall.message.result as { resultType?: string }).resultType,
      'complete',
    );

    const init = await postMcp(http.url, initialize(), auth, 'legacy');
    assert.equal((init.message?.result as { protocolVersion: string }).protocolVersion, LEGACY, init.text);
    const legacyList = await postMcp(http.url, rpc(2, 'tools/list', {}), auth, 'legacy');
    const legacyCall = await postMcp(
      http.url,
      rpc(3, 'tools/call', { name: 'atlassian_list_sites', arguments: {} }),
      auth,
      'legacy',
    );
    assert.ok(names(modernList.message?.result).length > 10);
    assert.deepEqual(
      (modernList.message?.result as { tools: Tool[] }).tools,
      (legacyList.message?.result as { tools: Tool[] }).tools,
    );
    for (const answer of [modernCall, legacyCall]) {
      assert.equal((answer.message?.result as { isError?: boolean }).isError, undefined, answer.text);
      assert.ok(text(answer.message?.result).includes(sandbox.discovery.sites[0]!.url), answer.text);
    }
  });

  it('HTTP 2026-07-28: a missing MCP-Protocol-Version or an Mcp-Method/Mcp-Name that disagrees with the body is refused', async () => {
    const auth = { Authorization: basic(ADA.email, ADA.token) };
    const call = {
      jsonrpc: '2.0',
      id: 9,
      method: 'tools/call',
      params: { name: 'atlassian_list_sites', arguments: {}, _meta: envelope() },
    };
    const headers = {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...auth,
    };
    const post = async (extra: Record<string, string>) => {
      const res = await fetch(http.url, {
        method: 'POST',
        headers: { ...headers, ...extra },
        body: JSON.stringify(call),
      });
      return { status: res.status, text: await res.text() };
    };
    const cases: [string, Record<string, string>][] = [
      ['no MCP-Protocol-Version', { 'Mcp-Method': 'tools/call', 'Mcp-Name': 'atlassian_list_sites' }],
      [
        'wrong Mcp-Method',
        { 'MCP-Protocol-Version': MODERN, 'Mcp-Method': 'tools/list', 'Mcp-Name': 'atlassian_list_sites' },
      ],
      [
        'wrong Mcp-Name',
        { 'MCP-Protocol-Version': MODERN, 'Mcp-Method': 'tools/call', 'Mcp-Name': 'jira_delete_issue' },
      ],
    ];
    for (const [what, extra] of cases) {
      const answer = await post(extra);
      assert.equal(answer.status, 400, `${what}: ${answer.text}`);
      assert.match(answer.text, /-32020|disagree|header/i, what);
    }
    const genuine = await post({
      'MCP-Protocol-Version': MODERN,
      'Mcp-Method': 'tools/call',
      'Mcp-Name': 'atlassian_list_sites',
    });
    assert.equal(genuine.status, 200, genuine.text);
  });
});
