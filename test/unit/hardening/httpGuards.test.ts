// The streamable-HTTP server's guards (issue 13, W1/W2) against the real bridge process: body limits
// checked before parsing, batches refused, timeouts and a connection cap set; then random header and
// body shapes (fast-check, fixed seed) never crash it and always get a deliberate status.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { LIMITS, SMALL_BODY_BYTES } from '../../../src/bridge/httpGuards';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ADA, basic, startHttpBridgeProcess, type HttpBridgeProcess } from '../bridge/harness';

interface Answer {
  status: number;
  text: string;
  retryAfter?: string;
}

/** Each request on a connection of its own, so pooled connections never skew a count. */
function send(url: string, headers: Record<string, string>, body?: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text, retryAfter: res.headers['retry-after'] as string | undefined }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const HEADERS = {
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  Authorization: basic(ADA.email, ADA.token),
};

describe('HTTP guards (issue 13, W1/W2)', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let bridge: HttpBridgeProcess;

  before(async () => {
    sandbox = await startSandbox();
    bridge = await startHttpBridgeProcess({ JIRA_URL: sandbox.discovery.sites[0]!.url });
  });
  after(async () => {
    await bridge?.stop();
    await sandbox?.close();
  });

  it('sets timeouts and a connection cap', () => {
    assert.ok(LIMITS.headersTimeoutMs > 0 && LIMITS.requestTimeoutMs > LIMITS.headersTimeoutMs);
    assert.ok(LIMITS.busyConnections > 0 && LIMITS.busyConnections < LIMITS.maxConnections);
    assert.ok(LIMITS.maxConnections <= 256);
  });

  it('answers 503 with Retry-After past its connection limit, instead of dropping the connection', async () => {
    const idle: Socket[] = [];
    const { hostname, port } = new URL(bridge.url);
    try {
      for (let i = 0; i < LIMITS.busyConnections; i++) {
        const socket = connect(Number(port), hostname);
        await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
        idle.push(socket);
      }
      const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
      const busy = await send(bridge.url, HEADERS, list);
      assert.equal(busy.status, 503, busy.text);
      assert.equal(busy.retryAfter, '1');
      assert.match(busy.text, /busy/);
    } finally {
      await Promise.all(idle.map((s) => new Promise((resolve) => s.once('close', resolve).destroy())));
    }
    const answer = await send(bridge.url, HEADERS, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    assert.equal(answer.status, 200, answer.text);
  });

  it('refuses a JSON-RPC body over the small limit, and a declared huge one before reading it', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
      params: { x: 'a'.repeat(SMALL_BODY_BYTES) },
    });
    const answer = await send(bridge.url, HEADERS, big);
    assert.equal(answer.status, 413, answer.text);
    assert.match(answer.text, /too large/);
    const declared = await send(bridge.url, { ...HEADERS, 'Content-Length': String(500 * 1024 * 1024) }, '');
    assert.equal(declared.status, 413);
  });

  it('refuses JSON-RPC batches', async () => {
    sandbox.log.clear();
    const call = { jsonrpc: '2.0', method: 'tools/call', params: { name: 'jira_search_fields', arguments: {} } };
    const batch = JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ ...call, id: i })));
    const answer = await send(bridge.url, HEADERS, batch);
    assert.equal(answer.status, 400, answer.text);
    assert.match(answer.text, /batches are not accepted/);
    assert.equal(sandbox.log.count({}), 0);
  });

  it('random header and body shapes get a deliberate answer and never crash the bridge (seed 1307)', async () => {
    const body = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc.constantFrom('[]', '[{}]', '{"jsonrpc":"2.0","id":1,"method":"initialize"}', 'null', '"x"', '{'),
    );
    const header = fc.record({
      Authorization: fc.oneof(fc.constant(HEADERS.Authorization), fc.constantFrom('Bearer x', 'Basic', 'Token ', '')),
      'Content-Type': fc.constantFrom('application/json', 'text/plain', ''),
      'X-Atlassian-Cloud-Id': fc.constantFrom('', '..', '../../x', '00000000-0000-0000-0000-000000000000'),
    });
    await fc.assert(
      fc.asyncProperty(header, body, async (h, b) => {
        const headers = Object.fromEntries(Object.entries({ ...HEADERS, ...h }).filter(([, v]) => v !== ''));
        const { status } = await send(bridge.url, headers, b);
        return [200, 202, 400, 401, 403, 404, 406, 413, 415].includes(status);
      }),
      { seed: 1307, numRuns: 150, verbose: 1 },
    );
    assert.equal(bridge.child.exitCode, null, 'the bridge is still running');
  });
});
