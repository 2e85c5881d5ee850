import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { loadSandboxProfile, type SandboxProfile } from '../../src/auth/sandboxProfile';
import type { ExtensionApi } from '../../src/extension';
import { freePort } from '../harness/process';
import { EXTENSION_ID, extensionApi } from './extensionApi';
import { connectWithOAuth, control, sandboxUrl } from './sandbox';
import { waitFor } from './waitFor';

const LABEL = 'Self-hosted bridge';
const SERVER_ID = `${EXTENSION_ID}/${LABEL}`;

interface Recorded {
  readonly method: string;
  readonly rawHeaders: string[];
  status: number;
}

/** A reverse proxy in front of the remote server that records every request's raw headers. */
async function startRecorder(target: number): Promise<{ server: Server; port: number; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const entry: Recorded = { method: req.method ?? '', rawHeaders: req.rawHeaders, status: 0 };
    requests.push(entry);
    const upstream = request(
      {
        host: '127.0.0.1',
        port: target,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `127.0.0.1:${target}` },
      },
      (up) => {
        entry.status = up.statusCode ?? 0;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, requests };
}

function headerValues(raw: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) out.push(raw[i + 1]!);
  return out;
}

describe('a remote MCP server through the forwarding endpoint (the bridge in HTTP mode plays it)', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let profile: SandboxProfile;
  let connectionId: string;
  let cloudId: string;
  let bridge: ChildProcess;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;

  before(async () => {
    api = await extensionApi();
    profile = await loadSandboxProfile(`${sandboxUrl()}/.well-known/sandbox.json`);
    // Access tokens live 5 seconds: every forwarded request needs a fresh one.
    await control('settings', { accessTokenTtlSeconds: 5 });
    const info = await connectWithOAuth(api);
    connectionId = info.id;
    cloudId = info.cloudId!;

    const port = await freePort();
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    bridge = spawn(
      process.execPath,
      [join(extensionPath, 'dist/bridge.js'), '--transport', 'streamable-http', '--port', String(port)],
      {
        env: { ...process.env, ATLASSIAN_API_BASE_URL: profile.apiBaseUrl },
        stdio: 'ignore',
      },
    );
    await waitFor(
      () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        ),
      'the bridge in HTTP mode',
    );
    recorder = await startRecorder(port);
    await vscode.workspace
      .getConfiguration('atlassianMcpBridge')
      .update(
        'remoteServers',
        [{ label: LABEL, url: `http://127.0.0.1:${recorder.port}/mcp`, connection: connectionId }],
        vscode.ConfigurationTarget.Global,
      );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.mcp.stopServer', SERVER_ID);
    await vscode.workspace
      .getConfiguration('atlassianMcpBridge')
      .update('remoteServers', undefined, vscode.ConfigurationTarget.Global);
    await control('settings', { accessTokenTtlSeconds: 3600 });
    await api.connections.remove(connectionId);
    bridge?.kill();
    recorder?.server.close();
  });

  // VS Code prefixes MCP tools with a name derived from the server's label; the local bridge's differ.
  const remoteSearch = () =>
    vscode.lm.tools.find((t) => t.name.endsWith('jira_search') && !t.name.startsWith('mcp_atlassian_mcp_'));

  it('starts through the local endpoint and calls tools across several token expiries with no 401 reaching VS Code', async () => {
    await waitFor(
      async () => {
        await vscode.commands.executeCommand('workbench.mcp.startServer', SERVER_ID, { waitForLiveTools: true });
        return remoteSearch() !== undefined;
      },
      'the remote server tools',
      60_000,
    );
    assert.ok(recorder.requests.length > 0, 'VS Code reached the remote server through the recorder');

    for (let i = 0; i < 3; i++) {
      await control('clock/advance', { ms: 10_000 }); // past the 5-second lifetime: the token in hand is dead
      const result = await vscode.lm.invokeTool(remoteSearch()!.name, {
        input: { jql: 'project = ENG ORDER BY key ASC', limit: 2 },
        toolInvocationToken: undefined,
      });
      const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
      assert.match(text, /ENG-1\b/, `call ${i + 1}: ${text.slice(0, 300)}`);
    }

    assert.ok(recorder.requests.length >= 5, `requests seen: ${recorder.requests.length}`);
    for (const r of recorder.requests) {
      const auth = headerValues(r.rawHeaders, 'authorization');
      const cloud = headerValues(r.rawHeaders, 'x-atlassian-cloud-id');
      assert.equal(auth.length, 1, `${r.method}: exactly one Authorization`);
      assert.match(auth[0]!, /^Bearer \S+$/);
      assert.deepEqual(cloud, [cloudId], `${r.method}: exactly one X-Atlassian-Cloud-Id`);
      assert.notEqual(r.status, 401);
    }
    const tokens = new Set(recorder.requests.map((r) => headerValues(r.rawHeaders, 'authorization')[0]));
    assert.ok(tokens.size >= 3, `fresh tokens across expiries (${tokens.size} distinct)`);
  });
});
