// The forwarding proxy end to end: the MCP SDK client (as VS Code) → proxy route → a real MCP
// server that checks every request's token against the sandbox. Covers the seeds: duplicate header
// casings, missing cloud id, tokens expiring under a running server, `/mcp` → `/mcp/` redirects,
// redirects to another origin, plus streaming, disconnects, DNS-rebinding checks and probe().
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { ForwardingProxy } from '../../../src/remote/forwardingProxy';
import type { RemoteServerConfig } from '../../../src/remote/forwardingProxy';
import { startSandbox } from '../../sandbox/index';
import type { Sandbox } from '../../sandbox/index';
import {
  connectClient,
  headerCount,
  headerValue,
  INITIALIZE,
  kernelBytesPerConnection,
  raw,
  SandboxCredentials,
  settled,
  startUpstream,
} from './upstream';
import type { ConnectedClient, RawResponse, RecordedRequest, Upstream } from './upstream';
import { modernMcpRoute } from './modernUpstream';

const MIB = 1024 * 1024;
const MCP_POST = { 'content-type': 'application/json', accept: 'text/event-stream, application/json' };

function errorBody(response: RawResponse): { id: unknown; error: { message: string; data: { reason: string } } } {
  assert.match(String(response.headers['content-type']), /^application\/json/);
  return JSON.parse(response.text) as { id: unknown; error: { message: string; data: { reason: string } } };
}

/** A proxy failure: the given status, never an auth challenge that would start VS Code's OAuth. */
function assertProxyFailure(response: RawResponse, status: number, reason: string): string {
  assert.equal(response.status, status, response.text);
  assert.equal(response.headers['www-authenticate'], undefined);
  const body = errorBody(response);
  assert.equal(body.error.data.reason, reason);
  return body.error.message;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('forwarding proxy for remote MCP servers', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let upstream: Upstream;
  let elsewhere: Upstream;
  let credentials: SandboxCredentials;
  let proxy: ForwardingProxy;
  let cloudId: string;
  const url: Record<string, string> = {};
  const clients: ConnectedClient[] = [];
  const extraProxies: ForwardingProxy[] = [];

  const connect = async (routeUrl: string, headers: Record<string, string> = {}) => {
    const connected = await connectClient(routeUrl, headers);
    clients.push(connected);
    return connected;
  };
  const requestsSince = (mark: number, path?: string): RecordedRequest[] =>
    upstream.requests.slice(mark).filter((r) => path === undefined || r.path === path);
  const port = () => new URL(url.self!).port;

  before(async () => {
    sandbox = await startSandbox({ accessTokenTtlSeconds: 5 });
    cloudId = sandbox.discovery.sites[0]!.cloudId;
    upstream = await startUpstream({ mcp: { sandbox, path: '/mcp/' } });
    elsewhere = await startUpstream();
    const redirect = (status: number, location: string) => (_req: IncomingMessage, res: ServerResponse) =>
      void res.writeHead(status, { location }).end();
    upstream.routes.set('/old', redirect(308, '/mcp/'));
    upstream.routes.set('/both-old', redirect(308, '/both-eras/'));
    upstream.routes.set('/mcp', redirect(301, `${upstream.origin}/mcp/`));
    upstream.routes.set('/v2/mcp', redirect(302, '/v2/mcp/'));
    upstream.routes.set('/elsewhere', redirect(307, `${elsewhere.origin}/mcp/`));
    upstream.routes.set('/alias', redirect(308, `http://localhost:${new URL(upstream.origin).port}/mcp/`));
    upstream.routes.set(
      '/always401',
      (_req, res) =>
        void res.writeHead(401, { 'www-authenticate': 'Bearer realm="x"' }).end('{"error":"invalid_token"}'),
    );
    upstream.routes.set(
      '/forbidden',
      (req, res) =>
        void res
          .writeHead(403, { 'www-authenticate': 'Bearer error="insufficient_scope"' })
          .end(`denied for ${String(req.headers.authorization)}`),
    );

    upstream.routes.set('/modern-only/', modernMcpRoute('reject'));
    upstream.routes.set('/both-eras/', modernMcpRoute('stateless'));

    credentials = new SandboxCredentials(sandbox, cloudId);
    proxy = new ForwardingProxy(credentials);
    const remote = (id: string, path: string, extra: Partial<RemoteServerConfig> = {}): RemoteServerConfig => ({
      id,
      label: `Remote ${id}`,
      url: `${upstream.origin}${path}`,
      connectionId: 'conn-acme',
      ...extra,
    });
    const results = await proxy.configure([
      remote('self', '/mcp/', { headers: { 'X-Custom': 'configured' } }),
      remote('moved', '/old'),
      remote('slash301', '/mcp'),
      remote('slash302', '/v2/mcp'),
      remote('elsewhere', '/elsewhere'),
      remote('alias', '/alias'),
      remote('always401', '/always401'),
      remote('forbidden', '/forbidden'),
      remote('endless', '/endless'),
      remote('huge', '/huge'),
      remote('modernOnly', '/modern-only/'),
      remote('bothEras', '/both-eras/'),
      remote('bothErasMoved', '/both-old'),
      {
        id: 'unreachable',
        label: 'Gone',
        url: `http://127.0.0.1:${await closedPort()}/mcp/`,
        connectionId: 'conn-acme',
      },
      { id: 'plain-remote', label: 'Plain', url: 'http://mcp.example.com/mcp/', connectionId: 'conn-acme' },
    ]);
    for (const result of results) if ('url' in result) url[result.id] = result.url;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close().catch(() => undefined);
    credentials.needsReconnect = false;
  });

  after(async () => {
    for (const extra of extraProxies) await extra.close();
    await proxy?.close();
    await upstream?.close();
    await elsewhere?.close();
    await sandbox?.close();
  });

  describe('routes', () => {
    it('serves each remote on 127.0.0.1 under a long random path secret, stable across reconfiguration', async () => {
      assert.match(url.self!, /^http:\/\/127\.0\.0\.1:\d+\/r\/[A-Za-z0-9_-]{43}\/$/);
      assert.notEqual(url.self, url.moved);
      assert.equal(await proxy.urlFor('self'), url.self);
      const other = new ForwardingProxy(credentials);
      extraProxies.push(other);
      const [again] = await other.configure([
        { id: 'self', label: 'x', url: `${upstream.origin}/mcp/`, connectionId: 'c' },
      ]);
      assert.ok(again && 'url' in again && again.url !== url.self, 'another launch gets another secret');
    });

    it('refuses plain http to a non-loopback host when configured, with a clear error', async () => {
      assert.equal(url['plain-remote'], undefined);
      const other = new ForwardingProxy(credentials);
      extraProxies.push(other);
      const [result] = await other.configure([
        { id: 'p', label: 'Plain', url: 'http://mcp.example.com/mcp/', connectionId: 'c' },
      ]);
      assert.ok(result && 'error' in result);
      assert.match(result.error, /^Remote MCP server "Plain": .*plain http to another machine/);
      assert.equal(await other.urlFor('p'), undefined);
    });

    it('drops the route of a remote that leaves the settings', async () => {
      const other = new ForwardingProxy(credentials);
      extraProxies.push(other);
      const [result] = await other.configure([
        { id: 'a', label: 'A', url: `${upstream.origin}/mcp/`, connectionId: 'c' },
      ]);
      assert.ok(result && 'url' in result);
      assert.equal((await raw(result.url, { headers: MCP_POST, body: INITIALIZE })).status, 200);
      assert.deepEqual(await other.configure([]), []);
      assert.equal(await other.urlFor('a'), undefined);
      assertProxyFailure(await raw(result.url, { headers: MCP_POST, body: INITIALIZE }), 404, 'notFound');
    });
  });

  describe('headers', () => {
    it('gives every request of a real MCP session exactly one Authorization and one X-Atlassian-Cloud-Id', async () => {
      const mark = upstream.requests.length;
      const { client, transport } = await connect(url.self!, {
        Authorization: 'Bearer stale-from-vscode',
        'X-Atlassian-Cloud-Id': 'some-other-site',
        'x-custom': 'from-client',
      });
      const tools = await client.listTools();
      assert.deepEqual(tools.tools.map((t) => t.name).sort(), ['stream_progress', 'whoami']);
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      assert.deepEqual(result.content, [{ type: 'text', text: `Ada Lovelace on ${cloudId}` }]);
      const sessionId = transport.sessionId;
      assert.ok(sessionId);
      await clients.pop()!.close();

      const seen = requestsSince(mark, '/mcp/');
      assert.ok(
        seen.length >= 5,
        `expected initialize, initialized, GET stream, tools/list, tools/call, DELETE; saw ${seen.length}`,
      );
      assert.ok(seen.some((r) => r.method === 'GET') && seen.some((r) => r.method === 'DELETE'));
      for (const request of seen) {
        assert.equal(headerCount(request, 'authorization'), 1, `${request.method}: ${request.rawHeaders.join(' ')}`);
        assert.match(headerValue(request, 'authorization')!, /^Bearer sbx_at_/);
        assert.equal(headerCount(request, 'x-atlassian-cloud-id'), 1);
        assert.equal(headerValue(request, 'x-atlassian-cloud-id'), cloudId);
        assert.equal(headerCount(request, 'x-custom'), 1);
        assert.equal(headerValue(request, 'x-custom'), 'configured');
        assert.equal(headerValue(request, 'user-agent'), 'Visual Studio Code/1.139.1');
        assert.ok(headerCount(request, 'mcp-session-id') <= 1 && headerCount(request, 'mcp-protocol-version') <= 1);
      }
      // The session id the server handed out flowed back to the client and out again on later requests.
      assert.ok(seen.slice(1).every((r) => headerValue(r, 'mcp-session-id') === sessionId));
      assert.ok(seen.slice(2).every((r) => headerCount(r, 'mcp-protocol-version') === 1));
    });

    it('sends one header per name when the client repeats them in other casings', async () => {
      const mark = upstream.requests.length;
      const response = await raw(url.self!, {
        headers: [
          'Host',
          new URL(url.self!).host,
          'Authorization',
          'Bearer a',
          'authorization',
          'Bearer b',
          'X-Atlassian-Cloud-Id',
          'site-x',
          'x-atlassian-cloud-id',
          'site-y',
          'Accept',
          'application/json, text/event-stream',
          'accept',
          'application/json, text/event-stream',
          'Content-Type',
          'application/json',
          'content-type',
          'application/json',
          'X-CUSTOM',
          'c1',
          'x-custom',
          'c2',
        ],
        body: INITIALIZE,
      });
      assert.equal(response.status, 200, response.text);
      const [request] = requestsSince(mark, '/mcp/');
      assert.ok(request);
      for (const name of [
        'authorization',
        'x-atlassian-cloud-id',
        'accept',
        'content-type',
        'x-custom',
        'host',
        'content-length',
      ]) {
        assert.equal(headerCount(request, name), 1, `${name} in ${request.rawHeaders.join(' | ')}`);
      }
      assert.equal(headerValue(request, 'x-atlassian-cloud-id'), cloudId);
      assert.equal(headerValue(request, 'x-custom'), 'configured');
      assert.equal(headerValue(request, 'content-type'), 'application/json');
    });

    it('never adds Accept or Content-Type, and passes the client ones through unchanged', async () => {
      let mark = upstream.requests.length;
      await raw(url.self!, { method: 'GET' });
      let [request] = requestsSince(mark, '/mcp/');
      assert.ok(request);
      assert.equal(headerCount(request, 'accept'), 0);
      assert.equal(headerCount(request, 'content-type'), 0);

      // A wrong Accept reaches the server as sent; its 406 comes back as is (the proxy fixes nothing).
      mark = upstream.requests.length;
      const response = await raw(url.self!, {
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: INITIALIZE,
      });
      [request] = requestsSince(mark, '/mcp/');
      assert.ok(request);
      assert.equal(headerValue(request, 'accept'), 'application/json');
      assert.equal(response.status, 406);
    });

    it('passes the headers of both MCP eras through unchanged', async () => {
      const eraHeaders = {
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'whoami',
        'mcp-session-id': 'session-from-a-2025-client',
        'last-event-id': 'event-7',
      };
      const mark = upstream.requests.length;
      await raw(url.self!, { headers: { ...MCP_POST, ...eraHeaders }, body: INITIALIZE });
      const [request] = requestsSince(mark, '/mcp/');
      assert.ok(request);
      for (const [name, value] of Object.entries(eraHeaders)) {
        assert.equal(headerCount(request, name), 1, name);
        assert.equal(headerValue(request, name), value, name);
      }
    });
  });

  describe('credentials', () => {
    it('keeps tool calls working across several token expiries, and no 401 reaches the client', async () => {
      const connected = await connect(url.self!);
      const refreshesBefore = credentials.refreshes;
      const issuedBefore = credentials.issued.length;
      const rejectedBefore = upstream.unauthorized;
      for (let i = 0; i < 4; i++) {
        sandbox.clock.advance(6_000); // the sandbox's access tokens live 5 s
        const result = await connected.client.callTool({ name: 'whoami', arguments: {} });
        assert.deepEqual(result.content, [{ type: 'text', text: `Ada Lovelace on ${cloudId}` }]);
      }
      // The SSE GET can race a call with the same expired token; both get refused, one refresh serves both.
      assert.ok(upstream.unauthorized - rejectedBefore >= 4, 'each expired token was refused upstream');
      assert.ok(credentials.refreshes - refreshesBefore >= 4);
      assert.equal(credentials.issued.length - issuedBefore, 4, 'one new token per expiry');
      assert.ok(connected.statuses.length > 0);
      assert.ok(
        connected.statuses.every((status) => status !== 401 && status !== 403),
        `client saw ${connected.statuses.join(',')}`,
      );
    });

    it('on a 401 asks once for a refreshed token and replays the same request', async () => {
      const current = (await credentials.authorization({ id: 'self', label: '', url: '', connectionId: '' }, {})) as {
        authorization: string;
      };
      sandbox.tokens.expireAccessToken(current.authorization.slice('Bearer '.length));
      const calls = credentials.calls.length;
      const mark = upstream.requests.length;
      const response = await raw(url.self!, { headers: MCP_POST, body: INITIALIZE });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(credentials.calls.slice(calls), [
        { remoteId: 'self', rejected: undefined },
        { remoteId: 'self', rejected: current.authorization },
      ]);
      const posts = requestsSince(mark, '/mcp/');
      assert.equal(posts.length, 2);
      assert.equal(headerValue(posts[0]!, 'authorization'), current.authorization);
      assert.notEqual(headerValue(posts[1]!, 'authorization'), current.authorization);
      assert.equal(headerValue(posts[0]!, 'content-length'), headerValue(posts[1]!, 'content-length'));
    });

    it('answers a second 401 with 503 and a reconnect message, never a bare 401 that starts VS Code OAuth', async () => {
      const mark = upstream.requests.length;
      const calls = credentials.calls.length;
      const response = await raw(url.always401!, { headers: MCP_POST, body: INITIALIZE });
      const message = assertProxyFailure(response, 503, 'unauthorized');
      assert.match(message, /Connect Atlassian/);
      assert.equal(errorBody(response).id, 7, 'the error pairs with the JSON-RPC request');
      assert.equal(requestsSince(mark, '/always401').length, 2, 'one try and one replay, no loop');
      assert.equal(credentials.calls.slice(calls).filter((c) => c.rejected !== undefined).length, 1);
    });

    it('turns "needs reconnect" into a clear 503 without contacting the server', async () => {
      credentials.needsReconnect = true;
      const mark = upstream.requests.length;
      const response = await raw(url.self!, { headers: MCP_POST, body: INITIALIZE });
      const message = assertProxyFailure(response, 503, 'needsReconnect');
      assert.match(message, /\(refresh token revoked\)\. Reconnect with "Connect Atlassian"/);
      await assert.rejects(
        connectClient(url.self!),
        /needs you to sign in again.*Connect Atlassian.*"reason":"needsReconnect"/,
      );
      assert.equal(requestsSince(mark).length, 0);
    });

    it('turns an upstream 403 into a 502 that names the server, without its auth challenge', async () => {
      const response = await raw(url.forbidden!, { headers: MCP_POST, body: INITIALIZE });
      const message = assertProxyFailure(response, 502, 'upstreamForbidden');
      // What the server says arrives, minus the credential it echoes (W5).
      assert.match(message, /refused the request \(HTTP 403\): denied for \[redacted\]/);
      assert.doesNotMatch(message, /sbx_at_/);
    });
  });

  describe('streaming', () => {
    it('streams SSE events as they come: the client sees the first before the server sends the last', async () => {
      const { client } = await connect(url.self!);
      let release!: () => void;
      upstream.progressGate = new Promise<void>((resolve) => (release = resolve));
      const progress: (string | undefined)[] = [];
      // The tool sends a progress event, then waits until the client has seen it: a buffering proxy deadlocks here.
      const result = await client.callTool(
        { name: 'stream_progress', arguments: {} },
        {
          timeout: 10_000,
          onprogress: (p) => {
            progress.push(p.message);
            release();
          },
        },
      );
      upstream.progressGate = Promise.resolve();
      assert.deepEqual(progress, ['first']);
      assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
    });

    it('aborts an endless upstream SSE stream when the client disconnects', async () => {
      const upstreamClosed = new Promise<void>((resolve) => {
        upstream.routes.set('/endless', (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: first\n\n');
          res.once('close', () => resolve());
        });
      });
      const req = httpRequest(url.endless!, { method: 'GET', headers: { accept: 'text/event-stream' } });
      req.end();
      const [res] = (await once(req, 'response')) as [IncomingMessage];
      assert.equal(res.headers['content-type'], 'text/event-stream');
      const [first] = (await once(res, 'data')) as [Buffer];
      assert.equal(first.toString(), 'data: first\n\n');
      assert.equal(proxy.activeForwards, 1);
      req.destroy();
      await upstreamClosed;
      assert.equal(await settled(() => proxy.activeForwards), 0);
    });

    it('streams a huge response with back-pressure instead of buffering it', async () => {
      // Socket buffers on both hops may hold this much; a buffering proxy would pull 64 MiB more.
      const allowedAhead = 2 * kernelBytesPerConnection();
      const total = MIB + allowedAhead + 64 * MIB;
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let generated = 0;
      upstream.routes.set('/huge', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
        const source = new Readable({
          read() {
            if (generated >= total) return void this.push(null);
            generated += chunk.length;
            this.push(chunk);
          },
        });
        source.pipe(res);
      });
      const req = httpRequest(url.huge!, { method: 'GET' });
      req.end();
      const [res] = (await once(req, 'response')) as [IncomingMessage];
      let received = 0;
      let paused = false;
      await new Promise<void>((resolve) => {
        res.on('data', (data: Buffer) => {
          received += data.length;
          if (received >= MIB && !paused) {
            paused = true;
            res.pause();
            resolve();
          }
        });
      });
      const heapBefore = process.memoryUsage().arrayBuffers;
      await settled(() => generated);
      assert.ok(
        generated - received < allowedAhead,
        `upstream produced ${generated / MIB} MiB while the client had read ${received / MIB} MiB`,
      );
      assert.ok(process.memoryUsage().arrayBuffers - heapBefore < 48 * MIB);
      const ended = once(res, 'end');
      res.resume();
      await ended;
      assert.equal(received, total);
    });
  });

  describe('redirects', () => {
    it('follows a same-origin 308 from /mcp to /mcp/ for POST, keeping method and credentials', async () => {
      const mark = upstream.requests.length;
      const { client } = await connect(url.moved!);
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      assert.deepEqual(result.content, [{ type: 'text', text: `Ada Lovelace on ${cloudId}` }]);
      const seen = requestsSince(mark);
      const posts = seen.filter((r) => r.method === 'POST');
      assert.ok(posts.some((r) => r.path === '/old') && posts.some((r) => r.path === '/mcp/'));
      assert.ok(
        !seen.some((r) => r.path === '/mcp/' && r.method === 'GET' && headerValue(r, 'content-type') !== undefined),
        'no POST turned into GET',
      );
      for (const request of seen) assert.equal(headerCount(request, 'authorization'), 1);

      // Permanent: the next calls of the session skip the old URL.
      const next = upstream.requests.length;
      await client.callTool({ name: 'whoami', arguments: {} });
      assert.deepEqual(new Set(requestsSince(next).map((r) => r.path)), new Set(['/mcp/']));
    });

    it('refuses a 301 or 302 for POST, naming the URL with the trailing slash to configure', async () => {
      for (const [id, from] of [
        ['slash301', '/mcp'],
        ['slash302', '/v2/mcp'],
      ] as const) {
        const mark = upstream.requests.length;
        const response = await raw(url[id]!, { headers: MCP_POST, body: INITIALIZE });
        const message = assertProxyFailure(response, 502, 'redirectRefused');
        assert.ok(message.includes(`redirects ${upstream.origin}${from} to ${upstream.origin}${from}/`), message);
        assert.ok(
          message.includes(`set the server's URL to ${upstream.origin}${from}/ (with the trailing slash)`),
          message,
        );
        assert.deepEqual(
          requestsSince(mark).map((r) => `${r.method} ${r.path}`),
          [`POST ${from}`],
          'nothing followed, no GET',
        );
      }
      await assert.rejects(connectClient(url.slash301!), /with the trailing slash/);
    });

    it('follows a same-origin 301 for GET (the SSE stream) with the same credentials', async () => {
      const mark = upstream.requests.length;
      await raw(url.slash301!, { method: 'GET', headers: { accept: 'text/event-stream' } });
      const seen = requestsSince(mark);
      assert.deepEqual(
        seen.map((r) => `${r.method} ${r.path}`),
        ['GET /mcp', 'GET /mcp/'],
      );
      assert.equal(headerValue(seen[1]!, 'x-atlassian-cloud-id'), cloudId);
    });

    it('sends nothing, credentials least of all, to another origin a server redirects to', async () => {
      for (const method of ['POST', 'GET']) {
        const response = await raw(url.elsewhere!, {
          method,
          headers: MCP_POST,
          body: method === 'POST' ? INITIALIZE : undefined,
        });
        const message = assertProxyFailure(response, 502, 'redirectRefused');
        assert.ok(message.includes(`another origin (${elsewhere.origin}/mcp/)`), message);
      }
      assert.equal(elsewhere.requests.length, 0);
      const mark = upstream.requests.length;
      assertProxyFailure(await raw(url.alias!, { headers: MCP_POST, body: INITIALIZE }), 502, 'redirectRefused');
      assert.deepEqual(
        requestsSince(mark).map((r) => r.path),
        ['/alias'],
        'localhost is another origin than 127.0.0.1',
      );
    });
  });

  describe('DNS rebinding and guessing', () => {
    it('refuses a foreign Host', async () => {
      const mark = upstream.requests.length;
      for (const host of [`evil.example:${port()}`, `127.0.0.1:${Number(port()) + 1}`, 'localhost']) {
        assertProxyFailure(
          await raw(url.self!, { headers: { ...MCP_POST, host }, body: INITIALIZE }),
          403,
          'forbidden',
        );
      }
      assert.equal(
        (await raw(url.self!, { headers: { ...MCP_POST, host: `localhost:${port()}` }, body: INITIALIZE })).status,
        200,
      );
      assert.equal(requestsSince(mark).length, 1);
    });

    it('refuses a foreign Origin and allows loopback and VS Code webview origins', async () => {
      for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1.evil.example']) {
        assertProxyFailure(
          await raw(url.self!, { headers: { ...MCP_POST, origin }, body: INITIALIZE }),
          403,
          'forbidden',
        );
      }
      for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'vscode-webview://abc123']) {
        assert.equal(
          (await raw(url.self!, { headers: { ...MCP_POST, origin }, body: INITIALIZE })).status,
          200,
          origin,
        );
      }
    });

    it('answers 404 for a wrong, truncated or extended path secret', async () => {
      const mark = upstream.requests.length;
      const good = new URL(url.self!);
      const secret = good.pathname.split('/')[2]!;
      for (const path of [
        `/r/${'A'.repeat(43)}/`,
        `/r/${secret.slice(0, -1)}/`,
        `/r/${secret}/extra`,
        '/',
        `/${secret}/`,
      ]) {
        assertProxyFailure(
          await raw(new URL(path, good).href, { headers: MCP_POST, body: INITIALIZE }),
          404,
          'notFound',
        );
      }
      assert.equal(requestsSince(mark).length, 0);
      assert.equal(
        (await raw(url.self!.slice(0, -1), { headers: MCP_POST, body: INITIALIZE })).status,
        200,
        'without the trailing slash too',
      );
    });
  });

  describe('failures', () => {
    it('refuses a body over the cap with 413 before contacting the server', async () => {
      const small = new ForwardingProxy(credentials, { maxBodyBytes: 1024 });
      extraProxies.push(small);
      const [result] = await small.configure([
        { id: 'self', label: 'x', url: `${upstream.origin}/mcp/`, connectionId: 'c' },
      ]);
      assert.ok(result && 'url' in result);
      const mark = upstream.requests.length;
      assertProxyFailure(await raw(result.url, { headers: MCP_POST, body: 'x'.repeat(4096) }), 413, 'bodyTooLarge');
      assert.equal(requestsSince(mark).length, 0);
    });

    it('answers 502 naming the URL when the server cannot be reached', async () => {
      const message = assertProxyFailure(
        await raw(url.unreachable!, { headers: MCP_POST, body: INITIALIZE }),
        502,
        'upstreamUnreachable',
      );
      assert.match(message, /Could not reach the MCP server at http:\/\/127\.0\.0\.1:\d+\/mcp\/: .*ECONNREFUSED/);
    });

    it('answers 504 when the server never answers, and drops the upstream request', async () => {
      const impatient = new ForwardingProxy(credentials, { responseTimeoutMs: 300 });
      extraProxies.push(impatient);
      const upstreamClosed = new Promise<void>((resolve) =>
        upstream.routes.set('/silent', (_req, res) => void res.once('close', () => resolve())),
      );
      const [result] = await impatient.configure([
        { id: 'silent', label: 'x', url: `${upstream.origin}/silent`, connectionId: 'c' },
      ]);
      assert.ok(result && 'url' in result);
      assertProxyFailure(await raw(result.url, { headers: MCP_POST, body: INITIALIZE }), 504, 'upstreamTimeout');
      await upstreamClosed;
    });

    it('stops listening on close()', async () => {
      const closing = new ForwardingProxy(credentials);
      const [result] = await closing.configure([
        { id: 'self', label: 'x', url: `${upstream.origin}/mcp/`, connectionId: 'c' },
      ]);
      assert.ok(result && 'url' in result);
      await closing.close();
      await assert.rejects(raw(result.url, { headers: MCP_POST, body: INITIALIZE }), /ECONNREFUSED/);
      await assert.rejects(closing.configure([]), /closed/);
    });
  });

  describe('probe()', () => {
    const secretsIn = (text: string) => [
      ...credentials.issued.filter((token) => text.includes(token)),
      ...(text.includes('Bearer ') ? ['Bearer …'] : []),
    ];

    it('reports the server, its tools and latency, and no secret', async () => {
      const report = await proxy.probe('self');
      assert.equal(report.remoteId, 'self');
      assert.equal(report.url, `${upstream.origin}/mcp/`);
      assert.equal(report.secure, false);
      assert.equal(report.reachable, true);
      assert.deepEqual(report.server, { name: 'test-mcp-atlassian', version: '9.8.7' });
      assert.equal(report.toolCount, 2);
      assert.ok(report.protocolVersion);
      assert.ok(report.latencyMs.initialize! >= 0 && report.latencyMs.listTools! >= 0);
      assert.equal(report.error, undefined);
      assert.deepEqual(report.redirects, []);
      const text = JSON.stringify(report);
      assert.deepEqual(secretsIn(text), []);
      assert.ok(!text.includes(new URL(url.self!).pathname), 'no route secret');
    });

    it('tries server/discover first: a 2025 server by initialize, a 2026-07-28-only one with the note VS Code needs', async () => {
      const legacy = await proxy.probe('self');
      assert.equal(legacy.era, 'legacy');
      assert.equal(legacy.legacyHandshake, true);

      const modernOnly = await proxy.probe('modernOnly');
      assert.equal(modernOnly.error, undefined, modernOnly.error);
      assert.equal(modernOnly.era, 'modern');
      assert.equal(modernOnly.protocolVersion, '2026-07-28');
      assert.ok(modernOnly.supportedVersions?.includes('2026-07-28'));
      assert.equal(modernOnly.legacyHandshake, false);
      assert.equal(modernOnly.toolCount, 1);
      assert.deepEqual(modernOnly.server, { name: 'modern-reject', version: '2.0.0' });

      const both = await proxy.probe('bothEras');
      assert.equal(both.era, 'modern');
      assert.equal(both.legacyHandshake, true);
      assert.equal(both.toolCount, 1);
    });

    it('reports a followed redirect with the URL to configure', async () => {
      const report = await proxy.probe('moved');
      assert.equal(report.toolCount, 2);
      assert.deepEqual(
        report.redirects.map((r) => [r.status, r.from, r.to, r.followed]),
        [[308, `${upstream.origin}/old`, `${upstream.origin}/mcp/`, true]],
      );
      assert.match(report.redirects[0]!.message, /set the server's URL to http:\/\/127\.0\.0\.1:\d+\/mcp\//);
    });

    it('behind a followed redirect, a server of both eras still passes the 2025 handshake', async () => {
      const report = await proxy.probe('bothErasMoved');
      assert.equal(report.era, 'modern');
      assert.equal(report.legacyError, undefined);
      assert.equal(report.legacyHandshake, true);
      assert.equal(report.redirects[0]?.followed, true);
    });

    it('reports a refused redirect, reconnect needs and an unreachable server as errors', async () => {
      const refused = await proxy.probe('slash301');
      assert.equal(refused.reachable, true);
      assert.match(refused.error ?? '', /with the trailing slash/);
      assert.equal(refused.redirects[0]?.followed, false);

      credentials.needsReconnect = true;
      const reconnect = await proxy.probe('self');
      assert.match(reconnect.error ?? '', /Connect Atlassian/);
      assert.equal(reconnect.reachable, false);
      credentials.needsReconnect = false;

      const gone = await proxy.probe('unreachable');
      assert.equal(gone.reachable, false);
      assert.match(gone.error ?? '', /Could not reach/);
      await assert.rejects(proxy.probe('nope'), /No remote MCP server with id "nope"/);
    });

    it('redacts a token the server echoes back in an error', async () => {
      const report = await proxy.probe('forbidden');
      assert.match(report.error ?? '', /HTTP 403/);
      assert.match(report.error ?? '', /\[redacted\]/);
      assert.deepEqual(secretsIn(JSON.stringify(report)), []);
    });
  });
});
