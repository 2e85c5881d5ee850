// Downloads that Confluence Cloud redirects to its media host: followed without the site's
// credentials, only to addresses that may be followed, a bounded number of hops, and every failure
// named by the host that caused it.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AtlassianError } from '../../../src/atlassian/errors';
import { AtlassianHttpClient } from '../../../src/atlassian/http';
import { freePort } from '../../harness/process';

const SITE_TOKEN = 'Basic c2l0ZS1zZWNyZXQ=';

interface Host {
  readonly url: string;
  readonly seen: { path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

async function host(answer: (path: string, res: ServerResponse) => void): Promise<Host> {
  const seen: Host['seen'] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    answer(req.url ?? '', res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

describe('downloads redirected to a media host', () => {
  const hosts: Host[] = [];
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.close()));
  });
  const start = async (answer: Parameters<typeof host>[0]) => {
    const h = await host(answer);
    hosts.push(h);
    return h;
  };
  const siteRedirectingTo = (location: () => string) =>
    start((_path, res) => res.writeHead(302, { Location: location() }).end());
  const client = (site: Host) =>
    new AtlassianHttpClient(site.url, { authorization: async () => SITE_TOKEN }, { userAgent: 'amb-test' });
  const download = (site: Host, follow = true) =>
    client(site).request<Uint8Array>({
      path: '/download/attachments/1/a.txt',
      responseType: 'bytes',
      followRedirectWithoutCredentials: follow,
      retryable: false,
    });

  it('follows the redirect to another host without the site credentials', async () => {
    const media = await start((_p, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('bytes'));
    const site = await siteRedirectingTo(() => `${media.url}/file/x/binary?token=media-token`);
    const data = await download(site);
    assert.equal(Buffer.from(data).toString(), 'bytes');
    assert.equal(site.seen[0]!.headers.authorization, SITE_TOKEN);
    assert.equal(media.seen.length, 1);
    assert.equal(media.seen[0]!.path, '/file/x/binary?token=media-token');
    assert.equal(media.seen[0]!.headers.authorization, undefined);
    assert.equal(media.seen[0]!.headers['user-agent'], 'amb-test');
  });

  it('still refuses the redirect when the request did not ask for it', async () => {
    const media = await start((_p, res) => res.end('bytes'));
    const site = await siteRedirectingTo(() => `${media.url}/file/x/binary?token=t`);
    await assert.rejects(download(site, false), (err: AtlassianError) => err.kind === 'redirected');
    assert.equal(media.seen.length, 0);
  });

  it('refuses plain http to a host that is not loopback, without naming the token', async () => {
    const site = await siteRedirectingTo(() => 'http://media.example.invalid/file/x/binary?token=media-token');
    await assert.rejects(download(site), (err: AtlassianError) => {
      assert.equal(err.kind, 'redirected');
      assert.match(err.message, /media\.example\.invalid\/file\/x\/binary.*only https/);
      assert.ok(!err.message.includes('media-token'), err.message);
      return true;
    });
  });

  it('stops after three hops', async () => {
    const loop: Host = await start((path, res) => res.writeHead(302, { Location: `${loop.url}${path}x` }).end());
    const site = await siteRedirectingTo(() => `${loop.url}/hop`);
    await assert.rejects(download(site), (err: AtlassianError) => {
      assert.equal(err.kind, 'redirected');
      assert.match(err.message, /more than 3 times/);
      return true;
    });
    assert.equal(loop.seen.length, 3);
  });

  it('names the media host when it refuses the link, and says it may have expired', async () => {
    const media = await start((_p, res) => res.writeHead(403, { 'Content-Type': 'application/json' }).end('{}'));
    const site = await siteRedirectingTo(() => `${media.url}/file/x/binary?token=old`);
    await assert.rejects(download(site), (err: AtlassianError) => {
      assert.equal(err.kind, 'forbidden');
      assert.equal(err.host, new URL(media.url).host);
      assert.match(err.message, /refused the download link.*may have expired/);
      return true;
    });
  });

  it('names the media host when it cannot be reached', async () => {
    const port = await freePort();
    const site = await siteRedirectingTo(() => `http://127.0.0.1:${port}/file/x/binary?token=t`);
    await assert.rejects(download(site), (err: AtlassianError) => {
      assert.equal(err.kind, 'network');
      assert.equal(err.host, `127.0.0.1:${port}`);
      assert.match(err.message, new RegExp(`Could not reach 127\\.0\\.0\\.1:${port}`));
      return true;
    });
  });
});
