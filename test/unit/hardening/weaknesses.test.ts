// Regression tests for the audit's last weaknesses (issue 13, W5, W6, W9–W12), against the real
// bridge process, the forwarding endpoint, the OAuth listener and the sandbox: credentials a site or
// a remote echoes never come back; a gzip bomb stops at the response limit with bounded memory; the
// Host check holds on every bound address; `localhost` sign-in refuses to share [::1]:PORT; the
// route secret reaches neither a log line nor what VS Code caches; a refused redirect says so.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { callbackPages } from '../../../src/auth/callbackPages';
import { CallbackError, listenForCallback } from '../../../src/auth/loopback';
import { allowedHostHeaders } from '../../../src/bridge/httpGuards';
import type { Logger } from '../../../src/core/logger';
import { credentialSecrets } from '../../../src/core/redact';
import { ForwardingProxy, ROUTE_KEY_HEADER } from '../../../src/remote/forwardingProxy';
import { freePort } from '../../harness/process';
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
import { INITIALIZE, startUpstream, type Upstream } from '../remote/upstream';
import { figure } from './support';

const MIB = 1024 * 1024;
const MCP_POST = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

interface Answer {
  readonly status: number;
  readonly text: string;
}

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Every form of `authorization` that must not appear in `text`. */
function leaks(text: string, authorization: string): string[] {
  return credentialSecrets(authorization).filter((secret) => text.includes(secret));
}

/** The peak resident memory of a process so far (Linux VmHWM), in bytes. */
function peakRss(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

function capturingLogger(lines: string[]): Logger {
  const log =
    (level: string) =>
    (format: string, ...args: unknown[]) =>
      lines.push(
        `${level} ${format} ${args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ')}`,
      );
  return {
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  } as unknown as Logger;
}

describe('weaknesses W5, W6, W9–W12 (issue 13)', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let site: string;
  const open: Connected[] = [];
  const bridges: HttpBridgeProcess[] = [];

  before(async () => {
    sandbox = await startSandbox();
    site = sandbox.discovery.sites[0]!.url;
  });
  afterEach(() => sandbox.faults.clear());
  after(async () => {
    for (const c of open) await c.close();
    for (const b of bridges) await b.stop();
    await sandbox?.close();
  });

  const httpBridge = async (env: Record<string, string> = {}, args: string[] = []) => {
    const bridge = await startHttpBridgeProcess({ JIRA_URL: site, ...env }, args);
    bridges.push(bridge);
    return bridge;
  };

  it('W5: a credential a site echoes in an error never reaches the model (HTTP and stdio)', async () => {
    sandbox.faults.add({ path: /\/rest\/api\/3\/issue\/ENG-1$/, kind: 'echoCredentials', status: 400 });
    const authorization = basic(ADA.email, ADA.token);
    const bridge = await httpBridge();
    const http = await connectHttp(bridge.url, { Authorization: authorization });
    open.push(http);
    const stdio = await connectStdio({ JIRA_URL: site, JIRA_USERNAME: ADA.email, JIRA_API_TOKEN: ADA.token });
    open.push(stdio);
    for (const [mode, c] of [
      ['http', http],
      ['stdio', stdio],
    ] as const) {
      const result = await call(c.client, 'jira_get_issue', { issue_key: 'ENG-1' });
      assert.equal(result.isError, true, result.text);
      // The site's own words still arrive, minus the secrets.
      assert.match(result.text, /Invalid request\. You sent/, `${mode}: ${result.text}`);
      assert.deepEqual(leaks(result.text, authorization), [], `${mode}: ${result.text}`);
    }
    const hits = sandbox.faults.list()[0]!.hits;
    figure(`W5: ${hits} echoed credentials (header, base64, decoded login, token) → 0 reached a tool result`);
  });

  it('W5: a credential a remote MCP server echoes never reaches VS Code through the forwarding endpoint', async () => {
    const token = 'Bearer remote-echo-token-9d1f2c7a';
    const upstream: Upstream = await startUpstream();
    const lines: string[] = [];
    const proxy = new ForwardingProxy(
      { authorization: async () => ({ status: 'ok', authorization: token, cloudId: 'c' }) },
      { logger: capturingLogger(lines) },
    );
    try {
      upstream.routes.set('/mcp', (req, res) => {
        res.writeHead(403, { 'content-type': 'text/plain' });
        res.end(`forbidden for ${req.headers.authorization ?? ''}`);
      });
      const [route] = await proxy.configure([
        { id: 'echo', label: 'echo', url: `${upstream.origin}/mcp`, connectionId: 'c' },
      ]);
      assert.ok(route && 'url' in route);
      const answer = await send(route.url, { method: 'POST', headers: MCP_POST, body: INITIALIZE });
      assert.equal(answer.status, 502);
      assert.match(answer.text, /refused the request \(HTTP 403\): forbidden for/);
      assert.deepEqual(leaks(answer.text, token), [], answer.text);
      // The remote's own error answers, plain and compressed, are relayed without the token too.
      upstream.routes.set('/mcp', (req, res) => {
        const text = JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          error: { code: -1, message: `bad ${req.headers.authorization}` },
        });
        const gzip = req.headers['x-test-gzip'] === '1';
        res.writeHead(500, { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
        res.end(gzip ? gzipSync(text) : text);
      });
      for (const gzip of ['0', '1']) {
        const relayed = await send(route.url, {
          method: 'POST',
          headers: { ...MCP_POST, 'x-test-gzip': gzip },
          body: INITIALIZE,
        });
        assert.equal(relayed.status, 500);
        assert.match(relayed.text, /"message":"bad \[redacted\]"/, relayed.text);
        assert.deepEqual(leaks(relayed.text, token), [], relayed.text);
      }
      assert.deepEqual(leaks(lines.join('\n'), token), [], lines.join('\n'));
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('W6: a gzip bomb stops at the response limit with a clear error, and the bridge stays small', async () => {
    sandbox.faults.add({ path: /\/rest\/api\/3\/issue\/ENG-1$/, kind: 'gzipBomb', inflatedMiB: 300 });
    const bridge = await httpBridge();
    const c = await connectHttp(bridge.url, { Authorization: basic(ADA.email, ADA.token) });
    open.push(c);
    const before = peakRss(bridge.child.pid!);
    const result = await call(c.client, 'jira_get_issue', { issue_key: 'ENG-1' });
    const peak = peakRss(bridge.child.pid!);
    const fault = sandbox.faults.list()[0]!;
    assert.equal(result.isError, true, result.text);
    assert.match(result.text, /more than 32 MiB \(after decompression\).*MAX_RESPONSE_BYTES/, result.text);
    figure(
      `W6: 300 MiB gzip bomb (${(fault.bytesSent / 1024).toFixed(0)} KiB on the wire): refused; bridge peak RSS ${(before / MIB).toFixed(0)} → ${(peak / MIB).toFixed(0)} MiB (limit 32 MiB; before the fix the audit saw 1.27 GiB)`,
    );
    // The limit plus its copies (chunks, one buffer, the text) and the bridge itself; far from 300 MiB.
    assert.ok(peak < 200 * MIB, `peak RSS ${(peak / MIB).toFixed(0)} MiB`);
  });

  it('W6: MAX_RESPONSE_BYTES sets the limit', async () => {
    sandbox.faults.add({ path: /\/rest\/api\/3\/issue\/ENG-1$/, kind: 'gzipBomb', inflatedMiB: 8 });
    const bridge = await httpBridge({ MAX_RESPONSE_BYTES: String(2 * MIB) });
    const c = await connectHttp(bridge.url, { Authorization: basic(ADA.email, ADA.token) });
    open.push(c);
    const result = await call(c.client, 'jira_get_issue', { issue_key: 'ENG-1' });
    assert.match(result.text, /more than 2 MiB/, result.text);
    sandbox.faults.clear();
    const fine = await call(c.client, 'jira_get_issue', { issue_key: 'ENG-1' });
    assert.equal(fine.isError, false, fine.text);
  });

  it('W9: the Host check holds whatever address the bridge is bound to', async () => {
    const cases: [bound: string, genuine: string][] = [
      ['127.0.0.2', '127.0.0.2'],
      ['::1', '[::1]'],
      ['0.0.0.0', '127.0.0.1'],
    ];
    let refused = 0;
    for (const [bound, genuine] of cases) {
      const bridge = await httpBridge({}, ['--host', bound]);
      const port = new URL(bridge.url).port;
      const target = `http://${bound === '0.0.0.0' ? '127.0.0.1' : genuine}:${port}/healthz`;
      for (const host of [`evil.example:${port}`, `attacker.test`, `127.0.0.1.nip.io:${port}`, `localhost:1`]) {
        const answer = await send(target, { headers: { host } });
        assert.equal(answer.status, 403, `${bound} with Host ${host}: ${answer.status} ${answer.text}`);
        refused++;
      }
      const ok = await send(target, { headers: { host: `${genuine}:${port}` } });
      assert.equal(ok.status, 200, `${bound}: ${ok.text}`);
      assert.doesNotMatch(bridge.stderr(), /not checked/);
      await bridge.stop();
    }
    figure(`W9: bound to 127.0.0.2, ::1 and 0.0.0.0: ${refused} foreign Host headers refused, the genuine one served`);
  });

  it('W9: which Host values each bound address allows', () => {
    const interfaces = () => ['192.0.2.2', 'fd00::2'];
    assert.deepEqual([...allowedHostHeaders('127.0.0.2', 80, [], interfaces)], ['127.0.0.2:80']);
    assert.deepEqual([...allowedHostHeaders('::1', 80, [], interfaces)], ['127.0.0.1:80', 'localhost:80', '[::1]:80']);
    const wildcard = allowedHostHeaders('0.0.0.0', 80, ['mcp.example.com'], interfaces);
    for (const host of ['127.0.0.1:80', '192.0.2.2:80', '[fd00::2]:80', 'mcp.example.com', 'mcp.example.com:80'])
      assert.ok(wildcard.has(host), host);
    assert.ok(!wildcard.has('evil.example:80'));
  });

  it('W10: a localhost callback refuses to start while another process holds [::1]:PORT, and binds both otherwise', async () => {
    const port = await freePort();
    const holder: ChildProcess = spawn(
      process.execPath,
      ['-e', `require('net').createServer(s => s.end('stolen')).listen(${port}, '::1', () => console.log('up'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await once(holder.stdout!, 'data');
      const options = {
        redirectUri: `http://localhost:${port}/callback`,
        expectedState: 'state-w10',
        timeoutMs: 30_000,
        pages: callbackPages,
        portSettingName: 'atlassianMcpBridge.oauth.callbackPort',
      };
      await assert.rejects(
        listenForCallback(options),
        (err: unknown) => err instanceof CallbackError && err.reason === 'portInUse' && /\[::1\]/.test(err.message),
      );
      holder.kill();
      await once(holder, 'exit');
      const pending = await listenForCallback(options);
      // The browser that resolves localhost to ::1 reaches this listener, which takes the code.
      const answer = await send(`http://[::1]:${port}/callback?code=c&state=state-w10`, {
        headers: { host: `localhost:${port}` },
      });
      assert.equal(answer.status, 200);
      assert.equal((await pending.result).get('code'), 'c');
    } finally {
      if (holder.exitCode === null) holder.kill();
    }
  });

  it('W11: the route secret is in no URL VS Code keeps, no upstream request and no log line', async () => {
    const upstream = await startUpstream();
    const lines: string[] = [];
    const proxy = new ForwardingProxy(
      { authorization: async () => ({ status: 'ok', authorization: 'Bearer w11-token-5e8a', cloudId: 'c' }) },
      { logger: capturingLogger(lines), probeTimeoutMs: 2000 },
    );
    try {
      upstream.routes.set('/ok', (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":1,"result":{}}'),
      );
      upstream.routes.set('/forbidden', (_req, res) => res.writeHead(403).end('no'));
      upstream.routes.set('/moved', (_req, res) => res.writeHead(301, { location: 'http://evil.example/' }).end());
      const results = await proxy.configure([
        ...['ok', 'forbidden', 'moved'].map((id) => ({
          id,
          label: id,
          url: `${upstream.origin}/${id}`,
          connectionId: 'c',
        })),
        { id: 'gone', label: 'gone', url: `http://127.0.0.1:${await freePort()}/`, connectionId: 'c' },
      ]);
      const routes = results.filter((r) => 'definition' in r);
      const secrets = [...new Set(routes.map((r) => r.definition.headers[ROUTE_KEY_HEADER]!))];
      for (const route of routes) {
        const secret = route.definition.headers[ROUTE_KEY_HEADER]!;
        assert.ok(!route.definition.url.includes(secret), 'the URL VS Code caches holds no secret');
        // Without the header the URL is worth nothing; a wrong key neither.
        assert.equal(
          (await send(route.definition.url, { method: 'POST', headers: MCP_POST, body: INITIALIZE })).status,
          404,
        );
        const wrong = { ...MCP_POST, [ROUTE_KEY_HEADER]: 'x'.repeat(43) };
        assert.equal(
          (await send(route.definition.url, { method: 'POST', headers: wrong, body: INITIALIZE })).status,
          404,
        );
        const answer = await send(route.definition.url, {
          method: 'POST',
          headers: { ...MCP_POST, ...route.definition.headers },
          body: INITIALIZE,
        });
        assert.notEqual(answer.status, 404, route.id);
        for (const secret of secrets) assert.ok(!answer.text.includes(secret), `${route.id}: ${answer.text}`);
      }
      for (const recorded of upstream.requests)
        for (const secret of secrets) assert.ok(!JSON.stringify(recorded).includes(secret), 'forwarded upstream');
      await proxy.probe('ok').then((report) => {
        for (const secret of secrets) assert.ok(!JSON.stringify(report).includes(secret), 'probe report');
      });
      const log = lines.join('\n');
      assert.ok(lines.length > 0, 'the failures were logged');
      for (const secret of secrets) assert.ok(!log.includes(secret), log);
      figure(
        `W11: ${routes.length} routes, ${lines.length} log lines, ${upstream.requests.length} upstream requests: the route secret in none of them nor in a cached URL`,
      );
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('W12: a refused redirect is reported as one, naming where it pointed, not as a network failure', async () => {
    sandbox.faults.add({
      path: /\/rest\/api\/3\/issue\/ENG-1$/,
      kind: 'redirect',
      status: 302,
      location: 'https://login.example.net/sso?token=abc',
    });
    const bridge = await httpBridge();
    const c = await connectHttp(bridge.url, { Authorization: basic(ADA.email, ADA.token) });
    open.push(c);
    const result = await call(c.client, 'jira_get_issue', { issue_key: 'ENG-1' });
    assert.equal(result.isError, true);
    assert.match(
      result.text,
      /answered 302 with a redirect to https:\/\/login\.example\.net\/sso, which was not followed/,
    );
    assert.doesNotMatch(result.text, /Could not reach|network/i);
    assert.doesNotMatch(result.text, /token=abc/);
  });
});
