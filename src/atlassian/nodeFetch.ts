// The subset of fetch that AtlassianHttpClient uses, on node:http(s) with keep-alive. The bridge
// plugs it in instead of the global fetch: Node's fetch (undici) costs ~17 MB of memory on first
// use and the bridge is budgeted at 60 MB. Responses are decompressed (gzip, deflate, br).
import type * as Http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type * as Https from 'node:https';
import type { Readable } from 'node:stream';
import type * as Zlib from 'node:zlib';
import type * as ProxyAgents from 'https-proxy-agent';

// node:https pulls in TLS and crypto; node:zlib is needed only when a server compresses. All load on first use.
/* eslint-disable @typescript-eslint/no-require-imports */
type Transport = { request: typeof Http.request; agent: Http.Agent };
let plain: Transport | undefined;
let secure: Transport | undefined;
let tunnelled: Transport | undefined;
function transport(url: URL): Transport {
  if (url.protocol === 'https:') {
    const m = require('node:https') as typeof Https;
    // HTTPS_PROXY as curl and most tools read it (the extension sets it from VS Code's http.proxy).
    const proxy = proxyFor(url);
    if (proxy) {
      const { HttpsProxyAgent } = require('https-proxy-agent') as typeof ProxyAgents;
      return (tunnelled ??= { request: m.request, agent: new HttpsProxyAgent(proxy, { keepAlive: true }) });
    }
    return (secure ??= { request: m.request, agent: new m.Agent({ keepAlive: true }) });
  }
  const m = require('node:http') as typeof Http;
  return (plain ??= { request: m.request, agent: new m.Agent({ keepAlive: true }) });
}

/** The proxy for an https URL from HTTPS_PROXY, unless NO_PROXY or loopback exempts the host. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const proxy = env.HTTPS_PROXY ?? env.https_proxy;
  if (!proxy) return undefined;
  const host = url.hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host.startsWith('127.')) return undefined;
  const exempt = (env.NO_PROXY ?? env.no_proxy ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  if (exempt.some((h) => h === '*' || host === h.replace(/^\./, '') || host.endsWith(h.startsWith('.') ? h : `.${h}`)))
    return undefined;
  return proxy;
}

/** Headers with the one method the client reads. */
class ResponseHeaders {
  constructor(private readonly raw: IncomingMessage['headers']) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

export const nodeFetch = ((input: string | URL, init: RequestInit = {}): Promise<Response> => {
  const url = new URL(String(input));
  const { request, agent } = transport(url);
  const headers: Record<string, string> = { 'Accept-Encoding': 'gzip, deflate, br' };
  for (const [name, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) headers[name] = value;
  // Strings and byte arrays (a multipart upload); nothing else is ever sent.
  const body =
    typeof init.body === 'string'
      ? init.body
      : init.body instanceof Uint8Array
        ? Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength)
        : undefined;
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));

  return new Promise<Response>((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason);
    const req = request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && init.redirect === 'error') {
        res.resume();
        return reject(new TypeError(`Redirected to ${res.headers.location}; redirects are not followed.`));
      }
      const stream = decoded(res);
      let bytes: Promise<Buffer> | undefined;
      const readBytes = () =>
        (bytes ??= new Promise<Buffer>((done, fail) => {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => done(Buffer.concat(chunks)));
          stream.on('error', fail);
        }));
      const readText = async () => (await readBytes()).toString('utf8');
      resolve({
        status,
        ok: status >= 200 && status < 300,
        headers: new ResponseHeaders(res.headers),
        body: {
          cancel: () => {
            res.resume();
            return Promise.resolve();
          },
          // Chunk by chunk, decompressed, so a reader can stop early (AtlassianHttpClient's size limit).
          getReader: () => {
            const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
            return {
              read: async () => {
                const next = await chunks.next();
                return next.done ? { done: true, value: undefined } : { done: false, value: next.value };
              },
              cancel: () => {
                // The socket still holds unread data: it cannot go back to the keep-alive pool.
                res.destroy();
                if (stream !== res) stream.destroy();
                return Promise.resolve();
              },
              releaseLock: () => undefined,
            };
          },
        },
        text: readText,
        arrayBuffer: async () => {
          const data = await readBytes();
          return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
        },
        json: async () => JSON.parse(await readText()) as unknown,
      } as unknown as Response);
    });
    const onAbort = () => req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('close', () => signal?.removeEventListener('abort', onAbort));
    req.on('error', (err) => reject(signal?.aborted ? signal.reason : err));
    req.end(body);
  });
}) as typeof fetch;

function decoded(res: IncomingMessage): Readable {
  const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'deflate' && encoding !== 'br') return res;
  const zlib = require('node:zlib') as typeof Zlib;
  const decoder =
    encoding === 'br'
      ? zlib.createBrotliDecompress()
      : encoding === 'gzip'
        ? zlib.createGunzip()
        : zlib.createInflate();
  return res.pipe(decoder);
}
/* eslint-enable @typescript-eslint/no-require-imports */
