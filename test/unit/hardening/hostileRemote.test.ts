// Hardening: a hostile remote MCP server behind the forwarding endpoint. test/unit/remote/ already
// proves the behaviours one by one; this suite runs the endpoint in a process of its own (as in the
// extension host) so it can put numbers on them: every redirect kind to another origin or to plain
// http sends nothing there, credentials least of all; a huge response and an endless SSE fire hose
// leave the endpoint's peak memory (VmHWM) bounded and its event loop (the editor's) responsive; a
// client that walks away from an endless stream stops the upstream request at once.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { RemoteServerConfig, RouteResult } from '../../../src/remote/forwardingProxy';
import { selfSignedCertificate } from '../../support/selfSignedCertificate';
import {
  headerCount,
  headerValue,
  INITIALIZE,
  kernelBytesPerConnection,
  raw,
  settled,
  startUpstream,
  type Upstream,
} from '../remote/upstream';
import type { ProxyCommand, ProxyStats } from './proxyProcess';
import { figure, ms } from './support';

const MIB = 1024 * 1024;
const TOKEN = 'hardening-remote-token-3f9c1a';
const CLOUD_ID = 'hardening-cloud-id';
const MCP_POST = { 'content-type': 'application/json', accept: 'text/event-stream, application/json' };
const mib = (bytes: number) => (bytes / MIB).toFixed(1);

type Command = ProxyCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

/** The forwarding endpoint in its own process, driven over IPC. */
class ProxyProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (message: { id: number; result: unknown }) => {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    });
  }

  static async start(ca: string): Promise<ProxyProcess> {
    const child = fork(join(__dirname, 'proxyProcess.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, AMB_PROXY_TOKEN: TOKEN, AMB_PROXY_CLOUD_ID: CLOUD_ID, AMB_PROXY_CA: ca },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const [ready] = (await once(child, 'message')) as [{ result: unknown }];
    assert.equal(ready.result, 'ready');
    return new ProxyProcess(child);
  }

  send<T>(command: Command): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.pending.set(id, resolve as (result: unknown) => void);
      this.child.send({ ...command, id });
    });
  }

  stats = () => this.send<ProxyStats>({ type: 'stats' });

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    await this.send({ type: 'close' });
    await exited;
  }
}

describe('hardening: a hostile remote MCP server behind the forwarding endpoint', function () {
  this.timeout(120_000);
  let hostile: Upstream;
  let secure: Upstream;
  let elsewhere: Upstream;
  let proxy: ProxyProcess;
  const routes = new Map<string, string>();

  before(async () => {
    const tls = selfSignedCertificate('IP:127.0.0.1', '127.0.0.1');
    [hostile, secure, elsewhere] = await Promise.all([startUpstream(), startUpstream({ tls }), startUpstream()]);
    proxy = await ProxyProcess.start(tls.cert);
  });
  after(async () => {
    await proxy?.stop();
    await Promise.all([hostile?.close(), secure?.close(), elsewhere?.close()]);
  });

  async function configure(remotes: Omit<RemoteServerConfig, 'connectionId'>[]): Promise<void> {
    const results = await proxy.send<RouteResult[]>({
      type: 'configure',
      remotes: remotes.map((r) => ({ ...r, connectionId: 'conn' })),
    });
    for (const result of results) {
      assert.ok('url' in result, JSON.stringify(result));
      routes.set(result.id, result.url);
    }
  }

  it('sends nothing to another origin or over plain http, whatever the redirect', async () => {
    const redirect = (status: number, location: string) => (_req: IncomingMessage, res: ServerResponse) =>
      void res.writeHead(status, { location }).end();
    const remotes: Omit<RemoteServerConfig, 'connectionId'>[] = [];
    for (const status of [301, 302, 303, 307, 308]) {
      hostile.routes.set(`/other-${status}`, redirect(status, `${elsewhere.origin}/mcp/`));
      remotes.push({
        id: `other-${status}`,
        label: `${status} to another origin`,
        url: `${hostile.origin}/other-${status}`,
      });
      secure.routes.set(`/downgrade-${status}`, redirect(status, `${elsewhere.origin}/downgraded/`));
      remotes.push({
        id: `downgrade-${status}`,
        label: `${status} from https to http`,
        url: `${secure.origin}/downgrade-${status}`,
      });
    }
    hostile.routes.set('/alias', redirect(308, `http://localhost:${new URL(hostile.origin).port}/alias-target`));
    remotes.push({ id: 'alias', label: 'same port, other host name', url: `${hostile.origin}/alias` });
    secure.routes.set('/relative-downgrade', redirect(307, `http://127.0.0.1:${new URL(secure.origin).port}/mcp/`));
    remotes.push({
      id: 'relative-downgrade',
      label: 'same host and port, http',
      url: `${secure.origin}/relative-downgrade`,
    });
    await configure(remotes);

    let refused = 0;
    let attempts = 0;
    for (const remote of remotes) {
      for (const method of ['POST', 'GET']) {
        attempts++;
        const response = await raw(routes.get(remote.id)!, {
          method,
          headers: method === 'POST' ? MCP_POST : { accept: 'text/event-stream' },
          body: method === 'POST' ? INITIALIZE : undefined,
        });
        assert.equal(response.status, 502, `${remote.label} ${method}: ${response.text}`);
        assert.equal(response.headers['www-authenticate'], undefined);
        const body = JSON.parse(response.text) as { error: { message: string; data: { reason: string } } };
        assert.equal(body.error.data.reason, 'redirectRefused', body.error.message);
        assert.ok(!response.text.includes(TOKEN), 'the answer carries no token');
        refused++;
      }
    }
    const leaked = [...elsewhere.requests, ...hostile.requests.filter((r) => r.path === '/alias-target')];
    assert.deepEqual(
      leaked.map((r) => `${r.method} ${r.path}`),
      [],
      'nothing reached another origin',
    );
    // The configured origins did get each request once, with the credentials exactly once.
    const direct = [...hostile.requests, ...secure.requests];
    assert.equal(direct.length, attempts);
    for (const r of direct) {
      assert.equal(headerCount(r, 'authorization'), 1);
      assert.equal(headerValue(r, 'authorization'), `Bearer ${TOKEN}`);
    }
    figure(
      `hostile redirects: ${remotes.length} remotes (301/302/303/307/308 to another origin and https→http, a localhost alias, an http downgrade on the same port) × GET/POST = ${attempts} requests, ${refused} refused with 502 redirectRefused, ${leaked.length} requests and 0 credentials reached another origin`,
    );
  });

  it("streams a huge response with the endpoint's peak memory bounded (not growing with the size) and its event loop responsive", async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    hostile.routes.set('/huge', (req, res) => {
      const total = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('mib')) * MIB;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': total });
      let sent = 0;
      new Readable({
        read() {
          if (sent >= total) return void this.push(null);
          sent += chunk.length;
          this.push(chunk);
        },
      }).pipe(res);
    });
    const measure = async (sizeMib: number) => {
      await configure([{ id: `huge-${sizeMib}`, label: 'huge', url: `${hostile.origin}/huge?mib=${sizeMib}` }]);
      const before = await proxy.send<ProxyStats>({ type: 'resetStats' });
      const started = performance.now();
      const req = httpRequest(routes.get(`huge-${sizeMib}`)!, { method: 'GET' });
      req.end();
      const [res] = (await once(req, 'response')) as [IncomingMessage];
      let received = 0;
      res.on('data', (data: Buffer) => (received += data.length));
      await once(res, 'end');
      const elapsed = ms(started);
      const after = await proxy.stats();
      assert.equal(received, sizeMib * MIB);
      return { sizeMib, elapsed, before: before.rssBytes, peak: after.peakRssBytes, after };
    };
    const small = await measure(64);
    const big = await measure(512);
    const baseline = small.before;
    figure(
      `huge response: ${big.sizeMib} MiB through the endpoint in ${big.elapsed} ms (${Math.round(big.sizeMib / (big.elapsed / 1000))} MiB/s); endpoint peak RSS +${mib(small.peak - baseline)} MiB for ${small.sizeMib} MiB and +${mib(big.peak - baseline)} MiB for ${big.sizeMib} MiB over a ${mib(baseline)} MiB start (8× the data, ${mib(big.peak - small.peak)} MiB more peak); event loop delay p99 ${big.after.eventLoopP99Ms.toFixed(1)} ms, max ${big.after.eventLoopMaxMs.toFixed(1)} ms`,
    );
    // Buffers the GC has not collected yet make a constant overhead; a buffering endpoint would grow by the response size.
    assert.ok(
      big.peak - baseline < 128 * MIB,
      `peak RSS grew by ${mib(big.peak - baseline)} MiB for ${big.sizeMib} MiB`,
    );
    // 448 MiB more data; a buffering endpoint would need about that much more. Seen: 19–53 MiB, GC timing.
    assert.ok(big.peak - small.peak < 96 * MIB, `8× the data cost ${mib(big.peak - small.peak)} MiB more peak memory`);
    assert.ok(big.after.eventLoopP99Ms < 250, `event loop p99 ${big.after.eventLoopP99Ms} ms`);
    assert.ok(big.after.eventLoopMaxMs < 2000, `event loop max ${big.after.eventLoopMaxMs} ms`);
  });

  it('holds an endless SSE fire hose to a slow client with bounded memory, and ends it as soon as the client leaves', async () => {
    const readBeforeStall = 64 * MIB;
    // Two hops (upstream → endpoint → client), each with the kernel's buffers, plus the endpoint's own
    // stream buffers; the RSS bound below checks that the endpoint itself holds little of it.
    const allowedAhead = 2 * kernelBytesPerConnection() + 16 * MIB;
    let produced = 0;
    let upstreamClosedAt = 0;
    const upstreamClosed = new Promise<void>((resolve) => {
      hostile.routes.set('/firehose', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        const event = Buffer.from(`data: ${'y'.repeat(1018)}\n\n`);
        const pump = () => {
          // Endless in effect: it only stops past the bound, where the assertion below fails anyway,
          // so an endpoint without back-pressure fails with a figure instead of running out of memory.
          while (!res.destroyed && produced < readBeforeStall + allowedAhead + MIB) {
            produced += event.length;
            if (!res.write(event)) return void res.once('drain', pump);
          }
        };
        res.once('close', () => {
          upstreamClosedAt = performance.now();
          resolve();
        });
        pump();
      });
    });
    await configure([{ id: 'firehose', label: 'firehose', url: `${hostile.origin}/firehose` }]);
    const before = await proxy.send<ProxyStats>({ type: 'resetStats' });

    const req = httpRequest(routes.get('firehose')!, { method: 'GET', headers: { accept: 'text/event-stream' } });
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    assert.equal(res.headers['content-type'], 'text/event-stream');
    // A reader keeps up for 64 MiB, then stops reading (a busy or stuck client).
    let received = 0;
    await new Promise<void>((resolve) => {
      res.on('data', (data: Buffer) => {
        received += data.length;
        if (received >= readBeforeStall && !res.isPaused()) {
          res.pause();
          resolve();
        }
      });
    });
    const stalledAt = await settled(() => produced);
    const paused = await proxy.stats();
    assert.equal(paused.activeForwards, 1);

    const leftAt = performance.now();
    req.destroy();
    await upstreamClosed;
    const abortMs = Math.round(upstreamClosedAt - leftAt);
    const remaining = await settled(async () => (await proxy.stats()).activeForwards);
    const growth = paused.peakRssBytes - before.rssBytes;
    figure(
      `endless SSE: client read ${mib(received)} MiB then stopped; upstream held to ${mib(stalledAt - received)} MiB ahead by back-pressure (allowed: ${mib(allowedAhead)} MiB, mostly kernel buffers), endpoint peak RSS +${mib(growth)} MiB, event loop p99 ${paused.eventLoopP99Ms.toFixed(1)} ms; client left → upstream request aborted in ${abortMs} ms, ${remaining} forwards left`,
    );
    assert.ok(stalledAt - received < allowedAhead, `the upstream ran ${mib(stalledAt - received)} MiB ahead`);
    assert.ok(growth < 64 * MIB, `peak RSS grew by ${mib(growth)} MiB`);
    assert.ok(abortMs < 1000, `${abortMs} ms to abort the upstream request`);
    assert.equal(remaining, 0);
  });
});
