// Hardening: every local listener the product opens on 127.0.0.1 — the OAuth callback, the
// forwarding endpoint for remote MCP servers, the bridge's credentials channel and the bridge's
// streamable-HTTP mode — refuses a request addressed to another Host (DNS rebinding) or coming from
// a hostile Origin, even when the request is otherwise genuine; and the MCP conformance suite's
// scenarios that apply pass against the bridge's HTTP mode in both MCP eras (2026-07-28 and
// 2025-11-25; test/conformance/baseline.yml names the few checks that need the suite's own
// fixture tools, prompts or resources).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { callbackPages } from '../../../src/auth/callbackPages';
import { listenForCallback, type PendingCallback } from '../../../src/auth/loopback';
import { startChannelServer, type ChannelServer } from '../../../src/credentials/channelServer';
import { AUTHORIZATION_PATH } from '../../../src/credentials/protocol';
import { ForwardingProxy } from '../../../src/remote/forwardingProxy';
import { freePort } from '../../harness/process';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { basic, ROOT, startHttpBridgeProcess, type HttpBridgeProcess } from '../bridge/harness';
import { INITIALIZE, startUpstream, type Upstream } from '../remote/upstream';
import { figure } from './support';

const EMAIL = 'ada@example.com';
const API_TOKEN = 'sandbox-api-token-ada';
const CONFORMANCE = join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const BASELINE = join(ROOT, 'test/conformance/baseline.yml');
/** The scenarios that apply to a tools-only server, per era (README.md says why the others do not). */
const SCENARIOS: Record<string, readonly string[]> = {
  '2026-07-28': [
    'server-stateless',
    'http-header-validation',
    'tools-list',
    'tools-call-error',
    'caching',
    'dns-rebinding-protection',
  ],
  '2025-11-25': ['server-initialize', 'ping', 'tools-list', 'tools-call-error', 'dns-rebinding-protection'],
};
const MCP_POST = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

interface Answer {
  readonly status: number;
  readonly text: string;
}

/** One raw request; `host` and `origin` go on the wire exactly as given. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
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

/** A listener under test: how to make a genuine request, and how to tell nothing happened. */
interface Listener {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  /** A request the listener must accept when Host and Origin are right. */
  readonly genuine: { method: string; headers: Record<string, string>; body?: string };
  /** Side effects so far (requests forwarded, credentials handed out, Atlassian calls). */
  effects(): number;
}

describe('hardening: local listeners refuse wrong Host and hostile Origin', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let upstream: Upstream;
  let proxy: ForwardingProxy;
  let channel: ChannelServer;
  let callback: PendingCallback;
  let bridge: HttpBridgeProcess;
  const listeners: Listener[] = [];
  let callbackSettled = false;
  let brokerCalls = 0;

  before(async () => {
    sandbox = await startSandbox();
    const site = sandbox.discovery.sites[0]!;

    // The OAuth callback, waiting for the browser with a state only the genuine redirect carries.
    const callbackPort = await freePort();
    const state = randomBytes(16).toString('base64url');
    callback = await listenForCallback({
      redirectUri: `http://127.0.0.1:${callbackPort}/callback`,
      expectedState: state,
      timeoutMs: 60_000,
      pages: callbackPages,
      portSettingName: 'x',
    });
    void callback.result.then(
      () => (callbackSettled = true),
      () => (callbackSettled = true),
    );
    const callbackUrl = `http://127.0.0.1:${callbackPort}/callback?code=genuine-code&state=${state}`;
    listeners.push({
      name: 'OAuth callback',
      url: callbackUrl,
      port: callbackPort,
      // A browser following the authorization server's redirect: a cross-site top-level navigation.
      genuine: {
        method: 'GET',
        headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
      },
      effects: () => (callbackSettled ? 1 : 0),
    });

    // The forwarding endpoint with a route to a recording MCP server.
    upstream = await startUpstream();
    upstream.routes.set(
      '/mcp',
      (_req, res) =>
        void res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":7,"result":{}}'),
    );
    proxy = new ForwardingProxy({
      authorization: async () => ({ status: 'ok', authorization: 'Bearer forwarded-token', cloudId: site.cloudId }),
    });
    const [route] = await proxy.configure([
      { id: 'r', label: 'remote', url: `${upstream.origin}/mcp`, connectionId: 'c' },
    ]);
    assert.ok(route && 'url' in route);
    listeners.push({
      name: 'forwarding endpoint',
      url: route.url,
      port: Number(new URL(route.url).port),
      genuine: { method: 'POST', headers: MCP_POST, body: INITIALIZE },
      effects: () => upstream.requests.length,
    });

    // The credentials channel, with the bridge's per-launch secret.
    channel = await startChannelServer({
      connections: () => [],
      authorization: async () => {
        brokerCalls++;
        return { status: 'ok', authorization: 'Bearer handed-out' };
      },
    });
    listeners.push({
      name: 'credentials channel',
      url: `${channel.url}${AUTHORIZATION_PATH}`,
      port: Number(new URL(channel.url).port),
      genuine: {
        method: 'POST',
        headers: { authorization: `Bearer ${channel.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ connectionId: 'c' }),
      },
      effects: () => brokerCalls,
    });

    // The bridge in streamable-HTTP mode, with a request's own credentials.
    bridge = await startHttpBridgeProcess({ JIRA_URL: site.url });
    listeners.push({
      name: 'bridge HTTP mode',
      url: bridge.url,
      port: Number(new URL(bridge.url).port),
      genuine: {
        method: 'POST',
        headers: { ...MCP_POST, authorization: basic(EMAIL, API_TOKEN) },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'jira_get_user_profile', arguments: { user_identifier: EMAIL } },
        }),
      },
      effects: () => sandbox.log.count(),
    });
  });

  after(async () => {
    callback?.close();
    await proxy?.close();
    await channel?.close();
    await bridge?.stop();
    await upstream?.close();
    await sandbox?.close();
  });

  it('refuses every request with a wrong Host or a hostile Origin, and still accepts the genuine one', async () => {
    const rows: string[] = [];
    let refused = 0;
    let sent = 0;
    for (const listener of listeners) {
      const wrongHosts = [
        `evil.example:${listener.port}`,
        'evil.example',
        `127.0.0.1:${listener.port + 1}`,
        'localhost',
        `127.0.0.1.nip.io:${listener.port}`,
      ];
      const hostileOrigins = [
        'https://evil.example',
        'null',
        `http://evil.example:${listener.port}`,
        `http://127.0.0.1.evil.example:${listener.port}`,
      ];
      const statuses = new Set<number>();
      const before = listener.effects();
      for (const host of wrongHosts) {
        const answer = await send(listener.url, {
          ...listener.genuine,
          headers: { ...listener.genuine.headers, host },
        });
        sent++;
        assert.ok(
          answer.status >= 400 && answer.status < 500,
          `${listener.name}, Host ${host}: ${answer.status} ${answer.text.slice(0, 200)}`,
        );
        statuses.add(answer.status);
        refused++;
      }
      for (const origin of hostileOrigins) {
        const answer = await send(listener.url, {
          ...listener.genuine,
          headers: { ...listener.genuine.headers, origin },
        });
        sent++;
        assert.ok(
          answer.status >= 400 && answer.status < 500,
          `${listener.name}, Origin ${origin}: ${answer.status} ${answer.text.slice(0, 200)}`,
        );
        statuses.add(answer.status);
        refused++;
      }
      assert.equal(listener.effects(), before, `${listener.name}: a refused request had an effect`);

      // The same request, addressed properly, goes through: the refusals were about Host and Origin.
      const genuine = await send(listener.url, listener.genuine);
      assert.equal(genuine.status, 200, `${listener.name}: ${genuine.text.slice(0, 300)}`);
      if (listener.name === 'OAuth callback')
        assert.deepEqual(Object.fromEntries(await callback.result), {
          code: 'genuine-code',
          state: new URL(listener.url).searchParams.get('state'),
        });
      assert.ok(listener.effects() > before, `${listener.name}: the genuine request had its effect`);
      rows.push(`${listener.name} ${[...statuses].sort().join('/')}`);
    }
    figure(
      `local listeners: ${listeners.length} listeners × (5 wrong Hosts + 4 hostile Origins) = ${sent} requests, ${refused} refused (${rows.join(', ')}), 0 side effects; the genuine request accepted by each`,
    );
  });

  describe("MCP conformance suite against the bridge's HTTP mode", () => {
    // The conformance CLI cannot send headers, and the bridge's HTTP mode answers no request without
    // the caller's own Atlassian credentials (it never falls back to its operator's). So the CLI
    // talks to a loopback front that only adds `Authorization: Basic …` (as mcp-remote --header or
    // the extension's forwarding endpoint would) and passes everything else, Host and Origin
    // included, untouched: the bridge makes every Host/Origin decision itself. The bridge is told
    // the front's address with MCP_ALLOWED_HOSTS, the documented setting for a server behind a
    // local front; nothing else about it changes.
    let front: Server;
    let conformanceBridge: HttpBridgeProcess;
    let frontUrl: string;

    before(async () => {
      const major = Number(process.versions.node.split('.')[0]);
      assert.ok(
        major >= 22,
        `the conformance CLI needs Node >= 22 (running ${process.versions.node}; npm test runs Node 24)`,
      );
      let target = 0;
      front = createServer((req, res) => {
        const headers = { ...req.headers, authorization: req.headers.authorization ?? basic(EMAIL, API_TOKEN) };
        const upstreamRequest = httpRequest(
          { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstreamRequest.on('error', () => res.destroy());
        req.pipe(upstreamRequest);
      });
      front.listen(0, '127.0.0.1');
      await once(front, 'listening');
      const frontPort = (front.address() as AddressInfo).port;
      const site = sandbox.discovery.sites[0]!;
      conformanceBridge = await startHttpBridgeProcess({
        JIRA_URL: site.url,
        CONFLUENCE_URL: `${site.url}/wiki`,
        MCP_ALLOWED_HOSTS: `127.0.0.1:${frontPort}`,
      });
      target = Number(new URL(conformanceBridge.url).port);
      frontUrl = `http://127.0.0.1:${frontPort}${new URL(conformanceBridge.url).pathname}`;
    });

    after(async () => {
      await conformanceBridge?.stop();
      front?.closeAllConnections();
      front?.close();
    });

    const run = (scenario: string, version: string) =>
      new Promise<{ code: number; output: string }>((resolve) => {
        execFile(
          process.execPath,
          [
            CONFORMANCE,
            'server',
            '--url',
            frontUrl,
            '--scenario',
            scenario,
            '--spec-version',
            version,
            '--expected-failures',
            BASELINE,
          ],
          { encoding: 'utf8', timeout: 60_000 },
          (err, stdout, stderr) => {
            resolve({
              code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
              output: stripVTControlCharacters(`${stdout}${stderr}`),
            });
          },
        );
      });

    it('lists the scenarios this version has, dns-rebinding-protection among them', async () => {
      const list = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [CONFORMANCE, 'list'], { encoding: 'utf8' }, (err, out) =>
          err ? reject(err) : resolve(out),
        ),
      );
      for (const scenario of new Set(Object.values(SCENARIOS).flat())) assert.match(list, new RegExp(`- ${scenario} `));
    });

    for (const [version, scenarios] of Object.entries(SCENARIOS))
      for (const scenario of scenarios) {
        it(`passes ${scenario} at ${version}`, async () => {
          const { code, output } = await run(scenario, version);
          const summary = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(output);
          assert.ok(summary, output);
          const [, passed, total, failed] = summary;
          figure(`conformance ${scenario} ${version}: passed ${passed}/${total}, ${failed} failed (exit ${code})`);
          // Exit 0: every failed check is one the baseline names (and every baselined one still fails).
          assert.equal(code, 0, output);
          assert.ok(Number(passed) > 0, output);
        });
      }
  });
});
