// The bridge's fetch on node:http: what AtlassianHttpClient relies on, including compression,
// refused redirects, timeouts and cancellation.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { AtlassianHttpClient } from '../../../src/atlassian/http';
import { nodeFetch, proxyFor } from '../../../src/atlassian/nodeFetch';

describe('nodeFetch', () => {
  let server: Server;
  let base: string;
  const seen: { method?: string; body: string; auth?: string; type?: string; bytes: Buffer }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const body = bytes.toString();
        seen.push({
          method: req.method,
          body,
          auth: req.headers.authorization,
          type: req.headers['content-type'],
          bytes,
        });
        if (req.url === '/bytes')
          return res
            .writeHead(200, { 'Content-Type': 'application/octet-stream' })
            .end(Buffer.concat([bytes, Buffer.from([0, 255])]));
        if (req.url === '/busy')
          return res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"errorMessages":["busy"]}');
        if (req.url === '/gzip')
          return res
            .writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' })
            .end(gzipSync(JSON.stringify({ ok: true })));
        if (req.url === '/redirect') return res.writeHead(302, { Location: 'https://elsewhere.example/' }).end();
        if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2000);
        if (req.url === '/echo')
          return res.writeHead(201, { 'Content-Type': 'application/json', 'Retry-After': '3' }).end(body);
        res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"errorMessages":["nope"]}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const client = (timeoutMs = 5000) =>
    new AtlassianHttpClient(
      base,
      { authorization: async () => 'Bearer t' },
      { fetch: nodeFetch, timeoutMs, retry: { maxRetries: 0 } },
    );

  it('sends JSON bodies and reads statuses, headers and compressed bodies', async () => {
    const res = await nodeFetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    assert.equal(res.status, 201);
    assert.equal(res.ok, true);
    assert.equal(res.headers.get('retry-after'), '3');
    assert.deepEqual(await res.json(), { a: 1 });
    assert.deepEqual(await client().request({ path: '/gzip' }), { ok: true });
    assert.equal(seen.at(-1)!.auth, 'Bearer t');
  });

  it('sends byte bodies with their own Content-Type and reads byte responses', async () => {
    const data = new Uint8Array([1, 2, 3, 0, 200, 13, 10]);
    const res = await nodeFetch(`${base}/bytes`, { method: 'POST', body: data });
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), Buffer.from([1, 2, 3, 0, 200, 13, 10, 0, 255]));
    const bytes = await client().request<Uint8Array>({
      method: 'POST',
      path: '/bytes',
      rawBody: { data, contentType: 'multipart/form-data; boundary=x' },
      responseType: 'bytes',
    });
    assert.ok(bytes instanceof Uint8Array);
    assert.deepEqual(Buffer.from(bytes), Buffer.from([1, 2, 3, 0, 200, 13, 10, 0, 255]));
    assert.equal(seen.at(-1)!.type, 'multipart/form-data; boundary=x');
    assert.deepEqual(seen.at(-1)!.bytes, Buffer.from(data));
    // Errors still read as JSON, and a POST upload is never repeated.
    const retrying = new AtlassianHttpClient(
      base,
      { authorization: async () => 'Bearer t' },
      { fetch: nodeFetch, retry: { maxRetries: 3 }, sleep: async () => {} },
    );
    const before = seen.length;
    await assert.rejects(
      retrying.request({
        method: 'POST',
        path: '/busy',
        rawBody: { data, contentType: 'application/octet-stream' },
        responseType: 'bytes',
      }),
      (e: Error & { kind?: string }) => e.kind === 'server' && /busy/.test(e.message),
    );
    assert.equal(seen.length - before, 1);
  });

  it("turns errors, redirects, timeouts and cancellation into the client's error kinds", async () => {
    await assert.rejects(client().request({ path: '/missing' }), { kind: 'notFound' });
    await assert.rejects(client().request({ path: '/redirect' }), {
      kind: 'redirected',
      location: 'https://elsewhere.example/',
    });
    await assert.rejects(client(200).request({ path: '/slow' }), { kind: 'timeout' });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    await assert.rejects(client().request({ path: '/slow', signal: abort.signal }), { kind: 'cancelled' });
    await assert.rejects(
      new AtlassianHttpClient(
        'http://127.0.0.1:1',
        { authorization: async () => 'x' },
        { fetch: nodeFetch, retry: { maxRetries: 0 } },
      ).request({ path: '/' }),
      (e: Error) => /ECONNREFUSED/.test(e.message),
    );
  });
});

describe('proxyFor (the bridge honours HTTPS_PROXY and NO_PROXY)', () => {
  const env = { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: 'internal.corp,.svc' };
  it('proxies remote https hosts', () => {
    assert.equal(proxyFor(new URL('https://acme.atlassian.net/rest'), env), 'http://proxy.corp:3128');
  });
  it('exempts loopback and NO_PROXY hosts and their subdomains', () => {
    for (const url of [
      'https://127.0.0.1:8080/',
      'https://localhost/',
      'https://internal.corp/',
      'https://jira.internal.corp/',
      'https://a.svc/',
    ]) {
      assert.equal(proxyFor(new URL(url), env), undefined, url);
    }
  });
  it('does nothing without HTTPS_PROXY', () => {
    assert.equal(proxyFor(new URL('https://acme.atlassian.net/'), {}), undefined);
  });
});
