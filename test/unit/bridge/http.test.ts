// Streamable HTTP mode: health, DNS-rebinding checks, the per-request credential contract (and no
// fallback to the operator's own credentials), OAuth with and without a cloud id, Data Center PATs.
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { basic, call, connectHttp, startHttpBridgeProcess, type Connected, type HttpBridgeProcess } from './harness';

type Json = Record<string, unknown>;

function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; text: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});
const MCP_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

describe('bridge over streamable HTTP', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  const bridges: HttpBridgeProcess[] = [];
  const clients: Connected[] = [];
  const startBridge = async (env: Record<string, string>) => {
    const b = await startHttpBridgeProcess(env);
    bridges.push(b);
    return b;
  };
  const connect = async (url: string, headers: Record<string, string>) => {
    const c = await connectHttp(url, headers);
    clients.push(c);
    return c.client;
  };

  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    for (const c of clients) await c.close();
    for (const b of bridges) await b.stop();
    await sandbox?.close();
  });

  describe("with the operator's own credentials in its environment", () => {
    let bridge: HttpBridgeProcess;
    before(async () => {
      const site = sandbox.discovery.sites[0]!;
      bridge = await startBridge({
        JIRA_URL: site.url,
        JIRA_USERNAME: 'ada@example.com',
        JIRA_API_TOKEN: 'sandbox-api-token-ada',
      });
    });

    it('binds to loopback and answers /healthz', async () => {
      assert.match(bridge.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const health = await raw(new URL('/healthz', bridge.url).href);
      assert.equal(health.status, 200);
      assert.deepEqual(JSON.parse(health.text), { status: 'ok' });
    });

    it('refuses foreign Host and Origin headers (DNS rebinding)', async () => {
      const port = new URL(bridge.url).port;
      const auth = { Authorization: basic('ada@example.com', 'sandbox-api-token-ada') };
      assert.equal(
        (
          await raw(bridge.url, {
            method: 'POST',
            headers: { ...MCP_HEADERS, ...auth, Host: `attacker.example:${port}` },
            body: INITIALIZE,
          })
        ).status,
        403,
      );
      assert.equal(
        (
          await raw(bridge.url, {
            method: 'POST',
            headers: { ...MCP_HEADERS, ...auth, Origin: 'https://attacker.example' },
            body: INITIALIZE,
          })
        ).status,
        403,
      );
      assert.equal(
        (
          await raw(bridge.url, {
            method: 'POST',
            headers: { ...MCP_HEADERS, ...auth, Origin: `http://localhost:${port}` },
            body: INITIALIZE,
          })
        ).status,
        200,
      );
    });

    it("never serves an anonymous request with the operator's credentials", async () => {
      sandbox.log.clear();
      const anonymous = await raw(bridge.url, { method: 'POST', headers: MCP_HEADERS, body: INITIALIZE });
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.text, /Authentication required/);
      const odd = await raw(bridge.url, {
        method: 'POST',
        headers: { ...MCP_HEADERS, Authorization: 'Digest abc' },
        body: INITIALIZE,
      });
      assert.equal(odd.status, 401);
      assert.equal(sandbox.log.count(), 0);
    });

    it('is stateless: GET and DELETE on the endpoint are not allowed', async () => {
      const get = await raw(bridge.url, {
        headers: { Accept: 'text/event-stream', Authorization: basic('a@b.c', 'x') },
      });
      assert.equal(get.status, 405);
      assert.equal(
        (await raw(bridge.url, { method: 'DELETE', headers: { Authorization: basic('a@b.c', 'x') } })).status,
        405,
      );
      assert.equal((await raw(new URL('/other', bridge.url).href)).status, 404);
    });

    it('sends a 2026-07-28 answer whole, with its length; a 2025 answer stays an event stream', async () => {
      const auth = { Authorization: basic('ada@example.com', 'sandbox-api-token-ada') };
      const modern = await raw(bridge.url, {
        method: 'POST',
        headers: { ...MCP_HEADERS, ...auth, 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/list' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/list',
          params: {
            _meta: {
              'io.modelcontextprotocol/protocolVersion': '2026-07-28',
              'io.modelcontextprotocol/clientCapabilities': {},
            },
          },
        }),
      });
      assert.equal(modern.status, 200);
      assert.match(String(modern.headers['content-type']), /^application\/json/);
      assert.equal(modern.headers['transfer-encoding'], undefined);
      assert.equal(Number(modern.headers['content-length']), Buffer.byteLength(modern.text));
      assert.ok(((JSON.parse(modern.text) as Json).result as { tools: unknown[] }).tools.length > 0);
      const legacy = await raw(bridge.url, {
        method: 'POST',
        headers: { ...MCP_HEADERS, ...auth, 'MCP-Protocol-Version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: {} }),
      });
      assert.equal(legacy.status, 200);
      assert.match(String(legacy.headers['content-type']), /^text\/event-stream/);
      assert.match(legacy.text, /^event: message\ndata: .*"tools"/m);
    });

    it("serves each request with that request's own credentials", async () => {
      const ada = await connect(bridge.url, { Authorization: basic('ada@example.com', 'sandbox-api-token-ada') });
      const grace = await connect(bridge.url, { Authorization: basic('grace@example.com', 'sandbox-api-token-grace') });
      const [a, g] = await Promise.all([
        call(ada, 'jira_get_user_profile', { user_identifier: 'me' }),
        call(grace, 'jira_get_user_profile', { user_identifier: 'me' }),
      ]);
      assert.equal((a.json as Json).display_name, 'Ada Lovelace');
      assert.equal((g.json as Json).display_name, 'Grace Hopper');
    });
  });

  describe('OAuth through the API gateway', () => {
    let bridge: HttpBridgeProcess;
    let token: string;
    before(async () => {
      bridge = await startBridge({ ATLASSIAN_API_BASE_URL: sandbox.discovery.apiBaseUrl });
      token = sandbox.tokens.issue().access_token;
    });

    it('Bearer + X-Atlassian-Cloud-Id reaches exactly that site', async () => {
      const globex = sandbox.discovery.sites[1]!;
      const client = await connect(bridge.url, {
        Authorization: `Bearer ${token}`,
        'X-Atlassian-Cloud-Id': globex.cloudId,
      });
      const sites = (await call(client, 'atlassian_list_sites')).json as Json[];
      assert.deepEqual(
        sites.map((s) => s.name),
        ['globex'],
      );
      const r = await call(client, 'jira_get_issue', { issue_key: 'WEB-1', fields: 'summary' });
      assert.equal(r.isError, false, r.text);
      assert.ok(sandbox.log.count({ path: new RegExp(`/api/ex/jira/${globex.cloudId}/rest/api/3/issue/WEB-1`) }) > 0);
    });

    it('Bearer alone reaches every site the token can, chosen by `site`', async () => {
      const client = await connect(bridge.url, { Authorization: `Bearer ${token}` });
      const sites = (await call(client, 'atlassian_list_sites')).json as Json[];
      assert.deepEqual(sites.map((s) => s.name).sort(), ['acme', 'globex']);
      const ambiguous = await call(client, 'confluence_search', { query: 'release' });
      assert.match(ambiguous.text, /Several Confluence sites are connected/);
      const r = await call(client, 'confluence_search', { query: 'release', site: 'acme' });
      assert.equal(r.isError, false, r.text);
    });

    it('an expired token is a clear error, not an empty result', async () => {
      const expired = sandbox.tokens.issue().access_token;
      sandbox.tokens.expireAccessToken(expired);
      const client = await connect(bridge.url, {
        Authorization: `Bearer ${expired}`,
        'X-Atlassian-Cloud-Id': sandbox.discovery.sites[0]!.cloudId,
      });
      const r = await call(client, 'jira_search', { jql: 'project = ENG' });
      assert.equal(r.isError, true);
      assert.match(r.text, /rejected the credentials \(401\)/);
    });
  });

  it('Token <PAT> reaches a Data Center Jira', async () => {
    const bridge = await startBridge({ JIRA_URL: sandbox.discovery.dataCenter.url });
    const client = await connect(bridge.url, {
      Authorization: `Token ${sandbox.discovery.dataCenter.personalAccessToken}`,
    });
    const r = await call(client, 'jira_search', { jql: 'project = LEGACY ORDER BY key', limit: 2 });
    assert.equal(r.isError, false, r.text);
    assert.deepEqual(
      ((r.json as Json).issues as Json[]).map((i) => i.key),
      ['LEGACY-1', 'LEGACY-2'],
    );
    assert.equal(typeof (r.json as Json).total, 'number');
    const sites = (await call(client, 'atlassian_list_sites')).json as Json[];
    assert.equal(sites[0]!.flavour, 'datacenter');
  });
});
