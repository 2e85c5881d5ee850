// A self-hosted "remote" MCP server for the health view's tests: the bundled bridge in streamable
// HTTP mode (credentials per request, as mcp-atlassian's multi-user mode), behind a front that
// redirects like misconfigured deployments do: `/mcp` → `/mcp/` with 301 (the missing trailing
// slash, which loses a POST) and `/old` → `/mcp/` with 308 (followable).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../harness/process';

export interface RemoteMcpServer {
  /** Origin of the redirecting front. */
  readonly origin: string;
  close(): Promise<void>;
}

export async function startRemoteMcpServer(options: {
  bridgeScript: string;
  apiBaseUrl: string;
}): Promise<RemoteMcpServer> {
  const port = await freePort();
  const bridge: ChildProcess = spawn(
    process.execPath,
    [options.bridgeScript, '--transport', 'streamable-http', '--port', String(port)],
    {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ATLASSIAN_API_BASE_URL: options.apiBaseUrl },
      stdio: 'ignore',
    },
  );
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || bridge.exitCode !== null) throw new Error('the bridge did not start in HTTP mode');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const front: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/mcp') return void res.writeHead(301, { location: '/mcp/' }).end();
    if (path === '/old') return void res.writeHead(308, { location: '/mcp/' }).end();
    const upstream = request(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `127.0.0.1:${port}` },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  front.listen(0, '127.0.0.1');
  await once(front, 'listening');
  return {
    origin: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    async close() {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      bridge.kill();
    },
  };
}
